"""Styled text from PDF, HTML and Word, written as the light markdown the layouts read.

Every reader turns its format into lines of text in which bold runs are `**…**` and
italic runs `*…*`, headings `# …` and table rows `| a | b |`: the same conventions as the
text documents in the corpus, so one set of layout rules parses every format (a
member's question set in italics is found the same way in a PDF as in its text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")


@dataclass(frozen=True)
class Span:
    """A stretch of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False


def merge_spans(spans: list[Span]) -> list[Span]:
    """Neighbouring spans of one style joined; empty spans dropped."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic) == (span.bold, span.italic):
            merged[-1] = Span(merged[-1].text + span.text, span.bold, span.italic)
        else:
            merged.append(span)
    return merged


def join_spans(spans: list[Span]) -> str:
    """One line of text with emphasis markers hugging the words they style."""
    out: list[str] = []
    for span in merge_spans([Span(_SPACE.sub(" ", s.text), s.bold, s.italic) for s in spans]):
        marker = "*" * (2 * span.bold + span.italic)
        core = span.text.strip()
        if not marker or not core:
            out.append(span.text)
            continue
        lead = span.text[: len(span.text) - len(span.text.lstrip())]
        trail = span.text[len(span.text.rstrip()) :]
        out.append(f"{lead}{marker}{core}{marker}{trail}")
    return "".join(out).strip()
