"""Shared fixtures: the bundled model, an index of a small fixture corpus and one of the real corpus."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright

from indexer.encode.embed import Embedder
from indexer.index.build import BuildSummary, build_index
from search_api.app import create_app
from search_api.retrieval import Searcher
from search_api.settings import Settings

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
RESOURCES = Path(__file__).resolve().parent / "resources"
FIXTURE_CORPUS = RESOURCES / "fixture_corpus"
# A draft response that must never reach a public answer (access tests of the API and the MCP server).
SECRET_WORD = "zebracorn"
RESTRICTED = f"""NORTHSHIRE POLICE AND CRIME PANEL

REPORT OF THE POLICE AND CRIME COMMISSIONER FOR NORTHSHIRE

DATE: 6th March 2023

Question 1: from Cllr Z Quist

Will the Commissioner fund the {SECRET_WORD} pilot for rural patrols?

Response

DRAFT – not for publication. The {SECRET_WORD} pilot would cost £40,000 and is under review. The Commissioner
agreed to circulate the {SECRET_WORD} costings to Panel members.
"""


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The bundled all-MiniLM-L6-v2, loaded once for the whole run."""
    return Embedder()


@pytest.fixture(scope="session")
def fixture_index(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> BuildSummary:
    """An index built from the small fixture corpus (a copy, so tests cannot touch the original)."""
    root = tmp_path_factory.mktemp("fixture")
    shutil.copytree(FIXTURE_CORPUS, root / "corpus")
    return build_index([root / "corpus"], root / "index", embedder, root=root)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> BuildSummary:
    """An index built from the real bundled corpus, citing paths relative to the repository."""
    root = tmp_path_factory.mktemp("corpus")
    return build_index(
        [CORPUS], root / "index", embedder, root=REPO, cache_path=REPO / "var" / "cache" / "embeddings.sqlite"
    )


@pytest.fixture(scope="session")
def corpus_searcher(corpus_index: BuildSummary, embedder: Embedder) -> Searcher:
    """A searcher over the real corpus."""
    return Searcher(corpus_index.index_dir, embedder)


@pytest.fixture(scope="session")
def fixture_searcher(fixture_index: BuildSummary, embedder: Embedder) -> Searcher:
    """A searcher over the fixture corpus."""
    return Searcher(fixture_index.index_dir, embedder)


CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
# Set by `make test` (which installs both first): a missing browser tool is then a failure, not a skip.
REQUIRE_BROWSER = os.environ.get("PANEL_SEARCH_REQUIRE_BROWSER") == "1"


def _missing_browser_tools(item: pytest.Item) -> list[str]:
    """What a browser test needs and this machine lacks, each with the command that installs it."""
    missing = []
    if item.get_closest_marker("browser") and not CHROMIUM.exists():
        missing.append(f"Debian's chromium ({CHROMIUM}; `make browser` or `apt-get install chromium`)")
    if item.get_closest_marker("axe") and not AXE.is_file():
        missing.append(f"axe-core ({AXE.relative_to(REPO)}; `make browser` runs `npm ci` in tests/browser)")
    return missing


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the browser and accessibility tests, saying what is missing, where their tools are not installed.

    They run whenever the tools are there; with PANEL_SEARCH_REQUIRE_BROWSER=1 (`make test`) they fail instead.
    """
    for item in items:
        missing = _missing_browser_tools(item)
        if missing and not REQUIRE_BROWSER:  # required: the test runs, and its fixture fails saying what is missing
            item.add_marker(pytest.mark.skip(reason="not installed: " + "; ".join(missing)))


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def base_url(corpus_searcher: Searcher) -> Iterator[str]:
    """A live server over the real corpus, for the browser tests."""
    port = _free_port()
    app = create_app(Settings(index_dir=corpus_searcher.index_dir), searcher=corpus_searcher)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never a downloaded browser build).

    One per test module: Playwright's sync API keeps an event loop running on this thread while it is
    open, and a later module that runs its own (the MCP client) must find none.
    """
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: `make browser` (or apt-get install chromium) installs it")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
