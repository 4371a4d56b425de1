"""The exchange finder: an item's blocks -> questions, their answers, and the minute text around them.

An exchange is a question move and the answer moves that follow it (`indexer.reading.moves`). Its
bounds are what the minutes give: a list entry (a bullet, "1.", "(2)") holds one exchange, or
a few from one member; a member's name standing as a heading ("Mr A Member:") names the asker
of the entries below it; a label ("Question 2: from Cllr X", "Question by Mr Y", "Q:") starts a
question and "Response:", "Response by …", "A:" its answer, whatever the text under them says;
otherwise the next question move starts the next exchange. Within those bounds:
- a question runs from its first question move (or the entry's introduction, "One question was
  received from Cllr X", which names the asker) to the first answer move;
- the answer runs from there to the end of the entry, taking in what the Panel agreed or was
  promised about it ("It was agreed that figures would be provided …");
- a follow-up by the same member after the answer ("He further asked …", "a supplementary
  question") is a supplementary question on the same exchange, with its own answer;
- a paragraph with no move of its own carries on the part before it in the same item;
- text no question claims (an introduction, a RESOLVED line, an item with no questions) is
  minute text, one `minute` per unbroken run, so every quote stays contiguous in its source.
Every exchange keeps its own citation: its reference ("key point 3", "bullet 2", "Question 1"),
the asker's full name as written, and the responder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TypeGuard

from indexer.reading.citing import END_OF_QUESTIONS, TRUNCATION, RecordFactory, checked_quote
from indexer.reading.document import SourceDocument
from indexer.reading.meeting import Meeting
from indexer.reading.moves import (
    ADDRESSED_HEADING,
    NAME_DASH,
    Label,
    Move,
    answering_surnames,
    asker_name,
    bracketed_asker,
    read_label,
    read_moves,
)
from indexer.reading.shape import Block
from indexer.reading.text import RESOLVED, resolution
from indexer.records import Record, RecordKind

# A lead-in to a list: "Key points raised in the discussion:", "The Panel raised the following issues:".
LEAD_IN = re.compile(r"(?::-?|\s[–—-])\s*$")  # "The questions covered:", "Issues raised by Members included –"
LEAD_IN_WORDS = 25
KEY_POINTS = re.compile(r"\bkey\s+points?\b", re.I)
# What an officer named by name does when answering: "Mr. Llewellyn explained that …".
ANSWER_VERB = re.compile(
    r"^\W*\S+(?:\s+\S+){0,6}?\s+(?:explained|advised|confirmed|stated|responded|replied|informed|clarified|reported|"
    r"assured|undertook|answered|pointed\s+out)\b"
)
# A lead-in saying the entries below are questions: "The questions covered:", "Members asked about:".
QUESTIONS_LIST = re.compile(
    r"\b(?:questions?|questioned|quer(?:y|ies|ied)|asked|enquired|discussed|"
    r"(?:points|issues|matters|concerns)\s+(?:(?:that\s+)?(?:were|was)\s+)?raised)\b",
    re.I,
)


@dataclass
class _Segment:
    block: int
    start: int
    end: int


@dataclass(eq=False)
class _Part:
    """A question, answer or supplementary being read: its segments, who, and what it hangs on."""

    role: RecordKind
    unit: int
    asker: str | None = None
    responder: str | None = None
    parent: _Part | None = None
    reference: str | None = None
    asked: bool = False  # a question move (or a label) is in it, not only an introduction
    tentative: bool = False  # a list entry's opening words, a question only if an answer follows
    said: bool = False  # something is said on the asking side (a member's remark the answer takes up)
    introduced: bool = False  # it opened with an introduction: what is then said on the asking side is the question
    plural: bool = False  # its introduction announced several questions: each paragraph that asks is one of them
    asked_in: int | None = None  # the block its question was first put in
    segments: list[_Segment] = field(default_factory=list)
    answer: _Part | None = None


@dataclass
class _Unit:
    """The bounds an exchange stands in: a list entry, a labelled question, or a run of prose."""

    number: int
    asker: str | None = None
    reference: str | None = None
    opens: bool = False  # a list entry whose first sentence has not been read yet
    marker: str | None = None  # its number as printed ("5.3.2", "a")


# A list entry worded as a question, reported or direct: "How much could realistically be achieved …;".
REPORTED_QUESTION = re.compile(
    r"^\W*(?:What|How|Why|When|Where|Who|Whether|Which"
    # … or as the asking itself: "• Request for further detail on …", "• Concerns of local residents regarding …".
    r"|(?:Requests?|Calls?)\s+for|(?:Concerns?|Quer(?:y|ies)|Questions?)\s+(?:of|from|about|over|regarding|on|as\s+to))\b"
)
# A page's field naming who put the question, the name on the line below ("Question By:" / "Joanne McCartney").
QUESTION_BY_FIELD = re.compile(r"^\W*(?:question|asked|submitted|raised)\s+by\s*:\s*$", re.I)
# The page's other fields around a question: whom it was put to, the session's date.
OTHER_FIELD = re.compile(
    r"^\W*(?:asked\s+of|addressed\s+to|session\s+date|question\s+date|supplementary\s+to)\s*:\s*$", re.I
)
# A transcript's turn opens on its speaker: "Andrew Dismore AM:  Can you tell me …", "Tom Reed (Mayor): …".
SPEAKER_COLON = re.compile(r"^\W*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}\s*(?:\([^()]{1,60}\))?\s*:\s")
NAME_LINE = re.compile(r"^\W*[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3}\W*$")
# What a question put asks about: "asked whether …", "queried how …", "asked about …", "asked for …".
INTERROGATIVE = re.compile(r"\b(?:whether|if|what|why|how|when|where|who|which|about|for)\b", re.I)


@dataclass
class ItemText:
    """An item's text as the exchange finder reads it: its blocks, and where its citation comes from."""

    item: str | None
    title: str | None
    context: str
    blocks: list[Block]
    responder: str | None = None  # who answers where the text does not say (a written response: the PCC)


