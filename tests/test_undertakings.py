"""Undertakings: read from answers, minutes and resolutions; linked to later records; listed, exported and filtered."""

from __future__ import annotations

import csv
import io
import shutil

import numpy as np
import pytest
from fastapi.testclient import TestClient

from evaluation.undertakings import TARGET, evaluate, found_in
from indexer.encode.embed import Embedder
from indexer.index.build import build_index
from indexer.reading.follow_ups import link_follow_ups
from indexer.reading.undertakings import find_undertakings, read_undertaking, role_of
from indexer.records import Citation, Location, Record, Undertaking
from search_api.app import create_app
from search_api.retrieval import Searcher
from search_api.settings import Settings

from .conftest import REPO, RESOURCES

UNDERTAKINGS = RESOURCES / "undertakings"
REALDOCS = REPO.parent / "shared" / "realdocs-dev"
TOKEN = "u-s3cret"


@pytest.mark.parametrize(
    ("sentence", "who", "role"),
    [
        ("The DPCC was not aware of the cases, however, offered to look at them after the meeting.", "DPCC", "Deputy"),
        ("The Commissioner advised that she would write to Councillor Hale about the closure.", "Commissioner", "PCC"),
        ("Mr Ortiz will provide the Board with an update on the custody contract.", "Mr Ortiz", "officer"),
        ("ACTION: PCC to write to the Home Office about protest costs.", "PCC", "PCC"),
        ("The Panel agreed that the Chair would respond to the consultation on its behalf.", "Panel", "Panel"),
        ("It was agreed that figures would be provided on how many calls had been diverted.", None, None),
        ("RESOLVED that a report on the rural crime partnership be brought to the next meeting.", "Panel", "Panel"),
        ("The Head of Performance and Governance agreed to circulate the figures to the Panel.",
         "Head of Performance and Governance", "officer"),
    ],
)  # fmt: skip
def test_the_ways_minutes_write_an_undertaking(sentence: str, who: str | None, role: str | None) -> None:
    found = read_undertaking(sentence, responder="Commissioner")
    assert found is not None, sentence
    assert found.undertaker == who and role_of(found.undertaker) == role


@pytest.mark.parametrize(
    "sentence",
    [
        "The Commissioner said that she would not fund a second custody suite.",  # refused
        "She always ensured that she scrutinised the event afterwards.",  # a habit
        "The Panel would consider the precept proposal at its meeting on 4 February.",  # the Panel's own business
        "The minutes of the meeting held on 2 March were agreed as a correct record.",  # routine
        "The PCC explained that the force had to ensure officers were kept safe.",  # no promise made
    ],
)
def test_what_is_not_an_undertaking(sentence: str) -> None:
    assert read_undertaking(sentence) is None


def test_a_pronoun_is_read_back_to_whoever_spoke() -> None:
    found = read_undertaking(
        "He added that the fund was open to parish councils and he would send details to Cllr Bell.", before=""
    )
    assert found is not None and found.undertaker is None  # no speaker named anywhere: not guessed
    named = read_undertaking(
        "He added that he would send details to Cllr Bell.", before="The PCC responded that he shared the concerns."
    )
    assert named is not None and named.undertaker == "PCC" and named.for_whom == "Cllr Bell"


def test_a_date_named_for_it_is_kept_as_written() -> None:
    found = read_undertaking("The Commissioner agreed to provide the Panel with a summary before the next meeting.")
    assert found is not None and found.due == "before the next meeting" and found.for_whom == "the Panel"


def test_a_question_recalling_a_promise_is_not_one() -> None:
    question = Record(
        "q1", "question", "Last year the Panel agreed that a further draft should be brought to this meeting.",
        Citation("Panel", "2023-01-01", "5", "Question 1", None, None, None, "d.txt", Location((1, 1)), "Panel, Q1"),
    )  # fmt: skip
    assert [r.kind for r in find_undertakings([question])] == ["question"]


def test_the_bundled_corpus_board_minutes() -> None:
    name = "corpus/004_493deb871b5b5d45.txt"
    found = found_in(REPO / name, name)
    dale = next(r for r in found if "Mr Dale will provide" in r.text)
    assert dale.undertaking is not None and dale.undertaking.role == "officer"
    assert dale.citation.location.lines == (201, 201) and dale.citation.meeting_date == "2019-03-18"
    assert ", undertaking" in dale.citation.label and dale.parent_id
    assert any("To receive an update report on Crime Data" in r.text for r in found)  # the action log


def test_precision_and_recall_against_the_labelled_set() -> None:
    scores, absent = evaluate(REALDOCS)
    corpus = scores["bundled corpus"]
    assert corpus.precision >= TARGET and corpus.recall >= TARGET, corpus.misses + corpus.extra
    fixtures = scores["our fixtures"]
    assert fixtures.precision >= TARGET and fixtures.recall >= TARGET
    if REALDOCS.exists():
        assert not absent and scores["real pages"].recall >= TARGET


def _undertaking(rid: str, date: str, access: str = "public") -> Record:
    c = Citation("Westmarch Panel", date, "1", None, None, None, None, "d.txt", Location((1, 1)), f"label {rid}")
    u = Undertaking("PCC", "PCC", "provide figures on diverted 101 calls", None, None)
    return Record(rid, "undertaking", "figures on diverted 101 calls", c, parent_id="src", undertaking=u)


