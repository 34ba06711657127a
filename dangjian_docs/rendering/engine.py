"""Prepared .docx templates: docxtpl's tag clean-up done once, Jinja compiled once.

docxtpl re-reads, re-parses and re-cleans the template on every render and goes through
python-docx to save. Here a template is prepared once: its XML parts that hold Jinja are
cleaned with docxtpl's ``patch_xml`` (the ``{%p``/``{%tr`` rules users know from docxtpl) and
compiled in our sandbox; every other part is kept as bytes. A render is then one Jinja call per
templated part plus a zip. All of docxtpl stays behind this module.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from lxml import etree

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path
from ..record import Record
from ..resources import templates_dir
from . import limits
from .guards import TemplateLimitError, render_budget
from .media import Media, collecting
from .sandbox import MissingValueError, make_environment
from .template_package import PARSER, TEMPLATED, Refusal, check_fields, part_label, read_package
from .wellformed import parses

_TAG = re.compile(r"\{[{%#]")
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_XML_TAG = re.compile(r"<[^<>]*>")  # not [^>]+: linear even on a CDATA run of "<" with no ">"


class TemplatePart(Record):
    name: str
    source: str
    """The cleaned XML, one paragraph per line, so Jinja's line numbers name a paragraph."""
    template: jinja2.Template


