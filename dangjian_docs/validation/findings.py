"""Findings in validation: notes on what the data shows, errors for references it does not back.

The notes are candidates for 存在问题, never failures (not even under ``--strict``); a finding
already adopted in ``problems`` is not listed again. An adopted finding the data does not
support is an error: the document would state a problem with nothing behind it. Unknown codes
are refused by the schema (an enum), with the nearest code suggested.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..diagnostics import Diagnostic, Severity
from ..domain.findings import KINDS, Finding
from ..loading import DataFile
from ..model import YearData


def finding_notes(source: DataFile, year: YearData, found: Sequence[Finding]) -> list[Diagnostic]:
    """One note per finding the data supports (``found``) that ``problems`` does not adopt yet."""
    adopted = {p.finding for p in year.problems}
    return [source.diagnostic(
        Severity.NOTE, "finding", f.where,
        f"数据显示可能存在的问题：{f.title}。{f.detail}",
        f"如确属问题，可在 problems 中加一项“- finding: {f.code}”，用上面的表述写入存在问题；"
        "也可同时写 title、detail，用自己的话表述。")
        for f in found if f.code not in adopted]


def check_references(source: DataFile, year: YearData, found: Sequence[Finding]) -> list[Diagnostic]:
    """An error for each problem that adopts a finding the data does not support (is not in
    ``found``); a warning for a finding adopted twice (the document would say it twice)."""
    referenced = [p for p in year.problems if p.finding is not None]
    if not referenced:
        return []
    supported = {f.code for f in found}
    out = []
    seen: set[str | None] = set()
    for problem in referenced:
        code = problem.finding
        if code in seen:
            out.append(source.diagnostic(
                Severity.WARNING, "finding-repeated", (*year.path_of(problem), "finding"),
                f"存在问题中“{code}”引用了不止一次，文稿中会出现两段相同的内容。",
                "请删除重复的一项。"))
        seen.add(code)
        if code in supported or code not in KINDS:
            continue  # an unknown code is the schema's error
        kind = KINDS[code]
        out.append(source.diagnostic(
            Severity.ERROR, "finding-unsupported", (*year.path_of(problem), "finding"),
            f"存在问题引用了“{code}”（{kind.label}），但按现有数据并没有这个问题，文稿中不能这样写。",
            f"这个问题依据的是：{kind.needs}。数据没有填写这些情况，或数据表明并不存在这个问题；"
            "请删除这一项，或去掉 finding、用自己的话写 title 和 detail。"))
    return out
