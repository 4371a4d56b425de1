"""A request's filters and access, resolved against a generation's facets into one Scope for both retrievers."""

from __future__ import annotations

from indexer.index.facets import Scope, day_number, item_key
from search_api.filters import Filters, asker_matches
from search_api.generation import FacetArrays


def resolve_scope(filters: Filters, facets: FacetArrays, include_restricted: bool = False) -> Scope:
    """The scope a search runs in: the values of each facet that pass the filters, and the access allowed.

    Names are matched here, once per request, against the distinct values of the generation
    (a few hundred bodies and people), so the retrievers compare only exact values.
    """
    bodies = None
    if filters.body:
        words = filters.body.lower().split()
        bodies = frozenset(b for b in facets.bodies if all(w in b.lower() for w in words))
    askers = None
    if filters.asker:
        askers = frozenset(k for k in facets.askers if asker_matches(filters.asker, k))
    if filters.asker_key:
        exact = frozenset({filters.asker_key})
        askers = exact if askers is None else askers & exact
    item = item_key(filters.item)
    return Scope(
        public_only=not include_restricted,
        kinds=frozenset(filters.kinds) if filters.kinds else None,
        bodies=bodies,
        items=frozenset({item}) if item else (frozenset() if filters.item else None),
        askers=askers,
        date_from=day_number(filters.date_from.isoformat()) if filters.date_from else None,
        date_to=day_number(filters.date_to.isoformat()) if filters.date_to else None,
    )