def _minute(rid: str, date: str, access: str = "public", body: str = "Westmarch Panel") -> Record:
    c = Citation(body, date, "2", None, None, None, None, "e.txt", Location((1, 1)), f"label {rid}")
    return Record(rid, "minute", "4,180 diverted 101 calls", c, access=access)  # type: ignore[arg-type]


def test_follow_ups_are_later_same_body_visible_and_alike() -> None:
    records = [
        Record("src", "minute", "source", _undertaking("u", "2023-03-09").citation),
        _undertaking("u", "2023-03-09"),
        _minute("later", "2023-06-15"),
        _minute("earlier", "2023-01-10"),
        _minute("secret", "2023-06-15", access="restricted"),
        _minute("elsewhere", "2023-06-15", body="Eastmoor Panel"),
    ]
    vectors = np.tile(np.eye(1, 8, dtype=np.float32), (len(records), 1))  # all alike: only the rules decide
    shown = [r.id for r in records]
    linked = link_follow_ups(records, shown, list(range(len(records))), vectors)
    u = linked[1].undertaking
    assert u is not None and [f.record_id for f in u.followed_up_in] == ["later"]
    assert u.status == "possibly followed up"
    unlike = vectors.copy()
    unlike[2] = np.eye(1, 8, 3, dtype=np.float32)
    assert not link_follow_ups(records, shown, list(range(len(records))), unlike)[1].undertaking.followed_up_in  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> TestClient:
    root = tmp_path_factory.mktemp("undertakings")
    shutil.copytree(UNDERTAKINGS, root / "corpus")
    build_index([root / "corpus"], root / "index", embedder, root=root)
    settings = Settings(index_dir=root / "index", admin_token=TOKEN)
    return TestClient(create_app(settings, searcher=Searcher(root / "index", embedder)))


def test_an_undertaking_is_linked_to_the_later_meeting_that_answers_it(client: TestClient) -> None:
    data = client.get("/undertakings.json").json()
    by_text = {u["text"]: u for u in data["undertakings"]}
    figures = next(u for t, u in by_text.items() if "101 calls had been diverted" in t)
    assert (
        figures["citation"]["meeting_date"] == "2023-03-09" and figures["undertaking"]["due"] == "by the next meeting"
    )
    follow = figures["undertaking"]["followed_up_in"]
    assert [f["meeting_date"] for f in follow] == ["2023-06-15"] and "minute 24/23" in follow[0]["label"]
    letter = next(u for t, u in by_text.items() if "Councillor Achebe" in t)
    assert letter["undertaking"]["status"] == "no later mention"
    assert letter["undertaking"]["for_whom"] == "Councillor Achebe" and letter["undertaking"]["role"] == "PCC"


def test_the_list_filters_by_status_meeting_and_body(client: TestClient) -> None:
    followed = client.get("/undertakings.json", params={"status": "possibly followed up"}).json()
    assert followed["count"] >= 1 and all(
        u["undertaking"]["status"] == "possibly followed up" for u in followed["undertakings"]
    )
    none_later = client.get("/undertakings.json", params={"meeting": "2023-06-15"}).json()
    assert none_later["count"] == 0
    other = client.get("/undertakings.json", params={"body": "Eastmoor Police and Crime Panel"}).json()
    assert other["count"] == 0
    assert client.get("/undertakings", params={"status": "done"}).status_code == 422
    assert client.get("/undertakings.json", params={"meeting": "9 March"}).status_code == 422


def test_the_page_the_csv_and_the_meeting_page(client: TestClient) -> None:
    page = client.get("/undertakings")
    assert page.status_code == 200
    assert "Possibly followed up in" in page.text and "No later mention found." in page.text
    assert "9 March 2023" in page.text and "/undertakings.csv" in page.text
    rows = list(csv.DictReader(io.StringIO(client.get("/undertakings.csv").text)))
    assert {r["status"] for r in rows} == {"no later mention", "possibly followed up"}
    assert all(r["label"] and r["document"] and r["lines"] for r in rows)
    meeting = client.get("/meetings/2023-03-09")
    assert "Undertakings at this meeting" in meeting.text and "Councillor Achebe" in meeting.text
    record_id = rows[0]["id"]
    record = client.get(f"/record/{record_id}")
    assert record.status_code == 200 and "Undertaking" in record.text
    assert client.get(f"/records/{record_id}").json()["undertaking"]["status"] in {
        "no later mention",
        "possibly followed up",
    }


def test_what_is_done_at_the_meeting_and_the_facts_before_a_promise() -> None:
    # Business of the meeting itself is not a promise for after it.
    assert (
        read_undertaking("In support of this item, the Commissioner will deliver a presentation on burglary.") is None
    )
    # The time named is the promise's, not that of a fact stated before it.
    found = read_undertaking(
        "The Commissioner said that most reports were answered within a day, and agreed to look into the delayed cases."
    )
    assert found is not None and found.due is None
    dated = read_undertaking(
        "It was agreed that the PFCC would bring a report on ANPR to the Panel meeting on 7th December 2023."
    )
    assert dated is not None and dated.due == "meeting on 7th December 2023"


def test_the_page_reads_one_page_of_undertakings(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from search_api.routers import undertakings

    monkeypatch.setattr(undertakings, "PAGE_SIZE", 1)
    first = client.get("/undertakings").text
    assert first.count('class="result undertaking"') == 1 and "1–1 shown" in first and "offset=1" in first
    second = client.get("/undertakings", params={"offset": 1}).text
    assert second.count('class="result undertaking"') == 1 and 'start="2"' in second
    assert client.get("/undertakings.json").json()["count"] == 3  # the downloads hold every one
