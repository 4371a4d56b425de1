"""A figure's history: figures on one subject by meeting date, quoted and cited, drawn as an SVG chart."""

from __future__ import annotations

import re
import shutil
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from indexer.encode.embed import Embedder
from indexer.index.build import build_index
from indexer.records import Citation, Location
from search_api.app import create_app
from search_api.browse import View
from search_api.chart import svg_chart
from search_api.entry import SearchRequest
from search_api.figures import find_figures
from search_api.history import FigureHistory, HistoryPoint, figure_history
from search_api.retrieval import Searcher
from search_api.settings import Settings

from .conftest import RESOURCES

BAME = "proportion of black and minority ethnic officers"
SVG = "{http://www.w3.org/2000/svg}"
CALLS = "proportion of 101 calls answered within three minutes"


@pytest.fixture(scope="module")
def corpus_view(corpus_searcher: Searcher) -> View:
    return View(corpus_searcher, include_restricted=False)


@pytest.fixture(scope="module")
def calls_view(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> View:
    """Five Westshire papers: three minutes a year apart, a report of the 2022 meeting, an undated briefing."""
    root = tmp_path_factory.mktemp("figure_history")
    shutil.copytree(RESOURCES / "figure_history", root / "corpus")
    build_index([root / "corpus"], root / "index", embedder, root=root, cache_path=root / "cache.sqlite")
    return View(Searcher(root / "index", embedder), include_restricted=False)


@pytest.fixture(scope="module")
def client(corpus_searcher: Searcher) -> TestClient:
    return TestClient(create_app(Settings(index_dir=corpus_searcher.index_dir), searcher=corpus_searcher))


def _history(view: View, query: str, k: int = 10) -> FigureHistory | None:
    return figure_history(view, query, view.answer(SearchRequest(query, k=k)).hits)


def test_the_bame_history_is_the_2019_and_2022_figures_in_date_order(corpus_view: View) -> None:
    history = _history(corpus_view, BAME)
    assert history is not None and history.kind == "%"
    assert [(p.date, p.shown) for p in history.points] == [("2019-05-20", "4.15%"), ("2022-11-17", "3.2%")]
    first, second = history.points
    # Each point quotes its own sentence and cites its own record.
    assert "BAME representation" in first.sentence and "4.15%" in first.sentence
    assert first.citation.reference == "para 2.7" and first.citation.item == "10A"
    assert "proportion of black and minority officers was 3.2%" in second.sentence
    assert second.citation.reference == "Question 2" and second.citation.meeting_date == "2022-11-17"
    # The same question was minuted too: one point, the minutes noted as another place it stands.
    assert any("minute 45/22" in c.label for c in second.also_cited)
    assert corpus_view.get(first.record_id) is not None and corpus_view.get(second.record_id) is not None
    # Figures on other subjects in the same records are not the history's: female officers, the census.
    assert not {"48%", "39%", "6.7%", "0.27%"} & {p.shown for p in history.points}


def test_a_query_whose_results_state_no_comparable_figures_has_no_history(corpus_view: View) -> None:
    assert _history(corpus_view, "will an officer visit every burgled home?") is None
    # One dated figure is not a history: 7.6 seconds stands only in the 2019 pack.
    assert _history(corpus_view, "999 answer time") is None


def test_a_terse_clause_that_points_back_is_read_with_the_words_before_it() -> None:
    text = (
        "Derbyshire Constabulary has seen little change in BAME representation over the past 3 years; overall, "
        "this has decreased by 0.27% to 4.15% overall – Derbyshire as a whole has a BAME population of 6.7%."
    )
    figures = {f.text: f for f in find_figures(text)}
    assert "BAME representation" in figures["4.15%"].subject and not figures["4.15%"].change
    assert figures["0.27%"].change  # "decreased by 0.27%" is a change, not a level
    assert figures["6.7%"].subject == figures["6.7%"].context == "Derbyshire as a whole has a BAME population of 6.7%."
    # A clause of many words that opens by pointing back ("this") still borrows what it points back to.
    (pointing,) = find_figures(
        "Recruitment of women officers was discussed; this reached 41% of the year's new constables intake."
    )
    assert pointing.context.startswith("this reached 41%") and "women officers" in pointing.subject


def test_the_fixture_minutes_give_one_point_a_meeting_and_list_the_undated_one(calls_view: View) -> None:
    history = _history(calls_view, CALLS)
    assert history is not None
    assert [(p.date, p.shown) for p in history.points] == [
        ("2021-06-10", "71%"),
        ("2022-06-09", "64%"),
        ("2023-06-08", "78%"),
    ]
    # The 2022 figure stands in the minutes and in the written report: one point, the other cited with it.
    (in_2022,) = [p for p in history.points if p.date == "2022-06-09"]
    assert len(in_2022.also_cited) == 1
    assert {in_2022.citation.document, in_2022.also_cited[0].document} == {
        "corpus/westshire_2022-06-09.txt",
        "corpus/westshire_report_2022-06-09.txt",
    }
    # The briefing gives no meeting date: listed, never dated or drawn.
    assert [(p.shown, p.date) for p in history.undated] == [("55%", None)]
    # Other percentages of the same meetings are on other subjects.
    assert not {"35%", "52%", "12%"} & {p.shown for p in history.points + history.undated}


def _point(value: float, shown: str, date: str | None, sentence: str) -> HistoryPoint:
    citation = Citation(
        body="Westshire <Panel>",
        meeting_date=date,
        item="21",
        reference=None,
        asker=None,
        asker_key=None,
        responder=None,
        document="corpus/x.txt",
        location=Location(lines=(1, 2)),
        label=f"Westshire, {date}",
    )
    return HistoryPoint(value, shown, "%", sentence, citation, "0123456789abcdef", 0.9)


def test_the_svg_is_valid_xml_with_its_values_as_text_and_a_title_and_desc() -> None:
    points = [
        _point(71.0, "71%", "2021-06-10", "a"),
        _point(64.0, "64%", "2022-06-09", "b"),
        _point(78.0, "78%", "2023-06-08", "c"),
    ]
    svg = svg_chart(points, 'Figures on "calls" <answered> & more', "calls")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("viewBox") == "0 0 480 220"
    assert root.get("aria-labelledby") == "calls-title calls-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "calls-title"
    assert title.text == 'Figures on "calls" <answered> & more'  # escaped in the markup, whole in the text
    assert desc is not None and desc.text == "71% on 10 June 2021; 64% on 9 June 2022; 78% on 8 June 2023."
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"71%", "64%", "78%", "10 June 2021", "8 June 2023", "per cent", "meeting date"} <= set(texts)
    assert len(root.findall(f"{SVG}circle")) == 3 and "<script" not in svg
    # Later meetings stand further right, and a higher figure higher up.
    xs = [float(c.get("cx") or 0) for c in root.findall(f"{SVG}circle")]
    ys = [float(c.get("cy") or 0) for c in root.findall(f"{SVG}circle")]
    assert xs == sorted(xs) and ys[2] < ys[0] < ys[1]


