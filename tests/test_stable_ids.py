"""Stable record ids (from place, kept across rebuilds by alike text) and redirects from the ids a rebuild retires."""

from __future__ import annotations

import dataclasses
import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from indexer.encode.embed import Embedder
from indexer.index.build import build_index
from indexer.index.generations import resolve
from indexer.index.manifest import STORE_FILE
from indexer.index.redirects import SAME_RECORD, keep_ids, redirects
from indexer.index.store import MetadataStore
from indexer.reading import parse
from indexer.reading.citing import RecordFactory
from indexer.reading.parse import DocumentMeta
from indexer.records import Citation, Location, Record, exchange_id, record_id
from search_api.app import create_app
from search_api.retrieval import Searcher
from search_api.settings import Settings

from .conftest import CORPUS, FIXTURE_CORPUS, REPO

CACHE = REPO / "var" / "cache" / "embeddings.sqlite"
PACK = "corpus/004_493deb871b5b5d45.txt"
MINUTES = "corpus/002_a9d4d027fef12851.txt"
TOKEN = "s3cret-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}

Make = Callable[..., Record]


# ---- the pure redirect rule, on small records


def _record(
    rid: str, text: str, *, item: str | None = "5", kind: str = "minute", doc: str = "d.txt", line: int = 1
) -> Record:
    citation = Citation(None, "2023-03-06", item, None, None, None, None, doc, Location((line, line)), "label")
    return Record(id=rid, kind=kind, text=text, citation=citation)  # type: ignore[arg-type]


LONG = "The Commissioner said the new rural crime team of eight officers would start work in April."
OTHER = "Members asked about the cost of the control room and were told it was within the budget."


def test_a_retired_id_redirects_to_its_text_in_the_same_document_and_kind() -> None:
    old = [_record("a", LONG), _record("b", OTHER)]
    new = [_record("b", OTHER), _record("c", LONG.replace("eight", "8"))]
    assert redirects(old, {}, new) == {"a": "c"}
    # Another document or another kind is never the same record.
    assert redirects(old, {}, [_record("b", OTHER), _record("c", LONG, doc="e.txt")]) == {}
    assert redirects(old, {}, [_record("b", OTHER), _record("c", LONG, kind="report_section")]) == {}


