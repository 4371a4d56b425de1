"""PDF, web page and Word ingestion, on renderings of the real corpus the tests build themselves.

Each bundled text document is typeset as a PDF (styled runs, wrapped lines, a running
header and a page-number footer on every page), written as a web page (the ModernGov
layout for the council's "Agenda and minutes" page) and, for the written responses, as a
Word file. Read back, each must give the same exchanges, askers, dates and item numbers
as the text, and a PDF's citations must name the pages their text is printed on.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pymupdf
import pytest
from fastapi.testclient import TestClient
from rapidfuzz import fuzz

from evaluation.renderings import (
    RUNNING_HEADER,
    PdfRendering,
    render_docx,
    render_html,
    render_moderngov_html,
    render_pdf,
    render_scanned_pdf,
)
from indexer.encode.embed import Embedder
from indexer.index.build import build_index
from indexer.index.generations import resolve
from indexer.index.manifest import STORE_FILE
from indexer.index.store import MetadataStore
from indexer.reading.document import DocumentError, SourceDocument
from indexer.reading.parse import parse_document, parse_path
from indexer.reading.readers import read_document
from indexer.reading.readers.docx import read_docx
from indexer.reading.readers.html import read_html
from indexer.reading.readers.pdf import read_pdf
from indexer.reading.text import clean_block, squash
from indexer.records import Record

from .conftest import CORPUS

DOCUMENTS = sorted(p.name for p in CORPUS.glob("*.txt"))
COUNCIL_PAGE = "002_a9d4d027fef12851.txt"
WRITTEN_RESPONSES = ["000_47ef9738533878f9.txt", "001_599e6919896aaf77.txt"]


def _key(record: Record) -> tuple[str, str | None, str | None, str | None, str | None]:
    c = record.citation
    return (record.kind, c.meeting_date, c.item, c.asker, c.reference)


@cache
def _text(name: str) -> tuple[SourceDocument, tuple[Record, ...]]:
    doc = read_document(CORPUS / name, name)
    records, report = parse_document(doc)
    assert report.error is None
    return doc, tuple(records)


@cache
def _pdf(name: str) -> tuple[PdfRendering, SourceDocument, tuple[Record, ...]]:
    rendering = render_pdf((CORPUS / name).read_text(encoding="utf-8"))
    doc = read_pdf(rendering.data, name.replace(".txt", ".pdf"))
    records, report = parse_document(doc)
    assert report.format == "pdf" and report.error is None
    return rendering, doc, tuple(records)


def _html(name: str) -> bytes:
    text = (CORPUS / name).read_text(encoding="utf-8")
    return render_moderngov_html(text) if name == COUNCIL_PAGE else render_html(text)


def _assert_same_records(text_records: tuple[Record, ...], other: list[Record] | tuple[Record, ...]) -> None:
    """Same questions, answers, exchanges and minutes, with the same askers, dates, items and references."""
    cited = [r for r in text_records if r.kind != "report_section"]
    assert cited, "the text version has cited records"
    assert Counter(map(_key, (r for r in other if r.kind != "report_section"))) == Counter(map(_key, cited))
    # Report sections are chunked by printed lines, which differ between formats; their meetings and items agree.
    sections = {(r.citation.meeting_date, r.citation.item) for r in text_records if r.kind == "report_section"}
    assert {(r.citation.meeting_date, r.citation.item) for r in other if r.kind == "report_section"} == sections
    # And the words quoted are the text's words (the PDF fonts lack a few characters, hence not equality).
    counterparts = _in_order(cited, other)
    for record in cited:
        assert fuzz.ratio(squash(record.text), squash(counterparts[record.id].text)) > 97, _key(record)


def _in_order(records: Sequence[Record], other: Sequence[Record]) -> dict[str, Record]:
    """Each record's counterpart in another rendering: the record of the same place (kind, date, item, reference,
    asker) at the same position among those of that place (an item may have a minute before and after an exchange)."""
    by_key: dict[tuple[str, str | None, str | None, str | None, str | None], list[Record]] = {}
    for r in other:
        by_key.setdefault(_key(r), []).append(r)
    seen: Counter[tuple[str, str | None, str | None, str | None, str | None]] = Counter()
    out: dict[str, Record] = {}
    for record in records:
        key = _key(record)
        out[record.id] = by_key[key][seen[key]]
        seen[key] += 1
    return out


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pdf_rendering_gives_the_records_of_the_text(name: str) -> None:
    _, text_records = _text(name)
    _, _, pdf_records = _pdf(name)
    _assert_same_records(text_records, pdf_records)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pdf_citations_start_and_end_on_text_and_quote_it(name: str) -> None:
    _, doc, records = _pdf(name)
    for record in records:
        first, last = record.citation.location.lines
        assert not doc.blank(first) and not doc.blank(last), (record.citation.label, first, last)
        if record.kind != "exchange":
            assert doc.contains_quote(first, last, record.text), record.citation.label


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pdf_citations_name_the_pages_the_text_is_printed_on(name: str) -> None:
    text_doc, text_records = _text(name)
    rendering, _, pdf_records = _pdf(name)
    counterparts = _in_order([r for r in text_records if r.kind != "report_section"], pdf_records)
    pdf = pymupdf.open(stream=rendering.data, filetype="pdf")
    page_text = [squash(page.get_text()) for page in pdf]
    checked = 0
    for record in text_records:
        if record.kind == "report_section":
            continue
        first, last = record.citation.location.lines
        content = [n for n in range(first, last + 1) if n not in text_doc.debris and text_doc.line(n).strip()]
        pdf_record = counterparts[record.id]
        location = pdf_record.citation.location
        # The page the renderer typeset the record's first and last lines on…
        assert location.page == rendering.page_of_line[content[0]], _key(record)
        assert location.last_page == rendering.last_page_of_line[content[-1]], _key(record)
        # …and, read independently of the reader, the record's opening words are printed on that page.
        opening = " ".join(clean_block(pdf_record.text).split()[:6])
        assert opening in page_text[location.page - 1], (_key(record), opening)
        checked += 1
    assert checked == len([r for r in text_records if r.kind != "report_section"])


@pytest.mark.parametrize("name", DOCUMENTS)
def test_html_rendering_gives_the_records_of_the_text(name: str) -> None:
    _, text_records = _text(name)
    doc = read_html(_html(name), name.replace(".txt", ".html"))
    records, report = parse_document(doc)
    assert report.format == "html" and report.error is None
    _assert_same_records(text_records, records)
    # Page furniture is not document text.
    assert not any("Skip to main content" in line or "Cookies" in line for line in doc.lines)
    assert not any("pageScriptMarker" in line for line in doc.lines)


@pytest.mark.parametrize("name", WRITTEN_RESPONSES)
def test_word_rendering_gives_the_records_of_the_text(name: str) -> None:
    _, text_records = _text(name)
    doc = read_docx(render_docx((CORPUS / name).read_text(encoding="utf-8")), name.replace(".txt", ".docx"))
    records, report = parse_document(doc)
    assert report.format == "docx" and report.error is None
    _assert_same_records(text_records, records)


def test_a_word_board_pack_is_read_as_a_board_pack() -> None:
    """A pack of reports with cover sheets is a board pack without pages too (it was once read as minutes)."""
    name = "004_493deb871b5b5d45.txt"
    _, text_records = _text(name)
    doc = read_docx(render_docx((CORPUS / name).read_text(encoding="utf-8")), name.replace(".txt", ".docx"))
    records, report = parse_document(doc)
    assert report.layout == "board_pack" and doc.page_of_line is None
    cited = [r for r in text_records if r.kind != "report_section"]
    assert Counter(map(_key, (r for r in records if r.kind != "report_section"))) == Counter(map(_key, cited))
    # Without pages a few report sections are cut differently; nearly all of them are there.
    assert len(records) >= 0.95 * len(text_records)


def test_the_council_page_is_read_from_its_markup() -> None:
    """Meeting line, item numbers and minute blocks come from the ModernGov markup."""
    doc = read_html(_html(COUNCIL_PAGE), "minutes.html")
    assert "## Derbyshire Police and Crime Panel - Thursday, 17 November 2022 10.00 am" in doc.lines[:6]
    numbers = [line for line in doc.lines if re.fullmatch(r"\d+/22", line)]
    assert numbers == [f"{n}/22" for n in range(39, 50)]
    records, _ = parse_document(doc)
    minutes = {r.citation.item for r in records if r.kind == "minute"}
    assert {"39/22", "40/22", "41/22"} <= minutes
    assert all(r.citation.meeting_date == "2022-11-17" for r in records)


def test_running_headers_and_page_numbers_are_not_quoted() -> None:
    _, doc, records = _pdf("004_493deb871b5b5d45.txt")
    assert doc.page_of_line is not None and max(doc.page_of_line) > 100
    headers = [n for n, line in enumerate(doc.lines, start=1) if line == RUNNING_HEADER]
    footers = [n for n, line in enumerate(doc.lines, start=1) if re.fullmatch(r"Page \d+", line)]
    assert len(headers) == len(footers) == max(doc.page_of_line)
    assert set(headers) | set(footers) <= doc.debris
    for record in records:
        assert RUNNING_HEADER not in record.text.split() and not re.search(r"\bPage \d+\b", record.text)


def test_a_paragraph_over_a_page_break_stays_whole() -> None:
    filler = "\n\n".join(f"Paragraph {n} of the preamble." for n in range(1, 25))
    long = " ".join(f"word{n}" for n in range(1, 400)) + "."
    rendering = render_pdf(f"{filler}\n\n{long}\n\nThe end.\n")
    doc = read_pdf(rendering.data, "long.pdf")
    first = next(n for n, line in enumerate(doc.lines, start=1) if line.startswith("word1 "))
    last = next(n for n, line in enumerate(doc.lines, start=1) if "word399." in line)
    assert doc.page(first) != doc.page(last), "the paragraph runs over a page break"
    between = range(first, last + 1)
    assert all(doc.line(n).strip() for n in between), "no paragraph break inside it"
    assert squash(doc.quote(first, last)) == long
    # A paragraph that ends at a page's foot is still a paragraph of its own.
    assert doc.line(last + 1) == "" and doc.line(last + 2) == "The end."


def test_two_columns_are_read_one_after_the_other() -> None:
    name = "001_599e6919896aaf77.txt"
    rendering = render_pdf((CORPUS / name).read_text(encoding="utf-8"), columns=2)
    doc = read_pdf(rendering.data, "columns.pdf")
    records, _ = parse_document(doc)
    _assert_same_records(_text(name)[1], records)
    # A paragraph that runs from the foot of the left column to the top of the right one stays whole.
    filler = "\n\n".join(f"Paragraph {n} of the preamble, which runs on for a line or two. " * 3 for n in range(1, 9))
    long = " ".join(f"word{n}" for n in range(1, 300)) + "."
    doc = read_pdf(render_pdf(f"{filler}\n\n{long}\n\nThe end.\n", columns=2).data, "flow.pdf")
    first = next(n for n, line in enumerate(doc.lines, start=1) if line.startswith("word1 "))
    last = next(n for n, line in enumerate(doc.lines, start=1) if "word299." in line)
    assert squash(doc.quote(first, last)) == long


def test_a_slanted_watermark_is_not_text() -> None:
    name = "001_599e6919896aaf77.txt"
    rendering = render_pdf((CORPUS / name).read_text(encoding="utf-8"), watermark="DRAFT")
    assert "DRAFT" in pymupdf.open(stream=rendering.data, filetype="pdf")[0].get_text()  # it is in the text layer
    doc = read_pdf(rendering.data, "draft.pdf")
    assert not any("DRAFT" in line for line in doc.lines)
    records, _ = parse_document(doc)
    _assert_same_records(_text(name)[1], records)


def test_italic_and_bold_are_read_from_the_fonts() -> None:
    _, doc, _ = _pdf("000_47ef9738533878f9.txt")
    # The members' questions are set in italics; the reader marks them as the text version does.
    assert any(line.startswith("- 2.1 *Given the potential") for line in doc.lines)
    _, doc, _ = _pdf("001_599e6919896aaf77.txt")
    assert "**Question 2: from Cllr H Dhindsa**" in doc.lines
    assert "# POLICE AND CRIME PANEL MEETING" in doc.lines  # the largest type is the title


# Files that must fail alone, with a clear outcome in the ingest report.


@pytest.fixture(scope="module")
def awkward_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("awkward") / "corpus"
    folder.mkdir()
    text = (CORPUS / "001_599e6919896aaf77.txt").read_text(encoding="utf-8")
    good = render_pdf(text).data
    (folder / "response.pdf").write_bytes(good)
    (folder / "scanned.pdf").write_bytes(render_scanned_pdf(text))
    (folder / "encrypted.pdf").write_bytes(render_pdf(text, encrypt_password="s3cret").data)
    (folder / "permissions-only.pdf").write_bytes(render_pdf(text, encrypt_password="").data)
    (folder / "truncated.pdf").write_bytes(good[: len(good) * 2 // 3])
    (folder / "not-really.pdf").write_bytes(b"<html><body>Sorry, page not found</body></html>")
    page = _html(COUNCIL_PAGE).decode("utf-8")
    (folder / "minutes-1252.html").write_bytes(render_moderngov_html_1252(page, declare=True))
    (folder / "minutes-undeclared.html").write_bytes(render_moderngov_html_1252(page, declare=False))
    (folder / "minutes-latin1-label.html").write_bytes(
        render_moderngov_html_1252(page, declare=True).replace(b"charset=windows-1252", b"charset=iso-8859-1")
    )
    (folder / "draft.docx").write_bytes(render_docx(text))
    (folder / "old-draft.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    (folder / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    return folder


def render_moderngov_html_1252(page: str, *, declare: bool) -> bytes:
    """The council page as a legacy Windows-1252 page, with or without a declared charset."""
    text = page.replace('content="text/html; charset=utf-8"', 'content="text/html; charset=windows-1252"')
    if not declare:
        text = re.sub(r"<meta http-equiv[^>]*>", "", text)
    return text.encode("windows-1252")


def test_each_awkward_file_gets_its_outcome_and_spoils_nothing(
    awkward_corpus: Path, tmp_path: Path, embedder: Embedder
) -> None:
    summary = build_index(
        [awkward_corpus], tmp_path / "index", embedder, root=awkward_corpus.parent, cache_path=tmp_path / "c.sqlite"
    )
    reports = {r.document.removeprefix("corpus/"): r for r in summary.reports}
    errors = {name: r.error for name, r in reports.items() if r.error}
    assert set(errors) == {"scanned.pdf", "encrypted.pdf", "truncated.pdf", "not-really.pdf", "locked.docx"}
    assert "no text layer" in errors["scanned.pdf"] and "OCR" in errors["scanned.pdf"]
    assert "encrypted with a password" in errors["encrypted.pdf"]
    assert "truncated" in errors["truncated.pdf"]
    assert "not a PDF" in errors["not-really.pdf"]
    assert "password-protected or pre-2007" in errors["locked.docx"]
    assert any(
        s.startswith("corpus/old-draft.doc: unsupported file type .doc") and ".docx" in s for s in summary.skipped
    )
    # A PDF locked only against editing opens without a password, as it does in any viewer.
    assert reports["permissions-only.pdf"].error is None and reports["permissions-only.pdf"].records_by_kind
    for name in ("response.pdf", "draft.docx"):
        assert reports[name].error is None and reports[name].warnings == [], name
    for name in ("minutes-1252.html", "minutes-latin1-label.html"):  # declared, so nothing was guessed
        assert reports[name].error is None and not any("encoding" in w for w in reports[name].warnings), name
    # Legacy encodings: declared or not, the pound signs and curly apostrophes come through.
    indexed = {d.path.removeprefix("corpus/"): d for d in summary.manifest.documents}
    assert {"response.pdf", "permissions-only.pdf", "draft.docx"} <= set(indexed)
    assert "the page declares no character encoding" in " ".join(reports["minutes-undeclared.html"].warnings)
    store = MetadataStore(resolve(summary.index_dir) / STORE_FILE)
    for name in ("minutes-1252.html", "minutes-undeclared.html", "minutes-latin1-label.html"):
        text = store.document(f"corpus/{name}")
        assert text is not None, name
        joined = "\n".join(text.lines)
        assert "PCC’s report" in joined and "Â" not in joined and "\x92" not in joined, name
    assert indexed["response.pdf"].format == "pdf" and indexed["draft.docx"].format == "docx"


def test_a_partly_scanned_pdf_is_indexed_with_its_scanned_pages_named() -> None:
    text = (CORPUS / "001_599e6919896aaf77.txt").read_text(encoding="utf-8")
    pdf = pymupdf.open(stream=render_pdf(text).data, filetype="pdf")
    pdf.insert_pdf(pymupdf.open(stream=render_scanned_pdf(text, pages=3), filetype="pdf"))
    doc = read_pdf(pdf.tobytes(), "mixed.pdf")
    assert doc.warnings == ["page(s) 3-5 have no text layer (scanned images): not indexed"]
    records, _ = parse_document(doc)
    _assert_same_records(_text("001_599e6919896aaf77.txt")[1], records)


def test_readers_refuse_what_they_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="not a Word"):
        read_docx(b"plain text", "x.docx")
    with pytest.raises(DocumentError, match="damaged"):
        read_docx(b"PK\x03\x04" + b"\x00" * 50, "x.docx")
    with pytest.raises(DocumentError, match=r"no HTML markup|no text"):
        read_html(b"just words, no markup", "x.html")
    (tmp_path / "empty.pdf").write_bytes(b"")
    with pytest.raises(DocumentError, match="empty"):
        read_document(tmp_path / "empty.pdf", "empty.pdf")
    records, report = parse_path(tmp_path / "empty.pdf", "empty.pdf")
    assert records == [] and report.format == "pdf" and "empty" in (report.error or "")


def test_word_tracked_changes_read_as_accepted() -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.oxml.xmlchemy import BaseOxmlElement

    def tracked(change: str, text_tag: str, text: str, change_id: str) -> BaseOxmlElement:
        """A run of text inside a tracked insertion (w:ins) or deletion (w:del)."""
        element = OxmlElement(change)
        element.set(qn("w:id"), change_id)
        element.set(qn("w:author"), "OPCC")
        run = OxmlElement("w:r")
        run_text = OxmlElement(text_tag)
        run_text.text = text
        run.append(run_text)
        element.append(run)
        return element

    document = docx.Document()
    paragraph = document.add_paragraph("The budget rises by ")
    paragraph._p.append(tracked("w:del", "w:delText", "2 per cent", "1"))
    paragraph._p.append(tracked("w:ins", "w:t", "3.5 per cent", "2"))
    buffer = io.BytesIO()
    document.save(buffer)
    doc = read_docx(buffer.getvalue(), "draft.docx")
    assert doc.lines == ["The budget rises by 3.5 per cent"]
    assert any("tracked changes" in w for w in doc.warnings)


# Served: citations with pages, the text read from each file, and the original file.


@pytest.fixture(scope="module")
def formats_client(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> tuple[TestClient, Path]:
    from search_api.app import create_app
    from search_api.settings import Settings

    root = tmp_path_factory.mktemp("formats")
    corpus = root / "corpus"
    corpus.mkdir()
    response = (CORPUS / "000_47ef9738533878f9.txt").read_text(encoding="utf-8")
    (corpus / "response.pdf").write_bytes(render_pdf(response).data)
    (corpus / "minutes.html").write_bytes(_html(COUNCIL_PAGE))
    (corpus / "draft.docx").write_bytes(render_docx((CORPUS / "001_599e6919896aaf77.txt").read_text(encoding="utf-8")))
    (corpus / "secret.pdf").write_bytes(render_pdf("RESTRICTED BRIEFING\n\nThe covert budget is 7 million.\n").data)
    (corpus / "manifest.toml").write_text('[documents."secret.pdf"]\naccess = "restricted"\n')
    summary = build_index([corpus], root / "index", embedder, root=root, cache_path=root / "c.sqlite")
    assert all(r.error is None for r in summary.reports)
    from search_api.retrieval import Searcher

    searcher = Searcher(root / "index", embedder)
    app = create_app(Settings(index_dir=root / "index", admin_token="t0ken"), searcher=searcher)
    return TestClient(app), corpus


def test_pdf_results_cite_pages_and_open_the_original(formats_client: tuple[TestClient, Path]) -> None:
    client, corpus = formats_client
    hits = client.get("/search", params={"q": "review of the illegal drugs trade", "k": 3}).json()["results"]
    top = hits[0]
    assert top["citation"]["document"] == "corpus/response.pdf" and top["citation"]["asker"] == "Cllr J Frudd"
    location = top["citation"]["location"]
    page = location["page"]
    assert page >= 1 and location["last_page"] >= page
    record = client.get(f"/record/{top['id']}").text
    assert "corpus/response.pdf, p" in record and f'href="/originals/corpus/response.pdf#page={page}"' in record
    first, last = location["lines"]
    view = client.get("/documents/corpus/response.pdf", params={"lines": f"{first}-{last}"})
    assert view.status_code == 200 and f'id="page-{page}"' in view.text and "Open the original" in view.text
    header = '<span class="line debris" id="L1"><span class="n">1</span><span class="t">OFFICIAL</span></span>'
    assert header in view.text
    original = client.get("/originals/corpus/response.pdf")
    assert original.status_code == 200 and original.headers["content-type"] == "application/pdf"
    assert original.content == (corpus / "response.pdf").read_bytes()
    # Word files and web pages: cited by lines, the original downloadable.
    assert (
        client.get("/originals/corpus/draft.docx")
        .headers["content-type"]
        .startswith("application/vnd.openxmlformats-officedocument")
    )


def test_originals_follow_access_and_refuse_changed_files(formats_client: tuple[TestClient, Path]) -> None:
    client, corpus = formats_client
    assert client.get("/originals/corpus/secret.pdf").status_code == 404
    assert client.get("/documents/corpus/secret.pdf").status_code == 404
    admin = {"Authorization": "Bearer t0ken"}
    assert client.get("/originals/corpus/secret.pdf", headers=admin).status_code == 200
    for path in ("/originals/../pyproject.toml", "/originals/corpus/manifest.toml", "/originals/etc/passwd"):
        assert client.get(path).status_code == 404, path
    changed = corpus / "minutes.html"
    saved = changed.read_bytes()
    try:
        changed.write_bytes(saved.replace(b"Declarations", b"Declarashuns"))
        refused = client.get("/originals/corpus/minutes.html")
        assert refused.status_code == 404 and "changed" in refused.json()["detail"]
    finally:
        changed.write_bytes(saved)
    assert client.get("/originals/corpus/minutes.html").status_code == 200


def test_a_pdf_upload_is_indexed_and_a_broken_one_replaces_nothing(tmp_path: Path, embedder: Embedder) -> None:
    from search_api.app import create_app
    from search_api.retrieval import Searcher
    from search_api.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "minutes.html").write_bytes(_html(COUNCIL_PAGE))
    build_index([corpus], tmp_path / "index", embedder, root=tmp_path, cache_path=tmp_path / "c.sqlite")
    settings = Settings(index_dir=tmp_path / "index", admin_token="t0ken")
    client = TestClient(create_app(settings, searcher=Searcher(tmp_path / "index", embedder)))
    admin = {"Authorization": "Bearer t0ken"}
    text = (CORPUS / "000_47ef9738533878f9.txt").read_text(encoding="utf-8")
    good = {"file": ("response 2020.pdf", render_pdf(text).data, "application/pdf")}
    added = client.post("/documents", files=good, data={"access": "public"}, headers=admin)
    assert added.status_code == 201, added.text
    report = added.json()["documents"]
    assert any(d["document"] == "uploads/response-2020.pdf" and d["format"] == "pdf" for d in report)
    hits = client.get("/search", params={"q": "review of the illegal drugs trade"}).json()["results"]
    assert hits[0]["citation"]["document"] == "uploads/response-2020.pdf" and hits[0]["citation"]["location"]["page"]
    scanned = {"file": ("response 2020.pdf", render_scanned_pdf(text), "application/pdf")}
    refused = client.post("/documents", files=scanned, headers=admin)
    assert refused.status_code == 422 and "no text layer" in refused.json()["detail"]
    # The good version is still indexed, and still the file on disk.
    hits = client.get("/search", params={"q": "review of the illegal drugs trade"}).json()["results"]
    assert hits[0]["citation"]["document"] == "uploads/response-2020.pdf"
    assert (tmp_path / "index" / "uploads" / "response-2020.pdf").read_bytes() == good["file"][1]
    assert not [p for p in (tmp_path / "index" / "uploads").iterdir() if p.name.startswith(".")]
