"""CMIS (Civica's committee system, on DotNetNuke) meeting pages: committees, their meetings, and each meeting page.

CMIS has no web service, so its pages are read with Beautiful Soup (html.parser, as panel-search reads
every page). Ids are taken from the links' own paths: a committee's page
`…/ctl/ViewCMIS_CommitteeDetails/mid/383/id/65/Default.aspx`, a meeting's page
`…/ctl/ViewMeetingPublic/mid/397/Meeting/3683/Committee/65/Default.aspx`, documents `Document.ashx?…`.
A list states a meeting as `1 Jun 2017 14:30 - Essex Police, Fire and Crime Panel`; the meeting page
states its committee, date and status in its "Meeting Summary" block (`1 Jun 2017 - 14:30 to 17:00`,
`Occurred`), or in `div.holder` pairs of `div.DNNLabel` and `div.Value`.

A CMIS meeting page prints the agenda and the minutes interleaved (an item's number and title, its
description, the number again, then the minute). panel-search's HTML reader and minutes layout read
that text as it stands, so a meeting is given as one item standing for the whole page: the page's
main content as its minutes, and every document the page links to.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from indexer.harvest.fetch import PoliteClient
from indexer.harvest.model import (
    AgendaItem,
    Attendee,
    Committee,
    LinkedDocument,
    MeetingStub,
    SourceError,
    SourceMeeting,
)
from indexer.reading.dates import first_date, format_date
from indexer.reading.readers.html import decode_html

PAGE_ITEM = "page"
# The DNN content pane holding the CMIS module, then the usual containers of a page's main content.
CONTENT = ("#dnn_ContentPane", "main", "[role=main]", "body")
# Markup that is never content, and changes from one request to the next (view state, scripts).
_NOISE = ("script", "style", "noscript", "template", "input", "select", "button", "link", "meta", "iframe", "object")
# "1 Jun 2017 14:30 - Essex Police, Fire and Crime Panel" (the DemocracyClub LGSF pattern, a little wider).
_DATE = r"(?:\w+day,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"
_TIME = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?"
MEETING_TEXT = re.compile(rf"^\s*(?P<date>{_DATE})(?:,?\s+(?:at\s+)?{_TIME})?\s*[-–—]\s*(?P<committee>.+?)\s*$", re.I)
# The summary's date line: "1 Jun 2017 - 14:30 to 17:00", "1 June 2017", "Thursday, 1 June 2017, 10.00 am".
DATE_LINE = re.compile(rf"^\s*(?P<date>{_DATE})(?:\s*[-–—,]?\s*{_TIME}(?:\s*(?:to|[-–—])\s*{_TIME})?)?\s*$", re.I)
STATUSES = re.compile(
    r"^\s*(?:occurred|scheduled|cancelled|canceled|postponed|abandoned|adjourned|provisional)\s*$", re.I
)
_SUMMARY = re.compile(r"^\s*meeting\s+summary\s*:?\s*$", re.I)
# What follows the summary block: its tabs and the agenda.
_AFTER_SUMMARY = re.compile(r"^\s*(?:documents|agenda|members|attendees|attendance|minutes|decisions)\s*$", re.I)
_CANCELLED = re.compile(r"\bcancell?ed\b|\bcancell?ation\b", re.I)
# A document the site marks as not for the public: never fetched.
_RESTRICTED = re.compile(r"\b(?:exempt|confidential|restricted|not\s+for\s+publication|part\s+(?:ii|2)\b)", re.I)
# Icon words and size CMIS prints around a document's title: "Pdf Minutes (70Kb)".
_DOC_PREFIX = re.compile(r"^\s*(?:pdf|docx?|xlsx?|pptx?|rtf|html?)\b\s*(?:icon\b)?\s*", re.I)
_DOC_SIZE = re.compile(r"\s*\(\s*\d+(?:[.,]\d+)?\s*[kmg]?b\s*\)\s*$", re.I)
# Lists of people: their heading, attendance that means absence, and a name with an optional role.
_PEOPLE_HEADING = re.compile(
    r"^\s*(?:attendees|attendance|in\s+attendance|members(?:\s+present)?|present)\s*:?\s*$", re.I
)
_ABSENT = re.compile(r"apolog|absent|not\s+present|did\s+not\s+attend|substituted\s+by", re.I)
_PRESENT = re.compile(r"^\s*(?:present|attended|in\s+attendance|expected|yes)\s*$", re.I)
_PERSON = re.compile(
    r"^(?P<name>(?:(?:Councillor|Cllr\.?|County\s+Councillor|Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Professor|Prof\.?)\s+)?"
    r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4})"
    r"(?:\s*(?:\((?P<paren>[^()]{1,80})\)|[,–—-]\s*(?P<after>[^,()]{1,80})))?\s*$"
)


@dataclass
class _Summary:
    """What a meeting page's summary states."""

    committee: str | None = None
    date_text: str | None = None
    status: str | None = None
    labels: dict[str, str] = field(default_factory=dict)


