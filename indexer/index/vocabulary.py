"""The vocabulary an index learns from its own records: acronyms the records define, with the record defining them.

Panels define their abbreviations as they go: "the Night Time Economy (NTE)", "Adverse Childhood Experiences
(ACEs)", "the Office of the PCC (OPCC)", or the other way round, "ASB (anti-social behaviour)". A build reads
every record for such definitions and keeps each acronym with its expansion(s) and the first record that
defines it, in `vocabulary.json` in the generation (checksummed with the other files). At search time the
learned acronyms are a second layer under the hand glossary (`indexer/data/glossary.csv`): an acronym the
glossary already names keeps the glossary's forms; one it does not name is searched as the index defines it.

A definition is taken only when the acronym's letters are the initials of the words before (or inside) the
brackets, in order: "Force Control Room (FCR)" is one, "Police Dog Welfare Update (OPCC)", "Health and Safety
(Amendment)" and "Section (IV)" are not. Small words ("and", "of", "the") may give their letter or none; a word
that is itself an acronym gives all its letters ("Office of the PCC (OPCC)"); each part of a hyphenated word
gives one ("Anti-Social Behaviour (ASB)").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from indexer.analysis import Expansion, glossary, is_english_word
from indexer.records import Record

VOCABULARY_FILE = "vocabulary.json"
# Words that may give their initial to an acronym or none ("Office of the PCC", "Violence Against Women and Girls").
_SMALL = frozenset("a an and at by for in of on or the to with &".split())  # noqa: SIM905
# Numbering in roman numerals is never an acronym ("Part (IV)", "(XII)"); "CC" or "DC" may be one, when the
# words before spell it ("Chief Constable (CC)").
_ROMAN = re.compile(r"^(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
# "(NTE)", "(EMROs)", "(CIZ's)", "(DHcFT)": two to eight letters, most upper case, a plural ending allowed.
_ACRONYM = r"[A-Z][A-Za-z&]{1,7}?(?:['’]?s)?"
_DEFINED_AFTER = re.compile(r"\((" + _ACRONYM + r")\)")
# "ASB (anti-social behaviour)": the acronym, then its words in brackets.
_DEFINED_BEFORE = re.compile(r"\b(" + _ACRONYM + r")\s+\(([A-Za-z][A-Za-z ,'’&\-]{3,80})\)")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*|&")
MAX_FORMS = 3


@dataclass(frozen=True)
class LearnedAcronym:
    """An acronym an index's records define: its expansions (most used first), where it was first defined, how often."""

    acronym: str
    expansions: tuple[str, ...]
    record_id: str
    document: str
    definitions: int

    @property
    def forms(self) -> tuple[str, ...]:
        """Every form searched for one another: the acronym (and its plural) and its expansions, lower case."""
        base = self.acronym.lower()
        return tuple(dict.fromkeys((base, f"{base}s", *self.expansions)))

    @property
    def source(self) -> str:
        """Where the definition was read, for the query analysis ("record <id> in <document>")."""
        return f"defined in record {self.record_id} ({self.document})"


def _letters(acronym: str) -> str:
    """The acronym's own letters: "EMROs" -> "emro", "CIZ's" -> "ciz", "DHcFT" -> "dhcft"."""
    stripped = re.sub(r"['’]?s$", "", acronym) if re.search(r"[A-Z]['’]?s$", acronym) else acronym
    return stripped.replace("&", "").lower()


def is_acronym(token: str) -> bool:
    """True for a token written as an acronym: at least two capitals, no more than one small letter, no numeral."""
    letters = _letters(token)
    core = re.sub(r"['’]?s$", "", token) if re.search(r"[A-Z]['’]?s$", token) else token
    capitals = sum(c.isupper() for c in core)
    return (
        2 <= len(letters) <= 8
        and capitals >= 2
        and capitals >= len(core) - 1
        and not _ROMAN.match(core.upper())
        and core.isalpha()
    )


