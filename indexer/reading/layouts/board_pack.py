"""Board meeting packs extracted with pdftotext: agenda, earlier minutes, report cover sheets.

A pack holds the agenda of the meeting it is for, the minutes of the previous meeting
(cited to that meeting's date), and reports, each opening with a cover sheet (TITLE,
REPORT BY, DATE, PURPOSE OF THE REPORT, RECOMMENDATIONS, CONTACT FOR ENQUIRIES) and going
on in numbered paragraphs. pdftotext flattens tables one cell per line and sometimes moves
a cover sheet's title or item stamp, so the item code falls back on the agenda's order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from indexer.reading.bodies import title_case
from indexer.reading.citing import RecordFactory
from indexer.reading.dates import first_date
from indexer.reading.document import SourceDocument
from indexer.reading.layouts.base import Layout, ParseResult
from indexer.reading.layouts.common import paragraph_spans
from indexer.reading.meeting import Meeting, MeetingMap
from indexer.reading.text import RESOLVED, clean_inline, resolution
from indexer.records import Record

PURPOSE = re.compile(r"^\s*PURPOSE OF THE REPORT\s*$")
TITLE_LABEL = re.compile(r"^\s*(?:REPORT\s+)?TITLE\s*$")
REPORT_BY = re.compile(r"^\s*REPORT (?:BY|OF)\b")
DATE_LABEL = re.compile(r"^\s*DATE\s*$")
COVER_END = re.compile(r"^\s*CONTACT FOR ENQUIRIES\s*$")
COVER_FIELD = re.compile(r"^\s*(ATTACHMENTS|RECOMMENDATIONS|CONTACT FOR ENQUIRIES|BACKGROUND PAPERS)\s*$")
ITEM_CODE = re.compile(r"^\s*(?:AGENDA ITEM\s*)?(\d{1,2}[A-Za-z])\s*$")
ITEM_STAMP = re.compile(r"^\s*AGENDA ITEM\s*(\d{1,2}[A-Za-z])\b", re.I)
APPENDIX = re.compile(r"^\s*APPENDIX\s+([A-Z0-9]{1,3})\b")
MINUTES_START = re.compile(r"^\s*MINUTES\s*$")
DATE_OF_MEETING = re.compile(r"^\s*DATE OF MEETING\b")
MEETING_CLOSED = re.compile(r"^\s*Meeting closed\b", re.I)
MINUTE_CODE = re.compile(r"^\s*(\d{1,2}[A-Z]?)\.?(?:\s*\(([ivx]{1,4})\))?\.?\s*$")
PARA_NUMBER = re.compile(r"^\s*(\d{1,2}\.\d{1,2})\.?(?:\s+(?=\S)|\s*$)")
SECTION_NUMBER = re.compile(r"^\s*(\d{1,2})\.\s*(?:([A-Z][A-Z0-9 ,:&'’()/-]{3,}))?\s*$")
# Labels on cover sheets and agenda columns that are never a title.
NOT_TITLES = {
    "AGENDA ITEM",
    "STRATEGIC PRIORITIES",
    "ASSURANCE BOARD",
    "REPORT",
    "TITLE",
    "TO NOTE",
    "NONE",
    "DECISION REPORTS",
    "PERFORMANCE ISSUES",
    "FINANCE",
    "REPORTS TO NOTE",
    "DECISIONS TAKEN",
}
CHUNK_WORDS = 120
# A numbered "paragraph" this short, with no closing punctuation, is a sub-heading.
SUBHEADING_WORDS = 10


@dataclass
class _Report:
    first: int
    last: int
    purpose: int
    item: str | None
    title: str | None
    appendix: str | None


def _is_upper_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def detect(doc: SourceDocument) -> float:
    """Confident for paged text with report cover sheets or board minutes."""
    covers = sum(1 for line in doc.lines if PURPOSE.match(line))
    minutes = any(DATE_OF_MEETING.match(line) for line in doc.lines)
    # Two report cover sheets make a pack whether or not the file has pages: a Word pack (no pages) was
    # read as minutes when both layouts scored 0.8, and gave 22 records where its PDF gives 415.
    if covers >= 2 or (covers and minutes):
        return 0.9 if doc.page_of_line is not None else 0.85
    if covers or minutes:
        return 0.4 if doc.page_of_line is not None else 0.3
    return 0.0


def _page_start(doc: SourceDocument, line: int) -> int:
    """The first line of text on the page of `line`: not a running header, page number or blank."""
    if doc.page_of_line is None:
        return line
    page = doc.page_of_line[line - 1]
    n = line
    while n > 1 and doc.page_of_line[n - 2] == page:
        n -= 1
    while n < line and doc.blank(n):
        n += 1
    return n


def agenda_titles(doc: SourceDocument, last: int) -> dict[str, str]:
    """Item code -> title from the agenda at the head of the pack (lines 1..last)."""
    titles: dict[str, str] = {}
    for n in range(1, last + 1):
        match = ITEM_CODE.match(doc.line(n))
        if not match or n in doc.debris:
            continue
        for m in range(n + 1, min(n + 4, last) + 1):
            text = doc.plain(m) if m not in doc.debris else ""
            if text and text not in NOT_TITLES and not ITEM_CODE.match(text):
                titles.setdefault(match.group(1).upper(), title_case(text) if text.isupper() else text)
                break
    return titles


def _cover_title(doc: SourceDocument, start: int, purpose: int) -> str | None:
    """The title on a cover sheet: after TITLE, or the capitals before REPORT BY."""
    lines = [n for n in range(start, purpose) if n not in doc.debris]
    label = next((n for n in lines if TITLE_LABEL.match(doc.line(n))), None)
    picked: list[str] = []
    candidates = [n for n in lines if label is None or n > label]
    for n in candidates:
        text = doc.plain(n)
        if REPORT_BY.match(text) or DATE_LABEL.match(text):
            break
        if not text or text in NOT_TITLES or ITEM_CODE.match(text) or APPENDIX.match(text) or TITLE_LABEL.match(text):
            if picked and not text:
                continue
            continue
        if _is_upper_line(text):
            picked.append(text)
        elif picked:
            break
    title = " ".join(picked).strip()
    return title_case(title) if title else None


def _match_agenda(title: str | None, agenda: dict[str, str]) -> str | None:
    """The agenda item whose title is close to this one (pdftotext may reword capitals and brackets)."""
    if not title:
        return None
    # token_sort, not token_set: a long heading contains most short titles' words.
    best = max(agenda.items(), key=lambda kv: fuzz.token_sort_ratio(title.lower(), kv[1].lower()), default=None)
    if best and fuzz.token_sort_ratio(title.lower(), best[1].lower()) >= 80:
        return best[0]
    return None


def _section_heading(doc: SourceDocument, line: int, last: int) -> str:
    words: list[str] = []
    for n in range(line + 1, min(line + 6, last) + 1):
        text = doc.plain(n)
        if text and _is_upper_line(text):
            words.append(text)
        elif text:
            break
    return " ".join(words)


def _restarts(doc: SourceDocument, first: int, last: int) -> list[int]:
    """Pages that open with section "1." after numbered text: another document bound into the pack."""
    seen_numbered = False
    out: list[int] = []
    for n in range(first, last + 1):
        line = doc.line(n)
        sec = SECTION_NUMBER.match(line)
        if sec and sec.group(1) == "1" and seen_numbered and _page_start(doc, n) == n:
            out.append(n)
            seen_numbered = False
        if PARA_NUMBER.match(line) or sec:
            seen_numbered = True
    return out


def _find_reports(doc: SourceDocument, after: int, agenda: dict[str, str]) -> list[_Report]:
    """Reports in the pack: one per cover sheet, plus documents bound in without one."""
    purposes = [n for n in range(after + 1, doc.line_count + 1) if PURPOSE.match(doc.line(n))]
    starts = [max(_page_start(doc, p), after + 1) for p in purposes]
    order = list(agenda)
    covers: list[_Report] = []
    previous: _Report | None = None
    for i, (start, purpose) in enumerate(zip(starts, purposes, strict=True)):
        last = starts[i + 1] - 1 if i + 1 < len(starts) else doc.line_count
        window = range(max(start - 3, after + 1), min(purpose + 40, last) + 1)
        item = next(
            (
                m.group(1).upper()
                for n in window
                if n not in doc.debris and (m := ITEM_CODE.match(doc.line(n)) or ITEM_STAMP.match(doc.line(n)))
            ),
            None,
        )
        appendix = next((m.group(1) for n in window if (m := APPENDIX.match(doc.line(n)))), None)
        cover_title = _cover_title(doc, start, purpose)
        if item is None:
            item = _match_agenda(cover_title, agenda)
        if item is None and previous is not None and cover_title and cover_title == previous.title:
            item = previous.item  # an appendix with the same cover as its report
        if item is None and previous is not None and previous.item in order:
            # No stamp and no agenda title: the pack keeps agenda order, so it is the next item.
            index = order.index(previous.item) + 1
            item = order[index] if index < len(order) else None
        title = cover_title or (agenda.get(item) if item else None)
        report = _Report(start, last, purpose, item, title, appendix)
        covers.append(report)
        previous = report
    # Documents bound in without a cover sheet (an appendix, an annual review) restart at 1.
    with_covers = {r.item for r in covers}
    reports: list[_Report] = []
    for report in covers:
        cuts = _restarts(doc, report.purpose, report.last)
        bounds = [report.first, *cuts, report.last + 1]
        current = report
        reports.append(current)
        for k, cut in enumerate(cuts):
            current.last = cut - 1
            heading = _section_heading(doc, cut, bounds[k + 2] - 1)
            item, title = None, None
            if report.title and fuzz.token_set_ratio(heading.lower(), report.title.lower()) >= 75:
                item, title = report.item, report.title  # another appendix of the same report
            if item is None:
                item = _match_agenda(heading, agenda)
                title = agenda.get(item) if item else None
            if item is None and current.item in order:
                later = [c for c in order[order.index(current.item) + 1 :] if c not in with_covers]
                item = later[0] if later else None
                title = agenda.get(item) if item else None
            current = _Report(cut, bounds[k + 2] - 1, cut - 1, item, title, None)
            reports.append(current)
    return reports


def _minutes_range(doc: SourceDocument) -> tuple[int, int, str | None] | None:
    for n in range(1, doc.line_count):
        if MINUTES_START.match(doc.line(n)) and any(
            DATE_OF_MEETING.match(doc.line(m)) for m in range(n + 1, min(n + 3, doc.line_count) + 1)
        ):
            date = first_date("\n".join(doc.lines[n : n + 8]))
            end = next((m for m in range(n, doc.line_count + 1) if MEETING_CLOSED.match(doc.line(m))), None)
            if end is None:
                end = next((m for m in range(n, doc.line_count + 1) if PURPOSE.match(doc.line(m))), doc.line_count)
            return n, end, date.isoformat() if date else None
    return None


def _minute_records(
    doc: SourceDocument, factory: RecordFactory, meeting: Meeting, first: int, last: int, result: ParseResult
) -> None:
    starts: list[tuple[int, str, int]] = []  # (code line, code, title line)
    for n in range(first, last + 1):
        if n in doc.debris:
            continue
        match = MINUTE_CODE.match(doc.line(n))
        if not match:
            continue
        # The title follows within two lines, not counting a page's footer and header between.
        following = [m for m in range(n + 1, min(n + 8, last) + 1) if m not in doc.debris][:2]
        title_line = next((m for m in following if not doc.blank(m)), None)
        if title_line is None or not _is_upper_line(doc.plain(title_line)):
            continue
        code = match.group(1) + (f" ({match.group(2)})" if match.group(2) else "")
        starts.append((n, code, title_line))
    result.covered.update(range(first, starts[0][0] if starts else first))
    for i, (n, code, title_line) in enumerate(starts):
        end = starts[i + 1][0] - 1 if i + 1 < len(starts) else last
        title_last = title_line
        while (
            title_last + 1 <= end
            and doc.line(title_last + 1).strip()
            and _is_upper_line(doc.plain(title_last + 1))
            and not RESOLVED.match(doc.line(title_last + 1))
        ):
            title_last += 1
        title = title_case(" ".join(doc.plain(m) for m in range(title_line, title_last + 1)))
        result.covered.update(range(n, title_last + 1))
        body_first, body_last = title_last + 1, end
        while body_last > body_first and (not doc.line(body_last).strip() or body_last in doc.debris):
            body_last -= 1
        text = doc.quote(body_first, body_last) if body_first <= body_last else ""
        if not text.strip():
            continue
        resolved = resolution(text)
        result.records.append(
            factory.make(
                "minute",
                body_first,
                body_last,
                meeting,
                text=text,
                item=code,
                title=title,
                context=title,
                resolved=resolved,
            )
        )
    if last <= doc.line_count and MEETING_CLOSED.match(doc.line(last)):
        result.covered.add(last)


def chunk_spans(doc: SourceDocument, first: int, last: int, skip: set[int]) -> list[tuple[int, int]]:
    """Runs of paragraphs of about CHUNK_WORDS words, for text with no numbering (tables, letters)."""
    chunks: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    words = 0
    for a, b in paragraph_spans(doc, first, last):
        if any(n in skip for n in range(a, b + 1)):
            if current:
                chunks.append(current)
            current, words = None, 0
            continue
        size = len(doc.quote(a, b).split())
        if current and words + size > CHUNK_WORDS:
            chunks.append(current)
            current, words = None, 0
        current = (current[0], b) if current else (a, b)
        words += size
    if current:
        chunks.append(current)
    return chunks


@dataclass(frozen=True)
class _Cited:
    """How one report's records are cited: the report, the reference prefix of its appendix, its title and context."""

    report: _Report
    meeting: Meeting
    prefix: str
    title: str | None
    context: str

    def make(self, factory: RecordFactory, first: int, last: int, text: str, reference: str, context: str) -> Record:
        """A report_section record of this report."""
        return factory.make(
            "report_section",
            first,
            last,
            self.meeting,
            text=text,
            item=self.report.item,
            reference=reference,
            title=self.title,
            context=context,
        )


