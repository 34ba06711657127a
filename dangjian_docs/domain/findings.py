"""Problems the data itself points to, with their figures: candidates for 存在问题.

Offices write 存在问题 last and reach for the genre's stock phrases, while the data often shows
real weaknesses: few applications to join for the size of the staff, plan tasks not finished,
secretaries who are not 双带头人. Each finding here is derived only from facts the data states;
a fact that is unknown (``None``, or a log the data does not keep) gives no finding, because an
absent fact is not a zero.

The data adopts a finding into 存在问题 by reference (``- finding: few-applications``), in the
tool's words or its own; :func:`stated_problems` resolves the references for the documents.

Thresholds, chosen to flag only what an office would itself call a weakness:

* applications: fewer than one a year for every 100 non-member staff (non-member staff = staff
  − in-service members);
* young members: those aged 35 and under (as the data counts them) below 20% of all members,
  which the text calls “不到两成” — a plain fact, not a comparison with any official norm;
* committee terms: three years from the election have passed by the year's end, as the
  ``term-expired`` warning counts them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

from ..model import Branch, Problem, Task, YearData, age_on
from ..record import Record
from . import figures
from .compliance import PERIODS, Tally, period_label, period_span, tallies
from .memo import per_year
from .progress import NOT_STARTED, UNDER_WAY, UNFINISHED, progress
from .writing import format_date, full_width, percent

APPLICATIONS_PER_HUNDRED_STAFF = 1
"""Fewer applications a year than this per 100 non-member staff is a finding."""
YOUNG_SHARE_PERCENT = 20
"""A share of members aged 35 and under below this (per cent) is a finding."""
TERM_YEARS = 3


class Finding(NamedTuple):
    """A candidate problem: a title and a detail in the register of 存在问题, and its figures.

    ``code`` is what the data writes to adopt it (``finding: few-applications``); ``where`` is
    the data path a note about it points to.
    """

    code: str
    title: str
    detail: str
    figures: Mapping[str, object]
    where: tuple[str | int, ...] = ()


class Kind(Record):
    """What a finding code is about (for messages) and which data it needs."""

    label: str
    needs: str


KINDS: dict[str, Kind] = {
    "few-applications": Kind("入党申请偏少", "职工总数、在职党员人数和全年入党申请人数"),
    "tasks-unfinished": Kind("计划任务没有完成", "年度计划中各项任务的完成情况（status）"),
    "secretaries-not-dual": Kind("支部书记不是“双带头人”", "在职党支部书记是否“双带头人”"),
    "meetings-short": Kind("组织生活没有达到规定频次", "活动记录（台账）"),
    "terms-overdue": Kind("支委会没有按期换届", "各支部支委会的选举日期（committee_elected）"),
    "few-young-members": Kind("青年党员比例偏低", "全体党员人数和35岁及以下党员人数"),
}
"""Every finding code, in the order findings are listed."""


def _quoted(title: str) -> str:
    """A title inside “…”: its own double quotes become single ones, as nesting requires."""
    return "“" + full_width(title).replace("“", "‘").replace("”", "’") + "”"


def _names(items: Iterable[str]) -> str:
    return "、".join(items)


# -- the facts, or None when the data does not state them ------------------------------------

def _in_service_members(year: YearData) -> int | None:
    """Members who are staff, as the organisation's figures count them; ``None`` if unknown.

    Without a count of retired members the total may include them: unknown, not the total.
    """
    counted = figures.members(year)
    if counted is None or counted.retired is None:
        return None
    return counted.in_service


# -- each finding ------------------------------------------------------------------------------

def few_applications(year: YearData) -> Finding | None:
    staff = year.organisation.staff
    members = _in_service_members(year)
    applied = figures.development(year).applied
    if staff is None or members is None or applied is None or staff <= members:
        return None
    others = staff - members
    if applied * 100 >= others * APPLICATIONS_PER_HUNDRED_STAFF:
        return None
    received = f"全年只收到入党申请{applied}份" if applied else "全年没有收到入党申请"
    share = f"申请入党的不到非党员职工的{APPLICATIONS_PER_HUNDRED_STAFF}%，" if applied else ""
    counted = year.development_counts is not None and year.development_counts.applied is not None
    return Finding(
        "few-applications", "入党申请人数偏少，党员发展后备力量不足",
        f"{received}，而全院非党员职工有{others}人（职工{staff}人，在职党员{members}名），{share}"
        "在职工中宣传引导、发现和培养入党积极分子的工作还不够深入。",
        {"applied": applied, "staff": staff, "in_service_members": members,
         "non_member_staff": others},
        ("development_counts", "applied") if counted else ("development",))


def _unfinished_leaves(task: Task, year_end: dt.date, state: Mapping[int, str]) -> list[Task]:
    """Unfinished tasks due by the year's end with no unfinished task below them.

    A task still open only because a sub-task runs into next year is not late itself. States are
    those :func:`.progress.progress` decides (the data's ``status``, else read from the data).
    """
    below = [t for sub in task.subtasks for t in _unfinished_leaves(sub, year_end, state)]
    if below or any(state[id(t)] in UNFINISHED for sub in task.subtasks for t in sub.walk()):
        return below
    due_in_year = task.due is None or task.due <= year_end
    return [task] if state[id(task)] in UNFINISHED and due_in_year else []


def unfinished_tasks(year: YearData) -> list[tuple[Task, str]]:
    """The tasks the ``tasks-unfinished`` finding names, each with its state at the year's end."""
    made = progress(year)
    if year.plan is None or not made.known:
        return []  # nothing says how the plan went: no task is known to be unfinished
    state = {id(t.task): t.state for t in made.tasks}
    return [(t, state[id(t)]) for task in year.plan.tasks for t in _unfinished_leaves(task, year.year_end, state)]


def unfinished_clauses(titles: Sequence[str], states: Sequence[str], counted: bool = True) -> str:
    """``“甲”“乙”2项到年底仍在推进，“丙”1项到年底尚未启动``; without ``counted``, no “2项”
    (where the document has given the counts of the plan's tasks already)."""
    clauses = []
    for status, words in ((UNDER_WAY, "到年底仍在推进"), (NOT_STARTED, "到年底尚未启动")):
        chosen = [title for title, s in zip(titles, states, strict=True) if s == status]
        if chosen:
            clauses.append("".join(_quoted(t) for t in chosen) + (f"{len(chosen)}项" if counted else "") + words)
    return "，".join(clauses)


def tasks_unfinished(year: YearData) -> Finding | None:
    open_tasks = unfinished_tasks(year)
    if year.plan is None or not open_tasks:
        return None
    total = sum(1 for _ in year.plan.all_tasks())
    titles, states = tuple(t.title for t, _ in open_tasks), tuple(s for _, s in open_tasks)
    return Finding(
        "tasks-unfinished", "部分年度任务没有按计划完成",
        f"年度工作计划列出的{total}项任务中，" + unfinished_clauses(titles, states) + "，没有按期完成。",
        {"tasks": total, "unfinished": len(open_tasks), "titles": titles, "states": states},
        _task_path(year, open_tasks[0][0]))


def _task_path(year: YearData, wanted: Task) -> tuple[str | int, ...]:
    def walk(tasks: tuple[Task, ...], path: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
        for i, task in enumerate(tasks):
            if task is wanted:
                return (*path, i, "status")
            found = walk(task.subtasks, (*path, i, "subtasks"))
            if found:
                return found
        return None
    return (walk(year.plan.tasks, ("plan", "tasks")) if year.plan else None) or ("plan",)


def secretaries_not_dual(year: YearData) -> Finding | None:
    in_service = [b for b in year.party_branches if not b.retired]
    known = [b for b in in_service if b.secretary_is_professional_leader is not None]
    not_dual = [b for b in known if not b.secretary_is_professional_leader]
    if not not_dual:
        return None
    all_known = len(known) == len(in_service)
    scope = f"{len(known)}个在职党支部中" if all_known else f"填写了书记情况的{len(known)}个在职党支部中"
    if len(not_dual) == 1:
        who = f"{not_dual[0].name}的书记不是“双带头人”"
    else:
        who = f"有{len(not_dual)}个支部的书记不是“双带头人”（{_names(b.name for b in not_dual)}）"
    share = percent(len(known) - len(not_dual), len(known))
    return Finding(
        "secretaries-not-dual", "支部书记“双带头人”培育还不够到位",
        f"{scope}，{who}，“双带头人”书记占在职党支部书记的{share}，还没有实现全覆盖。",
        {"branches": len(known), "not_dual": len(not_dual),
         "names": tuple(b.name for b in not_dual), "share": share},
        (*year.path_of(not_dual[0]), "secretary_is_professional_leader"))


def _periods(period: str, indexes: tuple[int, ...]) -> str:
    """As :func:`period_span`, with a whole year said as 全年各月 or 全年各季度."""
    if len(indexes) == PERIODS[period]:
        return "全年各月" if period == "month" else "全年各季度"
    return period_span(period, indexes)


def _unit_shortfalls(short: list[Tally]) -> str:
    """One unit's shortfalls in one clause: periods short, then whole-year rules not met."""
    periodic = [f"{t.rule.activity}{_periods(t.rule.period, t.short_periods)}"
                for t in short if t.rule.period != "year"]
    missing = [t.rule.activity for t in short if t.rule.period == "year" and t.held == 0]
    few = [f"{t.rule.activity}全年只有{t.held}次、少于规定的{t.rule.min}次"
           for t in short if t.rule.period == "year" and t.held > 0]
    clauses = []
    if periodic:
        clauses.append("、".join(periodic) + "未达到规定的次数")
    if missing:
        clauses.append(f"全年没有{_names(missing)}的记录")
    clauses += few
    return short[0].unit_name + "，".join(clauses)


def meetings_short(year: YearData) -> Finding | None:
    short = [t for t in tallies(year) if not t.compliant]
    if not short:
        return None
    units: dict[str, list[Tally]] = {}
    for tally in short:
        units.setdefault(tally.unit_name, []).append(tally)
    bases = {t.rule.basis for t in short}
    basis = next(iter(bases)) if len(bases) == 1 else None
    first = short[0]
    return Finding(
        "meetings-short", "组织生活制度落实还有差距",
        f"对照{basis or ''}规定的组织生活频次，"
        + "；".join(_unit_shortfalls(group) for group in units.values()) + "。",
        {"shortfalls": tuple((t.unit_name, t.rule.activity,
                              tuple(period_label(t.rule.period, i) for i in t.short_periods))
                             for t in short)},
        year.path_of(first.branch) if first.branch is not None else ("activities",))


def terms_overdue(year: YearData) -> Finding | None:
    due = [b for b in year.branches if b.committee_elected is not None
           and age_on(b.committee_elected, year.year_end) >= TERM_YEARS]
    if not due:
        return None

    def elected(b: Branch) -> str:
        day = b.committee_elected
        assert day is not None
        return f"{day.year}年{day.month}月"

    if len(due) == 1:
        which = f"{due[0].name}支委会于{elected(due[0])}选举产生"
    else:
        which = _names(f"{b.name}（{elected(b)}选举产生）" for b in due) + "的支委会"
    return Finding(
        "terms-overdue", "部分支部委员会没有按期换届",
        f"{which}，到{format_date(year.year_end)}任期已满{TERM_YEARS}年，尚未换届。",
        {"branches": tuple(b.name for b in due),
         "elected": tuple(b.committee_elected for b in due)},
        (*year.path_of(due[0]), "committee_elected"))


def few_young_members(year: YearData) -> Finding | None:
    counted = figures.members(year)
    if counted is None or counted.under_35 is None:
        return None
    total, young = counted.total, counted.under_35
    if total == 0 or young * 100 >= total * YOUNG_SHARE_PERCENT:
        return None
    retired = counted.retired
    whole = f"全体党员{total}名（含离退休党员{retired}名）" if retired else f"全体党员{total}名"
    return Finding(
        "few-young-members", "青年党员占比偏低",
        f"{whole}中，35岁及以下的{young}名，占{percent(young, total)}，不到两成，"
        "党员队伍年龄结构需要进一步优化。",
        {"members": total, "young": young, "share": percent(young, total)},
        ("branches",))


DERIVE: dict[str, Callable[[YearData], Finding | None]] = {
    "few-applications": few_applications,
    "tasks-unfinished": tasks_unfinished,
    "secretaries-not-dual": secretaries_not_dual,
    "meetings-short": meetings_short,
    "terms-overdue": terms_overdue,
    "few-young-members": few_young_members,
}
assert list(DERIVE) == list(KINDS)


@per_year
def findings(year: YearData) -> tuple[Finding, ...]:
    """Every problem the data supports, in a fixed order (derived once per year: validation's
    notes and every document read the same tuple)."""
    return tuple(f for derive in DERIVE.values() if (f := derive(year)) is not None)


def stated_problems(year: YearData) -> tuple[Problem, ...]:
    """存在问题 as the documents print them: references resolved to a title and a detail.

    A reference's own ``title`` or ``detail`` replaces the tool's words field by field; a
    reference the data does not support (validation reports it) is left out unless it has
    words of its own.
    """
    supported: dict[str, Finding] | None = None
    out = []
    for problem in year.problems:
        if problem.finding is None:
            out.append(problem)
            continue
        if supported is None:
            supported = {f.code: f for f in findings(year)}
        found = supported.get(problem.finding)
        if found is None:
            if problem.title:
                out.append(problem)
            continue
        out.append(dataclasses.replace(
            problem, title=problem.title or found.title,
            detail=problem.detail if problem.detail is not None else found.detail))
    return tuple(out)
