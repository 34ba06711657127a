"""Figures that documents quote again and again, computed from the data, never typed.

A figure the data does not give is ``None``, never zero: documents leave out what is unknown.
Held counts come from the activity log (and any yearly counts the data gives) alone, never from
the rules; what the rules require comes from :mod:`.compliance`. Shares have one decimal
(``15.0%``), as official statistics are written, and are ``None`` when either side is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from ..model import Activity, Branch, Education, MemberStats, Task, YearData
from ..record import Record
from .compliance import Tally, has_committee, tallies
from .log_index import log_index
from .memo import per_year
from .pipeline import pipeline
from .progress import linked_to
from .rules import DEFAULT_RULES, ORGANISATION_TYPES
from .writing import percent


class HeldRequired(Record):
    held: int
    required: int

    def __str__(self) -> str:
        return f"{self.held}/{self.required}"


class Attendance(Record):
    present: int
    expected: int
    meetings: int

    @property
    def rate(self) -> str | None:
        return percent(self.present, self.expected) if self.expected else None


def summed(attendances: Iterable[Attendance]) -> Attendance:
    """Several units' attendance as one: the same as counting all their rows together."""
    present = expected = meetings = 0
    for a in attendances:
        present, expected, meetings = present + a.present, expected + a.expected, meetings + a.meetings
    return Attendance(present, expected, meetings)


@per_year
def attendance_by_unit(year: YearData) -> Mapping[str | None, Attendance]:
    """Each unit's attendance (see :func:`.compliance.unit_of`), worked out once per year: the
    figures sum the branches', the summary's branch table gives each branch's and their total."""
    return MappingProxyType({unit: Attendance(sum(c.present for c in cells), sum(c.expected for c in cells),
                                              sum(c.attended for c in cells))
                             for unit, cells in log_index(year).by_unit.items()})


Members = MemberStats
"""The organisation's members, counted as the data gives them (``None``: not known)."""


class Development(Record):
    """The year's development figures; ``None`` where neither names nor totals are given."""

    applied: int | None
    activists: int | None
    candidates: int | None
    admitted: int | None
    """Admitted as probationary members during the year."""
    converted: int | None
    """Probationary members who became full members during the year."""


class Held(Record):
    """How often one kind of activity (one form of it) was held, and by whom."""

    type: str
    form: str | None
    count: int
    participants: int | None
    organisation_level: bool
    """Held by the 党委/党总支 itself rather than by its branches."""


class Figures(Record):
    general_branches: int
    """党总支 under the 党委."""
    branches: int
    """党支部 (a 党总支 is not counted here)."""
    in_service_branches: int
    retired_branches: int
    joint_branches: int
    groups: int
    committees: int | None
    """Branches with a committee; ``None`` when some branch's set-up is not known."""
    members: Members | None
    staff: int | None
    professional_secretaries: int | None
    """In-service branches whose secretary is a 双带头人; ``None`` if any is not known."""
    held: tuple[Held, ...]
    attendance: Attendance
    secretary_lectures: int | None
    development: Development
    dues_total: float | None
    tallies: tuple[Tally, ...]

    @property
    def share_of_staff(self) -> str | None:
        """In-service members among the hospital's staff (retired members are not staff)."""
        if self.members is None or self.members.in_service is None or not self.staff:
            return None
        return percent(self.members.in_service, self.staff)

    @property
    def share_professional_secretaries(self) -> str | None:
        """双带头人 among the secretaries of in-service branches, the ones the rule is for."""
        if self.professional_secretaries is None or not self.in_service_branches:
            return None
        return percent(self.professional_secretaries, self.in_service_branches)

    def share(self, part: int | None) -> str | None:
        if part is None or self.members is None or not self.members.total:
            return None
        return percent(part, self.members.total)

    def held_count(self, activity_type: str) -> int:
        return sum(h.count for h in self.held if h.type == activity_type)


def task_activities(year: YearData, task: Task) -> list[Activity]:
    """Activities linked to ``task`` or to any of its sub-tasks."""
    return linked_to(year, {t.id for t in task.walk()})


def _sum_known(values: Iterable[int | None]) -> int | None:
    values = list(values)
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def _education(stats: Iterable[MemberStats]) -> Education | None:
    found = [m.education for m in stats]
    if not found or any(e is None for e in found):
        return None
    return Education(*(sum(getattr(e, k) for e in found if e is not None)
                       for k in ("postgraduate", "bachelor", "college", "secondary")))


def _retired(branch: Branch, apart: bool) -> int | None:
    """Retired members a branch holds: unknown for a retired branch without figures. An
    in-service branch holds none unless its figures say so only where the retired members have
    a branch of their own (``apart``); otherwise retired members may sit in any branch."""
    if branch.members is None:
        return None if branch.retired or not apart else 0
    if branch.retired:
        return branch.members.total
    return branch.members.retired if branch.members.retired is not None or not apart else 0


