"""The one search entry point: every front door (API, search page, exports, MCP tool, CLI) calls `answer`.

A door turns what it was given into a `SearchRequest` (its filters built by `Filters.parse`) and
turns the `SearchAnswer` into its own form; reading the query, correcting it and searching happen
here only, so `exact` means one thing everywhere: search the words as typed, without correction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search_api.filters import Filters
from search_api.query import ParsedQuery, parse_query
from search_api.retrieval import Hit, Mode, Searcher, Sort


@dataclass(frozen=True)
class SearchRequest:
    """One search as any door asks for it.

    query: the text typed (field operators such as `asker:NAME` included).
    filters: from `Filters.parse`; include_restricted: the caller holds the admin token (or is the CLI).
    k / offset: how many results, after skipping `offset`; exact: no typo correction.
    listing: a blank query lists what the filters pass, newest first (the page, exports and feed), rather
        than being an error (the API, MCP and CLI, where a query is required).
    """

    query: str
    filters: Filters = field(default_factory=Filters)
    include_restricted: bool = False
    k: int = 10
    offset: int = 0
    exact: bool = False
    mode: Mode = "hybrid"
    sort: Sort = "relevance"
    listing: bool = False


@dataclass(frozen=True)
class SearchAnswer:
    """What a search found: the query as read (corrections applied unless exact) and the hits, best first."""

    request: SearchRequest
    parsed: ParsedQuery
    hits: list[Hit]

    @property
    def ids(self) -> list[str]:
        """The ids of the records shown, in order."""
        return [h.record.id for h in self.hits]


def read_query(searcher: Searcher, request: SearchRequest) -> ParsedQuery:
    """The query as it will be searched; QueryError when it has nothing to search for."""
    if request.listing and not request.query.strip():
        # Filters alone (no words) list what passes them, newest first.
        return ParsedQuery(text="")
    parsed = parse_query(request.query)
    return parsed if request.exact or not parsed.text else searcher.analyse(parsed)


def answer(searcher: Searcher, request: SearchRequest) -> SearchAnswer:
    """Run one search; QueryError or FilterError say what in the request cannot be used."""
    parsed = read_query(searcher, request)
    hits = searcher.search(
        parsed,
        k=request.k,
        mode=request.mode,
        filters=request.filters,
        sort=request.sort,
        offset=request.offset,
        include_restricted=request.include_restricted,
        analysed=True,
    )
    return SearchAnswer(request, parsed, hits)
