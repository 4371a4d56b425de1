"""Text shape: a document's lines as blocks (paragraphs, list entries, headings), before any layout reads them.

What a reader of minutes sees first is the shape of the text, whatever produced it:
- **Hard-wrapped lines are one paragraph.** A PDF flattened to text, or a web page copied
  from one, breaks a paragraph into lines, and some put a blank line after every line. A line
  that does not finish a sentence runs on into the next one across a single blank line when
  the next starts in lower case, or when the text is wrapped that way throughout (most long
  lines followed by a blank line, many of them ending mid-sentence) and the line is long.
- **A list entry is a block of its own**: a line opening with a bullet ("•", "-"), a number
  ("1.", "(1)", "1)") or a letter ("a)", "(b)") starts one, blank line or not, and the marker
  is kept apart from the text.
- **Web-page furniture is not text**: attachment links ("pdf icon PDF 256 KB"), "Additional
  documents:", "View directions", a CMIS page's tabs. Such lines are dropped from blocks, and an
  attachment link is cut from the end of a title.
- **Headings** (a short line standing alone, without a sentence's end) are the context of
  the blocks below them, not records of their own; `Block.heading` says which blocks are.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property

from indexer.reading.document import SourceDocument
from indexer.reading.moves import read_label, read_moves
from indexer.reading.text import LINE_END, clean_inline

# A line's list marker: bullets, "1.", "(1)", "1)", "a)", "(a)", "(iv)", and paragraph numbers "5.3", "5.3.1".
_BULLETS = "•▪●◦·∙‣○■□➢►"
MARKER = re.compile(
    rf"^\s*(?P<marker>[{_BULLETS}]|"
    r"[-–](?=\s)|\((?:\d{1,3}|[a-z]|[ivx]{1,4})\)\.?|(?:\d{1,3}|[a-z]|[ivx]{1,4})\)"
    r"|\d{1,3}\.(?!\d)|\d{1,2}(?:\.\d{1,2}){1,2}\.?(?=\s+[A-Z]))\s+(?=\S)",
)
# A bullet alone on its line, its entry on the next (a Word list flattened: "·" then the text).
BARE_BULLET = re.compile(rf"^\s*(?P<marker>[{_BULLETS}])\s*$")
# Web-page furniture: whole lines that are links, tabs or labels of the page, never minutes.
FURNITURE = re.compile(
    r"^\W*(?:(?:pdf|docx?|xlsx?|pptx?|html?)\s+icon\b.*|additional\s+documents\s*:?|supporting\s+documents\s*:?"
    r"|view\s+(?:directions|the\s+(?:reasons?|background|declarations?|decision|full\s+minutes|agenda)\b.*)"
    r"|issue\s*[-–]\s*meetings|meeting\s+details|occurred|documents|members|attendees|agenda\s+item|items"
    r"|no\.?\s+item|(?:pdf\s+)?minutes\s*\(\s*\d+\s*[kmg]?b\s*\)|printed\s+minutes\b.*|webcast\b.*|watch\s+the\b.*"
    r"|link\s+to\s+(?:the\s+)?(?:video|webcast|recording)\b.*|download\b.*\b[kmg]b\W*|back\s+to\s+top"
    r"|no\.?\s*\|\s*item\b.*|media|share\s+this\s+item)\W*$|^[\s|:\-–]*$",
    re.I,
)
# An attachment link at the end of a title: "Minutes pdf icon PDF 120 KB", "Pdf Minutes (70Kb)".
ATTACHMENT = re.compile(
    r"\s*(?:(?:pdf|docx?|xlsx?|pptx?)\s+icon\s+(?:pdf|docx?|xlsx?|pptx?)\s*[\d.,]+\s*[kmg]?b"
    r"|\bpdf\s+[^()]{0,60}\(\s*[\d.,]+\s*[kmg]?b\s*\))\s*$",
    re.I,
)
# An item number on a line of its own: "5", "45/22", "4.1", "34.12/13", "8A", "(3)".
BARE_NUMBER = re.compile(r"^\(?\d{1,3}(?:\.\d{1,2})?[A-Za-z]?(?:/\d{2,4})?[.)]?$")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")

# A long line followed by a blank line this often, and ending mid-sentence this often, is a hard wrap.
WRAPPED_SHARE = 0.7
MID_SENTENCE_SHARE = 0.3
LONG_LINE = 40
# No hard-wrapped line is longer than this: PDF and Word text wraps at about 80-120 characters.
WRAPPED_MAX = 140
# A line ending in a colon is a label only when short; "Councillor Ray asked the following question:" is a sentence.
LABEL_WORDS = 8


@dataclass
class Block:
    """A paragraph, list entry or heading: its lines, its text (markup cleaned, lines joined) and its marker.

    first, last: the document lines it spans (blank lines between its wrapped lines included).
    text: the cleaned text, each line joined to the next by one space, the marker left out.
    marker: the list marker as written ("•", "2.", "(1)", "a)"), or None.
    starts: (offset in `text`, document line) where each of its lines starts.
    titled: the line was written as a heading ("### Response"), so it is one whatever its length.
    """

    first: int
    last: int
    text: str
    marker: str | None = None
    starts: list[tuple[int, int]] = field(default_factory=list)
    titled: bool = False  # written as a heading ("### Response")

    def line_at(self, offset: int) -> int:
        """The document line holding character `offset` of the text."""
        line = self.first
        for start, number in self.starts:
            if start > offset:
                break
            line = number
        return line

    @cached_property
    def heading(self) -> bool:
        """A short line standing alone that does not end a sentence: a title, a label, a name."""
        text = self.text.strip()
        if self.titled:
            return True
        if self.marker or not text or len(self.starts) > 2 or len(text.split()) > 14:
            return False
        if text.endswith(":"):
            shaped = len(text.split()) <= LABEL_WORDS
        else:
            shaped = not LINE_END.search(text) and (text[0].isupper() or text[0].isdigit())
        # A line that says something is text: "The Panel agreed and noted the Terms of Reference", "Councillor Ray
        # asked the following question:"; "Minutes:" and "Key points raised in the discussion:" are labels.
        return shaped and (read_label(text) is not None or all(m.kind == "none" for m in read_moves(text)))


def is_furniture(line: str) -> bool:
    """Whether a line is web-page furniture (an attachment link, a tab, "Additional documents:")."""
    return bool(FURNITURE.match(clean_inline(line)))


@dataclass(frozen=True)
class _Wrap:
    """How a document wraps its lines: whether blank lines stand between wrapped lines, and its line width."""

    spaced: bool
    width: int


def _wrap(doc: SourceDocument) -> _Wrap:
    lengths: list[int] = []
    followed = mid = long_lines = 0
    for n in range(1, doc.line_count + 1):
        text = doc.plain(n)
        if not text:
            continue
        lengths.append(len(text))
        if len(text) < LONG_LINE:
            continue
        long_lines += 1
        after_blank = n < doc.line_count and not doc.lines[n].strip()
        followed += after_blank
        mid += after_blank and not LINE_END.search(text)
    width = sorted(lengths)[int(len(lengths) * 0.9)] if lengths else 0
    spaced = long_lines >= 4 and followed >= WRAPPED_SHARE * long_lines and mid >= MID_SENTENCE_SHARE * long_lines
    return _Wrap(spaced, width)


def _runs_on(previous: str, following: str, wrap: _Wrap) -> bool:
    """Whether `following` carries on the sentence `previous` left unfinished, across one blank line."""
    if LINE_END.search(previous) or MARKER.match(following) or is_furniture(following):
        return False
    if following[:1].islower():
        return len(previous.split()) >= 4
    return wrap.spaced and len(previous) >= 0.7 * wrap.width and len(previous.split()) >= 6


def _line_text(raw: str) -> str:
    """A line's text as blocks hold it: markup, a heading's "#" and attachment links removed."""
    return ATTACHMENT.sub("", clean_inline(_MARKDOWN_HEADING.sub("", raw))).strip()


def _joins(current: Block, text: str, gap: int, wrap: _Wrap, following: str) -> bool:
    """Whether line `text`, `gap` blank lines after the block, carries the block on (`following`: the next line)."""
    previous = current.text[current.starts[-1][0] :]
    if BARE_NUMBER.match(text) or BARE_NUMBER.match(previous):
        # An item number stands on its own line (a CMIS page repeats them); a figure wrapped onto a line
        # of its own inside a sentence ("The ratio was" / "15/16" / "of the target.") does not.
        inside = gap == 0 and (
            (BARE_NUMBER.match(text) and not LINE_END.search(previous) and following[:1].islower())
            or (BARE_NUMBER.match(previous) and text[:1].islower() and len(current.starts) > 1)
        )
        return bool(inside)
    if read_label(text) or read_label(previous):
        return False  # "Question by Mrs Pascoe" / "Response by Councillor Trewin (Chair)" on lines of their own
    if gap > 1 or (gap == 1 and not _runs_on(previous, text, wrap)):
        return False
    if gap == 1:
        return True
    if len(previous) < 0.6 * wrap.width and not LINE_END.search(previous):
        # A short title line over a paragraph is its heading; a short line that is not wrapped ends its paragraph.
        return text[:1].islower()
    # A short line that ends a sentence ends its paragraph; a full one was wrapped where a sentence ended —
    # unless it is longer than any wrapped line is (a web page's paragraph on one line).
    wrapped = 0.8 * wrap.width <= len(previous) <= WRAPPED_MAX
    return not (LINE_END.search(previous) and not wrapped and not text[:1].islower())


# In text run on without line structure (a PDF flattened to text): where a new part starts inside a block.
# "… correct record. 24.14/15 PUBLIC QUESTION TIME The Chairman …", "… raised: (a) Councillor Stroud asked …",
# "… no recommendations. 6. Questions to the Police and Crime Commissioner 6.1 The Chairman …", "… 6.2 Mr Walpole …".
_CAPS = r"(?!RESOLVED\b)[A-Z][A-Z0-9'’&,()\-]+"
_RUN_ON_BREAK = re.compile(
    r"(?:(?<=[.;:!?)])|(?<=[.;:!?][\"'’”]))\s+(?="
    rf"(?P<item>(?:PCP\s+)?\d{{1,3}}(?:\.\d{{1,2}})?(?:/\d{{2,4}})?\.?\s+{_CAPS}(?:\s+{_CAPS})+\s+(?=[A-Z][a-z]|RESOLVED))"
    r"|(?P<titled>\d{1,2}\.\s+[A-Z][^.;:]{2,90}?\s+\d{1,2}\.1\s+[A-Z])"
    r"|(?P<para>\d{1,2}\.\d{1,2}\s+(?=[A-Z]))"
    r"|(?P<list>\((?:[a-z]|\d{1,2}|[ivx]{1,4})\)\s+(?=[A-Z]))"
    r"|(?P<resolved>RESOLVED\b))"
)
# The title of an item run on into its first paragraph: "6. Questions to the PCC 6.1 The Chairman …".
_TITLED = re.compile(r"^(?P<head>\d{1,2}\.\s+[A-Z][^.;:]{2,90}?)\s+(?=\d{1,2}\.1\s+[A-Z])")
_UPPER_TITLE = re.compile(
    rf"^(?P<head>(?:PCP\s+)?\d{{1,3}}(?:\.\d{{1,2}})?(?:/\d{{2,4}})?\.?\s+{_CAPS}(?:\s+{_CAPS})+)\s+(?=[A-Z][a-z]|RESOLVED)"
)
RUN_ON_LINES = 3


def _piece(block: Block, start: int, end: int) -> Block | None:
    """The part of a block between two offsets of its text, as a block of its own."""
    raw = block.text[start:end]
    text = raw.strip()
    if not text:
        return None
    start += len(raw) - len(raw.lstrip())
    marker = MARKER.match(text)
    body = text[marker.end() :] if marker else text
    shift = start + (marker.end() if marker else 0)
    starts = [(max(0, offset - shift), line) for offset, line in block.starts if offset < start + len(text)]
    first_line = block.line_at(start)
    starts = [(0, first_line)] + [(o, n) for o, n in starts if o > 0 and n > first_line]
    last_line = block.line_at(start + len(text) - 1)
    return Block(first_line, last_line, body, marker.group("marker") if marker else None, starts)


def split_run_on(block: Block) -> list[Block]:
    """A block of run-on text cut where its items, numbered paragraphs, lettered points and RESOLVED lines start."""
    if len(block.starts) < RUN_ON_LINES:
        return [block]
    breaks = [m.end() for m in _RUN_ON_BREAK.finditer(block.text)]
    if not breaks and not (_UPPER_TITLE.match(block.text) or _TITLED.match(block.text)):
        return [block]
    cuts = [0, *breaks, len(block.text)]
    out: list[Block] = []
    for a, b in itertools.pairwise(cuts):
        piece = _piece(block, a, b)
        if piece is None:
            continue
        if a == 0 and block.marker and piece.marker is None:
            piece.marker = block.marker  # the block's own marker stays with its first piece
        title = _UPPER_TITLE.match(piece.text) or _TITLED.match(piece.text)
        if title and title.end() < len(piece.text):
            # The item's number and title become a heading block over the paragraph they were run into.
            head = _piece(piece, 0, title.end("head"))
            rest = _piece(piece, title.end(), len(piece.text))
            out += [p for p in (head, rest) if p is not None]
        else:
            out.append(piece)
    return out


# A short lead and a dash before a first numbered question: "Councillor Johnson – 1. Given that …".
_LEAD_DASH = re.compile(r"^(?P<head>[^–—\-:?.]{3,60}?\s[–—-])\s+(?=1\.\s+[A-Z])")
# A numbered question run into the line after the one before it: "1. When will …? 2. Who are …? 3. What …".
_NUMBERED_QUESTION = re.compile(r"(?:^|(?<=\?))\s*(?P<number>\d{1,2})\.\s+(?=[A-Z])")


def split_numbered_questions(block: Block) -> list[Block]:
    """A block holding questions numbered 1, 2, 3 … in one run of text, cut into one block per question."""
    lead = _LEAD_DASH.match(block.text)
    if lead and not block.marker:
        # "Councillor Johnson – 1. Given that …? 2. What …?": the name heads the questions numbered after it.
        head, rest = _piece(block, 0, lead.end("head")), _piece(block, lead.end(), len(block.text))
        if head is not None and rest is not None:
            return [head, *split_numbered_questions(rest)]
    # The block's marker is the first number ("1." then "When will …? 2. Who …"), the rest follow question marks.
    first = (block.marker or "").rstrip(".")
    found = [m for m in _NUMBERED_QUESTION.finditer(block.text) if m.start() > 0]
    numbers = [int(m.group("number")) for m in found]
    if not first.isdigit() or not found or numbers != list(range(int(first) + 1, int(first) + 1 + len(found))):
        return [block]
    cuts = [0, *(m.start() for m in found), len(block.text)]
    pieces = [_piece(block, a, b) for a, b in itertools.pairwise(cuts)]
    if pieces[0] is not None:
        pieces[0].marker = block.marker
    return [p for p in pieces if p is not None]


def blocks(doc: SourceDocument, first: int = 1, last: int | None = None) -> list[Block]:
    """The blocks of lines first..last, in order; furniture and debris lines are left out."""
    return [
        question
        for block in _blocks(doc, first, last)
        for piece in split_run_on(block)
        for question in split_numbered_questions(piece)
    ]


def _blocks(doc: SourceDocument, first: int, last: int | None) -> list[Block]:
    """The blocks of lines first..last, before run-on text is cut."""
    last = doc.line_count if last is None else last
    wrap = _wrap(doc)
    out: list[Block] = []
    current: Block | None = None
    gap = 0  # blank lines since the current block's last line
    bullet: str | None = None  # a bullet standing alone above the next line: that line's marker
    texts = {n: _line_text(doc.line(n)) for n in range(first, last + 1) if n not in doc.debris}
    numbers = [n for n, text in texts.items() if text]
    following = {a: texts[b] for a, b in itertools.pairwise(numbers)}
    for n in range(first, last + 1):
        if n in doc.debris:
            continue
        raw = doc.line(n)
        titled = bool(_MARKDOWN_HEADING.match(raw))
        text = texts[n]
        if not text:
            gap += 1
            continue
        alone = BARE_BULLET.match(text)
        if alone:
            current, gap, bullet = None, 0, alone.group("marker")
            continue
        if is_furniture(text):
            current, gap = None, 0
            continue
        marker = None if titled else MARKER.match(text)
        joins = current is not None and marker is None and not titled and not current.titled
        joins = joins and current is not None and _joins(current, text, gap, wrap, following.get(n, ""))
        if joins and current is not None:
            current.starts.append((len(current.text) + 1, n))
            current.text += " " + text
            current.last = n
        else:
            body = text[marker.end() :] if marker else text
            sign = marker.group("marker") if marker else bullet
            current = Block(n, n, body, sign, [(0, n)], titled=titled)
            out.append(current)
        gap, bullet = 0, None
    return out
