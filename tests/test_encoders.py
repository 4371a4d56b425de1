"""Query encoders: ONNX Runtime (float32 and int8) against PyTorch, the export cache, the manifest's
rule on which encoder may search which vectors, the fallback, micro-batching and the query cache."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from indexer.encode import embed
from indexer.encode.batching import MicroBatcher, QueryCache
from indexer.encode.embed import Embedder, EncoderSettings, ModelError
from indexer.encode.onnx_encoder import EXPORT_FILE, ONNX_FILES, QUERY_ENCODERS_FOR, export, model_checksum
from indexer.index.manifest import FORMAT_VERSION, IndexManifest, IndexMismatchError
from search_api.app import create_app
from search_api.retrieval import Searcher
from search_api.settings import Settings

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "evaluation" / "gold" / "queries.jsonl"
TEXTS = [
    "road deaths",
    "What did the Commissioner say about the precept increase and the number of police officers?",
    "The Panel noted the report. " * 40,  # long enough to be truncated at the model's 256 tokens
    "PCSOs",
]


@pytest.fixture(scope="module")
def torch_embedder(embedder: Embedder) -> Embedder:
    """Queries encoded by PyTorch, the reference the ONNX encoders are measured against."""
    return Embedder(settings=EncoderSettings(query_runtime="torch"))


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a * b).sum(axis=1))


def test_onnx_float32_gives_pytorchs_vectors_even_padded_in_a_batch(torch_embedder: Embedder) -> None:
    onnx = Embedder(settings=EncoderSettings(query_runtime="onnx"))
    expected = torch_embedder.encode_queries(TEXTS)
    assert onnx.query_runtime == "onnx"
    # One call pads the short texts to the long one's length: the mask must keep the padding out.
    batched = onnx.encode_queries(TEXTS)
    assert batched.shape == (len(TEXTS), onnx.dimension) and batched.dtype == np.float32
    assert _cosines(batched, expected).min() > 0.9999
    np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_int8_queries_stay_close_to_pytorch_on_the_gold_queries(torch_embedder: Embedder, embedder: Embedder) -> None:
    queries = [json.loads(line)["query"] for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    assert embedder.query_runtime == "onnx-int8"  # what is served by default
    cosines = _cosines(
        np.vstack([embedder.encode_queries([q]) for q in queries]), torch_embedder.encode_queries(queries)
    )
    # Per-channel int8 measured mean 0.993, min 0.988; per-tensor int8 gave min 0.947 and is not used.
    assert cosines.mean() > 0.99 and cosines.min() > 0.98


def test_the_export_is_made_once_and_says_what_it_was_made_from(embedder: Embedder, tmp_path: Path) -> None:
    folder = export(embedder.path, Path(embedder.settings.cache_dir or "var/cache/encoders"))
    about = json.loads((folder / EXPORT_FILE).read_text(encoding="utf-8"))
    assert about["checksum"] == model_checksum(embedder.path) == folder.name
    assert all((folder / name).exists() for name in ONNX_FILES.values())
    made = (folder / ONNX_FILES["onnx-int8"]).stat().st_mtime
    assert export(embedder.path, folder.parent) == folder
    assert (folder / ONNX_FILES["onnx-int8"]).stat().st_mtime == made


def test_an_index_refuses_a_query_encoder_not_measured_safe_for_its_vectors() -> None:
    int8_vectors = IndexManifest(
        FORMAT_VERSION, "m", 384, 1, 1, "x", "2026-01-01", passage_encoder="onnx-int8",
        query_encoders=list(QUERY_ENCODERS_FOR["onnx-int8"]), model_checksum="abc",
    )  # fmt: skip
    int8_vectors.check_compatible("m", 384, "onnx-int8", "abc")
    with pytest.raises(IndexMismatchError, match="not measured safe"):
        int8_vectors.check_compatible("m", 384, "torch", "abc")
    with pytest.raises(IndexMismatchError, match="weights"):
        int8_vectors.check_compatible("m", 384, "onnx-int8", "def")
    # Float32 vectors (the default) may be searched by any of the three.
    float_vectors = IndexManifest(FORMAT_VERSION, "m", 384, 1, 1, "x", "2026-01-01")
    for runtime in ("torch", "onnx", "onnx-int8"):
        float_vectors.check_compatible("m", 384, runtime, "abc")


def test_the_corpus_index_records_its_encoders(corpus_searcher: Searcher, embedder: Embedder) -> None:
    manifest = corpus_searcher.generation.manifest
    assert manifest.passage_encoder == "torch"
    assert manifest.model_checksum == model_checksum(embedder.path)
    assert "onnx-int8" in manifest.query_encoders


def test_without_onnxruntime_queries_fall_back_to_pytorch_and_say_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(embed, "onnx_available", lambda: False)
    with caplog.at_level(logging.WARNING, logger="indexer.encode.embed"):
        fallback = Embedder(settings=EncoderSettings(query_runtime="onnx-int8"))
    assert fallback.query_runtime == "torch"
    assert "onnxruntime is not installed" in caplog.text


def test_an_unknown_encoder_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="unknown encoder runtime 'onnx-int4'"):
        Embedder(settings=EncoderSettings(query_runtime="onnx-int4"))


class _Recorder:
    """An encoder that makes each text's vector from its length and notes the batch sizes it was given."""

    def __init__(self, fail: bool = False) -> None:
        self.batches: list[int] = []
        self.fail = fail

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(0.02)  # a call long enough for others to queue behind it
        self.batches.append(len(texts))
        if self.fail:
            raise RuntimeError("the model failed")
        return np.array([[float(len(t))] for t in texts], dtype=np.float32)


