"""Minutes, as any panel's council publishes them: items found by their numbers, exchanges by their moves.

The same reading serves a ModernGov "Agenda and minutes" page, an agenda-item or "Issue -
meetings" page, a CMIS meeting page, and minutes in a PDF or Word file flattened to text:
- the meetings come from the meeting stage (`indexer.reading.meeting`): a page holding two meetings is
  read as two, each with its own items;
- an **item** starts at its number: standing alone ("45/22", "4.1", "5") with its title in the
  next block, or leading its title ("81 COMMISSIONER'S QUESTION TIME", "12. Public questions",
  "Minute 61: …", "Item 145 …"); numbers only go up (a list inside a minute restarts at 1), and a
  CMIS page's repeat of the number, like a "Minutes:" label, marks where the minute text starts
  after the agenda's description of the item. A page of one item with no number of its own takes
  the number its meeting line names ("(Item 81)"), or the number leading its minute ("61. The
  Panel raised …");
- the item's title and agenda description are the context of its records, never records;
- inside an item, `indexer.reading.exchanges` finds the questions and answers and keeps the rest as
  minute text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indexer.reading.bodies import title_case
from indexer.reading.citing import RecordFactory, checked_quote
from indexer.reading.dates import DATE_SHAPE, read_date
from indexer.reading.document import SourceDocument
from indexer.reading.exchanges import ItemText, item_records
from indexer.reading.layouts.base import Layout, ParseResult
from indexer.reading.meeting import HEAD_LINES, MEETING_LINE, Meeting, MeetingMap
from indexer.reading.moves import LABEL, read_label, read_moves
from indexer.reading.shape import Block, blocks
from indexer.reading.text import clean_inline
from indexer.records import Record

_NUMBER = r"(?P<number>\d{1,3}(?:\.\d{1,2})?[A-Za-z]?(?:/\d{2,4})?)"
# "81 COMMISSIONER'S QUESTION TIME", "12. Public questions", "Minute 61: Questions", "Item 145 - Questions".
ITEM_HEADING = re.compile(
    rf"^\W*(?:(?:Agenda\s+)?Item|Minute|Min\.?)?\s*(?:No\.?\s*)?{_NUMBER}[.:)]?(?:\s*[-–:]\s*|\s+)(?P<title>[A-Z0-9'‘\"].*)$",
    re.I,
)
ITEM_NUMBER = re.compile(rf"^\W*(?:(?:Agenda\s+)?Item|Minute)?\s*{_NUMBER}[.)]?$", re.I)
MINUTES_LABEL = re.compile(r"^\s*minutes?\s*:?\s*$", re.I)
TITLE_WORDS = 16
# A title under a number standing alone may be long ("TO SIGN AS A CORRECT RECORD THE MINUTES OF …").
NUMBERED_TITLE_WORDS = 30
# An agenda description shorter than this is boilerplate ("To receive declarations of interest"), not content.
DESCRIPTION_WORDS = 12
_SENTENCE_END = re.compile(r"[.?!;][\"'’”)]*$")


@dataclass
class _Item:
    """An item: its number as printed, title, and the blocks of its heading and text."""

    number: str | None
    title: str | None
    heading: list[int]  # block indexes of its number and title
    first: int  # first block after the heading


def _key(number: str) -> tuple[int, ...]:
    """The order of an item number: "45/22" -> (45,), "4.1" -> (4, 1), "8A" -> (8,)."""
    head = number.split("/")[0]
    return tuple(int(part) for part in re.findall(r"\d+", head)[:2])


def _title_like(text: str, most: int = TITLE_WORDS) -> bool:
    words = text.split()
    if not (0 < len(words) <= most and not _SENTENCE_END.search(text) and (text[0].isupper() or text[0].isdigit())):
        return False
    # "The Panel agreed and noted the Terms of Reference" is a minute, not a title.
    return all(move.kind == "none" for move in read_moves(text))


def _title(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip(" -–:")
    return title_case(text) if text.isupper() else text


def find_items(section: list[Block]) -> list[_Item]:
    """The items of one meeting's blocks, in order (see the module docstring)."""
    items: list[_Item] = []
    consumed: set[int] = set()
    leading = _minute_numbers(section)
    for i, block in enumerate(section):
        if i in consumed or _starts_with_date(block.text):
            continue  # "23 Nov 2017 - 14:30 to 17:00" is a meeting's date, not item 23
        text = f"{block.marker} {block.text}" if block.marker else block.text
        bare = ITEM_NUMBER.match(text) if not block.marker else None
        candidate: _Item | None = None
        if bare:
            if items and items[-1].number == bare.group("number").rstrip("."):
                continue  # a CMIS page repeats the number where the minute starts
            following = section[i + 1] if i + 1 < len(section) else None
            titled = following is not None and not following.marker
            titled = titled and following is not None and _title_like(following.text, NUMBERED_TITLE_WORDS)
            titled = titled and following is not None and not ITEM_NUMBER.match(following.text)
            heading = [i, i + 1] if titled else [i]
            title = following.text if titled and following is not None else None
            candidate = _Item(bare.group("number").rstrip("."), title, heading, heading[-1] + 1)
        elif (block.heading or block.marker) and len(block.starts) <= 2 and _heading_item(text):
            match = _heading_item(text)
            assert match is not None
            candidate = _Item(match.group("number").rstrip("."), match.group("title"), [i], i + 1)
        elif i in leading:
            # "14. The Chairman opened the item." — the minute's number leads its first paragraph.
            candidate = _Item(leading[i], None, [], i)
        if candidate is None or candidate.number is None:
            continue
        if items and items[-1].number is not None and _key(candidate.number) <= _key(items[-1].number):
            # Numbers only go up (a list inside a minute restarts at 1), unless the agenda is printed again
            # from its first item (a page of decisions, then the minutes in full).
            again = next((it for it in items if it.number == candidate.number), None)
            if again is None or again is not items[0] or _norm(again.title) != _norm(candidate.title):
                continue
        items.append(candidate)
        consumed.update(candidate.heading)
    return items


