"""Extraction quality on labelled pages: meeting dates, exchange pairing, citations, coverage, ingest reports.

Two labelled sets are scored, each a folder of documents and a `labels.jsonl` (format in the README
of the real pages): the real pages other panels publish (`--realdocs`, default
`$PANEL_SEARCH_REALDOCS` else `<repo>/../shared/realdocs-dev`) and our own fixtures of the same kinds
(`--fixtures`, default `tests/resources/realworld`). A set that is absent is reported and skipped.
Each labelled document is parsed with `indexer.reading.parse.parse_path(path, name)` (no manifest metadata)
and scored:

- meeting date, per record: its expected date is the date of the labelled needle (`dates_by_needle`,
  a dated exchange's question or answer, a dated minute) its text contains, else the document's
  `date`; when the document's `date` is null but some needles carry dates, a record matching none is
  not scored. A non-null date that is not the expected one is WRONG (the worst error); precision =
  correct non-null / non-null, recall = correct non-null / records whose expected date is non-null.
- exchange pairing, per labelled exchange: found when an `exchange` record holds the question and
  answer needles (a `question` or `exchange` record holding the question needle when the answer is
  null); merged when that record also holds another labelled exchange's question needle.
- asker, body, item and date of the record found (or of the best record holding the question needle).
- coverage: the share of the document's words (markup cleaned, debris lines left out) that stand in
  some record's text, as a word-multiset overlap.
- the ingest report: documents reported with no meeting date or no body, and whether its warnings say so.

Text is compared with `indexer.reading.text.match_key` (lower-case letters and digits only).

Usage: python -m evaluation.extraction [--realdocs DIR] [--fixtures DIR] [--json] [--write FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer.reading.parse import DocumentReport, parse_path
from indexer.reading.readers import read_document
from indexer.reading.text import match_key
from indexer.records import Record

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FIXTURES = REPO / "tests" / "resources" / "realworld"
LABELS_FILE = "labels.jsonl"
# A null labelled asker is right when the record names a group or role rather than a person.
GROUP_WORDS = ("panel", "member", "public")
# Which record stands for an exchange when several hold its question: the searchable pair first.
KIND_RANK = {
    "exchange": 0,
    "question": 1,
    "supplementary_question": 2,
    "minute": 3,
    "answer": 4,
    "supplementary_answer": 5,
    "report_section": 6,
}
_ITEM_PREFIX = re.compile(r"^(?:agenda\s+item|item|minute)s?\b\s*(?:no\.?\s*)?", re.I)
_WORD = re.compile(r"\w+")


class LabelError(Exception):
    """A labels file is malformed."""


def default_realdocs() -> Path:
    """The real pages: $PANEL_SEARCH_REALDOCS, else `shared/realdocs-dev` beside the repository."""
    env = os.environ.get("PANEL_SEARCH_REALDOCS")
    return Path(env) if env else REPO.parent / "shared" / "realdocs-dev"


# --- labels -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExchangeLabel:
    """A labelled exchange: question and answer needles (answer None when unanswered) and its asker."""

    q: str
    a: str | None = None
    asker: str | None = None
    date: str | None = None
    item: str | None = None


@dataclass(frozen=True)
class MinuteLabel:
    """A labelled minute: a needle of its text and its meeting date."""

    needle: str
    date: str | None = None


@dataclass(frozen=True)
class DocLabel:
    """What a careful reader takes from one document (see the real pages' README)."""

    doc: str
    date: str | None
    body_ok: tuple[str | None, ...] = ()
    item_ok: tuple[str, ...] = ()
    exchanges: tuple[ExchangeLabel, ...] = ()
    minutes: tuple[MinuteLabel, ...] = ()
    dates_by_needle: tuple[tuple[str, str], ...] = ()

    def dated_needles(self) -> list[tuple[str, str]]:
        """Every needle that carries its own meeting date, with that date."""
        out = list(self.dates_by_needle)
        for ex in self.exchanges:
            if ex.date:
                out += [(ex.q, ex.date)] + ([(ex.a, ex.date)] if ex.a else [])
        out += [(m.needle, m.date) for m in self.minutes if m.date]
        return out

    def needles(self) -> list[str]:
        """Every needle the label quotes from its document."""
        out = [n for n, _ in self.dates_by_needle] + [m.needle for m in self.minutes]
        for ex in self.exchanges:
            out += [ex.q] + ([ex.a] if ex.a else [])
        return out


def label_from_dict(data: dict[str, object]) -> DocLabel:
    """Build a label from one line of labels.jsonl."""

    def opt(value: object) -> str | None:
        return None if value is None else str(value)

    def items(value: object) -> list[dict[str, object]]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise LabelError(f"expected a list of objects, got {value!r}")
        return value

    body_ok = data.get("body_ok") or []
    item_ok = data.get("item_ok") or []
    by_needle = data.get("dates_by_needle") or {}
    if not isinstance(body_ok, list) or not isinstance(item_ok, list) or not isinstance(by_needle, dict):
        raise LabelError("body_ok and item_ok must be lists, dates_by_needle an object")
    exchanges = tuple(
        ExchangeLabel(
            q=str(e["q"]),
            a=opt(e.get("a")),
            asker=opt(e.get("asker")),
            date=opt(e.get("date")),
            item=opt(e.get("item")),
        )
        for e in items(data.get("exchanges"))
    )
    minutes = tuple(MinuteLabel(str(m["needle"]), opt(m.get("date"))) for m in items(data.get("minutes")))
    return DocLabel(
        doc=str(data["doc"]),
        date=opt(data.get("date")),
        body_ok=tuple(opt(b) for b in body_ok),
        item_ok=tuple(str(i) for i in item_ok),
        exchanges=exchanges,
        minutes=minutes,
        dates_by_needle=tuple((str(k), str(v)) for k, v in by_needle.items()),
    )


def load_labels(path: Path) -> list[DocLabel]:
    """Read a labels.jsonl (one document a line)."""
    out: list[DocLabel] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise LabelError("a line must be a JSON object")
            out.append(label_from_dict(data))
        except (ValueError, KeyError, TypeError, LabelError) as exc:
            raise LabelError(f"{path}:{n}: {exc}") from exc
    return out


# --- scoring: pure functions of labels and records ---------------------------------------------------


class _Texts:
    """Match keys of the records' texts; an exchange also holds the text of the parts it joins."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.key = {r.id: match_key(r.text) for r in records}
        self.parts = {r.id: [p for p in r.part_ids if p in self.key] for r in records if r.kind == "exchange"}

    def contains(self, record: Record, needle: str) -> bool:
        """True when the needle stands in the record's text (or in one of its parts)."""
        key = match_key(needle)
        if not key:
            return False
        return key in self.key[record.id] or any(key in self.key[p] for p in self.parts.get(record.id, ()))


def expected_dates(label: DocLabel, text: str) -> frozenset[str | None] | None:
    """The meeting date(s) a record with this text should cite; None when the record is not scored."""
    key = match_key(text)
    dated = label.dated_needles()
    hits = frozenset(date for needle, date in dated if match_key(needle) and match_key(needle) in key)
    if hits:
        return frozenset[str | None](hits)
    if label.date is None and dated:
        return None
    return frozenset({label.date})


@dataclass(frozen=True)
class WrongDate:
    """A record cited to a meeting date that is not its meeting's."""

    doc: str
    record_id: str
    kind: str
    lines: tuple[int, int]
    cited: str
    expected: tuple[str | None, ...]


@dataclass
class DateScore:
    """Meeting-date counts over the scored records of one or more documents."""

    records: int = 0
    scored: int = 0
    cited: int = 0  # scored records citing a non-null date
    correct: int = 0  # ... and that date is the expected one
    expected_known: int = 0  # scored records whose expected date is non-null
    wrong: list[WrongDate] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        """Correct non-null dates / non-null dates."""
        return self.correct / self.cited if self.cited else None

    @property
    def recall(self) -> float | None:
        """Correct non-null dates / records whose expected date is non-null."""
        return self.correct / self.expected_known if self.expected_known else None

    def add(self, other: DateScore) -> None:
        """Add another document's counts to these."""
        self.records += other.records
        self.scored += other.scored
        self.cited += other.cited
        self.correct += other.correct
        self.expected_known += other.expected_known
        self.wrong += other.wrong


def score_dates(label: DocLabel, records: Sequence[Record]) -> DateScore:
    """Score every record's meeting date against the label."""
    score = DateScore(records=len(records))
    for r in records:
        expected = expected_dates(label, r.text)
        if expected is None:
            continue
        cited = r.citation.meeting_date
        score.scored += 1
        if any(d is not None for d in expected):
            score.expected_known += 1
        if cited is None:
            continue
        score.cited += 1
        if cited in expected:
            score.correct += 1
        else:
            ordered = tuple(sorted(expected, key=lambda d: d or ""))
            score.wrong.append(WrongDate(label.doc, r.id, r.kind, r.citation.location.lines, cited, ordered))
    return score


def asker_right(label_asker: str | None, cited: str | None) -> bool:
    """The label's asker (surname or role) stands in the cited asker; a null label wants None or a group."""
    if label_asker is None:
        return cited is None or any(word in cited.lower() for word in GROUP_WORDS)
    # A role is one however it is written: "Chairman", "Chairwoman", "Chairperson" and panel-search's "Chair".
    role = re.sub(r"(?i)(chair)(?:man|woman|person)\b", r"\1", label_asker)
    return cited is not None and (label_asker.casefold() in cited.casefold() or role.casefold() == cited.casefold())


def body_right(body_ok: Sequence[str | None], cited: str | None) -> bool:
    """The cited body is one the label accepts (a null in the list accepts None); punctuation and case aside
    ("Dyfed-Powys" and "Dyfed Powys" are one panel)."""
    if cited is None:
        return None in body_ok
    return any(b is not None and _body_key(b) == _body_key(cited) for b in body_ok)


def _body_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w&]+", " ", name).split()).casefold()


