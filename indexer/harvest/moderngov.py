"""ModernGov's public web service (`mgWebService.asmx`): committees, their meetings, and each meeting in full.

The service states the committee's title, the meeting date, each item's numbers, title and minutes, its
linked documents and the attendees; these are taken as stated, never read back out of page text. XML is
parsed with defusedxml (no entities, no external references) and read by local element names, so the
plain GET answers and SOAP envelopes read alike.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode, urljoin

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

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

SERVICE = "mgWebService.asmx"
# Attendance the service records for people who were not there: they asked nothing.
_ABSENT = re.compile(r"apolog|absent|not present", re.I)


class ModernGovSite:
    """One council's ModernGov site, read through its web service."""

    system = "moderngov"

    def __init__(self, base_url: str, client: PoliteClient) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = client

    def _call(self, method: str, **params: str) -> ET.Element:
        url = f"{self.base_url}/{SERVICE}/{method}" + (f"?{urlencode(params)}" if params else "")
        return parse_xml(self.client.get(url).content, f"{method} of {self.base_url}")

    def committees(self) -> list[Committee]:
        """Every committee the site lists (GetCommittees)."""
        return read_committees(self._call("GetCommittees"))

    def meetings(self, committee: Committee, date_from: dt.date, date_to: dt.date) -> list[MeetingStub]:
        """The committee's meetings between two dates (GetMeetings)."""
        root = self._call(
            "GetMeetings",
            lCommitteeId=committee.id,
            sFromDate=date_from.strftime("%d/%m/%Y"),
            sToDate=date_to.strftime("%d/%m/%Y"),
        )
        return read_meeting_list(root)

    def meeting(self, stub: MeetingStub, committee: Committee) -> SourceMeeting:
        """One meeting in full (GetMeeting)."""
        return read_meeting(self._call("GetMeeting", lMeetingId=stub.id), committee, self.base_url)


def parse_xml(content: bytes, what: str) -> ET.Element:
    """The root of an XML answer, parsed safely; SourceError when it is not well-formed XML."""
    try:
        return SafeET.fromstring(content)
    except (ET.ParseError, DefusedXmlException) as exc:
        raise SourceError(f"{what} is not well-formed XML ({exc})") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _all(element: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in element.iter() if _local(e.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((e for e in element if _local(e.tag) == name), None)


def _text(element: ET.Element, *names: str) -> str | None:
    """The first of the named children's (or attributes') text, stripped; None when none has any."""
    for name in names:
        child = _child(element, name)
        value = child.text if child is not None else None
        if value is None:
            value = next((v for k, v in element.attrib.items() if _local(k) == name), None)
        if value and value.strip():
            return value.strip()
    return None


def _flag(element: ET.Element, name: str) -> bool:
    return (_text(element, name) or "").lower() == "true"


def read_date(value: str | None) -> str | None:
    """A date as ModernGov writes it ("21/11/2022", sometimes with a time, or ISO) in ISO form; None if unreadable."""
    if not value:
        return None
    token = value.strip().split()[0].split("T")[0]
    for form in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(token, form).date().isoformat()
        except ValueError:
            continue
    return None


def read_committees(root: ET.Element) -> list[Committee]:
    """Committees of a GetCommittees answer (deleted ones left out)."""
    out: list[Committee] = []
    for element in _all(root, "committee"):
        cid, title = _text(element, "committeeid"), _text(element, "committeetitle")
        if cid and title and not _flag(element, "committeedeleted"):
            out.append(Committee(cid, title))
    return out


def _cancelled(element: ET.Element) -> bool:
    status = _text(element, "meetingstatus") or ""
    return "cancel" in status.lower() or _flag(element, "meetingcancelled") or _flag(element, "iscancelled")


def read_meeting_list(root: ET.Element) -> list[MeetingStub]:
    """Meetings of a GetMeetings answer."""
    out: list[MeetingStub] = []
    for element in _all(root, "meeting"):
        mid = _text(element, "meetingid")
        if mid:
            out.append(MeetingStub(mid, read_date(_text(element, "meetingdate")), _cancelled(element)))
    return out


def _document(element: ET.Element, base_url: str) -> LinkedDocument | None:
    url = _text(element, "url")
    if not url:
        return None
    return LinkedDocument(
        url=urljoin(base_url + "/", url),
        title=_text(element, "title") or url.rsplit("/", 1)[-1],
        published=read_date(_text(element, "publicationdate")),
        restricted=_flag(element, "isrestricted"),
    )


def _documents(container: ET.Element | None, base_url: str) -> tuple[LinkedDocument, ...]:
    if container is None:
        return ()
    found = (_document(e, base_url) for e in container if _local(e.tag) == "linkeddoc")
    return tuple(d for d in found if d is not None)


def _number(value: str | None) -> str | None:
    """An item number as printed, without the trailing dot ModernGov's display format adds; "0" is none."""
    if not value:
        return None
    value = value.strip().rstrip(".").strip()
    return value if value and value != "0" else None


def read_meeting(root: ET.Element, committee: Committee, base_url: str) -> SourceMeeting:
    """A GetMeeting answer: the meeting, its items with their minutes and documents, and who attended."""
    element = root if _local(root.tag) == "meeting" else next(iter(_all(root, "meeting")), None)
    if element is None or not _text(element, "meetingid"):
        raise SourceError("GetMeeting answered without a meeting")
    mid = _text(element, "meetingid") or ""
    stated = _text(element, "committeeid")
    if stated and stated != committee.id:
        raise SourceError(f"meeting {mid} belongs to committee {stated}, not {committee.id} ({committee.title})")
    items: list[AgendaItem] = []
    for item in _all(element, "agendaitem"):
        aid = _text(item, "agendaitemid") or ""
        items.append(
            AgendaItem(
                id=aid,
                title=_text(item, "agendaitemtitle") or "",
                number=_number(_text(item, "fulldisplaynumberformat", "agendaitemnumber")),
                minutes_number=_number(_text(item, "minutesitemnumber")),
                minutes_html=_text(item, "minutesnonemptyhtmlbody"),
                url=f"{base_url}/mgAi.aspx?ID={aid}" if aid else None,
                restricted=_flag(item, "isrestricted"),
                documents=_documents(_child(item, "linkeddocuments"), base_url),
            )
        )
    attendees = []
    for person in _all(element, "attendee"):
        name = _text(person, "name", "fullusername", "membername")
        if name and not _ABSENT.search(_text(person, "attendance") or ""):
            attendees.append(Attendee(name, _text(person, "roledescription", "role")))
    return SourceMeeting(
        id=mid,
        committee=committee,
        date=read_date(_text(element, "meetingdate")),
        url=f"{base_url}/ieListDocuments.aspx?{urlencode({'CId': committee.id, 'MId': mid})}",
        items=tuple(items),
        documents=_documents(_child(element, "linkeddocuments"), base_url),
        attendees=tuple(attendees),
        cancelled=_cancelled(element),
    )
