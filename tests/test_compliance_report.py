"""``report compliance``: every branch against every rule, period by period, over any date range.

The figures are the ones the documents state (the summary's tallies are these tallies); the
cases an inspector asks about are planted: a missing quarterly meeting, over-attendance, a
branch without a committee, a leap day, and a range that splits a quarter.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import cli_output as run

from dangjian_docs.api import year_data
from dangjian_docs.cli import cli
from dangjian_docs.compliance_report import compliance_report
from dangjian_docs.domain.figures import compute

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
SMALL = ROOT / "tests" / "data" / "small-year.yaml"



def variant(tmp_path: Path, source: Path, edit: tuple[str, str]) -> Path:
    text = source.read_text("utf-8")
    assert edit[0] in text
    path = tmp_path / source.name
    path.write_text(text.replace(edit[0], edit[1], 1), "utf-8")
    return path


def tally(report: dict, unit: str, activity: str) -> dict:
    return next(t for t in report["tallies"] if t["unit"] == unit and t["activity"] == activity)


def test_the_report_holds_the_figures_the_summary_states() -> None:
    year = year_data(SAMPLE)
    assert compliance_report(year).tallies == compute(year).tallies


def test_the_sample_meets_every_rule_and_says_so() -> None:
    output = run("report", "compliance", SAMPLE, "--strict")
    assert "内科第一党支部心血管内科党小组" in output and "1 1 1 1 1 1 1 1 1 1 1 1" in output
    assert output.rstrip().endswith("项未达到。") and "0 项未达到" in output


def test_a_missing_quarterly_meeting_is_named_with_branch_period_and_rule(tmp_path: Path) -> None:
    line = ("  - {date: 2025-09-16, type: 支部党员大会, branch: neike1, "
            "topic: 通报学习教育开展情况和上半年党费收缴情况, "
            "expected: 35, present: 32, host: 陈立新, place: 内科楼十二楼示教室, task: T2.3}\n")
    data = variant(tmp_path, SAMPLE, (line, ""))
    report = json.loads(run("report", "compliance", data, "--format", "json"))
    short = tally(report, "内科第一党支部", "支部党员大会")
    assert short["short_periods"] == ["第三季度"] and short["per_period"] == [1, 2, 0, 1]
    assert short["compliant"] is False and report["short"] == 1 and report["version"] == 1
    output = run("report", "compliance", data, "--strict", code=1)
    row = next(r for r in output.splitlines() if "支部党员大会" in r and r.startswith("内科第一党支部"))
    assert "每季度至少1次" in row and row.endswith("未达到：第三季度")


def test_over_attendance_is_a_data_error_at_its_line(tmp_path: Path) -> None:
    data = variant(tmp_path, SAMPLE, ("expected: 35, present: 32, host: 陈立新",
                                      "expected: 35, present: 40, host: 陈立新"))
    output = run("report", "compliance", data, code=1)
    assert "binjiang-2025.yaml:" in output and "实到" in output


def test_a_range_splitting_a_quarter_judges_only_whole_periods() -> None:
    report = json.loads(run("report", "compliance", SMALL, "--from", "2024-02-15", "--to", "2024-09-30",
                            "--format", "json"))
    meetings = tally(report, "临床党支部", "支部党员大会")
    assert meetings["judged"] == [1, 2]  # the second and third quarters; the first is split
    assert meetings["held"] == 0 and meetings["required"] == 2  # the 20 January meeting is outside
    committee = tally(report, "临床党支部", "支部委员会")
    assert committee["judged"] == [2, 3, 4, 5, 6, 7, 8]  # March to September; February is split
    lecture = tally(report, "临床党支部", "党课")
    assert lecture["judged"] == [] and lecture["compliant"] is True and lecture["held"] == 1


def test_a_leap_day_counts_in_february(tmp_path: Path) -> None:
    extra = ("activities:\n"
             "  - {date: 2024-02-29, type: 主题党日, branch: a, topic: 闰日主题党日, expected: 33, present: 30}\n")
    data = variant(tmp_path, SMALL, ("activities:\n", extra))
    report = json.loads(run("report", "compliance", data, "--to", "2024-02-29", "--format", "json"))
    day = tally(report, "临床党支部", "主题党日")
    assert day["per_period"][1] == 1 and day["judged"] == [0, 1] and day["short_periods"] == ["1月"]


def test_a_branch_without_a_committee_is_not_asked_for_committee_meetings(tmp_path: Path) -> None:
    data = variant(tmp_path, SMALL, ("    committee: [赵六, 钱七, 孙八]\n", ""))
    report = json.loads(run("report", "compliance", data, "--format", "json"))
    units = {(t["unit"], t["activity"]) for t in report["tallies"]}
    assert ("离退休党支部", "支部委员会") not in units and ("临床党支部", "支部委员会") in units
    assert ("离退休党支部", "主题党日") in units


def test_csv_has_a_row_per_unit_rule_and_period() -> None:
    text = run("report", "compliance", SMALL, "--format", "csv")
    assert text.startswith("\ufeff")
    rows = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if row]
    assert rows[0][:3] == ["单位", "党小组", "活动类型"]
    report = json.loads(run("report", "compliance", SMALL, "--format", "json"))
    assert len(rows) - 1 == sum(len(t["per_period"]) for t in report["tallies"])
    assert ["临床党支部", "第一党小组", "党小组会", "党小组会 每月至少1次", "4月", "1", "1", "是", "是"] in rows


@pytest.mark.parametrize("dates", [("--from", "2024-13-01"), ("--from", "２０２４-０１-０１"), ("--to", "2023-12-31"),
                                   ("--from", "2024-06-01", "--to", "2024-05-01")])
def test_bad_dates_are_usage_errors(dates: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, ["report", "compliance", str(SMALL), *dates])
    assert result.exit_code == 2, result.output
    assert "--from" in result.output or "--to" in result.output


def test_the_documented_rule_table_is_the_built_in_one() -> None:
    """docs/compliance.md lists the built-in rules; the table in rules.yaml is what runs."""
    from dangjian_docs.domain.compliance import PERIOD_WORDS
    from dangjian_docs.domain.rules import DEFAULT_RULES, VERSION

    text = (ROOT / "docs" / "compliance.md").read_text("utf-8")
    rows = [line.split("|")[1:4] for line in text.splitlines()
            if line.startswith("| ") and line.split("|")[2].strip() in PERIOD_WORDS.values()]
    assert [(a.strip(), p.strip(), int(m)) for a, p, m in rows] == [
        (r.activity, PERIOD_WORDS[r.period], r.min) for r in DEFAULT_RULES]
    assert f"版本 {VERSION}" in text