def normalise_item(item: str) -> str:
    """ "Agenda Item 5." -> "5", "minute 45/22" -> "45/22": the number an item is known by."""
    return _ITEM_PREFIX.sub("", item.strip()).strip(" .").casefold()


def item_right(accepted: Sequence[str], cited: str | None) -> bool | None:
    """The cited item, normalised, is an accepted one; None when the label gives no item."""
    if not accepted:
        return None
    return cited is not None and normalise_item(cited) in {normalise_item(i) for i in accepted}


@dataclass
class ExchangeScore:
    """How one labelled exchange came out of the parser."""

    doc: str
    q: str
    a: str | None
    found: bool
    merged: bool
    record_id: str | None
    record_kind: str | None
    asker_ok: bool
    body_ok: bool
    item_ok: bool | None
    date_ok: bool
    cited: dict[str, str | None]
    expected: dict[str, object]
    note: str = ""

    @property
    def paired(self) -> bool:
        """Found in an exchange record of its own."""
        return self.found and not self.merged


def _best(records: Sequence[Record]) -> Record | None:
    """The record that best stands for an exchange among several: an exchange first, then the shortest."""
    if not records:
        return None
    return min(records, key=lambda r: (KIND_RANK.get(r.kind, 9), len(r.text)))


def _where(records: Sequence[Record], texts: _Texts, needle: str) -> list[Record]:
    return [r for r in records if texts.contains(r, needle)]


