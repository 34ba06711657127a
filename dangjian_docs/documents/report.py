"""情况报告 (or 汇报) to the higher body: basic situation, main practices, problems, countermeasures.

主要做法 is built from the data's named practices (载体) and their figures, never copied from the
summary; a 报告 closes its body with “特此报告。”.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ..domain.figures import Figures, compute
from ..domain.findings import stated_problems
from ..domain.numbering import ordinal_lead
from ..domain.progress import linked_to
from ..domain.writing import full_width, sentence
from ..model import Practice, YearData
from . import catalogue, phrases, wording
from .base import heading, settings
from .kinds.report import KIND, report_form
from .ledger import Ledger
from .outline import Draft, number, parts


def practice_draft(year: YearData, practice: Practice, ledger: Ledger) -> Draft:
    """A practice states what it did with its own figures, and its own activities (never the
    meetings that discussed it: those are organisational life's)."""
    body = phrases.text_paragraphs(practice.detail)
    if practice.figures:
        body = phrases.with_figures(body, practice.figures, ledger, practice.title)
    if practice.tasks:
        ids = set(practice.tasks)
        if year.plan is not None:
            ids |= {t.id for task in year.plan.all_tasks() if task.id in practice.tasks for t in task.walk()}
        linked = linked_to(year, ids)
        extra = phrases.linked_sentence(year, linked, ledger, ("practice", practice.title))
        if extra:
            body.append(extra)
    return Draft(full_width(practice.title), body, anchor=f"practice:{practice.title}")


def practices(year: YearData, fig: Figures, ledger: Ledger | None = None) -> list[Draft]:
    """The named practices; without any, the year's work sections (every fact they carry)."""
    ledger = ledger if ledger is not None else Ledger()
    phrases.quote_work(year, ledger, practices=True)
    if year.practices:
        drafts = [practice_draft(year, p, ledger) for p in year.practices]
    elif year.work:
        drafts = [d for d in (phrases.work_draft(year, w, ledger) for w in year.work) if d]
    elif year.plan is not None:
        drafts = [Draft(full_width(t.title), phrases.text_paragraphs(t.outcome)) for t in year.plan.tasks
                  if t.outcome]
    else:
        drafts = []
    life = phrases.life_paragraphs(year, fig, ledger)
    home = phrases.development_home(fig, ledger)  # the practice whose own words give some of it
    at = next((i for i, d in enumerate(drafts) if d.anchor == f"practice:{home}"), None)
    development = phrases.development_sentence(fig, ledger)  # a paragraph of its own, after the practice's
    if development and at is not None:
        drafts[at] = dataclasses.replace(drafts[at], paragraphs=[*drafts[at].paragraphs, sentence(development)])
    elif development:
        life.append(development)
    if life:
        drafts.append(Draft(catalogue.say("report.heading.life", year.organisation.kind), life))
    return [d for d in drafts if d.paragraphs or d.children]


def results(year: YearData, ledger: Ledger) -> list[Draft]:
    """取得的成效, its own part after the practices, less what they have already said."""
    return [d for d in (phrases.result_draft(r, ledger) for r in year.results) if d]


def context(year: YearData) -> Mapping[str, Any]:
    fig = compute(year)
    org = year.organisation
    form = report_form(year)
    recipient = settings(year, "report").recipient or org.higher_body or ""
    problems = stated_problems(year)
    measures = [p.measure for p in problems if p.measure]
    ledger = Ledger()
    basic = phrases.basic_situation(year, fig, ledger=ledger)
    done = practices(year, fig, ledger)
    drafts = [
        Draft(catalogue.say("report.heading.basic", org.kind), basic),
        parts(catalogue.say("report.heading.practices", org.kind), done),
        parts(catalogue.say("report.heading.results", org.kind), results(year, ledger)),
        Draft(catalogue.say("report.heading.problems", org.kind), (), phrases.problem_drafts(year, ledger)),
        Draft(catalogue.say("report.heading.measures", org.kind), [sentence(ordinal_lead(i) + full_width(m.strip()))
                       for i, m in enumerate(measures, start=1)]),
        Draft(catalogue.say("report.heading.next", org.kind), (), phrases.titled_drafts(year.next_year)),
    ]
    doc = heading(year, KIND, wording.report_opening(org, year.year, form), recipient=recipient,
                  closing=wording.report_closing(form))
    # 基本情况 is the first section whenever it has anything: where last year's changes go
    return {"doc": doc, "sections": number([d for d in drafts if d.paragraphs or d.children]),
            "basic_situation": 0 if basic else None}
