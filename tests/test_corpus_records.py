"""Records read from the real bundled corpus: citations, linking and the quote invariant."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.index.build import BuildSummary
from indexer.reading.assemble import assemble
from indexer.reading.document import DocumentError, SourceDocument
from indexer.reading.parse import parse_document, parse_path
from indexer.reading.readers import read_document
from indexer.records import Record
from search_api.retrieval import Searcher

from .conftest import CORPUS, REPO

DEBRIS = ("**", "<b>", "</b>", "<br", "<sup>", "pdf icon")


def _corpus_records() -> tuple[list[Record], dict[str, SourceDocument]]:
    records: list[Record] = []
    docs: dict[str, SourceDocument] = {}
    for path in sorted(CORPUS.glob("*.txt")):
        name = path.relative_to(REPO).as_posix()
        found, report = parse_path(path, name)
        assert report.error is None, report.error
        records.extend(found)
        docs[name] = read_document(path, name)
    return records, docs


RECORDS, DOCS = _corpus_records()


def test_every_quote_stands_at_its_cited_location() -> None:
    checked = 0
    for record in RECORDS:
        if record.kind == "exchange":
            continue
        first, last = record.citation.location.lines
        assert DOCS[record.citation.document].contains_quote(first, last, record.text), (
            record.citation.label,
            record.text[:120],
        )
        checked += 1
    assert checked > 100


def test_citations_start_and_end_on_text() -> None:
    """No citation starts on the blank line under a heading or ends on a page's footer."""
    for record in RECORDS:
        doc = DOCS[record.citation.document]
        first, last = record.citation.location.lines
        assert not doc.blank(first) and not doc.blank(last), (record.citation.label, first, last)


def test_no_extraction_debris_in_record_text() -> None:
    for record in RECORDS:
        for mark in DEBRIS:
            assert mark not in record.text, (mark, record.citation.label)


def test_ids_are_unique() -> None:
    ids = Counter(r.id for r in RECORDS)
    assert [i for i, n in ids.items() if n > 1] == []


def test_exchanges_per_document() -> None:
    exchanges = Counter(
        (r.citation.document.split("/")[-1][:3], r.citation.reference) for r in RECORDS if r.kind == "exchange"
    )
    assert sum(n for (doc, _), n in exchanges.items() if doc == "000") == 2
    assert sum(n for (doc, _), n in exchanges.items() if doc == "001") == 2
    # 002: an exchange reported in 44/22 ("In answer to a question in relation to the online focus groups … the
    # Commissioner confirmed …"), question 1 of 45/22 and its supplementary exchange; question 2 is cut off unanswered.
    assert sum(n for (doc, _), n in exchanges.items() if doc == "002") == 3


def test_askers_and_person_keys() -> None:
    questions = [r for r in assemble(RECORDS) if r.kind == "question"]
    # The question reported in 44/22 names no asker ("In answer to a question in relation to …"): none is cited.
    assert [r.citation.item for r in questions if r.citation.asker is None] == ["44/22"]
    askers = sorted({(r.citation.asker, r.citation.asker_key) for r in questions if r.citation.asker})
    assert askers == [
        ("Cllr H Dhindsa", "dhindsa-h"),
        ("Cllr J Frudd", "frudd-j"),
        ("Dr S Handsley", "handsley-s"),
    ]


def test_meeting_dates_per_document() -> None:
    dates: dict[str, set[str | None]] = {}
    for record in RECORDS:
        dates.setdefault(record.citation.document.split("/")[-1][:3], set()).add(record.citation.meeting_date)
    assert dates["000"] == {"2020-09-10"}
    assert dates["001"] == {"2022-11-17"}
    assert dates["002"] == {"2022-11-17"}
    assert dates["004"] == {"2019-03-18", "2019-05-20"}


def test_pack_minutes_cited_to_the_meeting_they_record() -> None:
    pack = [r for r in RECORDS if r.citation.document.endswith("004_493deb871b5b5d45.txt")]
    minutes = [r for r in pack if r.kind == "minute"]
    assert minutes and all(r.citation.meeting_date == "2019-03-18" for r in minutes)
    buxton = [r for r in minutes if "Buxton Custody Suite" in r.text]
    assert buxton and buxton[0].citation.item == "9A"
    reports = [r for r in pack if r.kind == "report_section" and r.citation.item == "8A"]
    assert reports and all(r.citation.meeting_date == "2019-05-20" for r in reports)
    assert all(r.citation.body == "Strategic Priorities Assurance Board" for r in pack)


def test_minute_items_of_17_november_2022() -> None:
    items = [
        r.citation.item for r in RECORDS if r.citation.document.endswith("002_a9d4d027fef12851.txt") and r.citation.item
    ]
    assert list(dict.fromkeys(items)) == [f"{n}/22" for n in range(39, 50)]


