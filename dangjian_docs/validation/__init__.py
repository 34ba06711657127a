"""Validation: the schema first, then the cross-checks, all reported together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path, has_errors, sort_key
from ..domain.findings import Finding
from ..domain.findings import findings as derive_findings  # .findings is the submodule
from ..loading import DataFile, load
from ..loading.positions import PathKey, format_path
from ..model import YearData, build_year, needed
from .crosscheck import cross_check
from .findings import check_references, finding_notes
from .schema_check import check_schema

__all__ = ["Validation", "validate"]


def _plain(value: Any) -> Any:
    """Data built in Python may hold dates; the file format writes them as YYYY-MM-DD text."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@dataclass  # not a Record: mutable for validate's callers; frozen, it would compile as many methods
class Validation:
    """The outcome of validating one data file.

    ``year`` is the typed model when the data has no errors (warnings allowed), else ``None``.
    ``notes`` are problems the data shows (candidates for 存在问题), kept apart from
    ``diagnostics`` because they are not faults in the data; only valid data gets them.
    """

    source: DataFile
    diagnostics: list[Diagnostic] = field(default_factory=list)
    year: YearData | None = None
    notes: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def ok(self, *, strict: bool = False) -> bool:
        return not has_errors(self.diagnostics, strict=strict)


def validate(source: DataFile | Mapping[str, Any] | str | Path) -> Validation:
    """Check data against the schema and the domain's rules.

    ``source`` is a loaded :class:`DataFile` (diagnostics then carry lines and columns), a
    plain mapping built in Python (diagnostics carry data paths only), or a file path.
    """
    if isinstance(source, (str, Path)):
        path = source
        try:
            source = load(path)
        except DangjianError as exc:
            return Validation(DataFile(display_path(path), None), exc.diagnostics, None)
    elif not isinstance(source, DataFile):
        source = DataFile("<数据>", _plain(source))
    diagnostics, broken = check_schema(source)
    diagnostics += source.warnings
    year = None
    if isinstance(source.data, dict):
        year = build_year(source.data, source.path, broken)
    if year is not None:
        diagnostics += cross_check(source, year)
        if year.photos or year.organisation.logo:
            from .pictures import check_pictures  # Pillow is imported only for data with pictures

            diagnostics += check_pictures(source, year)
    found: tuple[Finding, ...] = ()
    if year is not None and not any(d.is_error for d in diagnostics):
        found = derive_findings(year)  # once, for the references and the notes
        diagnostics += check_references(source, year, found)  # on whole data only: no false alarms
    if isinstance(source.data, dict):
        diagnostics += _skipped(source, broken, year, diagnostics)
    diagnostics.sort(key=sort_key)
    ok = not any(d.is_error for d in diagnostics)
    notes = sorted(finding_notes(source, year, found), key=sort_key) if ok and year is not None else []
    return Validation(source, diagnostics, year if ok else None, notes)



def _skipped(source: DataFile, broken: set[PathKey], year: YearData | None,
             diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One note saying which checks did not run, so "全部问题" is not read as "nothing more to fix".

    The cross-checks run on every part the schema found valid; a part with an error is left
    out of them, and without a valid year, branch list, organisation name/kind or signature
    none can run. The data's findings and ``problems``' references to them need data without
    errors. Said only when the schema found errors: after cross-check errors alone, everything
    was checked.
    """
    if not broken:  # only cross-checks failed: every part was checked
        return []
    if year is None:
        parts = sorted({format_path(b[:2]) or "文件顶层" for b in broken if needed(b)})
        if not parts:
            return []
        message = (f"{'、'.join(parts[:3])} 有错误，前后对照检查（支部代号、人数合计、组织生活频次等）"
                   "和数据发现的问题这次都没有进行。")
        hint = "改正这些错误后再运行一次 validate，会接着列出这些检查发现的问题。"
    else:
        left_out = sorted({format_path(b[:2]) for b in broken if b}, key=len)
        more = f"等 {len(left_out)} 处" if len(left_out) > 5 else ""
        listed = "、".join(left_out[:5])
        message = f"有错误的部分没有参加前后对照检查：{listed}{more}；其余部分都已检查。" if left_out else ""
        message += "数据发现的问题（提示）和 problems 中 finding 的核对，要在全部错误改正后才进行。"
        hint = "改正上面的错误后再运行一次 validate，会列出这些检查的结果。"
    return [Diagnostic(Severity.NOTE, "checks-skipped", message, file=source.path, hint=hint)]
