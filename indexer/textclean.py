"""Removing extraction debris from quoted text, and comparing text loosely."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"</?(?:b|i|u|em|strong|sup|sub|span|p|br|a|font|div|td|tr|th|table)\b[^>]*>", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_LIST_BULLET = re.compile(r"^\s*[-•▪●]\s+", re.M)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}.*$", re.M)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def clean_inline(text: str) -> str:
    """Strip markup debris (`**`, `<b>`, `<br/>`, entities) from one line, keep its words."""
    text = _BR.sub(" ", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = _EMPHASIS.sub("", text)
    text = _SPACES.sub(" ", text)
    return text.strip()


def clean_block(text: str) -> str:
    """Clean a block of lines: markup removed, paragraphs kept, whitespace tidied."""
    text = _HEADING.sub("", text)
    text = _TABLE_RULE.sub("", text)
    text = _LIST_BULLET.sub("", text)
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in text.splitlines():
        line = clean_inline(raw.replace("|", " ") if raw.count("|") >= 2 else raw)
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def match_key(text: str) -> str:
    """Lower-case letters and digits only: the form in which quoted text is compared."""
    return _NON_WORD.sub("", clean_inline(text).lower())


def plain_key(text: str) -> str:
    """Lower-case letters and digits of text already cleaned of markup."""
    return _NON_WORD.sub("", text.lower())


def squash(text: str) -> str:
    """Collapse all whitespace to single spaces."""
    return " ".join(text.split())
