"""Reading the query box: words, "exact phrases" and -excluded words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.store import lexical_terms

MAX_QUERY_CHARS = 500
_PHRASE = re.compile(r'"([^"]+)"')
_EXCLUDED = re.compile(r"(?:(?<=\s)|^)-(\w[\w'-]*)")


class QueryError(ValueError):
    """The query cannot be searched (empty, or nothing but operators)."""


@dataclass(frozen=True)
class ParsedQuery:
    """A query split into its parts.

    text: the query as typed, less operators, for the dense retriever.
    terms: words any of which may match lexically.
    phrases: phrases that must appear, in order.
    excluded: words that must not appear.
    """

    text: str
    terms: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


def parse_query(raw: str) -> ParsedQuery:
    """Split a query into words, phrases and exclusions; quotes and operators never break it."""
    text = raw.replace("\x00", " ").strip()
    if not text:
        raise QueryError("the query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    phrases = [p.strip() for p in _PHRASE.findall(text) if p.strip()]
    rest = _PHRASE.sub(" ", text)
    excluded = [w.lower() for w in _EXCLUDED.findall(rest)]
    rest = _EXCLUDED.sub(" ", rest).replace('"', " ")
    free = " ".join([*phrases, rest]).strip()
    terms = lexical_terms(rest + " " + " ".join(phrases))
    if not free and not phrases:
        raise QueryError("the query has no words to search for")
    return ParsedQuery(text=" ".join(free.split()), terms=terms, phrases=phrases, excluded=excluded)
