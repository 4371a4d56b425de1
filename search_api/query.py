"""Reading the query box: words, "exact phrases", -excluded words and field:value filters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.store import lexical_terms

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
    """

    text: str
    terms: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


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
    return ParsedQuery(text=" ".join(free.split()), terms=terms, phrases=phrases, excluded=excluded, fields=fields)
