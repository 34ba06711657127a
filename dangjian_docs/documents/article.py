"""经验交流材料 (experience article): the practices the data marks for it, one numbered part each.

Laid out as an article, not as a 公文: headline (naming the practice) and subtitle, the authors
and their unit under the title, 摘要 and 关键词, an opening, parts ``1`` ``2`` … with sub-parts
``2.1`` … for a practice's measures, and a closing; no 主送机关, no signature, no “特此报告”.
Each part says what the practice did and what it achieved in its own figures and its own
activities (those of its tasks, never the meetings organisational life counts).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..domain.figures import Figures, compute
from ..domain.titles import LINE_CHARS, text_width
from ..domain.writing import full_width, paragraphs
from ..model import Practice, YearData
from ..record import Record
from . import catalogue
from .base import heading, settings
from .kinds.article import KIND, marked
from .ledger import Ledger
from .outline import Draft, Section
from .phrases import text_paragraphs
from .report import practice_draft

NUMBER_GAP = "\u3000"
"""Between a part's number and its title (``1　立足目标抓统筹``), as journals set it."""


class Front(Record):
    """``article`` in the template: what an article has around its parts that a 公文 has not."""

    subtitle: str
    """``——…`` under the headline, or empty."""
    byline: str
    """The authors, or the organisation that writes it."""
    unit: str
    """``（南京市第二医院）`` under the authors, or empty."""
    abstract_label: str
    abstract: str
    keywords_label: str
    keywords: str
    """Empty when the data gives none: the line is left out."""
    closing: tuple[str, ...]


def _facts(year: YearData, chosen: Sequence[Practice], fig: Figures) -> set[str]:
    facts = {"one"} if len(chosen) == 1 else set()
    if any(p.figures for p in chosen):
        facts.add("figures")
    if fig.branches and not year.organisation.is_branch:
        facts.add("branches")
    return facts


def _subtitle(year: YearData, facts: set[str]) -> str:
    given = settings(year, KIND.name).subtitle
    if given:
        text = full_width(given.strip())
        return text if text.startswith("—") else "——" + text
    return catalogue.say("article.subtitle", known=facts, name=year.organisation.name, year=year.year)


def _byline(year: YearData) -> tuple[str, str]:
    """(authors, unit line): named authors with their unit, else the body that writes it."""
    chosen = settings(year, KIND.name)
    if not chosen.authors:
        return full_width(year.signature.body), ""
    unit = chosen.unit or year.organisation.hospital
    return "\u3000".join(full_width(a) for a in chosen.authors), catalogue.say("article.unit", unit=full_width(unit))


def _abstract(year: YearData, chosen: Sequence[Practice], facts: set[str]) -> str:
    given = settings(year, KIND.name).abstract
    if given:
        return "".join(paragraphs(given))
    titles = "；".join(full_width(p.title).rstrip("。；") for p in chosen)
    return catalogue.say("article.abstract", known=facts, name=year.organisation.name, year=year.year,
                         n=len(chosen), practices=titles)


def _opening(year: YearData, chosen: Sequence[Practice], fig: Figures, facts: set[str]) -> str:
    """What the data says of the body (branches, members), then what the article sets out."""
    lines = []
    if fig.members is not None and fig.members.total:
        lines.append(catalogue.say("article.opening.basic", known=facts, name=year.organisation.name,
                                   branches=fig.branches, members=fig.members.total))
    lines.append(catalogue.say("article.opening.lead", known=facts, year=year.year, n=len(chosen)))
    return "".join(lines)


def _closing(year: YearData, chosen: Sequence[Practice], facts: set[str]) -> tuple[str, ...]:
    given = settings(year, KIND.name).closing
    if given:
        return tuple(paragraphs(given))
    return (catalogue.say("article.closing", known=facts, name=year.organisation.name, n=len(chosen)),)


def headline_lines(title: str, typeset: tuple[str, ...]) -> tuple[str, ...]:
    """A headline of two phrases set apart by a space (``深入开展创先争优活动 促进党建工作全面落实``)
    breaks at the space when it needs two lines, as such headlines are printed; else as typeset."""
    phrases = [p for p in re.split(r"\s+", title) if p]
    if len(typeset) < 2 or len(phrases) < 2 or any(text_width(p) > LINE_CHARS for p in phrases):
        return typeset
    return tuple(phrases)


def part(year: YearData, practice: Practice, ledger: Ledger) -> Draft:
    """One numbered part: what was done, its figures and its own activities; its measures as sub-parts."""
    done = practice_draft(year, practice, ledger)
    measures = [Draft(full_width(m.title), text_paragraphs(m.detail)) for m in practice.measures]
    return Draft(done.title, done.paragraphs, measures, anchor=done.anchor)  # its photos go with it


def numbered(drafts: Sequence[Draft]) -> tuple[Section, ...]:
    """Parts ``1`` ``2`` … and sub-parts ``2.1`` …, as an article numbers them (not 一、（一）)."""
    return tuple(
        Section(f"{i}{NUMBER_GAP}", d.title, tuple(d.paragraphs),
                tuple(Section(f"{i}.{j}{NUMBER_GAP}", c.title, tuple(c.paragraphs), ())
                      for j, c in enumerate(d.children, start=1)), d.anchor)
        for i, d in enumerate(drafts, start=1))


def context(year: YearData) -> Mapping[str, Any]:
    fig = compute(year)
    chosen = marked(year)
    facts = _facts(year, chosen, fig)
    ledger = Ledger()
    for practice in chosen:  # the user's own sentences first: a count they give is not given again
        ledger.quote(practice.detail, practice.title)
        for measure in practice.measures:
            ledger.quote(measure.detail, practice.title)
    byline, unit = _byline(year)
    keywords = settings(year, KIND.name).keywords
    front = Front(
        subtitle=_subtitle(year, facts),
        byline=byline,
        unit=unit,
        abstract_label=catalogue.say("article.abstract.label"),
        abstract=_abstract(year, chosen, facts),
        keywords_label=catalogue.say("article.keywords.label"),
        keywords=catalogue.say("article.keywords.separator").join(full_width(k) for k in keywords),
        closing=_closing(year, chosen, facts),
    )
    doc = heading(year, KIND, _opening(year, chosen, fig, facts))
    doc = dataclasses.replace(doc, title_lines=headline_lines(doc.title, doc.title_lines))
    return {"doc": doc, "article": front, "sections": numbered([part(year, p, ledger) for p in chosen])}


SHAPES = {"article": Front}