def _describe(found: Sequence[Record]) -> str:
    return ", ".join(f"{r.kind} {r.id[:8]}" for r in found) or "no record"


def score_exchange(label: DocLabel, ex: ExchangeLabel, records: Sequence[Record]) -> ExchangeScore:
    """Pairing, asker, body, item and date of one labelled exchange."""
    return _score_exchange(label, ex, records, _Texts(records))


def _score_exchange(label: DocLabel, ex: ExchangeLabel, records: Sequence[Record], texts: _Texts) -> ExchangeScore:
    others = [o.q for o in label.exchanges if o is not ex and match_key(o.q) != match_key(ex.q)]
    if ex.a is not None:
        answer = ex.a
        candidates = [
            r for r in records if r.kind == "exchange" and texts.contains(r, ex.q) and texts.contains(r, answer)
        ]
    else:
        # A question nobody answered stands as a record of its own, a supplementary one included.
        asked = ("exchange", "question", "supplementary_question")
        candidates = [r for r in records if r.kind in asked and texts.contains(r, ex.q)]

    def merged_with(r: Record) -> list[str]:
        return [o for o in others if texts.contains(r, o)]

    alone = [r for r in candidates if not merged_with(r)]
    with_q = _where(records, texts, ex.q)
    record = _best(alone) or _best(candidates) or _best(with_q)
    found = bool(candidates)
    merged = found and not alone
    note = ""
    if merged and record is not None:
        note = f"merged in {record.kind} {record.id[:8]} with: " + "; ".join(repr(o) for o in merged_with(record))
    elif not found:
        note = f"question needle in: {_describe(with_q)}"
        if ex.a is not None:
            with_a = _where(records, texts, ex.a)
            same = [r for r in with_a if r in with_q]
            note += f"; answer needle in: {_describe(with_a)}"
            if same:
                note += " (the same record, not an exchange)"
    expected_date = ex.date or label.date
    item_accepts = list(dict.fromkeys([*label.item_ok, *([ex.item] if ex.item else [])]))
    expected: dict[str, object] = {"asker": ex.asker, "body": list(label.body_ok), "item": item_accepts or None}
    expected["date"] = expected_date
    if record is None:
        return ExchangeScore(
            label.doc,
            ex.q,
            ex.a,
            False,
            False,
            None,
            None,
            False,
            False,
            False if item_accepts else None,
            False,
            {},
            expected,
            note,
        )
    c = record.citation
    cited: dict[str, str | None] = {"asker": c.asker, "body": c.body, "item": c.item, "date": c.meeting_date}
    return ExchangeScore(
        doc=label.doc,
        q=ex.q,
        a=ex.a,
        found=found,
        merged=merged,
        record_id=record.id,
        record_kind=record.kind,
        asker_ok=asker_right(ex.asker, c.asker),
        body_ok=body_right(label.body_ok, c.body),
        item_ok=item_right(item_accepts, c.item),
        date_ok=c.meeting_date == expected_date,
        cited=cited,
        expected=expected,
        note=note,
    )


