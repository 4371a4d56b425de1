"""Files -> SourceDocument: one reader per format, chosen by the file's suffix and checked by its content."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from indexer.reading.document import DocumentError, SourceDocument

# Reader of each suffix, as "module:function"; imported on first use, so the search service
# never loads PyMuPDF, Beautiful Soup or python-docx unless it indexes such a file.
READERS = {
    ".txt": "indexer.reading.readers.text:read_text",
    ".pdf": "indexer.reading.readers.pdf:read_pdf",
    ".html": "indexer.reading.readers.html:read_html",
    ".htm": "indexer.reading.readers.html:read_html",
    ".docx": "indexer.reading.readers.docx:read_docx",
}
SUPPORTED_SUFFIXES = tuple(READERS)
# What to do with a format panel-search does not read.
UNSUPPORTED_HINTS = {
    ".doc": "save it from Word as .docx",
    ".rtf": "save it from Word as .docx",
    ".odt": "save it as .docx or PDF",
    ".xlsx": "spreadsheets are not indexed",
}


def read_document(path: Path, name: str) -> SourceDocument:
    """Read the file at `path` with the reader for its format; DocumentError says why it cannot be read."""
    target = READERS.get(path.suffix.lower())
    if target is None:
        raise DocumentError(unsupported_message(path.suffix))
    module, _, function = target.partition(":")
    reader: Callable[[bytes, str], SourceDocument] = getattr(importlib.import_module(module), function)
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
