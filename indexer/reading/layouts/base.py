"""What every layout parser shares: the layout type and the parse result (records are made by `reading.citing`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from indexer.reading.document import SourceDocument
from indexer.reading.meeting import Meeting, MeetingMap
from indexer.records import Record


@dataclass
class ParseResult:
    """What a layout parser read from one document.

    records: the cited records, in document order.
    meetings: the meetings the document records (a pack may hold more than one).
    warnings: things a person should check (unknown date, truncated text, unparsed lines).
    covered: lines the parser read as structure (headings, labels, cover tables), so the
        orchestrator does not index them again as leftover text.
    """

    records: list[Record] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Layout:
    """A document layout: a name, a detector scoring 0..1, and a parser."""

    name: str
    detect: Callable[[SourceDocument], float]
    parse: Callable[[SourceDocument, MeetingMap], ParseResult]
