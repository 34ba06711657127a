"""Reading data files: bytes → text → YAML values with positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path
from .positions import PathKey, Position, SourceMap, format_path
from .text import decode, remove_invisible
from .yaml_tree import parse

__all__ = ["DataFile", "PathKey", "Position", "SourceMap", "format_path", "load", "load_text"]


@dataclass
class DataFile:
    """A data file as read: plain values plus where each came from.

    ``data`` is what YAML said, not yet checked; :func:`dangjian_docs.validate` checks it and
    builds the typed model.
    """

    path: str
    data: Any
    positions: SourceMap = field(default_factory=SourceMap)
    warnings: list[Diagnostic] = field(default_factory=list)
    """What reading noticed but could set right (e.g. invisible characters dropped)."""

    def diagnostic(self, severity: Severity, code: str, path: PathKey, message: str,
                   hint: str = "", *, key: bool = False) -> Diagnostic:
        """A diagnostic placed at ``path`` in this file."""
        pos = self.positions.locate(path, key=key)
        return Diagnostic(severity, code, message, file=self.path,
                          line=pos.line if pos else None, column=pos.column if pos else None,
                          path=format_path(path), hint=hint)


def load_text(text: str, path: str = "<数据>") -> DataFile:
    """Parse YAML text; raises :class:`DangjianError` when it is not readable YAML."""
    text, warnings = remove_invisible(text, path)
    value, positions, diagnostics = parse(text, path)
    if diagnostics:
        raise DangjianError(diagnostics + warnings)
    return DataFile(path, value, positions, warnings)


def load(path: str | Path) -> DataFile:
    """Read a YAML data file; raises :class:`DangjianError` when it cannot be read at all."""
    shown = display_path(path)
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        raise DangjianError([Diagnostic(
            Severity.ERROR, "not-a-file", "这是一个文件夹，不是数据文件。", file=shown)]) from None
    except OSError as exc:
        missing = isinstance(exc, FileNotFoundError)
        reason = "文件不存在" if missing else f"无法读取（{exc.strerror}）"
        raise DangjianError([Diagnostic(Severity.ERROR, "unreadable", f"{reason}。", file=shown,
                                        hint="请检查路径是否写对。")]) from None
    text, diagnostics = decode(raw, shown)
    if text is None:
        raise DangjianError(diagnostics)
    return load_text(text, shown)