class CmisSite:
    """One council's CMIS site, read from its pages, starting at the page the user points at."""

    system = "cmis"

    def __init__(self, base_url: str, client: PoliteClient) -> None:
        self.base_url = urldefrag(base_url.strip())[0]
        self.client = client
        self._pages: dict[str, str] = {}  # committee id -> its page, as the committees page links it

    def _soup(self, url: str, what: str) -> tuple[BeautifulSoup, str]:
        fetched = self.client.get(url)
        return parse_page(fetched.content, f"{what} ({url})"), fetched.url or url

    def committees(self) -> list[Committee]:
        """Every committee `base_url` links to: committee pages, and the committees its meeting links state."""
        soup, url = self._soup(self.base_url, "the committees page")
        committees, pages = read_committees(soup, url)
        if not committees:
            raise SourceError(
                f"{self.base_url} links to no CMIS committee or meeting page "
                "(point panel-search at the site's committees page)"
            )
        self._pages.update(pages)
        return committees

    def meetings(self, committee: Committee, date_from: dt.date, date_to: dt.date) -> list[MeetingStub]:
        """The committee's meetings its page lists between two dates (those with no readable date kept)."""
        page = self._pages.get(committee.id, self.base_url)
        soup, url = self._soup(page, f"the page of committee {committee.id}")
        out = []
        for stub in read_meeting_list(soup, url, committee):
            if stub.date is not None and not date_from.isoformat() <= stub.date <= date_to.isoformat():
                continue
            out.append(stub)
        return out

    def meeting(self, stub: MeetingStub, committee: Committee) -> SourceMeeting:
        """One meeting page in full: its summary, its main content as one item, its documents and attendees."""
        if not stub.url:
            raise SourceError(f"meeting {stub.id}: the committee's page gives no link to it")
        soup, url = self._soup(stub.url, f"the page of meeting {stub.id}")
        return read_meeting(soup, url, stub, committee)


def parse_page(content: bytes, what: str) -> BeautifulSoup:
    """A page parsed with html.parser; SourceError when it is no web page."""
    if not content.strip():
        raise SourceError(f"{what} is empty")
    if b"\x00" in content[:1024] or content.lstrip()[:5] == b"%PDF-":
        raise SourceError(f"{what} is not a web page")
    text, _, _ = decode_html(content)  # as panel-search reads pages: the declared charset, else UTF-8, else cp1252
    soup = BeautifulSoup(text, "html.parser")
    if soup.find(["html", "body", "div", "a", "p"]) is None:
        raise SourceError(f"{what} is not a web page (no HTML markup)")
    return soup


def _base(soup: BeautifulSoup, url: str) -> str:
    """The URL the page's relative links are relative to (its <base href>, else where it was fetched from)."""
    base = soup.find("base", href=True)
    return urljoin(url, str(base["href"])) if isinstance(base, Tag) else url


def _text(node: Tag | NavigableString | None) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def _id_in(href: str, name: str) -> str | None:
    """The number after `/name/` in a link's path, or of its `name=` query parameter (case ignored)."""
    parts = urlsplit(href)
    found = re.search(rf"/{name}/(\d+)(?:/|$)", parts.path, re.I)
    if found:
        return found.group(1)
    for key, value in parse_qsl(parts.query):
        if key.lower() == name.lower() and value.strip().isdigit():
            return value.strip()
    return None


def _is_document(href: str) -> bool:
    return "document.ashx" in href.lower()


