"""Documents -> cited records: pick the layout from the text, parse, report what happened."""

from __future__ import annotations

import dataclasses
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from indexer.reading.citing import RecordFactory
from indexer.reading.document import DocumentError, SourceDocument, runs
from indexer.reading.layouts.base import Layout, ParseResult
from indexer.reading.layouts.common import paragraph_spans
from indexer.reading.layouts.registry import LAYOUTS
from indexer.reading.meeting import DateSource, Given, MeetingMap, date_source_of, read_meetings
from indexer.reading.particulars import particulars_records
from indexer.reading.people import attendee_named, person_key
from indexer.reading.readers import format_of, read_document
from indexer.records import Access, Record

# Leftover text shorter than this is headings, table cells or signatures, not content.
MIN_LEFTOVER_WORDS = 12


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata stated for a document outside its text; it overrides the text.

    source: where it was stated: "source" (the publishing system, as harvested), "manifest"
        (corpus/manifest.toml) or "upload" (the upload form).
    item: the agenda item the document was published under ("5", "45/22").
    source_url: where the publisher shows the document (an agenda item page, an attachment's URL).
    attendees: the people the publisher lists at the meeting, "Full Name (role)" or "Full Name": an asker
        the text names by surname or by role ("the Chair") is cited with the full name when one attendee fits.
    attachment: published with the meeting rather than being its record (see `indexer.reading.meeting.Given`).
    """

    body: str | None = None
    meeting_date: str | None = None
    access: Access | None = None
    source: DateSource = "manifest"
    item: str | None = None
    source_url: str | None = None
    attendees: tuple[str, ...] = ()
    attachment: bool = False

    @property
    def given(self) -> Given | None:
        """What the meeting stage is told, or None when nothing about the meeting was stated."""
        if not (self.body or self.meeting_date or self.item):
            return None
        return Given(self.body, self.meeting_date, self.source, self.item, self.attachment)


@dataclass
class DocumentReport:
    """What ingesting one document found: its layout, records, meetings and problems.

    meetings: the meetings it records, each with its body, date and where the date came from.
    date_unknown, body_unknown: some of its records are cited with no meeting date / no body,
        because neither the text nor the metadata given with it says.
    error: set when the document could not be read at all; then it has no records.
    """

    document: str
    format: str | None = None
    layout: str | None = None
    records_by_kind: dict[str, int] = field(default_factory=dict)
    meetings: list[dict[str, str | None]] = field(default_factory=list)
    date_unknown: bool = False
    body_unknown: bool = False
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON form, for `panel-search index --json`."""
        return dataclasses.asdict(self)


def load_manifest(corpus_dir: Path) -> dict[str, DocumentMeta]:
    """Read a folder's manifest.toml ([documents."NAME"] tables), if there is one.

    A harvest writes one beside what it downloads, with the facts the publishing system states
    (`date_source = "source"`, `item`, `source_url`, `attendees`, `attachment`).
    """
    path = corpus_dir / "manifest.toml"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    documents = data.get("documents", {})
    return {name: _meta(entry) for name, entry in documents.items()}


def _meta(entry: dict[str, object]) -> DocumentMeta:
    source = entry.get("date_source", "manifest")
    attendees = entry.get("attendees", [])
    return DocumentMeta(
        body=_str(entry.get("body")),
        meeting_date=_iso(entry.get("meeting_date")),
        access="restricted" if entry.get("access") == "restricted" else None,
        source=date_source_of(source if isinstance(source, str) else None) or "manifest",
        item=_str(entry.get("item")),
        source_url=_str(entry.get("source_url")),
        attendees=tuple(str(a) for a in attendees) if isinstance(attendees, list) else (),
        attachment=entry.get("attachment") is True,
    )


def _str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _iso(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def choose_layout(doc: SourceDocument) -> Layout:
    """The layout whose detector is most confident about this text."""
    best = max(LAYOUTS, key=lambda layout: layout.detect(doc))
    return best


def parse_document(doc: SourceDocument, meta: DocumentMeta | None = None) -> tuple[list[Record], DocumentReport]:
    """Parse one document into records and its ingest report: the meeting stage, then the layout."""
    report = DocumentReport(document=doc.name, format=doc.format, warnings=list(doc.warnings))
    meetings = read_meetings(doc, meta.given if meta else None)
    layout = choose_layout(doc)
    report.layout = layout.name
    result = layout.parse(doc, meetings)
    if layout.name == "plain":
        report.warnings.append("layout not recognised: indexed as plain paragraphs")
    records = list(result.records)
    records += _leftovers(doc, result, meetings, report)
    if meta is not None:
        records = [_with_source(_with_access(r, meta.access), meta, doc.format) for r in records]
    report.meetings = [
        {"body": m.body, "date": m.date, "date_source": m.date_source} for m in (result.meetings or meetings.meetings)
    ]
    report.warnings.extend(meetings.notes + result.warnings)
    undated = sum(1 for r in records if r.citation.meeting_date is None)
    report.date_unknown = undated > 0
    report.body_unknown = any(r.citation.body is None for r in records)
    if undated:
        report.warnings.append(
            f"meeting date unknown for {undated} record(s): the text states no meeting date, so they are cited "
            "with meeting_date null (give one in corpus/manifest.toml or the upload form)"
        )
    if report.body_unknown:
        report.warnings.append("body unknown: the text's heading and meeting line name no panel or board")
    report.records_by_kind = dict(sorted(Counter(r.kind for r in records).items()))
    if not records:
        report.warnings.append("no records found in the document")
    return records, report


@dataclass
class ParsedFile:
    """One file parsed: its records, its ingest report and its text (None when it could not be read)."""

    records: list[Record]
    report: DocumentReport
    document: SourceDocument | None = None

    @classmethod
    def failed(cls, path: Path, name: str, error: str) -> ParsedFile:
        """A file that gave no records, and why."""
        return cls([], DocumentReport(document=name, format=format_of(path), error=error))


def parse_file(path: Path, name: str, meta: DocumentMeta | None = None) -> ParsedFile:
    """Read a file in its format and parse it; a file that cannot be read gets an error, not an exception."""
    try:
        doc = read_document(path, name)
    except (DocumentError, OSError) as exc:
        return ParsedFile.failed(path, name, str(exc))
    except Exception as exc:  # a reader library failing on a hostile file fails that file alone
        return ParsedFile.failed(path, name, f"the file cannot be read: {type(exc).__name__}: {exc}")
    try:
        records, report = parse_document(doc, meta)
    except Exception as exc:
        return ParsedFile.failed(path, name, f"parser failed: {type(exc).__name__}: {exc}")
    return ParsedFile(records, report, doc)


def parse_path(path: Path, name: str, meta: DocumentMeta | None = None) -> tuple[list[Record], DocumentReport]:
    """Read and parse a file: its records and ingest report."""
    parsed = parse_file(path, name, meta)
    return parsed.records, parsed.report


def _leftovers(doc: SourceDocument, result: ParseResult, meetings: MeetingMap, report: DocumentReport) -> list[Record]:
    """Index the meeting's particulars, and substantial text no record covers as report sections (and say so)."""
    factory = RecordFactory(doc, earlier=result.records)
    out = particulars_records(doc, meetings, factory, result.records)
    covered: set[int] = set(result.covered)
    for record in [*result.records, *out]:
        first, last = record.citation.location.lines
        covered.update(range(first, last + 1))
    spans: list[str] = []
    for first, last in paragraph_spans(doc):
        lines = [n for n in range(first, last + 1) if n not in covered]
        if not lines:
            continue
        for a, b in runs(lines):  # the paragraph's stretches of uncovered lines
            text = doc.quote(a, b)
            if len(text.split()) < MIN_LEFTOVER_WORDS:
                continue
            out.append(factory.make("report_section", a, b, meetings.at(a), text=text, reference=f"lines {a}-{b}"))
            spans.append(f"{a}-{b}")
    if spans and result.records:
        report.warnings.append(
            f"{len(spans)} unparsed stretch(es) indexed as report sections: lines {', '.join(spans[:10])}"
            + (" …" if len(spans) > 10 else "")
        )
    return out


def _with_source(record: Record, meta: DocumentMeta, format_: str) -> Record:
    """The record with its link to the publisher (at its page, for a PDF) and its asker as the source names them."""
    c = record.citation
    url = meta.source_url
    if url and format_ == "pdf" and c.location.page:
        url = f"{url.split('#')[0]}#page={c.location.page}"
    asker = attendee_named(c.asker, meta.attendees) if c.asker and meta.attendees else None
    if url == c.source_url and asker is None:
        return record
    citation = dataclasses.replace(c, source_url=url)
    if asker is not None:
        citation = dataclasses.replace(citation, asker=asker, asker_key=person_key(asker))
    return dataclasses.replace(record, citation=citation)


def _with_access(record: Record, access: Access | None) -> Record:
    """The record with the access level stated for its document (the meeting stage applied the rest)."""
    return dataclasses.replace(record, access=access) if access and access != record.access else record
