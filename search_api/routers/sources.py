"""The sources harvested into the index: each site, its last harvest, what it gave and what failed (page and JSON)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from search_api.deps import SearcherDep
from search_api.schemas import SourcesOut
from search_api.sources import harvested_sources
from search_api.templating import templates

router = APIRouter(tags=["sources"])


def _sources(request: Request, searcher: SearcherDep) -> SourcesOut:
    found = harvested_sources(request.app.state.live.index_dir, searcher.documents)
    return SourcesOut(count=len(found), sources=found)


@router.get("/sources.json", response_model=SourcesOut)
def sources_json(request: Request, searcher: SearcherDep) -> SourcesOut:
    """Every site harvested into this index: its committee, last harvest, meetings, documents, records, failures."""
    return _sources(request, searcher)


@router.get("/sources", response_class=HTMLResponse, include_in_schema=False)
def sources_page(request: Request, searcher: SearcherDep) -> HTMLResponse:
    """The sources page."""
    return templates.TemplateResponse(request, "sources.html", {"sources": _sources(request, searcher).sources})