def _starts_with_date(text: str) -> bool:
    match = DATE_SHAPE.match(text)
    return bool(match and read_date(match.group(0)))


def _norm(title: str | None) -> str:
    return re.sub(r"\W+", " ", (title or "").lower()).strip()


def _heading_item(text: str) -> re.Match[str] | None:
    """An item number leading a title: "81 COMMISSIONER'S QUESTION TIME", "12. Public questions"."""
    match = ITEM_HEADING.match(text)
    title = match.group("title") if match else ""
    # A numbered line ending in a colon leads in a list ("5.3 The questions covered:"); it is no item.
    if match and _title_like(title) and not title.endswith(":") and read_label(title) is None:
        return match
    return None


def _minute_numbers(section: list[Block]) -> dict[int, str]:
    """Paragraphs led by a minute number ("14. The Chairman opened …"), by block index: numbered
    paragraphs that are not a list counting from 1, and the first of a run of sub-paragraphs ("5.1", "5.2")."""
    out: dict[int, str] = {}
    expected: int | None = None  # the next number of a list being counted
    major: str | None = None  # the item a run of sub-paragraphs ("5.1", "5.2") is numbered under
    for i, block in enumerate(section):
        marker = (block.marker or "").rstrip(".")
        sub = re.fullmatch(r"(\d{1,3})\.\d{1,2}", marker)
        if sub:
            # "5.1 The Commissioner informed …" with no heading for item 5 (a flattened agenda table): the first
            # sub-paragraph of a new number starts that item.
            if sub.group(1) != major:
                major = sub.group(1)
                out[i] = major
            continue
        if not marker.isdigit():
            continue
        number = int(marker)
        if number in (1, expected):
            expected = number + 1
            continue
        expected = None
        if not _heading_item(f"{block.marker} {block.text}"):
            out[i] = marker
    return out


def _is_label(block: Block, number: str | None) -> bool:
    """The "Minutes:" label, or a CMIS page's repeat of the item's number, where the minute text starts."""
    if block.marker:
        return False
    if MINUTES_LABEL.match(block.text):
        return True
    bare = ITEM_NUMBER.match(block.text)
    return bool(bare and number and bare.group("number").rstrip(".") == number)


def _leading_number(body: list[Block]) -> tuple[str | None, list[Block]]:
    """A minute number leading the first paragraph ("61. The Panel raised …"), and the blocks without it."""
    if not body or not body[0].marker or not body[0].marker.rstrip(".").isdigit():
        return None, body
    number = body[0].marker.rstrip(".")
    following = next((b.marker for b in body[1:] if b.marker and b.marker.rstrip(".").isdigit()), None)
    if number == "1" or (following is not None and following.rstrip(".") == str(int(number) + 1)):
        return None, body
    return number, [replace(body[0], marker=None), *body[1:]]


def _read_item(
    doc: SourceDocument,
    factory: RecordFactory,
    meeting: Meeting,
    section: list[Block],
    item: _Item,
    last: int,
    result: ParseResult,
) -> None:
    """The records of one item: its description as context, its minute text read by the exchange finder."""
    blocks_of = section[item.first : last]
    for index in item.heading:
        result.covered.update(range(section[index].first, section[index].last + 1))
    label = next((k for k, b in enumerate(blocks_of) if _is_label(b, item.number)), None)
    if label is not None:
        description_blocks, body = blocks_of[:label], blocks_of[label + 1 :]
        result.covered.update(range(blocks_of[label].first, blocks_of[label].last + 1))
    else:
        description_blocks, body = [], blocks_of
    number = item.number
    if number is None:
        number, body = _leading_number(body)
        number = number or meeting.item
    title = _title(item.title) or next((_title(b.text) for b in description_blocks if b.heading), None)
    description = " ".join(b.text for b in description_blocks if _title(b.text) != title)
    for block in description_blocks:
        result.covered.update(range(block.first, block.last + 1))
    context = ". ".join(part for part in (title, description) if part)
    text = ItemText(number, title, context, body)
    records, covered = item_records(doc, factory, meeting, text, result.warnings)
    result.records += _description_records(doc, factory, meeting, description_blocks, number, title) + records
    result.covered.update(covered)


