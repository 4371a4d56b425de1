"""The meeting a text records: its body and date, from the document's own evidence, in an order of trust.

1. Metadata given with the document: the publishing system's own facts, as harvested (`date_source`
   "source"), `corpus/manifest.toml` (`date_source` "manifest") or the upload form (`date_source`
   "upload"). A document published as an attachment of a meeting takes that meeting's facts only
   where its text states no meeting of its own: an agenda pack's copy of the previous meeting's
   minutes keeps the date it states.
2. A statement of the meeting in the text itself (`date_source` "heading"):
   - a ModernGov issue page's meeting line, `Meeting: 21/11/2022 - Surrey Police and Crime Panel
     (Item 81)` — one per meeting, so a page holding two meetings is split into two;
   - a page or minutes title: `Dyfed Powys Police and Crime Panel - Thursday, 16th November, 2017
     10.30 am`, `Meeting of X, Friday, 2nd February, 2018 11.00 am`, `MINUTES OF A MEETING OF X
     HELD ON 11TH DECEMBER 2013`, `MINUTES of the meeting held on Monday 6 March 2023` under
     the body's name;
   - a CMIS "Meeting Summary" block (the body, then `1 Jun 2017 - 14:30 to 17:00`);
   - in the title block at the top: a "Date:" / "Date of meeting" field, or a date standing
     alone beside the body's name (a report's cover: `POLICE AND CRIME PANEL … 10th September 2020`).
3. Nothing: the date is null, and the ingest report says so.
Dates a text mentions for other reasons — the previous meeting's minutes, a question deadline,
a future hearing, a report's period — are never taken, because they are not in one of these
statements (a title that confirms "the minutes of the meeting held on …" is not one).

The body comes from the same statements first, then from the title block (a panel named in full,
or "Police and Crime Panel" with "Commissioner for X" beside it, or a board named in capitals);
a panel mentioned in passing further down never names the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from indexer.reading.bodies import (
    NOT_AREAS,
    area_of_commissioner,
    board_in_heading,
    find_panels,
    panel_of_area,
    title_case,
)
from indexer.reading.dates import DATE_SHAPE, find_dates, read_date
from indexer.reading.document import SourceDocument
from indexer.reading.text import clean_inline

DateSource = Literal["source", "manifest", "upload", "heading"]
DATE_SOURCES: tuple[DateSource, ...] = ("source", "manifest", "upload", "heading")


def date_source_of(value: str | None) -> DateSource | None:
    """A date source as the records store it (a string) read back as one of the known sources, or None."""
    return next((source for source in DATE_SOURCES if source == value), None)


# How many lines of text (not blank) make the title block at the top of a document.
HEAD_LINES = 15
BOARD_LINES = 120
# "Meeting: 21/11/2022 - Surrey Police and Crime Panel (Item 81)"
MEETING_LINE = re.compile(
    r"^\W*Meeting\s*:\s*(?P<date>.+?)\s+[-–]\s+(?P<body>.+?)(?:\s*\(\s*(?:Item|Minute)\s+(?P<item>[\w./]+)\s*\))?\s*$",
    re.I,
)
# A question page's meeting field, the series and then the date: "Meeting: MQT on 2018-05-17" (the value often on
# the line below the label).
MEETING_FIELD = re.compile(r"^\W*Meeting\s*:\s*(?P<rest>.*)$", re.I)
_SERIES_ON = re.compile(r"^\W*(?P<body>[^\W\d][^:.?!]{0,80}?)\s+on\s+(?P<date>\S.*)$")
# "Derbyshire Police and Crime Panel - Thursday, 17 November 2022 10.00 am"
TITLE_LINE = re.compile(r"^\W*(?P<body>[^-–]{4,140}?)\s+[-–]\s+(?P<rest>.+)$")
# "Meeting of Cleveland Police and Crime Panel, Friday, 2nd February, 2018 11.00 am"
MEETING_OF = re.compile(
    r"^\W*(?:(?:Special|Extraordinary|Annual|Informal)\s+)?Meeting\s+of\s+(?P<body>.+?),?\s+(?P<rest>(?:\w+day,?\s+)?\d.+)$",
    re.I,
)
# "Cambridgeshire Police and Crime Panel Annual Meeting 12 June 2013", "Kent Police and Crime Panel meeting, 4 May 2021"
BODY_MEETING = re.compile(
    # The body in capitalised words only: "the Minutes of the Panel meeting held on …" is a sentence, not a title.
    r"^\W*(?P<body>(?:[A-Z][\w&'’,-]*\s+(?:(?:and|&|of|for|the)\s+)*){1,8}(?:Panel|Board|Committee)),?\s+"
    r"(?i:(?:(?:Annual|Special|Extraordinary|Ordinary|Informal|Public|Formal|Confirmation)\s+)?(?:General\s+)?"
    r"(?:Meeting|Hearing)(?:\s+(?:held\s+)?on)?)\s*[,:\-–]?\s+(?P<rest>(?:\w+day,?\s+)?\d.+)$"
)
# "MINUTES OF A MEETING OF X HELD ON 11TH DECEMBER 2013", "Minutes of the meeting held at … on Monday 6 March 2023"
MINUTES_TITLE = re.compile(
    r"^\W*(?P<before>.{0,120}?)\W*(?:(?:draft|confirmed|unconfirmed)\s+)?\bminutes\s+of\s+(?:(?:a|the)\s+(?:\w+\s+){0,2}?meeting"
    r"(?:\s+of\s+(?:the\s+)?(?P<body>.+?))?|(?:the\s+)?(?P<named>[^,]{3,120}?(?:Panel|Board|Committee)))\s+held\b(?P<rest>.*)$",
    re.I,
)
NOT_THIS_MEETING = re.compile(r"\b(?:previous|last|earlier|prior|next|future|confirm|approve|sign)\b", re.I)
# "Date:", "Date of meeting", "Meeting date", and a transcript's "Session date:" (the date on its own line below).
DATE_FIELD = re.compile(r"^\W*(?:date(?:\s+of\s+(?:the\s+)?meeting)?|(?:meeting|session)\s+date)\W*$", re.I)
DATE_FIELD_INLINE = re.compile(
    r"^\W*(?:date(?:\s+of\s+(?:the\s+)?meeting)?|(?:meeting|session)\s+date)(?:\s*[:\-–|]\s*|\s+)(?P<rest>.+)$", re.I
)
MEETING_SUMMARY = re.compile(r"^\W*Meeting\s+Summary\W*$", re.I)
# What may stand beside a date on a line of its own: a weekday, a time, a venue after "at".
_AROUND_DATE = re.compile(
    r"^(?:\s|,|-|–|\||to|at|from|\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|noon|midday|\(.*\))*$", re.I
)
_BODY_WORDS = re.compile(r"\b(?:Panel|Board|Committee)\b", re.I)
# A board or committee named by itself: "Strategic Priorities Assurance Board", "Police and Crime Committee".
# A name's capitalised words, small words between them: "West Mercia Governance", "Police and Crime".
_NAME_WORDS = r"(?:[A-Z][\w&'’-]*\s+(?:(?:and|&|of|for|the)\s+)*){1,6}"
_BOARD_NAME = re.compile(rf"(?:the\s+)?{_NAME_WORDS}(?:Panel|Board|Committee)", re.I)
# A sentence: words, then a full stop and more words, or many words ending in a full stop.
_SENTENCE = re.compile(r"\w[.?!]\s+[A-Z][a-z]|^(?:\S+\s+){12,}\S+[.?!]$")
_OWN_MINUTES = re.compile(r"\bminutes\s+of\s+the\s+(?:\w+\s+){0,2}?meeting\s+of\s+(?P<body>.{5,120}?)\s+held\b", re.I)
_GENERIC_PANEL = re.compile(r"(?:the\s+)?police\s*(?:,\s*fire)?\s+(?:and|&)\s+crime\s+panel", re.I)
# "A meeting of the Gwent Police and Crime Panel will be held at … on Friday, 14th March 2014"
WILL_BE_HELD = re.compile(r"\bmeeting\s+of\s+(?:the\s+)?(?P<body>.+?)\s+will\s+be\s+held\b(?P<rest>.{0,200})", re.I)


@dataclass(frozen=True)
class Meeting:
    """The meeting a record belongs to.

    body: the body that met ("Surrey Police and Crime Panel"), or None when the text does not say.
    date: ISO date of the meeting, or None when there is no evidence of it (never guessed).
    date_source: where the date came from: "source", "manifest", "upload", "heading" (a meeting line or
        title in the text), or None when there is no date.
    item: the item a meeting line names ("Meeting: … (Item 81)"), for records with no item of their own.
    item_given: the publishing system stated `item` for the whole text (ModernGov's minutes of one
        agenda item): it wins over any number the text prints.
    """

    body: str | None
    date: str | None
    date_source: DateSource | None = None
    item: str | None = None
    item_given: bool = False


@dataclass(frozen=True)
class MeetingSection:
    """A stretch of a document recording one meeting, from line `first` to the next section."""

    first: int
    meeting: Meeting


@dataclass
class MeetingMap:
    """The meetings a document records, by line; `warnings` say what could not be found, `notes` what was
    stated but not applied (for the ingest report)."""

    sections: list[MeetingSection]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def at(self, line: int) -> Meeting:
        """The meeting recorded at `line`."""
        found = self.sections[0].meeting
        for section in self.sections:
            if section.first > line:
                break
            found = section.meeting
        return found

    def ranges(self, last_line: int) -> list[tuple[int, int, Meeting]]:
        """(first, last, meeting) of every section."""
        out: list[tuple[int, int, Meeting]] = []
        for i, section in enumerate(self.sections):
            end = self.sections[i + 1].first - 1 if i + 1 < len(self.sections) else last_line
            out.append((section.first, end, section.meeting))
        return out

    @property
    def meetings(self) -> list[Meeting]:
        """The distinct meetings, in document order."""
        out: list[Meeting] = []
        for section in self.sections:
            if section.meeting not in out:
                out.append(section.meeting)
        return out


@dataclass(frozen=True)
class Given:
    """What was stated about a document outside its text: the publishing system, the manifest or the upload form.

    item: the agenda item the document was published under, if stated.
    attachment: the document was published with a meeting (an attachment of its agenda) rather than being
        that meeting's record: the stated facts fill in only where the text states no meeting of its own.
    """

    body: str | None = None
    date: str | None = None
    source: DateSource = "manifest"
    item: str | None = None
    attachment: bool = False

    def apply(self, meeting: Meeting) -> Meeting:
        """The meeting of one section of the text, with what was stated applied."""
        if self.attachment and meeting.date and self.date and meeting.date != self.date:
            return replace(meeting, body=meeting.body or self.body)  # another meeting's record, published with this
        dated = self.date is not None
        return replace(
            meeting,
            body=self.body or meeting.body,
            date=self.date or meeting.date,
            date_source=self.source if dated else meeting.date_source,
            item=self.item or meeting.item,
            item_given=self.item is not None and not self.attachment,
        )


def body_name(text: str) -> str | None:
    """The body a piece of heading text names: a panel in full, or a board or committee, or None."""
    panels = find_panels(text)
    if panels:
        return panels[0].name
    cleaned = clean_inline(text).strip(" ,.:;")
    board = _BOARD_NAME.fullmatch(cleaned)
    if board is None or _GENERIC_PANEL.fullmatch(cleaned):
        return None  # "Police and Crime Panel" alone names no panel
    return title_case(cleaned) if cleaned.isupper() else cleaned


def _date_in(text: str) -> str | None:
    found = find_dates(text)
    return found[0].date.isoformat() if found else None


def _standalone_date(segment: str) -> str | None:
    """The date a segment holds when it holds nothing else but a weekday, a time or a venue."""
    for mention in find_dates(segment):
        rest = segment[: mention.start] + " " + segment[mention.end :]
        rest = re.sub(r"(?:\bat|,)\s+[A-Z][^,]*(?:,\s*[A-Z][^,]*)*$", "", rest.strip())
        if _AROUND_DATE.match(rest):
            return mention.date.isoformat()
    return None


def _head(doc: SourceDocument) -> list[int]:
    """The lines of the title block: the first lines with text."""
    out: list[int] = []
    for n in range(1, doc.line_count + 1):
        if n in doc.debris or not doc.line(n).strip():
            continue
        out.append(n)
        if len(out) >= HEAD_LINES:
            break
    return out


def _segments(line: str) -> list[str]:
    """A line split where its markup separates pieces: bold runs ("**A****B**") and table cells."""
    pieces = re.split(r"\*{2,}|\|", line)
    return [clean_inline(p) for p in pieces if clean_inline(p)]


def _meeting_lines(doc: SourceDocument, head: list[int]) -> list[tuple[int, Meeting]]:
    """Every ModernGov meeting line (`Meeting: date - body (Item N)`) anywhere in the text, every meeting field
    naming a series and its date (`Meeting: MQT on 2018-05-17`), and such a series line in the title block."""
    out: list[tuple[int, Meeting]] = []
    title_block = set(head)
    for n in range(1, doc.line_count + 1):
        match = MEETING_LINE.match(doc.plain(n))
        if not match:
            series = _series_field(doc, n, n in title_block)
            if series is not None:
                out.append((n, series))
            continue
        date = read_date(match.group("date"))
        if date is None:
            continue
        body = body_name(match.group("body"))
        out.append((n, Meeting(body, date.isoformat(), "heading", match.group("item"))))
    return out


def _series_field(doc: SourceDocument, n: int, in_head: bool) -> Meeting | None:
    """The meeting a `Meeting:` field at line n names as a series on a date (its value on the line or the next),
    or, in the title block, a line that is only that: a body's name or an acronym, "on", a date
    ("MQT on 2014-10-22")."""
    field = MEETING_FIELD.match(doc.plain(n))
    if field is None and not in_head:
        return None
    value = field.group("rest").strip() if field else doc.plain(n)
    if field and not value:
        following = next((k for k in range(n + 1, min(n + 3, doc.line_count + 1)) if doc.line(k).strip()), None)
        value = doc.plain(following) if following else ""
    series = _SERIES_ON.match(value)
    date = read_date(series.group("date")) if series else None
    if series is None or date is None or len(series.group("body").split()) > 8:
        return None
    written = series.group("body").strip(" ,")
    named = body_name(written)
    if field is None and not (named or re.fullmatch(r"[A-Z]{2,6}", written)):
        return None  # "Meeting held on 5 May" names no body
    # A field names the meeting whatever its words: the series as written ("MQT", "Full Council").
    return Meeting(named or written, date.isoformat(), "heading")


def _title_statement(doc: SourceDocument, head: list[int]) -> tuple[str | None, str | None]:
    """(body, date) stated by the title block, either possibly None."""
    texts = [doc.plain(n) for n in head]
    for i, text in enumerate(texts):
        # "At the Police and Crime Panel meeting held on Friday, 3rd February, 2023, seven of the eight Members
        # present voted …" tells of another meeting in a sentence; a title states its meeting and stops.
        titles = () if _SENTENCE.search(text) else (MEETING_OF, TITLE_LINE, BODY_MEETING)
        for pattern in titles:
            match = pattern.match(text)
            if match:
                date = _leading_date(match.group("rest"))
                named = body_name(match.group("body"))
                if date and named:
                    return named, date
                if date and _GENERIC_PANEL.fullmatch(clean_inline(match.group("body")).strip(" ,.:;")):
                    # "Police and Crime Panel - Wednesday 19 November 2014 1.00 p.m.": the host council's title for
                    # its panel states the meeting, though not which panel; the body is read elsewhere, or is null.
                    return None, date
        named = body_name(text) if i + 1 < len(texts) and _BODY_WORDS.search(text) else None
        if named and _leading_date(texts[i + 1]) and _standalone_date(texts[i + 1]):
            return named, _leading_date(texts[i + 1])  # the title split over two lines: body, then the date
        joined = " ".join(texts[i : i + 3])  # a title wrapped over lines
        held = WILL_BE_HELD.search(joined)
        if held and body_name(held.group("body")):
            date = _date_in(held.group("rest"))
            if date:
                return body_name(held.group("body")), date
        found = _minutes_title(joined, texts[:i])
        if found:
            return found
        if MEETING_SUMMARY.match(text):
            following = texts[i + 1 : i + 4]
            named = next((b for t in following if (b := body_name(t))), None)
            date = next((d for t in following if (d := _leading_date(t))), None)
            if date:
                return named, date
    # A date field, or a date standing alone in a title block that names a body ("10th September 2020").
    names_body = any(_BODY_WORDS.search(text) for text in texts)
    for i, text in enumerate(texts):
        date = None
        inline = DATE_FIELD_INLINE.match(text)
        if inline:
            date = _standalone_date(inline.group("rest"))
        elif DATE_FIELD.match(text) and i + 1 < len(texts):
            date = _standalone_date(texts[i + 1])
        if date is None:
            cells = _segments(doc.line(head[i]))
            for k, cell in enumerate(cells):
                if DATE_FIELD.match(cell) and k + 1 < len(cells):
                    date = _standalone_date(cells[k + 1])
                elif names_body and not (k == 0 and len(cells) > 1):
                    # A date in a title's cell ("Wessex Panel | 10th September 2020"); a row that opens on a date
                    # ("08/12/2020 | View | Response") is an entry of a table of dated entries: it dates that row.
                    date = _standalone_date(cell)
                if date:
                    break
        if date:
            return None, date
    return None, None


def _minutes_title(text: str, above: list[str]) -> tuple[str | None, str] | None:
    """(body, date) of a minutes title ("MINUTES OF A MEETING OF X HELD ON …"), when the body is named in it,
    before it on its line, or on a line above; None when `text` is no such title (or confirms earlier minutes)."""
    minutes = MINUTES_TITLE.match(text)
    if minutes is None or NOT_THIS_MEETING.search(text[: minutes.start("rest")]):
        return None
    before = minutes.group("before").strip(" ,.:;-–")
    if before and not _is_body_alone(before):
        return None  # "… Tuesday, 7th February, 2017 10.00 am Minutes of the Police and Crime Panel held on …"
    written = minutes.group("body") or minutes.group("named")
    named = body_name(written) if written else None
    named = named or (body_name(before) if before else None)
    named = named or next((b for t in reversed(above[-3:]) if (b := body_name(t))), None)
    date = _date_in(minutes.group("rest")[:120])
    return (named, date) if date and named else None


def _is_body_alone(text: str) -> bool:
    """Whether a text is a body's name and nothing more ("Norfolk Police and Crime Panel")."""
    panels = find_panels(text)
    if panels:
        return len(text) - (panels[0].end - panels[0].start) <= 4
    return body_name(text) is not None


