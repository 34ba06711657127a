"""The 述职报告 of each secretary the data chooses (``duty_reports``): whose it is, and whether the
data gives anything for it to report."""

from __future__ import annotations

from ...domain.writing import full_width
from ...model import Activity, Branch, DutyReport, YearData
from ...record import Record
from .. import catalogue
from ..base import DocumentKind


class Reporter(Record):
    """Whose report one entry of ``duty_reports`` is: the body, its form, the person and post."""

    report: DutyReport
    body: str
    """The organisation's or the branch's name: the document's subject."""
    form: str
    """党委, 党总支, 党支部 …: which wording of the catalogue the report takes."""
    name: str
    post: str
    branch: Branch | None


def reporter(year: YearData, report: DutyReport) -> Reporter | None:
    """The body and person of ``report``; ``None`` when the data names no such branch or secretary
    (validation reports it)."""
    if report.branch is None:
        body, form, known, branch = year.organisation.name, year.organisation.kind, year.organisation.secretary, None
    else:
        branch = year.branch(report.branch)
        if branch is None:
            return None
        body, form, known = branch.name, branch.form, branch.secretary
    name = report.secretary or known
    if not name or (known and name != known):
        return None
    post = full_width(report.post) if report.post else catalogue.say("report-duty.post", form, body=body)
    return Reporter(report, body, form, name, post, branch)


def reporters(year: YearData) -> list[Reporter]:
    """The chosen reports the data can write, in the data's order, one a body."""
    found: dict[str, Reporter] = {}
    for report in year.duty_reports:
        who = reporter(year, report) if report.chosen else None
        if who is not None and who.body not in found and has_content(year, who):
            found[who.body] = who
    return list(found.values())


def reporter_of(year: YearData, subject: str) -> Reporter:
    return next(r for r in reporters(year) if r.body == subject)


def own_activities(year: YearData, who: Reporter) -> list[Activity]:
    """What the person chaired or spoke at: a branch secretary's within the branch only."""
    mine = [a for a in year.activities if who.name in (a.host, a.speaker)]
    if who.branch is not None:
        mine = [a for a in mine if a.branch == who.branch.id]
    return mine


def has_content(year: YearData, who: Reporter) -> bool:
    """Whether the data gives anything to report: a report of nothing is not written."""
    r = who.report
    return bool(own_activities(year, who) or r.contact_branches or r.duties or r.problems or r.plans)


def default_title(year: YearData, subject: str) -> str:
    """``滨江市第一人民医院党委书记2025年度抓基层党建工作述职报告``, unless the data gives one."""
    who = reporter_of(year, subject)
    if who.report.title:
        return full_width(who.report.title)
    return catalogue.say("report-duty.title", who.form, post=who.post, year=year.year)


def title_at(year: YearData, subject: str) -> str:
    """``duty_reports[0].title``: where the data gives (or can give) this report its own title."""
    from ...loading.positions import format_path

    return format_path((*year.path_of(reporter_of(year, subject).report), "title"))


def subjects(year: YearData) -> list[str]:
    return [r.body for r in reporters(year)]


def chosen(year: YearData) -> bool:
    return bool(reporters(year))


KIND = DocumentKind("report-duty", "述职报告", "report_duty", default_title=default_title, supports=chosen,
                    needs="书记述职（duty_reports 中选定述职的书记）", fan_out=subjects, title_at=title_at)
