"""Harvesting a ModernGov site: a stand-in of its web service on a free port (real HTTP), with faults.

The stand-in serves the three calls in their real shapes (`tests/resources/harvest/moderngov`), HTML
minutes per item, a PDF attachment with an ETag, and: a 503 then success, a timeout, malformed XML, a
404 attachment, an oversize attachment, an HTML page served as a PDF, a restricted item and documents,
a cancelled meeting and a council committee that is not the panel.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from evaluation.renderings import render_pdf
from indexer.encode.embed import Embedder
from indexer.harvest.fetch import FetchError, FetchSettings, PoliteClient
from indexer.harvest.harvester import HARVEST_DIR, Harvester, HarvestError, HarvestReport, choose_committee
from indexer.harvest.model import Committee
from indexer.harvest.moderngov import ModernGovSite
from indexer.harvest.state import STATE_FILE, HarvestState
from indexer.index.build import build_index
from indexer.index.generations import resolve
from indexer.index.manifest import STORE_FILE
from indexer.index.store import MetadataStore
from indexer.records import Record
from search_api.app import create_app
from search_api.browse import View
from search_api.mcp_server import _record as mcp_record
from search_api.retrieval import Searcher
from search_api.settings import Settings

from .conftest import REPO, RESOURCES

SERVICE = RESOURCES / "harvest" / "moderngov"
PANEL = "Staffordshire Police, Fire and Crime Panel"
REPORT_TEXT = """POLICE AND CRIME PLAN ANNUAL REPORT 2021/22

The Commissioner's annual report sets out progress against the four priorities of the Police and Crime Plan.