class _Reader:
    """Reads one item's blocks into parts (questions, answers) and loose segments."""

    def __init__(self, blocks: list[Block], answering: frozenset[str] = frozenset()) -> None:
        self.blocks = blocks
        self.answering = answering  # surnames the document names as the Commissioner's side
        self.parts: list[_Part] = []
        self.stream: list[tuple[_Segment, _Part | None]] = []
        self.covered: set[int] = set()  # heading blocks read as structure
        self.unit = _Unit(0)
        self.question: _Part | None = None  # the exchange being read: its main question
        self.current: _Part | None = None  # the part text goes to now
        self.waiting: list[_Part] = []  # questions put one after another before any answer, in the order put
        self.label: str | None = None  # "question" or "answer" while a label rules the text under it
        self.name_asker: str | None = None  # a member's name heading over the entries below it
        self.announced: str | None = None  # who an introduction said the questions below are from
        self.questioner: str | None = None  # a "Question By:" field's name ("" until the line below gives it)
        self.bullets = 0
        self.count = 0
        self.key_points = False
        self.asks_list = False  # the list being read was led in as questions ("The questions covered:")
        self.numbered: dict[str, _Part] = {}  # questions by their list number, for "In response to 5.3.2 …"
        self.answer_next = False  # the next block answers the question before it, though no move says so
        self.after_question_line = False  # the block before was a question line: text making no move answers it
        self.field_value = False  # an "Answered By:" field was read: a short line below it is its value

    def read(self) -> None:
        """Read every block: headings and lead-ins as structure, list entries as bounds, the rest by its moves."""
        for index, block in enumerate(self.blocks):
            # "Councillor Fradgley to Councillor Reilly (Chair of the Police and Crime Panel)." heads its question,
            # though its full stop and length make it read as text.
            heads = block.heading or any(p.match(block.text) for p in (ADDRESSED_HEADING, OTHER_FIELD))
            if heads and self._heading(index, block):
                continue
            if self._lead_in(index, block):
                continue
            if self.questioner and not self.label and not block.marker and not SPEAKER_COLON.match(block.text):
                # "Question By:" and the name, then the page's other fields: the first text after them is the
                # question put, though no "Question" heading stands over it (a transcript's turns say who speaks).
                self.labelled(Label("question"))
            if block.marker and not self.label and not self._answers_pending(block):
                self._close()
                self._new_unit(block)
            self._block(index, block)

    def _answers_pending(self, block: Block) -> bool:
        """A list entry that opens with an answer ("1. In reply the PCC said …") answers the entry before it; so does
        one that makes no move of its own after a question put in full ("28.1 A member of the public asked the
        following question: "…"" then "28.2 Due to this question being of an operational nature, …")."""
        current = self.current
        if current is None or not current.role.endswith("question") or current.answer is not None or not current.asked:
            return False
        moves = read_moves(block.text)
        if not moves:
            return False
        if moves[0].kind == "answer":
            return True
        if not current.tentative and all(move.kind == "none" for move in moves):
            self.answer_next = True
            return True
        return False

    # -- structure -------------------------------------------------------------------------

    def _heading(self, index: int, block: Block) -> bool:
        """Read a heading block as a label, a name or a subtitle; False when it is text after all."""
        value, self.field_value = self.field_value, False
        if value and len(block.text.split()) <= 4 and not re.search(r"[.?!:]\s*$", block.text):
            # "Answered By:" then "The Mayor" on the line below: the field's value names who answers.
            if self.current is not None and self.current.role.endswith("answer"):
                self.current.responder = self.current.responder or block.text.strip()
            self.covered.add(index)
            return True
        if QUESTION_BY_FIELD.match(block.text):
            # "Question By:" then the member's name on the line below: the next question put is theirs.
            self.questioner = ""
            self.covered.add(index)
            return True
        if OTHER_FIELD.match(block.text):
            self.covered.add(index)
            return True
        if self.questioner == "" and NAME_LINE.match(block.text):
            self.questioner = block.text.strip()
            self.covered.add(index)
            return True
        label = read_label(block.text)
        if label is None:
            if self.label and not END_OF_QUESTIONS.match(block.text) and not block.text.endswith(":"):
                return False  # a short line inside labelled text is that text
            self._close()
            self.name_asker = self.announced = None
            self.key_points = bool(KEY_POINTS.search(block.text)) or self.key_points
            self.asks_list = bool(LEAD_IN.search(block.text)) and bool(QUESTIONS_LIST.search(block.text))
            self.covered.add(index)
            return True
        self.covered.add(index)
        self.field_value = label.role == "answer" and label.who is None and block.text.rstrip().endswith(":")
        if label.role == "asker":
            # The name heads the text under it: the unit opened for that text carries it.
            self.name_asker = asker_name(label.who) if label.who else None
            self._close()
            return True
        self.labelled(label)
        return True

    def labelled(self, label: Label) -> None:
        """Read the text that follows as ruled by a label (a heading's, an entry's, or the item's title)."""
        if label.role == "question":
            self._close()
            self.count += 1
            number = label.number or str(self.count)
            # "Two questions from Mr X had been emailed." then "Question 1", "Question 2": each is Mr X's.
            asker = asker_name(label.who) if label.who else self.announced
            self.unit = _Unit(self.unit.number + 1, asker, f"Question {number}")
            self.question = self.current = self._part("question", asker=self.unit.asker, asked=True)
            self.label = "question"
        elif label.role == "supplementary_question" and self.question is not None:
            asker = asker_name(label.who) if label.who else self.question.asker
            self.current = self._part("supplementary_question", asker=asker, parent=self.question, asked=True)
            self.label = "question"
        elif label.role == "answer" and self.current is not None:
            self.current = self._answer(label.who)
            self.label = "answer"

    def _lead_in(self, index: int, block: Block) -> bool:
        """A sentence ending in a colon over a list ("61. The Panel raised the following issues:") leads it in."""
        following = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
        if self.label or not LEAD_IN.search(block.text) or following is None or RESOLVED.match(block.text):
            return False  # "RESOLVED that:-" leads in the decision, read as the minute's resolution
        named = following.heading and (label := read_label(following.text)) is not None and label.role == "asker"
        if not following.marker and not named:
            return False
        if len(block.text.split()) > LEAD_IN_WORDS or len(re.findall(r"[.?!]\s+[A-Z]", block.text)) >= 1:
            # A paragraph that ends by leading in a list is read as text; its last words still say what the list is.
            tail = block.text[-200:]
            self.key_points = bool(KEY_POINTS.search(tail))
            self.asks_list = bool(QUESTIONS_LIST.search(tail[tail.rfind(".") + 1 :]))
            return False
        if block.marker and following.marker and block.marker.rstrip(".") == following.marker.rstrip("."):
            return False
        self._close()
        self.key_points = bool(KEY_POINTS.search(block.text))
        self.asks_list = bool(QUESTIONS_LIST.search(block.text))
        self.covered.add(index)
        return True

    def _new_unit(self, block: Block) -> None:
        marker = (block.marker or "").strip("().")
        if marker and (marker.isdigit() or marker.isalpha()) and not re.fullmatch(r"[ivx]+", marker):
            reference = f"{'key point' if self.key_points else 'point'} {marker}"
        else:
            self.bullets += 1
            reference = f"bullet {self.bullets}"
        self.unit = _Unit(self.unit.number + 1, self.name_asker, reference, opens=True, marker=marker or None)

    # -- moves -----------------------------------------------------------------------------

    def _block(self, index: int, block: Block) -> None:
        label = read_label(block.text) if block.marker else None
        if label is not None and label.role == "asker" and label.who and block.text.rstrip().endswith(":"):
            # "1.    Mr Hill:" — a numbered entry that names who asks the question under it.
            self.unit.asker = asker_name(label.who)
            self.covered.add(index)
            self.answer_next = False
            return
        if label is not None and label.role != "asker":
            # "5.1  QUESTION FROM PROFESSOR IAN ROFFE": a numbered label rules the text under it as a heading's would.
            self.covered.add(index)
            self.labelled(label)
            return
        dash = NAME_DASH.match(block.text) if not block.marker else None
        if dash:
            # "Councillor Baker - The Mayor recently announced … " then numbered questions: the name asks them all.
            self._close()
            self.name_asker = self.unit.asker = asker_name(dash.group("who"))
        moves = read_moves(block.text)
        named = bracketed_asker(block.text)
        if named and self.current is not None and self.current.role.endswith("question"):
            # "(Maureen Castleton – Dover District Council)" under a question names who asked it.
            self.current.asker = self.current.asker or named
        moves = self._under_question_line(block, moves, bracketed=named is not None)
        for k, move in enumerate(moves):
            segment = _Segment(index, move.start, move.end)
            if self.label and self._label_ends(move, first=k == 0, text=block.text):
                self.label = None
            if self.label:
                current = self.current
                if move.kind == "question" and move.asker and current and current.role.endswith("question"):
                    # "Question 1" then "Councillor Dilks referred to …": the text under the label names who asked.
                    current.asker = current.asker or move.asker
                if k == 0 and self._reply_under_label(index, block, move):
                    # The question put in full, ending on its question mark; the paragraph after it, asking
                    # nothing and making no move, is the reply ("I communicate with the 600,000 people …").
                    self.current = self._answer(None)
                    self.label = "answer"
                    current = self.current
                self._add(segment, current)
                continue
            self._move(move, segment, new_block=k == 0)

    def _reply_under_label(self, index: int, block: Block, move: Move) -> bool:
        """Whether a paragraph under a question label is the reply: the question's last paragraph ended on its
        question mark, and this one asks nothing and makes no move."""
        current = self.current
        if self.label != "question" or current is None or current.role != "question" or not current.segments:
            return False
        last = current.segments[-1]
        if last.block == index or move.kind != "none" or "?" in block.text:
            return False
        return self.blocks[last.block].text.rstrip(" \"'’”)]").endswith("?")

    def _under_question_line(self, block: Block, moves: tuple[Move, ...], *, bracketed: bool) -> tuple[Move, ...]:
        """A question printed as a line of its own ("Who is bearing the costs of Operation Larch?"), as
        question-and-answer pages print them, asks; what follows it making no move (in its block or the next)
        answers it. A bracketed name under the line ("(Councillor Tariq Bellamy – Medway Council)") is passed over."""
        after, self.after_question_line = self.after_question_line, False
        if after and bracketed and block.text.lstrip().startswith("("):
            self.after_question_line = True
            return moves
        if after and moves and moves[0].kind == "none":
            return _answer_after(moves)
        if not moves or not _question_line(block, moves[0]):
            return moves
        rest = moves[1:]
        while rest and block.text[rest[0].start : rest[0].end].lstrip().startswith("("):
            rest = rest[1:]
        self.after_question_line = not rest
        return (replace(moves[0], weak=False), *moves[1 : len(moves) - len(rest)], *_answer_after(rest))

    def _label_ends(self, move: Move, *, first: bool, text: str) -> bool:
        """Whether a move ends the text a label rules: reported speech after it, or the minute's decision."""
        if move.label:
            # A labelled move of the other side ("Joanne McCartney (AM): …" under "Answered By:") ends the label.
            return (self.label == "answer") == (move.kind == "question")
        if self.label == "question" and first and move.kind == "answer" and self.current and self.current.segments:
            # "Question 1:" answered in reported speech ("1. The Commissioner advised …"); the first text under the
            # label is the question, though it opens on the Commissioner ("The Commissioner has indicated …").
            return True
        if self.label == "answer" and move.kind == "question" and move.supplementary and move.asker is not None:
            return True  # "Mrs Pascoe asked a supplementary question …" after a labelled response
        if first and move.kind == "note" and RESOLVED.match(text):
            self._close()  # a RESOLVED line after labelled questions and answers is the minute's decision
            return True
        return move.kind == "note" and self.current is not None and self.current.role.endswith("answer") and not first

    def _move(self, move: Move, segment: _Segment, *, new_block: bool) -> None:
        if self.answer_next:
            self.answer_next = False
            move = Move("answer", move.start, move.end)
        if move.kind == "none" and move.speaker and move.speaker.split()[-1].lower() in self.answering:
            move = Move("answer", move.start, move.end, responder=move.speaker, weak=True)
        if move.kind == "question" and move.asker and move.asker.split()[-1].lower() in self.answering:
            # "Lord Bach stated …" where the text names Lord Bach as the Commissioner: the answering side speaks.
            if move.asks:
                move = replace(move, responder=move.asker, weak=True)
            else:
                move = Move("answer", move.start, move.end, responder=move.asker, weak=True)
        if move.weak:
            asking = self.current is not None and self.current.role.endswith("question")
            answering = self.current is not None and self.current.role.endswith("answer")
            if answering and move.kind == "question" and move.responder and self.current is not None:
                # The Commissioner asking the Chief Constable who has been answering puts a new question.
                answering = _same_person(move.responder, self.current.responder)
            if (move.kind == "answer" and not asking) or (move.kind == "question" and answering):
                move = Move("none", move.start, move.end)
        opens, self.unit.opens = self.unit.opens, False
        current = self.current
        if new_block and current is not None and _next_announced(current, segment.block, move):
            # "Two written questions were received from X" then a paragraph each: the next paragraph is the next one.
            self._close(keep_unit=True)
            self.question = self.current = current = self._part(
                "question", asker=current.asker, asked=True, said=True, introduced=True
            )
            current.plural = True
        in_answer = current is not None and current.role.endswith("answer")
        if move.kind == "question" and not move.asks and move.asker in ("Chair", "Vice-Chair"):
            question = current.parent if in_answer and current is not None else current
            if question is not None and question.asker not in ("Chair", "Vice-Chair"):
                # The Chair answers a question put to the Panel.
                move = Move("answer", move.start, move.end, responder=move.asker)
        pending = current if current is not None and not in_answer else None
        if (
            move.kind == "question"
            and not move.asks
            and move.asker not in (None, "Chair", "Vice-Chair")
            and pending is not None
            and pending.asked
            and ANSWER_VERB.search(self.blocks[segment.block].text[segment.start : segment.end][:200])
            and (pending.asker is None or not _same_person(move.asker, pending.asker))
        ):
            # "Members asked how … Mr. Llewellyn explained that …": a named officer answers.
            move = Move("answer", move.start, move.end, responder=move.asker)
        if move.action:
            # Each line of an action list is a request of its own ("PCC to send …"), never one merged question.
            self._close()
            self.count += 1
            self.unit = _Unit(self.unit.number + 1, None, f"action {self.count}")
            self.question = self.current = self._part("question", asked=True, said=True)
            self._add(segment, self.current)
            return
        if move.kind in ("question", "intro"):
            # An introduction announces a question ("One question was received from …", "… was invited to put his
            # question"): what follows it on the asking side is that question, whatever its verb.
            asks = move.asks
            said = move.kind == "question"
            asker = move.asker or self.unit.asker
            if move.kind == "intro":
                self.unit.asker = move.asker or self.unit.asker
                asker = self.unit.asker
                self.announced = move.asker if move.plural else None
            unasked = current is not None and not in_answer and not current.asked and (move.asks or not current.said)
            named_other = current is not None and (current.asker is None or not _same_person(move.asker, current.asker))
            if unasked and current is not None and move.asker and named_other:
                # "Two questions had been submitted." or "The Chair of the Committee presented the report." then
                # "Councillor Kapoor asked …": a new question.
                current = None
            elif (
                new_block and current is not None and not current.asked and move.asker and current.asker and named_other
            ):
                # "Councillor Hovvels informed the Panel …" then a paragraph "Councillor Jones referred to …": another
                # member's contribution, not more of the first.
                current = None
            if current is not None and not in_answer and current.unit == self.unit.number:
                if self._puts_another(current, move, asker):
                    # "X asked about A. He also asked whether B.": the second question put before any answer is a
                    # question of its own; the answers that follow are taken in the order the questions were put.
                    self.waiting = self.waiting or [current]
                    self.question = self.current = self._part("question", asker=current.asker or asker, asked=True)
                    self.current.said = True
                    self.current.asked_in = segment.block
                    self.waiting.append(self.current)
                    self._add(segment, self.current)
                    return
                if asker and current.asker is None:
                    current.asker = asker
                current.asked = current.asked or asks or (current.introduced and said)
                current.said = current.said or said
                if current.asked and current.asked_in is None:
                    current.asked_in = segment.block
                self._add(segment, current)
                return
            question = self.question
            follow_up = (move.supplementary or move.pronoun) and question is not None and in_answer
            if follow_up and question is not None and _same_person(asker, question.asker):
                self.current = self._part(
                    "supplementary_question", asker=asker or question.asker, parent=question, asked=asks, said=said
                )
            else:
                self._close(keep_unit=True)
                self.question = self.current = self._part(
                    "question", asker=asker, asked=asks, said=said, introduced=move.kind == "intro"
                )
                self.current.plural = move.plural
                self.current.asked_in = segment.block if asks else None
            self._add(segment, self.current)
        elif move.kind == "answer":
            referred = self.numbered.get(move.refers or "")
            if referred is not None and referred.answer is None:
                self.current = self.question = referred  # _answer answers the current part
                referred.asked = True
                self.current = self._answer(move.responder)
                self._add(segment, self.current)
            elif current is None:
                self._add(segment, None)
            elif in_answer:
                unanswered = next((q for q in self.waiting if q.answer is None), None)
                if unanswered is not None and move.responder and not move.weak:
                    # "The Commissioner commented … The Commissioner agreed …": the next answer, to the next question.
                    self.current = unanswered
                    self.current = self._answer(move.responder)
                self._add(segment, self.current)
            else:
                if current.tentative and current.unit == self.unit.number:
                    current.said = True
                self.current = next((q for q in self.waiting if q.answer is None), current)
                self.current = self._answer(move.responder)
                self._add(segment, self.current)
        elif move.kind == "note":
            if in_answer and not (new_block and RESOLVED.match(self.blocks[segment.block].text)):
                self._add(segment, current)  # what was agreed about the answer belongs to it
            else:
                self._close()
                self._add(segment, None)
        elif current is None and opens:
            # A list entry opening on its subject ("· Whether the rural crime team would be expanded.")
            # is a question when an answer follows it in the entry.
            # An entry put as a reported question ("· How much could be achieved given the cuts;") asks.
            asked = self.asks_list or REPORTED_QUESTION.match(self.blocks[segment.block].text) is not None
            self.current = self.question = self._part("question", asker=self.unit.asker, asked=asked)
            self.current.tentative = True
            if self.unit.marker:
                self.numbered[self.unit.marker] = self.current
            self._add(segment, self.current)
        else:
            if new_block and _awaits_question(current):
                # "The Panel received one written question:" then the question, whatever its form (a question printed
                # without its question mark makes no move): the paragraph under the introduction asks.
                current.asked = current.said = True
                current.asked_in = segment.block
            self._add(segment, current)

    def _puts_another(self, current: _Part, move: Move, asker: str | None) -> bool:
        """Whether a sentence puts a further question ("He also asked …", "She further queried …") after a question
        already put by the same member ("asked whether …", "asked about …") and not yet answered. A remark before it
        ("questioned the reference to consultants. She asked when …") is that question's preamble, not a question."""
        if not (
            move.asks
            and move.supplementary
            and not move.weak
            and current.role == "question"
            and current.asked
            and current.asked_in is not None
            and current.answer is None
            and _same_person(asker, current.asker)
        ):
            return False
        said = " ".join(self.blocks[s.block].text[s.start : s.end] for s in current.segments)
        return INTERROGATIVE.search(said) is not None

    def _answer(self, responder: str | None) -> _Part:
        asked = self.current
        assert asked is not None
        if asked.role.endswith("answer") and asked.parent is not None:
            asked = asked.parent
        role: RecordKind = "supplementary_answer" if asked.role == "supplementary_question" else "answer"
        part = self._part(role, asker=asked.asker, parent=asked, responder=responder)
        asked.answer = part
        return part

    def _part(
        self,
        role: RecordKind,
        *,
        asker: str | None = None,
        responder: str | None = None,
        parent: _Part | None = None,
        asked: bool = False,
        said: bool = False,
        introduced: bool = False,
    ) -> _Part:
        if role == "question" and asker is None and self.questioner:
            asker, self.questioner = self.questioner, None  # the "Question By:" name asks the first question after it
        part = _Part(
            role,
            self.unit.number,
            asker=asker,
            responder=responder,
            parent=parent,
            reference=self.unit.reference,
            asked=asked,
            said=said,
            introduced=introduced,
        )
        self.parts.append(part)
        return part

    def _add(self, segment: _Segment, owner: _Part | None) -> None:
        if owner is not None:
            owner.segments.append(segment)
        self.stream.append((segment, owner))

    def _close(self, keep_unit: bool = False) -> None:
        self.question = self.current = None
        self.waiting = []
        self.label = None
        if not keep_unit:
            self.unit = _Unit(self.unit.number + 1, self.name_asker)


