"""工作总结: opening, basic situation, work done and results, problems, next year's plans."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ..domain.compliance import Tally, unrecorded, unrecorded_branches
from ..domain.figures import Attendance, Figures, HeldRequired, attendance_by_unit, compute, summed
from ..domain.log_index import log_index
from ..domain.numbering import section_number
from ..domain.progress import CANCELLED, DONE, NOT_STARTED, UNDER_WAY, PlanProgress, progress
from ..domain.rules import THREE_MEETINGS_ONE_LECTURE
from ..domain.writing import format_month_day, full_width, sentence
from ..model import YearData
from ..record import Record
from . import catalogue, phrases, wording
from .base import date_of_writing, heading
from .kinds.summary import KIND
from .ledger import Fact, Ledger
from .outline import Draft, number, parts
from .plan import Table


class BranchRow(Record):
    """One row of the attached table; an empty cell is a figure the data does not give."""

    name: str
    members: str
    meetings: str
    theme_days: str
    attendance: str


def _held_required(tallies: Sequence[Tally], held_by_type: Mapping[str, int], types: Sequence[str],
                   unknown: Collection[str] = ()) -> str:
    """``开展/应开``; a type the log never mentions (``unknown``) is an empty cell, not a 0.

    ``held_by_type`` counts the activities of each type, counted once for the row's cells."""
    held = sum(held_by_type.get(t, 0) for t in types)
    chosen = [t for t in tallies if t.rule.activity in types]
    if chosen:
        return str(HeldRequired(held, sum(t.required for t in chosen)))
    return "" if not held and all(t in unknown for t in types) else str(held)


def branch_table(year: YearData, tallies: Sequence[Tally]) -> Table | None:
    """The branches' organisational life, with a 合计 row; none without a log or for one branch."""
    branches = year.party_branches
    if not any(t.branch is not None for t in tallies) or len(branches) < 2:
        return None
    rows = []
    all_held: Counter[str] = Counter()
    unknown = unrecorded(year)
    unlogged = unrecorded_branches(year)
    every_type = (*THREE_MEETINGS_ONE_LECTURE, "主题党日")  # a branch the log never names
    by_unit = log_index(year).by_unit
    present = attendance_by_unit(year)
    by_branch: dict[int, list[Tally]] = {}  # each branch's tallies, by the branch object's identity
    for t in tallies:
        if t.branch is not None:
            by_branch.setdefault(id(t.branch), []).append(t)
    no_rows = Attendance(0, 0, 0)
    for branch in branches:
        held: Counter[str] = Counter()
        for cell in by_unit.get(branch.id, ()):
            held[cell.type] += len(cell.rows)
        all_held.update(held)
        mine = by_branch.get(id(branch), [])
        rate = present.get(branch.id, no_rows).rate
        blank = every_type if branch in unlogged else ()
        rows.append(BranchRow(
            name=branch.name,
            members=str(branch.members.total) if branch.members is not None else "",
            meetings=_held_required(mine, held, THREE_MEETINGS_ONE_LECTURE, blank),
            theme_days=_held_required(mine, held, ("主题党日",), (*unknown, *blank)),
            attendance=rate or "",
        ))
    counted = [b.members.total for b in branches if b.members is not None]
    branch_tallies = [t for t in tallies if t.branch is not None]
    total = BranchRow(
        name=catalogue.say("summary.table.total"),
        members=str(sum(counted)) if len(counted) == len(branches) else "",
        # a total over the branches the log names only would pass for the whole
        meetings="" if unlogged else _held_required(branch_tallies, all_held, THREE_MEETINGS_ONE_LECTURE),
        theme_days="" if unlogged else _held_required(branch_tallies, all_held, ("主题党日",), unknown),
        attendance=summed(present.get(b.id, no_rows) for b in branches).rate or "",
    )
    return Table(catalogue.say("summary.table.title", year.organisation.kind, year=year.year), tuple(rows), total)


class PlanRow(Record):
    """One plan task in the completion table (附件: 年度计划完成情况表)."""

    number: str
    """The task's number as the plan gives it at its level: （一）, 1., （1）."""
    task: str
    due: str
    state: str
    activities: str
    """Activities linked to the task or a task under it; empty for none (a log need not link)."""


class PlanTable(Record):
    title: str
    columns: PlanRow
    """The column names, from the wording catalogue (an office may rename them): a row of the table's shape."""
    rows: tuple[PlanRow, ...]


