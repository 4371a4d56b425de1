"""The blind-batch protocol (evaluation/blind.py): one first run per batch, strict retrieval, the figures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evaluation import blind
from evaluation.blind import BlindError, Figures, _strict, check_batch, measure, record_first_run, recorded, table
from evaluation.blind_queries import REPORT, summary_section
from evaluation.harness import GoldQuery, Judgement
from evaluation.realpages import Result, score_system

from .conftest import RESOURCES

REALWORLD = RESOURCES / "realworld"


def _figures(batch: str, kind: str = "first run") -> Figures:
    return Figures(batch, kind, "2026-12-05", "abc1234", 20, 40, 0.7, 3, 0.5, 0.4, 0.9, 1, 40, 0.69, 0.71, 0.77)


def test_a_batch_has_one_first_run_ever(tmp_path: Path) -> None:
    runs = tmp_path / "RUNS.jsonl"
    record_first_run(_figures("batch-1"), runs)
    record_first_run(_figures("batch-2"), runs)
    with pytest.raises(BlindError, match="batch-1 already has a first run"):
        record_first_run(_figures("batch-1"), runs)
    assert [f.batch for f in recorded(runs)] == ["batch-1", "batch-2"]
    shown = table([*recorded(runs), _figures("batch-1", "development (after study)")])
    assert shown.count("**first run**") == 2 and "development (after study)" in shown


def test_batches_run_in_number_order_and_only_a_studied_batch_gives_development_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("batch-10", "batch-2", "batch-1", "notes"):
        (tmp_path / name).mkdir()
        if name != "notes":
            (tmp_path / name / "labels.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "batch-2" / blind.STUDIED).write_text("read after its first run\n", encoding="utf-8")
    monkeypatch.setattr(blind, "BLIND", tmp_path)
    assert [p.name for p in blind.batches()] == ["batch-1", "batch-2", "batch-10"]
    assert blind.later_kind(tmp_path / "batch-2") == "development (after study)"
    assert blind.later_kind(tmp_path / "batch-10") == "again, unstudied"


def test_strict_retrieval_counts_the_right_passage_only_at_the_right_meeting() -> None:
    judged = Judgement(document="a.txt", contains="the rural crime team", meeting_date="2023-03-10", grade=2)
    gold = [GoldQuery("q1", "rural crime", "keyword", (judged,))]
    right = Result(frozenset({"a.txt"}), ("More on the rural crime team.",), "2023-03-10", cited=True)
    wrong = Result(frozenset({"a.txt"}), ("More on the rural crime team.",), "2022-11-21", cited=True)
    results = {"q1": [wrong, right]}
    assert score_system("plain", gold, results).metrics["MRR@10"] == 1.0
    assert score_system("strict", gold, _strict(results, gold)).metrics["MRR@10"] == 0.5


def test_a_batch_is_measured_from_its_labels_and_queries(tmp_path: Path) -> None:
    """Two labelled fixture pages and one query: the figures are those of the extraction harness and the search."""
    batch = tmp_path / "batch-x"
    batch.mkdir()
    labels = [json.loads(line) for line in (REALWORLD / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    chosen = [label for label in labels if label["doc"].startswith(("02_", "04_"))]
    for label in chosen:
        shutil.copyfile(REALWORLD / label["doc"], batch / label["doc"])
    (batch / "labels.jsonl").write_text("".join(json.dumps(label) + "\n" for label in chosen), encoding="utf-8")
    essex = next(label for label in chosen if label["doc"].startswith("04_"))
    answer = essex["exchanges"][0]["a"]
    query = {
        "qid": "x1",
        "query": essex["exchanges"][0]["q"],
        "style": "paraphrase",
        "relevant": [{"document": essex["doc"], "contains": answer, "meeting_date": essex["date"], "grade": 2}],
    }
    (batch / "queries.jsonl").write_text(json.dumps(query) + "\n", encoding="utf-8")
    figures = measure(batch, "first run", with_txtai=False)
    assert figures.pages == 2 and figures.exchanges == sum(len(label["exchanges"]) for label in chosen)
    assert figures.queries == 1 and figures.txtai_mrr is None
    assert figures.paired is not None and 0.5 <= figures.paired <= 1.0
    assert figures.mrr == 1.0 and figures.strict_mrr == 1.0  # the question finds its own answer, at its meeting
    with pytest.raises(BlindError, match=r"no labels\.jsonl"):
        measure(tmp_path, "first run", with_txtai=False)


def test_a_batch_whose_needle_is_not_once_on_one_line_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text("Cllr Ray asked about the survey.\nThe PCC said the survey\nwas done.\n", "utf-8")
    label = {
        "doc": "p.txt",
        "date": None,
        "body_ok": [None],
        "exchanges": [{"asker": "Ray", "q": "about the survey", "a": "the survey was done"}],
    }
    (tmp_path / "labels.jsonl").write_text(json.dumps(label) + "\n", encoding="utf-8")
    assert check_batch(tmp_path) == [
        "p.txt: needle not once on one line: 'the survey was done'",
    ]


def test_results_carry_the_blind_query_sets_summary_never_a_new_run() -> None:
    record = (
        "# Blind\n\nintro\n\n## Summary: x\n\n| style | first |\n|---|---|\n| all | 0.7 |\n\n## first run\n\nrun text\n"
    )
    section = summary_section(record)
    assert section.startswith("\n## Blind query sets (first run and after change)")
    assert "| all | 0.7 |" in section and "run text" not in section
    with pytest.raises(ValueError, match="no '## Summary' section"):
        summary_section("# Blind\n\n## first run\n")
    # The record kept in the repository has its summary, first runs and after-change runs of every set.
    kept = summary_section(REPORT.read_text(encoding="utf-8"))
    assert all(f"**blind-{n}**" in kept for n in (1, 2, 3))
