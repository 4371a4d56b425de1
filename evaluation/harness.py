"""Retrieval evaluation: the gold queries, run lexical, dense and hybrid, scored with ir-measures.

Judgements are tied to records by text and citation, never by internal ids: a result
satisfies a judgement when it (or one of the records an exchange joins) quotes the
judgement's snippet and it was published in the judgement's document (its citation or
one of its `also_recorded_in` citations). Each judgement is one "document" in qrels form
(`qid/jN`), so Recall@k is the share of a query's judgements found in the top k.

Usage: python -m evaluation.harness [--index-dir DIR] [--k 10] [--write evaluation/RESULTS.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ir_measures
import numpy as np
from ir_measures import RR, R, Success, nDCG

from indexer.reading.text import match_key
from indexer.records import Record
from search_api.browse import View
from search_api.entry import SearchRequest
from search_api.retrieval import MODES, Mode, Searcher

REPO = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).resolve().parent / "gold" / "queries.jsonl"
# Recall and MRR count the judged answers (grade 2); nDCG also credits related passages (grade 1).
MEASURES = [R(rel=2) @ 1, R(rel=2) @ 5, R(rel=2) @ 10, RR(rel=2) @ 10, nDCG @ 10, Success(rel=2) @ 5]
MEASURE_NAMES = ["Recall@1", "Recall@5", "Recall@10", "MRR@10", "nDCG@10", "Success@5"]


class GoldError(Exception):
    """The gold set is malformed or a snippet is not in its document."""


@dataclass(frozen=True)
class Judgement:
    """A relevant answer: its document, a verbatim snippet, the meeting date and a grade (2 answer, 1 related)."""

    document: str
    contains: str
    meeting_date: str | None
    grade: int


@dataclass(frozen=True)
class GoldQuery:
    """A query as users ask it, its style and its judgements."""

    qid: str
    query: str
    style: str
    relevant: tuple[Judgement, ...]


def load_gold(path: Path = GOLD) -> list[GoldQuery]:
    """Read the gold set (one JSON object a line)."""
    out: list[GoldQuery] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            relevant = tuple(Judgement(**j) for j in data["relevant"])
            out.append(GoldQuery(data["qid"], data["query"], data["style"], relevant))
        except (ValueError, KeyError, TypeError) as exc:
            raise GoldError(f"{path}:{n}: {exc}") from exc
    qids = [q.qid for q in out]
    if len(qids) != len(set(qids)):
        raise GoldError("qids are not unique")
    return out


def check_snippets(gold: Sequence[GoldQuery], root: Path = REPO) -> list[str]:
    """Problems with the gold set: snippets not found verbatim in their documents."""
    keys: dict[str, str] = {}
    problems: list[str] = []
    for q in gold:
        for j in q.relevant:
            path = root / j.document
            if not path.exists():
                problems.append(f"{q.qid}: document {j.document} does not exist")
                continue
            if j.document not in keys:
                keys[j.document] = match_key(path.read_text(encoding="utf-8"))
            if match_key(j.contains) not in keys[j.document]:
                problems.append(f"{q.qid}: snippet not in {j.document}: {j.contains!r}")
    return problems


def satisfies(record: Record, parts: Sequence[Record], judgement: Judgement) -> bool:
    """True when a result quotes the judgement's snippet and was published in its document."""
    documents = {record.citation.document} | {c.document for c in record.also_recorded_in}
    if judgement.document not in documents:
        return False
    snippet = match_key(judgement.contains)
    return any(snippet in match_key(r.text) for r in (record, *parts))


def run_query(searcher: View, q: GoldQuery, mode: Mode, k: int) -> tuple[dict[str, float], bool, int | None]:
    """One query's run in qrels form, whether the top result's date is right, and the first answer's rank."""
    hits = searcher.answer(SearchRequest(q.query, k=k, mode=mode)).hits
    run: dict[str, float] = {}
    first_relevant: int | None = None
    for rank, hit in enumerate(hits, start=1):
        parts = searcher.parts(hit.record)
        matched = [f"{q.qid}/j{n}" for n, j in enumerate(q.relevant) if satisfies(hit.record, parts, j)]
        new = [m for m in matched if m not in run]
        score = float(k - rank + 1)
        for m in new:
            run[m] = score
        # The first *answer* (grade 2), as MRR@10 counts it; a related passage is not one.
        if first_relevant is None and any(j.grade >= 2 and satisfies(hit.record, parts, j) for j in q.relevant):
            first_relevant = rank
        if not new:
            run[f"{q.qid}/other{rank}"] = score
    expected_dates = {j.meeting_date for j in q.relevant}
    date_ok = bool(hits) and hits[0].record.citation.meeting_date in expected_dates
    return run, date_ok, first_relevant