class PreparedTemplate:
    """A .docx template ready to render many times."""

    def __init__(self, path: Path, letterhead: Path | None = None) -> None:
        self.path = path
        self.letterhead = letterhead
        """An office's letterhead put on the template's first page (:mod:`.letterhead`), if any."""
        self.shown = display_path(path)
        self.parts: dict[str, bytes] = {}
        self.order: list[str] = []
        self.templated: dict[str, TemplatePart] = {}
        self._read()

    # -- preparing ---------------------------------------------------------------------
    def _read(self) -> None:
        package = read_package(self.path, self.shown)
        if self.letterhead is not None:
            from .letterhead import merge

            shown = display_path(self.letterhead)
            try:
                package = merge(package, read_package(self.letterhead, shown))
            except Refusal as refusal:
                raise DangjianError([refusal.diagnostic(shown)]) from None
            self.shown = f"{self.shown}（含红头 {shown}）"
        self.order, self.parts = package.order, package.parts
        from docxtpl import DocxTemplate  # python-docx behind it: imported only to prepare

        cleaner = DocxTemplate(self.path)  # only its patch_xml is used: it does not open the file
        env = make_environment()
        tags = size = 0
        for name in self.order:
            if not TEMPLATED.fullmatch(name):
                continue
            xml = self.parts[name].decode("utf-8")  # checked by read_package
            if not _TAG.search(xml):
                continue
            tags, size = tags + len(_TAG.findall(xml)), size + len(self.parts[name])
            self._check_tags(name, xml, tags, size)
            try:
                source = _PARAGRAPH_START.sub(r"\n<w:p\1", cleaner.patch_xml(xml))
            except Exception as exc:  # docxtpl's clean-up puts tag text into regex replacements
                raise self._error("template-syntax",
                                  f"{part_label(name)}中的模板标签无法整理（{_describe(exc)}）。",
                                  "请检查 {%p %}、{%tr %}、{% colspan %}、{% cellbg %} 标签的写法。") from None
            try:
                template = env.from_string(source)
            except jinja2.TemplateSyntaxError as exc:
                raise self._located("template-syntax", name, source, exc.lineno,
                                    f"模板标签写法有误（{exc.message}）。",
                                    "检查 {{ }} 与 {% %} 是否成对、{%p for %} 是否有对应的 "
                                    "{%p endfor %}、{%p if %} 是否有 {%p endif %}。") from None
            except Exception as exc:  # a template is never a traceback
                raise self._error("template-syntax",
                                  f"{part_label(name)}中的模板标签无法编译（{_describe(exc)}）。",
                                  "模板标签嵌套过深或写法有误；请简化最近修改过的标签。") from None
            self.templated[name] = TemplatePart(name, source, template)

    def _check_tags(self, name: str, xml: str, tags: int, size: int) -> None:
        """Refuse what would make the tag clean-up or the compiler slow, before running them.

        ``tags`` and ``size`` count this part and the templated parts before it.
        """
        if tags > limits.MAX_TAGS:
            raise self._error("template-too-large",
                              f"模板中有超过 {limits.MAX_TAGS} 个模板标签（到{part_label(name)}为止已有 {tags} 个）。",
                              "请用循环（{%p for %}）代替重复的标签。")
        if size > limits.MAX_TEMPLATED_BYTES:
            raise self._error("template-too-large",
                              f"模板中含标签的部件合计超过 {limits.MAX_TEMPLATED_BYTES // limits.MB} MB"
                              f"（到{part_label(name)}为止）。",
                              "含模板标签的正文、页眉、页脚只需要版式和标签；请删除多余内容。")
        if cleanup_scan(xml) > limits.MAX_CLEANUP_SCAN:
            raise self._error("template-too-large",
                              f"{part_label(name)}中有大量连续的“-%}}”，整理标签要扫描的内容过多。",
                              "“-%}”只应出现在 {% … -%} 标签的末尾；请删去多余的“-%}”。")
        # docxtpl's clean-up scans to the end of the part for every tag left open: refuse those
        for opening, closing in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")):
            if xml.rfind(opening) > xml.rfind(closing):
                raise self._error("template-syntax",
                                  f"{part_label(name)}中有未闭合的“{opening}”标签。",
                                  f"每个“{opening}”后面都要有对应的“{closing}”。")

    # -- rendering ---------------------------------------------------------------------
    def render_parts(self, context: Mapping[str, Any]) -> dict[str, bytes]:
        """Every part of the rendered document, in the template's order (pictures the template
        printed, and relationship parts made for them, last: :mod:`.media`).

        All templated parts share one budget (:mod:`.guards`): steps, output and time are
        bounded per document, not per part.
        """
        out = dict(self.parts)
        media = Media(self.parts)
        with render_budget(), collecting(media):
            for name, part in self.templated.items():
                media.part = name
                out[name] = self._render_part(part, context)
        if self.letterhead is not None:
            from .letterhead import first_page

            out["word/document.xml"] = first_page(out["word/document.xml"])
        media.finish(out)
        return out

    def _render_part(self, part: TemplatePart, context: Mapping[str, Any]) -> bytes:
        xml = self._run(part, context).encode("utf-8")
        fields = b"instrText" in xml or b"fldSimple" in xml  # fields the template wrote itself
        if not fields and parses(xml):
            return xml  # the tree below would be built only to be thrown away
        try:
            tree = etree.fromstring(xml, PARSER).getroottree()
        except etree.XMLSyntaxError as exc:
            raise self._error(
                "template-xml", f"模板生成的{part_label(part.name)}不是有效的 Word XML（{exc.msg}）。",
                "{%p …%} 标签必须单独占一个段落，{%tr …%} 必须单独占表格的一行；"
                "请检查最近修改过的标签。") from None
        if tree.docinfo.doctype:
            raise self._error("template-unsafe", f"模板生成的{part_label(part.name)}含有 DTD 声明。",
                              "模板不能输出 <!DOCTYPE>；请删去输出原始 XML 的标签。")
        if fields:
            try:
                check_fields(part.name, tree.getroot())
            except Refusal as refusal:
                raise DangjianError([refusal.diagnostic(self.shown)]) from None
        return xml

    def _run(self, part: TemplatePart, context: Mapping[str, Any]) -> str:
        """The part rendered; every failure becomes a diagnostic with its place in the template."""
        try:
            rendered = part.template.render(context)
        except MissingValueError as exc:
            if exc.unsafe:
                raise self._located("template-unsafe", part.name, part.source, _template_line(exc),
                                    f"模板试图访问不安全的属性“{exc.name}”。",
                                    "模板只能引用数据项，不能访问程序内部的属性或方法。") from None
            raise self._located(
                "template-missing", part.name, part.source, _template_line(exc),
                f"模板引用了不存在的数据项“{exc.name}”。",
                "请改正模板中的名称（可用的数据项见 docs/api.md 的“模板变量”），"
                "或在数据文件中补充相应内容。") from None
        except TemplateLimitError as exc:
            code = exc.code
            raise self._located(code, part.name, part.source, _template_line(exc),
                                exc.message, exc.hint) from None
        except SecurityError as exc:
            raise self._located("template-unsafe", part.name, part.source, _template_line(exc),
                                f"模板试图执行不安全的操作（{exc}）。",
                                "模板只能引用数据项，不能访问程序内部的属性或方法。") from None
        except RecursionError as exc:
            raise self._located("template-too-deep", part.name, part.source, _template_line(exc),
                                "模板中的宏、循环或表达式嵌套过深。",
                                "请检查宏是否调用了它自己，或减少嵌套。") from None
        except MemoryError as exc:
            raise self._located("template-too-large", part.name, part.source, _template_line(exc),
                                "模板套用数据时内存不足。", "请删去模板中生成大量内容的计算或循环。") from None
        except Exception as exc:  # a template is never a traceback
            raise self._located("template-error", part.name, part.source, _template_line(exc),
                                f"模板渲染出错（{_describe(exc)}）。", "请检查这一段中的模板标签。") from None
        return rendered.replace("\n<w:p", "<w:p")

    # -- errors ------------------------------------------------------------------------
    def _error(self, code: str, message: str, hint: str) -> DangjianError:
        return DangjianError([Diagnostic(Severity.ERROR, code, message, file=self.shown, hint=hint)])

    def _located(self, code: str, name: str, source: str, line: int | None, message: str,
                 hint: str) -> DangjianError:
        where = paragraph_at(source, line)
        message = f"{message}出错位置：{part_label(name)}的{where}" if where else \
            f"{message}出错位置：{part_label(name)}。"
        return DangjianError([Diagnostic(Severity.ERROR, code, message, file=self.shown, hint=hint)])


