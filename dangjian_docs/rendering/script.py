"""Writing a document in traditional characters: the rendered text converted, the data left alone.

The data, the catalogue and the templates stay in simplified characters; a ``hant`` build
converts what a reader sees, once, after rendering: every ``w:t`` of the text parts (templates'
fixed text included), the title that names the file, and the document's properties. Messages
stay simplified. OpenCC (and lxml) are imported only when a ``hant`` build asks for them, so
that the command line and the repo config can name the scripts for free.

The conversion is OpenCC's ``s2hk`` (simplified → Hong Kong standard forms). Seed 004, the
traditional-script plans an office writes, uses 為、眾 (not OpenCC's own 爲、衆) together
with 羣、牀、着、裏 (not Taiwan's 群、床、著、裡): converted back to simplified and forward again,
``s2hk`` gives back all of the seed's 19,304 characters but one (its 啓 for 啟);
``s2tw`` differs in 123 and ``s2t`` in 230.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from lxml import etree

Script = Literal["hans", "hant"]
SCRIPTS: tuple[Script, ...] = ("hans", "hant")
"""``hans`` 简体 (the data's own script, nothing converted), ``hant`` 繁体."""
OPENCC_CONFIG = "s2hk"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")


@functools.lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    import opencc  # only a hant build pays for loading the dictionaries

    return opencc.OpenCC(OPENCC_CONFIG).convert


def in_script(text: str, script: Script = "hans") -> str:
    """``text`` in ``script``: unchanged for ``hans``, converted for ``hant``."""
    if script == "hans" or not text:
        return text
    return _converter()(text)


def convert_parts(parts: Mapping[str, bytes], script: Script = "hans") -> dict[str, bytes]:
    """Every text part of a rendered document with its visible text in ``script``.

    A paragraph is converted as a whole (OpenCC picks a character by the phrase around it,
    and a phrase may span runs), then given back to its runs by their lengths; other parts
    and all markup are kept as they are.
    """
    out = dict(parts)
    if script == "hans":
        return out
    for name, xml in parts.items():
        if _TEXT_PARTS.fullmatch(name) and b"<w:t" in xml:
            out[name] = _convert_part(xml, script)
    return out


def _convert_part(xml: bytes, script: Script) -> bytes:
    from lxml import etree

    from .template_package import PARSER

    tree = etree.fromstring(xml, PARSER).getroottree()
    for paragraph in tree.getroot().iter(f"{_W}p"):
        nodes = [t for t in paragraph.iter(f"{_W}t") if _paragraph_of(t) is paragraph and t.text]
        if not nodes:
            continue
        whole = "".join(t.text or "" for t in nodes)
        converted = in_script(whole, script)
        if len(converted) == len(whole):
            start = 0
            for node in nodes:
                size = len(node.text or "")
                node.text = converted[start:start + size]
                start += size
        else:  # a conversion that changed a length cannot be split back: run by run
            for node in nodes:
                node.text = in_script(node.text or "", script)
    info = tree.docinfo
    return etree.tostring(tree, xml_declaration=True, encoding=info.encoding or "UTF-8",
                          standalone=info.standalone)


def _paragraph_of(node: etree._Element) -> etree._Element | None:
    """The nearest paragraph holding ``node`` (a text box's paragraph is its own, not the outer one's)."""
    parent = node.getparent()
    while parent is not None and parent.tag != f"{_W}p":
        parent = parent.getparent()
    return parent
