"""People and periods a query names ("Cllr Dhindsa", "in November 2022"), to favour their records."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from indexer.reading.dates import MONTHS
from indexer.reading.people import TITLES

_CAPITALISED = re.compile(r"\b[A-Z][a-z'’-]{2,}\b")
_MONTH_YEAR = re.compile(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+((?:19|20)\d{2})\b", re.I)
_YEAR = re.compile(r"(?<![\d/.,£-])\b((?:19|20)\d{2})\b(?![\d/.,%-])")


def people_mentioned(text: str, surnames: Iterable[str]) -> set[str]:
    """Known surnames written (capitalised) in the query, allowing a slip of spelling."""
    known = list(surnames)
    found: set[str] = set()
    for word in _CAPITALISED.findall(text):
        lower = word.lower()
        if lower in TITLES:
            continue
        for surname in known:
            if fuzz.ratio(lower, surname) >= 90:
                found.add(surname)
    return found


def period_mentioned(text: str) -> tuple[str, str] | None:
    """The ISO date range of a month and year ("November 2022") or a lone year ("in 2019") named in the query."""
    match = _MONTH_YEAR.search(text)
    if match:
        month, year = MONTHS[match.group(1).lower()], int(match.group(2))
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, 1).isoformat(), dt.date(year, month, last).isoformat()
    years = _YEAR.findall(text)
    if len(years) == 1:
        return f"{years[0]}-01-01", f"{years[0]}-12-31"
    return None
