"""Messages that say the fix: the ``{ … }`` activity lines the sample teaches, a colon without its
space, and which checks an error held back (validate promises every problem at once)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL, minimal_text

from dangjian_docs.api import check_file
from dangjian_docs.loading.flow_lines import fix_flow_line

LINE = "  - {date: 2024-01-10, type: 支部委员会, branch: a, topic: 研究1月工作, expected: 3, present: 3, task: T1}"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def with_topic(topic: str) -> str:
    text = minimal_text()
    assert LINE in text
    return text.replace(LINE, LINE.replace("研究1月工作", topic))


def test_a_comma_in_a_topic_is_said_with_the_corrected_line(tmp_path: Path) -> None:
    result = check_file(write(tmp_path, with_topic("研究1月工作, 讨论发展对象")))
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.code == "unquoted-text" and problem.path == "activities[0].topic"
    assert problem.message == ("花括号 { } 中的文字“研究1月工作, 讨论发展对象”含有半角逗号“,”，没有加引号："
                               "YAML 在这里把文字断开了，“讨论发展对象”被当成了一个键。")
    assert "请给这段文字加上引号，或改用全角标点（，：【】）" in problem.hint
    assert problem.hint.endswith('改正后的这一行：- {date: 2024-01-10, type: 支部委员会, branch: a, '
                                 'topic: "研究1月工作, 讨论发展对象", expected: 3, present: 3, task: T1}')
    assert (problem.line, problem.column) == (MINIMAL.read_text("utf-8").splitlines().index(LINE) + 1, 55)
    assert not [d for d in result.diagnostics if d.code == "unknown-key"]
    assert any(d.code == "compliance" for d in result.diagnostics)  # the rest of the file was still checked


@pytest.mark.parametrize(("topic", "said"), [
    ("主题: 学习", "“主题: 学习”含有半角冒号“:”"),
    ("学习[二十大]精神", "“学习[二十大]精神”含有方括号“[ ]”"),
])
def test_a_colon_or_brackets_in_a_topic_are_said_with_the_corrected_line(tmp_path: Path, topic: str,
                                                                          said: str) -> None:
    [problem] = check_file(write(tmp_path, with_topic(topic))).diagnostics
    assert problem.code == "yaml-syntax"
    assert problem.message == f"YAML 语法错误：花括号 {{ }} 中的文字{said}，没有加引号，YAML 读不懂这一行。"
    assert "花括号没有闭合" not in problem.message
    assert f'topic: "{topic}", expected: 3' in problem.hint and "改正后的这一行：- {date: 2024-01-10" in problem.hint


def test_a_colon_without_its_space_is_not_called_missing(tmp_path: Path) -> None:
    text = minimal_text()
    assert "  staff: 300\n" in text
    [problem] = check_file(write(tmp_path, text.replace("  staff: 300\n", "  staff:300\n"))).diagnostics
    assert problem.message == "YAML 语法错误：键“staff”后面的冒号后缺少空格。"
    assert "缺少冒号" not in problem.message
    assert problem.hint.startswith("键后面要用半角冒号加一个空格。改正后的这一行：staff: 300")
    assert (problem.line, problem.column) == (text.splitlines().index("  staff: 300") + 1, 8)


@pytest.mark.parametrize(("line", "fixed"), [
    ('- {a: 1, topic: 已有"引号", 另一半}', "- {a: 1, topic: '已有\"引号\", 另一半'}"),
    ("- {a: 1, topic: \"已经, 加了引号\"}", None),
    ("- {a: 1, copy_to: [甲, 乙]}", None),
    ("- {a: 1, topic: 全角，没有问题}", None),
    ("key: {a: 1, b: x: y}", 'key: {a: 1, b: "x: y"}'),
])
def test_flow_line_corrections(line: str, fixed: str | None) -> None:
    fix = fix_flow_line(line)
    assert (fix.corrected if fix else None) == fixed


def test_cross_checks_run_beside_a_format_error_and_the_skipped_part_is_named(tmp_path: Path) -> None:
    """``staff: 很多`` once held back every cross-check; now only organisation.staff is left out."""
    text = minimal_text().replace("  staff: 300\n", "  staff: 很多\n")
    result = check_file(write(tmp_path, text))
    codes = {d.code for d in result.diagnostics}
    assert "wrong-type" in codes and "compliance" in codes  # a cross-check's warning, beside the error
    [note] = [d for d in result.diagnostics if d.code == "checks-skipped"]
    assert note.message == ("有错误的部分没有参加前后对照检查：organisation.staff；其余部分都已检查。"
                            "数据发现的问题（提示）和 problems 中 finding 的核对，要在全部错误改正后才进行。")


def test_when_no_cross_check_can_run_the_note_says_why(tmp_path: Path) -> None:
    text = minimal_text().replace("year: 2024", "year: 二〇二四", 1)
    result = check_file(write(tmp_path, text))
    [note] = [d for d in result.diagnostics if d.code == "checks-skipped"]
    assert note.message == ("year 有错误，前后对照检查（支部代号、人数合计、组织生活频次等）"
                            "和数据发现的问题这次都没有进行。")
    assert note.hint == "改正这些错误后再运行一次 validate，会接着列出这些检查发现的问题。"


def test_no_note_when_every_part_was_checked(tmp_path: Path) -> None:
    text = minimal_text().replace("expected: 3, present: 3, task: T1}", "expected: 3, present: 4, task: T1}", 1)
    result = check_file(write(tmp_path, text))
    assert any(d.code == "attendance" for d in result.diagnostics)
    assert not [d for d in result.diagnostics if d.code == "checks-skipped"]


def test_a_missing_activity_sheet_is_said_where_the_data_names_it(tmp_path: Path) -> None:
    lines = minimal_text().splitlines(keepends=True)
    kept = "".join(line for line in lines if not line.startswith("  - {date:"))  # the activities, moved out
    assert "activities:\n" in kept
    result = check_file(write(tmp_path, kept.replace("activities:\n", "activities_from: 活动记录.xlsx\n", 1)))
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.file is not None and problem.file.endswith("t.yaml")
    assert problem.message == "活动记录表格“活动记录.xlsx”：文件不存在。"
    assert problem.line is not None and problem.path == "activities_from"
