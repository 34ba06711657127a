"""The “三会一课” ledger (台账): rows read back from the .docx equal the activity log, the overview
equals ``report compliance``, and LibreOffice sets a branch to a page with its headers repeated."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocumentObject
from docx.table import Table
from pypdf import PdfReader

import dangjian_docs
from dangjian_docs.compliance_report import as_json, compliance_report
from dangjian_docs.model import Activity, YearData
from dangjian_docs.pdf import soffice, to_pdf

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "binjiang-2025.yaml"
FOUR = ("支部党员大会", "支部委员会", "党小组会", "党课")  # 三会一课, as domain.md §2 names them
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A4_LANDSCAPE = (841.9, 595.3)


@pytest.fixture(scope="module")
def year() -> YearData:
    result = dangjian_docs.validate(SAMPLE)
    assert result.year is not None
    return result.year


@pytest.fixture(scope="module")
def built(year: YearData) -> DocumentObject:
    return docx.Document(io.BytesIO(dangjian_docs.render(year, "ledger")))


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def expected_rows(year: YearData, branch: str) -> list[list[str]]:
    """The branch's 三会一课 rows of the log, by date: what the ledger must print, counted here."""
    rows = sorted((a for a in year.activities if a.branch == branch and a.type in FOUR), key=lambda a: a.date)
    return [[str(i), f"{a.date.month}月{a.date.day}日", a.type, a.topic, a.speaker or a.host or "",
             f"{a.present}/{a.expected}" if a.present is not None and a.expected is not None else "",
             f"{a.duration}分钟" if a.duration else ""] for i, a in enumerate(rows, start=1)]


def test_the_sample_builds_a_ledger_titled_for_the_year(year: YearData) -> None:
    made = [m for m in dangjian_docs.outputs(year) if m.kind.name == "ledger"]
    assert [(m.id, m.title) for m in made] == [("ledger", "滨江市第一人民医院党委2025年“三会一课”台账")]


def test_each_branch_table_reads_back_as_the_logs_meetings_in_date_order(year: YearData,
                                                                         built: DocumentObject) -> None:
    _, *pages = built.tables
    captions = [p.text for p in built.paragraphs if p.style.name == "Register Page Caption"]
    assert captions == [f"{b.name}“三会一课”记录" for b in year.branches]
    assert len(pages) == len(year.branches) == 8
    for branch, table in zip(year.branches, pages, strict=True):
        header, *rows = texts(table)
        assert header == ["序号", "日期", "类型", "主题", "主讲人（主持人）", "实到/应到", "时长"]
        assert rows == expected_rows(year, branch.id), branch.name
    assert sum(len(t.rows) - 1 for t in pages) == sum(a.type in FOUR for a in year.activities) == 320


def test_every_table_repeats_its_header_row_on_each_page(built: DocumentObject) -> None:
    for table in built.tables:
        first, *rest = table._tbl.findall(f"{W}tr")
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        assert first.find(f"{W}trPr/{W}cantSplit") is not None
        assert not [r for r in rest if r.find(f"{W}trPr/{W}tblHeader") is not None]


def test_the_page_is_a4_landscape_with_the_fonts_of_gbt9704(built: DocumentObject) -> None:
    section = built.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert section._sectPr.find(f"{W}pgSz").get(f"{W}orient") == "landscape"
    fonts = {s.name: s.element.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")
             for s in built.styles if s.name in ("Normal", "Title", "Table Heading", "Register Caption")}
    assert fonts == {"Normal": "仿宋", "Title": "方正小标宋简体", "Table Heading": "黑体", "Register Caption": "黑体"}


def test_the_overview_has_the_figures_of_report_compliance(year: YearData, built: DocumentObject) -> None:
    header, *rows = texts(built.tables[0])
    assert header == ["党支部", *FOUR, "是否达到规定"]
    report = as_json(compliance_report(year))["tallies"]
    for branch, row in zip(year.branches, rows, strict=True):
        assert row[0] == branch.name
        for activity, cell in zip(FOUR, row[1:5], strict=True):
            found = [t for t in report if t["branch"] == branch.id and t["activity"] == activity]
            if not found:
                assert cell == "—", (branch.name, activity)
                continue
            short = "" if all(t["compliant"] for t in found) else "▲"
            assert cell == f"{sum(t['held'] for t in found)}/{sum(t['required'] for t in found)}{short}"
    by_name = {row[0]: row for row in rows}
    # counted by hand from the sample: 内科第一 5 general meetings (4 quarters), 3 groups × 12 months
    assert by_name["内科第一党支部"] == ["内科第一党支部", "5/4", "12/12", "36/36", "3/1", "达到"]
    # 药学部 has neither a committee nor Party groups: not asked for their meetings
    assert by_name["药学部党支部"] == ["药学部党支部", "5/4", "—", "—", "2/1", "达到"]


