"""The functions behind ``import dangjian_docs``: load, validate, render, build."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .diagnostics import DangjianError, Diagnostic, Severity, display_path
from .loading import DataFile, load
from .validation import Validation, validate

DATA_SUFFIXES = (".yaml", ".yml")


def data_files(paths: list[str | Path]) -> Iterator[Path | Diagnostic]:
    """The data files named by ``paths``: files as given, folders' ``*.yaml`` (not recursive).

    A folder is not searched below its own level, so ``samples/`` does not pick up the
    deliberately broken files in ``samples/broken/``.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in DATA_SUFFIXES and p.is_file())
            if not found:
                yield Diagnostic(Severity.ERROR, "no-data", "文件夹中没有 .yaml 数据文件。",
                                 file=display_path(path), hint="请指定数据文件或包含数据文件的文件夹。")
            yield from found
        elif path.exists():
            yield path
        else:
            yield Diagnostic(Severity.ERROR, "unreadable", "文件不存在。", file=display_path(path),
                             hint="请检查路径是否写对。")


def check_file(path: str | Path) -> Validation:
    """Load and validate one file; a file that cannot be read gives a failed validation."""
    try:
        source = load(path)
    except DangjianError as exc:
        return Validation(DataFile(display_path(path), None), exc.diagnostics, None)
    return validate(source)
