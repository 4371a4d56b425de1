"""A meeting's particulars (when and where it sat, who was there) are indexed as records of their own.

Texts invented, in the forms council sites print them; one check on the bundled corpus."""

from __future__ import annotations

from pathlib import Path

from indexer.reading.document import SourceDocument
from indexer.reading.parse import parse_path
from indexer.reading.particulars import is_meeting_line, particulars_spans
from indexer.records import Record

REPO = Path(__file__).resolve().parent.parent

MODERNGOV_PAGE = """Agenda and minutes

Northshire Police and Crime Panel - Thursday, 9 March 2023 10.30 am

Venue: Council Chamber, County Hall, Northtown. View directions

Contact: Sam Rivers Email: sam.rivers@northshire.gov.uk

No. Item

12.

Commissioner's Question Time

Minutes:

Witnesses:

Ann Carter, Northshire Police and Crime Commissioner

Joe Blake, Chief Executive (Office of the Police and Crime Commissioner)

Key points raised in the discussion:

1. A Member asked whether the Commissioner would fund more rural officers. The Commissioner said that
two new rural teams would start in April.
"""


def _parse(tmp_path: Path, text: str) -> list[Record]:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    records, _ = parse_path(path, path.name)
    return records


def _particulars(records: list[Record]) -> list[Record]:
    return [r for r in records if r.kind == "particulars"]


def test_the_meeting_line_venue_and_contact_are_one_record_cited_to_the_meeting(tmp_path: Path) -> None:
    first, _ = _particulars(_parse(tmp_path, MODERNGOV_PAGE))
    assert first.text.splitlines()[0] == "Northshire Police and Crime Panel - Thursday, 9 March 2023 10.30 am"
    assert "Venue: Council Chamber, County Hall, Northtown." in first.text
    assert "Contact: Sam Rivers" in first.text
    assert "No. Item" not in first.text  # a label with its content on its line takes no list under it
    assert (first.citation.body, first.citation.meeting_date) == ("Northshire Police and Crime Panel", "2023-03-09")
    assert first.context == "Meeting particulars: Northshire Police and Crime Panel, 9 March 2023"


def test_a_label_alone_takes_the_list_under_it_and_stops_at_a_lead_in(tmp_path: Path) -> None:
    _, witnesses = _particulars(_parse(tmp_path, MODERNGOV_PAGE))
    lines = [line for line in witnesses.text.splitlines() if line.strip()]
    assert lines == [
        "Witnesses:",
        "Ann Carter, Northshire Police and Crime Commissioner",
        "Joe Blake, Chief Executive (Office of the Police and Crime Commissioner)",
    ]


def test_particulars_never_take_text_a_record_holds(tmp_path: Path) -> None:
    records = _parse(tmp_path, MODERNGOV_PAGE)
    particular_lines = {
        n for r in _particulars(records) for n in range(r.citation.location.lines[0], r.citation.location.lines[1] + 1)
    }
    others = [r for r in records if r.kind != "particulars"]
    assert any("rural teams" in r.text for r in others)
    for r in others:
        first, last = r.citation.location.lines
        assert not particular_lines & set(range(first, last + 1)), r.kind


def test_capitals_set_off_a_label_and_a_bare_heading_in_title_case_takes_nothing() -> None:
    doc = SourceDocument.from_text(
        "x.txt",
        "TIME OF MEETING\n\n2PM\n\nLOCATION\n\nCONFERENCE ROOM 3, HEADQUARTERS\n\n"
        "Attendees\n\nDocuments\n\nAgenda\n\n"
        "Some prose that is long enough to be a paragraph of its own and not a list.",
    )
    spans = particulars_spans(doc, taken=set())
    assert [doc.quote(a, b).split("\n\n") for a, b in spans] == [
        ["TIME OF MEETING", "2PM", "LOCATION", "CONFERENCE ROOM 3, HEADQUARTERS"],
    ]


def test_a_list_ends_at_a_long_line_and_a_run_of_labels_alone_is_dropped() -> None:
    doc = SourceDocument.from_text(
        "x.txt",
        "Present:\n\nCouncillor A Shah (Chair)\n\nMr B Cole\n\n"
        "The Chair welcomed everyone to the meeting and explained how the session would be run "
        "today for members of the public.\n\n"
        "APOLOGIES\n\nPRESENT:\n",
    )
    spans = particulars_spans(doc, taken=set())
    assert [doc.quote(a, b).split("\n\n") for a, b in spans] == [["Present:", "Councillor A Shah (Chair)", "Mr B Cole"]]


def test_a_meeting_line_states_a_date_and_a_time_of_day() -> None:
    assert is_meeting_line("1 Jun 2017 - 14:30 to 17:00")
    assert is_meeting_line("Sussex Police and Crime Panel - Friday, 27 September 2024 10.30 am")
    assert not is_meeting_line("Minutes of the meeting held on 27 September 2024")  # no time of day
    assert not is_meeting_line("10.35 am")  # a time slot on an agenda, no date


def test_the_bundled_minutes_page_gives_its_venue_and_the_date_of_the_next_meeting() -> None:
    records, _ = parse_path(REPO / "corpus" / "002_a9d4d027fef12851.txt", "corpus/002_a9d4d027fef12851.txt")
    texts = [r.text for r in _particulars(records)]
    assert any("Venue: Council Chamber, County Hall, Matlock." in t for t in texts)
    assert "Date of Next Meeting - 26 January 2023" in texts
    assert all(r.citation.meeting_date == "2022-11-17" for r in _particulars(records))
