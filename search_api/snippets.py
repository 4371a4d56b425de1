"""Snippets: the sentences of a result that best match the query, with the matches marked."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from indexer.analysis import lexical_terms
from indexer.reading.text import sentence_spans

_WORD = re.compile(r"\w+(?:[-‐]\w+)*", re.UNICODE)
MAX_SNIPPET = 320


@dataclass(frozen=True)
class Snippet:
    """Quoted text from a record and the (start, end) character spans in it that match the query."""

    text: str
    highlights: list[tuple[int, int]]


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A crude stem so "burglaries" meets "burglary", "funding" "funded", "de-criminalisation" "decriminalisation"."""
    word = word.lower().replace("-", "").replace("‐", "")
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s", "y"):
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def make_snippet(text: str, query: str, phrases: list[str] | None = None, limit: int = MAX_SNIPPET) -> Snippet:
    """Pick the best-matching sentences of `text` (in order) and mark the query's words in them."""
    stems = {_stem(t) for t in _query_terms(query)}
    sentences = _sentences(text)
    if not sentences:
        return Snippet(text[:limit], [])

    words_of = _stems_by_sentence(text, stems, [start for start, _ in sentences])
    # A query word found in few sentences of this text says more than one found in many.
    weight = {t: 1.0 / max(1, sum(1 for words in words_of.values() if t in words)) for t in stems}

    def score(i: int) -> float:
        # Summed in one order: a sum in set order differed in its last bit between processes, and broke ties.
        hits = sum(weight[t] for t in sorted(words_of.get(i, ())))
        bonus = sum(2 for p in phrases or [] if p.lower() in sentences[i][1].lower())
        return hits + bonus

    # Only sentences that match can rank above the first one; with none, the text's opening is shown.
    matching = set(words_of)
    for p in phrases or []:
        matching.update(i for i, (_, sentence) in enumerate(sentences) if p.lower() in sentence.lower())
    ranked = sorted(matching, key=lambda i: (-score(i), i)) or [0]
    chosen: list[int] = []
    length = 0
    for i in ranked:
        sentence = sentences[i][1].strip()
        if chosen and (length + len(sentence) > limit or score(i) == 0):
            break
        chosen.append(i)
        length += len(sentence) + 1
    chosen.sort()
    parts: list[str] = []
    for n, i in enumerate(chosen):
        sentence = " ".join(sentences[i][1].split())
        gap = n > 0 and chosen[n - 1] != i - 1
        parts.append(("… " if gap else "") + sentence)
    snippet = " ".join(parts)
    if chosen[0] > 0:
        snippet = "… " + snippet
    if len(snippet) > limit:
        snippet = snippet[: limit - 1].rsplit(" ", 1)[0] + " …"
    highlights = [(m.start(), m.end()) for m in _WORD.finditer(snippet) if _stem(m.group()) in stems]
    for phrase in phrases or []:
        for m in re.finditer(re.escape(phrase), snippet, re.I):
            highlights.append((m.start(), m.end()))
    return Snippet(snippet, _merge(highlights))


def _stems_by_sentence(text: str, stems: set[str], starts: list[int]) -> dict[int, set[str]]:
    """The query stems each sentence holds (by sentence index), looked up in the text's own stem index."""
    found: dict[int, set[str]] = {}
    index = _stem_index(text, tuple(starts))
    for stem in stems:
        for i in index.get(stem, ()):
            found.setdefault(i, set()).add(stem)
    return found


@lru_cache(maxsize=256)
def _query_terms(query: str) -> tuple[str, ...]:
    """A query's words: read once per request, not once per result the request shows."""
    return tuple(lexical_terms(query))


@lru_cache(maxsize=4096)
def _stem_index(text: str, starts: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    """Each stem in a text -> the sentences holding it; kept for the recently shown texts, like their sentences.

    A text is scanned and stemmed once, not once per query that shows it: its words are `_WORD`'s (hyphenated
    parts joined), the very words the query's stems are compared with.
    """
    index: dict[str, dict[int, None]] = {}
    for m in _WORD.finditer(text):
        index.setdefault(_stem(m.group()), {})[bisect_right(starts, m.start()) - 1] = None
    return {stem: tuple(sentences) for stem, sentences in index.items()}


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[tuple[int, str], ...]:
    """(start, sentence) of a text's non-blank sentences; kept for the recently shown texts, like the records."""
    return tuple((start, text[start:end]) for start, end in sentence_spans(text))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
