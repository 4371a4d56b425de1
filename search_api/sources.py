"""The sources harvested into an index, from its harvest record and the documents the live generation holds."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from indexer.harvest.state import STATE_FILE, HarvestState
from indexer.index.manifest import DocumentEntry
from search_api.schemas import HarvestFailureOut, SourceOut


def harvested_sources(index_dir: Path, documents: Sequence[DocumentEntry]) -> list[SourceOut]:
    """Every source harvested into `index_dir`, with the records of `documents` (those a request may see) from it."""
    path = index_dir / STATE_FILE
    if not path.exists():
        return []
    state = HarvestState(path, readonly=True)
    try:
        rows = state.sources()
    finally:
        state.close()
    out: list[SourceOut] = []
    for row in rows:
        folder = (index_dir / row.folder).resolve()
        records = sum(d.records for d in documents if d.source and Path(d.source).is_relative_to(folder))
        report = row.last_report or {}
        failures = report.get("failures", [])
        body = report.get("body")
        out.append(
            SourceOut(
                site=row.site,
                system=row.system,
                committee_id=row.committee_id,
                committee=row.committee,
                body=body if isinstance(body, str) else None,
                first_harvest=row.first_harvest,
                last_harvest=row.last_harvest,
                meetings=row.meetings,
                documents=row.documents,
                records=records,
                failures=[HarvestFailureOut.model_validate(f) for f in failures] if isinstance(failures, list) else [],
            )
        )
    return out
