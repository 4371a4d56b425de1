"""Units: a record's sentences, each searched on its own beside the whole record.

A passage is embedded with its record's context (the report's subject), and a long record is scored
lexically as one bag of words. Both favour a report's general paragraphs over the one sentence that
answers a question put in other words: "can police move someone on if they're off their face on
spice" is one sentence of a paragraph about drug markets. So each record is also cut into units,
sentences grouped until each holds a few words, searched without the context: the dense side as
vectors of their own, the lexical side as documents of a second full-text index. A record then also
scores by its best unit.
"""

from __future__ import annotations

import re

from indexer.reading.text import sentences as split_sentences
from indexer.records import Record

# Words of letters a unit holds at least: a shorter sentence (a heading, a table label, "Agreed.") joins the
# next, so a few words that happen to name the query's terms do not outrank the sentences that discuss them.
UNIT_WORDS = 8
_WORD = re.compile(r"[^\W\d_]{2,}")


def units(record: Record, least: int = UNIT_WORDS) -> list[str]:
    """The record's sentences, grouped in order until each unit holds at least `least` words.

    An undertaking has none (its sentence is searched in the record it is read from), nor has a
    record without words (a table of figures).
    """
    if record.kind == "undertaking":
        return []
    out: list[str] = []
    current: list[str] = []
    words = 0
    for sentence in split_sentences(record.text):
        current.append(sentence)
        words += len(_WORD.findall(sentence))
        if words >= least:
            out.append(" ".join(current))
            current, words = [], 0
    if current and words:
        # A short tail joins the unit before it rather than stand alone.
        if out:
            out[-1] = f"{out[-1]} {' '.join(current)}"
        else:
            out.append(" ".join(current))
    return out
