"""The activity log kept in a spreadsheet (.xlsx, .ods or .csv) beside the YAML.

Offices keep their meeting records in Excel or export them from a Party-building platform; a
data file says ``activities_from: 活动记录.xlsx`` and the rows become its ``activities``, as if
typed in YAML. Columns are found by their Chinese headers (日期, 类型, 党支部, 主题 … with common
variants), branches may be written by name or by id, and every value keeps the cell it came from,
so a later check (an unknown type, 实到 over 应到, a date outside the year) names
``活动记录.xlsx!B7`` instead of a YAML line.

What a spreadsheet can do that YAML cannot is checked here, each at its cell: merged cells, a
duplicate or unknown header, an empty required cell, formulas, numbers and dates stored as text,
hidden rows. Reading goes through :func:`dangjian_docs.inputs.read_bounded`; values are read with
python-calamine (fast, and it does not build a cell object per cell); formulas and hidden rows,
which calamine does not report, are read from the sheet's XML in one streaming pass.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path
from ..inputs import Refused, read_bounded
from . import SHEET_KEY as KEY
from .positions import Position, SourceMap

SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv")
MAX_BYTES = 50 * 1024 * 1024
"""A workbook of 20,000 rows is about 1.5 MB; past this it is the wrong file."""
MAX_ROWS = 200_000
SHEET_NAME = "活动记录"
"""The sheet read when a workbook has several (otherwise the first visible one)."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "活动日期", "会议日期", "开展日期", "时间", "活动时间"),
    "type": ("类型", "活动类型", "会议类型", "类别"),
    "branch": ("党支部", "支部", "所属支部", "所属党支部", "组织", "党组织"),
    "group": ("党小组", "小组", "所属党小组"),
    "topic": ("主题", "活动主题", "会议主题", "议题", "内容", "活动内容"),
    "form": ("形式", "活动形式", "学习形式"),
    "speaker": ("主讲人", "讲课人", "授课人", "主讲"),
    "host": ("主持人", "负责人", "召集人"),
    "place": ("地点", "活动地点", "会议地点"),
    "expected": ("应到", "应到人数", "应参加人数", "应到人数（人）"),
    "present": ("实到", "实到人数", "参加人数", "实际参加人数", "实到人数（人）"),
    "duration": ("时长", "时长（分钟）", "时长(分钟)", "时长/分钟", "用时（分钟）", "分钟"),
    "task": ("对应任务", "任务", "任务编号", "计划任务"),
    "note": ("备注", "说明"),
}
"""Each activity field and the headers that name it; the first is what ``template-sheet`` writes."""

