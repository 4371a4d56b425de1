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


def test_reindexing_is_idempotent_and_documents_can_be_removed(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["index", "--index-dir", "idx"]) == 0
    capsys.readouterr()
    assert cli.main(["index", "--index-dir", "idx"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    extra = workdir / "extra.txt"
    extra.write_text(
        "WESTSHIRE POLICE AND CRIME PANEL\n\nDATE: 9th May 2023\n\nMembers asked about the new drones unit.\n"
    )
    assert cli.main(["index", str(extra), "--index-dir", "idx", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert sorted(d["path"] for d in report["manifest"]["documents"]) == [
        "corpus/northshire_2023-03-06.txt",
        "extra.txt",
    ]
    extra.write_text(
        "WESTSHIRE POLICE AND CRIME PANEL\n\nDATE: 9th May 2023\n\nMembers asked about the new helicopter unit.\n"
    )
    assert cli.main(["index", str(extra), "--index-dir", "idx", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert not report["unchanged"] and report["embedded"] >= 1  # the changed document replaced its records
    assert cli.main(["search", "helicopter unit", "--index-dir", "idx", "--json", "--k", "1"]) == 0
    assert "helicopter" in json.loads(capsys.readouterr().out)["results"][0]["text"]
    assert cli.main(["remove", "extra.txt", "--index-dir", "idx"]) == 0
    assert "indexed 1 of 1 documents" in capsys.readouterr().out
    assert cli.main(["search", "helicopter unit", "--index-dir", "idx", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert results and all("helicopter" not in r["text"] for r in results)
    assert cli.main(["remove", "extra.txt", "--index-dir", "idx"]) == 2
    assert "not in the index: extra.txt" in capsys.readouterr().err
