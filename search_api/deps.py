"""Request dependencies: the searcher view a request may use, and the admin check, as Annotated aliases."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from search_api.browse import View


def bearer_ok(request: Request) -> bool:
    """True when the request carries the configured admin token (compared in constant time)."""
    token: str | None = request.app.state.settings.admin_token
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if not token or scheme.lower() != "bearer" or not given:
        return False
    return secrets.compare_digest(given.strip().encode(), token.encode())


def get_searcher(request: Request) -> View:
    """The live index as this request may see it: restricted records only with the admin token."""
    return View(request.app.state.live.get(), include_restricted=bearer_ok(request))


def require_admin(request: Request) -> None:
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
