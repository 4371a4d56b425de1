"""PDF files -> document lines with page numbers, emphasis and running headers marked, via PyMuPDF.

Each page's text lines are put in reading order (top to bottom, left to right within a
row), a blank line goes where the gap between lines is wider than the document's usual
line spacing (a new paragraph), and a paragraph that runs over a page break is kept
whole. Lines repeated at the top or foot of most pages (running headers, "Page 3 of 9")
are kept in the document but marked as debris, so no record quotes them.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pymupdf

from indexer.reading.document import PAGE_NUMBER, DocumentError, SourceDocument, runs
from indexer.reading.readers.styled import Span, join_spans

PDF_MAGIC = b"%PDF-"
# Top and bottom fraction of a page where running headers and footers sit.
MARGIN_BAND = 0.09
# A gap between lines this many times the usual spacing starts a new paragraph.
PARAGRAPH_GAP = 1.4
# Text side by side over this many points (about four lines) may be columns.
COLUMN_OVERLAP = 48.0
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_ITALIC_FONT = re.compile(r"italic|oblique", re.I)
_TERMINAL = re.compile(r"[.!?:;)\]\"'”’*]\s*$")
_DIGITS = re.compile(r"\d+")


@dataclass
class _Row:
    """One printed line of a page: its text spans left to right and where it stands."""

    page: int
    top: float
    bottom: float
    left: float
    right: float
    size: float
    spans: list[Span]
    band: bool  # in the header or footer band of the page

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans).strip()


def _pieces(line: dict[str, Any], page: int, height: float) -> list[_Row]:
    """A line of the PDF as pieces of text, split where a wide gap parts its spans.

    PyMuPDF may join text across a column gutter or between table cells into one line; a
    gap wider than the type size separates them again.
    """
    pieces: list[_Row] = []
    for span in line["spans"]:
        text = str(span["text"])
        if not text.strip():
            if pieces:
                pieces[-1].spans.append(Span(text))
            continue
        flags, font, size = int(span["flags"]), str(span["font"]), float(span["size"])
        bold = bool(flags & pymupdf.TEXT_FONT_BOLD) or bool(_BOLD_FONT.search(font))
        italic = bool(flags & pymupdf.TEXT_FONT_ITALIC) or bool(_ITALIC_FONT.search(font))
        x0, y0, x1, y1 = span["bbox"]
        last = pieces[-1] if pieces else None
        if last is not None and x0 - last.right <= size:
            last.spans.append(Span(text, bold, italic))
            last.right, last.size = max(last.right, x1), max(last.size, size)
            last.top, last.bottom = min(last.top, y0), max(last.bottom, y1)
        else:
            band = y1 < height * MARGIN_BAND or y0 > height * (1 - MARGIN_BAND)
            pieces.append(_Row(page, y0, y1, x0, x1, size, [Span(text, bold, italic)], band))
    return pieces


def _page_rows(page: pymupdf.Page, number: int) -> list[_Row]:
    """The page's printed lines in reading order, lines on one baseline merged into a row.

    On a page set in two columns, the left column is read before the right one between
    any full-width lines (a heading across both columns, the running header).
    """
    height = page.rect.height or 842.0
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
    pieces: list[_Row] = []
    for block in page.get_text("dict", flags=flags)["blocks"]:
        if block.get("type") != 0:
            continue
        for line in block["lines"]:
            dx = line["dir"][0]
            if 0.1 < abs(dx) < 0.99:
                continue  # set at a slant: a "DRAFT" watermark or a stamp, not the text
            pieces.extend(_pieces(line, number, height))
    gutter = _gutter(pieces, page.rect.width or 595.0)
    if gutter is None:
        return _merge_rows(pieces)
    left = [p for p in pieces if p.right <= gutter]
    right = [p for p in pieces if p.left >= gutter]
    spanning = sorted((p for p in pieces if p.left < gutter < p.right), key=lambda p: p.top)
    rows: list[_Row] = []
    above = float("-inf")
    # Between one full-width line and the next: the left column's lines, then the right's.
    for across in [*spanning, None]:
        below = across.top if across is not None else float("inf")
        for column in (left, right):
            rows += _merge_rows([p for p in column if above <= p.top < below])
        if across is not None:
            rows.append(across)
        above = below
    return rows


def _gutter(pieces: list[_Row], width: float) -> float | None:
    """The x of the gap between two columns of text, if the page is set in two columns.

    Columns: at some x in the middle of the page almost no line crosses, the lines on each
    side overlap vertically by several lines, and on each side most lines fill their column.
    A table of labels and values fails the last test (labels are short) and is read row by row.
    """
    body = [p for p in pieces if not p.band]
    if len(body) < 10:
        return None
    middle = width / 2
    if sum(1 for p in body if p.left < middle < p.right) > len(body) / 2:
        return None  # most lines run across the middle: one column
    crossings = {
        float(x): sum(1 for p in body if p.left < x < p.right) for x in range(int(width * 0.3), int(width * 0.7), 2)
    }
    fewest = min(crossings.values())
    if fewest > len(body) * 0.1:
        return None
    passing: list[float] = []
    for x, crossing in crossings.items():
        if crossing > fewest:
            continue
        left = [p for p in body if p.right <= x]
        right = [p for p in body if p.left >= x]
        if len(left) < 5 or len(right) < 5:
            continue
        overlap = min(max(p.bottom for p in left), max(p.bottom for p in right)) - max(
            min(p.top for p in left), min(p.top for p in right)
        )
        if overlap < COLUMN_OVERLAP:
            continue
        if _filled(left, min(p.left for p in left), x) and _filled(right, x, max(p.right for p in right)):
            passing.append(x)
    return statistics.median(passing) if passing else None


def _filled(lines: list[_Row], start: float, end: float) -> bool:
    """True when most lines fill the column from start to end (text, not table labels)."""
    full = sum(1 for p in lines if p.right - p.left > 0.6 * (end - start))
    return full >= 0.5 * len(lines)


def _merge_rows(pieces: list[_Row]) -> list[_Row]:
    """Pieces top to bottom, those on one baseline joined left to right."""
    pieces = sorted(pieces, key=lambda r: ((r.top + r.bottom) / 2, r.left))
    rows: list[_Row] = []
    for piece in pieces:
        last = rows[-1] if rows else None
        middle = (piece.top + piece.bottom) / 2
        if last is not None and last.top <= middle <= last.bottom:
            gap = piece.left - last.right
            joiner = [Span(" ")] if gap > 0.2 * piece.size else []
            if piece.left < last.left:  # keep left-to-right order
                last.spans = [*piece.spans, *joiner, *last.spans]
            else:
                last.spans = [*last.spans, *joiner, *piece.spans]
            last.left, last.right = min(last.left, piece.left), max(last.right, piece.right)
            last.size = max(last.size, piece.size)
        else:
            rows.append(piece)
    return rows


def _margin_debris(rows: list[_Row], pages_with_text: int) -> set[int]:
    """Indexes of rows in the header or footer band that repeat on many pages or are page numbers."""
    keys = [_DIGITS.sub("#", row.text.lower()) if row.band else None for row in rows]
    pages_per_key: Counter[str] = Counter()
    for key in {(k, row.page) for k, row in zip(keys, rows, strict=True) if k}:
        pages_per_key[key[0]] += 1
    needed = max(2, pages_with_text // 2)
    # A lone number is a page number only as the first or last line of its page.
    edges = {i for i, row in enumerate(rows) if i == 0 or rows[i - 1].page != row.page}
    edges |= {i for i, row in enumerate(rows) if i == len(rows) - 1 or rows[i + 1].page != row.page}
    return {
        i
        for i, key in enumerate(keys)
        if key and (pages_per_key[key] >= needed or (i in edges and PAGE_NUMBER.match(rows[i].text)))
    }


def read_pdf(data: bytes, name: str) -> SourceDocument:
    """Read a PDF's text layer as document lines; refuse encrypted, truncated and image-only files."""
    if PDF_MAGIC not in data[:1024]:
        raise DocumentError("the file is not a PDF (it has no %PDF header)")
    if b"%%EOF" not in data[-4096:]:
        raise DocumentError(
            "the PDF is truncated (it has no end-of-file marker): it was not fully downloaded or saved; "
            "nothing was indexed from it"
        )
    pymupdf.TOOLS.mupdf_display_errors(False)
    try:
        pdf = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for unreadable files
        raise DocumentError(f"the PDF cannot be opened: {exc}") from exc
    with pdf:
        if pdf.needs_pass and not pdf.authenticate(""):
            raise DocumentError("the PDF is encrypted with a password; index an unprotected copy")
        warnings: list[str] = []
        if pdf.is_repaired:
            warnings.append("the PDF was damaged and has been repaired to read it: check the pages it cites")
        rows: list[_Row] = []
        scanned: list[int] = []
        for number in range(1, pdf.page_count + 1):
            page = pdf[number - 1]
            page_rows = _page_rows(page, number)
            if not page_rows and page.get_images():
                scanned.append(number)
            rows.extend(page_rows)
        pages = pdf.page_count
    if not rows:
        if scanned:
            raise DocumentError(
                f"the PDF has no text layer ({len(scanned)} scanned page(s) of images): it needs OCR, "
                "which panel-search does not do; nothing was indexed from it"
            )
        raise DocumentError("the PDF has no text")
    if scanned:
        pages_listed = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs(scanned))
        warnings.append(f"page(s) {pages_listed} have no text layer (scanned images): not indexed")
    lines, page_of_line, debris = _lines(rows, pages - len(scanned))
    return SourceDocument.from_lines(
        name,
        lines,
        format="pdf",
        page_of_line=page_of_line,
        debris=debris,
        warnings=warnings,
    )


