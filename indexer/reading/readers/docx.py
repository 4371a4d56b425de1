"""Word (.docx) files -> document lines, read with python-docx: what OPCC staff draft responses in.

Paragraphs and tables are read in document order; each paragraph is a block, a line
break inside it a new line, bold and italic runs marked, "Heading N" styles written as
`#` headings and table rows as `| a | b |`. Tracked changes are read as if accepted:
inserted text is kept and deleted text left out, and the ingest report says so.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from indexer.reading.document import DocumentError, SourceDocument
from indexer.reading.readers.styled import Span, join_spans

_HEADING_STYLE = re.compile(r"^(?:heading\s*(\d)|title)$", re.I)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .doc files and password-protected .docx files


def read_docx(data: bytes, name: str) -> SourceDocument:
    """Read a Word document's body text as document lines."""
    if data.startswith(_OLE_MAGIC):
        raise DocumentError(
            "the file is a password-protected or pre-2007 Word document, not a .docx: save an unprotected .docx"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise DocumentError("the file is not a Word .docx document")
    try:
        document: Document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(f"the Word document is damaged and cannot be read: {exc}") from exc
    except Exception as exc:  # python-docx raises several types for a broken package
        raise DocumentError(f"the Word document cannot be read: {type(exc).__name__}: {exc}") from exc

    # Style names by id, looked up once: `paragraph.style` searches the styles part every call.
    style_names = {style.style_id: style.name or "" for style in document.styles}
    blocks: list[list[str]] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            lines = _paragraph_lines(item, style_names.get(item._p.style or "", ""))
        elif isinstance(item, Table):
            lines = _table_rows(item)
        else:
            continue
        if lines:
            blocks.append(lines)
    body = document.element.body
    warnings: list[str] = []
    if body.find(".//" + qn("w:ins")) is not None or body.find(".//" + qn("w:del")) is not None:
        warnings.append("the document has tracked changes: read as if they were all accepted")
    out: list[str] = []
    for block in blocks:
        if out:
            out.append("")
        out.extend(block)
    return SourceDocument.from_lines(name, out, format="docx", warnings=warnings)


def _paragraph_lines(paragraph: Paragraph, style: str) -> list[str]:
    """A paragraph's lines: runs anywhere in it (tracked insertions and links too), styled."""
    spans = [
        Span(run.text, bool(run.bold), bool(run.italic))
        for run in (Run(element, paragraph) for element in paragraph._p.iter(qn("w:r")))
    ]
    lines = [line for line in (join_spans(part) for part in _split_lines(spans)) if line]
    heading = _HEADING_STYLE.match(style.strip())
    if heading and lines:
        level = int(heading.group(1) or 1)
        return ["#" * level + " " + " ".join(line.replace("*", "") for line in lines)]
    if lines and style.lower().startswith("list"):
        lines[0] = "- " + lines[0]
    return lines


def _table_rows(table: Table) -> list[str]:
    """A table's rows as `| a | b |` lines; a merged cell, repeated in every column it spans, once."""
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(" ".join(p.text.split()) for p in cell.paragraphs).strip()
            if not cells or text != cells[-1]:
                cells.append(text)
        if any(cells):
            rows.append("| " + " | ".join(cells) + " |")
    return rows


def _split_lines(spans: list[Span]) -> list[list[Span]]:
    """Spans split where the text holds a line break (python-docx gives <w:br/> as a newline)."""
    lines: list[list[Span]] = [[]]
    for span in spans:
        parts = span.text.replace("\t", " ").split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append(Span(part, span.bold, span.italic))
    return lines
