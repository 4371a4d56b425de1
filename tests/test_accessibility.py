"""Every page against WCAG 2.1 AA (axe-core in Debian's Chromium) and laid out for a phone, at 1280 and 390 px."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from .conftest import AXE, REPO

# axe-core is installed by `make browser` (npm ci in tests/browser from its lock file); never committed.
# Every test here drives Chromium (conftest skips them, saying so, where it is not installed).
pytestmark = pytest.mark.browser
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# WCAG 2.1 1.4.11: a focus indicator needs 3:1 against what it is drawn on.
FOCUS_CONTRAST = 3.0


def _submit_draft(page: Page) -> None:
    page.get_by_label("Draft question").fill(
        "What proportion of Derbyshire officers are from black and minority ethnic groups?"
    )
    page.get_by_label("Draft response (optional)").fill("Black and minority ethnic officers are 3.5% of the force.")
    page.get_by_role("button", name="Check the draft").click()
    page.locator(".difference").first.wait_for()


@dataclass(frozen=True)
class Visit:
    """A page to check: its path ("{record}" and the like name a page found by following links) and any step there."""

    path: str
    then: Callable[[Page], None] | None = None
    label: str = ""

    @property
    def id(self) -> str:
        """The test id: the path, or the label given."""
        return self.label or self.path


# Every HTML page the app serves: adding a page is one line here.
PAGES = [
    Visit("/", label="search"),
    Visit("/?q=burglary", label="search results"),
    Visit("/?q=burglary&date_from=2022-13-45", label="search error"),
    Visit("{record}", label="record"),
    Visit("{document}", label="document"),
    Visit("{marked_document}", label="document with emphasis and running headers"),
    Visit("{meeting}", label="meeting"),
    Visit("{person}", label="person"),
    Visit("/?q=proportion+of+black+and+minority+ethnic+officers", label="search with a figure's history"),
    Visit("/undertakings", label="undertakings"),
    Visit("/undertakings?status=possibly+followed+up", label="undertakings followed up"),
    Visit("{undertaking}", label="undertaking record"),
    Visit("/meetings/2019-03-18?body=Strategic+Priorities+Assurance+Board", label="meeting with undertakings"),
    Visit("/sources", label="sources"),
    Visit("/draft", label="drafting check"),
    Visit("/draft", then=_submit_draft, label="drafting check report"),
]


@pytest.fixture(scope="module")
def links(browser: Browser, base_url: str) -> dict[str, str]:
    """Paths of the pages reached by links: a record, its source document, its meeting and an asker."""
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    try:
        page.goto(base_url + "/?q=burglary")
        found = {
            "record": page.locator(".result h2 a").first.get_attribute("href"),
            "meeting": page.locator(".result a.date").first.get_attribute("href"),
            "person": page.locator(".result a[href^='/people/']").first.get_attribute("href"),
        }
        page.goto(base_url + str(found["record"]))
        found["document"] = page.locator(".citation a[href^='/documents/']").first.get_attribute("href")
        page.goto(base_url + "/undertakings")
        found["undertaking"] = page.locator(".result h2 a").first.get_attribute("href")
    finally:
        context.close()
    # A document whose text has the readers' emphasis markup (and, the smallest, running headers) to render.
    marked = min((p for p in (REPO / "corpus").glob("*.txt") if "**" in p.read_text(encoding="utf-8")), key=_size)
    found["marked_document"] = f"/documents/{marked.relative_to(REPO).as_posix()}"
    assert all(found.values()), f"a page to check has no link to it: {found}"
    return {name: str(href) for name, href in found.items()}


def _size(path: Path) -> int:
    return path.stat().st_size


@pytest.fixture(params=[WIDE, PHONE], ids=["1280px", "390px"])
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    """A desktop and a phone's width."""
    return dict(request.param)


@pytest.fixture()
def phone(browser: Browser) -> Iterator[Page]:
    """A page at a phone's width."""
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def _open(page: Page, base_url: str, visit: Visit, links: dict[str, str]) -> None:
    response = page.goto(base_url + visit.path.format(**links))
    assert response is not None
    if visit.then is not None:
        visit.then(page)


def _describe(violations: list[dict[str, object]]) -> str:
    """axe's violations as lines a developer can act on: rule, impact, what it says, and where."""
    lines = []
    for v in violations:
        nodes = v["nodes"]
        assert isinstance(nodes, list)
        targets = [", ".join(map(str, n["target"])) for n in nodes]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {json.dumps(targets[:8])}")
        summary = nodes[0].get("failureSummary") if nodes else None
        if summary:
            lines.append("    " + str(summary).replace("\n", "\n    "))
    return "\n".join(lines)


