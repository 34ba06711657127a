"""``dangjian-docs report development``: the member development pipeline, branch by branch.

How many people in the development records (``development``) stood at each stage on 31
December and how many reached each stage within the year (the figures the documents state, from
:mod:`dangjian_docs.domain.pipeline`), and every interval shorter than its minimum, with the
record's place in the file. The table and CSV are written by :mod:`.compliance_report`'s helpers.
"""

from __future__ import annotations

import json
from typing import Any

from .compliance_report import csv_text, text_table
from .diagnostics import Diagnostic
from .domain.pipeline import Pipeline, pipeline
from .model import STAGE_LABELS, STAGES, YearData
from .record import Record

VERSION = 1
"""The JSON layout's version: a program reading it can tell when it changes."""

MOVE_LABELS = {"applied": "递交申请", "activist": "确定积极分子", "candidate": "列为发展对象",
               "probationary": "接收预备党员", "full": "转正"}
"""What reaching each stage within the year is called."""


class DevelopmentReport(Record):
    year: YearData
    branches: tuple[tuple[str, str, Pipeline], ...]
    """(branch id, branch name, its pipeline) for each branch with development records."""
    total: Pipeline | None
    """The whole organisation's; ``None`` when the data keeps no development records."""
    short: tuple[Diagnostic, ...]
    """The ``stage-too-short`` warnings validation gives, each at its record."""


def development_report(year: YearData, diagnostics: list[Diagnostic]) -> DevelopmentReport:
    named = [b for b in year.branches if any(p.branch == b.id for p in year.development)]
    rows = tuple((b.id, b.name, made) for b in named if (made := pipeline(year, b.id)) is not None)
    return DevelopmentReport(year, rows, pipeline(year),
                             tuple(d for d in diagnostics if d.code == "stage-too-short"))


def _header() -> list[str]:
    return (["支部"] + [f"年底{STAGE_LABELS[s]}" for s in STAGES] + [f"本年{MOVE_LABELS[s]}" for s in STAGES])


def _cells(made: Pipeline) -> list[str]:
    return [str(made.at_year_end[s]) for s in STAGES] + [str(made.moves[s]) for s in STAGES]


def human(report: DevelopmentReport) -> str:
    year = report.year
    lines = [f"{year.organisation.name} {year.year}年发展党员情况（依据发展党员逐人记录 development）", ""]
    if report.total is None:
        lines.append("数据中没有发展党员逐人记录（development），无法统计各阶段人数。")
        return "\n".join(lines)
    rows = [[name, *_cells(made)] for _, name, made in report.branches]
    rows.append(["合计", *_cells(report.total)])
    lines += text_table(_header(), rows)
    lines.append("")
    lines.append(f"年底：{year.year}年12月31日各人所到的最后一个阶段（只计逐人记录中的人）；本年：在本年度内到达这一阶段的人数。")
    if report.short:
        lines.append("")
        lines.append("阶段间隔不足：")
        lines += [f"{d.location()}: {d.message}" for d in report.short]
    lines.append(f"间隔不足 {len(report.short)} 处。")
    return "\n".join(lines)


def as_json(report: DevelopmentReport) -> dict[str, Any]:
    def stages(made: Pipeline) -> dict[str, Any]:
        return {"at_year_end": dict(made.at_year_end), "moves": dict(made.moves)}

    return {
        "version": VERSION,
        "organisation": report.year.organisation.name,
        "year": report.year.year,
        "total": stages(report.total) if report.total is not None else None,
        "branches": [{"branch": bid, "name": name, **stages(made)} for bid, name, made in report.branches],
        "short": [{"file": d.file, "line": d.line, "column": d.column, "path": d.path, "message": d.message}
                  for d in report.short],
    }


def as_csv(report: DevelopmentReport) -> str:
    """One row a branch, then 合计."""
    rows: list[list[object]] = [[name, *_cells(made)] for _, name, made in report.branches]
    if report.total is not None:
        rows.append(["合计", *_cells(report.total)])
    return csv_text(_header(), rows)


def render(report: DevelopmentReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(report), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return as_csv(report)
    return human(report)
