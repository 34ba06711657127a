"""The 支部工作计划: one a 党支部 that writes its own, dated as the organisation's plan."""

from __future__ import annotations

from ...model import YearData
from .. import catalogue
from ..base import DocumentKind
from ..branches import hospital_of, own_branches


def title(year: YearData, subject: str) -> str:
    return catalogue.say("branch-plan.title", "党支部", hospital=hospital_of(year, subject), name=subject,
                         year=year.year)


def subjects(year: YearData) -> list[str]:
    return [b.name for b in own_branches(year)]


KIND = DocumentKind("branch-plan", "支部工作计划", "branch_plan", dated_by_signature=False, dated_as="plan",
                    default_title=title, fan_out=subjects)
