"""The HTTP API on an index built from the fixture corpus."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_api.retrieval import Searcher
from search_api.settings import Settings


@pytest.fixture(scope="module")
def client(fixture_searcher: Searcher) -> TestClient:
    app = create_app(Settings(index_dir=fixture_searcher.index_dir), searcher=fixture_searcher)
    return TestClient(app)


def test_search_returns_envelope_with_citations(client: TestClient) -> None:
    response = client.get("/search", params={"q": "speed cameras on country roads", "k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "speed cameras on country roads"
    assert body["count"] == len(body["results"]) >= 1
    top = body["results"][0]
    assert {"id", "kind", "text", "score", "citation"} <= set(top)
    assert "speed camera" in top["text"]
    citation = top["citation"]
    assert citation["body"] == "Northshire Police and Crime Panel"
    assert citation["meeting_date"] == "2023-03-06"
    assert citation["document"] == "corpus/northshire_2023-03-06.txt"
    assert citation["asker"] == "Cllr P Okafor"
    assert citation["label"].startswith("Northshire Police and Crime Panel, 6 March 2023")
    first, last = citation["location"]["lines"]
    assert 1 <= first <= last


def test_k_limits_result_count(client: TestClient) -> None:
    body = client.get("/search", params={"q": "officers", "k": 1}).json()
    assert body["count"] == 1


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({}, "q: Field required"),
        ({"q": ""}, "empty"),
        ({"q": "   "}, "empty"),
        ({"q": "officers", "k": 0}, "k:"),
        ({"q": "officers", "k": 51}, "k:"),
        ({"q": "officers", "k": "ten"}, "k:"),
        ({"q": "x" * 501}, "q:"),
    ],
)
def test_bad_input_gets_422_with_message(client: TestClient, params: dict[str, object], fragment: str) -> None:
    response = client.get("/search", params=params)
    assert response.status_code == 422
    assert fragment in response.json()["detail"]


@pytest.mark.parametrize("q", ["NOT OR AND", '"unclosed quote', "officers*", "NEAR(a b)", "-", "speed -cameras"])
def test_fts_syntax_in_queries_never_breaks(client: TestClient, q: str) -> None:
    response = client.get("/search", params={"q": q})
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        body = response.json()
        assert body["count"] == len(body["results"])
        assert all(r["citation"]["document"] and r["snippet"] for r in body["results"])
    else:
        assert response.json()["detail"]  # a message, never a stack trace


def test_record_by_id_and_404(client: TestClient) -> None:
    top = client.get("/search", params={"q": "neighbourhood officers moved to response duties"}).json()["results"][0]
    record = client.get(f"/records/{top['id']}")
    assert record.status_code == 200
    assert record.json()["citation"] == top["citation"]
    assert record.json()["text"] == top["text"]
    missing = client.get("/records/0000000000000000")
    assert missing.status_code == 404
    assert "no record" in missing.json()["detail"]


def test_health_reports_manifest(client: TestClient, fixture_searcher: Searcher) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["record_count"] == fixture_searcher.count > 0
    assert body["manifest"]["model_name"] == "all-MiniLM-L6-v2"
    assert body["manifest"]["dimension"] == 384
    assert body["manifest"]["record_count"] == body["record_count"]


def test_openapi_docs_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    assert {"/search", "/records/{record_id}", "/health"} <= set(schema["paths"])


@pytest.mark.parametrize(
    "q",
    [
        "speed\x00cameras",
        "\u202espeed cameras\u202c",  # right-to-left override
        "spe\u0301ed ca\u0308meras",  # combining marks
        "📷 speed cameras 🚓",
        "ｓｐｅｅｄ ｃａｍｅｒａｓ",  # full-width letters
        "speed cameras\ud7ff",
        "\t\n speed \r cameras",
        "' OR 1=1; DROP TABLE records; --",
        "speed* NEAR(cameras) ^cameras col:text",
    ],
)
def test_odd_and_hostile_queries_get_an_answer_not_an_error(client: TestClient, q: str) -> None:
    response = client.get("/search", params={"q": q})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["results"])
    if "speed" in q or "cameras" in q:  # the words survive the oddities around them: the speed camera answers
        assert any("camera" in r["text"].lower() for r in body["results"]), body["analysis"]


@pytest.mark.parametrize("q", ["\x00", "\x00\x00 \x01", "...", "🚓"])
def test_queries_with_no_words_are_422(client: TestClient, q: str) -> None:
    response = client.get("/search", params={"q": q})
    assert response.status_code == 422
    assert "query" in response.json()["detail"]
