"""Layout parsers: each turns the text of one kind of panel document into cited records."""

from __future__ import annotations

from indexer.layouts import (
    board_pack,
    council_minutes,
    plain,
    prose_minutes,
    question_headings,
    written_response,
)
from indexer.layouts.base import Layout

# Order breaks ties between equal detection scores: the more specific layout first.
LAYOUTS: tuple[Layout, ...] = (
    council_minutes.LAYOUT,
    question_headings.LAYOUT,
    written_response.LAYOUT,
    prose_minutes.LAYOUT,
    board_pack.LAYOUT,
    plain.LAYOUT,
)

__all__ = ["LAYOUTS", "Layout"]
