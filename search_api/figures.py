"""Figures stated in text (percentages, money, counts) and where a draft's figures differ from past answers.

A figure is compared only with past figures of the same kind whose surrounding words say
the same thing (judged by embedding the few words around each figure), so "39% female
officers" is never set against "3.5% BAME officers". Nothing is generated: every sentence
reported is quoted from the draft or from a record.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indexer.analysis import STOPWORDS
from indexer.encode.batching import QueryCache
from indexer.encode.embed import Embedder
from indexer.reading.text import sentences as split_sentences
from indexer.records import Citation

# "£157,961.20", "£1.2m", "3.2%", "283 officers", "7.6 seconds"
_FIGURE = re.compile(
    r"(?P<money>£\s?\d[\d,]*(?:\.\d+)?\s?(?:m|bn|k|million|billion)?\b)"
    r"|(?P<percent>\d+(?:\.\d+)?\s?(?:%|per ?cent\b|percent\b))"
    r"|(?P<count>\b\d[\d,]*(?:\.\d+)?)(?=\s+(?P<noun>[A-Za-z][A-Za-z-]+))",
    re.I,
)
# A sentence ends at . ! ? or a line break, but not at the point of a decimal ("3.2%").
_YEARISH = re.compile(r"^(?:19|20)\d{2}$")
# Nouns after a number that make it a date or an ordinal, not a count worth comparing.
_NOT_COUNTS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "am",
    "pm",
    "and",
    "to",
    "of",
    "the",
    "or",
    "year",
    "years",
    "months",
    "days",
    "hours",
    "minutes",
}
# A figure's clause with fewer words than this (besides stopwords and figures) does not say what it measures.
TERSE_WORDS = 3
_WORDS = re.compile(r"\w+")
# How alike (cosine) the words around two figures must be for them to state the same thing.
SAME_SUBJECT = 0.6
CONTEXT_WORDS = 5
# Past statements this much less alike than the closest are still shown, up to MAX_MATCHES.
NEAR_BEST = 0.1
MAX_MATCHES = 3


@dataclass(frozen=True)
class Figure:
    """A figure in a text: its value, kind ("%", "£" or the noun counted), the words around it and its sentence.

    context: the clause the figure stands in (what the drafting check compares).
    subject: the clause read with the words before it when it does not itself say what it measures:
        a terse clause or one that points back ("…BAME representation…; overall, this has decreased
        to 4.15%") is read with the rest of its sentence before it, or, opening its sentence, with
        the sentence before. Equal to `context` otherwise.
    change: the figure states a change ("decreased by 0.27%", "+3.2%", "a 2.6% increase"), not a level.
    """

    value: float
    kind: str
    text: str
    context: str
    sentence: str
    subject: str = ""
    change: bool = False


@dataclass(frozen=True)
class FigureDifference:
    """A draft figure that differs from one stated in a past record on the same subject."""

    draft: Figure
    past: Figure
    citation: Citation
    similarity: float

    def describe(self) -> str:
        """ "draft: 3.5% (…); 17 November 2022, Question 2: 3.2% (…)" in one line."""
        return f"draft: {self.draft.text} — {self.citation.label}: {self.past.text}"


def _number(text: str) -> float | None:
    digits = re.sub(r"[^\d.]", "", text.replace(",", ""))
    try:
        value = float(digits)
    except ValueError:
        return None
    lower = text.lower()
    if lower.endswith(("m", "million")):
        value *= 1_000_000
    elif lower.endswith(("bn", "billion")):
        value *= 1_000_000_000
    elif lower.endswith("k"):
        value *= 1_000
    return value


# A spaced dash also breaks a clause: "decreased to 4.15% overall – Derbyshire has a BAME population of 6.7%".
_CLAUSE_BREAK = re.compile(r"[,;:()]|\s[–—-]\s|\s(?:but|whilst|while|which)\s|\sand\s(?=the\s)", re.I)
# Words that open a clause by pointing back to what an earlier one named ("this", "of which").
_POINTS_BACK = {"this", "it", "these", "those", "that", "they", "which", "its", "their", "such"}
_PREPOSITIONS = {"of", "in", "for", "by", "from", "with", "to", "at", "on"}
# Before a figure, words that make it a change; after it, likewise ("by 2%", "+3.2%", "2.6% increase").
# A dash is a minus sign only against the number ("-4.1%"); spaced ("overall – 4.15%") it joins clauses.
_CHANGE_BEFORE = re.compile(
    r"(?:\bby(?:\s+(?:almost|nearly|about|around|over|some|just))?|[+±]"
    r"|\b(?:increase|decrease|rise|fall|reduction|drop|growth|change)s?\s+of)\s*$|(?:^|\s)[-−]$",
    re.I,
)
_CHANGE_AFTER = re.compile(
    r"^\s*\)?\s*(?:increase|decrease|rise|fall|reduction|drop|higher|lower|more|fewer|less|up|down)\b", re.I
)


def _clause_start(sentence: str, start: int) -> int:
    """Where the clause a figure at `start` stands in begins."""
    return max([0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence) if m.end() <= start])


def _content_words(text: str) -> list[str]:
    return [w for w in _WORDS.findall(text.lower()) if w not in STOPWORDS and not w[0].isdigit()]


def _subject(sentence: str, start: int, clause: str, previous: str) -> str:
    """The clause, read with the words before it when it does not say what the figure measures."""
    words = _WORDS.findall(clause.lower())
    opening = words[1] if len(words) > 1 and words[0] in _PREPOSITIONS else (words[0] if words else "")
    if len(_content_words(clause)) >= TERSE_WORDS and opening not in _POINTS_BACK:
        return clause
    # One step back only: the rest of the sentence, or the sentence before when the clause opens this one.
    before = sentence[: _clause_start(sentence, start)].strip() or previous
    return f"{before} {clause}".strip()


def _clause(sentence: str, start: int, end: int) -> str:
    """The clause a figure stands in: what it is a figure of, without the sentence's other figures."""
    breaks = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence) + 1]
    left = max(b for b in breaks if b <= start)
    right = min((m.start() for m in _CLAUSE_BREAK.finditer(sentence) if m.start() >= end), default=len(sentence))
    clause = sentence[left:right].strip()
    if len(clause.split()) < 4:  # "18 (3.75%) have stated …": take the words on either side
        before = sentence[:start].split()[-CONTEXT_WORDS:]
        after = sentence[end:].split()[:CONTEXT_WORDS]
        clause = " ".join([*before, sentence[start:end], *after])
    return clause


