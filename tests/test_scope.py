"""Scopes: filters and access resolved once, applied inside the lexical and the dense retriever alike."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.index.build import write_generation
from indexer.index.facets import Scope
from indexer.index.manifest import FORMAT_VERSION, IndexManifest
from indexer.records import Citation, Location, Record
from search_api.filters import Filters
from search_api.generation import Generation
from search_api.query import QueryError, parse_query
from search_api.retrieval import Searcher
from search_api.scope import resolve_scope

DIM = 8


def _record(
    rid: str,
    kind: str,
    text: str,
    *,
    body: str = "Derbyshire Police and Crime Panel",
    date: str | None = "2022-11-17",
    item: str | None = "45/22",
    asker: str | None = None,
    parent: str | None = None,
    parts: tuple[str, ...] = (),
    access: str = "public",
) -> Record:
    citation = Citation(
        body=body,
        meeting_date=date,
        item=item,
        reference=None,
        asker=asker,
        asker_key="dhindsa-h" if asker else None,
        responder=None,
        document="corpus/x.txt",
        location=Location((1, 2)),
        label=rid,
    )
    return Record(rid, kind, text, citation, parent_id=parent, part_ids=parts, access=access)  # type: ignore[arg-type]


RECORDS = [
    _record("q1", "question", "What is being done about drug driving?", asker="Cllr H Dhindsa"),
    _record("a1", "answer", "Drug driving checks have doubled.", parent="q1"),
    _record(
        "e1",
        "exchange",
        "What is being done about drug driving? Drug driving checks have doubled.",
        asker="Cllr H Dhindsa",
        parts=("q1", "a1"),
    ),
    _record(
        "m1",
        "minute",
        "The board noted the drug strategy.",
        body="Strategic Priorities Assurance Board",
        date="2019-05-20",
        item="8A",
    ),
    _record("u1", "minute", "Drug testing on arrest was discussed.", date=None, item=None),
    _record("r1", "minute", "Draft drug pilot costs, not for publication.", access="restricted"),
]


@pytest.fixture(scope="module")
def generation(tmp_path_factory: pytest.TempPathFactory) -> Generation:
    """A generation of the six records above, with random vectors (one per record)."""
    root = tmp_path_factory.mktemp("scope")
    vectors = np.random.default_rng(0).normal(size=(len(RECORDS), DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    manifest = IndexManifest(FORMAT_VERSION, "test-model", DIM, len(RECORDS), len(RECORDS), "x", "2026-01-01")
    write_generation(root, RECORDS, list(range(len(RECORDS))), vectors, manifest, [])
    return Generation(root, "test-model", DIM)


def _allowed(generation: Generation, filters: Filters, include_restricted: bool = False) -> set[str]:
    scope = resolve_scope(filters, generation.facets, include_restricted)
    mask = generation.facets.mask(scope)
    return {r.id for i, r in enumerate(RECORDS) if mask is None or mask[i]}


def test_filters_resolve_to_one_scope_over_the_record_shown(generation: Generation) -> None:
    exchange = {"q1", "a1", "e1"}  # a question and answer are found through their exchange
    assert _allowed(generation, Filters()) == {"q1", "a1", "e1", "m1", "u1"}
    assert _allowed(generation, Filters(), include_restricted=True) == {r.id for r in RECORDS}
    assert _allowed(generation, Filters(asker="Dhindsa")) == exchange
    assert _allowed(generation, Filters(asker="Cllr Dhinsda")) == exchange  # a slip of spelling
    assert _allowed(generation, Filters(asker="J Dhindsa")) == set()
    assert _allowed(generation, Filters(body="assurance board")) == {"m1"}
    assert _allowed(generation, Filters(body="crime panel")) == exchange | {"u1"}
    assert _allowed(generation, Filters(item="Agenda item 45/22.")) == exchange
    assert _allowed(generation, Filters(item="44/22")) == set()
    assert _allowed(generation, Filters(kinds=("answer",))) == exchange
    assert _allowed(generation, Filters(kinds=("minute",))) == {"m1", "u1"}
    # Either date bound leaves undated records out.
    assert _allowed(generation, Filters(date_from=dt.date(2020, 1, 1))) == exchange
    assert _allowed(generation, Filters(date_to=dt.date(2020, 1, 1))) == {"m1"}


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(asker="Dhindsa"),
        Filters(body="assurance board"),
        Filters(kinds=("minute",)),
        Filters(date_from=dt.date(2020, 1, 1)),
        Filters(item="8A"),
    ],
)
@pytest.mark.parametrize("include_restricted", [False, True])
def test_both_retrievers_stay_inside_the_scope(
    generation: Generation, filters: Filters, include_restricted: bool
) -> None:
    scope = resolve_scope(filters, generation.facets, include_restricted)
    allowed = _allowed(generation, filters, include_restricted)
    lexical = {RECORDS[o].id for o, _ in generation.lexical.search(["drug"], 10, scope)}
    assert lexical == allowed  # every record says "drug": the scope alone decides
    searcher = Searcher.__new__(Searcher)
    searcher.generation = generation
    query = np.ones((1, DIM), dtype=np.float32) / np.sqrt(DIM)
    dense = {RECORDS[o].id for o, _ in searcher.dense(query, 10, generation.facets.mask(scope))}
    assert dense == allowed
    listed = {RECORDS[o].id for o in generation.lexical.listing(scope, 10)}
    assert listed == allowed & {"e1", "m1", "u1", "r1"}  # records shown, never their parts


def test_listing_runs_by_date_with_undated_last(generation: Generation) -> None:
    scope = Scope(public_only=True)
    assert [RECORDS[o].id for o in generation.lexical.listing(scope, 10)] == ["e1", "m1", "u1"]
    assert [RECORDS[o].id for o in generation.lexical.listing(scope, 10, newest=False)] == ["m1", "e1", "u1"]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_query_text_is_searched_as_words(generation: Generation, raw: str) -> None:
    try:
        parsed = parse_query(raw)
    except QueryError:
        return
    hits = generation.lexical.search(parsed.terms, 10, Scope(), parsed.phrases, parsed.excluded)
    assert all(0 <= o < len(RECORDS) for o, _ in hits)


def test_query_syntax_words_are_plain_words(generation: Generation) -> None:
    for raw in ['drug AND NOT "driving', "drug OR body:x", "drug* ~2 ^3 (", "title:drug"]:
        parsed = parse_query(raw)
        assert generation.lexical.search(parsed.terms, 10, Scope(), parsed.phrases, parsed.excluded)


def test_inconsistent_generation_is_refused(generation: Generation, tmp_path: Path) -> None:
    vectors = np.eye(len(RECORDS), DIM, dtype=np.float32)
    wrong = IndexManifest(FORMAT_VERSION, "test-model", DIM, len(RECORDS) + 1, len(RECORDS), "x", "2026-01-01")
    write_generation(tmp_path, RECORDS, list(range(len(RECORDS))), vectors, wrong, [])
    with pytest.raises(Exception, match="inconsistent"):
        Generation(tmp_path, "test-model", DIM)
