"""Attendance an office would question: nobody present, more present or expected than members.

Planted on the skeleton year: one branch (药学部党支部, 5 full + 1 probationary = 6 members)
and one 党课 with 6 expected and 6 present.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import dangjian_docs
from dangjian_docs.cli import cli
from dangjian_docs.diagnostics import Severity
from dangjian_docs.loading import load_text

SKELETON = Path(__file__).resolve().parent / "data" / "skeleton-2025.yaml"
LECTURE = "expected: 6, present: 6, speaker: 吴静}"


def planted(new: str, old: str = LECTURE, extra: str = "") -> str:
    text = SKELETON.read_text(encoding="utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new, 1)
    return text.replace("signature:", extra + "signature:", 1) if extra else text


def check(text: str) -> dangjian_docs.Validation:
    return dangjian_docs.validate(load_text(text, "t.yaml"))


def found(result: dangjian_docs.Validation) -> list[tuple[str, Severity, str]]:
    return [(d.code, d.severity, d.path) for d in result.diagnostics]


def column_of(text: str, needle: str) -> tuple[int, int]:
    before = text[:text.index(needle)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def test_the_skeleton_is_clean() -> None:
    assert check(planted(LECTURE)).diagnostics == []


def test_nobody_present_is_an_error() -> None:
    """A meeting nobody attended was not held: counted as held it would hide a missing meeting."""
    text = planted("expected: 6, present: 0, speaker: 吴静}")
    result = check(text)
    assert found(result) == [("nobody-present", Severity.ERROR, "activities[0].present")]
    assert result.year is None
    d = result.diagnostics[0]
    assert (d.line, d.column) == column_of(text, "0, speaker")
    assert "实到 0 人" in d.message and "不能算作已召开" in d.message
    assert "删除这条记录" in d.hint


def test_nobody_present_fails_the_build(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(planted("expected: 6, present: 0, speaker: 吴静}"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "-o", str(tmp_path / "out"), str(path)])
    assert result.exit_code == 1
    assert "实到 0 人" in result.output
    assert not list(tmp_path.rglob("*.docx"))


def test_nobody_present_at_an_organisation_meeting() -> None:
    extra = "  - {date: 2025-03-05, type: 党委会, topic: 研究党建工作, expected: 9, present: 0}\n"
    text = planted(LECTURE + "\n" + extra.rstrip("\n"))
    assert found(check(text)) == [("nobody-present", Severity.ERROR, "activities[1].present")]


def test_more_present_than_the_branch_has_is_a_warning() -> None:
    text = planted("expected: 9, present: 8, speaker: 吴静}")
    result = check(text)
    # one warning, on what was counted: "expected" going over too is not said twice
    assert found(result) == [("present-over-members", Severity.WARNING, "activities[0].present")]
    d = result.diagnostics[0]
    assert "实到 8 人，多于药学部党支部的党员总数 6 人" in d.message
    assert (d.line, d.column) == column_of(text, "8, speaker")
    assert result.year is not None  # membership is a year-end count: a warning, the build goes on


def test_more_expected_than_the_branch_has_is_a_warning() -> None:
    text = planted("expected: 8, present: 6, speaker: 吴静}")
    result = check(text)
    assert found(result) == [("expected-over-members", Severity.WARNING, "activities[0].expected")]
    d = result.diagnostics[0]
    assert "应到 8 人，多于药学部党支部的党员总数 6 人" in d.message
    assert (d.line, d.column) == column_of(text, "8, present")


def test_strict_fails_on_the_membership_warning(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(planted("expected: 8, present: 6, speaker: 吴静}"), encoding="utf-8")
    assert CliRunner().invoke(cli, ["validate", str(path)]).exit_code == 0
    assert CliRunner().invoke(cli, ["validate", "--strict", str(path)]).exit_code == 1


def test_more_present_than_expected_is_said_once() -> None:
    """Present over expected is already an error at the same place; no second message."""
    result = check(planted("expected: 7, present: 9, speaker: 吴静}"))
    assert found(result) == [("attendance", Severity.ERROR, "activities[0].present")]


@pytest.mark.parametrize("numbers", ["expected: 6, present: 6", "expected: 6, present: 5"])
def test_within_the_branch_is_clean(numbers: str) -> None:
    assert check(planted(numbers + ", speaker: 吴静}")).diagnostics == []


def test_organisation_meetings_are_not_held_to_a_branch() -> None:
    extra = "  - {date: 2025-03-05, type: 党委会, topic: 研究党建工作, expected: 40, present: 38}"
    assert check(planted(LECTURE + "\n" + extra)).diagnostics == []


def test_a_roster_branch_counts_its_roster() -> None:
    """Members listed one by one: the count is the roster's (here 2), not a typed figure."""
    roster = ("roster:\n"
              "      - {name: 吴静, gender: 女, birth_date: 1979-08-14, status: 正式党员, education: 研究生}\n"
              "      - {name: 高建平, gender: 男, birth_date: 1971-03-02, status: 正式党员, education: 大学本科}")
    text = planted(roster, "members: {full: 5, probationary: 1, women: 4, under_35: 2}")
    text = text.replace(LECTURE, "expected: 3, present: 2, speaker: 吴静}", 1)
    codes = {d.code for d in check(text).diagnostics}
    assert "expected-over-members" in codes
    assert "present-over-members" not in codes


# -- a year's totals instead of a log (activity_counts) ------------------------------------------

def counts(line: str) -> str:
    return planted(LECTURE, extra=f"activity_counts:\n  - {line}\n")


def test_counts_with_nobody_taking_part_are_an_error() -> None:
    text = counts("{type: 主题党日, branch: yaoxue, count: 12, participants: 0}")
    result = check(text)
    assert found(result) == [("nobody-present", Severity.ERROR, "activity_counts[0].participants")]
    assert "全年 12 次，参加人次为 0" in result.diagnostics[0].message


def test_counts_over_what_the_branch_could_send_are_a_warning() -> None:
    # 12 theme days x 6 members = 72 at most
    assert check(counts("{type: 主题党日, branch: yaoxue, count: 12, participants: 72}")).diagnostics == []
    result = check(counts("{type: 主题党日, branch: yaoxue, count: 12, participants: 73}"))
    assert found(result) == [("present-over-members", Severity.WARNING, "activity_counts[0].participants")]
    assert "参加 73 人次，多于药学部党支部党员 6 人每次全部参加的 72 人次" in result.diagnostics[0].message


@pytest.mark.parametrize("line", [
    "{type: 主题党日, count: 12, participants: 500}",  # the whole organisation: no branch to hold it to
    "{type: 主题党日, branch: yaoxue, count: 0, participants: 5}",
    "{type: 主题党日, branch: yaoxue, count: 0, participants: 0}",
    "{type: 主题党日, branch: yaoxue, count: 12}",
])
def test_counts_without_a_bound_are_not_questioned(line: str) -> None:
    codes = {d.code for d in check(counts(line)).diagnostics}
    assert not codes & {"nobody-present", "present-over-members"}