def without(year: YearData, branch: str, activity: str, months: tuple[int, ...]) -> YearData:
    kept = tuple(a for a in year.activities
                 if not (a.branch == branch and a.type == activity and a.date.month in months))
    return dataclasses.replace(year, activities=kept)


def test_a_missing_committee_meeting_is_marked_with_branch_rule_and_months(year: YearData) -> None:
    short = without(year, "waike", "支部委员会", (3, 5))
    built = docx.Document(io.BytesIO(dangjian_docs.render(short, "ledger")))
    row = next(r for r in texts(built.tables[0]) if r[0] == "外科党支部")
    assert row == ["外科党支部", "5/4", "10/12▲", "36/36", "2/1", "未达到"]
    notes = [p.text for p in built.paragraphs if p.style.name == "Register Note"]
    assert "外科党支部支部委员会：3月、5月少于每月1次。" in notes
    assert texts(built.tables[3])[1:] == expected_rows(short, "waike")


def test_a_branch_with_no_row_gets_its_page_saying_so(year: YearData) -> None:
    quiet = dataclasses.replace(year, activities=tuple(a for a in year.activities if a.branch != "yaoxue"))
    built = docx.Document(io.BytesIO(dangjian_docs.render(quiet, "ledger")))
    body = [p.text for p in built.paragraphs]
    at = body.index("药学部党支部“三会一课”记录")
    assert body[at + 1] == "活动记录中没有本支部本年度的“三会一课”记录。"
    assert len(built.tables) == 1 + 7
    row = next(r for r in texts(built.tables[0]) if r[0] == "药学部党支部")
    assert row == ["药学部党支部", "—", "—", "—", "—", "未评价"]


def test_a_year_without_an_activity_log_makes_no_ledger(year: YearData) -> None:
    bare = dataclasses.replace(year, activities=())
    assert "ledger" not in [m.kind.name for m in dangjian_docs.outputs(bare)]
    with pytest.raises(dangjian_docs.DangjianError) as refused:
        dangjian_docs.render(bare, "ledger")
    [problem] = refused.value.diagnostics
    assert problem.code == "missing-section" and "“三会一课”" in problem.message


# -- LibreOffice ---------------------------------------------------------------------------------

def _pages(pdf: bytes, tmp_path: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is not installed: run `bash tools/bootstrap.sh` first (poppler-utils)")
    source = tmp_path / "ledger.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f")[:len(PdfReader(io.BytesIO(pdf)).pages)]]


def _pdf(year: YearData) -> bytes:
    if soffice() is None:
        pytest.fail("LibreOffice is not installed: run `bash tools/bootstrap.sh` first")
    return to_pdf(dangjian_docs.render(year, "ledger"), "ledger")


@pytest.mark.office
def test_libreoffice_sets_the_overview_then_one_page_a_branch(year: YearData, tmp_path: Path) -> None:
    """Four meetings a branch fit a page: the PDF is the overview and one page for each branch."""
    firsts: dict[str | None, list[Activity]] = {}
    for activity in sorted((a for a in year.activities if a.type in FOUR), key=lambda a: a.date):
        firsts.setdefault(activity.branch, [])
        if len(firsts[activity.branch]) < 4:
            firsts[activity.branch].append(activity)
    small = dataclasses.replace(year, activities=tuple(a for rows in firsts.values() for a in rows))
    pdf = _pdf(small)
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == A4_LANDSCAPE
    pages = _pages(pdf, tmp_path)
    assert pages[0].startswith("滨江市第一人民医院党委2025年“三会一课”台账2025年各党支部“三会一课”开展情况总览")
    # four meetings a year fall short of most rules: the overview's notes (a paragraph a branch)
    # name each shortfall and take a page or two more; then each branch has a page of its own
    overview = len(pages) - len(year.branches)
    assert 1 <= overview <= 3
    assert "药学部党支部支部党员大会：第三季度、第四季度少于每季度1次。" in "".join(pages[:overview])
    for branch, page in zip(year.branches, pages[overview:], strict=True):
        assert page.startswith(f"{branch.name}“三会一课”记录") and "序号日期类型主题" in page, page[:40]
        assert page.count("月") >= 4


@pytest.mark.office
def test_libreoffice_repeats_the_header_on_every_page_of_a_long_branch(year: YearData, tmp_path: Path) -> None:
    pages = _pages(_pdf(year), tmp_path)
    names = [b.name for b in year.branches]
    starts = [i for i, page in enumerate(pages) if page.split("“三会一课”记录")[0] in names]
    assert [pages[i].split("“三会一课”记录")[0] for i in starts] == names, "a branch starts a page, in order"
    assert starts[0] == 1, "with every rule met, the overview keeps to its one page"
    assert len(pages) > 1 + len(year.branches), "the sample's branches hold more than a page of meetings each"
    # the header row on every page of a branch's table, the first and those that continue it
    assert all("序号日期类型主题" in page for page in pages[1:])
    assert "—1—" in pages[0] and f"—{len(pages)}—" in pages[-1]

