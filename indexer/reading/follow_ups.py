"""Follow-ups: later records that may discharge an undertaking, named as leads ("possibly followed up in").

Read after embedding, over the whole generation: a record of the same body at a later meeting,
visible to whoever sees the undertaking, alike in meaning and naming enough of what was
undertaken. It is never a claim that the undertaking was met.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from indexer.analysis import STOPWORDS
from indexer.records import FollowUp, Record

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
# Words that say nothing about what was promised, however often they appear in one.
GENERIC = STOPWORDS | {
    "provide", "provided", "update", "updates", "report", "reports", "meeting", "meetings", "panel", "members",
    "member", "commissioner", "pcc", "would", "will", "agreed", "information", "figures", "details", "next",
    "look", "ensure", "share", "circulate", "circulated", "write", "brought", "presented", "board", "police",
    "crime", "deputy", "chief", "constable", "officer", "officers", "force", "office", "outside", "happy",
}  # fmt: skip
# Later records at least this similar (cosine of the embedded texts) that name enough of its subject
# (this share of its subject words' weight) may follow one up. Measured on the bundled corpus and the
# fixtures: a record that answers an undertaking scores 0.6-0.85 and names half or more of its subject.
FOLLOW_UP_SIMILARITY = 0.55
FOLLOW_UP_COVERAGE = 0.4
FOLLOW_UP_LIMIT = 3


def subject_words(text: str) -> set[str]:
    """The words of an undertaking that say what it is about (not who, not "provide an update")."""
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in GENERIC and len(w) > 2}


def link_follow_ups(
    records: Sequence[Record],
    shown_ids: Sequence[str],
    owners: Sequence[int],
    vectors: np.ndarray,
    *,
    similarity: float = FOLLOW_UP_SIMILARITY,
    coverage: float = FOLLOW_UP_COVERAGE,
    limit: int = FOLLOW_UP_LIMIT,
) -> list[Record]:
    """Each undertaking with the later records of its body that may follow it up (never said to discharge it).

    A candidate is a record shown in results (an exchange, a minute, a report section) of the same
    body at a later meeting, visible to whoever sees the undertaking, whose best passage is at least
    `similarity` alike and which names enough of what the undertaking is about: the subject words
    they share carry at least `coverage` of the undertaking's subject words' weight, a rare word
    ("Stop Hate", "ANPR") counting for more than a common one ("crime", "plan").
    """
    vecs = np.asarray(vectors, dtype=np.float32)
    rows_of: dict[int, list[int]] = {}
    for row, owner in enumerate(owners):
        rows_of.setdefault(owner, []).append(row)
    pledged: dict[str | None, list[int]] = {}
    for i, r in enumerate(records):
        if r.kind == "undertaking" and r.citation.meeting_date and i in rows_of:
            pledged.setdefault(r.citation.body, []).append(i)
    candidates: dict[str | None, list[int]] = {}
    words_of: dict[int, set[str]] = {}
    for i, r in enumerate(records):
        if r.kind != "undertaking" and shown_ids[i] == r.id and r.citation.meeting_date and i in rows_of:
            candidates.setdefault(r.citation.body, []).append(i)
            words_of[i] = subject_words(r.search_text)
    df = Counter(w for words in words_of.values() for w in words)
    total = max(1, len(words_of))

    def weight(word: str) -> float:
        return math.log((1 + total) / (1 + df[word])) + 1.0

    shown_of = {r.id: s for r, s in zip(records, shown_ids, strict=True)}
    out = list(records)
    for body, pledges in pledged.items():
        members = candidates.get(body, [])
        if not members:
            continue
        # A body's candidates as one matrix: each undertaking is scored against all of them in one product,
        # a record by its best passage.
        rows = [row for j in members for row in rows_of[j]]
        starts = np.cumsum([0] + [len(rows_of[j]) for j in members[:-1]])
        matrix = vecs[rows]
        dates = np.array([records[j].citation.meeting_date for j in members])
        public = np.array([records[j].access == "public" for j in members])
        ids = np.array([records[j].id for j in members])
        for i in pledges:
            u = records[i]
            words = subject_words(u.undertaking.action if u.undertaking else u.text)
            if not words:
                continue
            best = np.maximum.reduceat((matrix @ vecs[rows_of[i]].T).max(axis=1), starts)
            later = (dates > u.citation.meeting_date) & (best >= similarity) & (ids != shown_of.get(u.parent_id or ""))
            if u.access != "restricted":
                later &= public  # a public undertaking never leads to a restricted record
            mass = sum(weight(w) for w in words)
            scored = [
                (float(best[p]), members[p])
                for p in np.flatnonzero(later)
                if sum(weight(w) for w in words & words_of[members[p]]) >= coverage * mass
            ]
            scored.sort(key=lambda sj: (-sj[0], records[sj[1]].citation.meeting_date or ""))
            follow = tuple(
                FollowUp(
                    record_id=records[j].id,
                    label=records[j].citation.label,
                    meeting_date=records[j].citation.meeting_date,
                    score=round(score, 3),
                )
                for score, j in scored[:limit]
            )
            if follow and u.undertaking is not None:
                out[i] = dataclasses.replace(u, undertaking=dataclasses.replace(u.undertaking, followed_up_in=follow))
    return out
