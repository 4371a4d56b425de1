"""The web pages: search, record, document (and its original file), meeting and person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from indexer.index.generations import file_checksum
from indexer.reading.dates import format_date
from indexer.records import RECORD_KINDS, Record
from search_api.browse import View
from search_api.deps import SearcherDep
from search_api.filters import FilterError, UndertakingFilters
from search_api.history import FigureHistory, figure_history
from search_api.query import ParsedQuery, QueryError
from search_api.redirects import gone
from search_api.retrieval import SORTS, Hit
from search_api.search_form import PAGE_SIZE, TIMELINE_DEPTH, FormDep, YearBar, timeline
from search_api.snippets import make_snippet
from search_api.templating import ORIGINALS, emphasis, original_kind, segments, templates

router = APIRouter(tags=["pages"])


def _view(hit: Hit, searcher: View, q: str) -> dict[str, Any]:
    record = hit.record
    parts = searcher.parts(record)
    question = parts[0].text if record.kind == "exchange" and len(parts) > 1 else None
    shown_text = parts[1].text if question is not None else record.text
    snippet = make_snippet(shown_text, q, limit=400)
    asked = make_snippet(question, q, limit=300) if question is not None else None
    return {
        "id": record.id,
        "kind": record.kind,
        "citation": record.citation,
        "title": record.title,
        "also_recorded_in": record.also_recorded_in,
        "question": segments(asked.text, asked.highlights) if asked else None,
        "segments": segments(snippet.text, snippet.highlights),
    }


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, searcher: SearcherDep, form: FormDep) -> HTMLResponse:
    """The search page: the query box, filters and results."""
    error = None
    hits: list[Hit] = []
    parsed: ParsedQuery | None = None
    bars: list[YearBar] = []
    history: FigureHistory | None = None
    filtered = any((form.body, form.kind, form.asker, form.date_from, form.date_to))
    if form.q.strip() or filtered:
        try:
            # One search serves both: the page's results are the first of the ranking the bars count.
            bars_wanted = bool(form.q.strip()) and not form.offset and form.sort == "relevance"
            found = form.answer(searcher, TIMELINE_DEPTH if bars_wanted else PAGE_SIZE + 1)
            parsed = found.parsed
            if bars_wanted and parsed.text:
                bars = timeline(found.hits, form)
            hits = found.hits[: PAGE_SIZE + 1]
            if parsed.text:
                # The figures this page's results state on the query's subject, when two or more meetings state one.
                history = figure_history(searcher, parsed.text, hits[:PAGE_SIZE])
        except (QueryError, FilterError) as exc:
            error = str(exc)
    more = len(hits) > PAGE_SIZE
    context = {
        "q": form.q,
        "form": form,
        "filtered": filtered,
        "error": error,
        "results": [_view(h, searcher, form.q) for h in hits[:PAGE_SIZE]],
        "offset": form.offset,
        "more": more,
        "query_string": form.params(offset=0),
        "analysis": parsed,
        "timeline": bars,
        "history": history,
        "timeline_depth": TIMELINE_DEPTH,
        "exact_query_string": form.params(offset=0, exact=True),
        "next_query_string": form.params(offset=form.offset + PAGE_SIZE),
        "bodies": searcher.bodies(),
        "people": searcher.people(),
        "kinds": RECORD_KINDS,
        "sorts": SORTS,
    }
    return templates.TemplateResponse(request, "search.html", context, status_code=422 if error else 200)


def _record_or_404(searcher: View, record_id: str) -> Record:
    record = searcher.get(record_id)
    if record is None:
        raise gone(searcher, record_id, "/record/{}")
    return record


@router.get("/record/{record_id}", response_class=HTMLResponse, include_in_schema=False)
def record_page(request: Request, record_id: str, searcher: SearcherDep) -> HTMLResponse:
    """A whole exchange (or record), every citation, and links to the source and the meeting."""
    record = searcher.shown(_record_or_404(searcher, record_id))
    parts = searcher.parts(record) or [record]
    context = {"record": record, "parts": parts, "supplementaries": searcher.supplementaries(record)}
    return templates.TemplateResponse(request, "record.html", context)


@router.get("/documents/{name:path}", response_class=HTMLResponse, include_in_schema=False)
def document_page(request: Request, name: str, searcher: SearcherDep, lines: str = "") -> HTMLResponse:
    """A source document's text as the index read it, line and page numbers shown, the cited lines marked."""
    document = searcher.document_text(name)  # only documents this request may see, so no path reaches others
    if document is None:
        raise HTTPException(status_code=404, detail=f"no indexed document {name!r}")
    first = last = None
    if lines:
        try:
            a, _, b = lines.partition("-")
            first, last = int(a), int(b or a)
        except ValueError as exc:
            raise HTTPException(status_code=422, detail="lines must be FIRST-LAST, e.g. 20-34") from exc
    # Only the text within a line changes (emphasis rendered): the numbering is the citations' own.
    numbered = [
        (n, emphasis(line), document.pages[n - 1] if document.pages else None, n in document.debris)
        for n, line in enumerate(document.lines, start=1)
    ]
    first_page = document.pages[first - 1] if document.pages and first and 0 < first <= len(document.pages) else None
    context = {
        "name": name,
        "kind": original_kind(name),
        "lines": numbered,
        "first": first,
        "last": last,
        "first_page": first_page,
    }
    return templates.TemplateResponse(request, "document.html", context)


@router.get("/originals/{name:path}", include_in_schema=False)
def original_file(name: str, searcher: SearcherDep) -> FileResponse:
    """The file a document was read from (the PDF, web page or Word file), as it was indexed."""
    entry = searcher.document(name)
    original = ORIGINALS.get(entry.format) if entry is not None else None
    if entry is None or original is None or not entry.source:
        raise HTTPException(status_code=404, detail=f"no indexed original file for {name!r}")
    source = Path(entry.source)
    # Served only as indexed: the cited lines and pages must be in the file a reader opens.
    if not source.is_file() or file_checksum(source) != entry.content_hash:
        raise HTTPException(status_code=404, detail=f"the file of {name!r} has changed or gone since it was indexed")
    disposition = "inline" if entry.format == "pdf" else "attachment"
    return FileResponse(source, media_type=original[1], filename=source.name, content_disposition_type=disposition)


@router.get("/meetings/{date}", response_class=HTMLResponse, include_in_schema=False)
def meeting_page(request: Request, date: str, searcher: SearcherDep, body: str | None = None) -> HTMLResponse:
    """Everything recorded for one meeting, in agenda (document) order."""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail="the meeting date must be YYYY-MM-DD") from exc
    records = searcher.meeting(day.isoformat(), body)
    undertakings = searcher.undertakings(UndertakingFilters(body, day.isoformat()))
    heading = f"{body or 'All bodies'}, {format_date(day.isoformat())}"
    return templates.TemplateResponse(
        request, "listing.html", {"heading": heading, "records": records, "undertakings": undertakings}
    )


@router.get("/people/{key}", response_class=HTMLResponse, include_in_schema=False)
def person_page(request: Request, key: str, searcher: SearcherDep) -> HTMLResponse:
    """Every question a member asked, newest first."""
    records = searcher.asked_by(key)
    name = dict(searcher.people()).get(key)
    if name is None:
        raise HTTPException(status_code=404, detail=f"no one with key {key!r} asked a question")
    return templates.TemplateResponse(
        request, "listing.html", {"heading": f"Questions asked by {name}", "records": records}
    )
