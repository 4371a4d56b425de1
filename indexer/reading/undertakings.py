"""Undertakings: what the Commissioner, a deputy, an officer or the Panel undertook to do, found in answers and minutes.

Minutes record commitments in a handful of ways, whatever the panel: reported speech with a
modal ("she would ensure that the Chief Constable heard the Panel's concerns", "offered to look
at them outside of the meeting"), an agreement ("It was agreed that figures would be provided"),
something promised to a meeting ("An update ... will be presented to the meeting in May"), an
action log ("Mr Dale to provide an update", "ACTION: PCC to write to the Home Office") and a
resolution or request asking for a report ("RESOLVED that a report be brought to the next
meeting", "requested a report for the May meeting"). Each sentence that makes one becomes a
record of kind `undertaking`, quoting the sentence and citing the lines it stands on.

Answers and minutes are read, reports only for resolutions and action logs, and a question only
for an office-holder's words a reader ran into it: a question that recalls or asks after a promise
is not one, nor is a refusal, a habit or an agenda's description. Who undertook is taken from the
sentence (a "she" from whoever spoke, else the answer's responder); when the text does not say,
it is None, never guessed.

After embedding, `indexer.reading.follow_ups` names later records of the same body that may discharge an
undertaking ("possibly followed up in"): a lead for the reader, never a claim that it was met.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Mapping, Sequence

from indexer.reading.document import SourceDocument
from indexer.reading.moves import PERSON, RESPONDER
from indexer.reading.text import RESOLVES, plain_key, squash
from indexer.reading.text import sentences as split_sentences
from indexer.records import Location, Record, UndertakerRole, Undertaking, record_id

# The kinds an undertaking is read from: what was answered, minuted or reported, never what was asked.
SOURCE_KINDS = ("answer", "supplementary_answer", "minute", "report_section")
# A question's record is read only for what an office-holder is minuted as saying in it: a reader that ran an
# answer's words into the question ("… asked whether … The Commissioner said he would raise it …").
ASKED_KINDS = ("question", "supplementary_question")
ANSWERING_ROLES = ("PCC", "Deputy", "officer")

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# Who can undertake something: whoever answers a panel (moves.RESPONDER: the Commissioner, a deputy, the
# force's and the office's officers), the Panel and its Chair, people named with a title (moves.PERSON), and
# pronouns (read back to whoever spoke).
_OFFICE = (
    rf"{RESPONDER}|Chair(?:man|woman|person)?|Vice[- ]Chair(?:man)?|Panel|Board|Members?|OPCC|Office|Constabulary"
    r"|Deputy|Head|Director"
)
_ACTOR = (
    rf"(?:(?:the|The)\s+)?(?:(?:{_OFFICE})(?:\s+(?:of|at)\s+(?:the\s+)?[A-Z][\w&]*(?:\s+(?:and\s+)?[A-Z][\w&]*){{0,3}}){{0,2}}"
    rf"|{PERSON}|he|she|they|we|He|She|They|We|I)"
)
# What an undertaking does: deliver, find out, write, meet, raise, change.
_VERB = (
    r"(?:provid|circulat|report|look|writ|ensur|shar|send|updat|com|follow|arrang|bring|present|investigat|review"
    r"|consider|publish|rais|liais|confirm|check|find|discuss|meet|contact|feed|forward|suppl|clarif|brief|explor"
    r"|seek|pass|tak|respond|giv|mak|organis|organiz|invit|includ|add|amend|chas|speak|ask|request|e-?mail|obtain"
    r"|establish|set|schedul|prepar|produc|visit|attend|reconsider|revisit|pursu|progress|lobby|inform|advis|notif"
    r"|return|keep|highlight|work|examin|explain|put|revis|refer|agre|publicis|promot|recruit|develop|implement"
    r"|deliver|fund|commission|submit|table)"
)
_MODAL = r"(?:would|will|shall|undertook\s+to|offered\s+to|agreed\s+to|promised\s+to|committed\s+to|pledged\s+to"
_MODAL += r"|(?:was|were|is|are|would\s+be)\s+(?:happy|willing|pleased)\s+to|(?:was|were|is|are)\s+to)"
# "she would ensure …", "The DPCC … offered to look …", "Mr Dale will provide …", "he would be publishing …"
_SAID = re.compile(
    rf"(?<![\w-])(?P<actor>{_ACTOR})(?:\s*\([^)]{{1,30}}\))?(?:,\s+[^,.]{{2,60}},)?"
    rf"(?:\s+(?:also|further|personally|now|then|therefore|however|,)){{0,2}}"
    rf"(?:\s+[\w'’ ,-]{{0,80}}?(?:,|\s+and|\s+but)\s+)?\s*(?:has\s+|had\s+|have\s+)?{_MODAL}"
    rf"\s+(?:also\s+|personally\s+|be\s+)?(?P<verb>{_VERB})\w*\b"
    r"(?P<rest>.*)",
    re.S,
)
# "she was happy for the Panel to look at the measures": an offer made to someone else.
_OFFER = re.compile(
    rf"(?<![\w-])(?P<actor>{_ACTOR})(?:\s*\([^)]{{1,30}}\))?\s+(?:was|were|is|are|would\s+be)\s+happy\s+for\s+"
    r"(?P<rest>.*)",
    re.S,
)
# "It was agreed that …", "Members agreed that …", "the Commissioner agreed that this should be a joint action …"
_AGREED = re.compile(
    rf"(?:(?P<actor>{_ACTOR})(?:\s*\([^)]{{1,30}}\))?\s+|\bit\s+was\s+|\bIt\s+was\s+)(?:also\s+|further\s+)?"
    r"(?:agreed|committed|undertook|promised|pledged)\s+(?:that|for)\s+(?P<rest>.*)",
    re.S,
)
# Something promised to a meeting or to members: "An update … will be presented to the meeting in May".
_TO_MEETING = re.compile(
    r"\b(?:will|would|should|shall|is\s+to|are\s+to|to)\s+be\s+(?:re-?)?(?:provided|circulated|presented|brought"
    r"|reported|submitted|shared|sent|tabled|considered|received|given|made\s+available|emailed|forwarded|published)\b"
    r"(?P<rest>.*)",
    re.S,
)
_TO_WHOM = re.compile(
    r"\b(?:to|at|for|with|before)\s+(?:the\s+|its\s+|all\s+)?(?:next\s+|following\s+|[\w’']+\s+)?"
    r"(?:meeting|Panel|Board|Committee|[Mm]embers|Commissioner|PCC|Chair(?:man)?)\b(?![’']s)"
)
# Information handed over needs no destination to be a promise ("the figures will be published monthly").
_HANDED = re.compile(
    r"\w+\s+(?:\w+\s+)?be\s+(?:re-?)?(?:provided|circulated|shared|sent|published|made\s+available|emailed)\b"
)
# An information product a passive promise is about ("figures would be provided").
_PRODUCT = re.compile(
    r"\b(?:report|update|figures?|information|details|data|briefing|paper|response|answer|breakdown|copy|note"
    r"|presentation|letter|analysis|statistics|numbers|list|plan|summary|evaluation|review|outcome|results|findings"
    r"|assessment|times|rates)s?\b",
    re.I,
)
# An action log line: "ACTION: PCC to write …", "Mr Dale to provide an update on …".
_ACTION_LABEL = re.compile(r"^\s*(?:ACTION|Action)(?:\s+point)?\s*[:\-–]\s*(?P<rest>.+)", re.S)
_ACTOR_TO = re.compile(
    rf"^\s*(?:For\s+)?(?P<actor>{_ACTOR})(?:\s*\([^)]{{1,30}}\))?\s+to\s+(?P<verb>{_VERB})\w*\b(?P<rest>.*)", re.S
)
# A listed action with no one named, in an action log or under RESOLVED: "To receive an update report …",
# "To review the effectiveness …", "Feedback to the PCC …".
_LISTED = re.compile(
    rf"^\s*(?:To\s+(?P<verb>(?i:{_VERB}|receive))\w*\s|(?=[A-Z])(?P<bare>(?i:{_VERB}))[ey]?\s+(?=[a-z])"
    r"|Feedback\s+to\b)(?P<rest>.*)",
    re.S,
)
# Where every entry is an action: an action log, or what a meeting resolved.
ACTION_LOG = re.compile(
    r"\b(?:review\s+of\s+actions|action\s+(?:log|sheet|tracker|points?|list|update)|actions?\s+arising"
    r"|matters\s+arising|outstanding\s+actions|actions\s+update|actions)\b",
    re.I,
)
# Where an action-log entry or a resolution's part starts inside text run together from a table or list.
_NAMED_ACTOR = (
    rf"(?:For\s+)?(?:The\s+)?(?:(?:{_OFFICE})(?:\s+of\s+(?:the\s+)?[A-Z][\w&]*(?:\s+[A-Z][\w&]*){{0,3}})?"
    rf"|{PERSON})"
)
_ENTRY = re.compile(
    rf"(?<=\s)(?=(?:{_NAMED_ACTOR})(?:\s*\([^)]{{1,30}}\))?\s+to\s+{_VERB}"
    rf"|To\s+(?:{_VERB}|receive|support|note|approve|agree)\w*\b|Feedback\s+to\b|RESOLVED\b)"
)
# In an action log an entry may start with its verb: "Add an item on … to the work programme".
_IMPERATIVE = re.compile(
    r"(?<=\s)(?=(?:Add|Circulate|Provide|Write|Arrange|Send|Share|Invite|Include|Bring|Present|Schedule"
    r"|Prepare|Publish|Check|Confirm|Contact|Seek|Obtain|Liaise|Raise|Investigate|Explore)\s+[a-z])"
)
_RUNS_ON = re.compile(r"(?:\b[a-z][\w'’-]*|,|\bThe|\bDeputy|\bAssistant|\bActing|\bInterim)\s*$")
# A resolution asking someone: "That the Commissioner be requested to submit a report …",
# "Request that the PCC provide …".
_ASKED = re.compile(
    rf"\bbe\s+(?:requested|asked|invited)\s+to\s+(?P<verb>{_VERB})\w*\b"
    rf"|\b[Rr]equest(?:s|ed)?\s+that\s+(?:the\s+)?(?:{_OFFICE}|[Oo]fficers)\s+(?P<verb2>{_VERB})\w*\b",
)
# A resolution's part in the subjunctive: "(ii) a report on … be presented to the next meeting of the Panel".
_SUBJUNCTIVE = re.compile(
    r"^\W*(?:\(?(?:[ivx]+|\d+|[a-h])[.)]\s*)?(?:[Tt]hat\s+)?(?:a|an|the)\s+(?:further\s+)?(?:[\w'’-]+\s+){0,12}?"
    r"(?:report|update|briefing|paper|information|details|figures|breakdown)s?\b.{0,150}?(?<!would\s)(?<!will\s)"
    r"(?<!should\s)(?<!to\s)\bbe\s+(?:presented|brought|submitted|provided|circulated|supplied|reported|sent|shared)\b",
    re.S,
)
# A sentence recalling a promise, or asking whether one will be kept, is not one made.
_RECALLED = re.compile(
    r"\b(?:reminded|recalled|pointed\s+out)\b|\b(?:ask(?:ed|ing)?|quer(?:ied|ying)|enquir(?:ed|ing)|wonder(?:ed|ing))\b"
    r"[^.]{0,60}?\b(?:when|whether|if|why|how)\b"
)
# How far before a sentence a RESOLVED still governs it: a resolution's parts follow within a few hundred characters.
RESOLUTION_REACH = 600
# What is done at the meeting being minuted is its business, not a promise for after it.
_THIS_MEETING = re.compile(r"\bin\s+support\s+of\s+this\s+item\b|\bat\s+(?:this|today[’']s)\s+meeting\b", re.I)
# A resolution or request for a report: "RESOLVED that a report be brought …", "requested a report for …".
_REQUESTED = re.compile(
    rf"(?:(?P<actor>{_ACTOR})\s+(?:has\s+|had\s+)?)?(?:requested|asked(?:\s+the\s+[\w-]+(?:\s+[\w-]+)?)?\s+for|called\s+for)\s+(?:that\s+)?(?:a|an|the|further|regular)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:report|update|briefing|paper|information|details|figures|breakdown)s?\b(?P<rest>.*)",
    re.S,
)
_RESOLVED_REPORT = re.compile(
    r"\b(?:report|update|briefing|paper|information|details|figures|comments|views|recommendations|response)s?\b"
    r".{0,120}?\b(?:be|is|are)\s+(?:brought|presented|provided|submitted|received|circulated|reported|considered"
    r"|supplied|sent|shared)\b",
    re.S,
)
# Not a promise: refusals, conditionals, habits, and the minutes' own business.
_NEGATED = re.compile(
    r"\b(?:would|will|could|shall)\s+not\s+(?:be\s+)?\w+|\bwouldn[’']t\b|\bwon[’']t\b|\bunable\s+to\b|\bnot\s+in\s+a\s+position\b"
)
_ROUTINE = re.compile(r"\b(?:correct|true|accurate)\s+record\b|\bbe\s+signed\b|\bminutes\s+(?:of|were|be)\b", re.I)
_DUE = re.compile(
    rf"\b(?:by|at|to|for|before|in\s+time\s+for)\s+(?:the|its)\s+(?:Panel[’']s\s+)?"
    rf"(?:next|following|forthcoming|{_MONTH})\s+(?:[\w-]+\s+){{0,2}}?(?:meeting|Panel|Board|Committee)\b"
    rf"|\b(?:meeting|Panel|Board|Committee)\s+(?:on|of)\s+(?:\w+day,?\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}"
    r"(?:,?\s+\d{4})?"
    rf"|\bby\s+(?:the\s+)?(?:end\s+of\s+)?{_MONTH}(?:\s+\d{{4}})?\b"
    rf"|\bby\s+\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:\s+\d{{4}})?\b"
    rf"|\b(?:in|during)\s+{_MONTH}(?:\s+\d{{4}})?\b"
    r"|\bwithin\s+(?:\d+|one|two|three|four|six|a)\s+(?:days?|weeks?|months?)\b"
    r"|\b(?:by|before)\s+the\s+end\s+of\s+the\s+(?:year|month|financial\s+year)\b",
)
_FOR_WHOM = re.compile(
    rf"\b(?:to|with|for|inform|brief|update|advise|write\s+to|provid(?:e|ing)|send|give|supply)\s+(?P<who>the\s+Panel|Panel\s+[Mm]embers|[Mm]embers(?:\s+of\s+the\s+Panel)?"
    rf"|the\s+Board|the\s+Committee|the\s+Commissioner|the\s+PCC|the\s+Chair(?:man)?|{PERSON}"
    r"|him|her)\b"
)
_NAMED = re.compile(rf"(?<![\w-])(?P<actor>{_ACTOR})\b")
_SPEAKER = re.compile(
    rf"(?<![\w-])(?P<actor>{_ACTOR})(?:\s*\([^)]{{1,30}}\))?(?:,\s+[^,.]{{2,60}},)?(?:\s+(?:also|further|then|later|again))?\s+"
    r"(?:advised|said|stated|confirmed|explained|informed|added|replied|responded|indicated|agreed|noted|assured"
    r"|acknowledged|reported|clarified|undertook|offered|commented|emphasised|emphasized|highlighted|suggested"
    r"|accepted|recognised|told|answered|assured|promised|believed|felt|considered|hoped)\b"
)
_PRONOUNS = {"he", "she", "they", "we", "i"}


def role_of(actor: str | None) -> UndertakerRole | None:
    """The role of who undertook something, from the office its name ends in; None when unknown.

    "Chief Executive of the Office of the PCC" and "the Commissioner's Chief Executive" are officers,
    "Panel Support Officer" too; "Deputy Police and Crime Commissioner" is the Deputy.
    """
    if not actor or actor.lower() in _PRONOUNS:
        return None
    head = re.split(r"\s+(?:of|at)\s+", actor.lower(), maxsplit=1)[0]
    head = re.split(r"['’]s\s+", head)[-1]  # "the Commissioner's Chief Executive": the Chief Executive
    last = head.split()[-1] if head.split() else ""
    if re.search(r"\bd(?:p|pf)cc\b", head) or (
        re.search(r"\bdeputy\b", head) and (last in ("commissioner", "pcc", "pfcc") or head.strip() == "deputy")
    ):
        return "Deputy"
    if last in ("commissioner", "pcc", "pfcc"):
        return "PCC"
    if re.fullmatch(r"(?:panel|members?|chair\w*|board)", last) or re.match(
        r"(?:county\s+)?(?:cllrs?|councillor)\b", head
    ):
        return "Panel"  # a councillor on a panel is one of its members
    return "officer"


@dataclasses.dataclass(frozen=True)
class Found:
    """One undertaking read from a sentence: the sentence, who undertook, what, for whom and by when."""

    sentence: str
    undertaker: str | None
    action: str
    for_whom: str | None
    due: str | None


def sentences(text: str, listed: bool = False) -> list[str]:
    """A record's text as sentences (a decimal point or an initial does not end one).

    An action-log entry or a resolution's part starts a sentence of its own even where a table's
    cells were run together without a full stop.
    """
    out: list[str] = []
    for sentence in split_sentences(text):
        # Only where the words before do not run on into it ("for the Commissioner to consider" is one sentence).
        found = [*_ENTRY.finditer(sentence), *(_IMPERATIVE.finditer(sentence) if listed else ())]
        starts = sorted({m.start() for m in found if not _RUNS_ON.search(sentence[: m.start()])})
        cuts = [0, *starts, len(sentence)]
        out += [sentence[a:b].strip() for a, b in itertools.pairwise(cuts) if a < b]
    return [s for s in out if len(s.split()) >= 3]


def _due(text: str) -> str | None:
    """The time a text names for an undertaking, as written ("by the next meeting", "in May"), or None."""
    found = _DUE.search(text)
    return found.group(0) if found else None


def _clean_action(m: re.Match[str]) -> str:
    """What was undertaken: the sentence from the undertaking's verb on ("write to Councillor Achebe …")."""
    action = squash(m.string[m.start("verb") :]).strip(" ,;:.")
    return action[:1].lower() + action[1:] if action else action