def _leading_date(text: str) -> str | None:
    """The date a text starts with (after a weekday), or None: "Thursday, 16th November, 2017 10.30 am"."""
    match = DATE_SHAPE.search(text)
    if match is None or text[: match.start()].strip(" ,"):
        return None
    found = read_date(match.group(0))
    return found.isoformat() if found else None


# What stands before a panel named in passing in a heading: "Joint working with the X Panel", "Letter to the Chair
# of the X Panel", "Update from the X Panel" (while "Minutes of the meeting of the X Panel" names the page's own).
_IN_PASSING = re.compile(
    r"(?:\b(?:with|to|from|by|and|between|for|about|into|versus|joint)|(?<!minutes)(?<!meeting)(?<!agenda)(?<!summons)"
    r"(?<!notice)\s+of)\s+(?:the\s+)?$",
    re.I,
)


def head_body(doc: SourceDocument, head: list[int]) -> str | None:
    """The body the title block names: a panel in full, a panel whose area the Commissioner's title gives, a board.

    Only the title block's headings count, up to a "Minutes:" label: a sentence there ("The Chairman had met
    the Chairman of the Sussex Police and Crime Panel") mentions a panel in passing.
    """
    lines: list[str] = []
    for n in head:
        line = doc.plain(n)
        if re.match(r"^\W*minutes?\s*:\s*$", line, re.I):
            break
        if not _SENTENCE.search(line):
            lines.append(doc.line(n))
    text = "\n".join(clean_inline(line.replace("**", "\n")) for line in lines)
    panels = [m for m in find_panels(text) if not _IN_PASSING.search(text[text.rfind("\n", 0, m.start) + 1 : m.start])]
    if panels:
        return panels[0].name
    if re.search(r"police\s*(?:,\s*fire)?\s+(?:and|&)\s+crime\s+panel", text, re.I):
        area = area_of_commissioner(text)
        if area:
            return panel_of_area(area, fire=bool(re.search(r"police\s*,\s*fire", text, re.I)))
    # A board's pack opens with its agenda; its name stands in the capitals of the first pages, or alone on a line
    # of the title block ("West Mercia Governance Board" over "Notes of Meeting").
    return (
        board_in_heading(lines)
        or board_in_heading(doc.lines[:BOARD_LINES])
        or next((b for b in map(_titled_board, lines) if b), None)
    )


