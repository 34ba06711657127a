"""The committed Word templates: GB/T 9704 layout, the Jinja contract, docxtpl rendering.

The templates are Word files first: a designer fixes one in Word, WPS or LibreOffice and commits
it. These tests check properties any edited template must keep (tests/layout.py, and
check-template's own checks in tests/test_check_template.py), never byte equality with
tools/make_templates.py, which made them once and stays as the record of how.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
from docxtpl import DocxTemplate
from layout import check_gbt9704_layout, w
from lxml import etree

from dangjian_docs.documents import ALL_KIND_NAMES
from dangjian_docs.documents import KINDS as SPECS
from dangjian_docs.documents import REGION_KINDS as REGION_SPECS

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "templates"
SCRIPT = REPO / "tools" / "make_templates.py"
KINDS = ALL_KIND_NAMES
WITH_TABLE = tuple(k for k, spec in [*SPECS.items(), *REGION_SPECS.items()] if "table" in spec.shapes)
REGISTERS = tuple(k for k, spec in SPECS.items() if spec.register)
"""Kinds that are registers of tables (the ledger): a title and tables, none of a 公文's other parts."""
DOCUMENTS = tuple(k for k in KINDS if k not in REGISTERS)
"""Official documents: title, recipient, body sections, signature and date, optional 版头 and 版记."""
GONGWEN = tuple(k for k, spec in [*SPECS.items(), *REGION_SPECS.items()]
                if k in DOCUMENTS and "article" not in spec.shapes)
"""Kinds laid out as a 公文 (recipient, signature, date, 版头 and 版记); the article is tested in test_article.py."""
LANDSCAPE = frozenset(k for k, spec in SPECS.items() if spec.landscape)
TABLE_FIELDS = {
    "plan": ("row.month", "row.content", "row.department", "row.due"),
    "summary": ("row.name", "row.members", "row.meetings", "row.theme_days", "row.attendance"),
    "rollup": ("row.name", "row.type", "row.staff", "row.members", "row.change", "row.setup", "row.developed"),
    "branch-plan": ("row.month", "row.content", "row.department", "row.due"),
}


def template(kind: str) -> Path:
    return TEMPLATES / f"{kind}.docx"


def document_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml"))


def all_text(path: Path) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(w("t"))) for p in document_xml(path).iter(w("p")))


@pytest.mark.parametrize("kind", KINDS)
def test_template_follows_gbt9704_layout(kind: str) -> None:
    check_gbt9704_layout(template(kind), landscape=kind in LANDSCAPE)


@pytest.mark.parametrize("kind", sorted(LANDSCAPE))
def test_a_landscape_kind_is_held_to_the_turned_page_not_to_any_page(kind: str) -> None:
    """The turned A4 of GB/T 9704's 横排表格: 297 × 210 mm, orient="landscape", the portrait margins
    turned with the page (订口 28 mm on top); a portrait page fails the check, and the other way round."""
    section = docx.Document(str(template(kind))).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert [round(m.mm) for m in (section.top_margin, section.right_margin, section.bottom_margin,
                                  section.left_margin)] == [28, 37, 26, 35]
    with pytest.raises(AssertionError) as portrait:
        check_gbt9704_layout(template(kind))
    assert "expected A4 portrait 210 × 297 mm" in str(portrait.value)
    assert "orientation is landscape, expected portrait" in str(portrait.value)
    with pytest.raises(AssertionError) as turned:
        check_gbt9704_layout(template(DOCUMENTS[0]), landscape=True)
    assert "expected A4 landscape 297 × 210 mm" in str(turned.value)
    assert "top margin is 37.0 mm, expected 28 ± 1 mm" in str(turned.value)


@pytest.mark.parametrize("kind", KINDS)
def test_template_grid_is_22_lines_with_no_character_grid(kind: str) -> None:
    """A line grid every reader honours; 28 characters a line come from Normal's condensed spacing."""
    grid = document_xml(template(kind)).find(f"{w('body')}/{w('sectPr')}/{w('docGrid')}")
    assert dict(grid.attrib) == {w("type"): "lines", w("linePitch"): "579"}
    with zipfile.ZipFile(template(kind)) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    normal = next(s for s in styles.iter(w("style")) if s.get(w("styleId")) == "Normal")
    assert normal.find(f"{w('rPr')}/{w('spacing')}").get(w("val")) == "-5"


