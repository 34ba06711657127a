"""What a new user sees from the command line: formats, summaries, Chinese usage messages, hints."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL

from dangjian_docs.cli import main

ENGLISH = ("Directory", "is a file", "Did you mean", "No such option", "No such command", "does not exist",
           "Invalid value", "Usage:", "Error:")


@pytest.fixture
def run(capsys, monkeypatch) -> Callable[..., tuple[int, str]]:
    """Run the real entry point (with its usage-error handling): exit code, stderr + stdout (the
    problems, then the result, as a terminal shows them)."""

    def invoke(*args: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["dangjian-docs", *args])
        code = 0
        try:
            main()  # --help returns without exiting
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        out = capsys.readouterr()
        return code, out.err + out.out

    return invoke


def test_build_json_lists_the_documents_and_the_warnings(run, tmp_path: Path) -> None:
    code, out = run("build", str(MINIMAL), "-o", str(tmp_path), "--format", "json")
    assert code == 0, out
    report = json.loads(out)
    written = sorted(p.name for p in tmp_path.iterdir())
    built = [d for d in report["documents"] if d["state"] == "built"]  # 述职报告, article: skipped, with no path
    assert len(written) == 4 and sorted(Path(d["path"]).name for d in built) == written
    assert {d["kind"]: d["state"] for d in report["documents"]}["article"] == "skipped"  # no practice marked
    assert report["errors"] == 0 and report["warnings"] > 0
    assert {d["severity"] for d in report["diagnostics"]} >= {"warning"}


def test_build_github_annotates_warnings_and_names_the_documents(run, tmp_path: Path) -> None:
    code, out = run("build", str(MINIMAL), "-o", str(tmp_path), "--format", "github")
    assert code == 0, out
    lines = out.strip().splitlines()
    assert any(line.startswith("::warning file=") for line in lines)
    notices = [line for line in lines if line.startswith("::notice title=generated::已生成：")]
    assert len(notices) == 4
    assert lines[-1].startswith("完成：生成了 4 份文稿")


def test_human_build_ends_with_one_summary_line_after_the_warnings(run, tmp_path: Path) -> None:
    code, out = run("build", str(MINIMAL), "-o", str(tmp_path))
    assert code == 0, out
    lines = out.strip().splitlines()
    assert lines[-1].startswith("完成：生成了 4 份文稿") and "个警告" in lines[-1]
    last_warning = max(i for i, line in enumerate(lines) if ": 警告: " in line)
    generated = [i for i, line in enumerate(lines) if line.startswith("已生成：")]
    assert len(generated) == 4 and min(generated) > last_warning  # not scrolled away above them


def test_strict_with_only_warnings_does_not_say_the_data_has_errors(run, tmp_path: Path) -> None:
    code, out = run("build", str(MINIMAL), "-o", str(tmp_path / "out"), "--strict")
    assert code == 1
    assert "数据有错误" not in out and "--strict" in out.splitlines()[-1] and "没有生成任何文件" in out
    assert not (tmp_path / "out").exists()


def test_errors_still_say_the_data_has_errors(run, tmp_path: Path) -> None:
    data = tmp_path / "bad.yaml"
    data.write_text(MINIMAL.read_text(encoding="utf-8").replace("year: 2024", "year: 二〇二四", 1), encoding="utf-8")
    code, out = run("build", str(data), "-o", str(tmp_path / "out"), "--format", "json")
    assert code == 1 and json.loads(out)["documents"] == []


@pytest.mark.parametrize(("args", "chinese"), [
    (("build", "x.yaml", "-o", "{file}"), "是一个文件，这里要的是文件夹"),
    (("build", "x.yaml", "--templates", "{file}"), "是一个文件，这里要的是文件夹"),
    (("build", "x.yaml", "--templates", "{missing}"), "不存在"),
    (("build", "--outpt", "x"), "是不是想写 --output"),
    (("validate", "x", "--stri"), "是不是想写 --strict"),
    (("validate", "x", "--nothing-like-it"), "没有这个选项：--nothing-like-it"),
    (("buld", "x"), "是不是想写 build"),
    (("build", "x", "--kind", "memo"), "选项 --kind 的值 memo 无效"),
    (("validate", "--strict=3", "x"), "选项 --strict 后面不能带值"),
    (("build",), "缺少参数"),
])
def test_usage_mistakes_are_explained_in_chinese(run, tmp_path: Path, args: tuple[str, ...], chinese: str) -> None:
    (tmp_path / "afile").write_text("")
    filled = [a.format(file=tmp_path / "afile", missing=tmp_path / "nowhere") for a in args]
    code, out = run(*filled)
    assert code == 2, out
    assert chinese in out and "命令用法有误" in out
    assert not [word for word in ENGLISH if word in out], out


def test_an_abbreviated_key_is_matched_to_an_unused_key(run, tmp_path: Path) -> None:
    """The issue's case: ``dept`` beside ``detail`` was told to write ``detail``, a duplicate."""
    data = tmp_path / "dept.yaml"
    text = MINIMAL.read_text(encoding="utf-8")
    assert "      detail: 抓好理论学习\n      department: 党总支办公室\n" in text
    data.write_text(text.replace("      department: 党总支办公室\n", "      dept: 党总支办公室\n", 1), encoding="utf-8")
    _, out = run("validate", str(data), "--format", "json")
    [d] = [d for d in json.loads(out)["diagnostics"] if d["code"] == "unknown-key"]
    assert "是不是想写“department”" in d["message"] and "detail" not in d["message"] + d["hint"]


