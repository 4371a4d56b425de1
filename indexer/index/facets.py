"""What a search may be scoped by: a record's facets, and a scope resolved to facet values.

A record is found through the record shown for it (an exchange for its question and answer),
so its facets are those of the record shown: access, the kinds it stands for, body, meeting
date, agenda item and asker. The lexical index stores them beside the text and the search side
keeps them as arrays, so both retrievers apply one scope before they rank.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def stands_for(records: Sequence[Record], result_ids: Sequence[str]) -> list[tuple[str, ...]]:
    """For each record, the kinds it stands for: its own and those of every record shown as it.

    An exchange stands for its question and answer, and an answer or minute for the undertakings
    read from it, so a filter on any of those kinds finds the record shown.
    """
    index = {r.id: i for i, r in enumerate(records)}
    kinds: list[dict[str, None]] = [{r.kind: None} for r in records]
    for r, shown in zip(records, result_ids, strict=True):
        kinds[index[shown]][r.kind] = None
    return [tuple(k) for k in kinds]


def shown_facets(records: Sequence[Record], result_ids: Sequence[str]) -> list[Facets]:
    """For each record, the facets of the record shown for it."""
    index = {r.id: i for i, r in enumerate(records)}
    kinds = stands_for(records, result_ids)
    out: list[Facets] = []
    for rid in result_ids:
        shown = records[index[rid]]
        c = shown.citation
        out.append(Facets(shown.access, kinds[index[rid]], c.body, c.meeting_date, c.item, c.asker_key))
    return out
