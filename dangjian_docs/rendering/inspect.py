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
_SHAPES = "".join(sorted(PLACEHOLDER_CHARACTERS - set("Xx")))
"""The placeholder characters other than X: absent from the XML of a finished document."""
_LONE_X = (re.compile("X(?<![A-WYZa-wyz]X)(?![A-WYZa-wyz])"), re.compile("x(?<![A-WYZa-wyz]x)(?![A-WYZa-wyz])"))
"""An X or x with no other ASCII letter next to it. A placeholder's X's have none (it is a run
of X's between non-letters, or one X before a counter word), and letters next to an X within
one text node are next to it in the paragraph too. Two patterns: each starts with a literal,
which the regex engine finds fast; the ``x`` in tag names such as ``xml:space`` and ``dxa``
always has another letter next to it."""


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
    however its runs are split. First the whole part, tags and all, in a few fast searches: no
    ``&`` (a reference could spell any character; an entity needs one), none of the other
    placeholder characters, and no X or x on its own (:data:`_LONE_X`) means no placeholder.
    Otherwise the text between tags is scanned; anything that scan cannot see through (another
    encoding, a CDATA section, a comment, a DTD) is read in full.
    """
    declared = _DECLARED_ENCODING.match(xml.removeprefix(b"\xef\xbb\xbf"))
    if declared is not None and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return True
    try:
        text = xml.decode("utf-8")
    except UnicodeDecodeError:
        return True
    if not ("&" in text or any(c in text for c in _SHAPES) or any(p.search(text) for p in _LONE_X)):
        return False  # anywhere in the part, tags included: no character a placeholder could use
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
