"""What a region's checks need of each institution's file, kept so an unchanged file is not read again.

A roll-up over a thousand institutions spends nearly all its time loading and validating their
files, and a repo build did it twice (checking the region, then making the roll-up). A
:class:`FileFacts` is everything the region's checks and the roll-up's text take from one year
file: its diagnostics, its figures, and the places the messages quote. :class:`Facts` keeps
them as plain JSON data keyed by the file as shown and the hash of its bytes (and of its
activity sheet), so a rebuild after one file changed validates that file only.

The records travel through the output folder, which a CI cache restores: they are shape-checked
field by field, and a record whose hash is not the hash of the file's bytes now is ignored and
the file validated again. Like the manifest beside it, a record is a claim about the tool's own
earlier work, not a secret: anyone who can write the output folder could also replace the documents.
"""

from __future__ import annotations

import hashlib
from dataclasses import field, fields
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..domain.history import members_total
from ..inputs import Refused, read_bounded
from ..loading.text import MAX_BYTES
from ..model import YearData
from ..record import Record
from ..validation import Validation
from . import continuity

_ATTRS = ("staff", "members", "branches")
_FIGURES = ("staff", "members", "branches", "developed", "activists", "candidates", "secretaries",
            "dual_leaders", "talks")


class FileFacts(Record):
    """One year file as the region's checks see it, whether just validated or remembered."""

    shown: str
    """The file as messages name it (``DataFile.path``)."""
    diagnostics: tuple[Diagnostic, ...]
    sheet: str | None
    """Its ``activities_from`` as written, when a string."""
    stated_year: int | None
    year_place: str
    valid: bool
    """Whether it validated (``Validation.year`` is not ``None``)."""
    name: str = ""
    hospital: str = ""
    kind: str | None = None
    hospital_level: str | None = None
    figures: dict[str, int | None] = field(default_factory=dict)
    """``Unit``'s figures (staff, members … talks) as :func:`.figures.unit_from_year` computes them."""
    places: dict[str, str] = field(default_factory=dict)
    """``file:line:col`` quoted for ``hospital`` and each of staff, members, branches."""
    members_total: int | None = None
    """Members at the year's end, for when this is last year's file."""
    validation: Validation | None = field(default=None, compare=False)
    """The validation these facts came from, when this run made it (``None`` when remembered)."""

    @property
    def year(self) -> YearData | None:
        return self.validation.year if self.validation is not None else None


def facts_of(result: Validation) -> FileFacts:
    """The facts of a validated file."""
    from .figures import unit_from_year
    from .model import Institution
    from .validation import _Checker

    source = result.source
    data = source.data if isinstance(source.data, dict) else {}
    sheet = data.get("activities_from")
    stated = data.get("year")
    base = FileFacts(source.path, tuple(result.diagnostics), sheet if isinstance(sheet, str) else None,
                     stated if type(stated) is int else None, continuity.place(source, ("year",)),
                     result.year is not None, validation=result)
    year = result.year
    if year is None:
        return base
    unit = unit_from_year(year, Institution(type="", path=()))
    org = year.organisation
    places = {"hospital": continuity.place(source, ("organisation", "hospital"))}
    places |= {attr: continuity.place(source, _Checker.fact_path(source, attr)) for attr in _ATTRS}
    return FileFacts(base.shown, base.diagnostics, base.sheet, base.stated_year, base.year_place, True,
                     org.name, org.hospital, org.kind, org.hospital_level,
                     {f: getattr(unit, f) for f in _FIGURES}, places, members_total(year), result)


def _diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    return d.as_dict()


def _diagnostic(raw: Any) -> Diagnostic:
    if not isinstance(raw, dict) or set(raw) != {"severity", "code", "message", "hint", "file", "line",
                                                 "column", "path"}:
        raise TypeError(raw)
    for key in ("code", "message", "hint", "path"):
        _want(raw[key], str)
    for key in ("line", "column"):
        _want(raw[key], int, None)
    _want(raw["file"], str, None)
    code = raw["code"]  # as the validation that found it gave it
    return Diagnostic(Severity(raw["severity"]), code, raw["message"], raw["file"], raw["line"],
                      raw["column"], raw["path"], raw["hint"])


def _want(value: Any, *types: type | None) -> Any:
    """``value`` when its exact type is one of ``types`` (``None`` for ``None``); else TypeError."""
    if type(value) in types or (value is None and None in types):
        return value
    raise TypeError(value)


def to_json(facts: FileFacts) -> dict[str, Any]:
    return {
        "shown": facts.shown, "diagnostics": [_diagnostic_json(d) for d in facts.diagnostics],
        "sheet": facts.sheet, "stated_year": facts.stated_year, "year_place": facts.year_place,
        "valid": facts.valid, "name": facts.name, "hospital": facts.hospital, "kind": facts.kind,
        "hospital_level": facts.hospital_level, "figures": dict(facts.figures), "places": dict(facts.places),
        "members_total": facts.members_total,
    }


_RECORDED = frozenset(f.name for f in fields(FileFacts)) - {"validation"}
"""The keys of a record: every field but the validation."""


