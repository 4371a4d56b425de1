"""GET /search: past answers matching a plain-English question."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from search_api.deps import SearcherDep
from search_api.query import MAX_QUERY_CHARS, QueryError, parse_query
from search_api.schemas import ErrorOut, SearchOut
from search_api.search import MODES, Mode, hits_to_dicts

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut, responses={422: {"model": ErrorOut}})
def search(
    searcher: SearcherDep,
    q: Annotated[str, Query(description="the question, in plain English", max_length=MAX_QUERY_CHARS)],
    k: Annotated[int, Query(ge=1, le=50, description="how many results, 1 to 50")] = 10,
    mode: Annotated[Mode, Query(description="hybrid (default), lexical or dense")] = "hybrid",
) -> dict[str, object]:
    """Search the records; each result carries its citation."""
    try:
        parsed = parse_query(q)
    except QueryError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    assert mode in MODES
    results = hits_to_dicts(searcher.search(parsed, k=k, mode=mode))
    return {"query": q, "count": len(results), "results": results}