def _description_records(
    doc: SourceDocument,
    factory: RecordFactory,
    meeting: Meeting,
    description: list[Block],
    item: str | None,
    title: str | None,
) -> list[Record]:
    """The agenda's description of an item, when it says something ("Note: the deadline for questions is …"):
    searchable as a report section, though never a minute of what was said."""
    texts = [b for b in description if not b.heading]
    if not texts or sum(len(b.text.split()) for b in texts) < DESCRIPTION_WORDS:
        return []
    first, last = texts[0].first, texts[-1].last
    quoted = checked_quote(doc, first, last)
    if quoted is None:
        return []
    return [
        factory.make(
            "report_section",
            first,
            last,
            meeting,
            text=quoted,
            item=item,
            reference="agenda description",
            title=title,
            context=title or "",
        )
    ]


def parse(doc: SourceDocument, meetings: MeetingMap) -> ParseResult:
    """Records of every meeting the document holds, item by item."""
    factory = RecordFactory(doc)
    result = ParseResult(meetings=meetings.meetings)
    for first, last, meeting in meetings.ranges(doc.line_count):
        section = [b for b in blocks(doc, first, last) if not MEETING_LINE.match(b.text)]
        head_end = _head_end(doc, first)
        items = find_items(section)
        if not items:
            # A page of one item (an agenda-item or issue page) or minutes with no numbered items.
            start = _first_content(section)
            for block in section[:start]:
                result.covered.update(range(block.first, block.last + 1))
            items = [_Item(None, None, [], start)]
        else:
            # Before the first item: the title block (body, date, venue, who attended), and sometimes text.
            first_item = items[0].heading[0] if items[0].heading else items[0].first
            head = [b for b in section[:first_item] if b.heading or b.first <= head_end]
            for block in head:
                result.covered.update(range(block.first, block.last + 1))
            if len(head) < first_item:
                items.insert(0, _Item(None, None, [], 0))
        for k, item in enumerate(items):
            following = items[k + 1] if k + 1 < len(items) else None
            end = (following.heading[0] if following.heading else following.first) if following else len(section)
            _read_item(doc, factory, meeting, section, item, end, result)
    return result


def _head_end(doc: SourceDocument, first: int) -> int:
    """The last line of a meeting's title block: its first lines of text (title, date, venue, who attended)."""
    seen = 0
    for n in range(first, doc.line_count + 1):
        if doc.line(n).strip() and n not in doc.debris:
            seen += 1
            if seen >= HEAD_LINES:
                return n
    return doc.line_count


def _first_content(section: list[Block]) -> int:
    """Where a page of one item starts: its title, description and "Minutes:" label come first."""
    label = next((k for k, b in enumerate(section) if MINUTES_LABEL.match(b.text)), None)
    if label is not None:
        return max(0, _title_start(section, label))
    return 0


def _title_start(section: list[Block], label: int) -> int:
    """The first block of the item heading over a "Minutes:" label: the heading before its description."""
    k = label
    while k > 0 and not section[k - 1].heading:
        k -= 1
    return k - 1 if k > 0 else 0


def detect(doc: SourceDocument) -> float:
    """Confident for numbered items with "Minutes:" labels, labelled questions and answers, or reported exchanges."""
    section = blocks(doc)
    labels = sum(1 for b in section if MINUTES_LABEL.match(b.text) and b.text.strip().endswith(":"))
    items = len(find_items(section))
    meeting_lines = sum(1 for b in section if MEETING_LINE.match(b.text))
    if (items >= 2 or meeting_lines) and labels:
        return 0.95
    asks = answers = 0
    for block in section:
        if block.heading:
            label = read_label(block.text)
            asks += bool(label and label.role == "question")
            answers += bool(label and label.role == "answer")
            continue
        inline = LABEL.match(clean_inline(block.text))
        if inline:
            answers += inline.group("a") is not None
            asks += inline.group("a") is None
            continue
        for move in read_moves(block.text):
            asks += move.kind == "question"
            answers += move.kind == "answer"
        if asks >= 2 and answers >= 2:
            break
    if labels and asks and answers:
        return 0.9
    if asks and answers:
        return 0.8 if min(asks, answers) >= 2 else 0.5
    return 0.3 if items >= 2 else 0.05


LAYOUT = Layout(name="minutes", detect=detect, parse=parse)
