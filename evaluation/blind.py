"""Blind batches: real pages of panels the reader was not developed on, measured once before anyone studies them.

The protocol (issue 22): a batch is collected from pages no one here has read — no page, and no other
view of a meeting, already listed in `tests/resources/realworld/README.md` — from at least six panels,
at least three of which that README does not list; it is labelled from the text alone (`labels.jsonl`,
the format of the real pages' labels) with queries written the way panel members ask (`queries.jsonl`,
the gold format); then it is measured ONCE (`--first-run`), and only then studied. The first-run
figures measure how the reader generalises; figures after study are development figures and are
labelled so: a batch's folder holds `STUDIED` once its pages have been read, and a later row of a batch
without it is labelled "unstudied". Every first run is kept in `evaluation/blind/RUNS.jsonl`
(append-only); `--append` writes those rows and each batch's figures now into `evaluation/RESULTS.md`.

What is measured on a batch (`evaluation/blind/<batch>/`):
- extraction, as `evaluation/extraction.py` scores the real pages: exchanges paired (and merged into
  others), askers, items (where the page prints them), bodies, wrong meeting dates;
- strict retrieval: MRR@10 where a result counts only when it holds the judged passage AND cites the
  judged meeting date (`evaluation/realpages.py` machinery, panel-search as an anonymous API user); and
  beside it panel-search ignoring dates and txtai's recommended hybrid setup (which cites no meeting).

Usage: python -m evaluation.blind [BATCH ...] [--check | --first-run] [--append evaluation/RESULTS.md] [--no-txtai]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from evaluation.extraction import evaluate_folder, load_labels, shown_path
from evaluation.harness import GoldQuery, load_gold
from evaluation.realpages import (
    Result,
    check_needles,
    page_files,
    run_panel_search,
    run_txtai,
    score_system,
    txtai_version,
)

BLIND = Path(__file__).resolve().parent / "blind"
RUNS = BLIND / "RUNS.jsonl"
QUERIES_FILE = "queries.jsonl"
K = 10


class BlindError(Exception):
    """A batch cannot be measured as asked (no labels, or a first run already recorded)."""


@dataclass(frozen=True)
class Figures:
    """One measurement of one batch."""

    batch: str
    kind: str  # "first run", "development (after study)" or "again, unstudied"
    date: str
    commit: str
    pages: int
    exchanges: int
    paired: float | None
    merged: int
    askers: float | None
    items: float | None
    bodies: float | None
    wrong_dates: int
    queries: int
    strict_mrr: float | None
    mrr: float | None
    txtai_mrr: float | None


def _share(right: int, of: int) -> float | None:
    return round(right / of, 3) if of else None


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def _strict(results: dict[str, list[Result]], gold: Sequence[GoldQuery]) -> dict[str, list[Result]]:
    """Results whose cited meeting date is not the judged one made unable to satisfy (right passage AND meeting)."""
    wanted = {q.qid: {j.meeting_date for j in q.relevant} for q in gold}
    return {
        qid: [r if r.meeting_date in wanted.get(qid, set()) else Result(frozenset(), (), r.meeting_date) for r in rs]
        for qid, rs in results.items()
    }


def measure(folder: Path, kind: str, with_txtai: bool = True) -> Figures:
    """Extraction and retrieval figures of one batch, as it reads today."""
    if not (folder / "labels.jsonl").exists():
        raise BlindError(f"{shown_path(folder)} has no labels.jsonl")
    extraction = evaluate_folder(folder.name, folder)
    counts = extraction.counts()
    exchanges = extraction.exchanges
    gold = load_gold(folder / QUERIES_FILE) if (folder / QUERIES_FILE).exists() else []
    strict = plain = txtai = None
    if gold:
        from indexer.encode.embed import Embedder

        embedder = Embedder()
        pages = page_files([(folder.name, folder)])
        results, _ = run_panel_search(pages, gold, embedder, K)
        plain = score_system("panel-search", gold, results, K).metrics["MRR@10"]
        strict = score_system("panel-search strict", gold, _strict(results, gold), K).metrics["MRR@10"]
        if with_txtai and txtai_version() != "not installed":
            chunks, _ = run_txtai(pages, gold, embedder.path, K)
            txtai = score_system("txtai", gold, chunks, K).metrics["MRR@10"]
    return Figures(
        batch=folder.name,
        kind=kind,
        date=dt.date.today().isoformat(),
        commit=_commit(),
        pages=len(extraction.documents),
        exchanges=len(exchanges),
        paired=_share(*counts["paired"]),
        merged=sum(e.merged for e in exchanges),
        askers=_share(*counts["asker"]),
        items=_share(*counts["item"]),
        bodies=_share(*counts["body"]),
        wrong_dates=len(extraction.dates.wrong),
        queries=len(gold),
        strict_mrr=None if strict is None else round(strict, 3),
        mrr=None if plain is None else round(plain, 3),
        txtai_mrr=None if txtai is None else round(txtai, 3),
    )


def check_batch(folder: Path) -> list[str]:
    """Problems with a batch's labels and queries: a needle that is not on one line of its page exactly once, a page
    with no label, a query whose passage is not in its page (checked before its first run, as labels are written)."""
    problems: list[str] = []
    pages = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.suffix in (".txt", ".html")}
    labels = load_labels(folder / "labels.jsonl")
    if sorted(label.doc for label in labels) != sorted(pages):
        problems.append(f"labelled {sorted(label.doc for label in labels)}, pages {sorted(pages)}")
    for label in labels:
        text = pages.get(label.doc, "")
        for needle in label.needles():
            lines = [line for line in text.splitlines() if needle in line]
            if text.count(needle) != 1 or len(lines) != 1:
                problems.append(f"{label.doc}: needle not once on one line: {needle!r}")
    if (folder / QUERIES_FILE).exists():
        gold = load_gold(folder / QUERIES_FILE)
        problems += check_needles(gold, page_files([(folder.name, folder)]))
        problems += [f"{q.qid}: no page {j.document}" for q in gold for j in q.relevant if j.document not in pages]
    return problems


def recorded(path: Path = RUNS) -> list[Figures]:
    """The first runs recorded so far."""
    if not path.exists():
        return []
    return [Figures(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def record_first_run(figures: Figures, path: Path = RUNS) -> None:
    """Keep a batch's first run; a batch has one, ever."""
    if any(f.batch == figures.batch for f in recorded(path)):
        raise BlindError(f"{figures.batch} already has a first run: it is development data now")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(figures)) + "\n")


