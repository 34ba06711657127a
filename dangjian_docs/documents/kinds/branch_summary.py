"""The 支部工作总结: one a 党支部 that writes its own year and whose year the data gives."""

from __future__ import annotations

from ...model import YearData
from .. import catalogue
from ..base import DocumentKind
from ..branches import branch_view, hospital_of, own_branches
from .summary import YEARS_WORK, years_work_given


def title(year: YearData, subject: str) -> str:
    return catalogue.say("branch-summary.title", "党支部", hospital=hospital_of(year, subject), name=subject,
                         year=year.year)


def subjects(year: YearData) -> list[str]:
    """The branches that write their own year and whose year the data gives."""
    return [b.name for b in own_branches(year) if years_work_given(branch_view(year, b))]


def supported(year: YearData) -> bool:
    """A file without the year's work has no branch's year either: skipped with a note, as the
    summary is, where branches would write one; a file none of whose branches would is quiet."""
    return years_work_given(year) or not own_branches(year)


KIND = DocumentKind("branch-summary", "支部工作总结", "branch_summary", supports=supported, needs=YEARS_WORK,
                    dated_as="summary", default_title=title, fan_out=subjects)
