"""Render corpus text as the files panels publish (PDF, HTML, DOCX), for tests and benchmarks.

The bundled corpus is text already extracted from PDFs and web pages. To test ingestion
of the original formats without any network, we turn that text back into such files:
markup (`**bold**`, `*italic*`, `<b>`, markdown headings and tables) becomes real styling,
long lines wrap at the page width, and every page gets a running header and a page-number
footer, as printed reports do. Each rendering also says on which page every source line
landed, so tests can check the pages cited.
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from indexer.reading.document import SourceDocument
from indexer.reading.readers.styled import Span, merge_spans

_MARKUP = re.compile(r"\*{1,3}|</?(?:b|strong|i|em)>|<br\s*/?>|<[^>]{1,40}>", re.I)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}[-|: ]*$")
_ITEM_NUMBER = re.compile(r"^\d{1,3}/\d{2}$")
RUNNING_HEADER = "OFFICIAL"


def inline_runs(line: str) -> list[Span]:
    """Split one line of lightly marked-up text into styled runs, the markup removed."""
    runs: list[Span] = []
    bold = italic = False
    pos = 0

    def emit(text: str) -> None:
        text = html.unescape(text)
        if text:
            runs.append(Span(text, bold, italic))

    for match in _MARKUP.finditer(line):
        token = match.group(0).lower()
        before, after = line[match.start() - 1 : match.start()], line[match.end() : match.end() + 1]
        if token.startswith("*") and (before.isalnum() and after.isalnum()):
            continue  # an asterisk inside a word ("2*3") is text
        emit(line[pos : match.start()])
        pos = match.end()
        if token == "***":
            bold = italic = not (bold and italic)
        elif token == "**" or token in ("<b>", "<strong>", "</b>", "</strong>"):
            bold = not bold if token == "**" else not token.startswith("</")
        elif token == "*" or token in ("<i>", "<em>", "</i>", "</em>"):
            italic = not italic if token == "*" else not token.startswith("</")
        elif token.startswith("<br"):
            emit(" ")
    emit(line[pos:])
    return merge_spans(runs)


@dataclass(frozen=True)
class Block:
    """A source line as a rendering sees it: a heading, a table row, a paragraph line or a gap."""

    line: int  # 1-based line in the source text
    kind: str  # "heading", "row", "text", "blank"
    page: int  # the page of the source text it is on (1 when the text has no pages)
    runs: tuple[Span, ...] = ()
    level: int = 0
    cells: tuple[tuple[Span, ...], ...] = ()


def blocks(text: str) -> list[Block]:
    """Classify every source line, with the page it is on; table rule lines are dropped.

    Text extracted from a PDF keeps its page breaks (see indexer.reading.document), and a rendering
    keeps them too: a board pack's cover sheets start pages.
    """
    source = SourceDocument.from_text("source.txt", text.replace("\f", "\n "))
    out: list[Block] = []
    for n, raw in enumerate(source.lines, start=1):
        line = raw.rstrip()
        page = source.page(n) or 1
        if not line.strip():
            out.append(Block(n, "blank", page))
        elif _TABLE_RULE.match(line):
            continue
        elif (heading := _HEADING.match(line)) is not None:
            runs = [Span(r.text, True, r.italic) for r in inline_runs(heading.group(2))]
            out.append(Block(n, "heading", page, tuple(runs), level=len(heading.group(1))))
        elif line.lstrip().startswith("|") and line.count("|") >= 2:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out.append(Block(n, "row", page, cells=tuple(tuple(inline_runs(c)) for c in cells)))
        else:
            out.append(Block(n, "text", page, tuple(inline_runs(line.strip()))))
    return out


def _cp1252(text: str) -> str:
    """Text the PDF core fonts can show: Windows-1252, other characters by their closest form."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", ch).encode("cp1252", "ignore").decode("cp1252")
            out.append(plain or "?")
    return "".join(out)


@dataclass
class PdfRendering:
    """A PDF made from a text document, and the pages each source line starts and ends on."""

    data: bytes
    page_of_line: dict[int, int]
    last_page_of_line: dict[int, int]
    pages: int


def _row_runs(block: Block) -> list[Span]:
    runs: list[Span] = []
    for i, cell in enumerate(block.cells):
        if i:
            runs.append(Span(" "))
        runs.extend(cell)
    return merge_spans(runs)


