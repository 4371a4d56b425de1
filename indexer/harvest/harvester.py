"""Harvest one committee of one site: its meetings' minutes and documents, each saved with the facts the source states.

Every meeting gets a folder `harvest/<host>/<committee id>/<date>_m<meeting id>/` in the index directory
holding its item minutes (`item-<id>.html`), its documents (`doc-<hash>.<suffix>`) and a `manifest.toml`
with the body, meeting date (`date_source = "source"`), item, link back and attendees of each. Building
the index from that folder (`indexer.index.build.build_index`) then cites every record with them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from indexer.harvest.fetch import FetchError, PoliteClient, Validators
from indexer.harvest.files import NotReadable, manifest_toml, suffix_for, write_atomic
from indexer.harvest.model import AgendaItem, Committee, LinkedDocument, MeetingStub, SourceError, SourceMeeting
from indexer.harvest.state import HarvestState
from indexer.reading.meeting import body_name

HARVEST_DIR = "harvest"
PARTIAL_DIR = "harvest-partial"
# Police and Crime Panels first met in November 2012: a first harvest reaches back to then.
FIRST_MEETINGS = dt.date(2012, 11, 1)
# A later harvest looks again at meetings this far back: minutes are published weeks after a meeting.
LOOK_BACK = dt.timedelta(days=180)
# Meeting-level documents that gather what the items already give (the reports pack, the printed minutes).
_COMPILATION = re.compile(r"\b(?:reports?\s+pack|printed\s+minutes|public\s+pack|agenda\s+pack|minutes)\b", re.I)


class HarvestError(Exception):
    """A harvest cannot start: the site cannot be read, or the committee asked for is not there (or is ambiguous)."""


class Site(Protocol):
    """A publishing system read into meetings: ModernGov's web service or CMIS pages."""

    system: str
    base_url: str

    def committees(self) -> list[Committee]:
        """Every committee the site publishes."""
        ...

    def meetings(self, committee: Committee, date_from: dt.date, date_to: dt.date) -> list[MeetingStub]:
        """The committee's meetings between two dates."""
        ...

    def meeting(self, stub: MeetingStub, committee: Committee) -> SourceMeeting:
        """One meeting in full."""
        ...


@dataclass(frozen=True)
class Failure:
    """Something a harvest could not take, and why: `what` names it ("meeting 8123", "document 'Annual report'")."""

    what: str
    url: str | None
    reason: str


@dataclass
class HarvestReport:
    """What one harvest of one committee did."""

    site: str
    system: str
    committee: str
    committee_id: str
    body: str
    date_from: str
    date_to: str
    meetings_listed: int = 0
    meetings_harvested: int = 0
    meetings_unchanged: int = 0
    cancelled: int = 0
    restricted: int = 0
    item_minutes: int = 0
    documents_downloaded: int = 0
    documents_unchanged: int = 0
    requests: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON form, for `panel-search harvest --json` and the Sources page."""
        return asdict(self)

    def summary(self) -> str:
        """Lines a person reads after a harvest."""
        lines = [
            f"{self.body} ({self.system} {self.site}, committee {self.committee_id} '{self.committee}'), "
            f"{self.date_from} to {self.date_to}:",
            f"  meetings: {self.meetings_listed} listed, {self.meetings_harvested} harvested, "
            f"{self.meetings_unchanged} unchanged since the last harvest, {self.cancelled} cancelled (skipped)",
            f"  item minutes: {self.item_minutes}; documents: {self.documents_downloaded} downloaded, "
            f"{self.documents_unchanged} already held and unchanged; restricted items and documents skipped: "
            f"{self.restricted}; {self.requests} requests",
        ]
        lines += [f"  skipped: {s}" for s in self.skipped]
        lines += [f"  warning: {w}" for w in self.warnings]
        lines += [f"  FAILED {f.what}: {f.reason}" + (f" ({f.url})" if f.url else "") for f in self.failures]
        return "\n".join(lines)


def choose_committee(committees: list[Committee], wanted: str) -> Committee:
    """The committee named by id or title (exactly, else the one title containing it); HarvestError otherwise."""
    if wanted.strip().isdigit():
        found = [c for c in committees if c.id == wanted.strip()]
    else:
        key = " ".join(wanted.lower().split())
        found = [c for c in committees if " ".join(c.title.lower().split()) == key]
        found = found or [c for c in committees if key in " ".join(c.title.lower().split())]
    if len(found) == 1:
        return found[0]
    if not found:
        near = [c for c in committees if re.search(r"police|crime", c.title, re.I)]
        hint = "; ".join(f"{c.id} {c.title}" for c in near[:8]) or f"{len(committees)} committees, none about policing"
        raise HarvestError(f"no committee '{wanted}' on the site ({hint})")
    raise HarvestError(f"'{wanted}' fits {len(found)} committees: " + "; ".join(f"{c.id} {c.title}" for c in found))


def source_folder(site_url: str, committee_id: str) -> str:
    """Where a source's meetings are kept, relative to the index directory."""
    parts = urlsplit(site_url)
    host = re.sub(r"[^\w.-]+", "_", parts.netloc + parts.path.rstrip("/"))
    return f"{HARVEST_DIR}/{host}/{committee_id}"