Neighbourhood policing teams were strengthened with forty additional officers placed in rural market towns during
the year, and the number of burglaries of homes fell by eleven per cent against the year before.
"""
# The stand-in's limits: a small cap, so the oversize attachment is refused without sending megabytes.
MAX_BYTES = 200_000
TIMEOUT = 1.0


class StandIn:
    """A council's ModernGov site: the web service, its documents and robots.txt, with faults; logs every request."""

    def __init__(self, server: HTTPServer, pdf: bytes) -> None:
        self.server = server
        self.base = server.url_for("").rstrip("/")
        self.pdf = pdf
        self.requests: list[str] = []
        self.bodies: Counter[str] = Counter()  # full bodies sent, by path
        self.not_modified: Counter[str] = Counter()
        self.meeting_calls: Counter[str] = Counter()
        self.slow = False  # hold the PDF's answer until `released`
        self.reached = threading.Event()
        self.released = threading.Event()
        self.user_agents: set[str] = set()
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    def _xml(self, name: str) -> Response:
        text = (SERVICE / name).read_text(encoding="utf-8").replace("{base}", self.base)
        return Response(text, content_type="text/xml; charset=utf-8")

    def handle(self, request: Request) -> Response:
        path, args = request.path, request.args
        self.requests.append(request.full_path)
        self.user_agents.add(request.headers.get("User-Agent", ""))
        if path == "/robots.txt":
            return Response("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        if path == "/mgWebService.asmx/GetCommittees":
            return self._xml("GetCommittees.xml")
        if path == "/mgWebService.asmx/GetMeetings":
            assert re.fullmatch(r"\d\d/\d\d/\d{4}", args.get("sFromDate", "")), "dates go as dd/mm/yyyy"
            return self._xml(f"GetMeetings-{args['lCommitteeId']}.xml")
        if path == "/mgWebService.asmx/GetMeeting":
            mid = args["lMeetingId"]
            self.meeting_calls[mid] += 1
            if mid == "7002" and self.meeting_calls[mid] == 1:
                return Response("busy", status=503, headers={"Retry-After": "0"})
            if mid == "7004":
                return self._xml("GetMeeting-7004-malformed.xml")
            if mid == "7005":
                time.sleep(TIMEOUT + 0.3)
                return Response("too late", content_type="text/xml")
            return self._xml(f"GetMeeting-{mid}.xml")
        if path.startswith("/documents/s5001/"):
            if self.slow:
                self.reached.set()
                self.released.wait(60)
            if request.headers.get("If-None-Match") == '"s5001-v1"':
                self.not_modified[path] += 1
                return Response(status=304, headers={"ETag": '"s5001-v1"'})
            self.bodies[path] += 1
            return Response(self.pdf, content_type="application/pdf", headers={"ETag": '"s5001-v1"'})
        if path.startswith("/documents/s5005/"):
            return Response(b"%PDF-1.4\n" + b"0" * (MAX_BYTES + 10), content_type="application/pdf")
        if path == "/mgConvert2PDF.aspx":
            page = "<html><head><title>Error</title></head><body>Sorry, the document could not be found.</body></html>"
            return Response(page, content_type="application/pdf")
        return Response("Not found", status=404)


@pytest.fixture
def site(httpserver: HTTPServer) -> StandIn:
    """The stand-in site, with a PDF report as attachment 5001."""
    return StandIn(httpserver, render_pdf(REPORT_TEXT).data)


def _client() -> PoliteClient:
    return PoliteClient(
        FetchSettings(
            contact="panel-support@example.org",
            min_interval=0,
            timeout=TIMEOUT,
            retries=1,
            backoff=0.01,
            max_bytes=MAX_BYTES,
        )
    )


def _harvest(site: StandIn, index_dir: Path, committee: str = "134") -> HarvestReport:
    state = HarvestState(index_dir / STATE_FILE)
    try:
        with _client() as client:
            harvester = Harvester(index_dir, client, state)
            return harvester.harvest(
                ModernGovSite(site.base, client), committee, dt.date(2022, 9, 1), dt.date(2023, 7, 31)
            )
    finally:
        state.close()


def _records(index_dir: Path) -> list[Record]:
    store = MetadataStore(resolve(index_dir) / STORE_FILE)
    try:
        return [record for _, record, _ in store.load_all()]
    finally:
        store.close()


@pytest.fixture(scope="module")
def harvested(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> dict[str, object]:
    """One harvest of the stand-in, built into an index, then a second harvest of it (module-wide: builds are slow)."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        site = StandIn(server, render_pdf(REPORT_TEXT).data)
        root = tmp_path_factory.mktemp("harvest")
        index_dir = root / "index"
        first = _harvest(site, index_dir)
        build_index([index_dir / HARVEST_DIR], index_dir, embedder, root=root)
        records = _records(index_dir)
        bodies_after_first = sum(site.bodies.values())
        calls_after_first = Counter(site.meeting_calls)
        requests_after_first = len(site.requests)
        second = _harvest(site, index_dir)
        rebuilt = build_index([index_dir / HARVEST_DIR], index_dir, embedder, root=root)
        return {
            "site": site,
            "first": first,
            "second": second,
            "records": records,
            "index_dir": index_dir,
            "calls_after_first": calls_after_first,
            "second_requests": site.requests[requests_after_first:],
            "second_bodies": sum(site.bodies.values()) - bodies_after_first,
            "rebuilt": rebuilt,
        }
    finally:
        server.clear()
        server.stop()


def _exchange(records: list[Record], needle: str) -> Record:
    found = [r for r in records if r.kind == "exchange" and needle in r.text]
    assert len(found) == 1, [r.text[:80] for r in records if needle in r.text]
    return found[0]


def test_a_members_exchange_is_cited_with_the_sources_facts(harvested: dict[str, object]) -> None:
    records = harvested["records"]
    assert isinstance(records, list)
    exchange = _exchange(records, "non-emergency 101 calls")
    c = exchange.citation
    assert c.body == PANEL  # the committee's title, as the service states it
    assert c.meeting_date == "2022-11-21" and c.date_source == "source"
    assert c.item == "45/22"  # the minutes' number for the item, not one read from the text
    assert c.asker == "Councillor Jane Holloway"  # "Cllr Holloway" in the minutes, named in full by the attendees
    assert c.asker_key == "holloway-j"
    assert "four minutes" in exchange.text
    site = harvested["site"]
    assert isinstance(site, StandIn)
    assert c.source_url == f"{site.base}/mgAi.aspx?ID=30104"  # the agenda item's page
    assert c.label.startswith(f"{PANEL}, 21 November 2022, minute 45/22")


def test_the_chair_is_named_from_the_attendees(harvested: dict[str, object]) -> None:
    records = harvested["records"]
    assert isinstance(records, list)
    exchange = _exchange(records, "rural crime team")
    assert exchange.citation.asker == "Councillor Mark Whitfield"
    assert "funded until March 2024" in exchange.text


def test_a_pdf_attachment_is_cited_with_its_meeting_and_page(harvested: dict[str, object]) -> None:
    records = harvested["records"]
    assert isinstance(records, list)
    site = harvested["site"]
    assert isinstance(site, StandIn)
    report = [r for r in records if "forty additional officers" in r.text]
    assert report, "the PDF's text is indexed"
    c = report[0].citation
    assert c.body == PANEL and c.meeting_date == "2022-11-21" and c.date_source == "source"
    assert c.item == "6"  # the agenda's number for the item the report was published under
    assert c.document.endswith(".pdf")
    assert c.source_url == f"{site.base}/documents/s5001/Annual%20Report%202021-22.pdf#page=1"


def test_a_meeting_answering_503_then_its_minutes_is_harvested(harvested: dict[str, object]) -> None:
    records = harvested["records"]
    assert isinstance(records, list)
    exchange = _exchange(records, "mobile speed camera visits")
    assert exchange.citation.meeting_date == "2023-02-06" and exchange.citation.item == "60/23"
    assert exchange.citation.asker == "Mr Peter Lawson"
    calls = harvested["calls_after_first"]
    assert isinstance(calls, Counter)
    assert calls["7002"] == 2  # the 503, then the retry


def test_restricted_items_and_documents_are_never_fetched_or_indexed(harvested: dict[str, object]) -> None:
    site = harvested["site"]
    records = harvested["records"]
    assert isinstance(site, StandIn) and isinstance(records, list)
    assert not [p for p in site.requests if "s5002" in p or "s5003" in p]
    assert not [r for r in records if "vehicle fleet" in r.text or "Complaint against" in (r.title or "")]
    first = harvested["first"]
    assert isinstance(first, HarvestReport)
    assert first.restricted == 2  # item 7 (with its document, never looked at) and appendix B of item 6


def test_another_committee_and_cancelled_meetings_are_not_harvested(harvested: dict[str, object]) -> None:
    site = harvested["site"]
    records = harvested["records"]
    assert isinstance(site, StandIn) and isinstance(records, list)
    assert "7003" not in site.meeting_calls  # cancelled: never asked for
    assert "8801" not in site.meeting_calls and not [p for p in site.requests if "lCommitteeId=201" in p]
    assert not [r for r in records if "Mill Lane" in r.text or "access road" in r.text]
    assert {r.citation.body for r in records} == {PANEL}
    first = harvested["first"]
    assert isinstance(first, HarvestReport)
    assert first.cancelled == 1 and first.meetings_listed == 5


def test_each_fault_is_reported_with_a_clear_reason_and_loses_nothing_else(harvested: dict[str, object]) -> None:
    first = harvested["first"]
    assert isinstance(first, HarvestReport)
    reasons = {f.what: f.reason for f in first.failures}
    assert len(first.failures) == 5, reasons
    assert "not well-formed XML" in reasons["meeting 7004 (2023-04-17)"]
    assert re.search(r"no answer within 1 s after 2 tries", reasons["meeting 7005 (2023-06-19)"])
    assert reasons["document 'Performance Report Q2' of meeting 7001"] == "404 NOT FOUND"
    assert "over the limit of 200,000 bytes" in reasons["document 'Performance data (all incidents)' of meeting 7001"]
    assert "served a web page where a PDF was expected" in reasons["document 'Performance charts' of meeting 7001"]
    assert first.meetings_harvested == 2 and first.item_minutes == 4 and first.documents_downloaded == 1
    assert len(first.skipped) == 2  # the reports pack and the printed minutes repeat what the items give
    records = harvested["records"]
    assert isinstance(records, list)
    assert any("Apologies for absence" in r.text for r in records)  # the rest of meeting 7001 is indexed


def test_a_second_harvest_downloads_no_attachment_again(harvested: dict[str, object]) -> None:
    second = harvested["second"]
    assert isinstance(second, HarvestReport)
    assert harvested["second_bodies"] == 0
    site = harvested["site"]
    assert isinstance(site, StandIn)
    assert sum(site.bodies.values()) == 1 and sum(site.not_modified.values()) == 1  # one 304 on the retry
    # Meeting 7001 had failed documents, so it is looked at again; 7002 is unchanged and fetches nothing.
    assert second.meetings_unchanged == 1 and second.meetings_harvested == 1
    assert second.documents_downloaded == 0 and second.documents_unchanged == 1
    rebuilt = harvested["rebuilt"]
    assert getattr(rebuilt, "unchanged", False), "nothing changed, so no new generation"


def test_requests_name_panel_search_and_its_contact(harvested: dict[str, object]) -> None:
    site = harvested["site"]
    assert isinstance(site, StandIn)
    assert site.user_agents == {
        "panel-search-harvester/0.1 (+https://pypi.org/project/panel-search/; panel-support@example.org)"
    }
    assert site.requests[0] == "/robots.txt?"


def test_the_manifest_states_each_documents_facts(harvested: dict[str, object]) -> None:
    index_dir = harvested["index_dir"]
    assert isinstance(index_dir, Path)
    manifests = sorted((index_dir / HARVEST_DIR).rglob("manifest.toml"))
    assert [m.parent.name for m in manifests] == ["2022-11-21_m7001", "2023-02-06_m7002"]
    documents = tomllib.loads(manifests[0].read_text(encoding="utf-8"))["documents"]
    item = documents["item-30104.html"]
    assert item["item"] == "45/22" and item["date_source"] == "source" and item["body"] == PANEL
    assert "Councillor Jane Holloway (Member)" in item["attendees"]
    assert all("Adey" not in a for a in item["attendees"])  # sent apologies: asked nothing
    pdf = next(d for name, d in documents.items() if name.endswith(".pdf"))
    assert pdf["attachment"] is True and pdf["item"] == "6" and pdf["title"] == "Annual Report 2021/22"


def test_choosing_a_committee_by_title_and_refusing_an_ambiguous_one(site: StandIn, tmp_path: Path) -> None:
    with _client() as client:
        mg = ModernGovSite(site.base, client)
        committees = mg.committees()
    assert [c.id for c in committees] == ["201", "134"]  # the deleted committee is left out
    assert choose_committee(committees, "staffordshire police, fire and crime panel").id == "134"
    assert choose_committee(committees, "Crime Panel").id == "134"
    assert choose_committee(committees, "134").id == "134"
    with pytest.raises(HarvestError, match="no committee 'Audit'"):
        choose_committee(committees, "Audit")
    host = [Committee("1", "Police and Crime Panel"), Committee("2", "Police and Crime Panel Complaints Sub-Committee")]
    assert choose_committee(host, "Police and Crime Panel").id == "1"  # the exact title first
    with pytest.raises(HarvestError, match="fits 2 committees"):
        choose_committee(host, "Crime Panel")


def test_robots_txt_is_obeyed(site: StandIn) -> None:
    with _client() as client, pytest.raises(FetchError, match=r"robots\.txt"):
        client.get(f"{site.base}/private/minutes.pdf")
    assert not [p for p in site.requests if p.startswith("/private/")]


def test_a_harvest_killed_midway_resumes_to_the_records_of_a_clean_one(
    site: StandIn, tmp_path: Path, embedder: Embedder
) -> None:
    """SIGKILL while the PDF downloads, then harvest again: nothing lost, nothing twice."""
    clean = tmp_path / "clean"
    _harvest(site, clean / "index")
    build_index([clean / "index" / HARVEST_DIR], clean / "index", embedder, root=clean)

    killed = tmp_path / "killed"
    killed.mkdir()
    site.slow = True
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [
        sys.executable,
        "-m",
        "search_api.cli",
        "harvest",
        site.base,
        "--committee",
        "134",
        "--from",
        "2022-09-01",
        "--to",
        "2023-07-31",
        "--index-dir",
        "index",
        "--delay",
        "0",
        "--no-build",
    ]
    process = subprocess.Popen(command, cwd=killed, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert site.reached.wait(120), "the harvest reached the PDF"
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
        site.slow = False
        site.released.set()
    assert process.returncode == -signal.SIGKILL
    assert not list((killed / "index" / HARVEST_DIR).rglob("*.pdf"))  # killed before the PDF landed

    _harvest(site, killed / "index")
    build_index([killed / "index" / HARVEST_DIR], killed / "index", embedder, root=killed)

    def shape(records: list[Record]) -> dict[str, tuple[str, str, dict[str, object]]]:
        return {r.id: (r.kind, r.text, r.citation.to_dict()) for r in records}

    assert shape(_records(killed / "index")) == shape(_records(clean / "index"))


def test_every_door_links_back_to_the_source(harvested: dict[str, object], embedder: Embedder) -> None:
    """The API, the page, the CSV export and the MCP result form give the link; the Sources page lists the site."""
    index_dir, site = harvested["index_dir"], harvested["site"]
    assert isinstance(index_dir, Path) and isinstance(site, StandIn)
    searcher = Searcher(index_dir, embedder)
    client = TestClient(create_app(Settings(index_dir=index_dir), searcher=searcher))
    item_page = f"{site.base}/mgAi.aspx?ID=30104"
    query = {"q": "waiting times for non-emergency 101 calls"}

    top = client.get("/search", params=query).json()["results"][0]
    assert top["citation"]["source_url"] == item_page and top["citation"]["date_source"] == "source"
    page = client.get("/", params=query).text
    assert f'published at <a href="{item_page}" rel="external">127.0.0.1:' in page
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv", params=query).text)))
    assert rows[0]["source_url"] == item_page
    hit = next(r for r in _records(index_dir) if r.id == top["id"])
    assert mcp_record(View(searcher, include_restricted=False), hit)["citation"]["source_url"] == item_page

    sources = client.get("/sources.json").json()
    assert sources["count"] == 1
    (source,) = sources["sources"]
    assert source["site"] == site.base and source["system"] == "moderngov" and source["committee_id"] == "134"
    assert source["committee"] == PANEL and source["body"] == PANEL
    assert source["meetings"] == 2 and source["documents"] == 5  # four item minutes and the annual report
    records = harvested["records"]
    assert isinstance(records, list)
    assert source["records"] == len(records) and source["last_harvest"]
    assert len(source["failures"]) == 5 and source["failures"][0]["reason"]
    html = client.get("/sources").text
    assert "What the last harvest could not take" in html and "2 meetings, 5 documents" in html


def test_the_command_reports_failures_and_refuses_an_unknown_committee(
    site: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from search_api.cli import main

    index = str(tmp_path / "index")
    assert main(["harvest", site.base, "--committee", "Audit", "--index-dir", index, "--delay", "0"]) == 2
    assert "no committee 'Audit' on the site" in capsys.readouterr().err
    assert main(["harvest", "--panel", "Atlantis", "--index-dir", index]) == 2
    assert "no panel 'Atlantis' in the registry" in capsys.readouterr().err
    args = ["harvest", site.base, "--committee", "Crime Panel", "--from", "2022-09-01", "--to", "2023-07-31"]
    status = main([*args, "--index-dir", index, "--delay", "0", "--no-build", "--json", "--max-mb", "0.1"])
    assert status == 1  # harvested, with failures to look at
    out = json.loads(capsys.readouterr().out)
    (report,) = out["harvests"]
    assert report["committee_id"] == "134" and report["meetings_harvested"] == 2 and out["build"] is None
    assert {f["what"] for f in report["failures"]} >= {"meeting 7004 (2023-04-17)", "meeting 7005 (2023-06-19)"}


def test_retry_after_is_honoured_and_a_long_one_fails_the_request(httpserver: HTTPServer) -> None:
    answers = iter([Response("slow down", status=429, headers={"Retry-After": "3"}), Response("ok")])
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/page").respond_with_handler(lambda request: next(answers))
    httpserver.expect_request("/never").respond_with_data("wait", status=503, headers={"Retry-After": "86400"})
    waits: list[float] = []
    settings = FetchSettings(min_interval=0, retries=2, backoff=0.01)
    with PoliteClient(settings, sleep=waits.append) as client:
        assert client.get(httpserver.url_for("/page")).text == "ok"
        assert waits == [3.0]
        with pytest.raises(FetchError, match="the site asks to wait 86400 s"):
            client.get(httpserver.url_for("/never"))


def test_an_attachment_holding_another_meetings_minutes_keeps_their_date(tmp_path: Path) -> None:
    """Published with the meeting of 21 November, the minutes of 12 July are cited with 12 July; an item's own
    minutes take the meeting the source states."""
    from indexer.reading.parse import DocumentMeta, parse_path

    path = tmp_path / "previous.txt"
    path.write_text(
        "MINUTES OF A MEETING OF THE SURREY POLICE AND CRIME PANEL HELD ON 12 JULY 2022\n\n"
        "Councillor Ann Brown asked how many new detectives had been recruited this year.\n\n"
        "The Commissioner confirmed that thirty detectives had joined since April.\n",
        encoding="utf-8",
    )
    stated = DocumentMeta(body="Surrey Police and Crime Panel", meeting_date="2022-11-21", source="source", item="3")
    attached, report = parse_path(path, "previous.txt", dataclasses.replace(stated, attachment=True))
    assert {r.citation.meeting_date for r in attached} == {"2022-07-12"}
    assert {r.citation.date_source for r in attached} == {"heading"}
    assert any("records the meeting of 2022-07-12" in w for w in report.warnings)
    own, _ = parse_path(path, "previous.txt", stated)
    assert {(r.citation.meeting_date, r.citation.date_source, r.citation.item) for r in own} == {
        ("2022-11-21", "source", "3")
    }


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ("Cllr Frudd", "Councillor Jane Frudd"),
        ("Councillor J Frudd", "Councillor Jane Frudd"),
        ("Councillor P Frudd", None),  # another initial: not her
        ("the Chair", "Councillor Jane Frudd"),
        ("Vice-Chairman", "Councillor Peter Smith"),
        ("Cllr Smith", None),  # two Smiths: left as written
        ("Mr Jones", None),
    ],
)
def test_an_asker_is_named_in_full_when_one_attendee_fits(written: str, named: str | None) -> None:
    from indexer.reading.people import attendee_named

    attendees = ["Councillor Jane Frudd (Chair)", "Councillor Peter Smith (Vice-Chair)", "Cllr Anne Smith"]
    assert attendee_named(written, attendees) == named
