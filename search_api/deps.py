"""Request dependencies: the loaded searcher, as an Annotated alias."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from search_api.search import Searcher


def get_searcher(request: Request) -> Searcher:
    """The searcher loaded at start-up."""
    searcher: Searcher = request.app.state.searcher
    return searcher


SearcherDep = Annotated[Searcher, Depends(get_searcher)]
