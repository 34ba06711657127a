"""工作计划: guiding idea, goals, nested tasks, safeguards and a month-by-month table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.writing import format_date, format_month_day, full_width, paragraphs, sentence
from ..model import Plan, Task, YearData
from .base import DocumentKind, heading
from .outline import Draft, number
from .phrases import titled_drafts


@dataclass(frozen=True)
class ScheduleRow:
    month: str
    content: str
    department: str
    due: str


@dataclass(frozen=True)
class Table:
    """A table the template sets as the document's attachment (附件) after the signature."""

    title: str
    rows: tuple[Any, ...]
    total: Any = None
    """The 合计 row, shaped like a row, or ``None`` where a total makes no sense."""


def task_draft(task: Task) -> Draft:
    """A task with its detail, then who is responsible and by when, then its sub-tasks."""
    body = [sentence(p) for p in paragraphs(task.detail)]
    duty = []
    if task.department:
        duty.append(f"责任部门：{full_width(task.department)}")
    if task.due:
        duty.append(f"完成时限：{format_date(task.due)}")
    if duty:
        body.append(sentence("；".join(duty)))
    return Draft(full_width(task.title), body, [task_draft(t) for t in task.subtasks])


def outline(plan: Plan) -> list[Draft]:
    return [
        Draft("指导思想", [sentence(p) for p in paragraphs(plan.guiding_idea)]),
        Draft("总体目标", [sentence(p) for p in paragraphs(plan.goals)]),
        Draft("主要任务", (), [task_draft(t) for t in plan.tasks]),
        Draft("保障措施", (), titled_drafts(plan.safeguards)),
    ]


def context(year: YearData) -> Mapping[str, Any]:
    plan = year.plan
    assert plan is not None  # guaranteed by KIND.requires
    drafts = [d for d in outline(plan) if d.paragraphs or d.children]
    sections = number(drafts)
    table = None
    if plan.schedule:
        rows = tuple(
            ScheduleRow(f"{r.month}月", full_width(r.content), full_width(r.department or ""),
                        format_month_day(r.due) if r.due else "")
            for r in sorted(plan.schedule, key=lambda r: r.month))
        table = Table(f"{year.year}年党建工作月度安排表", rows)
    org = year.organisation
    doc = heading(year, KIND,
                  f"为全面加强{org.hospital}党的建设，推动党建工作与医院中心工作深度融合，"
                  f"结合医院实际，制定{year.year}年党建工作计划如下。")
    return {"doc": doc, "sections": sections, "table": table}


KIND = DocumentKind("plan", "工作计划", context, requires="plan")
