"""The dense vector index: inner product over normalised vectors with FAISS, exact or approximate by size.

Each vector carries its record's ordinal as its FAISS id (a record may have several passages),
so a search answers ordinals and a scope is a selector over ordinals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

# Below this many vectors an exact (flat) search is about as fast as an approximate one and needs no
# training. Measured with `make bench-scale` (300 neighbours, one thread): flat 0.8 ms at 10k vectors and
# 10 ms at 100k, IVF with SQ8 codes 0.8 ms and 1.0 ms; flat grows by ~0.1 ms per thousand vectors.
FLAT_LIMIT = 20_000
# Inverted lists probed per query: recall@10 against exact stays >= 0.95 at 100k and 1M (bench-scale).
NPROBE = 32
# Vectors used to train the coarse quantiser: FAISS asks for 39-256 per list.
TRAIN_PER_LIST = 64


@dataclass(frozen=True)
class AnnSpec:
    """How a generation's vectors are indexed: a FAISS index-factory string and, for IVF, lists probed."""

    factory: str
    nprobe: int = 0

    @property
    def exact(self) -> bool:
        """True for an exhaustive (flat) index."""
        return self.factory.endswith("Flat") and not self.factory.startswith("IVF")


# Codes of the records' units (indexer/encode/units.py) beside an approximate index: they are scored by their codes
# alone (no floats kept), and there are 2.3 units for each passage. Measured on the 2,258,622 unit vectors of
# `make bench-scale`'s million (the 111 gold queries, best records against an exact search): 8-bit codes
# recall@10 0.968 in 867 MB, 6-bit 0.888 in 650 MB, 4-bit 0.623 in 434 MB. 6-bit keeps a replica's memory
# at a million passages inside its 2.5 GB.
UNIT_CODES = "SQ6"


def choose_spec(vector_count: int, codes: str = "SQ8") -> AnnSpec:
    """Exact while it is fastest, then IVF with scalar codes (8-bit: a quarter of the memory of floats)."""
    if vector_count < FLAT_LIMIT:
        return AnnSpec("IDMap,Flat")
    nlist = 2 ** round(math.log2(math.sqrt(vector_count)))
    return AnnSpec(f"IVF{nlist},{codes}", NPROBE)


def build_ann(vectors: np.ndarray, ids: np.ndarray, spec: AnnSpec | None = None) -> faiss.Index:
    """An inner-product index of `vectors`, each with the id (record ordinal) at the same place in `ids`."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    spec = spec or choose_spec(len(vectors))
    index = faiss.index_factory(vectors.shape[1], spec.factory, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        rng = np.random.default_rng(0)
        nlist = faiss.extract_index_ivf(index).nlist
        sample = min(len(vectors), nlist * TRAIN_PER_LIST)
        index.train(vectors[np.sort(rng.choice(len(vectors), sample, replace=False))])
    if len(vectors):
        index.add_with_ids(vectors, np.ascontiguousarray(ids, dtype=np.int64))
    return index


def save_ann(index: faiss.Index, path: Path) -> None:
    """Write the index to a file."""
    faiss.write_index(index, str(path))


def load_ann(path: Path) -> faiss.Index:
    """Read an index written by save_ann, for answering one query at a time."""
    # One query is answered fastest on one thread (1M flat, k=300: 62 ms against 148 ms on two), and
    # OpenMP workers left spinning after a search would take the cores the query encoder needs next.
    faiss.omp_set_num_threads(1)
    return faiss.read_index(str(path))


def search_ann(
    index: faiss.Index,
    query: np.ndarray,
    k: int,
    allowed: np.ndarray | None = None,
    nprobe: int = 0,
) -> list[tuple[int, float]]:
    """(ordinal, cosine similarity) of the k nearest vectors, best first; several may share an ordinal.

    `allowed`, a bit set over ordinals packed little-endian (numpy.packbits), keeps the search
    inside a scope: vectors outside it are never scored.
    """
    if index.ntotal == 0 or k <= 0:
        return []
    selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(allowed)) if allowed is not None else None
    params = faiss.SearchParameters()
    if nprobe:
        ivf = faiss.SearchParametersIVF()
        ivf.nprobe = nprobe
        params = ivf
    if selector is not None:
        params.sel = selector
    scores, ids = index.search(np.ascontiguousarray(query, dtype=np.float32), min(k, index.ntotal), params=params)
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]


def exact_scores(vectors: np.ndarray, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Cosine similarity of the query to the given rows of the stored vectors (a small scope, exactly)."""
    return vectors[rows].astype(np.float32) @ query.reshape(-1).astype(np.float32)
