"""Fallback layout: blank-line paragraphs of a document no other layout recognises."""

from __future__ import annotations

from indexer.document import SourceDocument
from indexer.layouts.base import Layout, Meeting, ParseResult, RecordFactory
from indexer.meta import find_body, parse_date


def paragraph_spans(doc: SourceDocument, first: int = 1, last: int | None = None) -> list[tuple[int, int]]:
    """(first, last) line spans of the blank-line separated paragraphs in a range."""
    last = doc.line_count if last is None else last
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for n in range(first, last + 1):
        blank = not doc.line(n).strip() or n in doc.debris
        if blank and start is not None:
            spans.append((start, n - 1))
            start = None
        elif not blank and start is None:
            start = n
    if start is not None:
        spans.append((start, last))
    return spans


def detect(doc: SourceDocument) -> float:
    """Every text document can be read as paragraphs; the lowest confidence of all."""
    return 0.01


def parse(doc: SourceDocument) -> ParseResult:
    """One report_section per paragraph, cited to the meeting named at the top, if any."""
    head = "\n".join(doc.lines[:80])
    date = parse_date(head)
    meeting = Meeting(find_body(doc.text), date.isoformat() if date else None)
    factory = RecordFactory(doc)
    result = ParseResult(meetings=[meeting])
    for number, (first, last) in enumerate(paragraph_spans(doc), start=1):
        text = doc.quote(first, last)
        if len(text.split()) < 3:
            continue
        result.records.append(
            factory.make("report_section", first, last, meeting, text=text, reference=f"paragraph {number}")
        )
    return result


LAYOUT = Layout(name="plain", detect=detect, parse=parse)
