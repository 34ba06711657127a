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
from pathlib import Path

from ..writing import BACKUP_PREFIX, JOURNAL_NAME, PREFIX, TEMP_PREFIX, WriteFailure, kept_mode, open_temporary, settle

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""The most of a document on disk that is read back (to compare, or before deleting it): ours
are well under a megabyte; anything far larger is not ours."""


def replace_file(path: Path, content: bytes) -> list[Path]:
    """Write ``content`` to ``path`` through a temporary file and a rename; a replaced file
    keeps its permissions, a new one gets what the umask allows (as :func:`write_set` does).

    Returns the folders it had to create, outermost first: only those are ever pruned again."""
    missing = _missing_folders(path.parent)
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = open_temporary(path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        kept = kept_mode(path)
        if kept is not None:
            os.chmod(temp, kept)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return missing


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist, outermost first: looked for upwards
    only until one exists (its parents do too), a single look for the usual existing folder."""
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    return missing[::-1]


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
    """Settle what killed writers left under ``folder``: each folder holding temporaries, backups
    or a journal is recovered under its lock (:func:`dangjian_docs.writing.settle`), so a
    single-file build killed mid-set there is completed rather than robbed of its temporaries.
    Returns how many folders were settled; one that cannot be is left for the next build."""
    if not folder.is_dir():
        return 0
    folders = {path.parent for path in folder.rglob(PREFIX + "*")
               if path.name.startswith((TEMP_PREFIX, BACKUP_PREFIX)) or path.name == JOURNAL_NAME}
    settled = 0
    for each in sorted(folders):
        try:
            settle(each)
        except (WriteFailure, OSError):
            continue
        settled += 1
    return settled
