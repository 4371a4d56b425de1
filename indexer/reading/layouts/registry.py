"""The layouts panel-search reads, in the order that breaks ties between equal detection scores."""

from __future__ import annotations

from indexer.reading.layouts import board_pack, minutes, plain, question_headings, written_response
from indexer.reading.layouts.base import Layout

# Order breaks ties between equal detection scores: the more specific layout first.
LAYOUTS: tuple[Layout, ...] = (
    written_response.LAYOUT,
    question_headings.LAYOUT,
    minutes.LAYOUT,
    board_pack.LAYOUT,
    plain.LAYOUT,
)
