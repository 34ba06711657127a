"""Reading a .docx template safely: the zip is checked before anything is inflated.

A template is untrusted. Its sizes, names and compression are checked from the zip's
directory before any part is read, then each part is read through a bounded reader (a
directory that lies about a size cannot make us inflate more), then its XML is parsed with a
parser that loads no DTD and fetches nothing, and its relationships are checked for anything
Word would fetch from outside the document. Each refusal names the template, the part and
the reason in Chinese.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..diagnostics import DangjianError, Diagnostic, Severity
from ..inputs import Refused, read_bounded
from . import limits

TEMPLATED = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
"""The parts that may hold Jinja tags (the ones a reader sees)."""

_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_FETCHING_FIELDS = re.compile(r"\b(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b", re.IGNORECASE)
"""Anywhere in a paragraph's field codes, not only first: a field may sit after another one or
inside an IF. ``HYPERLINK`` has no word boundary before its LINK and is allowed."""
_DRIVE = re.compile(r"^[A-Za-z]:")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")  # file:, http:, C: … : not a part inside the package
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_XML_SUFFIXES = (".xml", ".rels")
_MACRO_TYPES = ("macroEnabled", "vbaProject")

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                         dtd_validation=False, huge_tree=False, remove_blank_text=False)
"""The only parser used on template XML: no DTD, no entities, no network, libxml2's size caps."""

_MB = limits.MB


def part_label(name: str) -> str:
    """A part named for a clerk: 正文 (word/document.xml), 页眉 (word/header1.xml) …"""
    base = posixpath.basename(name)
    for prefix, label in (("document.", "正文"), ("header", "页眉"), ("footer", "页脚"),
                          ("footnotes", "脚注"), ("endnotes", "尾注"), ("styles", "样式")):
        if base.startswith(prefix) and name.startswith("word/"):
            return f"{label}（{name}）"
    return f"部件 {name}"


@dataclass
class TemplatePackage:
    """The parts of a checked template, in the zip's order."""

    order: list[str] = field(default_factory=list)
    parts: dict[str, bytes] = field(default_factory=dict)


class Refusal(Exception):
    """A template refused: raised inside this module, turned into a diagnostic by callers."""

    def __init__(self, diagnostic_code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code, self.message, self.hint = diagnostic_code, message, hint

    def diagnostic(self, shown: str) -> Diagnostic:
        code = self.code
        return Diagnostic(Severity.ERROR, code, self.message, file=shown, hint=self.hint)


def refuse(code: str, message: str, hint: str) -> Refusal:
    """A :class:`Refusal`; codes go through here so tests/test_docs.py can read them."""
    return Refusal(code, message, hint)


_RESAVE = "请用 Word 或 WPS 打开模板后另存为 .docx，或从 templates/ 恢复原模板。"


def read_package(path: Path, shown: str) -> TemplatePackage:
    """The parts of the template at ``path``; raises :class:`DangjianError` naming ``shown``."""
    try:
        return _read(path)
    except Refusal as refusal:
        raise DangjianError([refusal.diagnostic(shown)]) from None


def _read(path: Path) -> TemplatePackage:
    try:
        raw = read_bounded(path, limits.MAX_FILE_BYTES)
    except Refused as refusal:
        raise _template_refusal(refusal) from None
    package = TemplatePackage()
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
            wanted = _check_directory(infos)
            for info in wanted:
                package.order.append(info.filename)
                package.parts[info.filename] = _read_part(archive, info)
    except Refusal:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, NotImplementedError,
            RuntimeError, OSError):
        raise refuse("template-unreadable", "模板无法打开（不是 .docx 格式，或文件已损坏）。",
                     "模板必须是 Word 保存的 .docx 文件；请确认文件完整，"
                     "或从 templates/ 恢复原模板。") from None
    if "word/document.xml" not in package.parts:
        raise refuse("template-unreadable", "模板不是 Word 文档（缺少 word/document.xml）。",
                     "请用 Word 或 WPS 另存为 .docx 格式。")
    if "[Content_Types].xml" not in package.parts:
        raise refuse("template-broken", "模板缺少 [Content_Types].xml，Word 无法打开这样的文件。", _RESAVE)
    _check_parts(package)
    return package


