"""Findings the data supports: derived with their figures, listed as notes, adopted by reference.

Expected figures are counted from the sample's plain YAML here, not with this package.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT

import dangjian_docs
from dangjian_docs.cli import cli
from dangjian_docs.diagnostics import Severity
from dangjian_docs.domain.findings import KINDS, findings, stated_problems
from dangjian_docs.loading import load_text
from dangjian_docs.model import DevelopmentCounts, YearData

SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
RAW: dict[str, Any] = yaml.safe_load(SAMPLE_TEXT)
ADOPTED = re.compile(r"^  - finding: [a-z-]+\n(?:    \w+: .*\n)*", flags=re.MULTILINE)
TEXT = ADOPTED.sub("", SAMPLE_TEXT)
"""The sample with its own problems only: every finding still a note."""


def validate(text: str) -> dangjian_docs.Validation:
    return dangjian_docs.validate(load_text(text, "t.yaml"))


@pytest.fixture(scope="module")
def year() -> YearData:
    result = validate(TEXT)
    assert result.year is not None, [d.message for d in result.errors]
    return result.year


def by_code(year: YearData) -> dict[str, Any]:
    return {f.code: f for f in findings(year)}


def with_problems(*items: str) -> str:
    """The sample with these YAML flow mappings put first under ``problems:``."""
    assert TEXT.count("\nproblems:\n") == 1
    return TEXT.replace("\nproblems:\n", "\nproblems:\n" + "".join(f"  - {i}\n" for i in items), 1)


def summary_text(text: str) -> str:
    content = dangjian_docs.render(load_text(text, "t.yaml"), "summary")
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


# -- what the sample shows ---------------------------------------------------------------------

def _raw_tasks(tasks: list[dict]) -> list[dict]:
    return [t2 for t in tasks for t2 in (t, *_raw_tasks(t.get("subtasks", [])))]


def test_sample_findings_and_their_figures(year: YearData) -> None:
    found = by_code(year)
    assert list(found) == ["few-applications", "tasks-unfinished", "secretaries-not-dual"]

    # staff 1260; in-service branches' members 35+29+41+26+6+39+28 = 204; the retired branch's 25 are not staff
    in_service = sum((b["members"]["full"] + b["members"]["probationary"]) if "members" in b else len(b["roster"])
                     for b in RAW["branches"] if b["kind"] == "在职")
    applied = sum(str(d["applied"]).startswith("2025") for d in RAW["development"])
    assert (RAW["organisation"]["staff"], in_service, applied) == (1260, 204, 2)  # 邱俊, 白露
    f = found["few-applications"]
    assert f.figures == {"applied": 2, "staff": 1260, "in_service_members": 204, "non_member_staff": 1056}
    assert "全年只收到入党申请2份" in f.detail and "非党员职工有1056人" in f.detail

    # tasks still 进行中 with nothing unfinished below them: 轮训 (T2.2.2) and 双带头人 培育 (T3.1.2)
    tasks = _raw_tasks(RAW["plan"]["tasks"])
    f = found["tasks-unfinished"]
    assert f.figures["tasks"] == len(tasks)
    assert f.figures["titles"] == ("组织党员分批集中轮训", "实施党支部书记“双带头人”培育工程")
    assert "“组织党员分批集中轮训”“实施党支部书记‘双带头人’培育工程”2项到年底仍在推进" in f.detail
    assert f"列出的{len(tasks)}项任务中" in f.detail

    # 7 in-service branches, 机关后勤 alone has a secretary who is not 双带头人: 6/7 = 85.7%
    f = found["secretaries-not-dual"]
    assert f.figures == {"branches": 7, "not_dual": 1, "names": ("机关后勤党支部",), "share": "85.7%"}
    assert "7个在职党支部中，机关后勤党支部的书记不是“双带头人”" in f.detail
    assert "85.7%" in f.detail


def test_sample_does_not_show_what_it_does_not_have(year: YearData) -> None:
    """Meetings all held, terms elected 2023 or later, members 35 and under well over a fifth."""
    assert all(str(b["committee_elected"]) >= "2023" for b in RAW["branches"] if "committee_elected" in b)
    found = by_code(year)
    assert not {"meetings-short", "terms-overdue", "few-young-members"} & set(found)


def test_each_other_finding_when_the_data_shows_it(year: YearData) -> None:
    first = year.branches[0]
    assert first.members is not None
    old = dataclasses.replace(first, committee_elected=first.committee_elected.replace(year=2021))
    young = tuple(dataclasses.replace(b, members=dataclasses.replace(b.members, under_35=1))
                  for b in year.branches if b.members is not None)
    committee = [a for a in year.activities if a.branch == first.id and a.type == "支部委员会"]
    dropped = {id(a) for a in committee if a.date.month in (3, 4, 5, 9)}
    changed = dataclasses.replace(
        year, branches=(old, *year.branches[1:]),
        activities=tuple(a for a in year.activities if id(a) not in dropped))
    found = by_code(changed)
    assert "内科第一党支部支委会于2021年6月选举产生，到2025年12月31日任期已满3年，尚未换届" in found[
        "terms-overdue"].detail
    assert found["meetings-short"].detail == (
        "对照《中国共产党支部工作条例（试行）》规定的组织生活频次，"
        "内科第一党支部支部委员会3月至5月、9月未达到规定的次数。")
    assert found["meetings-short"].figures["shortfalls"] == (
        ("内科第一党支部", "支部委员会", ("3月", "4月", "5月", "9月")),)
    found = by_code(dataclasses.replace(year, branches=young))
    n = len(young)  # one member aged 35 and under in each branch, of 229 members: 8/229 = 3.5%
    assert found["few-young-members"].figures == {"members": 229, "young": n, "share": "3.5%"}
    assert f"全体党员229名（含离退休党员25名）中，35岁及以下的{n}名，占3.5%，不到两成" in found[
        "few-young-members"].detail


def test_no_finding_from_unknown_facts(year: YearData) -> None:
    """An absent fact is not a zero: without the facts a finding needs, it is not derived."""
    org = year.organisation
    cases = {
        "few-applications": [
            dataclasses.replace(year, organisation=dataclasses.replace(org, staff=None)),
            dataclasses.replace(year, development=()),
            dataclasses.replace(year, branches=tuple(dataclasses.replace(b, members=None)
                                                     for b in year.branches)),
        ],
        "tasks-unfinished": [dataclasses.replace(year, plan=None)],
        "secretaries-not-dual": [dataclasses.replace(year, branches=tuple(
            dataclasses.replace(b, secretary_is_professional_leader=None) for b in year.branches))],
    }
    assert set(cases) <= set(by_code(year))
    for code, unknowns in cases.items():
        for changed in unknowns:
            assert code not in by_code(changed)
    # with the log gone, a shortfall cannot be told from an unrecorded year: no finding
    sparse = dataclasses.replace(year, activities=year.activities[:5])
    assert "meetings-short" in by_code(sparse)
    assert "meetings-short" not in by_code(dataclasses.replace(year, activities=()))
    # members aged 35 and under unknown in one branch, and no organisation-wide count either
    young = [dataclasses.replace(b, members=dataclasses.replace(b.members, under_35=0))
             for b in year.branches if b.members is not None]
    assert "few-young-members" in by_code(dataclasses.replace(year, branches=tuple(young)))
    young[0] = dataclasses.replace(young[0], members=dataclasses.replace(young[0].members, under_35=None))
    assert "few-young-members" not in by_code(dataclasses.replace(
        year, branches=tuple(young), organisation=dataclasses.replace(org, members=None)))


def test_applications_counted_as_a_total(year: YearData) -> None:
    """Offices without a person-by-person log give the year's count; none at all is said plainly."""
    f = by_code(dataclasses.replace(year, development=(), development_counts=DevelopmentCounts(applied=0)))[
        "few-applications"]
    assert f.figures["applied"] == 0 and f.where == ("development_counts", "applied")
    assert f.detail.startswith("全年没有收到入党申请，而全院非党员职工有1056人") and "不到" not in f.detail
    counts = DevelopmentCounts(applied=11)  # 11 of 1056 is over 1%: no finding
    assert "few-applications" not in by_code(dataclasses.replace(year, development_counts=counts))