# A board or committee's proper name, every word capitalised but the small ones: "West Mercia Governance Board"
# (case counts here, unlike in _BOARD_NAME: "Questions from Members of the Panel" is no name).
_TITLED_BOARD = re.compile(rf"{_NAME_WORDS}(?:Board|Committee)")


def _titled_board(line: str) -> str | None:
    """A title-block line that is a board's or committee's proper name and nothing more, or None ("Questions from
    Members of the Panel" and "Audit Committee Report" are not)."""
    cleaned = clean_inline(line).strip(" ,.:;*#")
    if not _TITLED_BOARD.fullmatch(cleaned) or cleaned.split()[0].lower() in NOT_AREAS:
        return None
    return cleaned


def _minutes_inside(doc: SourceDocument, after: int, current: Meeting) -> list[MeetingSection]:
    """Sections for the minutes of other meetings a document holds (an agenda pack with last meeting's minutes).

    A minutes title standing as a heading below the title block ("GWENT POLICE AND CRIME PANEL" over
    "MINUTES OF THE MEETING HELD AT … ON FRIDAY 24TH JANUARY 2014") starts a section, from the
    body's line above it when there is one.
    """
    out: list[MeetingSection] = []
    texts = [(n, doc.plain(n)) for n in range(after + 1, doc.line_count + 1) if doc.line(n).strip()]
    for i, (n, text) in enumerate(texts):
        if not re.match(r"^\W*(?:draft\s+|confirmed\s+)?minutes\s+of\b", text, re.I):
            continue
        above = [t for _, t in texts[max(0, i - 2) : i]]
        found = _minutes_title(" ".join(t for _, t in texts[i : i + 3]), above)
        if found is None or found[1] == current.date:
            continue
        body, date = found
        first = texts[i - 1][0] if i and body_name(texts[i - 1][1]) else n
        current = Meeting(body, date, "heading")
        out.append(MeetingSection(first, current))
    return out


