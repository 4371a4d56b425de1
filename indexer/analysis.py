"""Query analysis shared by the index writer and the query side: words, stopwords, figures, spellings, glossary.

What the index stores and what a query searches for are made by the same functions, so a word
folded or expanded one way on one side is folded the same way on the other.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).resolve().parent / "data" / "glossary.csv"
_WORD = re.compile(r"\w+", re.UNICODE)

# Words so common in panel records that matching them says nothing about relevance.
STOPWORDS = frozenset(
    """
    a about an and any are as at be been but by can could did do does for from had has have he how i if
    in into is it its me my of on or our pcc she that the their them there these they this those to was
    we were what when where which who whom why will with would you your
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_HYPHENATED = re.compile(r"\b(\w+)[-‐‑](\w+)\b")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)+")


def figure_token(figure: str) -> str:
    """One token for a figure the tokenizer would split: "157,961.20" -> "157961p20", "3.2" -> "3p2"."""
    return figure.replace(",", "").replace(".", "p")


def word_variants(text: str) -> str:
    """Extra tokens so more spellings match: hyphenated words written solid, figures as one token, the
    British spelling of a word written the American way ("program" -> "programme"), and the word a
    prefixed compound is built on ("microgrants" -> "grants", "cybercrime" -> "crime")."""
    words = _WORD.findall(text.lower())
    solid = {a + b for a, b in _HYPHENATED.findall(text)}
    figures = {figure_token(f) for f in _FIGURE.findall(text)}
    british_forms = {b for w in words if (b := british(w)) != w}
    bases = {base for w in words if (base := compound_base(w)) is not None}
    return " ".join(sorted(solid | figures | british_forms | bases))


# Prefixes that panel papers write solid onto a word that keeps its meaning ("microgrants", "cybercrime",
# "multiagency"); prefixes that mostly make new words ("sub-", "inter-", "re-") are left out.
COMPOUND_PREFIXES = ("counter", "cyber", "micro", "multi", "anti", "mini", "non")


def compound_base(word: str) -> str | None:
    """The English word a prefixed compound is built on ("microgrants" -> "grants"), or None."""
    for prefix in COMPOUND_PREFIXES:
        base = word[len(prefix) :]
        if word.startswith(prefix) and len(base) >= 4 and base.isalpha() and is_english_word(base):
            return base
    return None


def lexical_terms(text: str) -> list[str]:
    """The words of a query worth matching: lower-case, stopwords dropped, order kept, no repeats.

    A figure ("3.2%", "£157,961.20") also yields its one-token form, matched in the variants column.
    """
    seen: dict[str, None] = {}
    for figure in _FIGURE.findall(text):
        seen[figure_token(figure)] = None
    for word in _WORD.findall(text.lower()):
        if word not in STOPWORDS and word not in seen:
            seen[word] = None
    return list(seen)


# American endings and their British forms, tried in order; a rule applies only to words long enough that
# the ending is a suffix ("size", "prize", "color" stay; "organize", "behavior" fold).
_ENDINGS: tuple[tuple[str, str, int], ...] = (
    ("ization", "isation", 8),
    ("izations", "isations", 9),
    ("izing", "ising", 7),
    ("ized", "ised", 6),
    ("izes", "ises", 6),
    ("izer", "iser", 6),
    ("ize", "ise", 6),
    ("yzing", "ysing", 7),
    ("yzed", "ysed", 6),
    ("yze", "yse", 6),
    ("ogs", "ogues", 7),
    ("og", "ogue", 6),
)
_OR_TO_OUR = frozenset(
    (  # noqa: SIM905 - a word list reads best as words
        "behavior behaviors behavioral color colors colored favor favors favorable favorite honor honors harbor "
        "humor labor labors labored neighbor neighbors neighborhood neighborhoods rumor rumors vigor"
    ).split()
)
_WHOLE = {
    "program": "programme",
    "programs": "programmes",
    "license": "licence",
    "licenses": "licences",
    "defense": "defence",
    "offense": "offence",
    "offenses": "offences",
    "center": "centre",
    "centers": "centres",
    "theater": "theatre",
    "fiber": "fibre",
    "meter": "metre",
    "meters": "metres",
    "gray": "grey",
    "judgment": "judgement",
    "enrollment": "enrolment",
    "fulfill": "fulfil",
    "analog": "analogue",
    "catalog": "catalogue",
    "dialog": "dialogue",
    "mold": "mould",
    "plow": "plough",
    "tire": "tyre",
    "tires": "tyres",
}
# British words ending like American ones that must stay as they are.
_KEEP = frozenset("size seize capsize prize prizes baptize dog dogs log logs blog blogs fog".split())  # noqa: SIM905


