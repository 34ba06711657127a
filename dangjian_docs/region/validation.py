"""Validating a region file: its schema, then truth across the files it names.

Every institution file is validated as a year file (its own diagnostics are kept), then checked
against the region: the right year, listed once, and agreeing with any figure the region states.
The result carries the roll-up's inputs, and every file read, so a build can hash them all.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path, has_errors, sort_key
from ..domain.placeholders import find_placeholder
from ..inputs import outside
from ..loading import DataFile, PathKey, load
from ..model import YearData
from ..resources import schemas_dir
from ..validation import Validation, validate
from ..validation.schema_check import _translate
from . import continuity, is_region
from .facts import Facts, FileFacts, facts_of
from .figures import NO_MEMBERS, Group, Rollup, Unit, compute, unit_from_entry, unit_from_facts
from .model import Institution, RegionData, Total, build_region

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

E, W = Severity.ERROR, Severity.WARNING


@functools.cache
def region_schema() -> dict[str, Any]:
    with open(schemas_dir() / "region.schema.json", encoding="utf-8") as f:
        return json.load(f)


@functools.cache
def _fast() -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(region_schema(), validate_formats=True)


@functools.cache
def _detailed() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(region_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def check_region_schema(source: DataFile) -> list[Diagnostic]:
    try:
        if _fast().is_valid(source.data):
            return []
    except ValueError:
        pass
    out: list[Diagnostic] = []
    for error in _detailed().iter_errors(source.data):
        out.extend(_translate(source, error, region_schema()))
    return list(dict.fromkeys(out))


@dataclass
class RegionValidation:
    source: DataFile
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rollup: Rollup | None = None
    inputs: list[Path] = field(default_factory=list)
    """Every file the roll-up reads (the region file, the institutions', last year's)."""
    notes: list[Diagnostic] = field(default_factory=list)
    """As :class:`~dangjian_docs.validation.Validation` has: a region file has none of its own."""
    wanted: list[tuple[str, int]] = field(default_factory=list)
    """(organisation, year) of last year's files looked for; with ``previous`` and ``inputs``,
    what tells a later run that these checks would come out the same (see :mod:`.cache`)."""
    previous: list[Path] = field(default_factory=list)
    """Last year's files found."""

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    def ok(self, *, strict: bool = False) -> bool:
        return not has_errors(self.diagnostics, strict=strict)


_FACTS = {"staff": ("职工总数", "人"), "members": ("党员人数", "名"), "branches": ("党支部数", "个"),
          "institutions": ("单位数", "家")}


