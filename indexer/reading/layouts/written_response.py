"""Written responses as numbered paragraphs: each question a paragraph ending "(Cllr J Frudd)".

The PCC's report to the panel numbers its paragraphs (2.1, 2.2, …); a member's question
is one paragraph, often in italics, closing with the asker's name in brackets, and the
response runs over the following paragraphs until the next question or section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.reading.citing import END_OF_QUESTIONS, RecordFactory
from indexer.reading.document import SourceDocument
from indexer.reading.layouts.base import Layout, ParseResult
from indexer.reading.layouts.common import contact_block, numbered_headings, running_header_item
from indexer.reading.meeting import MeetingMap
from indexer.reading.moves import BRACKETED, bracketed_asker
from indexer.reading.text import clean_inline

NUMBERED_PARAGRAPH = re.compile(r"^\s*(?:[-•*]\s+)?(\d{1,2}\.\d{1,2})\.?\s+(.*)$")


@dataclass
class _Unit:
    number: str
    first: int
    last: int
    asker: str | None = None


def _units(doc: SourceDocument, headings: set[int]) -> list[_Unit]:
    """Numbered paragraphs with the unnumbered paragraphs that continue them."""
    units: list[_Unit] = []
    for n, line in enumerate(doc.lines, start=1):
        if n in doc.debris or n in headings or not line.strip():
            continue
        if END_OF_QUESTIONS.match(doc.plain(n)):
            break
        match = NUMBERED_PARAGRAPH.match(line)
        if match:
            units.append(_Unit(match.group(1), n, n))
        elif units:
            units[-1].last = n
    for unit in units:
        unit.asker = bracketed_asker(clean_inline(doc.content(unit.first, unit.last)))
    return units


def detect(doc: SourceDocument) -> float:
    """Confident when a numbered paragraph ends with a bracketed name and another follows it."""
    headings = {n for n, _, _ in numbered_headings(doc)}
    units = _units(doc, headings)
    questions = [i for i, u in enumerate(units) if u.asker]
    if questions and questions[0] + 1 < len(units):
        return 0.9
    return 0.0


def _strip_number(text: str) -> str:
    return re.sub(r"^\s*\d{1,2}\.\d{1,2}\.?\s+", "", text)


def parse(doc: SourceDocument, meetings: MeetingMap) -> ParseResult:
    """Question, answer and exchange records; other numbered paragraphs as report sections."""
    item = running_header_item(doc)
    meeting = meetings.at(1)
    factory = RecordFactory(doc)
    result = ParseResult(meetings=meetings.meetings)
    result.covered.update(contact_block(doc))
    headings = numbered_headings(doc)
    heading_lines = {n for n, _, _ in headings}
    units = _units(doc, heading_lines)
    if units:
        result.covered.update(range(1, units[0].first))
    result.covered.update(heading_lines)

    def title_at(line: int) -> str | None:
        return next((t for n, _, t in reversed(headings) if n <= line), None)

    count = 0
    i = 0
    while i < len(units):
        unit = units[i]
        title = title_at(unit.first)
        if not unit.asker:
            result.records.append(
                factory.make(
                    "report_section",
                    unit.first,
                    unit.last,
                    meeting,
                    text=_strip_number(doc.quote(unit.first, unit.last)),
                    item=item,
                    reference=f"para {unit.number}",
                    title=title,
                    context=title or "",
                )
            )
            i += 1
            continue
        count += 1
        answer_units: list[_Unit] = []
        j = i + 1
        while j < len(units) and not units[j].asker and units[j].number.split(".")[0] == unit.number.split(".")[0]:
            answer_units.append(units[j])
            j += 1
        question_text = BRACKETED.sub("", _strip_number(doc.quote(unit.first, unit.last))).strip()
        reference = f"Question {count} (para {unit.number})"
        question = factory.make(
            "question",
            unit.first,
            unit.last,
            meeting,
            text=question_text,
            item=item,
            reference=reference,
            asker=unit.asker,
            title=title,
            context=title or "",
        )
        result.records.append(question)
        if answer_units:
            first, last = answer_units[0].first, answer_units[-1].last
            numbers = answer_units[0].number + (f"-{answer_units[-1].number}" if len(answer_units) > 1 else "")
            answer = factory.make(
                "answer",
                first,
                last,
                meeting,
                text=_strip_number(doc.quote(first, last)),
                item=item,
                reference=f"Question {count}, response (para {numbers})",
                asker=unit.asker,
                responder="PCC",
                title=title,
                context=f"{title + '. ' if title else ''}{question_text[:300]}",
                parent_id=question.id,
            )
            result.records += [answer, factory.exchange(question, answer)]
        else:
            result.warnings.append(f"para {unit.number}: a question with no response after it")
        i = j
    return result


LAYOUT = Layout(name="written_response", detect=detect, parse=parse)
