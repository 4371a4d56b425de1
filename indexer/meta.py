"""Meeting metadata read from document text: dates and the name of the body that met."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
# "17 November 2022", "17TH NOVEMBER 2022", "10th September 2020", "17<sup>TH</sup> NOVEMBER 2022",
# "Thursday, 17 November 2022"; markup between the parts is allowed.
DATE_PATTERN = re.compile(
    rf"\b(\d{{1,2}})\s*(?:<sup>)?\s*(?:st|nd|rd|th)?\s*(?:</sup>)?[\s*_]*\s*({_MONTH_ALT})\.?[\s,*_]+(\d{{4}})\b",
    re.I,
)


def parse_date(text: str) -> dt.date | None:
    """Return the first real calendar date written out in `text`, or None."""
    for match in DATE_PATTERN.finditer(text):
        found = _to_date(match)
        if found is not None:
            return found
    return None


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Every valid date written out in `text`, with its character offset."""
    out: list[tuple[int, dt.date]] = []
    for match in DATE_PATTERN.finditer(text):
        found = _to_date(match)
        if found is not None:
            out.append((match.start(), found))
    return out


def _to_date(match: re.Match[str]) -> dt.date | None:
    day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def format_date(iso: str | None) -> str:
    """ "2022-11-17" -> "17 November 2022"; None -> "date unknown"."""
    if not iso:
        return "date unknown"
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}"


_PANEL = re.compile(r"\b(?:([A-Z][A-Za-z&' -]{2,40}?)\s+)?police\s+(?:and|&)\s+crime\s+panel\b", re.I)
_AREA_OF_COMMISSIONER = re.compile(
    r"police\s+(?:and|&)\s+crime\s+commissioner\s+for\s+([A-Z][A-Za-z&' -]{2,40}?)\b(?=\W|$)", re.I
)
_BOARD = re.compile(r"\b((?:[A-Z][A-Za-z&']+\s+){1,4}(?:Board|Committee))\b", re.I)
_GENERIC_PREFIX = {"the", "a", "of", "meeting", "report", "agenda"}


def title_case(name: str) -> str:
    """Title-case a body name written in capitals, keeping small words lower-case."""
    small = {"and", "of", "for", "the", "to", "on", "in", "at", "by", "&"}
    words = name.split()
    return " ".join(w.lower() if i and w.lower() in small else w.capitalize() for i, w in enumerate(words))


def find_body(text: str) -> str | None:
    """Name the body a document belongs to from its headings, or None.

    A Police and Crime Panel is named with its area, taken from the heading itself
    ("Derbyshire Police and Crime Panel") or from "Police and Crime Commissioner for X".
    Otherwise the first board or committee named in capitals in the heading lines.
    """
    head = text[:4000]
    panel = _PANEL.search(head)
    if panel:
        area = (panel.group(1) or "").strip()
        if area and area.split()[-1].lower() not in _GENERIC_PREFIX and area.lower() not in _GENERIC_PREFIX:
            return f"{title_case(area.split()[-1])} Police and Crime Panel"
        commissioner = _AREA_OF_COMMISSIONER.search(text[:8000])
        if commissioner:
            return f"{title_case(commissioner.group(1).strip())} Police and Crime Panel"
        return "Police and Crime Panel"
    for line in head.splitlines():
        stripped = line.strip(" *#|")
        if stripped.isupper():
            board = _BOARD.search(stripped)
            if board:
                words = board.group(1).split()
                while words and words[0].lower() in _GENERIC_PREFIX:
                    words = words[1:]
                if len(words) >= 2:
                    return title_case(" ".join(words))
    return None
