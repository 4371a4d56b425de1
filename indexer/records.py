"""Cited records: the unit panel-search stores, indexes and returns.

A record is one piece of what a panel or board published (a member's question, the
PCC's answer, a minute, a report paragraph) together with a citation precise enough to
put in a letter. Records are immutable; their ids are derived from the document and the
record's place in the meeting, never from its text, so rebuilding the same corpus gives the
same ids and a better reading of the same text keeps them (see `record_id`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

RecordKind = Literal[
    "question",
    "answer",
    "supplementary_question",
    "supplementary_answer",
    "exchange",
    "minute",
    "report_section",
    "undertaking",
    "particulars",
]

Access = Literal["public", "restricted"]
ACCESS_LEVELS: tuple[Access, ...] = ("public", "restricted")

RECORD_KINDS: tuple[RecordKind, ...] = (
    "question",
    "answer",
    "supplementary_question",
    "supplementary_answer",
    "exchange",
    "minute",
    "report_section",
    "undertaking",
    "particulars",
)

UndertakerRole = Literal["PCC", "Deputy", "officer", "Panel"]
# What later records say of an undertaking: nothing, or something that may follow it up (never "done").
UNDERTAKING_STATUSES = ("no later mention", "possibly followed up")
UNDERTAKER_ROLES: tuple[UndertakerRole, ...] = ("PCC", "Deputy", "officer", "Panel")


def _page(value: object) -> int | None:
    """A page number of a JSON form (null when the document has no pages)."""
    return int(value) if isinstance(value, int | float | str) else None


def _opt(data: dict[str, object], name: str) -> str | None:
    """A field of a JSON form that may be null, as text."""
    value = data.get(name)
    return None if value is None else str(value)


@dataclass(frozen=True)
class Location:
    """Where a record's text stands in its source document.

    lines: first and last line of the quoted text, 1-based and inclusive, counted in the
        document's text as the index read it (for a text file, `sed -n 'first,lastp'` shows it;
        for a PDF, web page or Word file, the document view shows the same numbering).
    page: the page the quoted text starts on (1-based), when the source has pages; else None.
    last_page: the page it ends on, when the source has pages; else None.
    """

    lines: tuple[int, int]
    page: int | None = None
    last_page: int | None = None

    @property
    def pages(self) -> str | None:
        """ "p. 14" or "pp. 14–15", when the source has pages."""
        if self.page is None:
            return None
        if self.last_page is None or self.last_page == self.page:
            return f"p. {self.page}"
        return f"pp. {self.page}–{self.last_page}"

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form used by the API and the store."""
        return {"lines": [self.lines[0], self.lines[1]], "page": self.page, "last_page": self.last_page}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Location:
        """Rebuild a location from its JSON form."""
        lines = data["lines"]
        assert isinstance(lines, list | tuple)
        page, last_page = data.get("page"), data.get("last_page")
        return cls(
            lines=(int(lines[0]), int(lines[1])),
            page=_page(page),
            last_page=_page(last_page),
        )