@dataclass
class ModeResult:
    """Aggregate metrics of one mode, with the per-query detail for the report."""

    mode: str
    metrics: dict[str, float]
    date_accuracy: float
    per_query: dict[str, dict[str, float]]
    first_relevant: dict[str, int | None]


def evaluate(searcher: View, gold: Sequence[GoldQuery], k: int = 10, modes: Sequence[Mode] = MODES) -> list[ModeResult]:
    """Run every gold query in every mode and score the runs."""
    qrels = {q.qid: {f"{q.qid}/j{n}": j.grade for n, j in enumerate(q.relevant)} for q in gold}
    results: list[ModeResult] = []
    for mode in modes:
        run: dict[str, dict[str, float]] = {}
        dates: list[bool] = []
        first: dict[str, int | None] = {}
        for q in gold:
            run[q.qid], date_ok, first[q.qid] = run_query(searcher, q, mode, k)
            dates.append(date_ok)
        aggregate = ir_measures.calc_aggregate(MEASURES, qrels, run)
        per_query: dict[str, dict[str, float]] = {}
        for metric in ir_measures.iter_calc([RR(rel=2) @ 10], qrels, run):
            per_query.setdefault(metric.query_id, {})["MRR@10"] = metric.value
        metrics = {name: float(aggregate[m]) for name, m in zip(MEASURE_NAMES, MEASURES, strict=True)}
        results.append(ModeResult(mode, metrics, sum(dates) / len(dates), per_query, first))
    return results


def format_table(results: Sequence[ModeResult]) -> str:
    """A markdown table, one row per mode."""
    header = "| mode | " + " | ".join(MEASURE_NAMES) + " | top result's date correct |"
    lines = [header, "|" + "---|" * (len(MEASURE_NAMES) + 2)]
    for r in results:
        cells = " | ".join(f"{r.metrics[n]:.3f}" for n in MEASURE_NAMES)
        lines.append(f"| {r.mode} | {cells} | {r.date_accuracy:.3f} |")
    return "\n".join(lines)


@dataclass
class EncoderRow:
    """One encoder choice measured on the gold set: hybrid and dense figures, and agreement with PyTorch."""

    passages: str
    queries: str
    hybrid: dict[str, float]
    dense: dict[str, float]
    cosine_mean: float
    cosine_min: float


def compare_encoders(index_dir: Path, gold: Sequence[GoldQuery], k: int, int8_index: Path | None) -> list[EncoderRow]:
    """Every query encoder on the same vectors (and int8 on int8 passages when built), side by side."""
    from indexer.encode.embed import Embedder, EncoderSettings
    from indexer.encode.onnx_encoder import RUNTIMES

    queries = [q.query for q in gold]
    reference = Embedder(settings=EncoderSettings(query_runtime="torch"))
    expected = reference.encode_queries(queries)
    choices = [("torch", runtime, index_dir) for runtime in RUNTIMES]
    if int8_index is not None:
        choices.append(("onnx-int8", "onnx-int8", int8_index))
    rows: list[EncoderRow] = []
    for passages, runtime, directory in choices:
        embedder = Embedder(settings=EncoderSettings(query_runtime=runtime, passage_runtime=passages))
        if embedder.query_runtime != runtime:
            continue  # onnxruntime missing: the embedder fell back to torch
        view = View(Searcher(directory, embedder), include_restricted=False)
        hybrid, dense = evaluate(view, gold, k=k, modes=("hybrid", "dense"))
        vectors = np.vstack([embedder.encode_queries([q]) for q in queries])
        cosine = (vectors * expected).sum(axis=1)
        rows.append(
            EncoderRow(passages, runtime, hybrid.metrics, dense.metrics, float(cosine.mean()), float(cosine.min()))
        )
    return rows


def format_encoders(rows: Sequence[EncoderRow]) -> str:
    """A markdown table of the encoder choices."""
    lines = [
        "| passages | queries | hybrid MRR@10 | hybrid Recall@5 | dense MRR@10 | dense Recall@5 "
        "| query cosine to torch (mean / min) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.passages} | {r.queries} | {r.hybrid['MRR@10']:.3f} | {r.hybrid['Recall@5']:.3f} | "
            f"{r.dense['MRR@10']:.3f} | {r.dense['Recall@5']:.3f} | {r.cosine_mean:.4f} / {r.cosine_min:.4f} |"
        )
    return "\n".join(lines)


