"""The drafting check: past exchanges like a draft, and figures in the draft that differ from them."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.records import Citation
from search_api.browse import View
from search_api.entry import SearchRequest
from search_api.figures import FigureDifference, compare_figures
from search_api.filters import Filters
from search_api.history import FigureHistory, figure_history
from search_api.query import QueryError
from search_api.retrieval import Hit

# Past exchanges looked at; figures are compared with these and with nothing else.
SIMILAR = 5
# Results of every kind (reports too) searched for the history of a differing figure's subject: a page's worth.
HISTORY_RESULTS = 10


@dataclass
class DraftReport:
    """What the check found: the most similar past exchanges, and the figures that differ from them."""

    similar: list[Hit] = field(default_factory=list)
    differences: list[FigureDifference] = field(default_factory=list)
    # Beside each difference, the history of its figure's subject; None where there is none, or where an
    # earlier difference already shows the same history.
    histories: list[FigureHistory | None] = field(default_factory=list)


def draft_check(searcher: View, question: str, response: str = "", k: int = SIMILAR) -> DraftReport:
    """Find past exchanges like the draft question (and response), and compare the draft's figures with theirs."""
    query = " ".join(f"{question} {response}".split())[:480]
    kinds = Filters.parse(kinds=("exchange", "question", "answer", "supplementary_question", "supplementary_answer"))
    similar = searcher.answer(SearchRequest(query, filters=kinds, k=k)).hits
    past: list[tuple[str, Citation]] = [(hit.record.text, hit.record.citation) for hit in similar]
    # The question's own figures stand as they are; the response's terse ones are read with the question.
    differences = compare_figures(question, past, searcher.embedder)
    differences += compare_figures(response, past, searcher.embedder, question=question)
    differences.sort(key=lambda d: -d.similarity)
    return DraftReport(similar=similar, differences=differences, histories=_histories(searcher, differences))


def _histories(searcher: View, differences: list[FigureDifference]) -> list[FigureHistory | None]:
    """The history of each differing draft figure's subject (its clause, read with the question if terse)."""
    out: list[FigureHistory | None] = []
    shown: set[tuple[str, ...]] = set()
    for d in differences:
        # The subject is what the figure is of, not the figure: its own digits would only add noise.
        subject = " ".join(d.draft.context.replace(d.draft.text, " ").split())
        try:
            hits = searcher.answer(SearchRequest(subject, k=HISTORY_RESULTS)).hits
        except QueryError:  # a clause of only figures and operators: nothing to search for
            hits = []
        history = figure_history(searcher, subject, hits, kind=d.draft.kind)
        key = tuple(p.record_id + p.shown for p in history.points) if history else ()
        out.append(history if history and key not in shown else None)
        shown.add(key)
    return out
