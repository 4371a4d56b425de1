"""The extraction harness (evaluation/extraction.py) and the pure parts of evaluation/realpages.py.

Scoring is tested on tiny hand-made records and labels; one test runs the harness on the real
pages in `../shared/realdocs-dev` (skipped when that folder is absent), asserting only that every
labelled document was parsed and scored. No model is loaded here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.extraction import (
    DEFAULT_FIXTURES,
    LABELS_FILE,
    DocLabel,
    ExchangeLabel,
    asker_right,
    body_right,
    check_report,
    evaluate_folder,
    expected_dates,
    format_table,
    item_right,
    label_from_dict,
    load_labels,
    normalise_item,
    score_coverage,
    score_dates,
    score_document,
    score_exchanges,
)
from evaluation.harness import GoldQuery, Judgement, load_gold
from evaluation.realpages import GOLD as REALPAGES_GOLD
from evaluation.realpages import Result, join_paragraphs, satisfies, score_system
from indexer.reading.parse import DocumentReport
from indexer.reading.text import match_key
from indexer.records import Citation, Location, Record

REPO = Path(__file__).resolve().parent.parent
REALDOCS = REPO.parent / "shared" / "realdocs-dev"


def record(
    rid: str,
    kind: str,
    text: str,
    *,
    date: str | None = None,
    asker: str | None = None,
    body: str | None = None,
    item: str | None = None,
    parts: tuple[str, ...] = (),
) -> Record:
    """A record with just the fields the scoring reads."""
    citation = Citation(body, date, item, None, asker, None, None, "doc.txt", Location((1, 1)), "label")
    return Record(id=rid, kind=kind, text=text, citation=citation, part_ids=parts)  # type: ignore[arg-type]


LABEL = DocLabel(
    doc="doc.txt",
    date="2022-11-21",
    body_ok=("Surrey Police and Crime Panel",),
    item_ok=("81",),
    exchanges=(
        ExchangeLabel(q="asked about road racing", a="she was against it", asker="Witham"),
        ExchangeLabel(q="asked about the gantry protest", a="officers were kept safe", asker="Gillman"),
    ),
)


def test_a_paired_exchange_and_one_left_apart() -> None:
    """An exchange record holding question and answer pairs; a question and answer in separate records do not."""
    records = [
        record(
            "e1",
            "exchange",
            "Cllr Witham asked about road racing. She was against it.",
            date="2022-11-21",
            asker="Cllr Keith Witham",
            body="Surrey Police and Crime Panel",
            item="Item 81",
        ),
        record("q2", "question", "Cllr Gillman asked about the gantry protest.", date="2022-11-21"),
        record("a2", "answer", "The PCC said officers were kept safe.", date="2022-11-21"),
    ]
    first, second = score_exchanges(LABEL, records)
    assert first.paired and first.record_id == "e1"
    assert first.asker_ok and first.body_ok and first.item_ok and first.date_ok
    assert not second.found and not second.paired
    assert second.record_id == "q2"  # the best record holding the question
    assert "answer needle in: answer a2" in second.note
    assert not second.asker_ok and not second.body_ok


def test_a_merged_exchange_is_found_but_not_paired() -> None:
    """One exchange record swallowing two labelled questions is merged for both."""
    text = "Asked about road racing: she was against it. Asked about the gantry protest: officers were kept safe."
    scores = score_exchanges(LABEL, [record("m", "exchange", text, date="2022-11-21")])
    assert all(s.found and s.merged and not s.paired for s in scores)
    assert "gantry" in scores[0].note


def test_the_parts_of_an_exchange_count_as_its_text() -> None:
    """An exchange whose own text lacks the answer still holds it through the parts it joins."""
    records = [
        record("q", "question", "Asked about road racing."),
        record("a", "answer", "She was against it."),
        record("e", "exchange", "Asked about road racing.", parts=("q", "a")),
    ]
    assert score_exchanges(LABEL, records)[0].paired


def test_an_unanswered_question_pairs_with_a_question_record() -> None:
    """With a null answer needle, a question record holding the question needle is found."""
    label = DocLabel("doc.txt", None, exchanges=(ExchangeLabel(q="queried when it would be published"),))
    found = score_exchanges(label, [record("q", "question", "A Member queried when it would be published.")])[0]
    assert found.paired and found.date_ok  # null date expected, null cited
    minute = score_exchanges(label, [record("m", "minute", "A Member queried when it would be published.")])[0]
    assert not minute.found and minute.record_kind == "minute"


def test_a_wrong_date_is_counted_and_listed() -> None:
    """A non-null date that is not the meeting's is wrong; precision and recall fall with it."""
    records = [
        record("r1", "minute", "The deadline was 15 September.", date="2022-09-15"),
        record("r2", "minute", "Key points raised.", date="2022-11-21"),
    ]
    score = score_dates(LABEL, records)
    assert [(w.record_id, w.cited, w.expected) for w in score.wrong] == [("r1", "2022-09-15", ("2022-11-21",))]
    assert (score.correct, score.cited, score.expected_known) == (1, 2, 2)
    assert score.precision == 0.5 and score.recall == 0.5


