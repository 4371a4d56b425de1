"""The bodies that meet: the Police and Crime Panels of England and Wales, and boards named in headings.

A panel is named as its area and its kind: "Thames Valley Police and Crime Panel",
"Dyfed-Powys Police and Crime Panel", "Essex Police, Fire and Crime Panel". The areas are facts,
kept in `indexer/data/panels.csv`; they say how many words before "Police and Crime Panel" are
the area ("Kent and Medway", not "Medway"), and how a spelling is normalised ("Dyfed Powys" ->
"Dyfed-Powys"). The kind is kept as the text writes it, since a panel's older papers predate its
fire powers. An area the table does not know (a new or renamed panel) is taken as written when
its words are a proper name, never a word such as "Minutes" or "Previous" that stands before
the name in a heading.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PANELS_FILE = Path(__file__).resolve().parents[1] / "data" / "panels.csv"

# "Police and Crime Panel", "Police, Fire and Crime Panel", "Police, Fire and Rescue and Crime Panel".
_KIND = r"Police(?P<fire>\s*,\s*Fire(?:\s+(?:and|&)\s+Rescue)?)?\s+(?:and|&)\s+Crime\s+Panel"
_KIND_RE = re.compile(_KIND, re.I)
# Words that stand before a panel's name in headings and sentences but are never its area.
NOT_AREAS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "for",
        "and",
        "to",
        "on",
        "in",
        "at",
        "by",
        "with",
        "from",
        "minutes",
        "minute",
        "previous",
        "last",
        "next",
        "meeting",
        "meetings",
        "agenda",
        "report",
        "reports",
        "annual",
        "draft",
        "joint",
        "members",
        "member",
        "chair",
        "chairman",
        "vice",
        "special",
        "extraordinary",
        "confidential",
        "public",
        "item",
        "items",
        "notes",
        "note",
        "summary",
        "issue",
        "decision",
        "decisions",
        "published",
        "document",
        "documents",
        "this",
        "that",
        "our",
        "your",
        "their",
        "its",
        "his",
        "her",
        "held",
        "informal",
        "formal",
        "attached",
        "appendix",
        "papers",
        "paper",
        "statement",
    ]
)
_AREA_WORD = r"[A-Z][A-Za-z'’.-]*"


@dataclass(frozen=True)
class Panel:
    """One panel of the table: its usual name, the spellings of its area and whether it has fire powers.

    site, system, committee: where it publishes (the host council's site, "moderngov" or "cmis", the
        committee's id there), each None where not known; site_source: where that was read.
    """

    name: str
    areas: dict[str, str]  # written spelling (lower case, "&" as "and") -> normalised spelling
    fire: bool
    site: str | None = None
    system: str | None = None
    committee: str | None = None
    site_source: str | None = None


@dataclass(frozen=True)
class BodyMention:
    """A body named in a text: its normalised name and where the mention stands (character offsets)."""

    name: str
    start: int
    end: int
    known: bool  # the area is in the table of panels


def _key(text: str) -> str:
    return " ".join(text.replace("&", " and ").lower().split())


@cache
def panels() -> tuple[Panel, ...]:
    """The table of panels, read once."""
    text = "\n".join(line for line in PANELS_FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    out: list[Panel] = []
    for row in csv.DictReader(io.StringIO(text)):
        areas: dict[str, str] = {}
        for spelling in row["areas"].split("|"):
            written, _, normal = spelling.partition("=")
            areas[_key(written)] = normal or written
        where = [row.get(column) or None for column in ("site", "system", "committee", "site_source")]
        out.append(Panel(row["name"], areas, row["fire"] == "yes", *where))
    return tuple(out)


@cache
def _area_index() -> dict[str, str]:
    return {written: normal for panel in panels() for written, normal in panel.areas.items()}


@cache
def _area_endings() -> tuple[tuple[re.Pattern[str], str], ...]:
    """A pattern for every known spelling, matching it at the end of a text; longest spelling first."""
    out = []
    for written in sorted(_area_index(), key=len, reverse=True):
        words = [r"(?:and|&)" if w == "and" else re.escape(w) for w in written.split()]
        out.append((re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"\s*$", re.I), _area_index()[written]))
    return tuple(out)


def _area_before(text: str, end: int) -> tuple[str, int, bool] | None:
    """The area written just before offset `end`: (normalised area, its start, known), or None.

    The longest spelling in the table wins ("Kent and Medway" over "Medway"); otherwise up to
    three capitalised words (joined by "and"), none of them a heading word such as "Minutes".
    """
    offset = max(0, end - 80)
    # "Cheshire's Police and Crime Panel" is Cheshire's panel.
    before = re.sub(r"(?<=\w)['’]s?\s*$", " ", text[offset:end])
    for pattern, normal in _area_endings():
        match = pattern.search(before)
        if match:
            return normal, offset + match.start(), True
    words: list[str] = []
    rest = before.rstrip()
    while len([w for w in words if w != "and"]) < 3:
        match = re.search(rf"(?:^|(?<=\s))({_AREA_WORD})$", rest)
        if not match or match.group(1).lower().strip(".") in NOT_AREAS:
            break
        words.insert(0, match.group(1))
        rest = rest[: match.start()].rstrip()
        joiner = re.search(r"(?:^|\s)(?:and|&)$", rest)
        if joiner is None:
            continue
        if not re.search(rf"(?:^|\s)({_AREA_WORD})$", rest[: joiner.start()].rstrip()):
            break
        words.insert(0, "and")
        rest = rest[: joiner.start()].rstrip()
    if not words:
        return None
    area = " ".join(words)
    return (title_case(area) if area.isupper() else area), offset + len(rest) + (1 if rest else 0), False


def _kind(match: re.Match[str]) -> str:
    fire = match.group("fire")
    if not fire:
        return "Police and Crime Panel"
    return "Police, Fire and Rescue and Crime Panel" if "rescue" in fire.lower() else "Police, Fire and Crime Panel"


def find_panels(text: str) -> list[BodyMention]:
    """Every panel named in full in `text` ("Surrey Police and Crime Panel", "Police and Crime Panel for Kent")."""
    out: list[BodyMention] = []
    for match in _KIND_RE.finditer(text):
        area = _area_before(text, match.start())
        if area is None:
            after = re.match(r"\s+(?:for|of)\s+(?:the\s+)?", text[match.end() :])
            known = _area_at_start(text[match.end() + after.end() : match.end() + after.end() + 60]) if after else None
            if after and known:
                out.append(BodyMention(f"{known[0]} {_kind(match)}", match.start(), match.end() + after.end(), True))
            continue
        out.append(BodyMention(f"{area[0]} {_kind(match)}", area[1], match.end(), area[2]))
    return out


def _area_at_start(text: str) -> tuple[str, bool] | None:
    """A known area that `text` starts with (longest spelling first)."""
    key = _key(text)
    for written in sorted(_area_index(), key=len, reverse=True):
        if key.startswith(written) and not key[len(written) : len(written) + 1].isalnum():
            return _area_index()[written], True
    return None


def area_of_commissioner(text: str) -> str | None:
    """The area named in "Police and Crime Commissioner for X" (any area written as a name) or "policing in X"
    (an area the table knows)."""
    for match in re.finditer(
        r"(?P<office>Commissioner\s+(?:for|of))|(?:crime\s+and\s+)?policing\s+in\s+(?:the\s+)?", text, re.I
    ):
        after = text[match.end() : match.end() + 60]
        found = _area_at_start(after.lstrip())
        if found:
            return found[0]
        named = re.match(rf"\s+(?:the\s+)?({_AREA_WORD}(?:\s+(?:and\s+)?{_AREA_WORD}){{0,2}})\b", after)
        if match.group("office") and named and named.group(1).lower() not in NOT_AREAS:
            area = named.group(1)
            return title_case(area) if area.isupper() else area
    return None


def panel_of_area(area: str, fire: bool = False) -> str:
    """The panel's name for an area: "Derbyshire" -> "Derbyshire Police and Crime Panel"."""
    return f"{area} {'Police, Fire and Crime Panel' if fire else 'Police and Crime Panel'}"


_BOARD = re.compile(r"\b((?:[A-Z][A-Za-z&']+\s+){1,4}(?:Board|Committee))\b", re.I)
_SMALL = {"and", "of", "for", "the", "to", "on", "in", "at", "by", "&"}


def title_case(name: str) -> str:
    """Title-case a name written in capitals, keeping small words lower-case."""
    words = name.split()
    return " ".join(w.lower() if i and w.lower() in _SMALL else w.capitalize() for i, w in enumerate(words))


def board_in_heading(lines: list[str]) -> str | None:
    """The first board or committee named in capitals in heading lines ("STRATEGIC PRIORITIES ASSURANCE BOARD")."""
    for line in lines:
        stripped = line.strip(" *#|")
        if not stripped.isupper():
            continue
        board = _BOARD.search(stripped)
        if board:
            words = board.group(1).split()
            while words and words[0].lower() in NOT_AREAS:
                words = words[1:]
            if len(words) >= 2:
                return title_case(" ".join(words))
    return None
