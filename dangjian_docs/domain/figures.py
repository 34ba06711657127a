"""Figures that documents quote again and again, computed from the data, never typed.

Each figure is a plain number or a formatted share; documents only place them. Shares have one
decimal (``15.0%``), as official statistics are written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Activity, Task, YearData
from .compliance import Tally, tallies
from .rules import THREE_MEETINGS_ONE_LECTURE
from .writing import percent


@dataclass(frozen=True)
class HeldRequired:
    held: int
    required: int

    def __str__(self) -> str:
        return f"{self.held}/{self.required}"


@dataclass(frozen=True)
class Attendance:
    present: int
    expected: int
    meetings: int

    @property
    def rate(self) -> str:
        return percent(self.present, self.expected)


def attendance(activities: Iterable[Activity]) -> Attendance:
    counted = [a for a in activities if a.expected is not None and a.present is not None]
    return Attendance(sum(a.present or 0 for a in counted), sum(a.expected or 0 for a in counted),
                      len(counted))


@dataclass(frozen=True)
class Members:
    full: int
    probationary: int
    women: int
    under_35: int
    bachelor_or_above: int | None
    """``None`` when some branch gives no education breakdown."""

    @property
    def total(self) -> int:
        return self.full + self.probationary


@dataclass(frozen=True)
class Development:
    applied: int
    activists: int
    candidates: int
    admitted: int
    """Admitted as probationary members during the year."""
    converted: int
    """Probationary members who became full members during the year."""


@dataclass(frozen=True)
class Figures:
    branches: int
    in_service_branches: int
    retired_branches: int
    groups: int
    committees: int
    members: Members
    in_service_members: int
    staff: int
    professional_secretaries: int
    activities: int
    by_type: Counter[str]
    attendance: Attendance
    three_meetings: dict[str, HeldRequired]
    theme_days: HeldRequired
    lectures: int
    secretary_lectures: int
    development: Development
    dues_total: float
    tasks: int
    tasks_done: int
    tallies: tuple[Tally, ...]

    @property
    def share_women(self) -> str:
        return percent(self.members.women, self.members.total)

    @property
    def share_under_35(self) -> str:
        return percent(self.members.under_35, self.members.total)

    @property
    def share_bachelor_or_above(self) -> str:
        return percent(self.members.bachelor_or_above or 0, self.members.total)

    @property
    def share_of_staff(self) -> str:
        """In-service members among the hospital's staff (retired members are not staff)."""
        return percent(self.in_service_members, self.staff)

    @property
    def share_professional_secretaries(self) -> str:
        return percent(self.professional_secretaries, self.branches)

    @property
    def three_meetings_total(self) -> HeldRequired:
        return HeldRequired(sum(v.held for v in self.three_meetings.values()),
                            sum(v.required for v in self.three_meetings.values()))


def held_against_rules(rows: Iterable[Tally], activity: str) -> HeldRequired:
    chosen = [t for t in rows if t.rule.activity == activity]
    return HeldRequired(sum(t.held for t in chosen), sum(t.required for t in chosen))


def task_activities(year: YearData, task: Task) -> list[Activity]:
    """Activities linked to ``task`` or to any of its sub-tasks."""
    ids = {t.id for t in task.walk()}
    return [a for a in year.activities if a.task in ids]


def compute(year: YearData) -> Figures:
    branches = year.branches
    rows = tuple(tallies(year))
    education = [b.members.education for b in branches]
    members = Members(
        full=sum(b.members.full for b in branches),
        probationary=sum(b.members.probationary for b in branches),
        women=sum(b.members.women for b in branches),
        under_35=sum(b.members.under_35 for b in branches),
        bachelor_or_above=None if any(e is None for e in education) else sum(
            e.postgraduate + e.bachelor for e in education if e is not None),
    )
    start, end = year.year_start, year.year_end

    def in_year(day: object) -> bool:
        return day is not None and start <= day <= end  # type: ignore[operator]

    secretaries = {(b.id, b.secretary) for b in branches}
    lectures = [a for a in year.activities if a.type == "党课"]
    all_tasks = list(year.plan.all_tasks()) if year.plan else []
    return Figures(
        branches=len(branches),
        in_service_branches=sum(not b.retired for b in branches),
        retired_branches=sum(b.retired for b in branches),
        groups=sum(len(b.groups) for b in branches),
        committees=sum(bool(b.committee) for b in branches),
        members=members,
        in_service_members=sum(b.members.total for b in branches if not b.retired),
        staff=year.organisation.staff,
        professional_secretaries=sum(b.secretary_is_professional_leader for b in branches),
        activities=len(year.activities),
        by_type=Counter(a.type for a in year.activities),
        attendance=attendance(a for a in year.activities if a.branch is not None),
        three_meetings={t: held_against_rules(rows, t) for t in THREE_MEETINGS_ONE_LECTURE},
        theme_days=held_against_rules(rows, "主题党日"),
        lectures=len(lectures),
        secretary_lectures=sum((a.branch, a.speaker) in secretaries for a in lectures),
        development=Development(
            applied=sum(in_year(d.applied) for d in year.development),
            activists=sum(in_year(d.activist) for d in year.development),
            candidates=sum(in_year(d.candidate) for d in year.development),
            admitted=sum(in_year(d.probationary) for d in year.development),
            converted=sum(in_year(d.full) for d in year.development),
        ),
        dues_total=sum(d.amount for d in year.dues),
        tasks=len(all_tasks),
        tasks_done=sum(t.status == "已完成" for t in all_tasks),
        tallies=rows,
    )
