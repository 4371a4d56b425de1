"""The search page's form (also the exports' and the feed's query string) and its results-over-time bars."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query
from pydantic import BaseModel, Field

from indexer.records import RECORD_KINDS
from search_api.browse import View
from search_api.entry import SearchAnswer, SearchRequest
from search_api.filters import Filters
from search_api.query import MAX_QUERY_CHARS
from search_api.retrieval import CANDIDATES, Hit, Sort


class SearchForm(BaseModel):
    """The search page's fields, as in its URL."""

    q: str = Field("", max_length=MAX_QUERY_CHARS)
    body: str = Field("", max_length=200)
    # Kinds and dates are checked by the search itself, so the page can say what is wrong;
    # the schema still tells clients (and schemathesis) what is accepted.
    kind: str = Field("", max_length=40, json_schema_extra={"enum": ["", *RECORD_KINDS]})
    asker: str = Field("", max_length=100)
    date_from: str = Field("", max_length=10, json_schema_extra={"pattern": r"^(\d{4}-\d{2}-\d{2})?$"})
    date_to: str = Field("", max_length=10, json_schema_extra={"pattern": r"^(\d{4}-\d{2}-\d{2})?$"})
    sort: Sort = "relevance"
    offset: int = Field(0, ge=0, le=1000)
    exact: bool = False

    def params(self, **changes: object) -> str:
        """This search as a query string (empty fields left out), with some fields changed."""
        data = {**self.model_dump(), **changes}
        return urlencode({k: v for k, v in data.items() if v not in ("", 0, "relevance", None, False)})

    def request(self, k: int) -> SearchRequest:
        """This search as the one entry point takes it; FilterError says which field cannot be used."""
        # The page's asker is a person key chosen from the list of people, so it filters exactly.
        kinds = [self.kind] if self.kind else []
        filters = Filters.parse(self.body, kinds, None, self.date_from, self.date_to, asker_key=self.asker)
        return SearchRequest(self.q, filters, k=k, offset=self.offset, exact=self.exact, sort=self.sort, listing=True)

    def answer(self, view: View, k: int) -> SearchAnswer:
        """Run the search for the page or an export; the caller turns QueryError and FilterError into a message."""
        return view.answer(self.request(k))


FormDep = Annotated[SearchForm, Query()]

# Results a page shows, and the most an export or feed carries.
PAGE_SIZE = 10
EXPORT_SIZE = 50


# How many of the most relevant results the "results over time" bars count: the most a search returns
# from the same candidates as a page of results (depth max(CANDIDATES, 2k)), so its first page is the page's.
TIMELINE_DEPTH = CANDIDATES // 2


@dataclass(frozen=True)
class YearBar:
    """One bar of the results-over-time histogram: a year, its results, and the search filtered to it."""

    year: int
    count: int
    share: float
    href: str


def timeline(hits: Sequence[Hit], form: SearchForm) -> list[YearBar]:
    """Results by meeting year (undated ones left out), each year a link to the same search in that year."""
    years = Counter(int(h.record.citation.meeting_date[:4]) for h in hits if h.record.citation.meeting_date)
    if len(years) < 2:
        return []
    most = max(years.values())
    return [
        YearBar(
            year,
            years.get(year, 0),
            years.get(year, 0) / most,
            "/?" + form.params(offset=0, date_from=f"{year}-01-01", date_to=f"{year}-12-31"),
        )
        for year in range(min(years), max(years) + 1)
    ]
