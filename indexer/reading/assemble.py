"""Corpus-wide steps after parsing: one key per person, one record per exchange published twice."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from rapidfuzz import fuzz

from indexer.reading.people import resolve_keys
from indexer.reading.text import squash
from indexer.records import Citation, Record

# Two question texts at least this similar (0-100) are the same question published twice.
SAME_QUESTION = 90
# A truncated text must still be this long (characters) to be matched as a prefix.
MIN_PREFIX = 60


def resolve_people(records: Sequence[Record]) -> list[Record]:
    """Give every record's asker the corpus-wide person key (roles stay as written)."""
    keys = resolve_keys(r.citation.asker for r in records if r.citation.asker)
    out: list[Record] = []
    for r in records:
        asker = r.citation.asker
        key = keys.get(asker) if asker else None
        if key != r.citation.asker_key:
            r = dataclasses.replace(r, citation=dataclasses.replace(r.citation, asker_key=key))
        out.append(r)
    return out


def same_text(a: Record, b: Record) -> bool:
    """True when two records quote the same text, allowing punctuation slips and a cut-off copy."""
    ta, tb = squash(a.text).lower(), squash(b.text).lower()
    if fuzz.ratio(ta, tb) >= SAME_QUESTION:
        return True
    shorter = min(len(ta), len(tb))
    if (a.truncated or b.truncated) and shorter >= MIN_PREFIX:
        return fuzz.partial_ratio(ta, tb) >= SAME_QUESTION
    return False


def link_publications(records: Sequence[Record]) -> list[Record]:
    """Merge questions (with their answers and exchanges) published in two documents.

    The copy kept is the fullest: answered, not truncated, with an agenda item, longest.
    The other copies' citations go into `also_recorded_in` and the copies are dropped, so
    the same text is never shown twice. Records that pointed at a dropped copy (the
    minutes' supplementary exchange) are re-pointed at the kept one.
    """
    by_id = {r.id: r for r in records}
    exchange_of: dict[str, Record] = {}
    answer_of: dict[str, Record] = {}
    for r in records:
        if r.kind == "exchange" and r.part_ids:
            exchange_of[r.part_ids[0]] = r
        if r.kind == "answer" and r.parent_id:
            answer_of[r.parent_id] = r
    questions = [r for r in records if r.kind == "question"]

    def rank(q: Record) -> tuple[bool, bool, bool, int]:
        return (q.id in answer_of, not q.truncated, q.citation.item is not None, len(q.text))

    also: dict[str, list[Citation]] = {}
    dropped: dict[str, str] = {}  # dropped id -> kept id
    used: set[str] = set()
    for i, q in enumerate(questions):
        if q.id in used:
            continue
        group = [q] + [
            other
            for other in questions[i + 1 :]
            if other.id not in used
            and other.citation.document != q.citation.document
            and other.access == q.access  # a restricted copy must never stand for a public one
            and _same_meeting(q.citation, other.citation)
            and same_text(q, other)
        ]
        if len(group) < 2:
            continue
        used.update(g.id for g in group)
        keep = max(group, key=rank)
        for copy in group:
            if copy is keep:
                continue
            pairs = [
                (copy, keep),
                (answer_of.get(copy.id), answer_of.get(keep.id)),
                (exchange_of.get(copy.id), exchange_of.get(keep.id)),
            ]
            for dup, kept in pairs:
                if dup is None:
                    continue
                dropped[dup.id] = kept.id if kept is not None else keep.id
            kept_exchange = exchange_of.get(keep.id)
            copy_exchange = exchange_of.get(copy.id)
            also.setdefault(keep.id, []).append(copy.citation)
            if kept_exchange is not None:
                also.setdefault(kept_exchange.id, []).append((copy_exchange or copy).citation)
            kept_answer, copy_answer = answer_of.get(keep.id), answer_of.get(copy.id)
            if kept_answer is not None and copy_answer is not None:
                also.setdefault(kept_answer.id, []).append(copy_answer.citation)

    out: list[Record] = []
    for r in records:
        if r.id in dropped:
            continue
        also_in = r.also_recorded_in + tuple(also[r.id]) if r.id in also else r.also_recorded_in
        parent_id = dropped.get(r.parent_id, r.parent_id) if r.parent_id is not None else None
        part_ids = tuple(dropped.get(p, p) for p in r.part_ids)
        if (also_in, parent_id, part_ids) == (r.also_recorded_in, r.parent_id, r.part_ids):
            out.append(r)
        else:
            out.append(dataclasses.replace(r, also_recorded_in=also_in, parent_id=parent_id, part_ids=part_ids))
    assert all(r.id in by_id for r in out)
    return out


def _same_meeting(a: Citation, b: Citation) -> bool:
    if a.meeting_date and b.meeting_date:
        return a.meeting_date == b.meeting_date
    return a.body == b.body


def result_ids(records: Sequence[Record]) -> list[str]:
    """For each record, the id of the record shown when it matches: its exchange (or its source's), else itself."""
    shown_as: dict[str, str] = {}
    for r in records:
        if r.kind == "exchange":
            for part in r.part_ids:
                shown_as.setdefault(part, r.id)
    # An undertaking is found through the record it is read from, so its sentence is never shown twice.
    for r in records:
        if r.kind == "undertaking" and r.parent_id:
            shown_as[r.id] = shown_as.get(r.parent_id, r.parent_id)
    return [shown_as.get(r.id, r.id) for r in records]


def assemble(records: Sequence[Record]) -> list[Record]:
    """All corpus-wide steps, in order."""
    return link_publications(resolve_people(records))
