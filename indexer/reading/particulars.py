"""A meeting's particulars: when and where it sat and who was there, as the page lists them.

Council sites print these as labelled lines around the minutes ("Venue: …", "Contact: …", "Present:",
"In attendance:", "Witnesses:", "Apologies for absence:", "Date of next meeting") and a meeting line with a
date and a time of day ("Thursday, 17 November 2022 10.00 am", "1 Jun 2017 - 14:30 to 17:00"). The layouts
read them as structure, so no record held them and a member asking "who attended" or "who was the
Deputy Commissioner then" found nothing. Each run of such lines becomes one `particulars` record, quoted
as printed, with the meeting (body and date) as its context.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Literal

from indexer.reading.citing import RecordFactory
from indexer.reading.dates import find_dates, format_date
from indexer.reading.document import SourceDocument
from indexer.reading.meeting import Meeting, MeetingMap, date_source_of
from indexer.records import Record

# A line that names a particular of the meeting, with or without its content on the same line.
LABEL = re.compile(
    r"^\W*(?:venue|location|contact(?:\s+officer)?|time(?:\s+of\s+(?:the\s+)?meeting)?|present"
    r"|(?:members|officers|councillors)\s+present|(?:also\s+)?in\s+attendance|also\s+present|attendees"
    r"|attendance|witnesses|apologies(?:\s+for\s+absence)?|date\s+of\s+(?:the\s+)?next\s+meeting)\b"
    r"\s*(?:[:.\-–]\s*|$)",
    re.I,
)
# A time of day: "10.00 am", "2pm", "14:30".
TIME_OF_DAY = re.compile(
    r"\b(?:[01]?\d[.:][0-5]\d\s*(?:am|pm|a\.m\.|p\.m\.)?|[01]?\d\s*(?:am|pm)|[12]\d:[0-5]\d)\b", re.I
)
# Lines under a label are its list (names, roles) while they stay this short; a longer line is prose.
LIST_LINE_WORDS = 16
# A run stops after this many lines, so a label never swallows the page.
MAX_LINES = 24
# A line ending in a colon leads in something else ("Key points raised in the discussion:").
_LEADS_IN = re.compile(r":\s*$")


def is_meeting_line(text: str) -> bool:
    """True for a line stating a date and a time of day: the meeting's own line on a council page."""
    return bool(TIME_OF_DAY.search(text)) and bool(find_dates(text)) and len(text.split()) <= LIST_LINE_WORDS


LabelKind = Literal["content", "alone", "bare"]


def label_kind(text: str) -> LabelKind | None:
    """How a line names a particular: with its content ("Venue: Council Chamber"), alone and set off by a colon
    or capitals so its content is on the lines under it ("Witnesses:", "APOLOGIES"), or bare in title case, a
    tab or a heading ("Attendees"); None when it names none."""
    match = LABEL.match(text)
    if match is None:
        return None
    if text[match.end() :].strip():
        return "content"
    return "alone" if text.rstrip().endswith(":") or text.isupper() else "bare"


def particulars_spans(doc: SourceDocument, taken: Collection[int]) -> list[tuple[int, int]]:
    """(first, last) line runs of particulars among the lines no record holds (`taken`).

    A run starts at a meeting line or a label; a label alone takes the short lines under it (its list); a
    label left with nothing under it is trimmed (a record holds its list).
    """
    runs: list[list[int]] = []
    alone: set[int] = set()  # lines that are a label alone
    lists = False  # the line before was a label alone, or a line of its list
    previous = 0  # the last line with text
    for n in range(1, doc.line_count + 1):
        text = doc.plain(n).strip()
        if not text or n in doc.debris:
            continue
        free = n not in taken
        kind = label_kind(text)
        if kind == "alone":
            alone.add(n)
        starts = free and (kind in ("content", "alone") or is_meeting_line(text))
        heading = kind == "bare"  # "Attendees" as a tab: the list is over
        listed = lists and free and not heading and len(text.split()) <= LIST_LINE_WORDS and not _LEADS_IN.search(text)
        if (starts or listed) and runs and runs[-1][-1] == previous and n - runs[-1][0] < MAX_LINES:
            runs[-1].append(n)
        elif starts:
            runs.append([n])
        lists = free and (kind == "alone" or (listed and not starts))
        previous = n
    spans: list[tuple[int, int]] = []
    for run in runs:
        while run and run[-1] in alone:
            run.pop()
        if run:
            spans.append((run[0], run[-1]))
    return spans


def particulars_records(
    doc: SourceDocument, meetings: MeetingMap, factory: RecordFactory, records: Sequence[Record]
) -> list[Record]:
    """One `particulars` record per run of meeting particulars among the lines no record in `records` holds.

    The run is cited to the meeting the meeting stage places it in; where that stage found no date (a board
    pack, whose layout dates its own meetings) it takes the meeting of the next record, whose particulars
    these are, or else of the last record before it.
    """
    taken: set[int] = set()
    for record in records:
        first, last = record.citation.location.lines
        taken.update(range(first, last + 1))
    ordered = sorted(records, key=lambda r: r.citation.location.lines[0])
    out: list[Record] = []
    for first, last in particulars_spans(doc, taken):
        meeting = meetings.at(first)
        if meeting.date is None:
            meeting = _meeting_near(ordered, first) or meeting
        when = format_date(meeting.date) if meeting.date else None
        context = ", ".join(p for p in (meeting.body, when) if p)
        out.append(
            factory.make(
                "particulars",
                first,
                last,
                meeting,
                reference="particulars",
                title="Meeting particulars",
                context=f"Meeting particulars: {context}" if context else "Meeting particulars",
            )
        )
    return out


def _meeting_near(ordered: Sequence[Record], line: int) -> Meeting | None:
    """The dated meeting of the first record after `line`, else of the last one before it."""
    after = [r for r in ordered if r.citation.location.lines[0] > line and r.citation.meeting_date]
    before = [r for r in ordered if r.citation.location.lines[0] < line and r.citation.meeting_date]
    near = after[0] if after else (before[-1] if before else None)
    if near is None:
        return None
    c = near.citation
    return Meeting(c.body, c.meeting_date, date_source_of(c.date_source))
