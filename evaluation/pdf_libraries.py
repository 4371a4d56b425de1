"""Measure the PDF libraries we chose between: PyMuPDF, pypdf and pdfplumber.

Every library reads the same PDFs, typeset from the bundled corpus (evaluation.renderings):
the four documents, the board pack among them at about 220 pages. For each we measure

- speed: seconds to extract every page of the pack (best of three), and milliseconds per page;
- fidelity: share of the source's lines whose words come out in order (letters and digits
  compared, so spacing and line wrapping do not count);
- italics: share of the words the source sets in italics (the members' questions, in the
  written responses) that the library reports in an italic font;
- awkward files: what each does with an encrypted, a truncated and a scanned PDF.

Run: `make compare-pdf` (installs the `compare` extra), or
`python -m evaluation.pdf_libraries` with pypdf and pdfplumber installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

from evaluation.renderings import inline_runs, render_pdf, render_scanned_pdf
from indexer.reading.text import match_key

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PACK = "004_493deb871b5b5d45.txt"
_ITALIC = re.compile(r"italic|oblique", re.I)
_WORD = re.compile(r"[A-Za-z]{4,}")

# Each library as: text of every page, and (word, italic) pairs of every page.
Reader = Callable[[bytes], list[str]]
StyledReader = Callable[[bytes], list[tuple[str, bool]]]


def _pymupdf_text(data: bytes) -> list[str]:
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        return [page.get_text() for page in pdf]


def _pymupdf_styled(data: bytes) -> list[tuple[str, bool]]:
    import pymupdf

    out: list[tuple[str, bool]] = []
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        for page in pdf:
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        italic = bool(span["flags"] & 2) or bool(_ITALIC.search(span["font"]))
                        out.extend((w, italic) for w in _WORD.findall(span["text"]))
    return out


def _pypdf_text(data: bytes) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _pypdf_styled(data: bytes) -> list[tuple[str, bool]]:
    import pypdf

    out: list[tuple[str, bool]] = []

    def visit(text: str, _cm: object, _tm: object, font: dict[str, object] | None, _size: float) -> None:
        italic = bool(font) and bool(_ITALIC.search(str(font.get("/BaseFont", ""))))  # type: ignore[union-attr]
        out.extend((w, italic) for w in _WORD.findall(text))

    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return out


def _pdfplumber_text(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _pdfplumber_styled(data: bytes) -> list[tuple[str, bool]]:
    import pdfplumber

    out: list[tuple[str, bool]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for word in page.extract_words(extra_attrs=["fontname"]):
                italic = bool(_ITALIC.search(word["fontname"]))
                out.extend((w, italic) for w in _WORD.findall(word["text"]))
    return out


LIBRARIES: dict[str, tuple[str, Reader, StyledReader]] = {
    "PyMuPDF": ("pymupdf", _pymupdf_text, _pymupdf_styled),
    "pypdf": ("pypdf", _pypdf_text, _pypdf_styled),
    "pdfplumber": ("pdfplumber", _pdfplumber_text, _pdfplumber_styled),
}


def line_fidelity(source: str, pages: list[str]) -> float:
    """Share of the source's non-trivial lines whose letters and digits appear, in order, in the extraction."""
    extracted = match_key(" ".join(pages))
    keys = [match_key(" ".join(r.text for r in inline_runs(line))) for line in source.splitlines()]
    keys = [k for k in keys if len(k) >= 12]
    return sum(1 for k in keys if k in extracted) / len(keys)


def italic_words(text: str) -> set[str]:
    """Words the source sets in italics (and only there)."""
    italic: set[str] = set()
    roman: set[str] = set()
    for line in text.splitlines():
        for run in inline_runs(line):
            (italic if run.italic else roman).update(w.lower() for w in _WORD.findall(run.text))
    return italic - roman


def outcome(reader: Reader, data: bytes) -> str:
    """What a library does with an awkward file: its exception, or how much text it found."""
    try:
        pages = reader(data)
    except Exception as exc:
        return f"raises {type(exc).__name__}"
    chars = sum(len(p.strip()) for p in pages)
    return f"{len(pages)} page(s), {chars} characters"


def main() -> None:
    """Print the comparison as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # their complaints show in the table
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}
    pdfs = {name: render_pdf(text).data for name, text in texts.items()}
    pack_pages = render_pdf(texts[PACK]).pages
    written = {n: t for n, t in texts.items() if n != PACK and italic_words(t)}
    response = texts["001_599e6919896aaf77.txt"]
    clean = render_pdf(response).data
    awkward = {
        "encrypted": render_pdf(response, encrypt_password="s3cret").data,
        "truncated": clean[: len(clean) * 2 // 3],
        "scanned": render_scanned_pdf(response),
    }
    print(f"PDFs typeset from the corpus; the board pack is {pack_pages} pages.\n")
    print(
        "| library | pack: s (best of 3) | ms/page | lines recovered | italic words found "
        "| encrypted | truncated | scanned |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, (module, reader, styled) in LIBRARIES.items():
        if importlib.util.find_spec(module) is None:
            print(f"| {name} | not installed (`pip install -e '.[compare]'`) | | | | | | |")
            continue
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            reader(pdfs[PACK])
            timings.append(time.perf_counter() - started)
        best = min(timings)
        fidelity = sum(line_fidelity(texts[n], reader(pdfs[n])) for n in texts) / len(texts)
        found = expected = 0
        for n, text in written.items():
            wanted = italic_words(text)
            got = {w.lower() for w, italic in styled(pdfs[n]) if italic}
            found += len(wanted & got)
            expected += len(wanted)
        italics = found / expected if expected else 0.0
        cells = [outcome(reader, awkward[k]) for k in ("encrypted", "truncated", "scanned")]
        print(
            f"| {name} | {best:.2f} | {1000 * best / pack_pages:.1f} | {fidelity:.3f} | {italics:.3f} | "
            + " | ".join(cells)
            + " |"
        )


if __name__ == "__main__":
    main()