@pytest.mark.parametrize("kind", GONGWEN)
def test_template_text_holds_the_jinja_contract(kind: str) -> None:
    text = all_text(template(kind))
    wanted = ["doc.title_lines", "doc.recipient", "doc.opening", "sections", "s4.paragraphs", "doc.signature",
              "doc.date", "doc.closing", "doc.head.mark", "doc.head.number", "doc.head.signer", "doc.foot.copy_to",
              "doc.foot.printer", "doc.foot.printed", "doc.foot.padding"]
    if kind in WITH_TABLE:
        wanted += ["table.rows", "table.title", "table.total", "附件：", *TABLE_FIELDS[kind]]
    missing = [name for name in wanted if name not in text]
    assert not missing, f"{kind}.docx lacks {missing}"
    if kind not in WITH_TABLE:
        assert "table" not in text, "report.docx has no table"


@pytest.mark.parametrize("kind", KINDS)
def test_each_jinja_tag_sits_in_one_run_and_block_tags_stand_alone(kind: str) -> None:
    root = document_xml(template(kind))
    for run_text in (t.text or "" for t in root.iter(w("t"))):
        for opening, closing in (("{{", "}}"), ("{%", "%}")):
            assert run_text.count(opening) == run_text.count(closing), f"tag split across runs: {run_text!r}"
    for paragraph in root.iter(w("p")):
        text = "".join(t.text or "" for t in paragraph.iter(w("t")))
        if "{%p" in text:
            assert re.fullmatch(r"\{%p [^%]*%\}", text), f"{{%p}} tag shares its paragraph: {text!r}"
    for row in root.iter(w("tr")):
        text = "".join(t.text or "" for t in row.iter(w("t")))
        if "{%tr" in text:
            assert re.fullmatch(r"\{%tr [^%]*%\}", text), f"{{%tr}} tag shares its row: {text!r}"


def _section(number: str, title: str, children: list[SimpleNamespace] | None = None) -> SimpleNamespace:
    return SimpleNamespace(number=number, title=title, paragraphs=[f"{title}的正文。"], children=children or [])


def _row(month: str, name: str) -> SimpleNamespace:
    return SimpleNamespace(
        month=month,
        content=f"{month}工作",
        department="党委办公室",
        due=f"{month}31日",
        name=name,
        members="32",
        meetings="52/52",
        theme_days="12/12",
        attendance="95.2%",
    )


FAKE_CONTEXT = {
    "doc": SimpleNamespace(
        title="某医院党委2025年党建工作计划",
        title_lines=("某医院党委2025年党建工作计划",),
        recipient="各党支部",
        opening=["开篇段落。"],
        closing="",
        signature="中共某医院委员会",
        date="2025年12月20日",
        head=None,
        foot=None,
    ),
    "sections": [
        _section("一、", "指导思想", [_section("（一）", "政治建设", [_section("1.", "理论学习")])]),
        _section("二、", "总体目标"),
    ],
    "table": SimpleNamespace(title="工作安排表", rows=[_row("1月", "内科党支部"), _row("2月", "外科党支部")],
                             total=None),
}


def _render(kind: str, tmp_path: Path, context: dict) -> Path:
    out = tmp_path / f"{kind}.docx"
    rendered = DocxTemplate(str(template(kind)))
    rendered.render(context, autoescape=True)
    rendered.save(str(out))
    return out


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of the body's paragraphs outside tables, with a line break as "/"."""
    built = docx.Document(str(path))
    names = {s.style_id: s.name for s in built.styles}
    out = []
    for p in document_xml(path).find(w("body")).iterchildren(w("p")):
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        text = "".join("/" if e.tag == w("br") else "\t" if e.tag == w("tab") else e.text or ""
                       for e in p.iter(w("t"), w("br"), w("tab")) if e.getparent().tag == w("r"))
        out.append((names.get(style.get(w("val"))) if style is not None else "Normal", text))
    while out and out[-1] == ("Table End", ""):  # the 1 pt paragraph Word needs after a closing table
        out.pop()
    return out


