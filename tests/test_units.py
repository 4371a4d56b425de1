"""Units: each record's sentences, searched on their own beside the whole record (indexer/encode/units.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.encode.units import UNIT_WORDS, units
from indexer.index.build import BuildSummary, UnitVectors, write_generation
from indexer.index.facets import Scope
from indexer.index.manifest import FORMAT_VERSION, UNIT_EMBEDDINGS_FILE, IndexManifest
from indexer.records import Citation, Location, Record
from search_api.generation import Generation
from search_api.retrieval import Searcher, best_per_record

DIM = 8


def _record(rid: str, text: str, kind: str = "minute", body: str = "Northshire Police and Crime Panel") -> Record:
    citation = Citation(
        body=body,
        meeting_date="2023-03-06",
        item="12",
        reference=None,
        asker=None,
        asker_key=None,
        responder=None,
        document="corpus/x.txt",
        location=Location((1, 2)),
        label=rid,
    )
    return Record(rid, kind, text, citation)  # type: ignore[arg-type]


LONG = (
    "Night Time Economy. "
    "The board received the annual report on the night time economy in the county towns. "
    "Footfall in the town centres had returned to the levels seen before the pandemic. "
    "Licensed premises reported fewer incidents of disorder on Friday and Saturday nights. "
    "Where a person is intoxicated on drugs, dispersal powers may be used to move them on from the centre. "
    "Street pastors continued to support people leaving venues late at night."
)


def test_units_are_sentences_grouped_to_a_few_words() -> None:
    found = units(_record("m", LONG))
    # The three-word heading joins the sentence after it; every other sentence is a unit of its own.
    assert found[0] == (
        "Night Time Economy. The board received the annual report on the night time economy in the county towns."
    )
    assert found[3].startswith("Where a person is intoxicated on drugs")
    assert len(found) == 5
    assert " ".join(found) == LONG
    # A short last sentence joins the unit before it rather than stand alone.
    tail = units(_record("t", "Members discussed the new rural crime team of eight officers at length. Agreed."))
    assert tail == ["Members discussed the new rural crime team of eight officers at length. Agreed."]
    # A record shorter than a unit is one unit; a table of figures and an undertaking have none.
    assert units(_record("s", "Apologies were received.")) == ["Apologies were received."]
    assert units(_record("f", "12.5% 14.1% 320,335 295,244")) == []
    assert units(_record("u", "The Commissioner will publish the figures.", kind="undertaking")) == []
    assert all(len(u.split()) >= UNIT_WORDS for u in found)


def test_best_per_record_keeps_each_record_once_at_its_best() -> None:
    found = [(3, 0.9), (1, 0.8), (3, 0.7), (2, 0.6), (1, 0.5)]
    assert best_per_record(found, 10) == [(3, 0.9), (1, 0.8), (2, 0.6)]
    assert best_per_record(found, 2) == [(3, 0.9), (1, 0.8)]


# The same three words as the long record's one sentence, each in a sentence of its own, in a shorter record.
SPREAD = (
    "Dispersal orders were discussed by the panel at some length. "
    "Residents described people who were intoxicated late at night. "
    "Members also asked about drugs policy generally, and about the powers available to officers."
)
PANEL = Scope(bodies=frozenset({"Northshire Police and Crime Panel"}))
BOARD = Scope(bodies=frozenset({"Strategic Priorities Assurance Board"}))


@pytest.fixture(scope="module")
def unit_generation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Generation, list[Record]]:
    """Two long records and one of another body, with random vectors and unit vectors that are known."""
    records = [
        _record("long", LONG),
        _record("spread", SPREAD),
        _record("board", LONG, body="Strategic Priorities Assurance Board"),
    ]
    texts = [units(r) for r in records]
    owners = np.asarray([o for o, found in enumerate(texts) for _ in found], dtype=np.int32)
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(records), DIM)).astype(np.float32)
    unit_vectors = rng.normal(size=(len(owners), DIM)).astype(np.float32)
    for matrix in (vectors, unit_vectors):
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    root = tmp_path_factory.mktemp("units")
    manifest = IndexManifest(FORMAT_VERSION, "test-model", DIM, len(records), len(records), "x", "2026-01-01")
    write_generation(
        root, records, list(range(len(records))), vectors, manifest, [], units=UnitVectors(texts, unit_vectors)
    )
    return Generation(root, "test-model", DIM), records


def test_a_generation_holds_each_records_units(unit_generation: tuple[Generation, list[Record]]) -> None:
    generation, records = unit_generation
    assert generation.units is not None and generation.unit_lexical is not None
    expected = sum(len(units(r)) for r in records)
    assert generation.manifest.unit_count == generation.units.rows == generation.unit_lexical.count == expected
    # A record's units are consecutive rows, in order.
    first = len(units(records[0]))
    assert list(generation.units.rows_of(np.asarray([1]))) == list(range(first, first + len(units(records[1]))))


def test_the_record_whose_one_sentence_holds_the_words_ranks_first_by_units(
    unit_generation: tuple[Generation, list[Record]],
) -> None:
    generation, records = unit_generation
    assert generation.unit_lexical is not None
    terms = ["dispersal", "intoxicated", "drugs"]
    by_record = [records[o].id for o, _ in generation.lexical.search(terms, 10, PANEL)]
    by_unit = [records[o].id for o, _ in best_per_record(generation.unit_lexical.search(terms, 50, PANEL), 10)]
    # A whole record favours the shorter one that has each word somewhere; by units, the sentence saying all wins.
    assert by_record == ["spread", "long"]
    assert by_unit == ["long", "spread"]
    # The scope holds inside the unit index too: the board's copy of the text is found only in the board's scope.
    everywhere = best_per_record(generation.unit_lexical.search(terms, 50, Scope()), 10)
    assert {records[o].id for o, _ in everywhere} == {"long", "spread", "board"}
    assert [records[o].id for o, _ in best_per_record(generation.unit_lexical.search(terms, 50, BOARD), 10)] == [
        "board"
    ]
    # Among given records only: the run that re-scores the records the other runs found.
    among = generation.unit_lexical.search(terms, 50, Scope(), among={1})
    assert among and {o for o, _ in among} == {1}
    assert generation.unit_lexical.search(terms, 50, Scope(), among=set()) == []


def test_the_dense_side_ranks_records_by_their_nearest_unit(unit_generation: tuple[Generation, list[Record]]) -> None:
    generation, records = unit_generation
    assert generation.units is not None
    searcher = Searcher.__new__(Searcher)
    searcher.generation = generation
    row = 3  # the long record's sentence on dispersal powers
    query = generation.units.embeddings[row : row + 1]
    ranked = searcher.dense(query, 10, None, generation.units)
    assert records[ranked[0][0]].id == "long"
    assert ranked[0][1] == pytest.approx(1.0, abs=1e-5)
    # Scoped to the other body, the same sentence finds the board's record, never the panel's.
    mask = generation.facets.mask(BOARD)
    assert [records[o].id for o, _ in searcher.dense(query, 10, mask, generation.units)] == ["board"]


def test_a_build_embeds_units_and_searches_with_them(corpus_index: BuildSummary, corpus_searcher: Searcher) -> None:
    generation = corpus_searcher.generation
    records = generation.all_records()
    assert generation.units is not None and corpus_index.generation == generation.name
    assert generation.manifest.unit_count == sum(len(units(r)) for r in records) == generation.units.rows
    # A unit is embedded alone (no context): a query that is one unit's words finds its record first.
    long_records = [(o, r) for o, r in enumerate(records) if len(units(r)) >= 3]
    assert len(long_records) > 50
    for _, record in long_records[::25]:
        sentence = units(record)[1]
        best, _ = corpus_searcher.dense(corpus_searcher.embedder.encode_query(sentence), 5, None, generation.units)[0]
        assert sentence in generation.record(best).text  # its own record, or one quoting the same sentence


def test_a_generation_written_without_units_is_searched_by_records_alone(tmp_path: Path) -> None:
    records = [_record("long", LONG), _record("spread", SPREAD)]
    vectors = np.eye(len(records), DIM, dtype=np.float32)
    manifest = IndexManifest(FORMAT_VERSION, "test-model", DIM, len(records), len(records), "x", "2026-01-01")
    write_generation(tmp_path, records, [0, 1], vectors, manifest, [])
    generation = Generation(tmp_path, "test-model", DIM)
    assert generation.units is None and generation.unit_lexical is None
    assert generation.manifest.unit_count == 0
    assert {records[o].id for o, _ in generation.lexical.search(["dispersal"], 10, Scope())} == {"long", "spread"}


def test_a_large_generation_scores_units_by_their_codes_alone(tmp_path: Path) -> None:
    # 20,000 unit vectors take an approximate index; their float vectors are not kept beside it.
    records = [_record(f"r{i}", LONG, body=f"Panel {i % 7}") for i in range(250)]
    per_record = 80
    texts = [[f"unit {j} of record {i}" for j in range(per_record)] for i in range(len(records))]
    owners = np.repeat(np.arange(len(records), dtype=np.int32), per_record)
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(len(records), DIM)).astype(np.float32)
    unit_vectors = rng.normal(size=(len(owners), DIM)).astype(np.float32)
    for matrix in (vectors, unit_vectors):
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    manifest = IndexManifest(FORMAT_VERSION, "test-model", DIM, len(records), len(records), "x", "2026-01-01")
    write_generation(
        tmp_path,
        records,
        list(range(len(records))),
        vectors,
        manifest,
        [],
        units=UnitVectors(texts, unit_vectors),
    )
    generation = Generation(tmp_path, "test-model", DIM)
    assert generation.units is not None and generation.units.embeddings is None
    assert generation.manifest.unit_ann_factory.startswith("IVF") and generation.units.rows == len(owners)
    assert not (generation.path / UNIT_EMBEDDINGS_FILE).exists()
    searcher = Searcher.__new__(Searcher)
    searcher.generation = generation
    row = 137 * per_record + 5
    query = unit_vectors[row : row + 1]
    best, similarity = searcher.dense(query, 10, None, generation.units)[0]
    assert best == 137 and similarity == pytest.approx(1.0, abs=0.02)
    # A scope of one panel is searched through the index too, and holds.
    mask = generation.facets.mask(Scope(bodies=frozenset({"Panel 4"})))
    ranked = searcher.dense(query, 10, mask, generation.units)
    assert ranked and all(records[o].citation.body == "Panel 4" for o, _ in ranked)
