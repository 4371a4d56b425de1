"""Minutes that report exchanges in prose: "Councillor X asked whether …. The PCC responded that …".

Items are numbered headings standing alone ("12. Public and member questions", "12.
PUBLIC AND MEMBER QUESTIONS", "Minute 12: …"). Inside an item, a question starts where a
member is said to ask ("Councillor Smith asked whether …", "In response to a question from
Cllr Patel about …") and its answer where the Commissioner (or another officer) is said to
respond ("the Commissioner said that …", "The PCC replied that …"). "X then asked …" (or
"further asked", "asked a supplementary question", "She then asked …") by the member who
asked the question before makes a supplementary question on it.

A question or answer quotes whole sentences where it can: a clause starts at the beginning
of its sentence (a paragraph's opening words belong to its first clause) unless another
question or answer stands earlier in the same sentence ("In response to a question from
Cllr Patel about X, the Commissioner said …"), and runs to the next clause or the end of its
paragraph. A following paragraph with no clause of its own carries on a question when it
quotes or lists it, and an answer when it goes on in the responder's voice ("She added …").
Text no exchange claims (an introduction, a RESOLVED line) becomes the item's `minute`
record, one per unbroken run so every quote stays contiguous in the source; `resolved`
keeps the word "RESOLVED".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.document import SourceDocument
from indexer.layouts.base import Layout, Meeting, ParseResult, RecordFactory
from indexer.layouts.council_minutes import checked_quote
from indexer.layouts.plain import paragraph_spans
from indexer.layouts.qa import QUESTION_HEADING, heading_text
from indexer.meta import DATE_PATTERN, find_body, parse_date, title_case
from indexer.records import Record, RecordKind
from indexer.textclean import clean_inline

# A member named with a title: "Councillor Smith", "Cllr R Patel", "Councillor O'Neill", "Mr K Mensah".
NAME = r"(?:Councillor|Cllr|Mr|Mrs|Ms|Miss|Dr)\.?\s+(?:[A-Z]\.?\s+){0,3}[A-Z][\w'’-]+"
# What follows "asked" in a question; "asked that …" and "asked members to …" are requests.
_ASKED_WHAT = (
    r"(?:(?:\s+(?:the\s+)?(?:Deputy\s+)?(?:PCC|Commissioner|Police and Crime Commissioner|Chief Constable|"
    r"Chief Executive|Panel)\b)?\s*,?\s+(?:whether|if|about|why|how|what|when|where|who|which|for\s+(?:an?\s+)?"
    r"(?:update|clarification|assurance|details?|information|confirmation|explanation)|"
    r"(?:a|the\s+following)\s+(?:further\s+|supplementary\s+|follow[- ]up\s+)?question)"
    r"|\s*:|\s+[\"'‘“])"  # "asked: ‘…’", "asked “…”"
)
ASKED = re.compile(
    rf"\b(?P<asker>{NAME}|(?P<pronoun>She|He|They|The same (?:[Mm]ember|[Cc]ouncillor))|"
    r"(?:A|One|Another)\s+(?:[Pp]anel\s+)?(?:[Mm]ember|[Cc]ouncillor)|Members)"
    rf"(?P<mid>[^.?!;]{{0,160}}?)\b(?:asked{_ASKED_WHAT}|enquired|inquired|queried|questioned|"
    r"sought\s+(?:clarification|assurance|an\s+update|confirmation|further\s+information))\b"
)
IN_RESPONSE_TO = re.compile(
    r"\b(?:In\s+(?:response|reply|answer)\s+to|Responding\s+to|Replying\s+to|Answering)\s+"
    r"(?:a\s+|the\s+)?(?P<further>further\s+|supplementary\s+|follow[- ]up\s+)?"
    rf"(?:question|questions|query|queries)(?:\s+(?:from|by)\s+(?P<asker>{NAME}))?"
)
RESPONDER = (
    r"(?P<responder>(?:Deputy\s+|Assistant\s+)?(?:Police(?:,\s*Fire)? and Crime Commissioner|Commissioner|PCC|PFCC|"
    r"Chief Constable)|(?:OPCC\s+)?(?:Chief Executive|Chief Finance Officer|Treasurer))"
)
_ANSWER_VERB = (
    r"(?:responded|replied|said|confirmed|explained|stated|advised|answered|reported|assured|informed|"
    r"agreed|undertook|indicated|acknowledged|added)"
)
ANSWERED = re.compile(
    rf"\b(?:(?:[Tt]he\s+)?{RESPONDER}|(?P<pronoun>She|He))\s+(?:had\s+|then\s+|also\s+|further\s+)?{_ANSWER_VERB}\b"
)
SUPPLEMENTARY = re.compile(r"\b(?:then|further|supplementary|follow[- ]up)\b", re.I)
SUPPLEMENTARY_AFTER = re.compile(r"^.{0,40}?\b(?:supplementary|follow[- ]up)\b", re.I)
# A second clause in one sentence starts only after a clause boundary (", and the PCC replied …").
CLAUSE_BOUNDARY = re.compile(r"(?:[,;:–—]|\s-)\s*(?:and\s+|but\s+|to which\s+)?$|\b(?:and|whereupon)\s+$")
SENTENCE_END = re.compile(r"[.?!][\"'’”)]*\s+(?=[\"'‘“(]?[A-Z0-9£])")
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "cllr", "st", "no", "rev", "e.g", "i.e", "cf", "vs", "approx"}
# "12. Public and member questions", "12 PUBLIC QUESTIONS", "Minute 12: Questions", "## 12/23 Questions".
ITEM_HEADING = re.compile(
    r"^(?:(?:Minute|Item)\s+)?(?P<item>(?P<number>\d{1,3})[A-Za-z]?(?:/\d{2,4})?)[.:)]?\s+"
    r"(?P<title>[A-Z][^.?!]{2,120}?)\s*$"
)
HEADING_MAX_WORDS = 14
RESOLVED = re.compile(r"^\W*RESOLVED\b", re.I)
QUESTION_GOES_ON = re.compile(r"^(?:[\"'‘“]|\(?[a-z0-9]{1,2}[.)]\s)|\?[\"'’”]*$")
ANSWER_GOES_ON = re.compile(r"^(?:[\"'‘“]|(?:She|He|They)\b|(?:In addition|Additionally|Furthermore|Moreover)\b)")
# The date of the meeting follows "held on" or a weekday; another date in the heading may be a publication date.
MEETING_DATE = re.compile(r"(?:held\s+on|meeting\s+on|meeting\s+of|\b\w+day),?\s+$", re.I)
# Detection: this many questions and answers said in prose make a document prose minutes.
SEVERAL = 2
LOOSE = "loose"


@dataclass
class _Para:
    """One paragraph of an item: its first and last line and its cleaned text, lines joined by spaces."""

    first: int
    last: int
    text: str
    offsets: list[int]

    def line_at(self, offset: int) -> int:
        """The document line holding character `offset` of the paragraph text."""
        index = max((i for i, start in enumerate(self.offsets) if start <= offset), default=0)
        return self.first + index


@dataclass
class _Mark:
    """Where a question or answer is said to start in a paragraph."""

    role: str  # "question", "supplementary" or "answer"
    at: int
    start: int
    asker: str | None = None
    responder: str | None = None
    pronoun: bool = False
    leads: bool = False  # "In response to a question from …": its answer follows in the same sentence


@dataclass(eq=False)
class _Part:
    """A question, supplementary question or answer being read."""

    role: RecordKind
    asker: str | None = None
    responder: str | None = None
    number: int = 0
    parent: _Part | None = None


Owner = _Part | str
Segment = tuple[int, int, int, Owner]  # (paragraph index, start, end, owner)


def _sentence_starts(text: str) -> list[int]:
    """Offsets where sentences start, skipping full stops after titles and initials ("Cllr. A. Smith")."""
    starts = [0]
    for match in SENTENCE_END.finditer(text):
        before = text[: match.start()].split()
        word = before[-1].lower().rstrip(".") if before else ""
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        starts.append(match.end())
    return starts


def find_marks(text: str) -> list[_Mark]:
    """Question and answer marks in one paragraph's text, in order, starts snapped to sentences."""
    found: list[_Mark] = []
    for m in ASKED.finditer(text):
        tail = text[m.end() : m.end() + 60]
        supplementary = bool(SUPPLEMENTARY.search(m.group("mid")) or SUPPLEMENTARY_AFTER.match(tail))
        asker = m.group("asker") if re.match(NAME, m.group("asker")) else None
        role = "supplementary" if supplementary else "question"
        found.append(_Mark(role, m.start(), m.start(), asker, pronoun=m.group("pronoun") is not None))
    for m in IN_RESPONSE_TO.finditer(text):
        role = "supplementary" if m.group("further") else "question"
        found.append(_Mark(role, m.start(), m.start(), m.group("asker"), leads=True))
    for m in ANSWERED.finditer(text):
        pronoun = m.group("pronoun") is not None
        found.append(_Mark("answer", m.start(), m.start(), responder=m.group("responder"), pronoun=pronoun))
    found.sort(key=lambda mark: mark.at)
    sentences = _sentence_starts(text)
    kept: list[_Mark] = []
    for mark in found:
        if kept and mark.at < kept[-1].at + 2:
            continue  # two patterns reading the same words
        sentence = max(s for s in sentences if s <= mark.at)
        previous = kept[-1] if kept and kept[-1].at >= sentence else None
        if previous is None:
            mark.start = sentence
        elif not (previous.leads and mark.role == "answer") and not CLAUSE_BOUNDARY.search(text[previous.at : mark.at]):
            continue  # "asked whether the Commissioner had said …" is still the question
        kept.append(mark)
    return kept