def _contributions(word: str) -> list[str]:
    """What a word may give to an acronym: its initial, its letters if it is an acronym, each hyphen part's
    initial; a small word may also give nothing ("")."""
    if word == "&":
        return ["", "a"]
    options: list[str] = []
    bare = word.rstrip("'’s") if word.endswith(("'s", "’s")) else word
    if is_acronym(bare):
        options.append(_letters(bare))
    parts = [p for p in word.split("-") if p]
    options.append(parts[0][0].lower())
    if len(parts) > 1:
        options.append("".join(p[0].lower() for p in parts))
    if word.lower() in _SMALL:
        options.append("")
    return list(dict.fromkeys(options))


def _match(words: Sequence[str], letters: str) -> int | None:
    """The fewest trailing words of `words` whose contributions spell `letters` (the first word giving a letter),
    or None."""

    # The smallest span words[start:] spelling the letters, whose first word gives the first letter.
    for start in range(len(words) - 1, -1, -1):
        span = words[start:]
        if not span or span[0].lower() in _SMALL:
            continue
        if _spells(tuple(span), letters):
            return len(words) - start
    return None


@cache
def _spells(words: tuple[str, ...], letters: str) -> bool:
    """True when the words' contributions, in order, spell the letters, the first word giving at least one."""
    if not words:
        return not letters
    return any(c and letters.startswith(c) and _tail(words[1:], letters[len(c) :]) for c in _contributions(words[0]))


@cache
def _tail(words: tuple[str, ...], letters: str) -> bool:
    if not words:
        return not letters
    return any(letters.startswith(c) and _tail(words[1:], letters[len(c) :]) for c in _contributions(words[0]))


def _expansion(words: Sequence[str]) -> str:
    """An expansion as searched: lower case, words only ("Anti-Social Behaviour" -> "anti-social behaviour")."""
    words = [w.strip("'’") for w in words]
    return " ".join(w.lower().replace("’", "'") for w in words if w != "&" or len(words) > 1).replace(" & ", " and ")


def definitions(text: str) -> list[tuple[str, str]]:
    """The (acronym, expansion) pairs a text defines, in order."""
    found: list[tuple[str, str]] = []
    for match in _DEFINED_AFTER.finditer(text):
        acronym = match.group(1)
        if not is_acronym(acronym):
            continue
        letters = _letters(acronym)
        before = _TOKEN.findall(text[max(0, match.start() - 200) : match.start()])[-(len(letters) + 6) :]
        count = _match(before, letters)
        if count and count >= 2:
            found.append((acronym, _expansion(before[-count:])))
    for match in _DEFINED_BEFORE.finditer(text):
        acronym, inside = match.group(1), match.group(2)
        if not is_acronym(acronym):
            continue
        words = _TOKEN.findall(inside.replace(",", " "))
        if len(words) >= 2 and _spells(tuple(words), _letters(acronym)):
            found.append((acronym, _expansion(words)))
    return found


def _canonical(acronym: str) -> str:
    return _letters(acronym).upper()


def learn(records: Iterable[Record]) -> list[LearnedAcronym]:
    """The acronyms the records define, each with its expansions (most used first) and its first defining record."""
    seen: dict[str, dict[str, int]] = {}
    first: dict[str, tuple[str, str]] = {}
    for record in records:
        for acronym, expansion in definitions(record.text):
            key = _canonical(acronym)
            counts = seen.setdefault(key, {})
            counts[expansion] = counts.get(expansion, 0) + 1
            first.setdefault(key, (record.id, record.citation.document))
    learned = []
    for key, counts in sorted(seen.items()):
        ranked = sorted(counts, key=lambda e: (-counts[e], e))
        # One expansion per spelling that differs beyond its plural ("service"/"services" are one).
        distinct: dict[str, str] = {}
        for e in ranked:
            distinct.setdefault(re.sub(r"s\b", "", e), e)
        record_id, document = first[key]
        learned.append(
            LearnedAcronym(key, tuple(distinct.values())[:MAX_FORMS], record_id, document, sum(counts.values()))
        )
    return learned


