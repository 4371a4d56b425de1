"""Redirects from record ids a rebuild retired to the records that took their place.

Record ids name a record's place (document, kind, body, date, item, reference, ordinal), so a
better reader keeps them. Some changes still move a record: a reader that finds the meeting
date or item it missed, or one that drops or splits a paragraph so the ordinals after it
shift. A shared `/record/{id}` link must then lead to where the record went, so each build
compares the previous generation's records with its own and keeps {old id: new id} for every
old id that is gone, composed with the redirects the previous generation already kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz, process

from indexer.records import Record
from indexer.textclean import squash

# How alike (rapidfuzz ratio, 0-100, on squashed lower-case text) a new record's text must be to
# an old one's to count as the same record re-read. A reader change costs few characters: a
# dropped running header (40 characters) leaves a 150-character paragraph at 88 and a 300-character
# one at 94. Distinct records rarely come this close: of the 75,668 pairs of records of one
# document and kind in the bundled corpus, 6 score 85 to 99.5 (republished near-copies of one
# paragraph) and the rest below; preferring the same item and never taking a record that is
# still the old one at its own id (see `redirects`) guards those few.
SAME_RECORD = 85


def _norm(text: str) -> str:
    return squash(text).lower()


def _rank(old: Record, new: Record, score: float) -> tuple[bool, float, int]:
    """How good a successor `new` is for `old`: the same item first, then the most alike text, then the nearest."""
    return (
        new.citation.item == old.citation.item,
        score,
        -abs(new.citation.location.lines[0] - old.citation.location.lines[0]),
    )


def _successors(old: Sequence[Record], new: Sequence[Record]) -> dict[str, str]:
    """For each old record whose id is gone, the new record its text went to, if any."""
    new_by_id = {r.id: r for r in new}
    old_by_id = {r.id: r for r in old}
    # A new record whose id the old generation held with alike text is that old record, read
    # again; it is nobody's successor, so "The minutes were noted." in item 5 never catches
    # the link of a vanished "The minutes were noted." of item 6.
    kept: set[str] = set()
    for rid, r in new_by_id.items():
        before = old_by_id.get(rid)
        if before is not None and fuzz.ratio(_norm(before.text), _norm(r.text)) >= SAME_RECORD:
            kept.add(rid)
    candidates: dict[tuple[str, str, str], list[Record]] = {}
    for r in new:
        if r.id not in kept:
            # Same document and kind; same access, so a redirect never tells a public reader
            # that a restricted id existed, nor leads a restricted link into another level.
            candidates.setdefault((r.citation.document, r.kind, r.access), []).append(r)
    texts: dict[tuple[str, str, str], list[str]] = {k: [_norm(r.text) for r in rs] for k, rs in candidates.items()}
    out: dict[str, str] = {}
    for r in old:
        if r.id in new_by_id:
            continue
        key = (r.citation.document, r.kind, r.access)
        pool = candidates.get(key)
        if not pool:
            continue
        matches = process.extract(_norm(r.text), texts[key], scorer=fuzz.ratio, score_cutoff=SAME_RECORD, limit=None)
        if not matches:
            continue
        out[r.id] = max((_rank(r, pool[index], score), pool[index].id) for _, score, index in matches)[1]
    return out


def redirects(old: Sequence[Record], old_redirects: Mapping[str, str], new: Sequence[Record]) -> dict[str, str]:
    """{old id: new id} for every id of the previous generation (or its redirects) that is gone."""
    new_ids = {r.id for r in new}
    moved = _successors(old, new)
    out = dict(moved)
    for source, target in old_redirects.items():
        if source in new_ids or source in out:
            continue  # the id names a record again, or was just matched itself
        # a -> b with b still here stays; with b gone, a follows b to where b went; else it ends.
        final = target if target in new_ids else moved.get(target)
        if final is not None:
            out[source] = final
    return out
