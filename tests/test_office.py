"""A real reader opens each sample document: LibreOffice converts it to PDF.

CI installs LibreOffice and a CJK font (tools/bootstrap.sh); without them these tests fail
with the command to run, rather than skip.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import ROOT
from pypdf import PdfReader

import dangjian_docs
from dangjian_docs.pdf import libreoffice_copy, soffice, to_pdf

pytestmark = pytest.mark.office
SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
A4_POINTS = (595.3, 841.9)
PAGES = {"plan": (3, 10), "summary": (3, 10), "report": (2, 8)}


@pytest.fixture(scope="module")
def sample_year() -> dangjian_docs.YearData:
    if soffice() is None:
        pytest.fail("LibreOffice is not installed: run `bash tools/bootstrap.sh` first")
    result = dangjian_docs.validate(dangjian_docs.load(SAMPLE))
    assert result.year is not None
    return result.year


@pytest.mark.parametrize("kind", ["plan", "summary", "report"])
def test_sample_document_converts_to_a_sensible_pdf(sample_year, kind: str) -> None:
    docx = dangjian_docs.render(sample_year, kind)
    reader = PdfReader(io.BytesIO(to_pdf(docx, kind)))
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


def test_libreoffice_copy_only_relaxes_the_character_grid(sample_year) -> None:
    docx = dangjian_docs.render(sample_year, "plan")
    copy = libreoffice_copy(docx)
    original = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")
    relaxed = zipfile.ZipFile(io.BytesIO(copy)).read("word/document.xml")
    assert b'w:type="linesAndChars"' in original and b'w:charSpace="-849"' in original
    assert b'<w:docGrid w:type="lines" w:linePitch="579"/>' in relaxed
    expected = original.replace(b'w:type="linesAndChars"', b'w:type="lines"').replace(b' w:charSpace="-849"', b"")
    assert expected == relaxed


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