def _awaits_question(part: _Part | None) -> TypeGuard[_Part]:
    """An introduction ("One question was received from …") whose question has not been read yet."""
    return part is not None and part.role == "question" and part.introduced and not part.asked and part.answer is None


def _responder(part: _Part, text: ItemText) -> str | None:
    """Who answered: as the text names them; for a supplementary answer, whoever gave the first answer;
    else the item's default (a written response: the PCC)."""
    if not part.role.endswith("answer"):
        return None
    if part.responder:
        return part.responder
    first = part.parent.parent.answer if part.parent is not None and part.parent.parent is not None else None
    if first is not None and first.responder:
        return first.responder
    return text.responder


def _truncated(warnings: list[str], item: str | None) -> None:
    """Say once per item that the source cuts it off ("… view the full minutes text for item 45/22")."""
    warning = f"item {item or '?'} is truncated on the page"
    if warning not in warnings:
        warnings.append(warning)


def _next_announced(part: _Part, block: int, move: Move) -> bool:
    """Whether a paragraph starts the next of several announced questions: the one before was put in an earlier one."""
    return (
        part.plural
        and part.role == "question"
        and part.answer is None
        and part.asked_in is not None
        and part.asked_in < block
        and move.kind in ("question", "none")
        and not move.supplementary
    )


