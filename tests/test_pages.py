"""The web pages, served by TestClient: escaping, links, filters, exports, the drafting check."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from indexer.encode.embed import Embedder
from indexer.index.build import build_index
from search_api.app import create_app
from search_api.retrieval import Searcher
from search_api.settings import Settings
from search_api.templating import emphasis

from .conftest import FIXTURE_CORPUS

HOSTILE = """WESTSHIRE POLICE AND CRIME PANEL

REPORT OF THE POLICE AND CRIME COMMISSIONER FOR WESTSHIRE

DATE: 2nd February 2023

Question 1: from Cllr Q Mallory

Why does the website show <script>alert('owned')</script> and &lt;b&gt;bold&lt;/b&gt; text about speed cameras?

Response

The web team removed the <script>document.cookie</script> snippet about speed cameras in January.
"""


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> TestClient:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURE_CORPUS, root / "corpus")
    (root / "corpus" / "hostile.txt").write_text(HOSTILE)
    build_index([root / "corpus"], root / "index", embedder, root=root, cache_path=root / "cache.sqlite")
    searcher = Searcher(root / "index", embedder)
    return TestClient(create_app(Settings(index_dir=root / "index"), searcher=searcher))


@pytest.fixture(scope="module")
def client(corpus_searcher: Searcher) -> TestClient:
    settings = Settings(index_dir=corpus_searcher.index_dir)
    return TestClient(create_app(settings, searcher=corpus_searcher))


def test_markup_from_documents_is_shown_as_text(hostile_client: TestClient) -> None:
    page = hostile_client.get("/", params={"q": "website script speed cameras"}).text
    page = page.replace("<mark>", "").replace("</mark>", "")  # the query's words are marked up
    assert "<script>alert" not in page and "<script>document.cookie" not in page
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
    record_id = hostile_client.get("/search", params={"q": "website script speed cameras"}).json()["results"][0]["id"]
    record_page = hostile_client.get(f"/record/{record_id}").text.replace("<mark>", "").replace("</mark>", "")
    assert "&lt;script&gt;document.cookie&lt;/script&gt;" in record_page
    assert "<script>document.cookie" not in record_page
    document = hostile_client.get("/documents/corpus/hostile.txt", params={"lines": "7-9"}).text
    assert "&lt;script&gt;alert" in document and "<script>alert" not in document


def test_search_page_shows_results_with_citations_and_links(client: TestClient) -> None:
    response = client.get("/", params={"q": "will an officer visit every burgled home?"})
    assert response.status_code == 200
    page = response.text
    assert "Derbyshire Police and Crime Panel, 17 November 2022, minute 43/22" in page
    assert "<mark>" in page
    assert 'href="/meetings/2022-11-17?body=Derbyshire+Police+and+Crime+Panel"' in page
    assert 'href="/export.csv?q=will+an+officer+visit+every+burgled+home%3F"' in page
    assert '<label for="q">' in page and 'name="viewport"' in page


def test_exchange_result_shows_question_and_answer(client: TestClient) -> None:
    page = client.get("/", params={"q": "decriminalisation of drugs"}).text
    question = page.index("<strong>Question:</strong> Several years ago the Government abandoned plans")
    answer = page.index("<strong>Answer:</strong> The use of <mark>drugs</mark>")
    assert question < answer and "<mark>" in page[question:answer]
    assert 'href="/people/frudd-j"' in page


def test_filters_and_paging_on_the_page(client: TestClient) -> None:
    page = client.get("/", params={"q": "officers", "asker": "dhindsa-h", "date_from": "2022-01-01"}).text
    assert page.count('class="result"') >= 1
    assert "10 September 2020" not in page and "20 May 2019" not in page
    first = client.get("/", params={"q": "grants"}).text
    assert 'rel="next"' in first and "offset=10" in first
    bad = client.get("/", params={"q": "grants", "date_from": "31/12/2022"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text


def test_record_page_has_whole_exchange_and_every_citation(client: TestClient) -> None:
    hits = client.get("/search", params={"q": "combating drugs partnership strategy harm to hope", "k": 5}).json()
    exchange = next(
        r for r in hits["results"] if r["kind"] == "exchange" and r["citation"]["reference"] == "Question 1"
    )
    page = client.get(f"/record/{exchange['id']}").text
    assert "Question from" in page and "Answer" in page
    assert page.count("Copy citation") >= 3  # the question, the answer, the exchange and its other publication
    assert "Supplementary exchanges" in page and "where this funding will come from" in page
    assert "/documents/corpus/001_599e6919896aaf77.txt?lines=" in page
    assert "/documents/corpus/002_a9d4d027fef12851.txt?lines=" in page


def test_document_view_marks_cited_lines_and_refuses_other_paths(client: TestClient) -> None:
    page = client.get("/documents/corpus/000_47ef9738533878f9.txt", params={"lines": "22-34"}).text
    assert page.count('class="line cited') == 13
    assert 'id="L22"' in page
    # The running header inside the cited lines is shown, greyed as debris that no record quotes.
    assert (
        '<span class="line cited debris" id="L32"><span class="n">32</span><span class="t">Agenda Item 5</span></span>'
        in page
    )
    # The reader's emphasis is rendered, never shown as `**` markup, and the line keeps its number.
    assert '<span class="n">3</span><span class="t">POLICE AND CRIME PANEL <strong>10th September 2020</strong>' in page
    assert "**" not in page
    for path in [
        "/documents/../README.md",
        "/documents/corpus/../pyproject.toml",
        "/documents/%2e%2e/pyproject.toml",
        "/documents/etc/passwd",
        "/documents/corpus/manifest.toml",
    ]:
        assert client.get(path).status_code == 404, path
    assert client.get("/documents/corpus/000_47ef9738533878f9.txt", params={"lines": "x"}).status_code == 422


def test_document_emphasis_is_rendered_not_shown() -> None:
    assert emphasis("**Question 2: from Cllr H Dhindsa**") == [("Question 2: from Cllr H Dhindsa", True, False)]
    assert emphasis("***In response***, *noted*") == [
        ("In response", True, True),
        (", ", False, False),
        ("noted", False, True),
    ]
    # Runs written hard together read as words; stray markers (a footnote's `**`) go; a lone `*` stays.
    assert "".join(t for t, _, _ in emphasis("PANEL**10th May****REPORT**")) == "PANEL 10th May REPORT"
    assert emphasis("37%**") == [("37%", False, False)] and emphasis("2 * 3 * 4") == [("2 * 3 * 4", False, False)]


def test_meeting_and_person_pages(client: TestClient) -> None:
    meeting = client.get("/meetings/2019-03-18", params={"body": "Strategic Priorities Assurance Board"}).text
    assert meeting.index("item 3A") < meeting.index("item 9A") < meeting.index("item 13A")
    records, _, undertakings = meeting.partition('id="undertakings"')
    assert "20 May 2019" not in records  # the meeting's own records; its undertakings may point to later ones
    assert "Mr Dale will provide the PCC" in undertakings
    person = client.get("/people/dhindsa-h").text
    assert "Questions asked by Cllr H Dhindsa" in person
    assert person.count('class="result"') >= 3
    assert client.get("/people/nobody-x").status_code == 404
    assert client.get("/meetings/17-11-2022").status_code == 422


def test_exports(client: TestClient) -> None:
    response = client.get("/export.csv", params={"q": "burglary"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:3] == ["id", "kind", "meeting_date"]
    assert any(row[2] == "2022-11-17" and "minute 43/22" in row[7] for row in rows[1:])
    data = client.get("/export.json", params={"q": "burglary"}).json()
    assert data["count"] == len(data["results"]) > 0
    feed = ET.fromstring(client.get("/feed.atom", params={"q": "burglary"}).content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert entries
    updated = [e.find("a:updated", ns).text for e in entries]  # type: ignore[union-attr]
    assert updated == sorted(updated, reverse=True)


def test_drafting_check_reports_a_changed_figure(client: TestClient) -> None:
    draft = {
        "question": "What proportion of Derbyshire officers are from black and minority ethnic groups?",
        "response": "Black and minority ethnic officers are 3.5% of the force.",
    }
    body = client.post("/draft-check", json=draft).json()
    assert body["similar"] and body["similar"][0]["citation"]["meeting_date"] == "2022-11-17"
    changed = [d for d in body["differences"] if d["draft"]["figure"] == "3.5%"]
    assert changed and changed[0]["past"]["figure"] == "3.2%"
    assert changed[0]["citation"]["reference"] == "Question 2"
    assert "3.2%" in changed[0]["past"]["sentence"]
    page = client.post("/draft", data=draft).text
    assert "draft: 3.5%" in page and "Question 2: 3.2%" in page
    assert client.post("/draft-check", json={"question": ""}).status_code == 422
    assert client.post("/draft", data={"question": " "}).status_code == 422


def test_a_terse_response_is_read_with_its_question(client: TestClient) -> None:
    # "The proportion is 3.5%." says nothing of what the proportion is of; the question does.
    draft = {
        "question": "What proportion of officers are from black and minority ethnic backgrounds?",
        "response": "The proportion is 3.5%.",
    }
    body = client.post("/draft-check", json=draft).json()
    changed = [d for d in body["differences"] if d["draft"]["figure"] == "3.5%"]
    assert changed and changed[0]["past"]["figure"] == "3.2%"
    assert (
        changed[0]["citation"]["meeting_date"] == "2022-11-17" and changed[0]["citation"]["reference"] == "Question 2"
    )
    # Beside it, how the figure moved: the 2019 and the 2022 figures, oldest first, each cited.
    points = changed[0]["history"]["points"]
    assert [(p["meeting_date"], p["shown"]) for p in points] == [("2019-05-20", "4.15%"), ("2022-11-17", "3.2%")]
    assert all(p["citation"]["label"] for p in points)


def test_a_terse_figure_borrows_only_the_questions_words() -> None:
    from search_api.figures import find_figures, with_subject

    terse, full = with_subject(
        find_figures("The proportion is 3.5%. Overtime cost £1.2m across the force."), "BAME officers?"
    )
    assert terse.context.startswith("BAME officers?") and full.context == "Overtime cost £1.2m across the force."


def test_a_draft_with_the_same_figures_reports_no_difference(client: TestClient) -> None:
    draft = {"question": "BAME officers?", "response": "The proportion of black and minority officers was 3.2%."}
    body = client.post("/draft-check", json=draft).json()
    assert [d for d in body["differences"] if d["draft"]["figure"] == "3.2%"] == []


def test_figures_are_found_and_typed() -> None:
    from search_api.figures import find_figures

    figures = {
        (f.kind, f.value)
        for f in find_figures("Savings of £195k and £1.2m; 88 arrests; 3.75% of 493 officers in 2019.")
    }
    assert {("£", 195000.0), ("£", 1200000.0), ("arrest", 88.0), ("%", 3.75), ("officer", 493.0)} <= figures
    assert not any(kind == "in" or value == 2019 for kind, value in figures)


def test_pages_are_sharable_urls(client: TestClient, tmp_path: Path) -> None:
    first = client.get("/", params={"q": "grants", "sort": "newest"}).text
    again = client.get("/?q=grants&sort=newest").text
    assert first == again


def test_results_over_time_link_each_year_to_its_own_search(client: TestClient) -> None:
    import re as regex

    page = client.get("/", params={"q": "grants for community groups"}).text
    assert 'aria-label="Results over time"' in page
    # The bars and the page come from one search: the page still lists exactly what /search returns.
    listed = regex.findall(r'<h2><a href="/record/(\w+)">', page)
    api = client.get("/search", params={"q": "grants for community groups", "k": 10}).json()["results"]
    assert listed == [r["id"] for r in api]
    links = dict(regex.findall(r'<li><a href="(/\?[^"]+)">.*?<span class="year">(\d{4})</span>', page))
    years = {year: href for href, year in links.items()}
    assert {"2019", "2020"} <= set(years)
    # Each bar is the same search in its year: every result it gives was met in that year.
    year_page = client.get(years["2019"].replace("&amp;", "&")).text
    assert "date_from" in years["2019"] and "2019-12-31" in years["2019"]
    years_shown = regex.findall(r'<a class="date" href="/meetings/(\d{4})-\d{2}-\d{2}', year_page)
    assert years_shown and set(years_shown) == {"2019"}
