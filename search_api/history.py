"""A figure's history: the figures search results state on one subject, one per meeting, oldest first.

Figures are found in the results (search_api/figures.py), read with their subject (the clause,
or the words before it when the clause alone does not say what it measures), and kept when that
subject names enough of the query's telling words (weighted by idf) and is close to the query by
embedding (acronyms spelled out on both sides). Changes
("decreased by 0.27%") are not levels and are left out. Nothing is generated: every point quotes
its sentence and cites its record; a figure whose record gives no meeting date is listed, never dated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indexer.analysis import STOPWORDS, spell_out_acronyms
from indexer.records import Citation, Record
from search_api.browse import View
from search_api.figures import Figure, clause_vectors, find_figures
from search_api.retrieval import Hit

# A figure is of the query's subject when (share of the query's word weight its subject names) x (cosine of
# subject and query) reaches this. Measured on the bundled corpus (top 50 results): for "proportion of black
# and minority ethnic officers" the figures asked for scored 0.381 (4.15%, 2019) and 0.677 (3.2%, 2022), the
# figures of other subjects at most 0.229 (3.75% of recruits, 39% female officers); "BAME population of
# Derbyshire" gave its 6.7% at 0.92 and 0.603. Near misses on a neighbouring subject (the 6.7% census
# comparator at 0.405 for the first query) stand in a meeting whose own figure scores higher, and one
# figure per meeting keeps only that one.
SAME_SUBJECT = 0.3
# Fewer dated figures than this make no history worth drawing.
MIN_POINTS = 2
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class HistoryPoint:
    """One figure of a history, quoted with its citation.

    value: the figure as a number (3.2 for "3.2%", 1200000.0 for "£1.2m").
    shown: the figure as the record writes it ("3.2%", "£1.2m", "283 officers").
    kind: "%", "£" or the noun counted ("officer").
    sentence: the sentence the figure stands in, quoted.
    citation: where it was stated (its meeting_date is the point's date; None when not stated).
    record_id: the record quoted, for a link to it.
    similarity: how surely the figure is of the history's subject (see SAME_SUBJECT), 0 to 1.
    also_cited: other places the same meeting's figure was published (the minutes as well as the report).
    """

    value: float
    shown: str
    kind: str
    sentence: str
    citation: Citation
    record_id: str
    similarity: float
    also_cited: tuple[Citation, ...] = ()

    @property
    def date(self) -> str | None:
        """The meeting date (YYYY-MM-DD) the figure was stated for, or None when the record does not say."""
        return self.citation.meeting_date

    def to_dict(self) -> dict[str, object]:
        """The JSON form the API returns."""
        return {
            "value": self.value,
            "shown": self.shown,
            "kind": self.kind,
            "meeting_date": self.date,
            "sentence": self.sentence,
            "record_id": self.record_id,
            "similarity": self.similarity,
            "citation": self.citation.to_dict(),
            "also_cited": [c.to_dict() for c in self.also_cited],
        }


@dataclass(frozen=True)
class FigureHistory:
    """The figures of one kind stated on one subject.

    subject: the words the figures' subjects were compared with (the query, or a draft figure's clause).
    kind: the kind every point shares ("%", "£" or the noun counted).
    points: one figure per meeting with a date, oldest first: what the chart draws.
    undated: figures from records with no meeting date: listed as "date not stated", never drawn.
    """

    subject: str
    kind: str
    points: tuple[HistoryPoint, ...]
    undated: tuple[HistoryPoint, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The JSON form the API returns."""
        return {
            "subject": self.subject,
            "kind": self.kind,
            "points": [p.to_dict() for p in self.points],
            "undated": [p.to_dict() for p in self.undated],
        }


@dataclass(frozen=True)
class _Stated:
    """A figure found in a result: the figure, the record quoted, and where else that record was published."""

    figure: Figure
    record: Record
    also: tuple[Citation, ...]


def _stated(searcher: View, hits: Sequence[Hit], kind: str | None) -> list[_Stated]:
    """Every level (not change) figure the results state, each with the record (or exchange part) quoted."""
    out: list[_Stated] = []
    seen: set[str] = set()
    for hit in hits:
        # An exchange's parts are cited on their own: the question's figure cites the question's lines.
        for record in searcher.parts(hit.record) or [hit.record]:
            if record.id in seen:
                continue
            seen.add(record.id)
            also = record.also_recorded_in or hit.record.also_recorded_in
            out += [
                _Stated(f, record, also)
                for f in find_figures(record.text)
                if not f.change and (kind is None or f.kind == kind)
            ]
    return out


