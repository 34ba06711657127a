"""Pictures in a rendered package: a drawing where the template prints one, and the parts behind it.

A template prints ``{{ photo.image }}``; what it gets is the XML of an inline drawing that
refers to a relationship id. The ids, the media parts, the relationships and the content
types are made here, while the parts render (:class:`Media` is active for one document), so
that a picture nobody prints adds nothing, and a document without pictures is the template's
parts unchanged. Names come from the order pictures are printed in and ids already used in the
template, never from a clock or a random source: the same input gives the same bytes.
"""

from __future__ import annotations

import contextlib
import contextvars
import posixpath
import re
from collections.abc import Iterator, Mapping, MutableMapping

from markupsafe import Markup

from ..images import InlineImage, Picture
from ..record import Record
from . import guards
from .package import escape, free_part_name
from .sandbox import xml_safe

EMU_PER_CM = 360000
REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_RELS_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">')
_DOC_PR_ID = re.compile(rb'<(?:wp:)?docPr\b[^>]*?\bid="(\d+)"')
_REL_ID = re.compile(r'\bId="([^"]*)"')
_DEFAULT = re.compile(r'<Default\b[^>]*\bExtension="([^"]*)"', re.IGNORECASE)


class Drawing(Markup):
    """XML a template prints as it is; only this module makes one (a template cannot)."""

    __slots__ = ()


class Size(Record):
    """The largest box a picture is fitted into, keeping its proportions (centimetres)."""

    width_cm: float
    height_cm: float


def extent(picture: Picture, box: Size) -> tuple[int, int]:
    """Width and height in EMU: the picture fitted into ``box``, in integers only."""
    max_w, max_h = round(box.width_cm * EMU_PER_CM), round(box.height_cm * EMU_PER_CM)
    if picture.width * max_h > picture.height * max_w:  # wider than the box
        return max_w, max_w * picture.height // picture.width
    return max_h * picture.width // picture.height, max_h


class Media:
    """The pictures of one document while its parts render."""

    def __init__(self, parts: Mapping[str, bytes]) -> None:
        self.part = ""
        """The part rendering now (``word/document.xml``, ``word/header1.xml``)."""
        self._names: set[str] = set()
        self._next_doc_pr = 0
        """Drawing ids already used in the template are not reused; counted at the first picture."""
        self._media: dict[str, str] = {}
        """Picture digest → its media part."""
        self._pictures: dict[str, Picture] = {}
        self._rels: dict[str, dict[str, str]] = {}
        """Part → picture digest → relationship id."""
        self._taken: dict[str, set[str]] = {}
        self._parts = parts

    def drawing(self, picture: Picture, box: Size, description: str) -> Drawing:
        """The runs of an inline picture, to stand where the template's ``{{ }}`` was."""
        if not self._next_doc_pr:
            self._names = {name.casefold() for name in self._parts}
            self._next_doc_pr = 1 + max((int(m) for data in self._parts.values() if b"docPr" in data
                                         for m in _DOC_PR_ID.findall(data)), default=0)
        rel = self._rel(picture)
        cx, cy = extent(picture, box)
        number = self._next_doc_pr
        self._next_doc_pr += 1
        descr = escape(xml_safe(description)).replace('"', "&quot;")
        return Drawing(
            '</w:t></w:r><w:r><w:drawing>'
            '<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
            'distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{number}" name="图片 {number}" descr="{descr}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/>'
            '</wp:cNvGraphicFramePr>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:nvPicPr><pic:cNvPr id="{number}" name="图片 {number}"/><pic:cNvPicPr/></pic:nvPicPr>'
            '<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
            f'r:embed="{rel}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
            '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
            '<w:r><w:t xml:space="preserve">')

    def _rel(self, picture: Picture) -> str:
        digest = picture.digest
        if digest not in self._media:
            self._media[digest] = free_part_name(f"word/media/dangjian-{len(self._media) + 1}.{picture.format}",
                                                  self._names)
            self._pictures[digest] = picture
        own = self._rels.setdefault(self.part, {})
        if digest not in own:
            taken = self._taken.setdefault(self.part, set(_REL_ID.findall(
                self._parts.get(rels_of(self.part), b"").decode("utf-8", "replace"))))
            number = len(own) + 1
            while f"rIdPicture{number}" in taken:
                number += 1
            own[digest] = f"rIdPicture{number}"
            taken.add(own[digest])
        return own[digest]

    def finish(self, parts: MutableMapping[str, bytes]) -> None:
        """Add the media parts, relationships and content types to ``parts`` (new parts last)."""
        if not self._media:
            return
        for digest, name in self._media.items():
            parts[name] = self._pictures[digest].data
        for part, rels in self._rels.items():
            rels_name = rels_of(part)
            folder = posixpath.dirname(part)
            entries = "".join(
                f'<Relationship Id="{rid}" Type="{REL_IMAGE}" '
                f'Target="{posixpath.relpath(self._media[digest], folder)}"/>'
                for digest, rid in rels.items())
            if rels_name in parts:
                text = parts[rels_name].decode("utf-8")
                parts[rels_name] = text.replace("</Relationships>", entries + "</Relationships>", 1).encode()
            else:
                parts[rels_name] = (_RELS_START + entries + "</Relationships>").encode()
        types = parts["[Content_Types].xml"].decode("utf-8")
        have = {m.casefold() for m in _DEFAULT.findall(types)}
        added = ""
        for picture in self._pictures.values():
            if picture.format not in have:
                added += f'<Default Extension="{picture.format}" ContentType="{picture.content_type}"/>'
                have.add(picture.format)
        if added:
            types = types.replace("<Override", added + "<Override", 1) if "<Override" in types else \
                types.replace("</Types>", added + "</Types>", 1)
            parts["[Content_Types].xml"] = types.encode()


def rels_of(part: str) -> str:
    """``word/_rels/document.xml.rels`` for ``word/document.xml``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


_ACTIVE: contextvars.ContextVar[Media | None] = contextvars.ContextVar("dangjian_docs_media", default=None)


@contextlib.contextmanager
def collecting(media: Media) -> Iterator[Media]:
    """Within the block, pictures printed by a template are added to ``media``."""
    token = _ACTIVE.set(media)
    try:
        yield media
    finally:
        _ACTIVE.reset(token)


def active() -> Media | None:
    return _ACTIVE.get()


def printed(image: InlineImage) -> Markup:
    """What ``{{ image }}`` prints: the drawing, or nothing outside a document's render."""
    media = _ACTIVE.get()
    if media is None:
        return Markup("")
    drawing = media.drawing(image.picture, Size(image.width_cm, image.height_cm), image.description)
    budget = guards.current()
    if budget is not None:
        budget.produce(len(drawing))
    return drawing