def own_minutes_body(doc: SourceDocument) -> str | None:
    """The panel whose earlier minutes the text confirms ("the minutes of the meeting of the Derbyshire Police and
    Crime Panel held on …"): a panel confirms only its own minutes, so this names the body, though not the date."""
    for n in range(1, doc.line_count + 1):
        match = _OWN_MINUTES.search(doc.plain(n))
        if match:
            found = find_panels(match.group("body"))
            if found:
                return found[0].name
    return None


# "23. Matters arising from the minutes of 12 July 2022", "4 MATTERS ARISING", "Item 3: Matters arising".
_MATTERS_ARISING = re.compile(
    r"^\W*(?:(?:item|minute)\s+)?(?P<number>\d{1,3})?(?:[./]\d{1,3})?[.):]?\s*(?:[-–:]\s*)?matters?\s+arising\b(?P<rest>.*)$",
    re.I,
)
# The next item's heading: a number and a short title ("24. Public questions", "5 COMMISSIONER'S UPDATE").
_ITEM_HEADING = re.compile(r"^\W*(?:(?:item|minute)\s+)?(?P<number>\d{1,3})(?:[./]\d{1,3})?[.):]?\s+[A-Z]")
ITEM_HEADING_WORDS = 12
# Asking reported from the earlier meeting ("Cllr Grey had asked whether …", "at the last meeting Members asked …"),
# not asked again at this one ("Information was requested on … since the last meeting").
_ASKED_BEFORE = re.compile(
    r"\bhad\s+(?:been\s+)?(?:asked|queried|raised|requested|sought|enquired|questioned)\b"
    r"|\bat\s+the\s+(?:last|previous|preceding|earlier)\s+meeting\b[^.]{0,80}\b(?:asked|queried|raised|requested|sought)\b",
    re.I,
)


