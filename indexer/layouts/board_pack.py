"""Placeholder: the board_pack layout parser is being written."""

from __future__ import annotations

from indexer.document import SourceDocument
from indexer.layouts.base import Layout, ParseResult


def detect(doc: SourceDocument) -> float:
    """Not written yet: never chosen."""
    return 0.0


def parse(doc: SourceDocument) -> ParseResult:
    """Not written yet."""
    return ParseResult()


LAYOUT = Layout(name="board_pack", detect=detect, parse=parse)
