"""Council "Agenda and minutes" pages and prose minutes: literal expectations and robustness."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indexer.reading.document import DocumentError, SourceDocument
from indexer.reading.layouts import minutes
from indexer.reading.layouts.base import ParseResult
from indexer.reading.meeting import read_meetings
from indexer.reading.parse import DocumentReport, choose_layout, parse_path
from indexer.reading.readers import read_document
from indexer.records import Record

from .conftest import CORPUS, RESOURCES

MINUTES_2022 = CORPUS / "002_a9d4d027fef12851.txt"
OTHER_PANEL = RESOURCES / "minutes_other_panel.txt"
PROSE = RESOURCES / "minutes_prose_fixture.txt"


def _parse(path: Path) -> tuple[list[Record], DocumentReport, SourceDocument]:
    records, report = parse_path(path, path.name)
    assert report.error is None
    return records, report, read_document(path, path.name)


def _kind(records: list[Record], kind: str) -> list[Record]:
    return [r for r in records if r.kind == kind]


def _ref(records: list[Record], reference: str, kind: str | None = None) -> Record:
    found = [r for r in records if r.citation.reference == reference and (kind is None or r.kind == kind)]
    assert len(found) == 1, (reference, kind, [r.kind for r in found])
    return found[0]


def _assert_quotes_stand(records: list[Record], doc: SourceDocument) -> None:
    for record in records:
        if record.kind != "exchange":
            first, last = record.citation.location.lines
            assert doc.contains_quote(first, last, record.text), (record.citation.label, record.text[:80])


def _doc(text: str) -> SourceDocument:
    return SourceDocument.from_text("inline.txt", text)


def _read(doc: SourceDocument) -> ParseResult:
    return minutes.parse(doc, read_meetings(doc))


# --- the Derbyshire "Agenda and minutes" page, 17 November 2022 -------------------------------------


def test_council_page_items_titles_and_meeting() -> None:
    records, report, doc = _parse(MINUTES_2022)
    assert report.layout == "minutes"
    items = list(dict.fromkeys(r.citation.item for r in records if r.kind != "particulars"))
    assert items == [f"{n}/22" for n in range(39, 50)]
    # the meeting's particulars (its line, venue and contact; the date of the next meeting) belong to no item
    assert [r.citation.item for r in records if r.kind == "particulars"] == [None, None]
    # 44/22 reports one exchange in a lead clause ("In answer to a question in relation to … the Commissioner
    # confirmed …"), between two minutes; 45/22 holds the member questions.
    assert report.records_by_kind == {
        "answer": 2,
        "exchange": 3,
        "minute": 11,
        "particulars": 2,
        "question": 3,
        "report_section": 1,  # the agenda's description of 40/22, searchable, never a minute
        "supplementary_answer": 1,
        "supplementary_question": 1,
    }
    (described,) = _kind(records, "report_section")
    assert (described.citation.item, described.citation.reference) == ("40/22", "agenda description")
    assert {(r.citation.body, r.citation.meeting_date) for r in records} == {
        ("Derbyshire Police and Crime Panel", "2022-11-17")
    }
    # The last minute of each item (an item whose minutes report an exchange has one before and one after it).
    minutes = {r.citation.item: r for r in _kind(records, "minute")}
    assert "45/22" not in minutes  # the member questions are records of their own, not repeated as a minute
    assert minutes["43/22"].title == "Tackling Burglary"
    assert minutes["44/22"].title == "Violence against Women and Girls"
    assert minutes["49/22"].title == "Date of Next Meeting - 26 January 2023"
    assert minutes["41/22"].title == "Review of the Police and Crime Plan 2021-2025"
    assert minutes["40/22"].title == "Minutes"
    assert all("pdf icon" not in (m.title or "") and "PDF" not in (m.title or "") for m in minutes.values())
    assert minutes["40/22"].resolved == (
        "RESOLVED to approve as a correct record the minutes of the meeting held on 8 September 2022"
    )
    assert minutes["43/22"].resolved == "RESOLVED to note the report on tackling burglaries"
    assert minutes["39/22"].resolved is None
    assert minutes["39/22"].text == "There were no declarations of interest."
    assert minutes["39/22"].context == "Declarations of Interest. To receive declarations of interest (if any)"
    assert minutes["43/22"].citation.location.lines == (118, 142)
    assert minutes["43/22"].citation.label == "Derbyshire Police and Crime Panel, 17 November 2022, minute 43/22"
    # Paragraphs separated by lines holding only a space stay paragraphs.
    assert minutes["46/22"].text.count("\n\n") == 1
    _assert_quotes_stand(records, doc)


def test_council_page_member_questions() -> None:
    records, _report, _ = _parse(MINUTES_2022)
    qa = [r for r in records if r.citation.item == "45/22"]
    assert [(r.kind, r.citation.reference) for r in qa] == [
        ("question", "Question 1"),
        ("answer", "Question 1, response"),
        ("exchange", "Question 1"),
        ("supplementary_question", "Question 1, supplementary question"),
        ("supplementary_answer", "Question 1, supplementary answer"),
        ("exchange", "Question 1, supplementary"),
        ("question", "Question 2"),
    ]
    q1 = _ref(qa, "Question 1", "question")
    assert {r.citation.asker for r in qa} == {"Cllr H Dhindsa"}
    assert q1.citation.asker_key == "dhindsa-h"
    assert q1.text.startswith("The Government’s new ‘Drug Strategy – Harm to Hope’")
    assert q1.text.endswith("a. The PCC\n\nb. Derbyshire Police\n\nc. Any other partner agencies.")
    assert q1.title == "Member questions to the PCC"
    answer = _ref(qa, "Question 1, response")
    assert answer.parent_id == q1.id and answer.citation.responder == "PCC"
    assert answer.text.startswith("The Police and Crime Plan aligns directly with ‘From Harm to Hope’")
    supp_q = _ref(qa, "Question 1, supplementary question")
    supp_a = _ref(qa, "Question 1, supplementary answer")
    assert supp_q.parent_id == q1.id and supp_q.citation.asker == "Cllr H Dhindsa"
    assert supp_a.parent_id == supp_q.id and supp_a.citation.responder == "PCC"
    assert "where this funding will come from" in supp_q.text
    assert "Combating Drugs Partnership" in supp_a.text
    supp_x = _ref(qa, "Question 1, supplementary", "exchange")
    assert supp_x.part_ids == (supp_q.id, supp_a.id)
    assert "where this funding will come from" in supp_x.text and "Combating Drugs Partnership" in supp_x.text
    assert _ref(qa, "Question 1", "exchange").part_ids == (q1.id, answer.id)
    assert supp_x.citation.label == (
        "Derbyshire Police and Crime Panel, 17 November 2022, minute 45/22, Question 1, supplementary"
    )


def test_council_page_truncated_question() -> None:
    records, report, doc = _parse(MINUTES_2022)
    q2 = _ref(records, "Question 2", "question")
    assert q2.truncated
    assert q2.text == (
        "In response to a question from Cllr Alan Barrow, at the last PCP meeting, "
        "the PCC gave the following information"
    )
    first, last = q2.citation.location.lines
    assert "view the full minutes text for item 45/22" in doc.raw(first, last)
    assert not any(r.parent_id == q2.id for r in records)  # no answer survives on the page
    assert "item 45/22 is truncated on the page" in report.warnings
    assert not any(r.truncated for r in records if r is not q2)


# --- another panel's council page, parsed with no code changes --------------------------------------


def test_council_page_of_another_panel() -> None:
    records, report, doc = _parse(OTHER_PANEL)
    assert report.layout == "minutes"
    assert {(r.citation.body, r.citation.meeting_date) for r in records} == {
        ("Eastmoor Police, Fire and Crime Panel", "2023-03-08")
    }
    items = [r.citation.item for r in records if r.kind != "particulars"]
    assert list(dict.fromkeys(items)) == ["7/23", "8/23", "9/23", "10/23", "11/23"]
    minutes = _kind(records, "minute")
    assert [(m.citation.item, m.title) for m in minutes] == [
        ("7/23", "Apologies for Absence"),
        ("8/23", "Minutes of the previous meeting"),
        ("9/23", "Questions from Members of the Panel"),  # the introduction before the questions
        ("9/23", "Questions from Members of the Panel"),  # the closing RESOLVED
        ("10/23", "Annual Precept Report 2023/24"),
        ("11/23", "Date of Next Meeting"),
    ]
    assert minutes[2].text == "Two questions had been submitted in advance of the meeting."
    assert minutes[3].resolved == "RESOLVED to note the questions and the responses."
    # Members' concerns on the precept are a question of theirs, cut where the page cuts the minute.
    concern = next(r for r in _kind(records, "question") if r.citation.item == "10/23")
    assert concern.truncated and concern.text.endswith("households already facing higher energy bills")
    assert concern.text.startswith("Members discussed the proposal at length and raised concerns")
    assert "item 10/23 is truncated on the page" in report.warnings
    questions = [q for q in _kind(records, "question") if q.citation.item == "9/23"]
    assert [(q.citation.reference, q.citation.asker, q.citation.asker_key) for q in questions] == [
        ("Question 1", "Councillor L Ahmed", "ahmed-l"),
        ("Question 2", "Councillor S Wright", "wright-s"),
    ]
    assert questions[0].citation.label == "Eastmoor Police, Fire and Crime Panel, 8 March 2023, minute 9/23, Question 1"
    answer2 = _ref(records, "Question 2, response")
    assert answer2.parent_id == questions[1].id
    assert answer2.text == (
        "Twenty-two firefighters have been recruited and the remaining eight posts will be filled by September."
    )
    supp_a = _ref(records, "Question 1, supplementary answer")
    assert supp_a.text.startswith("Yes, the figures will be published monthly")
    assert [x.citation.reference for x in _kind(records, "exchange")] == [
        "Question 1",
        "Question 1, supplementary",
        "Question 2",
    ]
    assert not any("RESOLVED" in r.text for r in records if r.kind != "minute")
    _assert_quotes_stand(records, doc)


def test_council_detect_does_not_depend_on_the_panel() -> None:
    text = MINUTES_2022.read_text(encoding="utf-8").replace("Derbyshire", "Westmoor")
    doc = _doc(text)
    assert minutes.detect(doc) == pytest.approx(0.95)
    assert choose_layout(doc).name == "minutes"
    assert _read(doc).meetings[0].body == "Westmoor Police and Crime Panel"


def test_council_detect_is_low_without_items_and_minutes_labels() -> None:
    assert minutes.detect(read_document(PROSE, "p")) == pytest.approx(0.8)  # exchanges, no items
    assert minutes.detect(_doc("39/22\n\nTitle\n\n40/22\n\nAnother title\n")) < 0.5
    # A figure inside a paragraph is not an item number.
    text = (
        "1/23\n\nApologies\n\nMinutes:\n\nNone.\n\n2/23\n\nBudget\n\nMinutes:\n\nThe ratio was\n15/16\nof the target.\n"
    )
    assert [item for item in dict.fromkeys(r.citation.item for r in _read(_doc(text)).records)] == [
        "1/23",
        "2/23",
    ]


# --- prose minutes ----------------------------------------------------------------------------------


def test_prose_minutes_fixture() -> None:
    records, report, doc = _parse(PROSE)
    assert report.layout == "minutes"
    assert report.warnings == []
    # The meeting is the one "held on Monday 6 March 2023", not the publication date at the foot.
    assert {(r.citation.body, r.citation.meeting_date) for r in records} == {
        ("Northshire Police and Crime Panel", "2023-03-06")
    }
    questions = _kind(records, "question")
    assert [(q.citation.reference, q.citation.asker, q.citation.item) for q in questions] == [
        ("Question 1", "Councillor Smith", "12"),
        ("Question 2", "Cllr Patel", "12"),
        ("Question 3", "Councillor O'Neill", "12"),
        ("Question 4", "Councillor Brennan", "12"),
    ]
    assert questions[0].text == (
        "Councillor Smith asked whether the Commissioner would publish the response times for rural areas."
    )
    assert questions[1].text == "In response to a question from Cllr Patel about the number of PCSOs in Northtown"
    # A question opened by a phrase keeps the whole sentence.
    assert questions[3].text.startswith(
        "Referring to recent reports of fly-tipping on farmland, Councillor Brennan asked"
    )
    answers = _kind(records, "answer")
    assert [(a.parent_id, a.citation.responder) for a in answers] == [
        (questions[0].id, "PCC"),
        (questions[1].id, "Commissioner"),
        (questions[2].id, "PCC"),
        (questions[3].id, "Commissioner"),
    ]
    assert answers[0].text == (
        "The PCC responded that figures would be published quarterly from April 2023, starting with the last "
        "quarter of 2022. She added that the first report would compare each rural ward with the force average."
    )
    assert answers[1].text.startswith("the Commissioner said that 42 PCSOs were in post")
    assert answers[1].citation.asker == "Cllr Patel"
    assert "Cllr Patel about the number of PCSOs" in answers[1].context  # found by its question's subject
    supp_q = _kind(records, "supplementary_question")[0]
    supp_a = _kind(records, "supplementary_answer")[0]
    assert supp_q.parent_id == questions[2].id and supp_a.parent_id == supp_q.id
    assert supp_q.citation.reference == "Question 3, supplementary question"
    assert supp_q.text == "Councillor O'Neill then asked whether the savings would be returned to frontline policing"
    assert supp_a.text == "the PCC confirmed that the £0.4 million would be spent on neighbourhood teams in 2023/24."
    exchanges = _kind(records, "exchange")
    assert [x.citation.reference for x in exchanges] == [
        "Question 1",
        "Question 2",
        "Question 3",
        "Question 3, supplementary",
        "Question 4",
    ]
    # Question 4 is asked in one paragraph and answered in the next.
    assert exchanges[-1].citation.location.lines == (31, 33)
    minutes = _kind(records, "minute")
    assert [m.citation.item for m in minutes] == ["10", "11", "12", "12", "13", "14"]
    assert minutes[2].text.startswith("The Chair reminded members")
    assert minutes[3].resolved == "RESOLVED that the responses to the questions be noted."
    assert minutes[4].title == "Police and Crime Plan update"
    assert "1. Rural crime" in minutes[4].text  # a numbered list inside a minute is not an item heading
    assert minutes[4].resolved == "RESOLVED to note the report."
    assert not any("RESOLVED" in r.text for r in records if r.kind != "minute")
    _assert_quotes_stand(records, doc)


PROSE_HEAD = (
    "MINUTES of the Southvale Police and Crime Panel held on Tuesday 4 April 2023\n\n"
    "5. QUESTIONS TO THE COMMISSIONER\n\n"
)


def test_prose_question_clause_is_not_split_by_a_reported_answer() -> None:
    text = PROSE_HEAD + (
        "Councillor Ray asked whether the Commissioner had said that overtime would be cut. "
        "The PCC replied that no decision had been taken.\n\n"
        "Cllr Evans asked about the closure of Westgate station, "
        "and the Commissioner confirmed that it would stay open.\n"
    )
    records = _read(_doc(text)).records
    questions = _kind(records, "question")
    assert [q.text for q in questions] == [
        "Councillor Ray asked whether the Commissioner had said that overtime would be cut.",
        "Cllr Evans asked about the closure of Westgate station",
    ]
    assert [a.text for a in _kind(records, "answer")] == [
        "The PCC replied that no decision had been taken.",
        "the Commissioner confirmed that it would stay open.",
    ]
    assert {r.citation.item for r in records} == {"5"}
    assert records[0].title == "Questions to the Commissioner"
    assert {r.citation.meeting_date for r in records} == {"2023-04-04"}


def test_prose_follow_ups_quoted_questions_and_unanswered_questions() -> None:
    text = PROSE_HEAD + (
        "Councillor Ray asked the following question:\n\n"
        "‘How many officers were assaulted on duty in 2022?’\n\n"
        "The Commissioner responded that 212 officers had been assaulted.\n\n"
        "She added that body-worn cameras were now issued to every response officer.\n\n"
        "Councillor Ahmed then asked whether the figure had risen since 2021. The PCC said that it had risen by 8%.\n\n"
        "Councillor Ray further asked how many assaults had led to a charge.\n\n"
        "RESOLVED to note the responses.\n"
    )
    doc = _doc(text)
    records = _read(doc).records
    questions = _kind(records, "question")
    # "then asked" / "further asked" by a member other than the last asker is a new question.
    assert [(q.citation.asker, q.citation.reference) for q in questions] == [
        ("Councillor Ray", "Question 1"),
        ("Councillor Ahmed", "Question 2"),
        ("Councillor Ray", "Question 3"),
    ]
    assert _kind(records, "supplementary_question") == []
    assert questions[0].citation.location.lines == (5, 7)  # the quoted question goes with it
    assert questions[0].text.endswith("‘How many officers were assaulted on duty in 2022?’")
    first_answer = _kind(records, "answer")[0]
    assert first_answer.citation.location.lines == (9, 11)  # "She added …" carries the answer on
    assert first_answer.text.endswith("issued to every response officer.")
    # "Councillor Ray further asked" follows Question 2 by another member: a new question, left unanswered.
    assert [r.kind for r in records if r.citation.reference == "Question 3"] == ["question"]
    assert _kind(records, "minute")[-1].text == "RESOLVED to note the responses."
    _assert_quotes_stand(records, doc)


def test_prose_supplementary_by_the_same_member_and_no_headings() -> None:
    text = (
        "Cllr Jones asked whether the new control room was fully staffed. The Chief Constable replied that it was.\n\n"
        "She then asked how long 101 callers waited; the Chief Constable said that the average wait was four minutes.\n"
    )
    records = _read(_doc(text)).records
    supp_q = _kind(records, "supplementary_question")[0]
    assert supp_q.citation.asker == "Cllr Jones"
    assert supp_q.parent_id == _kind(records, "question")[0].id
    assert _kind(records, "supplementary_answer")[0].citation.responder == "Chief Constable"
    assert {r.citation.item for r in records} == {None}
    assert len(_kind(records, "exchange")) == 2


def test_prose_detect() -> None:
    prose = read_document(PROSE, "p")
    assert minutes.detect(prose) == pytest.approx(0.8)
    assert choose_layout(prose).name == "minutes"
    # A council page with items and "Minutes:" labels is the most certain case.
    page = read_document(MINUTES_2022, "m")
    assert minutes.detect(page) == pytest.approx(0.95)
    no_headings = PROSE.read_text(encoding="utf-8")
    page_with_prose = _doc(
        "Agenda and minutes\n\nNorthshire Police and Crime Panel - Monday, 6 March 2023 10.00 am\n\n"
        "12/23\n\nQuestions\n\nMinutes:\n\n"
        + no_headings.split("12. Public and member questions")[1].split("13.")[0]
        + "\n13/23\n\nClose\n\nMinutes:\n\nThe meeting closed at 12.30 pm.\n"
    )
    assert minutes.detect(page_with_prose) == pytest.approx(0.95)
    assert choose_layout(page_with_prose).name == "minutes"
    # One reported exchange is not enough to be sure; Q/A headings rule prose minutes out.
    assert minutes.detect(_doc("Cllr Jones asked whether X. The PCC replied that Y.\n")) < 0.5
    assert minutes.detect(_doc("Question 1: from Cllr Jones\n\nCllr Jones asked whether X.\n")) < 0.5
    # The written responses and the board pack are read by their own layouts.
    for path in sorted(CORPUS.glob("*.txt")):
        if not path.name.startswith("002"):
            assert choose_layout(read_document(path, path.name)).name != "minutes"


# --- robustness ---------------------------------------------------------------------------------------

LINES = [
    "",
    " ",
    "\u00a0",
    "Agenda and minutes",
    "Westmoor Police and Crime Panel - Tuesday, 7 March 2023 2.00 pm",
    "7/23",
    "8/23",
    "Minutes:",
    "Public questions pdf icon PDF 12 KB",
    "Question 1: from Cllr A Brown",
    "Question 2:",
    "PCC Response:",
    "Response:",
    "Supplementary Question:",
    "RESOLVED to note the report.",
    "The figures are below ...  view the full minutes text for item 7/23",
    "12. PUBLIC QUESTIONS",
    "13. Police and Crime Plan update",
    "1. Rural crime",
    "Councillor Smith asked whether the PCC would publish the data.",
    "The PCC responded that it would be published; Councillor Smith then asked when,",
    "In response to a question from Cllr Patel about PCSOs, the Commissioner said that 42 were in post.",
    "She added that four more would join.",
    "‘Will the Commissioner respond?’",
    "<b>Councillor</b> <br/>Smith asked whether **the Commissioner** said so",
    "Agenda Item 5",
    "7",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_parsers_never_crash_on_arbitrary_text(text: str) -> None:
    assume(text.strip())
    try:
        doc = _doc(text)
    except DocumentError:
        return
    minutes.detect(doc)
    _read(doc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=40))
def test_parsers_keep_quotes_and_links_on_minutes_like_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    assume(text.strip())
    doc = _doc(text)
    records = _read(doc).records
    ids = {r.id for r in records}
    assert len(ids) == len(records)
    for record in records:
        first, last = record.citation.location.lines
        assert 1 <= first <= last <= doc.line_count
        if record.kind != "exchange":
            assert doc.contains_quote(first, last, record.text), record.text
        if record.kind in ("answer", "supplementary_question", "supplementary_answer"):
            assert record.parent_id in ids
        if record.kind == "exchange":
            assert set(record.part_ids) <= ids
