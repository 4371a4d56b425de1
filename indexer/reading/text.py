"""The text primitives every stage shares: debris removed from quoted text, text compared loosely, sentences,
and the decision line ("RESOLVED") minutes print.

One sentence splitter serves reading (moves, undertakings), embedding (passages) and showing (snippets,
figures), so a sentence is the same sentence wherever it is cut; it runs at query time too, so it is a
single pass of regular expressions (measured against syntok in `evaluation/reading_libraries.py`).
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"</?(?:b|i|u|em|strong|sup|sub|span|p|br|a|font|div|td|tr|th|table)\b[^>]*>", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_LIST_BULLET = re.compile(r"^\s*[-•▪●]\s+", re.M)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}.*$", re.M)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)

# A decision as minutes record it, at the start of a line: "RESOLVED that …", "UNANIMOUSLY RESOLVED …".
RESOLVED = re.compile(r"^\W*(?:UNANIMOUSLY\s+)?RESOLVED\b", re.I)
# What a minute resolved, as written: "RESOLVED to note the report …", to the end of its paragraph.
RESOLVED_TEXT = re.compile(r"(?<![A-Za-z])(?:UNANIMOUSLY\s+)?RESOLVED\b.*?(?=\n\n|$)", re.S)
# A resolution anywhere in a sentence: "RESOLVED", or "resolved that" in running text.
RESOLVES = re.compile(r"\bRESOLVED\b|\b[Rr]esolved\s+that\b")

# A line that ends a sentence (a clause mark or a stop, then closing quotes or brackets).
LINE_END = re.compile(r"[.?!:;…][\"'’”)\]]*$")

# Where a sentence may end: stops, then closing quotes or brackets, then a space or the end; or a line break.
# A stop glued to a capitalised word ends one too: PDF text loses the space in "the Commission.She said".
_STOP = re.compile(r"[.!?]+[\"'’”)\]]*(?=\s|$)|(?<=[a-z]{2})\.(?=[A-Z][a-z])|\n")
# A full stop that does not end a sentence: after a title, an initial or a short form ("Cllr. J. Smith",
# "e.g.", "No. 5"); the words before are tested, the stop itself excluded.
_NOT_AN_END = re.compile(
    r"(?:\b(?:Cllrs?|Councillor|Mrs?|Ms|Mx|Dr|Prof|Sir|Revd?|Supt|Insp|Sgt|Det|Ch|Con|Hon|St|No|Nos|Vol|approx"
    r"|etc|vs?|cf|Co|Ltd|para|paras|fig|ref|incl|esp|dept|govt|e\.g|i\.e|[A-Za-z])|\.[a-z])$"
)
# A sentence so far that is only its number or letter ("2.", "4.1.", "(b)."): it numbers what follows.
_ENUMERATOR = re.compile(r"\s*\(?(?:\d{1,3}(?:\.\d{1,2})*|[a-z]|[ivx]{1,5})\)?")
# A paragraph number a sentence opens with ("61. The Panel asked …"), and the space after it.
LEADING_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,2})*\.\s+(?=[A-Z])")


def clean_inline(text: str) -> str:
    """Strip markup debris (`**`, `<b>`, `<br/>`, entities) from one line, keep its words."""
    text = _BR.sub(" ", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = _EMPHASIS.sub("", text)
    text = _SPACES.sub(" ", text)
    return text.strip()


def clean_block(text: str) -> str:
    """Clean a block of lines: markup removed, paragraphs kept, whitespace tidied."""
    text = _HEADING.sub("", text)
    text = _TABLE_RULE.sub("", text)
    text = _LIST_BULLET.sub("", text)
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in text.splitlines():
        line = clean_inline(raw.replace("|", " ") if raw.count("|") >= 2 else raw)
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def match_key(text: str) -> str:
    """Lower-case letters and digits only: the form in which quoted text is compared."""
    return _NON_WORD.sub("", clean_inline(text).lower())


def plain_key(text: str) -> str:
    """Lower-case letters and digits of text already cleaned of markup."""
    return _NON_WORD.sub("", text.lower())


def squash(text: str) -> str:
    """Collapse all whitespace to single spaces."""
    return " ".join(text.split())


def resolution(text: str) -> str | None:
    """What a minute resolved, as written ("RESOLVED to note the report …"): its RESOLVED paragraphs, or None."""
    return " ".join(squash(m.group(0)) for m in RESOLVED_TEXT.finditer(text)) or None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, without their surrounding space.

    A line break ends a sentence; a stop ends one unless it follows a title, an initial or a short form
    ("Cllr. J. Smith", "e.g. the …", "approx. 40") or only the sentence's number ("2. MEMBER QUESTIONS"). A
    stop before a lower-case word still ends one: a table run together starts its next cell in lower case.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _STOP.finditer(text):
        stop = match.group()
        if stop == "." and (
            _NOT_AN_END.search(text, max(0, match.start() - 12), match.start())
            or _ENUMERATOR.fullmatch(text, start, match.start())
        ):
            continue
        end = match.start() if stop == "\n" else match.end()
        _add_span(text, start, end, spans)
        start = match.end()
    _add_span(text, start, len(text), spans)
    return spans


def sentences(text: str) -> list[str]:
    """The sentences of `text` (see `sentence_spans`)."""
    return [text[a:b] for a, b in sentence_spans(text)]


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
