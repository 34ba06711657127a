"""Issue 17 item 5: plan versus actual, in the summary (one sentence, one attached table) and in
``report plan``.

The expected figures are counted from the sample's plain YAML here, not with this package; the
table is read back from the built .docx.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from conftest import ROOT, cli_output

import dangjian_docs
from dangjian_docs.api import year_data
from dangjian_docs.documents import catalogue
from dangjian_docs.domain.findings import findings
from dangjian_docs.domain.progress import progress
from dangjian_docs.model import Task, YearData

SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
SMALL = ROOT / "tests" / "data" / "small-year.yaml"
RAW: dict[str, Any] = yaml.safe_load(SAMPLE.read_text("utf-8"))


def raw_tasks(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan's tasks in the plan's order: each task, then the tasks under it."""
    return [t2 for t in tasks for t2 in (t, *raw_tasks(t.get("subtasks", [])))]


def ids_under(task: dict[str, Any]) -> set[str]:
    return {t["id"] for t in raw_tasks([task])}


TASKS = raw_tasks(RAW["plan"]["tasks"])


def built(year: YearData | Path) -> docx.document.Document:
    data = year if isinstance(year, YearData) else dangjian_docs.load(year)
    return docx.Document(io.BytesIO(dangjian_docs.render(data, "summary")))


