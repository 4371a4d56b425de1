#!/usr/bin/env python3
"""Check labels.jsonl and queries.jsonl of this blind batch (stdlib only).

Every page file has exactly one label line; every needle (q, a, dates_by_needle keys)
is 5-12 words, lies on one line and occurs exactly once in its file; dates are
YYYY-MM-DD or null; every query's `contains` occurs (on one line) in its document.
Run from anywhere:  python3 check_labels.py
"""
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
errors = []


def err(msg):
    errors.append(msg)


def check_needle(doc, text, needle, what, exact_once=True, check_len=True):
    if not isinstance(needle, str) or not needle:
        err(f"{doc}: {what}: empty or not a string: {needle!r}")
        return
    if "\n" in needle:
        err(f"{doc}: {what}: needle spans lines: {needle!r}")
    n = len(needle.split())
    if check_len and not 5 <= n <= 12:
        err(f"{doc}: {what}: {n} words (need 5-12): {needle!r}")
    count = text.count(needle)
    if exact_once and count != 1:
        err(f"{doc}: {what}: occurs {count} times: {needle!r}")
    if not exact_once and count < 1:
        err(f"{doc}: {what}: not found: {needle!r}")
    if count and not any(needle in line for line in text.splitlines()):
        err(f"{doc}: {what}: not on one line: {needle!r}")


pages = sorted(p.name for p in HERE.glob("*.txt"))
labels = [json.loads(l) for l in (HERE / "labels.jsonl").open(encoding="utf-8") if l.strip()]
docs = [l["doc"] for l in labels]
if sorted(docs) != pages:
    err(f"label docs {sorted(docs)} != page files {pages}")
if len(set(docs)) != len(docs):
    err("duplicate label lines")

n_ex = 0
for l in labels:
    doc = l["doc"]
    path = HERE / doc
    if not path.exists():
        continue
    text = path.read_text(encoding="utf-8")
    if l.get("date") is not None and not DATE.match(l["date"]):
        err(f"{doc}: bad date {l['date']!r}")
    if not isinstance(l.get("body_ok"), list) or not l["body_ok"]:
        err(f"{doc}: body_ok must be a non-empty list")
    else:
        never_named = None in l["body_ok"]  # page never names the body: names listed are the true panel's
        for b in l["body_ok"]:
            if b is not None and not never_named and b not in text:
                err(f"{doc}: body name not in text: {b!r}")
    for it in l.get("item_ok", []):
        if it not in text:
            err(f"{doc}: item {it!r} not printed in text")
    for i, e in enumerate(l["exchanges"]):
        n_ex += 1
        if set(e) - {"asker", "q", "a", "date", "item"}:
            err(f"{doc}: exchange {i}: unexpected keys {sorted(e)}")
        if e.get("asker") is not None and e["asker"] not in text:
            err(f"{doc}: exchange {i}: asker {e['asker']!r} not in text")
        check_needle(doc, text, e["q"], f"exchange {i} q")
        if e.get("a") is not None:
            check_needle(doc, text, e["a"], f"exchange {i} a")
    for needle, d in l.get("dates_by_needle", {}).items():
        check_needle(doc, text, needle, "dates_by_needle")
        if not DATE.match(d):
            err(f"{doc}: dates_by_needle bad date {d!r}")

queries = [json.loads(l) for l in (HERE / "queries.jsonl").open(encoding="utf-8") if l.strip()]
qids = [q["qid"] for q in queries]
if len(set(qids)) != len(qids):
    err("duplicate qids")
label_by_doc = {l["doc"]: l for l in labels}
for q in queries:
    if q.get("style") not in ("paraphrase", "keyword", "question_form"):
        err(f"{q['qid']}: bad style {q.get('style')!r}")
    for r in q["relevant"]:
        doc = r["document"]
        if doc not in label_by_doc:
            err(f"{q['qid']}: unknown document {doc}")
            continue
        text = (HERE / doc).read_text(encoding="utf-8")
        check_needle(doc, text, r["contains"], f"{q['qid']} contains", exact_once=False, check_len=False)
        md = r.get("meeting_date")
        if md is not None and not DATE.match(md):
            err(f"{q['qid']}: bad meeting_date {md!r}")
        if md != label_by_doc[doc].get("date") and not label_by_doc[doc].get("dates_by_needle"):
            err(f"{q['qid']}: meeting_date {md!r} differs from page date {label_by_doc[doc].get('date')!r}")

if errors:
    print("\n".join(errors))
    print(f"FAILED: {len(errors)} problem(s)")
    sys.exit(1)
print(f"ok: {len(labels)} pages, {n_ex} exchanges, {len(queries)} queries")
