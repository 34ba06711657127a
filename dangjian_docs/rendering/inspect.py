"""Reading a rendered document back: its paragraphs' text, and any placeholder left in it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from lxml import etree

from ..diagnostics import DangjianError, Diagnostic, Severity
from ..domain.placeholders import PLACEHOLDER_CHARACTERS, find_placeholder

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_TEXT_WITH_CLUE = re.compile(
    ">[^<]*?(?:[" + re.escape("".join(sorted(PLACEHOLDER_CHARACTERS))) + "]|&#)")
"""Text between two tags holding a character some placeholder needs, or a character reference
(``&#88;`` is an X)."""
_DECLARED_ENCODING = re.compile(rb"<\?xml[^>]*?encoding=[\"']([^\"']*)")


def paragraph_texts(xml: bytes) -> Iterator[str]:
    """The visible text of each paragraph, in document order."""
    root = etree.fromstring(xml)
    for paragraph in root.iter(f"{W}p"):
        yield "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def may_hold_placeholder(xml: bytes) -> bool:
    """Whether a part must be read paragraph by paragraph: ``False`` only when no text in it has
    any character a placeholder is made of (see :data:`PLACEHOLDER_CHARACTERS`).

    One scan of the XML as text instead of parsing it: a document of finished sentences almost
    never has an X, a ``*`` or a brace, and then no paragraph of it can hold a placeholder,
    however its runs are split. Anything the scan cannot see through (another encoding, a
    CDATA section, a comment, a DTD) is read in full.
    """
    declared = _DECLARED_ENCODING.match(xml.removeprefix(b"\xef\xbb\xbf"))
    if declared is not None and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return True
    try:
        text = xml.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return "<!" in text or _TEXT_WITH_CLUE.search(text) is not None


def check_no_placeholders(parts: Mapping[str, bytes], document: str) -> None:
    """Refuse a document that still holds a run of X's or a ``{{`` anywhere a reader would see it."""
    problems = []
    for name, xml in parts.items():
        if not _TEXT_PARTS.fullmatch(name) or not may_hold_placeholder(xml):
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
