"""Counting what each branch (or the organisation itself) held against what the rules require.

Held counts never depend on the rules: they come from the activity log alone (see
:mod:`.figures`). This module only compares, period by period, for the rules that apply.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Sequence

from ..model import Activity, Branch, Rule, YearData
from ..record import Record
from .log_index import Cell, log_index
from .memo import per_year
from .rules import effective_rules

PERIODS = {"month": 12, "quarter": 4, "year": 1}
PERIOD_WORDS = {"month": "每月", "quarter": "每季度", "year": "每年"}


PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_of(activity: Activity, period: str) -> int:
    """0-based index of the month, quarter or year the activity falls in."""
    return (activity.date.month - 1) // PERIOD_MONTHS[period]


def period_label(period: str, index: int) -> str:
    if period == "month":
        return f"{index + 1}月"
    if period == "quarter":
        return "第" + "一二三四"[index] + "季度"
    return "全年"


def period_span(period: str, indexes: Sequence[int]) -> str:
    """``2月至12月``, ``3月、7月``, ``第二季度至第四季度``: runs of three or more said as a span."""
    runs: list[list[int]] = []
    for i in indexes:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    words: list[str] = []
    for run in runs:
        labels = [period_label(period, i) for i in run]
        words += [f"{labels[0]}至{labels[-1]}"] if len(run) >= 3 else labels
    return "、".join(words)


class Tally(Record):
    """One rule in one branch (or one Party group of it, or the organisation) over the year."""

    branch: Branch | None
    """``None`` for a rule on the organisation itself (``scope: organisation``)."""
    rule: Rule
    group: str | None
    required: int
    held: int
    short_periods: tuple[int, ...]
    """Periods judged (see ``judged``) with fewer than ``rule.min`` activities."""
    organisation: str = ""
    per_period: tuple[int, ...] = ()
    """Activities held in each period of the year (12 months, 4 quarters or the year)."""
    judged: tuple[int, ...] = ()
    """The periods that lie wholly inside the range asked for: only these can fall short."""
    present: int | None = None
    """Members present, summed over the activities that give both present and expected."""
    expected: int | None = None

    @property
    def unit_name(self) -> str:
        name = self.branch.name if self.branch is not None else self.organisation
        return f"{name}{self.group}" if self.group else name

    @property
    def compliant(self) -> bool:
        return not self.short_periods


def unit_of(year: YearData, activity: Activity) -> str | None:
    """The branch an activity belongs to; a 党支部 writing for itself owns its unmarked rows."""
    return activity.branch if activity.branch is not None else unmarked_unit(year)


def unmarked_unit(year: YearData) -> str | None:
    """Whose a row without a branch is: the 党支部's own when it writes for itself, else the
    organisation's (``None``)."""
    return year.branches[0].id if year.organisation.is_branch and len(year.branches) == 1 else None


def with_units(year: YearData) -> Iterator[tuple[str | None, Activity]]:
    """Each activity of the log, in order, with the unit it belongs to (:func:`unit_of`, whose
    unmarked owner is worked out once for the whole log rather than once a row)."""
    unmarked = unmarked_unit(year)
    return ((a.branch if a.branch is not None else unmarked, a) for a in year.activities)


def log_covers_branches(year: YearData) -> bool:
    """Whether the activity log records branch meetings at all; without it nothing can be checked."""
    return any(unit is not None for unit in log_index(year).by_unit)


def has_committee(year: YearData, branch: Branch) -> bool:
    """A committee named or counted in the data, or one whose meetings are in the log."""
    return bool(branch.committee_count) or branch.id in _committee_units(year)


@per_year
def _committee_units(year: YearData) -> frozenset[str | None]:
    """The units with a committee meeting in the log (found once per year: the tallies, the
    figures and the checks ask it of every branch)."""
    return frozenset(cell.unit for cell in log_index(year).of_type("支部委员会"))


@per_year
def unrecorded(year: YearData) -> tuple[str, ...]:
    """Required activity types the log never mentions, so not judged (unless declared complete);
    found once per year (the tallies, the branch table and the checks ask)."""
    if not year.activities or year.activities_complete:
        return ()
    recorded = {cell.type for cell in log_index(year).cells}
    types = (r.activity for r in effective_rules(year.rules) if r.min > 0 and r.activity not in recorded)
    return tuple(dict.fromkeys(types))


def unrecorded_branches(year: YearData) -> tuple[Branch, ...]:
    """党支部 with no row at all in a log that has branch rows, so not judged (unless complete).

    A log copied from a report holds only what the report mentions: a branch it never names
    may have met every month, so its meetings are unknown, not short.
    """
    if year.activities_complete or not log_covers_branches(year):
        return ()
    logged = log_index(year).by_unit
    return tuple(b for b in year.party_branches if b.id not in logged)


