"""Across years: find last year's file of the same organisation, and check members carry over.

Used by the roll-up (for the institutions it covers) and by anything holding many year files
(a data repo): :func:`pairs` matches years, :func:`check` says when the count does not carry.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from ..diagnostics import DangjianError, Diagnostic, Severity
from ..domain.history import continuity
from ..inputs import Refused, outside, read_bounded
from ..loading import DATA_SUFFIXES, DataFile, PathKey, load
from ..loading.text import MAX_BYTES
from ..validation import Validation
from . import is_region


def place(source: DataFile, path: PathKey) -> str:
    """``file:line:col`` of ``path`` in ``source``, as a message names another place."""
    pos = source.positions.locate(path)
    return f"{source.path}:{pos.line}:{pos.column}" if pos else source.path


def key_of(data: object) -> tuple[str, int] | None:
    """(organisation name, year) of a year file's raw data; ``None`` for anything else."""
    if not isinstance(data, dict) or is_region(data):
        return None
    org, year = data.get("organisation"), data.get("year")
    if isinstance(org, dict) and isinstance(org.get("name"), str) and type(year) is int:
        return org["name"], year
    return None


REPO_MARKERS = ("dangjian-docs.yaml", ".git")
"""What marks the top of a data repo (its config file, or a git checkout)."""


def repo_root(path: Path) -> Path:
    """Where last year's files of a region are looked for: the data repo holding ``path`` (the
    nearest folder above with a repo config or ``.git``), else the region file's own folder."""
    here = path.resolve().parent
    for folder in (here, *here.parents):
        if any((folder / marker).exists() for marker in REPO_MARKERS):
            return folder
    return here


def year_files(root: Path) -> Iterator[Path]:
    """Every ``.yaml``/``.yml`` file under ``root``, in a stable order, skipping hidden folders
    and, in a data repo, links that lead out of it."""
    named: list[Path] = []
    for folder, folders, names in os.walk(root):  # as rglob: links to folders are not entered
        folders[:] = [f for f in folders if not f.startswith(".")]  # nor is .git: never walked
        named.extend(Path(folder, n) for n in names if n.endswith(DATA_SUFFIXES) and not n.startswith("."))
    for path in sorted(named):
        if path.is_file() and not outside(path):
            yield path


_TOP_YEAR = re.compile(rb"^year:[ \t]*(\d{4})[ \t]*(?:#.*)?$", re.MULTILINE)
"""A top-level ``year: 2024`` line: enough to pass over other years' files without parsing."""


def index(root: Path, wanted: Iterable[tuple[str, int]],
          known: Mapping[Path, int | None] | None = None) -> dict[tuple[str, int], Path]:
    """The year files under ``root`` of the (organisation name, year) pairs ``wanted``.

    Only a file whose bytes contain a wanted name, and whose top-level ``year:`` line (when it
    has a plain one) is a wanted year, is parsed: a large repo costs a read of each file.
    Unreadable files are skipped (validating them is their own build's business). ``known``:
    the ``year`` (when an integer, else ``None``) of files whose data the caller has just read,
    by resolved path: one whose year is not wanted is passed over unread (a roll-up has read
    this year's thousand files already).
    """
    keys = set(wanted)
    names = {name.encode("utf-8") for name, _ in keys}
    years = {year for _, year in keys}
    known = known or {}
    found: dict[tuple[str, int], Path] = {}
    for path in year_files(root):
        if path in known and known[path] not in years:  # key_of would not give a wanted key
            continue
        try:
            raw = read_bounded(path, MAX_BYTES)
            stated = _TOP_YEAR.search(raw)
            if (stated and int(stated.group(1)) not in years) or not any(name in raw for name in names):
                continue
            key = key_of(load(path).data)
        except (DangjianError, Refused):
            continue
        if key in keys:
            found.setdefault(key, path)
    return found


