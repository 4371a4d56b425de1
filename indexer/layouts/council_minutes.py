"""Council committee "Agenda and minutes" pages (the ModernGov layout and its like).

Items are numbered on a line of their own ("45/22"), followed by the item's title (an
attachment marker such as "pdf icon PDF 120 KB" is dropped from it), an optional agenda
description, "Minutes:" and the minute text. An item of member questions holds
"Question N: from …", "PCC Response:", "Supplementary Question:" and "Response:".

Records: one `minute` per item, quoting the minute text; `resolved` holds the RESOLVED
line(s) as written, keeping the word "RESOLVED" ("RESOLVED to note the report …") so the
decision reads as a sentence and stays a quote of the page. An item made of member
questions gives question / answer / supplementary / exchange records instead of a minute
(the same text is not indexed twice); only text around the questions (an introduction, a
closing RESOLVED) becomes a minute. A page that cuts an item off ("…  view the full
minutes text for item 45/22") gives a truncated record, the tail left out of its text but
inside its cited lines, and a warning.
"""

from __future__ import annotations

import re

from indexer.document import SourceDocument
from indexer.layouts.base import Layout, Meeting, ParseResult, RecordFactory
from indexer.layouts.qa import TRUNCATION, find_qa_parts, qa_records
from indexer.meta import DATE_PATTERN, find_body, parse_date
from indexer.records import Record
from indexer.textclean import clean_inline

MINUTE_ITEM = re.compile(r"^\d{1,3}/\d{2,4}\.?$")
MINUTES_LABEL = re.compile(r"^\s*minutes?\s*:\s*$", re.I)
ATTACHMENT = re.compile(r"\s*pdf icon\s*PDF\s*[\d.]+\s*[KMG]?B\s*$", re.I)
RESOLVED = re.compile(r"^\s*RESOLVED\b", re.I)
# "Derbyshire Police and Crime Panel - Thursday, 17 November 2022 10.00 am"
MEETING_LINE = re.compile(r"^(?P<body>[^-–]{4,120}?)\s+[-–]\s+(?:\w+day,?\s+)?(?P<rest>.*)$")
# How far (in lines) after an item number its title must start: the page puts one blank line between.
TITLE_GAP = 3


def detect(doc: SourceDocument) -> float:
    """Confident when there are several numbered items and "Minutes:" labels."""
    items = len(item_starts(doc))
    labels = sum(1 for line in doc.lines if MINUTES_LABEL.match(line))
    if items >= 2 and labels >= 1:
        return 0.95
    return 0.1 if items >= 2 else 0.0


def item_starts(doc: SourceDocument) -> list[int]:
    """Lines holding an item number ("45/22") that stands alone and is followed by a title.

    A figure such as "15/16" inside minute text is part of a paragraph, so a number only
    starts an item when the line before it is blank and a title line follows shortly.
    """
    starts: list[int] = []
    for n, line in enumerate(doc.lines, start=1):
        if not MINUTE_ITEM.match(line.strip()):
            continue
        if n > 1 and not doc.blank(n - 1):
            continue
        after = [m for m in range(n + 1, min(n + TITLE_GAP, doc.line_count) + 1) if not doc.blank(m)]
        if after and not MINUTE_ITEM.match(doc.line(after[0]).strip()):
            starts.append(n)
    return starts


def meeting_of(doc: SourceDocument) -> Meeting:
    """The body and date from the page's meeting line, or the first date and body named."""
    for line in doc.lines[:40]:
        text = clean_inline(line)
        match = MEETING_LINE.match(text)
        if match and DATE_PATTERN.search(match.group("rest")):
            date = parse_date(match.group("rest"))
            return Meeting(match.group("body").strip(), date.isoformat() if date else None)
    head = "\n".join(doc.lines[:40])
    date = parse_date(head)
    return Meeting(find_body(doc.text), date.isoformat() if date else None)


def parse(doc: SourceDocument) -> ParseResult:
    """One minute per item; an item of member questions gives question/answer/exchange records."""
    meeting = meeting_of(doc)
    factory = RecordFactory(doc)
    result = ParseResult(meetings=[meeting])
    starts = item_starts(doc)
    for index, start in enumerate(starts):
        end = (starts[index + 1] - 1) if index + 1 < len(starts) else doc.line_count
        item = doc.line(start).strip().rstrip(".")
        result.records += _item_records(doc, factory, meeting, item, start, end, result.warnings)
        # The item number, title, agenda description and "Minutes:" label are the item's heading.
        label = next((n for n in range(start, end + 1) if MINUTES_LABEL.match(doc.line(n))), start)
        result.covered.update(range(start, label + 1))
    # The page's own heading (title, meeting line, venue, contact) precedes the first item.
    result.covered.update(range(1, (starts[0] if starts else 1)))
    return result


