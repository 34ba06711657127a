"""check-template: every planted defect found at its place, with a message a clerk can act on.

The broken templates are the built-in ones with one edit each (tests/broken_templates.py).
Places are paragraph numbers as check-template counts them (body paragraphs from the top,
tables by table, row and column); the numbers below were read off the built-in templates.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from broken_templates import REPO, W, body_paragraphs, insert_after, make, paragraph, set_text, text_of
from layout import check_gbt9704_layout
from lxml import etree

import dangjian_docs
from dangjian_docs.api import render_region
from dangjian_docs.cli import cli
from dangjian_docs.diagnostics import DangjianError, Severity
from dangjian_docs.documents import ALL_KIND_NAMES
from dangjian_docs.pdf import soffice
from dangjian_docs.rendering.inspect import paragraph_texts
from dangjian_docs.template_check import check_template

SAMPLE = REPO / "samples" / "binjiang-2025.yaml"
REGION = REPO / "tests" / "data" / "region" / "region-2025.yaml"
KINDS = ALL_KIND_NAMES


def messages(path: Path, kind: str = "report") -> list[str]:
    return [f"{d.severity.value} {d.code} {d.message} | {d.hint}" for d in check_template(path, kind)]


def errors(path: Path, kind: str = "report") -> list[str]:
    return [m for m in messages(path, kind) if m.startswith("error")]


def _nth(n: int) -> object:
    """An edit that rewrites body paragraph ``n`` (1-based) to the given runs."""
    def edit(*runs: str) -> object:
        return lambda root: set_text(body_paragraphs(root)[n - 1], *runs)
    return edit


def _cell(root: etree._Element, row: int, column: int) -> etree._Element:
    table = next(root.iter(f"{W}tbl"))
    return table.findall(f"{W}tr")[row - 1].findall(f"{W}tc")[column - 1]


# -- the built-in templates: the property tests any edited template must pass ------------------
@pytest.mark.parametrize("kind", KINDS)
def test_built_in_templates_pass_every_check_without_a_warning(kind: str) -> None:
    assert messages(REPO / "templates" / f"{kind}.docx", kind) == []


def test_a_template_for_one_kind_names_what_another_kind_lacks() -> None:
    found = errors(REPO / "templates" / "plan.docx", "report")
    assert found and all("template-unknown-name" in m and "“table”" in m and "情况汇报" in m for m in found)
    assert any("正文第 1 个表格第 2 行第 1 列“{%tr for row in table.rows %}”" in m for m in found)


# -- names ------------------------------------------------------------------------------------------
def test_a_misspelt_field_is_named_with_its_paragraph_and_a_suggestion(tmp_path: Path) -> None:
    path = make(tmp_path, "misspelt", document=_nth(15)("{{ doc.recipent }}："))
    (found,) = errors(path)
    assert "正文第 15 段“{{ doc.recipent }}：”" in found and "模板引用了“doc.recipent”" in found
    assert "是不是想写“doc.recipient”？" in found


def test_a_misspelt_row_field_is_named_by_table_row_and_column(tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        set_text(_cell(root, 3, 4).find(f"{W}p"), "{{ row.deu }}")

    (found,) = errors(make(tmp_path, "row", "plan", edit), "plan")
    assert "正文第 1 个表格第 3 行第 4 列“{{ row.deu }}”" in found and "是不是想写“row.due”？" in found


def test_a_name_no_kind_provides(tmp_path: Path) -> None:
    (found,) = errors(make(tmp_path, "hospital", document=_nth(18)("{{ hospital.name }}")))
    assert "正文第 18 段" in found and "模板引用了“hospital”，情况汇报的数据中没有这一项" in found


def test_loop_variables_and_filters_are_known_inside_their_loop_only(tmp_path: Path) -> None:
    names = "{{ loop.index | section_number(2) }}{{ para | full_width }}{{ s1.title }}"
    assert messages(make(tmp_path, "inside", document=_nth(23)(names))) == []
    (found,) = errors(make(tmp_path, "outside", document=_nth(18)(names)))  # in the opening's loop
    assert "正文第 18 段" in found and "模板引用了“s1”" in found


def test_names_a_template_defines_itself_are_known(tmp_path: Path) -> None:
    own = ("{% set n = namespace(count=0) %}{% macro item(x) %}{{ x }}{% endmacro %}"
           "{{ item(para) }}{{ n.count }}{{ range(2) | list | length }}{{ doc.head.mark if doc.head }}")
    assert messages(make(tmp_path, "own", document=_nth(18)(own))) == []


def test_a_name_in_a_footer_is_placed_in_that_footer(tmp_path: Path) -> None:
    def footer(data: bytes) -> bytes:
        root = etree.fromstring(data)
        root.append(paragraph("{{ doc.titel }}", style="FooterEven"))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    (found,) = errors(make(tmp_path, "footer", parts={"word/footer2.xml": footer}))
    assert "页脚（word/footer2.xml）第 2 段“{{ doc.titel }}”" in found and "是不是想写“doc.title”？" in found


# -- syntax -----------------------------------------------------------------------------------------
def test_a_syntax_error_is_placed(tmp_path: Path) -> None:
    (found,) = errors(make(tmp_path, "syntax", document=_nth(18)("{{ para | }}")))
    assert found.startswith("error template-syntax 正文第 18 段“{{ para | }}”：标签“{{ para | }}”写法有误")


def test_curly_quotes_word_put_in_are_named(tmp_path: Path) -> None:
    found = errors(make(tmp_path, "quotes", document=_nth(14)("{%p if doc.recipient == “某” %}")))
    assert "中文引号" in found[0] and "正文第 14 段" in found[0] and "自动更正" in found[0]


def test_a_block_left_open_is_named_where_it_opens(tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        endif = body_paragraphs(root)[15]
        assert text_of(endif) == "{%p endif %}"
        endif.getparent().remove(endif)

    found = errors(make(tmp_path, "open", document=edit))
    assert found == ["error template-syntax 正文第 14 段“{%p if doc.recipient %}”：“{%p if doc.recipient %}”没有对应的 "
                     "{% endif %}。 | 检查 {{ }} 与 {% %} 是否成对、{%p for %} 是否有对应的 {%p endfor %}、"
                     "{%p if %} 是否有 {%p endif %}。"]


@pytest.mark.parametrize(("text", "code"), [
    ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "template-too-deep"),
    ("{{" * 20000, "template-too-large"),
    ("{% if x %}" * 2000, "template-syntax"),
])
def test_hostile_tags_end_in_one_diagnostic_not_a_traceback(tmp_path: Path, text: str, code: str) -> None:
    found = check_template(make(tmp_path, "hostile", document=_nth(18)(text)), "report")
    assert [d.code for d in found] == [code]


# -- tags Word split --------------------------------------------------------------------------------
def test_a_tag_split_over_two_paragraphs_cannot_be_repaired(tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        recipient = body_paragraphs(root)[14]
        set_text(recipient, "{{ doc.")
        insert_after(recipient, [paragraph("recipient }}：", style="Recipient")])

    found = errors(make(tmp_path, "split", document=edit))
    assert found[0].startswith("error template-split-tag 正文第 15 段“{{ doc.”：“{{”在这一段中没有与之成对的“}}”")
    assert "正文第 16 段“recipient }}：”" in found[1]


def test_a_tag_split_over_runs_of_one_paragraph_is_fine(tmp_path: Path) -> None:
    """Word splits a tag into runs when part of it is retyped or restyled; docxtpl joins them."""
    path = make(tmp_path, "runs", document=_nth(15)("{{ doc.rec", "ipient }}", "："))
    assert messages(path) == []
    year = dangjian_docs.validate(SAMPLE).year
    assert _texts(dangjian_docs.render(year, "report", template=path)) == _texts(dangjian_docs.render(year, "report"))


def _texts(docx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return list(paragraph_texts(package.read("word/document.xml")))


# -- {%p %} and {%tr %} that would corrupt the document ------------------------------------------------
def test_a_p_tag_sharing_its_paragraph(tmp_path: Path) -> None:
    (found,) = errors(make(tmp_path, "shared", document=_nth(14)("主送：{%p if doc.recipient %}")))
    assert "正文第 14 段" in found and "所在的段落还有别的文字，生成时整段（连同这些文字）都会被删除" in found


def test_a_tr_tag_outside_a_table(tmp_path: Path) -> None:
    found = errors(make(tmp_path, "tr", document=_nth(14)("{%tr if doc.recipient %}")))
    assert "正文第 14 段“{%tr if doc.recipient %}”：“{%tr if doc.recipient %}”不在表格中" in found[0]
    assert "正文第 16 段“{%p endif %}”" in found[1] and "不配套" in found[1]


def test_a_tr_tag_sharing_its_row(tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        set_text(_cell(root, 2, 2).find(f"{W}p"), "备注")

    (found,) = errors(make(tmp_path, "row-text", "plan", edit), "plan")
    assert "正文第 1 个表格第 2 行第 1 列" in found and "所在的表格行还有别的文字" in found


def test_a_p_block_closed_by_a_plain_tag(tmp_path: Path) -> None:
    (found,) = errors(make(tmp_path, "mixed", document=_nth(19)("{% endfor %}")))
    assert found.startswith("error template-block-misuse 正文第 19 段“{% endfor %}”：“{% endfor %}”与正文第 17 段")
    assert "Word 会报告已损坏" in found and "{%p endfor %}" in found


def test_a_cell_that_a_p_block_may_empty(tmp_path: Path) -> None:
    def edit(root: etree._Element) -> None:
        cell = _cell(root, 3, 2)
        only = cell.find(f"{W}p")
        set_text(only, "{%p if row.content %}")
        insert_after(only, [paragraph("{{ row.content }}", style="TableTextLeft"),
                            paragraph("{%p endif %}", style="TableText")])

    (found,) = errors(make(tmp_path, "cell", "plan", edit), "plan")
    assert "正文第 1 个表格第 3 行第 2 列“{%p if row.content %}”" in found and "一段也不剩" in found


# -- the package, through the hardening checks ----------------------------------------------------------
def test_package_defects_come_from_the_hardening_checks(tmp_path: Path) -> None:
    rel = (b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           b'relationships/attachedTemplate" Target="http://example.invalid/t.dotm" TargetMode="External"/>')
    path = make(tmp_path, "external", parts={
        "word/_rels/document.xml.rels": lambda data: data.replace(b"</Relationships>", rel + b"</Relationships>")})
    (found,) = check_template(path, "report")
    assert found.code == "template-unsafe" and "外部资源" in found.message


def test_not_a_docx_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    path.write_text("not a zip", encoding="utf-8")
    (found,) = check_template(path, "plan")
    assert found.code == "template-unreadable"


# -- layout, as warnings --------------------------------------------------------------------------------
def _layout_broken(tmp_path: Path) -> Path:
    def document(root: etree._Element) -> None:
        for margins in root.iter(f"{W}pgMar"):
            margins.set(f"{W}left", "1134")  # 20 mm

    def styles(data: bytes) -> bytes:
        root = etree.fromstring(data)
        body = next(s for s in root.iter(f"{W}style") if s.get(f"{W}styleId") == "BodyText")
        body.find(f"{W}rPr/{W}rFonts").set(f"{W}eastAsia", "宋体")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return make(tmp_path, "layout", document=document, parts={"word/styles.xml": styles})


def test_layout_shortfalls_are_warnings_naming_the_property(tmp_path: Path) -> None:
    found = messages(_layout_broken(tmp_path))
    assert found[0] == (
        "warning template-layout 第 1 节：左页边距为 20.0 mm，应为 28 mm（允许 ±1 mm）。 | "
        "请在 Word 的“布局 → 页面设置”中改正（GB/T 9704：A4，上 37 mm、下 35 mm、左 28 mm、右 26 mm）。")
    assert any("样式“正文文本”（Body Text）：中文字体为“宋体”，应为 仿宋" in m for m in found)
    assert all(m.startswith("warning") for m in found)


# -- the command line -------------------------------------------------------------------------------------
def _cli(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_command_exit_codes_follow_validate(tmp_path: Path) -> None:
    clean = make(tmp_path, "clean")
    assert _cli("check-template", str(clean), "--kind", "report") == (0, "检查了 1 个文件：0 个错误，0 个警告。\n")
    broken = make(tmp_path, "misspelt", document=_nth(15)("{{ doc.recipent }}："))
    code, output = _cli("check-template", str(broken), "--kind", "report")
    assert code == 1 and "正文第 15 段" in output and "doc.recipient" in output
    layout = _layout_broken(tmp_path)
    assert _cli("check-template", str(layout), "--kind", "report")[0] == 0
    assert _cli("check-template", str(layout), "--kind", "report", "--strict")[0] == 1


def test_command_usage_errors_exit_2_in_chinese(tmp_path: Path) -> None:
    for args, said in ((["check-template", str(make(tmp_path, "t"))], "缺少选项 --kind"),
                       (["check-template", str(tmp_path / "none.docx"), "--kind", "plan"], "不存在"),
                       (["export-template", "memo", str(tmp_path)], "memo")):
        process = subprocess.run([sys.executable, "-m", "dangjian_docs", *args], capture_output=True, text=True,
                                 check=False)
        assert process.returncode == 2, process.stderr
        assert said in process.stderr and "Traceback" not in process.stderr


def test_export_template_writes_the_built_in_one_and_never_overwrites(tmp_path: Path) -> None:
    code, output = _cli("export-template", "summary", str(tmp_path / "mine"))
    written = tmp_path / "mine" / "summary.docx"
    assert code == 0 and written.read_bytes() == (REPO / "templates" / "summary.docx").read_bytes()
    assert "check-template" in output
    written.write_bytes(b"edited")
    code, output = _cli("export-template", "summary", str(tmp_path / "mine"))
    assert code == 1 and "已存在" in output and written.read_bytes() == b"edited"


def test_a_build_with_a_broken_own_template_stops_with_the_place(tmp_path: Path) -> None:
    folder = tmp_path / "own"
    folder.mkdir()
    make(folder, "report", document=_nth(15)("{{ doc.recipent }}："))
    code, output = _cli("build", str(SAMPLE), "--kind", "report", "--templates", str(folder),
                        "-o", str(tmp_path / "out"))
    assert code == 1 and "正文第 15 段" in output and "是不是想写“doc.recipient”？" in output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    year = dangjian_docs.validate(SAMPLE).year
    with pytest.raises(DangjianError) as raised:
        dangjian_docs.render(year, "report", template=folder / "report.docx")
    assert [d.code for d in raised.value.diagnostics] == ["template-unknown-name"]


def test_a_build_with_a_layout_warning_only_still_builds(tmp_path: Path) -> None:
    year = dangjian_docs.validate(SAMPLE).year
    assert dangjian_docs.render(year, "report", template=_layout_broken(tmp_path))[:2] == b"PK"


# -- a template edited in LibreOffice and saved --------------------------------------------------------------
@pytest.mark.office
def test_templates_saved_by_libreoffice_pass_and_build(tmp_path: Path) -> None:
    """LibreOffice keeps the tags, styles, grid and footers; it changes one thing, which is named.

    It writes the bottom margin of a section after the first as 28 mm (35 mm less the footer's
    7 mm): the check reports exactly that, and the documents still build.
    """
    program = soffice()
    if program is None:
        pytest.fail("LibreOffice is not installed: run `bash tools/bootstrap.sh` first")
    sources = []
    for kind in KINDS:
        source = tmp_path / "in" / f"{kind}.docx"
        source.parent.mkdir(exist_ok=True)
        shutil.copyfile(REPO / "templates" / f"{kind}.docx", source)
        sources.append(str(source))
    subprocess.run([program, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "out"),
                    *sources], check=True, capture_output=True, timeout=300)
    year = dangjian_docs.validate(SAMPLE).year
    for kind in KINDS:
        saved = tmp_path / "out" / f"{kind}.docx"
        found = check_template(saved, kind)
        assert [d for d in found if d.severity is Severity.ERROR] == []
        for warning in found:
            assert warning.code == "template-layout"
            assert warning.message.endswith("：下页边距为 28.0 mm，应为 35 mm（允许 ±1 mm）。")
            assert not warning.message.startswith("第 1 节")
        built = render_region(REGION, template=saved)[1] if kind == "rollup" else \
            dangjian_docs.render(year, kind, template=saved, subject=dangjian_docs.outputs(year, [kind])[0].subject)
        assert built[:2] == b"PK"
        with pytest.raises(AssertionError) as strict:  # the tests' stricter layout check names the same
            check_gbt9704_layout(saved)
        problems = str(strict.value).splitlines()[1:]
        assert problems and all(
            re.fullmatch(r"  section [2-9]: bottom margin is 28\.0 mm, expected 35 ± 1 mm", line)
            # LibreOffice adds its own 索引标题 style, kept with the next paragraph; no paragraph uses it
            or line == "  style 'Index Heading': kept with the next paragraph; only headings may be"
            for line in problems), problems


def test_a_designers_edit_that_keeps_the_properties_passes(tmp_path: Path) -> None:
    """Not byte equality: a template restyled in Word (title colour, signature indent) still passes."""
    def styles(data: bytes) -> bytes:
        root = etree.fromstring(data)
        by_id = {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}
        by_id["Title"].find(f"{W}rPr/{W}color").set(f"{W}val", "C00000")
        by_id["Signature"].find(f"{W}pPr/{W}ind").set(f"{W}right", "960")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    path = make(tmp_path, "restyled", parts={"word/styles.xml": styles})
    assert path.read_bytes() != (REPO / "templates" / "report.docx").read_bytes()
    assert messages(path) == []
    check_gbt9704_layout(path)
