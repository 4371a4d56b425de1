"""Reading the query box: words, "exact phrases", -excluded words and field:value filters."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from indexer.analysis import Expansion, british, expansions, lexical_terms, spelled_out

if TYPE_CHECKING:
    from indexer.index.vocabulary import Vocabulary

MAX_QUERY_CHARS = 500
FIELDS = ("asker", "kind", "body", "item", "from", "to")
_FIELD = re.compile(r"(?:(?<=\s)|^)(" + "|".join(FIELDS) + r'):(?:"([^"]*)"|(\S+))', re.I)
_PHRASE = re.compile(r'"([^"]+)"')
_EXCLUDED = re.compile(r"(?:(?<=\s)|^)-(\w[\w'-]*)")
_WORDLIKE = re.compile(r"\w")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class QueryError(ValueError):
    """The query cannot be searched (empty, too long, or nothing but operators)."""


@dataclass(frozen=True)
class ParsedQuery:
    """A query split into its parts.

    text: the query as typed, less operators and filters, for the dense retriever.
    terms: words any of which may match lexically.
    phrases: phrases that must appear, in order.
    excluded: words that must not appear.
    fields: filters typed in the box (`asker:Dhindsa`, `kind:minute`, `from:2020-01-01`).
    expanded: (form typed, other forms) for every glossary group the query names ("pcso" -> ...).
    question: the query asks a question (it wants past answers first).
    corrected: words typed that the index does not hold, and the indexed words searched instead.
    """

    text: str
    terms: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    expanded: list[Expansion] = field(default_factory=list)
    question: bool = False
    corrected: dict[str, str] = field(default_factory=dict)

    @property
    def spelled(self) -> list[str]:
        """British spellings of the words typed the American way ("program" -> "programme")."""
        return [b for t in self.terms if (b := british(t)) != t]

    @property
    def dense_text(self) -> str:
        """The text the dense retriever embeds: as typed, with corrections, British spellings, and each
        acronym typed followed by its expansion ("RTC (road traffic collision)")."""
        # Only acronyms are spelled out: all glossary forms appended were measured to lower hybrid MRR@10
        # (0.906 -> 0.897), while an expansion tells the model what a rare acronym means.
        replacements = {t: british(t) for t in self.terms}
        for e in self.expanded:
            if (words := spelled_out(e)) is not None:
                replacements[e.typed] = f"{e.typed} ({words})"
        return _replace_words(self.text, {**replacements, **self.corrected})


def parse_query(raw: str) -> ParsedQuery:
    """Split a query into words, phrases, exclusions and filters; quotes and operators never break it."""
    text = _CONTROL.sub(" ", raw).strip()
    if not text:
        raise QueryError("the query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    fields: dict[str, str] = {}
    for match in _FIELD.finditer(text):
        value = (match.group(2) if match.group(2) is not None else match.group(3)).strip()
        if value:
            fields[match.group(1).lower()] = value
    text = _FIELD.sub(" ", text)
    phrases = [p.strip() for p in _PHRASE.findall(text) if p.strip()]
    rest = _PHRASE.sub(" ", text)
    excluded = [w.lower() for w in _EXCLUDED.findall(rest)]
    rest = _EXCLUDED.sub(" ", rest).replace('"', " ")
    free = " ".join([*phrases, rest]).strip()
    terms = lexical_terms(rest + " " + " ".join(phrases))
    if not _WORDLIKE.search(free) and not phrases and not fields:
        raise QueryError("the query has no words to search for")
    return ParsedQuery(
        text=" ".join(free.split()),
        terms=terms,
        phrases=phrases,
        excluded=excluded,
        fields=fields,
        expanded=expansions(rest),
        question=asks_question(free),
    )


_QUESTION_START = re.compile(
    r"^(?:what|why|how|when|where|who|which|will|would|can|could|should|does|do|did|is|are|has|have|was|were)\b",
    re.I,
)
_SAID = re.compile(
    r"\b(?:said|say|says|answer(?:ed|s)?|respon(?:se|ses|ded)|repl(?:y|ied|ies)|told|ask(?:ed|s)?|questions?)\b", re.I
)


def asks_question(text: str) -> bool:
    """True for a query put as a question ("Will the pandemic mean …?") or asking what was said."""
    stripped = text.strip()
    return stripped.endswith("?") or bool(_QUESTION_START.match(stripped)) or bool(_SAID.search(stripped))


def _replace_words(text: str, replacements: dict[str, str]) -> str:
    """The text with whole words replaced (matched without case)."""
    changes = {k: v for k, v in replacements.items() if k != v}
    if not changes:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(changes, key=len, reverse=True)) + r")\b", re.I)
    return pattern.sub(lambda m: changes[m.group(1).lower()], text)


def with_learned(parsed: ParsedQuery, vocabulary: Vocabulary) -> ParsedQuery:
    """The query with the acronyms the index learned from its records (a layer under the glossary) expanded too."""
    if not len(vocabulary) or any(e.source for e in parsed.expanded):
        return parsed
    learned = vocabulary.expansions(" ".join([parsed.text, *parsed.phrases]), parsed.expanded)
    return dataclasses.replace(parsed, expanded=[*parsed.expanded, *learned]) if learned else parsed


def with_corrections(parsed: ParsedQuery, corrections: dict[str, str]) -> ParsedQuery:
    """The query with mistyped words replaced by the indexed words they were taken for."""
    if not corrections:
        return parsed
    terms = list(dict.fromkeys(corrections.get(t, t) for t in parsed.terms))
    return dataclasses.replace(
        parsed,
        text=_replace_words(parsed.text, corrections),
        terms=terms,
        corrected=corrections,
    )
