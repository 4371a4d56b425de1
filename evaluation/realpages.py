"""Retrieval on real panel pages and our fixtures: panel-search (hybrid) side by side with txtai.

The queries are in `evaluation/gold/realpages.jsonl` (the format of `evaluation/gold/queries.jsonl`,
with `document` the file's base name), written the way panel members ask, from the pages' content
and before either system was run on them. The pages are the real ones other panels publish
(`--realdocs`, default `$PANEL_SEARCH_REALDOCS` else `<repo>/../shared/realdocs-dev`; their text stays
out of the repository) and our fixtures of the same kinds (`--fixtures`, default
`tests/resources/realworld`); a set that is absent is skipped with the queries about it.

- panel-search: the pages copied into a temporary folder, `build_index` with the bundled model,
  `Searcher.search(query, k, mode="hybrid")`, as `evaluation/harness.py` runs it.
- txtai: its recommended BM25 + dense setup, `Embeddings(path=<the same local model folder>,
  hybrid=True, content=True)`, over chunks of the same pages. Chunking: txtai's own
  `Textractor(paragraphs=True, backend=None)` (its HTML-to-Markdown step for web pages, the text as it
  is for .txt; no Tika or Docling), which splits on blank lines; since pages hard-wrapped with a blank
  line between lines give one-line "paragraphs", neighbouring paragraphs are then joined, in order,
  into chunks of up to ~1,000 characters (a longer paragraph stays a chunk of its own).

Nothing is downloaded (HF_HUB_OFFLINE=1; the model is a local folder). Both are scored with
ir-measures (MRR@10, Recall@5, Recall@10, Success@5): a result satisfies a judgement when its text
(for a panel-search exchange, or one of the records it joins) contains the needle (compared with
`match_key`) and it comes from the judgement's document. For panel-search, "cited meeting right" is
the share of queries whose first satisfying result cites the judgement's meeting date (null = null;
a query with no satisfying result in the top k counts as not right).

Usage: python -m evaluation.realpages [--realdocs DIR] [--fixtures DIR] [--k 10] [--write evaluation/REALPAGES.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import ir_measures
from ir_measures import RR, R, Success

from evaluation.extraction import DEFAULT_FIXTURES, default_realdocs, shown_path
from evaluation.harness import GoldQuery, Judgement, load_gold
from indexer.reading.readers import SUPPORTED_SUFFIXES, read_document
from indexer.reading.text import match_key

if TYPE_CHECKING:
    from indexer.encode.embed import Embedder

GOLD = Path(__file__).resolve().parent / "gold" / "realpages.jsonl"
MEASURES = [RR(rel=2) @ 10, R(rel=2) @ 5, R(rel=2) @ 10, Success(rel=2) @ 5]
MEASURE_NAMES = ["MRR@10", "R@5", "R@10", "S@5"]
CHUNK_CHARS = 1000
NOT_PAGES = {"readme.md", "labels.jsonl"}


@dataclass(frozen=True)
class Result:
    """One retrieved item, as scoring needs it: its documents (base names), texts, meeting date and a label."""

    documents: frozenset[str]
    texts: tuple[str, ...]
    meeting_date: str | None = None
    label: str = ""
    cited: bool = False  # the system cites a meeting date (panel-search) or not (txtai)


@dataclass
class SystemScore:
    """A system's metrics over a set of queries, with each query's first relevant rank."""

    system: str
    queries: int
    metrics: dict[str, float]
    meeting_right: float | None
    first_relevant: dict[str, int | None]
    meeting_ok: dict[str, bool] = field(default_factory=dict)
    top: dict[str, str] = field(default_factory=dict)


def offline() -> None:
    """Forbid any model hub download (the model is a local folder); call before a model library loads."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


# --- pages and gold ------------------------------------------------------------------------------


def page_files(folders: Sequence[tuple[str, Path]]) -> dict[str, tuple[str, Path]]:
    """Pages by base name, with the set each belongs to; folders that are absent give none."""
    found: dict[str, tuple[str, Path]] = {}
    for set_name, folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and path.name.lower() not in NOT_PAGES:
                found.setdefault(path.name, (set_name, path))
    return found


def usable_queries(gold: Sequence[GoldQuery], pages: dict[str, tuple[str, Path]]) -> list[GoldQuery]:
    """The queries all of whose judged documents are among the pages found."""
    return [q for q in gold if q.relevant and all(j.document in pages for j in q.relevant)]


