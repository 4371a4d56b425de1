"""Hostile documents fail alone: size, time and memory limits on parsing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from indexer.encode.embed import Embedder
from indexer.index.build import build_index
from indexer.reading.guard import MAX_BYTES, parse_guarded

from .conftest import FIXTURE_CORPUS, REPO

DOCUMENT = FIXTURE_CORPUS / "northshire_2023-03-06.txt"


def test_a_normal_document_parses_as_without_limits() -> None:
    parsed = parse_guarded(DOCUMENT, "x.txt")
    records, report = parsed.records, parsed.report
    assert report.error is None and report.layout == "question_headings"
    assert {r.kind for r in records} >= {"question", "answer", "exchange"}


def test_time_limit() -> None:
    parsed = parse_guarded(DOCUMENT, "x.txt", seconds=0.0001)
    records, report = parsed.records, parsed.report
    assert records == [] and "longer than" in (report.error or "")


def test_memory_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(DOCUMENT.read_text() * 15000)  # about 10 MB: reading it alone needs more than the limit
    # The limit caps how much the parser may grow beyond its parent; run it from a fresh process,
    # as the indexer does, so memory this long test session freed cannot be reused.
    script = (
        "import sys; from pathlib import Path; from indexer.reading.guard import parse_guarded; "
        "p = parse_guarded(Path(sys.argv[1]), 'big.txt', memory=1024 * 1024); records, report = p.records, p.report; "
        "print(len(records), report.error)"
    )
    out = subprocess.run([sys.executable, "-c", script, str(big)], capture_output=True, text=True, cwd=REPO, check=True)
    count, _, error = out.stdout.strip().partition(" ")
    assert count == "0" and error not in ("", "None"), out.stdout


def test_a_huge_document_fails_alone(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    with (corpus / "bomb.txt").open("w") as handle:
        line = "Members asked about the precept. " * 30 + "\n"
        while handle.tell() <= MAX_BYTES:
            handle.write(line * 1000)
    summary = build_index([corpus], tmp_path / "index", embedder, root=tmp_path, cache_path=tmp_path / "c.sqlite")
    errors = {r.document: r.error for r in summary.reports if r.error}
    assert list(errors) == ["corpus/bomb.txt"] and "more than" in errors["corpus/bomb.txt"]
    assert [d.path for d in summary.manifest.documents] == ["corpus/northshire_2023-03-06.txt"]
