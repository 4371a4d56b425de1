"""Speed and memory, measured: index build (cold and warm), search latency in process and over HTTP.

Usage: python -m evaluation.bench [--rounds 3] [--http-requests 300] [--no-http]

No query-result or query-embedding cache exists, so every measured call encodes its query.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).resolve().parent / "gold" / "queries.jsonl"


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(values: Sequence[float]) -> str:
    """p50 / p95 / p99 / mean in milliseconds."""
    return (
        f"p50 {percentile(values, 50):6.1f} ms  p95 {percentile(values, 95):6.1f} ms  "
        f"p99 {percentile(values, 99):6.1f} ms  mean {statistics.fmean(values):6.1f} ms  (n={len(values)})"
    )


def timed(call: Callable[[], object], repeat: int = 1) -> list[float]:
    """Milliseconds per call."""
    out: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def rss_mib(pid: int) -> float:
    """Resident memory of a process, MiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load_queries(path: Path) -> list[str]:
    """The gold queries (the "query" field of each line)."""
    return [json.loads(line)["query"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_latencies(
    index_dir: Path, queries: Sequence[str], requests: int, variants: dict[str, dict[str, str]] | None = None
) -> dict[str, float]:
    """Start the server on loopback and time public /search requests (one client, keep-alive).

    `variants` names sets of extra parameters (filters); each gets `requests` searches. Returns the
    start-up time (until /health answers), p50/p95 per variant, errors and the server's RSS after.
    """
    import httpx

    variants = variants or {"none": {}}
    port = free_port()
    env = dict(os.environ, PANEL_SEARCH_INDEX_DIR=str(index_dir))
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "search_api.cli", "serve", "--port", str(port), "--index-dir", str(index_dir)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
    )
    out: dict[str, float] = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60.0) as client:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            else:
                raise RuntimeError("the server did not start within 300 s")
            out["http start-up s"] = time.perf_counter() - started
            for name, params in variants.items():
                for q in queries[:10]:
                    client.get("/search", params={"q": q, **params})
                latencies: list[float] = []
                errors = 0
                for n in range(requests):
                    start = time.perf_counter()
                    response = client.get("/search", params={"q": queries[n % len(queries)], "k": 10, **params})
                    latencies.append((time.perf_counter() - start) * 1000)
                    errors += response.status_code != 200
                out[f"http p50 ms ({name})"] = percentile(latencies, 50)
                out[f"http p95 ms ({name})"] = percentile(latencies, 95)
                out[f"http errors ({name})"] = errors
        out["server RSS GB"] = rss_mib(server.pid) * 1024**2 / 1e9
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def bench_http(index_dir: Path, queries: Sequence[str], requests: int) -> None:
    """Report public /search latency and the server's memory on the bundled corpus."""
    out = http_latencies(index_dir, queries, requests)
    print(
        f"http /search (keep-alive, one client): p50 {out['http p50 ms (none)']:.1f} ms, "
        f"p95 {out['http p95 ms (none)']:.1f} ms, errors {out['http errors (none)']:.0f}; "
        f"server start-up {out['http start-up s']:.1f} s, RSS {out['server RSS GB'] * 1000:.0f} MB"
    )


def bench_formats(root: Path) -> None:
    """Reading and parsing the board pack as a PDF (typeset from its text), and as a web page and Word file."""
    from evaluation.renderings import render_docx, render_html, render_pdf
    from indexer.guard import parse_guarded
    from indexer.parse import parse_file
    from indexer.readers import read_document

    text = (REPO / "corpus" / "004_493deb871b5b5d45.txt").read_text(encoding="utf-8")
    rendering = render_pdf(text)
    files = {
        "pdf": (root / "pack.pdf", rendering.data),
        "html": (root / "pack.html", render_html(text)),
        "docx": (root / "pack.docx", render_docx(text)),
    }
    for kind, (path, data) in files.items():
        path.write_bytes(data)
        read = min(timed(partial(read_document, path, path.name), repeat=3))
        parse = min(timed(partial(parse_file, path, path.name), repeat=3))
        guarded = min(timed(partial(parse_guarded, path, path.name), repeat=3))
        records = len(parse_file(path, path.name).records)
        pages = f" ({rendering.pages} pages, {read / rendering.pages:.1f} ms/page)" if kind == "pdf" else ""
        print(
            f"{kind:4s} board pack ({len(data) / 1024**2:.1f} MiB): read {read / 1000:.2f} s{pages}; "
            f"read + parse {parse / 1000:.2f} s, {records} records; in the guarded child {guarded / 1000:.2f} s"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description="Measure build time, search latency and memory.")
    parser.add_argument("--queries", type=Path, default=GOLD)
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds over the query set")
    parser.add_argument("--http-requests", type=int, default=300)
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args(argv)

    import torch

    from indexer.build import build_index
    from indexer.embed import Embedder
    from search_api.retrieval import Searcher

    queries = load_queries(args.queries)
    print(f"machine: {os.cpu_count()} cores; torch threads {torch.get_num_threads()}; {len(queries)} queries")
    started = time.perf_counter()
    embedder = Embedder()
    print(f"model load: {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cold = build_index([REPO / "corpus"], root / "index", embedder, root=REPO, cache_path=root / "cache.sqlite")
        same = build_index([REPO / "corpus"], root / "index", embedder, root=REPO, cache_path=root / "cache.sqlite")
        warm = build_index(
            [REPO / "corpus"], root / "index", embedder, root=REPO, cache_path=root / "cache.sqlite", force=True
        )
        print(
            f"index build: cold {cold.seconds:.1f} s ({cold.embedded} passages embedded); "
            f"unchanged {same.seconds:.2f} s (no new generation: {same.unchanged}); "
            f"warm rebuild {warm.seconds:.2f} s ({warm.embedded} embedded); {warm.record_count} records, "
            f"{warm.manifest.vector_count} vectors"
        )
        searcher = Searcher(root / "index", embedder)
        for q in queries:  # warm-up round, not measured
            searcher.search(q)
        for mode in ("hybrid", "lexical", "dense"):
            latencies = [
                t
                for _ in range(args.rounds)
                for q in queries
                for t in timed(partial(searcher.search, q, mode=mode))  # type: ignore[arg-type]
            ]
            print(f"in-process {mode:7s}: {summary(latencies)}")
        stages: dict[str, list[float]] = {}
        for q in queries:
            timings: dict[str, float] = {}
            searcher.search(q, timings=timings)
            for stage, ms in timings.items():
                stages.setdefault(stage, []).append(ms)
        for name, values in stages.items():
            print(f"  {name:15s}: {summary(values)}")
        print(f"in-process RSS: {rss_mib(os.getpid()):.0f} MiB")
        bench_formats(root)
        if not args.no_http:
            bench_http(root / "index", queries, args.http_requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
