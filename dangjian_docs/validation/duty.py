"""Checks of ``duty_reports`` (the secretaries' 述职报告): whose report each is, and that it has
something to say. A report the data cannot attribute is an error, at the entry's own field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..diagnostics import Severity
from ..model import DutyReport, YearData
from .suggest import did_you_mean

if TYPE_CHECKING:
    from .crosscheck import _Checker

E, W = Severity.ERROR, Severity.WARNING


def check_duty_reports(check: _Checker) -> None:
    """A branch that exists, the body's own secretary, one report a body, contact branches that
    exist (for the organisation's secretary only), and a chosen report with something in it."""
    year = check.year
    seen: dict[str, int] = {}
    for report in year.duty_reports:
        path = year.path_of(report)
        body = _body(check, report, path)
        if body is None:
            continue
        if body in seen:
            check.add(E, "duty-duplicate", path, f"{body}书记的述职在第 {seen[body] + 1} 项已经填写过。",
                      "每名书记只写一项；请把两项合并。")
            continue
        seen[body] = int(path[1])
        if not _contacts(check, report, path):
            continue
        if report.chosen and not _has_content(year, report, body):
            check.add(W, "duty-empty", path,
                      f"{body}书记的述职没有可写的内容：活动记录中没有本人主持（host）或主讲（speaker）的活动，"
                      "也没有填写联系点、履职情况、问题或打算，不生成这份述职报告。",
                      "请在活动记录中注明主持人、主讲人，或填写 duties、problems、plans。")


def _body(check: _Checker, report: DutyReport, path: tuple[str | int, ...]) -> str | None:
    """The name of the body whose secretary reports, or ``None`` after reporting why not."""
    year = check.year
    if report.branch is not None:
        branch = year.branch(report.branch)
        if branch is None:
            if report.branch not in check.branch_ids:  # a branch with errors of its own: not again
                check.add(E, "duty-branch", (*path, "branch"), f"支部代号“{report.branch}”不存在。"
                          + did_you_mean(report.branch, check.branch_ids), "请填写 branches 中某个支部的 id。")
            return None
        body, known, where = branch.name, branch.secretary, f"branches 中{branch.name}的 secretary"
    else:
        body, known, where = year.organisation.name, year.organisation.secretary, "organisation.secretary"
    if report.secretary is None and known is None:
        check.add(E, "duty-secretary", path, f"没有写明{body}的书记是谁，无法生成述职报告。",
                  f"请在这一项写 secretary: 姓名，或填写 {where}。")
        return None
    if report.secretary is not None and known is not None and report.secretary != known:
        check.add(E, "duty-secretary", (*path, "secretary"),
                  f"述职人“{report.secretary}”不是{body}的书记（数据中{body}的书记是{known}）。",
                  f"请核对姓名；书记有变动的，请同时修改 {where}。")
        return None
    return body


def _contacts(check: _Checker, report: DutyReport, path: tuple[str | int, ...]) -> bool:
    """Whether every contact branch exists and the report is the organisation secretary's."""
    ok = True
    if report.contact_branches and report.branch is not None:
        check.add(E, "duty-contact", (*path, "contact_branches"),
                  "支部书记的述职只写本支部的工作，不填联系点（contact_branches）。",
                  "联系点写在党委（党总支）书记的述职中；请删除这一项。")
        return False
    for i, branch_id in enumerate(report.contact_branches):
        if branch_id not in check.branch_ids:
            check.add(E, "duty-contact", (*path, "contact_branches", i), f"联系点的支部代号“{branch_id}”不存在。"
                      + did_you_mean(branch_id, check.branch_ids), "请填写 branches 中某个支部的 id。")
            ok = False
    return ok


def _has_content(year: YearData, report: DutyReport, body: str) -> bool:
    from ..documents.kinds.report_duty import has_content, reporter

    who = reporter(year, report)
    return who is not None and has_content(year, who)
