"""支部工作计划: one a 党支部, from its own plan in the data or from the tasks given to it.

A branch's plan given in the data (``branches[].plan``) is written as it is. Otherwise it is
derived: the organisation's plan tasks given to the branch (``branches:`` on a task), then its
organisational life as the rules require it, and a month-by-month table of both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ..domain.compliance import PERIOD_WORDS, has_committee, period_dates
from ..domain.rules import effective_rules
from ..domain.writing import sentence
from ..model import Branch, Plan, Rule, ScheduleRow, Task, YearData
from . import catalogue, plan, wording
from .branches import assigned_tasks, branch_named, branch_view, plan_date, retitled, with_heading
from .kinds.branch_plan import title


def required_rules(year: YearData, branch: Branch) -> list[Rule]:
    """The rules the branch's own organisational life is held to, in the table's order."""
    out = []
    for rule in effective_rules(year.rules):
        if rule.min <= 0 or rule.scope == "organisation" or not rule.applies(branch):
            continue
        if rule.scope == "group" and not branch.groups:
            continue
        if rule.activity == "支部委员会" and not has_committee(year, branch):
            continue  # a branch without a committee holds no committee meetings
        out.append(rule)
    return out


def _doing(rule: Rule) -> str:
    return wording.verb(rule.activity) + wording.activity_name(rule.activity)


def meetings_task(rules: Sequence[Rule]) -> Task | None:
    """The branch's organisational life as one task: what each rule asks, period by period."""
    if not rules:
        return None
    clauses = "，".join(catalogue.say(
        "branch-plan.meetings.rule", "", {"group"} if r.scope == "group" else set(), period=PERIOD_WORDS[r.period],
        verb=wording.verb(r.activity), activity=wording.activity_name(r.activity), min=r.min) for r in rules)
    bases = {r.basis for r in rules}
    basis = bases.pop() if len(bases) == 1 else None
    detail = catalogue.say("branch-plan.meetings", "", {"basis"} if basis else set(), basis=basis or "",
                           clauses=clauses)
    return Task(id="", title=catalogue.say("branch-plan.heading.meetings"), detail=sentence(detail))


def schedule(year: int, rules: Sequence[Rule], tasks: Sequence[Task]) -> tuple[ScheduleRow, ...]:
    """Month by month: each month's meetings (due at its end), each quarter's in its first month
    (due at the quarter's end), and each task in the month of its own deadline. A yearly meeting
    has no month and is said in the text only."""
    items: dict[tuple[int, dt.date], list[str]] = {}
    for rule in rules:
        if rule.period == "year":
            continue
        count = 12 if rule.period == "month" else 4
        for i in range(count):
            first, last = period_dates(year, rule.period, i)
            doing = _doing(rule)
            items.setdefault((first.month, last), []).append(
                catalogue.say("branch-plan.table.groups", "", doing=doing) if rule.scope == "group" else doing)
    for task in (t for top in tasks for t in top.walk()):
        if task.due is not None and task.due.year == year:
            items.setdefault((task.due.month, task.due), []).append(task.title)
    return tuple(ScheduleRow(month, "、".join(what), due=due) for (month, due), what in sorted(items.items()))


def derived_plan(year: YearData, branch: Branch) -> Plan:
    """The branch's tasks from the organisation's plan, then its organisational life."""
    tasks = assigned_tasks(year, branch)
    rules = required_rules(year, branch)
    meetings = meetings_task(rules)
    return Plan(guiding_idea="", goals="", tasks=(*tasks, *([meetings] if meetings else [])),
                schedule=schedule(year.year, rules, tasks))


def branch_plan(year: YearData, branch: Branch) -> Plan:
    given = branch.plan
    if given is None:
        return derived_plan(year, branch)
    if given.schedule:
        return given
    return Plan(given.guiding_idea, given.goals, given.tasks, given.safeguards,
                schedule(year.year, required_rules(year, branch), ()))


def context(year: YearData, subject: str) -> Mapping[str, Any]:
    branch = branch_named(year, subject)
    view = branch_view(year, branch, branch_plan(year, branch))
    made = plan.context(view)
    return with_heading(made, retitled(made["doc"], title(year, subject), date=plan_date(year)))


SHAPES = plan.SHAPES