def speakers(text: str) -> list[str]:
    """Who speaks in a text, in order: the subjects of "advised", "said", "confirmed" (pronouns included)."""
    return [m.group("actor") for m in _SPEAKER.finditer(text)]


def antecedent(sentence_before: str, before: str, responder: str | None) -> str | None:
    """Whom an undertaking's "she" or "he" means: the sentence's speaker, else the last before, else who answered."""
    said = speakers(sentence_before)
    if said and said[0].lower() not in _PRONOUNS:
        return said[0]
    earlier = [s for s in speakers(before) if s.lower() not in _PRONOUNS]
    if earlier:
        return earlier[-1]
    if responder:
        return responder
    named = [m.group("actor") for m in _NAMED.finditer(sentence_before) if m.group("actor").lower() not in _PRONOUNS]
    return named[0] if named else None


def read_undertaking(
    sentence: str,
    responder: str | None = None,
    asker: str | None = None,
    *,
    before: str = "",
    reported: bool = False,
    listed: bool = False,
) -> Found | None:
    """The undertaking a sentence makes, if it makes one.

    `before` is the record's text before the sentence and `responder` who answered: they name
    whom a "she" or "he" means. In a report (`reported`) only a resolution asking for a report
    counts: a report's plans are not promises made to the meeting. In an action log (`listed`) or
    under RESOLVED, an entry naming no one ("To receive an update report …") is an action too.
    """
    if _NEGATED.search(sentence) or _ROUTINE.search(sentence) or _RECALLED.search(sentence):
        return None
    if _THIS_MEETING.search(sentence):
        return None  # done at the meeting itself ("In support of this item, the Commissioner will deliver …")
    if _ASKED.search(sentence) or _SUBJUNCTIVE.search(sentence):
        return Found(sentence, "Panel", squash(sentence).strip(" ."), None, _due(sentence))
    actor: str | None = None
    action: str | None = None
    at = 0  # where the actor stands in the sentence, to read a pronoun from the words before it
    resolving = bool(RESOLVES.search(before[-RESOLUTION_REACH:] + sentence))
    listed = listed or resolving
    entry = _LISTED.match(sentence) if listed else None
    if entry is not None and ((entry.group("verb") or "").lower() != "receive" or _PRODUCT.search(entry.group("rest"))):
        return Found(sentence, None, squash(sentence).strip(" ."), None, _due(sentence))
    if reported and not (_ACTION_LABEL.match(sentence) or (listed and _ACTOR_TO.match(sentence))):
        if not (resolving and _RESOLVED_REPORT.search(sentence)):
            return None
        actor, action = "Panel", squash(sentence).strip(" .")
    elif (m := _ACTION_LABEL.match(sentence)) is not None:
        inner = m.group("rest")
        if (a := _ACTOR_TO.match(inner)) is not None:
            actor, action = a.group("actor"), _clean_action(a)
        else:
            action = squash(inner).strip(" .")
    elif (m := _ACTOR_TO.match(sentence)) is not None and m.group("actor").lower() not in _PRONOUNS:
        actor, action = m.group("actor"), _clean_action(m)
    elif (m := _AGREED.search(sentence)) is not None and re.search(r"\b(?:be|should|would|will|to)\b", m.group("rest")):
        actor, at = m.group("actor"), m.start()
        inner = _SAID.search(m.group("rest"))
        if actor is None and inner is not None and inner.group("actor").lower() not in _PRONOUNS:
            actor = inner.group("actor")
        action = squash(m.group("rest")).strip(" .")
    elif (m := _SAID.search(sentence)) is not None:
        actor, at, action = m.group("actor"), m.start(), _clean_action(m)
        if role_of(actor) == "Panel" and m.group("verb").lower().startswith("consider"):
            return None  # the Panel taking its own business at a meeting, not a promise to anyone
    elif (m := _OFFER.search(sentence)) is not None:
        actor, at, action = m.group("actor"), m.start(), squash(m.group("rest")).strip(" .")
    elif (m := _REQUESTED.search(sentence)) is not None:
        # Who was asked is rarely written; the one who asked is whom it is for.
        action = squash(sentence[m.start() :]).strip(" .")
        return Found(sentence, None, action, m.group("actor"), _due(action))
    elif resolving and _RESOLVED_REPORT.search(sentence):
        actor, action = "Panel", squash(sentence).strip(" .")
    elif (m := _TO_MEETING.search(sentence)) is not None and (
        _PRODUCT.search(sentence[: m.start()])
        and (_TO_WHOM.search(m.group("rest") or "") or _HANDED.match(sentence[m.start() :]))
    ):
        action = squash(sentence).strip(" .")
        # A passive promise is made by whoever says it: the sentence's speaker, else who answered.
        said = speakers(sentence[: m.start()])
        actor = said[0] if said else responder
    else:
        return None
    if actor is not None and actor.lower() in _PRONOUNS:
        # "The Commissioner advised that she would …": the one named before the pronoun, else who answered.
        actor = antecedent(sentence[:at], before, responder)
    if actor is not None:
        actor = re.sub(r"^(?:the|The)\s+", "", squash(actor))
    whom = _FOR_WHOM.search(sentence)
    for_whom = whom.group("who") if whom else None
    if for_whom in ("him", "her"):
        for_whom = asker
    # The time named for it stands in what was undertaken ("would report … at the next meeting"), not in the
    # facts before ("reference numbers were issued within a day, and he agreed to look into …").
    return Found(sentence, actor, action or squash(sentence), for_whom, _due(action or sentence))


