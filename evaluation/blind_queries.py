"""A blind gold set (queries written by someone else, never tuned on): the bundled corpus and the real pages.

A blind set (`evaluation/gold/blind-N.jsonl`, the format of `queries.jsonl`) mixes queries about the
bundled corpus (`document` is `corpus/...`) with queries about the real pages of `../shared/realdocs-dev`
(`document` is the page's base name; their text stays out of the repository). The corpus is built into one
index, the real pages (copied to a temporary folder) into another, exactly as `evaluation/harness.py` and
`evaluation/realpages.py` build them; every query is run against its own index with `harness.run_query`
and all are scored together with ir-measures: MRR@10 and Recall@5 overall and per style, per mode.

A run is appended to `evaluation/BLIND.md` under a label ("first run, before any change", "after change"),
so the figures of every run stay side by side.

Usage: python -m evaluation.blind_queries [--gold evaluation/gold/blind-1.jsonl] [--label TEXT]
       [--append evaluation/BLIND.md]
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
from typing import TYPE_CHECKING, Any

import ir_measures
from ir_measures import RR, R

from evaluation.extraction import default_realdocs
from evaluation.harness import REPO, GoldQuery, Judgement, check_snippets, load_gold, run_query, satisfies
from evaluation.realpages import check_needles, copy_pages, offline, page_files
from indexer.index.adapt import AdaptSettings as AdaptDefaults
from search_api.browse import View
from search_api.retrieval import MODES, Mode, Searcher

if TYPE_CHECKING:
    from indexer.index.adapt import AdaptSettings

GOLD = Path(__file__).resolve().parent / "gold" / "blind-1.jsonl"
REPORT = Path(__file__).resolve().parent / "BLIND.md"
CACHE = REPO / "var" / "cache" / "embeddings.sqlite"
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
    unseen: set[str] = dataclasses.field(default_factory=set)


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
    gold: Sequence[GoldQuery],
    realdocs: Path,
    k: int = 10,
    modes: Sequence[Mode] = MODES,
    adapt: AdaptSettings | None = None,
) -> dict[str, BlindRun]:
    """Build the corpus and the real pages (each into a temporary index) and score every query: with the stock
    model, and when `adapt` is given with the model adapted on each index's records too (side by side)."""
    from indexer.encode.embed import Embedder
    from indexer.index.adapt import adapt_index, group_of, held_out
    from indexer.index.build import build_index

    corpus, real = split(gold)
    pages = page_files([("real pages", realdocs)])
    usable = [q for q in real if all(j.document in pages for j in q.relevant)]
    notes = [f"{len(corpus)} queries on the bundled corpus, {len(usable)} on the real pages ({realdocs.name})"]
    if len(usable) < len(real):
        notes.append(f"{len(real) - len(usable)} real-page queries skipped: their pages are absent")
    variants = ["stock", "adapted"] if adapt else ["stock"]
    runs: dict[str, dict[str, dict[str, dict]]] = {v: {mode: {} for mode in modes} for v in variants}
    unseen: set[str] = set()  # queries whose answers lie only in items held out of training
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
            build_index(paths, index_dir, embedder, root=base, cache_path=CACHE)
            view = View(Searcher(index_dir, embedder), include_restricted=False)
            for mode, run in run_index(view, queries, modes, k).items():
                runs["stock"][mode].update(run)
            if adapt is None:
                continue
            unseen |= {q.qid for q in queries if _answers_held_out(view, q, adapt.holdout, group_of, held_out)}
            adapted, report, _ = adapt_index(paths, index_dir, embedder, root=base, settings=adapt, cache_path=CACHE)
            notes.append(
                f"adapted on {index_dir.name}: {report.trained} pairs trained ({report.pairs}), {report.held_out} held "
                f"out ({adapt.holdout:.0%} of items), {report.steps} steps in {report.seconds:.0f} s"
            )
            view = View(Searcher(index_dir, adapted), include_restricted=False)
            for mode, run in run_index(view, queries, modes, k).items():
                runs["adapted"][mode].update(run)
    everything = [*corpus, *usable]
    out = {v: score(everything, runs[v]) for v in variants}
    for result in out.values():
        result.notes = notes
        result.unseen = unseen
    return out


def _answers_held_out(view: View, q: GoldQuery, share: float, group_of: Any, held_out: Any) -> bool:
    """True when every record answering the query sits in an item held out of training (unseen by the model)."""
    groups = set()
    for record in view.generation.all_records():
        if record.kind == "undertaking":
            continue
        parts = view.parts(record)
        if any(j.grade >= 2 and satisfies(record, parts, j) for j in q.relevant):
            groups |= {group_of(r) for r in (record, *parts)}
    return bool(groups) and all(held_out(g, share) for g in groups)


def _subset_mean(result: BlindRun, mode: str, qids: set[str]) -> float:
    values = [rr for qid, rr in result.per_query.get(mode, {}).items() if qid in qids]
    return statistics.fmean(values) if values else 0.0


