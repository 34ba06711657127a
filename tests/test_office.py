"""A real reader opens each sample document: LibreOffice converts it to PDF, as built.

The PDF's text lines are measured with ``pdftotext -bbox-layout`` (poppler-utils): 28 characters
a full line and 22 lines a page, as Word and WPS lay the .docx out. CI installs LibreOffice, a CJK
font and poppler-utils (tools/bootstrap.sh); without them these tests fail with the command to
run, rather than skip.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass

import pytest
from conftest import ROOT
from lxml import etree
from pypdf import PdfReader

import dangjian_docs
from dangjian_docs.pdf import soffice, to_pdf

pytestmark = pytest.mark.office
SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
A4_POINTS = (595.3, 841.9)
PAGES = {"plan": (3, 10), "summary": (3, 15), "report": (2, 8)}
"""The summary attaches the plan's 31 tasks as a table of its own: four pages more."""
MM = 72 / 25.4
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, (210 - 26) * MM, 37 * MM, (297 - 35) * MM
PITCH = 28.95  # pt, the grid's line
XHTML = "{http://www.w3.org/1999/xhtml}"
HANGING = "，。、；：？！”’）》"


@dataclass(frozen=True)
class Line:
    page: int
    left: float
    right: float
    top: float
    text: str


def _width(text: str) -> float:
    """Characters a line holds: a CJK character or full-width mark 1, a Latin letter or digit ½."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


def pdf_lines(pdf: bytes, tmp_path) -> list[Line]:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is not installed: run `bash tools/bootstrap.sh` first (poppler-utils)")
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(source), "-"], check=True, capture_output=True).stdout
    found = []
    for number, page in enumerate(etree.fromstring(xml).iter(f"{XHTML}page"), start=1):
        for line in page.iter(f"{XHTML}line"):
            text = "".join(word.text or "" for word in line.iter(f"{XHTML}word"))
            found.append(Line(number, float(line.get("xMin")), float(line.get("xMax")), float(line.get("yMin")), text))
    return found


@functools.cache
def built_pdf(kind: str) -> bytes:
    year = dangjian_docs.validate(dangjian_docs.load(SAMPLE)).year
    return to_pdf(dangjian_docs.render(year, kind), kind)


@pytest.fixture(scope="module")
def sample_year() -> dangjian_docs.YearData:
    if soffice() is None:
        pytest.fail("LibreOffice is not installed: run `bash tools/bootstrap.sh` first")
    result = dangjian_docs.validate(dangjian_docs.load(SAMPLE))
    assert result.year is not None
    return result.year


@pytest.mark.parametrize("kind", ["plan", "summary", "report"])
def test_sample_document_converts_to_a_sensible_pdf(sample_year, kind: str) -> None:
    reader = PdfReader(io.BytesIO(built_pdf(kind)))
    low, high = PAGES[kind]
    assert low <= len(reader.pages) <= high, f"{kind}: {len(reader.pages)} pages"
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - A4_POINTS[0]) < 1 and abs(float(box.height) - A4_POINTS[1]) < 1
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    title = dangjian_docs.api.document_title(sample_year, kind)
    assert title in text
    assert "中共滨江市第一人民医院委员会" in text
    assert "—1—" in text and "—2—" in text  # page numbers rendered from the PAGE field


@pytest.mark.parametrize("kind", ["plan", "summary", "report"])
def test_libreoffice_sets_28_characters_a_line_and_22_lines_a_page(sample_year, kind: str, tmp_path) -> None:
    """The .docx as built: every full body line of Chinese text holds 27-28 characters (LibreOffice
    breaks a little earlier than Word before a word it will not split), a page 22 grid lines."""
    lines = [line for line in pdf_lines(built_pdf(kind), tmp_path) if TOP - 2 <= line.top < BOTTOM]
    full = []
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        text = line.text[:-1] if line.text[-1:] in HANGING and line.right > RIGHT + 2 else line.text
        if line.right < RIGHT - 16 or re.search(r"[\x00-\x7f]", text):
            continue  # a paragraph's last line, or one whose breaks depend on a run of digits
        if following is not None and re.match(r"[0-9.]", following.text):
            continue  # a line broken before a number the next line carries whole (党费 / 37.68万元)
        indent = round((line.left - LEFT) / 16)
        full.append((indent + _width(text), line.text))
    assert len(full) >= 10, f"{kind}: only {len(full)} full lines of Chinese text"
    wrong = [(n, text) for n, text in full if not 27 <= n <= 28]
    assert not wrong, f"{kind}: lines not of 27-28 characters: {wrong[:5]}"
    assert sum(n == 28 for n, _ in full) > len(full) / 2, f"{kind}: most full lines should hold 28"
    per_page: dict[int, set[int]] = {}
    for line in lines:
        per_page.setdefault(line.page, set()).add(round((line.top - TOP) / PITCH))
    most = max(len(rows) for rows in per_page.values())
    assert most == 22, f"{kind}: at most {most} lines on a page, expected 22"
    assert all(max(rows) <= 21 for rows in per_page.values()), f"{kind}: a line below the 22nd"


@pytest.mark.parametrize("kind", ["plan", "summary", "report"])
def test_signature_never_wraps_and_page_number_sits_7mm_under_the_type_area(sample_year, kind, tmp_path) -> None:
    lines = pdf_lines(built_pdf(kind), tmp_path)
    signature = sample_year.signature.body
    assert any(line.text == signature for line in lines), f"{kind}: the signature is not on one line of its own"
    numbers = [line for line in lines if re.fullmatch(r"—\d+—", line.text)]
    assert numbers
    for line in numbers:
        gap = (line.top - BOTTOM) / MM
        assert 5.5 <= gap <= 7.5, f"{kind} page {line.page}: page number {gap:.1f} mm under the type area"


def test_missing_or_failing_libreoffice_is_a_clear_error(monkeypatch, tmp_path) -> None:
    from dangjian_docs import DangjianError, pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(DangjianError) as info:
        to_pdf(b"not used")
    assert info.value.diagnostics[0].code == "no-libreoffice"
    failing = tmp_path / "soffice"
    failing.write_text("#!/bin/sh\nexit 1\n")
    failing.chmod(0o755)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: str(failing))
    docx = dangjian_docs.render(dangjian_docs.validate(ROOT / "tests" / "data" / "small-year.yaml").year, "plan")
    with pytest.raises(DangjianError) as info:
        to_pdf(docx)
    assert info.value.diagnostics[0].code == "pdf-failed"


def test_head_and_foot_lay_out_as_gbt9704_asks(tmp_path) -> None:
    """版头: the mark on one line, 发文字号 and 签发人 on one line; 版记: alone at the foot of the last page."""
    from test_templates import sample_with_head_and_foot

    year = dangjian_docs.validate(sample_with_head_and_foot(tmp_path)).year
    lines = pdf_lines(to_pdf(dangjian_docs.render(year, "report"), "report"), tmp_path)
    first = [line for line in lines if line.page == 1]
    assert first[0].text == "中共滨江市第一人民医院委员会文件"
    assert abs((first[0].top - TOP) / MM - 35) <= 3, "the mark's top edge 35 mm under the type area's"
    number_line = sorted((line for line in first if abs(line.top - first[1].top) < 2), key=lambda line: line.left)
    assert "".join(line.text for line in number_line) == "滨一院党〔2025〕3号签发人：王建国"
    assert number_line[-1].right > RIGHT - 20, "签发人 at the right, one character in"
    last_page = max(line.page for line in lines)
    foot = [line for line in lines if line.page == last_page and not re.fullmatch(r"—\d+—", line.text)]
    assert foot[0].text.startswith("抄送：") and foot[-1].text.endswith("印发")
    assert 0 <= (BOTTOM - foot[-1].top) / MM <= 12, "the 版记's last line at the foot of the type area"
    (number,) = [line.text for line in lines if line.page == last_page and re.fullmatch(r"—\d+—", line.text)]
    assert int(number.strip("—")) % 2 == 0, f"the 版记 is on page {number}, not an even page"


@pytest.mark.parametrize("kind", ["plan", "summary", "report"])
def test_title_lines_are_the_ones_planned_not_libreoffice_wraps(sample_year, kind: str, tmp_path) -> None:
    """Where the title breaks is decided by us at word boundaries; a reader with other fonts
    (LibreOffice here, without Times New Roman) must not wrap a line again and leave a character
    alone on the next."""
    from dangjian_docs.documents import KINDS
    from dangjian_docs.documents.base import heading

    planned = heading(sample_year, KINDS[kind], "").title_lines
    first_page = [line.text for line in pdf_lines(built_pdf(kind), tmp_path) if line.page == 1]
    start = next(i for i, text in enumerate(first_page) if text == planned[0])
    assert tuple(first_page[start:start + len(planned)]) == planned