class _Checker:
    """Runs the cross-file checks of one region file, collecting diagnostics and units."""

    def __init__(self, source: DataFile, region: RegionData,
                 years: Mapping[Path, Validation] | None, search_root: Path | None,
                 facts: Facts | None = None) -> None:
        self.source = source
        self.region = region
        self.base = Path(source.path).parent
        self.given = {p.resolve(): v for p, v in (years or {}).items()}
        self.search_root = search_root or continuity.repo_root(Path(source.path))
        self.out: list[Diagnostic] = []
        self.units: list[Unit] = []
        self.files: dict[int, FileFacts] = {}  # id(unit) → its year file's facts
        self.facts = facts
        self.paths: dict[str, Path] = {}  # a year file as shown → where it was read
        self.previous_members: dict[str, int | None] = {}
        self.inputs: list[Path] = [Path(source.path)]
        self.wanted: list[tuple[str, int]] = []
        self.found: list[Path] = []
        self.years: dict[Path, int | None] = {}  # the stated year of each institution's file, by resolved path
        self.broken = False

    def add(self, severity: Severity, code: str, path: PathKey, message: str, hint: str = "") -> None:
        self.out.append(self.source.diagnostic(severity, code, path, message, hint))
        self.broken |= severity is E

    def here(self, path: PathKey) -> str:
        return continuity.place(self.source, path)

    def run(self) -> Rollup | None:
        self.placeholders()
        seen_files: dict[Path, PathKey] = {}
        seen_names: dict[str, str] = {}
        for entry in self.region.institutions:
            unit = self.from_file(entry, seen_files) if entry.file else self.inline(entry)
            if unit is None:
                continue
            first = seen_names.get(unit.name)
            if first is not None:
                self.add(E, "duplicate-institution", entry.path,
                         f"“{unit.name}”重复统计：{first}已经列过这个单位。",
                         "每个单位只列一次；请删除其中一项。")
                continue
            seen_names[unit.name] = self.where(unit)
            self.units.append(unit)
        self.check_totals()
        previous = self.history()
        if self.broken:
            return None
        return Rollup(self.region, tuple(self.units), previous, self.previous_members)

    def where(self, unit: Unit) -> str:
        facts = self.files.get(id(unit))
        entry = unit.entry
        assert entry is not None
        if facts is not None:
            return f"{self.here(entry.path)}（{facts.shown}）"
        return self.here(entry.path)

    # -- each institution ---------------------------------------------------------------
    def placeholders(self) -> None:
        pending: list[tuple[Any, PathKey]] = [(self.source.data, ())]
        while pending:
            value, path = pending.pop()
            if isinstance(value, str) and (found := find_placeholder(value)):
                self.add(E, "placeholder", path, f"这里有未填写的占位符“{found}”，它会原样出现在汇报里。",
                         "请填写实际内容（数字请由各单位数据计算，或从台账核实后填写），或删除这一项。")
            elif isinstance(value, Mapping):
                pending.extend((v, (*path, k)) for k, v in value.items())
            elif isinstance(value, list):
                pending.extend((v, (*path, i)) for i, v in enumerate(value))

    def inline(self, entry: Institution) -> Unit | None:
        ok = True
        if entry.name is None:
            self.add(E, "region-entry", entry.path, "没有数据文件的单位须填写单位名称（name）。",
                     "请加上“name: …”，或用“file: …”指向该单位的年度数据文件。")
            ok = False
        if entry.setup == NO_MEMBERS and entry.members:
            self.add(E, "region-entry", (*entry.path, "members"),
                     f"党组织设置为“无党员”，党员人数却是{entry.members}名。",
                     "请改正党员人数，或把党组织设置改为实际情况。")
            ok = False
        return unit_from_entry(entry) if ok else None

    def from_file(self, entry: Institution, seen: dict[Path, PathKey]) -> Unit | None:
        assert entry.file is not None
        at = (*entry.path, "file")
        if entry.setup is not None:
            self.add(E, "region-entry", (*entry.path, "setup"),
                     "有数据文件的单位，党组织设置由数据文件中的组织类别决定，这里不必填写。",
                     "请删除 setup 这一行。")
        path = self.base / entry.file
        if outside(path):
            self.add(E, "outside-repo", at,
                     f"数据文件“{entry.file}”在数据仓库之外（{os.path.realpath(path)}），没有读取。",
                     "请把这个单位的数据文件放进仓库，写相对于本汇总文件的路径（不要用绝对路径或“..”跳出仓库，"
                     "也不要用指向仓库之外的符号链接）；确需读取时，在 dangjian-docs.yaml 中写 allow_outside: true。")
            return None
        if not path.is_file():
            what = "这是一个文件夹，不是数据文件" if path.is_dir() else "找不到数据文件"
            self.add(E, "missing-file", at, f"{what}：“{entry.file}”（{display_path(path)}）。",
                     "路径相对于本汇总文件所在的文件夹；请写到具体的 .yaml 文件，并检查文件夹和文件名。")
            return None
        resolved = Path(os.path.realpath(path))  # as path.resolve() (a link loop is no file: refused above)
        if resolved in seen:
            self.add(E, "duplicate-institution", at,
                     f"数据文件“{entry.file}”重复列出：{self.here(seen[resolved])}已经列过。",
                     "每个单位只列一次；请删除其中一项。")
            return None
        seen[resolved] = at
        self.inputs.append(path)
        if resolved in self.given:
            facts = facts_of(self.given[resolved])
        else:
            found = self.year_facts(path, region_at=at, entry=entry, resolved=resolved)
            if found is None:
                return None
            facts = found
            self.out.extend(facts.diagnostics)
        self.years[resolved] = facts.stated_year
        if facts.sheet is not None:  # its activity log: an edit of it alone must be noticed too
            self.inputs.append(path.parent / facts.sheet.strip())
        stated_year = facts.stated_year
        if stated_year is not None and stated_year != self.region.year:
            self.add(E, "wrong-year", at,
                     f"“{entry.file}”是{stated_year}年的数据（{facts.year_place}），"
                     f"本汇总是{self.region.year}年。",
                     f"请改为指向该单位{self.region.year}年的数据文件。")
            return None
        if not facts.valid:
            self.add(E, "institution-invalid", at, f"数据文件“{entry.file}”有错误，汇总无法使用它的数字。",
                     "请先按该文件的诊断信息改正错误。")
            return None
        unit = unit_from_facts(facts, entry)
        self.files[id(unit)] = facts
        self.compare(entry, unit, facts)
        return unit

    def year_facts(self, path: Path, region_at: PathKey | None = None,
                   entry: Institution | None = None, resolved: Path | None = None) -> FileFacts | None:
        """The facts of the year file at ``path`` (``resolved``, when known): remembered when its
        bytes are unchanged, else validated (and remembered). ``None`` when, named by ``entry``,
        it is a region file."""
        shown = display_path(path, resolved)
        self.paths[shown] = path
        facts = self.facts.get(path, shown) if self.facts is not None else None
        if facts is not None:
            return facts
        if region_at is not None:
            source = _load_quietly(path)
            if source is not None and is_region(source.data):
                assert entry is not None
                self.add(E, "region-entry", region_at, f"“{entry.file}”是汇总文件，不是单位的年度数据文件。",
                         "institutions 中的 file 只能指向各单位的年度数据文件。")
                return None
            result = validate(source if source is not None else path)
        else:
            result = validate(path)
        facts = facts_of(result)
        self.paths[facts.shown] = path
        if self.facts is not None:
            self.facts.put(path, facts)
        return facts

    def compare(self, entry: Institution, unit: Unit, facts: FileFacts) -> None:
        """Facts written in the region entry must be the file's facts."""
        if entry.name is not None and entry.name not in (facts.hospital, facts.name):
            self.add(E, "region-mismatch", (*entry.path, "name"),
                     f"单位名称“{entry.name}”与数据文件中的“{facts.hospital}”"
                     f"（{facts.places['hospital']}）不一致。",
                     "请改为与数据文件一致的名称，或删除 name（名称取自数据文件）。")
        for attr in ("staff", "members", "branches"):
            stated, actual = getattr(entry, attr), getattr(unit, attr)
            if stated is None:
                continue
            label, measure = _FACTS[attr]
            where = facts.places[attr]
            if actual is None:
                self.add(W, "region-mismatch", (*entry.path, attr),
                         f"这里写{label}{stated}{measure}，数据文件（{where}）没有给出{label}，无法核对。",
                         f"请在数据文件中填写{label}，或删除这里的数字。")
            elif actual != stated:
                self.add(E, "region-mismatch", (*entry.path, attr),
                         f"这里写{label}{stated}{measure}，数据文件中是{actual}{measure}（{where}）。",
                         "以数据文件为准：请改正其中错的一处（这里的数字也可以删除，由文件计算）。")

    @staticmethod
    def fact_path(source: DataFile, attr: str) -> PathKey:
        if attr == "staff":
            return ("organisation", "staff") if _has(source, "organisation", "staff") else ("organisation",)
        if attr == "members" and _has(source, "organisation", "members"):
            return ("organisation", "members")
        return ("branches",)

    # -- stated totals ------------------------------------------------------------------
    def check_totals(self) -> None:
        figures = compute(self.units)
        groups = {g.type: g for g in figures.groups}
        for stated in self.region.totals:
            group = figures.region if stated.type is None else groups.get(stated.type, Group(stated.type, ()))
            self.check_total(stated, group)

    def check_total(self, stated: Total, group: Group) -> None:
        scope = f"{stated.type}" if stated.type else "全部单位"
        for attr, (label, measure) in _FACTS.items():
            value = getattr(stated, attr)
            if value is None:
                continue
            at = (*stated.path, attr)
            if attr == "institutions":
                if value != group.count:
                    self.add(E, "region-total", at,
                             f"{scope}{label}上报为{value}家，所列单位是{group.count}家"
                             f"（{'、'.join(u.name for u in group.units) or '无'}）。",
                             "请核对上报数字和所列单位（institutions）。")
                continue
            computed = group.sum(attr)
            missing = [u.name for u in group.missing(attr)]
            if stated.approximate or not computed.any:
                continue  # a rough figure, or the only one there is: the text says it as given
            if missing:
                self.add(W, "region-total", at,
                         f"{scope}{label}上报为{value}{measure}，但{len(missing)}家单位没有给出{label}"
                         f"（{'、'.join(missing)}），无法核对。", f"请补齐这些单位的{label}。")
            elif computed.value != value:
                parts = "、".join(f"{u.name}{getattr(u, attr)}{measure}（{self.fact_place(u, attr)}）"
                                  for u in group.counted(attr))
                self.add(E, "region-total", at,
                         f"{scope}{label}上报为{value}{measure}，各单位数据合计为{computed.value}{measure}：{parts}。",
                         "以各单位数据为准：请改正上报数字，或改正出错的单位数据。")

    def fact_place(self, unit: Unit, attr: str) -> str:
        facts = self.files.get(id(unit))
        if facts is not None:
            return facts.places[attr]
        assert unit.entry is not None
        return self.here((*unit.entry.path, attr))

    # -- last year ----------------------------------------------------------------------
    def history(self) -> dict[str, YearData]:
        file_units = [u for u in self.units if id(u) in self.files]
        if not file_units:
            return {}
        self.wanted = sorted({(self.files[id(u)].name, self.region.year - 1) for u in file_units})
        found = continuity.index(self.search_root, self.wanted, self.years)
        self.found = sorted(found.values())
        previous: dict[str, YearData] = {}
        for unit in file_units:
            current = self.files[id(unit)]
            path = found.get((current.name, self.region.year - 1))
            if path is None:
                continue
            given = self.given.get(path.resolve())
            before = facts_of(given) if given is not None else self.year_facts(path)
            assert before is not None
            self.inputs.append(path)
            if not before.valid:
                self.add(W, "previous-year-invalid", (*unit.entry.path, "file") if unit.entry else (),
                         f"找到{unit.name}上一年度的数据文件（{before.shown}），但它有错误，没有与上年比较。",
                         f"请运行 dangjian-docs validate {before.shown} 并改正。")
                continue
            if before.year is not None:
                previous[unit.name] = before.year
            self.previous_members[unit.name] = before.members_total
            warning = self.carried(before, current)
            if warning is not None:
                self.out.append(warning)
        return previous

    def carried(self, before: FileFacts, current: FileFacts) -> Diagnostic | None:
        """Whether members carry over from ``before`` to ``current`` (remembered, else checked)."""
        if self.facts is not None:
            known, warning = self.facts.carried(before, current)
            if known:
                return warning
        old, new = (f.validation or validate(self.paths[f.shown]) for f in (before, current))
        warning = continuity.check(old, new)
        if self.facts is not None:
            self.facts.put_carried(before, current, warning)
        return warning


