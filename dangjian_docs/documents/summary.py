"""工作总结: opening, basic situation, work done and results, problems, next year's plans."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..domain.compliance import Tally, unit_of, unrecorded, unrecorded_branches
from ..domain.figures import Figures, HeldRequired, attendance, compute, development
from ..domain.rules import THREE_MEETINGS_ONE_LECTURE
from ..model import Activity, YearData
from . import catalogue, phrases, wording
from .base import DocumentKind, date_of_writing, heading
from .ledger import Ledger
from .outline import Draft, number
from .plan import Table


@dataclass(frozen=True)
class BranchRow:
    """One row of the attached table; an empty cell is a figure the data does not give."""

    name: str
    members: str
    meetings: str
    theme_days: str
    attendance: str


def _held_required(tallies: Sequence[Tally], activities: Sequence[Activity], types: Sequence[str],
                   unknown: Collection[str] = ()) -> str:
    """``开展/应开``; a type the log never mentions (``unknown``) is an empty cell, not a 0."""
    held = sum(a.type in types for a in activities)
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
    all_own: list[Activity] = []
    unknown = unrecorded(year)
    unlogged = unrecorded_branches(year)
    every_type = (*THREE_MEETINGS_ONE_LECTURE, "主题党日")  # a branch the log never names
    for branch in branches:
        own = [a for a in year.activities if unit_of(year, a) == branch.id]
        all_own += own
        mine = [t for t in tallies if t.branch is branch]
        rate = attendance(own).rate
        blank = every_type if branch in unlogged else ()
        rows.append(BranchRow(
            name=branch.name,
            members=str(branch.members.total) if branch.members is not None else "",
            meetings=_held_required(mine, own, THREE_MEETINGS_ONE_LECTURE, blank),
            theme_days=_held_required(mine, own, ("主题党日",), (*unknown, *blank)),
            attendance=rate or "",
        ))
    counted = [b.members.total for b in branches if b.members is not None]
    branch_tallies = [t for t in tallies if t.branch is not None]
    total = BranchRow(
        name="合计",
        members=str(sum(counted)) if len(counted) == len(branches) else "",
        # a total over the branches the log names only would pass for the whole
        meetings="" if unlogged else _held_required(branch_tallies, all_own, THREE_MEETINGS_ONE_LECTURE),
        theme_days="" if unlogged else _held_required(branch_tallies, all_own, ("主题党日",), unknown),
        attendance=attendance(all_own).rate or "",
    )
    return Table(catalogue.say("summary.table.title", year.organisation.kind, year=year.year), tuple(rows), total)


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
    work = phrases.work_done(year, fig, ledger)
    results = [d for d in (phrases.result_draft(r, ledger) for r in year.results) if d]
    if results:
        work.append(Draft(catalogue.say("summary.heading.results", form), (), results))
    drafts = [
        Draft(catalogue.say("summary.heading.basic", form), basic),
        Draft(catalogue.say("summary.heading.work", form), (), work),
        Draft(catalogue.say("summary.heading.problems", form), (), phrases.problem_drafts(year, ledger)),
        Draft(catalogue.say("summary.heading.next", form, next_year=year.year + 1), (),
              phrases.titled_drafts(year.next_year)),
    ]
    sections = number([d for d in drafts if d.paragraphs or d.children])
    facts = opening_facts(year, fig, has_work=bool(work))
    opening = wording.summary_opening(year.organisation, year.year, date_of_writing(year, KIND.name), facts)
    doc = heading(year, KIND, opening)
    # 基本情况 is the first section whenever it has anything: where last year's changes go
    return {"doc": doc, "sections": sections, "table": branch_table(year, fig.tallies),
            "basic_situation": 0 if basic else None}


def years_work_given(year: YearData) -> bool:
    """Whether the data says what the year's work was: work sections, an activity log or counts,
    results, named practices, or a plan task's outcome. Without it a summary or report would
    state only the set-up, dated at the year's end."""
    outcomes = year.plan is not None and any(t.outcome for t in year.plan.all_tasks())
    developed = any(v for v in dataclasses.astuple(development(year)))
    return bool(year.work or year.activities or year.activity_counts or year.results or year.practices
                or outcomes or developed)


YEARS_WORK = ("全年工作（work、activities、activity_counts、results、本年度的发展党员情况，"
              "或计划任务的完成情况 outcome）")

KIND = DocumentKind("summary", "工作总结", context, supports=years_work_given, needs=YEARS_WORK,
                    shapes={"table": (Table, BranchRow)})
