"""Searching a saved index: lexical (BM25), dense (FAISS) and their fusion."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from indexer.ann import load_ann, search_ann
from indexer.embed import Embedder
from indexer.generations import resolve
from indexer.manifest import STORE_FILE, VECTORS_FILE, DocumentEntry, IndexManifest, IndexMismatchError
from indexer.records import Record
from indexer.store import DocumentText, MetadataStore
from indexer.textclean import match_key
from search_api.filters import Filters, parse_day, parse_kinds
from search_api.fusion import collapse, normalised_score_fusion
from search_api.mentions import people_mentioned, period_mentioned
from search_api.query import ParsedQuery, parse_query
from search_api.snippets import make_snippet

Mode = Literal["hybrid", "lexical", "dense"]
MODES: tuple[Mode, ...] = ("hybrid", "lexical", "dense")
Sort = Literal["relevance", "newest", "oldest"]
SORTS: tuple[Sort, ...] = ("relevance", "newest", "oldest")
# How deep each retriever looks before fusion; results beyond this rarely fuse into a top 10.
CANDIDATES = 100
_WORDS = re.compile(r"\w+")
# Weight of "named in the query" (a person, a period) against 1.0 for each retriever.
MENTION_WEIGHT = 0.5


@dataclass(frozen=True)
class Hit:
    """One search result: the record shown (an exchange for a question or answer) and its score."""

    record: Record
    score: float
    matched: tuple[str, ...]


class Searcher:
    """A loaded index: records in memory, the FAISS index, the FTS5 store and the embedder."""

    def __init__(self, index_dir: Path, embedder: Embedder) -> None:
        self.index_dir = index_dir
        self.generation_dir = resolve(index_dir)
        self.generation = self.generation_dir.name
        generation_dir = self.generation_dir
        self.manifest = IndexManifest.read(generation_dir)
        self.manifest.check_compatible(embedder.name, embedder.dimension)
        self.embedder = embedder
        self.store = MetadataStore(generation_dir / STORE_FILE)
        self.ann = load_ann(generation_dir / VECTORS_FILE)
        rows = self.store.load_all()
        self.owner: list[int] = self.store.vector_owners()
        if len(rows) != self.manifest.record_count or not (
            len(self.owner) == self.ann.ntotal == self.manifest.vector_count
        ):
            raise IndexMismatchError(
                f"the index at {index_dir} is inconsistent: {len(rows)} records and {self.ann.ntotal} vectors, "
                f"manifest says {self.manifest.record_count} and {self.manifest.vector_count}; rebuild it"
            )
        self.by_ordinal: list[Record] = [r for _, r, _ in rows]
        self.by_id: dict[str, Record] = {r.id: r for r in self.by_ordinal}
        self.shown_as: dict[str, str] = {r.id: rid for _, r, rid in rows}
        self.children: dict[str, list[Record]] = {}
        for r in self.by_ordinal:
            if r.parent_id:
                self.children.setdefault(r.parent_id, []).append(r)
        self.surnames: set[str] = {key.partition("-")[0] for r in self.by_ordinal if (key := r.citation.asker_key)}

    @property
    def count(self) -> int:
        """Number of records in the index."""
        return len(self.by_ordinal)

    def get(self, record_id: str) -> Record | None:
        """The record with this id, or None."""
        return self.by_id.get(record_id)

    def people(self) -> list[tuple[str, str]]:
        """(person key, name as most often written) of everyone who asked, by name."""
        names: dict[str, dict[str, int]] = {}
        for r in self.by_ordinal:
            if r.citation.asker_key and r.citation.asker:
                counts = names.setdefault(r.citation.asker_key, {})
                counts[r.citation.asker] = counts.get(r.citation.asker, 0) + 1
        return sorted(((k, max(v, key=lambda n: v[n])) for k, v in names.items()), key=lambda kv: kv[1].split()[-1])

    def shown(self, record: Record) -> Record:
        """The record a result shows for this one: its exchange, or itself."""
        return self.by_id.get(self.shown_as.get(record.id, record.id), record)

    def supplementaries(self, record: Record) -> list[Record]:
        """The supplementary exchanges that follow an exchange's (or a question's) question."""
        question_id = record.part_ids[0] if record.kind == "exchange" and record.part_ids else record.id
        follow = [c for c in self.children.get(question_id, []) if c.kind == "supplementary_question"]
        return [self.shown(c) for c in follow]

    def meeting(self, date: str, body: str | None = None) -> list[Record]:
        """Everything recorded for a meeting, as results show it, in the order of the documents."""
        seen: dict[str, Record] = {}
        for r in self.by_ordinal:
            c = r.citation
            if c.meeting_date == date and (body is None or c.body == body):
                shown = self.shown(r)
                seen.setdefault(shown.id, shown)
        return sorted(seen.values(), key=lambda r: (r.citation.document, r.citation.location.lines))

    def asked_by(self, key: str) -> list[Record]:
        """Every question a person asked, as exchanges where answered, newest first."""
        seen: dict[str, Record] = {}
        for r in self.by_ordinal:
            if r.citation.asker_key == key and r.kind in ("question", "supplementary_question"):
                shown = self.shown(r)
                seen.setdefault(shown.id, shown)
        return sorted(
            seen.values(), key=lambda r: (r.citation.meeting_date or "", r.citation.location.lines), reverse=True
        )

    def parts(self, record: Record) -> list[Record]:
        """The records an exchange joins (question first), or [] for other kinds."""
        return [self.by_id[p] for p in record.part_ids if p in self.by_id]

    def search(
        self,
        query: str | ParsedQuery,
        k: int = 10,
        mode: Mode = "hybrid",
        filters: Filters | None = None,
        sort: Sort = "relevance",
        offset: int = 0,
        allow: Callable[[Record], bool] | None = None,
    ) -> list[Hit]:
        """The best results for a query, one per exchange, best first (or by date); `offset` skips the first ones.

        `allow`, when given, decides which records may be returned at all (access levels).
        """
        parsed = parse_query(query) if isinstance(query, str) else query
        filters = merge_filters(filters or Filters(), parsed.fields)
        # With filters, a date sort or records held back, look at every record: the best may lie deep.
        depth = self.count if (filters.active or sort != "relevance" or allow) else CANDIDATES
        runs: list[list[tuple[str, float]]] = []
        if not parsed.text and not parsed.phrases:
            # Only filters were given: list what passes them, newest first.
            runs.append([(r.id, 0.0) for r in self.by_ordinal])
            sort = "oldest" if sort == "oldest" else "newest"
        else:
            if mode in ("hybrid", "lexical"):
                runs.append(self._lexical(parsed, depth))
            if mode in ("hybrid", "dense"):
                runs.append(self._dense(parsed, depth))
        weights = [1.0] * len(runs)
        if mode == "hybrid" and len(runs) == 2:
            # Candidates by a person or from a period the query names rank higher, never alone.
            for boost in self._mention_runs(parsed.text, {rid for run in runs for rid, _ in run}):
                runs.append(boost)
                weights.append(MENTION_WEIGHT)
        ranked = normalised_score_fusion(runs, weights) if len(runs) > 1 else runs[0]
        matched: dict[str, list[str]] = {}
        for run in runs[:2]:
            for rid, _ in run:
                matched.setdefault(self.shown_as.get(rid, rid), []).append(rid)
        hits: list[Hit] = []
        wanted = offset + k
        for rid, score in collapse(ranked, self.shown_as):
            record = self.by_id[rid]
            if allow is not None and not allow(record):
                continue
            if not self._passes(record, parsed):
                continue
            if filters.active and not filters.matches(record, self.parts(record)):
                continue
            hits.append(Hit(record=record, score=score, matched=tuple(dict.fromkeys(matched.get(rid, [rid])))))
            if sort == "relevance" and len(hits) >= wanted:
                break
        if sort != "relevance":
            # Undated records go last whichever way the dates run.
            dated = [h for h in hits if h.record.citation.meeting_date]
            undated = [h for h in hits if not h.record.citation.meeting_date]
            dated.sort(key=lambda h: h.record.citation.meeting_date or "", reverse=sort == "newest")
            hits = dated + undated
        return hits[offset:wanted]

    def _mention_runs(self, text: str, candidates: set[str]) -> list[list[tuple[str, float]]]:
        runs: list[list[tuple[str, float]]] = []
        people = people_mentioned(text, self.surnames)
        if people:
            runs.append(
                [
                    (rid, 1.0)
                    for rid in candidates
                    if (key := self.by_id[rid].citation.asker_key) and key.partition("-")[0] in people
                ]
            )
        period = period_mentioned(text)
        if period:
            first, last = period
            runs.append(
                [(rid, 1.0) for rid in candidates if first <= (self.by_id[rid].citation.meeting_date or "") <= last]
            )
        return [run for run in runs if run]

    def _lexical(self, parsed: ParsedQuery, depth: int) -> list[tuple[str, float]]:
        rows = self.store.lexical(parsed.terms, depth, parsed.phrases, parsed.excluded)
        return [(self.by_ordinal[o].id, s) for o, s in rows]

    def _dense(self, parsed: ParsedQuery, depth: int) -> list[tuple[str, float]]:
        return self.dense_by_vector(self.embedder.encode_query(parsed.text), depth)

    def dense_by_vector(self, vector: np.ndarray, depth: int) -> list[tuple[str, float]]:
        """(record id, similarity) of the records nearest an embedded query, best first."""
        # A record scores as its best passage; look deeper since several rows may share a record.
        best: dict[int, float] = {}
        for row, score in search_ann(self.ann, vector, min(self.ann.ntotal, depth * 3)):
            ordinal = self.owner[row]
            if ordinal not in best:
                best[ordinal] = score
        ranked = sorted(best.items(), key=lambda kv: -kv[1])[:depth]
        return [(self.by_ordinal[o].id, s) for o, s in ranked]

    @staticmethod
    def _passes(record: Record, parsed: ParsedQuery) -> bool:
        """Phrases must stand in the record and excluded words must not."""
        if not parsed.phrases and not parsed.excluded:
            return True
        key = match_key(record.search_text)
        if any(match_key(p) not in key for p in parsed.phrases):
            return False
        words = set(_WORDS.findall(record.search_text.lower()))
        return not any(w in words for w in parsed.excluded)


class SearchView:
    """What one request may see of a searcher: everything with the admin token, else public records only.

    Routes reach records only through a view, so a restricted document's text, ids, counts
    and citations never reach a public response.
    """

    def __init__(self, searcher: Searcher, include_restricted: bool) -> None:
        self.searcher = searcher
        self.include_restricted = include_restricted
        self.embedder = searcher.embedder
        self.generation = searcher.generation

    @property
    def records(self) -> list[Record]:
        """Every record this request may see (built when a page needs the whole list)."""
        return [r for r in self.searcher.by_ordinal if self.allowed(r)]

    def allowed(self, record: Record) -> bool:
        """True when this request may see the record."""
        return self.include_restricted or record.access == "public"

    @property
    def count(self) -> int:
        """Records this request may see."""
        if self.include_restricted:
            return self.searcher.count
        return sum(1 for r in self.searcher.by_ordinal if r.access == "public")

    @property
    def documents(self) -> list[DocumentEntry]:
        """Indexed documents this request may see."""
        return [d for d in self.searcher.manifest.documents if self.include_restricted or d.access == "public"]

    def document(self, path: str) -> DocumentEntry | None:
        """The indexed document cited as `path`, if this request may see it."""
        return next((d for d in self.documents if d.path == path), None)

    def document_text(self, path: str) -> DocumentText | None:
        """The text the index read from a document this request may see, as its citations count lines."""
        if self.document(path) is None:
            return None
        return self.searcher.store.document(path)

    def manifest(self) -> dict[str, object]:
        """The index manifest, as much of it as this request may see."""
        data = self.searcher.manifest.to_dict()
        if not self.include_restricted:
            data["documents"] = [dataclasses.asdict(d) for d in self.documents]
            data["record_count"] = self.count
            data.pop("vector_count", None)
            data.pop("corpus_hash", None)
        return data

    def get(self, record_id: str) -> Record | None:
        """The record with this id, if this request may see it."""
        record = self.searcher.get(record_id)
        return record if record is not None and self.allowed(record) else None

    def shown(self, record: Record) -> Record:
        """The record a result shows for this one."""
        return self.searcher.shown(record)

    def parts(self, record: Record) -> list[Record]:
        """The visible records an exchange joins."""
        return [r for r in self.searcher.parts(record) if self.allowed(r)]

    def supplementaries(self, record: Record) -> list[Record]:
        """The visible supplementary exchanges following a question."""
        return [r for r in self.searcher.supplementaries(record) if self.allowed(r)]

    def meeting(self, date: str, body: str | None = None) -> list[Record]:
        """Everything visible recorded for a meeting."""
        return [r for r in self.searcher.meeting(date, body) if self.allowed(r)]

    def asked_by(self, key: str) -> list[Record]:
        """Every visible question a person asked."""
        return [r for r in self.searcher.asked_by(key) if self.allowed(r)]

    def people(self) -> list[tuple[str, str]]:
        """Everyone who asked a visible question."""
        visible = {r.citation.asker_key for r in self.records if r.citation.asker_key}
        return [(k, n) for k, n in self.searcher.people() if k in visible]

    def search(self, query: str | ParsedQuery, **options: Any) -> list[Hit]:
        """Search, returning only what this request may see."""
        allow = None if self.include_restricted else self.allowed
        return self.searcher.search(query, allow=allow, **options)


def merge_filters(filters: Filters, fields: dict[str, str]) -> Filters:
    """Add the filters typed in the query box (`asker:…`, `from:…`) to those given as parameters."""
    if not fields:
        return filters
    return Filters(
        body=filters.body or fields.get("body"),
        kinds=filters.kinds or parse_kinds([fields["kind"]] if "kind" in fields else []),
        asker=filters.asker or fields.get("asker"),
        date_from=filters.date_from or parse_day(fields.get("from"), "from"),
        date_to=filters.date_to or parse_day(fields.get("to"), "to"),
        item=filters.item or fields.get("item"),
        asker_key=filters.asker_key,
    )


def open_searcher(index_dir: Path, model_path: str | Path | None = None, embedder: Embedder | None = None) -> Searcher:
    """Load the embedder (unless given) and the index at index_dir."""
    return Searcher(index_dir, embedder or Embedder(model_path))


def hits_to_dicts(hits: Sequence[Hit], query: ParsedQuery | None = None) -> list[dict[str, object]]:
    """The JSON form of results shared by the API and `panel-search search --json`."""
    return [result_dict(h, query) for h in hits]


def result_dict(hit: Hit, query: ParsedQuery | None = None) -> dict[str, object]:
    """One result as JSON: the record, its citation, its score and a highlighted snippet."""
    r = hit.record
    snippet = make_snippet(r.text, query.text if query else "", query.phrases if query else [])
    return {
        "id": r.id,
        "kind": r.kind,
        "text": r.text,
        "score": round(hit.score, 6),
        "title": r.title,
        "citation": r.citation.to_dict(),
        "also_recorded_in": [c.to_dict() for c in r.also_recorded_in],
        "part_ids": list(r.part_ids),
        "parent_id": r.parent_id,
        "matched": list(hit.matched),
        "snippet": snippet.text,
        "highlights": [list(span) for span in snippet.highlights],
    }
