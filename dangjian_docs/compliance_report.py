"""``dangjian-docs report compliance``: what each branch held against each rule, period by period.

Inspectors ask whether each branch met 《中国共产党支部工作条例（试行）》 month by month; the
summary states only the shortfalls. This lays out every tally of :func:`dangjian_docs.domain.
compliance.tallies` (the same figures the documents use) as a table for a person, as JSON for a
program and as CSV (one row per unit, rule and period) for a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from typing import Any

from .domain.compliance import (
    PERIOD_WORDS,
    Tally,
    period_label,
    period_span,
    tallies,
    unrecorded,
    unrecorded_branches,
)
from .model import YearData
from .record import Record

FORMATS = ("human", "json", "csv")
VERSION = 1
"""The JSON layout's version: a program reading it can tell when it changes."""


class ComplianceReport(Record):
    """The tallies of one year over a date range, and what could not be judged."""

    year: YearData
    start: dt.date
    end: dt.date
    tallies: tuple[Tally, ...]
    unjudged_types: tuple[str, ...]
    unjudged_branches: tuple[str, ...]

    @property
    def short(self) -> tuple[Tally, ...]:
        return tuple(t for t in self.tallies if not t.compliant)


def compliance_report(year: YearData, start: dt.date | None = None, end: dt.date | None = None) -> ComplianceReport:
    start, end = start or dt.date(year.year, 1, 1), end or dt.date(year.year, 12, 31)
    return ComplianceReport(year, start, end, tuple(tallies(year, start, end)), unrecorded(year),
                            tuple(b.name for b in unrecorded_branches(year)))


def rule_words(tally: Tally) -> str:
    """``主题党日 每月至少1次``."""
    form = f"（{tally.rule.form}）" if tally.rule.form else ""
    return f"{tally.rule.activity}{form} {PERIOD_WORDS[tally.rule.period]}至少{tally.rule.min}次"


def _attendance(tally: Tally) -> str:
    if tally.present is None or not tally.expected:
        return ""
    return f"{tally.present / tally.expected:.1%}"


def _shortfall(tally: Tally) -> str:
    if tally.compliant:
        return "达到"
    return "未达到：" + period_span(tally.rule.period, tally.short_periods)


def _per_period(tally: Tally) -> str:
    if tally.rule.period == "year":
        return ""
    return " ".join(str(n) if i in tally.judged else f"({n})" for i, n in enumerate(tally.per_period))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def text_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded for a terminal, counting a Chinese character as two columns."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in [header, *rows]]


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    """CSV for a spreadsheet: UTF-8 with BOM (so Excel reads it), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()


def human(report: ComplianceReport) -> str:
    year = report.year
    lines = [f"{year.organisation.name} {year.year}年组织生活对照"
             f"（{report.start.isoformat()} 至 {report.end.isoformat()}，依据内置规则和数据中的 rules）", ""]
    if not report.tallies:
        lines.append("没有可以对照的规定：数据中没有活动记录，或记录中没有规定的活动。")
    header = ["单位", "规定", "应开展", "已开展", "出勤率", "各时段次数", "结果"]
    rows = [[t.unit_name, rule_words(t), str(t.required), str(t.held), _attendance(t), _per_period(t),
             _shortfall(t)] for t in report.tallies]
    if rows:
        lines += text_table(header, rows)
        lines.append("")
        lines.append("各时段次数：按月（或按季度）列出开展的次数，括号中的时段不完全在所选日期范围内，不作评价。")
    notes = []
    if report.unjudged_types:
        notes.append(f"活动记录中没有{'、'.join(report.unjudged_types)}的记录，这些规定没有评价"
                     "（记录齐全时在数据中写 activities_complete: true）。")
    if report.unjudged_branches:
        notes.append(f"活动记录中没有{'、'.join(report.unjudged_branches)}的记录，没有评价。")
    lines += notes
    short = report.short
    lines.append(f"共 {len(report.tallies)} 项规定，{len(short)} 项未达到。")
    return "\n".join(lines)


def as_json(report: ComplianceReport) -> dict[str, Any]:
    return {
        "version": VERSION,
        "organisation": report.year.organisation.name,
        "year": report.year.year,
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "tallies": [{
            "unit": t.unit_name,
            "branch": t.branch.id if t.branch is not None else None,
            "group": t.group,
            "activity": t.rule.activity,
            "form": t.rule.form,
            "period": t.rule.period,
            "min": t.rule.min,
            "basis": t.rule.basis,
            "required": t.required,
            "held": t.held,
            "per_period": list(t.per_period),
            "judged": list(t.judged),
            "short_periods": [period_label(t.rule.period, i) for i in t.short_periods],
            "present": t.present,
            "expected": t.expected,
            "compliant": t.compliant,
        } for t in report.tallies],
        "unjudged": {"types": list(report.unjudged_types), "branches": list(report.unjudged_branches)},
        "short": len(report.short),
    }


def as_csv(report: ComplianceReport) -> str:
    """One row per unit, rule and period, for a spreadsheet."""
    rows: list[list[object]] = []
    for t in report.tallies:
        for i, held in enumerate(t.per_period):
            judged = i in t.judged
            rows.append([t.branch.name if t.branch is not None else t.organisation, t.group or "",
                         t.rule.activity, rule_words(t), period_label(t.rule.period, i), t.rule.min, held,
                         "是" if judged else "否", ("是" if held >= t.rule.min else "否") if judged else ""])
    return csv_text(["单位", "党小组", "活动类型", "规定", "时段", "至少", "开展", "是否评价", "是否达到"], rows)


def render(report: ComplianceReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(report), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return as_csv(report)
    return human(report)
