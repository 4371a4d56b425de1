"""Loading a generation: manifest, store, vector and lexical indexes, and the facets scopes are applied with.

Only what every search needs stays in memory: the vector index; the vectors (at half precision
beside an approximate index), to score a small scope exactly and re-score approximate candidates;
a record ordinal per vector row (for the passages and, apart, for the records' units); and the facets
of each record as numpy arrays. Records are read
from SQLite when a page shows them (a small cache keeps the recent ones) and Tantivy
memory-maps its segments.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from indexer.index.ann import AnnSpec, load_ann
from indexer.index.facets import Scope, day_number, item_key
from indexer.index.generations import resolve
from indexer.index.lexical import LEXICAL_DIR, LexicalIndex
from indexer.index.manifest import (
    EMBEDDINGS_FILE,
    STORE_FILE,
    UNIT_EMBEDDINGS_FILE,
    UNIT_LEXICAL_DIR,
    UNIT_OWNERS_FILE,
    UNIT_VECTORS_FILE,
    VECTORS_FILE,
    IndexManifest,
    IndexMismatchError,
)
from indexer.index.store import MetadataStore, kind_bits
from indexer.index.vocabulary import Vocabulary
from indexer.records import Record

# Records kept decoded between requests: a results page, its parts and the pages opened from it.
RECORD_CACHE = 4096


def _codes(values: list[str | None]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each value as a code into the sorted distinct values (-1 for none)."""
    vocabulary = tuple(sorted({v for v in values if v}))
    code = {v: i for i, v in enumerate(vocabulary)}
    return np.fromiter((code.get(v, -1) if v else -1 for v in values), dtype=np.int32, count=len(values)), vocabulary


@dataclass(frozen=True)
class FacetArrays:
    """The facets of the record shown for each record ordinal, as arrays; names are codes into vocabularies."""

    result: np.ndarray  # ordinal of the record shown
    public: np.ndarray  # bool
    kinds: np.ndarray  # bit set (indexer.index.store.kind_bits)
    date: np.ndarray  # YYYYMMDD, 0 when unknown
    body: np.ndarray
    item: np.ndarray
    asker: np.ndarray
    bodies: tuple[str, ...]
    items: tuple[str, ...]
    askers: tuple[str, ...]
    all_public: bool  # no restricted record: access alone never narrows a search

    @classmethod
    def load(cls, store: MetadataStore) -> FacetArrays:
        """Read every record's facets from the store and give each record those of the record shown for it."""
        result: list[int] = []
        public: list[bool] = []
        kinds: list[int] = []
        dates: list[int] = []
        bodies: list[str | None] = []
        items: list[str | None] = []
        askers: list[str | None] = []
        for res, access, bits, body, date, item, asker in store.facet_rows():
            result.append(res)
            public.append(access == "public")
            kinds.append(bits)
            dates.append(day_number(date))
            bodies.append(body)
            items.append(item_key(item))
            askers.append(asker)
        shown = np.asarray(result, dtype=np.int32)
        body_codes, body_names = _codes(bodies)
        item_codes, item_keys = _codes(items)
        asker_codes, asker_keys = _codes(askers)
        return cls(
            result=shown,
            public=np.asarray(public, dtype=bool)[shown],
            kinds=np.asarray(kinds, dtype=np.int32)[shown],
            date=np.asarray(dates, dtype=np.int32)[shown],
            body=body_codes[shown],
            item=item_codes[shown],
            asker=asker_codes[shown],
            bodies=body_names,
            items=item_keys,
            askers=asker_keys,
            all_public=all(public),
        )

    def mask(self, scope: Scope) -> np.ndarray | None:
        """Which ordinals the scope allows, or None when it allows every one."""
        if not scope.narrows and (not scope.public_only or self.all_public):
            return None
        allowed = self.public.copy() if scope.public_only else np.ones(len(self.result), dtype=bool)
        if scope.kinds is not None:
            allowed &= (self.kinds & kind_bits(scope.kinds)) != 0
        for codes, vocabulary, wanted in (
            (self.body, self.bodies, scope.bodies),
            (self.item, self.items, scope.items),
            (self.asker, self.askers, scope.askers),
        ):
            if wanted is not None:
                allowed &= np.isin(codes, [i for i, v in enumerate(vocabulary) if v in wanted])
        if scope.date_from is not None:
            allowed &= self.date >= max(1, scope.date_from)
        if scope.date_to is not None:
            allowed &= (self.date > 0) & (self.date <= scope.date_to)
        return allowed