@dataclass
class Harvester:
    """Harvests committees into one index directory; `client` fetches, `state` remembers."""

    index_dir: Path
    client: PoliteClient
    state: HarvestState
    today: Callable[[], dt.date] = dt.date.today

    def harvest(
        self,
        site: Site,
        committee_wanted: str,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        body: str | None = None,
    ) -> HarvestReport:
        """Harvest the meetings of one committee between two dates (default: since the last harvest, less 180 days).

        `body`: the body records are cited with, where the committee's title names no panel ("Police and
        Crime Panel" on its host council's site): the registry's name for it.
        """
        started = self.client.requests
        try:
            committees = site.committees()
        except (FetchError, SourceError) as exc:
            raise HarvestError(f"cannot list the committees of {site.base_url}: {exc}") from None
        committee = choose_committee(committees, committee_wanted)
        folder = source_folder(site.base_url, committee.id)
        stated = body_name(committee.title)
        report_body = stated or body or committee.title
        last = self.state.last_harvest(site.base_url, committee.id)
        start = date_from or (dt.date.fromisoformat(last[:10]) - LOOK_BACK if last else FIRST_MEETINGS)
        end = date_to or self.today()
        report = HarvestReport(
            site.base_url, site.system, committee.title, committee.id, report_body, start.isoformat(), end.isoformat()
        )
        if stated is None and body:
            report.warnings.append(f"the committee's title '{committee.title}' names no panel: cited as '{body}'")
        self.state.begin_source(site.base_url, committee.id, site.system, committee.title, folder)
        try:
            stubs = site.meetings(committee, start, end)
        except (FetchError, SourceError) as exc:
            raise HarvestError(f"cannot list the meetings of '{committee.title}': {exc}") from None
        report.meetings_listed = len(stubs)
        for stub in stubs:
            if stub.cancelled:
                report.cancelled += 1
                continue
            try:
                self._meeting(site, stub, committee, report_body, folder, report)
            except (FetchError, SourceError) as exc:
                failure = Failure(f"meeting {stub.id} ({stub.date or 'date unknown'})", stub.url, str(exc))
                self._fail(report, failure)
        report.requests = self.client.requests - started
        self.state.finish_source(site.base_url, committee.id, report.to_dict())
        return report

    def _fail(self, report: HarvestReport, failure: Failure) -> None:
        report.failures.append(failure)
        self.state.fail(report.site, report.committee_id, failure.what, failure.url, failure.reason)

    def _meeting(
        self, site: Site, stub: MeetingStub, committee: Committee, body: str, folder: str, report: HarvestReport
    ) -> None:
        meeting = site.meeting(stub, committee)
        if meeting.cancelled:
            report.cancelled += 1
            return
        date = meeting.date or stub.date
        if date is None:
            report.warnings.append(f"meeting {meeting.id}: the site states no readable date: cited with none")
        fingerprint = hashlib.sha256(repr(meeting).encode()).hexdigest()
        name = f"{date or 'undated'}_m{meeting.id}"
        target = self.index_dir / folder / name
        unchanged = self.state.meeting_fingerprint(site.base_url, meeting.id) == fingerprint
        if unchanged and (target / "manifest.toml").exists():
            report.meetings_unchanged += 1
            return
        staging = self.index_dir / PARTIAL_DIR / folder / name
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        facts: dict[str, object] = {
            "body": body,
            "meeting_date": date,
            "date_source": "source" if date else None,
            "attendees": [a.written for a in meeting.attendees],
        }
        pending = _Pending(meeting, facts, staging, target)
        has_items = any((i.minutes_html or i.documents) and not i.restricted for i in meeting.items)
        for item in meeting.items:
            if item.restricted:
                report.restricted += 1
                continue
            if item.minutes_html:
                file = f"item-{item.id or len(pending.entries)}.html"
                write_atomic(staging / file, _item_page(item, body).encode())
                number = item.minutes_number or item.number
                pending.entries[file] = {
                    **facts,
                    "item": number,
                    "title": item.title,
                    "source_url": item.url or meeting.url,
                }
                report.item_minutes += 1
            for doc in item.documents:
                self._document(doc, item, pending, report)
        for doc in meeting.documents:
            if has_items and _COMPILATION.search(doc.title):
                report.skipped.append(f"'{doc.title}' of meeting {meeting.id}: gathers what its items give")
                continue
            self._document(doc, None, pending, report)
        pending.publish()
        # A meeting with a failed document is done for now but looked at again next time.
        self.state.meeting_done(
            site.base_url,
            meeting.id,
            committee.id,
            date,
            f"{folder}/{name}",
            ("retry:" if pending.failed else "") + fingerprint,
            len(pending.entries),
        )
        report.meetings_harvested += 1

    def _document(self, doc: LinkedDocument, item: AgendaItem | None, pending: _Pending, report: HarvestReport) -> None:
        """Fetch one linked document into the meeting, unless it is held and unchanged."""
        if doc.restricted:
            report.restricted += 1
            return
        held = self.state.held(doc.url)
        have = held is not None and held.path.exists()
        try:
            fetched = self.client.get(doc.url, validators=held.validators if held and have else Validators())
            if fetched.not_modified and held is not None and have:
                file, unchanged = held.path.name, True
                if held.path.parent != pending.target:  # the same document published with another meeting too
                    shutil.copyfile(held.path, pending.staging / file)
            else:
                content = fetched.content
                sha = hashlib.sha256(content).hexdigest()
                suffix = suffix_for(content, fetched.content_type, fetched.url)
                file = f"doc-{hashlib.sha1(doc.url.encode()).hexdigest()[:12]}{suffix}"
                unchanged = held is not None and have and held.sha256 == sha and held.path == pending.target / file
                if not unchanged:
                    write_atomic(pending.staging / file, content)
                self.state.hold(doc.url, pending.target / file, sha, len(content), fetched.validators)
        except (FetchError, NotReadable) as exc:
            reason = exc.reason if isinstance(exc, FetchError) else str(exc)
            self._fail(report, Failure(f"document '{doc.title}' of meeting {pending.meeting.id}", doc.url, reason))
            pending.failed = True
            return
        if unchanged:
            report.documents_unchanged += 1
        else:
            report.documents_downloaded += 1
        pending.entries[file] = {
            **pending.facts,
            "item": item.number if item else None,
            "title": doc.title,
            "source_url": doc.url,
            "published": doc.published,
            "attachment": True,
        }


