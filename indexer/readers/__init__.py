"""Files -> SourceDocument: one reader per format, chosen by the file's suffix and checked by its content."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indexer.document import DocumentError, SourceDocument

# Suffixes panel-search reads, and a hint for formats it does not.
SUPPORTED_SUFFIXES = (".txt", ".pdf", ".html", ".htm", ".docx")
UNSUPPORTED_HINTS = {
    ".doc": "save it from Word as .docx",
    ".rtf": "save it from Word as .docx",
    ".odt": "save it as .docx or PDF",
    ".xlsx": "spreadsheets are not indexed",
}


def _read_text(data: bytes, name: str) -> SourceDocument:
    from indexer.document import decode_text

    return decode_text(data, name)


def _read_pdf(data: bytes, name: str) -> SourceDocument:
    from indexer.readers.pdf import read_pdf

    return read_pdf(data, name)


def _read_html(data: bytes, name: str) -> SourceDocument:
    from indexer.readers.html import read_html

    return read_html(data, name)


def _read_docx(data: bytes, name: str) -> SourceDocument:
    from indexer.readers.docx import read_docx

    return read_docx(data, name)


READERS: dict[str, Callable[[bytes, str], SourceDocument]] = {
    ".txt": _read_text,
    ".pdf": _read_pdf,
    ".html": _read_html,
    ".htm": _read_html,
    ".docx": _read_docx,
}


def read_document(path: Path, name: str) -> SourceDocument:
    """Read the file at `path` with the reader for its format; DocumentError says why it cannot be read."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DocumentError(unsupported_message(path.suffix))
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError("the document is empty")
    return reader(data, name)


def format_of(path: Path) -> str:
    """The format a file is read as, from its suffix: "text", "pdf", "html", "docx" or the suffix itself."""
    suffix = path.suffix.lower().lstrip(".")
    return {"txt": "text", "htm": "html"}.get(suffix, suffix or "text")


def unsupported_message(suffix: str) -> str:
    """Why a file type is not read, and what to do instead."""
    hint = UNSUPPORTED_HINTS.get(suffix.lower())
    base = f"unsupported file type {suffix or '(none)'} (supported: {', '.join(SUPPORTED_SUFFIXES)})"
    return f"{base}: {hint}" if hint else base
