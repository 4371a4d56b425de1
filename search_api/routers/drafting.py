"""The drafting check: its page and form, and POST /draft-check for clients."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from search_api.deps import SearcherDep
from search_api.drafting import draft_check
from search_api.query import QueryError
from search_api.schemas import DraftCheckOut, ErrorOut
from search_api.templating import templates

router = APIRouter(tags=["drafting"])


@router.get("/draft", response_class=HTMLResponse, include_in_schema=False)
def draft_page(request: Request) -> HTMLResponse:
    """The drafting check form."""
    return templates.TemplateResponse(request, "draft.html", {"question": "", "response": "", "report": None})


@router.post("/draft", response_class=HTMLResponse, include_in_schema=False)
def draft_submit(
    request: Request,
    searcher: SearcherDep,
    question: Annotated[str, Form(max_length=5000)] = "",
    response: Annotated[str, Form(max_length=20000)] = "",
) -> HTMLResponse:
    """The drafting check, run from the form."""
    context: dict[str, Any] = {"question": question, "response": response, "report": None, "error": None}
    if not question.strip():
        context["error"] = "Paste a draft question to check."
        return templates.TemplateResponse(request, "draft.html", context, status_code=422)
    try:
        context["report"] = draft_check(searcher, question, response)
    except QueryError as exc:
        context["error"] = f"The draft has nothing to search for: {exc}."
        return templates.TemplateResponse(request, "draft.html", context, status_code=422)
    return templates.TemplateResponse(request, "draft.html", context)


class DraftIn(BaseModel):
    """A draft question and, optionally, a draft response."""

    question: str = Field(min_length=1, max_length=5000)
    response: str = Field("", max_length=20000)


@router.post("/draft-check", response_model=DraftCheckOut, responses={422: {"model": ErrorOut}})
def draft_check_api(draft: DraftIn, searcher: SearcherDep) -> DraftCheckOut:
    """Past exchanges like the draft, and each figure in the draft that differs from one they state."""
    if not draft.question.strip():
        raise HTTPException(status_code=422, detail="question: the draft question is empty")
    try:
        report = draft_check(searcher, draft.question, draft.response)
    except QueryError as exc:
        raise HTTPException(status_code=422, detail=f"question: {exc}") from exc
    return DraftCheckOut.from_report(report)
