"""People: one key for every way a person's name is written ("Cllr H Dhindsa", "PCC Dhindsa")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from nameparser import HumanName
from rapidfuzz import fuzz

# Roles and honorifics written before a name; the role stays on the record as written,
# the key identifies the person whatever role they held at the time.
TITLES = {
    "cllr",
    "councillor",
    "cllrs",
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "rev",
    "revd",
    "pcc",
    "dpcc",
    "commissioner",
    "deputy",
    "chief",
    "constable",
    "cc",
    "dcc",
    "acc",
    "di",
    "dci",
    "ds",
    "dsu",
    "supt",
    "superintendent",
    "inspector",
    "sergeant",
    "insp",
    "sgt",
    "pc",
    "the",
    "mp",
    "mep",
    "obe",
    "mbe",
    "cbe",
    "qpm",
    "jp",
    "independent",
    "member",
    "co-opted",
    "chair",
    "chairman",
    "vice-chair",
}
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def name_parts(name: str) -> tuple[str, str]:
    """Return (surname, initials) of a written name, lower-case: roles and titles dropped, the rest read by
    nameparser (first, middle, last), so "Councillor Mike Mackrory" and "Cllr M Mackrory" share a key."""
    name = re.sub(r"\([^()]*\)", " ", name)  # "Councillor Croad (Chair)": the role in brackets is not a name
    name = re.split(r",|\s[–—-]\s", name)[0]  # "Ashley Reay, Frome Community Speedwatch": the name comes first
    tokens = [t for t in _TOKEN.findall(name) if t.lower().rstrip(".") not in TITLES]
    if not tokens:
        return "", ""
    human = HumanName(" ".join(tokens))
    if not human.last:  # one word is a surname ("PCC Dhindsa"), though nameparser reads it as a first name
        return tokens[-1].lower(), ""
    surname = human.last.lower()
    given = f"{human.first} {human.middle}".split()
    return surname, "".join(word[0].lower() for word in given)


def person_key(name: str) -> str | None:
    """Key for a written name: "dhindsa-h" for "Cllr H Dhindsa", "dhindsa" for "PCC Dhindsa"."""
    surname, initials = name_parts(name)
    if not surname:
        return None
    return f"{surname}-{initials[0]}" if initials else surname


def resolve_keys(names: Iterable[str]) -> dict[str, str]:
    """Map every written name to one person key, merging variants across documents.

    Surnames that differ only by a slip of spelling (rapidfuzz ratio >= 90) are one
    surname; a name written without initials joins the one person with that surname and
    some initial, and stays on its own when two people share the surname.
    """
    parts = {name: name_parts(name) for name in set(names)}
    surnames: list[str] = []
    canonical_surname: dict[str, str] = {}
    for surname, _ in sorted(parts.values(), key=lambda p: (-len(p[0]), p[0])):
        if not surname or surname in canonical_surname:
            continue
        match = next((s for s in surnames if fuzz.ratio(s, surname) >= 90), None)
        canonical_surname[surname] = match or surname
        if match is None:
            surnames.append(surname)
    initials_by_surname: dict[str, set[str]] = {}
    for surname, initials in parts.values():
        if surname and initials:
            initials_by_surname.setdefault(canonical_surname[surname], set()).add(initials[0])
    out: dict[str, str] = {}
    for name, (surname, initials) in parts.items():
        if not surname:
            continue
        canon = canonical_surname[surname]
        if initials:
            out[name] = f"{canon}-{initials[0]}"
        elif len(initials_by_surname.get(canon, set())) == 1:
            out[name] = f"{canon}-{next(iter(initials_by_surname[canon]))}"
        else:
            out[name] = canon
    return out


_ROLE_ONLY = re.compile(r"^\W*(?:the\s+)?(?P<role>(?:vice[\s-]*)?chair(?:man|woman|person)?)\W*$", re.I)
_WITH_ROLE = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)\s*$")


def _role_key(role: str) -> str:
    return "vice-chair" if re.match(r"vice", role.strip(), re.I) else "chair"


def attendee_named(written: str, attendees: Iterable[str]) -> str | None:
    """The attendee (as the publisher lists them, "Full Name (role)") a written asker is, when exactly one fits.

    "Cllr Frudd" or "Cllr J Frudd" fits the one attendee with that surname (and initial); "the Chair" fits
    the one attendee whose role is Chair. None when none or several fit: a wrong name is worse than a short one.
    """
    listed = [(m.group("name"), m.group("role")) if (m := _WITH_ROLE.match(a)) else (a, "") for a in attendees]
    role = _ROLE_ONLY.match(written)
    if role:
        wanted = _role_key(role.group("role"))
        fits = [name for name, r in listed if _ROLE_ONLY.match(r) and _role_key(r) == wanted]
    else:
        surname, initials = name_parts(written)
        if not surname:
            return None
        fits = []
        for name, _ in listed:
            their_surname, their_initials = name_parts(name)
            if their_surname == surname and (not initials or their_initials[:1] == initials[:1]):
                fits.append(name)
    return fits[0] if len(set(fits)) == 1 else None