@dataclass(frozen=True)
class VectorSet:
    """Vectors searched for records: the FAISS index, the vectors it is re-scored from, and each row's record.

    A record's rows are consecutive: rows row_start[o]..row_start[o + 1] belong to ordinal o.
    """

    ann: faiss.Index
    spec: AnnSpec
    # Held in memory (half precision at scale: 0.77 GB at a million vectors), not memory-mapped: rows are read a
    # few hundred at a time from anywhere in the file, and on this kernel's page cache (large folios)
    # mapping 500 random rows made 720 MB resident; over a few dozen queries, the whole file. None where the
    # approximate index's own codes score (the units of a large generation).
    embeddings: np.ndarray | None
    owner: np.ndarray
    row_start: np.ndarray

    @classmethod
    def load(
        cls, ann_path: Path, spec: AnnSpec, embeddings_path: Path, owner: Sequence[int] | np.ndarray, records: int
    ) -> VectorSet:
        """Open a FAISS index and its vectors (if written), owned row by row by the records in `owner`."""
        owner = np.asarray(owner, dtype=np.int32)
        row_start = np.searchsorted(owner, np.arange(records + 1))
        embeddings = np.load(embeddings_path) if embeddings_path.exists() else None
        return cls(load_ann(ann_path), spec, embeddings, owner, row_start)

    @property
    def rows(self) -> int:
        """Vectors held (the same in the FAISS index, the stored vectors and the owners), or -1 when they differ
        or an exact index lacks its vectors."""
        held = [self.ann.ntotal, len(self.owner)]
        if self.embeddings is not None:
            held.append(len(self.embeddings))
        elif self.spec.exact:
            return -1
        return held[0] if len(set(held)) == 1 else -1

    def rows_of(self, ordinals: np.ndarray) -> np.ndarray:
        """The vector rows of these records."""
        starts, ends = self.row_start[ordinals], self.row_start[ordinals + 1]
        return np.concatenate([np.arange(a, b) for a, b in zip(starts, ends, strict=True)]) if len(starts) else starts


class Generation:
    """One immutable generation of an index, opened for searching."""

    def __init__(
        self,
        index_dir: Path,
        model_name: str,
        dimension: int,
        query_encoder: str | None = None,
        checksum: str | None = None,
    ) -> None:
        self.index_dir = index_dir
        self.path = resolve(index_dir)
        self.name = self.path.name
        self.manifest = IndexManifest.read(self.path)
        self.manifest.check_compatible(model_name, dimension, query_encoder, checksum)
        self.store = MetadataStore(self.path / STORE_FILE)
        self.lexical = LexicalIndex(self.path / LEXICAL_DIR)
        self.facets = FacetArrays.load(self.store)
        self.count = len(self.facets.result)
        owners = self.store.vector_owners()
        spec = AnnSpec(self.manifest.ann_factory, self.manifest.nprobe)
        self.passages = VectorSet.load(self.path / VECTORS_FILE, spec, self.path / EMBEDDINGS_FILE, owners, self.count)
        counts = (self.count, self.passages.rows, self.lexical.count)
        expected = (self.manifest.record_count, self.manifest.vector_count, self.manifest.record_count)
        if counts != expected:
            raise IndexMismatchError(
                f"the index at {index_dir} is inconsistent: {counts[0]} records and {counts[1]} vectors, "
                f"manifest says {self.manifest.record_count} and {self.manifest.vector_count}; rebuild it"
            )
        # The records' units (indexer/encode/units.py), searched beside the records; a generation written
        # without them is searched by its passages and records alone.
        self.units: VectorSet | None = None
        self.unit_lexical: LexicalIndex | None = None
        if self.manifest.unit_ann_factory:
            unit_spec = AnnSpec(self.manifest.unit_ann_factory, self.manifest.unit_nprobe)
            unit_owners = np.load(self.path / UNIT_OWNERS_FILE)
            self.units = VectorSet.load(
                self.path / UNIT_VECTORS_FILE, unit_spec, self.path / UNIT_EMBEDDINGS_FILE, unit_owners, self.count
            )
            self.unit_lexical = LexicalIndex(self.path / UNIT_LEXICAL_DIR)
            if self.units.rows != self.manifest.unit_count:
                raise IndexMismatchError(
                    f"the index at {index_dir} is inconsistent: {self.units.rows} unit vectors, manifest says "
                    f"{self.manifest.unit_count}; rebuild it"
                )
        # Ids in memory (bytes, 17 MB at a million records): naming a page's matches costs no store query.
        self.ids = np.asarray(self.store.all_ids(), dtype=np.bytes_)
        self.vocabulary = Vocabulary.load(self.path)  # acronyms the records define (indexer/index/vocabulary.py)
        self.surnames = frozenset(key.partition("-")[0] for key in self.facets.askers)
        self._cache: OrderedDict[int, Record] = OrderedDict()
        self._lock = threading.Lock()
        # What every search page would otherwise read again (the people and the bodies a request may see, by
        # whether it sees restricted records): the generation never changes, so each is read once.
        self.people_seen: dict[bool, list[tuple[str, str]]] = {}
        self.bodies_seen: dict[bool, list[str]] = {}

    def records(self, ordinals: Iterable[int]) -> dict[int, Record]:
        """The records at these ordinals (read from the store unless recently read)."""
        wanted = list(dict.fromkeys(int(o) for o in ordinals))
        out: dict[int, Record] = {}
        with self._lock:
            for o in wanted:
                if o in self._cache:
                    self._cache.move_to_end(o)
                    out[o] = self._cache[o]
        missing = [o for o in wanted if o not in out]
        if missing:
            read = self.store.records(missing)
            out.update(read)
            with self._lock:
                self._cache.update(read)
                while len(self._cache) > RECORD_CACHE:
                    self._cache.popitem(last=False)
        return {o: out[o] for o in wanted if o in out}

    def all_records(self) -> list[Record]:
        """Every record in ordinal order, for tools and tests (no page needs them all)."""
        return [r for _, r, _ in self.store.load_all()]

    def record(self, ordinal: int) -> Record:
        """The record at an ordinal."""
        return self.records([ordinal])[ordinal]

    def id_of(self, ordinal: int) -> str:
        """The id of the record at an ordinal."""
        return bytes(self.ids[ordinal]).decode()

    def shown(self, ordinal: int) -> int:
        """The ordinal of the record shown for this one (its exchange, or itself)."""
        return int(self.facets.result[ordinal])
