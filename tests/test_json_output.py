"""``--format json`` is versioned and described by schemas/output.schema.json; what CI reads
from it (every current document with its state, the counts) is there in every case."""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import MINIMAL, ROOT

from dangjian_docs.cli import main
from dangjian_docs.repo import init_repo
from dangjian_docs.resources import schemas_dir

SCHEMA = json.loads((schemas_dir() / "output.schema.json").read_text("utf-8"))
NO_PLAN = ROOT / "tests" / "data" / "truth-joint.yaml"  # has no plan: build --kind all skips it


def run_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: object) -> dict[str, Any]:
    """The JSON object a command prints on stdout, checked against the published schema."""
    monkeypatch.setattr(sys, "argv", ["dangjian-docs", *map(str, args), "--format", "json"])
    with contextlib.suppress(SystemExit):  # the exit code is tested elsewhere
        main()
    report = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    return report


def states(report: dict[str, Any]) -> dict[str, str]:
    return {f"{Path(d['source']).name}:{d['kind']}": d["state"] for d in report["documents"]}


def test_the_schema_is_a_valid_schema_and_ships_with_the_package() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert (ROOT / "schemas" / "output.schema.json").read_bytes() == (schemas_dir() / "output.schema.json").read_bytes()


def test_validate_a_file(monkeypatch, capsys) -> None:
    report = run_json(monkeypatch, capsys, "validate", MINIMAL)
    assert report["version"] == 1 and report["command"] == "validate" and report["files"] == 1
    assert "documents" not in report and report["warnings"] > 0


def test_build_a_file_lists_built_and_skipped_documents(monkeypatch, capsys, tmp_path: Path) -> None:
    report = run_json(monkeypatch, capsys, "build", NO_PLAN, "-o", tmp_path)
    assert states(report) == {"truth-joint.yaml:summary": "built", "truth-joint.yaml:report": "built",
                              "truth-joint.yaml:ledger": "built", "truth-joint.yaml:plan": "skipped",
                              "truth-joint.yaml:report-duty": "skipped", "truth-joint.yaml:article": "skipped"}
    assert (report["generated"], report["skipped"], report["failed"]) == (3, 3, 0)
    for document in report["documents"]:
        assert document["path"] is None or (Path(document["path"]).is_file())
    again = run_json(monkeypatch, capsys, "build", NO_PLAN, "-o", tmp_path)  # a file is always written afresh
    assert again["generated"] == 3


def test_a_refused_build_says_nothing_was_made(monkeypatch, capsys, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINIMAL.read_text("utf-8").replace("kind: 党总支", "kind: 党小组", 1), "utf-8")
    report = run_json(monkeypatch, capsys, "build", broken, "-o", tmp_path / "out")
    assert report["errors"] >= 1 and report["generated"] == 0 and report["documents"] == []


@pytest.fixture
def county(tmp_path: Path) -> Path:
    folder = tmp_path / "county"
    init_repo(folder)
    return folder


def test_repo_builds_changed_unchanged_and_removed(monkeypatch, capsys, county: Path) -> None:
    validated = run_json(monkeypatch, capsys, "validate", county)
    assert validated["command"] == "validate" and validated["files"] == 4

    first = run_json(monkeypatch, capsys, "build", county, "-j", "1")
    assert first["generated"] == 10 and set(states(first).values()) == {"built"}
    assert all(Path(d["path"]).is_file() for d in first["documents"])

    same = run_json(monkeypatch, capsys, "build", county, "-j", "1")  # no change: CI still sees every document
    assert (same["generated"], same["unchanged"]) == (0, 10)
    assert states(same) == {k: "unchanged" for k in states(first)}
    assert {d["path"] for d in same["documents"]} == {d["path"] for d in first["documents"]}
    assert same["seconds"] >= 0

    shutil.copy(NO_PLAN, county / "数据" / "2025" / "城南社区.yaml")
    (county / "数据" / "2025" / "青溪县汇总.yaml").unlink()
    changed = run_json(monkeypatch, capsys, "build", county, "-j", "1")
    found = states(changed)
    assert found["城南社区.yaml:plan"] == "skipped" and found["城南社区.yaml:summary"] == "built"
    assert found["青溪县汇总.yaml:rollup"] == "removed" and changed["deleted"] == 1
    assert found["青山镇卫生院.yaml:report"] == "unchanged"
    assert (changed["generated"], changed["unchanged"], changed["skipped"]) == (2, 9, 1)