def _report_records(
    doc: SourceDocument, factory: RecordFactory, meeting: Meeting, report: _Report, result: ParseResult
) -> None:
    """A report's records: its cover sheet, its numbered paragraphs, and in chunks what has no numbering."""
    title = report.title
    cited = _Cited(
        report,
        meeting,
        f"Appendix {report.appendix}, " if report.appendix else "",
        title,
        f"{title}{f' (appendix {report.appendix})' if report.appendix else ''}" if title else "",
    )
    body_start = _cover_sheet(doc, factory, cited, result)
    para_starts, headings = _numbered_starts(doc, report, body_start)
    numbered_lines = _numbered_records(doc, factory, cited, para_starts, headings, result)
    _unnumbered_chunks(doc, factory, cited, body_start, numbered_lines | result.covered, result)


def _cover_sheet(doc: SourceDocument, factory: RecordFactory, cited: _Cited, result: ParseResult) -> int:
    """Record the cover sheet (purpose and recommendations: what the report asks); return where the body starts."""
    report = cited.report
    cover_end = next(
        (n for n in range(report.purpose, min(report.purpose + 60, report.last) + 1) if COVER_END.match(doc.line(n))),
        None,
    )
    cover_last = (cover_end - 1) if cover_end else report.purpose
    result.covered.update(range(report.first, report.purpose + 1))
    if cover_end:
        # Contact names, phone numbers and e-mail addresses after CONTACT FOR ENQUIRIES.
        tail = cover_end
        while (
            tail + 1 <= report.last
            and not PARA_NUMBER.match(doc.line(tail + 1))
            and not SECTION_NUMBER.match(doc.line(tail + 1))
            and len(doc.plain(tail + 1).split()) <= 6
        ):
            tail += 1
        result.covered.update(range(cover_end, tail + 1))
        body_start = tail + 1
    else:
        body_start = report.purpose + 1
    for n in range(report.purpose + 1, cover_last + 1):
        if COVER_FIELD.match(doc.line(n)):
            result.covered.add(n)
    if cover_last > report.purpose:
        text = doc.quote(report.purpose + 1, cover_last)
        if text.strip():
            reference = f"{cited.prefix}cover sheet"
            result.records.append(cited.make(factory, report.purpose + 1, cover_last, text, reference, cited.context))
    return body_start


