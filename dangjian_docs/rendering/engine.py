"""Prepared .docx templates: docxtpl's tag clean-up done once, Jinja compiled once.

docxtpl re-reads, re-parses and re-cleans the template on every render and goes through
python-docx to save. Here a template is prepared once: its XML parts that hold Jinja are
cleaned with docxtpl's ``patch_xml`` (the ``{%p``/``{%tr`` rules users know from docxtpl) and
compiled in our sandbox; every other part is kept as bytes. A render is then one Jinja call per
templated part plus a zip. All of docxtpl stays behind this module.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from lxml import etree

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path
from ..writing import reason
from .sandbox import MissingValueError, make_environment

_TEMPLATED = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_TAG = re.compile(r"\{[{%#]")
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_XML_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class TemplatePart:
    name: str
    source: str
    """The cleaned XML, one paragraph per line, so Jinja's line numbers name a paragraph."""
    template: jinja2.Template


class PreparedTemplate:
    """A .docx template ready to render many times."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shown = display_path(path)
        self.parts: dict[str, bytes] = {}
        self.order: list[str] = []
        self.templated: dict[str, TemplatePart] = {}
        self._read()

    # -- preparing ---------------------------------------------------------------------
    def _read(self) -> None:
        try:
            with zipfile.ZipFile(self.path) as archive:
                for info in archive.infolist():
                    self.order.append(info.filename)
                    self.parts[info.filename] = archive.read(info)
        except (OSError, zipfile.BadZipFile, KeyError, EOFError) as exc:
            why = reason(exc) if isinstance(exc, OSError) else "不是 .docx 格式，或文件已损坏"
            raise self._error("template-unreadable", f"模板无法打开（{why}）。",
                              "模板必须是 Word 保存的 .docx 文件；请确认文件完整，"
                              "或从 templates/ 恢复原模板。") from None
        if "word/document.xml" not in self.parts:
            raise self._error("template-unreadable", "模板不是 Word 文档（缺少 word/document.xml）。",
                              "请用 Word 或 WPS 另存为 .docx 格式。")
        from docxtpl import DocxTemplate  # python-docx behind it: imported only to prepare

        cleaner = DocxTemplate(self.path)
        env = make_environment()
        for name in self.order:
            if not _TEMPLATED.fullmatch(name):
                continue
            xml = self.parts[name].decode("utf-8")
            if not _TAG.search(xml):
                continue
            source = _PARAGRAPH_START.sub(r"\n<w:p\1", cleaner.patch_xml(xml))
            try:
                template = env.from_string(source)
            except jinja2.TemplateSyntaxError as exc:
                raise self._located("template-syntax", source, exc.lineno,
                                    f"模板标签写法有误（{exc.message}）。",
                                    "检查 {{ }} 与 {% %} 是否成对、{%p for %} 是否有对应的 "
                                    "{%p endfor %}、{%p if %} 是否有 {%p endif %}。") from None
            self.templated[name] = TemplatePart(name, source, template)

    # -- rendering ---------------------------------------------------------------------
    def render_parts(self, context: Mapping[str, Any]) -> dict[str, bytes]:
        """Every part of the rendered document, in the template's order."""
        out = dict(self.parts)
        for name, part in self.templated.items():
            xml = self._render_part(part, context)
            try:
                etree.fromstring(xml.encode("utf-8"))
            except etree.XMLSyntaxError as exc:
                raise self._error(
                    "template-xml", f"模板生成的内容不是有效的 Word XML（{exc.msg}）。",
                    "{%p …%} 标签必须单独占一个段落，{%tr …%} 必须单独占表格的一行；"
                    "请检查最近修改过的标签。") from None
            out[name] = xml.encode("utf-8")
        return out

    def _render_part(self, part: TemplatePart, context: Mapping[str, Any]) -> str:
        try:
            rendered = part.template.render(context)
        except MissingValueError as exc:
            if exc.unsafe:
                raise self._located("template-unsafe", part.source, _template_line(exc),
                                    f"模板试图访问不安全的属性“{exc.name}”。",
                                    "模板只能引用数据项，不能访问程序内部的属性或方法。") from None
            raise self._located(
                "template-missing", part.source, _template_line(exc),
                f"模板引用了不存在的数据项“{exc.name}”。",
                "请改正模板中的名称（可用的数据项见 docs/api.md 的“模板变量”），"
                "或在数据文件中补充相应内容。") from None
        except SecurityError as exc:
            raise self._located("template-unsafe", part.source, _template_line(exc),
                                f"模板试图执行不安全的操作（{exc}）。",
                                "模板只能引用数据项，不能访问程序内部的属性或方法。") from None
        except jinja2.TemplateError as exc:
            raise self._located("template-error", part.source, _template_line(exc),
                                f"模板渲染出错（{exc}）。", "请检查这一段中的模板标签。") from None
        except (TypeError, ValueError, AttributeError, ArithmeticError) as exc:
            raise self._located("template-error", part.source, _template_line(exc),
                                f"模板渲染出错（{exc}）。", "请检查这一段中的模板标签。") from None
        return rendered.replace("\n<w:p", "<w:p")

    # -- errors ------------------------------------------------------------------------
    def _error(self, code: str, message: str, hint: str) -> DangjianError:
        return DangjianError([Diagnostic(Severity.ERROR, code, message, file=self.shown, hint=hint)])

    def _located(self, code: str, source: str, line: int | None, message: str,
                 hint: str) -> DangjianError:
        where = paragraph_at(source, line)
        if where:
            message = f"{message}出错位置：{where}"
        return DangjianError([Diagnostic(Severity.ERROR, code, message, file=self.shown, hint=hint)])


def _template_line(exc: BaseException) -> int | None:
    """The template line Jinja was executing when ``exc`` was raised."""
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return lineno
    tb = exc.__traceback__
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def paragraph_at(source: str, line: int | None) -> str:
    """The text of the paragraph on ``line`` of a cleaned part, described for a clerk."""
    if not line:
        return ""
    lines = source.split("\n")
    if not 0 < line <= len(lines):
        return ""
    text = _XML_TAG.sub("", lines[line - 1]).strip()
    before = "\n".join(lines[: line - 1])
    in_table = before.count("<w:tc>") + before.count("<w:tc ") > before.count("</w:tc>")
    place = "表格单元格中的段落" if in_table else "段落"
    if len(text) > 60:
        text = text[:60] + "…"
    return f"{place}“{text}”" if text else f"第 {line} 段附近"


@functools.lru_cache(maxsize=32)
def _prepared(path: Path, mtime_ns: int, size: int) -> PreparedTemplate:
    return PreparedTemplate(path)


def prepare(path: Path) -> PreparedTemplate:
    """A prepared template, reused while the file is unchanged (a batch prepares it once)."""
    try:
        stat = path.stat()
    except OSError:
        raise DangjianError([Diagnostic(Severity.ERROR, "template-missing-file", "模板文件不存在。",
                                        file=display_path(path),
                                        hint="请检查模板路径，或从 templates/ 恢复原模板。")]) from None
    return _prepared(path.resolve(), stat.st_mtime_ns, stat.st_size)
