"""情况汇报 to the higher body: basic situation, main practices, problems, countermeasures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..domain.figures import compute
from ..domain.numbering import ordinal_lead
from ..domain.writing import full_width, join_clauses, sentence
from ..model import YearData
from . import phrases
from .base import DocumentKind, heading, settings
from .outline import Draft, number


def context(year: YearData) -> Mapping[str, Any]:
    fig = compute(year)
    org = year.organisation
    recipient = settings(year, "report").recipient or org.higher_body
    about = f"{org.hospital}是一所{org.hospital_level}医院" if org.hospital_level else f"{org.hospital}"
    hospital = [about, f"现有职工{org.staff}人"]
    if org.beds:
        hospital.append(f"编制床位{org.beds}张")
    measures = [p.measure for p in year.problems if p.measure]
    drafts = [
        Draft("基本情况", [join_clauses(hospital) + phrases.organisation_sentence(year, fig),
                       phrases.members_sentence(fig)]),
        Draft("主要做法", (), phrases.work_done(year, fig)),
        Draft("存在问题", (), phrases.titled_drafts(year.problems)),
        Draft("对策建议", [sentence(ordinal_lead(i) + full_width(m.strip()))
                       for i, m in enumerate(measures, start=1)]),
    ]
    doc = heading(year, KIND, f"现将{org.name}{year.year}年党建工作情况汇报如下。", recipient=recipient)
    return {"doc": doc, "sections": number([d for d in drafts if d.paragraphs or d.children])}


def default_title(year: YearData) -> str:
    return f"关于{year.organisation.name}{year.year}年党建工作情况的汇报"


KIND = DocumentKind("report", "情况汇报", context, default_title=default_title)