def _meeting(citation: Citation) -> tuple[str, str] | None:
    return (citation.meeting_date, citation.body or "") if citation.meeting_date else None


def _weights(searcher: View, text: str) -> dict[str, float]:
    """The words of a text that say what it is about (stopwords left out), each weighted by its idf."""
    words = [w for w in _WORD.findall(spell_out_acronyms(text)) if w.lower() not in STOPWORDS]
    return searcher.generation.lexical.weights(" ".join(words))


def _coverage(query: dict[str, float], subject: dict[str, float]) -> float:
    """The share of the query's word weight (idf) that the subject names."""
    total = sum(query.values())
    return sum(w for token, w in query.items() if token in subject) / total if total else 0.0


def figure_history(
    searcher: View,
    subject: str,
    hits: Sequence[Hit],
    kind: str | None = None,
    threshold: float = SAME_SUBJECT,
) -> FigureHistory | None:
    """The figures the hits state on `subject`, one per meeting, oldest first; None if fewer than two are dated."""
    # A number the subject names is what it is about, not a figure of it: the 101 of "101 calls answered".
    named = set(re.findall(r"\d[\d,.]*", subject))
    stated = [
        s for s in _stated(searcher, hits, kind) if s.figure.kind in ("%", "£") or s.figure.text.split()[0] not in named
    ]
    if not stated or not subject.strip():
        return None
    wanted = _weights(searcher, subject)
    texts = [spell_out_acronyms(s.figure.subject or s.figure.context) for s in stated]
    coverage = [_coverage(wanted, _weights(searcher, t)) for t in texts]
    # A score is at most its coverage (cosine <= 1), so only figures covering enough are embedded.
    kept = [i for i, c in enumerate(coverage) if c >= threshold]
    if not kept:
        return None
    unique = list(dict.fromkeys([spell_out_acronyms(subject)] + [texts[i] for i in kept]))
    vectors = dict(zip(unique, clause_vectors(searcher.embedder, unique), strict=True))
    query = vectors[unique[0]]
    scored = [(coverage[i] * float(np.dot(vectors[texts[i]], query)), stated[i]) for i in kept]
    matching = [(score, s) for score, s in scored if score >= threshold]
    if not matching:
        return None
    # The history is of the kind the closest figure is: a percentage's history is not a count's.
    best_kind = max(matching, key=lambda pair: pair[0])[1].figure.kind
    # One figure per meeting: the one whose subject is closest; the same value stated elsewhere for
    # that meeting (report and minutes) is the same point, its citation kept as another place it stands.
    chosen: dict[tuple[str, str], tuple[float, _Stated]] = {}
    for score, s in sorted(matching, key=lambda pair: -pair[0]):
        if s.figure.kind != best_kind:
            continue
        # Records with no meeting date are one meeting per document: never dated, never merged across documents.
        meeting = _meeting(s.record.citation) or ("", s.record.citation.document)
        chosen.setdefault(meeting, (score, s))
    points = [_point(score, s, matching) for score, s in chosen.values()]
    dated = sorted((p for p in points if p.date is not None), key=lambda p: (p.date or "", p.citation.body or ""))
    if len(dated) < MIN_POINTS:
        return None
    undated = tuple(p for p in points if p.date is None)
    return FigureHistory(subject=subject, kind=best_kind, points=tuple(dated), undated=undated)


def _point(score: float, s: _Stated, matching: Sequence[tuple[float, _Stated]]) -> HistoryPoint:
    """A chosen figure as a point, citing the other records of its meeting that state the same value."""
    meeting = _meeting(s.record.citation)
    others = [
        o.record.citation
        for _, o in matching
        if meeting is not None
        and o.record.id != s.record.id
        and _meeting(o.record.citation) == meeting
        and o.figure.kind == s.figure.kind
        and np.isclose(o.figure.value, s.figure.value)
    ]
    also = tuple(dict.fromkeys([*s.also, *others]))
    return HistoryPoint(
        value=s.figure.value,
        shown=s.figure.text,
        kind=s.figure.kind,
        sentence=s.figure.sentence,
        citation=s.record.citation,
        record_id=s.record.id,
        similarity=round(score, 3),
        also_cited=also,
    )
