"""Reading a file from the user's disk: the one place that does it.

Everything the tool reads (data files, a repo's config and rules, templates, the build
manifest, last year's files, a region's institutions) is untrusted: a data repo can hold a pipe
named ``pipe.yaml``, a link to ``/dev/zero``, a sparse 4 GB file, or a link to a file outside
the repo. So every read goes through :func:`read_bounded`, which refuses what is not a regular
file before reading a byte (the file is opened non-blocking, then checked by its descriptor),
checks the size against a limit the caller names and never reads past it.

In a data repo the reads are also *confined* (:func:`confined`): a path that, with every link
followed, leads out of the repo is refused, unless the repo's config allows it. The package's
own files (bundled templates and schemas) are always allowed. ``tests/test_inputs.py`` lists
the modules that read files and fails on a read that bypasses this module.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from .diagnostics import Diagnostic, Severity

MB = 1024 * 1024

_ROOT: contextvars.ContextVar[Path | None] = contextvars.ContextVar("dangjian_docs_confinement", default=None)


class Refused(Exception):
    """A file not read, and why; callers turn it into a diagnostic naming the file as they show it."""

    def __init__(self, diagnostic_code: str, message: str, hint: str = "", *, size: int | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.hint, self.size = diagnostic_code, message, hint, size

    def diagnostic(self, shown: str, severity: Severity = Severity.ERROR) -> Diagnostic:
        code = self.code  # one of the literals raised below
        return Diagnostic(severity, code, self.message, file=shown, hint=self.hint)


def refused(code: str, message: str, hint: str = "", size: int | None = None) -> Refused:
    """A :class:`Refused`; codes go through here so tests/test_docs.py can find them."""
    return Refused(code, message, hint, size=size)


@contextlib.contextmanager
def confined(root: Path | None) -> Iterator[None]:
    """Within the block, every read must resolve inside ``root`` (``None``: anywhere)."""
    token = _ROOT.set(root.resolve() if root is not None else None)
    try:
        yield
    finally:
        _ROOT.reset(token)


def confinement() -> Path | None:
    """The folder reads are confined to now, if any (workers are handed it with their tasks)."""
    return _ROOT.get()


@functools.cache
def _own_folders() -> tuple[str, ...]:
    """The package's template and schema folders, resolved once (a repo build reads thousands
    of files, and resolving these two for each was a third of a no-change build's time)."""
    from .resources import schemas_dir, templates_dir

    return str(templates_dir().resolve()), str(schemas_dir().resolve())


def outside(path: Path) -> bool:
    """Whether ``path``, every link followed, leads out of the active confinement."""
    root = _ROOT.get()
    if root is None:
        return False
    resolved = os.path.realpath(path)
    return not any(_within(resolved, top) for top in (str(root), *_own_folders()))


def _within(resolved: str, top: str) -> bool:
    """Whether the resolved path ``resolved`` is the folder ``top`` or lies under it."""
    return resolved == top or resolved.startswith(top if top.endswith(os.sep) else top + os.sep)


def check_inside(path: Path) -> None:
    """Raise :class:`Refused` when ``path`` leads out of the active confinement."""
    if outside(path):
        root = _ROOT.get()
        raise refused(
            "outside-repo", f"这个路径指向数据仓库（{root}）之外（{os.path.realpath(path)}），没有读取。",
            "数据仓库只读取仓库之内的文件：请把文件放进仓库，改用仓库内的相对路径，"
            "或删除指向仓库之外的符号链接；确需读取时，在 dangjian-docs.yaml 中写 allow_outside: true。")


def read_bounded(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them, or :class:`Refused`.

    A pipe, socket, device or folder is refused without waiting on it; a file over the limit
    (by its size, or by what it yields should it grow meanwhile) is refused without reading
    more than ``limit + 1`` bytes.
    """
    path = Path(path)
    if "\x00" in str(path):  # no file system has such a name; os calls would raise ValueError
        raise refused("unreadable", "路径中有空字符，不是有效的文件名。", "请检查路径是否写对。")
    check_inside(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise refused("not-a-file", "这是一个文件夹，不是文件。", "请检查路径是否写对。") from None
    except FileNotFoundError:
        raise refused("unreadable", "文件不存在。", "请检查路径是否写对。") from None
    except OSError as exc:
        raise refused("unreadable", f"无法读取（{exc.strerror or exc}）。", "请检查文件的读取权限。") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refused("not-a-file", "这是一个文件夹，不是文件。", "请检查路径是否写对。")
        if not stat.S_ISREG(info.st_mode):
            raise refused("not-a-file", "这不是普通文件（而是设备、管道或套接字），没有读取。",
                          "请删除它，或换成普通文件。")
        if info.st_size > limit:
            raise too_large(info.st_size, limit)
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(limit + 1 - got, MB))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise refused("unreadable", f"无法读取（{exc.strerror or exc}）。", "请检查文件是否完好。") from None
    finally:
        os.close(fd)
    if got > limit:  # it grew after the check
        raise too_large(got, limit)
    return b"".join(chunks)


def too_large(size: int, limit: int) -> Refused:
    return refused("file-too-large", f"文件有 {size / MB:.1f} MB，超过 {limit / MB:g} MB 的上限，没有读取。",
                   "请确认选对了文件。", size)
