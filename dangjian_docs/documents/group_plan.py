"""党小组工作计划: one a Party group whose tasks the data gives (``branches[].groups[].tasks``).

Each of the group's first-level tasks is a part of the plan (一、二、…), its sub-tasks the
items under it, as the groups' own plans are written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..domain.titles import break_title
from ..domain.writing import full_width
from ..model import YearData
from . import catalogue
from .base import Heading
from .branches import plan_date, planning_groups
from .kinds.group_plan import title
from .outline import number
from .plan import Duty, task_draft


def context(year: YearData, subject: str) -> Mapping[str, Any]:
    found = next(g for g in planning_groups(year) if g.subject == subject)
    heading = full_width(title(year, subject))
    opening = catalogue.say("group-plan.opening", "党小组", name=found.group.name, branch=found.branch.name,
                            year=year.year)
    doc = Heading(title=heading, recipient="", opening=(opening,) if opening else (),
                  signature=full_width(catalogue.say("group-plan.signature", "党小组", name=found.group.name,
                                                     branch=found.branch.name)),
                  date=plan_date(year), title_lines=break_title(heading))
    sections = number([task_draft(t, Duty(), year.year_end) for t in found.group.tasks])
    return {"doc": doc, "sections": sections}
