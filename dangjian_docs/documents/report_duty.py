"""党组织书记抓基层党建工作述职报告: one document a secretary the data chooses (``duty_reports``).

A secretary reports on what they did themselves, in the first person: the meetings they chaired
and the Party lectures they gave, counted from the activity log (``host``, ``speaker``); their
contact branches; then problems with their causes and next year's plans as the data words them.
A branch secretary's report counts only what they did in their own branch. Nothing the data does
not give is said: a section without data is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..domain.figures import Held
from ..domain.titles import break_title
from ..domain.writing import format_date, full_width, paragraphs, sentence
from ..model import Activity, YearData
from . import catalogue, phrases
from .base import Heading
from .kinds.report_duty import Reporter, default_title, own_activities, reporter_of
from .outline import Draft, number

LECTURE = "党课"


# -- what the log says the person did ----------------------------------------------------------

def _held(activities: Iterable[Activity]) -> list[Held]:
    """Counts by type and form, the most frequent first (ties in the log's order)."""
    counts: dict[tuple[str, str | None], int] = {}
    for a in activities:
        counts[(a.type, a.form)] = counts.get((a.type, a.form), 0) + 1
    order = {key: i for i, key in enumerate(counts)}
    return [Held(t, f, n, None, False) for (t, f), n in sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))]


def done_clauses(activities: Sequence[Activity], name: str) -> list[str]:
    """``主持召开党委会24次…``, ``主持党课1次``, ``讲党课1次``: what one person did, each fact once.

    Speaking at an activity is what the person did there even when they also chaired it."""
    spoke = [a for a in activities if a.speaker == name]
    chaired = [a for a in activities if a.speaker != name]
    clauses = []
    hosted = [a for a in chaired if a.type != LECTURE]
    if hosted:
        clauses.append(catalogue.say("report-duty.done.chaired", clauses=phrases.held_clauses(_held(hosted))))
    lectures_chaired = sum(a.type == LECTURE for a in chaired)
    if lectures_chaired:
        clauses.append(catalogue.say("report-duty.done.chaired_lectures", n=lectures_chaired))
    lectures = sum(a.type == LECTURE for a in spoke)
    if lectures:
        clauses.append(catalogue.say("report-duty.done.lectures", n=lectures))
    for h in _held(a for a in spoke if a.type != LECTURE):
        clauses.append(catalogue.say("report-duty.done.spoke", activity=h.type, n=h.count))
    return clauses


def duty_paragraphs(year: YearData, who: Reporter) -> list[str]:
    """履行职责情况: the log's figures (apart at the contact branches), then the person's own words."""
    mine = own_activities(year, who)
    contacts = [b for b in (year.branch(i) for i in who.report.contact_branches) if b is not None]
    contact_ids = {b.id for b in contacts}
    out = []
    general = done_clauses([a for a in mine if a.branch not in contact_ids], who.name)
    if general:
        out.append(sentence(catalogue.say("report-duty.done.lead", who.form, clauses="；".join(general))))
    if contacts:
        there = done_clauses([a for a in mine if a.branch in contact_ids], who.name)
        names = "、".join(b.name for b in contacts)
        out.append(sentence(catalogue.say("report-duty.contact", who.form, {"did"} if there else (),
                                          branches=names, clauses="；".join(there))))
    out += [sentence(p) for p in paragraphs(who.report.duties)]
    return out


def problem_drafts(who: Reporter) -> list[Draft]:
    """Each problem under its title: how it shows, then its cause."""
    drafts = []
    for p in who.report.problems:
        body = [sentence(t) for t in paragraphs(p.detail)]
        causes = paragraphs(p.cause)
        if causes:
            body.append(sentence(catalogue.say("report-duty.cause", cause=causes[0])))
            body += [sentence(t) for t in causes[1:]]
        drafts.append(Draft(full_width(p.title), body))
    return drafts


# -- the document ------------------------------------------------------------------------------

def context(year: YearData, subject: str) -> Mapping[str, Any]:
    who = reporter_of(year, subject)
    drafts = [
        Draft(catalogue.say("report-duty.heading.duties", who.form), duty_paragraphs(year, who)),
        Draft(catalogue.say("report-duty.heading.problems", who.form), (), problem_drafts(who)),
        Draft(catalogue.say("report-duty.heading.plans", who.form), (), phrases.titled_drafts(who.report.plans)),
    ]
    title = default_title(year, subject)
    dated = who.report.date or year.signature.date
    doc = Heading(
        title=title,
        recipient="",
        opening=(catalogue.say("report-duty.opening", who.form, year=year.year),),
        signature=catalogue.say("report-duty.signature", who.form, post=who.post, name=who.name),
        date=format_date(dated) if dated is not None else "",
        title_lines=break_title(title),
    )
    return {"doc": doc, "sections": number([d for d in drafts if d.paragraphs or d.children])}
