"""GET /search: past answers matching a plain-English question."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response

from indexer.records import RecordKind
from search_api.deps import SearcherDep
from search_api.entry import SearchRequest
from search_api.filters import FilterError, Filters
from search_api.history import figure_history
from search_api.query import MAX_QUERY_CHARS, QueryError
from search_api.retrieval import Mode, Sort
from search_api.schemas import AnalysisOut, ErrorOut, FigureHistoryOut, HistoryAnswerOut, SearchOut, results_out

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut, responses={422: {"model": ErrorOut}})
def search(
    searcher: SearcherDep,
    q: Annotated[
        str,
        Query(
            description='the question in plain English; also "exact phrase", -word, asker:NAME, kind:KIND, '
            "body:WORDS, item:45/22, from:YYYY-MM-DD, to:YYYY-MM-DD",
            max_length=MAX_QUERY_CHARS,
            # In the schema only: the words are checked (with a clear message) by parse_query.
            json_schema_extra={"minLength": 1, "pattern": r"\w"},
        ),
    ],
    k: Annotated[int, Query(ge=1, le=50, description="how many results, 1 to 50")] = 10,
    offset: Annotated[int, Query(ge=0, le=1000, description="skip this many results (paging)")] = 0,
    mode: Annotated[Mode, Query(description="hybrid (default), lexical (BM25) or dense (embeddings)")] = "hybrid",
    sort: Annotated[Sort, Query(description="relevance (default), newest or oldest meeting first")] = "relevance",
    body: Annotated[str | None, Query(max_length=200, description="words the body's name contains")] = None,
    kind: Annotated[list[RecordKind] | None, Query(description="record kinds")] = None,
    asker: Annotated[str | None, Query(max_length=200, description="who asked (matched fuzzily)")] = None,
    date_from: Annotated[
        str | None,
        Query(max_length=10, description="meeting date from, YYYY-MM-DD", json_schema_extra={"format": "date"}),
    ] = None,
    date_to: Annotated[
        str | None,
        Query(max_length=10, description="meeting date to, YYYY-MM-DD", json_schema_extra={"format": "date"}),
    ] = None,
    item: Annotated[str | None, Query(max_length=50, description="agenda item, e.g. 45/22")] = None,
    exact: Annotated[bool, Query(description="search the words exactly as typed: no typo correction")] = False,
) -> Response:
    """Search the records; each result carries its citation and a highlighted snippet."""
    try:
        filters = Filters.parse(body, kind or [], asker, date_from, date_to, item)
        found = searcher.answer(SearchRequest(q, filters, k=k, offset=offset, exact=exact, mode=mode, sort=sort))
    except (QueryError, FilterError) as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    results = results_out(found.hits, found.parsed)
    out = SearchOut(query=q, count=len(results), results=results, analysis=AnalysisOut.from_query(found.parsed))
    # Serialised once here: returned as a model, FastAPI would dump, validate and dump it again (~1 ms).
    return Response(out.model_dump_json(), media_type="application/json")


@router.get("/figures/history", response_model=HistoryAnswerOut, responses={422: {"model": ErrorOut}})
def figures_history(
    searcher: SearcherDep,
    q: Annotated[
        str,
        Query(
            description="what the figures are of, e.g. proportion of black and minority ethnic officers",
            max_length=MAX_QUERY_CHARS,
            json_schema_extra={"minLength": 1, "pattern": r"\w"},
        ),
    ],
    k: Annotated[int, Query(ge=1, le=50, description="how many results to read figures from, 1 to 50")] = 10,
) -> HistoryAnswerOut:
    """The figures the top k results state on the query's subject, one per meeting, oldest first (null if <2)."""
    try:
        found = searcher.answer(SearchRequest(q, k=k))
    except (QueryError, FilterError) as exc:  # filters typed in the query ("from:…") are checked too
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    history = figure_history(searcher, found.parsed.text, found.hits)
    return HistoryAnswerOut(query=q, history=FigureHistoryOut.from_history(history) if history else None)
