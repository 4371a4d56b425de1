"""Shared fixtures: the bundled model, an index of a small fixture corpus and one of the real corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.build import BuildSummary, build_index
from indexer.embed import Embedder
from search_api.retrieval import Searcher

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
