"""Sentences that put computed figures into words; shared by the summary and the report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ..domain.figures import Figures, task_activities
from ..domain.writing import format_amount, format_number, full_width, join_clauses, paragraphs, sentence
from ..model import Result, Task, YearData
from .outline import Draft


class Titled(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def detail(self) -> str | None: ...


def titled_drafts(items: Iterable[Titled]) -> list[Draft]:
    """Problems, intentions, safeguards: a heading from the title, paragraphs from the detail."""
    return [Draft(full_width(i.title), [sentence(p) for p in paragraphs(i.detail)]) for i in items]


def work_done(year: YearData, fig: Figures) -> list[Draft]:
    """What the year's work came to: each plan task, organisational life, development and dues."""
    work = [task_done_draft(year, t) for t in year.plan.tasks] if year.plan else []
    work.append(Draft("严格落实组织生活制度", organisational_life(fig)))
    development = [development_sentence(fig), dues_sentence(fig)]
    work.append(Draft("抓好党员发展和教育管理", [p for p in development if p]))
    return work


def organisation_sentence(year: YearData, fig: Figures) -> str:
    org = year.organisation
    parts = [f"{org.name}下设党支部{fig.branches}个"]
    if fig.retired_branches:
        parts[0] += f"（其中在职党支部{fig.in_service_branches}个、离退休党支部{fig.retired_branches}个）"
    if fig.groups:
        parts.append(f"党小组{fig.groups}个")
    if fig.committees:
        parts.append(f"{fig.committees}个支部设立支部委员会")
    parts.append(f"支部书记由业务骨干担任的“双带头人”{fig.professional_secretaries}名，"
                 f"占支部书记总数的{fig.share_professional_secretaries}")
    return join_clauses(parts)


def members_sentence(fig: Figures) -> str:
    m = fig.members
    parts = [f"共有党员{m.total}名，其中正式党员{m.full}名、预备党员{m.probationary}名",
             f"女党员{m.women}名，占{fig.share_women}",
             f"35岁以下党员{m.under_35}名，占{fig.share_under_35}"]
    if m.bachelor_or_above is not None:
        parts.append(f"大学本科及以上学历{m.bachelor_or_above}名，占{fig.share_bachelor_or_above}")
    parts.append(f"在职党员{fig.in_service_members}名，占全院职工{fig.staff}人的{fig.share_of_staff}")
    return join_clauses(parts, "；")


def organisational_life(fig: Figures) -> list[str]:
    tm = fig.three_meetings
    first = join_clauses([
        f"全年各党支部召开支部党员大会{tm['支部党员大会'].held}次（应召开{tm['支部党员大会'].required}次）",
        f"支部委员会会议{tm['支部委员会'].held}次（应召开{tm['支部委员会'].required}次）",
        f"党小组会{tm['党小组会'].held}次（应召开{tm['党小组会'].required}次）",
        f"讲授党课{fig.lectures}次，其中支部书记讲党课{fig.secretary_lectures}次",
    ])
    total = fig.three_meetings_total
    second = join_clauses([
        f"“三会一课”合计开展{total.held}次，应开展{total.required}次",
        f"开展主题党日活动{fig.theme_days.held}次（应开展{fig.theme_days.required}次）",
        f"各支部组织生活平均参会率{fig.attendance.rate}",
    ])
    return [first, second]


def development_sentence(fig: Figures) -> str:
    d = fig.development
    return join_clauses([
        f"全年收到入党申请{d.applied}份",
        f"确定入党积极分子{d.activists}名",
        f"列为发展对象{d.candidates}名",
        f"接收预备党员{d.admitted}名",
        f"预备党员按期转正{d.converted}名",
    ])


def dues_sentence(fig: Figures) -> str:
    return sentence(f"全年收缴党费{format_amount(fig.dues_total)}元") if fig.dues_total else ""


def task_figures(year: YearData, task: Task) -> str:
    linked = task_activities(year, task)
    if not linked:
        return ""
    people = sum(a.present or 0 for a in linked)
    clause = f"全年围绕这项任务开展活动{len(linked)}次"
    if people:
        clause += f"，参加党员{people}人次"
    return sentence(clause)


def task_done_draft(year: YearData, task: Task) -> Draft:
    """What came of a plan task: its outcome (or content), the activities linked to it."""
    body = [sentence(p) for p in paragraphs(task.outcome or task.detail)]
    figures = task_figures(year, task)
    if figures:
        body.append(figures)
    return Draft(full_width(task.title), body)


def result_paragraphs(result: Result) -> list[str]:
    body = [sentence(p) for p in paragraphs(result.detail)]
    if result.figures:
        body.append(join_clauses(f"{full_width(f.label)}{format_number(f.value)}{f.unit}"
                                 for f in result.figures))
    return body
