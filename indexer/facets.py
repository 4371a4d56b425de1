"""What a search may be scoped by: a record's facets, and a scope resolved to facet values.

A record is found through the record shown for it (an exchange for its question and answer),
so its facets are those of the record shown: access, the kinds it stands for, body, meeting
date, agenda item and asker. The lexical index stores them beside the text and the search side
keeps them as arrays, so both retrievers apply one scope before they rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from indexer.records import Record


def item_key(item: str | None) -> str | None:
    """An agenda item as compared by filters: no case, spaces, "agenda item" or final dot ("45/22", "9a")."""
    if not item:
        return None
    return "".join(item.lower().replace("agenda item", "").split()).rstrip(".") or None


def day_number(date: str | None) -> int:
    """An ISO date as the number YYYYMMDD (0 when unknown), for range filters."""
    return int(date.replace("-", "")) if date else 0


@dataclass(frozen=True)
class Facets:
    """The facets of the record shown for a record.

    access: "public" or "restricted".
    kinds: the kinds the shown record stands for (an exchange: its own and its parts').
    body / meeting_date / item / asker_key: as cited (item as item_key gives it).
    """

    access: str
    kinds: tuple[str, ...]
    body: str | None
    meeting_date: str | None
    item: str | None
    asker_key: str | None


@dataclass(frozen=True)
class Scope:
    """Which records a search may return, resolved to facet values; None in a field means any.

    public_only: restricted records are out (every request without the admin token).
    kinds / bodies / items / askers: allowed values (an empty set allows nothing).
    date_from / date_to: YYYYMMDD bounds, inclusive; either one leaves undated records out.
    """

    public_only: bool = True
    kinds: frozenset[str] | None = None
    bodies: frozenset[str] | None = None
    items: frozenset[str] | None = None
    askers: frozenset[str] | None = None
    date_from: int | None = None
    date_to: int | None = None

    @property
    def narrows(self) -> bool:
        """True when anything beyond access is restricted."""
        fields = (self.kinds, self.bodies, self.items, self.askers, self.date_from, self.date_to)
        return any(f is not None for f in fields)


def stands_for(record: Record, by_id: Mapping[str, Record]) -> tuple[str, ...]:
    """The kinds a record stands for: its own, and for an exchange its parts' (a question filter finds it)."""
    parts = [by_id[p].kind for p in record.part_ids if p in by_id] if record.kind == "exchange" else []
    return tuple(dict.fromkeys([record.kind, *parts]))


def shown_facets(records: Sequence[Record], result_ids: Sequence[str]) -> list[Facets]:
    """For each record, the facets of the record shown for it."""
    by_id = {r.id: r for r in records}
    out: list[Facets] = []
    for rid in result_ids:
        shown = by_id[rid]
        c = shown.citation
        out.append(Facets(shown.access, stands_for(shown, by_id), c.body, c.meeting_date, c.item, c.asker_key))
    return out
