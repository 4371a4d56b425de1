"""Builds that embed on a Ray cluster: the same index as a local build, and clear errors without one."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from indexer.encode.cluster import ClusterError, RayEncoder, _reassemble
from indexer.encode.embed import Embedder, EmbeddingCache, ModelError
from indexer.index.build import BuildSummary, build_index
from indexer.index.generations import resolve
from indexer.index.manifest import EMBEDDINGS_FILE, STORE_FILE
from search_api import cli

from .conftest import CORPUS, REPO


@pytest.fixture(scope="module")
def local_ray() -> Iterator[ModuleType]:
    """A local Ray instance with two CPUs, as on the CI machine; `--ray auto` joins it."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def _generation(index_dir: Path) -> tuple[list[tuple[str, str]], list[int], np.ndarray]:
    """(record id, text) by ordinal, the owner of each vector row, and the vectors of the live generation."""
    generation = resolve(index_dir)
    with sqlite3.connect(generation / STORE_FILE) as conn:
        records = [(i, json.loads(d)["text"]) for i, d in conn.execute("SELECT id, data FROM records ORDER BY ordinal")]
        owners = [int(o) for (o,) in conn.execute("SELECT ordinal FROM vectors ORDER BY row")]
    # A generation this small keeps its vectors at full precision beside its exact index.
    return records, owners, np.load(generation / EMBEDDINGS_FILE)


def test_ray_build_matches_local_build(
    tmp_path: Path,
    embedder: Embedder,
    local_ray: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Each build has its own empty cache, so every passage is embedded: locally, then by two Ray actors.
    local: BuildSummary = build_index(
        [CORPUS], tmp_path / "local" / "index", embedder, root=REPO, cache_path=tmp_path / "local" / "cache.sqlite"
    )
    monkeypatch.chdir(REPO)  # the CLI cites paths relative to where it runs, as the local build does to REPO
    ray_index = tmp_path / "ray" / "index"
    args = ["index", str(CORPUS), "--index-dir", str(ray_index), "--ray", "auto", "--ray-workers", "2", "--json"]
    assert cli.main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["embedded"] == local.embedded > 600
    assert (tmp_path / "ray" / "cache" / "embeddings.sqlite").exists()  # the Ray build filled its own cache

    local_records, local_owners, local_vectors = _generation(local.index_dir)
    ray_records, ray_owners, ray_vectors = _generation(ray_index)
    assert ray_records == local_records
    assert ray_owners == local_owners
    assert ray_vectors.shape == local_vectors.shape == (report["manifest"]["vector_count"], embedder.dimension)
    assert float(np.abs(ray_vectors - local_vectors).max()) <= 1e-5
    assert local_ray.is_initialized()  # a cluster the build joined is left running


def test_vectors_come_back_in_input_order() -> None:
    parts = [(np.array([2, 0]), np.array([[2.0], [0.0]])), (np.array([1]), np.array([[1.0]]))]
    out = _reassemble(parts, 3)
    assert out.dtype == np.float32
    assert out.ravel().tolist() == [0.0, 1.0, 2.0]
    with pytest.raises(ClusterError, match="returned 2 vectors for 3 texts"):
        _reassemble(parts[:1], 3)


def test_vectors_from_another_encoder_are_cached_like_local_ones(tmp_path: Path, embedder: Embedder) -> None:
    cache = EmbeddingCache(tmp_path / "cache.sqlite", embedder.name, embedder.dimension)
    sent: list[list[str]] = []

    def encode(texts: Sequence[str]) -> np.ndarray:
        sent.append(list(texts))
        return np.full((len(texts), embedder.dimension), len(sent), dtype=np.float32)

    first, embedded = cache.embed(["a", "b"], embedder, encode=encode)
    assert embedded == 2 and sent == [["a", "b"]]
    vectors, embedded = cache.embed(["b", "c", "a"], embedder, encode=encode)
    assert embedded == 1 and sent[-1] == ["c"]  # only the text the cache lacks is sent
    assert np.array_equal(vectors[[0, 2]], first[[1, 0]]) and vectors[1, 0] == 2
    with pytest.raises(ModelError, match="another model"):
        cache.embed(["d"], embedder, encode=lambda texts: np.zeros((len(texts), 3), dtype=np.float32))
    cache.close()


def test_without_ray_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if it were not installed
    with pytest.raises(ClusterError, match=r"install panel-search\[cluster\]"):
        RayEncoder(None, "auto")


def test_cli_explains_a_missing_ray_and_an_unreachable_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir = str(tmp_path / "index")
    assert cli.main(["index", str(CORPUS), "--index-dir", index_dir, "--ray", "127.0.0.1:1"]) == 2
    assert "panel-search: error: cannot reach the Ray cluster at 127.0.0.1:1" in capsys.readouterr().err
    assert cli.main(["index", str(CORPUS), "--index-dir", index_dir, "--ray-workers", "2"]) == 2
    assert "--ray-workers needs --ray" in capsys.readouterr().err

    monkeypatch.setitem(sys.modules, "ray", None)
    assert cli.main(["index", str(CORPUS), "--index-dir", index_dir, "--ray"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("panel-search: error: building on a Ray cluster needs ray[data]")
    assert "install panel-search[cluster]" in err
    assert "Traceback" not in err
    assert not (tmp_path / "index").exists()  # nothing was built


def test_serving_and_local_indexing_never_import_ray() -> None:
    code = (
        "import sys, indexer.index.build, indexer.encode.cluster, search_api.cli, search_api.app;"
        " sys.exit('ray' in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
