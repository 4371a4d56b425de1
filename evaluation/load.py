"""A bounded load test on loopback: N concurrent clients for T seconds.

Usage: python -m evaluation.load [--concurrency 16] [--seconds 30] [--encoders torch,onnx-int8]
       python -m evaluation.load --url http://127.0.0.1:8000 [...]

Without --url it builds the bundled corpus, then serves it once per query encoder (as `make
serve` would, query cache off) and loads each in turn, printing them side by side. With --url it
loads a server already running there. It sends GET /search with the gold queries, only to the
loopback address, stops by itself after the time or request budget, and prints throughput,
p50/p95/p99 and errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

import httpx

from evaluation.bench import GOLD, REPO, percentile, serving

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


async def _client(
    client: httpx.AsyncClient,
    queries: Sequence[str],
    deadline: float,
    budget: list[int],
    out: list[float],
    errors: list[str],
) -> None:
    n = 0
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        q = queries[(id(out) + n) % len(queries)]
        n += 1
        start = time.perf_counter()
        try:
            response = await client.get("/search", params={"q": q, "k": 10})
            if response.status_code != 200:
                errors.append(f"HTTP {response.status_code}")
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
        out.append((time.perf_counter() - start) * 1000)


async def run(
    url: str, concurrency: int, seconds: float, max_requests: int, queries: Sequence[str], label: str = ""
) -> int:
    """Run the load and print its numbers; returns the number of errors."""
    latencies: list[float] = []
    errors: list[str] = []
    budget = [max_requests]
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        for _ in range(120):  # wait up to a minute for the server to answer
            try:
                if (await client.get("/health")).status_code == 200:
                    break
            except httpx.HTTPError:
                await asyncio.sleep(0.5)
        else:
            print(f"no server answering at {url}", file=sys.stderr)
            return 1
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(_client(client, queries, deadline, budget, latencies, errors) for _ in range(concurrency))
        )
        elapsed = time.monotonic() - started
    rate = len(latencies) / elapsed
    prefix = f"{label}: " if label else ""
    print(f"{prefix}{len(latencies)} requests in {elapsed:.1f} s at concurrency {concurrency}: {rate:.1f} req/s")
    print(
        f"{prefix}latency p50 {percentile(latencies, 50):.1f} ms  p95 {percentile(latencies, 95):.1f} ms  "
        f"p99 {percentile(latencies, 99):.1f} ms; errors {len(errors)}"
        + (f" ({', '.join(sorted(set(errors)))})" if errors else "")
    )
    return len(errors)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, refuse any target but loopback, run."""
    parser = argparse.ArgumentParser(description="Bounded load test of /search on loopback.")
    parser.add_argument("--url", help="a server already running on loopback (default: serve the bundled corpus)")
    parser.add_argument("--encoders", default="torch,onnx-int8", help="query encoders to serve in turn, without --url")
    parser.add_argument("--index-dir", type=Path, help="serve this index instead of building the bundled corpus")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--queries", type=Path, default=GOLD)
    args = parser.parse_args(argv)
    queries = [json.loads(line)["query"] for line in args.queries.read_text(encoding="utf-8").splitlines() if line]
    seconds = min(args.seconds, 300)
    if args.url:
        if urlparse(args.url).hostname not in LOOPBACK:
            print("load tests only target this machine's loopback address", file=sys.stderr)
            return 2
        errors = asyncio.run(run(args.url, args.concurrency, seconds, args.max_requests, queries))
        return 1 if errors else 0
    errors = 0
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index_dir or build_bundled(Path(tmp))
        for encoder in args.encoders.split(","):
            settings = {"PANEL_SEARCH_QUERY_ENCODER": encoder, "PANEL_SEARCH_QUERY_CACHE": "0"}
            with serving(index_dir, settings) as (url, _, _):
                errors += asyncio.run(run(url, args.concurrency, seconds, args.max_requests, queries, encoder))
    return 1 if errors else 0


def build_bundled(folder: Path) -> Path:
    """The bundled corpus indexed into a folder (as `make index` would)."""
    from indexer.encode.embed import Embedder
    from indexer.index.build import build_index
    from search_api.settings import Settings

    index_dir = folder / "index"
    build_index([REPO / "corpus"], index_dir, Embedder(settings=Settings().encoders()), root=REPO)
    return index_dir


if __name__ == "__main__":
    sys.exit(main())
