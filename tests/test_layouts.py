"""Layout parsers on the real corpus and on fixtures from other panels, with literal expectations."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.reading.document import SourceDocument
from indexer.reading.parse import choose_layout, parse_path
from indexer.reading.readers import read_document
from indexer.records import Record

from .conftest import CORPUS, RESOURCES

LAYOUT_FIXTURES = RESOURCES / "layouts"


def _parse(path: Path) -> tuple[list[Record], str | None, SourceDocument]:
    records, report = parse_path(path, path.name)
    assert report.error is None
    return records, report.layout, read_document(path, path.name)


def _by_kind(records: list[Record], kind: str) -> list[Record]:
    return [r for r in records if r.kind == kind]


def test_written_response_2020() -> None:
    records, layout, _ = _parse(CORPUS / "000_47ef9738533878f9.txt")
    assert layout == "written_response"
    questions = _by_kind(records, "question")
    assert [(q.citation.asker, q.citation.reference) for q in questions] == [
        ("Dr S Handsley", "Question 1 (para 2.1)"),
        ("Cllr J Frudd", "Question 2 (para 2.3)"),
    ]
    answers = _by_kind(records, "answer")
    assert [a.parent_id for a in answers] == [q.id for q in questions]
    drugs = answers[1]
    assert "root and branch review" in drugs.text and "Dame Carol Black" in drugs.text
    assert "Agenda Item 5" not in drugs.text
    assert drugs.citation.location.lines == (22, 34)
    assert drugs.citation.item == "Agenda Item 5"
    assert drugs.citation.responder == "PCC"
    assert not questions[0].text.endswith(")")  # the bracketed asker is in the citation, not the quote
    assert {r.citation.meeting_date for r in records} == {"2020-09-10"}
    assert len(_by_kind(records, "exchange")) == 2


def test_question_headings_2022() -> None:
    records, layout, _ = _parse(CORPUS / "001_599e6919896aaf77.txt")
    assert layout == "question_headings"
    questions = _by_kind(records, "question")
    assert [(q.citation.reference, q.citation.asker, q.citation.asker_key) for q in questions] == [
        ("Question 1", "Cllr H Dhindsa", "dhindsa-h"),
        ("Question 2", "Cllr H Dhindsa", "dhindsa-h"),
    ]
    assert questions[0].text.rstrip().endswith("Any other partner agencies.")
    assert questions[0].title == "Member Questions to the Commissioner"
    assert questions[0].citation.item is None  # the report does not say which item it was
    answer2 = _by_kind(records, "answer")[1]
    assert "6.7% BAME figure" in answer2.text
    assert answer2.text.rstrip().endswith("from underrepresented communities.")
    assert {r.citation.body for r in records} == {"Derbyshire Police and Crime Panel"}
    assert {r.citation.meeting_date for r in records} == {"2022-11-17"}


def test_council_minutes_2022() -> None:
    records, layout, _ = _parse(CORPUS / "002_a9d4d027fef12851.txt")
    assert layout == "minutes"
    minutes = {r.citation.item: r for r in _by_kind(records, "minute")}
    assert list(minutes) == ["39/22", "40/22", "41/22", "42/22", "43/22", "44/22", "46/22", "47/22", "48/22", "49/22"]
    assert minutes["43/22"].title == "Tackling Burglary"
    assert minutes["44/22"].title == "Violence against Women and Girls"
    assert minutes["49/22"].title == "Date of Next Meeting - 26 January 2023"
    assert "8 September 2022" in (minutes["40/22"].resolved or "")
    assert "pdf icon" not in minutes["41/22"].title
    q2 = next(q for q in _by_kind(records, "question") if q.citation.reference == "Question 2")
    assert q2.truncated and "view the full minutes text" not in q2.text
    supp = _by_kind(records, "exchange")[-1]
    assert supp.citation.reference == "Question 1, supplementary"
    assert "where this funding will come from" in supp.text
    assert "Combating Drugs Partnership" in supp.text


def test_board_pack_2019() -> None:
    records, layout, _doc = _parse(CORPUS / "004_493deb871b5b5d45.txt")
    assert layout == "board_pack"
    minutes = _by_kind(records, "minute")
    assert [m.citation.item for m in minutes] == [
        "1",
        "2",
        "3A",
        "4",
        "5A (i)",
        "5A (ii)",
        "5B",
        "6",
        "7",
        "8A",
        "8B",
        "8C",
        "9A",
        "9B",
        "11A",
        "12A",
        "12B",
        "13A",
    ]
    assert {m.citation.meeting_date for m in minutes} == {"2019-03-18"}
    buxton = next(m for m in minutes if m.citation.item == "9A")
    assert buxton.title == "Operational and Financial Efficiencies – Closure of Buxton Custody Suite"
    assert "cease using Buxton Custody Suite" in (buxton.resolved or "")
    grants = next(m for m in minutes if m.citation.item == "12A")
    assert grants.title.endswith("Round 3 Large Grants")
    reports = _by_kind(records, "report_section")
    assert {r.citation.meeting_date for r in reports} == {"2019-05-20"}
    items = {r.citation.item for r in reports}
    assert {"8A", "10A", "12A", "12B", "12C", "12D", "12E", "12F", "12G", "12H", "12I", "12J", "13A"} <= items
    halifax = next(r for r in reports if "Operation Halifax" in r.text and r.citation.reference == "para 2.6")
    assert halifax.citation.item == "8A"
    assert "88 arrests" in halifax.text
    # Page 19 of the pack: the 19th page start (a line opening with one space) is line 574.
    assert halifax.citation.location.page == 19
    assert all(r.text.strip() != "2" for r in reports)


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_layout_is_detected_from_text_not_file_name(name: str, tmp_path: Path) -> None:
    original = CORPUS / name
    renamed = tmp_path / "document.txt"
    renamed.write_bytes(original.read_bytes())
    assert choose_layout(read_document(renamed, "x")).name == choose_layout(read_document(original, "y")).name


def test_prose_minutes_fixture() -> None:
    records, layout, _ = _parse(LAYOUT_FIXTURES / "prose_minutes_northshire.txt")
    assert layout == "minutes"
    assert {r.citation.body for r in records} == {"Northshire Police and Crime Panel"}
    assert {r.citation.meeting_date for r in records} == {"2023-03-06"}
    questions = _by_kind(records, "question")
    assert [(q.citation.asker, q.citation.item) for q in questions] == [
        ("Councillor Smith", "12"),
        ("Cllr Patel", "12"),
        ("Councillor O'Neill", "12"),
    ]
    answers = _by_kind(records, "answer")
    assert answers[1].text.startswith("the Commissioner said that there were 42 PCSOs")
    supp_q = _by_kind(records, "supplementary_question")[0]
    supp_a = _by_kind(records, "supplementary_answer")[0]
    assert supp_q.parent_id == questions[2].id and supp_a.parent_id == supp_q.id
    assert "£0.4 million would be spent on neighbourhood teams" in supp_a.text
    assert len(_by_kind(records, "exchange")) == 4
    assert [m.citation.item for m in _by_kind(records, "minute")] == ["11", "12", "13"]


def test_council_minutes_of_another_panel() -> None:
    records, layout, _ = _parse(LAYOUT_FIXTURES / "council_minutes_westshire.txt")
    assert layout == "minutes"
    assert {r.citation.body for r in records} == {"Westshire Police and Crime Panel"}
    assert {r.citation.meeting_date for r in records} == {"2023-02-07"}
    assert [m.citation.item for m in _by_kind(records, "minute")] == ["5/23", "6/23"]
    precept = _by_kind(records, "minute")[1]
    assert precept.title == "Proposed Precept 2023/24"
    assert precept.resolved == "RESOLVED to support the proposed precept of £265.50 for a Band D property."
    question = _by_kind(records, "question")[0]
    assert question.citation.label == "Westshire Police and Crime Panel, 7 February 2023, minute 7/23, Question 1"
    assert question.citation.asker_key == "ahmed-l"
    assert _by_kind(records, "supplementary_answer")[0].text.startswith("Yes, the figures will be published monthly")


def test_written_response_of_another_panel(tmp_path: Path) -> None:
    text = (
        "POLICE AND CRIME PANEL**3rd July 2021****REPORT OF THE POLICE AND CRIME COMMISSIONER FOR EASTSHIRE**\n\n"
        "2. PANEL MEMBER QUESTIONS\n\n"
        "- 2.1 *How many rural crime officers does the force employ? (Cllr B Osei)*\n"
        "- 2.2 The force employs 14 dedicated rural crime officers.\n\n"
        "Agenda Item 7\n\n"
        "Two more will join in September.\n\n"
        "2.3 *Will the Commissioner fund more CCTV in Easton? (Mrs P Kaur)*\n\n"
        "2.4 Funding for four cameras has been approved.\n"
    )
    (tmp_path / "eastshire.txt").write_text(text)
    records, layout, _ = _parse(tmp_path / "eastshire.txt")
    assert layout == "written_response"
    assert {r.citation.body for r in records} == {"Eastshire Police and Crime Panel"}
    assert {r.citation.meeting_date for r in records} == {"2021-07-03"}
    assert [q.citation.asker for q in _by_kind(records, "question")] == ["Cllr B Osei", "Mrs P Kaur"]
    first_answer = _by_kind(records, "answer")[0]
    expected = "The force employs 14 dedicated rural crime officers.\n\nTwo more will join in September."
    assert first_answer.text == expected
    assert first_answer.citation.item == "Agenda Item 7"
