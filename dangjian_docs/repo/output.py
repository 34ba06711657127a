"""Writing a repo build's documents: each one atomically, the disk flushed in batches.

A repo build writes thousands of documents. Each is written to a temporary file beside its
final place and renamed over it, so a reader (or a build killed at any moment) sees the old
file or the new one, whole. Unlike :func:`dangjian_docs.writing.write_set`, which flushes every
file and folder to disk for a single build's set, the files here are flushed together before
each manifest save (:func:`flush`): the manifest never names a document the disk might lose,
and a power cut costs at most a re-render. That keeps a cold build's cost in rendering, not in
a few milliseconds of ``fsync`` per document.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..writing import TEMP_PREFIX, mode_for


def replace_file(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename; a replaced file
    keeps its permissions, a new one gets what the umask allows (as :func:`write_set` does)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.chmod(temp, mode_for(path))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def flush(paths: list[Path]) -> None:
    """Make the documents written so far durable: one ``sync`` where the system has it."""
    if not paths:
        return
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:  # Windows: file by file
        try:
            with open(path, "rb+") as f:
                os.fsync(f.fileno())
        except OSError:
            pass


def clear_leftovers(folder: Path) -> int:
    """Remove temporary files a killed build left under ``folder``; returns how many."""
    removed = 0
    if not folder.is_dir():
        return removed
    for path in folder.rglob(TEMP_PREFIX + "*"):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
