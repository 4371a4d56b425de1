"""Search on the real corpus through the API: syntax, filters, sorting, exchanges and snippets."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_api.filters import Filters
from search_api.query import parse_query
from search_api.retrieval import UNITS_PER_RECORD, Searcher, best_per_record
from search_api.scope import resolve_scope
from search_api.settings import Settings


@pytest.fixture(scope="module")
def client(corpus_searcher: Searcher) -> TestClient:
    return TestClient(create_app(Settings(index_dir=corpus_searcher.index_dir), searcher=corpus_searcher))


def _search(client: TestClient, **params: object) -> list[dict]:  # type: ignore[type-arg]
    response = client.get("/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()["results"]  # type: ignore[no-any-return]


def test_drugs_answer_of_september_2020(client: TestClient) -> None:
    results = _search(client, q="decriminalisation of drugs", k=3)
    top = results[0]
    assert top["kind"] == "exchange"
    assert top["citation"]["meeting_date"] == "2020-09-10"
    assert top["citation"]["asker"] == "Cllr J Frudd"
    assert "de-criminalisation" in top["snippet"]
    marked = [top["snippet"][a:b] for a, b in top["highlights"]]
    assert "de-criminalisation" in marked


def test_exchange_published_twice_is_one_result_with_both_citations(client: TestClient) -> None:
    results = _search(client, q="proportion of black and minority officers", k=10)
    matches = [r for r in results if "3.2% proportion of black and minority officers" in r["text"]]
    assert len(matches) == 1
    documents = {matches[0]["citation"]["document"]} | {c["document"] for c in matches[0]["also_recorded_in"]}
    assert documents == {"corpus/001_599e6919896aaf77.txt", "corpus/002_a9d4d027fef12851.txt"}
    assert any(c["item"] == "45/22" for c in matches[0]["also_recorded_in"])


def test_date_filters(client: TestClient) -> None:
    results = _search(client, q="drugs", date_from="2022-01-01", date_to="2022-12-31", k=20)
    assert results and {r["citation"]["meeting_date"] for r in results} == {"2022-11-17"}
    typed = _search(client, q="drugs from:2022-01-01 to:2022-12-31", k=20)
    assert [r["id"] for r in typed] == [r["id"] for r in results]


def test_asker_filter_is_fuzzy_and_by_person(client: TestClient) -> None:
    for asker in ("Dhindsa", "Councillor Hardyal Dhindsa", "Cllr Dhinsda"):
        results = _search(client, q="officers", asker=asker, k=20)
        assert results and {r["citation"]["asker_key"] for r in results} == {"dhindsa-h"}, asker
    assert _search(client, q="officers", asker="Frudd", k=20)[0]["citation"]["asker"] == "Cllr J Frudd"


def test_kind_body_and_item_filters(client: TestClient) -> None:
    minutes = _search(client, q="custody", kind="minute", body="assurance board", k=5)
    assert minutes and all(r["kind"] == "minute" for r in minutes)
    assert minutes[0]["citation"]["item"] == "9A"
    item = _search(client, q="questions", item="45/22", k=10)
    assert item and {r["citation"]["item"] for r in item} == {"45/22"}
    assert _search(client, q="kind:minute item:43/22 burglary")[0]["citation"]["item"] == "43/22"


def test_only_filters_lists_newest_first(client: TestClient) -> None:
    results = _search(client, q="asker:Dhindsa", k=10)
    assert results and all(r["citation"]["asker_key"] == "dhindsa-h" for r in results)
    dates = [r["citation"]["meeting_date"] for r in _search(client, q="police", sort="newest", k=30)]
    assert dates == sorted(dates, reverse=True)
    dates = [r["citation"]["meeting_date"] for r in _search(client, q="police", sort="oldest", k=30)]
    assert dates == sorted(dates)


def test_phrase_and_exclusion(client: TestClient) -> None:
    results = _search(client, q='"Operation Halifax"', k=10)
    assert results and all("operation halifax" in r["text"].lower() for r in results)
    excluded = _search(client, q="Operation Halifax -mamba", k=10)
    assert all("mamba" not in r["text"].lower() for r in excluded)


def test_paging(client: TestClient) -> None:
    first = _search(client, q="grants", k=5)
    second = _search(client, q="grants", k=5, offset=5)
    assert len(first) == len(second) == 5
    assert not {r["id"] for r in first} & {r["id"] for r in second}


@pytest.mark.parametrize(
    "params",
    [
        {"q": "drugs", "date_from": "17/11/2022"},
        {"q": "drugs", "kind": "speech"},
        {"q": "drugs", "sort": "random"},
        {"q": "drugs", "mode": "magic"},
        {"q": "from:yesterday drugs"},
    ],
)
def test_bad_filters_get_422(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/search", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "filters",
    [
        Filters(body="assurance board"),
        Filters(date_from=dt.date(2021, 1, 1)),
        Filters(kinds=("answer",)),
        Filters(asker="Frudd"),
    ],
)
@pytest.mark.parametrize("retriever", ["records", "units"])
@pytest.mark.parametrize("side", ["lexical", "dense"])
def test_a_filter_scopes_retrieval_without_changing_the_ranking(
    corpus_searcher: Searcher, filters: Filters, side: str, retriever: str
) -> None:
    # Scoped inside each retriever (records and units, lexical and dense), a filtered run ranks exactly as the
    # whole run, filtered afterwards. (Fusion then normalises over the candidates each run returns.)
    generation = corpus_searcher.generation
    facets = generation.facets
    scope = resolve_scope(filters, facets)
    mask = facets.mask(scope)
    assert mask is not None and 0 < mask.sum() < len(mask)
    everything = resolve_scope(Filters(), facets)
    depth = corpus_searcher.count
    for query in ("police and crime plan budget", "drugs", "rural crime"):
        if side == "lexical":
            index = generation.lexical if retriever == "records" else generation.unit_lexical
            assert index is not None
            terms = parse_query(query).terms
            whole = best_per_record(index.search(terms, depth * UNITS_PER_RECORD, everything), depth)
            scoped = best_per_record(index.search(terms, 10 * UNITS_PER_RECORD, scope), 10)
        else:
            vectors = generation.passages if retriever == "records" else generation.units
            assert vectors is not None
            vector = corpus_searcher.embedder.encode_query(query)
            whole = corpus_searcher.dense(vector, depth, facets.mask(everything), vectors)
            scoped = corpus_searcher.dense(vector, 10, mask, vectors)
        expected = [(o, s) for o, s in whole if mask[o]][:10]
        _same_ranking(scoped, expected)


def _same_ranking(run: list[tuple[int, float]], expected: list[tuple[int, float]]) -> None:
    """The same scores rank by rank, and the same records above the last score (records with the same text,
    an exchange and its answer, tie; the exact and the FAISS scores of a vector differ in the sixth digit)."""
    assert len(run) == len(expected)
    if not expected:
        return
    assert all(abs(a - b) < 1e-4 for (_, a), (_, b) in zip(run, expected, strict=True))
    last = expected[-1][1] + 1e-4
    assert {o for o, s in run if s > last} == {o for o, s in expected if s > last}


def test_depth_follows_k_not_the_corpus(corpus_searcher: Searcher, monkeypatch: pytest.MonkeyPatch) -> None:
    depths: list[int] = []
    lexical = corpus_searcher.generation.lexical
    original = lexical.search

    def spy(terms: list[str], k: int, *args: object, **kwargs: object) -> list[tuple[int, float]]:
        depths.append(k)
        return original(terms, k, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lexical, "search", spy)
    corpus_searcher.search("drugs", k=10)
    corpus_searcher.search("drugs", k=10, filters=Filters(body="panel"), sort="newest")
    corpus_searcher.search("drugs", k=20, offset=100)
    assert depths == [100, 100, 240]