def check_needles(gold: Sequence[GoldQuery], pages: dict[str, tuple[str, Path]]) -> list[str]:
    """Judgements whose needle does not stand in their document's text."""
    keys: dict[str, str] = {}
    problems: list[str] = []
    for q in gold:
        for j in q.relevant:
            if j.document not in pages:
                continue
            if j.document not in keys:
                path = pages[j.document][1]
                keys[j.document] = match_key(read_document(path, path.name).text)
            if match_key(j.contains) not in keys[j.document]:
                problems.append(f"{q.qid}: needle not in {j.document}: {j.contains!r}")
    return problems


# --- scoring (pure) --------------------------------------------------------------------------------


def satisfies(result: Result, judgement: Judgement) -> bool:
    """True when the result comes from the judgement's document and its text contains the needle."""
    if judgement.document not in result.documents:
        return False
    needle = match_key(judgement.contains)
    return any(needle in match_key(t) for t in result.texts)


def query_run(q: GoldQuery, results: Sequence[Result], k: int) -> tuple[dict[str, float], int | None, bool]:
    """One query's run in qrels form, the rank of its first satisfying result and whether it cites the meeting."""
    run: dict[str, float] = {}
    first: int | None = None
    meeting_ok = False
    for rank, result in enumerate(results[:k], start=1):
        matched = [n for n, j in enumerate(q.relevant) if satisfies(result, j)]
        score = float(k - rank + 1)
        new = [f"{q.qid}/j{n}" for n in matched if f"{q.qid}/j{n}" not in run]
        for m in new:
            run[m] = score
        if not new:
            run[f"{q.qid}/other{rank}"] = score
        if matched and first is None:
            first = rank
            meeting_ok = result.cited and any(result.meeting_date == q.relevant[n].meeting_date for n in matched)
    if not run:
        run[f"{q.qid}/none"] = 0.0  # keeps an empty answer in the average
    return run, first, meeting_ok


def score_system(system: str, gold: Sequence[GoldQuery], results: dict[str, list[Result]], k: int = 10) -> SystemScore:
    """Score one system's results for every query with ir-measures."""
    qrels = {q.qid: {f"{q.qid}/j{n}": j.grade for n, j in enumerate(q.relevant)} for q in gold}
    run: dict[str, dict[str, float]] = {}
    first: dict[str, int | None] = {}
    meeting: dict[str, bool] = {}
    for q in gold:
        run[q.qid], first[q.qid], meeting[q.qid] = query_run(q, results.get(q.qid, []), k)
    aggregate = ir_measures.calc_aggregate(MEASURES, qrels, run) if gold else {}
    metrics = {name: float(aggregate.get(m, 0.0)) for name, m in zip(MEASURE_NAMES, MEASURES, strict=True)}
    cites = any(r.cited for rs in results.values() for r in rs)
    right = sum(meeting.values()) / len(gold) if gold and cites else None
    top = {qid: rs[0].label for qid, rs in results.items() if rs}
    return SystemScore(system, len(gold), metrics, right, first, meeting, top)


# --- the two systems -------------------------------------------------------------------------------


def copy_pages(pages: dict[str, tuple[str, Path]], folder: Path) -> None:
    """Copy the pages into one folder (they are indexed from there, by base name)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (_, path) in pages.items():
        shutil.copyfile(path, folder / name)


def run_panel_search(
    pages: dict[str, tuple[str, Path]], gold: Sequence[GoldQuery], embedder: Embedder, k: int
) -> tuple[dict[str, list[Result]], dict[str, object]]:
    """Index the pages with panel-search and run every query in hybrid mode."""
    from indexer.index.build import build_index
    from search_api.browse import View
    from search_api.entry import SearchRequest
    from search_api.retrieval import Searcher

    out: dict[str, list[Result]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy_pages(pages, root / "pages")
        started = time.perf_counter()
        summary = build_index([root / "pages"], root / "index", embedder, root=root)
        built = time.perf_counter() - started
        # As an anonymous user of the API: the one retrieval path, public records only.
        searcher = View(Searcher(root / "index", embedder), include_restricted=False)
        for q in gold:
            results: list[Result] = []
            for hit in searcher.answer(SearchRequest(q.query, k=k, mode="hybrid")).hits:
                record = hit.record
                documents = {Path(record.citation.document).name} | {
                    Path(c.document).name for c in record.also_recorded_in
                }
                texts = (record.text, *(p.text for p in searcher.parts(record)))
                label = f"{record.kind}: {record.citation.label}"
                results.append(Result(frozenset(documents), texts, record.citation.meeting_date, label, cited=True))
            out[q.qid] = results
        info: dict[str, object] = {"records": searcher.count, "build seconds": round(built, 1)}
        records = searcher.generation.all_records()
        info["mean chars"] = round(sum(len(r.text) for r in records) / max(1, len(records)))
        info["layouts"] = {r.document: r.layout for r in summary.reports}
    return out, info


def join_paragraphs(paragraphs: Sequence[str], limit: int = CHUNK_CHARS) -> list[str]:
    """Neighbouring paragraphs joined, in order, into chunks of at most `limit` characters (a longer one alone)."""
    chunks: list[str] = []
    current = ""
    for p in (p.strip() for p in paragraphs):
        if not p:
            continue
        if current and len(current) + 1 + len(p) <= limit:
            current = f"{current}\n{p}"
        else:
            if current:
                chunks.append(current)
            current = p
    if current:
        chunks.append(current)
    return chunks


def txtai_chunks(path: Path) -> list[str]:
    """A page's chunks for txtai: Textractor(paragraphs=True) paragraphs joined up to ~1,000 characters."""
    from txtai.pipeline import Textractor

    paragraphs = Textractor(paragraphs=True, backend=None)(str(path))
    return join_paragraphs(paragraphs if isinstance(paragraphs, list) else [paragraphs])