def write_vocabulary(directory: Path, records: Iterable[Record]) -> list[str]:
    """Learn the records' acronyms and write them into a generation folder; returns the file names written."""
    learned = learn(records)
    data = {
        "acronyms": [
            {
                "acronym": a.acronym,
                "expansions": list(a.expansions),
                "record_id": a.record_id,
                "document": a.document,
                "definitions": a.definitions,
            }
            for a in learned
        ]
    }
    (directory / VOCABULARY_FILE).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [VOCABULARY_FILE]


_WORDS = re.compile(r"\w+")
MAX_FORM_WORDS = 8


class Explainer:
    """Spells out, in a passage embedded for the dense index, the learned acronyms it uses without their words.

    The model knows few of a panel's own acronyms: "patrols in the NTE" embeds as noise where "patrols in the NTE
    (night time economy)" embeds as what it says. The query side does the same for acronyms typed
    (`ParsedQuery.dense_text`). The text stored, shown and searched lexically is never changed.
    """

    def __init__(self, learned: Sequence[LearnedAcronym]) -> None:
        vocabulary = Vocabulary(learned)
        self.words = {a.acronym: a.expansions[0] for a in vocabulary.learned if a.expansions}
        self.pattern = (
            re.compile(r"\b(" + "|".join(sorted(map(re.escape, self.words), key=len, reverse=True)) + r")(?:['’]?s)?\b")
            if self.words
            else None
        )

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return text
        lower = text.lower()
        done: set[str] = set()

        def spell(match: re.Match[str]) -> str:
            acronym = match.group(1)
            words = self.words[acronym]
            if acronym in done or words in lower:
                return match.group(0)
            done.add(acronym)
            return f"{match.group(0)} ({words})"

        return self.pattern.sub(spell, text)


class Vocabulary:
    """An index's learned acronyms, as a second layer of query analysis under the hand glossary."""

    def __init__(self, learned: Sequence[LearnedAcronym] = ()) -> None:
        taken = {f for group in glossary() for f in group.forms}
        # The hand glossary stays the default: an acronym it names keeps its forms there.
        self.learned = [a for a in learned if not taken.intersection(a.forms[:2])]
        self._by_form: dict[str, int] = {}
        for n, a in enumerate(self.learned):
            for form in a.forms:
                self._by_form.setdefault(" ".join(_WORDS.findall(form.replace("'s", "s"))), n)

    @classmethod
    def load(cls, directory: Path) -> Vocabulary:
        """The vocabulary saved in a generation folder (none for a generation built before it was learned)."""
        path = directory / VOCABULARY_FILE
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            [
                LearnedAcronym(
                    a["acronym"], tuple(a["expansions"]), a["record_id"], a["document"], int(a.get("definitions", 1))
                )
                for a in data.get("acronyms", [])
            ]
        )

    def __len__(self) -> int:
        return len(self.learned)

    def expansions(self, text: str, already: Sequence[Expansion] = ()) -> list[Expansion]:
        """The learned acronyms a text names (as an acronym or in words), each with its other forms, as expansions.

        An acronym that is also an English word ("CAP", "ACE") counts only when typed in capitals.
        """
        if not self._by_form:
            return []
        named = {f for e in already for f in (e.typed, *e.forms)}
        raw = _WORDS.findall(text.replace("'s", "s"))
        words = [w.lower() for w in raw]
        hits: dict[int, str] = {}
        for size in range(min(MAX_FORM_WORDS, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                form = " ".join(words[start : start + size])
                n = self._by_form.get(form)
                if n is None or n in hits or form in named:
                    continue
                if size == 1 and not is_acronym(raw[start]) and is_english_word(form):
                    continue
                hits[n] = form
        found = []
        for n, typed in hits.items():
            group = self.learned[n]
            typed_words = f" {' '.join(words)} "
            others = tuple(f for f in group.forms if f != typed and f" {f} " not in typed_words)
            found.append(Expansion(typed, others, "acronym", group.source))
        return found