def _paragraph_marks(doc: SourceDocument) -> list[_Mark]:
    """Every mark in the document, paragraph by paragraph."""
    return [
        mark
        for first, last in paragraph_spans(doc)
        for mark in find_marks(" ".join(clean_inline(doc.line(n)) for n in range(first, last + 1)))
    ]


def detect(doc: SourceDocument) -> float:
    """Confident when several members are said to ask and the Commissioner to answer, with no Q/A headings."""
    if any(QUESTION_HEADING.match(heading_text(line)) for line in doc.lines):
        return 0.0
    marks = _paragraph_marks(doc)
    asks = sum(1 for mark in marks if mark.role != "answer")
    answers = sum(1 for mark in marks if mark.role == "answer")
    if asks >= SEVERAL and answers >= SEVERAL:
        return 0.85
    return 0.4 if asks and answers else 0.0


def meeting_of(doc: SourceDocument, head_lines: int = 60) -> Meeting:
    """The body named at the top and the date of the meeting ("held on Monday 6 March 2023")."""
    head = "\n".join(clean_inline(line) for line in doc.lines[:head_lines])
    date = None
    for match in DATE_PATTERN.finditer(head):
        if MEETING_DATE.search(head[max(0, match.start() - 20) : match.start()]):
            date = parse_date(match.group(0))
            if date:
                break
    date = date or parse_date(head)
    return Meeting(find_body(doc.text), date.isoformat() if date else None)