@functools.lru_cache(maxsize=256)
def period_dates(year: int, period: str, index: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a period of ``year``."""
    months = PERIOD_MONTHS[period]
    first = dt.date(year, index * months + 1, 1)
    after = dt.date(year + 1, 1, 1) if first.month + months > 12 else dt.date(year, first.month + months, 1)
    return first, after - dt.timedelta(days=1)


@functools.lru_cache(maxsize=256)
def judged_periods(year: int, period: str, first: dt.date, last: dt.date) -> tuple[int, ...]:
    """The periods of ``year`` that lie wholly between ``first`` and ``last`` (both included).

    Kept: every branch's every rule of one period asks it for the same range."""
    dates = (period_dates(year, period, i) for i in range(PERIODS[period]))
    return tuple(i for i, (start, end) in enumerate(dates) if first <= start and end <= last)


def tallies(year: YearData, start: dt.date | None = None, end: dt.date | None = None) -> list[Tally]:
    """Every applicable rule for every branch (and group, and the organisation), in data order.

    Empty when the year has no activity log: compliance is then unknown, not failed. A required
    type the log never mentions is unknown too (see :func:`unrecorded`), and so is a branch it
    never mentions (see :func:`unrecorded_branches`).

    ``start`` and ``end`` narrow it to a date range (both days included): activities outside are
    not counted, and only periods wholly inside are judged (a range that splits a quarter does
    not ask for that quarter's meeting); ``required`` counts the judged periods.

    The whole year's tallies are counted once per year (:func:`.memo.per_year`): validation
    and every document ask for them.
    """
    if start is None and end is None:
        return list(_year_tallies(year))
    return _tallies(year, start, end)


@per_year
def _year_tallies(year: YearData) -> tuple[Tally, ...]:
    return tuple(_tallies(year, None, None))


def _tallies(year: YearData, start: dt.date | None, end: dt.date | None) -> list[Tally]:
    if not year.activities:
        return []
    first, last = start or dt.date(year.year, 1, 1), end or dt.date(year.year, 12, 31)
    by_kind: dict[tuple[str | None, str, str | None], list[Cell]] = {}
    """The log's cells by (unit, type, ``None``) and, for a Party group's, by (unit, type, group) too."""
    for cell in log_index(year).cells:
        by_kind.setdefault((cell.unit, cell.type, None), []).append(cell)
        if cell.group is not None:
            by_kind.setdefault((cell.unit, cell.type, cell.group), []).append(cell)
    unknown = set(unrecorded(year))
    rules = [r for r in effective_rules(year.rules) if r.min > 0 and r.activity not in unknown]
    out: list[Tally] = []

    def tally(branch: Branch | None, rule: Rule, group: str | None) -> Tally:
        per = [0] * PERIODS[rule.period]
        months = PERIOD_MONTHS[rule.period]  # period_of, inlined: this loop is the tallies' cost
        form = rule.form
        present = expected = 0
        attended = False
        for cell in by_kind.get((branch.id if branch else None, rule.activity, group), ()):
            if form is not None and cell.form != form:
                continue
            for activity in cell.rows:
                date = activity.date
                if not first <= date <= last:
                    continue
                per[(date.month - 1) // months] += 1
                if activity.present is not None and activity.expected is not None:
                    present, expected, attended = present + activity.present, expected + activity.expected, True
        judged = judged_periods(year.year, rule.period, first, last)
        return Tally(branch, rule, group, required=rule.min * len(judged), held=sum(per),
                     short_periods=tuple(i for i in judged if per[i] < rule.min),
                     organisation=year.organisation.name, per_period=tuple(per), judged=judged,
                     present=present if attended else None, expected=expected if attended else None)

    if log_covers_branches(year):
        unlogged = unrecorded_branches(year)
        for branch in year.branches:
            if branch.general:
                continue  # a 党总支's branches are listed and held to the rules themselves
            if branch in unlogged:
                continue
            for rule in rules:
                if rule.scope == "organisation" or not rule.applies(branch):
                    continue
                if rule.activity == "支部委员会" and not has_committee(year, branch):
                    continue  # a branch without a committee holds no committee meetings
                groups = [g.name for g in branch.groups] if rule.scope == "group" else [None]
                out.extend(tally(branch, rule, group) for group in groups)
    if not year.organisation.is_branch:
        out.extend(tally(None, rule, None) for rule in rules if rule.scope == "organisation")
    return out