@per_year
def members(year: YearData) -> Members | None:
    """The organisation's totals where given, else the branches' sums where every branch knows
    (worked out once per year: the figures, the findings and the history ask for them)."""
    org = year.organisation.members
    branches = year.party_branches
    known = [b.members for b in branches if b.members is not None]
    complete = bool(branches) and len(known) == len(branches)  # none listed is not "all known"
    if org is None and not complete:
        return None

    def pick(name: str) -> int | None:
        own = getattr(org, name) if org is not None else None
        if own is not None:
            return own
        return _sum_known(getattr(m, name) for m in known) if complete else None

    apart = any(b.retired for b in branches)
    retired = org.retired if org is not None and org.retired is not None else _sum_known(
        _retired(b, apart) for b in branches) if branches else None
    education = org.education if org is not None and org.education is not None else (
        _education(known) if complete else None)
    total = org.total if org is not None else sum(m.total for m in known)
    return Members(
        full=org.full if org is not None else _sum_known(m.full for m in known),
        probationary=org.probationary if org is not None else _sum_known(m.probationary for m in known),
        count=total,
        women=pick("women"), under_35=pick("under_35"), ethnic_minority=pick("ethnic_minority"),
        education=education, retired=retired)


@per_year
def held(year: YearData) -> tuple[Held, ...]:
    """Counts by activity type and form, from the log and the yearly counts, in first-seen order
    (counted once per year: the figures and each task's paragraph ask for them)."""
    counts: dict[tuple[str, str | None, bool], list[int | None]] = {}
    for cell in log_index(year).cells:  # in the order each first occurs, as their rows would be
        org_level = cell.unit is None or cell.type in ORGANISATION_TYPES
        key = (cell.type, cell.form, org_level)
        entry = counts.setdefault(key, [0, 0])
        entry[0] = (entry[0] or 0) + len(cell.rows)
        entry[1] = None if entry[1] is None or cell.participants is None else entry[1] + cell.participants
    for given in year.activity_counts:
        org_level = given.type in ORGANISATION_TYPES or (
            given.branch is None and given.type not in _BRANCH_TYPES)
        key = (given.type, given.form, org_level)
        entry = counts.setdefault(key, [0, 0])
        entry[0] = (entry[0] or 0) + given.count
        entry[1] = None if entry[1] is None or given.participants is None else entry[1] + given.participants
    return tuple(Held(t, f, c or 0, p or None, o) for (t, f, o), (c, p) in counts.items())


_BRANCH_TYPES = tuple(rule.activity for rule in DEFAULT_RULES)
"""The branches' own meetings: those the 《支部工作条例》 rules are about."""


@per_year
def development(year: YearData) -> Development:
    """The year's moves: the totals the data gives, else counted from its records (:mod:`.pipeline`);
    worked out once per year (the figures, the findings and the kinds' checks ask for them)."""
    given = year.development_counts
    counted = pipeline(year)

    def figure(name: str, stage: str) -> int | None:
        own = getattr(given, name) if given is not None else None
        if own is not None:
            return own
        return counted.moves[stage] if counted is not None else None

    return Development(figure("applied", "applied"), figure("activists", "activist"),
                       figure("candidates", "candidate"), figure("admitted", "probationary"),
                       figure("converted", "full"))


def _committees(year: YearData) -> int | None:
    count = 0
    for branch in (b for b in year.branches if not b.general):
        if has_committee(year, branch):
            count += 1
        elif branch.members is None or branch.members.full is None or branch.members.full >= 7:
            return None  # may well have one the data does not mention
    return count


def branch_total(year: YearData) -> int:
    """The 党支部: those listed, else the count the organisation gives (0 when neither)."""
    listed = len(year.party_branches)
    return listed or (year.organisation.branch_count or 0)


@per_year
def compute(year: YearData) -> Figures:
    """The year's figures, computed once per year and shared by every document kind."""
    branches = tuple(b for b in year.branches if not b.general)
    in_service = [b for b in branches if not b.retired]
    secretaries = {(b.id, b.secretary) for b in branches if b.secretary}
    professional = [b.secretary_is_professional_leader for b in in_service]
    counted_only = not branches  # a count without a list: no breakdown, no secretaries known
    return Figures(
        general_branches=sum(b.general for b in year.branches) or (year.organisation.general_branch_count or 0),
        branches=branch_total(year),
        in_service_branches=branch_total(year) if counted_only else len(in_service),
        retired_branches=sum(b.retired for b in branches),
        joint_branches=sum(b.kind == "联合" for b in branches),
        groups=sum(len(b.groups) for b in branches),
        committees=None if counted_only else _committees(year),
        members=members(year),
        staff=year.organisation.staff,
        professional_secretaries=None if counted_only or any(p is None for p in professional) else sum(
            bool(p) for p in professional),
        held=held(year),
        attendance=summed(a for unit, a in attendance_by_unit(year).items() if unit is not None),
        secretary_lectures=sum((c.unit, a.speaker) in secretaries for c in log_index(year).of_type("党课")
                               for a in c.rows) if secretaries else None,
        development=development(year),
        dues_total=sum(d.amount for d in year.dues) if year.dues else None,
        tallies=tuple(tallies(year)),
    )
