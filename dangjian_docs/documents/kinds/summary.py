"""The year's 工作总结: written when the data says what the year's work was."""

from __future__ import annotations

import dataclasses

from ...domain.figures import development
from ...model import YearData
from ..base import DocumentKind


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

KIND = DocumentKind("summary", "工作总结", "summary", supports=years_work_given, needs=YEARS_WORK)