def meeting_ids(href: str) -> tuple[str, str | None] | None:
    """A meeting link's meeting id and (where it states one) committee id; None for any other link."""
    if _is_document(href) or "committeedetails" in href.lower():
        return None
    meeting = _id_in(href, "Meeting") or _id_in(href, "MeetingId")
    if meeting is None:
        return None
    return meeting, _id_in(href, "Committee") or _id_in(href, "CommitteeId")


def committee_id(href: str) -> str | None:
    """A committee page link's committee id; None for any other link."""
    if "committeedetails" not in href.lower():
        return None
    return _id_in(href, "id") or _id_in(href, "CommitteeId")


def _generic(text: str) -> bool:
    """Link text that names no committee ("View", "More details")."""
    return not text or bool(re.match(r"^(?:view|more|details|click|here|read|open|see)\b", text, re.I))


def read_committees(soup: BeautifulSoup, url: str) -> tuple[list[Committee], dict[str, str]]:
    """The committees a page links to, in order, and each one's page where the page links it."""
    base = _base(soup, url)
    titles: dict[str, str] = {}
    stated: dict[str, str] = {}  # titles only meeting links state, used where no committee link names it
    pages: dict[str, str] = {}
    order: list[str] = []
    for link in soup.find_all("a", href=True):
        href, text = str(link["href"]), _text(link)
        cid = committee_id(href)
        if cid is not None:
            if cid not in order:
                order.append(cid)
            pages.setdefault(cid, urldefrag(urljoin(base, href))[0])
            if not _generic(text):
                titles.setdefault(cid, text)
            continue
        ids = meeting_ids(href)
        match = MEETING_TEXT.match(text)
        if ids and ids[1] and match:
            if ids[1] not in order:
                order.append(ids[1])
            stated.setdefault(ids[1], match.group("committee"))
    committees = [Committee(cid, titles.get(cid) or stated[cid]) for cid in order if cid in titles or cid in stated]
    return committees, {cid: page for cid, page in pages.items() if cid in titles or cid in stated}


def read_list_date(text: str) -> str | None:
    """The ISO date of a date as a CMIS list or summary writes it ("1 Jun 2017", "Thursday, 1 June 2017")."""
    found = first_date(re.sub(r"\bSept\b\.?", "Sep", text, flags=re.I))
    return found.isoformat() if found else None


def _row(link: Tag) -> Tag | None:
    """The list row or table row a link stands in, when it holds no other meeting link."""
    row = link.find_parent(["tr", "li"])
    if row is None:
        return None
    others = [a for a in row.find_all("a", href=True) if a is not link and meeting_ids(str(a["href"]))]
    return None if others else row


def _same_title(a: str, b: str) -> bool:
    """Two committee titles that name the same committee, whatever the case, spacing and "&"."""

    def norm(title: str) -> str:
        return re.sub(r"\W+", " ", title.lower().replace("&", " and ")).strip()

    x, y = norm(a), norm(b)
    return bool(x and y) and (x == y or x in y or y in x)


def read_meeting_list(soup: BeautifulSoup, url: str, committee: Committee) -> list[MeetingStub]:
    """The meetings of one committee a page links to (links to other committees' meetings left out)."""
    base = _base(soup, url)
    stubs: dict[str, MeetingStub] = {}
    for link in soup.find_all("a", href=True):
        href = str(link["href"])
        ids = meeting_ids(href)
        if ids is None:
            continue
        mid, cid = ids
        text = _text(link)
        match = MEETING_TEXT.match(text)
        if cid is not None and cid != committee.id:
            continue
        if cid is None and not (match and _same_title(match.group("committee"), committee.title)):
            continue
        row = _row(link)
        date = read_list_date(match.group("date")) if match else None
        if date is None and row is not None:
            shaped = re.search(_DATE, _text(row))
            date = read_list_date(shaped.group(0)) if shaped else None
        marks = " ".join([text, str(link.get("title") or ""), " ".join(link.get("class") or [])])
        if row is not None:
            marks += " " + _text(row) + " " + " ".join(row.get("class") or [])
        stub = MeetingStub(mid, date, bool(_CANCELLED.search(marks)), urldefrag(urljoin(base, href))[0])
        held = stubs.get(mid)
        if held is not None:  # a page may link a meeting twice (a calendar and a list): keep what either states
            stub = replace(held, date=held.date or stub.date, cancelled=held.cancelled or stub.cancelled)
        stubs[mid] = stub
    return list(stubs.values())