def test_no_suggestion_of_a_key_already_present(run, tmp_path: Path) -> None:
    data = tmp_path / "detial.yaml"
    text = MINIMAL.read_text(encoding="utf-8")
    data.write_text(text.replace("      department: 党总支办公室\n", "      detial: 党总支办公室\n", 1),
                    encoding="utf-8")
    _, out = run("validate", str(data), "--format", "json")
    [d] = [d for d in json.loads(out)["diagnostics"] if d["code"] == "unknown-key"]
    assert "“detail”" not in d["message"] + d["hint"]  # detail is there already, two lines up


def test_help_is_in_chinese(run) -> None:
    for args in ((), ("--help",), ("build", "--help"), ("validate", "-h")):
        _, out = run(*args)
        assert "用法：" in out and "选项" in out and "命令用法有误" not in out, out
        assert not [word for word in ("Usage:", "Options:", "Commands:", "[OPTIONS]", "DIRECTORY", "default:")
                    if word in out], out


def test_two_data_files_whose_titles_differ_only_in_case_write_nothing(run, tmp_path: Path) -> None:
    import yaml

    folder = tmp_path / "data"
    folder.mkdir()
    for name, title in (("a.yaml", "Annual Plan"), ("b.yaml", "ANNUAL PLAN")):
        data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
        data["organisation"]["name"] += name[0]  # the other kinds' titles differ
        data.setdefault("documents", {}).setdefault("plan", {})["title"] = title
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out = run("build", str(folder), "-o", str(tmp_path / "out"))
    assert code == 1 and "同名" in out and "覆盖" in out
    assert not (tmp_path / "out").exists()


def test_a_flood_of_problems_is_cut_short_for_people_but_counted_in_full(tmp_path: Path) -> None:
    import click

    from dangjian_docs.diagnostics import Diagnostic, Severity
    from dangjian_docs.reporting import MAX_SHOWN, as_json, human

    many = [Diagnostic(Severity.ERROR, "wrong-type", f"第 {i} 个问题", file="x.yaml", line=i) for i in range(1, 2001)]
    shown = click.unstyle(human(many, 1))
    assert "第 1 个问题" in shown and f"第 {MAX_SHOWN} 个问题" in shown and f"第 {MAX_SHOWN + 1} 个问题" not in shown
    assert f"另有 {2000 - MAX_SHOWN} 条未列出" in shown and shown.splitlines()[-1].endswith("2000 个错误，0 个警告。")
    assert len(json.loads(as_json(many, 1))["diagnostics"]) == 2000