def british(word: str) -> str:
    """The British spelling of an American-spelt word, lower case; any other word unchanged.

    Panel papers are written in British English; a query typed "decriminalization" or "program"
    searches "decriminalisation" and "programme", and text written the American way is indexed
    with its British form too (`word_variants`), so both spellings find both.
    """
    lower = word.lower()
    if lower in _KEEP:
        return lower
    if lower in _WHOLE:
        return _WHOLE[lower]
    if lower in _OR_TO_OUR:
        return lower.replace("or", "our", 1) if lower.count("or") == 1 else lower[::-1].replace("ro", "ruo", 1)[::-1]
    for ending, replacement, shortest in _ENDINGS:
        if lower.endswith(ending) and len(lower) >= shortest:
            return lower[: -len(ending)] + replacement
    return lower


@dataclass(frozen=True)
class GlossaryGroup:
    """Forms that name one thing ("pcso", "police community support officer"), where that is stated, and how.

    words: each form as `_words` reads it (spaced, lower case), for finding it in a text.
    """

    forms: tuple[str, ...]
    kind: str
    source: str
    words: tuple[str, ...] = ()


@cache
def glossary() -> tuple[GlossaryGroup, ...]:
    """The glossary of acronyms and synonym groups (indexer/data/glossary.csv), read once."""
    lines = GLOSSARY_FILE.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.startswith("#"))
    groups = []
    for row in csv.DictReader(io.StringIO(text)):
        forms = tuple(f.strip().lower() for f in row["forms"].split("|") if f.strip())
        groups.append(GlossaryGroup(forms, row["kind"], row["source"], tuple(_words(f) for f in forms)))
    return tuple(groups)


def _words(text: str) -> str:
    return " " + " ".join(_WORD.findall(text.lower().replace("'s", "s"))) + " "


@dataclass(frozen=True)
class Expansion:
    """A glossary group a text names: the form found, the group's other forms, its kind, and for a group an index
    learned from its records, where it was defined (`indexer/index/vocabulary.py`)."""

    typed: str
    forms: tuple[str, ...]
    kind: str
    source: str = ""


def expansions(text: str) -> list[Expansion]:
    """The glossary groups a text names, each with the forms it does not already use."""
    words = _words(text)
    found: list[Expansion] = []
    for group in glossary():
        named = [(f, w) for f, w in zip(group.forms, group.words, strict=True) if w in words]
        if named:
            hit = max(named, key=lambda fw: len(fw[0]))[0]  # the longest form named ("csp" in "csp funding")
            others = tuple(f for f, w in zip(group.forms, group.words, strict=True) if f != hit and w not in words)
            found.append(Expansion(hit, others, group.kind))
    return found


def spelled_out(e: Expansion) -> str | None:
    """For an acronym typed ("rtc"), the first of its forms written in words ("road traffic collision"); else None."""
    if e.kind != "acronym" or " " in e.typed:
        return None
    return next((f for f in e.forms if " " in f), None)


def spell_out_acronyms(text: str) -> str:
    """The text with each glossary acronym followed by its words once ("BAME (black and minority ethnic)"):
    the model knows few of the panels' acronyms."""
    for e in expansions(text):
        if (words := spelled_out(e)) is not None:
            text = re.sub(rf"\b{re.escape(e.typed)}\b", f"{e.typed} ({words})", text, count=1, flags=re.I)
    return text


@cache
def _english() -> frozenset[str]:
    """English words (pyspellchecker's dictionary of English word frequencies), loaded on first use."""
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(language="en", distance=1).word_frequency.keys())


def is_english_word(word: str) -> bool:
    """True for a word of English: a word the index lacks but English has ("pots", "drunk") is no typo."""
    lower = word.lower()
    return lower in _english() or british(lower) in _english()