def locate(sentence: str, record: Record, lines: Sequence[str] | None, before: str = "") -> Location:
    """The lines a sentence stands on inside its record, found by its words after the text `before` it."""
    loc = record.citation.location
    if not lines:
        return loc
    first, last = loc.lines
    numbers = list(range(first, min(last, len(lines)) + 1))
    keys = [plain_key(lines[n - 1]) for n in numbers]
    joined = "".join(keys)
    ends = list(itertools.accumulate(len(k) for k in keys))
    words = plain_key(sentence)
    if not words or not numbers:
        return loc
    # Lines the record leaves out (page numbers, running headers) sit in `joined` too: start a little early.
    cursor = max(0, len(plain_key(before)) - 40)
    head, tail = words[:24], words[-24:]
    start = joined.find(head, cursor)
    if start < 0:
        start = joined.find(head)
    end = joined.find(tail, max(start, 0))
    if start < 0:
        return loc

    def line_at(offset: int) -> int:
        return numbers[min(bisect.bisect_right(ends, offset), len(numbers) - 1)]

    end_line = line_at(end + len(tail) - 1) if end >= 0 else last
    return Location((line_at(start), max(line_at(start), end_line)), loc.page, loc.last_page)


def find_undertakings(records: Sequence[Record], documents: Sequence[SourceDocument] = ()) -> list[Record]:
    """The records with an `undertaking` record added after each answer, minute or report that makes one."""
    lines_of = {d.name: d.lines for d in documents}
    pages_of = {d.name: d.page_of_line for d in documents}
    by_id = {r.id: r for r in records}
    seen: dict[tuple[object, ...], int] = {}
    out: list[Record] = []
    for record in records:
        out.append(record)
        if record.kind not in SOURCE_KINDS + ASKED_KINDS or (record.citation.reference or "").startswith(
            "agenda description"
        ):
            continue  # an agenda states the business to be taken ("The Chairman to report apologies"), never a promise
        question = by_id.get(record.parent_id) if record.parent_id else None
        asker = record.citation.asker or (question.citation.asker if question else None)
        listed = bool(ACTION_LOG.search(record.title or ""))
        texts = sentences(record.text, listed)
        if record.resolved and record.resolved not in record.text:
            texts += sentences(record.resolved)
        taken: list[Record] = []
        reported = record.kind == "report_section"
        for sentence in texts:
            if record.kind in ASKED_KINDS and not _answered(sentence):
                continue
            before = record.text[: max(0, record.text.find(sentence))]
            found = read_undertaking(
                sentence, record.citation.responder, asker, before=before, reported=reported, listed=listed
            )
            if found is None:
                continue
            made = _as_record(found, record, lines_of.get(record.citation.document), pages_of, seen, before)
            # A table's action column restates the minute beside it: one undertaking per row, not two.
            if listed and any(_overlaps(made, other) for other in taken):
                seen[_place(made)] -= 1
                continue
            taken.append(made)
            out.append(made)
    return out


