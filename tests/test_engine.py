"""The template engine on small templates made here: errors located, sandboxed, XML-safe."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import docx
import pytest

from dangjian_docs import DangjianError
from dangjian_docs.rendering.engine import PreparedTemplate
from dangjian_docs.rendering.inspect import check_no_placeholders, paragraph_texts


def make_template(tmp_path: Path, *paragraphs: str, table_cell: str | None = None) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table_cell is not None:
        document.add_table(rows=1, cols=1).cell(0, 0).text = table_cell
    path = tmp_path / "t.docx"
    document.save(path)
    return path


def rendered_text(path: Path, context: dict) -> list[str]:
    parts = PreparedTemplate(path).render_parts(context)
    return [t for t in paragraph_texts(parts["word/document.xml"]) if t]


def error_of(path: Path, context: dict):
    with pytest.raises(DangjianError) as info:
        PreparedTemplate(path).render_parts(context)
    [d] = info.value.diagnostics
    return d


def test_paragraph_loops_and_values(tmp_path: Path) -> None:
    path = make_template(tmp_path, "{{ doc.title }}", "{%p for p in paras %}", "{{ p }}", "{%p endfor %}")
    assert rendered_text(path, {"doc": SimpleNamespace(title="标题"), "paras": ["一", "二"]}) == ["标题", "一", "二"]


def test_missing_value_names_it_and_the_paragraph(tmp_path: Path) -> None:
    path = make_template(tmp_path, "{{ doc.title }}", "落款：{{ doc.signatur }}")
    d = error_of(path, {"doc": SimpleNamespace(title="标题")})
    assert d.code == "template-missing" and "signatur" in d.message
    assert "落款：{{ doc.signatur }}" in d.message and d.file.endswith("t.docx")


def test_missing_value_in_a_table_cell_says_so(tmp_path: Path) -> None:
    path = make_template(tmp_path, "正文", table_cell="{{ row.nam }}")
    d = error_of(path, {})
    assert "表格单元格" in d.message and "row" in d.message


def test_syntax_error_is_located(tmp_path: Path) -> None:
    path = make_template(tmp_path, "第一段", "{%p for p in paras %}", "{{ p }}")
    with pytest.raises(DangjianError) as info:
        PreparedTemplate(path)
    [d] = info.value.diagnostics
    assert d.code == "template-syntax" and "endfor" in d.hint


def test_sandbox_blocks_python_internals(tmp_path: Path) -> None:
    path = make_template(tmp_path, "{{ doc.__class__.__mro__[1].__subclasses__() }}")
    d = error_of(path, {"doc": SimpleNamespace(title="x")})
    assert d.code == "template-unsafe" and "__class__" in d.message


def test_xml_special_and_control_characters_come_out_right(tmp_path: Path) -> None:
    path = make_template(tmp_path, "{{ v }}")
    assert rendered_text(path, {"v": "A<B & C>\x00D\x0bE\tF"}) == ["A<B & C>DE F"]


def test_not_a_docx_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.docx"
    path.write_text("not a zip")
    with pytest.raises(DangjianError) as info:
        PreparedTemplate(path)
    [d] = info.value.diagnostics
    assert d.code == "template-unreadable" and "不是 .docx 格式" in d.message


def test_placeholder_left_by_a_template_fails(tmp_path: Path) -> None:
    path = make_template(tmp_path, "共有党员XX名", "{{ v }}")
    parts = PreparedTemplate(path).render_parts({"v": "正文"})
    with pytest.raises(DangjianError) as info:
        check_no_placeholders(parts, "工作计划")
    [d] = info.value.diagnostics
    assert d.code == "placeholder-in-document" and "XX" in d.message and "第 1 段" in d.message


def test_chinese_convention_filters_for_users_templates(tmp_path: Path) -> None:
    path = make_template(tmp_path, "{{ 12 | cn_numeral }}{{ 3 | section_number(2) }}{{ d | cn_date }}",
                         "{{ 45 | percent(300) }}{{ s | full_width }}")
    assert rendered_text(path, {"d": "2025-04-07", "s": "医院,党委"}) == ["十二（三）2025年4月7日", "15.0%医院，党委"]


def test_runtime_error_in_a_template_is_located(tmp_path: Path) -> None:
    path = make_template(tmp_path, "正文", "合计：{{ n / 0 }}")
    d = error_of(path, {"n": 1})
    assert d.code == "template-error" and "合计：{{ n / 0 }}" in d.message


def test_tags_that_break_the_paragraph_structure_are_caught(tmp_path: Path) -> None:
    # a plain {% if %} opened in a paragraph and closed in a table cell cuts the table in half
    path = make_template(tmp_path, "甲{% if show %}", table_cell="乙{% endif %}")
    d = error_of(path, {"show": False})
    assert d.code == "template-xml" and "{%p" in d.hint


def test_a_tag_docxtpl_cannot_clean_up_is_a_diagnostic(tmp_path: Path) -> None:
    # docxtpl puts the colspan argument into a regex replacement: "\9" used to be a traceback
    path = make_template(tmp_path, "正文", table_cell=r"{% colspan \9 %}甲")
    with pytest.raises(DangjianError) as info:
        PreparedTemplate(path)
    [d] = info.value.diagnostics
    assert d.code == "template-syntax" and "无法整理" in d.message and "colspan" in d.hint
