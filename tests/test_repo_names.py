"""Repo builds name, replace and clean up files as single-file builds do."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import cli_output as run

from dangjian_docs import writing
from dangjian_docs.cli import cli
from dangjian_docs.repo import output, workers
from dangjian_docs.repo.build import build_repo, check_repo
from dangjian_docs.repo.config import load_config

DATA = "数据/2025/青溪县中医院.yaml"
REGION = "数据/2025/青溪县汇总.yaml"



@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "county"
    run("init", folder)
    return folder


@pytest.mark.parametrize(("title", "why"), [("CON", "Windows 保留的设备名"),
                                            ("计划\u202egpj.docx", "U+202E")])
def test_a_title_no_file_may_have_is_refused_before_anything_is_written(
        repo: Path, title: str, why: str) -> None:
    data = repo / DATA
    text = data.read_text("utf-8")
    assert "  plan: {date: 2025-01-15}\n" in text
    data.write_text(text.replace("  plan: {date: 2025-01-15}\n",
                                 f'  plan: {{date: 2025-01-15, title: "{title}"}}\n'), "utf-8")
    out = run("build", repo, "-j", "1", code=1)
    assert "青溪县中医院.yaml" in out and "documents.plan.title" in out
    assert "不能用作文件名" in out and why in out
    assert "没有生成任何文件" in out
    assert not list(repo.rglob("*.docx"))
    assert "documents.plan.title" in run("validate", repo, code=1)


def test_a_roll_up_title_no_file_may_have_is_refused_before_anything_is_written(repo: Path) -> None:
    region = repo / REGION
    text = region.read_text("utf-8")
    text += "documents:\n  rollup: {title: CON}\n" if "\ndocuments:" not in text else ""
    region.write_text(text, "utf-8")
    out = run("build", repo, "-j", "1", code=1)
    assert "documents.rollup.title" in out and "Windows 保留的设备名" in out
    assert not list(repo.rglob("*.docx"))


def test_titles_equal_once_normalised_are_a_clash(repo: Path) -> None:
    data = repo / DATA
    text = data.read_text("utf-8")
    composed, decomposed = "Caf\u00e9计划", "Cafe\u0301计划"
    data.write_text(text.replace("  plan: {date: 2025-01-15}\n",
                                 f"  plan: {{date: 2025-01-15, title: {composed}}}\n"), "utf-8")
    other = text.replace("  name: 青溪县中医院党总支\n", "  name: 青溪县另一医院党总支\n")
    (data.parent / "另一家.yaml").write_text(
        other.replace("  plan: {date: 2025-01-15}\n", f"  plan: {{date: 2025-01-15, title: {decomposed}}}\n"),
        "utf-8")
    out = run("build", repo, "-j", "1", code=1)
    clashes = [line for line in out.splitlines() if "同名" in line]
    assert len(clashes) == 1 and "计划.docx" in clashes[0]
    assert not list(repo.rglob("*.docx"))


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_regenerated_documents_keep_their_permissions_and_new_ones_honour_the_umask(repo: Path) -> None:
    previous = os.umask(0o027)
    try:
        run("build", repo, "-j", "1")
        documents = sorted((repo / "文稿").rglob("*.docx"))
        assert {stat.S_IMODE(p.stat().st_mode) for p in documents} == {0o640}
        documents[0].chmod(0o604)
        os.umask(0o022)
        run("build", repo, "-j", "1", "--force")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(documents[0].stat().st_mode) == 0o604
    assert stat.S_IMODE(documents[1].stat().st_mode) == 0o640  # replaced, not reset to the umask's 0644


def test_a_single_file_builds_set_killed_mid_commit_is_completed_not_torn(repo: Path) -> None:
    run("build", repo, "-j", "1")
    folder = repo / "文稿" / "单独"
    folder.mkdir()
    for name in ("a.docx", "b.docx"):
        (folder / name).write_bytes(b"old")
    # write_set killed after its journal and the first of two renames
    entries = [writing._Entry(name, writing._write_temp(folder, name, b"new"), None) for name in ("a.docx", "b.docx")]
    entries = [writing._with_backup(folder, entry) for entry in entries]
    writing._write_journal(folder, entries, forward=True)
    os.replace(folder / entries[0].temp, folder / "a.docx")
    run("build", repo, "-j", "1", "--force")
    assert (folder / "a.docx").read_bytes() == (folder / "b.docx").read_bytes() == b"new"
    assert sorted(p.name for p in folder.iterdir()) == ["a.docx", "b.docx"]


def test_a_document_that_vanishes_as_it_is_written_is_a_failure_not_a_traceback(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def vanishing(path: Path, content: bytes) -> None:
        """Written, then removed by another program before the build looks at it."""

    monkeypatch.setattr(output, "replace_file", vanishing)
    result = CliRunner().invoke(cli, ["build", str(repo), "-j", "1"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "失败 10 份" in result.output and "无法写入文件" in result.output
    assert "Traceback" not in result.output


def test_models_kept_between_checking_and_making_are_forgotten_after_a_run(repo: Path) -> None:
    check_repo(load_config(repo), jobs=1)
    assert not workers._shelf.models and workers._shelf.held == 0
    data = repo / DATA
    data.write_text(data.read_text("utf-8").replace("staff: 300", "staff: 很多"), "utf-8")
    outcome = build_repo(load_config(repo), jobs=1)  # stops at the error: nothing is made
    assert outcome.stopped
    assert not workers._shelf.models and workers._shelf.held == 0