def _strings(start: Tag | NavigableString, limit: int) -> list[str]:
    """The page's text lines after `start`, in order (scripts and styles left out)."""
    out: list[str] = []
    for node in start.find_all_next(string=True):
        if isinstance(node, Comment) or node.find_parent(["script", "style", "noscript", "template"]) is not None:
            continue
        line = " ".join(str(node).split())
        if line:
            out.append(line)
            if len(out) >= limit:
                break
    return out


def _label(line: str) -> str | None:
    """A summary label ("Status:", "Venue:") in lower case without its colon; None for a value."""
    if line.endswith(":") and 0 < len(line.split()) <= 4:
        return line[:-1].strip().lower()
    return None


def read_summary(soup: BeautifulSoup) -> _Summary | None:
    """The facts a meeting page's summary states; None when the page has no summary."""
    summary = _Summary()
    found = False
    for holder in soup.select("div.holder"):
        name, value = holder.select_one(".DNNLabel"), holder.select_one(".Value")
        if name is not None and value is not None and _text(name):
            summary.labels[_text(name).rstrip(":").strip().lower()] = _text(value)
            found = True
    marker = soup.find(string=_SUMMARY)
    if marker is not None:
        found = True
        lines = _strings(marker, 16)
        i = 0
        while i < len(lines):
            line = lines[i]
            if _AFTER_SUMMARY.match(line):
                break
            label = _label(line)
            if label is not None:
                if i + 1 < len(lines) and _label(lines[i + 1]) is None:
                    summary.labels.setdefault(label, lines[i + 1])
                    i += 1
            elif DATE_LINE.match(line) and summary.date_text is None:
                summary.date_text = line
            elif STATUSES.match(line) and summary.status is None:
                summary.status = line
            elif summary.committee is None and summary.date_text is None:
                summary.committee = line
            i += 1
    if not found:
        return None
    if summary.date_text is None:
        summary.committee = None  # a title is only taken as the committee's where the date line follows it
    labels = summary.labels
    summary.committee = summary.committee or labels.get("committee") or labels.get("meeting of")
    summary.date_text = summary.date_text or labels.get("date") or labels.get("meeting date")
    summary.status = summary.status or labels.get("status") or labels.get("meeting status")
    return summary


def main_content(soup: BeautifulSoup) -> Tag:
    """The page's main content: the DNN content pane, else <main>, else the body."""
    for selector in CONTENT:
        found = soup.select_one(selector)
        if found is not None and found.get_text(strip=True):
            return found
    raise SourceError("the page has no text")


def content_html(content: Tag) -> str:
    """The main content's HTML without scripts, form controls and comments (which change from request to request)."""
    copy = BeautifulSoup(str(content), "html.parser")
    for tag in copy.find_all(_NOISE):
        tag.decompose()
    for comment in copy.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    root = next((child for child in copy.contents if isinstance(child, Tag)), None)
    return (root.decode_contents() if root is not None else str(copy)).strip()


def _document_title(text: str, href: str) -> str:
    title = _DOC_SIZE.sub("", _DOC_PREFIX.sub("", text)).strip()
    return title or text or href.rsplit("/", 1)[-1]


def read_documents(soup: BeautifulSoup, url: str) -> tuple[LinkedDocument, ...]:
    """The documents a page links to (`li.DocumentListItem a.TitleLink`, any `Document.ashx` link), once each."""
    base = _base(soup, url)
    listed = {id(a) for a in soup.select("li.DocumentListItem a.TitleLink[href]")}
    out: dict[str, LinkedDocument] = {}
    for link in soup.find_all("a", href=True):
        href = str(link["href"]).strip()
        if id(link) not in listed and not _is_document(href):
            continue
        if not href or href.lower().startswith(("javascript:", "mailto:", "#")):
            continue
        absolute = urldefrag(urljoin(base, href))[0]
        if absolute in out:
            continue
        text = _text(link)
        holder = link.find_parent("li")
        marks = " ".join(
            [text, str(link.get("title") or ""), " ".join(link.get("class") or [])]
            + ([" ".join(holder.get("class") or [])] if holder is not None else [])
        )
        out[absolute] = LinkedDocument(
            url=absolute,
            title=_document_title(text or str(link.get("title") or ""), absolute),
            restricted=bool(_RESTRICTED.search(marks)),
        )
    return tuple(out.values())


