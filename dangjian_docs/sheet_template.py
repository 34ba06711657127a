"""The activity workbook an office fills in: headers, drop-down lists, date cells and a 说明 sheet.

``dangjian-docs template-sheet 活动记录.xlsx`` writes it empty; ``--from DATA`` fills the lists
with that year's branches, groups and own activity types, and the rows with the log the data
already has, so an office moving from YAML to Excel starts from its own records. The columns
are exactly those :mod:`dangjian_docs.loading.sheets` reads back (tested both ways), and the
file is byte-identical for the same input (fixed document times, fixed zip times).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from .loading.sheets import COLUMNS, REQUIRED, SHEET_NAME, column_letter, sheet_rows
from .resources import year_schema

WIDTHS = {"date": 12, "type": 16, "branch": 20, "group": 14, "topic": 48, "form": 12, "speaker": 10,
          "host": 10, "place": 20, "expected": 8, "present": 8, "duration": 10, "task": 12, "note": 24}
_FIXED = dt.datetime(2000, 1, 1)
"""The time written into the package: a workbook made twice from the same data is the same file."""
_ROWS = 2000
"""Rows that get the drop-down lists and date format in an empty workbook."""


def standard_types() -> list[str]:
    """The schema's activity types, in its order: one list for the editor, validate and the workbook."""
    return list(year_schema()["$defs"]["activity"]["properties"]["type"]["anyOf"][0]["enum"])


def workbook(data: dict[str, Any] | None = None) -> bytes:
    """The workbook's bytes; ``data`` (a data file's plain values) gives lists and rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    data = data or {}
    branches = [b for b in data.get("branches") or [] if isinstance(b, dict)]
    names = {b["id"]: b["name"] for b in branches if isinstance(b.get("id"), str) and isinstance(b.get("name"), str)}
    groups = sorted({g["name"] if isinstance(g, dict) else g for b in branches for g in b.get("groups") or []
                     if isinstance(g, (dict, str)) and (not isinstance(g, dict) or isinstance(g.get("name"), str))})
    types = standard_types() + [t for t in data.get("activity_types") or [] if isinstance(t, str)]
    year = data.get("year") if type(data.get("year")) is int else None

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    keys = list(COLUMNS)
    rows = list(sheet_rows([a for a in data.get("activities") or [] if isinstance(a, dict)], names))
    for row in rows:
        sheet.append(row)
    header = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE4EE")
    for index, key in enumerate(keys):
        letter = column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS[key]
        cell = sheet[f"{letter}1"]
        cell.font, cell.fill = header, fill
        cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "A2"
    last = max(len(rows), _ROWS)
    column = {key: column_letter(i) for i, key in enumerate(keys)}
    for row in sheet.iter_rows(min_row=2, max_row=len(rows), min_col=1, max_col=1):
        row[0].number_format = "yyyy-mm-dd"

    lists = book.create_sheet("选项")
    lists.sheet_state = "hidden"
    for col, (title, values) in enumerate((("类型", types), ("党支部", list(names.values())), ("党小组", groups)), 1):
        lists.cell(1, col, title)
        for i, value in enumerate(values, 2):
            lists.cell(i, col, value)

    def choose(key: str, list_col: str, count: int, what: str) -> None:
        if not count:
            return
        rule = DataValidation(type="list", formula1=f"=选项!${list_col}$2:${list_col}${count + 1}", allow_blank=True,
                              showErrorMessage=key == "type", errorTitle="不在列表中",
                              error=f"请从下拉列表中选择{what}。", promptTitle=COLUMNS[key][0],
                              prompt=f"从下拉列表中选择{what}。")
        rule.add(f"{column[key]}2:{column[key]}{last}")
        sheet.add_data_validation(rule)

    choose("type", "A", len(types), "活动类型（自定义类型须先写在数据文件的 activity_types 中）")
    choose("branch", "B", len(names), "党支部；党组织本级的活动留空")
    choose("group", "C", len(groups), "党小组")
    start, end = (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else (dt.date(2000, 1, 1), dt.date(2099, 12, 31))
    dates = DataValidation(type="date", operator="between", formula1=f"DATE({start.year},{start.month},{start.day})",
                           formula2=f"DATE({end.year},{end.month},{end.day})", showErrorMessage=True,
                           errorTitle="日期不对", error=f"请输入 {start} 至 {end} 之间的日期，如 {start.year}-04-17。",
                           promptTitle="日期", prompt="输入日期，如 2025-04-17。")
    dates.add(f"{column['date']}2:{column['date']}{last}")
    sheet.add_data_validation(dates)
    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", showErrorMessage=True,
                            errorTitle="须为整数", error="人数和分钟数请填整数。")
    for key in ("expected", "present", "duration"):
        counts.add(f"{column[key]}2:{column[key]}{last}")
    sheet.add_data_validation(counts)

    notes = book.create_sheet("说明")
    notes.append(["列", "必填", "也认这些列标题", "说明"])
    activity = year_schema()["$defs"]["activity"]["properties"]
    for key in keys:
        described = activity.get(key, {}).get("description", "")
        if key == "branch":
            described = "组织活动的党支部，写名称（如“内科第一党支部”）或数据文件中的代号；党组织本级的活动留空。"
        notes.append([COLUMNS[key][0], "是" if key in REQUIRED else "", "、".join(COLUMNS[key][1:]), described])
    notes.append([])
    for line in (
        "第一行是列标题，不要改动；列的先后可以调整，不用的列可以删除。",
        "每一行是一次会议或活动；不要合并单元格，不要用公式，日期请用日期格式。",
        "在数据文件中写 activities_from: 活动记录.xlsx（路径相对于数据文件），活动记录就从本表读取。",
        "写好后运行 dangjian-docs validate 数据文件.yaml，有问题的单元格会以“活动记录.xlsx!B7”的形式指出。",
    ):
        notes.append([line])
    for letter, width in zip("ABCD", (10, 6, 30, 80), strict=True):
        notes.column_dimensions[letter].width = width
    for cell in notes[1]:
        cell.font = header

    book.properties.creator = "dangjian-docs"
    book.properties.created = book.properties.modified = _FIXED
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_times(buffer.getvalue())


def _fixed_times(raw: bytes) -> bytes:
    """The same zip with every entry dated :data:`_FIXED` (openpyxl stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            content = source.read(info)
            if info.filename == "docProps/core.xml":  # openpyxl writes "modified" as now, whatever it is told
                content = _replace_modified(content)
            target.writestr(fixed, content)
    return out.getvalue()


def _replace_modified(content: bytes) -> bytes:
    import re

    stamp = _FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", content)