def render_pdf(
    text: str,
    *,
    encrypt_password: str | None = None,
    font_size: float = 10,
    watermark: str | None = None,
    columns: int = 1,
) -> PdfRendering:
    """Typeset text as an A4 report: styled runs, wrapped lines, running header and page footer.

    `watermark` is set across every page at a slant, as drafts are stamped; `columns=2` sets
    the text in two columns, as newsletters and some annual reports are.
    """
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("helvetica", "", 8)
            self.text(95, 10, RUNNING_HEADER)
            if watermark:
                self.set_font("helvetica", "B", 60)
                with self.rotation(45, 105, 150):
                    self.text(45, 150, watermark)

        def footer(self) -> None:
            self.set_font("helvetica", "", 8)
            self.text(98, 287, f"Page {self.page_no()}")

    pdf = Report(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 20, 20)
    if encrypt_password is not None:
        pdf.set_encryption(owner_password="owner-" + encrypt_password, user_password=encrypt_password)
    leading = font_size * 0.3528 * 1.25  # points to mm, with 25% leading
    top, bottom, margin, gap = 22.0, 275.0, 20.0, 10.0
    width = (170.0 - gap * (columns - 1)) / columns
    pdf.add_page()
    y = top
    column = 0
    page_of_line: dict[int, int] = {}
    last_page_of_line: dict[int, int] = {}

    def style(run: Span) -> str:
        return ("B" if run.bold else "") + ("I" if run.italic else "")

    def width_of(word: str, run: Span, size: float) -> float:
        pdf.set_font("helvetica", style(run), size)
        return float(pdf.get_string_width(word))

    source_page = 1
    for block in blocks(text):
        if block.page != source_page:
            source_page = block.page
            pdf.add_page()
            y, column = top, 0
        if block.kind == "blank":
            if y > top:
                y += leading
            continue
        size = font_size + (4 - min(block.level, 3)) if block.kind == "heading" else font_size
        runs = _row_runs(block) if block.kind == "row" else list(block.runs)
        words = _words(runs)
        first = True
        for visual in _wrap(words, lambda w, r, size=size: width_of(w, r, size), width):
            if y + leading > bottom:
                if column + 1 < columns:
                    column += 1
                else:
                    pdf.add_page()
                    column = 0
                y = top
            y += leading
            if first:
                page_of_line[block.line] = pdf.page_no()
                first = False
            last_page_of_line[block.line] = pdf.page_no()
            x = margin + column * (width + gap)
            for segment, run in _segments(visual):
                pdf.set_font("helvetica", style(run), size)
                pdf.text(x, y, segment)
                x += pdf.get_string_width(segment)
    return PdfRendering(bytes(pdf.output()), page_of_line, last_page_of_line, pdf.page_no())


def _words(runs: list[Span]) -> list[tuple[str, Span]]:
    """Words with their trailing space; space opening a run belongs to the word before."""
    words: list[tuple[str, Span]] = []
    for run in runs:
        text = _cp1252(run.text)
        if text[:1].isspace() and words:
            words[-1] = (words[-1][0].rstrip() + " ", words[-1][1])
        words.extend((w, run) for w in re.findall(r"\S+\s*", text))
    return words


def _wrap(words: list[tuple[str, Span]], measure: object, width: float) -> Iterator[list[tuple[str, Span]]]:
    line: list[tuple[str, Span]] = []
    used = 0.0
    for word, run in words:
        w = measure(word.rstrip(), run)  # type: ignore[operator]
        if line and used + w > width:
            yield line
            line, used = [], 0.0
        line.append((word, run))
        used += w + measure(" ", run) * (word != word.rstrip())  # type: ignore[operator]
    if line:
        yield line


def _segments(words: list[tuple[str, Span]]) -> Iterator[tuple[str, Span]]:
    text, current = "", None
    for word, run in words:
        if current is not None and (run.bold, run.italic) != (current.bold, current.italic):
            yield text, current
            text = ""
        text, current = text + word, run
    if current is not None and text.strip():
        yield text.rstrip(), current


