"""The MCP server, driven by the official SDK's client over stdio as an assistant would drive it."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from indexer.encode.embed import Embedder
from indexer.index.build import build_index
from search_api.mcp_server import may_see_restricted

from .conftest import FIXTURE_CORPUS, REPO, RESTRICTED, SECRET_WORD

TOKEN = "mcp-s3cret"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    root = tmp_path_factory.mktemp("mcp")
    shutil.copytree(FIXTURE_CORPUS, root / "corpus")
    (root / "corpus" / "draft.txt").write_text(RESTRICTED, encoding="utf-8")
    (root / "corpus" / "manifest.toml").write_text('[documents."draft.txt"]\naccess = "restricted"\n')
    build_index([root / "corpus"], root / "index", embedder, root=root)
    return root / "index"


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _session(index_dir: Path, token: str | None, calls: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Start `panel-search mcp` over stdio, list its tools and make the calls; what each returned."""
    env = {**os.environ, "PANEL_SEARCH_ADMIN_TOKEN": TOKEN, "PYTHONPATH": str(REPO)}
    args = ["-m", "search_api.cli", "mcp", "--index-dir", str(index_dir)] + (["--token", token] if token else [])
    params = StdioServerParameters(command=sys.executable, args=args, env=env, cwd=str(REPO))

    async def run() -> dict[str, Any]:
        out: dict[str, Any] = {}
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            out["tools"] = sorted(t.name for t in (await session.list_tools()).tools)
            for n, (name, arguments) in enumerate(calls):
                result = await session.call_tool(name, arguments)
                text = "".join(getattr(c, "text", "") for c in result.content)
                out[f"{n}:{name}"] = (result.is_error, result.structured_content or _json(text), text)
        return out

    return asyncio.run(run())


def test_an_assistant_lists_the_tools_searches_fetches_and_checks_a_draft(index_dir: Path) -> None:
    out = _session(
        index_dir,
        None,
        [
            ("search_records", {"query": "rural patrols and police officers", "k": 5}),
            ("check_draft", {"question": "How many officers are there?", "response": "There are 900 officers."}),
            ("search_records", {"query": SECRET_WORD, "k": 10}),
            ("get_record", {"id": "no-such-id"}),
        ],
    )
    assert {"search_records", "get_record", "list_meeting", "check_draft", "list_undertakings"} <= set(out["tools"])
    error, found, _ = out["0:search_records"]
    assert not error and found["results"]
    first = found["results"][0]
    assert first["citation"]["label"] and first["citation"]["document"] and first["text"] and first["id"]
    _, drafted, _ = out["1:check_draft"]
    assert "similar" in drafted and "differences" in drafted
    # Public: the restricted draft never appears, whatever is asked.
    _, secret, _ = out["2:search_records"]
    assert SECRET_WORD not in json.dumps(secret["results"])
    error, _, text = out["3:get_record"]
    assert error and "no record" in text


def test_a_record_is_fetched_by_the_id_a_search_gave(index_dir: Path) -> None:
    found = _session(index_dir, None, [("search_records", {"query": "rural patrols", "k": 1})])
    record_id = found["0:search_records"][1]["results"][0]["id"]
    fetched = _session(index_dir, None, [("get_record", {"id": record_id}), ("list_meeting", {"date": "not a date"})])
    error, record, _ = fetched["0:get_record"]
    assert not error and record["id"] == record_id and record["citation"]["label"]
    assert fetched["1:list_meeting"][0]  # a bad date is an error the assistant reads


def test_restricted_records_only_with_the_configured_token(index_dir: Path) -> None:
    wrong = _session(index_dir, "not-the-token", [("search_records", {"query": SECRET_WORD})])
    assert SECRET_WORD not in json.dumps(wrong["0:search_records"][1]["results"])
    right = _session(index_dir, TOKEN, [("search_records", {"query": SECRET_WORD})])
    assert SECRET_WORD in json.dumps(right["0:search_records"][1]["results"])
    assert not may_see_restricted(None, TOKEN) and not may_see_restricted(TOKEN, None)


def test_undertakings_are_listed_with_citations_and_only_with_the_token_when_restricted(index_dir: Path) -> None:
    public = _session(index_dir, None, [("list_undertakings", {}), ("list_undertakings", {"status": "done"})])
    error, listed, _ = public["0:list_undertakings"]
    assert not error and listed["count"] >= 1
    speed = next(u for u in listed["undertakings"] if "speed camera" in u["text"])
    assert speed["citation"]["label"] and speed["undertaking"]["role"] == "PCC"
    assert SECRET_WORD not in json.dumps(listed)
    assert public["1:list_undertakings"][0]  # an unknown status is an error the assistant reads
    admin = _session(index_dir, TOKEN, [("list_undertakings", {})])
    assert SECRET_WORD in json.dumps(admin["0:list_undertakings"][1])
