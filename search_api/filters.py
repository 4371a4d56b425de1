"""Filters on citations: body, record kind, asker (fuzzy, by person key), dates and item."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from rapidfuzz import fuzz

from indexer.reading.people import name_parts
from indexer.records import RECORD_KINDS, UNDERTAKING_STATUSES

# How alike (0-100) a typed surname must be to a person's key to count as them.
ASKER_MATCH = 85


class FilterError(ValueError):
    """A filter value cannot be used (unknown kind, a date that is not a date)."""


@dataclass(frozen=True)
class Filters:
    """What results must satisfy. Empty fields do not filter.

    body: words the body's name must contain ("panel", "assurance board").
    kinds: record kinds; a question or answer kind also admits the exchange showing it.
    asker: a name as a user types it ("Dhindsa", "Cllr H Dhindsa"); matched fuzzily by person key.
    date_from / date_to: meeting date range, inclusive; undated records are excluded by either.
    item: the agenda item as cited ("45/22", "9A"), compared without case or spaces.
    asker_key: a person key exactly ("dhindsa-h"), as chosen from the list of known people.
    """

    body: str | None = None
    kinds: tuple[str, ...] = ()
    asker: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    item: str | None = None
    asker_key: str | None = None

    @classmethod
    def parse(
        cls,
        body: str | None = None,
        kinds: Iterable[str] = (),
        asker: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        item: str | None = None,
        asker_key: str | None = None,
    ) -> Filters:
        """Filters from the text a request gives (blank means no filter); FilterError says what is wrong.

        The one place filters are built from what a door was given (the API's parameters, the page's form,
        an MCP tool's arguments, the fields typed in a query box).
        """
        return cls(
            body=body or None,
            kinds=parse_kinds(kinds),
            asker=asker or None,
            date_from=parse_day(date_from, "date_from"),
            date_to=parse_day(date_to, "date_to"),
            item=item or None,
            asker_key=asker_key or None,
        )

    def merged(self, typed: Filters) -> Filters:
        """These filters with the blanks filled from those typed in the query box (`asker:…`, `from:…`)."""
        return Filters(
            body=self.body or typed.body,
            kinds=self.kinds or typed.kinds,
            asker=self.asker or typed.asker,
            date_from=self.date_from or typed.date_from,
            date_to=self.date_to or typed.date_to,
            item=self.item or typed.item,
            asker_key=self.asker_key,
        )

    @property
    def active(self) -> bool:
        """True when any filter is set."""
        return any((self.body, self.kinds, self.asker, self.date_from, self.date_to, self.item, self.asker_key))


@dataclass(frozen=True)
class UndertakingFilters:
    """Which undertakings to list; None in a field means any.

    body: the body's name, exactly as cited.
    meeting: the meeting date (YYYY-MM-DD).
    status: "no later mention" or "possibly followed up" (indexer.records.UNDERTAKING_STATUSES).
    """

    body: str | None = None
    meeting: str | None = None
    status: str | None = None

    @classmethod
    def parse(
        cls, body: str | None = None, meeting: str | None = None, status: str | None = None
    ) -> UndertakingFilters:
        """Filters from the text a request gives (blank means any); FilterError says what is wrong."""
        body, meeting, status = ((v or "").strip() or None for v in (body, meeting, status))
        if meeting is not None:
            try:
                meeting = dt.date.fromisoformat(meeting).isoformat()
            except ValueError as exc:
                raise FilterError(f"meeting must be a date written YYYY-MM-DD, not {meeting!r}") from exc
        if status is not None and status not in UNDERTAKING_STATUSES:
            raise FilterError(f"status must be one of: {', '.join(UNDERTAKING_STATUSES)}")
        return cls(body, meeting, status)

    def params(self) -> str:
        """The filters as a query string (for the export links)."""
        return urlencode({k: v for k, v in dataclasses.asdict(self).items() if v})


def asker_matches(typed: str, key: str | None) -> bool:
    """True when a typed name fits a person key: alike surnames, and initials that agree if both given."""
    if not key:
        return False
    surname, initials = name_parts(typed)
    if not surname:
        return False
    key_surname, _, key_initial = key.partition("-")
    if fuzz.ratio(surname, key_surname) < ASKER_MATCH:
        return False
    return not (initials and key_initial and initials[0] != key_initial)


def parse_kinds(values: Iterable[str]) -> tuple[str, ...]:
    """Validate kind names ("question", "minute", …); comma-separated values are split."""
    kinds: list[str] = []
    for value in values:
        for kind in value.split(","):
            kind = kind.strip().lower().replace("-", "_")
            if not kind:
                continue
            if kind not in RECORD_KINDS:
                raise FilterError(f"unknown kind {kind!r}: use one of {', '.join(RECORD_KINDS)}")
            kinds.append(kind)
    return tuple(dict.fromkeys(kinds))


def parse_day(value: str | None, name: str) -> dt.date | None:
    """An ISO date (YYYY-MM-DD), or a year (YYYY) meaning its first day, or None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 1, 1)
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise FilterError(f"{name} must be a date written YYYY-MM-DD, not {value!r}") from exc