def test_supplementary_exchange_under_45_22() -> None:
    minutes = [r for r in RECORDS if r.citation.document.endswith("002_a9d4d027fef12851.txt")]
    by_id = {r.id: r for r in minutes}
    supp_q = [r for r in minutes if r.kind == "supplementary_question"]
    supp_a = [r for r in minutes if r.kind == "supplementary_answer"]
    assert len(supp_q) == len(supp_a) == 1
    assert supp_q[0].citation.item == supp_a[0].citation.item == "45/22"
    assert "where this funding will come from" in supp_q[0].text
    parent = by_id[supp_q[0].parent_id or ""]
    assert parent.kind == "question" and parent.citation.reference == "Question 1"
    assert supp_a[0].parent_id == supp_q[0].id


def test_questions_of_17_november_2022_are_linked_across_publications() -> None:
    linked = assemble(RECORDS)
    questions = [
        r for r in linked if r.kind == "question" and r.citation.meeting_date == "2022-11-17" and r.citation.asker
    ]
    assert len(questions) == 2
    for q in questions:
        documents = {q.citation.document} | {c.document for c in q.also_recorded_in}
        assert documents == {"corpus/001_599e6919896aaf77.txt", "corpus/002_a9d4d027fef12851.txt"}
        items = {q.citation.item} | {c.item for c in q.also_recorded_in}
        assert "45/22" in items
    texts = [r.text for r in linked if r.kind in ("question", "answer")]
    assert len(texts) == len(set(texts))


def test_search_finds_supplementary_exchange(corpus_searcher: Searcher) -> None:
    hits = corpus_searcher.search("where will funding for the combating drugs partnership come from", k=5)
    supplementary = [
        h
        for h in hits
        if h.record.kind == "exchange" and "supplementary" in (h.record.citation.reference or "").lower()
    ]
    assert supplementary, [h.record.citation.label for h in hits]
    assert supplementary[0].record.citation.item == "45/22"
    assert supplementary[0].record.citation.meeting_date == "2022-11-17"


def test_search_finds_2020_answer_on_drugs(corpus_searcher: Searcher) -> None:
    hits = corpus_searcher.search("decriminalisation of drugs", k=3)
    assert any(
        h.record.citation.meeting_date == "2020-09-10" and "root and branch review" in h.record.text for h in hits
    ), [h.record.citation.label for h in hits]


def test_17_november_questions_come_back_once_each(corpus_searcher: Searcher) -> None:
    hits = corpus_searcher.search("black and minority officers proportion compared with population of Derby", k=10)
    q2 = [h for h in hits if "3.2% proportion" in h.record.text]
    assert len(q2) == 1
    cited = {q2[0].record.citation.document} | {c.document for c in q2[0].record.also_recorded_in}
    assert cited == {"corpus/001_599e6919896aaf77.txt", "corpus/002_a9d4d027fef12851.txt"}


def test_index_report_has_layouts(corpus_index: BuildSummary) -> None:
    layouts = {r.document.split("/")[-1][:3]: r.layout for r in corpus_index.reports}
    assert layouts == {
        "000": "written_response",
        "001": "question_headings",
        "002": "minutes",
        "004": "board_pack",
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=2000))
def test_parsing_never_crashes_on_arbitrary_text(text: str) -> None:
    try:
        doc = SourceDocument.from_text("fuzz.txt", text)
    except DocumentError:
        return
    records, _report = parse_document(doc)
    for record in records:
        if record.kind != "exchange":
            first, last = record.citation.location.lines
            assert doc.contains_quote(first, last, record.text)


def test_manifest_overrides_and_unknown_dates(tmp_path: Path) -> None:
    (tmp_path / "undated.txt").write_text(
        "NOTES OF A WORKSHOP\n\nMembers discussed the approach to rural crime patrols in the north of the county.\n"
    )
    records, report = parse_path(tmp_path / "undated.txt", "undated.txt")
    assert records and all(r.citation.meeting_date is None for r in records)
    assert any("meeting date unknown" in w for w in report.warnings)
    assert "date unknown" in records[0].citation.label

    from indexer.reading.parse import DocumentMeta

    records, report = parse_path(
        tmp_path / "undated.txt",
        "undated.txt",
        DocumentMeta(body="Northshire Police and Crime Panel", meeting_date="2023-01-26"),
    )
    assert {r.citation.meeting_date for r in records} == {"2023-01-26"}
    assert records[0].citation.label.startswith("Northshire Police and Crime Panel, 26 January 2023")
    assert not any("meeting date unknown" in w for w in report.warnings)