REQUIRED = ("date", "type", "topic")
_TEXT_KEYS = frozenset({"type", "group", "topic", "form", "speaker", "host", "place", "task", "note"})
"""Fields whose text is taken as it is (a branch is looked up by name first)."""
NUMBERS = ("expected", "present", "duration")
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _normal(header: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", header)).replace("(", "（").replace(")", "）")


_BY_HEADER = {_normal(h): key for key, headers in COLUMNS.items() for h in headers}


def column_letter(index: int) -> str:
    """0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Table:
    """A sheet's cells as read (row 0 is the header row) and what only its file format knows."""

    rows: list[list[Any]]
    formulas: set[tuple[int, int]] = field(default_factory=set)
    hidden: set[int] = field(default_factory=set)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    typed: bool = True
    """Cells carry types (a workbook); a CSV's cells are all text, and that is no fault."""
    sheet: str = ""


class _Import:
    """One data file's import: the rows, their positions and the diagnostics, at their cells."""

    def __init__(self, source_path: str, table: Table, shown: str, branches: dict[str, str]) -> None:
        self.table, self.branches = table, branches
        self.prefix = f"{shown}!" if not table.sheet else f"{shown}!{table.sheet}!"
        self.source_path = source_path
        self.out: list[Diagnostic] = []
        self.letters = [column_letter(c) for c in range(max((len(r) for r in table.rows[:1]), default=0))]

    def cell(self, row: int, col: int) -> str:
        return f"{self.prefix}{self.letters[col] if col < len(self.letters) else column_letter(col)}{row + 1}"

    def add(self, severity: Severity, code: str, row: int, col: int, message: str, hint: str,
            path: str = "") -> None:
        self.out.append(Diagnostic(severity, code, message, file=self.cell(row, col), path=path, hint=hint))

    def columns(self) -> dict[int, str]:
        """Column index → field, from the header row; problems with headers at their cells."""
        if not self.table.rows:
            self.add(Severity.ERROR, "sheet-header", 0, 0, "表格是空的，没有标题行。",
                     "第一行写列标题（日期、类型、党支部、主题……）；"
                     "可以运行 dangjian-docs template-sheet 生成空白表格。")
            return {}
        found: dict[int, str] = {}
        first: dict[str, int] = {}
        for col, raw in enumerate(self.table.rows[0]):
            text = _text(raw).strip()
            if not text:
                continue
            key = _BY_HEADER.get(_normal(text))
            if key is None:
                from ..validation.suggest import did_you_mean

                names = {h: h for headers in COLUMNS.values() for h in headers}
                self.add(Severity.WARNING, "sheet-header", 0, col,
                         f"不认识的列标题“{text}”，这一列没有读取。{did_you_mean(text, names)}",
                         "可用的列：" + "、".join(headers[0] for headers in COLUMNS.values())
                         + "；不需要的列可以删除。")
                continue
            if key in first:
                self.add(Severity.ERROR, "sheet-header", 0, col,
                         f"列标题“{text}”与 {column_letter(first[key])} 列重复（都是{COLUMNS[key][0]}）。",
                         "每种内容只能有一列；请删除或改名其中一列。")
                continue
            first[key] = col
            found[col] = key
        missing = [COLUMNS[k][0] for k in REQUIRED if k not in first]
        if missing:
            self.add(Severity.ERROR, "sheet-header", 0, 0, f"表格缺少“{'”“'.join(missing)}”列。",
                     "第一行须有日期、类型、主题三列（列标题可以是“活动日期”“活动类型”“活动主题”等）。")
        return found

    def rows(self, columns: dict[int, str], positions: SourceMap) -> list[dict[str, Any]]:
        self.merged_cells(columns)
        activities: list[dict[str, Any]] = []
        fields = list(columns.items())
        formulas, hidden, places = self.table.formulas, self.table.hidden, positions.values
        for row, cells in enumerate(self.table.rows[1:], start=1):
            width = len(cells)
            if all(_text(cells[c]).strip() == "" for c, _ in fields if c < width):
                continue
            index = len(activities)
            item: dict[str, Any] = {}
            spots: list[tuple[str, int]] = []
            errors_before = len(self.out)
            if row in hidden:
                self.add(Severity.WARNING, "sheet-cell", row, 0, f"第 {row + 1} 行是隐藏行，已照常读入。",
                         "隐藏的行同样是活动记录；不要的记录请删除整行，而不是隐藏。", f"activities[{index}]")
            for col, key in fields:
                raw = cells[col] if col < width else ""
                if formulas and (row, col) in formulas:
                    self.add(Severity.WARNING, "sheet-cell", row, col,
                             f"这个单元格是公式，已使用它的计算结果“{_text(raw)}”。",
                             "请把公式改成数值（复制后“选择性粘贴—数值”），以免结果随其他单元格变化。",
                             _path(index, key))
                if raw.__class__ is str and key in _TEXT_KEYS:  # most cells: text taken as it is
                    value: Any = raw.strip() or None
                else:
                    value = self.value(key, raw, row, col, index)
                if value is None:
                    if key in REQUIRED:
                        self.add(Severity.ERROR, "sheet-cell", row, col, f"“{COLUMNS[key][0]}”不能为空。",
                                 f"请在第 {row + 1} 行填写{COLUMNS[key][0]}；不是活动记录的行请整行删除。",
                                 _path(index, key))
                    continue
                item[key] = value
                spots.append((key, col))
            if len(self.out) > errors_before and any(d.is_error for d in self.out[errors_before:]):
                continue  # reported at its cells; checking it again would say the same twice
            activities.append(item)
            line = row + 1
            places[("activities", index)] = Position(line, 1, self.cell(row, 0))
            for key, col in spots:
                places[("activities", index, key)] = Position(line, col + 1, self.cell(row, col))
        return activities

    def merged_cells(self, columns: dict[int, str]) -> None:
        for (r1, c1), (r2, c2) in self.table.merged:
            if r2 > r1 and r2 >= 1 and any(c1 <= c <= c2 for c in columns):
                span = f"{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}"
                self.add(Severity.ERROR, "sheet-cell", r1, c1,
                         f"{span} 是合并单元格：合并后只有第一行有值，其余各行读到的是空白。",
                         "请取消合并，并在每一行填写完整（可以先取消合并，再向下填充）。")

    def value(self, key: str, raw: Any, row: int, col: int, index: int) -> Any:
        """The cell as the YAML would have it; ``None`` for an empty cell."""
        if raw.__class__ is str:
            raw = raw.strip()
            if raw == "":
                return None
        where = _path(index, key)
        if key == "date":
            return self.date(raw, row, col, where)
        if key in NUMBERS:
            return self.number(raw, row, col, where)
        if key == "branch":
            text = _text(raw)
            return self.branches.get(text, text)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return _text(raw)

    def date(self, raw: Any, row: int, col: int, where: str) -> Any:
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, dt.date):
            return raw.isoformat()
        text = _text(raw)
        match = _DATE_TEXT.fullmatch(text)
        if match is None:
            self.add(Severity.ERROR, "sheet-cell", row, col, f"“{text}”不是日期。",
                     "请写成 2025-04-17 这样的日期，或把单元格设为日期格式后重新输入。", where)
            return text
        year, month, day = (int(g) for g in match.groups())
        try:
            value = dt.date(year, month, day).isoformat()
        except ValueError:
            self.add(Severity.ERROR, "sheet-cell", row, col, f"“{text}”不是有效的日期（{month}月没有{day}日）。",
                     "请改正日期。", where)
            return text
        if self.table.typed:
            self.add(Severity.WARNING, "sheet-cell", row, col, f"日期“{text}”存成了文字，已按 {value} 读入。",
                     "请把单元格设为日期格式后重新输入，Excel 才能按日期排序和筛选。", where)
        return value

    def number(self, raw: Any, row: int, col: int, where: str) -> Any:
        if isinstance(raw, bool):
            raw = _text(raw)
        if isinstance(raw, (int, float)):
            if float(raw).is_integer():
                return int(raw)
            self.add(Severity.ERROR, "sheet-cell", row, col, f"“{raw}”不是整数。", "人数和分钟数请填整数。", where)
            return raw
        text = unicodedata.normalize("NFKC", _text(raw)).removesuffix("人").removesuffix("分钟").strip()
        if text.isascii() and text.isdigit():
            if self.table.typed:
                self.add(Severity.WARNING, "sheet-cell", row, col,
                         f"数字“{_text(raw)}”存成了文字，已按 {int(text)} 读入。",
                         "请把单元格设为“常规”或“数值”格式后重新输入。", where)
            return int(text)
        self.add(Severity.ERROR, "sheet-cell", row, col, f"“{_text(raw)}”不是人数或分钟数。",
                 "请填整数，如 12。", where)
        return _text(raw)


