"""What a downloaded body is, by its bytes, and writing files and manifests so a reader never sees half of one."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

# The formats panel-search reads, by the suffix a harvested file is saved with.
_DESCRIBED = {".pdf": "a PDF", ".docx": "a Word file", ".html": "a web page", ".txt": "plain text"}


class NotReadable(Exception):
    """A body that is not what it was served as, or not a format panel-search reads."""


def _sniff(content: bytes) -> str | None:
    head = content[:1024].lstrip()
    if b"%PDF-" in content[:1024]:
        return ".pdf"
    if content.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except zipfile.BadZipFile:
            return None
        return ".docx" if "word/document.xml" in names else ".zip"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return ".doc"
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered or b"<body" in lowered:
        return ".html"
    if content and b"\x00" not in content[:1024]:
        return ".txt"
    return None


def _expected(content_type: str, url: str) -> str | None:
    """The format the server or the URL says the body is, if either says."""
    suffix = Path(urlsplit(url).path).suffix.lower()
    if "pdf" in content_type or suffix == ".pdf":
        return ".pdf"
    if "wordprocessingml" in content_type or suffix == ".docx":
        return ".docx"
    if content_type == "application/msword" or suffix == ".doc":
        return ".doc"
    return None


def suffix_for(content: bytes, content_type: str, url: str) -> str:
    """The suffix to save a downloaded body with; NotReadable when it is not what it was served as or not readable."""
    found = _sniff(content)
    expected = _expected(content_type, url)
    if expected and found != expected:
        what = _DESCRIBED.get(found or "", "something else")
        raise NotReadable(f"served {what} where {_DESCRIBED.get(expected, expected)} was expected (an error page?)")
    if found == ".doc":
        raise NotReadable("an old Word (.doc) file: panel-search reads .docx")
    if found not in _DESCRIBED:
        raise NotReadable("not a format panel-search reads (PDF, Word .docx, web page, text)")
    return found


def write_atomic(path: Path, content: bytes) -> None:
    """Write a file whole or not at all: a temporary name beside it (hidden, so never indexed), then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    with tmp.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def manifest_toml(documents: Mapping[str, Mapping[str, object]], comment: str) -> str:
    """A manifest.toml (`[documents."NAME"]` tables) as `reading.parse.load_manifest` reads it; no None values."""
    lines = [f"# {line}" for line in comment.splitlines()]
    for name in sorted(documents):
        lines += ["", f"[documents.{_toml_value(name)}]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in documents[name].items() if value is not None]
    return "\n".join(lines) + "\n"