def _context(**doc: object) -> dict:
    context = dict(FAKE_CONTEXT)
    context["doc"] = SimpleNamespace(**{**vars(FAKE_CONTEXT["doc"]), **doc})
    return context


HEAD = SimpleNamespace(mark="中共某医院委员会文件", number="某院党〔2025〕3号", signer="", compact=False)
FOOT = SimpleNamespace(copy_to="市卫生健康委党委，市委组织部", printer="中共某医院委员会办公室",
                       printed="2025年12月22日", padding=("",) * 18)


@pytest.mark.parametrize("kind", GONGWEN)
def test_title_lines_are_set_with_line_breaks_in_one_title_paragraph(kind: str, tmp_path: Path) -> None:
    out = _render(kind, tmp_path, _context(title_lines=("滨江市第一人民医院党委", "关于2025年党建工作情况的报告"),
                                           closing="特此报告。"))
    paragraphs = _paragraphs(out)
    assert paragraphs[0] == ("Title", "滨江市第一人民医院党委/关于2025年党建工作情况的报告")
    body = [text for style, text in paragraphs if text and style in ("Body Text", "Signature")]
    assert body[body.index("中共某医院委员会") - 1] == "特此报告。", "特此报告。 closes the body, before the signature"


@pytest.mark.parametrize("kind", GONGWEN)
def test_without_head_or_foot_nothing_of_them_is_printed(kind: str, tmp_path: Path) -> None:
    out = _render(kind, tmp_path, FAKE_CONTEXT)
    styles = {style for style, _ in _paragraphs(out)}
    assert not styles & {"Issuer", "Issuer Compact", "Document Number", "Document Number Upward", "Copy To",
                         "Imprint", "Imprint Alone", "Foot Spacer"}
    sections = document_xml(out).findall(f".//{w('sectPr')}")
    assert len(sections) == 1, "one section: no 版记 page"
    # a document's only section that started on an even page would be numbered from 2 in LibreOffice
    assert sections[0].find(w("type")).get(w("val")) == "continuous"


@pytest.mark.parametrize("kind", GONGWEN)
def test_head_of_a_downward_document_and_foot_with_copies(kind: str, tmp_path: Path) -> None:
    out = _render(kind, tmp_path, _context(head=HEAD, foot=FOOT))
    paragraphs = _paragraphs(out)
    assert paragraphs[:3] == [("Issuer", "中共某医院委员会文件"), ("Document Number", "某院党〔2025〕3号"),
                              ("Title", "某医院党委2025年党建工作计划")]
    assert paragraphs[-2:] == [("Copy To", "抄送：市卫生健康委党委，市委组织部。"),
                                 ("Imprint", "中共某医院委员会办公室\t2025年12月22日印发")]
    assert [s for s, _ in paragraphs].count("Body Text") >= 18, "padding lines push the 版记 to the page foot"
    body = document_xml(out).find(w("body"))
    sections = body.findall(f".//{w('pPr')}/{w('sectPr')}")
    starts = [s.find(w("type")).get(w("val")) if s.find(w("type")) is not None else "nextPage" for s in sections]
    assert starts == ["nextPage", "evenPage"], "the 版记 is a section of its own that starts on an even page"
    assert body.find(f"{w('sectPr')}/{w('type')}").get(w("val")) == "continuous"
    check_gbt9704_layout(out)


@pytest.mark.parametrize("kind", GONGWEN)
def test_head_of_an_upward_document_and_foot_without_copies(kind: str, tmp_path: Path) -> None:
    head = SimpleNamespace(mark="中共滨江市第一人民医院委员会关于某事项的文件", number="滨一院党〔2025〕3号",
                           signer="王建国", compact=True)
    foot = SimpleNamespace(copy_to="", printer="中共某医院委员会办公室", printed="2025年12月22日", padding=())
    paragraphs = _paragraphs(_render(kind, tmp_path, _context(head=head, foot=foot)))
    assert paragraphs[:2] == [("Issuer Compact", head.mark),
                              ("Document Number Upward", "滨一院党〔2025〕3号\t签发人：王建国")]
    assert paragraphs[-1] == ("Imprint Alone", "中共某医院委员会办公室\t2025年12月22日印发")
    assert "Copy To" not in {s for s, _ in paragraphs}


