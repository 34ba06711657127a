"""Writing output files so that a failure never leaves a partial file or replaces a good one."""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


_REASONS = {
    errno.ENOTDIR: "路径中有一部分是文件而不是文件夹",
    errno.EEXIST: "路径中有一部分是文件而不是文件夹",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的",
    errno.EBUSY: "文件正被其他程序占用",
}


def reason(exc: OSError) -> str:
    """Why a write failed, in the clerk's words."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def safe_filename(title: str, suffix: str = ".docx") -> str:
    """A file name from a document title, legal on Windows, macOS and Linux."""
    name = _UNSAFE_IN_NAME.sub("", title).strip(" .") or "document"
    return name[:120] + suffix


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename.

    The rename is atomic on one file system: readers see the old file or the new one, never
    half of one. On any failure the temporary file is removed and ``path`` is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