def test_too_different_text_gets_no_redirect() -> None:
    old = [_record("a", LONG)]
    assert redirects(old, {}, [_record("c", OTHER)]) == {}
    halved = LONG[: len(LONG) // 2]
    assert redirects(old, {}, [_record("c", halved)]) == {}  # ratio 67 < SAME_RECORD
    assert SAME_RECORD == 85


def test_the_same_item_is_preferred_and_a_record_still_at_its_own_id_is_nobodys_successor() -> None:
    old = [_record("a", LONG, item="6"), _record("k", LONG, item="7")]
    new = [_record("k", LONG, item="7"), _record("x", LONG, item="5"), _record("y", LONG + " Noted.", item="6")]
    # "k" still holds its text, so it is not where "a" went; of the rest, the same item wins over a closer text.
    assert redirects(old, {}, new) == {"a": "y"}


def test_old_redirects_compose_and_vanish_with_their_target() -> None:
    old = [_record("b", LONG), _record("d", OTHER)]
    new = [_record("c", LONG), _record("e", "Something else entirely, unlike any old text.")]
    got = redirects(old, {"a": "b", "z": "d", "q": "e"}, new)
    # a -> b, b -> c: a -> c. z -> d, d gone with no match: dropped. q -> e, e is a record now: kept.
    assert got == {"b": "c", "a": "c", "q": "e"}
    # An id that names a record again needs no redirect.
    assert redirects(old, {"a": "b"}, [*new, _record("a", "A new paragraph.")]) == {"b": "c"}


def test_record_id_is_the_place_and_never_the_text() -> None:
    one = record_id("d.txt", "minute", "Panel", "2023-03-06", "45/22", None, 0)
    assert len(one) == 16 and set(one) <= set("0123456789abcdef")
    assert one != record_id("d.txt", "minute", "Panel", "2023-03-06", "45/22", None, 1)
    assert one != record_id("d.txt", "minute", "Panel", "2023-03-06", "45/22", "", 0)  # None is not ""
    assert one != record_id("d.txt", "minute", None, "2023-03-06", "45/22", None, 0)


# ---- keeping ids across rebuilds, on small records


def _placed(text: str, ordinal: int, *, item: str = "5", kind: str = "minute", **changes: Any) -> Record:
    """A record with the id its place and ordinal give, as the record factory makes it."""
    rid = record_id("d.txt", kind, None, "2023-03-06", item, None, ordinal)
    return dataclasses.replace(_record(rid, text, item=item, kind=kind, line=ordinal + 1), **changes)


def _exchange(question: Record, answer: Record) -> Record:
    parts = (question.id, answer.id)
    return dataclasses.replace(
        _record(exchange_id(parts), f"{question.text} {answer.text}"), kind="exchange", part_ids=parts
    )


def test_a_record_read_before_the_others_of_its_place_shifts_no_id() -> None:
    old = [_placed(LONG, 0), _placed(OTHER, 1)]
    new = [_placed("A figure caption.", 0), _placed(LONG.replace("eight", "8"), 1), _placed(OTHER, 2)]
    kept = keep_ids(old, new)
    # The shifted records keep their old ids; the inserted one takes neither, nor its place id
    # (the old first record, still here, holds it), but the place's next unused ordinal.
    assert [r.id for r in kept[1:]] == [old[0].id, old[1].id]
    assert kept[0].id == record_id("d.txt", "minute", None, "2023-03-06", "5", None, 3)
    assert redirects(old, {}, kept) == {}
    # Reading it again pairs every record with itself; reading it no more gives the old ids back.
    assert [r.id for r in keep_ids(kept, new)] == [r.id for r in kept]
    assert [r.id for r in keep_ids(kept, [_placed(LONG, 0), _placed(OTHER, 1)])] == [old[0].id, old[1].id]


def test_parents_parts_and_exchanges_follow_the_kept_ids() -> None:
    q, a = _placed(LONG, 0, kind="question"), _placed(OTHER, 0, kind="answer")
    a = dataclasses.replace(a, parent_id=q.id)
    old = [q, a, _exchange(q, a)]
    extra = _placed("Is this a question?", 0, kind="question")
    q2 = _placed(LONG, 1, kind="question")
    a2 = dataclasses.replace(a, parent_id=q2.id)
    kept = keep_ids(old, [extra, q2, a2, _exchange(q2, a2)])
    by_text = {(r.kind, r.text): r for r in kept}
    assert by_text["question", LONG].id == q.id and by_text["answer", OTHER].parent_id == q.id
    exchange = next(r for r in kept if r.kind == "exchange")
    assert exchange.id == old[2].id and exchange.part_ids == (q.id, a.id)
    assert by_text["question", "Is this a question?"].id not in {r.id for r in old}


def test_a_record_that_moved_leaves_its_id_to_redirect_and_a_rewritten_one_keeps_it() -> None:
    old = [_placed(LONG, 0), _placed(OTHER, 0, item="7")]
    # LONG moved to item 6; item 5 reads an unrelated paragraph in its place; item 7's is re-read past recognition.
    moved, other, rewritten = (
        _placed(LONG, 0, item="6"),
        _placed("Apologies were received.", 0),
        _placed("Noted.", 0, item="7"),
    )
    kept = keep_ids(old, [other, moved, rewritten])
    assert kept[0].id not in {r.id for r in old} and kept[1].id == moved.id and kept[2].id == old[1].id
    assert redirects(old, {}, kept) == {old[0].id: moved.id}


# ---- the real corpus, under simulated reader changes


def _build(index: Path, embedder: Embedder) -> None:
    # A copy of the shared embedding cache, so texts a simulated reader makes up never enter it.
    cache = index.parent / "embeddings.sqlite"
    if not cache.exists() and CACHE.exists():
        shutil.copyfile(CACHE, cache)
    build_index([CORPUS], index, embedder, root=REPO, cache_path=cache, force=True)


@pytest.fixture()
def reader(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Knobs for a simulated reader change, applied to every document parsed while set.

    extra_before: {(document, reference, first line)}: the reader reads one more record just
        before each record (not exchange) of that place starting on that line (so it takes that ordinal).
    extra_reference: the reference the extra paragraph is read under, when not the same place.
    drop: texts of records the reader no longer finds.
    reference: {old reference: new reference} the reader now writes.
    rewrite: (phrase, replacement): the reader now reads a phrase of the text differently.
    """
    knobs: dict[str, Any] = {
        "extra_before": set(),
        "extra_reference": None,
        "drop": (),
        "reference": {},
        "rewrite": None,
    }
    extras: list[Record] = []
    original_make: Make = RecordFactory.make

    def make(self: RecordFactory, kind: Any, first: int, last: int, meeting: Any, **kw: Any) -> Record:
        kw["reference"] = knobs["reference"].get(kw.get("reference"), kw.get("reference"))
        if knobs["rewrite"]:
            text = kw.get("text")
            if text is None:
                text = self.doc.quote(*self.doc.location(first, last).lines)
            kw["text"] = text.replace(*knobs["rewrite"])
        if kind != "exchange" and (self.doc.name, kw.get("reference"), first) in knobs["extra_before"]:
            extra = dict(kw, text="A figure caption the old reader took for a paragraph.")
            extra["reference"] = knobs["extra_reference"] or kw.get("reference")
            extras.append(original_make(self, kind, first, first, meeting, **extra))
        return original_make(self, kind, first, last, meeting, **kw)

    original_parse = parse.parse_document

    def parse_document(doc: Any, meta: Any = None) -> tuple[list[Record], Any]:
        extras.clear()
        records, report = original_parse(doc, meta)
        records = [r for r in records if r.text not in knobs["drop"]]
        return extras + records, report

    monkeypatch.setattr(RecordFactory, "make", make)
    monkeypatch.setattr(parse, "parse_document", parse_document)
    yield knobs


def _records(index: Path) -> dict[str, Record]:
    store = MetadataStore(resolve(index) / STORE_FILE)
    try:
        return {r.id: r for _, r, _ in store.load_all()}
    finally:
        store.close()


def _redirects(index: Path) -> dict[str, str]:
    store = MetadataStore(resolve(index) / STORE_FILE)
    try:
        return store.redirects()
    finally:
        store.close()


def _client(index: Path, embedder: Embedder, **settings: Any) -> TestClient:
    config = Settings(index_dir=index, **settings)
    return TestClient(create_app(config, searcher=Searcher(index, embedder)), follow_redirects=False)


def test_ids_do_not_depend_on_text(
    corpus_searcher: Searcher, tmp_path: Path, reader: dict[str, Any], embedder: Embedder
) -> None:
    # A reader that reads one word differently changes the text of every record quoting it.
    reader["rewrite"] = ("Commissioner", "Commissioner (PCC)")
    _build(tmp_path / "index", embedder)
    before = _records(corpus_searcher.index_dir)
    after = _records(tmp_path / "index")
    assert after.keys() == before.keys()
    changed = [rid for rid, r in after.items() if r.text != before[rid].text]
    assert len(changed) > 20 and all("Commissioner (PCC)" in after[rid].text for rid in changed)
    assert {after[rid].kind for rid in changed} >= {"question", "exchange", "minute", "report_section"}
    assert _redirects(tmp_path / "index") == {}


def _consistent(records: dict[str, Record]) -> None:
    """Every parent and part named resolves; every exchange's parts are its question and answer."""
    for r in records.values():
        assert r.parent_id is None or r.parent_id in records, r
        assert all(p in records for p in r.part_ids), r
        if r.kind == "exchange":
            assert r.text == "\n\n".join(records[p].text for p in r.part_ids)


def test_a_record_read_before_others_of_its_place_keeps_every_old_id(
    tmp_path: Path, reader: dict[str, Any], embedder: Embedder
) -> None:
    # Today's reader, then one that reads a record before the question of minute 45/22 (so its
    # answer, supplementary question and exchange name it by id) and before the two p. 15 paragraphs.
    index = tmp_path / "index"
    _build(index, embedder)
    first = _records(index)
    reader["extra_before"] = {(MINUTES, "Question 1", 204), (PACK, "p. 15", 395)}
    _build(index, embedder)
    second = _records(index)
    # Every old id still names the same text; the two records read now get ids never used.
    assert first.keys() <= second.keys()
    assert all(second[rid].text == r.text and second[rid].part_ids == r.part_ids for rid, r in first.items())
    added = [second[rid] for rid in second.keys() - first.keys()]
    assert sorted((r.citation.document, r.kind) for r in added) == [(MINUTES, "question"), (PACK, "report_section")]
    assert all(r.text.startswith("A figure caption") for r in added)
    assert _redirects(index) == {}
    _consistent(second)
    question = next(
        r
        for r in first.values()
        if r.citation.document == MINUTES
        and r.citation.item == "45/22"
        and r.citation.reference == "Question 1"
        and r.kind == "question"
    )
    # Its answer, supplementary question and the supplementary exchange name it; so does its exchange.
    assert sorted(r.kind for r in second.values() if r.parent_id == question.id) == [
        "answer",
        "exchange",
        "supplementary_question",
    ]
    assert [r.id for r in second.values() if question.id in r.part_ids] == [
        r.id for r in first.values() if question.id in r.part_ids
    ]
    # The same reader again: the same ids.
    _build(index, embedder)
    third = _records(index)
    assert third.keys() == second.keys() and all(third[rid].text == r.text for rid, r in second.items())
    assert _redirects(index) == {}
    # Today's reader again: today's ids; the records no longer read are gone (404), not redirected.
    reader["extra_before"] = set()
    _build(index, embedder)
    assert {rid: r.text for rid, r in _records(index).items()} == {rid: r.text for rid, r in first.items()}
    assert _redirects(index) == {}
    client = _client(index, embedder)
    assert all(client.get(f"/records/{r.id}").status_code == 404 for r in added)


def test_an_extra_paragraph_in_another_place_keeps_every_id(
    corpus_searcher: Searcher, tmp_path: Path, reader: dict[str, Any], embedder: Embedder
) -> None:
    # A paragraph read before the others of item 12I on p. 120, under a reference of its own.
    reader["extra_before"] = {(PACK, "p. 120", 7702)}
    reader["extra_reference"] = "figure 1"
    _build(tmp_path / "index", embedder)
    after = _records(tmp_path / "index")
    before = _records(corpus_searcher.index_dir)
    assert len(after) == len(before) + 1 and before.keys() <= after.keys()
    assert all(after[rid].text == r.text for rid, r in before.items())


@pytest.fixture()
def moved(tmp_path: Path, reader: dict[str, Any], embedder: Embedder) -> dict[str, Any]:
    """Three generations of one index: an old reader, today's reader, and a later one.

    1. The old reader read an extra paragraph before the two of p. 15 of the board pack
       (report sections with no item), and the declarations minute of 39/22 as today.
    2. Today's reader writes "page 15" for "p. 15", so both paragraphs move to another place
       and get new ids; it no longer reads the extra paragraph nor finds 39/22.
    3. A later reader writes "page fifteen": both paragraphs get new ids again.
    """
    index = tmp_path / "index"
    reader["extra_before"] = {(PACK, "p. 15", 395)}
    _build(index, embedder)
    first = _records(index)
    reader["extra_before"] = set()
    reader["drop"] = ("There were no declarations of interest.",)
    reader["reference"] = {"p. 15": "page 15"}
    _build(index, embedder)
    second = _records(index)
    reader["reference"] = {"p. 15": "page fifteen"}
    reader["drop"] = ()
    return {"index": index, "first": first, "second": second, "redirects2": _redirects(index), "reader": reader}


def _by_kind(
    redirects: dict[str, str], old: dict[str, Record], new: dict[str, Record]
) -> tuple[dict[str, str], dict[str, str]]:
    """The redirects of paragraphs, and those of the undertakings read from them (which move with them).

    An undertaking's redirect must lead to an undertaking quoting the same sentence.
    """
    undertakings = {o: n for o, n in redirects.items() if old[o].kind == "undertaking"}
    assert all(new[n].kind == "undertaking" and new[n].text == old[o].text for o, n in undertakings.items())
    return {o: n for o, n in redirects.items() if o not in undertakings}, undertakings


def _p15(records: dict[str, Record], reference: str = "p. 15") -> list[Record]:
    group = [r for r in records.values() if r.citation.document == PACK and r.citation.reference == reference]
    return sorted(group, key=lambda r: r.citation.location.lines)


def test_a_record_whose_place_changed_redirects_and_the_routes_answer_308(
    moved: dict[str, Any], embedder: Embedder
) -> None:
    first, second = _p15(moved["first"]), _p15(moved["second"], "page 15")
    assert len(first) == 3 and len(second) == 2 and not _p15(moved["second"])
    extra, a, b = first
    assert extra.text.startswith("A figure caption")
    assert [r.text for r in second] == [a.text, b.text]
    assert not {extra.id, a.id, b.id} & moved["second"].keys()
    # Each paragraph's old id leads to where it went; the paragraph no longer read leads nowhere.
    paragraphs, undertakings = _by_kind(moved["redirects2"], moved["first"], moved["second"])
    assert paragraphs == {a.id: second[0].id, b.id: second[1].id}
    # The action-log entries read from those paragraphs moved with them, and redirect too.
    read_from = {r.id for r in moved["first"].values() if r.kind == "undertaking" and r.parent_id in {a.id, b.id}}
    assert read_from and undertakings.keys() == read_from
    client = _client(moved["index"], embedder)
    response = client.get(f"/records/{b.id}")
    assert response.status_code == 308 and response.headers["location"] == f"/records/{second[1].id}"
    assert client.get(response.headers["location"]).json()["text"] == b.text
    page = client.get(f"/record/{b.id}")
    assert page.status_code == 308 and page.headers["location"] == f"/record/{second[1].id}"
    assert client.get(f"/record/{b.id}", follow_redirects=True).status_code == 200


def test_an_id_whose_record_disappeared_is_404(moved: dict[str, Any], embedder: Embedder) -> None:
    gone = [r for r in moved["first"].values() if r.text == "There were no declarations of interest."]
    gone += _p15(moved["first"])[:1]  # the extra paragraph
    assert len(gone) == 2
    client = _client(moved["index"], embedder)
    for record in gone:
        assert record.id not in moved["second"] and record.id not in moved["redirects2"]
        for url in (f"/records/{record.id}", f"/record/{record.id}"):
            response = client.get(url)
            assert response.status_code == 404 and "location" not in response.headers
        assert "no record with id" in client.get(f"/records/{record.id}").json()["detail"]


def test_redirects_chain_over_two_rebuilds(moved: dict[str, Any], embedder: Embedder) -> None:
    index = moved["index"]
    _build(index, embedder)  # the later reader: "page fifteen"
    third = _records(index)
    _, a, b = _p15(moved["first"])
    then, now = _p15(moved["second"], "page 15"), _p15(third, "page fifteen")
    assert [r.text for r in now] == [a.text, b.text] and not {r.id for r in now} & moved["second"].keys()
    kept, _ = _by_kind(_redirects(index), {**moved["first"], **moved["second"]}, third)
    # Today's ids redirect to the new ones, and the first generation's follow them (a -> b, b -> c: a -> c).
    assert kept == {a.id: now[0].id, b.id: now[1].id, then[0].id: now[0].id, then[1].id: now[1].id}
    client = _client(index, embedder)
    response = client.get(f"/records/{b.id}")
    assert response.status_code == 308 and response.headers["location"] == f"/records/{now[1].id}"


# ---- access: a restricted record is never revealed through a redirect

SECRET = """NORTHSHIRE POLICE AND CRIME PANEL

DATE: 6th March 2023

The zebracorn pilot for rural patrols would cost forty thousand pounds and is under review by the board.

The board will report on the zebracorn pilot to the panel in the summer, once the review has finished.
"""


def test_a_restricted_target_is_never_revealed_to_a_public_request(
    tmp_path: Path, reader: dict[str, Any], embedder: Embedder
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    (tmp_path / "drafts").mkdir()
    secret = tmp_path / "drafts" / "draft.txt"
    secret.write_text(SECRET, encoding="utf-8")
    index = tmp_path / "index"
    build_index([corpus], index, embedder, root=tmp_path)
    build_index([secret], index, embedder, root=tmp_path, meta=DocumentMeta(access="restricted"))
    before = [r for r in _records(index).values() if r.citation.document == "drafts/draft.txt"]
    assert before and all(r.access == "restricted" for r in before)
    # A reader change renames the references of the draft's paragraphs: their ids are retired.
    reader["reference"] = {r.citation.reference: f"{r.citation.reference} (re-read)" for r in before}
    build_index([secret], index, embedder, root=tmp_path, force=True, meta=DocumentMeta(access="restricted"))
    kept = _redirects(index)
    old = before[0]
    assert old.id in kept
    client = _client(index, embedder, admin_token=TOKEN)
    for url in (f"/records/{old.id}", f"/record/{old.id}"):
        public = client.get(url)
        assert public.status_code == 404 and "location" not in public.headers
        assert kept[old.id] not in public.text and "zebracorn" not in public.text
        admin = client.get(url, headers=ADMIN)
        assert admin.status_code == 308 and admin.headers["location"].endswith(kept[old.id])


def test_an_unreadable_live_generation_costs_its_redirects_not_the_build(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.copytree(FIXTURE_CORPUS, tmp_path / "corpus")
    build_index([tmp_path / "corpus"], tmp_path / "index", embedder, root=tmp_path)

    def broken(self: MetadataStore) -> list[tuple[int, Record, str]]:
        raise ValueError("unreadable record")

    monkeypatch.setattr(MetadataStore, "load_all", broken)
    with caplog.at_level(logging.WARNING, logger="panel_search.build"):
        summary = build_index([tmp_path / "corpus"], tmp_path / "index", embedder, root=tmp_path, force=True)
    assert summary.record_count > 0 and summary.generation == resolve(tmp_path / "index").name
    assert "old record ids get no redirects" in caplog.text