@dataclass
class _Pending:
    """One meeting being harvested: its files staged, where they go, and the facts each is published with."""

    meeting: SourceMeeting
    facts: dict[str, object]
    staging: Path
    target: Path
    entries: dict[str, dict[str, object]] = field(default_factory=dict)
    failed: bool = False

    def publish(self) -> None:
        """Put the meeting in place: the manifest first, then the files, so no file is ever there without its facts."""
        comment = f"Written by panel-search harvest from {self.meeting.url}\nThe facts each document is published with."
        write_atomic(self.target / "manifest.toml", manifest_toml(self.entries, comment).encode())
        for staged in self.staging.iterdir():
            staged.replace(self.target / staged.name)
        for old in self.target.iterdir():
            if old.name != "manifest.toml" and old.name not in self.entries and not old.name.startswith("."):
                old.unlink()  # withdrawn by the site, or now restricted
        shutil.rmtree(self.staging, ignore_errors=True)


def _item_page(item: AgendaItem, body: str) -> str:
    """The minutes of one item as a web page: its title as the heading the records are read under."""
    title = html.escape(item.title or f"Item {item.number or item.id}")
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(body)} - {title}</title></head>\n'
        f"<body><main>\n<h1>{title}</h1>\n{item.minutes_html}\n</main></body></html>\n"
    )
