"""Query analysis: British and American spellings, the glossary, typos and questions, on units and the corpus."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from indexer.analysis import british, compound_base, expansions, glossary, is_english_word, word_variants
from search_api.app import create_app
from search_api.query import asks_question, parse_query
from search_api.retrieval import Searcher
from search_api.settings import Settings


@pytest.mark.parametrize(
    ("american", "expected"),
    [
        ("decriminalization", "decriminalisation"),
        ("organizations", "organisations"),
        ("prioritized", "prioritised"),
        ("analyze", "analyse"),
        ("behavior", "behaviour"),
        ("neighborhood", "neighbourhood"),
        ("program", "programme"),
        ("license", "licence"),
        ("center", "centre"),
        ("catalog", "catalogue"),
    ],
)
def test_american_spellings_fold_to_british(american: str, expected: str) -> None:
    assert british(american) == expected


@pytest.mark.parametrize("word", ["size", "prize", "dog", "log", "police", "citizen", "motor", "crime", "hour"])
def test_words_that_only_look_american_stay(word: str) -> None:
    assert british(word) == word


def test_text_written_the_american_way_is_indexed_with_british_forms_too() -> None:
    assert set(word_variants("The program will prioritize neighborhood policing").split()) >= {
        "programme",
        "prioritise",
        "neighbourhood",
    }


def test_glossary_groups_are_sourced_and_apart() -> None:
    seen: dict[str, int] = {}
    for n, group in enumerate(glossary()):
        assert group.kind in ("acronym", "synonym") and group.source.strip(), group
        assert len(group.forms) >= 2, group
        for form in group.forms:
            assert form == form.lower() and form not in seen, (form, group)
            seen[form] = n


def test_glossary_expands_acronyms_and_synonyms_both_ways() -> None:
    found = {e.typed: e for e in expansions("what about PCSOs and anti-social behaviour in the pandemic")}
    assert "police community support officers" in found["pcsos"].forms and found["pcsos"].kind == "acronym"
    assert "asb" in found["anti-social behaviour"].forms
    assert "covid-19" in found["pandemic"].forms and found["pandemic"].kind == "synonym"
    assert not expansions("the plan was agreed")


def test_questions_are_recognised() -> None:
    assert asks_question("Will the pandemic mean the Commissioner cuts back the community grants?")
    assert asks_question("what did the PCC say about drugs")
    assert asks_question("how many officers")
    assert not asks_question("community grants covid")


def test_english_words_are_not_typos() -> None:
    assert is_english_word("pots") and is_english_word("drunk") and is_english_word("organization")
    assert not is_english_word("precpet") and not is_english_word("misogny")


def _top(searcher: Searcher, query: str, **options: object) -> str:
    hits = searcher.search(query, k=1, **options)  # type: ignore[arg-type]
    assert hits, query
    return hits[0].record.id


@pytest.mark.parametrize(
    ("typed", "british_form"),
    [
        ("decriminalization of drugs", "decriminalisation of drugs"),
        ("decriminalisaton of drugs", "decriminalisation of drugs"),
        ("misogny in the police", "misogyny in the police"),
    ],
)
def test_spellings_and_typos_find_what_the_british_form_finds(
    corpus_searcher: Searcher, typed: str, british_form: str
) -> None:
    assert _top(corpus_searcher, typed) == _top(corpus_searcher, british_form)


def test_a_typo_is_corrected_unless_exact(corpus_searcher: Searcher) -> None:
    analysed = corpus_searcher.analyse(parse_query("misogny in the police"))
    assert analysed.corrected == {"misogny": "misogyny"} and "misogyny" in analysed.text
    assert not corpus_searcher.analyse(parse_query("pots of cash")).corrected  # English words stand


def test_expanded_forms_find_the_abbreviated_text(corpus_searcher: Searcher) -> None:
    hits = corpus_searcher.search("police community support officers", k=10)
    assert any(re.search(r"\bPCSOs?\b", h.record.text) for h in hits)
    hits = corpus_searcher.search("pandemic", k=10)
    assert re.search(r"covid", hits[0].record.text, re.I)
    assert _top(corpus_searcher, "pandemic") == _top(corpus_searcher, "covid")


@pytest.mark.parametrize("query", ["road deaths", "RTC fatalities", "fatal collisions"])
def test_words_for_road_deaths_find_the_fatal_rtc_figures(corpus_searcher: Searcher, query: str) -> None:
    hits = corpus_searcher.search(query, k=5)
    assert any("Fatal RTC" in h.record.text for h in hits), [h.record.text[:60] for h in hits]


def test_bme_and_bame_are_one_subject(corpus_searcher: Searcher) -> None:
    # Records that write the form typed come first; those that write another form follow within five.
    tops = [{h.record.id for h in corpus_searcher.search(q, k=5)} for q in ("BME", "BAME", "black and minority ethnic")]
    representation = [
        h.record.id for h in corpus_searcher.search("BAME", k=3) if "BAME representation" in h.record.text
    ]
    assert representation and all(representation[0] in top for top in tops)


def test_a_question_puts_the_past_answer_first(corpus_searcher: Searcher) -> None:
    question = "Will the pandemic mean the Commissioner cuts back the community grants?"
    asked = [h.record for h in corpus_searcher.search(question, k=10)]
    answer = next(r for r in asked if r.kind == "exchange" and "Covid" in r.text)
    # The past answer is among the first few: the board's grant reports share its words.
    assert asked.index(answer) < 5
    # The same words without the question rank it lower: a question favours the records that answer one.
    plain = [h.record.id for h in corpus_searcher.search("pandemic commissioner cuts community grants", k=10)]
    assert answer.id not in plain[: asked.index(answer) + 1]


def test_an_acronym_stands_for_its_words(corpus_searcher: Searcher) -> None:
    # Typed in full, the partnerships are found where the papers write only "CSP"; typed as "CSP",
    # the words typed still come first and the spelled-out form is found further down.
    hits = corpus_searcher.search("community safety partnerships", k=10, mode="lexical")
    assert any(re.search(r"\bCSPs?\b", h.record.text) and "afety Partnership" not in h.record.text for h in hits)
    hits = corpus_searcher.search("CSP", k=100, mode="lexical")
    assert re.search(r"\bCSPs?\b", hits[0].record.text)
    assert any("afety Partnership" in h.record.text and not re.search(r"\bCSPs?\b", h.record.text) for h in hits)


def test_compound_words_are_indexed_with_their_base() -> None:
    assert compound_base("microgrants") == "grants" and compound_base("cybercrime") == "crime"
    assert compound_base("minibus") is None and compound_base("substance") is None
    assert "grants" in word_variants("often it is smaller, microgrants, that count").split()


@pytest.fixture(scope="module")
def client(corpus_searcher: Searcher) -> TestClient:
    return TestClient(create_app(Settings(index_dir=corpus_searcher.index_dir), searcher=corpus_searcher))


def test_the_api_says_what_was_searched(client: TestClient) -> None:
    body = client.get("/search", params={"q": "misogny and PCSOs program"}).json()
    analysis = body["analysis"]
    assert analysis["corrected"] == {"misogny": "misogyny"}
    assert "programme" in analysis["spelled"]
    assert any(
        e["typed"] == "pcsos" and "police community support officers" in e["forms"] for e in analysis["expanded"]
    )
    exact = client.get("/search", params={"q": "misogny and PCSOs program", "exact": True}).json()
    assert exact["analysis"]["corrected"] == {}


def test_the_page_shows_the_correction_and_a_link_to_the_words_typed(client: TestClient) -> None:
    page = client.get("/", params={"q": "misogny in the police"}).text
    assert "Showing results for" in page and "misogyny in the police" in page
    assert "exact=True" in page
    exact = client.get("/", params={"q": "misogny in the police", "exact": "true"}).text
    assert "Showing results for" not in exact