def _numbered_starts(
    doc: SourceDocument, report: _Report, body_start: int
) -> tuple[list[tuple[int, str]], dict[int, str]]:
    """Where each numbered paragraph or section heading starts ("2.3", "section 4"), and each heading's words."""
    para_starts: list[tuple[int, str]] = []
    headings: dict[int, str] = {}
    major = 0  # the section the numbering is in; numbers that do not follow on are table cells
    for n in range(body_start, report.last + 1):
        if n in doc.debris:
            continue
        line = doc.line(n)
        para = PARA_NUMBER.match(line)
        sec = SECTION_NUMBER.match(line)
        if para:
            a, b = (int(x) for x in para.group(1).split("."))
            if major and a not in (major, major + 1):
                continue
            if a == major + 1 and major and b != 1:
                continue
            major = a
            para_starts.append((n, para.group(1)))
        elif sec:
            section_number = int(sec.group(1))
            if major and section_number not in (major + 1, 1) and not (section_number == major and sec.group(2)):
                continue
            major = section_number
            heading_lines = [clean_inline(line)]
            m = n + 1
            while m <= report.last and (not doc.line(m).strip() or _is_upper_line(doc.plain(m))) and m - n < 8:
                if doc.line(m).strip():
                    heading_lines.append(doc.plain(m))
                m += 1
            heading = re.sub(r"^\d+\.\s*", "", " ".join(heading_lines)).strip()
            headings[n] = title_case(heading) if heading.isupper() else heading
            para_starts.append((n, f"section {sec.group(1)}"))
    return para_starts, headings


