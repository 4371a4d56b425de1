"""The admin API and access levels: restricted documents never reach a public response."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexer.encode.embed import Embedder
from indexer.index.build import build_index
from search_api.app import create_app
from search_api.retrieval import Searcher
from search_api.settings import Settings

from .conftest import FIXTURE_CORPUS, RESTRICTED, SECRET_WORD

TOKEN = "s3cret-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def app_root(tmp_path: Path, embedder: Embedder) -> Path:
    shutil.copytree(FIXTURE_CORPUS, tmp_path / "corpus")
    build_index([tmp_path / "corpus"], tmp_path / "index", embedder, root=tmp_path)
    return tmp_path


def _client(root: Path, embedder: Embedder, **settings: object) -> TestClient:
    config = Settings(index_dir=root / "index", **settings)  # type: ignore[arg-type]
    return TestClient(create_app(config, searcher=Searcher(root / "index", embedder)))


def _all_routes(routes: list[object]) -> list[object]:
    """Every route of the app, looking inside included routers."""
    out: list[object] = []
    for route in routes:
        inner = getattr(route, "original_router", None) or getattr(route, "router", None)
        if inner is not None and hasattr(inner, "routes") and not hasattr(route, "path"):
            out += _all_routes(inner.routes)
        else:
            out.append(route)
    return out


def _upload(client: TestClient, access: str = "restricted", headers: dict[str, str] | None = None) -> object:
    files = {"file": ("draft response.txt", RESTRICTED.encode(), "text/plain")}
    return client.post(
        "/documents", files=files, data={"access": access}, headers=ADMIN if headers is None else headers
    )


def test_admin_routes_are_off_without_a_configured_token(app_root: Path, embedder: Embedder) -> None:
    client = _client(app_root, embedder)
    response = client.post("/reindex", headers=ADMIN)
    assert response.status_code == 403 and "PANEL_SEARCH_ADMIN_TOKEN" in response.json()["detail"]


def test_admin_routes_need_the_right_bearer_token(app_root: Path, embedder: Embedder) -> None:
    client = _client(app_root, embedder, admin_token=TOKEN)
    assert client.post("/reindex").status_code == 401
    assert client.post("/reindex", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/reindex", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    assert client.delete("/documents/corpus/northshire_2023-03-06.txt").status_code == 401
    assert _upload(client, headers={}).status_code == 401  # type: ignore[attr-defined]
    response = client.post("/reindex", headers=ADMIN)
    assert response.status_code == 200 and response.json()["generation"]


def test_restricted_text_reaches_no_public_route(app_root: Path, embedder: Embedder) -> None:
    client = _client(app_root, embedder, admin_token=TOKEN)
    public_before = client.get("/health").json()["record_count"]
    response = _upload(client)
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    document = response.json()["document"]  # type: ignore[attr-defined]
    assert document == "uploads/draft-response.txt"

    found = client.get("/search", params={"q": f"{SECRET_WORD} pilot"}, headers=ADMIN).json()["results"]
    secret = next(r for r in found if SECRET_WORD in r["text"])
    assert client.get("/health", headers=ADMIN).json()["record_count"] > public_before
    assert client.get("/health").json()["record_count"] == public_before

    # Every GET route of the app, with the restricted record's id, document, meeting and asker.
    values = {
        "record_id": secret["id"],
        "name": document,
        "date": secret["citation"]["meeting_date"],
        "key": secret["citation"]["asker_key"],
    }
    queries = {
        "q": "the pilot for rural patrols under review",
        "lines": "1-5",
        "body": "Northshire Police and Crime Panel",
        "asker": "zq",
    }
    walked = 0
    for route in _all_routes(client.app.routes):  # type: ignore[attr-defined]
        if "GET" not in getattr(route, "methods", set()) or route.path in (
            "/openapi.json",
            "/docs",
            "/redoc",
            "/docs/oauth2-redirect",
        ):
            continue
        path = route.path
        for param in route.param_convertors:
            path = path.replace("{" + param + "}", values[param]).replace("{" + param + ":path}", values[param])
        response = client.get(path, params=queries)
        walked += 1
        assert SECRET_WORD not in response.text, path
        if response.status_code != 404:  # a 404 may echo the id asked for; nothing else may show it
            assert secret["id"] not in response.text, path
    assert walked >= 12
    # The same query with the token does find it, so the public answers above were filtered.
    with_token = client.get("/search", params={"q": queries["q"]}, headers=ADMIN).text
    assert SECRET_WORD in with_token
    for form in ({"question": "Will the pilot for rural patrols be funded?", "response": "It costs £50,000."},):
        assert SECRET_WORD not in client.post("/draft-check", json=form).text
        assert SECRET_WORD not in client.post("/draft", data=form).text
    # With the token the same routes show it.
    assert client.get(f"/records/{secret['id']}", headers=ADMIN).status_code == 200
    assert SECRET_WORD in client.get(f"/documents/{document}", headers=ADMIN).text


def test_documents_can_be_replaced_and_removed(app_root: Path, embedder: Embedder) -> None:
    client = _client(app_root, embedder, admin_token=TOKEN)
    first = _upload(client, access="public").json()  # type: ignore[attr-defined]
    assert (
        client.get("/search", params={"q": SECRET_WORD}).json()["results"][0]["citation"]["document"]
        == first["document"]
    )
    again = _upload(client, access="public").json()  # type: ignore[attr-defined]
    assert again["unchanged"] and again["generation"] == first["generation"]
    removed = client.delete(f"/documents/{first['document']}", headers=ADMIN)
    assert removed.status_code == 200 and removed.json()["generation"] != first["generation"]
    results = client.get("/search", params={"q": SECRET_WORD}, headers=ADMIN).json()["results"]
    assert all(SECRET_WORD not in r["text"] for r in results)
    gone = client.delete("/documents/uploads/draft-response.txt", headers=ADMIN)
    assert gone.status_code == 422 and "not in the index" in gone.json()["detail"]
    for bad in ("../../etc/passwd", "corpus/../../pyproject.toml", "%2e%2e/%2e%2e/pyproject.toml"):
        response = client.delete(f"/documents/{bad}", headers=ADMIN)
        assert response.status_code in (404, 422), bad  # never a file-system path: refused
    assert (app_root / "corpus" / "northshire_2023-03-06.txt").exists()


def test_uploads_are_bounded_and_checked(app_root: Path, embedder: Embedder) -> None:
    client = _client(app_root, embedder, admin_token=TOKEN, max_upload_bytes=1000)
    big = {"file": ("big.txt", b"x" * 5000, "text/plain")}
    assert client.post("/documents", files=big, headers=ADMIN).status_code == 413
    pdf = {"file": ("slides.pptx", b"PK\x03\x04", "application/octet-stream")}
    assert client.post("/documents", files=pdf, headers=ADMIN).status_code == 415
    empty = {"file": ("empty.txt", b"", "text/plain")}
    response = client.post("/documents", files=empty, headers=ADMIN)
    assert response.status_code == 422 and "empty" in response.json()["detail"]
    odd = {"file": ("x.txt", RESTRICTED.encode(), "text/plain")}
    response = client.post("/documents", files=odd, data={"meeting_date": "31/12/2023"}, headers=ADMIN)
    assert response.status_code == 422 and "YYYY-MM-DD" in response.json()["detail"]


def test_cors_is_closed_unless_configured(app_root: Path, embedder: Embedder) -> None:
    preflight = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"}
    closed = _client(app_root, embedder).options("/search", headers=preflight)
    assert "access-control-allow-origin" not in closed.headers
    opened = _client(app_root, embedder, cors_origins=["https://elsewhere.example"]).options(
        "/search", headers=preflight
    )
    assert opened.headers.get("access-control-allow-origin") == "https://elsewhere.example"