def text_of(document: docx.document.Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


@pytest.fixture(scope="module")
def sample() -> YearData:
    return year_data(SAMPLE)


@pytest.fixture(scope="module")
def sample_doc() -> docx.document.Document:
    return built(SAMPLE)


@pytest.fixture(scope="module")
def small() -> YearData:
    return year_data(SMALL)


# -- the sample: figures counted by hand from the YAML ----------------------------------------

def test_the_sample_figures_equal_a_count_of_the_yaml(sample: YearData) -> None:
    statuses = [t["status"] for t in TASKS]  # every task of the sample states its status
    assert (len(TASKS), statuses.count("已完成"), statuses.count("进行中")) == (31, 27, 4)
    made = progress(sample)
    assert [t.task.id for t in made.tasks] == [t["id"] for t in TASKS]
    assert [t.state for t in made.tasks] == statuses
    assert (made.counted, made.done, made.share) == (31, 27, "87.1%")  # 27 / 31 = 0.8709…


def test_the_summary_states_the_share_once(sample_doc: docx.document.Document) -> None:
    text = text_of(sample_doc)
    said = "年度工作计划确定的31项任务中，已完成27项，完成率87.1%，4项仍在推进，各项任务的完成情况见附件2。"
    assert text.count(said) == 1
    assert text.count("完成率") == 1 and text.count("31项任务") == 1
    # under 主要工作和成效, before its first task
    assert text.index("主要工作和成效") < text.index(said) < text.index("（一）把牢政治方向")
    # 存在问题 refers back to the count instead of saying it again
    problems = text[text.index("三、存在问题"):]
    assert "上述任务中，“组织党员分批集中轮训”“实施党支部书记‘双带头人’培育工程”到年底仍在推进" in problems


def test_the_attached_table_rows_are_the_plans_tasks(sample_doc: docx.document.Document) -> None:
    table = sample_doc.tables[1]
    header, *rows = [[c.text for c in r.cells] for r in table.rows]
    assert header == ["序号", "工作任务", "完成时限", "完成情况", "活动次数"]
    assert [r[1] for r in rows] == [t["title"] for t in TASKS]
    assert [r[3] for r in rows] == [t["status"] for t in TASKS]
    dues = [f"{t['due'].month}月{t['due'].day}日" for t in TASKS]  # every sample task has its own due
    assert [r[2] for r in rows] == dues
    log = RAW["activities"]
    linked = [sum(a.get("task") in ids_under(t) for a in log) for t in TASKS]
    assert [r[4] for r in rows] == [str(n) if n else "" for n in linked]
    assert linked[0] == 17  # T1: 1 + 9 + 1 + 6 rows of the log name T1.1.1, T1.1.2, T1.2, T1.3
    # the plan's own numbering: T1 （一）, T1.1 1., T1.1.1 （1）, T2 （二）
    assert [r[0] for r in rows[:4]] + [rows[6][0]] == ["（一）", "1.", "（1）", "（2）", "（二）"]


def test_two_attachments_are_numbered(sample_doc: docx.document.Document) -> None:
    styled = [(p.style.name, p.text) for p in sample_doc.paragraphs if p.text]
    notes = [t for s, t in styled if s == "Attachment Note"]
    assert notes == ["附件：1. 2025年各党支部组织生活开展情况统计表", "2. 2025年度计划完成情况表"]
    labels = [(t, styled[i + 1][1]) for i, (s, t) in enumerate(styled) if s == "Attachment Label"]
    assert labels == [("附件1", "2025年各党支部组织生活开展情况统计表"), ("附件2", "2025年度计划完成情况表")]
    assert len(sample_doc.tables) == 2


def test_column_names_come_from_the_wording_catalogue(sample: YearData) -> None:
    office = catalogue.default_catalogue().merged([catalogue.Entry("summary.plan_table.activities", "相关活动")])
    with catalogue.using(office):
        document = built(sample)
    assert [c.text for c in document.tables[1].rows[0].cells][-1] == "相关活动"


# -- deciding a task's state without a status ---------------------------------------------------

def _without_status(task: Task) -> Task:
    return dataclasses.replace(task, status=None, subtasks=tuple(_without_status(t) for t in task.subtasks))


def _edit(year: YearData, tid: str, **changes: Any) -> YearData:
    def edit(task: Task) -> Task:
        task = dataclasses.replace(task, subtasks=tuple(edit(t) for t in task.subtasks))
        return dataclasses.replace(task, **changes) if task.id == tid else task
    assert year.plan is not None
    return dataclasses.replace(year, plan=dataclasses.replace(year.plan, tasks=tuple(edit(t) for t in year.plan.tasks)))


def states(year: YearData) -> dict[str, tuple[str, str]]:
    return {t.task.id: (t.state, t.decided_by) for t in progress(year).tasks}


def test_small_year_states(small: YearData) -> None:
    # T1 已完成 and T2 进行中 as written; T1.1.1 has no status, a 党课 linked to it (2024-02-15) and
    # T1's deadline 2024-12-31: done by its work; T1.1 stands as its one sub-task does
    assert states(small) == {"T1": ("已完成", "status"), "T1.1": ("已完成", "subtasks"),
                             "T1.1.1": ("已完成", "work"), "T2": ("进行中", "status")}
    assert progress(small).share == "75.0%"  # 3 of 4


def test_work_due_next_year_is_in_progress(small: YearData) -> None:
    import datetime as dt

    later = _edit(small, "T1.1.1", due=dt.date(2025, 3, 31))
    assert states(later)["T1.1.1"] == ("进行中", "work") and states(later)["T1.1"] == ("进行中", "subtasks")


def test_no_work_is_not_started(small: YearData) -> None:
    unlinked = dataclasses.replace(small, activities=tuple(
        dataclasses.replace(a, task=None) if a.task == "T1.1.1" else a for a in small.activities))
    assert states(unlinked)["T1.1.1"] == ("未开始", "nothing") and states(unlinked)["T1.1"][0] == "未开始"
    # an outcome is work done, as a linked activity is
    written = _edit(unlinked, "T1.1.1", outcome="全年集中学习12次。")
    assert states(written)["T1.1.1"] == ("已完成", "work")


def test_a_cancelled_task_is_left_out_of_the_share(small: YearData) -> None:
    cancelled = _edit(small, "T2", status="已取消")
    made = progress(cancelled)
    assert (made.counted, made.done, made.share) == (3, 3, "100.0%")
    text = text_of(built(cancelled))
    assert "年度工作计划确定的任务除1项取消外，其余3项全部完成" in text


def test_nothing_known_says_nothing(small: YearData) -> None:
    """No status, no outcome, no activity linked to a task: no sentence, no table, no 0%."""
    assert small.plan is not None
    bare_plan = dataclasses.replace(small.plan, tasks=tuple(
        _without_status(dataclasses.replace(t, outcome=None)) for t in small.plan.tasks))
    bare = dataclasses.replace(small, plan=bare_plan, activities=tuple(
        dataclasses.replace(a, task=None) for a in small.activities))
    assert not progress(bare).known
    assert "tasks-unfinished" not in {f.code for f in findings(bare)}  # not "4项到年底尚未启动"
    assert "tasks-unfinished" in {f.code for f in findings(small)}  # T2 进行中
    document = built(bare)
    text = text_of(document)
    assert "完成率" not in text and "完成情况表" not in text
    assert all("完成情况" not in c.text for t in document.tables for c in t.rows[0].cells)


def test_the_only_attachment_is_not_numbered(small: YearData) -> None:
    """Without the branch table (one branch), the plan's table is the one attachment: no numbers."""
    first = small.branches[0].id
    one = dataclasses.replace(small, branches=small.branches[:1],
                              activities=tuple(a for a in small.activities if a.branch in (None, first)),
                              development=tuple(d for d in small.development if d.branch == first),
                              dues=tuple(d for d in small.dues if d.branch == first))
    document = built(one)
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert ("Attachment Note", "附件：2024年度计划完成情况表") in styled
    assert ("Attachment Label", "附件") in styled and not any(t.startswith("附件1") for _, t in styled)
    assert "各项任务的完成情况见附件。" in text_of(document) and len(document.tables) == 1


def test_more_shortfalls_point_to_their_numbered_attachment(small: YearData) -> None:
    """The branch table is 附件1 when the plan's table is 附件2: the text says which."""
    text = text_of(built(small))
    assert "另有3处未达到规定频次，详见附件1。" in text and "见附件2。" in text


# -- report plan ----------------------------------------------------------------------------

def test_report_plan_human_json_csv() -> None:
    human = cli_output("report", "plan", SAMPLE)
    assert "共 31 项任务：已完成27项，进行中4项；完成率 87.1%" in human
    assert "T2.2.2 组织党员分批集中轮训；T3.1.2 实施党支部书记“双带头人”培育工程" in human
    data = json.loads(cli_output("report", "plan", SAMPLE, "--format", "json"))
    assert [t["id"] for t in data["tasks"]] == [t["id"] for t in TASKS]
    assert data["counts"] == {"已完成": 27, "进行中": 4, "未开始": 0, "已取消": 0} and data["done_share"] == "87.1%"
    first = data["tasks"][0]
    assert first["path"] == "plan.tasks[0]" and len(first["activities"]) == 17
    assert all(a["task"] in ids_under(TASKS[0]) for a in first["activities"])
    assert data["late"] == ["T2.2.2", "T3.1.2"]
    written = cli_output("report", "plan", SAMPLE, "--format", "csv").lstrip("\ufeff")
    rows = [r for r in csv.reader(io.StringIO(written)) if r]
    assert rows[0][:3] == ["编号", "序号", "层级"] and [r[0] for r in rows[1:]] == [t["id"] for t in TASKS]


def test_report_plan_exit_codes(tmp_path: Path) -> None:
    cli_output("report", "plan", SAMPLE, "--strict", code=1)  # two tasks due in 2025 still under way
    broken = tmp_path / "t.yaml"
    broken.write_text(SAMPLE.read_text("utf-8").replace("year: 2025", "year: 二〇二五", 1), "utf-8")
    cli_output("report", "plan", broken, code=1)
