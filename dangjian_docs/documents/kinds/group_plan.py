"""The 党小组工作计划: one a Party group whose tasks the data gives, dated as the organisation's plan."""

from __future__ import annotations

from ...model import YearData
from .. import catalogue
from ..base import DocumentKind
from ..branches import hospital_of, planning_groups


def title(year: YearData, subject: str) -> str:
    return catalogue.say("group-plan.title", "党小组", hospital=hospital_of(year, subject), name=subject,
                         year=year.year)


def subjects(year: YearData) -> list[str]:
    return [g.subject for g in planning_groups(year)]


KIND = DocumentKind("group-plan", "党小组工作计划", "group_plan", dated_by_signature=False, dated_as="plan",
                    default_title=title, fan_out=subjects)
