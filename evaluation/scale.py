"""The national-archive benchmark: search cost at 10k, 100k and 1M vectors (`make bench-scale`).

Scaled generations are made from the bundled corpus without embedding.

Each copy of the bundled records gets distinct ids, another panel's name as its body and dates moved
on by whole weeks; its vectors are the bundled vectors with Gaussian noise, normalised again. The
generation is written by the project's own `indexer.index.build.write_generation`, so its store, vector
index type and manifest are exactly what a real build of that size writes.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import math
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from evaluation.bench import GOLD, REPO, load_queries, percentile
from indexer.encode.embed import Embedder
from indexer.encode.units import units
from indexer.index.build import UnitVectors, write_generation
from indexer.index.generations import resolve
from indexer.index.manifest import (
    EMBEDDINGS_FILE,
    STORE_FILE,
    UNIT_EMBEDDINGS_FILE,
    IndexError_,
    IndexManifest,
)
from indexer.index.store import MetadataStore
from indexer.reading.bodies import panels
from indexer.records import Citation, Record
from search_api.filters import Filters, parse_day
from search_api.retrieval import Searcher
from search_api.scope import resolve_scope

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


def _noisy(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The vectors with Gaussian noise, normalised again."""
    noisy = vectors + rng.normal(0.0, NOISE, vectors.shape).astype(np.float32)
    return noisy / np.linalg.norm(noisy, axis=1, keepdims=True)


def scaled_generation(source_index: Path, target: Path, vectors_wanted: int, seed: int = 0) -> IndexManifest:
    """Write a generation of about `vectors_wanted` vectors at `target` from the index at `source_index`."""
    source = resolve(source_index)
    manifest = IndexManifest.read(source)
    store = MetadataStore(source / STORE_FILE)
    records = [r for _, r, _ in store.load_all()]
    owners = np.asarray(store.vector_owners(), dtype=np.int64)
    vectors = np.load(source / EMBEDDINGS_FILE)
    store.close()
    # The records' units, copied with them the same way (a generation built before units has none).
    unit_texts = [units(r) for r in records] if manifest.unit_count else []
    unit_vectors = np.load(source / UNIT_EMBEDDINGS_FILE) if manifest.unit_count else np.empty((0, vectors.shape[1]))
    copies = max(1, math.ceil(vectors_wanted / len(vectors)))
    names = [p.name for p in panels()]
    rng = np.random.default_rng(seed)
    all_records: list[Record] = []
    all_owners: list[np.ndarray] = []
    all_vectors = np.empty((copies * len(vectors), vectors.shape[1]), dtype=np.float32)
    all_unit_vectors = np.empty((copies * len(unit_vectors), vectors.shape[1]), dtype=np.float32)
    for copy in range(copies):
        body = names[copy % len(names)]
        all_owners.append(owners + copy * len(records))
        all_records.extend(_copy(r, copy, body) for r in records)
        all_vectors[copy * len(vectors) : (copy + 1) * len(vectors)] = _noisy(vectors, rng)
        all_unit_vectors[copy * len(unit_vectors) : (copy + 1) * len(unit_vectors)] = _noisy(unit_vectors, rng)
    scaled = dataclasses.replace(
        manifest,
        record_count=len(all_records),
        vector_count=len(all_vectors),
        corpus_hash=f"scaled x{copies} from {manifest.corpus_hash}",
        documents=[],
    )
    target.mkdir(parents=True, exist_ok=True)
    scaled_units = UnitVectors(unit_texts * copies, all_unit_vectors) if manifest.unit_count else None
    write_generation(
        target, all_records, np.concatenate(all_owners).tolist(), all_vectors, scaled, [], units=scaled_units
    )
    (target / "scale.json").write_text(json.dumps({"copies": copies, "noise": NOISE, "seed": seed}) + "\n")
    return IndexManifest.read(resolve(target))


# ---------------------------------------------------------------------------------------------
# The benchmark: `make bench-scale` (python -m evaluation.scale)
# ---------------------------------------------------------------------------------------------

