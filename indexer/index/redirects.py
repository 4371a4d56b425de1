"""Keeping record ids across rebuilds, and redirects from the ids a rebuild still retires.

Record ids name a record's place (document, kind, body, date, item, reference, ordinal), so a
better reader keeps them. Ordinals alone would not: a reader that reads one more paragraph
before the others of a place, or one fewer, shifts the ordinals after it, and each old id
would silently name its neighbour. So each build first pairs its records with the live
generation's, place by place, in order and by alike text, and gives every record it pairs the
id it had (`keep_ids`). Some changes still move a record to another place: a reader that finds
the meeting date or item it missed. A shared `/record/{id}` link must then lead to where the
record went, so the build also keeps {old id: new id} for every old id that is gone, composed
with the redirects the previous generation already kept (`redirects`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence

from rapidfuzz import fuzz, process

from indexer.reading.text import squash
from indexer.records import Record, exchange_id, record_id

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


# ---- keeping ids across rebuilds

# A record's place: document, kind, body, meeting date, item and reference (its id adds an ordinal).
Place = tuple[str, str, str | None, str | None, str | None, str | None]


def place(record: Record) -> Place:
    """The place a record's id is derived from, without the ordinal."""
    c = record.citation
    return (c.document, record.kind, c.body, c.meeting_date, c.item, c.reference)


def _align(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """In-order pairs (old index, new index) of alike texts: as many as can be, then the most alike.

    An alignment (a longest common subsequence where "equal" is a ratio of at least
    SAME_RECORD), so a record read before the others of its place, or one no longer read,
    leaves every other record paired with its old self. Identical texts at either end are
    paired first; only the middle is compared all against all.
    """
    lo = 0
    while lo < min(len(old), len(new)) and old[lo] == new[lo]:
        lo += 1
    hi = 0
    while hi < min(len(old), len(new)) - lo and old[len(old) - 1 - hi] == new[len(new) - 1 - hi]:
        hi += 1
    pairs = [(k, k) for k in range(lo)]
    a, b = old[lo : len(old) - hi], new[lo : len(new) - hi]
    if a and b:
        n, m = len(a), len(b)
        # Scores in hundredths, 0 below SAME_RECORD; best[i][j]: (pairs, total score) aligning a[i:] with b[j:].
        matrix = process.cdist(a, b, scorer=fuzz.ratio, score_cutoff=SAME_RECORD)
        score = [[round(float(s) * 100) for s in row] for row in matrix]
        best = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
        for i in range(n - 1, -1, -1):
            row, below = best[i], best[i + 1]
            for j in range(m - 1, -1, -1):
                here = max(below[j], row[j + 1])
                if score[i][j]:
                    count, total = below[j + 1]
                    here = max(here, (count + 1, total + score[i][j]))
                row[j] = here
        i = j = 0
        while i < n and j < m:
            count, total = best[i + 1][j + 1]
            if score[i][j] and best[i][j] == (count + 1, total + score[i][j]):
                pairs.append((lo + i, lo + j))
                i, j = i + 1, j + 1
            elif best[i][j] == best[i + 1][j]:
                i += 1
            else:
                j += 1
    pairs += [(len(old) - hi + k, len(new) - hi + k) for k in range(hi)]
    return pairs


def _in_order(records: Sequence[Record], indices: Sequence[int]) -> list[int]:
    return sorted(indices, key=lambda k: records[k].citation.location.lines)


def keep_ids(previous: Sequence[Record], new: Sequence[Record], retired: Collection[str] = ()) -> list[Record]:
    """`new` with every record the previous generation held under its old id, references renamed.

    The records of one place (document, kind, body, date, item, reference) are paired in
    order with the previous generation's records of that place by alike text (`_align`);
    a paired record takes its old id, so a record read before others of its place, or one
    dropped, never shifts the ids after it. A record paired with none keeps the id of its
    place unless an old record that is still here (paired, or moved to another place, where
    its old id will redirect) holds that id; then it gets the place's next ordinal that no
    id, old, retired (`retired`: the ids the previous generation redirected) or new, has
    used. An exchange whose parts are an old exchange's parts takes that exchange's id;
    otherwise its id is the hash of its parts' ids as renamed. parent_id and part_ids follow.
    """
    if not previous:
        return list(new)
    old_by_id = {r.id: r for r in previous}
    old_groups: dict[Place, list[int]] = {}
    for k, r in enumerate(previous):
        if r.kind != "exchange":
            old_groups.setdefault(place(r), []).append(k)
    new_groups: dict[Place, list[int]] = {}
    for k, r in enumerate(new):
        if r.kind != "exchange":
            new_groups.setdefault(place(r), []).append(k)

    final: dict[int, str] = {}  # index in `new` -> the id it gets
    for key, members in new_groups.items():
        before = old_groups.get(key)
        if not before:
            continue
        olds, news = _in_order(previous, before), _in_order(new, members)
        for i, j in _align([_norm(previous[i].text) for i in olds], [_norm(new[j].text) for j in news]):
            final[news[j]] = previous[olds[i]].id

    used = set(final.values())
    taken = {*old_by_id, *retired, *(r.id for r in new), *used}
    # Records paired with no old one, by document, kind and access: where an unpaired old record may have gone.
    unpaired: dict[tuple[str, str, str], list[int]] = {}
    for k, r in enumerate(new):
        if r.kind != "exchange" and k not in final:
            unpaired.setdefault((r.citation.document, r.kind, r.access), []).append(k)

    def moved(old: Record, but: int) -> bool:
        """True when an old record's text is alike to a record of no old one, other than `but`."""
        text = _norm(old.text)
        pool = unpaired.get((old.citation.document, old.kind, old.access), [])
        return any(k != but and fuzz.ratio(text, _norm(new[k].text)) >= SAME_RECORD for k in pool)

    for k, r in enumerate(new):
        if r.kind == "exchange" or k in final:
            continue
        rid = r.id
        if rid in used or (rid in old_by_id and moved(old_by_id[rid], k)):
            ordinal = len(new_groups[place(r)])
            while (rid := record_id(*place(r), ordinal)) in taken:
                ordinal += 1
        final[k] = rid
        used.add(rid)
        taken.add(rid)

    renamed = {new[k].id: rid for k, rid in final.items()}
    old_exchanges = {r.part_ids: r.id for r in previous if r.kind == "exchange" and r.part_ids}
    for k, r in enumerate(new):
        if r.kind != "exchange":
            continue
        parts = tuple(renamed.get(p, p) for p in r.part_ids)
        rid = old_exchanges.get(parts) or (r.id if parts == r.part_ids else exchange_id(parts))
        salt = 0
        while rid in used:
            salt += 1
            rid = exchange_id((*parts, f"#{salt}"))
        final[k] = rid
        used.add(rid)
    renamed.update({new[k].id: rid for k, rid in final.items() if new[k].kind == "exchange"})

    out: list[Record] = []
    for k, r in enumerate(new):
        parent_id = renamed.get(r.parent_id, r.parent_id) if r.parent_id is not None else None
        parts = tuple(renamed.get(p, p) for p in r.part_ids)
        if (final[k], parent_id, parts) == (r.id, r.parent_id, r.part_ids):
            out.append(r)
        else:
            out.append(dataclasses.replace(r, id=final[k], parent_id=parent_id, part_ids=parts))
    if len({r.id for r in out}) != len(out):
        raise AssertionError("keep_ids gave two records one id")
    return out
