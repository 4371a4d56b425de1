"""One search entry point: every front door gives the same results for the same request, restricted ones included."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from fastapi.testclient import TestClient

from indexer.encode.embed import Embedder
from indexer.index.build import build_index
from search_api import cli
from search_api.app import create_app
from search_api.browse import View
from search_api.entry import SearchRequest, answer
from search_api.filters import Filters
from search_api.mcp_server import search_tool
from search_api.query import QueryError
from search_api.retrieval import Searcher
from search_api.settings import Settings

from .conftest import FIXTURE_CORPUS, RESTRICTED, SECRET_WORD

TOKEN = "entry-s3cret"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
# A question the restricted draft answers best, and a query that finds public records too.
QUERIES = [f"{SECRET_WORD} pilot for rural patrols", "rural crime patrols", "police community support officers"]
K = 10  # the page shows ten results: every door is asked for ten
_RESULT_LINK = re.compile(r'<h\d><a href="/record/([0-9a-f]+)">')


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Searcher:
    root = tmp_path_factory.mktemp("entry")
    shutil.copytree(FIXTURE_CORPUS, root / "corpus")
    (root / "corpus" / "draft.txt").write_text(RESTRICTED, encoding="utf-8")
    (root / "corpus" / "manifest.toml").write_text('[documents."draft.txt"]\naccess = "restricted"\n')
    build_index([root / "corpus"], root / "index", embedder, root=root)
    return Searcher(root / "index", embedder)


@pytest.fixture(scope="module")
def client(searcher: Searcher) -> TestClient:
    settings = Settings(index_dir=searcher.index_dir, admin_token=TOKEN)
    return TestClient(create_app(settings, searcher=searcher))


def _doors(client: TestClient, searcher: Searcher, query: str, admin: bool) -> dict[str, list[str]]:
    """The ids each front door returns for one request (the admin's or the public's)."""
    headers = ADMIN if admin else {}
    params = {"q": query, "k": K}
    api = client.get("/search", params=params, headers=headers)
    page = client.get("/", params={"q": query}, headers=headers)
    export = client.get("/export.json", params={"q": query}, headers=headers)
    assert api.status_code == page.status_code == export.status_code == 200
    # The MCP tool, called in process: the very function `search_records` returns (tests/test_mcp.py drives
    # the server over stdio).
    mcp = search_tool(View(searcher, include_restricted=admin), query, k=K)
    return {
        "api": [r["id"] for r in api.json()["results"]],
        "page": _RESULT_LINK.findall(page.text),
        "export": [r["id"] for r in export.json()["results"]][:K],
        "mcp": [r["id"] for r in mcp["results"]],
    }


def _cli_ids(searcher: Searcher, query: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The ids `panel-search search --json` prints (the operator's view: restricted records included)."""
    assert cli.main(["search", query, "--k", str(K), "--json", "--index-dir", str(searcher.index_dir)]) == 0
    return [r["id"] for r in json.loads(capsys.readouterr().out)["results"]]


@pytest.mark.parametrize("query", QUERIES)
def test_every_door_gives_the_same_ids_restricted_included(
    client: TestClient, searcher: Searcher, query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    doors = _doors(client, searcher, query, admin=True)
    doors["cli"] = _cli_ids(searcher, query, capsys)
    expected = answer(searcher, SearchRequest(query, k=K, include_restricted=True)).ids
    assert expected, "the request finds nothing: the comparison would prove nothing"
    assert doors == {door: expected for door in doors}


def test_the_restricted_draft_is_found_by_the_admin_and_by_no_public_door(
    client: TestClient, searcher: Searcher
) -> None:
    query = QUERIES[0]
    restricted = answer(searcher, SearchRequest(query, k=K, include_restricted=True)).hits[0].record
    assert SECRET_WORD in restricted.text
    public = _doors(client, searcher, query, admin=False)
    expected = answer(searcher, SearchRequest(query, k=K)).ids
    assert public == {door: expected for door in public}
    assert restricted.id not in expected


def test_exact_means_one_thing_everywhere(client: TestClient, searcher: Searcher) -> None:
    # A typo is corrected unless exact, by the entry point, for the API as for a direct caller.
    corrected = answer(searcher, SearchRequest("ruarl crime", exact=False)).parsed
    typed = answer(searcher, SearchRequest("ruarl crime", exact=True)).parsed
    assert corrected.corrected and not typed.corrected
    api = client.get("/search", params={"q": "ruarl crime", "exact": "true"}).json()
    assert api["analysis"]["corrected"] == {}


def test_a_blank_query_lists_only_where_the_door_lists(searcher: Searcher) -> None:
    with pytest.raises(QueryError):
        answer(searcher, SearchRequest("   "))
    listed = answer(searcher, SearchRequest("", Filters.parse(body="panel"), k=3, listing=True))
    assert 0 < len(listed.hits) <= 3 and all("panel" in (h.record.citation.body or "").lower() for h in listed.hits)
