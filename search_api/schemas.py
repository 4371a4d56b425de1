"""Response bodies of the API, as pydantic models (they make the OpenAPI schema)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from search_api.query import ParsedQuery
from search_api.retrieval import Hit
from search_api.snippets import make_snippet

if TYPE_CHECKING:  # only for annotations: history and drafting import the browsing view, which imports these
    from search_api.drafting import DraftReport
    from search_api.history import FigureHistory, HistoryPoint


class LocationOut(BaseModel):
    """Where the quoted text stands in its document."""

    lines: list[int] = Field(description="first and last line, 1-based, inclusive")
    page: int | None = Field(description="page the quoted text starts on, when the document has pages (PDFs)")
    last_page: int | None = Field(default=None, description="page the quoted text ends on, when it has pages")


class CitationOut(BaseModel):
    """A citation: body, meeting, item, place, asker and where in which document."""

    body: str | None
    meeting_date: str | None = Field(description="ISO date, or null when the record does not say")
    item: str | None
    reference: str | None
    asker: str | None
    asker_key: str | None
    responder: str | None
    document: str = Field(description="path of the source document relative to the repository")
    location: LocationOut
    label: str = Field(description="human-readable citation")
    date_source: str | None = Field(
        default=None,
        description='where the meeting date came from: "source" (the publishing system, harvested), "manifest", '
        '"upload", "heading" (the text), or null',
    )
    source_url: str | None = Field(
        default=None,
        description="where the publisher shows it: the agenda item or meeting page, or the attachment's URL "
        "(#page=N for a PDF's page); null for a document given by hand",
    )


class ResultOut(BaseModel):
    """One search result."""

    id: str
    kind: str
    text: str
    score: float
    title: str | None
    citation: CitationOut
    also_recorded_in: list[CitationOut]
    part_ids: list[str]
    parent_id: str | None
    matched: list[str] = Field(description="ids of the records that matched (a question or answer of an exchange)")
    snippet: str = Field(description="the sentences of the text that best match the query")
    highlights: list[list[int]] = Field(description="[start, end) character spans of the snippet that match the query")

    @classmethod
    def from_hit(cls, hit: Hit, query: ParsedQuery | None = None) -> ResultOut:
        """A result as every route and the CLI give it: record, citation, score and highlighted snippet."""
        r = hit.record
        snippet = make_snippet(r.text, query.text if query else "", query.phrases if query else [])
        return cls(
            id=r.id,
            kind=r.kind,
            text=r.text,
            score=round(hit.score, 6),
            title=r.title,
            citation=CitationOut.model_validate(r.citation.to_dict()),
            also_recorded_in=[CitationOut.model_validate(c.to_dict()) for c in r.also_recorded_in],
            part_ids=list(r.part_ids),
            parent_id=r.parent_id,
            matched=list(hit.matched),
            snippet=snippet.text,
            highlights=[list(span) for span in snippet.highlights],
        )


def results_out(hits: Sequence[Hit], query: ParsedQuery | None = None) -> list[ResultOut]:
    """Results in their one serialised form."""
    return [ResultOut.from_hit(h, query) for h in hits]


class ExpansionOut(BaseModel):
    """A glossary group the query names: the form typed and the other forms also searched."""

    typed: str
    forms: list[str]
    kind: str = Field(description="acronym or synonym")
    source: str = Field("", description="for an acronym the index learned from its records: the record defining it")


class AnalysisOut(BaseModel):
    """What the query was read as: every spelling, expansion and correction searched besides the words typed."""

    searched_for: str = Field(description="the query as searched, with corrections")
    corrected: dict[str, str] = Field(description="words the index does not hold -> the indexed words searched instead")
    spelled: list[str] = Field(description="British spellings searched for words typed the American way")
    expanded: list[ExpansionOut]
    question: bool = Field(description="put as a question: answers and exchanges rank higher")

    @classmethod
    def from_query(cls, parsed: ParsedQuery) -> AnalysisOut:
        """The analysis of a parsed (and analysed) query."""
        return cls(
            searched_for=parsed.text,
            corrected=parsed.corrected,
            spelled=parsed.spelled,
            expanded=[
                ExpansionOut(typed=e.typed, forms=list(e.forms), kind=e.kind, source=e.source) for e in parsed.expanded
            ],
            question=parsed.question,
        )


class SearchOut(BaseModel):
    """The envelope of /search."""

    query: str
    count: int
    results: list[ResultOut]
    analysis: AnalysisOut | None = None


class FollowUpOut(BaseModel):
    """A later record that may follow an undertaking up (a lead, never a claim that it was met)."""

    record_id: str
    label: str
    meeting_date: str | None
    score: float


class UndertakingOut(BaseModel):
    """Who undertook what, for whom and by when, and the later records that may follow it up."""

    undertaker: str | None
    role: str | None
    action: str
    for_whom: str | None
    due: str | None
    status: str = Field(description='"no later mention" or "possibly followed up"')
    followed_up_in: list[FollowUpOut]


class RecordOut(BaseModel):
    """A whole record with its citation and the records it joins."""

    id: str
    kind: str
    text: str
    title: str | None
    context: str
    citation: CitationOut
    parent_id: str | None
    part_ids: list[str]
    resolved: str | None
    truncated: bool
    also_recorded_in: list[CitationOut]
    undertaking: UndertakingOut | None = None


class UndertakingsOut(BaseModel):
    """The envelope of /undertakings.json: the undertakings matching the filters, each a whole record."""

    count: int
    body: str | None
    meeting: str | None
    status: str | None
    undertakings: list[RecordOut]


class HealthOut(BaseModel):
    """Service status with the manifest of the loaded index."""

    status: str
    record_count: int
    generation: str = Field(description="the index generation being served")
    manifest: dict[str, Any]
    encoders: dict[str, Any] = Field(default_factory=dict, description="what encodes queries and passages, and how")


class ErrorOut(BaseModel):
    """An error: what went wrong, in words."""

    detail: str


class HarvestFailureOut(BaseModel):
    """Something the last harvest of a source could not take, and why."""

    what: str
    url: str | None
    reason: str


class SourceOut(BaseModel):
    """A site harvested into this index: where, when, and what it gave."""

    site: str = Field(description="the publishing site's address")
    system: str = Field(description='"moderngov" or "cmis"')
    committee_id: str
    committee: str = Field(description="the committee's title on the site")
    body: str | None = Field(description="the body its records are cited with")
    first_harvest: str
    last_harvest: str | None = Field(description="when a harvest last ran to the end (UTC), or null")
    meetings: int = Field(description="meetings harvested")
    documents: int = Field(description="documents kept (item minutes and attachments)")
    records: int = Field(description="records this request may see from them in the live index")
    failures: list[HarvestFailureOut] = Field(description="what the last harvest could not take")


class SourcesOut(BaseModel):
    """The sources harvested into this index."""

    count: int
    sources: list[SourceOut]


class HistoryPointOut(BaseModel):
    """One figure of a history, quoted with its citation."""

    value: float = Field(description='the figure as a number (3.2 for "3.2%", 1200000.0 for "£1.2m")')
    shown: str = Field(description="the figure as the record writes it")
    kind: str = Field(description='"%", "£" or the noun counted')
    meeting_date: str | None = Field(description="the meeting the figure was stated for; null when not stated")
    sentence: str
    record_id: str
    similarity: float = Field(description="how surely the figure is of the history's subject, 0 to 1")
    citation: CitationOut
    also_cited: list[CitationOut] = Field(description="other places the same meeting's figure was published")

    @classmethod
    def from_point(cls, point: HistoryPoint) -> HistoryPointOut:
        """The API form of a history point."""
        return cls.model_validate(point.to_dict())


class FigureHistoryOut(BaseModel):
    """The figures of one kind stated on one subject: one per dated meeting (oldest first), and the undated."""

    subject: str
    kind: str
    points: list[HistoryPointOut]
    undated: list[HistoryPointOut]

    @classmethod
    def from_history(cls, history: FigureHistory) -> FigureHistoryOut:
        """The API form of a figure history."""
        return cls.model_validate(history.to_dict())


class HistoryAnswerOut(BaseModel):
    """The envelope of /figures/history."""

    query: str
    history: FigureHistoryOut | None = Field(description="null when fewer than two meetings state a figure")


class DraftFigureOut(BaseModel):
    """A figure of the draft, or of a past record, with the sentence it stands in."""

    figure: str
    value: float
    sentence: str


class DifferenceOut(BaseModel):
    """A figure in the draft that differs from one a similar past record states."""

    description: str
    draft: DraftFigureOut
    past: DraftFigureOut
    citation: CitationOut
    similarity: float
    history: FigureHistoryOut | None = Field(description="the history of the figure's subject, when there is one")


class DraftCheckOut(BaseModel):
    """The envelope of /draft-check: the most similar past exchanges and the draft's differing figures."""

    similar: list[ResultOut]
    differences: list[DifferenceOut]

    @classmethod
    def from_report(cls, report: DraftReport) -> DraftCheckOut:
        """The API form of a drafting check."""
        return cls(
            similar=results_out(report.similar),
            differences=[
                DifferenceOut(
                    description=d.describe(),
                    draft=DraftFigureOut(figure=d.draft.text, value=d.draft.value, sentence=d.draft.sentence),
                    past=DraftFigureOut(figure=d.past.text, value=d.past.value, sentence=d.past.sentence),
                    citation=CitationOut.model_validate(d.citation.to_dict()),
                    similarity=d.similarity,
                    history=FigureHistoryOut.from_history(h) if h is not None else None,
                )
                for d, h in zip(report.differences, report.histories, strict=True)
            ],
        )
