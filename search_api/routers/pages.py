"""The web pages: search, record, document, meeting, person, drafting check, exports and feed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from pydantic import BaseModel, Field

from indexer.dates import format_date
from indexer.generations import file_checksum
from indexer.readers import format_of
from indexer.records import RECORD_KINDS, Citation, Record
from search_api.browse import View
from search_api.chart import svg_chart, unit
from search_api.deps import SearcherDep
from search_api.drafting import draft_check
from search_api.filters import FilterError, Filters, UndertakingFilters, parse_day
from search_api.history import FigureHistory, figure_history
from search_api.query import MAX_QUERY_CHARS, ParsedQuery, QueryError, parse_query
from search_api.redirects import gone
from search_api.retrieval import CANDIDATES, SORTS, Hit, Sort
from search_api.schemas import ErrorOut, SearchOut, results_out
from search_api.snippets import make_snippet

router = APIRouter(tags=["pages"])
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
PAGE_SIZE = 10
EXPORT_SIZE = 50


def document_url(c: Citation) -> str:
    """The document view at a citation's lines."""
    first, last = c.location.lines
    return f"/documents/{c.document}?lines={first}-{last}#L{first}"


# Files served as they were indexed, by format: what a reader calls them and their media type.
# Text files have none: the document view is the file.
ORIGINALS = {
    "pdf": ("PDF", "application/pdf"),
    "html": ("web page", "text/html"),
    "docx": ("Word file", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


def original_kind(document: str) -> str | None:
    """What the file of a cited document is ("PDF", "Word file"); None for a text file."""
    original = ORIGINALS.get(format_of(Path(document)))
    return original[0] if original else None


def original_url(c: Citation) -> str | None:
    """The cited file itself, opened at the cited page for a PDF; None for text files."""
    if original_kind(c.document) is None:
        return None
    anchor = f"#page={c.location.page}" if c.location.page and format_of(Path(c.document)) == "pdf" else ""
    return f"/originals/{c.document}{anchor}"


def site_of(url: str) -> str:
    """The host a link goes to ("mycouncil.surreycc.gov.uk"), as a reader recognises the publisher."""
    return urlsplit(url).netloc or url


def meeting_url(c: Citation) -> str:
    """The page of everything recorded for a citation's meeting."""
    query = urlencode({"body": c.body}) if c.body else ""
    return f"/meetings/{c.meeting_date}" + (f"?{query}" if query else "")


def history_chart(history: FigureHistory, chart_id: str) -> Markup:
    """A figure history's SVG chart for a template (svg_chart escapes every text it writes)."""
    title = f"Figures stated on “{history.subject}”, by meeting date"
    return Markup(svg_chart(history.points, title, chart_id))


templates.env.globals.update(
    history_chart=history_chart,
    figure_unit=unit,
    document_url=document_url,
    meeting_url=meeting_url,
    format_date=format_date,
    original_url=original_url,
    original_kind=original_kind,
    site_of=site_of,
)


def segments(text: str, highlights: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Split a snippet into (text, matched) pieces for the template to mark up (and escape)."""
    out: list[tuple[str, bool]] = []
    position = 0
    for start, end in highlights:
        if start > position:
            out.append((text[position:start], False))
        out.append((text[start:end], True))
        position = end
    if position < len(text):
        out.append((text[position:], False))
    return out


# A styled run as the readers write it (indexer.readers.styled): `***both***`, `**bold**` or `*italic*`,
# the markers hugging the words. Markers left over (a run cut at a line's end, a footnote's `**`) are dropped.
_EMPHASIS = re.compile(r"(\*{1,3})(?=[^\s*])(.+?)(?<=[^\s*])\1")
_STRAY_MARKERS = re.compile(r"\*{2,}")


def emphasis(line: str) -> list[tuple[str, bool, bool]]:
    """A document line as (text, bold, italic) runs: its emphasis rendered, never shown as `**` markup."""
    runs: list[tuple[str, bool, bool]] = []

    def add(text: str, bold: bool, italic: bool) -> None:
        text = _STRAY_MARKERS.sub("", text)
        if not text:
            return
        # Runs written hard against each other ("PANEL**10th") read as two words once the markers go.
        if runs and runs[-1][0][-1:].isalnum() and text[:1].isalnum():
            runs.append((" ", False, False))
        runs.append((text, bold, italic))

    position = 0
    for match in _EMPHASIS.finditer(line):
        add(line[position : match.start()], False, False)
        stars = len(match.group(1))
        add(match.group(2), stars >= 2, stars != 2)
        position = match.end()
    add(line[position:], False, False)
    return runs


def _filters(body: str, kind: str, asker: str, date_from: str, date_to: str) -> Filters:
    return Filters(
        body=body or None,
        kinds=(kind,) if kind else (),
        asker_key=asker or None,
        date_from=parse_day(date_from, "meeting from"),
        date_to=parse_day(date_to, "meeting to"),
    )


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

    def analysed(self, searcher: View) -> ParsedQuery:
        """The query as it will be searched (corrections applied unless `exact`)."""
        # Filters alone (no words) list what passes them, newest first.
        parsed = parse_query(self.q) if self.q.strip() else ParsedQuery(text="")
        return parsed if self.exact or not parsed.text else searcher.analyse(parsed)

    def run(self, searcher: View, k: int, parsed: ParsedQuery | None = None) -> list[Hit]:
        """Run the search; the caller turns QueryError and FilterError into a message."""
        filters = _filters(self.body, self.kind, self.asker, self.date_from, self.date_to)
        parsed = parsed or self.analysed(searcher)
        return searcher.search(parsed, k=k, filters=filters, sort=self.sort, offset=self.offset, exact=True)


FormDep = Annotated[SearchForm, Query()]


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
            parsed = form.analysed(searcher)
            if parsed.text and not form.offset and form.sort == "relevance":
                # One search serves both: the page's results are the first of the ranking the bars count.
                ranked = form.run(searcher, TIMELINE_DEPTH, parsed)
                bars = timeline(ranked, form)
                hits = ranked[: PAGE_SIZE + 1]
            else:
                hits = form.run(searcher, PAGE_SIZE + 1, parsed)
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


def _hits_for_export(searcher: View, form: SearchForm) -> list[Hit]:
    try:
        return form.run(searcher, EXPORT_SIZE)
    except (QueryError, FilterError) as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc


@router.get("/export.csv", tags=["exports"], response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def export_csv(searcher: SearcherDep, form: FormDep) -> Response:
    """The current search as CSV: one row per result with its citation."""
    hits = _hits_for_export(searcher, form)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "id",
            "kind",
            "meeting_date",
            "body",
            "item",
            "reference",
            "asker",
            "label",
            "document",
            "lines",
            "page",
            "source_url",
            "text",
        ]
    )
    for h in hits:
        c = h.record.citation
        first, last = c.location.lines
        writer.writerow(
            [
                h.record.id,
                h.record.kind,
                c.meeting_date or "",
                c.body or "",
                c.item or "",
                c.reference or "",
                c.asker or "",
                c.label,
                c.document,
                f"{first}-{last}",
                c.location.page or "",
                c.source_url or "",
                h.record.text,
            ]
        )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="panel-search.csv"'},
    )


@router.get(
    "/export.json", tags=["exports"], response_class=Response, responses={200: {"content": {"application/json": {}}}}
)
def export_json(searcher: SearcherDep, form: FormDep) -> Response:
    """The current search as JSON, in the same form as /search."""
    hits = _hits_for_export(searcher, form)
    try:
        parsed = parse_query(form.q)
    except QueryError:  # filters alone: no words to mark in the snippets
        parsed = None
    envelope = SearchOut(query=form.q, count=len(hits), results=results_out(hits, parsed))
    body = json.dumps(envelope.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return Response(
        body, media_type="application/json", headers={"Content-Disposition": 'attachment; filename="panel-search.json"'}
    )


@router.get(
    "/feed.atom", tags=["exports"], response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}}
)
def feed(request: Request, searcher: SearcherDep, form: FormDep) -> Response:
    """An Atom feed of a saved search, newest meetings first, for any feed reader."""
    hits = _hits_for_export(searcher, form.model_copy(update={"sort": "newest"}))
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}feed")
    ET.SubElement(root, f"{{{ns}}}title").text = f"panel-search: {form.q or 'filtered records'}"
    ET.SubElement(root, f"{{{ns}}}id").text = f"urn:panel-search:search:{form.params(offset=0)}"
    ET.SubElement(root, f"{{{ns}}}link", href=str(request.url), rel="self")
    built_at = searcher.built_at
    ET.SubElement(root, f"{{{ns}}}updated").text = built_at
    base = str(request.base_url).rstrip("/")
    for h in hits:
        c = h.record.citation
        entry = ET.SubElement(root, f"{{{ns}}}entry")
        ET.SubElement(entry, f"{{{ns}}}title").text = c.label
        ET.SubElement(entry, f"{{{ns}}}id").text = f"urn:panel-search:record:{h.record.id}"
        ET.SubElement(entry, f"{{{ns}}}link", href=f"{base}/record/{h.record.id}")
        updated = f"{c.meeting_date}T00:00:00Z" if c.meeting_date else built_at
        ET.SubElement(entry, f"{{{ns}}}updated").text = updated
        ET.SubElement(entry, f"{{{ns}}}summary").text = h.record.text[:1000]
    xml = ET.tostring(root, encoding="unicode", xml_declaration=True)
    return Response(xml, media_type="application/atom+xml")


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


@router.post("/draft-check", tags=["drafting"], responses={422: {"model": ErrorOut}})
def draft_check_api(draft: DraftIn, searcher: SearcherDep) -> dict[str, object]:
    """Past exchanges like the draft, and each figure in the draft that differs from one they state."""
    if not draft.question.strip():
        raise HTTPException(status_code=422, detail="question: the draft question is empty")
    try:
        report = draft_check(searcher, draft.question, draft.response)
    except QueryError as exc:
        raise HTTPException(status_code=422, detail=f"question: {exc}") from exc
    return {
        "similar": [r.model_dump(mode="json") for r in results_out(report.similar)],
        "differences": [
            {
                "description": d.describe(),
                "draft": {"figure": d.draft.text, "value": d.draft.value, "sentence": d.draft.sentence},
                "past": {"figure": d.past.text, "value": d.past.value, "sentence": d.past.sentence},
                "citation": d.citation.to_dict(),
                "similarity": d.similarity,
                "history": history.to_dict() if history is not None else None,
            }
            for d, history in zip(report.differences, report.histories, strict=True)
        ],
    }