def score_exchanges(label: DocLabel, records: Sequence[Record]) -> list[ExchangeScore]:
    """Score every labelled exchange of a document against its records."""
    texts = _Texts(records)
    return [_score_exchange(label, ex, records, texts) for ex in label.exchanges]


def words(text: str) -> Counter[str]:
    """The multiset of a text's words, lower case."""
    return Counter(w.lower() for w in _WORD.findall(text))


def score_coverage(document_text: str, records: Sequence[Record]) -> tuple[int, int]:
    """(words of the document that stand in some record, words of the document), as a multiset overlap.

    An exchange whose parts are among the records is not counted again.
    """
    ids = {r.id for r in records}
    quoted: Counter[str] = Counter()
    for r in records:
        if r.kind == "exchange" and r.part_ids and all(p in ids for p in r.part_ids):
            continue
        quoted.update(words(r.text))
    doc = words(document_text)
    return sum((doc & quoted).values()), sum(doc.values())


@dataclass
class ReportCheck:
    """A document whose ingest report lacks a meeting date or a body, and whether its warnings say so."""

    doc: str
    missing: list[str]
    warned: dict[str, bool]
    meetings: list[dict[str, str | None]]
    error: str | None = None


def check_report(report: DocumentReport) -> ReportCheck | None:
    """What the ingest report lacks (meeting date, body), or None when it has both."""
    missing: list[str] = []
    warnings = " ".join(report.warnings).lower()
    warned: dict[str, bool] = {}
    if not any(m.get("date") for m in report.meetings):
        missing.append("meeting date")
        warned["meeting date"] = "date" in warnings
    if not any(m.get("body") for m in report.meetings):
        missing.append("body")
        warned["body"] = re.search(r"\bbod(?:y|ies)\b", warnings) is not None
    if not missing and report.error is None:
        return None
    return ReportCheck(report.document, missing, warned, list(report.meetings), report.error)


