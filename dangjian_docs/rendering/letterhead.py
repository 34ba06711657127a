"""An office's letterhead (红头) put on a built-in template: its first page, its body kept.

A letterhead is a .docx an office makes in Word: what it types in the body (the issuer's name
in red, a logo, the red rule under it) goes at the top of the first page, above the title;
its header (the first-page header, else the header) becomes the document's first-page header.
Pictures and other parts they refer to come along, renamed so that nothing of the template is
overwritten, and every relationship id is rewritten to the new names. The template keeps its
styles, page set-up, footers and body. Both packages have passed the hardening checks of
:mod:`.template_package` before they meet here; the merged package is prepared like a template
(Jinja tags in a letterhead, such as ``{{ logo }}`` or ``{{ doc.head.number }}``, render too).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from lxml import etree

from .package import free_part_name
from .template_package import PARSER, TemplatePackage, refuse

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = f"{{{W_NS}}}"
_R = f"{{{R_NS}}}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MC_IGNORABLE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_CARRIED = {"image", "hyperlink"}
"""What the letterhead's body and header may refer to: pictures and links (checked as safe)."""
_AFTER_TITLE_PG = {"textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"}
_HEADER_NAME = re.compile(r"word/header(\d*)\.xml")

_HINT = "红头模板只需在正文中排好发文机关标志、标志图片和红色分隔线（页眉中也可以放标志）；请删去其他内容后另存。"


def merge(template: TemplatePackage, letterhead: TemplatePackage) -> TemplatePackage:
    """``template`` with ``letterhead``'s body at the top of its first page and its header there.

    Raises :class:`.template_package.Refusal` (for the letterhead) when it holds what cannot be
    carried: a section break, or a reference to a part other than a picture or a link.
    """
    parts = dict(template.parts)
    order = list(template.order)
    merger = _Merger(parts, order, letterhead)
    document = etree.fromstring(parts["word/document.xml"], PARSER)
    own = etree.fromstring(letterhead.parts["word/document.xml"], PARSER)
    document = _with_namespaces(document, own)
    body, own_body = document.find(f"{_W}body"), own.find(f"{_W}body")
    if body is None or own_body is None:
        raise refuse("letterhead-content", "红头模板的正文是空的（没有 w:body）。", _HINT)
    carried = [child for child in own_body if child.tag != f"{_W}sectPr"]
    for child in carried:
        if child.find(f".//{_W}sectPr") is not None:
            raise refuse("letterhead-content", "红头模板中有分节符，红头只能排在文稿第一页的顶部。",
                         "请在 Word 中删去分节符（“开始 → 显示编辑标记”后可以看到），只保留红头的内容。")
        merger.carry(child, "word/document.xml")
    for i, child in enumerate(carried):
        body.insert(i, child)
    header = _first_header(own, letterhead)
    if header is not None:
        rel_id = merger.header(header)
        # which section comes first is known only once the template has rendered (a 版记 in a
        # {%p if %} block brings sections of its own): every section gets the first-page header,
        # and :func:`first_page` turns it on for the one that is first
        for section in body.iter(f"{_W}sectPr"):
            _add_first_header(section, rel_id)
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    merger.finish()
    return TemplatePackage(order, parts)


def _with_namespaces(root: etree._Element, other: etree._Element) -> etree._Element:
    """``root`` declaring ``other``'s prefixes too, and ignoring what either ignores (Word's
    extensions such as ``w14``), so carried elements keep their prefixes and Word its tolerance."""
    nsmap = {**{k: v for k, v in other.nsmap.items() if k not in root.nsmap and v not in root.nsmap.values()},
             **root.nsmap}
    new = etree.Element(root.tag, nsmap=nsmap)
    for key, value in root.attrib.items():
        new.set(key, value)
    ignorable = dict.fromkeys((root.get(_MC_IGNORABLE) or "").split() + (other.get(_MC_IGNORABLE) or "").split())
    kept = " ".join(prefix for prefix in ignorable if prefix in nsmap)
    if kept and any(v == "http://schemas.openxmlformats.org/markup-compatibility/2006" for v in nsmap.values()):
        new.set(_MC_IGNORABLE, kept)
    new.text = root.text
    for child in list(root):
        new.append(child)
    return new


