"""A source document as lines, with its pages and the lines that are extraction debris."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.reading.text import LINE_END, clean_block, clean_inline, match_key, plain_key
from indexer.records import Location

# Running headers and footers that PDF extraction leaves between paragraphs.
_RUNNING_HEADER = re.compile(r"^\s*(?:agenda\s+item\s+\w{1,6}|page\s+\d+(?:\s+of\s+\d+)?)\s*$", re.I)
_LONE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:page\s+)?\d{1,3}(?:\s*-)?\s*(?:of\s+\d{1,3})?\s*$", re.I)


class DocumentError(Exception):
    """A document cannot be read as text (empty, binary or undecodable)."""


@dataclass
class SourceDocument:
    """The text of one corpus document, addressed by 1-based line numbers.

    path: where it was read from; `name` is the path reported in citations.
    lines: the document's lines, without line endings; lines[0] is line 1.
    page_of_line: page number (1-based) of each line, when the text has page breaks.
    debris: line numbers that are extraction debris (page numbers, running headers), left
        out of record text.
    format: the file format the text was read from: "text", "pdf", "html" or "docx".
    warnings: what reading the file noticed (pages without text, a guessed encoding).
    """

    name: str
    text: str
    lines: list[str]
    page_of_line: list[int] | None
    debris: set[int] = field(default_factory=set)
    format: str = "text"
    warnings: list[str] = field(default_factory=list)
    _plain: list[str] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_text(cls, name: str, text: str) -> SourceDocument:
        """Build a document from already-decoded text."""
        if not text.strip():
            raise DocumentError("the document is empty")
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        doc = cls(
            name=name,
            text=text,
            lines=[line.rstrip("\r") for line in lines],
            page_of_line=pdftotext_pages(lines),
        )
        doc.debris.update(doc.find_page_number_lines())
        doc.debris.update(doc.find_running_headers())
        doc.debris.update(doc.find_numbers_inside_sentences())
        return doc

    @classmethod
    def from_lines(
        cls,
        name: str,
        lines: list[str],
        *,
        format: str,
        page_of_line: list[int] | None = None,
        debris: set[int] | None = None,
        warnings: list[str] | None = None,
    ) -> SourceDocument:
        """Build a document from lines a reader extracted from a file of another format.

        The reader knows where its pages' margins are, so page numbers are taken from its
        debris; a standalone running header ("Agenda Item 5" between blank lines, as a PDF
        converted to a web page or Word file keeps it) is still looked for.
        """
        if not any(line.strip() for line in lines):
            raise DocumentError("the document has no text")
        doc = cls(
            name=name,
            text="\n".join(lines) + "\n",
            lines=lines,
            page_of_line=page_of_line,
            debris=set(debris or ()),
            format=format,
            warnings=list(warnings or ()),
        )
        doc.debris.update(doc.find_running_headers())
        return doc

    @property
    def line_count(self) -> int:
        """Number of lines in the document."""
        return len(self.lines)

    def line(self, number: int) -> str:
        """Return line `number` (1-based)."""
        return self.lines[number - 1]

    def plain(self, number: int) -> str:
        """Line `number` as plain words: markup debris removed (`clean_inline`), computed once per document."""
        if self._plain is None:
            self._plain = [clean_inline(line) for line in self.lines]
        return self._plain[number - 1]

    def page(self, number: int) -> int | None:
        """Return the page line `number` is on, or None when the text has no pages."""
        if self.page_of_line is None:
            return None
        return self.page_of_line[number - 1]

    def blank(self, number: int) -> bool:
        """True when line `number` holds no text of the document: empty, or a running header or page number.

        Between a page's last paragraph and the next page's first stand its footer and the
        next page's header; a line after them starts a paragraph as one after an empty line does.
        """
        return number in self.debris or not self.lines[number - 1].strip()

    def location(self, first: int, last: int) -> Location:
        """Where the text of lines first..last stands: the range without blank or debris lines at
        either end (not the blank line under a heading, nor a footer), and the pages it is on."""
        while first < last and self.blank(first):
            first += 1
        while last > first and self.blank(last):
            last -= 1
        return Location(lines=(first, last), page=self.page(first), last_page=self.page(last))

    def raw(self, first: int, last: int) -> str:
        """Lines first..last (1-based, inclusive) exactly as stored."""
        return "\n".join(self.lines[first - 1 : last])

    def content(self, first: int, last: int) -> str:
        """Lines first..last without the debris lines, as stored."""
        return "\n".join(self.lines[n - 1] for n in range(first, last + 1) if n not in self.debris)

    def quote(self, first: int, last: int) -> str:
        """Lines first..last as record text: debris lines dropped, markup cleaned."""
        return clean_block(self.content(first, last))

    def contains_quote(self, first: int, last: int, text: str) -> bool:
        """True when `text` stands in lines first..last, ignoring debris, markup, case and spacing.

        Record text is cleaned already, so an escaped tag it quotes ("&lt;b&gt;" read as "<b>") is
        compared as written, not cleaned a second time.
        """
        content = match_key(self.content(first, last))
        return match_key(text) in content or plain_key(text) in content

    def find_running_headers(self) -> set[int]:
        """Lines standing alone that repeat a running header ("Agenda Item 5", "Page 3 of 9")."""
        found: set[int] = set()
        for n, line in enumerate(self.lines, start=1):
            if not _RUNNING_HEADER.match(line):
                continue
            before = self.lines[n - 2].strip() if n > 1 else ""
            after = self.lines[n].strip() if n < len(self.lines) else ""
            if not before and not after:
                found.add(n)
        return found

    def find_numbers_inside_sentences(self) -> set[int]:
        """Lone page numbers a flattened PDF leaves inside a sentence ("Fry asked whether" / "1" / "the …")."""
        found: set[int] = set()
        for n in range(2, self.line_count):
            if not _LONE_NUMBER.match(self.lines[n - 1]):
                continue
            before, after = self.lines[n - 2].rstrip(), self.lines[n].lstrip()
            if before and after[:1].islower() and not LINE_END.search(before):
                found.add(n)
        return found

    def find_page_number_lines(self) -> set[int]:
        """Lines holding only a page number ("7", "-1-", "Page 3 of 9") at the foot of a page.

        A lone number elsewhere is a table cell and stays; a page number is the last
        non-blank line of a page (or one of the last three, above a footer).
        """
        if self.page_of_line is None:
            return set()
        found: set[int] = set()
        count = len(self.lines)
        for n in range(1, count + 1):
            if not PAGE_NUMBER.match(self.lines[n - 1]) or not self.lines[n - 1].strip():
                continue
            after = [m for m in range(n + 1, min(n + 4, count) + 1) if self.lines[m - 1].strip()]
            ends_page = n == count or any(
                self.page_of_line[m - 1] != self.page_of_line[n - 1] for m in range(n + 1, min(n + 4, count + 1))
            )
            if ends_page or not after:
                found.add(n)
        return found


def runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers (ascending) as (first, last) runs: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    out: list[tuple[int, int]] = []
    for n in numbers:
        if out and out[-1][1] == n - 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def pdftotext_pages(lines: list[str]) -> list[int] | None:
    """Page of every line, for pdftotext output whose page breaks became a leading space.

    pdftotext ends each page with a form feed; once form feeds are turned into newlines,
    every page after the first starts with a line that begins with one space, while other
    lines begin flush left. We only trust that signal when it is frequent and regular.
    """
    starts = [i for i, line in enumerate(lines) if line.startswith(" ") and not line.startswith("  ") and line.strip()]
    if len(starts) < 3 or len(starts) * 4 > len(lines):
        return None
    pages: list[int] = []
    page = 1
    start_set = set(starts)
    for i in range(len(lines)):
        if i in start_set and i > 0:
            page += 1
        pages.append(page)
    return pages
