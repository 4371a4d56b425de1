"""Exports of a search: CSV, JSON (the form of /search) and an Atom feed of a saved search."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree as ET

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from search_api.browse import View
from search_api.deps import SearcherDep
from search_api.entry import SearchAnswer
from search_api.filters import FilterError
from search_api.query import QueryError
from search_api.schemas import SearchOut, results_out
from search_api.search_form import EXPORT_SIZE, FormDep, SearchForm

router = APIRouter(tags=["exports"])


def _export(searcher: View, form: SearchForm) -> SearchAnswer:
    """The search an export carries (the most EXPORT_SIZE results), or 422 saying what cannot be used."""
    try:
        return form.answer(searcher, EXPORT_SIZE)
    except (QueryError, FilterError) as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc


@router.get("/export.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def export_csv(searcher: SearcherDep, form: FormDep) -> Response:
    """The current search as CSV: one row per result with its citation."""
    hits = _export(searcher, form).hits
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


@router.get("/export.json", response_class=Response, responses={200: {"content": {"application/json": {}}}})
def export_json(searcher: SearcherDep, form: FormDep) -> Response:
    """The current search as JSON, in the same form as /search."""
    found = _export(searcher, form)
    # Filters alone leave no words to mark in the snippets.
    envelope = SearchOut(query=form.q, count=len(found.hits), results=results_out(found.hits, found.parsed))
    body = json.dumps(envelope.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return Response(
        body, media_type="application/json", headers={"Content-Disposition": 'attachment; filename="panel-search.json"'}
    )


@router.get("/feed.atom", response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
def feed(request: Request, searcher: SearcherDep, form: FormDep) -> Response:
    """An Atom feed of a saved search, newest meetings first, for any feed reader."""
    hits = _export(searcher, form.model_copy(update={"sort": "newest"})).hits
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