def _question_line(block: Block, move: Move) -> bool:
    """Whether a move is a question standing as a line of its own at the top of its block, no one named asking."""
    if move.kind != "question" or not move.weak or block.text[: move.start].strip():
        return False
    rest = block.text[move.end :]
    return not rest.strip() or any(
        start >= move.end and not block.text[move.end : start].strip() for start, _ in block.starts
    )


def _answer_after(moves: tuple[Move, ...]) -> tuple[Move, ...]:
    """The moves after a question line: the first, when it makes no move of its own, answers."""
    if moves and moves[0].kind == "none":
        return (Move("answer", moves[0].start, moves[0].end), *moves[1:])
    return moves


def _same_person(a: str | None, b: str | None) -> bool:
    """Whether two ways of writing an asker may be one person (a pronoun or no name is)."""
    if a is None or b is None:
        return True
    return a.split()[-1].lower() == b.split()[-1].lower()


def item_records(
    doc: SourceDocument, factory: RecordFactory, meeting: Meeting, text: ItemText, warnings: list[str]
) -> tuple[list[Record], set[int]]:
    """The records of one item's blocks, and the lines read as structure (labels, headings)."""
    reader = _Reader(text.blocks, answering_surnames(doc.text))  # cached: the same text for every item
    titled = read_label(text.title) if text.title else None
    if titled is not None and titled.role == "question":
        # An item titled as a question ("1." / "Question from Councillor McCloskey"): its text is that question.
        reader.labelled(titled)
    reader.read()
    covered = {n for i in reader.covered for n in range(text.blocks[i].first, text.blocks[i].last + 1)}
    made: dict[int, Record] = {}
    ordered: list[tuple[int, Record]] = []
    stream = reader.stream
    owners: dict[int, _Part | None] = {}
    number = 0
    for part in reader.parts:
        # A question stands when it is put, or when what a member said drew an answer; an introduction
        # ("One question was received from …") or a remark nobody answered is minute text.
        answered = part.answer is not None and bool(part.answer.segments)
        keep = part.segments and (part.role != "question" or part.asked or (part.said and answered))
        if part.parent is not None and id(part.parent) not in made:
            keep = False
        if not keep:
            continue
        quoted = _quote(doc, text.blocks, part.segments)
        if quoted is None:
            continue
        if part.role == "question":
            number += 1  # questions are numbered as the record shows them: a remark nobody answered is not one
        body, first, last, truncated = quoted
        if truncated:
            _truncated(warnings, text.item)
        reference = part.reference or f"Question {number}"
        parent = made.get(id(part.parent)) if part.parent is not None else None
        suffix = {
            "question": "",
            "answer": ", response",
            "supplementary_question": ", supplementary question",
            "supplementary_answer": ", supplementary answer",
        }[part.role]
        record = factory.make(
            part.role,
            first,
            last,
            meeting,
            text=body,
            item=text.item,
            reference=f"{reference}{suffix}",
            asker=part.asker,
            responder=_responder(part, text),
            title=text.title,
            context=f"{text.context}. {parent.text[:300]}" if parent and text.context else (text.context or ""),
            parent_id=parent.id if parent else None,
            truncated=truncated,
        )
        made[id(part)] = record
        position = next(i for i, (_, owner) in enumerate(stream) if owner is part)
        ordered.append((position, record))
        for segment in part.segments:
            owners[id(segment)] = part
        if parent is not None and part.role.endswith("answer"):
            supplementary = part.role == "supplementary_answer"
            exchange_reference = reference + (", supplementary" if supplementary else "")
            ordered.append((position, factory.exchange(parent, record, reference=exchange_reference)))
    for position, segments in _loose_runs(stream, owners):
        quoted = _quote(doc, text.blocks, segments)
        if quoted is None:
            continue
        body, first, last, truncated = quoted
        resolved = resolution(body)
        if truncated:
            _truncated(warnings, text.item)
        minute = factory.make(
            "minute",
            first,
            last,
            meeting,
            text=body,
            item=text.item,
            title=text.title,
            context=text.context,
            resolved=resolved,
            truncated=truncated,
        )
        ordered.append((position, minute))
    ordered.sort(key=lambda entry: entry[0])
    return [record for _, record in ordered], covered