def test_a_null_date_is_not_counted_wrong() -> None:
    """A record citing no date is never wrong: it lowers recall only."""
    score = score_dates(LABEL, [record("r", "minute", "Key points raised.")])
    assert score.wrong == [] and score.precision is None and score.recall == 0.0
    undated = DocLabel("doc.txt", None)
    score = score_dates(undated, [record("r", "minute", "Key points.", date="2020-01-01")])
    assert [w.expected for w in score.wrong] == [(None,)]  # a date where the page states none is wrong
    assert score_dates(undated, [record("r", "minute", "Key points.")]).wrong == []


def test_dates_by_needle_decide_each_records_meeting() -> None:
    """On a page of two meetings each record's date comes from the needle it holds; others are not scored."""
    label = label_from_dict(
        {
            "doc": "two.txt",
            "date": None,
            "dates_by_needle": {"No questions had been received": "2019-02-08"},
            "exchanges": [{"asker": "Derrick", "q": "due process has been followed", "a": None, "date": "2017-02-03"}],
        }
    )
    assert expected_dates(label, "no QUESTIONS had been received.") == {"2019-02-08"}
    assert expected_dates(label, "Do members consider that due process has been followed?") == {"2017-02-03"}
    assert expected_dates(label, "Questions must be received five days before.") is None
    records = [
        record("a", "minute", "No questions had been received.", date="2019-02-08"),
        record("b", "question", "Has due process has been followed?", date="2019-02-08"),
        record("c", "minute", "Questions must be received five days before.", date="2019-02-08"),
    ]
    score = score_dates(label, records)
    assert score.scored == 2 and score.correct == 1 and [w.record_id for w in score.wrong] == ["b"]


def test_the_asker_rules() -> None:
    """A named asker must stand in the cited asker; a null one accepts None or a group or role."""
    assert asker_right("Witham", "Cllr Keith Witham")
    assert asker_right("Neighbourhood Watch", "neighbourhood watch representative")
    assert not asker_right("Mackrory", "Councillor Mike")
    assert not asker_right("Witham", None)
    assert asker_right(None, None)
    assert asker_right(None, "The Panel")
    assert asker_right(None, "A Panel Member")
    assert asker_right(None, "member of the public")
    assert not asker_right(None, "Cllr Smith")


def test_body_and_item_rules() -> None:
    """Bodies compare whole (a null in body_ok accepts None); items compare by their number."""
    assert body_right(["Surrey Police and Crime Panel"], "Surrey  Police and Crime Panel")
    assert not body_right(["Devon and Cornwall Police and Crime Panel"], "Cornwall Police and Crime Panel")
    assert body_right([None, "Sussex Police and Crime Panel"], None)
    assert not body_right(["Sussex Police and Crime Panel"], None)
    assert normalise_item("Agenda Item 5.") == "5"
    assert normalise_item("Minute 61") == "61"
    assert normalise_item("item 45/22") == "45/22"
    assert item_right(["81"], "Item 81") and item_right(["9A"], "9a")
    assert item_right(["5"], None) is False and item_right([], "5") is None


def test_an_exchange_item_is_skipped_when_the_label_gives_none() -> None:
    """item_ok absent and no item on the exchange: item is not scored."""
    label = DocLabel("doc.txt", None, exchanges=(ExchangeLabel(q="why can PCSOs not", a="all PCSOs have"),))
    score = score_exchanges(label, [record("e", "exchange", "Why can PCSOs not... All PCSOs have powers.")])[0]
    assert score.item_ok is None and score.paired


def test_coverage_is_a_word_multiset_overlap() -> None:
    """Coverage counts document words quoted by some record; an exchange is not counted over its parts."""
    records = [
        record("q", "question", "the panel asked"),
        record("a", "answer", "the PCC answered"),
        record("e", "exchange", "the panel asked the PCC answered", parts=("q", "a")),
    ]
    assert score_coverage("The panel asked. The PCC answered. Apologies.", records) == (6, 7)


def test_the_ingest_report_check() -> None:
    """Reports without a meeting date or body are listed, with whether their warnings say so."""
    report = DocumentReport(
        "doc.txt", meetings=[{"body": None, "date": None}], warnings=["meeting date unknown for 3 record(s)"]
    )
    check = check_report(report)
    assert check is not None and check.missing == ["meeting date", "body"]
    assert check.warned == {"meeting date": True, "body": False}
    assert check_report(DocumentReport("doc.txt", meetings=[{"body": "X Panel", "date": "2020-01-01"}])) is None