def run_txtai(
    pages: dict[str, tuple[str, Path]], gold: Sequence[GoldQuery], model_path: Path, k: int
) -> tuple[dict[str, list[Result]], dict[str, object]]:
    """Index the pages' chunks with txtai's hybrid (BM25 + dense) embeddings and run every query."""
    offline()
    from txtai import Embeddings

    documents: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    for name, (_, path) in pages.items():
        for n, chunk in enumerate(txtai_chunks(path), start=1):
            cid = f"{name}#{n}"
            documents[cid] = name
            rows.append({"id": cid, "text": chunk})
    started = time.perf_counter()
    embeddings = Embeddings(path=str(model_path), hybrid=True, content=True)
    embeddings.index(rows)
    built = time.perf_counter() - started
    out: dict[str, list[Result]] = {}
    for q in gold:
        hits = embeddings.search(q.query, k)
        out[q.qid] = [
            Result(frozenset({documents[str(h["id"])]}), (str(h["text"]),), None, f"chunk {h['id']}") for h in hits
        ]
    mean = round(sum(len(r["text"]) for r in rows) / max(1, len(rows)))
    return out, {"chunks": len(rows), "build seconds": round(built, 1), "mean chars": mean}


def txtai_version() -> str:
    """The installed txtai version, or "not installed"."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("txtai")
    except PackageNotFoundError:
        return "not installed"


# --- output ----------------------------------------------------------------------------------------


def format_table(rows: Sequence[tuple[str, SystemScore]]) -> str:
    """A markdown table: system (and query set), the four measures and "cited meeting right"."""
    lines = [
        "| system | queries | " + " | ".join(MEASURE_NAMES) + " | cited meeting right |",
        "|" + "---|" * (len(MEASURE_NAMES) + 3),
    ]
    for name, s in rows:
        cells = " | ".join(f"{s.metrics[m]:.3f}" for m in MEASURE_NAMES)
        right = "–" if s.meeting_right is None else f"{s.meeting_right:.3f}"
        lines.append(f"| {name} | {s.queries} | {cells} | {right} |")
    return "\n".join(lines)


def miss_lines(gold: Sequence[GoldQuery], scores: Sequence[SystemScore], k: int) -> list[str]:
    """Per system, the queries whose first result does not satisfy a judgement (or cites the wrong meeting)."""
    out: list[str] = []
    for s in scores:
        for q in gold:
            rank = s.first_relevant.get(q.qid)
            wrong_meeting = s.meeting_right is not None and rank is not None and not s.meeting_ok.get(q.qid)
            if rank == 1 and not wrong_meeting:
                continue
            where = f"first relevant at rank {rank}" if rank else f"nothing relevant in the top {k}"
            line = f"{s.system}: `{q.qid}` {q.query!r}: {where}; top: {s.top.get(q.qid, 'no result')}"
            if wrong_meeting:
                line += f"; cited meeting wrong (want {q.relevant[0].meeting_date})"
            out.append(line)
    return out


def score_rows(
    gold: Sequence[GoldQuery],
    pages: dict[str, tuple[str, Path]],
    systems: Sequence[tuple[str, dict[str, list[Result]]]],
    k: int,
) -> list[tuple[str, SystemScore]]:
    """Each system over all queries, then over each set's queries when there is more than one set."""
    sets = sorted({pages[q.relevant[0].document][0] for q in gold})
    rows: list[tuple[str, SystemScore]] = [(name, score_system(name, gold, results, k)) for name, results in systems]
    if len(sets) > 1:
        for set_name in sets:
            subset = [q for q in gold if pages[q.relevant[0].document][0] == set_name]
            rows += [(f"{name} ({set_name})", score_system(name, subset, results, k)) for name, results in systems]
    return rows


