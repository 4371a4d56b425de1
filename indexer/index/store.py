"""The metadata store: records, their citations and facets, and the documents' text, in one SQLite file."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.index.facets import stands_for
from indexer.reading.document import SourceDocument
from indexer.records import RECORD_KINDS, Record

SCHEMA = """
CREATE TABLE records (
    ordinal INTEGER PRIMARY KEY,   -- the record's place in the generation: its id in FAISS and Tantivy
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    document TEXT NOT NULL,
    body TEXT,
    meeting_date TEXT,
    item TEXT,
    asker_key TEXT,
    asker TEXT,                    -- the asker's name as written
    parent_id TEXT,
    access TEXT NOT NULL,          -- public or restricted
    result INTEGER NOT NULL,       -- ordinal of the record shown when this one matches (its exchange)
    kinds INTEGER NOT NULL,        -- bit set of the kinds the record stands for (its own, and of those shown as it)
    status TEXT,                   -- an undertaking's status: "no later mention" or "possibly followed up"
    data TEXT NOT NULL             -- the whole record as JSON
);
CREATE INDEX records_result ON records(result);
CREATE INDEX records_meeting ON records(meeting_date, body);
CREATE INDEX records_asker ON records(asker_key);
CREATE INDEX records_parent ON records(parent_id);
CREATE TABLE vectors (
    row INTEGER PRIMARY KEY,       -- row in the FAISS index and in vectors.npy
    ordinal INTEGER NOT NULL REFERENCES records(ordinal)
);
CREATE TABLE documents (
    path TEXT PRIMARY KEY,         -- the document path cited
    format TEXT NOT NULL,          -- text, pdf, html or docx
    text TEXT NOT NULL,            -- the lines citations count, as read from the file
    pages TEXT,                    -- JSON: the page of every line, or null
    debris TEXT NOT NULL           -- JSON: lines left out of record text (running headers, page numbers)
);
"""

# Record ids a rebuild retired, and the id of the record that took each one's place (indexer/index/redirects.py).
REDIRECTS_SCHEMA = """
CREATE TABLE redirects (old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL);
"""


@dataclass(frozen=True)
class DocumentText:
    """A document's text as the index read it: the lines its citations count, and their pages."""

    path: str
    format: str
    lines: list[str]
    pages: list[int] | None
    debris: frozenset[int]


_KIND_BIT: dict[str, int] = {kind: 1 << n for n, kind in enumerate(RECORD_KINDS)}


def kind_bits(kinds: Iterable[str]) -> int:
    """A bit set of record kinds, as the `kinds` column stores it (KeyError for a kind that is not one)."""
    bits = 0
    for kind in kinds:
        bits |= _KIND_BIT[kind]
    return bits


def write_store(
    path: Path,
    records: Sequence[Record],
    result_ids: Sequence[str],
    owners: Sequence[int],
    documents: Sequence[SourceDocument] = (),
    redirects: Mapping[str, str] = {},
) -> None:
    """Create the store at `path`: records in ordinal order, the record each vector row embeds, document texts."""
    ordinal_of = {r.id: i for i, r in enumerate(records)}
    kinds = stands_for(records, result_ids)

    conn = sqlite3.connect(path)
    try:
        conn.executescript(SCHEMA)
        conn.executescript(REDIRECTS_SCHEMA)
        with conn:
            conn.executemany("INSERT INTO redirects (old_id, new_id) VALUES (?, ?)", sorted(redirects.items()))
            conn.executemany(
                "INSERT INTO records (ordinal, id, kind, document, body, meeting_date, item, asker_key, asker,"
                " parent_id, access, result, kinds, status, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (
                        i,
                        r.id,
                        r.kind,
                        r.citation.document,
                        r.citation.body,
                        r.citation.meeting_date,
                        r.citation.item,
                        r.citation.asker_key,
                        r.citation.asker,
                        r.parent_id,
                        r.access,
                        ordinal_of[result_ids[i]],
                        kind_bits(kinds[i]),
                        r.undertaking.status if r.undertaking is not None else None,
                        json.dumps(r.to_dict(), ensure_ascii=False),
                    )
                    for i, r in enumerate(records)
                ),
            )
            conn.executemany("INSERT INTO vectors (row, ordinal) VALUES (?, ?)", enumerate(owners))
            conn.executemany(
                "INSERT INTO documents (path, format, text, pages, debris) VALUES (?,?,?,?,?)",
                (
                    (
                        d.name,
                        d.format,
                        "\n".join(d.lines),
                        json.dumps(d.page_of_line) if d.page_of_line is not None else None,
                        json.dumps(sorted(d.debris)),
                    )
                    for d in documents
                ),
            )
    finally:
        conn.close()


