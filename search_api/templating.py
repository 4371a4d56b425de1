"""Templating for the web pages: the Jinja environment and the helpers templates call (links, marks, charts)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from indexer.reading.dates import format_date
from indexer.reading.readers import format_of
from indexer.records import Citation
from search_api.chart import svg_chart, unit
from search_api.history import FigureHistory

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))


def document_url(c: Citation) -> str:
    """The document view at a citation's lines."""
    first, last = c.location.lines
    return f"/documents/{c.document}?lines={first}-{last}#L{first}"


# Files served as they were indexed, by format: what a reader calls them and their media type.
# Text files have none: the document view is the file.
ORIGINALS = {
    "pdf": ("PDF", "application/pdf"),
    "html": ("web page", "text/html"),
    "docx": ("Word file", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


def original_kind(document: str) -> str | None:
    """What the file of a cited document is ("PDF", "Word file"); None for a text file."""
    original = ORIGINALS.get(format_of(Path(document)))
    return original[0] if original else None


def original_url(c: Citation) -> str | None:
    """The cited file itself, opened at the cited page for a PDF; None for text files."""
    if original_kind(c.document) is None:
        return None
    anchor = f"#page={c.location.page}" if c.location.page and format_of(Path(c.document)) == "pdf" else ""
    return f"/originals/{c.document}{anchor}"


def site_of(url: str) -> str:
    """The host a link goes to ("mycouncil.surreycc.gov.uk"), as a reader recognises the publisher."""
    return urlsplit(url).netloc or url


def meeting_url(c: Citation) -> str:
    """The page of everything recorded for a citation's meeting."""
    query = urlencode({"body": c.body}) if c.body else ""
    return f"/meetings/{c.meeting_date}" + (f"?{query}" if query else "")


def history_chart(history: FigureHistory, chart_id: str) -> Markup:
    """A figure history's SVG chart for a template (svg_chart escapes every text it writes)."""
    title = f"Figures stated on “{history.subject}”, by meeting date"
    return Markup(svg_chart(history.points, title, chart_id))


templates.env.globals.update(
    history_chart=history_chart,
    figure_unit=unit,
    document_url=document_url,
    meeting_url=meeting_url,
    format_date=format_date,
    original_url=original_url,
    original_kind=original_kind,
    site_of=site_of,
)


def segments(text: str, highlights: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Split a snippet into (text, matched) pieces for the template to mark up (and escape)."""
    out: list[tuple[str, bool]] = []
    position = 0
    for start, end in highlights:
        if start > position:
            out.append((text[position:start], False))
        out.append((text[start:end], True))
        position = end
    if position < len(text):
        out.append((text[position:], False))
    return out


# A styled run as the readers write it (indexer.reading.readers.styled): `***both***`, `**bold**` or `*italic*`,
# the markers hugging the words. Markers left over (a run cut at a line's end, a footnote's `**`) are dropped.
_EMPHASIS = re.compile(r"(\*{1,3})(?=[^\s*])(.+?)(?<=[^\s*])\1")
_STRAY_MARKERS = re.compile(r"\*{2,}")


def emphasis(line: str) -> list[tuple[str, bool, bool]]:
    """A document line as (text, bold, italic) runs: its emphasis rendered, never shown as `**` markup."""
    runs: list[tuple[str, bool, bool]] = []

    def add(text: str, bold: bool, italic: bool) -> None:
        text = _STRAY_MARKERS.sub("", text)
        if not text:
            return
        # Runs written hard against each other ("PANEL**10th") read as two words once the markers go.
        if runs and runs[-1][0][-1:].isalnum() and text[:1].isalnum():
            runs.append((" ", False, False))
        runs.append((text, bold, italic))

    position = 0
    for match in _EMPHASIS.finditer(line):
        add(line[position : match.start()], False, False)
        stars = len(match.group(1))
        add(match.group(2), stars >= 2, stars != 2)
        position = match.end()
    add(line[position:], False, False)
    return runs