def _concurrently(batcher: MicroBatcher, texts: Sequence[str]) -> dict[str, object]:
    out: dict[str, object] = {}

    def call(text: str) -> None:
        try:
            out[text] = batcher(text)
        except RuntimeError as exc:
            out[text] = exc

    threads = [threading.Thread(target=call, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    return out


def test_concurrent_queries_are_encoded_together_each_getting_its_own_vector() -> None:
    recorder = _Recorder()
    texts = ["x" * n for n in range(1, 17)]
    out = _concurrently(MicroBatcher(recorder, window_ms=0.0, max_batch=32), texts)
    assert sum(recorder.batches) == len(texts) and len(recorder.batches) < len(texts)
    for text in texts:
        vector = out[text]
        assert isinstance(vector, np.ndarray) and vector.shape == (1, 1) and vector[0, 0] == len(text)


def test_a_batch_never_exceeds_its_limit_and_a_failure_reaches_every_caller() -> None:
    recorder = _Recorder()
    _concurrently(MicroBatcher(recorder, window_ms=5.0, max_batch=4), ["x" * n for n in range(1, 13)])
    assert max(recorder.batches) <= 4 and sum(recorder.batches) == 12
    failing = _Recorder(fail=True)
    out = _concurrently(MicroBatcher(failing), ["a", "bb", "ccc"])
    assert all(isinstance(v, RuntimeError) for v in out.values()) and len(out) == 3


def test_the_query_cache_keys_by_words_and_drops_the_least_recent() -> None:
    cache = QueryCache(2)
    one, two, three = (np.full((1, 2), n, dtype=np.float32) for n in (1, 2, 3))
    cache.put("Road  Deaths", one)
    assert cache.get("road deaths") is one and cache.hits == 1
    cache.put("precept", two)
    cache.get("road deaths")  # now the most recent
    cache.put("pcso", three)
    assert cache.get("precept") is None and cache.get("road deaths") is one and cache.misses == 1
    off = QueryCache(0)
    off.put("x", one)
    assert off.get("x") is None


def test_the_service_says_which_encoders_it_uses(corpus_searcher: Searcher) -> None:
    client = TestClient(create_app(Settings(index_dir=corpus_searcher.index_dir), searcher=corpus_searcher))
    encoders = client.get("/health").json()["encoders"]
    assert encoders["passages"] == "torch" and encoders["queries"].startswith("onnx-int8")
    body = client.get("/search", params={"q": "decriminalisation of drugs", "k": 3}).json()
    assert [r["id"] for r in body["results"]] == [
        h.record.id for h in corpus_searcher.search("decriminalisation of drugs", k=3)
    ]