@pytest.mark.parametrize("kind", WITH_TABLE)
def test_table_total_row_only_when_given_and_no_blank_line_after_the_table(kind: str, tmp_path: Path) -> None:
    total = SimpleNamespace(**{**vars(_row("合计", "合计")), "month": "合计", "name": "合计"})
    table = SimpleNamespace(**{**vars(FAKE_CONTEXT["table"]), "total": total})
    with_total = _render(kind, tmp_path, {**FAKE_CONTEXT, "table": table})
    (built,) = docx.Document(str(with_total)).tables
    assert len(built.rows) == 4 and built.rows[-1].cells[0].text == "合计"
    without = _render(kind, tmp_path, FAKE_CONTEXT)
    (built,) = docx.Document(str(without)).tables
    assert len(built.rows) == 3 and "合计" not in built.rows[-1].cells[0].text
    root = document_xml(without)
    following = root.find(f".//{w('tbl')}").getnext()
    style = following.find(f"{w('pPr')}/{w('pStyle')}").get(w("val"))
    assert style == "TableEnd" and following.getnext().tag == w("sectPr"), "only Word's closing paragraph"
    with zipfile.ZipFile(without) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    end = next(s for s in styles.iter(w("style")) if s.get(w("styleId")) == "TableEnd")
    spacing = end.find(f"{w('pPr')}/{w('spacing')}")
    assert spacing.get(w("lineRule")) == "exact" and int(spacing.get(w("line"))) <= 20, "1 pt: adds no line"


def test_attachment_title_sits_on_line_3_of_its_page() -> None:
    """附件 on line 1, one blank grid line, the title on line 3 (GB/T 9704 8)."""
    with zipfile.ZipFile(template("plan")) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    by_id = {s.get(w("styleId")): s for s in styles.iter(w("style"))}
    label = by_id["AttachmentLabel"].find(f"{w('pPr')}/{w('spacing')}")
    title = by_id["Title"].find(f"{w('pPr')}/{w('spacing')}")
    assert by_id["AttachmentLabel"].find(f"{w('pPr')}/{w('pageBreakBefore')}") is not None
    assert (label.get(w("line")), label.get(w("after")), title.get(w("before"))) == ("579", "579", "0")


@pytest.mark.parametrize("kind", GONGWEN)
def test_template_renders_with_docxtpl(kind: str, tmp_path: Path) -> None:
    out = tmp_path / f"{kind}.docx"
    rendered = DocxTemplate(str(template(kind)))
    rendered.render(FAKE_CONTEXT, autoescape=True)
    rendered.save(str(out))

    text = all_text(out)
    assert "{{" not in text and "{%" not in text
    for expected in (
        "某医院党委2025年党建工作计划",
        "各党支部：",
        "一、指导思想",
        "（一）政治建设",
        "1.理论学习",
        "理论学习的正文。",
        "二、总体目标",
        "中共某医院委员会",
        "2025年12月20日",
    ):
        assert expected in text
    built = docx.Document(str(out))
    styles = [(p.style.name, p.text) for p in built.paragraphs if p.text]
    assert [s for s, _ in styles[:3]] == ["Title", "Recipient", "Body Text"]
    assert "Table End" not in {s for s, _ in styles}
    if kind in WITH_TABLE:
        # GB/T 9704: 附件说明 under the body, signature and date, then the attachment on a new page
        assert styles[-5:] == [("Attachment Note", "附件：工作安排表"), ("Signature", "中共某医院委员会"),
                               ("Date", "2025年12月20日"), ("Attachment Label", "附件"), ("Title", "工作安排表")]
        (table,) = built.tables
        assert len(table.rows) == 3, "header row + two data rows"
    else:
        assert not built.tables
    check_gbt9704_layout(out)