# The words around a figure recur with every search that returns its record: their vectors are kept.
_CLAUSES = QueryCache(8192)


def clause_vectors(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Float32 vectors of short texts (a figure's clause), from the cache or encoded together (`encode_exact`)."""
    tag = f"{embedder.name}\x1f"
    out: list[np.ndarray | None] = [_CLAUSES.get(tag + t) for t in texts]
    missing = [i for i, v in enumerate(out) if v is None]
    if missing:
        fresh = embedder.encode_exact([texts[i] for i in missing])
        for i, vector in zip(missing, fresh, strict=True):
            _CLAUSES.put(tag + texts[i], vector)
            out[i] = vector
    return np.vstack([v.reshape(1, -1) for v in out if v is not None]) if texts else np.zeros((0, embedder.dimension))


def find_figures(text: str) -> list[Figure]:
    """Every percentage, sum of money and count of something stated in a text."""
    figures: list[Figure] = []
    previous = ""
    for raw_sentence in split_sentences(text):
        sentence = " ".join(raw_sentence.split())
        if not sentence:
            continue
        for m in _FIGURE.finditer(sentence):
            raw = m.group().strip()
            if m.group("money"):
                kind = "£"
            elif m.group("percent"):
                kind = "%"
            else:
                noun = (m.group("noun") or "").lower()
                if noun in _NOT_COUNTS or _YEARISH.match(m.group("count")) or "/" in sentence[m.end() : m.end() + 1]:
                    continue
                kind = noun.rstrip("s")
                raw = f"{m.group('count')} {m.group('noun')}"
            value = _number(m.group("count") or raw)
            if value is None:
                continue
            context = _clause(sentence, m.start(), m.end())
            change = bool(_CHANGE_BEFORE.search(sentence[: m.start()]) or _CHANGE_AFTER.match(sentence[m.end() :]))
            subject = _subject(sentence, m.start(), context, previous)
            figures.append(
                Figure(
                    value=value,
                    kind=kind,
                    text=raw,
                    context=context,
                    sentence=sentence,
                    subject=subject,
                    change=change,
                )
            )
        previous = sentence
    return figures


def with_subject(figures: Sequence[Figure], subject: str) -> list[Figure]:
    """Figures whose clause says too little of what they measure ("The proportion is 3.5%.") read with the
    words of the question they answer, which do ("What proportion of officers are from … backgrounds?")."""
    out: list[Figure] = []
    for f in figures:
        terse = len(_content_words(f.context)) < TERSE_WORDS
        out.append(dataclasses.replace(f, context=f"{subject} {f.context}") if terse and subject.strip() else f)
    return out


def compare_figures(
    draft_text: str,
    past: Sequence[tuple[str, Citation]],
    embedder: Embedder,
    threshold: float = SAME_SUBJECT,
    question: str = "",
) -> list[FigureDifference]:
    """Differences between the draft's figures and those in past texts on the same subject, closest first.

    A figure of the draft whose own clause is terse is read with the words of `question`.
    """
    draft = with_subject(find_figures(draft_text), question)
    stated = [(f, c) for text, c in past for f in find_figures(text)]
    if not draft or not stated:
        return []
    vectors = clause_vectors(embedder, [f.context for f in draft] + [f.context for f, _ in stated])
    draft_vectors, past_vectors = vectors[: len(draft)], vectors[len(draft) :]
    differences: list[FigureDifference] = []
    for i, figure in enumerate(draft):
        similarities = past_vectors @ draft_vectors[i]
        candidates = sorted(
            (
                (float(similarities[j]), j)
                for j, (other, _) in enumerate(stated)
                if other.kind == figure.kind and float(similarities[j]) >= threshold
            ),
            reverse=True,
        )
        if not candidates:
            continue
        # The closest statement, and any nearly as close: the model cannot always tell them apart,
        # and a reader can, from the quotes.
        top = candidates[0][0]
        seen: set[tuple[float, str]] = set()
        for score, j in candidates[:MAX_MATCHES]:
            other, citation = stated[j]
            if score < top - NEAR_BEST or (other.value, citation.label) in seen:
                continue
            seen.add((other.value, citation.label))
            if not np.isclose(other.value, figure.value):
                differences.append(FigureDifference(figure, other, citation, round(score, 3)))
    return sorted(differences, key=lambda d: -d.similarity)