def from_json(raw: Any) -> FileFacts:
    """Facts from a record; raises (TypeError, ValueError, KeyError) unless it has this tool's shape."""
    if not isinstance(raw, dict) or raw.keys() != _RECORDED:
        raise TypeError(raw)
    figures, places = raw["figures"], raw["places"]
    if not isinstance(figures, dict) or not isinstance(places, dict):
        raise TypeError(raw)
    if raw["valid"] is True:
        if set(figures) != set(_FIGURES) or set(places) != {"hospital", *_ATTRS}:
            raise ValueError(raw)
    elif figures or places:
        raise ValueError(raw)
    for value in figures.values():
        _want(value, int, None)
    for value in places.values():
        _want(value, str)
    return FileFacts(
        _want(raw["shown"], str), tuple(map(_diagnostic, _want(raw["diagnostics"], list))),
        _want(raw["sheet"], str, None), _want(raw["stated_year"], int, None), _want(raw["year_place"], str),
        _want(raw["valid"], bool), _want(raw["name"], str), _want(raw["hospital"], str),
        _want(raw["kind"], str, None), _want(raw["hospital_level"], str, None), dict(figures), dict(places),
        _want(raw["members_total"], int, None))


def identity(path: Path) -> str:
    """The hash of a year file's bytes and of the activity sheet it names: what its facts rest on.
    ``""`` when the file cannot be read now (no record matches that: it is validated and says why)."""
    from ..loading.sheets import MAX_BYTES as SHEET_BYTES
    from ..loading.sheets import referenced

    try:
        raw = read_bounded(path, MAX_BYTES)
    except Refused:
        return ""
    digest = hashlib.sha256(raw)
    name = referenced(raw)
    if name is not None:
        try:
            sheet = read_bounded(path.parent / name, SHEET_BYTES)
        except Refused as refusal:
            sheet = refusal.code.encode()
        digest.update(b"\0sheet\0" + hashlib.sha256(sheet).digest())
    return digest.hexdigest()


class Facts:
    """Remembered facts of year files (``shown`` → identity and record) and of continuity checks.

    Built from the records of an earlier run (:meth:`from_json`, which drops any record that
    does not have the expected shape); :meth:`to_json` gives the records this run used, so a
    file no longer named is forgotten.
    """

    def __init__(self, files: dict[str, tuple[str, dict[str, Any]]] | None = None,
                 carried: dict[str, dict[str, Any] | None] | None = None) -> None:
        self._files = files or {}
        self._carried = carried or {}
        self._used: dict[str, tuple[str, dict[str, Any]]] = {}
        self._used_carried: dict[str, dict[str, Any] | None] = {}
        self._ids: dict[str, str] = {}
        self.hits = 0
        self.misses = 0

    @classmethod
    def from_json(cls, raw: Any) -> Facts:
        files: dict[str, tuple[str, dict[str, Any]]] = {}
        carried: dict[str, dict[str, Any] | None] = {}
        if isinstance(raw, dict):
            for shown, record in (raw.get("files") or {}).items() if isinstance(raw.get("files"), dict) else ():
                if (isinstance(shown, str) and isinstance(record, dict) and isinstance(record.get("id"), str)
                        and record.get("id") and isinstance(record.get("facts"), dict)):
                    files[shown] = (record["id"], record["facts"])
            for key, record in (raw.get("continuity") or {}).items() if isinstance(raw.get("continuity"),
                                                                                   dict) else ():
                if isinstance(key, str) and (record is None or isinstance(record, dict)):
                    carried[key] = record
        return cls(files, carried)

    def to_json(self) -> dict[str, Any]:
        return {"files": {shown: {"id": ident, "facts": record}
                          for shown, (ident, record) in sorted(self._used.items())},
                "continuity": dict(sorted(self._used_carried.items()))}

    def identity(self, path: Path, shown: str) -> str:
        if shown not in self._ids:
            self._ids[shown] = identity(path)
        return self._ids[shown]

    def get(self, path: Path, shown: str) -> FileFacts | None:
        """The remembered facts of the file at ``path`` if its bytes are those they were taken from."""
        ident = self.identity(path, shown)  # before validating: facts stored are of these bytes
        known = self._files.get(shown)
        if known is None or ident != known[0]:
            return None
        try:
            facts = from_json(known[1])
        except (TypeError, ValueError, KeyError):
            return None
        if facts.shown != shown:
            return None
        self._used[shown] = known
        self.hits += 1
        return facts

    def put(self, path: Path, facts: FileFacts) -> None:
        """Remember facts just taken from the file at ``path``."""
        self.misses += 1
        ident = self.identity(path, facts.shown)
        if ident:
            self._used[facts.shown] = (ident, to_json(facts))

    def _carried_key(self, before: FileFacts, after: FileFacts) -> str | None:
        ids = [self._ids.get(f.shown, "") for f in (before, after)]
        if not all(ids):
            return None
        return "\0".join((before.shown, ids[0], after.shown, ids[1]))

    def carried(self, before: FileFacts, after: FileFacts) -> tuple[bool, Diagnostic | None]:
        """(known, warning) of the continuity check between two files' facts."""
        key = self._carried_key(before, after)
        if key is None or key not in self._carried:
            return False, None
        record = self._carried[key]
        try:
            warning = None if record is None else _diagnostic(record)
        except (TypeError, ValueError, KeyError):
            return False, None
        self._used_carried[key] = record
        return True, warning

    def put_carried(self, before: FileFacts, after: FileFacts, warning: Diagnostic | None) -> None:
        key = self._carried_key(before, after)
        if key is not None:
            self._used_carried[key] = None if warning is None else _diagnostic_json(warning)