def _lines(rows: list[_Row], pages_with_text: int) -> tuple[list[str], list[int], set[int]]:
    """Rows as document lines: blank lines between paragraphs, headings marked, margins as debris."""
    margin = _margin_debris(rows, pages_with_text)
    body = [row for i, row in enumerate(rows) if i not in margin]
    body_size = _body_size(body)
    spacing = _usual_spacing(body)
    heading_sizes = sorted({round(r.size, 1) for r in body if r.size >= body_size * 1.15}, reverse=True)
    full_width = max((r.right for r in body), default=0.0)
    # A paragraph break goes straight after the line that ends the paragraph, so a page's
    # footer and the next page's header never sit between a heading and its blank line.
    ends_paragraph = {id(a) for a, b in itertools.pairwise(body) if _new_paragraph(a, b, spacing, full_width)}
    lines: list[str] = []
    page_of_line: list[int] = []
    debris: set[int] = set()
    for i, row in enumerate(rows):
        if i in margin:
            lines.append(row.text)
            page_of_line.append(row.page)
            debris.add(len(lines))
            continue
        lines.append(_row_text(row, heading_sizes))
        page_of_line.append(row.page)
        if id(row) in ends_paragraph:
            lines.append("")
            page_of_line.append(row.page)
    return lines, page_of_line, debris