def _load_quietly(path: Path) -> DataFile | None:
    """The file as read, or ``None`` when it cannot be (validating it then says why)."""
    try:
        return load(path)
    except DangjianError:
        return None


def _has(source: DataFile, *keys: str) -> bool:
    node: Any = source.data
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def validate_region(source: DataFile | str | Path, *, years: Mapping[Path, Validation] | None = None,
                    search_root: Path | None = None, facts: Facts | None = None) -> RegionValidation:
    """Check a region file and every file it names; the result holds the roll-up when valid.

    ``years`` gives year files already validated (by path), so a repo build validates each once;
    their diagnostics are then the caller's to report. ``search_root`` is where last year's files
    are looked for (default: the data repo holding the region file, see
    :func:`continuity.repo_root`, else the region file's folder). ``facts``: what earlier checks
    found in the year files (:mod:`.facts`); a file whose bytes are unchanged is then not read
    again, and the facts this check used are left there for the next.
    """
    if not isinstance(source, DataFile):
        path = source
        try:
            source = load(path)
        except DangjianError as exc:
            return RegionValidation(DataFile(display_path(path), None), exc.diagnostics)
    diagnostics = check_region_schema(source) + source.warnings
    if any(d.is_error for d in diagnostics):
        return RegionValidation(source, sorted(diagnostics, key=sort_key), None, [Path(source.path)])
    region = build_region(source.data, source.path)
    checker = _Checker(source, region, years, search_root, facts)
    rollup = checker.run()
    diagnostics += checker.out
    diagnostics = sorted(dict.fromkeys(diagnostics), key=sort_key)
    if any(d.is_error for d in diagnostics):
        rollup = None
    return RegionValidation(source, diagnostics, rollup, list(dict.fromkeys(checker.inputs)),
                            wanted=checker.wanted, previous=checker.found)