SIZES = (10_000, 100_000, 1_000_000)
# Filters a user of the national archive sets: one panel (the first in the table, present at every size),
# and a span of years.
FILTERS: dict[str, dict[str, str]] = {
    "none": {},
    "body": {"body": panels()[0].name},
    "dates": {"date_from": "2021-01-01", "date_to": "2023-12-31"},
}
TARGET_RATIO = 3.0
TARGET_P50_MS = 60.0
TARGET_RECALL = 0.95
TARGET_RSS_GB = 2.5


def _disk_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def ensure_scaled(source: Path, size: int, root: Path) -> Path:
    """The scaled generation for `size` under `root`, built unless a current one is there."""
    target = root / str(size)
    try:
        manifest = IndexManifest.read(resolve(target))
        source_manifest = IndexManifest.read(resolve(source))
        if manifest.format_version == source_manifest.format_version and source_manifest.corpus_hash in (
            manifest.corpus_hash
        ):
            return target
    except (IndexError_, OSError):
        pass  # nothing there yet, or a damaged copy: built again
    shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    manifest = scaled_generation(source, target, size)
    print(
        f"  built {size:,} ({manifest.record_count:,} records, {manifest.vector_count:,} vectors, "
        f"{manifest.unit_count:,} unit vectors, "
        f"{manifest.ann_factory}) in {time.perf_counter() - started:.0f} s"
    )
    return target


def recall_at_10(searcher: Searcher, vectors: list[np.ndarray], allowed: np.ndarray | None = None) -> float:
    """Mean share of the exact ten nearest records (inside the scope) that the served dense path returns."""
    gen = searcher.generation
    held = gen.passages.embeddings
    assert held is not None  # a generation's passages always keep their vectors
    shares: list[float] = []
    for v in vectors:
        scores = np.asarray(held @ v.reshape(-1), dtype=np.float32)
        rows = np.arange(len(scores)) if allowed is None else np.flatnonzero(allowed[gen.passages.owner])
        exact: list[int] = []
        for row in rows[np.argsort(-scores[rows])]:
            ordinal = int(gen.passages.owner[row])
            if ordinal not in exact:
                exact.append(ordinal)
            if len(exact) == 10:
                break
        served = [o for o, _ in searcher.dense(v, 10, allowed)]
        shares.append(len(set(served) & set(exact)) / max(1, len(exact)))
    return float(np.mean(shares))


def index_speeds(searcher: Searcher, vectors: list[np.ndarray]) -> dict[str, float]:
    """Milliseconds (p50) for 300 neighbours from an exact flat index of these vectors and from the served one.

    The measurement behind FLAT_LIMIT: below it flat is as fast as IVF and needs no training.
    """
    import faiss

    from indexer.index.ann import search_ann

    gen = searcher.generation
    held = gen.passages.embeddings
    assert held is not None  # a generation's passages always keep their vectors
    flat = faiss.IndexFlatIP(held.shape[1])
    flat.add(np.ascontiguousarray(held, dtype=np.float32))
    out: dict[str, float] = {}
    for name, index, nprobe in (("flat", flat, 0), ("served", gen.passages.ann, gen.passages.spec.nprobe)):
        times: list[float] = []
        for v in vectors:
            start = time.perf_counter()
            search_ann(index, v, 300, nprobe=nprobe)
            times.append((time.perf_counter() - start) * 1000)
        out[f"dense index alone p50 ms ({name})"] = percentile(times, 50)
    return out


