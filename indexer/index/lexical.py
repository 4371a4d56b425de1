"""The lexical index: BM25 over record text with Tantivy, scoped by facets inside the query.

Tantivy answers a top-k query with block-max WAND over memory-mapped segments, so its cost
follows k and the query, not the number of records holding a common word (SQLite FTS5 scores
every one of them: 215 ms at a million records). Facets of the record shown for each record
(access, kinds, body, date, item, asker) are indexed beside the text, so a scope is a filter
clause of the same query and never a pass over results afterwards.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tantivy
from rapidfuzz import fuzz, process

from indexer.analysis import word_variants
from indexer.index.facets import Facets, Scope, day_number, item_key
from indexer.records import Record

LEXICAL_DIR = "lexical"
# The words of the indexed text as written (lower case) with the records holding each: typo correction.
VOCABULARY_FILE = "vocabulary.tsv"
# How alike (0-100) a word absent from the index must be to an indexed word to be read as it.
TYPO_MATCH = 80
_ALPHA = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
ANALYZER = "panel_en"
# Field weights: the quoted text matters most; its context (title, the question answered) less, so a
# one-line paragraph does not outrank the paragraphs that discuss the subject.
BOOSTS = {"text": 1.0, "context": 0.6, "asker": 0.8, "variants": 1.0}
TEXT_FIELDS = list(BOOSTS)
# What the other fields add to a word's best field (Lucene's dis_max tie breaker).
TIE_BREAKER = 0.1
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Alternative:
    """Another way to say words of the query: `form` ("csp") stands for `typed` ("community safety
    partnership") and a match of it counts `weight` of what a match of the typed words would."""

    typed: str
    form: str
    weight: float


def _analyzer() -> tantivy.TextAnalyzer:
    """Words split on non-letters, lower-cased, accents folded, English (Snowball) stems."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def _schema(ordinal_indexed: bool = False) -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=ANALYZER)
    # A unit index is searched among given records (indexer/encode/units.py): its ordinals are indexed terms too.
    builder.add_integer_field("ordinal", indexed=ordinal_indexed, fast=True)
    builder.add_integer_field("date", indexed=True, fast=True)
    builder.add_integer_field("shown", indexed=True, fast=False)
    for name in ("access", "kinds", "body", "item", "asker_key"):
        builder.add_text_field(name, tokenizer_name="raw")
    return builder.build()


def write_lexical(
    directory: Path,
    records: Sequence[Record],
    facets: Sequence[Facets],
    shown: Sequence[bool],
    units: Sequence[Sequence[str]] | None = None,
) -> None:
    """Index every record's text (an undertaking's is its source's) with the facets of the record shown for it.

    Given `units` (each record's, `indexer.encode.units`), each unit is a document of its record instead,
    with the record's context and facets: a unit index, searched for the record whose one sentence matches.
    """
    directory.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(_schema(ordinal_indexed=units is not None), path=str(directory))
    index.register_tokenizer(ANALYZER, _analyzer())
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    counts: Counter[str] = Counter()
    for ordinal, (r, f, is_shown) in enumerate(zip(records, facets, shown, strict=True)):
        # An undertaking's sentence is indexed in the record it is read from: counted twice it would outrank it.
        # It stays a (wordless) document so the index keeps one document per record (a unit index has none).
        words = r.kind != "undertaking"
        texts = list(units[ordinal]) if units is not None else [r.text if words else ""]
        for text in texts:
            searched = f"{r.context}\n{text}" if r.context else text
            variants = word_variants(searched) if words else ""
            if words and units is None:
                # Hyphenated words count solid too ("de-criminalisation" is also "decriminalisation").
                counts.update(set(_ALPHA.findall(f"{searched} {variants}".lower())))
            context = (r.context or r.title or "") if words else ""
            writer.add_document(_document(text, context, r, ordinal, variants, f, is_shown))
    writer.commit()
    writer.wait_merging_threads()
    if units is None:
        lines = (f"{word}\t{n}\n" for word, n in sorted(counts.items()))
        (directory / VOCABULARY_FILE).write_text("".join(lines), encoding="utf-8")


def _document(
    text: str, context: str, r: Record, ordinal: int, variants: str, f: Facets, is_shown: bool
) -> tantivy.Document:
    """One indexed document: a record's text (or one unit of it) with the facets its searches filter on."""
    doc = tantivy.Document(
        text=text,
        context=context,
        asker=r.citation.asker or "",
        variants=variants,
        ordinal=ordinal,
        date=day_number(f.meeting_date),
        shown=int(is_shown),
        access=f.access,
        kinds=list(f.kinds),
    )
    for name, value in (("body", f.body), ("item", item_key(f.item)), ("asker_key", f.asker_key)):
        if value:
            doc.add_text(name, value)
    return doc


def _quoted(words: Iterable[str]) -> str:
    """Words for the query parser, each quoted so no word is read as syntax (AND, OR, NOT, field:)."""
    return " ".join(f'"{w}"' for w in words)


def _by_typed(alternatives: Sequence[Alternative]) -> dict[str, list[Alternative]]:
    """Alternatives grouped by the words they stand for, the longest span first."""
    groups: dict[str, list[Alternative]] = {}
    for a in alternatives:
        groups.setdefault(a.typed, []).append(a)
    return dict(sorted(groups.items(), key=lambda kv: -len(_WORD.findall(kv[0]))))


class LexicalIndex:
    """A lexical index opened for searching; safe to share between threads."""

    def __init__(self, directory: Path) -> None:
        if not directory.is_dir():
            raise FileNotFoundError(directory)
        self.index = tantivy.Index.open(str(directory))
        self.index.register_tokenizer(ANALYZER, _analyzer())
        self.schema = self.index.schema
        self.analyzer = _analyzer()
        self.vocabulary: dict[str, int] = {}
        self._by_initial: dict[str, list[str]] = {}
        vocabulary = directory / VOCABULARY_FILE
        if vocabulary.exists():
            for line in vocabulary.read_text(encoding="utf-8").splitlines():
                word, _, n = line.partition("\t")
                self.vocabulary[word] = int(n)
                self._by_initial.setdefault(word[0], []).append(word)
        self.searcher = self.index.searcher()
        self._idfs: dict[str, float] = {}

    @property
    def count(self) -> int:
        """Records indexed."""
        return int(self.searcher.num_docs)

    def correct(self, word: str) -> str | None:
        """The indexed word a word absent from the index was most likely meant to be, or None.

        Only words of four letters or more are corrected, against indexed words of the same first
        letter (a slip rarely falls on the first letter), the most alike first, then the most used.
        """
        word = word.lower()
        if len(word) < 4 or not word.isalpha() or word in self.vocabulary:
            return None
        candidates = self._by_initial.get(word[0], [])
        found = process.extract(word, candidates, scorer=fuzz.ratio, score_cutoff=TYPO_MATCH, limit=5)
        if not found:
            return None
        best = max(found, key=lambda m: (m[1], self.vocabulary[m[0]]))
        return str(best[0])

    def _filters(self, scope: Scope, listing: bool) -> list[tantivy.Query] | None:
        """The scope as filter clauses, or None when it allows nothing."""
        clauses: list[tantivy.Query] = []
        if scope.public_only:
            clauses.append(tantivy.Query.term_query(self.schema, "access", "public"))
        if listing:
            clauses.append(tantivy.Query.term_query(self.schema, "shown", 1))
        for name, allowed in (
            ("kinds", scope.kinds),
            ("body", scope.bodies),
            ("item", scope.items),
            ("asker_key", scope.askers),
        ):
            if allowed is None:
                continue
            if not allowed:
                return None
            clauses.append(tantivy.Query.term_set_query(self.schema, name, sorted(allowed)))
        if scope.date_from is not None or scope.date_to is not None:
            clauses.append(self._date_range(max(1, scope.date_from or 1), scope.date_to))
        return clauses

    def _date_range(self, first: int, last: int | None) -> tantivy.Query:
        """Meeting dates (YYYYMMDD) from `first` to `last` inclusive (no upper bound when None)."""
        return tantivy.Query.range_query(self.schema, "date", tantivy.FieldType.Integer, first, last)

    def _run(
        self,
        query: tantivy.Query,
        filters: list[tantivy.Query],
        k: int,
        by_date: tantivy.Order | None = None,
    ) -> list[tuple[int, float]]:
        if filters:
            parts = [(tantivy.Occur.Must, query)]
            parts += [(tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters]
            query = tantivy.Query.boolean_query(parts)
        if by_date is None:
            hits = self.searcher.search(query, k, count=False).hits
        else:
            hits = self.searcher.search(query, k, count=False, order_by_field="date", order=by_date).hits
        ordinals = self.searcher.fast_field_values("ordinal", [address for _, address in hits])
        return [(int(o or 0), float(score)) for (score, _), o in zip(hits, ordinals, strict=True)]

    def search(
        self,
        terms: Sequence[str],
        k: int,
        scope: Scope,
        phrases: Sequence[str] = (),
        excluded: Sequence[str] = (),
        alternatives: Sequence[Alternative] = (),
        among: Collection[int] | None = None,
    ) -> list[tuple[int, float]]:
        """BM25 search inside a scope: (ordinal, score) best first.

        Any of `terms` may match; every phrase must match; no excluded word may match. Each
        alternative is grouped with the words it stands for, and a record scores by the best of them.
        Given `among` (record ordinals; a unit index only), only the documents of those records are searched.
        """
        words = [w for t in terms for w in _WORD.findall(t)]
        must = [" ".join(_WORD.findall(p)) for p in phrases]
        must = [p for p in must if p]
        if not words and not must:
            return []
        filters = self._filters(scope, listing=False)
        if filters is None or k <= 0 or (among is not None and not among):
            return []
        if among is not None:
            filters = [*filters, tantivy.Query.term_set_query(self.schema, "ordinal", sorted(among))]
        tokens = list(dict.fromkeys(t for w in words for t in self.analyzer.analyze(w)))
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        grouped: set[str] = set()
        for typed, group in _by_typed(alternatives).items():
            typed_tokens = [t for w in _WORD.findall(typed) for t in self.analyzer.analyze(w) if t in tokens]
            if grouped.intersection(typed_tokens):
                typed_tokens = []  # overlaps a span already grouped: its forms stand alone
            grouped.update(typed_tokens)
            said = [self._best_field(t) for t in typed_tokens]
            options = [tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in said])] if said else []
            typed_mass = self._idf_mass(typed_tokens)
            for alternative in group:
                form = self._form_query(alternative.form)
                mass = self._idf_mass([t for w in _WORD.findall(alternative.form) for t in self.analyzer.analyze(w)])
                if form is None or not mass:
                    continue  # no record holds this form
                # Scaled by rarity so that a form counts `weight` of the typed words however many words
                # each has: one acronym against a three-word name, or the reverse.
                scale = typed_mass / mass if typed_mass else 1.0
                options.append(tantivy.Query.boost_query(form, alternative.weight * scale))
            if options:
                clauses.append((tantivy.Occur.Should, tantivy.Query.disjunction_max_query(options, TIE_BREAKER)))
        for token in tokens:
            if token not in grouped:
                clauses.append((tantivy.Occur.Should, self._best_field(token)))
        if not any(occur == tantivy.Occur.Should for occur, _ in clauses) and not must:
            return []
        for phrase in must:
            clauses.append((tantivy.Occur.Must, self.index.parse_query(f'"{phrase}"', TEXT_FIELDS)))
        for token in dict.fromkeys(t for e in excluded for w in _WORD.findall(e) for t in self.analyzer.analyze(w)):
            clauses.append((tantivy.Occur.MustNot, self._best_field(token)))
        return self._run(tantivy.Query.boolean_query(clauses), filters, k)

    def _form_query(self, form: str) -> tantivy.Query | None:
        """A word or a phrase, each word scored by its best field."""
        words = _WORD.findall(form)
        if len(words) == 1:
            found = self.analyzer.analyze(words[0])
            return self._best_field(found[0]) if len(found) == 1 else None
        if not words:
            return None
        return self.index.parse_query(f'"{" ".join(words)}"', TEXT_FIELDS, field_boosts=BOOSTS)

    def _idf_mass(self, tokens: Sequence[str]) -> float:
        """The summed BM25 idf of the tokens held by any record (0 when none is held), each by the field
        that holds it most (an acronym may stand only in titles)."""
        return sum(self._idf(token) for token in tokens)

    def weights(self, text: str) -> dict[str, float]:
        """The text's indexed tokens (stemmed) with their BM25 idf: how much each word tells records apart."""
        return {token: self._idf(token) for word in _WORD.findall(text) for token in self.analyzer.analyze(word)}

    def _idf(self, token: str) -> float:
        idf = self._idfs.get(token)
        if idf is None:
            n = self.count
            df = max(int(self.searcher.doc_freq(name, token)) for name in TEXT_FIELDS)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0
            self._idfs[token] = idf  # the index never changes under a searcher: kept for its life
        return idf

    def _best_field(self, token: str) -> tantivy.Query:
        """A word scored by the field it fits best (plus a little for the others), so that a word in both
        the text and its title is not counted twice over a rarer word that stands in one field."""
        per_field = [
            tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, name, token), boost)
            for name, boost in BOOSTS.items()
        ]
        return tantivy.Query.disjunction_max_query(per_field, tie_breaker=TIE_BREAKER)

    def listing(self, scope: Scope, k: int, newest: bool = True) -> list[int]:
        """Ordinals of the first k records shown in a scope by meeting date, undated last either way."""
        filters = self._filters(scope, listing=True)
        if filters is None or k <= 0:
            return []
        order = tantivy.Order.Desc if newest else tantivy.Order.Asc
        bounded = scope.date_from is not None or scope.date_to is not None
        # A date bound already leaves undated records out; without one, dated records come first.
        dated = filters if bounded else [*filters, self._date_range(1, None)]
        out = [o for o, _ in self._run(tantivy.Query.all_query(), dated, k, by_date=order)]
        if len(out) < k and not bounded:
            undated = [*filters, tantivy.Query.term_query(self.schema, "date", 0)]
            out += [o for o, _ in self._run(tantivy.Query.all_query(), undated, k - len(out))]
        return out
