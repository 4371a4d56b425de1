"""Scaled generations for the national-archive benchmark, made from the bundled corpus without embedding.

Each copy of the bundled records gets distinct ids, another panel's name as its body and dates moved
on by whole weeks; its vectors are the bundled vectors with Gaussian noise, normalised again. The
generation is written by the project's own `indexer.build.write_generation`, so its store, vector
index type and manifest are exactly what a real build of that size writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
from pathlib import Path

import numpy as np

from indexer.bodies import panels
from indexer.build import write_generation
from indexer.generations import resolve
from indexer.manifest import EMBEDDINGS_FILE, STORE_FILE, IndexManifest
from indexer.records import Citation, Record
from indexer.store import MetadataStore

# Spread of the noise added to each vector component: copies stay alike (cosine ~0.93) yet distinct.
NOISE = 0.02


def _copy_id(copy: int, record_id: str) -> str:
    return hashlib.sha256(f"{copy}\x1f{record_id}".encode()).hexdigest()[:16]


def _moved(date: str | None, weeks: int) -> str | None:
    return (dt.date.fromisoformat(date) + dt.timedelta(weeks=weeks)).isoformat() if date else None


def _copy(record: Record, copy: int, body: str) -> Record:
    """The record as panel `body` might have published it `copy // 41` years of weeks later."""
    weeks = copy // len(panels())
    name = f"scale-{copy:05d}/{record.citation.document}"

    def cite(c: Citation) -> Citation:
        return dataclasses.replace(
            c, body=body, meeting_date=_moved(c.meeting_date, weeks), document=f"scale-{copy:05d}/{c.document}"
        )

    citation = dataclasses.replace(cite(record.citation), document=name)
    return dataclasses.replace(
        record,
        id=_copy_id(copy, record.id),
        citation=citation,
        parent_id=_copy_id(copy, record.parent_id) if record.parent_id else None,
        part_ids=tuple(_copy_id(copy, p) for p in record.part_ids),
        also_recorded_in=tuple(cite(c) for c in record.also_recorded_in),
    )


def scaled_generation(source_index: Path, target: Path, vectors_wanted: int, seed: int = 0) -> IndexManifest:
    """Write a generation of about `vectors_wanted` vectors at `target` from the index at `source_index`."""
    source = resolve(source_index)
    manifest = IndexManifest.read(source)
    store = MetadataStore(source / STORE_FILE)
    records = [r for _, r, _ in store.load_all()]
    owners = np.asarray(store.vector_owners(), dtype=np.int64)
    vectors = np.load(source / EMBEDDINGS_FILE)
    store.close()
    copies = max(1, math.ceil(vectors_wanted / len(vectors)))
    names = [p.name for p in panels()]
    rng = np.random.default_rng(seed)
    all_records: list[Record] = []
    all_owners: list[np.ndarray] = []
    all_vectors = np.empty((copies * len(vectors), vectors.shape[1]), dtype=np.float32)
    for copy in range(copies):
        body = names[copy % len(names)]
        all_owners.append(owners + copy * len(records))
        all_records.extend(_copy(r, copy, body) for r in records)
        noisy = vectors + rng.normal(0.0, NOISE, vectors.shape).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        all_vectors[copy * len(vectors) : (copy + 1) * len(vectors)] = noisy
    scaled = dataclasses.replace(
        manifest,
        record_count=len(all_records),
        vector_count=len(all_vectors),
        corpus_hash=f"scaled x{copies} from {manifest.corpus_hash}",
        documents=[],
    )
    target.mkdir(parents=True, exist_ok=True)
    write_generation(target, all_records, np.concatenate(all_owners).tolist(), all_vectors, scaled, [])
    (target / "scale.json").write_text(json.dumps({"copies": copies, "noise": NOISE, "seed": seed}) + "\n")
    return IndexManifest.read(resolve(target))
