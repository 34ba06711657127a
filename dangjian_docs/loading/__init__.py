"""Reading data files: bytes → text → YAML values with positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path
from ..inputs import Refused, read_bounded
from .positions import PathKey, Position, SourceMap, format_path
from .text import MAX_BYTES, decode, remove_invisible, too_large
from .yaml_tree import RECOVERED, parse

DATA_SUFFIXES = (".yaml", ".yml")
"""What a data file's name ends with, wherever files are looked for."""

SHEET_KEY = "activities_from"
"""The top-level key naming a spreadsheet of activities: :mod:`.sheets` (the spreadsheet readers)
is imported only for a file that has it."""

__all__ = ["DATA_SUFFIXES", "DataFile", "PathKey", "Position", "SourceMap", "format_path", "load", "load_text"]


@dataclass  # not a Record, which is frozen: repo workers set ``path``, reading adds to ``warnings``
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
        if pos is not None and pos.file is not None:  # a spreadsheet's cell
            return Diagnostic(severity, code, message, file=pos.file, path=format_path(path), hint=hint)
        return Diagnostic(severity, code, message, file=self.path,
                          line=pos.line if pos else None, column=pos.column if pos else None,
                          path=format_path(path), hint=hint)


def load_text(text: str, path: str = "<数据>") -> DataFile:
    """Parse YAML text; raises :class:`DangjianError` when it is not readable YAML."""
    text, warnings = remove_invisible(text, path)
    value, positions, diagnostics = parse(text, path)
    if any(d.code not in RECOVERED for d in diagnostics):
        raise DangjianError(diagnostics + warnings)
    return DataFile(path, value, positions, diagnostics + warnings)  # recovered: reported, checked on


def load(path: str | Path) -> DataFile:
    """Read a YAML data file; raises :class:`DangjianError` when it cannot be read at all.

    The file is read through :func:`dangjian_docs.inputs.read_bounded`: a folder, a device
    (``/dev/zero``) or a pipe is refused without reading, and so is a file over
    :data:`~.text.MAX_BYTES`, or one leading out of a data repo while reads are confined.
    An ``activities_from`` spreadsheet is read into ``activities`` here (:mod:`.sheets`), so
    every later stage sees one data file, with each value placed at its cell.
    """
    shown = display_path(path)
    raw = _read_bounded(Path(path), shown)
    text, diagnostics = decode(raw, shown)
    if text is None:
        raise DangjianError(diagnostics)
    source = load_text(text, shown)
    if isinstance(source.data, dict) and SHEET_KEY in source.data:
        from . import sheets

        found = sheets.import_activities(source.data, source.positions, Path(path), shown)
        if any(d.is_error for d in found):
            raise DangjianError(source.warnings + found)
        source.warnings += found
    return source


def _read_bounded(path: Path, shown: str) -> bytes:
    try:
        return read_bounded(path, MAX_BYTES)
    except Refused as refusal:
        if refusal.code == "file-too-large" and refusal.size is not None:
            raise DangjianError([too_large(shown, refusal.size)]) from None
        raise DangjianError([refusal.diagnostic(shown)]) from None
