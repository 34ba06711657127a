"""Validation: the schema first, then the cross-checks, all reported together."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, Severity, has_errors, sort_key
from ..loading import DataFile
from ..model import YearData, build_year
from .crosscheck import cross_check
from .schema_check import check_schema

__all__ = ["Validation", "validate"]


@dataclass
class Validation:
    """The outcome of validating one data file.

    ``year`` is the typed model when the data has no errors (warnings allowed), else ``None``.
    """

    source: DataFile
    diagnostics: list[Diagnostic] = field(default_factory=list)
    year: YearData | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def ok(self, *, strict: bool = False) -> bool:
        return not has_errors(self.diagnostics, strict=strict)


def validate(source: DataFile) -> Validation:
    """Check a loaded data file against the schema and the domain's rules."""
    diagnostics, broken = check_schema(source)
    year = None
    if isinstance(source.data, dict):
        year = build_year(source.data, source.path, broken)
    if year is not None:
        diagnostics += cross_check(source, year)
    diagnostics.sort(key=sort_key)
    ok = not any(d.is_error for d in diagnostics)
    return Validation(source, diagnostics, year if ok else None)