def test_score_document_and_table(tmp_path: Path) -> None:
    """A document is scored as a whole, and a labels file round-trips; the table shows skipped sets."""
    lines = [{"doc": "doc.txt", "date": "2022-11-21", "body_ok": ["Surrey Police and Crime Panel"], "exchanges": []}]
    (tmp_path / LABELS_FILE).write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    (label,) = load_labels(tmp_path / LABELS_FILE)
    scored = score_document(label, [record("r", "minute", "Key points raised", date="2022-11-21")], None, "Key points")
    assert scored.dates.correct == 1 and (scored.covered_words, scored.total_words) == (2, 2)
    missing = evaluate_folder("fixtures", tmp_path / "absent")
    assert missing.status.startswith("not found")
    assert "not found" in format_table([missing])


def _folders_with_labels() -> list[object]:
    return [
        pytest.param(REALDOCS, id="realdocs-dev"),
        pytest.param(DEFAULT_FIXTURES, id="fixtures"),
    ]


@pytest.mark.parametrize("folder", _folders_with_labels())
def test_every_labelled_document_is_parsed_and_scored(folder: Path) -> None:
    """The harness on a labelled folder: every labelled document parsed, scored, and its needles in its text."""
    if not (folder / LABELS_FILE).exists():
        pytest.skip(
            f"no {folder / LABELS_FILE}: that labelled set is absent (the real pages are ../shared/realdocs-dev)"
        )
    labels = load_labels(folder / LABELS_FILE)
    result = evaluate_folder("set", folder)
    assert result.status == "scored"
    assert [d.doc for d in result.documents] == [label.doc for label in labels]
    for label, scored in zip(labels, result.documents, strict=True):
        assert scored.error is None, f"{label.doc}: {scored.error}"
        assert scored.problems == []
        assert scored.records > 0 and scored.total_words > 0
        assert len(scored.exchanges) == len(label.exchanges)


# --- evaluation/realpages.py: the pure parts ------------------------------------------------------


def test_join_paragraphs_keeps_order_and_limit() -> None:
    """Short paragraphs are joined up to the limit; a long one stays alone."""
    assert join_paragraphs(["a" * 40, "b" * 40, "c" * 40], limit=90) == ["a" * 40 + "\n" + "b" * 40, "c" * 40]
    assert join_paragraphs(["x" * 200, "y"], limit=100) == ["x" * 200, "y"]
    assert join_paragraphs(["", "  "]) == []


def test_realpages_scoring() -> None:
    """A result is relevant when from the judged document and holding the needle; the meeting is checked."""
    judgement = Judgement("p.txt", "against road racing", "2022-11-21", 2)
    gold = [GoldQuery("q1", "road racing", "keyword", (judgement,))]
    hit = Result(frozenset({"p.txt"}), ("She was AGAINST road-racing.",), "2022-11-21", "x", cited=True)
    other = Result(frozenset({"o.txt"}), ("against road racing",), None, "y", cited=True)
    assert satisfies(hit, judgement) and not satisfies(other, judgement)
    score = score_system("s", gold, {"q1": [other, hit]})
    assert score.metrics["MRR@10"] == 0.5 and score.metrics["R@5"] == 1.0
    assert score.first_relevant["q1"] == 2 and score.meeting_right == 1.0
    empty = score_system("s", gold, {"q1": []})
    assert empty.metrics["MRR@10"] == 0.0 and empty.metrics["S@5"] == 0.0


def test_realpages_gold_is_well_formed() -> None:
    """The real-pages gold set loads, has at least 30 queries, and its needles stand in the pages present."""
    gold = load_gold(REALPAGES_GOLD)
    assert len(gold) >= 30
    for q in gold:
        for j in q.relevant:
            assert "/" not in j.document, "documents are named by base name"
            for folder in (REALDOCS, DEFAULT_FIXTURES):
                path = folder / j.document
                if path.exists() and path.suffix == ".txt":
                    assert match_key(j.contains) in match_key(path.read_text(encoding="utf-8")), q.qid


def test_a_body_is_the_same_whatever_its_punctuation_or_case() -> None:
    assert body_right(["Dyfed Powys Police and Crime Panel"], "Dyfed-Powys Police and Crime Panel")
    assert body_right(["Police & Crime Panel"], "police & crime panel")
    assert not body_right(["Dyfed Powys Police and Crime Panel"], "North Wales Police and Crime Panel")
    assert body_right([None], None) and not body_right(["Surrey Police and Crime Panel"], None)
