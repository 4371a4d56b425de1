"""GET /records/{id}: one whole record with its citation."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from search_api.deps import SearcherDep
from search_api.schemas import ErrorOut, RecordOut

router = APIRouter(tags=["records"])


@router.get("/records/{record_id}", response_model=RecordOut, responses={404: {"model": ErrorOut}})
def get_record(record_id: str, searcher: SearcherDep) -> dict[str, object]:
    """The record with this id."""
    record = searcher.get(record_id)
    if record is None:
        raise HTTPException(status_code=404, detail=f"no record with id {record_id!r}")
    return record.to_dict()
