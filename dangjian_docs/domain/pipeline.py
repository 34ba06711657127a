"""Member development as a pipeline: who stood at which stage at the year's end, who moved in
the year, and the minimum time between stages.

入党申请人 → 入党积极分子 → 发展对象 → 预备党员 → 正式党员 (shared domain notes §2). The
intervals are a table (:data:`INTERVALS`); validation warns, person by person, where one is
shorter than its minimum, because the rules hold "as a rule" (一般).

* 入党积极分子 trained and observed for at least one year before 发展对象 (《中国共产党发展党员
  工作细则》), and a probation of one year (《中国共产党章程》第七条);
* 申请 → 积极分子: the 细则 sets no national minimum; many Party committees require the applicant
  to be observed for three months first. The tool warns under three months, as a reminder to
  check the dates, never as an error.

An interval is counted in calendar months, as a period is counted in law (《民法典》第二百零三条):
a year from 29 February ends on 28 February, and a year from 1 March 2023 ends on 1 March 2024,
not 365 days later on 29 February.
"""

from __future__ import annotations

import calendar
import datetime as dt

from ..model import STAGES, Development, YearData
from ..record import Record


class Interval(Record):
    """The least time from reaching ``start`` to reaching ``end``, and how a warning says it."""

    start: str
    end: str
    months: int
    message: str
    """The warning, with ``{name}``, ``{start}`` and ``{end}`` (the two dates)."""
    hint: str


INTERVALS = (
    Interval("applied", "activist", 3, "{name}递交入党申请（{start}）后不满3个月就确定为入党积极分子（{end}）。",
             "确定入党积极分子前一般先对申请人考察3个月左右（《中国共产党发展党员工作细则》未作统一规定，"
             "以本地党委的要求为准），请核对日期。"),
    Interval("activist", "candidate", 12, "{name}的培养考察从 {start} 到 {end}，不满一年。",
             "入党积极分子一般经过一年以上的培养考察才能列为发展对象，请核对日期。"),
    Interval("probationary", "full", 12, "{name}的预备期从 {start} 到 {end}，不满一年。",
             "预备期为一年，期满才能讨论转正，请核对日期。"),
)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day where that month is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def too_short(person: Development, interval: Interval) -> tuple[dt.date, dt.date] | None:
    """The two dates, when ``person`` moved from one stage to the next sooner than the minimum."""
    d1, d2 = getattr(person, interval.start), getattr(person, interval.end)
    if d1 is None or d2 is None or d2 < d1:  # a reversed order is an error of its own (stage-order)
        return None
    return (d1, d2) if d2 < add_months(d1, interval.months) else None


class Pipeline(Record):
    """The development records (``development``) counted: ``None`` when the data keeps none."""

    at_year_end: dict[str, int]
    """Stage (a key of :data:`STAGES`) → people whose furthest stage on 31 December is it."""
    moves: dict[str, int]
    """Stage → people who reached it within the year."""


def pipeline(year: YearData, branch: str | None = None) -> Pipeline | None:
    """The pipeline of the whole organisation, or of one branch (by id)."""
    people = [p for p in year.development if branch is None or p.branch == branch]
    if not year.development:
        return None
    at_end = dict.fromkeys(STAGES, 0)
    moves = dict.fromkeys(STAGES, 0)
    for person in people:
        stage = person.stage_on(year.year_end)
        if stage is not None:
            at_end[stage] += 1
        for key in STAGES:
            when = getattr(person, key)
            if when is not None and year.year_start <= when <= year.year_end:
                moves[key] += 1
    return Pipeline(at_end, moves)