def markdown(results: dict[str, BlindRun], label: str, gold_path: Path, command: str) -> str:
    """One run's section: overall per mode, then hybrid (and dense) per style; with an adapted model, the stock
    and adapted figures side by side, and apart for queries about items held out of training."""
    stock = results["stock"]
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
        *[f"- {n}" for n in stock.notes],
        "",
    ]
    names = list(results)
    lines += [
        "| mode | " + " | ".join(f"{v} MRR@10 | {v} Recall@5" for v in names) + " |",
        "|---|" + "---|---|" * len(names),
    ]
    for mode in stock.overall:
        cells = " | ".join(
            f"{r.overall[mode]['MRR@10']:.3f} | {r.overall[mode]['Recall@5']:.3f}" for r in results.values()
        )
        lines.append(f"| {mode} | {cells} |")
    lines += [
        "",
        "| style | queries | "
        + " | ".join(f"{v} hybrid MRR@10 | {v} hybrid Recall@5 | {v} dense MRR@10" for v in names)
        + " |",
        "|---|---|" + "---|---|---|" * len(names),
    ]
    for style in stock.styles:
        cells = " | ".join(
            f"{r.styles[style]['hybrid']['MRR@10']:.3f} | {r.styles[style]['hybrid']['Recall@5']:.3f} | "
            f"{r.styles[style].get('dense', {}).get('MRR@10', 0):.3f}"
            for r in results.values()
        )
        lines.append(f"| {style} | {stock.counts[style]} | {cells} |")
    if len(results) > 1:
        everything = set(stock.per_query["hybrid"])
        seen = everything - stock.unseen
        lines += [
            "",
            "Memorising guard: MRR@10 on queries whose answers the model never trained on, and on the rest.",
            "",
        ]
        lines += ["| queries | count | " + " | ".join(f"{v} hybrid | {v} dense" for v in names) + " |"]
        lines += ["|---|---|" + "---|---|" * len(names)]
        for name, qids in (("answers held out of training", stock.unseen), ("answers in trained items", seen)):
            cells = " | ".join(
                f"{_subset_mean(r, 'hybrid', qids):.3f} | {_subset_mean(r, 'dense', qids):.3f}"
                for r in results.values()
            )
            lines.append(f"| {name} | {len(qids)} | {cells} |")
    for name, result in results.items():
        misses = [qid for qid, rr in result.per_query.get("hybrid", {}).items() if rr < 1.0]
        lines += ["", f"{name}: queries whose first hybrid result is not an answer: {', '.join(misses) or 'none'}."]
    return "\n".join(lines) + "\n"


def summary_section(record: str) -> str:
    """The summary of evaluation/BLIND.md (first run and after change, per blind set) as a RESULTS.md section.

    Blind runs are measured once each and recorded there; RESULTS.md carries their summary, never a new run.
    """
    start = record.find("## Summary")
    if start < 0:
        raise ValueError("evaluation/BLIND.md has no '## Summary' section")
    end = record.find("\n## ", start + 1)
    body = record[start : end if end >= 0 else None].split("\n", 1)[1].strip()
    return (
        "\n## Blind query sets (first run and after change)\n\nCopied from `evaluation/BLIND.md`, where each run is "
        "recorded once with its command (`evaluation/blind_queries.py`).\n\n" + body + "\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Check the blind set, build, run it in every mode, print and optionally append the section."""
    parser = argparse.ArgumentParser(description="Evaluate retrieval on a blind gold set.")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--realdocs", type=Path, default=None)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--label", default="run")
    parser.add_argument("--adapt", action="store_true", help="also adapt the dense model and measure it side by side")
    parser.add_argument("--holdout", type=float, default=0.5, help="share of items held out of adaptation")
    parser.add_argument("--epochs", type=int, default=AdaptDefaults.epochs)
    parser.add_argument("--max-steps", type=int, default=0)
    parser.add_argument("--append", type=Path, help="append the section to this file (evaluation/BLIND.md)")
    parser.add_argument(
        "--summary",
        type=Path,
        metavar="RESULTS",
        help="measure nothing: append BLIND.md's summary of first runs and after-change runs to this file",
    )
    args = parser.parse_args(argv)
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as handle:
            handle.write(summary_section(REPORT.read_text(encoding="utf-8")))
        print(f"appended the blind query sets' summary to {args.summary}")
        return 0

    offline()
    gold = load_gold(args.gold)
    corpus, real = split(gold)
    realdocs = args.realdocs or default_realdocs()
    problems = check_snippets(corpus) + check_needles(real, page_files([("real pages", realdocs)]))
    if problems:
        print("gold set problems:\n" + "\n".join(problems), file=sys.stderr)
        return 1
    from indexer.index.adapt import AdaptSettings

    adapt = AdaptSettings(epochs=args.epochs, max_steps=args.max_steps, holdout=args.holdout) if args.adapt else None
    result = evaluate_blind(gold, realdocs, args.k, adapt=adapt)
    command = ".venv/bin/python -m evaluation.blind_queries " + shlex.join(argv if argv is not None else sys.argv[1:])
    text = markdown(result, args.label, args.gold.resolve(), command.strip())
    print(text)
    if args.append:
        if not args.append.exists():
            args.append.write_text(
                "# Blind evaluation\n\nQueries written before any change and never tuned on "
                "(`evaluation/blind_queries.py`). Each run is a section below, oldest first.\n\n",
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