def label_problems(label: DocLabel, document_text: str) -> list[str]:
    """Needles of the label that do not stand in the document's text (a broken label, not a parser error)."""
    key = match_key(document_text)
    return [f"{label.doc}: needle not in the document: {n!r}" for n in label.needles() if match_key(n) not in key]


@dataclass
class DocScore:
    """Everything measured on one labelled document."""

    doc: str
    layout: str | None
    records: int
    dates: DateScore
    exchanges: list[ExchangeScore]
    covered_words: int
    total_words: int
    report: ReportCheck | None
    problems: list[str] = field(default_factory=list)
    error: str | None = None


def score_document(
    label: DocLabel, records: Sequence[Record], report: DocumentReport | None = None, document_text: str | None = None
) -> DocScore:
    """Score one parsed document: dates, exchanges, coverage (when its text is given) and its report."""
    covered, total = score_coverage(document_text, records) if document_text is not None else (0, 0)
    return DocScore(
        doc=label.doc,
        layout=report.layout if report else None,
        records=len(records),
        dates=score_dates(label, records),
        exchanges=score_exchanges(label, records),
        covered_words=covered,
        total_words=total,
        report=check_report(report) if report else None,
        problems=label_problems(label, document_text) if document_text is not None else [],
        error=report.error if report else None,
    )


@dataclass
class SetScore:
    """One labelled set's totals (or all sets together) and its documents."""

    name: str
    documents: list[DocScore]
    status: str = "scored"

    @property
    def exchanges(self) -> list[ExchangeScore]:
        """Every labelled exchange of the set."""
        return [e for d in self.documents for e in d.exchanges]

    @property
    def dates(self) -> DateScore:
        """The meeting-date counts over every document."""
        total = DateScore()
        for d in self.documents:
            total.add(d.dates)
        return total

    @property
    def coverage(self) -> float | None:
        """Words quoted / words in the documents, over the whole set."""
        total = sum(d.total_words for d in self.documents)
        return sum(d.covered_words for d in self.documents) / total if total else None

    def counts(self) -> dict[str, tuple[int, int]]:
        """(right, scored) for pairing and each citation field over the labelled exchanges."""
        ex = self.exchanges
        items = [e.item_ok for e in ex if e.item_ok is not None]
        return {
            "paired": (sum(e.paired for e in ex), len(ex)),
            "asker": (sum(e.asker_ok for e in ex), len(ex)),
            "body": (sum(e.body_ok for e in ex), len(ex)),
            "item": (sum(bool(i) for i in items), len(items)),
            "exchange date": (sum(e.date_ok for e in ex), len(ex)),
        }

    def summary(self) -> dict[str, object]:
        """The set's row of the table, as numbers."""
        dates = self.dates
        counts = self.counts()
        out: dict[str, object] = {"set": self.name, "status": self.status, "docs": len(self.documents)}
        out["exchanges"] = len(self.exchanges)
        for name, (right, n) in counts.items():
            out[name] = {"right": right, "of": n, "share": right / n if n else None}
        out["date precision"] = {"right": dates.correct, "of": dates.cited, "share": dates.precision}
        out["date recall"] = {"right": dates.correct, "of": dates.expected_known, "share": dates.recall}
        out["wrong dates"] = len(dates.wrong)
        out["coverage"] = self.coverage
        return out


def combine(name: str, sets: Sequence[SetScore]) -> SetScore:
    """All scored sets together."""
    return SetScore(name, [d for s in sets if s.status == "scored" for d in s.documents])