def _answered(sentence: str) -> bool:
    """True when a sentence reports an office-holder speaking (not a member asking)."""
    said = speakers(sentence)
    return bool(said) and role_of(said[0]) in ANSWERING_ROLES


def _place(record: Record) -> tuple[object, ...]:
    c = record.citation
    return (c.document, c.body, c.meeting_date, c.item, c.reference)


def _overlaps(a: Record, b: Record) -> bool:
    (a1, a2), (b1, b2) = a.citation.location.lines, b.citation.location.lines
    return a1 <= b2 and b1 <= a2


def _as_record(
    found: Found,
    source: Record,
    lines: Sequence[str] | None,
    pages_of: Mapping[str, list[int] | None],
    seen: dict[tuple[object, ...], int],
    before: str = "",
) -> Record:
    c = source.citation
    loc = locate(found.sentence, source, lines, before)
    page_of = pages_of.get(c.document)
    if page_of:
        loc = Location(loc.lines, page_of[loc.lines[0] - 1], page_of[min(loc.lines[1], len(page_of)) - 1])
    reference = f"{c.reference}, undertaking" if c.reference else "undertaking"
    place = (c.document, c.body, c.meeting_date, c.item, reference)  # as _place() reads it from the record
    ordinal = seen.get(place, 0)
    seen[place] = ordinal + 1
    rid = record_id(c.document, "undertaking", c.body, c.meeting_date, c.item, reference, ordinal)
    label = f"{c.label}, undertaking" if ordinal == 0 else f"{c.label}, undertaking {ordinal + 1}"
    role = role_of(found.undertaker)
    undertaking = Undertaking(
        undertaker=found.undertaker,
        role=role,
        action=found.action,
        for_whom=found.for_whom,
        due=found.due,
    )
    return Record(
        id=rid,
        kind="undertaking",
        text=found.sentence,
        citation=dataclasses.replace(c, reference=reference, location=loc, label=label),
        title=source.title,
        context=source.title or "",
        parent_id=source.id,
        access=source.access,
        undertaking=undertaking,
    )
