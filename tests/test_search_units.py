"""Pure pieces of search: query syntax, fusion, filters, snippets and person keys."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.people import person_key, resolve_keys
from indexer.records import Citation, Location, Record
from indexer.store import quote_term
from search_api.filters import FilterError, Filters, asker_matches, parse_day, parse_kinds
from search_api.fusion import collapse, reciprocal_rank_fusion
from search_api.query import QueryError, parse_query
from search_api.snippets import make_snippet


def _record(kind: str = "answer", date: str | None = "2022-11-17", asker_key: str | None = "dhindsa-h") -> Record:
    citation = Citation(
        body="Derbyshire Police and Crime Panel",
        meeting_date=date,
        item="45/22",
        reference="Question 1",
        asker="Cllr H Dhindsa",
        asker_key=asker_key,
        responder="PCC",
        document="corpus/x.txt",
        location=Location((1, 2)),
        label="label",
    )
    return Record(id="r1", kind=kind, text="text", citation=citation)  # type: ignore[arg-type]


def test_query_parts() -> None:
    parsed = parse_query('asker:"H Dhindsa" drug funding -cannabis "combating drugs" from:2020-01-01 kind:exchange')
    assert parsed.phrases == ["combating drugs"]
    assert parsed.excluded == ["cannabis"]
    assert parsed.fields == {"asker": "H Dhindsa", "from": "2020-01-01", "kind": "exchange"}
    assert parsed.terms == ["drug", "funding", "combating", "drugs"]
    assert "cannabis" not in parsed.text and "asker" not in parsed.text


@pytest.mark.parametrize("raw", ["", "   ", "\x00\x00", '"', "- -"])
def test_queries_with_nothing_to_search_are_errors(raw: str) -> None:
    with pytest.raises(QueryError):
        parse_query(raw)


@given(st.text(max_size=300))
def test_query_parsing_never_crashes(raw: str) -> None:
    try:
        parsed = parse_query(raw)
    except QueryError:
        return
    for term in parsed.terms:
        assert quote_term(term).startswith('"') and quote_term(term).endswith('"')


def test_quote_term_escapes_quotes() -> None:
    assert quote_term('say "no"') == '"say ""no"""'


def test_rrf_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([[("a", 9.0), ("b", 8.0), ("c", 1.0)], [("b", 0.9), ("c", 0.8)]])
    assert [i for i, _ in fused] == ["b", "c", "a"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)
    weighted = reciprocal_rank_fusion([[("a", 1.0)], [("b", 1.0)]], weights=[1.0, 2.0])
    assert [i for i, _ in weighted] == ["b", "a"]


def test_collapse_keeps_each_group_once_at_best_rank() -> None:
    run = [("answer", 3.0), ("other", 2.0), ("question", 1.0)]
    assert collapse(run, {"answer": "exchange", "question": "exchange"}) == [("exchange", 3.0), ("other", 2.0)]


def test_filters() -> None:
    record = _record()
    assert Filters(asker="Dhindsa").matches(record)
    assert Filters(asker="Councillor Hardyal Dhindsa").matches(record)
    assert Filters(asker="Cllr Dhinsda").matches(record)  # a slip of spelling
    assert not Filters(asker="J Dhindsa").matches(record)
    assert not Filters(asker="Frudd").matches(record)
    assert Filters(body="crime panel").matches(record)
    assert not Filters(body="assurance board").matches(record)
    assert Filters(date_from=dt.date(2022, 1, 1), date_to=dt.date(2022, 12, 31)).matches(record)
    assert not Filters(date_from=dt.date(2023, 1, 1)).matches(record)
    assert not Filters(date_to=dt.date(2020, 1, 1)).matches(_record(date=None))
    assert Filters(item="45/22").matches(record) and not Filters(item="44/22").matches(record)
    exchange = _record(kind="exchange")
    assert Filters(kinds=("answer",)).matches(exchange, [_record(kind="question"), _record(kind="answer")])
    assert not Filters(kinds=("minute",)).matches(exchange, [_record(kind="question")])


def test_filter_values_are_checked() -> None:
    assert parse_kinds(["question,minute", "exchange"]) == ("question", "minute", "exchange")
    with pytest.raises(FilterError, match="unknown kind"):
        parse_kinds(["speech"])
    assert parse_day("2020", "from") == dt.date(2020, 1, 1)
    with pytest.raises(FilterError, match="YYYY-MM-DD"):
        parse_day("17/11/2022", "date_from")
    assert not asker_matches("", "dhindsa-h")


def test_snippet_prefers_rare_query_words_and_marks_them() -> None:
    text = (
        "The use of drugs is a blight. Drugs cost money. "
        "Rehabilitation linked to de-criminalisation was discussed. Drugs remain common."
    )
    snippet = make_snippet(text, "decriminalisation of drugs", limit=80)
    assert snippet.text.startswith("… Rehabilitation linked to de-criminalisation")
    assert [snippet.text[a:b] for a, b in snippet.highlights] == ["de-criminalisation"]


def test_person_keys() -> None:
    assert person_key("Cllr H Dhindsa") == "dhindsa-h"
    assert person_key("PCC Dhindsa") == "dhindsa"
    keys = resolve_keys(["Cllr H Dhindsa", "Councillor Hardyal Dhindsa", "PCC Dhindsa", "Commissioner Dhindsa"])
    assert set(keys.values()) == {"dhindsa-h"}
    # Two people share a surname: a name without initials stays apart from both.
    keys = resolve_keys(["Cllr A Smith", "Cllr B Smith", "Councillor Smith"])
    assert keys == {"Cllr A Smith": "smith-a", "Cllr B Smith": "smith-b", "Councillor Smith": "smith"}