REGISTER_FIELDS = {
    "ledger": ("doc.title_lines", "overview.title", "overview.rows", "overview.notes", "pages", "page.heading",
               "page.rows", "page.note", *(f"overview.headers.{f}" for f in ("name", "general_meeting", "committee",
                                                                          "group_meeting", "lecture", "result")),
               *(f"row.{f}" for f in ("name", "general_meeting", "committee", "group_meeting", "lecture", "result",
                                      "number", "date", "type", "topic", "speaker", "attendance", "duration")),
               *(f"columns.{f}" for f in ("number", "date", "type", "topic", "speaker", "attendance", "duration"))),
}


@pytest.mark.parametrize("kind", REGISTERS)
def test_register_template_holds_its_tables_and_none_of_a_letters_parts(kind: str) -> None:
    text = all_text(template(kind))
    missing = [name for name in REGISTER_FIELDS[kind] if name not in text]
    assert not missing, f"{kind}.docx lacks {missing}"
    assert not [name for name in ("doc.recipient", "sections", "doc.signature", "doc.head", "doc.foot")
                if name in text], "a register has no recipient, body, signature, 版头 or 版记"


def _ledger_row(number: int) -> SimpleNamespace:
    return SimpleNamespace(number=str(number), date=f"{number}月3日", type="支部委员会",
                           topic=f"第{number}次会议的主题", speaker="陈立新", attendance="5/5", duration="90分钟")


LEDGER_CONTEXT = {
    "doc": FAKE_CONTEXT["doc"],
    "sections": [],
    "overview": SimpleNamespace(
        title="2025年各党支部“三会一课”开展情况总览",
        headers=SimpleNamespace(name="党支部", general_meeting="支部党员大会", committee="支部委员会",
                                group_meeting="党小组会", lecture="党课", result="是否达到规定"),
        rows=[SimpleNamespace(name="内科党支部", general_meeting="4/4", committee="11/12▲", group_meeting="36/36",
                              lecture="1/1", result="未达到")],
        notes=["注：说明。", "内科党支部支部委员会：3月少于每月1次。"]),
    "columns": SimpleNamespace(number="序号", date="日期", type="类型", topic="主题", speaker="主讲人（主持人）",
                               attendance="实到/应到", duration="时长"),
    "pages": [SimpleNamespace(name="内科党支部", heading="内科党支部“三会一课”记录",
                              rows=[_ledger_row(1), _ledger_row(2)], note=""),
              SimpleNamespace(name="外科党支部", heading="外科党支部“三会一课”记录", rows=[], note="没有记录。"),
              SimpleNamespace(name="护理党支部", heading="护理党支部“三会一课”记录", rows=[_ledger_row(3)], note="")],
}


@pytest.mark.parametrize("kind", REGISTERS)
def test_register_renders_overview_then_a_page_a_branch_with_repeated_headers(kind: str, tmp_path: Path) -> None:
    out = _render(kind, tmp_path, LEDGER_CONTEXT)
    text = all_text(out)
    assert "{{" not in text and "{%" not in text
    paragraphs = [(style, text) for style, text in _paragraphs(out) if text]
    assert paragraphs == [("Title", "某医院党委2025年党建工作计划"),
                          ("Register Caption", "2025年各党支部“三会一课”开展情况总览"),
                          ("Register Note", "注：说明。"), ("Register Note", "内科党支部支部委员会：3月少于每月1次。"),
                          ("Register Page Caption", "内科党支部“三会一课”记录"),
                          ("Register Page Caption", "外科党支部“三会一课”记录"), ("Register Note", "没有记录。"),
                          ("Register Page Caption", "护理党支部“三会一课”记录")]
    overview, first, third = docx.Document(str(out)).tables
    assert [c.text for c in overview.rows[1].cells] == ["内科党支部", "4/4", "11/12▲", "36/36", "1/1", "未达到"]
    assert [[c.text for c in row.cells] for row in first.rows[1:]] == [
        ["1", "1月3日", "支部委员会", "第1次会议的主题", "陈立新", "5/5", "90分钟"],
        ["2", "2月3日", "支部委员会", "第2次会议的主题", "陈立新", "5/5", "90分钟"]]
    assert [c.text for c in third.rows[0].cells] == ["序号", "日期", "类型", "主题", "主讲人（主持人）", "实到/应到",
                                                     "时长"]
    for table in (overview, first, third):
        rows = table._tbl.findall(w("tr"))
        assert rows[0].find(f"{w('trPr')}/{w('tblHeader')}") is not None, "the header row repeats on each page"
        assert all(r.find(f"{w('trPr')}/{w('tblHeader')}") is None for r in rows[1:])
    with zipfile.ZipFile(out) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    caption = next(s for s in styles.iter(w("style")) if s.get(w("styleId")) == "RegisterPageCaption")
    assert caption.find(f"{w('pPr')}/{w('pageBreakBefore')}") is not None, "each branch starts a page"
    check_gbt9704_layout(out, landscape=kind in LANDSCAPE)


