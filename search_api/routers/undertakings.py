"""Undertakings: the page, and the same list as JSON and CSV, filtered by body, meeting and status."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from indexer.dates import format_date
from indexer.records import Record
from search_api.browse import View
from search_api.deps import SearcherDep
from search_api.routers.pages import templates
from search_api.schemas import ErrorOut, RecordOut, UndertakingsOut

router = APIRouter(tags=["undertakings"])
STATUSES = ("no later mention", "possibly followed up")


class UndertakingFilters(BaseModel):
    """Which undertakings to list: a body, a meeting date (YYYY-MM-DD), a status; empty means any."""

    body: str = ""
    meeting: str = ""
    status: str = ""

    def params(self) -> str:
        """The filters as a query string, for the export links."""
        return urlencode({k: v for k, v in self.model_dump().items() if v})


def _filters(
    body: Annotated[str, Query(max_length=200)] = "",
    meeting: Annotated[str, Query(max_length=10, description="meeting date, YYYY-MM-DD")] = "",
    status: Annotated[str, Query(max_length=30, description=" or ".join(STATUSES))] = "",
) -> UndertakingFilters:
    """Read and check the filters; a wrong date or status is a 422 that says what is accepted."""
    body, meeting, status = body.strip(), meeting.strip(), status.strip()
    if meeting:
        try:
            meeting = dt.date.fromisoformat(meeting).isoformat()
        except ValueError as exc:
            raise HTTPException(status_code=422, detail="the meeting date must be YYYY-MM-DD") from exc
    if status and status not in STATUSES:
        raise HTTPException(status_code=422, detail=f"status must be one of: {', '.join(STATUSES)}")
    return UndertakingFilters(body=body, meeting=meeting, status=status)


FiltersDep = Annotated[UndertakingFilters, Depends(_filters)]


def _listed(searcher: View, filters: UndertakingFilters) -> list[Record]:
    return searcher.undertakings(filters.body or None, filters.meeting or None, filters.status or None)


@router.get("/undertakings", response_class=HTMLResponse, include_in_schema=False)
def undertakings_page(request: Request, searcher: SearcherDep, filters: FiltersDep) -> HTMLResponse:
    """What the Commissioner, officers and the Panel undertook to do, with what may have followed."""
    records = _listed(searcher, filters)
    meetings = sorted(
        {r.citation.meeting_date for r in searcher.undertakings() if r.citation.meeting_date}, reverse=True
    )
    return templates.TemplateResponse(
        request,
        "undertakings.html",
        {
            "records": records,
            "filters": filters,
            "bodies": searcher.bodies(),
            "meetings": [(m, format_date(m)) for m in meetings],
            "statuses": STATUSES,
        },
    )


@router.get(
    "/undertakings.json", response_model=UndertakingsOut, responses={422: {"model": ErrorOut}}, tags=["exports"]
)
def undertakings_json(searcher: SearcherDep, filters: FiltersDep) -> Response:
    """The undertakings matching the filters, each a whole record with its citation and possible follow-ups."""
    records = _listed(searcher, filters)
    envelope = UndertakingsOut(
        count=len(records),
        body=filters.body or None,
        meeting=filters.meeting or None,
        status=filters.status or None,
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
        ["id", "meeting_date", "body", "item", "label", "document", "lines", "page", "undertaker", "role", "action",
         "for_whom", "due", "status", "possibly_followed_up_in", "text"]
    )  # fmt: skip
    for r in _listed(searcher, filters):
        c, u = r.citation, r.undertaking
        first, last = c.location.lines
        follow = "; ".join(f"{f.label} ({f.record_id})" for f in u.followed_up_in) if u else ""
        writer.writerow(
            [r.id, c.meeting_date or "", c.body or "", c.item or "", c.label, c.document, f"{first}-{last}",
             c.location.page or "", (u.undertaker if u else "") or "", (u.role if u else "") or "",
             u.action if u else "", (u.for_whom if u else "") or "", (u.due if u else "") or "",
             u.status if u else "", follow, r.text]
        )  # fmt: skip
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="panel-search-undertakings.csv"'},
    )
