"""Fallback layout: blank-line paragraphs of a document no other layout recognises."""

from __future__ import annotations

from indexer.reading.citing import RecordFactory
from indexer.reading.document import SourceDocument
from indexer.reading.layouts.base import Layout, ParseResult
from indexer.reading.layouts.common import paragraph_spans
from indexer.reading.meeting import MeetingMap


def detect(doc: SourceDocument) -> float:
    """Every text document can be read as paragraphs; the lowest confidence of all."""
    return 0.01


def parse(doc: SourceDocument, meetings: MeetingMap) -> ParseResult:
    """One report_section per paragraph, cited to the meeting the text states, if any."""
    factory = RecordFactory(doc)
    result = ParseResult(meetings=meetings.meetings)
    for number, (first, last) in enumerate(paragraph_spans(doc), start=1):
        text = doc.quote(first, last)
        if len(text.split()) < 3:
            continue
        result.records.append(
            factory.make("report_section", first, last, meetings.at(first), text=text, reference=f"paragraph {number}")
        )
    return result


LAYOUT = Layout(name="plain", detect=detect, parse=parse)
