"""Retrieval: one path for every caller, scoped before it ranks, with a depth that follows k and never the corpus.

A request's filters and access become a Scope; the lexical side applies it as filter clauses
of its Tantivy query and the dense side as a FAISS id selector (or, for a small scope, an
exact pass over that scope's vectors). Each retriever returns at most `depth` candidates;
fusion normalises over those candidates; each result is the record shown (an exchange). Where the
generation holds the records' units (indexer/encode/units.py), each side also ranks records by their
best unit, and those runs are fused beside the records' own.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from threadpoolctl import ThreadpoolController

from indexer.analysis import british, is_english_word
from indexer.encode.embed import Embedder, EncoderSettings
from indexer.encode.onnx_encoder import model_checksum
from indexer.index.adapt import embedder_for_index
from indexer.index.ann import exact_scores, search_ann
from indexer.index.facets import day_number
from indexer.index.lexical import Alternative
from indexer.index.store import kind_bits
from indexer.reading.text import match_key
from indexer.records import Record
from search_api.filters import Filters
from search_api.fusion import normalised_score_fusion
from search_api.generation import Generation, VectorSet
from search_api.mentions import people_mentioned, period_mentioned
from search_api.query import ParsedQuery, parse_query, with_corrections, with_learned
from search_api.scope import resolve_scope

Mode = Literal["hybrid", "lexical", "dense"]
MODES: tuple[Mode, ...] = ("hybrid", "lexical", "dense")
Sort = Literal["relevance", "newest", "oldest"]
SORTS: tuple[Sort, ...] = ("relevance", "newest", "oldest")
# How deep each retriever looks before fusion; results beyond this rarely fuse into a top 10.
CANDIDATES = 100
# A scope of at most this many vectors is scored exactly, whatever the index type. Measured at 1M vectors
# (bench-scale, one panel's 24,745 vectors): exactly 25.8 ms, through IVF with more lists probed 8.2 ms at the
# same recall; 8,192 vectors score exactly in about as long.
EXACT_ROWS = 8_192
# An IVF search in a narrow scope probes more lists (in proportion to how little the scope holds), up to this.
MAX_PROBE_FACTOR = 8
# Weights of the runs by the records' units (indexer/encode/units.py) beside those by whole records. Each side
# keeps its 1.0 (so the mention and question runs below weigh what they did), split between a record as a whole
# and its best unit: lexically 0.8 to the record and 0.2 to its best unit (its words together in one sentence);
# densely 0.6 to its best passage (read in its context) and 0.4 to its best unit (read alone). Chosen on the
# development sets (evaluation/BLIND.md, docs/query-understanding.md); the record's share alone is 1.0 on a
# generation written without units.
RECORD_WEIGHT = 0.8
UNIT_LEXICAL_WEIGHT = 0.2
PASSAGE_WEIGHT = 0.6
UNIT_DENSE_WEIGHT = 0.4
# A record holds several units: the unit index is searched this many times deeper than the records wanted.
UNITS_PER_RECORD = 5
# Weight of "named in the query" (a person, a period) against 1.0 for each retriever.
MENTION_WEIGHT = 0.5
# What a glossary form counts for in the lexical query against 1.0 for a word typed: an acronym's
# expansion says the same thing; a synonym says much the same.
EXPANSION_WEIGHTS = {"acronym": 0.6, "synonym": 0.4}
# Weight of "an answer or exchange" for a query put as a question, against 1.0 for each retriever.
QUESTION_WEIGHT = 0.3
# Kinds a question is answered by.
ANSWER_KINDS = ("answer", "exchange", "supplementary_answer")
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    """One search result: the record shown (an exchange for a question or answer) and its score."""

    record: Record
    score: float
    matched: tuple[str, ...]


def merge_filters(filters: Filters, fields: dict[str, str]) -> Filters:
    """Add the filters typed in the query box (`asker:…`, `from:…`) to those given as parameters."""
    if not fields:
        return filters
    kinds = [fields["kind"]] if "kind" in fields else []
    get = fields.get
    return filters.merged(Filters.parse(get("body"), kinds, get("asker"), get("from"), get("to"), get("item")))


def passes(record: Record, parsed: ParsedQuery) -> bool:
    """Phrases must stand in the record and excluded words must not (dense candidates are checked here)."""
    if not parsed.phrases and not parsed.excluded:
        return True
    key = match_key(record.search_text)
    if any(match_key(p) not in key for p in parsed.phrases):
        return False
    words = set(_WORDS.findall(record.search_text.lower()))
    return not any(w in words for w in parsed.excluded)


class Searcher:
    """A generation and the embedder, searched through one path by the API, pages, CLI, harness and bench."""

    def __init__(self, index_dir: Path, embedder: Embedder) -> None:
        self.index_dir = index_dir
        self.embedder = embedder
        self.generation = Generation(
            index_dir, embedder.name, embedder.dimension, embedder.query_runtime, model_checksum(embedder.path)
        )

    @property
    def count(self) -> int:
        """Records in the generation (restricted ones included)."""
        return self.generation.count

    def search(
        self,
        query: str | ParsedQuery,
        k: int = 10,
        mode: Mode = "hybrid",
        filters: Filters | None = None,
        sort: Sort = "relevance",
        offset: int = 0,
        include_restricted: bool = False,
        timings: dict[str, float] | None = None,
        analysed: bool = False,
    ) -> list[Hit]:
        """The best results for a query inside its scope, one per exchange, best first (or by date).

        Only public records are searched unless `include_restricted` (a request with the admin
        token). `offset` skips the first results; `timings`, when given, receives milliseconds by stage.
        Mistyped words are searched as the indexed words they were taken for, unless the query was
        `analysed` already (search_api.entry reads it once, and leaves it as typed for an exact search).
        """
        clock = _Clock(timings)
        gen = self.generation
        parsed = with_learned(parse_query(query) if isinstance(query, str) else query, gen.vocabulary)
        if not analysed:
            parsed = self.analyse(parsed)
        clock.lap("analyse")
        filters = merge_filters(filters or Filters(), parsed.fields)
        scope = resolve_scope(filters, gen.facets, include_restricted)
        wanted = offset + k
        if not parsed.text and not parsed.phrases:
            # Only filters were given: list what passes them by date, newest first unless asked otherwise.
            listed = gen.lexical.listing(scope, wanted, newest=sort != "oldest")[offset:]
            clock.lap("lexical")
            records = gen.records(listed)
            return [Hit(records[o], 0.0, (records[o].id,)) for o in listed]
        depth = max(CANDIDATES, 2 * wanted)
        runs: list[list[tuple[int, float]]] = []
        weights: list[float] = []
        alternatives = [Alternative(t, b, 1.0) for t in parsed.terms if (b := british(t)) != t]
        alternatives += [Alternative(e.typed, f, EXPANSION_WEIGHTS[e.kind]) for e in parsed.expanded for f in e.forms]
        if mode in ("hybrid", "lexical"):
            runs.append(gen.lexical.search(parsed.terms, depth, scope, parsed.phrases, parsed.excluded, alternatives))
            weights.append(1.0 if gen.unit_lexical is None else RECORD_WEIGHT)
            clock.lap("lexical")
        if mode in ("hybrid", "dense"):
            vector = self.embedder.encode_query(parsed.dense_text)
            clock.lap("encode")
            allowed = gen.facets.mask(scope)
            runs.append(self.dense(vector, depth, allowed))
            weights.append(1.0 if gen.units is None else PASSAGE_WEIGHT)
            if gen.units is not None:
                runs.append(self.dense(vector, depth, allowed, gen.units))
                weights.append(UNIT_DENSE_WEIGHT)
            clock.lap("dense")
        # The records found; every run after this one only re-scores them.
        candidates = {o for run in runs for o, _ in run}
        if mode in ("hybrid", "lexical") and gen.unit_lexical is not None:
            # Lexically, units only re-score the records the other runs found: searched among all the units, the
            # run cost twice the record run at a million records and ranked no better on the development sets.
            found = gen.unit_lexical.search(
                parsed.terms,
                depth * UNITS_PER_RECORD,
                scope,
                parsed.phrases,
                parsed.excluded,
                alternatives,
                among=candidates,
            )
            runs.append(best_per_record(found, depth))
            weights.append(UNIT_LEXICAL_WEIGHT)
            clock.lap("lexical")
        retrieved = len(runs)
        if mode == "hybrid":
            # Candidates by a person or from a period the query names rank higher, never alone.
            for boost in self._mention_runs(parsed.text, candidates):
                runs.append(boost)
                weights.append(MENTION_WEIGHT)
            if parsed.question:
                answers = kind_bits(ANSWER_KINDS)
                runs.append([(o, 1.0) for o in candidates if gen.facets.kinds[o] & answers])
                weights.append(QUESTION_WEIGHT)
        ranked = normalised_score_fusion(runs, weights) if len(runs) > 1 else runs[0]
        hits = self._collapse(ranked, runs[:retrieved], parsed, wanted, sort)
        clock.lap("fuse and fetch")
        return hits[offset:wanted]

    def analyse(self, parsed: ParsedQuery) -> ParsedQuery:
        """The query with each word the index does not hold replaced by the indexed word it was taken for.

        A word is left alone when its British spelling or a glossary form is what the index holds, or
        when it is an English word: a small archive lacks many words people rightly use.
        """
        lexical = self.generation.lexical
        parsed = with_learned(parsed, self.generation.vocabulary)
        glossary_forms = {w for e in parsed.expanded for f in (e.typed, *e.forms) for w in f.split()}
        corrections: dict[str, str] = {}
        for term in parsed.terms:
            if term in glossary_forms or british(term) in lexical.vocabulary or is_english_word(term):
                continue
            fixed = lexical.correct(term)
            if fixed is not None and fixed != term:
                corrections[term] = fixed
        return with_corrections(parsed, corrections)

    def dense(
        self, vector: np.ndarray, depth: int, allowed: np.ndarray | None = None, vectors: VectorSet | None = None
    ) -> list[tuple[int, float]]:
        """(ordinal, similarity) of the records nearest an embedded query inside a scope, best first.

        A record scores as its best passage (or, given the generation's units as `vectors`, its best unit).
        An approximate index only proposes candidates: they are scored again exactly from the stored
        vectors, so 8-bit codes never decide the order; only units of a large generation, whose vectors
        are not kept, are ranked by their codes (and a small scope of them through the index).
        """
        found_in = vectors or self.generation.passages
        # Several rows may share a record: look deeper than the records wanted.
        want = depth * 3
        nprobe = found_in.spec.nprobe
        bits = None
        if allowed is not None:
            if found_in.embeddings is not None:
                rows = np.flatnonzero(allowed[found_in.owner])
                if len(rows) <= EXACT_ROWS:
                    return self._best_records(found_in, rows, vector, depth)
                share = len(rows) / len(found_in.owner)
            else:
                # Codes alone (the units of a large generation): the scope's share of the records stands for its
                # share of the rows, which a pass over every row (2.3 million at a million passages) cost 4 ms to count.
                share = np.count_nonzero(allowed) / len(allowed)
                if not share:
                    return []
            bits = np.packbits(allowed, bitorder="little")
            if nprobe:
                nprobe = min(nprobe * MAX_PROBE_FACTOR, math.ceil(nprobe / share))
        found = search_ann(found_in.ann, vector, want, bits, nprobe)
        if found_in.spec.exact or found_in.embeddings is None:
            return best_per_record(found, depth)
        candidates = np.unique(np.fromiter((o for o, _ in found), dtype=np.int64))
        return self._best_records(found_in, found_in.rows_of(candidates), vector, depth)

    def _best_records(
        self, vectors: VectorSet, rows: np.ndarray, vector: np.ndarray, depth: int
    ) -> list[tuple[int, float]]:
        """The `depth` records whose best row among `rows` is nearest the query, scored exactly."""
        # One matrix-vector product: on one BLAS thread it takes as long as on two, and BLAS workers left
        # spinning after it slowed the query encoder's next call fivefold on two cores; so one thread, here only.
        assert vectors.embeddings is not None  # only vectors held are scored exactly
        with _blas_controller().limit(limits=1, user_api="blas"):
            scores = exact_scores(vectors.embeddings, rows, vector)
        best: dict[int, float] = {}
        for i in np.argsort(-scores, kind="stable"):
            best.setdefault(int(vectors.owner[rows[i]]), float(scores[i]))
            if len(best) >= depth:
                break
        return list(best.items())

    def _mention_runs(self, text: str, candidates: set[int]) -> list[list[tuple[int, float]]]:
        facets = self.generation.facets
        runs: list[list[tuple[int, float]]] = []
        people = people_mentioned(text, self.generation.surnames)
        if people:
            codes = {i for i, key in enumerate(facets.askers) if key.partition("-")[0] in people}
            runs.append([(o, 1.0) for o in candidates if int(facets.asker[o]) in codes])
        period = period_mentioned(text)
        if period:
            first, last = (day_number(d) for d in period)
            runs.append([(o, 1.0) for o in candidates if first <= int(facets.date[o]) <= last])
        return [run for run in runs if run]

    def _collapse(
        self,
        ranked: Sequence[tuple[int, float]],
        runs: Sequence[Sequence[tuple[int, float]]],
        parsed: ParsedQuery,
        wanted: int,
        sort: Sort,
    ) -> list[Hit]:
        """One hit per record shown, at its best rank; phrases and exclusions checked; sorted by date if asked."""
        gen = self.generation
        result = gen.facets.result
        order: dict[int, float] = {}
        for ordinal, score in ranked:
            order.setdefault(int(result[ordinal]), score)
        matched: dict[int, list[int]] = {}
        for run in runs:
            for ordinal, _ in run:
                matched.setdefault(int(result[ordinal]), []).append(ordinal)
        shown = list(order)
        if sort != "relevance":
            # Undated records go last whichever way the dates run.
            dated = [o for o in shown if gen.facets.date[o]]
            dated.sort(key=lambda o: int(gen.facets.date[o]), reverse=sort == "newest")
            shown = dated + [o for o in shown if not gen.facets.date[o]]
        hits: list[Hit] = []
        step = wanted if not (parsed.phrases or parsed.excluded) else len(shown)
        start = 0
        while len(hits) < wanted and start < len(shown):
            batch = shown[start : start + step]
            start += step
            records = gen.records(batch)
            for s in batch:
                record = records[s]
                if not passes(record, parsed):
                    continue
                names = tuple(dict.fromkeys(gen.id_of(o) for o in matched.get(s, [s])))
                hits.append(Hit(record, order[s], names))
                if len(hits) >= wanted:
                    break
        return hits


def best_per_record(found: Sequence[tuple[int, float]], depth: int) -> list[tuple[int, float]]:
    """Each record once, at its best (first) score, from hits best first that may repeat a record; at most `depth`."""
    best: dict[int, float] = {}
    for ordinal, score in found:
        best.setdefault(ordinal, score)
        if len(best) >= depth:
            break
    return list(best.items())


@functools.cache
def _blas_controller() -> ThreadpoolController:
    """The BLAS libraries loaded (numpy's among them), found once: limiting them then costs microseconds."""
    return ThreadpoolController()


class _Clock:
    """Milliseconds between laps, added into a dict when one is given."""

    def __init__(self, into: dict[str, float] | None) -> None:
        self.into = into
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        if self.into is None:
            return
        now = time.perf_counter()
        self.into[stage] = self.into.get(stage, 0.0) + (now - self.last) * 1000
        self.last = now


def open_searcher(
    index_dir: Path,
    model_path: str | Path | None = None,
    embedder: Embedder | None = None,
    encoders: EncoderSettings | None = None,
) -> Searcher:
    """Load the embedder (unless given) and the index at index_dir."""
    if embedder is None and model_path is None:
        embedder = embedder_for_index(index_dir, Embedder(settings=encoders))  # an adapted model, if it has one
    return Searcher(index_dir, embedder or Embedder(model_path, settings=encoders))
