"""Reading a rendered document back: its paragraphs' text, and any placeholder left in it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from lxml import etree

from ..diagnostics import DangjianError, Diagnostic, Severity
from ..domain.placeholders import find_placeholder

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


def paragraph_texts(xml: bytes) -> Iterator[str]:
    """The visible text of each paragraph, in document order."""
    root = etree.fromstring(xml)
    for paragraph in root.iter(f"{W}p"):
        yield "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def check_no_placeholders(parts: Mapping[str, bytes], document: str) -> None:
    """Refuse a document that still holds a run of X's or a ``{{`` anywhere a reader would see it."""
    problems = []
    for name, xml in parts.items():
        if not _TEXT_PARTS.fullmatch(name):
            continue
        for index, text in enumerate(paragraph_texts(xml), start=1):
            found = find_placeholder(text)
            if found:
                shown = text if len(text) <= 60 else text[:60] + "…"
                problems.append(Diagnostic(
                    Severity.ERROR, "placeholder-in-document",
                    f"生成的{document}中第 {index} 段仍有占位符“{found}”：“{shown}”。",
                    file=name, hint="这段文字来自模板：请在模板中删除占位符或改成数据项；"
                                    "文件未写出。"))
    if problems:
        raise DangjianError(problems)
