"""The evaluation harness: the gold set is sound and the scoring is right on hand-made runs."""

from __future__ import annotations

import re

import ir_measures
import pytest

from evaluation.harness import (
    MEASURE_NAMES,
    MEASURES,
    GoldQuery,
    Judgement,
    check_snippets,
    load_gold,
    satisfies,
)
from indexer.records import Citation, Location, Record


def _record(
    rid: str, kind: str, text: str, document: str, also: tuple[str, ...] = (), parts: tuple[str, ...] = ()
) -> Record:
    def citation(doc: str) -> Citation:
        return Citation("Body", "2022-11-17", None, None, None, None, None, doc, Location((1, 1)), "label")

    return Record(
        id=rid,
        kind=kind,
        text=text,
        citation=citation(document),  # type: ignore[arg-type]
        part_ids=parts,
        also_recorded_in=tuple(citation(d) for d in also),
    )


def test_gold_set_is_sound() -> None:
    gold = load_gold()
    assert len(gold) >= 60
    assert len({q.qid for q in gold}) == len(gold)
    assert check_snippets(gold) == []
    styles = {q.style for q in gold}
    assert {"paraphrase", "keyword", "name_or_figure", "repeat_question", "decision"} <= styles
    for q in gold:
        assert q.relevant and any(j.grade == 2 for j in q.relevant), q.qid
        for j in q.relevant:
            assert j.meeting_date is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", j.meeting_date)
    documents = {j.document for q in gold for j in q.relevant}
    assert len(documents) == 4  # every bundled document is asked about


def test_a_snippet_not_in_its_document_is_reported() -> None:
    bad = GoldQuery(
        "x1", "q", "keyword", (Judgement("corpus/000_47ef9738533878f9.txt", "words nowhere in it", None, 2),)
    )
    missing = GoldQuery("x2", "q", "keyword", (Judgement("corpus/none.txt", "anything", None, 2),))
    problems = check_snippets([bad, missing])
    assert len(problems) == 2 and "snippet not in" in problems[0] and "does not exist" in problems[1]


def test_satisfies_by_text_and_citation() -> None:
    judgement = Judgement("corpus/b.txt", "the proportion was 3.2%", "2022-11-17", 2)
    question = _record("q", "question", "How many officers?", "corpus/a.txt")
    answer = _record("a", "answer", "At the end of July the proportion was 3.2 %.", "corpus/a.txt")
    exchange = _record("e", "exchange", "How many officers?", "corpus/a.txt", also=("corpus/b.txt",), parts=("q", "a"))
    assert satisfies(exchange, [question, answer], judgement)  # via a part, published in b as well
    assert not satisfies(exchange, [question], judgement)  # the snippet is not there
    elsewhere = _record("x", "answer", "the proportion was 3.2%", "corpus/c.txt")
    assert not satisfies(elsewhere, [], judgement)  # right words, wrong document


def test_metrics_on_a_hand_made_run() -> None:
    qrels = {"q1": {"q1/j0": 2}, "q2": {"q2/j0": 2, "q2/j1": 1}}
    run = {
        "q1": {"q1/other1": 10.0, "q1/j0": 9.0},  # the answer at rank 2
        "q2": {"q2/j1": 10.0, "q2/other2": 9.0},  # only a related passage found
    }
    values = ir_measures.calc_aggregate(MEASURES, qrels, run)
    named = {name: values[m] for name, m in zip(MEASURE_NAMES, MEASURES, strict=True)}
    assert named["MRR@10"] == pytest.approx(0.25)
    assert named["Recall@1"] == 0.0
    assert named["Recall@5"] == pytest.approx(0.5)
    assert named["Success@5"] == pytest.approx(0.5)