def _template_refusal(refusal: Refused) -> Refusal:
    """The shared reader's refusal in a template's words."""
    if refusal.code == "file-too-large" and refusal.size is not None:
        return refuse("template-too-large",
                      f"模板文件有 {refusal.size / _MB:.1f} MB，超过上限 {limits.MAX_FILE_BYTES // _MB} MB。",
                      "模板只需要版式和少量图片；请压缩或删除模板中的大图片。")
    if refusal.code == "not-a-file":  # a pipe or a device would be read forever
        return refuse("template-unreadable", "模板不是普通文件（是文件夹、管道或设备）。",
                      "请指定 Word 保存的 .docx 文件。")
    if refusal.code == "unreadable":
        return refuse("template-unreadable", f"模板无法打开（{refusal.message.rstrip('。')}）。", _RESAVE)
    return refuse("outside-repo", refusal.message, refusal.hint)  # the only other refusal


# -- the zip directory, before anything is inflated --------------------------------------
def _check_directory(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    if len(infos) > limits.MAX_ENTRIES:
        raise refuse("template-too-large",
                       f"模板中有 {len(infos)} 个文件，超过上限 {limits.MAX_ENTRIES} 个。", _RESAVE)
    seen: set[str] = set()
    total = 0
    wanted = []
    for info in infos:
        name = info.filename
        _check_name(name)
        if name.endswith("/"):
            continue  # a folder entry some zip tools add; Word does not need it
        key = name.casefold()  # part names are case-insensitive in a .docx
        if key in seen:
            raise refuse("template-unsafe", f"模板中有两个同名部件“{name}”，Word 会拒绝打开。", _RESAVE)
        seen.add(key)
        if info.flag_bits & 0x1:
            raise refuse("template-unsafe", f"模板中的{part_label(name)}被加密，无法读取。",
                           "请去掉模板的密码保护后另存为 .docx。")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse("template-broken",
                           f"模板中的{part_label(name)}使用了 Word 不支持的压缩方式（{info.compress_type}）。",
                           _RESAVE)
        cap = limits.MAX_XML_PART_BYTES if name.endswith(_XML_SUFFIXES) else limits.MAX_PART_BYTES
        if info.file_size > cap:
            raise refuse("template-too-large",
                           f"模板中的{part_label(name)}解压后有 {info.file_size / _MB:.1f} MB，"
                           f"超过单个部件的上限 {cap // _MB} MB。",
                           "模板只需要版式和少量图片；请删除多余内容或压缩图片后另存。")
        if (info.file_size > limits.RATIO_FLOOR_BYTES
                and info.file_size > limits.MAX_RATIO * max(info.compress_size, 1)):
            raise refuse("template-too-large",
                           f"模板中的{part_label(name)}压缩比异常（{info.compress_size} 字节解压为 "
                           f"{info.file_size / _MB:.1f} MB，超过 {limits.MAX_RATIO} 倍），疑似“压缩炸弹”。",
                           _RESAVE)
        total += info.file_size
        if total > limits.MAX_TOTAL_BYTES:
            raise refuse("template-too-large",
                           f"模板解压后超过 {limits.MAX_TOTAL_BYTES // _MB} MB。",
                           "模板只需要版式和少量图片；请删除多余内容或压缩图片后另存。")
        wanted.append(info)
    return wanted


def _check_name(name: str) -> None:
    segments = name.rstrip("/").split("/")
    if (not name or name.startswith("/") or "\\" in name or _DRIVE.match(name)
            or _CONTROL.search(name) or any(s in ("", ".", "..") for s in segments)):
        raise refuse("template-unsafe",
                       f"模板中有路径不安全的部件“{_CONTROL.sub('?', name)}”（指向模板之外或含有非法字符）。",
                       "这不是 Word 保存的文件；" + _RESAVE)


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """At most the declared size plus one byte, so a lying directory cannot inflate more."""
    with archive.open(info) as stream:
        data = stream.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise refuse("template-broken",
                       f"模板中的{part_label(info.filename)}实际大小与记录不符，文件已损坏或被篡改。", _RESAVE)
    return data


# -- the parts' content ------------------------------------------------------------------
def _check_parts(package: TemplatePackage) -> None:
    for name in package.order:
        if "vbaproject" in name.casefold():
            raise refuse("template-unsafe", f"模板含有宏（{name}），.docx 文件不能带宏。",
                           "请另存为不含宏的 .docx（“Word 文档”格式）。")
        data = package.parts[name]
        if not name.endswith(_XML_SUFFIXES) and name != "[Content_Types].xml":
            continue
        if TEMPLATED.fullmatch(name):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                raise refuse("template-broken",
                               f"模板中的{part_label(name)}不是 UTF-8 编码，无法套用数据。", _RESAVE) from None
        root = parse_xml(name, data)
        if name.endswith(".rels"):
            _check_relationships(name, root)
        elif name == "[Content_Types].xml":
            _check_content_types(root)
        elif TEMPLATED.fullmatch(name):
            check_fields(name, root)


def parse_xml(name: str, data: bytes) -> etree._Element:
    """The part's root; refuses broken XML and any DTD (Word refuses both)."""
    try:
        tree = etree.fromstring(data, PARSER).getroottree()
    except etree.XMLSyntaxError as exc:
        where = f"第 {exc.lineno} 行" if exc.lineno else ""
        raise refuse("template-broken",
                       f"模板中的{part_label(name)}{where}不是有效的 XML（{exc.msg}），Word 无法打开。",
                       _RESAVE) from None
    if tree.docinfo.doctype:
        raise refuse("template-unsafe", f"模板中的{part_label(name)}含有 DTD 声明，Word 文档不允许。", _RESAVE)
    return tree.getroot()


def _check_relationships(name: str, root: etree._Element) -> None:
    # word/_rels/document.xml.rels describes word/document.xml: targets are relative to word/
    folder = posixpath.dirname(posixpath.dirname(name))
    for rel in root.iter(f"{_RELS_NS}Relationship"):
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if (rel.get("TargetMode") or "").lower() == "external":
            if kind != "hyperlink":
                raise refuse("template-unsafe",
                               f"模板引用了外部资源（{kind}：{target[:80]}），Word 打开文档时会去读取它。",
                               "请在 Word 中去掉对外部模板、链接图片或链接对象的引用"
                               "（“开发工具 → 文档模板”或“编辑指向文件的链接”），再另存。")
            continue
        target = unquote(target)  # Word reads part names as URIs: %2e%2e is ..
        if "\\" in target or _SCHEME.match(target) or target.startswith("//") or _climbs_out(folder, target):
            raise refuse("template-unsafe", f"模板中的关系指向模板之外（{target[:80]}）。", _RESAVE)


def _climbs_out(folder: str, target: str) -> bool:
    """Whether ``target`` (relative to ``folder``, or absolute) goes above the package root."""
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    depth = 0
    for segment in path.split("/"):
        if segment == "..":
            depth -= 1
            if depth < 0:
                return True
        elif segment not in ("", "."):
            depth += 1
    return False


def _check_content_types(root: etree._Element) -> None:
    for override in root.iter(f"{_CT_NS}Override", f"{_CT_NS}Default"):
        if any(word in (override.get("ContentType") or "") for word in _MACRO_TYPES):
            raise refuse("template-unsafe", "模板是启用宏的文档（.docm/.dotm），.docx 文件不能带宏。",
                           "请另存为不含宏的 .docx（“Word 文档”格式）。")


def check_fields(name: str, root: etree._Element) -> None:
    """Refuse fields that make Word fetch a file or run a link when the document opens.

    A field's code may be split over several runs (``INCLUDE`` + ``PICTURE``), so the codes of
    one paragraph are read together; only field elements are visited, not every paragraph.
    """
    codes: dict[etree._Element | None, list[str]] = {}
    for element in root.iter(f"{_W}instrText", f"{_W}fldSimple"):
        code = element.text if element.tag == f"{_W}instrText" else element.get(f"{_W}instr")
        paragraph = next(element.iterancestors(f"{_W}p"), None)
        codes.setdefault(paragraph, []).append(code or "")
    for parts in codes.values():
        found = _FETCHING_FIELDS.search("".join(parts)) or _FETCHING_FIELDS.search(" ".join(parts))
        if found:
            raise refuse("template-unsafe",
                         f"模板中的{part_label(name)}含有 {found.group(1).upper()} 域，"
                         "Word 打开文档时会读取外部文件。",
                         "请在 Word 中选中该域，按 Ctrl+Shift+F9 转为普通文字后另存。")