def _path(index: int, key: str) -> str:
    return f"activities[{index}].{key}"


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return "" if value is None else str(value)


def referenced(raw: bytes) -> str | None:
    """The ``activities_from:`` a data file's bytes name, without parsing it (for a build's hashes)."""
    if b"activities_from" not in raw:  # most files: a byte search, not a line-by-line pattern
        return None
    match = re.search(rb"^activities_from:[ \t]*['\"]?([^'\"#\r\n]+?)['\"]?[ \t]*(?:#.*)?\r?$", raw, re.MULTILINE)
    return match.group(1).decode("utf-8", "replace") if match else None


def read_table(path: Path, shown: str) -> Table:
    """The cells of the activity sheet at ``path``; raises with a located diagnostic."""
    try:
        raw = read_bounded(path, MAX_BYTES)
    except Refused as refusal:
        raise DangjianError([refusal.diagnostic(shown)]) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv(raw, shown)
    try:
        return _workbook(raw, suffix)
    except DangjianError:
        raise
    except Exception:  # calamine raises its own types for a damaged file
        raise DangjianError([Diagnostic(
            Severity.ERROR, "sheet-unreadable", "表格文件无法打开（不是 .xlsx/.ods 格式，或文件已损坏）。", file=shown,
            hint="请用 Excel 或 WPS 打开后另存为 .xlsx。")]) from None


def _csv(raw: bytes, shown: str) -> Table:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV in GB18030
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DangjianError([Diagnostic(Severity.ERROR, "encoding", "CSV 文件既不是 UTF-8 也不是 GB18030 编码。",
                                        file=shown, hint="请在 Excel 中“另存为”CSV UTF-8 格式。")])
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16")
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    rows = [row for row in csv.reader(io.StringIO(text), dialect)]
    return Table(rows[:MAX_ROWS + 1], typed=False)