def test_a_cross_year_task_is_not_late(year: YearData) -> None:
    """Still under way at the year's end but due next year: on schedule, not a finding."""
    assert year.plan is not None
    tasks = tuple(_postpone(t) for t in year.plan.tasks)
    changed = dataclasses.replace(year, plan=dataclasses.replace(year.plan, tasks=tasks))
    f = by_code(changed)["tasks-unfinished"]
    assert f.figures["titles"] == ("实施党支部书记“双带头人”培育工程",)


def _postpone(task):
    subtasks = tuple(_postpone(t) for t in task.subtasks)
    if task.title == "组织党员分批集中轮训":
        return dataclasses.replace(task, subtasks=subtasks, due=task.due.replace(year=2026, month=1))
    return dataclasses.replace(task, subtasks=subtasks)


# -- notes ---------------------------------------------------------------------------------------

def test_validate_lists_findings_as_notes() -> None:
    assert len(ADOPTED.findall(SAMPLE_TEXT)) == 3
    result = validate(TEXT)
    assert result.diagnostics == []
    notes = {d.message.split("：")[1].split("。")[0]: d for d in result.notes}
    assert set(notes) == {"入党申请人数偏少，党员发展后备力量不足", "部分年度任务没有按计划完成",
                          "支部书记“双带头人”培育还不够到位"}
    for d in result.notes:
        assert d.severity is Severity.NOTE and d.code == "finding"
        assert d.line is not None and d.column is not None and d.path
        assert "finding: " in d.hint
    lines = TEXT.splitlines()
    d = next(n for n in result.notes if "双带头人”培育" in n.message)
    assert lines[d.line - 1].strip().startswith("secretary_is_professional_leader: false")
    assert d.path == "branches[6].secretary_is_professional_leader"


