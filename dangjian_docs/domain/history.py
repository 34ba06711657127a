"""Year over year: what one organisation's figures did since last year, only where both years know.

Also the facts a year knows for certain (members, branches, development), read the same way by
the year-over-year sentences, the continuity check and the county roll-up: ``None`` is unknown,
never zero, and a fact unknown in either year is never compared.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import YearData
from ..record import Record
from .figures import development, members


def members_total(year: YearData) -> int | None:
    """Members at the year's end, as the summary states them: the organisation's own total,
    else the sum of the branches when every branch gives its figures."""
    found = members(year)
    return found.total if found is not None else None


def branch_count(year: YearData) -> int:
    """党支部 the organisation has (a 党总支 under a 党委 is not one); a 党支部 writing for itself
    is its one branch."""
    return 1 if year.organisation.is_branch else len(year.party_branches)


def development_count(year: YearData, stage: str) -> int | None:
    """People who reached ``stage`` (``admitted``, ``activists``…) in the year, as the summary
    counts them: the office's totals, else the person-by-person log; ``None`` with neither."""
    return getattr(development(year), stage)


def activity_total(year: YearData, activity: str) -> int | None:
    """Times ``activity`` was held, from the log and the yearly counts; ``None`` if never named."""
    logged = sum(a.type == activity for a in year.activities)
    counted = [c.count for c in getattr(year, "activity_counts", ()) if c.type == activity]
    if not logged and not counted:
        return None
    return logged + sum(counted)


class Fact(Record):
    """A figure that can be compared across years: its name, unit, and whether it is a stock."""

    label: str
    unit: str
    stock: bool
    """A stock (members, branches) 较上年增加/减少; a flow (new members) 比上年多/少."""


FACTS: tuple[tuple[Fact, object], ...] = (
    (Fact("党员总数", "名", True), members_total),
    (Fact("党支部数", "个", True), branch_count),
    (Fact("职工总数", "人", True), lambda y: y.organisation.staff),
    (Fact("新发展党员", "名", False), lambda y: development_count(y, "admitted")),
    (Fact("入党积极分子", "名", False), lambda y: development_count(y, "activists")),
    (Fact("发展对象", "名", False), lambda y: development_count(y, "candidates")),
)


class Change(Record):
    """One fact in both years."""

    fact: Fact
    previous: int
    current: int

    @property
    def delta(self) -> int:
        return self.current - self.previous

    @property
    def sentence(self) -> str:
        """``党员总数较上年增加6名``, ``新发展党员比上年多2名``, ``党支部数与上年持平``."""
        f, d = self.fact, self.delta
        if d == 0:
            return f"{f.label}与上年持平" if f.stock else f"{f.label}与上年相同"
        if f.stock:
            return f"{f.label}较上年{'增加' if d > 0 else '减少'}{abs(d)}{f.unit}"
        return f"{f.label}比上年{'多' if d > 0 else '少'}{abs(d)}{f.unit}"


def changes(previous: YearData, current: YearData) -> list[Change]:
    """What changed since ``previous`` (the same organisation a year earlier), fact by fact.

    A fact either year does not know is left out, so no sentence rests on a guess.
    """
    if previous.year != current.year - 1:
        return []
    out = []
    for fact, read in FACTS:
        before, now = read(previous), read(current)  # type: ignore[operator]
        if before is not None and now is not None:
            out.append(Change(fact, int(before), int(now)))
    return out


def changes_sentence(items: Iterable[Change]) -> str:
    """The changes as one sentence for 基本情况, or ``""`` when there is nothing to say."""
    clauses = [c.sentence for c in items]
    return "，".join(clauses) + "。" if clauses else ""


class Continuity(Record):
    """Last year's members carried forward: what this year's total should be, and what it is."""

    previous: int
    admitted: int
    transferred_in: int
    transferred_out: int
    died: int
    removed: int
    current: int

    @property
    def expected(self) -> int:
        return (self.previous + self.admitted + self.transferred_in - self.transferred_out
                - self.died - self.removed)

    @property
    def holds(self) -> bool:
        return self.expected == self.current


def continuity(previous: YearData, current: YearData) -> Continuity | None:
    """The member count carried from ``previous``, when every term of the sum is known.

    Needs both years' totals, this year's admissions and this year's ``member_changes``
    (transfers in and out, deaths); without them the check cannot be made, so it is not.
    """
    moves = getattr(current, "member_changes", None)
    before, now = members_total(previous), members_total(current)
    admitted = development_count(current, "admitted")
    if moves is None or before is None or now is None or admitted is None:
        return None
    return Continuity(before, admitted, moves.transferred_in, moves.transferred_out, moves.died,
                      getattr(moves, "removed", None) or 0, now)
