"""One-line flow mappings, as the sample writes activities (``- {date: 2025-03-05, topic: …}``):
which text YAML cut short or could not read, and the line as it should be written.

Inside ``{ }`` a half-width comma ends a value, ``: `` starts a new key and ``[ ] { }`` open
collections, so ``topic: 研究发展党员工作, 讨论发展对象`` silently becomes two keys and
``topic: 学习[二十大]精神`` does not parse. YAML's own messages ("unknown key", "braces not
closed") never say that the text needs quotes. The line is read here from the source text
alone, so what is said does not depend on the PyYAML or libyaml version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..record import Record

_LINE = re.compile(r"^(\s*(?:-\s+)?(?:[A-Za-z_][A-Za-z0-9_]*:\s+)?)\{(.*)\}(\s*(?:#.*)?)$")
_KEY = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*:(?=\s|$)\s*")
_REASONS = (  # (what in a plain value needs quoting, how to say it)
    (re.compile(r","), "半角逗号“,”"),
    (re.compile(r":(?:\s|$)"), "半角冒号“:”"),
    (re.compile(r"[\[\]]"), "方括号“[ ]”"),
    (re.compile(r"[{}]"), "花括号“{ }”"),
    (re.compile(r"\s#"), "“ #”（YAML 把它后面的内容当作注释）"),
)


class FlowFix(Record):
    """The first text on the line that needs quotes, and the whole line corrected."""

    text: str
    column: int
    """0-based, in the line, where ``text`` starts."""
    reason: str
    corrected: str

    def hint(self) -> str:
        return ("花括号 { } 中的文字含有半角逗号、冒号或方括号时，请给这段文字加上引号，"
                f"或改用全角标点（，：【】）。改正后的这一行：{self.corrected.strip()}")


@dataclass
class _Item:
    start: int
    """Where the item's value starts (an item without a key: where its text starts)."""
    end: int
    keyed: bool
    plain: bool
    """The value is plain text (not quoted, not a ``[ ]`` or ``{ }`` collection)."""


def fix_flow_line(line: str) -> FlowFix | None:
    """The correction of a one-line flow mapping whose plain text holds YAML punctuation, or ``None``."""
    match = _LINE.match(line)
    if match is None:
        return None
    offset = match.end(1) + 1
    items = _items(match[2], offset)
    if not items:
        return None
    merged: list[_Item] = []
    for item in items:
        if not item.keyed and merged and merged[-1].plain:
            merged[-1].end = item.end  # the comma was part of the text before it
        else:
            merged.append(item)
    fixes = []
    for item in merged:
        text = line[item.start:item.end].rstrip()
        if not item.plain or not text:
            continue
        reason = next((why for pattern, why in _REASONS if pattern.search(text)), None)
        if reason is not None:
            fixes.append((item, text, reason))
    if not fixes:
        return None
    corrected = line
    for item, text, _ in reversed(fixes):
        corrected = corrected[:item.start] + _quoted(text) + corrected[item.start + len(text):]
    first, text, reason = fixes[0]
    return FlowFix(text, first.start, reason, corrected)


def _items(body: str, offset: int) -> list[_Item]:
    """The items of the mapping's body, split where YAML splits them: at every comma outside
    quotes and collections (which count only where a value starts with them)."""
    items = []
    pos = 0
    while pos < len(body):
        key = _KEY.match(body, pos)
        start = key.end() if key else len(body[pos:]) - len(body[pos:].lstrip()) + pos
        end = start
        plain = True
        if start < len(body) and body[start] in "\"'":
            end = _closing_quote(body, start)
            plain = False
        elif start < len(body) and body[start] in "[{":
            end = _closing_bracket(body, start)
            plain = False
        comma = body.find(",", end)
        stop = len(body) if comma < 0 else comma
        if plain:
            end = stop
        items.append(_Item(offset + start, offset + end, key is not None, plain))
        pos = stop + 1
    return items


def _closing_quote(body: str, start: int) -> int:
    quote = body[start]
    pos = start + 1
    while pos < len(body):
        if quote == '"' and body[pos] == "\\":
            pos += 2
            continue
        if body[pos] == quote:
            if quote == "'" and body[pos + 1:pos + 2] == "'":
                pos += 2
                continue
            return pos + 1
        pos += 1
    return len(body)


def _closing_bracket(body: str, start: int) -> int:
    depth = 0
    for pos in range(start, len(body)):
        if body[pos] in "[{":
            depth += 1
        elif body[pos] in "]}":
            depth -= 1
            if depth == 0:
                return pos + 1
    return len(body)


def _quoted(text: str) -> str:
    """``text`` in double quotes; in single quotes when it holds a double quote or a backslash."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"