def _numbered_records(
    doc: SourceDocument,
    factory: RecordFactory,
    cited: _Cited,
    para_starts: list[tuple[int, str]],
    headings: dict[int, str],
    result: ParseResult,
) -> set[int]:
    """Record each numbered paragraph under its section heading; the lines the numbering covers."""
    section = ""
    numbered_lines: set[int] = set()
    for i, (n, number) in enumerate(para_starts):
        end = para_starts[i + 1][0] - 1 if i + 1 < len(para_starts) else cited.report.last
        if n in headings:
            section = headings[n]
            heading_end = n
            while heading_end + 1 <= end and (
                not doc.line(heading_end + 1).strip() or _is_upper_line(doc.plain(heading_end + 1))
            ):
                heading_end += 1
            result.covered.update(range(n, heading_end + 1))
            numbered_lines.update(range(n, heading_end + 1))
            if heading_end >= end:
                continue
            n = heading_end + 1
            number = f"section {number.split()[-1]}"
        while end > n and (not doc.line(end).strip() or end in doc.debris):
            end -= 1
        text = re.sub(r"^\s*\d{1,2}\.\d{1,2}\.?\s*", "", doc.quote(n, end))
        numbered_lines.update(range(n, end + 1))
        if len(text.split()) < 3:
            continue
        if len(text.split()) <= SUBHEADING_WORDS and not text.rstrip().endswith((".", ":", ";", "?", "!")):
            # A numbered line that is only a heading ("8.1 Guilty Plea at First Hearing") names what follows.
            section = text.strip()
            result.covered.update(range(n, end + 1))
            continue
        reference = f"{cited.prefix}{number if number.startswith('section') else 'para ' + number}"
        context = f"{cited.context}. {section}" if section and cited.context else (cited.context or section)
        result.records.append(cited.make(factory, n, end, text, reference, context))
    return numbered_lines


