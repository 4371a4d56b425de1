"""The archive inside an AI assistant: an MCP server (stdio) whose tools return quoted text with citations.

Each tool goes through the same `View` as the public API, so access is decided the same way:
restricted records only when the server is started with the admin token it is configured with.
Nothing is generated: every text a tool returns is quoted from a record.
"""

from __future__ import annotations

import hmac
from typing import Any

from mcp.server.mcpserver import MCPServer

# Raised for arguments a tool cannot use: the SDK returns its message to the assistant as the error.
from mcp.server.mcpserver.exceptions import ToolError

from indexer.records import Record
from search_api.browse import View
from search_api.drafting import draft_check
from search_api.entry import SearchRequest
from search_api.filters import FilterError, Filters, UndertakingFilters, parse_day
from search_api.live import LiveSearcher
from search_api.query import QueryError
from search_api.retrieval import Hit
from search_api.schemas import ResultOut, results_out

INSTRUCTIONS = (
    "Past Police and Crime Panel questions, answers, minutes and reports. Every result is quoted from a "
    "record with its citation (body, meeting date, item, question, who asked, document and lines); quote "
    "and cite them, and never state a figure or an answer that a result does not quote."
)


def may_see_restricted(configured_token: str | None, given_token: str | None) -> bool:
    """True only when an admin token is configured and the server was started with that same token."""
    return bool(configured_token and given_token and hmac.compare_digest(configured_token, given_token))


def _record(view: View, record: Record) -> dict[str, Any]:
    """A record as a tool returns it: the result form of the API, with its parts' texts quoted."""
    out = ResultOut.from_hit(Hit(record, 0.0, (record.id,))).model_dump(exclude={"snippet", "highlights", "score"})
    out["parts"] = [{"id": p.id, "kind": p.kind, "text": p.text} for p in view.parts(record)]
    return out


def search_tool(
    view: View,
    query: str,
    k: int = 10,
    body: str | None = None,
    asker: str | None = None,
    kind: list[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> dict[str, Any]:
    """What the `search_records` tool returns for its arguments (QueryError or FilterError when unusable)."""
    filters = Filters.parse(body, kind or [], asker, date_from, date_to)
    found = view.answer(SearchRequest(query, filters, k=max(1, min(k, 50))))
    return {"query": query, "results": [r.model_dump() for r in results_out(found.hits, found.parsed)]}


def build_server(live: LiveSearcher, include_restricted: bool) -> MCPServer:
    """The MCP server over a live index, seeing what an anonymous or an admin API request would."""
    server = MCPServer("panel-search", instructions=INSTRUCTIONS)

    def view() -> View:
        return View(live.get(), include_restricted=include_restricted)

    @server.tool()
    def search_records(
        query: str,
        k: int = 10,
        body: str | None = None,
        asker: str | None = None,
        kind: list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> dict[str, Any]:
        """Search past panel records in plain English; each result is quoted with its full citation and id."""
        try:
            return search_tool(view(), query, k, body, asker, kind, date_from, date_to)
        except (QueryError, FilterError) as exc:
            raise ToolError(str(exc)) from exc

    @server.tool()
    def get_record(id: str) -> dict[str, Any]:
        """One record by its id (from a search result), quoted whole with its citation and its parts."""
        v = view()
        record = v.get(id)
        if record is None:
            moved = v.moved(id)
            record = v.get(moved) if moved else None
        if record is None:
            raise ToolError(f"no record {id!r}")
        return _record(v, record)

    @server.tool()
    def list_meeting(date: str, body: str | None = None) -> dict[str, Any]:
        """Every record of a meeting (YYYY-MM-DD, optionally the body's name), in the order recorded."""
        try:
            day = parse_day(date, "date")
        except FilterError as exc:
            raise ToolError(str(exc)) from exc
        v = view()
        records = v.meeting(str(day), body)
        return {"date": str(day), "body": body, "records": [_record(v, r) for r in records]}

    @server.tool()
    def list_undertakings(
        body: str | None = None, meeting: str | None = None, status: str | None = None
    ) -> dict[str, Any]:
        """What was undertaken (by the PCC, a deputy, an officer or the Panel), quoted with citations; filters:
        body, meeting (YYYY-MM-DD), status ("no later mention" or "possibly followed up"). A follow-up is a
        later record that may discharge it, never proof that it was done."""
        try:
            filters = UndertakingFilters.parse(body, meeting, status)
        except FilterError as exc:
            raise ToolError(str(exc)) from exc
        v = view()
        records = v.undertakings(filters)
        return {
            "count": len(records),
            "undertakings": [
                {**_record(v, r), "undertaking": r.undertaking.to_dict() if r.undertaking else None} for r in records
            ],
        }

    @server.tool()
    def check_draft(question: str, response: str = "") -> dict[str, Any]:
        """Past exchanges like a draft question and response, and the draft's figures that differ from theirs."""
        if not question.strip():
            raise ToolError("the draft question is empty")
        v = view()
        report = draft_check(v, question, response)
        return {
            "similar": [r.model_dump() for r in results_out(report.similar)],
            "differences": [
                {
                    "draft": d.draft.text,
                    "draft_sentence": d.draft.sentence,
                    "past": d.past.text,
                    "past_sentence": d.past.sentence,
                    "citation": d.citation.to_dict(),
                    "similarity": d.similarity,
                }
                for d in report.differences
            ],
        }

    return server
