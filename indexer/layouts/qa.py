"""Question / response blocks, shared by the layouts that head each part with a label.

A block runs from a question heading ("Question 2: from Cllr H Dhindsa") through a
response heading ("Response", "### Response", "PCC Response:") and, in minutes, an optional
"Supplementary Question:" with its "Response:". Headings may carry markdown or HTML markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.document import SourceDocument
from indexer.layouts.base import Meeting, RecordFactory
from indexer.records import Record
from indexer.textclean import clean_inline

QUESTION_HEADING = re.compile(
    r"^\s*(?:#+\s*)?(?:question|q)\s*(\d+)\s*[:.)-]?\s*(?:(?:from|by|asked by)\s+(.+?))?\s*:?\s*$", re.I
)
RESPONSE_HEADING = re.compile(
    r"^\s*(?:#+\s*)?(?:(pcc|commissioner(?:'s)?|chief constable(?:'s)?|opcc)\s+)?"
    r"(?:response|reply|answer)\s*(?:from\s+(.+?))?\s*:?\s*$",
    re.I,
)
SUPPLEMENTARY_HEADING = re.compile(r"^\s*(?:#+\s*)?supplementary\s+question\s*(?:from\s+(.+?))?\s*:?\s*$", re.I)
END_OF_QUESTIONS = re.compile(
    r"^\s*(?:#+\s*)?(?:\d+\.?\s*)?(?:contact for enquiries|contact details|background papers|appendix|appendices)\b",
    re.I,
)
TRUNCATION = re.compile(
    r"\.{2,}\s*view the full minutes text for item\s*\S*\s*$|…\s*view the full minutes text.*$", re.I
)


def heading_text(line: str) -> str:
    """A line with markup removed, for matching headings written in bold or as markdown."""
    return clean_inline(line).strip()


@dataclass
class _Part:
    role: str  # "question", "answer", "supplementary_question", "supplementary_answer"
    first: int
    last: int
    number: str | None = None
    asker: str | None = None
    responder: str | None = None


def find_qa_parts(doc: SourceDocument, first: int, last: int) -> list[_Part]:
    """The labelled parts between lines first and last, each running to the next heading."""
    parts: list[_Part] = []
    for n in range(first, last + 1):
        text = heading_text(doc.line(n))
        if not text or n in doc.debris:
            continue
        q = QUESTION_HEADING.match(text)
        s = SUPPLEMENTARY_HEADING.match(text)
        r = RESPONSE_HEADING.match(text)
        if END_OF_QUESTIONS.match(text):
            break
        if q:
            parts.append(_Part("question", n + 1, n, number=q.group(1), asker=q.group(2)))
        elif s:
            parts.append(_Part("supplementary_question", n + 1, n, asker=s.group(1)))
        elif r and parts:
            previous = parts[-1].role
            role = "supplementary_answer" if previous == "supplementary_question" else "answer"
            responder = r.group(1) or r.group(2)
            parts.append(
                _Part(
                    role,
                    n + 1,
                    n,
                    responder=responder.upper() if responder and responder.lower() == "pcc" else responder,
                )
            )
        elif parts:
            parts[-1].last = n
    return [p for p in parts if p.last >= p.first]


def qa_records(
    doc: SourceDocument,
    factory: RecordFactory,
    first: int,
    last: int,
    meeting: Meeting,
    *,
    item: str | None,
    title: str | None,
    warnings: list[str],
    default_responder: str | None = "PCC",
) -> list[Record]:
    """Question, answer, supplementary and exchange records for the labelled parts in a range."""
    records: list[Record] = []
    question: Record | None = None
    supplementary: Record | None = None
    for part in find_qa_parts(doc, first, last):
        raw = doc.quote(part.first, part.last)
        truncated = bool(TRUNCATION.search(raw))
        text = TRUNCATION.sub("", raw).rstrip(" .…") if truncated else raw
        if not text.strip():
            continue
        if truncated:
            warnings.append(f"{item or 'an item'}: {part.role.replace('_', ' ')} is cut off in the source")
        context_title = f"{title}. " if title else ""
        if part.role == "question":
            reference = f"Question {part.number}"
            question = factory.make(
                "question",
                part.first,
                part.last,
                meeting,
                text=text,
                item=item,
                reference=reference,
                asker=part.asker,
                title=title,
                context=context_title.strip(),
                truncated=truncated,
            )
            supplementary = None
            records.append(question)
        elif part.role == "answer" and question is not None:
            answer = factory.make(
                "answer",
                part.first,
                part.last,
                meeting,
                text=text,
                item=item,
                reference=f"{question.citation.reference}, response",
                asker=question.citation.asker,
                responder=part.responder or default_responder,
                title=title,
                context=f"{context_title}{question.text[:300]}",
                parent_id=question.id,
                truncated=truncated,
            )
            records += [answer, factory.exchange(question, answer)]
        elif part.role == "supplementary_question" and question is not None:
            supplementary = factory.make(
                "supplementary_question",
                part.first,
                part.last,
                meeting,
                text=text,
                item=item,
                reference=f"{question.citation.reference}, supplementary question",
                asker=part.asker or question.citation.asker,
                title=title,
                context=f"{context_title}{question.text[:300]}",
                parent_id=question.id,
                truncated=truncated,
            )
            records.append(supplementary)
        elif part.role == "supplementary_answer" and supplementary is not None and question is not None:
            answer = factory.make(
                "supplementary_answer",
                part.first,
                part.last,
                meeting,
                text=text,
                item=item,
                reference=f"{question.citation.reference}, supplementary answer",
                asker=supplementary.citation.asker,
                responder=part.responder or default_responder,
                title=title,
                context=f"{context_title}{supplementary.text[:300]}",
                parent_id=supplementary.id,
                truncated=truncated,
            )
            records += [
                answer,
                factory.exchange(supplementary, answer, reference=f"{question.citation.reference}, supplementary"),
            ]
        else:
            warnings.append(
                f"lines {part.first}-{part.last}: a {part.role.replace('_', ' ')} with no question before it"
            )
    return records