def _unnumbered_chunks(
    doc: SourceDocument, factory: RecordFactory, cited: _Cited, body_start: int, skip: set[int], result: ParseResult
) -> None:
    """Record what has no numbering (tables, annexes, letters) in chunks, cited by page."""
    for a, b in chunk_spans(doc, body_start, cited.report.last, skip):
        text = doc.quote(a, b)
        if len(text.split()) < 8:
            continue
        page = doc.page(a)
        reference = f"{cited.prefix}p. {page}" if page else f"{cited.prefix}lines {a}-{b}"
        result.records.append(cited.make(factory, a, b, text, reference, cited.context))


def parse(doc: SourceDocument, meetings: MeetingMap) -> ParseResult:
    """Minutes of the earlier meeting, and the reports of the pack's own meeting.

    The pack states its own meeting's date on every report's cover sheet ("DATE" over the date)
    and the earlier meeting's in its minutes ("DATE OF MEETING"); the body is the meeting stage's.
    """
    stated = meetings.at(1)
    body = stated.body
    # A date given with the pack (manifest, upload) is trusted over its cover sheets, as for every layout.
    given = stated if stated.date_source in ("manifest", "upload") else None
    result = ParseResult()
    factory = RecordFactory(doc)
    minutes = _minutes_range(doc)
    agenda_end = (
        minutes[0] - 1
        if minutes
        else next((n for n, line in enumerate(doc.lines, 1) if PURPOSE.match(line)), doc.line_count)
    )
    agenda = agenda_titles(doc, agenda_end)
    result.covered.update(range(1, agenda_end + 1))
    cover_dates = [
        d
        for n, line in enumerate(doc.lines, 1)
        if DATE_LABEL.match(line) and (d := first_date("\n".join(doc.lines[n : n + 3])))
    ]
    pack_date = Counter(cover_dates).most_common(1)[0][0].isoformat() if cover_dates else None
    pack_meeting = given or Meeting(body, pack_date, "heading" if pack_date else None)
    result.meetings.append(pack_meeting)
    reports_after = agenda_end
    if minutes:
        first, last, date = minutes
        minutes_meeting = given or Meeting(body, date, "heading" if date else None)
        result.meetings.append(minutes_meeting)
        _minute_records(doc, factory, minutes_meeting, first, last, result)
        reports_after = last
        if date is None:
            result.warnings.append(f"minutes at line {first}: meeting date not found")
    reports = _find_reports(doc, reports_after, agenda)
    for report in reports:
        _report_records(doc, factory, pack_meeting, report, result)
        if report.item is None:
            result.warnings.append(f"report at line {report.first}: agenda item not found")
        if report.title is None:
            result.warnings.append(f"report at line {report.first}: title not found")
    if pack_date is None:
        result.warnings.append("pack meeting date not found on any cover sheet")
    # Between the minutes and the first report: review of actions, forward plan.
    gap_end = reports[0].first - 1 if reports else doc.line_count
    for a, b in chunk_spans(doc, reports_after + 1, gap_end, result.covered):
        text = doc.quote(a, b)
        if len(text.split()) < 8:
            continue
        heading = next((doc.plain(n) for n in range(a, b + 1) if _is_upper_line(doc.plain(n))), None)
        title = title_case(heading) if heading else None
        page = doc.page(a)
        result.records.append(
            factory.make(
                "report_section",
                a,
                b,
                pack_meeting,
                text=text,
                title=title,
                context=title or "",
                reference=f"p. {page}" if page else f"lines {a}-{b}",
            )
        )
    result.records.sort(key=lambda r: r.citation.location.lines)
    return result


LAYOUT = Layout(name="board_pack", detect=detect, parse=parse)
