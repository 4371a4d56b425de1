"""Minutes that report exchanges in prose: "Councillor X asked whether …; the PCC responded that …".

Items are numbered headings ("12. PUBLIC AND MEMBER QUESTIONS"). Within an item, an
exchange starts where a member is said to ask and its answer where the Commissioner (or
another officer) is said to respond; "X then asked …" makes a supplementary exchange.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.document import SourceDocument
from indexer.layouts.base import Layout, Meeting, ParseResult, RecordFactory
from indexer.layouts.common import head_meeting
from indexer.layouts.plain import paragraph_spans
from indexer.layouts.qa import QUESTION_HEADING, heading_text
from indexer.meta import title_case
from indexer.records import Record, RecordKind
from indexer.textclean import clean_inline

_NAME = r"(?:Councillor|Cllr|Mr|Mrs|Ms|Miss|Dr)\.?\s+(?:[A-Z]\.?\s+)*[A-Z][\w'’-]+"
ASKED = re.compile(rf"(?P<asker>{_NAME})\s+(?P<then>then\s+|further\s+|also\s+)?asked\b")
IN_RESPONSE_TO = re.compile(rf"In response to (?:a |further )?(?:question|questions|query) from (?P<asker>{_NAME})")
RESPONDER = (
    r"(?:the\s+)?(?P<responder>Police and Crime Commissioner|Commissioner|PCC|Deputy PCC|Chief Constable|"
    r"Chief Executive|Chief Finance Officer)"
)
ANSWERED = re.compile(
    rf"{RESPONDER}\s+(?:had\s+)?(?:responded|replied|said|confirmed|explained|stated|advised|answered|reported)\b",
    re.I,
)
ITEM_HEADING = re.compile(r"^\s*(\d{1,3}[A-Za-z]?)\.\s+([A-Z][A-Z0-9 ,:&'’()/-]{3,})\s*$")


@dataclass
class _Clause:
    role: str
    start: int
    end: int
    asker: str | None = None
    responder: str | None = None


def _clauses(text: str) -> list[_Clause]:
    """Question and answer clauses in one paragraph, in order, each running to the next."""
    marks: list[_Clause] = []
    for m in ASKED.finditer(text):
        role = "supplementary_question" if m.group("then") else "question"
        marks.append(_Clause(role, m.start(), m.start(), asker=m.group("asker")))
    for m in IN_RESPONSE_TO.finditer(text):
        marks.append(_Clause("question", m.start(), m.start(), asker=m.group("asker")))
    for m in ANSWERED.finditer(text):
        if not any(c.start <= m.start() < c.start + 3 for c in marks):
            marks.append(_Clause("answer", m.start(), m.start(), responder=m.group("responder")))
    marks.sort(key=lambda c: c.start)
    for i, clause in enumerate(marks):
        clause.end = marks[i + 1].start if i + 1 < len(marks) else len(text)
    return marks


def detect(doc: SourceDocument) -> float:
    """Confident when members are said to ask and the Commissioner to answer, with no Q/A headings."""
    if any(QUESTION_HEADING.match(heading_text(line)) for line in doc.lines):
        return 0.0
    text = " ".join(clean_inline(line) for line in doc.lines)
    asks = len(ASKED.findall(text)) + len(IN_RESPONSE_TO.findall(text))
    answers = len(ANSWERED.findall(text))
    return 0.85 if asks >= 1 and answers >= 1 else 0.0


def parse(doc: SourceDocument) -> ParseResult:
    """Minutes per item; question, answer and exchange records for the exchanges reported in prose."""
    meeting = head_meeting(doc)
    factory = RecordFactory(doc)
    result = ParseResult(meetings=[meeting])
    heads = [(n, m.group(1), m.group(2)) for n, line in enumerate(doc.lines, 1) if (m := ITEM_HEADING.match(line))]
    if not heads:
        heads = [(0, "", "")]
    result.covered.update(range(1, heads[0][0]))
    for i, (line, item, raw_title) in enumerate(heads):
        end = heads[i + 1][0] - 1 if i + 1 < len(heads) else doc.line_count
        title = title_case(raw_title) if raw_title.isupper() else raw_title or None
        result.covered.add(line)
        loose: list[tuple[int, int]] = []
        for first, last in paragraph_spans(doc, line + 1, end):
            found = _paragraph_exchanges(doc, factory, meeting, first, last, item or None, title, result)
            if not found:
                loose.append((first, last))
        if loose:
            text = "\n\n".join(doc.quote(a, b) for a, b in loose)
            resolved = " ".join(doc.quote(a, b) for a, b in loose if doc.quote(a, b).upper().startswith("RESOLVED"))
            result.records.append(
                factory.make(
                    "minute",
                    loose[0][0],
                    loose[-1][1],
                    meeting,
                    text=text,
                    item=item or None,
                    title=title,
                    context=title or "",
                    resolved=resolved or None,
                )
            )
    return result


def _paragraph_exchanges(
    doc: SourceDocument,
    factory: RecordFactory,
    meeting: Meeting,
    first: int,
    last: int,
    item: str | None,
    title: str | None,
    result: ParseResult,
) -> bool:
    """Records for the exchanges in one paragraph; False when it reports none."""
    pieces = [clean_inline(doc.line(n)) for n in range(first, last + 1)]
    offsets: list[int] = []
    text = ""
    for piece in pieces:
        offsets.append(len(text))
        text += piece + " "
    clauses = _clauses(text)
    if not any(c.role == "answer" for c in clauses):
        return False

    def lines_of(clause: _Clause) -> tuple[int, int]:
        a = max(i for i, off in enumerate(offsets) if off <= clause.start)
        b = max(i for i, off in enumerate(offsets) if off < max(clause.end - 1, clause.start + 1))
        return first + a, first + b

    question: Record | None = None
    asked: Record | None = None  # the question or supplementary question awaiting its answer
    number = sum(1 for r in result.records if r.kind == "question" and r.citation.item == item)
    for clause in clauses:
        quote = text[clause.start : clause.end].strip().rstrip(";,")
        a, b = lines_of(clause)
        if clause.role == "question" or (clause.role == "supplementary_question" and question is None):
            number += 1
            question = factory.make(
                "question",
                a,
                b,
                meeting,
                text=quote,
                item=item,
                reference=f"Question {number}",
                asker=clause.asker,
                title=title,
                context=title or "",
            )
            asked = question
            result.records.append(question)
        elif clause.role == "supplementary_question" and question is not None:
            asked = factory.make(
                "supplementary_question",
                a,
                b,
                meeting,
                text=quote,
                item=item,
                reference=f"Question {number}, supplementary question",
                asker=clause.asker,
                title=title,
                context=f"{title + '. ' if title else ''}{question.text[:300]}",
                parent_id=question.id,
            )
            result.records.append(asked)
        elif clause.role == "answer" and asked is not None:
            kind: RecordKind = "supplementary_answer" if asked.kind == "supplementary_question" else "answer"
            reference = f"Question {number}, {'supplementary answer' if asked.kind != 'question' else 'response'}"
            answer = factory.make(
                kind,
                a,
                b,
                meeting,
                text=quote,
                item=item,
                reference=reference,
                asker=asked.citation.asker,
                responder=clause.responder,
                title=title,
                context=f"{title + '. ' if title else ''}{asked.text[:300]}",
                parent_id=asked.id,
            )
            exchange_ref = f"Question {number}" + (", supplementary" if asked.kind != "question" else "")
            result.records += [answer, factory.exchange(asked, answer, reference=exchange_ref)]
            asked = None
    return True


LAYOUT = Layout(name="prose_minutes", detect=detect, parse=parse)
