"""Council committee "Agenda and minutes" pages (the ModernGov layout and its like).

Items are numbered on a line of their own ("45/22"), followed by the item's title, an
optional agenda description, "Minutes:" and the minute text. An item of member questions
holds "Question N: from …", "PCC Response:", "Supplementary Question:" and "Response:".
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


def detect(doc: SourceDocument) -> float:
    """Confident when there are several numbered items and "Minutes:" labels."""
    items = sum(1 for line in doc.lines if MINUTE_ITEM.match(line.strip()))
    labels = sum(1 for line in doc.lines if MINUTES_LABEL.match(line))
    if items >= 2 and labels >= 1:
        return 0.95
    return 0.1 if items >= 2 else 0.0


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
    starts = [n for n, line in enumerate(doc.lines, 1) if MINUTE_ITEM.match(line.strip())]
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


def _item_records(
    doc: SourceDocument, factory: RecordFactory, meeting: Meeting, item: str, start: int, end: int, warnings: list[str]
) -> list[Record]:
    title_line = next((n for n in range(start + 1, end + 1) if doc.line(n).strip()), None)
    if title_line is None:
        warnings.append(f"item {item} has no title or text")
        return []
    title = ATTACHMENT.sub("", clean_inline(doc.line(title_line))).strip()
    label = next((n for n in range(title_line + 1, end + 1) if MINUTES_LABEL.match(doc.line(n))), None)
    description = doc.quote(title_line + 1, label - 1) if label and label > title_line + 1 else ""
    context = f"{title}. {description}".strip() if description else title
    body_first = (label or title_line) + 1
    while body_first <= end and not doc.line(body_first).strip():
        body_first += 1
    body_last = end
    while body_last >= body_first and not doc.line(body_last).strip():
        body_last -= 1
    if body_first > body_last:
        warnings.append(f"item {item} ({title}) has no minute text")
        return []
    if find_qa_parts(doc, body_first, body_last):
        return qa_records(doc, factory, body_first, body_last, meeting, item=item, title=title, warnings=warnings)
    text = doc.quote(body_first, body_last)
    truncated = bool(TRUNCATION.search(text))
    if truncated:
        text = TRUNCATION.sub("", text).rstrip(" .…")
        warnings.append(f"item {item} is cut off in the source")
    resolved_lines = [
        clean_inline(doc.line(n)) for n in range(body_first, body_last + 1) if RESOLVED.match(doc.line(n))
    ]
    return [
        factory.make(
            "minute",
            body_first,
            body_last,
            meeting,
            text=text,
            item=item,
            reference=None,
            title=title,
            context=context,
            resolved=" ".join(resolved_lines) or None,
            truncated=truncated,
        )
    ]


LAYOUT = Layout(name="council_minutes", detect=detect, parse=parse)
