"""A blind gold set (queries written by someone else, never tuned on): the bundled corpus and the real pages.

A blind set (`evaluation/gold/blind-N.jsonl`, the format of `queries.jsonl`) mixes queries about the
bundled corpus (`document` is `corpus/...`) with queries about the real pages of `../shared/realdocs-dev`
(`document` is the page's base name; their text stays out of the repository). The corpus is built into one
index, the real pages (copied to a temporary folder) into another, exactly as `evaluation/harness.py` and
`evaluation/realpages.py` build them; every query is run against its own index with `harness.run_query`
and all are scored together with ir-measures: MRR@10 and Recall@5 overall and per style, per mode.

A run is appended to `evaluation/BLIND.md` under a label ("first run, before any change", "after change"),
so the figures of every run stay side by side.

Usage: python -m evaluation.blind [--gold evaluation/gold/blind-1.jsonl] [--label TEXT] [--append evaluation/BLIND.md]
       [--adapt]   (build both indexes with the adapted dense model, as `panel-search index --adapt` does)
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shlex
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import ir_measures
from ir_measures import RR, R

from evaluation.extraction import default_realdocs
from evaluation.harness import REPO, GoldQuery, Judgement, check_snippets, load_gold, run_query
from evaluation.realpages import check_needles, copy_pages, offline, page_files
from search_api.browse import View
from search_api.retrieval import MODES, Mode, Searcher

if TYPE_CHECKING:
    from indexer.embed import Embedder

GOLD = Path(__file__).resolve().parent / "gold" / "blind-1.jsonl"
REPORT = Path(__file__).resolve().parent / "BLIND.md"
MEASURES = [RR(rel=2) @ 10, R(rel=2) @ 5]
NAMES = ["MRR@10", "Recall@5"]


@dataclass
class BlindRun:
    """Per mode: the measures over all queries and per style; per query: hybrid reciprocal rank."""

    overall: dict[str, dict[str, float]]
    styles: dict[str, dict[str, dict[str, float]]]
    per_query: dict[str, dict[str, float]]
    counts: dict[str, int]
    notes: list[str]


def split(gold: Sequence[GoldQuery]) -> tuple[list[GoldQuery], list[GoldQuery]]:
    """The queries about the bundled corpus and those about the real pages."""
    corpus = [q for q in gold if all(j.document.startswith("corpus/") for j in q.relevant)]
    return corpus, [q for q in gold if q not in corpus]


def on_pages(q: GoldQuery, folder: str = "pages") -> GoldQuery:
    """A real-page query with its judgements named as the page index cites them (`pages/<name>`)."""
    relevant = tuple(dataclasses.replace(j, document=f"{folder}/{j.document}") for j in q.relevant)
    return dataclasses.replace(q, relevant=relevant)


def score(gold: Sequence[GoldQuery], runs: dict[str, dict[str, dict[str, float]]]) -> BlindRun:
    """Score each mode's runs over all queries and per style."""
    qrels = {q.qid: {f"{q.qid}/j{n}": j.grade for n, j in enumerate(q.relevant)} for q in gold}
    overall: dict[str, dict[str, float]] = {}
    styles: dict[str, dict[str, dict[str, float]]] = {}
    per_query: dict[str, dict[str, float]] = {}
    for mode, run in runs.items():
        values: dict[str, dict[str, float]] = {q.qid: {} for q in gold}
        for metric in ir_measures.iter_calc(MEASURES, qrels, run):
            values[metric.query_id][NAMES[MEASURES.index(metric.measure)]] = metric.value
        overall[mode] = {n: statistics.fmean(values[q.qid].get(n, 0.0) for q in gold) for n in NAMES}
        for style in sorted({q.style for q in gold}):
            subset = [q for q in gold if q.style == style]
            styles.setdefault(style, {})[mode] = {
                n: statistics.fmean(values[q.qid].get(n, 0.0) for q in subset) for n in NAMES
            }
        per_query[mode] = {q.qid: values[q.qid].get("MRR@10", 0.0) for q in gold}
    counts = {style: sum(q.style == style for q in gold) for style in styles}
    return BlindRun(overall, styles, per_query, counts, [])


def run_index(view: View, gold: Sequence[GoldQuery], modes: Sequence[Mode], k: int) -> dict[str, dict[str, dict]]:
    """Each mode's run (qrels form) of the queries on one index."""
    runs: dict[str, dict[str, dict]] = {}
    for mode in modes:
        runs[mode] = {}
        for q in gold:
            run, _, _ = run_query(view, q, mode, k)
            runs[mode][q.qid] = run or {f"{q.qid}/none": 0.0}
    return runs


