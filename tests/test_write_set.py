"""Writing a build's documents as one set: all or nothing, no leftovers, readable modes, one writer."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL

import dangjian_docs
from dangjian_docs import DangjianError, writing
from dangjian_docs.writing import WriteFailure, name_problem, write_set

OLD = [("plan.docx", b"old plan"), ("summary.docx", b"old summary"), ("report.docx", b"old report")]
NEW = [("plan.docx", b"new plan"), ("summary.docx", b"new summary"), ("report.docx", b"new report")]


def contents(folder: Path) -> dict[str, bytes]:
    """Every entry in ``folder``, hidden ones included, with the bytes of the files."""
    return {p.name: (p.read_bytes() if p.is_file() else b"<dir>") for p in sorted(folder.iterdir())}


def test_a_set_is_written_with_nothing_else_left(tmp_path: Path) -> None:
    written = write_set(tmp_path / "out", NEW)
    assert written == [tmp_path / "out" / name for name, _ in NEW]
    assert contents(tmp_path / "out") == dict(NEW)


def test_a_name_taken_by_a_folder_leaves_the_old_set_whole(tmp_path: Path) -> None:
    write_set(tmp_path, OLD[:2])
    (tmp_path / "report.docx").mkdir()  # the case: the report's name is a folder
    with pytest.raises(WriteFailure) as info:
        write_set(tmp_path, NEW)
    assert info.value.path == tmp_path / "report.docx" and "文件夹" in info.value.reason
    assert contents(tmp_path) == {**dict(OLD[:2]), "report.docx": b"<dir>"}


def test_a_rename_failing_midway_puts_back_the_renamed_files(tmp_path: Path, monkeypatch) -> None:
    write_set(tmp_path, OLD[:2])  # report.docx is new in the second set
    real_replace = os.replace

    def failing(src, dst, *args, **kwargs):
        if Path(dst).name == "summary.docx" and Path(src).name.startswith(writing.TEMP_PREFIX):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(WriteFailure) as info:
        write_set(tmp_path, [NEW[2], NEW[0], NEW[1]])  # report and plan renamed before summary fails
    assert info.value.reason == "磁盘空间不足"
    monkeypatch.setattr(os, "replace", real_replace)
    assert contents(tmp_path) == dict(OLD[:2])  # plan back to old, the new report gone


def test_stale_temporaries_of_ours_are_cleared_and_others_kept(tmp_path: Path) -> None:
    (tmp_path / ".dangjian-tmp-abc123.docx").write_bytes(b"half")
    (tmp_path / ".dangjian-bak-abc123.docx").write_bytes(b"old")
    (tmp_path / ".notes.tmp").write_bytes(b"someone else's")
    write_set(tmp_path, NEW[:1])
    assert contents(tmp_path) == {".notes.tmp": b"someone else's", "plan.docx": b"new plan"}


def test_an_interrupted_rename_phase_is_completed_by_the_next_build(tmp_path: Path) -> None:
    """As a build killed after its first rename leaves it: a journal, one file new, two old."""
    write_set(tmp_path, OLD)
    entries = [writing._Entry(name, writing._write_temp(tmp_path, name, data), None) for name, data in NEW]
    entries = [writing._with_backup(tmp_path, e) for e in entries]
    writing._write_journal(tmp_path, entries, forward=True)
    os.replace(tmp_path / entries[0].temp, tmp_path / "plan.docx")
    assert (tmp_path / "plan.docx").read_bytes() == b"new plan"
    write_set(tmp_path, [("other.docx", b"x")])  # any later build settles the folder first
    assert contents(tmp_path) == {**dict(NEW), "other.docx": b"x"}


def test_a_second_build_waits_for_the_folder_lock(tmp_path: Path) -> None:
    with writing._locked(tmp_path, 1):
        with pytest.raises(WriteFailure) as info:
            write_set(tmp_path, NEW, lock_timeout=0.2)
        assert "另一个生成过程" in info.value.reason
        assert not [p for p in tmp_path.iterdir() if p.name != writing.LOCK_NAME]
    finished = []
    with writing._locked(tmp_path, 1):
        waiter = threading.Thread(target=lambda: finished.append(write_set(tmp_path, NEW, lock_timeout=10)))
        waiter.start()
        time.sleep(0.3)
        assert not finished and not (tmp_path / "plan.docx").exists()  # it waits, writing nothing
    waiter.join(10)
    assert finished and contents(tmp_path) == dict(NEW)  # and the lock file is gone


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_honour_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write_set(tmp_path, NEW[:1])
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "plan.docx").stat().st_mode) == mode


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_rebuilding_keeps_an_existing_files_mode(tmp_path: Path) -> None:
    write_set(tmp_path, OLD[:1])
    (tmp_path / "plan.docx").chmod(0o640)
    write_set(tmp_path, NEW[:1])
    assert (tmp_path / "plan.docx").read_bytes() == b"new plan"
    assert stat.S_IMODE((tmp_path / "plan.docx").stat().st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_symlink_in_the_way_is_replaced_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(b"precious")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "plan.docx").symlink_to(target)
    write_set(tmp_path / "out", NEW[:1])
    assert target.read_bytes() == b"precious"
    assert not (tmp_path / "out" / "plan.docx").is_symlink()
    assert contents(tmp_path / "out") == dict(NEW[:1])


@pytest.mark.parametrize("title", [
    "CON", "con", "nul", "COM1", "lpt9", "CON.txt", "aux.报告", "NUL ", "COM¹",
    "", " ", ".", "..", "/", "...", " . ", "\\", "???",
    "2025年工作计划\u202e", "\u200b2025年", "a\u2066b",
])
def test_names_no_file_system_can_hold_are_refused(title: str) -> None:
    assert name_problem(title)


@pytest.mark.parametrize("title", ["2025年党建工作计划", "CONTENT", "console计划", "COM10", "a.b",
                                   "关于 2025 年的汇报"])
def test_ordinary_titles_are_accepted(title: str) -> None:
    assert name_problem(title) is None


def with_titles(folder: Path, **titles: str) -> Path:
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    for kind, title in titles.items():
        data.setdefault("documents", {}).setdefault(kind, {})["title"] = title
    path = folder / "titles.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("titles", "path"), [
    ({"plan": "年度文稿", "report": "年度文稿"}, "documents.report.title"),
    ({"plan": "Annual", "report": "ANNUAL"}, "documents.report.title"),
])
def test_two_kinds_with_one_file_name_write_nothing(tmp_path: Path, titles: dict, path: str) -> None:
    data = with_titles(tmp_path, **titles)
    with pytest.raises(DangjianError) as info:
        dangjian_docs.build(data, ["plan", "report"], tmp_path / "out")
    [d] = info.value.diagnostics
    assert (d.code, d.path) == ("name-clash", path)
    assert "工作计划" in d.message and "情况汇报" in d.message and "覆盖" in d.message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("title", ["CON", "nul.txt", "..", "/", "计划\u202excod.exe"])
def test_a_title_windows_cannot_hold_is_refused_with_its_data_path(tmp_path: Path, title: str) -> None:
    data = with_titles(tmp_path, plan=title)
    with pytest.raises(DangjianError) as info:
        dangjian_docs.build(data, ["plan", "report"], tmp_path / "out")
    [d] = info.value.diagnostics
    assert (d.code, d.path, d.file) == ("bad-file-name", "documents.plan.title", str(data))
    assert "不能用作文件名" in d.message
    assert not (tmp_path / "out").exists()


def test_the_api_keeps_the_old_documents_when_one_cannot_be_written(tmp_path: Path) -> None:
    first = dangjian_docs.build(MINIMAL, ["plan", "report"], tmp_path)
    before = {p: p.read_bytes() for p in first}
    plan, report = first
    plan.unlink()
    plan.mkdir()  # the plan's name is now taken by a folder
    with pytest.raises(DangjianError) as info:
        dangjian_docs.build(MINIMAL, ["report", "plan"], tmp_path)
    [d] = info.value.diagnostics
    assert d.code == "write-failed" and "同名的文件夹" in d.message and "计划" in (d.file or "")
    assert report.read_bytes() == before[report]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in first)


def test_temporaries_left_by_the_old_writer_are_cleared(tmp_path: Path) -> None:
    """Before the set writer, a killed build left ``.<title>.<random>.tmp`` files nothing removed."""
    (tmp_path / ".plan.k2j4_x9a.tmp").write_bytes(b"half")
    (tmp_path / ".summary.abcdefgh.tmp").write_bytes(b"half")
    (tmp_path / ".elsewhere.abcdefgh.tmp").write_bytes(b"not a document of this set")
    write_set(tmp_path, NEW[:2])
    assert contents(tmp_path) == {**dict(NEW[:2]), ".elsewhere.abcdefgh.tmp": b"not a document of this set"}


@pytest.mark.parametrize("title", ["\u3000", " \u3000 "])
def test_a_title_of_wide_spaces_is_blank(title: str) -> None:
    assert name_problem(title) and "空" in (name_problem(title) or "")


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="O_NOFOLLOW")
def test_a_lock_file_replaced_by_a_symlink_is_refused_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "target").write_bytes(b"")
    (tmp_path / writing.LOCK_NAME).symlink_to(tmp_path / "target")
    with pytest.raises(WriteFailure) as info:
        write_set(tmp_path, NEW[:1])
    assert info.value.reason == "路径中有不允许的符号链接"
    assert not (tmp_path / "plan.docx").exists()


def test_security_doc_cites_real_tests_and_the_limits_in_force() -> None:
    """docs/security.md's data and write sections: every cited test exists, every limit is current."""
    import re

    from conftest import ROOT

    from dangjian_docs.loading import text, yaml_tree

    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    sections = "".join(doc[doc.index(h):].split("\n## ", 1)[0] for h in ("## 读取数据文件", "## 写入文稿"))
    cited = set(re.findall(r"\b(test_\w+)\b(?!\.py)", sections))
    defined = {name for path in (ROOT / "tests").glob("test_*.py")
               for name in re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.M)}
    assert len(cited) >= 15 and cited <= defined, sorted(cited - defined)
    assert f"{text.MAX_BYTES // 1024 // 1024} MB" in sections
    for limit in (yaml_tree.MAX_VALUES, yaml_tree.MAX_ALIAS_VALUES):
        assert f"{limit:,}" in sections, limit
    assert f"{yaml_tree.MAX_DEPTH} 层" in sections
    assert f"{writing.LOCK_TIMEOUT:g} 秒" in sections and f"{writing.MAX_NAME_BYTES} 字节" in sections


@pytest.mark.parametrize("names", [["../plan.docx"], ["sub/plan.docx"], [".."], [".dangjian-lock"],
                                   [".dangjian-journal.json"], [".dangjian-tmp-x.docx"], ["Plan.docx", "plan.docx"]])
def test_a_set_never_writes_outside_its_folder_or_twice_to_one_name(tmp_path: Path, names: list[str]) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(WriteFailure):
        write_set(tmp_path / "out", [(name, b"x") for name in names])
    assert [p.name for p in tmp_path.iterdir()] == ["out"] and not list((tmp_path / "out").iterdir())


def test_the_data_repos_manifest_may_be_written(tmp_path: Path) -> None:
    write_set(tmp_path, [(".dangjian-manifest.json", b"{}")])
    assert contents(tmp_path) == {".dangjian-manifest.json": b"{}"}


def test_a_journal_that_cannot_be_written_is_a_write_failure_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    write_set(tmp_path, OLD)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writing, "_write_journal", full)
    with pytest.raises(WriteFailure) as info:
        write_set(tmp_path, NEW)
    assert info.value.reason == "磁盘空间不足"
    assert contents(tmp_path) == dict(OLD)
