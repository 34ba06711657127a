"""Write samples/letterhead/红头.docx, the sample letterhead docs/images.md builds with.

A one-off, as an office would make its letterhead in Word: the organisation's logo in the
first-page header, the 发文机关标志 in red 方正小标宋简体 centred in the body, and the red rule
under it (a paragraph border the width of the type area). Run it again only to change the sample:

    .venv/bin/python tools/make_letterhead.py
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "samples" / "letterhead"
RED = RGBColor(0xFF, 0x00, 0x00)
RULE = ('<w:pBdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:bottom w:val="single" w:sz="24" w:space="1" w:color="FF0000"/></w:pBdr>')


def logo(path: Path) -> None:
    """A plain red emblem standing in for an office's own logo."""
    image = Image.new("RGB", (240, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 230, 230), fill=(204, 0, 0))
    draw.rectangle((100, 50, 140, 190), fill="white")
    draw.rectangle((50, 100, 190, 140), fill="white")
    image.save(path, "PNG")


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    emblem = FOLDER / "标志.png"
    logo(emblem)
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].add_run().add_picture(str(emblem), width=Cm(1.5))
    issuer = document.add_paragraph()
    issuer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = issuer.add_run("滨江市第一人民医院党委")
    run.font.size = Pt(36)
    run.font.color.rgb = RED
    run.font.name = "方正小标宋简体"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "方正小标宋简体")
    rule = document.add_paragraph()
    rule._p.get_or_add_pPr().append(parse_xml(RULE))
    document.core_properties.author = "dangjian-docs"
    document.save(FOLDER / "红头.docx")
    emblem.unlink()  # inside the letterhead now; the sample keeps one file


if __name__ == "__main__":
    main()