@pytest.mark.axe
@pytest.mark.parametrize("visit", PAGES, ids=lambda v: v.id)
def test_axe_finds_no_violation(
    browser: Browser, base_url: str, links: dict[str, str], visit: Visit, viewport: dict[str, int]
) -> None:
    # Reached without axe-core only when it is required (PANEL_SEARCH_REQUIRE_BROWSER=1): then a failure.
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed ({AXE} is missing): run `make browser`, which installs it with npm")
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        _open(page, base_url, visit, links)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: tags})", AXE_TAGS)
    finally:
        context.close()
    assert result["passes"], "axe checked nothing: the page did not load"
    violations = result["violations"]
    assert not violations, f"{len(violations)} WCAG violations on {visit.id}:\n{_describe(violations)}"


@pytest.mark.parametrize("visit", PAGES, ids=lambda v: v.id)
def test_no_sideways_scrolling_on_a_phone(phone: Page, base_url: str, links: dict[str, str], visit: Visit) -> None:
    _open(phone, base_url, visit, links)
    widths = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{visit.id} is {widths[0]} px wide on a {widths[1]} px screen"


def _luminance(rgb: tuple[float, ...]) -> float:
    channels = [c / 255 for c in rgb[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours."""
    la, lb = (_luminance(tuple(float(x) for x in re.findall(r"[\d.]+", c))) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@pytest.mark.parametrize("visit", PAGES, ids=lambda v: v.id)
def test_first_tab_reaches_the_skip_link_with_a_visible_focus(
    phone: Page, base_url: str, links: dict[str, str], visit: Visit
) -> None:
    _open(phone, base_url, visit, links)
    phone.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    if visit.then is None:  # a fresh page: nothing has focus, so Tab starts at the top
        phone.keyboard.press("Tab")
        focused = phone.evaluate("() => [document.activeElement.className, document.activeElement.textContent]")
        assert focused[0] == "skip" and "Skip to" in focused[1], f"the first Tab stop is {focused}"
    phone.locator("a.skip").focus()
    style = phone.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor, s.backgroundColor]; }"""
    )
    assert style[0] != "none" and style[1] >= 2, f"the skip link shows no focus ring: {style}"
    ratio = _contrast(style[2], "rgb(255, 255, 255)")
    assert ratio >= FOCUS_CONTRAST, f"the focus ring {style[2]} is {ratio:.1f}:1 on white"


def test_document_view_on_a_phone(phone: Page, base_url: str, links: dict[str, str]) -> None:
    """Wrapped lines stay right of their numbers, and the reader's emphasis markup is not shown."""
    path = links["marked_document"]
    name = unquote(urlsplit(path).path.removeprefix("/documents/"))
    # The check means something only if the source has `**` markup for the view to render.
    assert "**" in (REPO / name).read_text(encoding="utf-8"), f"{name} has no emphasis markup to test with"
    phone.goto(base_url + path)
    layout = phone.evaluate(
        """() => [...document.querySelectorAll('.doc .line')].map(line => {
             const number = line.querySelector('.n');
             const range = document.createRange();
             range.setStartAfter(number);
             range.setEndAfter(line.lastChild);
             const rects = [...range.getClientRects()].filter(r => r.width > 0);
             return {
               n: number.textContent,
               numberRight: number.getBoundingClientRect().right,
               textLeft: Math.min(...rects.map(r => r.left)),
               rows: new Set(rects.map(r => Math.round(r.top))).size,
             };
           }).filter(l => l.rows > 0)"""
    )
    wrapped = [line for line in layout if line["rows"] > 1]
    assert wrapped, "no line wraps on a phone: the test has nothing to check"
    under = [line["n"] for line in wrapped if line["textLeft"] < line["numberRight"]]
    assert not under, f"wrapped text runs under the line numbers on lines {under[:10]}"
    text = phone.locator(".doc").inner_text()
    assert "**" not in text, "raw `**` markup shows in the document view"


def test_first_result_is_on_the_first_screen(phone: Page, base_url: str) -> None:
    phone.goto(base_url + "/")
    phone.get_by_label("Question or words").fill("burglary")
    phone.keyboard.press("Enter")
    first = phone.locator(".result").first
    first.wait_for()
    phone.evaluate("() => window.scrollTo(0, 0)")
    box = first.bounding_box()
    assert box is not None
    assert box["y"] < PHONE["height"], f"the first result starts {box['y']:.0f} px down a {PHONE['height']} px screen"


def test_record_citation_is_not_clipped(phone: Page, base_url: str, links: dict[str, str]) -> None:
    phone.goto(base_url + links["record"])
    # Every box in a citation, a form field included (its text scrolls out of sight), shows all it holds.
    clipped = phone.evaluate(
        """() => [...document.querySelectorAll('.citation, .citation *')]
                 .filter(e => e.scrollWidth > e.clientWidth || getComputedStyle(e).overflowX === 'hidden')
                 .map(e => [e.tagName, e.className, e.scrollWidth, e.clientWidth])"""
    )
    assert phone.locator(".citation").count(), "the record page shows no citation"
    assert not clipped, f"citations cut off: {clipped}"
    source = phone.locator(".citation a.source")
    assert source.count(), "no source link in the citations"
    assert source.first.inner_text().startswith("Open the source document"), source.first.inner_text()
    assert "corpus/" in phone.locator(".citation").first.inner_text(), "the source's file name is not shown"
