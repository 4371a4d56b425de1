"""Pure pieces of search: query syntax, fusion, filters, snippets and person keys."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.reading.people import person_key, resolve_keys
from search_api.filters import FilterError, asker_matches, parse_day, parse_kinds
from search_api.fusion import normalised_score_fusion
from search_api.query import QueryError, parse_query
from search_api.snippets import make_snippet


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


def test_score_fusion_normalises_each_run_and_rewards_agreement() -> None:
    fused = normalised_score_fusion([[("a", 9.0), ("b", 8.0), ("c", 1.0)], [("b", 0.9), ("c", 0.8)]])
    assert [i for i, _ in fused] == ["b", "a", "c"]
    assert fused[0][1] == pytest.approx(7 / 8 + 1.0)
    # A run of equal scores (records by a person named) gives each its whole weight.
    assert normalised_score_fusion([[("a", 1.0)], [("b", 1.0)]], weights=[1.0, 0.5]) == [("a", 1.0), ("b", 0.5)]


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
