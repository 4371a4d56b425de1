"""`panel-search index --adapt`: pairs from the records, a fine-tuned model next to the index, searched with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer.encode.embed import Embedder
from indexer.encode.onnx_encoder import model_checksum
from indexer.index.adapt import (
    AdaptSettings,
    adapt_index,
    adapted_model_path,
    embedder_for_index,
    held_out,
    live_records,
    training_pairs,
)
from indexer.index.build import build_index
from indexer.index.generations import resolve
from indexer.index.manifest import IndexManifest, IndexMismatchError
from search_api.cli import main as cli_main
from search_api.retrieval import Searcher, open_searcher

from .conftest import FIXTURE_CORPUS

TINY = AdaptSettings(epochs=2, batch_size=4, max_steps=2, max_seq_length=32)


@pytest.fixture(scope="module")
def adapted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Embedder, Embedder]:
    """The fixture corpus indexed, then adapted in two steps: (index folder, stock embedder, adapted embedder)."""
    root = tmp_path_factory.mktemp("adapt")
    shutil.copytree(FIXTURE_CORPUS, root / "corpus")
    stock = Embedder()
    build_index([root / "corpus"], root / "index", stock, root=root, cache_path=root / "cache.sqlite")
    model, report, summary = adapt_index(
        [root / "corpus"], root / "index", stock, root=root, settings=TINY, cache_path=root / "cache.sqlite"
    )
    assert report.steps == 2 and report.trained > 0
    assert summary.manifest.model_name == model.name
    return root / "index", stock, model


def test_pairs_are_what_the_records_state(fixture_searcher: Searcher) -> None:
    records = fixture_searcher.generation.all_records()
    pairs = training_pairs(records)
    kinds = {p.kind for p in pairs}
    assert "question->answer" in kinds
    by_id = {r.id: r for r in records}
    answers = [r for r in records if r.kind == "answer" and r.parent_id in by_id]
    first = answers[0]
    assert any(p.anchor == by_id[first.parent_id].text and p.passage == first.text for p in pairs)
    assert all(p.anchor != p.passage for p in pairs)


def test_held_out_items_are_stable_and_a_share() -> None:
    groups = [f"corpus/d.txt|item {n}" for n in range(400)]
    chosen = [g for g in groups if held_out(g, 0.5)]
    assert 150 < len(chosen) < 250
    assert chosen == [g for g in groups if held_out(g, 0.5)]
    assert not any(held_out(g, 0.0) for g in groups)


def test_adapted_model_lives_next_to_the_index_and_the_manifest_names_it(
    adapted: tuple[Path, Embedder, Embedder],
) -> None:
    index_dir, stock, model = adapted
    manifest = IndexManifest.read(resolve(index_dir))
    assert manifest.adapted_model.startswith("models/")
    assert (index_dir / manifest.adapted_model / "model.safetensors").exists()
    assert adapted_model_path(index_dir) == index_dir / manifest.adapted_model
    assert manifest.model_name == model.name != stock.name
    assert manifest.model_checksum == model_checksum(model.path) != model_checksum(stock.path)
    # Trained: the weights moved, so a passage embeds differently from the stock model.
    text = ["Twelve neighbourhood officers were temporarily moved to response duties in January."]
    assert float(stock.encode(text)[0] @ model.encode(text)[0]) < 0.99999


def test_the_searcher_loads_the_adapted_model(adapted: tuple[Path, Embedder, Embedder]) -> None:
    index_dir, stock, model = adapted
    searcher = open_searcher(index_dir)
    assert searcher.embedder.path == model.path
    assert embedder_for_index(index_dir, stock).path == model.path
    hits = searcher.search("mobile speed cameras on rural roads", k=3, mode="dense")
    assert hits and "speed camera" in " ".join(h.record.text for h in hits)
    # The query vector is the adapted model's: it matches the stored passage vectors' space.
    vector = searcher.embedder.encode_query("mobile speed cameras")
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-3)


def test_a_mismatched_model_is_refused(adapted: tuple[Path, Embedder, Embedder]) -> None:
    index_dir, stock, _ = adapted
    with pytest.raises(IndexMismatchError):
        Searcher(index_dir, stock)
    # Another adapted model of the same name but other weights is refused by its checksum.
    manifest = IndexManifest.read(resolve(index_dir))
    with pytest.raises(IndexMismatchError, match="weights"):
        manifest.check_compatible(manifest.model_name, manifest.dimension, None, "0" * 16)


def test_without_adapt_nothing_changes(tmp_path: Path, embedder: Embedder) -> None:
    shutil.copytree(FIXTURE_CORPUS, tmp_path / "corpus")
    build_index([tmp_path / "corpus"], tmp_path / "index", embedder, root=tmp_path)
    manifest = IndexManifest.read(resolve(tmp_path / "index"))
    assert manifest.adapted_model == ""
    assert manifest.model_name == embedder.name
    assert adapted_model_path(tmp_path / "index") is None
    assert open_searcher(tmp_path / "index").embedder.path == embedder.path
    assert not (tmp_path / "index" / "models").exists()
    assert live_records(tmp_path / "index")


def test_cli_index_adapt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(FIXTURE_CORPUS, tmp_path / "corpus")
    monkeypatch.setenv("PANEL_SEARCH_INDEX_DIR", str(tmp_path / "index"))
    status = cli_main(["index", str(tmp_path / "corpus"), "--index-dir", str(tmp_path / "index"), "--adapt"])
    assert status == 0
    assert "adapted model" in capsys.readouterr().err
    assert adapted_model_path(tmp_path / "index") is not None
