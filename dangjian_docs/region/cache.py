"""When a region's checks need not run again: a record of everything they read.

A region file's checks read every institution's file and look through the repo for last year's;
in a repo of a hundred institutions that is seconds, on every build. A repo build keeps this
record with the region file's entry in its manifest and checks again only when an input's bytes
changed, last year's files are not the ones found before, or the last check found errors.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from ..inputs import Refused, read_bounded
from ..loading.text import MAX_BYTES
from . import continuity
from .validation import RegionValidation


def _digest(path: Path) -> str:
    """The hash of a file's bytes; ``""`` when it cannot be read now (gone, swapped for a pipe):
    no recorded hash equals that, so the check runs again and says what is wrong."""
    try:
        return hashlib.sha256(read_bounded(path, MAX_BYTES)).hexdigest()
    except Refused:
        return ""


def _rel(path: Path, base: Path) -> str:
    """A path as the region file would write it: relative to its folder, with ``/``."""
    return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()


def fingerprint(result: RegionValidation) -> dict[str, Any]:
    """Plain data (for a JSON manifest) naming every file ``result`` read, with its hash."""
    base = Path(result.source.path).parent
    return {
        "inputs": {_rel(p, base): _digest(p) for p in result.inputs},
        "wanted": [[name, year] for name, year in result.wanted],
        "previous": sorted(_rel(p, base) for p in result.previous),
        "errors": any(d.is_error for d in result.diagnostics),
    }


def inputs(region: Path, record: dict[str, Any]) -> tuple[str, ...]:
    """The files a recorded check read, as paths."""
    return tuple(str(region.parent / rel) for rel in record.get("inputs", {}))


def unchanged(region: Path, record: dict[str, Any] | None) -> bool:
    """Whether checking ``region`` again would read the same bytes and find the same files."""
    if not record or record.get("errors", True):
        return False
    try:
        for rel, digest in record["inputs"].items():
            if _digest(region.parent / rel) != digest:
                return False
        wanted = [(str(name), int(year)) for name, year in record["wanted"]]
    except (OSError, KeyError, TypeError, ValueError, AttributeError):
        return False
    found = continuity.index(continuity.repo_root(region), wanted).values() if wanted else ()
    return sorted(_rel(p, region.parent) for p in found) == record.get("previous")