class MetadataStore:
    """Read-only access to a store written by write_store, safe to share between threads."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise FileNotFoundError(path)
        self.path = path
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.conn = conn
        return conn

    def load_all(self) -> list[tuple[int, Record, str]]:
        """Every (ordinal, record, id of the record shown for it), in ordinal order (for tools, not serving)."""
        rows = self._conn().execute(
            "SELECT r.ordinal, r.data, s.id FROM records r JOIN records s ON s.ordinal = r.result ORDER BY r.ordinal"
        )
        return [(int(o), Record.from_dict(json.loads(d)), str(rid)) for o, d, rid in rows]

    def _column(self, column: str, ordinals: Iterable[int]) -> Iterator[tuple[int, str]]:
        """(ordinal, value of a records column) for these ordinals, read in chunks SQLite accepts."""
        wanted = sorted(set(ordinals))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT ordinal, {column} FROM records WHERE ordinal IN ({marks})"
            for ordinal, value in self._conn().execute(query, chunk):
                yield int(ordinal), str(value)

    def records(self, ordinals: Iterable[int]) -> dict[int, Record]:
        """The records at these ordinals, by ordinal."""
        return {o: Record.from_dict(json.loads(data)) for o, data in self._column("data", ordinals)}

    def ordinal(self, record_id: str) -> int | None:
        """The ordinal of the record with this id, or None."""
        row = self._conn().execute("SELECT ordinal FROM records WHERE id = ?", (record_id,)).fetchone()
        return None if row is None else int(row[0])

    def all_ids(self) -> list[str]:
        """Every record's id, in ordinal order."""
        return [str(i) for (i,) in self._conn().execute("SELECT id FROM records ORDER BY ordinal")]

    def facet_rows(self) -> Iterator[tuple[int, str, int, str | None, str | None, str | None, str | None]]:
        """(result, access, kinds, body, meeting date, item, asker key) of every record, in ordinal order."""
        yield from self._conn().execute(
            "SELECT result, access, kinds, body, meeting_date, item, asker_key FROM records ORDER BY ordinal"
        )

    def where(self, condition: str, parameters: Sequence[object] = (), order: str = "ordinal") -> list[int]:
        """Ordinals of the records meeting an SQL condition on the records table (columns as in SCHEMA),
        in the given SQL order (ordinal order unless told)."""
        query = f"SELECT ordinal FROM records WHERE {condition} ORDER BY {order}"
        return [int(o) for (o,) in self._conn().execute(query, tuple(parameters))]

    def distinct(self, column: str, condition: str, parameters: Sequence[object] = ()) -> list[str]:
        """The distinct non-null values of a records column among the records meeting a condition, sorted."""
        query = f"SELECT DISTINCT {column} FROM records WHERE {condition} AND {column} IS NOT NULL ORDER BY 1"
        return [str(v) for (v,) in self._conn().execute(query, tuple(parameters))]

    def people(self, public_only: bool = True) -> list[tuple[str, str, int]]:
        """(person key, name as written, records) for every name each person was written under."""
        rows = self._conn().execute(
            "SELECT asker_key, asker, count(*) FROM records WHERE asker_key IS NOT NULL AND asker IS NOT NULL "
            "AND (access = 'public' OR NOT ?) GROUP BY asker_key, asker",
            (public_only,),
        )
        return [(str(k), str(n), int(c)) for k, n, c in rows]

    def vector_owners(self) -> list[int]:
        """For each FAISS row, the ordinal of the record it embeds."""
        return [int(o) for (o,) in self._conn().execute("SELECT ordinal FROM vectors ORDER BY row")]

    def document(self, path: str) -> DocumentText | None:
        """The stored text of the document cited as `path`, or None."""
        row = (
            self._conn().execute("SELECT format, text, pages, debris FROM documents WHERE path = ?", (path,)).fetchone()
        )
        if row is None:
            return None
        fmt, text, pages, debris = row
        return DocumentText(
            path, str(fmt), str(text).split("\n"), json.loads(pages) if pages else None, frozenset(json.loads(debris))
        )

    def redirect(self, old_id: str) -> str | None:
        """The id that replaced a retired record id, or None."""
        try:
            row = self._conn().execute("SELECT new_id FROM redirects WHERE old_id = ?", (old_id,)).fetchone()
        except sqlite3.OperationalError:  # a store written before redirects were kept
            return None
        return str(row[0]) if row else None

    def redirects(self) -> dict[str, str]:
        """Every redirect kept: {old id: new id}."""
        try:
            rows = self._conn().execute("SELECT old_id, new_id FROM redirects").fetchall()
        except sqlite3.OperationalError:  # a store written before redirects were kept
            return {}
        return {str(old): str(new) for old, new in rows}

    def count(self) -> int:
        """Number of records stored."""
        return int(self._conn().execute("SELECT count(*) FROM records").fetchone()[0])

    def integrity_ok(self) -> bool:
        """True when SQLite's integrity check passes."""
        return self._conn().execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