def _person(text: str, role_cells: list[str] | None = None) -> Attendee | None:
    """One entry of a list of people: "Councillor Jane Example (Chairman)", or cells [name, role, attendance]."""
    if re.search(r"\d", text) or len(text.split()) < 2:
        return None  # "Pdf Minutes (70Kb)", "1 Apologies": not a person
    if role_cells is not None:
        if any(_ABSENT.search(cell) for cell in role_cells):
            return None
        match = _PERSON.match(text)
        roles = [c for c in role_cells if c and not _PRESENT.match(c)]
        return Attendee(match.group("name"), roles[0] if roles else None) if match else None
    match = _PERSON.match(text)
    if match is None:
        return None
    role = (match.group("paren") or match.group("after") or "").strip() or None
    if role is not None and _ABSENT.search(role):
        return None
    return Attendee(match.group("name"), None if role is None or _PRESENT.match(role) else role)


def read_attendees(content: Tag) -> tuple[Attendee, ...]:
    """The people listed under "Attendees" or "Members" (absent ones left out); none unless every entry is a name."""
    for heading in content.find_all(string=_PEOPLE_HEADING):
        parent = heading.parent
        if parent is None or parent.find_parent("a") is not None or parent.name == "a":
            continue  # a tab's link, not a heading
        listing = parent.find_next(["ul", "ol", "table"])
        if listing is None:
            continue
        people: list[Attendee] = []
        entries = 0
        if listing.name == "table":
            for tr in listing.find_all("tr"):
                cells = [_text(c) for c in tr.find_all("td", recursive=False)]
                if not cells or not cells[0]:
                    continue  # a header row
                entries += 1
                person = _person(cells[0], cells[1:])
                if person is None and not any(_ABSENT.search(c) for c in cells[1:]):
                    entries = -1
                    break
                if person is not None:
                    people.append(person)
        else:
            for li in listing.find_all("li", recursive=False):
                text = _text(li)
                entries += 1
                person = _person(text)
                if person is None and not _ABSENT.search(text):
                    entries = -1
                    break
                if person is not None:
                    people.append(person)
        if entries > 0:
            return tuple(dict.fromkeys(people))
    return ()


def read_meeting(soup: BeautifulSoup, url: str, stub: MeetingStub, committee: Committee) -> SourceMeeting:
    """A meeting page: its summary's facts, its main content as one item, its documents and attendees."""
    summary = read_summary(soup)
    if summary is None:
        raise SourceError(
            f"meeting {stub.id}: the page has no CMIS meeting summary (not a meeting page, or the site has changed)"
        )
    if summary.committee and not _same_title(summary.committee, committee.title):
        raise SourceError(f"meeting {stub.id} is a meeting of '{summary.committee}', not of '{committee.title}'")
    stated_committee = meeting_ids(url)
    if stated_committee and stated_committee[1] and stated_committee[1] != committee.id:
        raise SourceError(f"meeting {stub.id} belongs to committee {stated_committee[1]}, not {committee.id}")
    date = (read_list_date(summary.date_text) if summary.date_text else None) or stub.date
    try:
        content = main_content(soup)
    except SourceError as exc:
        raise SourceError(f"meeting {stub.id}: {exc}") from None
    title = summary.committee or committee.title
    page_url = stub.url or url
    item = AgendaItem(
        id=PAGE_ITEM,
        title=f"{title}, {format_date(date)}" if date else title,
        minutes_html=content_html(content),
        url=page_url,
        documents=read_documents(soup, url),
    )
    cancelled = stub.cancelled or bool(summary.status and _CANCELLED.search(summary.status))
    return SourceMeeting(
        id=stub.id,
        committee=committee,
        date=date,
        url=page_url,
        items=(item,),
        attendees=read_attendees(content),
        cancelled=cancelled,
    )