def _cell(value: float | int | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


COLUMNS = ["paired", "merged", "askers", "items", "bodies", "wrong_dates", "strict_mrr", "mrr", "txtai_mrr"]


def table(rows: Sequence[Figures]) -> str:
    """A Markdown table of measurements, first runs marked."""
    head = (
        "| batch | figures | date (commit) | pages | exchanges | paired | merged | askers | items | bodies | "
        "wrong dates | queries | strict MRR@10 | MRR@10 ignoring dates | txtai MRR@10 |"
    )
    lines = [head, "|" + "---|" * 15]
    for f in rows:
        cells = [_cell(getattr(f, c)) for c in COLUMNS]
        lines.append(
            f"| {f.batch} | {'**first run**' if f.kind == 'first run' else f.kind} | {f.date} ({f.commit}) | "
            f"{f.pages} | {f.exchanges} | {' | '.join(cells[:6])} | {f.queries} | {' | '.join(cells[6:])} |"
        )
    return "\n".join(lines)


def markdown(first: Sequence[Figures], now: Sequence[Figures]) -> str:
    """The RESULTS.md section: every first run, then each batch as it reads today (development figures)."""
    return "\n".join(
        [
            "## Blind batches (generalisation)",
            "",
            "Real pages of panels the reader was not developed on, labelled from the text alone and measured",
            "once before anyone studied them (`evaluation/blind.py`, protocol in its docstring; batches in",
            "`evaluation/blind/`). The **first run** rows are the measure of generalisation; the rows after",
            'study are development figures ("again, unstudied": measured again, pages not yet read).',
            "Strict MRR@10 counts a result only when it holds the judged",
            "passage and cites the judged meeting; txtai (its recommended hybrid setup) cites no meeting.",
            "",
            "Regenerate: `make evaluate` (`.venv/bin/python -m evaluation.blind --append evaluation/RESULTS.md`)",
            "",
            table([*first, *now]),
            "",
        ]
    )


# A file in a batch's folder saying its pages have been read (when, from which commit): its later rows are
# development figures.
STUDIED = "STUDIED"


def batches() -> list[Path]:
    """Every batch folder under evaluation/blind, in order (batch-2 before batch-10)."""
    if not BLIND.is_dir():
        return []
    found = [p for p in BLIND.iterdir() if p.is_dir() and (p / "labels.jsonl").exists()]
    return sorted(found, key=lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.name)])


def later_kind(folder: Path) -> str:
    """How a batch's row after its first run is labelled: development once studied, else unstudied."""
    return "development (after study)" if (folder / STUDIED).exists() else "again, unstudied"


def main(argv: Sequence[str] | None = None) -> int:
    """Measure batches; record a first run, or append the section to RESULTS.md."""
    parser = argparse.ArgumentParser(description="Blind batches of real pages: first runs and development figures.")
    parser.add_argument("batches", nargs="*", type=Path, help="batch folders (default: every one in evaluation/blind)")
    parser.add_argument("--first-run", action="store_true", help="record this as the batch's one first run")
    parser.add_argument("--append", type=Path, help="append the section to this file (evaluation/RESULTS.md)")
    parser.add_argument("--no-txtai", action="store_true")
    parser.add_argument("--check", action="store_true", help="check the batches' labels and queries, measure nothing")
    args = parser.parse_args(argv)
    folders = args.batches or batches()
    if args.check:
        problems = [f"{folder.name}: {p}" for folder in folders for p in check_batch(folder)]
        print("\n".join(problems) or f"ok: {len(folders)} batch(es)")
        return 1 if problems else 0
    first = recorded()
    now: list[Figures] = []
    try:
        for folder in folders:
            if args.first_run:
                figures = measure(folder, "first run", not args.no_txtai)
                record_first_run(figures)
                first.append(figures)
            elif any(f.batch == folder.name for f in first):
                now.append(measure(folder, later_kind(folder), not args.no_txtai))
            else:  # measuring it here would be its first run, unrecorded
                print(f"blind: {folder.name} has no first run yet: record it with --first-run", file=sys.stderr)
    except BlindError as exc:
        print(f"blind: {exc}", file=sys.stderr)
        return 2
    print(table([*[f for f in first if f.batch in {p.name for p in folders}], *now]))
    if args.append:
        with args.append.open("a", encoding="utf-8") as handle:
            handle.write("\n" + markdown(first, now))
        print(f"\nappended to {args.append}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
