"""GET /health: is the service up, and which index does it serve."""

from __future__ import annotations

from fastapi import APIRouter

from search_api.deps import SearcherDep
from search_api.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut)
def health(searcher: SearcherDep) -> dict[str, object]:
    """Status, record count and the manifest of the loaded index."""
    return {
        "status": "ok",
        "record_count": searcher.count,
        "generation": searcher.generation.name,
        "manifest": searcher.manifest(),
        "encoders": searcher.encoders(),
    }