def _first_header(document: etree._Element, letterhead: TemplatePackage) -> str | None:
    """The letterhead's first-page header, else its header, as a part name; ``None`` if none."""
    section = document.find(f"{_W}body/{_W}sectPr")
    if section is None:
        return None
    references = {ref.get(f"{_W}type") or "default": ref.get(f"{_R}id") for ref in section.iter(f"{_W}headerReference")}
    rel_id = references.get("first") or references.get("default")
    if rel_id is None:
        return None
    for rel in _relationships(letterhead, "word/document.xml"):
        if rel.get("Id") == rel_id:
            return posixpath.normpath(posixpath.join("word", rel.get("Target") or ""))
    return None


def _add_first_header(section: etree._Element, rel_id: str) -> None:
    """Make ``rel_id`` the section's first-page header; its first page keeps the template's footer."""
    for ref in list(section.iter(f"{_W}headerReference")):
        if ref.get(f"{_W}type") == "first":
            section.remove(ref)
    footers = {ref.get(f"{_W}type") or "default": ref for ref in section.iter(f"{_W}footerReference")}
    reference = etree.Element(f"{_W}headerReference")
    reference.set(f"{_W}type", "first")
    reference.set(f"{_R}id", rel_id)
    section.insert(0, reference)
    if "first" not in footers and "default" in footers:  # the page number stays on page one
        footer = etree.Element(f"{_W}footerReference")
        footer.set(f"{_W}type", "first")
        footer.set(f"{_R}id", footers["default"].get(f"{_R}id") or "")
        section.insert(1, footer)


def first_page(document: bytes) -> bytes:
    """The rendered ``word/document.xml`` with its first section showing the first-page header."""
    root = etree.fromstring(document, PARSER)
    section = next(root.iter(f"{_W}sectPr"), None)
    if section is None or section.find(f"{_W}titlePg") is not None:
        return document
    title_page = etree.Element(f"{_W}titlePg")
    later = next((c for c in section if etree.QName(c).localname in _AFTER_TITLE_PG), None)
    if later is not None:
        later.addprevious(title_page)
    else:
        section.append(title_page)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _relationships(package: TemplatePackage, part: str) -> Iterator[etree._Element]:
    folder, name = posixpath.split(part)
    data = package.parts.get(posixpath.join(folder, "_rels", name + ".rels"))
    if data is None:
        return iter(())
    return etree.fromstring(data, PARSER).iter(f"{_RELS}Relationship")


