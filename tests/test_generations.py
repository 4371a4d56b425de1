"""Index generations: atomic switches, fallback from damage, pruning, live reload, crashes, concurrency."""

from __future__ import annotations

import logging
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from indexer.encode.embed import Embedder
from indexer.index.build import build_index
from indexer.index.generations import POINTER, current_name, generations, resolve
from indexer.index.lexical import LEXICAL_DIR
from indexer.index.manifest import EMBEDDINGS_FILE, STORE_FILE, VECTORS_FILE, IndexManifest, IndexMissingError
from search_api import live
from search_api.app import create_app
from search_api.retrieval import Searcher
from search_api.settings import Settings

from .conftest import FIXTURE_CORPUS, REPO


def _corpus(tmp_path: Path, extra: str | None = None) -> Path:
    corpus = tmp_path / "corpus"
    if not corpus.exists():
        shutil.copytree(FIXTURE_CORPUS, corpus)
    if extra:
        (corpus / "extra.txt").write_text(extra)
    return corpus


EXTRA = (
    "NORTHSHIRE POLICE AND CRIME PANEL\n\nDATE: 3rd April 2023\n\n"
    "Members noted the new rural crime team of eight officers.\n"
)


def _check_complete(root: Path, embedder: Embedder) -> Searcher:
    searcher = Searcher(root, embedder)
    generation = searcher.generation
    manifest = generation.manifest
    passages = generation.passages
    assert passages.ann.ntotal == manifest.vector_count == len(passages.owner) == len(passages.embeddings)
    assert searcher.count == manifest.record_count == generation.lexical.count > 0
    conn = sqlite3.connect(generation.path / STORE_FILE)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    return searcher


def test_each_build_is_a_new_generation_and_the_pointer_moves(tmp_path: Path, embedder: Embedder) -> None:
    corpus = _corpus(tmp_path)
    root = tmp_path / "index"
    first = build_index([corpus], root, embedder, root=tmp_path)
    second = build_index([_corpus(tmp_path, EXTRA)], root, embedder, root=tmp_path)
    assert first.generation != second.generation
    assert current_name(root) == second.generation
    assert [g.name for g in generations(root)] == [second.generation, first.generation]
    assert Searcher(root, embedder).count == second.record_count > first.record_count
    manifest = IndexManifest.read(resolve(root))
    assert {STORE_FILE, VECTORS_FILE, EMBEDDINGS_FILE} < set(manifest.checksums)
    assert any(name.startswith(f"{LEXICAL_DIR}/") for name in manifest.checksums)