_ORGANISATION = re.compile(rb"^organisation:[ \t]*(?:#[^\n]*)?\r?\n((?:(?:[ \t][^\n]*)?\r?\n)*)", re.MULTILINE)
_NAME = re.compile(rb"^([ \t]+)name:[ \t]*(.*?)[ \t]*(?:[ \t]#[^\n]*)?\r?$", re.MULTILINE)


def quick_key(raw: bytes) -> tuple[str, int] | None:
    """(organisation name, year) of a year file as usually written, read without parsing it;
    ``None`` when the file is written otherwise (then it must be parsed) or is no year file."""
    year, block = _TOP_YEAR.search(raw), _ORGANISATION.search(raw)
    if year is None or block is None:
        return None
    names = _NAME.findall(block.group(1))
    if not names:
        return None
    indent = min(len(i) for i, _ in names)
    value = next(v for i, v in names if len(i) == indent).decode("utf-8", "replace")
    if value[:1] in "\"'" and len(value) >= 2 and value[-1] == value[0]:
        value = value[1:-1]
    if not value or value[:1] in "{[&*!|>" or "#" in value:
        return None
    return value, int(year.group(1))


def previous_files(paths: Iterable[Path]) -> dict[Path, Path]:
    """For each year file among ``paths``, the same organisation's file a year earlier, if any.

    Keys are read without parsing where the file is written the usual way; the pairing is only
    a candidate, confirmed when both files are validated (see :func:`confirmed`).
    """
    keyed: dict[tuple[str, int], Path] = {}
    keys: dict[Path, tuple[str, int]] = {}
    for path in sorted(paths):
        try:
            raw = read_bounded(path, MAX_BYTES)
            key = quick_key(raw) or key_of(load(path).data)
        except (Refused, DangjianError):
            continue
        if key is not None:
            keys[path] = key
            keyed.setdefault(key, path)
    return {path: keyed[(name, year - 1)] for path, (name, year) in keys.items() if (name, year - 1) in keyed}


def confirmed(previous: Validation, current: Validation) -> bool:
    """Whether two validated files are one organisation's consecutive years."""
    return (previous.year is not None and current.year is not None
            and previous.year.organisation.name == current.year.organisation.name
            and previous.year.year == current.year.year - 1)


def pairs(validations: Iterable[Validation]) -> Iterator[tuple[Validation, Validation]]:
    """(last year, this year) for every organisation whose consecutive years are both valid."""
    valid = [v for v in validations if v.year is not None]
    by_key = {(v.year.organisation.name, v.year.year): v for v in valid}  # type: ignore[union-attr]
    for current in valid:
        assert current.year is not None
        previous = by_key.get((current.year.organisation.name, current.year.year - 1))
        if previous is not None:
            yield previous, current


def members_path(source: DataFile) -> PathKey:
    """Where a year file states its members: the organisation's total, else the branches."""
    data = source.data if isinstance(source.data, dict) else {}
    org = data.get("organisation")
    if isinstance(org, dict) and "members" in org:
        return ("organisation", "members")
    return ("branches",)


def check(previous: Validation, current: Validation) -> Diagnostic | None:
    """A warning when last year's members plus this year's changes do not make this year's."""
    assert previous.year is not None and current.year is not None
    carried = continuity(previous.year, current.year)
    if carried is None or carried.holds:
        return None
    out = [f"转出{carried.transferred_out}名", f"去世{carried.died}名"]
    if carried.removed:
        out.append(f"出党、停止党籍等{carried.removed}名")
    before = place(previous.source, members_path(previous.source))
    message = (f"党员人数与上年接不上：上年年末{carried.previous}名（{before}），"
               f"加本年发展党员{carried.admitted}名、转入{carried.transferred_in}名，减{'、'.join(out)}，"
               f"应为{carried.expected}名，本年年末为{carried.current}名。")
    return current.source.diagnostic(
        Severity.WARNING, "member-continuity", members_path(current.source), message,
        "请核对两年的党员人数、本年发展党员和党员变动（member_changes：转入、转出、去世）；有漏填的变动请补上。")
