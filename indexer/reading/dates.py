"""Dates written in panel documents: found by their shape, read by python-dateutil (day first).

Panels write dates every way: "17 November 2022", "17TH NOVEMBER 2022", "Thursday, 16th
November, 2017", "1 Jun 2017", "21/11/2022", "17<sup>TH</sup> NOVEMBER 2022", "3rd of March
2021". A short pattern built from dateutil's own month and weekday names finds where a date
may stand; dateutil reads it, day first, and a date is only taken when day, month and year
are all written (a "16 February" with no year is no date: we never complete one). Which of a
text's dates is the date of its meeting is not decided here but in `indexer.reading.meeting`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as _dateutil

_INFO = _dateutil.parserinfo(dayfirst=True)
# Month number of every month name and abbreviation dateutil knows ("sept" -> 9).
MONTHS: dict[str, int] = {name.lower(): number for number, names in enumerate(_INFO.MONTHS, 1) for name in names}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted((n.lower() for names in _INFO.WEEKDAYS for n in names), key=len, reverse=True))
_ORDINAL = r"(?:\s*(?:<sup>)?\s*(?:st|nd|rd|th)\s*(?:</sup>)?)?"
_GAP = r"[\s,*_.]+"  # spaces, commas and markup between the parts ("**17th** November")
_DAY = rf"(?<![\d/.])(?P<day>\d{{1,2}}){_ORDINAL}"
_YEAR = r"(?P<year>\d{4})(?![\d/])"
# Where a date may stand: "Thursday, 16th November, 2017", "1 Jun 2017", "November 3, 2021",
# "21/11/2022", "21.11.22", "2022-11-21". dateutil decides whether it is one.
DATE_SHAPE = re.compile(
    rf"(?:\b(?:{_WEEKDAY})\b[\s,]*)?"
    rf"(?:{_DAY}(?:\s+of)?{_GAP}(?:{_MONTH})\b\.?{_GAP}{_YEAR}"
    rf"|\b(?:{_MONTH})\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)"
    r"|(?<![\d/.])\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})(?![\d/.])"
    r"|(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-]))",
    re.I,
)
_MARKUP = re.compile(r"</?sup>|[*_]", re.I)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Two defaults that differ in every part: a part the text leaves out shows as a difference.
_DEFAULTS = (dt.datetime(1900, 1, 1), dt.datetime(1904, 2, 2))


@dataclass(frozen=True)
class DateMention:
    """A date written in a text: where it stands (character offsets), what it says, and the date."""

    start: int
    end: int
    text: str
    date: dt.date


def read_date(text: str) -> dt.date | None:
    """The date `text` writes out in full (day, month and year), read day first; None otherwise."""
    cleaned = _MARKUP.sub(" ", text).strip(" ,.")
    dayfirst = not _ISO.match(cleaned)
    try:
        first, second = (_dateutil.parse(cleaned, dayfirst=dayfirst, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    if first != second:  # a part was missing and came from the default
        return None
    if not 1990 <= first.year <= 2100:  # panels began in 2012; boards and earlier minutes a little before
        return None
    return first.date()


def find_dates(text: str) -> list[DateMention]:
    """Every full date written in `text`, in order."""
    out: list[DateMention] = []
    for match in DATE_SHAPE.finditer(text):
        found = read_date(match.group(0))
        if found is not None:
            out.append(DateMention(match.start(), match.end(), match.group(0), found))
    return out


def first_date(text: str) -> dt.date | None:
    """The first full date written in `text`, or None."""
    found = find_dates(text)
    return found[0].date if found else None


def format_date(iso: str | None) -> str:
    """ "2022-11-17" -> "17 November 2022"; None -> "date unknown"."""
    if not iso:
        return "date unknown"
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}"
