"""Building an index: stable ids, the embedding cache, the manifest check, bad documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from indexer.encode.embed import Embedder
from indexer.encode.passages import passages
from indexer.index.build import BuildError, build_index
from indexer.index.generations import resolve
from indexer.index.manifest import FORMAT_VERSION, MANIFEST_FILE, IndexManifest, IndexMismatchError, IndexMissingError
from search_api.retrieval import Searcher

from .conftest import FIXTURE_CORPUS


def _ids(index_dir: Path, embedder: Embedder) -> list[str]:
    return [r.id for r in Searcher(index_dir, embedder).generation.all_records()]


def test_rebuild_gives_same_ids_and_embeds_nothing(tmp_path: Path, embedder: Embedder) -> None:
    shutil.copytree(FIXTURE_CORPUS, tmp_path / "corpus")
    cache = tmp_path / "cache.sqlite"
    first = build_index([tmp_path / "corpus"], tmp_path / "a", embedder, root=tmp_path, cache_path=cache)
    second = build_index([tmp_path / "corpus"], tmp_path / "b", embedder, root=tmp_path, cache_path=cache)
    records = Searcher(tmp_path / "a", embedder).generation.all_records()
    # Every distinct text embedded once: the passages, and each undertaking's own (for its follow-ups).
    texts = {p for r in records for p in passages(r)} | {r.search_text for r in records if r.kind == "undertaking"}
    assert first.embedded == len(texts) > 0 and any(r.kind == "undertaking" for r in records)
    assert second.embedded == 0
    assert second.record_count == first.record_count
    assert _ids(tmp_path / "a", embedder) == _ids(tmp_path / "b", embedder)
    assert first.manifest.corpus_hash == second.manifest.corpus_hash


def test_real_corpus_rebuild_is_identical(corpus_index, embedder: Embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from .conftest import CORPUS, REPO

    again = build_index(
        [CORPUS], tmp_path / "index", embedder, root=REPO, cache_path=REPO / "var" / "cache" / "embeddings.sqlite"
    )
    assert again.embedded == 0
    assert again.record_count == corpus_index.record_count
    assert _ids(tmp_path / "index", embedder) == _ids(corpus_index.index_dir, embedder)


def test_manifest_describes_the_index(fixture_index) -> None:  # type: ignore[no-untyped-def]
    manifest = IndexManifest.read(resolve(fixture_index.index_dir))
    assert manifest.format_version == FORMAT_VERSION
    assert manifest.model_name == "all-MiniLM-L6-v2"
    assert manifest.dimension == 384
    assert manifest.record_count == fixture_index.record_count
    assert len(manifest.corpus_hash) == 64
    assert [d.path for d in manifest.documents] == ["corpus/northshire_2023-03-06.txt"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"model_name": "other-model"}, "built with model 'other-model'"),
        ({"dimension": 768}, "768 dimensions"),
        ({"format_version": 99}, "format version 99"),
    ],
)
def test_search_side_refuses_mismatched_index(
    fixture_index, embedder: Embedder, tmp_path: Path, change: dict[str, object], message: str
) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "index"
    shutil.copytree(fixture_index.index_dir, copy)
    manifest_path = resolve(copy) / MANIFEST_FILE
    data = json.loads(manifest_path.read_text())
    data.update(change)
    manifest_path.write_text(json.dumps(data))
    with pytest.raises(IndexMismatchError, match=message):
        Searcher(copy, embedder)


def test_missing_index_is_a_clear_error(tmp_path: Path, embedder: Embedder) -> None:
    with pytest.raises(IndexMissingError, match="panel-search index"):
        Searcher(tmp_path / "nowhere", embedder)


def test_bad_documents_fail_alone(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PDF-ish\x00" * 10)
    (corpus / "latin1.txt").write_bytes("Caf\xe9 minutes\n".encode("latin-1"))
    (corpus / "slides.pptx").write_bytes(b"PK\x03\x04")
    summary = build_index([corpus], tmp_path / "index", embedder, root=tmp_path, cache_path=tmp_path / "c.sqlite")
    errors = {r.document: r.error for r in summary.reports if r.error}
    assert set(errors) == {"corpus/empty.txt", "corpus/binary.txt"}
    assert "empty" in errors["corpus/empty.txt"]
    assert "binary" in errors["corpus/binary.txt"]
    # A legacy encoding is found by charset-normalizer, named in a warning, and its characters kept.
    latin1 = next(r for r in summary.reports if r.document == "corpus/latin1.txt")
    assert any("read as cp1252" in w for w in latin1.warnings)
    assert [s.split(" (")[0] for s in summary.skipped] == ["corpus/slides.pptx: unsupported file type .pptx"]
    assert summary.record_count > 0
    assert [d.path for d in summary.manifest.documents] == ["corpus/latin1.txt", "corpus/northshire_2023-03-06.txt"]


def test_nothing_to_index_is_an_error_and_an_empty_folder_changes_nothing(
    fixture_index, embedder: Embedder, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty").mkdir()
    with pytest.raises(BuildError, match="no documents"):
        build_index([tmp_path / "empty"], tmp_path / "new-index", embedder, root=tmp_path)
    copy = tmp_path / "index"
    shutil.copytree(fixture_index.index_dir, copy)
    summary = build_index([tmp_path / "empty"], copy, embedder, root=tmp_path)
    assert summary.unchanged and summary.record_count == fixture_index.record_count
    assert IndexManifest.read(resolve(copy)).record_count == fixture_index.record_count


def test_corpus_manifest_states_missing_metadata(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "workshop.txt").write_text(
        "NOTES OF A WORKSHOP\n\nMembers discussed how rural crime patrols are planned in the north of the county.\n"
    )
    (corpus / "manifest.toml").write_text(
        '[documents."workshop.txt"]\nbody = "Northshire Police and Crime Panel"\nmeeting_date = 2023-01-26\n'
    )
    summary = build_index([corpus], tmp_path / "index", embedder, root=tmp_path, cache_path=tmp_path / "c.sqlite")
    records = Searcher(tmp_path / "index", embedder).generation.all_records()
    assert records and {r.citation.meeting_date for r in records} == {"2023-01-26"}
    assert records[0].citation.label.startswith("Northshire Police and Crime Panel, 26 January 2023")
    assert {r.citation.date_source for r in records} == {"manifest"}  # the citation says where its date came from
    assert summary.reports[0].meetings == [
        {"body": "Northshire Police and Crime Panel", "date": "2023-01-26", "date_source": "manifest"}
    ]
    assert [d.path for d in summary.manifest.documents] == ["corpus/workshop.txt"]  # the manifest is not a document