class _Merger:
    """Carries parts from the letterhead into the template's parts under names of their own."""

    def __init__(self, parts: dict[str, bytes], order: list[str], letterhead: TemplatePackage) -> None:
        self.parts, self.order, self.letterhead = parts, order, letterhead
        self.names = {name.casefold() for name in parts}
        self.copied: dict[str, str] = {}
        """Letterhead part → its name in the document."""
        self.new_rels: dict[str, list[tuple[str, str, str, str | None]]] = {}
        """Document part → (id, type, target, target mode) added to its relationships."""
        self.taken: dict[str, set[str]] = {}
        self.types: dict[str, str] = {}

    def carry(self, element: etree._Element, into: str, source: str = "word/document.xml") -> None:
        """Rewrite every relationship id in ``element`` (from ``source``) to one of ``into``'s."""
        rels = {rel.get("Id"): rel for rel in _relationships(self.letterhead, source)}
        renamed: dict[str, str] = {}
        for node in element.iter():
            for key, value in node.attrib.items():
                if not key.startswith(_R) or value not in rels:
                    continue
                if value not in renamed:
                    renamed[value] = self._carry_rel(rels[value], source, into)
                node.set(key, renamed[value])

    def _carry_rel(self, rel: etree._Element, source: str, into: str) -> str:
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        if kind not in _CARRIED:
            raise refuse("letterhead-content", f"红头模板中有不能带入文稿的内容（{kind}）。", _HINT)
        target = rel.get("Target") or ""
        mode = rel.get("TargetMode")
        if mode is None or mode.lower() != "external":
            part = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            if part not in self.letterhead.parts:
                raise refuse("letterhead-content", f"红头模板引用的部件“{part}”不存在，文件已损坏。",
                             "请用 Word 打开红头模板后另存为 .docx。")
            target = posixpath.relpath(self._copy(part), posixpath.dirname(into))
        return self._add_rel(into, REL + kind if kind == "image" else rel.get("Type") or "", target, mode)

    def _copy(self, part: str) -> str:
        if part not in self.copied:
            folder, name = posixpath.split(part)
            new = free_part_name(posixpath.join(folder, "letterhead-" + name), self.names)
            self.parts[new] = self.letterhead.parts[part]
            self.order.append(new)
            self.copied[part] = new
            self.types[new] = self._content_type(part)
        return self.copied[part]

    def _content_type(self, part: str) -> str:
        types = etree.fromstring(self.letterhead.parts["[Content_Types].xml"], PARSER)
        for override in types.iter(f"{_CT}Override"):
            if (override.get("PartName") or "").lstrip("/") == part:
                return override.get("ContentType") or ""
        extension = part.rsplit(".", 1)[-1].casefold()
        for default in types.iter(f"{_CT}Default"):
            if (default.get("Extension") or "").casefold() == extension:
                return default.get("ContentType") or ""
        return "application/octet-stream"

    def _add_rel(self, into: str, kind: str, target: str, mode: str | None) -> str:
        if into not in self.taken:
            folder, name = posixpath.split(into)
            data = self.parts.get(posixpath.join(folder, "_rels", name + ".rels"), b"")
            self.taken[into] = set(re.findall(r'\bId="([^"]*)"', data.decode("utf-8", "replace")))
        number = 1
        while f"rIdLetterhead{number}" in self.taken[into]:
            number += 1
        rel_id = f"rIdLetterhead{number}"
        self.taken[into].add(rel_id)
        self.new_rels.setdefault(into, []).append((rel_id, kind, target, mode))
        return rel_id

    def header(self, part: str) -> str:
        """Copy the letterhead's header ``part`` (with what it refers to); its id in the document."""
        numbers = [int(m.group(1) or 0) for name in self.parts if (m := _HEADER_NAME.fullmatch(name))]
        new = f"word/header{max(numbers, default=0) + 1}.xml"  # a header name, so its tags render
        self.names.add(new.casefold())
        root = etree.fromstring(self.letterhead.parts[part], PARSER)
        self.carry(root, new, part)
        self.parts[new] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        self.order.append(new)
        self.types[new] = HEADER_TYPE
        return self._add_rel("word/document.xml", REL + "header", posixpath.basename(new), None)

    def finish(self) -> None:
        """Write the relationships and content types of everything carried."""
        for into, rels in self.new_rels.items():
            folder, name = posixpath.split(into)
            rels_name = posixpath.join(folder, "_rels", name + ".rels")
            entries = "".join(
                f'<Relationship Id="{rel_id}" Type="{kind}" Target="{_attr(target)}"'
                + (f' TargetMode="{mode}"' if mode else "") + "/>"
                for rel_id, kind, target, mode in rels)
            if rels_name in self.parts:
                text = self.parts[rels_name].decode("utf-8")
                self.parts[rels_name] = text.replace("</Relationships>", entries + "</Relationships>", 1).encode()
            else:
                self.parts[rels_name] = (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    + entries + "</Relationships>").encode()
                self.order.append(rels_name)
        if self.types:
            overrides = "".join(f'<Override PartName="/{name}" ContentType="{_attr(kind)}"/>'
                                for name, kind in self.types.items())
            text = self.parts["[Content_Types].xml"].decode("utf-8")
            self.parts["[Content_Types].xml"] = text.replace("</Types>", overrides + "</Types>", 1).encode()


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