def _row_text(row: _Row, heading_sizes: list[float]) -> str:
    size = round(row.size, 1)
    if size in heading_sizes and len(row.text) < 150:
        level = min(heading_sizes.index(size) + 1, 6)
        return "#" * level + " " + row.text
    return join_spans(row.spans)


def _body_size(rows: list[_Row]) -> float:
    weights: Counter[float] = Counter()
    for row in rows:
        weights[round(row.size, 1)] += len(row.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _usual_spacing(rows: list[_Row]) -> float:
    """The usual distance between consecutive lines of a paragraph, relative to font size.

    A low quantile rather than the median: in minutes most paragraphs are one line long, so
    most steps between lines are paragraph gaps.
    """
    steps = [
        (b.top - a.top) / a.size for a, b in itertools.pairwise(rows) if a.page == b.page and b.top > a.top and a.size
    ]
    if len(steps) < 10:
        return min(steps, default=1.2)
    return statistics.quantiles(steps, n=10)[0]


def _new_paragraph(previous: _Row, row: _Row, spacing: float, full_width: float) -> bool:
    if row.page != previous.page:
        # A line that filled the width and did not end a sentence runs on to the next page.
        runs_on = previous.right > 0.85 * full_width and not _TERMINAL.search(previous.text)
        return not runs_on
    if row.top < previous.top:
        # Up to the top of the next column: the paragraph runs on unless a sentence ended.
        return bool(_TERMINAL.search(previous.text))
    return (row.top - previous.top) / previous.size > spacing * PARAGRAPH_GAP
