"""Admin routes: add, replace and remove documents, and rebuild the index. Bearer token only."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from indexer.index.build import BuildError, BuildSummary, build_index
from indexer.reading.guard import parse_guarded
from indexer.reading.parse import DocumentMeta
from indexer.reading.readers import SUPPORTED_SUFFIXES
from search_api.deps import AdminDep
from search_api.filters import FilterError, parse_day
from search_api.schemas import ErrorOut

router = APIRouter(tags=["admin"])
# One build at a time: each writes a whole generation and moves the pointer.
_BUILD_LOCK = threading.Lock()
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
UPLOADS = "uploads"


def _summary(summary: BuildSummary) -> dict[str, object]:
    return {
        "generation": summary.generation,
        "unchanged": summary.unchanged,
        "record_count": summary.record_count,
        "documents": [r.to_dict() for r in summary.reports],
        "skipped": summary.skipped,
    }


def _build(
    request: Request,
    paths: list[Path] | None = None,
    *,
    remove: Sequence[str] = (),
    force: bool = False,
    meta: DocumentMeta | None = None,
) -> BuildSummary:
    """Build under the lock, then serve the new generation from this very process at once."""
    settings = request.app.state.settings
    live = request.app.state.live
    with _BUILD_LOCK:
        try:
            summary = build_index(
                paths or [],
                settings.index_dir,
                live.embedder,
                root=settings.index_dir,
                remove=remove,
                force=force,
                meta=meta,
            )
        except BuildError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
    live.refresh()
    return summary


ADMIN_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "no or wrong bearer token"},
    403: {"model": ErrorOut, "description": "the admin API is off (no token configured)"},
    422: {"model": ErrorOut, "description": "the request or the document cannot be used"},
}


@router.post(
    "/documents",
    status_code=201,
    responses={
        **ADMIN_ERRORS,
        413: {"model": ErrorOut, "description": "the file is too large"},
        415: {"model": ErrorOut, "description": "unsupported file type"},
    },
)
async def add_document(
    request: Request,
    _: AdminDep,
    file: Annotated[UploadFile, File(description="a document: " + ", ".join(SUPPORTED_SUFFIXES))],
    access: Annotated[str, Form(pattern="^(public|restricted)$")] = "public",
    body: Annotated[str | None, Form(max_length=200)] = None,
    meeting_date: Annotated[str | None, Form(max_length=10)] = None,
) -> dict[str, object]:
    """Add a document (or replace one of the same name) and switch to a generation that holds it."""
    settings = request.app.state.settings
    name = _SAFE_NAME.sub("-", Path(file.filename or "document.txt").name).strip(".-") or "document.txt"
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise HTTPException(status_code=415, detail=f"unsupported file type: use {', '.join(SUPPORTED_SUFFIXES)}")
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise HTTPException(status_code=413, detail=f"the file is larger than {settings.max_upload_bytes} bytes")
    try:
        day = parse_day(meeting_date, "meeting_date")
    except FilterError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    folder = Path(settings.index_dir) / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    # Read the upload before it replaces anything: a file that cannot be read must not
    # displace an earlier good version of the same name. (Dot-files are never indexed.)
    staging = folder / f".{hashlib.sha256(data).hexdigest()[:16]}{Path(name).suffix.lower()}"
    staging.write_bytes(data)
    checked = await run_in_threadpool(parse_guarded, staging, f"{UPLOADS}/{name}")
    if checked.report.error:
        staging.unlink(missing_ok=True)
        raise HTTPException(status_code=422, detail=f"{name}: {checked.report.error}")
    staging.replace(target)
    meta = DocumentMeta(
        body=body or None,
        meeting_date=day.isoformat() if day else None,
        # The form's pattern admits only these two; said again here so the type is the record's own.
        access="restricted" if access == "restricted" else "public",
        source="upload",
    )
    summary = _build(request, [target], meta=meta)
    report = next((r for r in summary.reports if r.document == f"{UPLOADS}/{name}"), None)
    if report is not None and report.error:
        raise HTTPException(status_code=422, detail=f"{name}: {report.error}")
    return {"document": f"{UPLOADS}/{name}", **_summary(summary)}


@router.delete(
    "/documents/{document:path}",
    responses={**ADMIN_ERRORS, 404: {"model": ErrorOut, "description": "no such route (a path that normalises away)"}},
)
def remove_document(request: Request, document: str, _: AdminDep) -> dict[str, object]:
    """Remove a document (named as cited) and switch to a generation without it."""
    # The name is only looked up among the indexed documents; it never reaches the file system.
    return {"removed": document, **_summary(_build(request, remove=[document]))}


@router.post("/reindex", responses=ADMIN_ERRORS)
def reindex(request: Request, _: AdminDep) -> dict[str, object]:
    """Rebuild the index from the documents it holds, as a new generation."""
    return _summary(_build(request, force=True))
