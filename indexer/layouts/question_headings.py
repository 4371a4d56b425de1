"""Written responses laid out as "Question N: from Cllr X" headings, each followed by "Response".

Panels publish the PCC's written answers to members' questions this way, often as
markdown or HTML converted from a Word report, with a cover table naming the meeting.
"""

from __future__ import annotations

from indexer.document import SourceDocument
from indexer.layouts.base import Layout, ParseResult, RecordFactory
from indexer.layouts.common import contact_block, head_meeting, numbered_headings, running_header_item
from indexer.layouts.council_minutes import MINUTE_ITEM
from indexer.layouts.plain import paragraph_spans
from indexer.layouts.qa import QUESTION_HEADING, RESPONSE_HEADING, find_qa_parts, heading_text, qa_records


def detect(doc: SourceDocument) -> float:
    """Confident when question headings with askers are followed by bare "Response" headings."""
    questions = [
        n for n, line in enumerate(doc.lines, 1) if (m := QUESTION_HEADING.match(heading_text(line))) and m.group(2)
    ]
    responses = [
        n
        for n, line in enumerate(doc.lines, 1)
        if (m := RESPONSE_HEADING.match(heading_text(line))) and m.group(1) is None
    ]
    if not questions or not responses:
        return 0.0
    # Council minutes pages also carry question headings; their numbered items win there.
    if sum(1 for line in doc.lines if MINUTE_ITEM.match(line.strip())) >= 2:
        return 0.3
    return 0.85 if any(r > questions[0] for r in responses) else 0.2


def parse(doc: SourceDocument) -> ParseResult:
    """Question, answer and exchange records, plus the report's other numbered sections."""
    item = running_header_item(doc)
    meeting = head_meeting(doc)
    factory = RecordFactory(doc)
    result = ParseResult(meetings=[meeting])
    result.covered.update(contact_block(doc))
    parts = find_qa_parts(doc, 1, doc.line_count)
    if not parts:
        return result
    first_question = parts[0].first - 1
    headings = numbered_headings(doc)
    qa_title = next((t for n, _, t in reversed(headings) if n < first_question), None)
    result.records += qa_records(
        doc, factory, 1, doc.line_count, meeting, item=item, title=qa_title, warnings=result.warnings
    )
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
                meeting,
                item=item,
                title=title,
                reference=f"section {number}" if number else None,
                context=title or "",
            )
        )
    result.covered.update(n for n, _, _ in headings)
    return result


LAYOUT = Layout(name="question_headings", detect=detect, parse=parse)
