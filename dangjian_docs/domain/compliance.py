"""Counting what each branch held against what the rules require, period by period."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model import Activity, Branch, Rule, YearData
from .rules import effective_rules

PERIODS = {"month": 12, "quarter": 4, "year": 1}
PERIOD_WORDS = {"month": "每月", "quarter": "每季度", "year": "每年"}


def period_of(activity: Activity, period: str) -> int:
    """0-based index of the month, quarter or year the activity falls in."""
    month = activity.date.month - 1
    return {"month": month, "quarter": month // 3, "year": 0}[period]


def period_label(period: str, index: int) -> str:
    if period == "month":
        return f"{index + 1}月"
    if period == "quarter":
        return "第" + "一二三四"[index] + "季度"
    return "全年"


@dataclass(frozen=True)
class Tally:
    """One rule in one branch (or one Party group of it) over the year."""

    branch: Branch
    rule: Rule
    group: str | None
    required: int
    held: int
    short_periods: tuple[int, ...]
    """Periods with fewer than ``rule.min`` activities."""

    @property
    def unit_name(self) -> str:
        return f"{self.branch.name}{self.group}" if self.group else self.branch.name

    @property
    def compliant(self) -> bool:
        return not self.short_periods


def tallies(year: YearData) -> list[Tally]:
    """Every applicable rule for every branch (and group), in data order."""
    counts: Counter[tuple[str, str | None, str, str, int]] = Counter()
    rules = effective_rules(year.rules)
    for activity in year.activities:
        if activity.branch is None:
            continue
        for rule in rules:
            if rule.activity == activity.type:
                group = activity.group if rule.scope == "group" else None
                counts[(activity.branch, group, rule.activity, rule.period,
                        period_of(activity, rule.period))] += 1
    out: list[Tally] = []
    for branch in year.branches:
        for rule in rules:
            if rule.min == 0 or not rule.applies(branch):
                continue
            if rule.activity == "支部委员会" and not branch.committee:
                continue  # a branch without a committee holds no committee meetings
            units: list[str | None]
            units = [g.name for g in branch.groups] if rule.scope == "group" else [None]
            for group in units:
                n = PERIODS[rule.period]
                per = [counts[(branch.id, group, rule.activity, rule.period, i)] for i in range(n)]
                out.append(Tally(branch, rule, group, required=rule.min * n, held=sum(per),
                                 short_periods=tuple(i for i in range(n) if per[i] < rule.min)))
    return out