def test_a_damaged_generation_falls_back_to_the_previous_one(
    tmp_path: Path, embedder: Embedder, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = _corpus(tmp_path)
    root = tmp_path / "index"
    first = build_index([corpus], root, embedder, root=tmp_path)
    second = build_index([_corpus(tmp_path, EXTRA)], root, embedder, root=tmp_path)
    vectors = root / "generations" / str(second.generation) / VECTORS_FILE
    vectors.write_bytes(vectors.read_bytes()[:100])  # a torn write
    with caplog.at_level(logging.WARNING):
        searcher = _check_complete(root, embedder)
    assert searcher.generation.name == first.generation
    assert f"serving index generation {first.generation}" in caplog.text
    assert "does not match its checksum" in caplog.text


def test_old_generations_are_pruned(tmp_path: Path, embedder: Embedder) -> None:
    corpus = _corpus(tmp_path)
    root = tmp_path / "index"
    names = [build_index([corpus], root, embedder, root=tmp_path, force=True).generation for _ in range(5)]
    assert [g.name for g in generations(root)] == names[::-1][:3]
    assert current_name(root) == names[-1]


def test_the_live_searcher_follows_the_pointer(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "CHECK_EVERY", 0.0)
    corpus = _corpus(tmp_path)
    root = tmp_path / "index"
    build_index([corpus], root, embedder, root=tmp_path)
    holder = live.LiveSearcher(root, embedder)
    before = holder.get()
    assert not before.search("rural crime team of eight officers", k=5) or all(
        "eight officers" not in h.record.text for h in before.search("rural crime team of eight officers", k=5)
    )
    build_index([_corpus(tmp_path, EXTRA)], root, embedder, root=tmp_path)
    after = holder.get()
    assert after is not before and after.generation.name == current_name(root)
    assert any("eight officers" in h.record.text for h in after.search("rural crime team of eight officers", k=5))
    assert before.search("speed cameras", k=1)  # a request holding the old searcher still completes


def test_indexer_killed_at_any_point_leaves_a_complete_index(tmp_path: Path, embedder: Embedder) -> None:
    root = tmp_path / "index"
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    build_index(
        [tmp_path / "corpus"], root, embedder, root=tmp_path, cache_path=tmp_path / "cache" / "embeddings.sqlite"
    )
    good = {g.name for g in generations(root)}
    rng = random.Random(20261123)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    kills = 0
    for _ in range(8):
        child = subprocess.Popen(
            [sys.executable, "-m", "search_api.cli", "index", "corpus", "--index-dir", "index", "--json", "--force"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stderr is not None
        line = ""
        while "loaded; indexing" not in line:  # the model is loaded: the build proper starts now
            line = child.stderr.readline()
            assert line, "the indexer ended before it started building"
        time.sleep(rng.uniform(0.0, 1.2))  # a warm-cache build takes about a second: parse, store, FAISS, publish
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait()
        searcher = _check_complete(root, embedder)
        assert searcher.generation.name in good or searcher.generation.name == current_name(root)
        good = {g.name for g in generations(root)}
    assert kills >= 4
    summary = build_index(
        [tmp_path / "corpus"],
        root,
        embedder,
        root=tmp_path,
        cache_path=tmp_path / "cache" / "embeddings.sqlite",
        force=True,
    )
    assert current_name(root) == summary.generation
    assert not list((root / "generations").glob(".staging-*"))  # a killed build's leftovers are cleared


def test_searches_keep_succeeding_while_generations_switch(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "CHECK_EVERY", 0.0)
    corpus = _corpus(tmp_path)
    root = tmp_path / "index"
    build_index([corpus], root, embedder, root=tmp_path)
    app = create_app(Settings(index_dir=root), searcher=Searcher(root, embedder))
    with socket_port() as port:
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        statuses: list[int] = []
        generations_seen: set[str] = set()
        stop = threading.Event()

        def hammer() -> None:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                while not stop.is_set():
                    statuses.append(client.get("/search", params={"q": "officers"}).status_code)
                    health = client.get("/health")
                    statuses.append(health.status_code)
                    generations_seen.add(health.json()["generation"])

        workers = [threading.Thread(target=hammer) for _ in range(3)]
        for w in workers:
            w.start()
        for n in range(3):
            build_index([_corpus(tmp_path, EXTRA + "x" * n)], root, embedder, root=tmp_path)
            time.sleep(0.3)
        stop.set()
        for w in workers:
            w.join()
        server.should_exit = True
        thread.join(timeout=10)
    assert statuses and set(statuses) == {200}
    assert len(generations_seen) >= 2


class socket_port:
    """A free loopback port, as a context manager."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        return None


def test_pointer_file_is_replaced_not_rewritten(tmp_path: Path, embedder: Embedder) -> None:
    corpus = _corpus(tmp_path)
    root = tmp_path / "index"
    build_index([corpus], root, embedder, root=tmp_path)
    inode = (root / POINTER).stat().st_ino
    build_index([corpus], root, embedder, root=tmp_path, force=True)
    assert (root / POINTER).stat().st_ino != inode  # os.replace of a new file: a reader sees old or new, never half


def test_a_single_index_from_an_older_version_gives_way_to_generations(tmp_path: Path, embedder: Embedder) -> None:
    corpus = _corpus(tmp_path)
    root = tmp_path / "index"
    build_index([corpus], root, embedder, root=tmp_path)
    generation = resolve(root)
    for name in ("manifest.json", STORE_FILE, VECTORS_FILE):  # lay an old, flat index into the folder
        shutil.copy(generation / name, root / name)
    assert resolve(root) == generation  # generations win over a flat index
    build_index([_corpus(tmp_path, EXTRA)], root, embedder, root=tmp_path)
    assert not (root / "manifest.json").exists() and not (root / VECTORS_FILE).exists()
    assert resolve(root).name == current_name(root)


def test_a_killed_indexer_leaves_no_parser_behind(tmp_path: Path) -> None:
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    child = subprocess.Popen(
        [sys.executable, "-m", "search_api.cli", "index", "corpus", "--index-dir", "index", "--json"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    line = ""
    while "loaded; indexing" not in line:
        line = child.stderr.readline()
        assert line, "the indexer ended before it started building"
    time.sleep(0.3)  # documents are being parsed in forked children
    child.send_signal(signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _orphans(tmp_path):
        time.sleep(0.2)
    assert _orphans(tmp_path) == []


def _orphans(folder: Path) -> list[int]:
    """Processes still running with their working directory in this test's folder."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if Path(os.readlink(proc / "cwd")) == folder:
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def test_a_generation_is_hashed_once_until_a_file_changes(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import indexer.index.generations as gens

    root = tmp_path / "index"
    build_index([_corpus(tmp_path)], root, embedder, root=tmp_path)
    hashed: list[str] = []
    real = gens.file_checksum
    monkeypatch.setattr(gens, "file_checksum", lambda path: hashed.append(path.name) or real(path))
    gens._VERIFIED.clear()
    first = resolve(root)
    files = len(hashed)
    assert files >= 2  # every file the manifest lists, once
    assert resolve(root) == first and resolve(root) == first
    assert len(hashed) == files  # verified already: not hashed again
    vectors = first / VECTORS_FILE
    vectors.write_bytes(vectors.read_bytes()[:100])  # damaged after it was verified
    with pytest.raises(IndexMissingError):
        resolve(root)  # the only generation, now damaged: hashed again, and refused
    assert len(hashed) > files
