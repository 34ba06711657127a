"""What the branch and Party-group documents share: whom they are about, and the data seen from there.

A branch's plan or summary is written from a *view* of the organisation's year that holds that
branch alone: its members, its activities, its development, its dues, its tasks. The view is an
ordinary :class:`~dangjian_docs.model.YearData` of a 党支部, so the branch's documents speak in
the branch's voice ("支部") through the same code and catalogue entries as a 党支部's own, and no
other branch's name or figure can reach them: they are not in the data they are written from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from ..domain.compliance import unit_of, unrecorded
from ..domain.titles import break_title
from ..domain.writing import format_date, full_width
from ..model import Branch, DocumentSettings, Group, Organisation, Plan, Rule, Signature, Task, YearData
from ..record import Record
from . import catalogue
from .base import Heading, settings

BRANCH_FORMS = {"联合": "联合党支部"}
"""A branch's kind → the organisation form it writes as (all others: 党支部)."""


def assigned_tasks(year: YearData, branch: Branch) -> tuple[Task, ...]:
    """The organisation's plan tasks given to ``branch`` (``branches:``), each with its sub-tasks;
    a sub-task of a task already given is not listed again. The organisation's departments are
    left out: in the branch's plan the branch carries the task out."""
    if year.plan is None:
        return ()

    def walk(tasks: tuple[Task, ...]) -> Iterator[Task]:
        for task in tasks:
            if branch.id in task.branches:
                yield _without_departments(task)
            else:
                yield from walk(task.subtasks)

    return tuple(walk(year.plan.tasks))


def _without_departments(task: Task) -> Task:
    return dataclasses.replace(task, department=None, branches=(),
                               subtasks=tuple(_without_departments(t) for t in task.subtasks))


def writes_own(year: YearData, branch: Branch) -> bool:
    """Whether the data gives ``branch`` a year of its own to write about: a plan of its own, or
    tasks of the organisation's plan given to it. Such a branch gets a plan and a summary."""
    return branch.plan is not None or bool(assigned_tasks(year, branch))


def own_branches(year: YearData) -> tuple[Branch, ...]:
    """The 党支部 of an organisation (not a 党支部 writing for itself) that write their own documents."""
    if year.organisation.is_branch:
        return ()
    return tuple(b for b in year.party_branches if writes_own(year, b))


def hospital_of(year: YearData, name: str) -> str:
    """The hospital's name where a branch's or group's title needs it (``name`` does not begin with it)."""
    hospital = year.organisation.hospital
    return "" if name.startswith(hospital) else hospital


def branch_named(year: YearData, name: str) -> Branch:
    return next(b for b in year.branches if b.name == name)


def branch_view(year: YearData, branch: Branch, plan: Plan | None = None) -> YearData:
    """``year`` as ``branch`` alone sees it: a 党支部's year with its own members, log,
    development, dues and rules, led by the organisation (its ``higher_body``).

    A required activity type the organisation's log records is known for the branch too: a
    branch that never held it fell short, as the organisation's summary says; a type nobody
    recorded stays unknown for the branch as for the organisation.
    """
    org = year.organisation
    unknown = unrecorded(year)
    rules = year.rules + tuple(Rule(t, "year", 0) for t in unknown)
    view_org = Organisation(
        name=branch.name, hospital=org.hospital, kind=BRANCH_FORMS.get(branch.kind, "党支部"),
        higher_body=org.name, secretary=branch.secretary, committee=branch.committee,
        members=branch.members)
    dated = {kind: DocumentSettings(date=settings(year, kind).date) for kind in ("plan", "summary")}
    activities = tuple(a for a in year.activities if unit_of(year, a) == branch.id)
    return YearData(
        year=year.year, organisation=view_org, branches=(branch,),
        signature=Signature(signature(org, branch), year.signature.date),
        plan=plan, activity_types=year.activity_types, rules=rules,
        activities=activities,
        # a branch the log names is judged by it; one it never names stays unknown (no log of its own)
        activities_complete=year.activities_complete or bool(activities),
        activity_counts=tuple(c for c in year.activity_counts if c.branch == branch.id),
        development=tuple(d for d in year.development if d.branch == branch.id),
        dues=tuple(d for d in year.dues if d.branch == branch.id),
        documents=dated, source=year.source)


def signature(org: Organisation, branch: Branch) -> str:
    """``中共滨江市第一人民医院内科第一支部委员会`` for a branch with a committee, else its name."""
    stem = branch.name.removesuffix("党支部")
    has_committee = bool(branch.committee_count) and stem != branch.name
    hospital = "" if stem.startswith(org.hospital) else org.hospital
    return full_width(catalogue.say("branch.signature", "党支部", {"committee"} if has_committee else set(),
                                    hospital=hospital, stem=stem, name=branch.name))


class GroupOf(Record):
    """A Party group with a plan of its own, the branch it belongs to, and the name it goes by."""

    branch: Branch
    group: Group
    subject: str
    """The group's name, or the branch's and the group's where two branches have groups so named."""


def planning_groups(year: YearData) -> tuple[GroupOf, ...]:
    """The Party groups whose tasks the data gives, in data order."""
    found = [(b, g) for b in year.branches for g in b.groups if g.tasks]
    names = [g.name for _, g in found]
    return tuple(GroupOf(b, g, g.name if names.count(g.name) == 1 else f"{b.name}{g.name}") for b, g in found)


def retitled(doc: Heading, title: str, signature_body: str | None = None, date: str | None = None) -> Heading:
    """A heading built for the view, with the document's own title (and signature, date)."""
    title = full_width(title)
    return dataclasses.replace(doc, title=title, title_lines=break_title(title),
                               signature=doc.signature if signature_body is None else signature_body,
                               date=doc.date if date is None else date)


def with_heading(context: Mapping[str, Any], doc: Heading) -> dict[str, Any]:
    return {**context, "doc": doc}


def plan_date(year: YearData) -> str:
    """A branch's or group's plan is dated as the organisation's plan is (no date: none printed)."""
    own = settings(year, "plan").date
    return format_date(own) if own is not None else ""
