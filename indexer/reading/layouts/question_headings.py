"""Written responses laid out as "Question N: from Cllr X" headings, each followed by "Response".

Panels publish the PCC's written answers to members' questions this way, often as
markdown or HTML converted from a Word report, with a cover table naming the meeting. The
questions and answers are read by the exchange finder, whose labels these headings are;
the report's numbered sections before them (purpose, background) are report sections.
"""

from __future__ import annotations

from indexer.reading.citing import END_OF_QUESTIONS, RecordFactory
from indexer.reading.document import SourceDocument
from indexer.reading.exchanges import ItemText, item_records
from indexer.reading.layouts.base import Layout, ParseResult
from indexer.reading.layouts.common import (
    MINUTE_ITEM,
    contact_block,
    numbered_headings,
    paragraph_spans,
    running_header_item,
)
from indexer.reading.meeting import MeetingMap
from indexer.reading.moves import read_label
from indexer.reading.shape import blocks


def _labels(doc: SourceDocument) -> list[tuple[int, str, str | None]]:
    """(line, role, who) of every label heading standing on a line of its own."""
    out: list[tuple[int, str, str | None]] = []
    for n in range(1, doc.line_count + 1):
        text = doc.plain(n)
        label = read_label(text) if text and n not in doc.debris else None
        if label and label.role != "asker":
            out.append((n, label.role, label.who))
    return out


def detect(doc: SourceDocument) -> float:
    """Confident when question headings with askers are followed by bare "Response" headings."""
    labels = _labels(doc)
    questions = [n for n, role, who in labels if role == "question" and who]
    responses = [n for n, role, who in labels if role == "answer" and who is None]
    if not questions or not responses:
        return 0.0
    # Council minutes pages also carry question headings; their numbered items win there.
    if sum(1 for line in doc.lines if MINUTE_ITEM.match(line.strip())) >= 2:
        return 0.3
    return 0.85 if any(r > questions[0] for r in responses) else 0.2


def parse(doc: SourceDocument, meetings: MeetingMap) -> ParseResult:
    """Question, answer and exchange records, plus the report's other numbered sections."""
    item = running_header_item(doc)
    factory = RecordFactory(doc)
    result = ParseResult(meetings=meetings.meetings)
    contacts = contact_block(doc)
    result.covered.update(contacts)
    labels = _labels(doc)
    if not labels:
        return result
    first_question = labels[0][0]
    meeting = meetings.at(first_question)
    headings = numbered_headings(doc)
    qa_title = next((t for n, _, t in reversed(headings) if n < first_question), None)
    end = next(
        (n - 1 for n in range(first_question, doc.line_count + 1) if END_OF_QUESTIONS.match(doc.plain(n))),
        doc.line_count,
    )
    end = min(end, contacts.start - 1) if contacts else end
    text = ItemText(item, qa_title, qa_title or "", blocks(doc, first_question, end), responder="PCC")
    records, covered = item_records(doc, factory, meeting, text, result.warnings)
    result.records += records
    result.covered.update(covered)
    # Numbered sections before the questions (purpose, background) are report sections;
    # what comes before the first of them is the title block and cover table.
    first_heading = headings[0][0] if headings else first_question
    result.covered.update(range(1, first_heading))
    for first, last in paragraph_spans(doc, first_heading, first_question - 1):
        if any(n == first == last for n, _, _ in headings):
            result.covered.add(first)
            continue
        number, title = next(((num, t) for n, num, t in reversed(headings) if n <= first), (None, None))
        result.records.append(
            factory.make(
                "report_section",
                first,
                last,
                meetings.at(first),
                item=item,
                title=title,
                reference=f"section {number}" if number else None,
                context=title or "",
            )
        )
    result.covered.update(n for n, _, _ in headings)
    return result


LAYOUT = Layout(name="question_headings", detect=detect, parse=parse)