def test_generator_is_reproducible_and_what_it_writes_passes_the_template_checks(tmp_path: Path) -> None:
    """The one-off generator still works: same bytes twice, and a template check finds nothing."""
    from dangjian_docs.template_check import check_template

    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, capture_output=True)
    for kind in KINDS:
        name = f"{kind}.docx"
        assert (first / name).read_bytes() == (second / name).read_bytes(), f"{name}: two runs differ"
        assert check_template(first / name, kind) == []
        check_gbt9704_layout(first / name, landscape=kind in LANDSCAPE)


@pytest.mark.parametrize("kind", KINDS)
def test_template_core_properties_are_fixed(kind: str) -> None:
    props = docx.Document(str(template(kind))).core_properties
    assert props.author == props.last_modified_by == "dangjian-docs"
    assert props.title == {"plan": "工作计划", "summary": "工作总结", "report": "情况汇报", "report-duty": "述职报告",
                           "rollup": "汇总情况汇报", "article": "经验交流材料", "ledger": "“三会一课”台账",
                           "branch-plan": "支部工作计划", "branch-summary": "支部工作总结",
                           "group-plan": "党小组工作计划"}[kind]
    assert props.created.isoformat() == props.modified.isoformat() == "2025-01-01T00:00:00+00:00"
    assert props.revision == 1


HEAD_AND_FOOT_YAML = """    head:
      issuer: 中共滨江市第一人民医院委员会
      number: 滨一院党〔2025〕3号
      signer: 王建国
    foot:
      copy_to: [市纪委监委驻市卫生健康委纪检监察组, 市委组织部]
      printer: 中共滨江市第一人民医院委员会办公室
      printed: 2025-12-22
"""


def sample_with_head_and_foot(tmp_path: Path) -> Path:
    """The sample year whose report asks for a 版头 and a 版记."""
    text = (REPO / "samples" / "binjiang-2025.yaml").read_text(encoding="utf-8")
    anchor = "\n  report:\n"
    assert text.count(anchor) == 1
    path = tmp_path / "year.yaml"
    path.write_text(text.replace(anchor, anchor + HEAD_AND_FOOT_YAML), encoding="utf-8")
    return path


def test_a_report_with_head_and_foot_builds_from_the_data(tmp_path: Path) -> None:
    import dangjian_docs

    result = dangjian_docs.validate(sample_with_head_and_foot(tmp_path))
    assert result.year is not None and result.ok(), [d.message for d in result.diagnostics]
    out = tmp_path / "report.docx"
    out.write_bytes(dangjian_docs.render(result.year, "report"))
    paragraphs = _paragraphs(out)
    assert paragraphs[:2] == [("Issuer", "中共滨江市第一人民医院委员会文件"),  # 16 characters: the Issuer style
                              ("Document Number Upward", "滨一院党〔2025〕3号\t签发人：王建国")]
    assert paragraphs[2][0] == "Title" and "/" in paragraphs[2][1], "the long title is broken into lines"
    assert paragraphs[-2:] == [("Copy To", "抄送：市纪委监委驻市卫生健康委纪检监察组，市委组织部。"),
                               ("Imprint", "中共滨江市第一人民医院委员会办公室\t2025年12月22日印发")]
    check_gbt9704_layout(out)
    plain = tmp_path / "plain.docx"
    plain.write_bytes(dangjian_docs.render(dangjian_docs.validate(REPO / "samples" / "binjiang-2025.yaml").year,
                                           "report"))
    assert not {"Issuer", "Issuer Compact", "Copy To", "Imprint"} & {s for s, _ in _paragraphs(plain)}