def _matters_arising(doc: SourceDocument, sections: list[MeetingSection]) -> tuple[list[MeetingSection], list[str]]:
    """Sections for "matters arising" items that quote exchanges of an earlier meeting ("Cllr Grey had asked …"): their
    records are cited with that meeting's date where the heading states it, and with none where it does not (never
    this meeting's). Matters raised afresh at this meeting stay with it."""
    found = MeetingMap(sections)
    added: list[MeetingSection] = []
    spans: list[tuple[int, int]] = []
    notes: list[str] = []
    n = 1
    while n <= doc.line_count:
        line = doc.plain(n)
        match = _MATTERS_ARISING.match(line)
        if match is None or n in doc.debris or len(line.split()) > 16:
            n += 1
            continue
        current = found.at(n)
        earlier = _date_in(match.group("rest"))
        end = n + 1
        while end <= doc.line_count:
            following = doc.plain(end)
            heading = _ITEM_HEADING.match(following)
            short = len(following.split()) <= ITEM_HEADING_WORDS
            if heading and short and heading.group("number") != match.group("number"):
                break
            end += 1
        if not any(_ASKED_BEFORE.search(doc.line(k)) for k in range(n + 1, end)):
            n = end
            continue
        spans.append((n, end))
        added.append(MeetingSection(n, Meeting(current.body, earlier, "heading" if earlier else None)))
        if end <= doc.line_count:
            added.append(MeetingSection(end, found.at(end)))
        notes.append(
            f"matters arising at line {n}: cited with the meeting they arose from "
            + (f"({earlier})" if earlier else "(not stated: no date)")
        )
        n = end
    if not added:
        return sections, notes
    kept = [s for s in sections if not any(first <= s.first < end for first, end in spans)]
    return sorted([*kept, *added], key=lambda s: s.first), notes


