"""Request dependencies: the loaded searcher, as an Annotated alias."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from search_api.search import Searcher


def get_searcher(request: Request) -> Searcher:
    """The searcher of the live index generation, taken once for this request."""
    searcher: Searcher = request.app.state.live.get()
    return searcher


SearcherDep = Annotated[Searcher, Depends(get_searcher)]