def item_headings(doc: SourceDocument) -> list[tuple[int, str, str]]:
    """(line, item, title) of numbered item headings standing alone as a paragraph, numbers increasing."""
    out: list[tuple[int, str, str]] = []
    last_number = -1
    for n, line in enumerate(doc.lines, start=1):
        match = ITEM_HEADING.match(clean_inline(line.replace("#", " ")))
        if not match or len(match.group("title").split()) > HEADING_MAX_WORDS:
            continue
        alone = (n == 1 or doc.blank(n - 1)) and (n == doc.line_count or doc.blank(n + 1))
        # A numbered list inside a minute restarts its numbers; agenda items only go up.
        number = int(match.group("number"))
        if not alone or number <= last_number:
            continue
        last_number = number
        raw = match.group("title").strip()
        out.append((n, match.group("item"), title_case(raw) if raw.isupper() else raw))
    return out


def parse(doc: SourceDocument) -> ParseResult:
    """Minutes per item; question, answer and exchange records for the exchanges reported in prose."""
    meeting = meeting_of(doc)
    factory = RecordFactory(doc)
    result = ParseResult(meetings=[meeting])
    heads = item_headings(doc)
    if heads:
        # The heading block (body, date, attendance) comes before the first item.
        result.covered.update(range(1, heads[0][0] + 1))
    else:
        heads = [(0, "", "")]
    for i, (line, item, title) in enumerate(heads):
        end = heads[i + 1][0] - 1 if i + 1 < len(heads) else doc.line_count
        if line:
            result.covered.add(line)
        if line + 1 <= end:
            _item(doc, factory, meeting, line + 1, end, item or None, title or None, result)
    return result


