"""Answering a record id the index no longer holds: a redirect to its new id, or a 404."""

from __future__ import annotations

from fastapi import HTTPException

from search_api.browse import View


def gone(searcher: View, record_id: str, url: str) -> HTTPException:
    """What to raise for an id with no record: 308 to `url` with the new id ("{}") when it moved, else 404."""
    new_id = searcher.moved(record_id)
    if new_id is None:
        return HTTPException(
            status_code=404, detail=f"no record with id {record_id!r}: it was never in this index, or was removed"
        )
    # 308, not 301: permanent, and the client must repeat the same method.
    return HTTPException(
        status_code=308,
        detail=f"record {record_id!r} is now {new_id!r}",
        headers={"Location": url.format(new_id)},
    )
