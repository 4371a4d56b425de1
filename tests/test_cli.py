"""The panel-search command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from search_api import cli

from .conftest import FIXTURE_CORPUS


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURE_CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_index_then_search(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["index", "--index-dir", "idx"]) == 0
    out = capsys.readouterr().out
    assert "corpus/northshire_2023-03-06.txt: layout" in out
    assert "indexed 1 of 1 documents" in out

    assert cli.main(["search", "mobile speed camera vans", "--k", "2", "--index-dir", "idx"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("1. Northshire Police and Crime Panel, 6 March 2023")
    assert "corpus/northshire_2023-03-06.txt lines" in text

    assert cli.main(["search", "mobile speed camera vans", "--k", "2", "--json", "--index-dir", "idx"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["query"] == "mobile speed camera vans"
    assert body["count"] == len(body["results"]) <= 2
    assert body["results"][0]["citation"]["meeting_date"] == "2023-03-06"


def test_index_json_report(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["index", "corpus", "--index-dir", "idx", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["record_count"] > 0
    assert report["documents"][0]["document"] == "corpus/northshire_2023-03-06.txt"
    assert report["manifest"]["record_count"] == report["record_count"]


def test_errors_are_messages_not_tracebacks(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["search", "anything", "--index-dir", "missing"]) == 2
    assert "panel-search: error: no index at missing" in capsys.readouterr().err
    assert cli.main(["index", "no-such-folder", "--index-dir", "idx"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert cli.main(["search", "   ", "--index-dir", "idx"]) == 2
    assert cli.main(["search", "x", "--k", "0", "--index-dir", "idx"]) == 2
    assert "--k must be between 1 and 50" in capsys.readouterr().err