def checked_quote(doc: SourceDocument, first: int, last: int, text: str | None = None) -> str | None:
    """Record text for lines first..last that passes `contains_quote`, or None when none does.

    `doc.quote` cleans markup line by line while `contains_quote` cleans the lines joined, so
    a tag split over two lines ("<b" / ">") can make them disagree; then the joined, cleaned
    lines are the quote.
    """
    for candidate in (text, doc.quote(first, last), clean_inline(doc.content(first, last))):
        if candidate and candidate.strip() and doc.contains_quote(first, last, candidate):
            return candidate
    return None


def _trim(doc: SourceDocument, first: int, last: int) -> tuple[int, int] | None:
    """The range without its leading and trailing blank lines, or None when nothing is left."""
    while first <= last and not doc.line(first).strip():
        first += 1
    while last >= first and not doc.line(last).strip():
        last -= 1
    return (first, last) if first <= last else None


def _item_records(
    doc: SourceDocument, factory: RecordFactory, meeting: Meeting, item: str, start: int, end: int, warnings: list[str]
) -> list[Record]:
    """The records of one item: its minute, or its questions and answers."""
    title_line = next((n for n in range(start + 1, end + 1) if doc.line(n).strip()), None)
    if title_line is None:
        warnings.append(f"item {item} has no title or text")
        return []
    title = ATTACHMENT.sub("", clean_inline(doc.line(title_line))).strip() or None
    label = next((n for n in range(title_line + 1, end + 1) if MINUTES_LABEL.match(doc.line(n))), None)
    description = doc.quote(title_line + 1, label - 1) if label and label > title_line + 1 else ""
    context = ". ".join(part for part in (title, description) if part)
    body = _trim(doc, (label or title_line) + 1, end)
    if body is None:
        warnings.append(f"item {item} ({title}) has no minute text")
        return []
    body_first, body_last = body
    parts = find_qa_parts(doc, body_first, body_last)
    if not parts:
        return _minute(doc, factory, meeting, item, title, context, body_first, body_last, warnings)
    # The questions run from the first question heading to a closing RESOLVED, if any.
    qa_first = parts[0].first - 1
    qa_last = next(
        (n - 1 for n in range(parts[-1].first, body_last + 1) if RESOLVED.match(doc.line(n))),
        body_last,
    )
    records: list[Record] = []
    before = _trim(doc, body_first, qa_first - 1)
    if before:
        records += _minute(doc, factory, meeting, item, title, context, *before, warnings)
    qa_warnings: list[str] = []
    questions = qa_records(doc, factory, qa_first, qa_last, meeting, item=item, title=title, warnings=qa_warnings)
    records += questions
    # qa_records words truncation its own way; this layout says it once per item, below.
    warnings += [w for w in qa_warnings if "cut off" not in w]
    if any(r.truncated for r in questions):
        warnings.append(f"item {item} is truncated on the page")
    after = _trim(doc, qa_last + 1, body_last)
    if after:
        records += _minute(doc, factory, meeting, item, title, context, *after, warnings)
    return records


def _minute(
    doc: SourceDocument,
    factory: RecordFactory,
    meeting: Meeting,
    item: str,
    title: str | None,
    context: str,
    first: int,
    last: int,
    warnings: list[str],
) -> list[Record]:
    """A minute quoting lines first..last, with its RESOLVED text and any truncation noted (none if no text)."""
    text = checked_quote(doc, first, last)
    if text is None:
        return []
    truncated = bool(TRUNCATION.search(text))
    if truncated:
        text = TRUNCATION.sub("", text).rstrip(" .…")
        warnings.append(f"item {item} is truncated on the page")
        if not text:
            return []
    resolved = " ".join(clean_inline(doc.line(n)) for n in range(first, last + 1) if RESOLVED.match(doc.line(n)))
    return [
        factory.make(
            "minute",
            first,
            last,
            meeting,
            text=text,
            item=item,
            title=title,
            context=context,
            resolved=resolved or None,
            truncated=truncated,
        )
    ]


LAYOUT = Layout(name="council_minutes", detect=detect, parse=parse)
