"""One diagnostic type for every problem the tool reports, from YAML syntax to templates.

Every stage (loading, validation, rendering, writing) speaks in :class:`Diagnostic` so that the
command line, CI annotations and the Python API can show any problem the same way: where it is
(file, line, column, data path), what was found, and what to do about it.
"""

from __future__ import annotations

import enum
import functools
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from .record import Record


class Severity(str, enum.Enum):
    """``warning`` is for rules that hold "as a rule" (一般); ``--strict`` makes them errors.

    ``note`` is neither: something the data shows that the clerk may want to write about (a
    candidate for 存在问题); it never fails a check, not even under ``--strict``.
    """

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "note": "提示"}[self.value]


class Diagnostic(Record):
    """A problem with a place.

    ``line`` and ``column`` are 1-based and ``None`` when the problem has no position (a value
    built in Python rather than read from a file). ``path`` is the data path in the dotted form a
    clerk can find in the file: ``branches[2].members.full``; empty for the whole document.
    """

    severity: Severity
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str = ""
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        """``file:line:col`` with whatever parts are known."""
        parts = [self.file or "<数据>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
        }


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int, str, str]:
    """File order first, then position, so output reads top to bottom like the file."""
    return (
        diagnostic.file or "",
        diagnostic.line or 0,
        diagnostic.column or 0,
        diagnostic.path,
        diagnostic.code,
    )


def has_errors(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> bool:
    """Errors, or under ``strict`` warnings too; notes never count."""
    return any(d.is_error or (strict and d.severity is Severity.WARNING) for d in diagnostics)


class DangjianError(Exception):
    """Raised when a stage cannot go on; carries every diagnostic that explains why.

    The command line catches it and prints the diagnostics; it never shows a traceback for a
    user's mistake.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics: list[Diagnostic] = sorted(diagnostics, key=sort_key)
        first = self.diagnostics[0] if self.diagnostics else None
        summary = f"{first.location()}: {first.message}" if first else "未知错误"
        super().__init__(summary)


def display_path(path: str | Path, resolved: Path | None = None) -> str:
    """Paths as the user typed them when possible: relative to the working directory.

    ``resolved``: ``path`` already resolved, when the caller has it (a roll-up shows a thousand).
    """
    p = Path(path)
    try:
        return str((resolved or p.resolve()).relative_to(_working_folder(os.getcwd())))
    except ValueError:
        return str(p)


@functools.lru_cache(maxsize=8)
def _working_folder(cwd: str) -> Path:
    """The working folder resolved, kept per folder (resolving it again for every path shown cost
    as much as showing the path)."""
    return Path(cwd).resolve()