def test_the_search_page_shows_the_chart_and_the_figures_as_text(client: TestClient) -> None:
    page = client.get("/", params={"q": BAME}).text
    figure = page[page.index('<figure class="figure-history"') : page.index("</figure>")]
    svg = figure[figure.index("<svg") : figure.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title") is not None and "4.15%" in (root.findtext(f"{SVG}desc") or "")
    listed = figure[figure.index('<ol class="history-points">') :]
    assert re.search(r"4\.15%.*20 May 2019.*3\.2%.*17 November 2022", listed, re.S)
    links = re.findall(r'<a href="/record/(\w+)">([^<]+)</a>', listed)
    assert [label for _, label in links] == [
        "Strategic Priorities Assurance Board, 20 May 2019, item 10A, para 2.7",
        "Derbyshire Police and Crime Panel, 17 November 2022, Question 2",
    ]
    assert all(client.get(f"/record/{record_id}").status_code == 200 for record_id, _ in links)
    assert "<figure" not in client.get("/", params={"q": "will an officer visit every burgled home?"}).text


def test_the_drafting_check_shows_the_history_beside_a_differing_figure(client: TestClient) -> None:
    draft = {
        "question": "What proportion of officers are from black and minority ethnic backgrounds?",
        "response": "The proportion is 3.5%.",
    }
    page = client.post("/draft", data=draft).text
    difference = page[page.index('<div class="difference">') :]
    assert "Question 2: 3.2%" in difference
    figure = difference[difference.index('<figure class="figure-history"') : difference.index("</figure>")]
    ET.fromstring(figure[figure.index("<svg") : figure.index("</svg>") + len("</svg>")])
    assert re.search(r"4\.15%.*20 May 2019.*3\.2%.*17 November 2022", figure, re.S)
    assert "Derbyshire Police and Crime Panel, 17 November 2022, Question 2</a>" in figure


def test_the_history_is_in_the_json_api(client: TestClient) -> None:
    body = client.get("/figures/history", params={"q": BAME}).json()
    points = body["history"]["points"]
    assert [(p["meeting_date"], p["shown"]) for p in points] == [("2019-05-20", "4.15%"), ("2022-11-17", "3.2%")]
    assert points[1]["citation"]["reference"] == "Question 2"
    assert client.get("/figures/history", params={"q": "999 answer time"}).json()["history"] is None
    assert client.get("/figures/history", params={"q": " "}).status_code == 422