def test_notes_are_neither_warnings_nor_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "sample.yaml"  # the sample without its references
    path.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(cli, ["validate", "--strict", str(path)])
    assert result.exit_code == 0, result.output
    assert "提示: 数据显示可能存在的问题：入党申请人数偏少" in result.output
    assert "0 个错误，0 个警告，3 条提示。" in result.output
    result = runner.invoke(cli, ["validate", "--strict", "--format", "json", str(path)])
    report = json.loads(result.output)
    assert result.exit_code == 0
    assert (report["errors"], report["warnings"], report["notes"]) == (0, 0, 3)
    assert {d["severity"] for d in report["diagnostics"]} == {"note"}
    result = runner.invoke(cli, ["validate", "--strict", "--format", "github", str(path)])
    assert result.exit_code == 0
    annotations = [line for line in result.output.splitlines() if line.startswith("::")]
    assert len(annotations) == 3
    assert all(re.match(r"::notice file=[^,]+,line=\d+,col=\d+,title=finding::", a) for a in annotations)


def test_an_adopted_finding_is_no_longer_a_note() -> None:
    result = validate(with_problems("{finding: few-applications}"))
    assert result.diagnostics == []
    assert len(result.notes) == 2
    assert not any("入党申请" in d.message for d in result.notes)


def test_notes_only_for_valid_data() -> None:
    result = validate(TEXT.replace("staff: 1260", "staff: 1260人", 1))
    assert result.errors and result.notes == []


# -- adoption by reference -----------------------------------------------------------------------

def test_adopted_in_the_tools_words_appears_in_the_summary(year: YearData) -> None:
    detail = by_code(year)["few-applications"].detail
    text = summary_text(with_problems("{finding: few-applications, measure: 落实“双培养”机制。}"))
    section = text[text.index("存在问题"):text.index("2026年工作打算")]
    assert "入党申请人数偏少，党员发展后备力量不足" in section
    # issue 14: the summary has given “入党申请2份” already; 存在问题 refers back, keeps the rest
    assert detail not in section and "入党申请2份" not in section
    back = "如前所述，全年申请入党的不到全院1056名非党员职工的1%"
    assert back in section and "入党申请2份" in text
    assert section.index(back) < section.index("党建与业务融合还不够深入")  # in the data's order
    assert "入党申请" not in summary_text(TEXT)[text.index("存在问题"):]


