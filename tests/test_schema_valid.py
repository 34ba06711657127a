"""Every template and every document built from the samples is a schema-valid package.

Word repairs or refuses what the ISO/IEC 29500 transitional schemas forbid (an element out of
order in w:sectPr, a required attribute missing), and an SDK-based checker rates such a file
"at risk". See tests/ooxml_schema.py for the two checks and where their rules come from.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree
from ooxml_schema import audit
from test_templates import sample_with_head_and_foot

import dangjian_docs
from dangjian_docs.api import render_region

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((REPO / "templates").glob("*.docx"))
SAMPLE = REPO / "samples" / "binjiang-2025.yaml"
REGION = REPO / "tests" / "data" / "region" / "region-2025.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@cache
def built_documents(folder: Path) -> list[Path]:
    """Every kind built from the sample, its report with 版头 and 版记, and the county roll-up."""
    out: list[Path] = []
    year = dangjian_docs.validate(SAMPLE).year
    for item in dangjian_docs.outputs(year):  # every kind, one a branch where a kind is written for each
        path = folder / f"{item.id.replace('/', '-')}.docx"
        path.write_bytes(dangjian_docs.render(year, item.kind.name, subject=item.subject))
        out.append(path)
    formal = dangjian_docs.validate(sample_with_head_and_foot(folder)).year
    path = folder / "report-head-foot.docx"
    path.write_bytes(dangjian_docs.render(formal, "report"))
    out.append(path)
    path = folder / "rollup.docx"
    path.write_bytes(render_region(REGION)[1])
    out.append(path)
    return out


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return built_documents(tmp_path_factory.mktemp("built"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_template_passes_the_sdk_schema_rules(template: Path) -> None:
    assert audit(template) == []


def test_built_documents_pass_the_sdk_schema_rules(documents: list[Path]) -> None:
    # plan, summary, report; four branches' plans and summaries; two groups' plans; the formal report; the roll-up
    assert len(documents) == 3 + 4 + 4 + 2 + 2
    problems = {path.name: audit(path) for path in documents}
    assert problems == {path.name: [] for path in documents}


@pytest.fixture(scope="module")
def example_repo_documents(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The documents of the example repo that `dangjian-docs init` writes, built as a user would."""
    repo = tmp_path_factory.mktemp("example") / "repo"
    for args in (["init", str(repo)], ["build", str(repo), "-j", "1"]):
        subprocess.run([sys.executable, "-m", "dangjian_docs", *args], check=True, capture_output=True)
    return sorted(repo.rglob("*.docx"))


def test_example_repo_documents_pass_the_sdk_schema_rules(example_repo_documents: list[Path]) -> None:
    assert len(example_repo_documents) == 10
    problems = {path.name: audit(path) for path in example_repo_documents}
    assert problems == {path.name: [] for path in example_repo_documents}


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_word_opens_the_template_in_its_own_mode_with_truthful_properties(template: Path) -> None:
    settings = _part(template, "word/settings.xml")
    modes = [s.get(f"{W}val") for s in settings.iter(f"{W}compatSetting") if s.get(f"{W}name") == "compatibilityMode"]
    assert modes == ["15"], "14 opens in 兼容模式 in Word 2013 and later"
    # the transitional schema requires w:percent; the SDK's rules (openxml-audit) do not, so it is checked here
    assert [z.get(f"{W}percent") for z in settings.iter(f"{W}zoom")] == ["100"]
    app = _part(template, "docProps/app.xml")
    fields = {etree.QName(e).localname: e.text for e in app}
    assert fields["Application"] == "dangjian-docs"
    assert not {"Template", "Pages", "Words", "Characters", "Lines", "Paragraphs", "AppVersion"} & set(fields)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_font_table_names_every_face_the_styles_use_with_hints(template: Path) -> None:
    styles = _part(template, "word/styles.xml")
    used = {f.get(f"{W}{slot}") for f in styles.iter(f"{W}rFonts") for slot in ("ascii", "eastAsia", "hAnsi")}
    used.discard(None)
    table = {f.get(f"{W}name"): f for f in _part(template, "word/fontTable.xml").iter(f"{W}font")}
    assert used <= set(table), f"not in fontTable.xml: {used - set(table)}"
    assert {"仿宋", "黑体", "楷体", "方正小标宋简体", "宋体", "Times New Roman"} <= set(table)
    assert table["仿宋"].find(f"{W}altName").get(f"{W}val") == "仿宋_GB2312"
    assert table["楷体"].find(f"{W}altName").get(f"{W}val") == "楷体_GB2312"
    for name in ("仿宋", "黑体", "楷体", "方正小标宋简体", "宋体"):
        assert table[name].find(f"{W}charset").get(f"{W}val") == "86", f"{name}: GB2312 character set"
    assert not {"Calibri", "Cambria", "ＭＳ 明朝"} & set(table)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_theme_fonts_are_chinese_official_faces_not_calibri(template: Path) -> None:
    theme = _part(template, "word/theme/theme1.xml")
    scheme = theme.find(f".//{A}fontScheme")
    for slot, east_asia in (("majorFont", "黑体"), ("minorFont", "仿宋")):
        fonts = scheme.find(f"{A}{slot}")
        assert fonts.find(f"{A}latin").get("typeface") == "Times New Roman"
        assert fonts.find(f"{A}ea").get("typeface") == east_asia
        hans = next(f for f in fonts.iterfind(f"{A}font") if f.get("script") == "Hans")
        assert hans.get("typeface") == east_asia


def test_built_documents_say_who_made_them_and_are_reproducible(documents: list[Path], tmp_path: Path) -> None:
    for path in documents:
        app = _part(path, "docProps/app.xml")
        assert {etree.QName(e).localname: e.text for e in app}["Application"] == "dangjian-docs"
    again = built_documents(tmp_path)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in documents]
