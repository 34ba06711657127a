"""A roll-up from remembered facts: a rebuild reads only the institutions that changed, and says
and writes exactly what a build reading every file says and writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import dangjian_docs.region.validation as region_validation
from dangjian_docs.api import render_region
from dangjian_docs.repo import build_repo, default_config
from dangjian_docs.repo.manifest import FACTS_NAME, MANIFEST_NAME

REGION = Path(__file__).resolve().parent / "data" / "region"


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """The region example in a repo, with last year's file of one hospital whose members do not
    carry over (a warning the facts must remember too)."""
    root = tmp_path / "county"
    shutil.copytree(REGION, root / "2025")
    (root / "2024").mkdir()
    (root / "2025" / "hospitals" / "renmin-2024.yaml").rename(root / "2024" / "renmin-2024.yaml")
    edit(root / "2025" / "hospitals" / "renmin-2025.yaml", "transferred_in: 3", "transferred_in: 5")
    (root / ".git").mkdir()
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def build(root: Path) -> tuple[bytes, list[dict[str, Any]]]:
    """The roll-up's bytes and every diagnostic of a build (``-j 1``: in this process)."""
    outcome = build_repo(default_config(root), jobs=1)
    assert not outcome.stopped and not outcome.failed, [d.message for d in outcome.diagnostics]
    rollups = list((root / "文稿" / "2025").glob("*公立医疗卫生机构*.docx"))
    assert len(rollups) == 1, rollups
    return rollups[0].read_bytes(), sorted((d.as_dict() for d in outcome.diagnostics), key=json.dumps)


def cold(root: Path) -> tuple[bytes, list[dict[str, Any]]]:
    """A build that remembers nothing."""
    shutil.rmtree(root / "文稿", ignore_errors=True)
    return build(root)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The year files the region's checks validate (rather than take from remembered facts)."""
    seen: list[str] = []
    real = region_validation.validate

    def validate(source: Any) -> Any:
        result = real(source)
        seen.append(Path(result.source.path).name)
        return result

    monkeypatch.setattr(region_validation, "validate", validate)
    return seen


def test_a_rebuild_reads_only_the_changed_institution_and_writes_the_same(county: Path, counted: list[str]) -> None:
    build(county)
    assert (county / "文稿" / FACTS_NAME).is_file()
    assert len(counted) == 6  # five institutions' files and last year's, once: the roll-up reuses the check's
    counted.clear()
    edit(county / "2025" / "hospitals" / "zhongyi-2025.yaml", "staff: 356", "staff: 357")
    rollup, diagnostics = build(county)
    assert counted == ["zhongyi-2025.yaml"]  # by the region's check; the roll-up itself reads none
    assert any(d["code"] == "member-continuity" for d in diagnostics)  # remembered, said again
    fresh_rollup, fresh_diagnostics = cold(county)
    assert rollup == fresh_rollup
    assert diagnostics == fresh_diagnostics
    # and the roll-up is the one the API writes from the files themselves
    assert render_region(county / "2025" / "region-2025.yaml")[1] == rollup


def test_the_roll_up_says_the_members_change_from_remembered_facts(county: Path) -> None:
    from test_history import docx_text

    build(county)
    edit(county / "2025" / "townships" / "xizhen-2025.yaml", "\nyear: 2025", "\nyear: 2025  # checked")
    rollup, _ = build(county)
    assert "较上年" in docx_text(rollup)
    assert rollup == cold(county)[0]


def tamper(root: Path, change: Any) -> None:
    path = root / "文稿" / FACTS_NAME
    raw = json.loads(path.read_text(encoding="utf-8"))
    change(raw["regions"]["2025/region-2025.yaml"]["files"])
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def wrong_hash(files: dict[str, Any]) -> None:
    record = next(r for shown, r in files.items() if shown.endswith("renmin-2025.yaml"))
    record["facts"]["figures"]["staff"] += 1000
    record["facts"]["hospital"] = "别的医院"
    record["id"] = "0" * 64


def malformed(files: dict[str, Any]) -> None:
    for record in files.values():
        record["facts"]["figures"] = {"staff": "820"}


def wrong_types(files: dict[str, Any]) -> None:
    for record in files.values():
        record["facts"]["diagnostics"] = [{"severity": "error", "code": 1}]
        record["facts"]["valid"] = "yes"


@pytest.mark.parametrize("change", [wrong_hash, malformed, wrong_types])
def test_a_tampered_record_changes_nothing(county: Path, change: Any, counted: list[str]) -> None:
    build(county)
    tamper(county, change)
    counted.clear()
    edit(county / "2025" / "hospitals" / "zhongyi-2025.yaml", "staff: 356", "staff: 357")
    rollup, diagnostics = build(county)
    assert "renmin-2025.yaml" in counted  # not believed: read again
    assert (rollup, diagnostics) == cold(county)


@pytest.mark.parametrize("content", [b"not json", b"[]", b'{"format": 1, "tool": "other", "regions": {}}',
                                     b"\xff\xfe", b'{"format": 1}'])
def test_an_unusable_facts_file_is_ignored(county: Path, content: bytes) -> None:
    build(county)
    (county / "文稿" / FACTS_NAME).write_bytes(content)
    edit(county / "2025" / "hospitals" / "zhongyi-2025.yaml", "staff: 356", "staff: 357")
    assert build(county) == cold(county)


def test_the_facts_file_is_json_beside_the_manifest(county: Path) -> None:
    build(county)
    out = county / "文稿"
    raw = json.loads((out / FACTS_NAME).read_text(encoding="utf-8"))
    assert set(raw["regions"]) == {"2025/region-2025.yaml"}
    assert (out / MANIFEST_NAME).is_file()
    assert not list(out.glob("*.tmp"))
