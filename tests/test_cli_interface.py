"""The command line's manners: usage errors exit 2 in Chinese, help that reads whole, colour only
where wanted, problems on stderr and results on stdout, and the same notes from validate and build."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from conftest import MINIMAL

from dangjian_docs.cli import MAX_JOBS, Jobs, main
from dangjian_docs.repo import init_repo, workers

ROOT = Path(__file__).resolve().parent.parent
ESC = "\x1b["

Run = Callable[..., tuple[int, str, str]]


def unwrapped(text: str) -> str:
    """Help text without any white space (Click wraps it to the terminal's width, at spaces):
    compare it with a phrase passed through this too."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def run(capsys, monkeypatch) -> Run:
    """The real entry point: exit code, stdout, stderr (kept apart: which stream matters here)."""

    def invoke(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["dangjian-docs", *map(str, args)])
        code = 0
        try:
            main()
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


@pytest.mark.parametrize(("shard", "why"), [
    ("3/2", "序号 3 大于总数 2"),
    ("abc", "只能写半角数字和“/”"),
    ("１/２", "只能写半角数字和“/”"),
    ("0/2", "序号和总数都要从 1 开始"),
])
def test_a_wrong_shard_is_a_usage_error(run: Run, tmp_path: Path, shard: str, why: str) -> None:
    code, out, err = run("build", tmp_path, "--shard", shard)
    assert code == 2, err
    assert f"分片“{shard}”的写法不对：{why}" in err and "如 --shard 2/4" in err
    assert "命令用法有误" in err and not out


@pytest.mark.parametrize(("jobs", "chinese"), [
    ("0", "进程数至少为 1（写的是 0）"),
    ("abc", "“abc”不是进程数"),
    ("４", "“４”不是进程数"),
])
def test_a_wrong_job_count_is_said_in_chinese(run: Run, tmp_path: Path, jobs: str, chinese: str) -> None:
    code, _, err = run("build", tmp_path, "-j", jobs)
    assert code == 2 and chinese in err, err
    assert "is not in the range" not in err and "x>=1" not in err


def test_a_huge_job_count_is_clamped_and_documented(run: Run) -> None:
    assert Jobs().convert("100000", None, None) == MAX_JOBS == workers.MAX_JOBS == 32
    assert Jobs().convert("3", None, None) == 3
    _, help_text, _ = run("build", "--help")
    help_text = unwrapped(help_text)
    assert "[x>=1]" not in help_text and unwrapped("1 至 32") in help_text and unwrapped("大于 32 时按 32") in help_text


def test_a_huge_job_count_builds_a_repo(run: Run, tmp_path: Path) -> None:
    """``-j 100000`` once ended in ``OSError: Too many open files``; it is clamped to 32 now."""
    init_repo(tmp_path / "repo")
    code, out, err = run("build", tmp_path / "repo", "-j", "100000")
    assert code == 0, err
    assert "Traceback" not in err and "生成 10 份" in out


def test_help_keeps_file_names_whole_and_uses_full_width_colons(run: Run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _, top, _ = run("--help")
    _, build_help, _ = run("build", "--help")
    assert "选项：" in top and "命令：" in top and "选项:" not in top and "命令:" not in top
    assert "plan.docx、rollup.docx" in build_help
    assert not re.search(r"\.do\s*\n\s*cx", build_help)
    assert unwrapped("130 按 Ctrl-C 中断") in unwrapped(top)


def test_validate_help_says_it_reads_subfolders_of_a_data_tree(run: Run) -> None:
    _, text, _ = run("validate", "--help")
    assert "不含子文件夹" not in text
    assert "只在各级子文件夹中有数据文件时，按数据仓库读取全部子文件夹" in unwrapped(text)


def test_enum_hint_does_not_repeat_the_value(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "kind.yaml"
    data.write_text(MINIMAL.read_text("utf-8").replace("kind: 党总支", "kind: 党小组", 1), "utf-8")
    _, _, err = run("validate", data)
    assert "可选值：党委（党的基层委员会）、党总支（党的总支部委员会）、党支部（本身就是支部，不再下设支部）、" in err
    assert "党支部（党支部" not in err


def test_validate_and_build_report_the_same_notes(run: Run, tmp_path: Path) -> None:
    """The same file once gave 4 notes from validate and 1 from build."""
    _, validated, _ = run("validate", MINIMAL)
    _, built, _ = run("build", MINIMAL, "-o", tmp_path)
    notes = re.search(r"(\d+) 条提示", validated)
    assert notes and int(notes[1]) >= 4
    assert f"{notes[1]} 条提示" in built


def test_problems_go_to_stderr_and_results_to_stdout(run: Run, tmp_path: Path) -> None:
    code, out, err = run("build", MINIMAL, "-o", tmp_path)
    assert code == 0
    assert "警告" in err and "→" in err  # the problems and their hints
    assert out.splitlines()[0].startswith("已生成：") and out.splitlines()[-1].startswith("完成：生成了 4 份文稿")
    assert "→" not in out
    code, out, err = run("validate", MINIMAL)
    assert "→" in err and out.strip().startswith("检查了 1 个文件：0 个错误") and "→" not in out


def test_repo_progress_goes_to_stderr(run: Run, tmp_path: Path) -> None:
    init_repo(tmp_path / "repo")
    code, out, err = run("build", tmp_path / "repo", "-j", "1")
    assert code == 0, err
    assert "已生成：" in err and "校验数据" in err
    assert out.strip().startswith("共 4 个数据文件：生成 10 份") and "已生成：" not in out


@pytest.fixture
def terminal(monkeypatch) -> None:
    """As if stdout and stderr were a terminal: Click keeps colour codes there."""
    monkeypatch.setattr(click.utils, "should_strip_ansi", lambda stream=None, color=None: color is False)


def test_colour_on_a_terminal_and_none_under_no_color(run: Run, terminal: None, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, out, err = run("validate", MINIMAL)
    assert ESC in out + err
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, err = run("validate", MINIMAL)
    assert ESC not in out + err and "检查了 1 个文件" in out


def test_no_colour_when_not_a_terminal(run: Run, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, out, err = run("validate", MINIMAL)
    assert ESC not in out + err


def test_build_at_a_project_root_says_what_it_found(run: Run, monkeypatch) -> None:
    """``build .`` in this checkout reads tests and the deliberately broken samples."""
    monkeypatch.chdir(ROOT)
    code, _, err = run("validate", ".")
    assert code == 1
    assert ". 中没有配置文件 dangjian-docs.yaml，已按数据仓库读取其各级子文件夹中的" in err
    assert "samples/broken（" in err and "个有错误）" in err
    assert "请只指定数据所在的文件夹，如：dangjian-docs build " in err


@pytest.mark.parametrize("code", [2, 130])
def test_exit_codes_are_documented(run: Run, code: int) -> None:
    _, text, _ = run("--help")
    assert f"；{code}" in unwrapped(text).split("退出码：")[1]
