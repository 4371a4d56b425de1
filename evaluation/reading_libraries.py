"""The measurement behind the reading libraries: dates and sentence boundaries on real pages and our fixtures.

Usage: python -m evaluation.reading_libraries [--realdocs DIR] [--fixtures DIR]   (`make compare-reading`)

- Dates: dateparser's `search_dates` (day first, day/month/year required) against the pattern
  of dateutil's own month and weekday names that `indexer.reading.dates` hands to dateutil. Reported:
  how many labelled meeting dates each finds in the text, how many "dates" it finds that are not
  written dates at all (words such as "now" or "today" made into today's date), and ms per page.
- Sentences: pysbd and syntok against `indexer.reading.text.sentences` (the one splitter every stage uses),
  on the same pages: ms per page
  and how often a sentence is cut after a title or an initial ("Cllr." / "J."), which
  `indexer.reading.moves.sentences` then mends.
dateparser, pysbd and syntok come from the `compare` extra; nothing here is needed to index or search.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from evaluation.extraction import DEFAULT_FIXTURES, default_realdocs, load_labels
from indexer.reading.dates import find_dates
from indexer.reading.readers import read_document
from indexer.reading.text import sentences

TITLE_CUT = re.compile(r"\b(?:Cllrs?|Mr|Mrs|Ms|Dr|[A-Z])\.$")


def _pages(folders: Sequence[Path]) -> list[tuple[str, str, set[str]]]:
    """(name, text, labelled meeting dates) of every labelled page in the folders that exist."""
    out: list[tuple[str, str, set[str]]] = []
    for folder in folders:
        labels = folder / "labels.jsonl"
        if not labels.exists():
            continue
        for label in load_labels(labels):
            doc = read_document(folder / label.doc, label.doc)
            dates = {label.date} if label.date else set()
            dates |= {d for _, d in label.dates_by_needle if d}
            out.append((label.doc, doc.text, {d for d in dates if d}))
    return out


def measure_dates(pages: list[tuple[str, str, set[str]]]) -> list[str]:
    """A table row per date reader: meeting dates found, non-dates taken for dates, ms per page."""
    from dateparser.search import search_dates

    settings = {"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"]}
    rows = []
    for name, reader in (
        ("dateparser.search_dates", lambda text: search_dates(text, languages=["en"], settings=settings) or []),
        ("indexer.reading.dates (dateutil)", lambda text: [(m.text, m.date) for m in find_dates(text)]),
    ):
        found = wanted = spurious = 0
        start = time.perf_counter()
        for _, text, dates in pages:
            results = reader(text)
            days = {d.strftime("%Y-%m-%d") for _, d in results}
            found += len(dates & days)
            wanted += len(dates)
            spurious += sum(1 for written, _ in results if not re.search(r"\d", written))
        ms = 1000 * (time.perf_counter() - start) / max(1, len(pages))
        rows.append(f"| {name} | {found}/{wanted} | {spurious} | {ms:.1f} |")
    return rows


def measure_sentences(pages: list[tuple[str, str, set[str]]]) -> list[str]:
    """A table row per sentence splitter: ms per page and cuts after a title or an initial."""
    import pysbd
    from syntok import segmenter

    def syntok_split(text: str) -> list[str]:
        return [text[s[0].offset : s[-1].offset + len(s[-1].value)] for p in segmenter.analyze(text) for s in p if s]

    splitter = pysbd.Segmenter(language="en", clean=False)
    rows = []
    for name, split in (("pysbd", splitter.segment), ("syntok", syntok_split), ("indexer.reading.text", sentences)):
        cuts = 0
        start = time.perf_counter()
        for _, text, _ in pages:
            cuts += sum(1 for sentence in split(text) if TITLE_CUT.search(sentence.strip()))
        ms = 1000 * (time.perf_counter() - start) / max(1, len(pages))
        rows.append(f"| {name} | {ms:.1f} | {cuts} |")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdocs", type=Path, default=None)
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    args = parser.parse_args(argv)
    pages = _pages([args.realdocs or default_realdocs(), args.fixtures])
    print(f"{len(pages)} labelled pages\n")
    print("| date reader | meeting dates found | non-dates taken | ms/page |\n|---|---|---|---|")
    print("\n".join(measure_dates(pages)))
    print("\n| sentence splitter | ms/page | cuts after a title or initial |\n|---|---|---|")
    print("\n".join(measure_sentences(pages)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