def _loose_runs(
    stream: list[tuple[_Segment, _Part | None]], owners: dict[int, _Part | None]
) -> list[tuple[int, list[_Segment]]]:
    """(stream position, segments) of each unbroken run of segments no kept record owns."""
    runs: list[tuple[int, list[_Segment]]] = []
    run: list[_Segment] | None = None
    for position, (segment, _) in enumerate(stream):
        if id(segment) in owners:
            run = None
            continue
        if run is None:
            run = []
            runs.append((position, run))
        run.append(segment)
    return runs


def _quote(doc: SourceDocument, blocks: list[Block], segments: list[_Segment]) -> tuple[str, int, int, bool] | None:
    """The text of segments, the lines it stands on, and whether the source cuts it off; None when empty."""
    text = ""
    lines: list[int] = []
    last_block = -1
    for segment in segments:
        block = blocks[segment.block]
        raw = block.text[segment.start : segment.end]
        piece = raw.strip().rstrip(",;–—").rstrip()
        piece = re.sub(r"^\[|\]$", "", piece) if piece.startswith("[") and piece.endswith("]") else piece
        if not piece:
            continue
        start = segment.start + len(raw) - len(raw.lstrip())
        text += ("\n\n" if segment.block != last_block else " ") + piece if text else piece
        last_block = segment.block
        lines += [block.line_at(start), block.line_at(start + len(piece) - 1)]
    if not text:
        return None
    truncated = bool(TRUNCATION.search(text))
    if truncated:
        text = TRUNCATION.sub("", text).rstrip(" .…")
        if not text:
            return None
    first, last = min(lines), max(lines)
    checked = checked_quote(doc, first, last, text)
    return (checked, first, last, truncated) if checked else None