def _workbook(raw: bytes, suffix: str) -> Table:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    visible = [m.name for m in book.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
    name = SHEET_NAME if SHEET_NAME in book.sheet_names else (visible or book.sheet_names)[0]
    sheet = book.get_sheet_by_name(name)
    rows = [list(r) for r in sheet.iter_rows()][:MAX_ROWS + 1]
    start = sheet.start or (0, 0)
    if start != (0, 0):  # calamine starts at the first used cell; the table's cells keep their places
        rows = [[""] * start[1] + r for r in rows]
        rows = [[] for _ in range(start[0])] + rows
    merged = list(sheet.merged_cell_ranges or [])
    table = Table(rows, merged=merged, sheet="" if len(book.sheet_names) == 1 or name == SHEET_NAME else name)
    if suffix in (".xlsx", ".xlsm"):
        table.formulas, table.hidden = _xlsx_extras(raw, name)
    return table


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL = re.compile(r"([A-Z]+)(\d+)")


def _xlsx_extras(raw: bytes, name: str) -> tuple[set[tuple[int, int]], set[int]]:
    """Cells holding formulas and hidden rows of the sheet ``name``: one streaming XML pass in
    which lxml hands over only ``<row>`` and ``<f>`` elements (the cells are not visited in Python)."""
    from lxml import etree

    formulas: set[tuple[int, int]] = set()
    hidden: set[int] = set()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        part = _sheet_part(archive, name)
        if part is None:
            return formulas, hidden
        with archive.open(part) as stream:
            for _, element in etree.iterparse(stream, events=("end",), tag=(f"{_MAIN}f", f"{_MAIN}row"),
                                              resolve_entities=False, no_network=True, load_dtd=False,
                                              huge_tree=False):
                if element.tag == f"{_MAIN}f":
                    match = _CELL.fullmatch(element.getparent().get("r") or "")
                    if match:
                        formulas.add((int(match.group(2)) - 1, _column_index(match.group(1))))
                    continue
                if element.get("hidden") in ("1", "true") and element.get("r"):
                    hidden.add(int(element.get("r")) - 1)
                element.clear()
                while element.getprevious() is not None:  # rows already seen: keep memory flat
                    del element.getparent()[0]
    return formulas, hidden


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _sheet_part(archive: zipfile.ZipFile, name: str) -> str | None:
    from lxml import etree

    try:
        book = etree.fromstring(archive.read("xl/workbook.xml"))
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, etree.XMLSyntaxError):
        return None
    rid = next((s.get(f"{_REL}id") for s in book.iter(f"{_MAIN}sheet") if s.get("name") == name), None)
    target = next((r.get("Target") for r in rels if r.get("Id") == rid), None)
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return part if part in archive.namelist() else None


def import_activities(data: Any, positions: SourceMap, data_path: Path, shown: str) -> list[Diagnostic]:
    """Replace the ``activities_from`` of ``data`` by the rows of the sheet it names.

    Returns what was found, at its cells; raises when the sheet cannot be read at all.
    """
    if not isinstance(data, dict) or KEY not in data:
        return []
    where = positions.locate((KEY,))

    def here(code: str, message: str, hint: str, severity: Severity = Severity.ERROR) -> Diagnostic:
        """A diagnostic at the data file's ``activities_from`` line."""
        return Diagnostic(severity, code, message, file=shown, line=where.line if where else None,
                          column=where.column if where else None, path=KEY, hint=hint)

    name = data[KEY]
    if not isinstance(name, str) or not name.strip().lower().endswith(SUFFIXES):
        raise DangjianError([here("sheet-unreadable", "activities_from 应当是一个表格文件的路径。",
                                  "例如：activities_from: 活动记录.xlsx（支持 .xlsx、.ods、.csv）。")])
    if "activities" in data:
        raise DangjianError([here("sheet-unreadable", "activities 与 activities_from 只能写一个。",
                                  "活动记录要么写在本文件的 activities 中，要么放在 activities_from 所指的表格里。")])
    path = data_path.parent / name.strip()
    try:
        table = read_table(path, display_path(path))
    except DangjianError as exc:  # said at the data file's activities_from line, naming the sheet
        moved = []
        for found in exc.diagnostics:
            code = found.code  # passed on as the reader gave it
            moved.append(here(code, f"活动记录表格“{name.strip()}”：{found.message}", found.hint, found.severity))
        raise DangjianError(moved) from None
    branches = _branch_ids(data)
    job = _Import(shown, table, display_path(path), branches)
    columns = job.columns()
    activities = job.rows(columns, positions) if columns and not any(d.is_error for d in job.out) else []
    data["activities"] = activities
    return job.out


def _branch_ids(data: dict[str, Any]) -> dict[str, str]:
    """Branch name (and short name) → id, so a sheet may name branches as people do."""
    out: dict[str, str] = {}
    for branch in data.get("branches") or []:
        if isinstance(branch, dict) and isinstance(branch.get("id"), str):
            for key in ("name", "short_name"):
                if isinstance(branch.get(key), str):
                    out.setdefault(branch[key], branch["id"])
    return out


def sheet_rows(activities: list[dict[str, Any]], names: dict[str, str]) -> Iterator[list[Any]]:
    """The activity log as sheet rows (header first), for ``template-sheet --from``."""
    keys = list(COLUMNS)
    yield [COLUMNS[k][0] for k in keys]
    for item in activities:
        row: list[Any] = []
        for key in keys:
            value = item.get(key)
            if key == "date" and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            elif key == "branch" and isinstance(value, str):
                value = names.get(value, value)
            row.append(value)
        yield row