COMMAND = "make evaluate   # .venv/bin/python -m evaluation.realpages --append evaluation/RESULTS.md"


def markdown(rows: Sequence[tuple[str, SystemScore]], misses: Sequence[str], notes: Sequence[str], k: int) -> str:
    """The Markdown section: the table, the command, the date, the set-up and the misses."""
    lines = [
        "## Retrieval on real pages: panel-search and txtai",
        "",
        f"Measured {dt.date.today().isoformat()} with `{COMMAND}`; queries in `evaluation/gold/realpages.jsonl`, "
        f"top {k} results per query.",
        "",
        format_table(rows),
        "",
        *[f"- {n}" for n in notes],
        "",
        "A result is relevant when it comes from the judged document and its text (for a panel-search exchange, or "
        "a record it joins) contains the judged needle. Cited meeting right: the first relevant result cites the "
        "judged meeting date (null = null); a query with nothing relevant counts as not right.",
        "",
        "### Misses (first result not relevant, or citing the wrong meeting)",
        "",
    ]
    lines += [f"- {m}" for m in misses] or ["None."]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Index the pages with both systems, run the queries, print the table and misses; optionally write Markdown."""
    parser = argparse.ArgumentParser(description="panel-search and txtai on the real pages and fixtures.")
    parser.add_argument("--realdocs", type=Path, default=None)
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--no-txtai", action="store_true", help="run panel-search alone")
    parser.add_argument("--write", type=Path, help="write a Markdown section here (e.g. evaluation/REALPAGES.md)")
    parser.add_argument("--append", type=Path, help="append the Markdown section to this file (evaluation/RESULTS.md)")
    args = parser.parse_args(argv)

    folders = [("real pages", args.realdocs or default_realdocs()), ("fixtures", args.fixtures)]
    pages = page_files(folders)
    notes = [
        f"{label}: {'not found (' + shown_path(folder) + '), skipped' if not folder.is_dir() else 'read'}"
        for label, folder in folders
    ]
    all_gold = load_gold(args.gold)
    gold = usable_queries(all_gold, pages)
    if len(gold) < len(all_gold):
        notes.append(f"{len(all_gold) - len(gold)} queries skipped: their documents are absent")
    if not gold:
        print("no queries whose pages are present; nothing to do", file=sys.stderr)
        return 0
    problems = check_needles(gold, pages)
    if problems:
        print("gold set problems:\n" + "\n".join(problems), file=sys.stderr)
        return 1

    offline()
    from indexer.encode.embed import Embedder

    embedder = Embedder()
    systems: list[tuple[str, dict[str, list[Result]]]] = []
    results, info = run_panel_search(pages, gold, embedder, args.k)
    systems.append(("panel-search hybrid", results))
    notes.append(
        f"panel-search: {info['records']} records (mean {info['mean chars']} characters) from {len(pages)} pages, "
        f"built in {info['build seconds']} s"
    )
    if not args.no_txtai:
        version = txtai_version()
        if version == "not installed":
            notes.append("txtai: not installed (`.venv/bin/pip install txtai`), skipped")
        else:
            results, info = run_txtai(pages, gold, embedder.path, args.k)
            systems.append((f"txtai {version} hybrid", results))
            notes.append(
                f"txtai {version}: Embeddings(path=<{embedder.name} folder>, hybrid=True, content=True), "
                f"{info['chunks']} chunks (mean {info['mean chars']} characters; Textractor paragraphs joined up to "
                f"{CHUNK_CHARS}), "
                f"built in {info['build seconds']} s"
            )
    rows = score_rows(gold, pages, systems, args.k)
    overall = [s for name, s in rows if "(" not in name]
    misses = miss_lines(gold, overall, args.k)
    print(f"{len(gold)} queries over {len(pages)} pages\n")
    print(format_table(rows))
    print()
    for n in notes:
        print(f"  {n}")
    print("\nMisses:" if misses else "\nNo misses.")
    for m in misses:
        print(f"  {m}")
    if args.write:
        args.write.write_text(markdown(rows, misses, notes, args.k), encoding="utf-8")
        print(f"\nwrote {args.write}")
    if args.append:
        with args.append.open("a", encoding="utf-8") as handle:
            handle.write("\n" + markdown(rows, misses, notes, args.k))
        print(f"\nappended to {args.append}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
