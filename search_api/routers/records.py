"""GET /records/{id}: one whole record with its citation."""

from __future__ import annotations

from fastapi import APIRouter

from search_api.deps import SearcherDep
from search_api.redirects import gone
from search_api.schemas import ErrorOut, RecordOut

router = APIRouter(tags=["records"])


@router.get(
    "/records/{record_id}", response_model=RecordOut, responses={308: {"model": ErrorOut}, 404: {"model": ErrorOut}}
)
def get_record(record_id: str, searcher: SearcherDep) -> dict[str, object]:
    """The record with this id; a retired id answers 308 to the record that replaced it."""
    record = searcher.get(record_id)
    if record is None:
        raise gone(searcher, record_id, "/records/{}")
    return record.to_dict()
