"""Reading data files: bytes → text → YAML values with positions."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path
from .positions import PathKey, Position, SourceMap, format_path
from .text import MAX_BYTES, decode, remove_invisible, too_large
from .yaml_tree import RECOVERED, parse

DATA_SUFFIXES = (".yaml", ".yml")
"""What a data file's name ends with, wherever files are looked for."""

__all__ = ["DATA_SUFFIXES", "DataFile", "PathKey", "Position", "SourceMap", "format_path", "load", "load_text"]


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
    if any(d.code not in RECOVERED for d in diagnostics):
        raise DangjianError(diagnostics + warnings)
    return DataFile(path, value, positions, diagnostics + warnings)  # recovered: reported, checked on


def load(path: str | Path) -> DataFile:
    """Read a YAML data file; raises :class:`DangjianError` when it cannot be read at all.

    The file is checked before it is read: a folder, a device (``/dev/zero``) or a pipe is
    refused without reading, and so is a file over :data:`~.text.MAX_BYTES`; reading stops
    there too, should the file grow meanwhile.
    """
    shown = display_path(path)
    raw = _read_bounded(Path(path), shown)
    text, diagnostics = decode(raw, shown)
    if text is None:
        raise DangjianError(diagnostics)
    return load_text(text, shown)


def _read_bounded(path: Path, shown: str) -> bytes:
    def refuse(code: str, message: str, hint: str = "请检查路径是否写对。") -> DangjianError:
        return DangjianError([Diagnostic(Severity.ERROR, code, message, file=shown, hint=hint)])

    try:
        # Non-blocking, so that opening a pipe with no writer does not wait; what was opened
        # is then checked by its descriptor, not by its name, which could change meanwhile.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise refuse("not-a-file", "这是一个文件夹，不是数据文件。") from None
    except OSError as exc:
        missing = isinstance(exc, FileNotFoundError)
        raise refuse("unreadable", "文件不存在。" if missing else f"无法读取（{exc.strerror}）。") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refuse("not-a-file", "这是一个文件夹，不是数据文件。")
        raise refuse("not-a-file", "这不是普通文件（而是设备、管道或套接字），不能作为数据文件读取。",
                     "请指定扩展名为 .yaml 的数据文件。")
    with os.fdopen(fd, "rb") as f:
        if info.st_size > MAX_BYTES:
            raise DangjianError([too_large(shown, info.st_size)])
        try:
            raw = f.read(MAX_BYTES + 1)
        except OSError as exc:
            raise refuse("unreadable", f"无法读取（{exc.strerror}）。") from None
    if len(raw) > MAX_BYTES:  # it grew after the check
        raise DangjianError([too_large(shown, len(raw))])
    return raw
