"""Text files -> SourceDocument: UTF-8 first; an undeclared legacy encoding found by charset-normalizer.

A text file says nothing of its encoding. UTF-8 (with or without a byte-order mark) is read
as it is. Anything else is handed to charset-normalizer, limited to the encodings English
council publishing has used (Windows-1252, ISO-8859-15, Mac Roman, UTF-16): measured on
English minutes, unrestricted detection reads Windows-1252 text as Central European
Windows-1250 and turns "£" into "Ł", a corrupted quote. The encoding found is named in a
warning; a file that fits none is refused, since a wrong guess would corrupt every quote.
pdftotext output keeps its pages: form feeds become page breaks (`pdftotext_pages`).
"""

from __future__ import annotations

from charset_normalizer import from_bytes

from indexer.reading.document import DocumentError, SourceDocument

# The encodings a text file from an English or Welsh council may be in, besides UTF-8.
LEGACY_ENCODINGS = ["cp1252", "iso8859_15", "mac_roman", "utf_16"]


def decode(data: bytes) -> tuple[str, str | None]:
    """The text of `data` and the legacy encoding it was found in (None for UTF-8); DocumentError if neither."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
        if best is None:
            raise DocumentError(
                f"the document is not valid UTF-8 text ({exc.reason} at byte {exc.start}) "
                "and no legacy encoding fits it"
            ) from exc
        return str(best), best.encoding


def read_text(data: bytes, name: str) -> SourceDocument:
    """A text document from its bytes, refusing empty, binary and undecodable files."""
    if not data.strip():
        raise DocumentError("the document is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("the document is binary, not text")
    text, encoding = decode(data)
    # pdftotext ends pages with form feeds; see indexer.reading.document.pdftotext_pages.
    doc = SourceDocument.from_text(name, text.replace("\f", "\n "))
    if encoding:
        doc.warnings.append(f"the file is not UTF-8: read as {encoding} (found by charset-normalizer); check £ and ’")
    return doc