# --- running the parser over a labelled folder -----------------------------------------------------


def shown_path(path: Path) -> str:
    """A path as reports show it: relative to the repository (or its parent) when it lies there."""
    resolved = path.resolve()
    for base, prefix in ((REPO, ""), (REPO.parent, "../")):
        if resolved.is_relative_to(base):
            return prefix + resolved.relative_to(base).as_posix()
    return str(path)


def evaluate_folder(name: str, folder: Path) -> SetScore:
    """Parse and score every labelled document in a folder; an absent folder or labels file is skipped."""
    labels_path = folder / LABELS_FILE
    if not folder.is_dir():
        return SetScore(name, [], status=f"not found ({shown_path(folder)}), skipped")
    if not labels_path.exists():
        return SetScore(name, [], status=f"no {LABELS_FILE} in {shown_path(folder)}, skipped")
    scores: list[DocScore] = []
    for label in load_labels(labels_path):
        path = folder / label.doc
        if not path.exists():
            empty = score_document(label, [])
            empty.error = "labelled document not found"
            scores.append(empty)
            continue
        records, report = parse_path(path, label.doc)
        try:
            doc = read_document(path, label.doc)
            text: str | None = doc.quote(1, doc.line_count)
        except Exception:  # the report carries the reason
            text = None
        scores.append(score_document(label, records, report, text))
    return SetScore(name, scores)


# --- output ----------------------------------------------------------------------------------------

COLUMNS = [
    "docs",
    "exchanges",
    "paired",
    "asker",
    "body",
    "item",
    "exchange date",
    "date precision",
    "date recall",
    "wrong dates",
    "coverage",
]


def _cell(summary: dict[str, object], column: str) -> str:
    value = summary[column]
    if isinstance(value, dict):
        share = value["share"]
        if value["of"] == 0:
            return "–"
        return f"{value['right']}/{value['of']} ({share:.2f})"
    if column == "coverage":
        return "–" if value is None else f"{value:.2f}"  # type: ignore[str-format]
    return str(value)


def format_table(sets: Sequence[SetScore]) -> str:
    """A markdown table, one row per set (skipped sets say why)."""
    lines = ["| set | " + " | ".join(COLUMNS) + " |", "|" + "---|" * (len(COLUMNS) + 1)]
    for s in sets:
        if s.status != "scored":
            lines.append(f"| {s.name} | {s.status} |" + " |" * (len(COLUMNS) - 1))
            continue
        summary = s.summary()
        lines.append(f"| {s.name} | " + " | ".join(_cell(summary, c) for c in COLUMNS) + " |")
    return "\n".join(lines)


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def failure_lines(sets: Sequence[SetScore]) -> list[str]:
    """One line per failure: wrong dates, exchanges not paired or miscited, report gaps, label problems."""
    out: list[str] = []
    for s in sets:
        for d in s.documents:
            head = f"[{s.name}] {d.doc}"
            if d.error:
                out.append(f"{head}: ERROR {d.error}")
            out += [f"{head}: LABEL {p}" for p in d.problems]
            for w in d.dates.wrong:
                expected = " or ".join(str(e) for e in w.expected)
                out.append(
                    f"{head}: WRONG DATE {w.kind} {w.record_id} (lines {w.lines[0]}-{w.lines[1]}) "
                    f"cited {w.cited}, expected {expected}"
                )
            for e in d.exchanges:
                wrong = [
                    f"{f} {e.cited.get(f)!r} (want {e.expected.get(f)!r})"
                    for f, ok in (("asker", e.asker_ok), ("body", e.body_ok), ("item", e.item_ok), ("date", e.date_ok))
                    if ok is False and e.record_id is not None
                ]
                if e.paired and not wrong:
                    continue
                state = "paired" if e.paired else "MERGED" if e.merged else "NOT PAIRED"
                line = f"{head}: {state} {_short(e.q)!r}"
                if e.note:
                    line += f" — {e.note}"
                if wrong:
                    line += f"; on {e.record_kind} {(e.record_id or '')[:8]}: " + ", ".join(wrong)
                out.append(line)
            if d.report is not None:
                said = ", ".join(
                    f"{m}: {'warned' if d.report.warned.get(m) else 'NOT warned'}" for m in d.report.missing
                )
                out.append(f"{head}: REPORT lacks {', '.join(d.report.missing) or 'nothing'} ({said})")
    return out