def _paragraphs(doc: SourceDocument, first: int, last: int) -> list[_Para]:
    """The item's paragraphs with their cleaned text and where each line starts in it."""
    paras: list[_Para] = []
    for a, b in paragraph_spans(doc, first, last):
        offsets: list[int] = []
        text = ""
        for n in range(a, b + 1):
            offsets.append(len(text))
            text += clean_inline(doc.line(n)) + " "
        paras.append(_Para(a, b, text, offsets))
    return paras


def _same_person(a: str | None, b: str | None) -> bool:
    """Whether two ways of writing a member share a surname ("Councillor O'Neill", "Cllr J O'Neill")."""
    if a is None or b is None:
        return True
    return a.split()[-1].lower() == b.split()[-1].lower()


class _ItemReader:
    """Reads one item's paragraphs into a stream of segments, each owned by a part or loose."""

    def __init__(self) -> None:
        self.stream: list[Segment] = []
        self.parts: list[_Part] = []
        self.question: _Part | None = None  # the current main question
        self.pending: _Part | None = None  # the question or supplementary question awaiting its answer
        self.number = 0

    def paragraph(self, index: int, para: _Para) -> None:
        """Add one paragraph to the stream."""
        marks = find_marks(para.text)
        if not marks:
            self.stream.append((index, 0, len(para.text), self._continued_by(para)))
            return
        marks[0].start = 0  # a paragraph's opening words belong to its first clause
        for k, mark in enumerate(marks):
            end = marks[k + 1].start if k + 1 < len(marks) else len(para.text)
            part = self._part(mark)
            if part is None:
                # An answer nobody asked for, or a follow-up with no question before: it goes on the text before it.
                owner = self.stream[-1][3] if self.stream else LOOSE
                if self.stream and self.stream[-1][0] == index and self.stream[-1][2] == mark.start:
                    _, start, _, owner = self.stream.pop()
                    self.stream.append((index, start, end, owner))
                else:
                    self.stream.append((index, mark.start, end, owner))
                continue
            self.parts.append(part)
            self.stream.append((index, mark.start, end, part))

    def _continued_by(self, para: _Para) -> Owner:
        """The part a paragraph with no clause of its own carries on, or LOOSE."""
        previous = self.stream[-1][3] if self.stream else LOOSE
        if not isinstance(previous, _Part) or RESOLVED.match(para.text):
            return LOOSE
        if previous.role.endswith("question"):
            return previous if previous is self.pending and QUESTION_GOES_ON.search(para.text.strip()) else LOOSE
        return previous if ANSWER_GOES_ON.search(para.text.strip()) else LOOSE

    def _part(self, mark: _Mark) -> _Part | None:
        """The part a mark starts, given what came before; None when it starts none."""
        question = self.question
        follow_up = mark.role == "supplementary" or (mark.role == "question" and mark.pronoun)
        if follow_up and question is not None and _same_person(mark.asker, question.asker):
            part = _Part("supplementary_question", asker=mark.asker or question.asker, number=question.number)
            part.parent = question
            self.pending = part
            return part
        if mark.role in ("question", "supplementary") and not mark.pronoun:
            self.number += 1
            part = _Part("question", asker=mark.asker, number=self.number)
            self.question = self.pending = part
            return part
        if mark.role == "answer" and self.pending is not None:
            asked = self.pending
            kind: RecordKind = "supplementary_answer" if asked.role == "supplementary_question" else "answer"
            part = _Part(kind, asker=asked.asker, responder=mark.responder, number=asked.number, parent=asked)
            self.pending = None
            return part
        return None


