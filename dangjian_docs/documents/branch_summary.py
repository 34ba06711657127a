"""支部工作总结: one a 党支部 that writes its own year, from that branch's figures alone.

Written from the branch's view of the year (see :func:`.branches.branch_view`): its members,
its meetings from the log, its development and dues, in the branch's own voice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import YearData
from . import summary
from .base import printed_date
from .branches import branch_named, branch_view, retitled, with_heading
from .kinds.branch_summary import title


def context(year: YearData, subject: str) -> Mapping[str, Any]:
    view = branch_view(year, branch_named(year, subject))
    made = {k: v for k, v in summary.context(view).items() if k != "table"}  # one branch: no table of branches
    return with_heading(made, retitled(made["doc"], title(year, subject), date=printed_date(year, "summary")))