def test_adopted_in_own_words() -> None:
    text = summary_text(with_problems("{finding: tasks-unfinished, title: 个别重点任务推进滞后}"))
    section = text[text.index("存在问题"):text.index("2026年工作打算")]
    assert "个别重点任务推进滞后" in section
    assert "部分年度任务没有按计划完成" not in section
    # its detail, referring back to the plan's 31 tasks the summary has counted under 主要工作和成效
    assert "上述任务中，“组织党员分批集中轮训”“实施党支部书记‘双带头人’培育工程”到年底仍在推进" in section
    assert "31项任务" in text and "31项任务" not in section
    own = with_problems("{finding: tasks-unfinished, title: 个别重点任务推进滞后, detail: 党员轮训还差一期。}")
    section = summary_text(own)
    assert "党员轮训还差一期。" in section and "2项到年底仍在推进" not in section


def test_stated_problems_keep_the_measure(year: YearData) -> None:
    changed = validate(with_problems("{finding: few-applications, measure: 落实“双培养”机制。}")).year
    assert changed is not None
    first = stated_problems(changed)[0]
    assert (first.title, first.measure) == ("入党申请人数偏少，党员发展后备力量不足", "落实“双培养”机制。")
    assert stated_problems(year) == year.problems  # nothing to resolve


def test_a_reference_the_data_does_not_support_is_an_error() -> None:
    text = with_problems("{finding: terms-overdue}")
    result = validate(text)
    assert result.year is None
    [d] = result.errors
    assert d.code == "finding-unsupported" and d.path == "problems[0].finding"
    assert (d.line, d.column) == (_line_of(text, "{finding: terms-overdue}"), 15)
    assert "terms-overdue" in d.message and "换届" in d.message and d.hint


def test_a_reference_whose_facts_are_unknown_is_an_error() -> None:
    text = with_problems("{finding: few-applications}").replace("\n  staff: 1260\n", "\n", 1)
    result = validate(text)
    assert "finding-unsupported" in {d.code for d in result.errors}


def test_a_finding_adopted_twice_is_a_warning() -> None:
    text = with_problems("{finding: few-applications}", "{finding: few-applications, title: 入党申请少}")
    result = validate(text)
    assert [(d.code, d.severity, d.path) for d in result.diagnostics] == [
        ("finding-repeated", Severity.WARNING, "problems[1].finding")]


def test_an_unknown_code_is_an_error_with_a_suggestion() -> None:
    text = with_problems("{finding: few-application}")
    [d] = validate(text).errors
    assert d.code == "bad-enum" and d.path == "problems[0].finding"
    assert "是不是想写“few-applications”" in d.message
    assert d.line == _line_of(text, "{finding: few-application}")


def test_title_is_optional_only_with_a_finding() -> None:
    [d] = validate(with_problems("{detail: 只有具体表现。}")).errors
    assert d.code == "missing-key" and d.path == "problems[0]"


def test_schema_lists_every_code() -> None:
    schema = json.loads((ROOT / "schemas" / "year.schema.json").read_text(encoding="utf-8"))
    prop = schema["$defs"]["problem"]["properties"]["finding"]
    assert prop["enum"] == list(KINDS)
    assert list(prop["x-enum-labels"]) == list(KINDS)


def _line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def test_the_sample_states_what_its_data_shows() -> None:
    """The sample adopts every finding its data supports: no note left, each in 存在问题."""
    result = validate(SAMPLE_TEXT)
    assert result.diagnostics == [] and result.notes == []
    text = summary_text(SAMPLE_TEXT)
    section = text[text.index("存在问题"):text.index("2026年工作打算")]
    for f in findings(result.year):
        assert f.title in section
        # issue 14: a figure 基本情况 or the work has given is referred back to, not restated
        if f.code in ("few-applications", "secretaries-not-dual", "tasks-unfinished"):
            assert f.detail not in section
        else:
            assert f"{f.title}\n{f.detail}" in section
    assert "85.7%" not in section and "入党申请2份" not in section
    assert "离退休党员教育管理" not in section  # contradicted by the table: 95.6%, as high as any branch