@dataclass(frozen=True)
class Citation:
    """Everything a reader needs to cite a record and find it in its source.

    body: the body that met, e.g. "Derbyshire Police and Crime Panel" or
        "Strategic Priorities Assurance Board".
    meeting_date: ISO date (YYYY-MM-DD) of the meeting the record belongs to; None when
        neither the text nor the corpus manifest says (never guessed).
    item: the agenda item as the document numbers it: "45/22", "9A", "Agenda Item 5".
    reference: the place inside the item: "Question 2", "para 2.4", "Supplementary question".
    asker: who asked, as written on this record ("Cllr H Dhindsa").
    asker_key: a normalised key for the person who asked, shared by every way their name is
        written ("dhindsa-h").
    responder: who answered, as written, where known ("PCC", "the Commissioner").
    document: path of the source document relative to the repository (or corpus) root.
    location: where in the document the quoted text stands.
    label: the human-readable citation, e.g. "Derbyshire Police and Crime Panel,
        17 November 2022, minute 45/22, Question 1".
    date_source: where the meeting date came from: "source" (the publishing system, e.g. ModernGov's
        web service, as harvested), "manifest" (corpus/manifest.toml), "upload"
        (the upload form), "heading" (the meeting line or title in the document's text), or
        None when there is no date.
    source_url: where the publisher shows it: the agenda item or meeting page, or for an attachment
        its URL, with `#page=N` for the PDF page the quote starts on; None for a document given by
        hand with no URL.
    """

    body: str | None
    meeting_date: str | None
    item: str | None
    reference: str | None
    asker: str | None
    asker_key: str | None
    responder: str | None
    document: str
    location: Location
    label: str
    date_source: str | None = None
    source_url: str | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form used by the API and the store."""
        return {
            "body": self.body,
            "meeting_date": self.meeting_date,
            "item": self.item,
            "reference": self.reference,
            "asker": self.asker,
            "asker_key": self.asker_key,
            "responder": self.responder,
            "document": self.document,
            "location": self.location.to_dict(),
            "label": self.label,
            "date_source": self.date_source,
            "source_url": self.source_url,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Citation:
        """Rebuild a citation from its JSON form."""
        loc = data["location"]
        assert isinstance(loc, dict)

        return cls(
            body=_opt(data, "body"),
            meeting_date=_opt(data, "meeting_date"),
            item=_opt(data, "item"),
            reference=_opt(data, "reference"),
            asker=_opt(data, "asker"),
            asker_key=_opt(data, "asker_key"),
            responder=_opt(data, "responder"),
            document=str(data["document"]),
            location=Location.from_dict(loc),
            label=str(data["label"]),
            date_source=_opt(data, "date_source"),
            source_url=_opt(data, "source_url"),
        )


@dataclass(frozen=True)
class FollowUp:
    """A later record that may follow an undertaking up: a lead for the reader, never a claim it was met.

    record_id: the later record (as results show it: an exchange, a minute, a report section).
    label: its citation label.
    meeting_date: its meeting date (always later than the undertaking's).
    score: how alike the two texts are (cosine of their embeddings, 0-1).
    """

    record_id: str
    label: str
    meeting_date: str | None
    score: float

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form used by the API and the store."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> FollowUp:
        """Rebuild a follow-up from its JSON form."""
        score = data["score"]
        assert isinstance(score, int | float)
        return cls(str(data["record_id"]), str(data["label"]), _opt(data, "meeting_date"), float(score))


@dataclass(frozen=True)
class Undertaking:
    """What an `undertaking` record says was undertaken, as the sentence it quotes writes it.

    undertaker: who undertook it, as written ("DPCC", "Mr Dale", "Commissioner"); None when the
        text does not say ("It was agreed that figures would be provided").
    role: "PCC", "Deputy", "officer" or "Panel", read from `undertaker`; None when unknown.
    action: what was undertaken, in the sentence's words ("look at them outside of the meeting").
    for_whom: whom it was promised to, when written ("the Panel", "Cllr Witham"); else None.
    due: a time named for it, as written ("by the next meeting", "in May"); else None.
    followed_up_in: later records of the same body that may follow it up, most alike first;
        empty when no later record mentions it.
    """

    undertaker: str | None
    role: UndertakerRole | None
    action: str
    for_whom: str | None
    due: str | None
    followed_up_in: tuple[FollowUp, ...] = ()

    @property
    def status(self) -> str:
        """ "possibly followed up" when a later record may follow it up, else "no later mention"."""
        return UNDERTAKING_STATUSES[bool(self.followed_up_in)]

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form used by the API and the store."""
        return {
            "undertaker": self.undertaker,
            "role": self.role,
            "action": self.action,
            "for_whom": self.for_whom,
            "due": self.due,
            "status": self.status,
            "followed_up_in": [f.to_dict() for f in self.followed_up_in],
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Undertaking:
        """Rebuild an undertaking from its JSON form."""
        follow = data.get("followed_up_in") or []
        assert isinstance(follow, list)
        role = data.get("role")

        return cls(
            undertaker=_opt(data, "undertaker"),
            role=next((r for r in UNDERTAKER_ROLES if r == role), None),
            action=str(data.get("action") or ""),
            for_whom=_opt(data, "for_whom"),
            due=_opt(data, "due"),
            followed_up_in=tuple(FollowUp.from_dict(f) for f in follow),
        )


@dataclass(frozen=True)
class Record:
    """One cited piece of the panel's record.

    id: stable id (16 hex characters) from where the record stands, not what it says: a hash
        of the document path cited, kind, body, meeting date, item, reference and an ordinal
        counting the earlier records of that same document, kind, body, date, item and
        reference (see `record_id`); an exchange's id is a hash of its parts' ids (see
        `exchange_id`). A reader that reads the same text better keeps the id; a rebuild gives a
        record it pairs with one of the live generation (same place, alike text) that record's
        id, whatever its ordinal now, so one record more or fewer in a place shifts no id
        (`keep_ids`); when an id does change, the index keeps a redirect from the old one
        (indexer/index/redirects.py).
    kind: what the record is (see RecordKind). An `exchange` joins a question (or a
        supplementary question) with its answer so the pair is searchable as one.
    text: the quoted text, with extraction debris (markup, page numbers, running headers)
        removed and nothing else changed.
    citation: where it was published.
    title: the agenda item or report title the record sits under, if any.
    context: short text saying what the record is about (title, and for an answer the
        question it answers); indexed with the text so a short paragraph is found by
        its subject, never shown as a quote.
    parent_id: for an answer, the question it answers; for a supplementary question, the
        question it follows; for a supplementary answer, the supplementary question.
    part_ids: for an exchange, the ids of the records it joins, question first.
    resolved: for a minute, what was RESOLVED, if recorded.
    truncated: True when the source cuts the text off ("view the full minutes text").
    also_recorded_in: citations of the same text published elsewhere (e.g. the written
        report and the minutes of the same meeting); the duplicate is not indexed.
    access: "public", or "restricted" for drafts and exempt items: shown only to requests
        that carry the admin token.
    undertaking: for an `undertaking` record (its parent_id is the answer, minute or report
        it is read from), who undertook what, for whom, by when, and what may follow it up.
    """

    id: str
    kind: RecordKind
    text: str
    citation: Citation
    title: str | None = None
    context: str = ""
    parent_id: str | None = None
    part_ids: tuple[str, ...] = ()
    resolved: str | None = None
    truncated: bool = False
    also_recorded_in: tuple[Citation, ...] = field(default=())
    access: Access = "public"
    undertaking: Undertaking | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form used by the API and the store."""
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "citation": self.citation.to_dict(),
            "title": self.title,
            "context": self.context,
            "parent_id": self.parent_id,
            "part_ids": list(self.part_ids),
            "resolved": self.resolved,
            "truncated": self.truncated,
            "also_recorded_in": [c.to_dict() for c in self.also_recorded_in],
            "access": self.access,
            **({"undertaking": self.undertaking.to_dict()} if self.undertaking is not None else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Record:
        """Rebuild a record from its JSON form."""
        citation = data["citation"]
        assert isinstance(citation, dict)
        also = data.get("also_recorded_in") or []
        parts = data.get("part_ids") or []
        assert isinstance(also, list) and isinstance(parts, list)
        kind = next((k for k in RECORD_KINDS if k == data["kind"]), None)
        if kind is None:
            raise ValueError(f"unknown record kind {data['kind']!r}")

        return cls(
            id=str(data["id"]),
            kind=kind,
            text=str(data["text"]),
            citation=Citation.from_dict(citation),
            title=_opt(data, "title"),
            context=str(data.get("context") or ""),
            parent_id=_opt(data, "parent_id"),
            part_ids=tuple(str(p) for p in parts),
            resolved=_opt(data, "resolved"),
            truncated=bool(data.get("truncated", False)),
            also_recorded_in=tuple(Citation.from_dict(c) for c in also),
            access="restricted" if data.get("access") == "restricted" else "public",
            undertaking=Undertaking.from_dict(u) if isinstance(u := data.get("undertaking"), dict) else None,
        )

    @property
    def search_text(self) -> str:
        """Text given to the lexical and dense indexes: context first, then the quote."""
        return f"{self.context}\n{self.text}" if self.context else self.text


def record_id(
    document: str,
    kind: str,
    body: str | None,
    meeting_date: str | None,
    item: str | None,
    reference: str | None,
    ordinal: int,
) -> str:
    """Stable id from a record's document, kind and place in the meeting (never its text)."""
    # JSON keeps None apart from "" and cannot be confused by a separator inside a field.
    key = json.dumps([document, kind, body, meeting_date, item, reference, ordinal], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def exchange_id(part_ids: Sequence[str]) -> str:
    """Stable id of an exchange, from the ids of the records it joins (question first)."""
    key = json.dumps(["exchange", *part_ids])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
