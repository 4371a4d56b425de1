"""CMIS harvesting: the site's pages read into committees, meetings and one item per meeting page, then indexed."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fpdf import FPDF
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from indexer.encode.embed import Embedder
from indexer.harvest.cmis import PAGE_ITEM, CmisSite, parse_page, read_meeting
from indexer.harvest.fetch import FetchSettings, PoliteClient
from indexer.harvest.harvester import Harvester, source_folder
from indexer.harvest.model import Committee, MeetingStub, SourceError
from indexer.harvest.state import HarvestState
from indexer.index import generations
from indexer.index.build import build_index
from indexer.index.manifest import STORE_FILE
from indexer.index.store import MetadataStore
from indexer.records import Record

FIXTURES = Path(__file__).parent / "resources" / "harvest" / "cmis"
SITE = "/cmis5"
PANEL = "Essex Police, Fire and Crime Panel"
OTHER = "Highways Policy Committee"
DOC_KEY = "czJKcaeAi5tUFL1DTL2UE4zNRBcoShgo"
REPORT_QUERY = f"{DOC_KEY}=Rk3pQ8perfReport2017"
EXEMPT_QUERY = f"{DOC_KEY}=Zz9exemptAppendix"
ETAG = '"report-v1"'
FROM, TO = dt.date(2017, 1, 1), dt.date(2018, 6, 30)


def meeting_path(meeting: str, committee: str = "65") -> str:
    return (
        f"{SITE}/Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/{meeting}/Committee/{committee}/Default.aspx"
    )


def committee_path(committee: str) -> str:
    return f"{SITE}/Committees/tabid/62/ctl/ViewCMIS_CommitteeDetails/mid/383/id/{committee}/Default.aspx"


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8").replace("{site}", SITE)


def report_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        0,
        6,
        "Quarterly Performance Report\n\n"
        "This report sets out performance against the Police, Fire and Crime Plan for the second quarter. "
        "Recorded burglary fell by eight per cent compared with the same quarter of the previous year, while "
        "emergency response times in rural parishes remained above the target of fifteen minutes.",
    )
    return bytes(pdf.output())


@dataclass
class FakeCmis:
    """The fixture pages served over real HTTP; `pages` may be changed between harvests."""

    server: HTTPServer
    pdf: bytes
    pages: dict[str, str] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)
    document_bodies: int = 0  # report PDF bodies sent (not 304s)

    @property
    def base_url(self) -> str:
        return self.server.url_for(f"{SITE}/Committees.aspx")

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def requested(self, path: str, query: str = "") -> int:
        return sum(
            1 for request, _ in self.server.log if request.path == path and request.query_string.decode() == query
        )

    def serve(self) -> None:
        self.server.expect_request("/robots.txt").respond_with_data("not found", status=404)
        self.server.expect_request(f"{SITE}/Committees.aspx").respond_with_data(
            page("committees.html"), content_type="text/html; charset=utf-8"
        )
        for committee in ("65", "71"):
            self.server.expect_request(committee_path(committee)).respond_with_data(
                page(f"committee_{committee}.html"), content_type="text/html; charset=utf-8"
            )
        self.pages = {
            "3683": page("meeting_3683.html"),
            "3701": page("meeting_3701.html"),
            "5001": page("meeting_5001.html"),
        }
        for meeting, committee in (("3683", "65"), ("3701", "65"), ("5001", "71"), ("3690", "65"), ("3520", "65")):
            self.server.expect_request(meeting_path(meeting, committee)).respond_with_handler(self._meeting(meeting))
        self.server.expect_request(f"{SITE}/Document.ashx", query_string=REPORT_QUERY).respond_with_handler(
            self._report
        )
        self.server.expect_request(f"{SITE}/Document.ashx", query_string=EXEMPT_QUERY).respond_with_data(
            b"%PDF-1.4 exempt", content_type="application/pdf"
        )

    def _meeting(self, meeting: str) -> Callable[[Request], Response]:
        def handler(request: Request) -> Response:
            if meeting in self.failing:
                return Response("Internal error", status=500)
            if meeting not in self.pages:
                return Response("Not served to panel-search", status=410)
            return Response(self.pages[meeting], content_type="text/html; charset=utf-8")

        return handler

    def _report(self, request: Request) -> Response:
        if request.headers.get("If-None-Match") == ETAG:
            return Response(status=304, headers={"ETag": ETAG})
        self.document_bodies += 1
        return Response(self.pdf, content_type="application/pdf", headers={"ETag": ETAG})


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return report_pdf()


@pytest.fixture
def cmis(httpserver: HTTPServer, pdf_bytes: bytes) -> FakeCmis:
    site = FakeCmis(httpserver, pdf_bytes)
    site.serve()
    return site


@pytest.fixture
def client() -> Iterator[PoliteClient]:
    with PoliteClient(FetchSettings(min_interval=0, backoff=0.01, retries=1, timeout=2)) as polite:
        yield polite


def harvester(index_dir: Path, client: PoliteClient) -> Harvester:
    index_dir.mkdir(parents=True, exist_ok=True)
    return Harvester(index_dir, client, HarvestState(index_dir / "harvest.sqlite"))


def records(index_dir: Path) -> list[Record]:
    store = MetadataStore(generations.resolve(index_dir) / STORE_FILE)
    return [record for _, record, _ in store.load_all()]


# --- the site's pages, read ---------------------------------------------------------------------------------------


def test_committees_from_committee_links_and_meeting_links(cmis: FakeCmis, client: PoliteClient) -> None:
    site = CmisSite(cmis.base_url, client)

    committees = site.committees()

    assert committees == [Committee("65", PANEL), Committee("71", OTHER), Committee("80", "Cabinet")]


def test_meetings_of_the_committee_in_range_with_iso_dates(cmis: FakeCmis, client: PoliteClient) -> None:
    site = CmisSite(cmis.base_url, client)
    panel = next(c for c in site.committees() if c.id == "65")

    stubs = site.meetings(panel, FROM, TO)

    assert [(s.id, s.date, s.cancelled) for s in stubs] == [
        ("3701", "2018-01-25", False),
        ("3690", "2017-12-14", True),
        ("3683", "2017-11-23", False),
    ]  # 3520 (12 Jan 2016) is out of range; 5001 is another committee's meeting
    assert stubs[2].url == cmis.url(meeting_path("3683"))
    assert cmis.requested(committee_path("65")) == 1


def test_meeting_page_summary_documents_and_attendees(cmis: FakeCmis, client: PoliteClient) -> None:
    site = CmisSite(cmis.base_url, client)
    panel = Committee("65", PANEL)
    url = cmis.url(meeting_path("3683"))

    meeting = site.meeting(MeetingStub("3683", None, url=url), panel)

    assert meeting.date == "2017-11-23"  # from the summary, though the stub states none
    assert not meeting.cancelled
    assert meeting.url == url
    (item,) = meeting.items
    assert item.id == PAGE_ITEM
    assert item.title == f"{PANEL}, 23 November 2017"
    assert item.url == url
    assert item.minutes_html is not None
    assert "The Commissioner confirmed that forty-two officers" in item.minutes_html
    assert "Meeting Summary" in item.minutes_html
    assert "__VIEWSTATE" not in item.minutes_html and "requestToken" not in item.minutes_html
    assert "Accessibility" not in item.minutes_html  # outside the content pane
    report = cmis.url(f"{SITE}/Document.ashx?{REPORT_QUERY}")
    exempt = cmis.url(f"{SITE}/Document.ashx?{EXEMPT_QUERY}")
    assert [(d.url, d.title, d.restricted) for d in item.documents] == [
        (report, "Quarterly Performance Report", False),
        (exempt, "Exempt Appendix C", True),
    ]
    assert [a.written for a in meeting.attendees] == [
        "Councillor Alan Sample (Chairman)",
        "Councillor Jane Example (Member)",
        "Mr Peter Placeholder (Police, Fire and Crime Commissioner)",
    ]  # Councillor Tom Absent sent apologies


def test_meeting_page_with_label_value_summary(cmis: FakeCmis, client: PoliteClient) -> None:
    site = CmisSite(cmis.base_url, client)

    meeting = site.meeting(MeetingStub("3701", None, url=cmis.url(meeting_path("3701"))), Committee("65", PANEL))

    assert meeting.date == "2018-01-25"
    assert meeting.items[0].documents == ()
    assert meeting.attendees == ()


def test_meeting_of_another_committee_is_refused(cmis: FakeCmis, client: PoliteClient) -> None:
    site = CmisSite(cmis.base_url, client)

    with pytest.raises(SourceError, match=OTHER):
        site.meeting(
            MeetingStub("5001", "2017-11-23", url=cmis.url(meeting_path("5001", "71"))), Committee("65", PANEL)
        )


def test_page_without_a_meeting_summary_is_a_source_error() -> None:
    soup = parse_page(page("committee_65.html").encode(), "a committee page")
    url = "https://cmis.example/" + meeting_path("3683")

    with pytest.raises(SourceError, match="no CMIS meeting summary"):
        read_meeting(soup, url, MeetingStub("3683", "2017-11-23", url=url), Committee("65", PANEL))


def test_cancelled_status_and_no_date_guessed() -> None:
    html = page("meeting_5001.html").replace("23 Nov 2017 - 10:00 to 12:00", "To be confirmed")
    html = html.replace("<div>Occurred</div>", "<div>Cancelled</div>")
    url = "https://cmis.example" + meeting_path("5001", "71")
    soup = parse_page(html.encode(), "a meeting page")

    meeting = read_meeting(soup, url, MeetingStub("5001", None, url=url), Committee("71", OTHER))

    assert meeting.cancelled
    assert meeting.date is None  # the summary states none and neither does the list


def test_not_a_web_page_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="not a web page"):
        parse_page(b"%PDF-1.4 binary", "the committees page")


# --- a harvest, indexed ---------------------------------------------------------------------------------------------


def test_harvest_writes_manifest_and_indexes_with_source_citations(
    cmis: FakeCmis, client: PoliteClient, tmp_path: Path, embedder: Embedder
) -> None:
    index_dir = tmp_path / "index"
    site = CmisSite(cmis.base_url, client)

    report = harvester(index_dir, client).harvest(site, PANEL, FROM, TO)

    assert report.failures == []
    assert (report.meetings_listed, report.meetings_harvested, report.cancelled) == (3, 2, 1)
    assert report.documents_downloaded == 1 and report.restricted == 1
    meeting_url = cmis.url(meeting_path("3683"))
    report_url = cmis.url(f"{SITE}/Document.ashx?{REPORT_QUERY}")
    folder = index_dir / source_folder(cmis.base_url, "65") / "2017-11-23_m3683"
    with (folder / "manifest.toml").open("rb") as handle:
        entries = tomllib.load(handle)["documents"]
    assert set(entries) == {"item-page.html", next(n for n in entries if n.endswith(".pdf"))}
    for name, entry in entries.items():
        assert (folder / name).exists()
        assert entry["body"] == PANEL
        assert entry["meeting_date"] == "2017-11-23"
        assert entry["date_source"] == "source"
        assert entry["source_url"] == (meeting_url if name == "item-page.html" else report_url)
    assert (index_dir / source_folder(cmis.base_url, "65") / "2018-01-25_m3701" / "manifest.toml").exists()
    # Never fetched: the cancelled meeting, the meeting before the range, the exempt appendix, the other committee.
    assert cmis.requested(meeting_path("3690")) == 0
    assert cmis.requested(meeting_path("3520")) == 0
    assert cmis.requested(f"{SITE}/Document.ashx", EXEMPT_QUERY) == 0
    assert cmis.requested(committee_path("71")) == 0
    assert cmis.requested(meeting_path("5001", "71")) == 0

    build_index([index_dir / "harvest"], index_dir, embedder, root=tmp_path)
    found = records(index_dir)

    exchange = next(r for r in found if r.kind == "exchange" and "forty-two officers" in r.text)
    assert "Jane Example asked for details" in exchange.text
    c = exchange.citation
    assert (c.body, c.meeting_date, c.date_source) == (PANEL, "2017-11-23", "source")
    assert c.asker is not None and "Jane Example" in c.asker
    assert c.responder is not None and "Commissioner" in c.responder
    assert c.source_url == meeting_url
    from_pdf = [r for r in found if r.citation.document.endswith(".pdf")]
    assert any("Recorded burglary fell by eight per cent" in r.text for r in from_pdf)
    for record in from_pdf:
        assert (record.citation.body, record.citation.meeting_date) == (PANEL, "2017-11-23")
        assert record.citation.date_source == "source"
        assert record.citation.source_url == f"{report_url}#page=1"
    precept = next(r for r in found if "cyber crime unit" in r.text)
    assert (precept.citation.meeting_date, precept.citation.body) == ("2018-01-25", PANEL)
    assert precept.citation.source_url == cmis.url(meeting_path("3701"))
    assert not any("gritting routes" in r.text or "Highways" in (r.citation.body or "") for r in found)


def test_second_harvest_downloads_no_document_again(cmis: FakeCmis, client: PoliteClient, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    site = CmisSite(cmis.base_url, client)
    first = harvester(index_dir, client).harvest(site, PANEL, FROM, TO)
    assert first.documents_downloaded == 1 and cmis.document_bodies == 1

    same = harvester(index_dir, client).harvest(CmisSite(cmis.base_url, client), PANEL, FROM, TO)

    assert same.meetings_unchanged == 2 and same.meetings_harvested == 0
    assert same.documents_downloaded == 0 and cmis.document_bodies == 1

    # The minutes change: the meeting is harvested again, and its report asked for with its ETag (304).
    cmis.pages["3683"] = cmis.pages["3683"].replace(
        "The Panel noted the answer.", "The Panel noted the answer and thanked the Commissioner."
    )
    changed = harvester(index_dir, client).harvest(CmisSite(cmis.base_url, client), PANEL, FROM, TO)

    assert changed.meetings_harvested == 1 and changed.meetings_unchanged == 1
    assert (changed.documents_downloaded, changed.documents_unchanged) == (0, 1)
    assert cmis.document_bodies == 1
    assert cmis.requested(f"{SITE}/Document.ashx", REPORT_QUERY) == 2
    folder = index_dir / source_folder(cmis.base_url, "65") / "2017-11-23_m3683"
    assert "thanked the Commissioner" in (folder / "item-page.html").read_text(encoding="utf-8")
    assert len(list(folder.glob("doc-*.pdf"))) == 1


def test_failing_meeting_page_is_reported_and_the_other_harvested(
    cmis: FakeCmis, client: PoliteClient, tmp_path: Path
) -> None:
    cmis.failing.add("3701")
    index_dir = tmp_path / "index"

    report = harvester(index_dir, client).harvest(CmisSite(cmis.base_url, client), PANEL, FROM, TO)

    (failure,) = report.failures
    assert failure.what == "meeting 3701 (2018-01-25)"
    assert failure.url == cmis.url(meeting_path("3701"))
    assert "500" in failure.reason and "after 2 tries" in failure.reason
    assert cmis.requested(meeting_path("3701")) == 2
    assert report.meetings_harvested == 1
    base = index_dir / source_folder(cmis.base_url, "65")
    assert (base / "2017-11-23_m3683" / "manifest.toml").exists()
    assert not (base / "2018-01-25_m3701").exists()


def test_page_in_windows_1252_keeps_its_pound_signs() -> None:
    html = page("meeting_3701.html").replace('charset="utf-8"', 'charset="windows-1252"')
    html = html.replace("by two per cent", "by £1.2m")
    url = "https://cmis.example" + meeting_path("3701")
    soup = parse_page(html.encode("cp1252"), "a meeting page")

    meeting = read_meeting(soup, url, MeetingStub("3701", None, url=url), Committee("65", PANEL))

    assert meeting.items[0].minutes_html is not None and "by £1.2m to fund" in meeting.items[0].minutes_html


def test_a_page_without_committees_is_a_source_error(httpserver: HTTPServer, client: PoliteClient) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/home").respond_with_data("<html><body><p>Welcome</p></body></html>")

    with pytest.raises(SourceError, match="links to no CMIS committee"):
        CmisSite(httpserver.url_for("/home"), client).committees()