def render_scanned_pdf(text: str, pages: int = 2) -> bytes:
    """A PDF of page images with no text layer, as a scanner makes."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    pdf = FPDF(format="A4")
    lines = [line for line in text.splitlines() if line.strip()]
    for page in range(pages):
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(lines[page * 60 : (page + 1) * 60]):
            draw.text((100, 100 + i * 25), _cp1252(line)[:120], fill=0)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pdf.add_page()
        pdf.image(buffer, x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def _html_runs(runs: tuple[Span, ...] | list[Span]) -> str:
    out = []
    for run in runs:
        text = html.escape(run.text, quote=False)
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


_CHROME_TOP = (
    '<header><a href="#main">Skip to main content</a><nav><ul><li><a href="/">Home</a></li>'
    '<li><a href="/councillors">Councillors</a></li><li><a href="/meetings">Meetings</a></li></ul></nav></header>'
)
_CHROME_FOOT = "<footer><p>Copyright County Council. Accessibility statement. Cookies.</p></footer>"


def render_html(text: str, *, encoding: str = "utf-8", declare: bool = True, title: str = "Document") -> bytes:
    """A web page of the document: headings, paragraphs (lines kept with <br>), tables, page breaks, page chrome."""
    parts: list[str] = []
    paragraph: list[str] = []
    table: list[str] = []
    source_page = 1

    def flush() -> None:
        if paragraph:
            parts.append("<p>" + "<br>\n".join(paragraph) + "</p>")
            paragraph.clear()
        if table:
            parts.append("<table>" + "".join(table) + "</table>")
            table.clear()

    for block in blocks(text):
        if block.page != source_page:
            # A printed page break, as Word and PDF converters write it in HTML.
            flush()
            source_page = block.page
            parts.append('<div style="page-break-before: always"></div>')
        if block.kind == "blank":
            flush()
        elif block.kind == "heading":
            flush()
            parts.append(f"<h{block.level}>{_html_runs(block.runs)}</h{block.level}>")
        elif block.kind == "row":
            if paragraph:
                flush()
            table.append("<tr>" + "".join(f"<td>{_html_runs(c)}</td>" for c in block.cells) + "</tr>")
        else:
            if table:
                flush()
            paragraph.append(_html_runs(block.runs))
    flush()
    return _page("\n".join(parts), encoding, declare, title)


def _page(body: str, encoding: str, declare: bool, title: str) -> bytes:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">' if declare else ""
    page = (
        f'<!DOCTYPE html>\n<html lang="en"><head>{meta}<title>{html.escape(title)}</title>'
        "<style>p{margin:0 0 1em}</style><script>var pageScriptMarker = 'Agenda Item 99';</script></head>\n"
        f'<body>{_CHROME_TOP}\n<main id="main">\n{body}\n</main>\n{_CHROME_FOOT}</body></html>\n'
    )
    return page.encode(encoding, errors="xmlcharrefreplace")


def render_moderngov_html(text: str, *, encoding: str = "utf-8", declare: bool = True) -> bytes:
    """A council "Agenda and minutes" page in the ModernGov markup, from its text version.

    The text starts with the page title and the meeting line, then each item: its number
    ("39/22") on a line of its own, its title, its description, and after "Minutes:" the
    minute paragraphs.
    """
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    head: list[str] = []
    items: list[list[str]] = []
    for para in paragraphs:
        if _ITEM_NUMBER.match(para):
            items.append([para])
        elif items:
            items[-1].append(para)
        else:
            head.append(para)
    title, meeting, *rest = head
    rest = [p for p in rest if p not in ("Items\nNo. Item", "Items")]
    out = [f'<div id="modgov"><h1 class="mgMainTitleTxt">{html.escape(title)}</h1>']
    out.append(f'<h2 class="mgSubTitleTxt">{html.escape(meeting)}</h2>')
    out.extend(f'<p class="mgLabel">{html.escape(p)}</p>' for p in rest)
    out.append('<table class="mgItemTable"><tr><th>No.</th><th>Item</th></tr>')
    for number, *body in items:
        cell = []
        title_done = minutes = False
        for para in body:
            escaped = "<br>".join(html.escape(line.strip()) for line in para.splitlines())
            if not title_done:
                cell.append(f'<p class="mgAiTitleTxt"><a href="mgIssueHistory.aspx">{escaped}</a></p>')
                title_done = True
            elif para == "Minutes:":
                cell.append('<p class="mgSubItemTitleTxt">Minutes:</p>')
                minutes = True
            else:
                cls = "mgWordPara" if minutes else "mgAiDescription"
                cell.append(f'<div class="{cls}"><p>{escaped}</p></div>')
        out.append(
            f'<tr><td class="mgItemNumberCell"><p class="mgAiTitleTxt">{html.escape(number)}</p></td>'
            f"<td>{''.join(cell)}</td></tr>"
        )
    out.append("</table></div>")
    return _page("\n".join(out), encoding, declare, f"Agenda and minutes - {meeting}")


def render_docx(text: str) -> bytes:
    """A Word document: one paragraph per block, lines kept as line breaks, runs styled."""
    import docx

    document = docx.Document()
    paragraph = None
    for block in blocks(text):
        if block.kind == "blank":
            paragraph = None
            continue
        if block.kind == "heading":
            document.add_heading("".join(r.text for r in block.runs), level=min(block.level, 9))
            paragraph = None
            continue
        runs = _row_runs(block) if block.kind == "row" else list(block.runs)
        if paragraph is None:
            paragraph = document.add_paragraph()
        else:
            paragraph.add_run().add_break()
        for run in runs:
            styled = paragraph.add_run(run.text)
            styled.bold = run.bold or None
            styled.italic = run.italic or None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
