"""Records cited one way, whichever stage makes them: the record factory (ids, labels, locations), the label
helpers, quotes that stand in their source, and the patterns several stages read (a RESOLVED line, a page that
cuts an item off, a report's closing sections).

A neutral module: the layouts and the exchange finder both import it, and it imports neither.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.reading.dates import format_date
from indexer.reading.document import SourceDocument
from indexer.reading.meeting import Meeting, date_source_of
from indexer.reading.people import person_key
from indexer.reading.text import clean_inline
from indexer.records import Citation, Record, RecordKind, exchange_id, record_id

# A web page that cuts an item off: "… view the full minutes text for item 45/22".
TRUNCATION = re.compile(
    r"\.{2,}\s*view the full minutes text for item\s*\S*\s*$|…\s*view the full minutes text.*$", re.I
)
# Headings that end the questions of a report: its closing sections.
END_OF_QUESTIONS = re.compile(
    r"^\s*(?:#+\s*)?(?:\d+\.?\s*)?(?:contact for enquiries|contact details|background papers|appendix|appendices)\b",
    re.I,
)


def checked_quote(doc: SourceDocument, first: int, last: int, text: str | None = None) -> str | None:
    """Record text for lines first..last that passes `contains_quote`, or None when none does.

    `doc.quote` cleans markup line by line while `contains_quote` cleans the lines joined, so
    a tag split over two lines ("<b" / ">") can make them disagree; then the joined, cleaned
    lines are the quote.
    """
    for candidate in (text, doc.quote(first, last), clean_inline(doc.content(first, last))):
        if candidate and candidate.strip() and doc.contains_quote(first, last, candidate):
            return candidate
    return None


_MINUTE_ITEM = re.compile(r"^\d{1,3}/\d{2}$")


def item_label(item: str | None) -> str | None:
    """How an item is written in a label: "minute 45/22", "item 8A", "Agenda Item 5"."""
    if not item:
        return None
    if _MINUTE_ITEM.match(item):
        return f"minute {item}"
    if item[0].isdigit():
        return f"item {item}"
    return item


def make_label(body: str | None, meeting_date: str | None, item: str | None, reference: str | None) -> str:
    """The human-readable citation: body, date, item, reference, omitting what is unknown."""
    parts = [body or "Unknown body", format_date(meeting_date)]
    label_item = item_label(item)
    if label_item:
        parts.append(label_item)
    if reference:
        parts.append(reference)
    return ", ".join(parts)


_Place = tuple[str, str | None, str | None, str | None, str | None]


def _place(kind: str, body: str | None, meeting_date: str | None, item: str | None, reference: str | None) -> _Place:
    return (kind, body, meeting_date, item, reference)


class RecordFactory:
    """Builds records for one document so ids, labels and locations are made one way.

    `earlier`: records already made from this document by another factory (the layout's,
    when the leftovers are read), so ordinals keep counting and ids stay distinct.
    """

    def __init__(self, doc: SourceDocument, earlier: Sequence[Record] = ()) -> None:
        self.doc = doc
        # Records made so far per place (kind, body, date, item, reference): the next one's ordinal.
        self._seen: dict[_Place, int] = {}
        for r in earlier:
            if r.kind != "exchange":  # an exchange's id comes from its parts, not an ordinal
                c = r.citation
                key = _place(r.kind, c.body, c.meeting_date, c.item, c.reference)
                self._seen[key] = self._seen.get(key, 0) + 1

    def make(
        self,
        kind: RecordKind,
        first: int,
        last: int,
        meeting: Meeting,
        *,
        text: str | None = None,
        item: str | None = None,
        reference: str | None = None,
        asker: str | None = None,
        responder: str | None = None,
        title: str | None = None,
        context: str = "",
        parent_id: str | None = None,
        part_ids: tuple[str, ...] = (),
        resolved: str | None = None,
        truncated: bool = False,
    ) -> Record:
        """Make a record quoting lines first..last (debris removed) unless `text` is given.

        A record with no item of its own takes the item its meeting line names ("(Item 81)"); an item the
        publishing system stated for the whole text wins over one the text prints.
        """
        if not 1 <= first <= last <= self.doc.line_count:
            raise ValueError(f"bad line range {first}-{last} in {self.doc.name}")
        location = self.doc.location(first, last)
        first, last = location.lines
        body_text = text if text is not None else self.doc.quote(first, last)
        asker = clean_inline(asker) if asker else None
        item = meeting.item if meeting.item_given else (item or meeting.item)
        if kind == "exchange" and part_ids:
            rid = exchange_id(part_ids)
        else:
            # The id names the record's place, not its text, so a better reading keeps it; the
            # ordinal tells apart records sharing a place (two paragraphs of one minute).
            key = _place(kind, meeting.body, meeting.date, item, reference)
            ordinal = self._seen.get(key, 0)
            self._seen[key] = ordinal + 1
            rid = record_id(self.doc.name, kind, meeting.body, meeting.date, item, reference, ordinal)
        citation = Citation(
            body=meeting.body,
            meeting_date=meeting.date,
            item=item,
            reference=reference,
            asker=asker,
            asker_key=person_key(asker) if asker else None,
            responder=responder,
            document=self.doc.name,
            location=location,
            label=make_label(meeting.body, meeting.date, item, reference),
            date_source=meeting.date_source if meeting.date else None,
        )
        return Record(
            id=rid,
            kind=kind,
            text=body_text,
            citation=citation,
            title=title,
            context=context,
            parent_id=parent_id,
            part_ids=part_ids,
            resolved=resolved,
            truncated=truncated,
        )

    def exchange(self, question: Record, answer: Record, *, reference: str | None = None) -> Record:
        """Join a question (or supplementary question) and its answer into one exchange record."""
        first = min(question.citation.location.lines[0], answer.citation.location.lines[0])
        last = max(question.citation.location.lines[1], answer.citation.location.lines[1])
        c = question.citation
        return self.make(
            "exchange",
            first,
            last,
            Meeting(c.body, c.meeting_date, date_source_of(c.date_source)),
            text=f"{question.text}\n\n{answer.text}",
            item=c.item,
            reference=reference or c.reference,
            asker=c.asker,
            responder=answer.citation.responder,
            title=question.title,
            context=question.context,
            parent_id=question.parent_id,
            part_ids=(question.id, answer.id),
            truncated=question.truncated or answer.truncated,
        )
