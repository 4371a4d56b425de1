"""Web pages -> document lines, read with Beautiful Soup: council committee pages and others.

The page's own encoding is honoured (byte-order mark, then the charset the page declares,
then UTF-8, then Windows-1252), and "ISO-8859-1" is read as Windows-1252, as browsers do,
so curly quotes and £ signs survive. Navigation, scripts and other page furniture are
dropped; the main content is written as blocks separated by blank lines, `<br>` as a line
break, emphasis as `**`/`*`, headings as `#` and data tables as `| a | b |` rows. Printed
page breaks (`page-break-before: always`, as Word and PDF converters write them) number
the pages, so citations of such a page name them.

ModernGov "Agenda and minutes" pages lay out each agenda item as a table row whose first
cell holds the item number ("39/22"): those rows become the item number on a line of its
own, then the item's title, description, "Minutes:" and the minute paragraphs, which is
what the council minutes layout reads.
"""

from __future__ import annotations

import codecs
import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.dammit import EncodingDetector

from indexer.reading.document import DocumentError, SourceDocument
from indexer.reading.readers.styled import Span, join_spans

DROPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "svg",
    "iframe",
    "object",
    "img",
}
BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "address",
    "figure",
    "figcaption",
    "body",
    "html",
}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BOLD = {"b", "strong"}
ITALIC = {"i", "em", "cite"}
# Containers that hold a page's main content, most specific first.
CONTENT = ("#modgov", ".mgContent", "main", "[role=main]", "article", "#content", "body")
# A legacy single-byte label that browsers treat as Windows-1252.
_WINDOWS_1252_ALIASES = {"iso-8859-1", "latin-1", "latin1", "ascii", "us-ascii", "l1", "iso8859-1"}
_ITEM_NUMBER_CELL = "mgItemNumberCell"
# Printed page breaks, as Word's "Save as web page" and PDF converters write them.
_BREAK_BEFORE = re.compile(r"(?:page-)?break-before:(?:always|page)")
_BREAK_AFTER = re.compile(r"(?:page-)?break-after:(?:always|page)")


def decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """The page's text, the encoding used, and a warning when the encoding had to be guessed."""
    data, bom = EncodingDetector.strip_byte_order_mark(data)
    declared = bom or EncodingDetector.find_declared_encoding(data, is_html=True, search_entire_document=False)
    warnings: list[str] = []
    if declared:
        try:
            encoding = _canonical(declared)
            return data.decode(encoding), encoding, warnings
        except (LookupError, UnicodeDecodeError):
            warnings.append(
                f"the page declares the encoding {declared!r} but does not use it; the encoding was guessed"
            )
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        warnings.append("the page declares no character encoding and is not UTF-8: read as windows-1252")
        return data.decode("windows-1252", errors="replace"), "windows-1252", warnings


def _canonical(label: str) -> str:
    label = label.strip().lower()
    if label in _WINDOWS_1252_ALIASES:
        return "windows-1252"
    return codecs.lookup(label).name


class _Writer:
    """Collects blocks of styled lines while walking the markup."""

    def __init__(self) -> None:
        self.blocks: list[tuple[list[str], int]] = []  # lines, and the printed page they are on
        self.line: list[Span] = []
        self.current: list[str] = []
        self.page = 1
        self.paged = False  # the page marks its printed page breaks

    def page_break(self) -> None:
        self.end_block()
        if self.blocks:  # a break before any text does not start page 2
            self.page += 1
        self.paged = True

    def text(self, text: str, bold: bool, italic: bool, pre: bool) -> None:
        if not pre:
            text = re.sub(r"\s+", " ", text)
            if not self.line and not self.current:
                text = text.lstrip()
        if text:
            self.line.append(Span(text, bold, italic))

    def newline(self) -> None:
        line = join_spans(self.line)
        self.line = []
        if line:
            self.current.append(line)

    def end_block(self) -> None:
        self.newline()
        if self.current:
            self.blocks.append((self.current, self.page))
            self.current = []

    def raw_block(self, lines: list[str]) -> None:
        self.end_block()
        if lines:
            self.blocks.append((lines, self.page))


def _walk(node: Tag, out: _Writer, bold: bool = False, italic: bool = False, pre: bool = False) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment, doctype or CDATA
                out.text(str(child), bold, italic, pre)
            continue
        if not isinstance(child, Tag) or child.name in DROPPED or child.get("hidden") is not None:
            continue
        name = child.name
        style = re.sub(r"\s+", "", str(child.get("style") or "")).lower()
        if _BREAK_BEFORE.search(style):
            out.page_break()
        if name == "br":
            out.newline()
        elif name in HEADINGS:
            out.end_block()
            heading = " ".join(child.get_text(" ").split())
            if heading:
                out.raw_block(["#" * HEADINGS[name] + " " + heading])
        elif name == "table" and not _is_layout_table(child):
            out.raw_block(_table_rows(child))
        elif name == "tr" and _is_item_row(child):
            _item_row(child, out)
        elif name in BLOCKS:
            out.end_block()
            if name == "li":
                out.text("- ", False, False, True)
            _walk(child, out, bold, italic, pre or name == "pre")
            out.end_block()
        else:
            _walk(child, out, bold or name in BOLD, italic or name in ITALIC, pre)
        if _BREAK_AFTER.search(style):
            out.page_break()


def _is_layout_table(table: Tag) -> bool:
    """A table used to lay out a page (cells holding paragraphs), not to show data."""
    return table.find(["p", "div", "table", "ul", "h1", "h2", "h3", "h4"]) is not None


def _table_rows(table: Tag) -> list[str]:
    rows: list[str] = []
    for tr in table.find_all("tr"):
        cells = [" ".join(c.get_text(" ").split()) for c in tr.find_all(["td", "th"], recursive=False)]
        if any(cells):
            rows.append("| " + " | ".join(cells) + " |")
    return rows


def _is_item_row(tr: Tag) -> bool:
    first = tr.find("td", recursive=False)
    return first is not None and _ITEM_NUMBER_CELL in (first.get("class") or [])


def _item_row(tr: Tag, out: _Writer) -> None:
    """A ModernGov agenda item: its number alone, then the item's content block by block."""
    cells = tr.find_all("td", recursive=False)
    number = " ".join(cells[0].get_text(" ").split())
    if number:
        out.raw_block([number])
    for cell in cells[1:]:
        out.end_block()
        _walk(cell, out)
        out.end_block()


def _content(soup: BeautifulSoup) -> Tag:
    for selector in CONTENT:
        found = soup.select_one(selector)
        if found is not None and found.get_text(strip=True):
            return found
    return soup


def read_html(data: bytes, name: str) -> SourceDocument:
    """Read a web page's main content as document lines."""
    text, encoding, warnings = decode_html(data)
    if "\x00" in text:
        raise DocumentError("the file is binary, not a web page")
    soup = BeautifulSoup(text, "html.parser")
    if soup.find(True) is None:
        raise DocumentError("the file has no HTML markup")
    out = _Writer()
    root = _content(soup)
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if root.name == "body" and title and title not in root.get_text(" "):
        out.raw_block([title])  # the page title names the meeting when the body does not
    _walk(root, out)
    out.end_block()
    lines: list[str] = []
    pages: list[int] = []
    for block, page in out.blocks:
        if lines:
            lines.append("")
            pages.append(page)
        lines.extend(block)
        pages.extend([page] * len(block))
    if "\ufffd" in text:
        warnings.append(f"some characters could not be decoded as {encoding} and were replaced")
    return SourceDocument.from_lines(
        name,
        lines,
        format="html",
        page_of_line=pages if out.paged else None,
        warnings=warnings,
    )