def read_meetings(doc: SourceDocument, given: Given | None = None) -> MeetingMap:
    """The meetings `doc` records, each with the evidence for its body and date (see the module docstring)."""
    head = _head(doc)
    sections: list[MeetingSection] = []
    warnings: list[str] = []
    notes: list[str] = []
    lines = _meeting_lines(doc, head)
    if lines:
        # The page's own heading stands before the first meeting line and belongs to it.
        sections = [MeetingSection(1 if i == 0 else n, meeting) for i, (n, meeting) in enumerate(lines)]
    else:
        body, date = _title_statement(doc, head)
        body = body or head_body(doc, head)
        sections = [MeetingSection(1, Meeting(body, date, "heading" if date else None))]
        sections += _minutes_inside(doc, head[-1] if head else 0, sections[0].meeting)
    fallback_body = head_body(doc, head) or own_minutes_body(doc)
    sections = [MeetingSection(s.first, replace(s.meeting, body=s.meeting.body or fallback_body)) for s in sections]
    if given is None or given.attachment:
        sections, arising = _matters_arising(doc, sections)
        notes.extend(arising)
    if given is not None:
        sections = [MeetingSection(s.first, given.apply(s.meeting)) for s in sections]
        kept = sorted({s.meeting.date for s in sections if s.meeting.date and s.meeting.date != given.date})
        if given.attachment and given.date and kept:
            notes.append(
                f"published with the meeting of {given.date}, but records the meeting of {', '.join(kept)} "
                "as its text states: cited with that date"
            )
    if any(s.meeting.date is None for s in sections):
        warnings.append("meeting date not stated in the text: cited with meeting_date null")
    if any(s.meeting.body is None for s in sections):
        warnings.append("body not named in the text's heading or meeting line: cited with body null")
    return MeetingMap(sections, warnings, notes)
