"""工作总结: opening, basic situation, work done and results, problems, next year's plans."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.figures import HeldRequired, attendance, compute
from ..domain.rules import THREE_MEETINGS_ONE_LECTURE
from ..domain.writing import full_width
from ..model import YearData
from . import phrases
from .base import DocumentKind, heading
from .outline import Draft, number
from .plan import Table


@dataclass(frozen=True)
class BranchRow:
    name: str
    members: str
    meetings: str
    theme_days: str
    attendance: str


def branch_rows(year: YearData, tallies: tuple) -> tuple[BranchRow, ...]:
    rows = []
    for branch in year.branches:
        own = [t for t in tallies if t.branch is branch]
        meetings = [t for t in own if t.rule.activity in THREE_MEETINGS_ONE_LECTURE]
        theme = [t for t in own if t.rule.activity == "主题党日"]
        rows.append(BranchRow(
            name=branch.name,
            members=str(branch.members.total),
            meetings=str(HeldRequired(sum(t.held for t in meetings), sum(t.required for t in meetings))),
            theme_days=str(HeldRequired(sum(t.held for t in theme), sum(t.required for t in theme))),
            attendance=attendance(a for a in year.activities if a.branch == branch.id).rate,
        ))
    return tuple(rows)


def context(year: YearData) -> Mapping[str, Any]:
    fig = compute(year)
    org = year.organisation
    work = phrases.work_done(year, fig)
    if year.results:
        work.append(Draft("工作成效", (), [Draft(full_width(r.title), phrases.result_paragraphs(r))
                                         for r in year.results]))
    drafts = [
        Draft("基本情况", [phrases.organisation_sentence(year, fig), phrases.members_sentence(fig)]),
        Draft("主要工作和成效", (), work),
        Draft("存在问题", (), phrases.titled_drafts(year.problems)),
        Draft(f"{year.year + 1}年工作打算", (), phrases.titled_drafts(year.next_year)),
    ]
    sections = number([d for d in drafts if d.paragraphs or d.children])
    table = Table(f"{year.year}年各党支部组织生活开展情况统计表", branch_rows(year, fig.tallies))
    doc = heading(year, KIND,
                  f"{year.year}年，{org.name}坚持党委领导下的院长负责制，围绕医院中心工作，"
                  "扎实推进党的建设各项工作。现将全年工作总结如下。")
    return {"doc": doc, "sections": sections, "table": table}


KIND = DocumentKind("summary", "工作总结", context)
