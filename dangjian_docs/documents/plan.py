"""工作计划: guiding idea, goals, nested tasks, safeguards and a month-by-month table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ..domain.numbering import ordinal_lead
from ..domain.writing import format_date, format_month_day, full_width, paragraphs, sentence
from ..model import Plan, Task, YearData
from ..record import Record
from . import catalogue, wording
from .base import heading
from .kinds.plan import KIND
from .outline import Draft, number
from .phrases import titled_drafts


class ScheduleRow(Record):
    month: str
    content: str
    department: str
    due: str


class Table(Record):
    """A table the template sets as the document's attachment (附件) after the signature."""

    title: str
    rows: tuple[Any, ...]
    total: Any = None
    """The 合计 row, shaped like a row, or ``None`` where a total makes no sense."""


class Duty(Record):
    """Who leads and by when, as already said by an enclosing task (``None``: not said yet)."""

    department: str | None = None
    due: dt.date | None = None


_NOTHING_SAID = Duty()
"""The duty of a top-level task: no enclosing task has said who or when."""


def measures_paragraph(measures: Sequence[str]) -> str:
    """``一是……；二是……。``: a task's measures in one paragraph, as plans write them."""
    items = [full_width(m.strip()).rstrip("。；;") for m in measures if m.strip()]
    if len(items) == 1:
        return sentence(items[0])
    return sentence("；".join(ordinal_lead(i) + m for i, m in enumerate(items, start=1)))


def duty_note(task: Task, given: Duty, year_end: dt.date) -> tuple[str, Duty]:
    """``责任部门：党委组织部；完成时限：2025年6月30日`` with only what is new at this level.

    A department or deadline an enclosing task already gave is not repeated; the year's last
    day is the deadline of the whole plan and is not said at all.
    """
    parts = []
    department = task.department if task.department != given.department else None
    due = task.due if task.due not in (given.due, year_end) else None
    if department:
        parts.append(catalogue.say("plan.duty.department", department=full_width(department)))
    if due:
        parts.append(catalogue.say("plan.duty.due", date=format_date(due)))
    return "；".join(parts), Duty(task.department or given.department, task.due or given.due)


def task_draft(task: Task, given: Duty = _NOTHING_SAID, year_end: dt.date | None = None) -> Draft:
    """A task with what will be done (detail and measures), its duty once, then its sub-tasks.

    The duty closes the task's last paragraph; a task with no text of its own leaves it to its
    sub-tasks, so that it is said on the items it belongs to.
    """
    body = [sentence(p) for p in paragraphs(task.detail)]
    if task.measures:
        body.append(measures_paragraph(task.measures))
    note, passed = ("", given)
    if body or not task.subtasks:
        note, passed = duty_note(task, given, year_end or dt.date.max)
    if note and body:  # the duty closes the task's words, in brackets
        body[-1] = body[-1].removesuffix("。") + catalogue.say("plan.duty.note", "", {"after"}, parts=note) + "。"
    elif note:  # the duty alone stands as the task's sentence
        body.append(catalogue.say("plan.duty.note", parts=note) + "。")
    children = [task_draft(t, passed, year_end) for t in task.subtasks]
    return Draft(full_width(task.title), body, children)


def shared_deadline(plan: Plan) -> dt.date | None:
    """The one deadline of every task: each task without sub-tasks gives it, and any task that
    gives a date gives that one. A task with no date keeps "以下各项任务均于…" from being said."""
    dues = {t.due for t in plan.all_tasks() if t.due is not None or not t.subtasks}
    return dues.pop() if len(dues) == 1 and None not in dues else None


def outline(plan: Plan, year_end: dt.date | None = None, form: str = "") -> list[Draft]:
    """The plan's sections; a deadline all tasks share is said once, above them (or not at all
    when it is the year's last day)."""
    shared = shared_deadline(plan)
    intro = [sentence(catalogue.say("plan.shared_deadline", date=format_date(shared)))] \
        if shared is not None and shared != year_end else []
    return [
        Draft(catalogue.say("plan.heading.guiding", form), [sentence(p) for p in paragraphs(plan.guiding_idea)]),
        Draft(catalogue.say("plan.heading.goals", form), [sentence(p) for p in paragraphs(plan.goals)]),
        Draft(catalogue.say("plan.heading.tasks", form), intro,
              [task_draft(t, Duty(due=shared), year_end) for t in plan.tasks]),
        Draft(catalogue.say("plan.heading.safeguards", form), (), titled_drafts(plan.safeguards)),
    ]


def context(year: YearData) -> Mapping[str, Any]:
    plan = year.plan
    assert plan is not None  # guaranteed by KIND.requires
    drafts = [d for d in outline(plan, year.year_end, year.organisation.kind) if d.paragraphs or d.children]
    sections = number(drafts)
    table = None
    if plan.schedule:
        rows = tuple(
            ScheduleRow(catalogue.say("plan.table.month", month=r.month), full_width(r.content),
                        full_width(r.department or ""), format_month_day(r.due) if r.due else "")
            for r in sorted(plan.schedule, key=lambda r: r.month))
        table = Table(catalogue.say("plan.table.title", year.organisation.kind, year=year.year), rows)
    doc = heading(year, KIND, wording.plan_opening(year.organisation, year.year))
    return {"doc": doc, "sections": sections, "table": table}


SHAPES = {"table": (Table, ScheduleRow)}
