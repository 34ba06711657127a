"""Templates with one planted defect each, made from a built-in one, for tests of check-template.

Each edit works on the parts' XML the way Word would have left it (a tag in its own run, in
two runs, over two paragraphs, in a table cell), so the defects are the ones clerks make.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"


def paragraph(*runs: str, style: str = "BodyText") -> etree._Element:
    """A w:p in ``style`` with one w:r per item of ``runs``."""
    p = etree.Element(f"{W}p", nsmap={"w": W_NS})
    ppr = etree.SubElement(p, f"{W}pPr")
    etree.SubElement(ppr, f"{W}pStyle", {f"{W}val": style})
    for text in runs:
        run = etree.SubElement(p, f"{W}r")
        t = etree.SubElement(run, f"{W}t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def body_paragraphs(root: etree._Element) -> list[etree._Element]:
    """Paragraphs outside tables, in order: paragraph n of check-template is item n - 1."""
    return [p for p in root.iter(f"{W}p") if next(p.iterancestors(f"{W}tc"), None) is None]


def text_of(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def first_paragraph_with(root: etree._Element, text: str) -> etree._Element:
    return next(p for p in root.iter(f"{W}p") if text_of(p) == text)


def insert_after(anchor: etree._Element, new: Sequence[etree._Element]) -> None:
    for element in reversed(new):
        anchor.addnext(element)


def set_text(p: etree._Element, *runs: str) -> None:
    """Replace a paragraph's runs by ``runs``, keeping its properties."""
    for run in p.findall(f"{W}r"):
        p.remove(run)
    for text in runs:
        run = etree.SubElement(p, f"{W}r")
        t = etree.SubElement(run, f"{W}t")
        t.text = text


def make(folder: Path, name: str, kind: str = "report",
         document: Callable[[etree._Element], None] | None = None,
         parts: dict[str, Callable[[bytes], bytes]] | None = None) -> Path:
    """A copy of the built-in ``kind`` template with its document.xml (and other parts) edited."""
    out = folder / f"{name}.docx"
    with zipfile.ZipFile(REPO / "templates" / f"{kind}.docx") as src, zipfile.ZipFile(out, "w") as dst:
        for entry in src.namelist():
            data = src.read(entry)
            if entry == "word/document.xml" and document is not None:
                root = etree.fromstring(data)
                document(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            if parts and entry in parts:
                data = parts[entry](data)
            dst.writestr(entry, data, zipfile.ZIP_DEFLATED)
    return out
