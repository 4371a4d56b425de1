"""Embedding throughput, alone and through Ray Data on a local Ray instance, projected to a national archive.

Usage: python -m evaluation.throughput [--passages 2000] [--workers 2] [--address auto]

The texts are those a build embeds for the bundled corpus, each record's passages and units (repeated to reach
--passages); nothing is cached, so every text is encoded. The projection is linear: texts / rate, with W machines
embedding W times as fast as one (no allowance for the driver, the network or stragglers).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexer.encode.cluster import RayEncoder
from indexer.encode.embed import Embedder
from indexer.encode.passages import passages
from indexer.encode.units import units
from indexer.index.build import collect_documents
from indexer.reading.assemble import assemble
from indexer.reading.guard import parse_guarded
from indexer.records import Record

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
# A national archive: 41 panels, ten years of questions, answers, minutes and reports each.
ARCHIVE_RECORDS = 1_000_000
CLUSTER_SIZES = (10, 50)


def corpus_records() -> list[Record]:
    """The bundled corpus's records, as a build assembles them."""
    files, _ = collect_documents([CORPUS], REPO)
    parsed: list[Record] = []
    for path, name in files:
        parsed.extend(parse_guarded(path, name, None).records)
    return assemble(parsed)


def repeated(texts: Sequence[str], count: int) -> list[str]:
    """`count` texts, the given ones repeated in order as often as needed."""
    return [texts[i % len(texts)] for i in range(count)]


def hours(passage_count: float, rate: float) -> str:
    """A duration for embedding `passage_count` passages at `rate` per second, in hours."""
    return f"{passage_count / rate / 3600:7.1f} h"


def main(argv: Sequence[str] | None = None) -> int:
    """Measure local and Ray throughput and print the projection."""
    parser = argparse.ArgumentParser(description="Measure embedding throughput locally and through Ray.")
    parser.add_argument("--passages", type=int, default=2000, help="texts (passages and units) to embed each way")
    parser.add_argument("--workers", type=int, default=2, help="Ray actors (one CPU each)")
    parser.add_argument("--address", default="auto", help="Ray cluster address, or auto (a local instance)")
    args = parser.parse_args(argv)

    records = corpus_records()
    corpus_passages = [p for r in records for p in passages(r)]
    corpus_units = [u for r in records for u in units(r)]
    ratio = (len(corpus_passages) + len(corpus_units)) / len(records)
    # A build embeds both, passages first (indexer/index/build.py); units are short, so a text costs less on average.
    texts = repeated(corpus_passages + corpus_units, args.passages)
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start")
    print(
        f"bundled corpus: {len(records)} records, {len(corpus_passages)} passages and {len(corpus_units)} units "
        f"({ratio:.2f} texts per record)"
    )

    started = time.perf_counter()
    embedder = Embedder()
    print(f"model load: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    local = embedder.encode(texts)
    local_seconds = time.perf_counter() - started
    local_rate = len(texts) / local_seconds
    print(f"local   : {len(texts)} texts in {local_seconds:6.1f} s = {local_rate:6.1f} texts/s (torch 2 threads)")

    started = time.perf_counter()
    with RayEncoder(None, args.address, workers=args.workers) as encoder:
        print(f"ray     : connected in {time.perf_counter() - started:.1f} s; {encoder.workers} workers")
        # A tiny run first: what every call pays once (its actors start and load the model), whatever its size.
        started = time.perf_counter()
        encoder(texts[: 2 * encoder.workers])
        fixed = time.perf_counter() - started
        started = time.perf_counter()
        remote = encoder(texts)
        ray_seconds = time.perf_counter() - started
    ray_rate = len(texts) / ray_seconds
    steady_rate = len(texts) / max(ray_seconds - fixed, 1e-9)
    print(
        f"ray     : {len(texts)} texts in {ray_seconds:6.1f} s = {ray_rate:6.1f} texts/s "
        f"({encoder.workers} actors x 1 thread; {steady_rate:.1f} texts/s without the {fixed:.1f} s "
        "a call of 4 texts took: actors starting and loading the model)"
    )
    print(f"ray vectors against local: max abs difference {float(np.abs(remote - local).max()):.2e}")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")

    archive_passages = ARCHIVE_RECORDS * ratio
    machine_rate = max(local_rate, steady_rate)
    print(
        f"\nnational archive: 41 panels x 10 years ~ {ARCHIVE_RECORDS:,} records ~ {archive_passages:,.0f} texts "
        f"at {ratio:.2f} per record; linear projection at {machine_rate:.1f} texts/s per machine like this one:"
    )
    print(f"  1 machine   : {hours(archive_passages, machine_rate)}")
    for workers in CLUSTER_SIZES:
        print(f"  {workers:3d} machines: {hours(archive_passages, machine_rate * workers)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
