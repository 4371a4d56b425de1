"""What a publishing system states about a panel's meetings, as read from ModernGov or CMIS."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Committee:
    """A committee the site publishes: its id on the site and its title (the body records are cited with)."""

    id: str
    title: str


@dataclass(frozen=True)
class MeetingStub:
    """A meeting as a committee's list gives it, before its details are fetched.

    date: ISO date, or None when the list states none that can be read.
    cancelled: the site marks the meeting cancelled; it is never fetched.
    url: where the site lists it (CMIS: its page), if the list gives one.
    """

    id: str
    date: str | None
    cancelled: bool = False
    url: str | None = None


@dataclass(frozen=True)
class LinkedDocument:
    """A document the site links to a meeting or one of its items.

    url: absolute URL of the file.
    published: ISO date the site says it was published, if it says.
    restricted: the site marks it exempt or confidential; it is never fetched.
    """

    url: str
    title: str
    published: str | None = None
    restricted: bool = False


@dataclass(frozen=True)
class AgendaItem:
    """One item of a meeting's agenda.

    number: the item number as the agenda prints it ("5", "9A"), or None.
    minutes_number: the number the minutes give it ("45/22"), or None.
    minutes_html: the published minutes of this item alone (HTML), or None before they are published.
    url: the item's own page on the site.
    restricted: the item is taken in private; nothing of it is fetched.
    """

    id: str
    title: str
    number: str | None = None
    minutes_number: str | None = None
    minutes_html: str | None = None
    url: str | None = None
    restricted: bool = False
    documents: tuple[LinkedDocument, ...] = ()


@dataclass(frozen=True)
class Attendee:
    """Someone the site lists at the meeting, with their role there ("Chair", "Police and Crime Commissioner")."""

    name: str
    role: str | None = None

    @property
    def written(self) -> str:
        """ "Full Name (role)", as the manifest keeps it."""
        return f"{self.name} ({self.role})" if self.role else self.name


@dataclass(frozen=True)
class SourceMeeting:
    """A meeting with everything the site states about it.

    committee: the committee that met (its title is the body).
    date: ISO date as the site states it, or None when it states none that can be read.
    url: the meeting's page on the site.
    documents: documents linked to the meeting as a whole rather than to an item.
    """

    id: str
    committee: Committee
    date: str | None
    url: str
    items: tuple[AgendaItem, ...] = ()
    documents: tuple[LinkedDocument, ...] = ()
    attendees: tuple[Attendee, ...] = ()
    cancelled: bool = False


class SourceError(Exception):
    """A site's answer is not what its system serves (malformed XML, a page without the expected parts)."""