def _item(
    doc: SourceDocument,
    factory: RecordFactory,
    meeting: Meeting,
    first: int,
    last: int,
    item: str | None,
    title: str | None,
    result: ParseResult,
) -> None:
    """Records for one item: its exchanges, and minutes for the text around them."""
    paras = _paragraphs(doc, first, last)
    reader = _ItemReader()
    for index, para in enumerate(paras):
        reader.paragraph(index, para)
    stream = reader.stream
    made: dict[int, Record] = {}  # id(part) -> its record
    ordered: list[tuple[int, Record]] = []  # (stream position, record): records stay in document order
    prefix = f"{title}. " if title else ""
    for part in reader.parts:
        quoted = _quote(doc, paras, [(pi, a, b) for pi, a, b, owner in stream if owner is part])
        parent = made.get(id(part.parent)) if part.parent is not None else None
        if quoted is None or (part.role != "question" and parent is None):
            continue
        text, a, b = quoted
        position = next(i for i, segment in enumerate(stream) if segment[3] is part)
        reference = {
            "question": f"Question {part.number}",
            "answer": f"Question {part.number}, response",
            "supplementary_question": f"Question {part.number}, supplementary question",
            "supplementary_answer": f"Question {part.number}, supplementary answer",
        }[part.role]
        record = factory.make(
            part.role,
            a,
            b,
            meeting,
            text=text,
            item=item,
            reference=reference,
            asker=part.asker,
            responder=part.responder,
            title=title,
            context=f"{prefix}{parent.text[:300]}" if parent is not None else (title or ""),
            parent_id=parent.id if parent is not None else None,
        )
        made[id(part)] = record
        ordered.append((position, record))
        if parent is not None and part.role.endswith("answer"):
            supplementary = part.role == "supplementary_answer"
            exchange_ref = f"Question {part.number}" + (", supplementary" if supplementary else "")
            ordered.append((position, factory.exchange(parent, record, reference=exchange_ref)))
    for position, segments in _loose_runs(stream):
        quoted = _quote(doc, paras, segments)
        if quoted is None:
            continue
        text, a, b = quoted
        resolved = " ".join(p for p in text.split("\n\n") if RESOLVED.match(p))
        minute = factory.make(
            "minute",
            a,
            b,
            meeting,
            text=text,
            item=item,
            title=title,
            context=title or "",
            resolved=resolved or None,
        )
        ordered.append((position, minute))
    ordered.sort(key=lambda entry: entry[0])
    result.records += [record for _, record in ordered]


def _loose_runs(stream: list[Segment]) -> list[tuple[int, list[tuple[int, int, int]]]]:
    """(stream position, segments) of each unbroken run of segments no part owns."""
    runs: list[tuple[int, list[tuple[int, int, int]]]] = []
    run: list[tuple[int, int, int]] | None = None
    for position, (pi, a, b, owner) in enumerate(stream):
        if owner != LOOSE:
            run = None
            continue
        if run is None:
            run = []
            runs.append((position, run))
        run.append((pi, a, b))
    return runs


def _quote(
    doc: SourceDocument, paras: list[_Para], segments: list[tuple[int, int, int]]
) -> tuple[str, int, int] | None:
    """The text of consecutive segments and the lines it stands on; None when there is none."""
    text = ""
    lines: list[int] = []
    last_para = -1
    for pi, a, b in segments:
        para = paras[pi]
        raw = para.text[a:b]
        # A clause cut at "…, the Commissioner said" or "…; the PCC confirmed" drops the dangling comma.
        piece = raw.strip().rstrip(",;:–—").rstrip()
        if not piece:
            continue
        start = a + len(raw) - len(raw.lstrip())
        # Pieces of one paragraph join with a space; paragraphs stay paragraphs.
        text += ("\n\n" if pi != last_para else " ") + piece if text else piece
        last_para = pi
        lines += [para.line_at(start), para.line_at(start + len(piece) - 1)]
    if not text:
        return None
    first, last = min(lines), max(lines)
    # Markup cut by a clause boundary (a tag split over lines) can spoil the clause: then whole lines.
    checked = checked_quote(doc, first, last, text)
    return (checked, first, last) if checked else None


LAYOUT = Layout(name="prose_minutes", detect=detect, parse=parse)
