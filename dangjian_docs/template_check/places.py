"""Where a paragraph sits in a template, said the way a clerk finds it in Word.

Body paragraphs are numbered from the top (tables' own paragraphs not counted, as Word's
navigation does not count them either); a paragraph in a table is named by its table, row and
column. Headers and footers count their own paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..record import Record
from ..rendering.template_package import part_label

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Paragraph(Record):
    """One w:p of a templated part with its visible text and place."""

    element: etree._Element
    text: str
    place: str
    """``正文第 12 段`` or ``正文第 1 个表格第 3 行第 2 列``."""
    cell: etree._Element | None
    """The w:tc it sits in, if any."""

    def described(self, limit: int = 40) -> str:
        """The place and the text, shortened: ``正文第 12 段“{{ doc.titel }}”``."""
        text = self.text.strip()
        if len(text) > limit:
            text = text[:limit] + "…"
        return f"{self.place}“{text}”" if text else f"{self.place}（空段落）"


def visible_text(paragraph: etree._Element) -> str:
    """The text of a paragraph's runs (w:t), not deleted text, field codes or nested paragraphs."""
    parts = []
    for element in paragraph.iter(f"{W}t"):
        if next(element.iterancestors(f"{W}p")) is paragraph:
            parts.append(element.text or "")
    return "".join(parts)


def paragraphs(part: str, root: etree._Element) -> Iterator[Paragraph]:
    """Every paragraph of ``part`` in document order, with its place."""
    label = "正文" if part == "word/document.xml" else part_label(part)  # 页脚（word/footer2.xml）
    tables = list(root.iter(f"{W}tbl"))  # kept alive: lxml keeps one proxy per node while referenced
    number = 0
    for element in root.iter(f"{W}p"):
        cell = next(element.iterancestors(f"{W}tc"), None)
        if cell is None:
            number += 1
            place = f"{label}第 {number} 段"
        else:
            row = cell.getparent()
            table = row.getparent()
            row_number = table.findall(f"{W}tr").index(row) + 1 if row.tag == f"{W}tr" else 0
            column = row.findall(f"{W}tc").index(cell) + 1
            table_number = next((i for i, t in enumerate(tables, start=1) if t is table), 0)
            place = f"{label}第 {table_number} 个表格第 {row_number} 行第 {column} 列"
        yield Paragraph(element, visible_text(element), place, cell)
