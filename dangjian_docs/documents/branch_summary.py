"""支部工作总结: one a 党支部 that writes its own year, from that branch's figures alone.

Written from the branch's view of the year (see :func:`.branches.branch_view`): its members,
its meetings from the log, its development and dues, in the branch's own voice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import YearData
from . import catalogue, summary
from .base import DocumentKind, printed_date
from .branches import branch_named, branch_view, hospital_of, own_branches, retitled, with_heading


def title(year: YearData, subject: str) -> str:
    return catalogue.say("branch-summary.title", "党支部", hospital=hospital_of(year, subject), name=subject,
                         year=year.year)


def context(year: YearData, subject: str) -> Mapping[str, Any]:
    view = branch_view(year, branch_named(year, subject))
    made = {k: v for k, v in summary.context(view).items() if k != "table"}  # one branch: no table of branches
    return with_heading(made, retitled(made["doc"], title(year, subject), date=printed_date(year, "summary")))


def subjects(year: YearData) -> list[str]:
    """The branches that write their own year and whose year the data gives."""
    return [b.name for b in own_branches(year) if summary.years_work_given(branch_view(year, b))]


def supported(year: YearData) -> bool:
    """A file without the year's work has no branch's year either: skipped with a note, as the
    summary is, where branches would write one; a file none of whose branches would is quiet."""
    return summary.years_work_given(year) or not own_branches(year)


KIND = DocumentKind("branch-summary", "支部工作总结", context, supports=supported, needs=summary.YEARS_WORK,
                    dated_as="summary", default_title=title, fan_out=subjects)
