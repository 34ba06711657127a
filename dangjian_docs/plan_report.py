"""``dangjian-docs report plan``: where each plan task stood at the year's end, and why.

The summary attaches the same states as a table (:mod:`dangjian_docs.domain.progress` decides
them once); this lays them out with what decided each state and the activities linked to each
task, as a table for a person, JSON for a program and CSV (one row a task) for a spreadsheet.
The terminal table and the CSV are written by :mod:`.compliance_report`'s helpers.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from .compliance_report import csv_text, text_table
from .domain.findings import unfinished_tasks
from .domain.numbering import section_number
from .domain.progress import BY_NOTHING, BY_STATUS, BY_SUBTASKS, BY_WORK, STATES, PlanProgress, TaskProgress, progress
from .loading.positions import format_path as path_text
from .model import Task, YearData
from .record import Record

VERSION = 1
"""The JSON layout's version: a program reading it can tell when it changes."""

DECIDED_BY = {BY_STATUS: "数据中的完成情况", BY_SUBTASKS: "按下级任务", BY_WORK: "按活动记录或完成成效及完成时限",
              BY_NOTHING: "没有活动记录和完成成效"}
"""What decided a task's state, in the words of the report."""


class PlanReport(Record):
    year: YearData
    progress: PlanProgress
    late: tuple[Task, ...]
    """Tasks due within the year and not finished, lowest level only (the ``tasks-unfinished`` finding)."""


def plan_report(year: YearData) -> PlanReport:
    return PlanReport(year, progress(year), tuple(t for t, _ in unfinished_tasks(year)))


def _number(t: TaskProgress) -> str:
    return section_number(t.level + 1, t.number)


def _types(t: TaskProgress) -> str:
    """``党小组会3、主题党日2``: the linked activities by type, most frequent first."""
    counts = Counter(a.type for a in t.activities)
    return "、".join(f"{k}{n}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def human(report: PlanReport) -> str:
    year, made = report.year, report.progress
    lines = [f"{year.organisation.name} {year.year}年度计划完成情况（截至{year.year}年12月31日）", ""]
    if year.plan is None:
        lines.append("数据中没有年度计划（plan），没有可以对照的任务。")
        return "\n".join(lines)
    header = ["序号", "编号", "任务", "完成时限", "完成情况", "依据", "相关活动"]
    rows = [["　" * (t.level - 1) + _number(t), t.task.id, t.task.title,
             t.stated_due.isoformat() if t.stated_due else "", t.state, DECIDED_BY[t.decided_by],
             f"{len(t.activities)}次：{_types(t)}" if t.activities else ""] for t in made.tasks]
    lines += text_table(header, rows)
    lines.append("")
    lines.append("相关活动：活动记录中 task 填写这项任务或其下级任务编号的活动。")
    if not made.known:
        lines.append("数据中没有任务的完成情况（status）、完成成效（outcome），活动记录也没有对应任务，"
                     "无法判断完成情况；工作总结不附完成情况表。")
    counts = "，".join(f"{state}{made.count(state)}项" for state in STATES if made.count(state))
    summary = f"共 {len(made.tasks)} 项任务：{counts}"
    if made.share is not None and made.known:
        summary += f"；完成率 {made.share}（不含已取消）"
    lines.append(summary + "。")
    if report.late:
        late = "；".join(f"{t.id} {t.title}" for t in report.late)
        lines.append(f"完成时限在本年度内而没有完成的任务：{late}。")
    return "\n".join(lines)


def as_json(report: PlanReport) -> dict[str, Any]:
    made = report.progress
    return {
        "version": VERSION,
        "organisation": report.year.organisation.name,
        "year": report.year.year,
        "known": made.known,
        "tasks": [{
            "id": t.task.id,
            "number": _number(t),
            "level": t.level,
            "title": t.task.title,
            "due": t.stated_due.isoformat() if t.stated_due else None,
            "state": t.state,
            "decided_by": t.decided_by,
            "path": path_text(t.path),
            "activities": [{"date": a.date.isoformat(), "type": a.type, "topic": a.topic, "branch": a.branch,
                            "task": a.task, "path": path_text(report.year.path_of(a))} for a in t.activities],
        } for t in made.tasks],
        "counts": {state: made.count(state) for state in STATES},
        "done_share": made.share if made.known else None,
        "late": [t.id for t in report.late],
    }


def as_csv(report: PlanReport) -> str:
    """One row a task."""
    rows: list[list[object]] = [[t.task.id, _number(t), t.level, t.task.title,
                                 t.stated_due.isoformat() if t.stated_due else "", t.state,
                                 DECIDED_BY[t.decided_by], len(t.activities), _types(t)]
                                for t in report.progress.tasks]
    header = ["编号", "序号", "层级", "任务", "完成时限", "完成情况", "依据", "相关活动次数", "相关活动类型"]
    return csv_text(header, rows)


def render(report: PlanReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(report), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return as_csv(report)
    return human(report)
