"""What harvests have fetched, in SQLite in the index directory: resuming, conditional GETs and the Sources page.

Each meeting is committed once all its documents are on disk and its manifest is written, so a harvest
killed at any point redoes at most the meeting it was in; each file's validators and hash are committed
as it lands, so the redone meeting fetches nothing it already holds.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from indexer.harvest.fetch import Validators

STATE_FILE = "harvest.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    site TEXT NOT NULL, committee_id TEXT NOT NULL, system TEXT NOT NULL, committee TEXT NOT NULL,
    folder TEXT NOT NULL, first_harvest TEXT NOT NULL, last_harvest TEXT, last_report TEXT,
    PRIMARY KEY (site, committee_id)
);
CREATE TABLE IF NOT EXISTS meetings (
    site TEXT NOT NULL, meeting_id TEXT NOT NULL, committee_id TEXT NOT NULL, meeting_date TEXT,
    folder TEXT NOT NULL, fingerprint TEXT NOT NULL, documents INTEGER NOT NULL, harvested TEXT NOT NULL,
    PRIMARY KEY (site, meeting_id)
);
CREATE TABLE IF NOT EXISTS files (
    url TEXT PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL,
    etag TEXT, last_modified TEXT, fetched TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    site TEXT NOT NULL, committee_id TEXT NOT NULL, at TEXT NOT NULL, what TEXT NOT NULL, url TEXT, reason TEXT NOT NULL
);
"""


def now() -> str:
    """The time now, UTC, to the second, ISO."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class HeldFile:
    """A file a harvest holds: where it is, its hash, and the validators its response gave."""

    url: str
    path: Path
    sha256: str
    validators: Validators


@dataclass(frozen=True)
class SourceRow:
    """One harvested source, for the Sources page.

    folder: where its meetings' documents are kept (relative to the index directory).
    last_report: the last harvest's summary (`HarvestReport.to_dict()`, with its failures), if any finished.
    """

    site: str
    system: str
    committee_id: str
    committee: str
    folder: str
    first_harvest: str
    last_harvest: str | None
    meetings: int
    documents: int
    last_report: dict[str, object] | None


class HarvestState:
    """The harvest record of one index directory."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        if readonly:
            self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(path)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self.conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self.conn:
            yield self.conn

    def begin_source(self, site: str, committee_id: str, system: str, committee: str, folder: str) -> None:
        """Note a source being harvested (kept from its first harvest on)."""
        with self._tx() as c:
            c.execute(
                "INSERT INTO sources (site, committee_id, system, committee, folder, first_harvest)"
                " VALUES (?,?,?,?,?,?)"
                " ON CONFLICT (site, committee_id) DO UPDATE SET system=excluded.system, committee=excluded.committee,"
                " folder=excluded.folder",
                (site, committee_id, system, committee, folder, now()),
            )

    def finish_source(self, site: str, committee_id: str, report: dict[str, object]) -> None:
        """Note a harvest of a source finished, with its summary."""
        with self._tx() as c:
            c.execute(
                "UPDATE sources SET last_harvest=?, last_report=? WHERE site=? AND committee_id=?",
                (now(), json.dumps(report), site, committee_id),
            )

    def last_harvest(self, site: str, committee_id: str) -> str | None:
        """When the source was last harvested to the end (ISO), or None."""
        row = self.conn.execute(
            "SELECT last_harvest FROM sources WHERE site=? AND committee_id=?", (site, committee_id)
        ).fetchone()
        return row[0] if row else None

    def meeting_fingerprint(self, site: str, meeting_id: str) -> str | None:
        """The fingerprint of a meeting as last harvested whole, or None if it never was."""
        row = self.conn.execute(
            "SELECT fingerprint FROM meetings WHERE site=? AND meeting_id=?", (site, meeting_id)
        ).fetchone()
        return row[0] if row else None

    def meeting_done(
        self, site: str, meeting_id: str, committee_id: str, date: str | None, folder: str, fingerprint: str, docs: int
    ) -> None:
        """Note a meeting harvested whole: its documents are on disk and its manifest written."""
        with self._tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO meetings VALUES (?,?,?,?,?,?,?,?)",
                (site, meeting_id, committee_id, date, folder, fingerprint, docs, now()),
            )

    def held(self, url: str) -> HeldFile | None:
        """The file held for `url`, or None."""
        row = self.conn.execute(
            "SELECT url, path, sha256, etag, last_modified FROM files WHERE url=?", (url,)
        ).fetchone()
        if row is None:
            return None
        return HeldFile(row[0], Path(row[1]), row[2], Validators(row[3], row[4]))

    def hold(self, url: str, path: Path, sha256: str, size: int, validators: Validators) -> None:
        """Note a file fetched and written."""
        with self._tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?)",
                (url, str(path), sha256, size, validators.etag, validators.last_modified, now()),
            )

    def fail(self, site: str, committee_id: str, what: str, url: str | None, reason: str) -> None:
        """Note something that could not be harvested."""
        with self._tx() as c:
            c.execute("INSERT INTO failures VALUES (?,?,?,?,?,?)", (site, committee_id, now(), what, url, reason))

    def sources(self) -> list[SourceRow]:
        """Every source harvested into this index, with its meeting, document and failure counts."""
        rows = self.conn.execute(
            "SELECT s.site, s.system, s.committee_id, s.committee, s.folder, s.first_harvest, s.last_harvest,"
            " s.last_report,"
            " (SELECT COUNT(*) FROM meetings m WHERE m.site=s.site AND m.committee_id=s.committee_id),"
            " (SELECT COALESCE(SUM(documents), 0) FROM meetings m"
            "  WHERE m.site=s.site AND m.committee_id=s.committee_id)"
            " FROM sources s ORDER BY s.committee, s.site"
        ).fetchall()
        return [
            SourceRow(
                site=r[0],
                system=r[1],
                committee_id=r[2],
                committee=r[3],
                folder=r[4],
                first_harvest=r[5],
                last_harvest=r[6],
                meetings=r[8],
                documents=r[9],
                last_report=json.loads(r[7]) if r[7] else None,
            )
            for r in rows
        ]
