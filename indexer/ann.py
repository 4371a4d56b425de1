"""The dense vector index: exact inner product over normalised vectors with FAISS."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


def build_ann(vectors: np.ndarray) -> faiss.Index:
    """An exact inner-product index; row i is record ordinal i.

    A flat index is exact and, for tens of thousands of 384-d vectors, faster to search
    than an approximate one is to train; revisit past a few hundred thousand records.
    """
    index = faiss.IndexFlatIP(vectors.shape[1])
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def save_ann(index: faiss.Index, path: Path) -> None:
    """Write the index to a file."""
    faiss.write_index(index, str(path))


def load_ann(path: Path) -> faiss.Index:
    """Read an index written by save_ann."""
    return faiss.read_index(str(path))


def search_ann(index: faiss.Index, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(ordinal, cosine similarity) of the k nearest vectors, best first."""
    if index.ntotal == 0:
        return []
    scores, ids = index.search(np.ascontiguousarray(query, dtype=np.float32), min(k, index.ntotal))
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
