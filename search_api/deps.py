"""Request dependencies: the searcher view a request may use, and the admin check, as Annotated aliases."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from search_api.browse import View


def bearer_ok(request: Request) -> bool:
    """True when the request carries the configured admin token (compared in constant time)."""
    token: str | None = request.app.state.settings.admin_token
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if not token or scheme.lower() != "bearer" or not given:
        return False
    return secrets.compare_digest(given.strip().encode(), token.encode())


async def get_searcher(request: Request) -> View:
    """The live index as this request may see it: restricted records only with the admin token.

    Async, so FastAPI calls it on the event loop rather than through the thread pool (a hop every request
    paid); the look at the pointer every half second, which may load a new generation, is still made there.
    """
    live = request.app.state.live
    searcher = await run_in_threadpool(live.get) if live.due() else live.current()
    return View(searcher, include_restricted=bearer_ok(request))


async def require_admin(request: Request) -> None:
    """Let an admin request through: 403 when no token is configured, 401 without the right one."""
    if not request.app.state.settings.admin_token:
        raise HTTPException(status_code=403, detail="the admin API is off: set PANEL_SEARCH_ADMIN_TOKEN to enable it")
    if not bearer_ok(request):
        raise HTTPException(
            status_code=401,
            detail="admin routes need 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )


SearcherDep = Annotated[View, Depends(get_searcher)]
AdminDep = Annotated[None, Depends(require_admin)]