def bench_size(index_dir: Path, queries: list[str], embedder: Embedder, requests: int) -> dict[str, object]:
    """Every number for one scaled generation: HTTP, stages in process, recall, memory, disk and load."""
    from evaluation.bench import http_latencies

    row: dict[str, object] = {"disk GB": _disk_bytes(index_dir) / 1e9}
    # One server process (a replica's memory; `make serve` runs two on two cores), query cache off.
    http = http_latencies(
        index_dir, queries, requests, FILTERS, {"PANEL_SEARCH_WORKERS": "1", "PANEL_SEARCH_QUERY_CACHE": "0"}
    )
    row.update(http)
    started = time.perf_counter()
    searcher = Searcher(index_dir, embedder)
    row["load s (in process)"] = time.perf_counter() - started
    gen = searcher.generation
    row["records"] = gen.count
    row["vectors"] = gen.manifest.vector_count
    row["unit vectors"] = gen.manifest.unit_count
    nprobe = gen.passages.spec.nprobe
    row["index"] = gen.manifest.ann_factory + (f" nprobe {nprobe}" if nprobe else "")
    if gen.manifest.unit_ann_factory:
        unit_nprobe = gen.manifest.unit_nprobe
        row["unit index"] = gen.manifest.unit_ann_factory + (f" nprobe {unit_nprobe}" if unit_nprobe else "")
    for name, given in FILTERS.items():
        filters = Filters(
            body=given.get("body"),
            date_from=parse_day(given.get("date_from"), "from"),
            date_to=parse_day(given.get("date_to"), "to"),
        )
        stages: dict[str, list[float]] = {}
        totals: list[float] = []
        for q in queries:
            searcher.search(q, filters=filters)  # warm
        for q in queries:
            timings: dict[str, float] = {}
            start = time.perf_counter()
            searcher.search(q, filters=filters, timings=timings)
            totals.append((time.perf_counter() - start) * 1000)
            for stage, ms in timings.items():
                stages.setdefault(stage, []).append(ms)
        row[f"in-process p50 ms ({name})"] = percentile(totals, 50)
        row[f"stages p50 ms ({name})"] = {s: round(percentile(v, 50), 2) for s, v in stages.items()}
    vectors = [embedder.encode_query(q) for q in queries]
    row.update(index_speeds(searcher, vectors))
    row["recall@10 (none)"] = recall_at_10(searcher, vectors)
    body_scope = resolve_scope(Filters(body=FILTERS["body"]["body"]), gen.facets)
    row["recall@10 (body)"] = recall_at_10(searcher, vectors, gen.facets.mask(body_scope))
    return row


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the scaled generations and print the national-archive numbers."""
    parser = argparse.ArgumentParser(description="Search cost at 10k, 100k and 1M vectors.")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--root", type=Path, default=REPO / "var" / "scale")
    parser.add_argument("--requests", type=int, default=200, help="HTTP searches per filter and size")
    args = parser.parse_args(argv)

    from indexer.index.build import build_index

    embedder = Embedder()
    source = REPO / "var" / "scale" / "source"
    build_index([REPO / "corpus"], source, embedder, root=REPO, cache_path=REPO / "var" / "cache" / "embeddings.sqlite")
    queries = load_queries(GOLD)
    print(f"machine: {os.cpu_count()} cores; {len(queries)} gold queries; {args.requests} HTTP searches per filter")
    rows: dict[int, dict[str, object]] = {}
    for size in args.sizes:
        print(f"\n## {size:,} vectors")
        index_dir = ensure_scaled(source, size, args.root)
        rows[size] = bench_size(index_dir, queries, embedder, args.requests)
        for key, value in rows[size].items():
            shown = f"{value:.3f}" if isinstance(value, float) else value
            print(f"  {key}: {shown}")
    _verdict(rows)
    from evaluation import throughput

    print()
    throughput.main([])
    return 0


def _verdict(rows: dict[int, dict[str, object]]) -> None:
    """The issue's targets, checked on this run's numbers."""
    if not rows:
        return
    small, large = min(rows), max(rows)
    print(f"\n## targets ({small:,} -> {large:,} vectors)")
    for name in FILTERS:
        key = f"http p50 ms ({name})"
        low, high = float(rows[small][key]), float(rows[large][key])  # type: ignore[arg-type]
        ok = high <= TARGET_RATIO * low and high <= TARGET_P50_MS
        print(f"  HTTP p50 {name:5s}: {low:.1f} -> {high:.1f} ms (x{high / low:.2f}) {'met' if ok else 'NOT MET'}")
    for key in ("recall@10 (none)", "recall@10 (body)"):
        value = float(rows[large][key])  # type: ignore[arg-type]
        print(f"  {key} at {large:,}: {value:.3f} {'met' if value >= TARGET_RECALL else 'NOT MET'}")
    rss = float(rows[large]["server RSS GB"])  # type: ignore[arg-type]
    print(f"  server RSS at {large:,}: {rss:.2f} GB {'met' if rss <= TARGET_RSS_GB else 'NOT MET'}")


if __name__ == "__main__":
    sys.exit(main())
