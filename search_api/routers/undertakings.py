"""Undertakings: the page, and the same list as JSON and CSV, filtered by body, meeting and status."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from indexer.reading.dates import format_date
from indexer.records import UNDERTAKING_STATUSES
from search_api.deps import SearcherDep
from search_api.filters import FilterError, UndertakingFilters
from search_api.schemas import ErrorOut, RecordOut, UndertakingsOut
from search_api.templating import templates

router = APIRouter(tags=["undertakings"])
# Undertakings a page shows; the JSON and CSV downloads hold every one that passes the filters.
PAGE_SIZE = 50


def _filters(
    body: Annotated[str, Query(max_length=200)] = "",
    meeting: Annotated[str, Query(max_length=10, description="meeting date, YYYY-MM-DD")] = "",
    status: Annotated[str, Query(max_length=30, description=" or ".join(UNDERTAKING_STATUSES))] = "",
) -> UndertakingFilters:
    """Read and check the filters; a wrong date or status is a 422 that says what is accepted."""
    try:
        return UndertakingFilters.parse(body, meeting, status)
    except FilterError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc


FiltersDep = Annotated[UndertakingFilters, Depends(_filters)]


@router.get("/undertakings", response_class=HTMLResponse, include_in_schema=False)
def undertakings_page(
    request: Request,
    searcher: SearcherDep,
    filters: FiltersDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    """What the Commissioner, officers and the Panel undertook to do, with what may have followed."""
    total = searcher.undertaking_count(filters)
    return templates.TemplateResponse(
        request,
        "undertakings.html",
        {
            "records": searcher.undertakings(filters, offset, PAGE_SIZE),
            "total": total,
            "offset": offset,
            "next_offset": offset + PAGE_SIZE if offset + PAGE_SIZE < total else None,
            "filters": filters,
            "bodies": searcher.bodies(),
            "meetings": [(m, format_date(m)) for m in searcher.undertaking_meetings()],
            "statuses": UNDERTAKING_STATUSES,
        },
    )


@router.get(
    "/undertakings.json", response_model=UndertakingsOut, responses={422: {"model": ErrorOut}}, tags=["exports"]
)
def undertakings_json(searcher: SearcherDep, filters: FiltersDep) -> Response:
    """The undertakings matching the filters, each a whole record with its citation and possible follow-ups."""
    records = searcher.undertakings(filters)
    envelope = UndertakingsOut(
        count=len(records),
        body=filters.body,
        meeting=filters.meeting,
        status=filters.status,
        undertakings=[RecordOut.model_validate(r.to_dict()) for r in records],
    )
    return Response(
        json.dumps(envelope.model_dump(mode="json"), ensure_ascii=False, indent=2), media_type="application/json"
    )


@router.get(
    "/undertakings.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, 422: {"model": ErrorOut}},
    tags=["exports"],
)
def undertakings_csv(searcher: SearcherDep, filters: FiltersDep) -> Response:
    """The undertakings matching the filters as CSV: one row each, with its citation and possible follow-ups."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["id", "meeting_date", "body", "item", "label", "document", "lines", "page", "source_url", "undertaker", "role",
         "action", "for_whom", "due", "status", "possibly_followed_up_in", "text"]
    )  # fmt: skip
    for r in searcher.undertakings(filters):
        c, u = r.citation, r.undertaking
        first, last = c.location.lines
        follow = "; ".join(f"{f.label} ({f.record_id})" for f in u.followed_up_in) if u else ""
        writer.writerow(
            [r.id, c.meeting_date or "", c.body or "", c.item or "", c.label, c.document, f"{first}-{last}",
             c.location.page or "", c.source_url or "", (u.undertaker if u else "") or "",
             (u.role if u else "") or "", u.action if u else "", (u.for_whom if u else "") or "",
             (u.due if u else "") or "", u.status if u else "", follow, r.text]
        )  # fmt: skip
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="panel-search-undertakings.csv"'},
    )
