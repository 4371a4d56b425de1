"""The FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from search_api.live import LiveSearcher, settle_heap
from search_api.retrieval import Searcher, open_searcher
from search_api.routers import admin, drafting, exports, health, pages, records, search, sources, undertakings
from search_api.settings import Settings


class BodyLimit:
    """Refuse a request whose declared body is larger than the limit, before reading it (pure ASGI:
    Starlette's decorator middleware costs about a millisecond a request); uploads are also capped
    as they are read."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 413 for an oversized declared body; pass everything else on."""
        if scope["type"] == "http":
            length = dict(scope.get("headers", [])).get(b"content-length", b"").decode("latin-1")
            if length and (not length.isdigit() or int(length) > self.limit):
                response = JSONResponse(
                    status_code=413, content={"detail": f"the request body is larger than {self.limit} bytes"}
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, searcher: Searcher | None = None) -> FastAPI:
    """Build the app; the index (and model) are loaded once, at start-up, unless a searcher is given."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if getattr(app.state, "live", None) is None:
            searcher = open_searcher(settings.index_dir, settings.model_path, encoders=settings.encoders())
            # Concurrent requests share the model's work; the first user does not pay for loading
            # the encoder or the query analysis (a search made and forgotten).
            searcher.embedder.start_batching()
            searcher.search("warm up the police and crime panel search", k=1)
            app.state.live = LiveSearcher(settings.index_dir, searcher.embedder, searcher, settles_heap=True)
            settle_heap()  # the server's own process: what it loaded lives as long as it serves
        yield

    app = FastAPI(
        title="panel-search",
        description="Past Police and Crime Panel questions, answers, minutes and reports, each with its citation.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.live = LiveSearcher(searcher.index_dir, searcher.embedder, searcher) if searcher else None
    app.include_router(search.router)
    app.include_router(records.router)
    app.include_router(health.router)
    app.include_router(pages.router)
    app.include_router(exports.router)
    app.include_router(drafting.router)
    app.include_router(undertakings.router)
    app.include_router(sources.router)
    app.include_router(admin.router)

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )

    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        # One readable sentence per problem instead of pydantic's nested structure.
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
            problems.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg")))
        return JSONResponse(status_code=422, content={"detail": "; ".join(problems)})

    def openapi() -> dict[str, Any]:
        # Every 422 here is {"detail": "<sentence>"} (see validation_error), not FastAPI's list.
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {})["HTTPValidationError"] = {
                "title": "HTTPValidationError",
                "type": "object",
                "properties": {"detail": {"title": "Detail", "type": "string"}},
                "required": ["detail"],
            }
            app.openapi_schema = schema
        return app.openapi_schema

    # FastAPI's documented way to customise the schema is to replace this method; mypy forbids assigning one.
    app.openapi = openapi  # type: ignore[method-assign]
    return app
