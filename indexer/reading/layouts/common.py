"""What several layouts share: paragraphs, item numbers, section headings, running headers and closing contact
tables (quotes and the RESOLVED and closing-section patterns are in `indexer.reading.citing`)."""

from __future__ import annotations

import re
from collections import Counter

from indexer.reading.bodies import title_case
from indexer.reading.document import SourceDocument
from indexer.reading.text import clean_inline

AGENDA_ITEM = re.compile(r"^\s*agenda\s+item\s+(\w{1,6})\s*$", re.I)
NUMBERED_HEADING = re.compile(r"^\s*(?:#+\s*)?\**\s*(\d{1,2})\.\s+([A-Z][A-Z0-9 &'’,()/-]{3,})\s*\**\s*$")
# A council minute number standing alone: "45/22", "5/23."
MINUTE_ITEM = re.compile(r"^\d{1,3}/\d{2,4}\.?$")
CONTACT = re.compile(r"^\W*(?:contact for enquiries|contact details)\b", re.I)
# A contact table is short; more text than this after the heading is content, not contacts.
CONTACT_WORDS = 60


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


def running_header_item(doc: SourceDocument) -> str | None:
    """The agenda item a running header names ("Agenda Item 5" between paragraphs), if any."""
    items: Counter[str] = Counter()
    for n in doc.debris:
        match = AGENDA_ITEM.match(doc.plain(n))
        if match:
            items[match.group(1)] += 1
    if not items:
        return None
    return f"Agenda Item {items.most_common(1)[0][0]}"


def section_title(heading: str) -> str:
    """ "2. PANEL MEMBER QUESTIONS" -> "Panel Member Questions"."""
    text = re.sub(r"^[\s#*]*\d+\.\s*", "", clean_inline(heading.replace("#", " ")))
    return title_case(text) if text.isupper() else text


def numbered_headings(doc: SourceDocument) -> list[tuple[int, str, str]]:
    """(line, number, title) of top-level numbered headings ("## 2. MEMBER QUESTIONS TO THE COMMISSIONER")."""
    out: list[tuple[int, str, str]] = []
    for n, line in enumerate(doc.lines, start=1):
        # Bold runs glued into one line ("…****1. PURPOSE OF THE REPORT**") hide headings; split them.
        for piece in re.split(r"\*{2,}", line):
            match = NUMBERED_HEADING.match(piece.replace("#", "").strip())
            if match:
                out.append((n, match.group(1), section_title(piece)))
    return out


def contact_block(doc: SourceDocument) -> range:
    """Lines of the closing contact table ("CONTACT FOR ENQUIRIES … Name: … Tel: …"), if any."""
    for n in range(1, doc.line_count + 1):
        if CONTACT.match(doc.plain(n)):
            words = sum(len(x.split()) for x in doc.lines[n:])
            if words <= CONTACT_WORDS:
                return range(n, doc.line_count + 1)
    return range(0)