def to_json(sets: Sequence[SetScore]) -> dict[str, object]:
    """The whole evaluation as JSON: each set's row, its documents in detail, and the failures."""

    def doc_dict(d: DocScore) -> dict[str, object]:
        data = dataclasses.asdict(d)
        data["dates"]["precision"] = d.dates.precision
        data["dates"]["recall"] = d.dates.recall
        data["coverage"] = d.covered_words / d.total_words if d.total_words else None
        for e, ex in zip(data["exchanges"], d.exchanges, strict=True):
            e["paired"] = ex.paired
        return data

    return {
        "sets": [{**s.summary(), "documents": [doc_dict(d) for d in s.documents]} for s in sets],
        "failures": failure_lines(sets),
    }


def run(realdocs: Path, fixtures: Path) -> list[SetScore]:
    """Score both labelled sets and their union (last)."""
    sets = [evaluate_folder("real pages", realdocs), evaluate_folder("fixtures", fixtures)]
    return [*sets, combine("overall", sets)]


COMMAND = "make evaluate   # .venv/bin/python -m evaluation.extraction --append evaluation/RESULTS.md"


def markdown(sets: Sequence[SetScore]) -> str:
    """The Markdown section for evaluation/RESULTS.md: the table, the command, the date and the failures."""
    failures = failure_lines(sets[:-1])
    lines = [
        "## Extraction on labelled pages",
        "",
        f"Measured {dt.date.today().isoformat()} with `{COMMAND}` on the real pages other panels publish "
        "(`shared/realdocs-dev`, kept out of the repository) and our fixtures of the same kinds "
        "(`tests/resources/realworld`), each parsed alone without manifest metadata.",
        "",
        format_table(sets),
        "",
        "Paired: labelled exchanges found as one exchange record of their own (question and answer; a question "
        "record for an unanswered one). Asker, body, item, exchange date: the citation of that record (or of the "
        "best record holding the question). Date precision: records citing the right meeting date / records citing "
        "a date; recall: right / records whose meeting date is known; wrong dates: records citing a date that is "
        "not their meeting's. Coverage: share of the documents' words quoted by some record.",
        "",
        "### Failures",
        "",
    ]
    lines += [f"- {f}" for f in failures] or ["None."]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Score extraction on the labelled sets; print the table and failures, or JSON; optionally write Markdown."""
    parser = argparse.ArgumentParser(description="Score the parsers on labelled real pages and fixtures.")
    parser.add_argument(
        "--realdocs",
        type=Path,
        default=None,
        help="real pages (default: $PANEL_SEARCH_REALDOCS or ../shared/realdocs-dev)",
    )
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--write", type=Path, help="write a Markdown section here (e.g. evaluation/EXTRACTION.md)")
    parser.add_argument("--append", type=Path, help="append the Markdown section to this file (evaluation/RESULTS.md)")
    args = parser.parse_args(argv)
    try:
        sets = run(args.realdocs or default_realdocs(), args.fixtures)
    except LabelError as exc:
        print(f"labels problem: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(to_json(sets), indent=2, ensure_ascii=False))
    else:
        print(format_table(sets))
        failures = failure_lines(sets[:-1])
        print("\nFailures:" if failures else "\nNo failures.")
        for f in failures:
            print(f"  {f}")
    if args.write:
        args.write.write_text(markdown(sets), encoding="utf-8")
        print(f"\nwrote {args.write}", file=sys.stderr if args.json else sys.stdout)
    if args.append:
        with args.append.open("a", encoding="utf-8") as handle:
            handle.write("\n" + markdown(sets))
        print(f"\nappended to {args.append}", file=sys.stderr if args.json else sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