def write_report(
    path: Path,
    results: Sequence[ModeResult],
    gold: Sequence[GoldQuery],
    searcher: View,
    k: int,
    encoders: Sequence[EncoderRow] = (),
) -> None:
    """Write evaluation/RESULTS.md: the table, the hybrid breakdown by style, the encoders and the misses."""
    hybrid = next((r for r in results if r.mode == "hybrid"), results[-1])
    styles: dict[str, list[float]] = {}
    for q in gold:
        styles.setdefault(q.style, []).append(hybrid.per_query.get(q.qid, {}).get("MRR@10", 0.0))
    misses = [q for q in gold if hybrid.first_relevant[q.qid] != 1]
    lines = [
        "# Retrieval results",
        "",
        f"{len(gold)} gold queries (`evaluation/gold/queries.jsonl`), {searcher.count} records, "
        f"model {searcher.generation.manifest.model_name} (passages: {searcher.generation.manifest.passage_encoder}, "
        f"queries: {searcher.searcher.embedder.query_runtime}); top {k} results per query. "
        f"Measured {dt.date.today().isoformat()} with:",
        "",
        "```sh",
        "make evaluate    # harness --write RESULTS.md, then extraction, undertakings and realpages --append",
        "```",
        "",
        format_table(results),
        "",
        "Recall@k is the share of a query's judged answers (grade 2) found in the top k; MRR@10 is the mean "
        "reciprocal rank of the first judged answer; nDCG@10 also credits related passages (grade 1); Success@5 "
        "is the share of queries with an answer in the top 5 (all from ir-measures). \"Top result's date "
        "correct\": the first result's meeting date is the date of a judged answer.",
        "",
        "## Hybrid MRR@10 by query style",
        "",
        "| style | queries | MRR@10 |",
        "|---|---|---|",
    ]
    for style, values in sorted(styles.items()):
        lines.append(f"| {style} | {len(values)} | {statistics.fmean(values):.3f} |")
    if encoders:
        lines += [
            "",
            "## Encoders, side by side",
            "",
            "The same gold set with each query encoder on the same float32 passages, and with passages "
            "embedded by the int8 encoder too (a rebuilt index). An index refuses query encoders not measured "
            "safe against its vectors (`indexer/encode/onnx_encoder.py`, `QUERY_ENCODERS_FOR`).",
            "",
            format_encoders(encoders),
        ]
    lines += ["", "## Queries whose first hybrid result is not a judged answer", ""]
    if not misses:
        lines.append("None.")
    for q in misses:
        rank = hybrid.first_relevant[q.qid]
        top = searcher.answer(SearchRequest(q.query, k=1)).hits
        label = top[0].record.citation.label if top else "no result"
        lines.append(f"- `{q.qid}` {q.query!r}: first judged answer at rank {rank or f'>{k}'}; top result: {label}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or open) the index, run the gold set in every mode, print and optionally write the results."""
    parser = argparse.ArgumentParser(description="Evaluate retrieval on the gold queries.")
    parser.add_argument("--index-dir", type=Path, help="an existing index (default: build corpus/ into a temp dir)")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--write", type=Path, help="write the markdown report here")
    parser.add_argument("--no-encoders", action="store_true", help="skip the side-by-side of query encoders")
    args = parser.parse_args(argv)

    gold = load_gold(args.gold)
    problems = check_snippets(gold)
    if problems:
        print("gold set problems:\n" + "\n".join(problems), file=sys.stderr)
        return 1
    from indexer.encode.embed import Embedder, EncoderSettings
    from indexer.index.build import build_index

    embedder = Embedder()
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index_dir
        if index_dir is None:
            index_dir = Path(tmp) / "index"
            build_index(
                [REPO / "corpus"],
                index_dir,
                embedder,
                root=REPO,
                cache_path=REPO / "var" / "cache" / "embeddings.sqlite",
            )
        # As an anonymous user of the API: the one retrieval path, public records only.
        searcher = View(Searcher(index_dir, embedder), include_restricted=False)
        results = evaluate(searcher, gold, k=args.k)
        print(f"{len(gold)} queries, {searcher.count} records\n")
        print(format_table(results))
        encoders: list[EncoderRow] = []
        if not args.no_encoders:
            int8_index = Path(tmp) / "index-int8"
            build_index(
                [REPO / "corpus"],
                int8_index,
                Embedder(settings=EncoderSettings(passage_runtime="onnx-int8", query_runtime="onnx-int8")),
                root=REPO,
                cache_path=REPO / "var" / "cache" / "embeddings.sqlite",
            )
            encoders = compare_encoders(index_dir, gold, args.k, int8_index)
            print("\n" + format_encoders(encoders))
        if args.write:
            write_report(args.write, results, gold, searcher, args.k, encoders)
            print(f"\nwrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
