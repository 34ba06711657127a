"""The activity log kept in a spreadsheet: read back exactly, every bad cell named.

The sample's 520 activities are written to a workbook (and to a GB18030 CSV, as Excel on a
Chinese Windows saves one) by ``template-sheet --from``; a data file that names the sheet
instead of listing the activities must build the very same documents. Each defect a clerk can
make in a spreadsheet is planted in a copy and must be reported at its cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from conftest import cli_output as run

from dangjian_docs.api import check_file
from dangjian_docs.loading import load, sheets
from dangjian_docs.sheet_template import workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"



def without_activities(text: str, sheet: str) -> str:
    """The sample with its ``activities:`` block replaced by ``activities_from: sheet``."""
    start = text.index("\nactivities:\n")
    end = start + 1 + re.search(r"\n(?=[a-z_]+:)", text[start + 1:]).start()  # type: ignore[union-attr]
    return text[:start] + f"\nactivities_from: {sheet}\n" + text[end + 1:]


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("book")
    run("template-sheet", folder / "活动记录.xlsx", "--from", SAMPLE)
    return folder / "活动记录.xlsx"


def data_beside(folder: Path, sheet: str) -> Path:
    data = folder / "滨江.yaml"
    data.write_text(without_activities(SAMPLE.read_text("utf-8"), sheet), "utf-8")
    return data


def built(data: Path, out: Path) -> dict[str, bytes]:
    run("build", data, "-o", out)
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.docx"))}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return built(SAMPLE, tmp_path_factory.mktemp("yaml"))


def test_the_workbook_reads_back_as_the_yaml_log(sample_book: Path, tmp_path: Path) -> None:
    shutil.copy(sample_book, tmp_path / "活动记录.xlsx")
    source = load(data_beside(tmp_path, "活动记录.xlsx"))
    assert source.data["activities"] == load(SAMPLE).data["activities"]
    assert len(source.data["activities"]) == 520
    assert source.warnings == []


def test_a_workbook_builds_byte_identical_documents(sample_book: Path, tmp_path: Path,
                                                   reference: dict[str, bytes]) -> None:
    shutil.copy(sample_book, tmp_path / "活动记录.xlsx")
    assert built(data_beside(tmp_path, "活动记录.xlsx"), tmp_path / "out") == reference


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_a_csv_from_excel_builds_byte_identical_documents(sample_book: Path, tmp_path: Path, encoding: str,
                                                          reference: dict[str, bytes]) -> None:
    book = openpyxl.load_workbook(sample_book)
    text = io.StringIO()
    writer = csv.writer(text)
    for row in book["活动记录"].iter_rows(values_only=True):
        writer.writerow(["" if v is None else v.date().isoformat() if isinstance(v, dt.datetime) else v
                         for v in row])
    (tmp_path / "活动记录.csv").write_bytes(text.getvalue().encode(encoding))
    assert built(data_beside(tmp_path, "活动记录.csv"), tmp_path / "out") == reference


def test_the_workbook_is_reproducible_and_has_its_lists(tmp_path: Path) -> None:
    run("template-sheet", tmp_path / "a.xlsx", "--from", SAMPLE)
    run("template-sheet", tmp_path / "b.xlsx", "--from", SAMPLE)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = book["活动记录"]
    assert [c.value for c in sheet[1]][:5] == ["日期", "类型", "党支部", "党小组", "主题"]
    rules = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert rules["B2"].type == "list" and rules["C2"].type == "list" and rules["A2"].type == "date"
    assert rules["A2"].formula2 == "DATE(2025,12,31)"
    options = [c.value for c in book["选项"]["B"]][1:]
    assert "内科第一党支部" in options and book["选项"].sheet_state == "hidden"
    assert "activities_from" in " ".join(str(c.value) for row in book["说明"].iter_rows() for c in row)


def test_an_empty_workbook_reads_as_an_empty_log(tmp_path: Path) -> None:
    (tmp_path / "活动记录.xlsx").write_bytes(workbook())
    source = load(data_beside(tmp_path, "活动记录.xlsx"))
    assert source.data["activities"] == []


# -- twelve planted defects, each at its cell --------------------------------------------------

Plant = Callable[[openpyxl.worksheet.worksheet.Worksheet], None]


def _set(cell: str, value: object) -> Plant:
    def plant(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
        sheet[cell] = value
    return plant


def _merge(cells: str) -> Plant:
    return lambda sheet: sheet.merge_cells(cells)


def _hide(row: int) -> Plant:
    def plant(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
        sheet.row_dimensions[row].hidden = True
    return plant


def _over_attendance(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    sheet["K8"] = sheet["J8"].value + 5


def _date_as_text(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    sheet["A14"] = sheet["A14"].value.date().isoformat()


def _number_as_text(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    sheet["J13"] = str(sheet["J13"].value)


DEFECTS: dict[str, tuple[Plant, str, str]] = {
    # name: (plant, the cell named, what the message says)
    "wrong date": (_set("A5", "2025-02-30"), "A5", "2月没有30日"),
    "unknown type": (_set("B6", "支部大会议"), "B6", "支部大会议"),
    "unknown branch": (_set("C7", "不存在的党支部"), "C7", "不存在的党支部"),
    "present over expected": (_over_attendance, "K8", "实到"),
    "empty required cell": (_set("E9", None), "E9", "“主题”不能为空"),
    "merged cells": (_merge("A10:A11"), "A10", "A10:A11 是合并单元格"),
    "formula": (_set("N12", "=1+1"), "N12", "公式"),
    "number stored as text": (_number_as_text, "J13", "存成了文字"),
    "date stored as text": (_date_as_text, "A14", "存成了文字"),
    "extra unknown column": (_set("O1", "签到表"), "O1", "不认识的列标题“签到表”"),
    "duplicate header": (_set("O1", "主题"), "O1", "与 E 列重复"),
    "hidden row": (_hide(15), "A15", "隐藏行"),
}


@pytest.mark.parametrize("name", list(DEFECTS))
def test_each_planted_defect_is_named_at_its_cell(sample_book: Path, tmp_path: Path, name: str) -> None:
    plant, cell, words = DEFECTS[name]
    book = openpyxl.load_workbook(sample_book)
    plant(book["活动记录"])
    book.save(tmp_path / "活动记录.xlsx")
    result = check_file(data_beside(tmp_path, "活动记录.xlsx"))
    at = [d for d in result.diagnostics + result.notes if (d.file or "").endswith(f"活动记录.xlsx!{cell}")]
    assert at, [f"{d.file}: {d.message}" for d in result.diagnostics]
    assert any(words in d.message for d in at), [d.message for d in at]
    assert all(d.line is None for d in at)  # a cell, not a line of the YAML


def test_the_command_line_names_the_cell(sample_book: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(sample_book)
    book["活动记录"]["A5"] = "2025-02-30"
    book.save(tmp_path / "活动记录.xlsx")
    output = run("validate", data_beside(tmp_path, "活动记录.xlsx"), code=1)
    assert "活动记录.xlsx!A5: 错误: “2025-02-30”不是有效的日期（2月没有30日）。" in output


def test_both_activities_and_a_sheet_is_an_error(tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text(SAMPLE.read_text("utf-8") + "\nactivities_from: 活动记录.xlsx\n", "utf-8")
    output = run("validate", data, code=1)
    assert "activities 与 activities_from 只能写一个" in output


def test_a_missing_or_broken_sheet_is_one_clear_error(tmp_path: Path) -> None:
    data = data_beside(tmp_path, "活动记录.xlsx")
    assert "文件不存在" in run("validate", data, code=1)
    (tmp_path / "活动记录.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    assert "表格文件无法打开" in run("validate", data, code=1)


def test_a_repo_rebuilds_when_only_the_sheet_changes_and_refuses_one_outside(sample_book: Path,
                                                                             tmp_path: Path) -> None:
    repo = tmp_path / "county"
    run("init", repo)
    folder = repo / "数据/2025"
    shutil.copy(sample_book, folder / "活动记录.xlsx")
    data_beside(folder, "活动记录.xlsx")
    assert "生成 13 份" in run("build", repo, "-j", 1)
    assert "生成 0 份" in run("build", repo, "-j", 1)
    book = openpyxl.load_workbook(folder / "活动记录.xlsx")
    book["活动记录"]["E2"] = "改过的主题"
    book.save(folder / "活动记录.xlsx")
    output = run("build", repo, "-j", 1)  # that data file checked again, its three documents made again
    assert "校验数据：1 项" in output and "生成文稿：3 项" in output
    (folder / "活动记录.xlsx").rename(tmp_path / "外面的.xlsx")
    (folder / "活动记录.xlsx").symlink_to(tmp_path / "外面的.xlsx")
    assert "仓库" in run("build", repo, "-j", 1, code=1)


def write_ods(path: Path, rows: list[list[object]]) -> None:
    """A minimal OpenDocument spreadsheet, as LibreOffice Calc or WPS save one: typed cells."""
    from xml.sax.saxutils import escape

    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, dt.datetime):
            day = value.date().isoformat()
            return (f'<table:table-cell office:value-type="date" office:date-value="{day}">'
                    f"<text:p>{day}</text:p></table:table-cell>")
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="活动记录">{body}'
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)


def test_an_ods_workbook_reads_the_same(sample_book: Path, tmp_path: Path) -> None:
    rows = [list(r) for r in openpyxl.load_workbook(sample_book)["活动记录"].iter_rows(values_only=True)]
    write_ods(tmp_path / "活动记录.ods", rows)
    source = load(data_beside(tmp_path, "活动记录.ods"))
    assert source.data["activities"] == load(SAMPLE).data["activities"]


def test_the_sheet_columns_are_the_schema_fields() -> None:
    from dangjian_docs.resources import year_schema

    fields = set(year_schema()["$defs"]["activity"]["properties"])
    assert set(sheets.COLUMNS) == fields
    assert zipfile.is_zipfile(io.BytesIO(workbook()))