PLAN_LEVEL = 2
"""The plan numbers its tasks from the second heading level (一、主要任务 → （一） a task)."""


def plan_table(year: YearData, made: PlanProgress) -> PlanTable | None:
    """Every plan task with its state at the year's end; none where the data says nothing of how
    the plan went (every task would read 未开始 for want of data)."""
    if not made.known:
        return None
    rows = tuple(PlanRow(
        number=section_number(PLAN_LEVEL + t.level - 1, t.number),
        task=full_width(t.task.title),
        due=format_month_day(t.stated_due) if t.stated_due else "",
        state=t.state,
        activities=str(len(t.activities)) if t.activities else "",
    ) for t in made.tasks)
    say = catalogue.say
    columns = PlanRow(say("summary.plan_table.number"), say("summary.plan_table.task"),
                          say("summary.plan_table.due"), say("summary.plan_table.state"),
                          say("summary.plan_table.activities"))
    return PlanTable(say("summary.plan_table.title", year.organisation.kind, year=year.year), columns, rows)


def plan_tasks_fact(made: PlanProgress) -> Fact:
    """The count of the plan's tasks: stated once, then 存在问题 refers back to it."""
    return Fact(phrases.PLAN_TASKS, made.counted)


def progress_sentence(made: PlanProgress, attachment: str, ledger: Ledger) -> str:
    """``年度工作计划确定的31项任务中，已完成27项，完成率87.1%，4项仍在推进，…见附件2。``"""
    if not made.known or not made.counted:
        return ""
    rest = [catalogue.say("summary.plan.under_way", n=made.count(UNDER_WAY)) if made.count(UNDER_WAY) else "",
            catalogue.say("summary.plan.not_started", n=made.count(NOT_STARTED)) if made.count(NOT_STARTED) else ""]
    facts = {"all_done"} if made.done == made.counted else set()
    if made.count(CANCELLED):
        facts.add("cancelled")
    ledger.state(plan_tasks_fact(made), "plan")
    rest_text = "，".join(r for r in rest if r)
    return sentence(catalogue.say("summary.plan.progress", "", facts, total=made.counted, done=made.count(DONE),
                                  share=made.share, rest="，" + rest_text if rest_text else "",
                                  cancelled=made.count(CANCELLED), attachment=attachment))


def opening_facts(year: YearData, fig: Figures, has_work: bool) -> set[str]:
    """What the opening may claim: the hospital's system where the data says it runs it, the
    branches it leads where there are two or more, the year's work where the summary gives it."""
    facts = set()
    if year.organisation.leadership_system:
        facts.add("leadership_system")
    if fig.branches >= 2:
        facts.add("several_branches")
    if has_work:
        facts.add("work")
    return facts


def context(year: YearData) -> Mapping[str, Any]:
    fig = compute(year)
    ledger = Ledger()
    form = year.organisation.kind
    basic = phrases.basic_situation(year, fig, ledger=ledger)
    made = progress(year)
    table = branch_table(year, fig.tallies)
    tasks_table = plan_table(year, made)
    said = progress_sentence(made, "2" if table is not None else "", ledger) if tasks_table else ""
    work = phrases.work_done(year, fig, ledger, "1" if tasks_table is not None else "")
    results = [d for d in (phrases.result_draft(r, ledger) for r in year.results) if d]
    if results:
        work.append(parts(catalogue.say("summary.heading.results", form), results))
    drafts = [
        Draft(catalogue.say("summary.heading.basic", form), basic),
        Draft(catalogue.say("summary.heading.work", form), [said] if said else (), work),
        Draft(catalogue.say("summary.heading.problems", form), (), phrases.problem_drafts(year, ledger)),
        Draft(catalogue.say("summary.heading.next", form, next_year=year.year + 1), (),
              phrases.titled_drafts(year.next_year)),
    ]
    sections = number([d for d in drafts if d.paragraphs or d.children])
    facts = opening_facts(year, fig, has_work=bool(work))
    opening = wording.summary_opening(year.organisation, year.year, date_of_writing(year, KIND.name), facts)
    doc = heading(year, KIND, opening)
    # 基本情况 is the first section whenever it has anything: where last year's changes go
    return {"doc": doc, "sections": sections, "table": table, "plan_table": tasks_table,
            "basic_situation": 0 if basic else None}


SHAPES = {"table": (Table, BranchRow), "plan_table": PlanTable}