_DESCRIPTIONS: tuple[tuple[type[BaseException], str], ...] = (
    (re.error, "标签写法不对"),
    (ZeroDivisionError, "除数为零"),
    (OverflowError, "数值过大"),
    (KeyError, "找不到键"),
    (IndexError, "序号超出范围"),
    (TypeError, "数据类型不匹配或参数不对"),
    (ValueError, "取值或格式写法不对"),
    (AssertionError, "参数不符合要求"),
    (AttributeError, "没有这个属性"),
    (jinja2.TemplateError, "模板错误"),
)


def _describe(exc: BaseException) -> str:
    """A Chinese name for what went wrong, with Python's own words kept for whoever debugs."""
    kind = next((text for cls, text in _DESCRIPTIONS if isinstance(exc, cls)), "运行出错")
    detail = str(exc).strip()
    if len(detail) > 120:
        detail = detail[:120] + "…"
    return f"{kind}：{detail}" if detail else kind


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


_TRIM_CLOSE = re.compile(r"-%\}")
_TRIM_STOP = re.compile(r"<w:t|\{%|\{\{")


def cleanup_scan(xml: str) -> int:
    """How many characters docxtpl's ``-%}(?:(?!<w:t[ >]|{%|{{).)*?<w:t[^>]*?>`` will scan.

    From each ``-%}`` the pattern scans to the next ``<w:t…`` (a match, which consumes what it
    spans) or ``{%``/``{{``/the end (no match, and the next ``-%}`` scans the same text again).
    Simulated here in linear time, so a part built to make it quadratic is refused unread.
    """
    stops = [(m.start(), m.group()) for m in _TRIM_STOP.finditer(xml)]
    places = [place for place, _ in stops]
    scanned = resume = 0
    for match in _TRIM_CLOSE.finditer(xml):
        start = match.start()
        if start < resume:
            continue
        k = bisect.bisect_left(places, match.end())
        if k == len(stops):
            scanned += len(xml) - start
            continue
        place, stop = stops[k]
        scanned += place - start
        if stop == "<w:t":
            resume = place
    return scanned


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
def _prepared(path: str, device: int, inode: int, mtime_ns: int, size: int,
              letterhead: tuple[str, int, int, int, int] | None = None) -> PreparedTemplate:
    """The template at ``path`` (absolute, as given) prepared, for this version of the file it
    names: resolved once, here, not on every render."""
    return PreparedTemplate(Path(path).resolve(), Path(letterhead[0]).resolve() if letterhead else None)


def prepare(path: Path, letterhead: Path | None = None) -> PreparedTemplate:
    """A prepared template (with ``letterhead`` on its first page), reused while the files are
    unchanged (a batch prepares it once)."""
    stat = _stat(path, "template-missing-file", "模板文件不存在。", "请检查模板路径，或从 templates/ 恢复原模板。")
    own = None
    if letterhead is not None:
        found = _stat(letterhead, "letterhead-missing-file", "红头模板文件不存在。",
                      "请检查 --letterhead 或配置文件中 letterhead 的路径。")
        own = (os.path.abspath(letterhead), found.st_dev, found.st_ino, found.st_mtime_ns, found.st_size)
    return _prepared(os.path.abspath(path), stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size, own)


def is_bundled(template: Path) -> bool:
    """Whether ``template`` is one of the templates shipped in :func:`~..resources.templates_dir`
    (those are not checked as a user's own before every render)."""
    try:
        stat = template.stat()
    except OSError:
        return _in_templates_dir(template)
    return _bundled(os.path.abspath(template), stat.st_dev, stat.st_ino)


@functools.lru_cache(maxsize=64)
def _bundled(path: str, device: int, inode: int) -> bool:
    """Answered once for a path and the file it names (a file swapped in under the name is a new file)."""
    return _in_templates_dir(Path(path))


def _in_templates_dir(template: Path) -> bool:
    return template.resolve().parent == templates_dir().resolve()


def _stat(path: Path, code: str, message: str, hint: str) -> os.stat_result:
    try:
        return path.stat()
    except OSError:
        raise DangjianError([Diagnostic(Severity.ERROR, code, message, file=display_path(path), hint=hint)]) from None