def evaluate_blind(
    gold: Sequence[GoldQuery], realdocs: Path, k: int = 10, modes: Sequence[Mode] = MODES, adapt: bool = False
) -> BlindRun:
    """Build the corpus and the real pages (each into a temporary index) and score every query."""
    from indexer.build import build_index
    from indexer.embed import Embedder

    corpus, real = split(gold)
    pages = page_files([("real pages", realdocs)])
    usable = [q for q in real if all(j.document in pages for j in q.relevant)]
    notes = [f"{len(corpus)} queries on the bundled corpus, {len(usable)} on the real pages ({realdocs.name})"]
    if len(usable) < len(real):
        notes.append(f"{len(real) - len(usable)} real-page queries skipped: their pages are absent")
    runs: dict[str, dict[str, dict]] = {mode: {} for mode in modes}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        jobs: list[tuple[list[Path], Path, Path, list[GoldQuery]]] = [
            ([REPO / "corpus"], root / "corpus-index", REPO, corpus)
        ]
        if usable:
            copy_pages({name: pages[name] for q in usable for j in q.relevant for name in [j.document]}, root / "pages")
            jobs.append(([root / "pages"], root / "pages-index", root, [on_pages(q) for q in usable]))
        for paths, index_dir, base, queries in jobs:
            embedder = Embedder()
            build_index(paths, index_dir, embedder, root=base)
            if adapt:
                embedder = _adapt(paths, index_dir, base, embedder)
            view = View(Searcher(index_dir, embedder), include_restricted=False)
            for mode, run in run_index(view, queries, modes, k).items():
                runs[mode].update(run)
    result = score([*corpus, *usable], runs)
    result.notes = notes
    return result


def _adapt(paths: list[Path], index_dir: Path, base: Path, embedder: Embedder) -> Embedder:
    """Adapt the dense model on the index's records and rebuild with it (`panel-search index --adapt`)."""
    from indexer.adapt import adapt_index

    return adapt_index(paths, index_dir, embedder, root=base)


def markdown(result: BlindRun, label: str, gold_path: Path, command: str) -> str:
    """One run's section: overall per mode, then hybrid (and dense) per style."""
    lines = [
        f"## {label}",
        "",
        f"Gold: `{gold_path.relative_to(REPO) if gold_path.is_relative_to(REPO) else gold_path}`; "
        f"measured {dt.date.today().isoformat()} with:",
        "",
        "```sh",
        command,
        "```",
        "",
        *[f"- {n}" for n in result.notes],
        "",
        "| mode | MRR@10 | Recall@5 |",
        "|---|---|---|",
    ]
    for mode, values in result.overall.items():
        lines.append(f"| {mode} | {values['MRR@10']:.3f} | {values['Recall@5']:.3f} |")
    lines += ["", "| style | queries | hybrid MRR@10 | hybrid Recall@5 | dense MRR@10 |", "|---|---|---|---|---|"]
    for style, modes in result.styles.items():
        hybrid = modes.get("hybrid", {})
        dense = modes.get("dense", {})
        lines.append(
            f"| {style} | {result.counts[style]} | {hybrid.get('MRR@10', 0):.3f} | {hybrid.get('Recall@5', 0):.3f} "
            f"| {dense.get('MRR@10', 0):.3f} |"
        )
    misses = [qid for qid, rr in result.per_query.get("hybrid", {}).items() if rr < 1.0]
    lines += ["", f"Queries whose first hybrid result is not an answer: {', '.join(misses) or 'none'}.", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Check the blind set, build, run it in every mode, print and optionally append the section."""
    parser = argparse.ArgumentParser(description="Evaluate retrieval on a blind gold set.")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--realdocs", type=Path, default=None)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--label", default="run")
    parser.add_argument("--adapt", action="store_true", help="build with the adapted dense model")
    parser.add_argument("--append", type=Path, help="append the section to this file (evaluation/BLIND.md)")
    args = parser.parse_args(argv)

    offline()
    gold = load_gold(args.gold)
    corpus, real = split(gold)
    realdocs = args.realdocs or default_realdocs()
    problems = check_snippets(corpus) + check_needles(real, page_files([("real pages", realdocs)]))
    if problems:
        print("gold set problems:\n" + "\n".join(problems), file=sys.stderr)
        return 1
    result = evaluate_blind(gold, realdocs, args.k, adapt=args.adapt)
    command = ".venv/bin/python -m evaluation.blind " + shlex.join(argv if argv is not None else sys.argv[1:])
    text = markdown(result, args.label, args.gold.resolve(), command.strip())
    print(text)
    if args.append:
        if not args.append.exists():
            args.append.write_text(
                "# Blind evaluation\n\nQueries written before any change and never tuned on "
                "(`evaluation/blind.py`). Each run is a section below, oldest first.\n\n",
                encoding="utf-8",
            )
        with args.append.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
        print(f"appended to {args.append}")
    return 0


# Judgement is re-exported for callers that build blind queries in code (tests).
__all__ = ["BlindRun", "Judgement", "evaluate_blind", "score", "split"]

if __name__ == "__main__":
    sys.exit(main())
