"""Passages: the pieces of a record that are embedded, so a long record is found by any part of it.

all-MiniLM-L6-v2 reads at most 256 word pieces and was trained on far shorter texts; a
long answer embedded whole is represented by its opening only. Each record is embedded
as one or more windows of whole sentences, each led by the record's context.
"""

from __future__ import annotations

from indexer.reading.text import sentences as split_sentences
from indexer.records import Record

# Words per window: well inside the model's reach once the context is added.
WINDOW_WORDS = 110


def passages(record: Record, window: int = WINDOW_WORDS) -> list[str]:
    """The texts to embed for a record: the whole of a short one, sentence windows of a long one.

    An undertaking has none: its sentence is found through the record it is read from.
    """
    if record.kind == "undertaking":
        return []
    text = record.text
    if len(text.split()) <= window:
        return [record.search_text]
    context = record.context[:300].strip()
    sentences = split_sentences(text)
    windows: list[str] = []
    current: list[str] = []
    size = 0
    for sentence in sentences:
        words = len(sentence.split())
        if current and size + words > window:
            windows.append(" ".join(current))
            # Overlap by one sentence so a point made across a boundary is still whole somewhere.
            current, size = current[-1:], len(current[-1].split())
        current.append(sentence)
        size += words
    if current and (not windows or " ".join(current) != windows[-1]):
        windows.append(" ".join(current))
    return [f"{context}\n{w}" if context else w for w in windows]
