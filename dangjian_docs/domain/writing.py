"""Chinese writing conventions for text placed into documents: dates, percentages, punctuation.

Applied when the context is built, so templates only place finished text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CJK = r"\u3400-\u9fff\uf900-\ufaff"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_HALF_MARKS = ",;:?!."
_CLAUSE_MARKS = ",;:?!"
"""What the patterns of :func:`_half_marks` convert: text with none of these has nothing for them."""
# Every pattern here runs on clerk-typed text of any length, so each must stay linear: a
# space run may only be entered at its start (the look-behind), and a bracket's inside is
# scanned once, up to the next bracket, with the CJK test done in Python.
_OPEN_PAREN = re.compile("(?<![ \\t])[ \\t]*\\((?=([^()]*)\\))")
_CLOSE_PAREN = re.compile("(?<=（)([^()（）]*)\\)[ \\t]*")
_SENTENCE_END = tuple("。！？；：…”’）》」』")
_HALF_WIDTH_MARK = re.compile('[,;:?!.()"]')
"""Every mark :func:`full_width` may change: text without one is already as it should be."""


def format_date(day: dt.date) -> str:
    """``2023年4月17日`` (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def format_month_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def percent(part: float, whole: float) -> str:
    """``45, 300`` → ``15.0%``: one decimal, rounded half up as a clerk would by hand."""
    if whole == 0:
        return "0.0%"
    tenths = int(part * 1000 // whole + (1 if (part * 1000 % whole) * 2 >= whole else 0))
    return f"{tenths // 10}.{tenths % 10}%"


def format_amount(value: float) -> str:
    """Money in 元 with two decimals and thousands separators: ``12,345.60``."""
    return f"{value:,.2f}"


def format_money(value: float) -> str:
    """Money as an office writes it: ``376847.3`` → ``37.68万元``; under 10,000 → ``8916元``.

    万元 keep two decimals, rounded half up; smaller sums keep their fen only when they have any.
    """
    amount = Decimal(str(value))
    if amount >= 10000:
        return f"{(amount / 10000).quantize(Decimal('0.01'), ROUND_HALF_UP)}万元"
    if amount == amount.to_integral_value():
        return f"{int(amount)}元"
    return f"{amount.quantize(Decimal('0.01'), ROUND_HALF_UP)}元"


_MEASURE_WORDS = ("人次", "台次", "例次", "次", "人", "例", "台", "项", "个", "件", "场", "支", "篇", "份", "张")


def quantity(label: str, value: float, unit: str = "") -> str:
    """``出院人次`` 6.2 ``万人次`` → ``出院6.2万人次``: the unit is said once (GB/T 15835)."""
    unit = unit or ""
    word = next((w for w in _MEASURE_WORDS if unit.endswith(w)), None)
    if word and label.endswith(word) and len(label) > len(word):
        label = label[: -len(word)]
    return f"{label}{format_number(value)}{unit}"


def format_number(value: float) -> str:
    """``125.0`` → ``125``, ``125.6`` → ``125.6``: no spurious decimals."""
    return f"{value:g}" if float(value) != int(value) else str(int(value))


def has_cjk(text: str) -> bool:
    """Whether ``text`` has a character of :data:`CJK` (tested in Python: a regular expression with
    these ranges takes milliseconds to compile, which every ``validate`` would pay)."""
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


@functools.cache
def _half_marks() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Half-width marks after Chinese, before Chinese, and a full stop after Chinese: compiled when
    text first has such a mark (each CJK class costs milliseconds to compile; a title rarely has one)."""
    return (re.compile(f"(?<=[{CJK}”）])([,;:?!])[ \\t]*(?!\\d)"),
            re.compile(f"([,;:?!])[ \\t]*(?=[{CJK}“（])"),
            re.compile(f"(?<=[{CJK}”）])\\.(?=\\s|$|[{CJK}“])[ \\t]*"))


def full_width(text: str) -> str:
    """Half-width punctuation next to Chinese becomes full-width; numbers and Latin are kept.

    ``12:30``, ``1,000`` and ``A, B`` stay as they are; ``医院,党委`` becomes ``医院，党委``, and
    paired straight quotes in Chinese text become “ ”.
    """
    if not _HALF_WIDTH_MARK.search(text):
        return text  # most sentences: one scan instead of five substitutions
    if not has_cjk(text):
        return text
    if any(mark in text for mark in _HALF_MARKS):
        after, before, period = _half_marks()
        if any(mark in text for mark in _CLAUSE_MARKS):  # a decimal point alone has nothing for these
            text = after.sub(lambda m: _HALF_TO_FULL[m.group(1)], text)
            text = before.sub(lambda m: _HALF_TO_FULL[m.group(1)], text)
        if "." in text:
            text = period.sub("。", text)
    if ")" in text:  # both patterns need a closing parenthesis
        text = _OPEN_PAREN.sub(lambda m: "（" if has_cjk(m.group(1)) else m.group(0), text)
        text = _CLOSE_PAREN.sub(lambda m: m.group(1) + "）", text)
    if text.count('"') % 2 == 0:
        parts = text.split('"')
        text = "".join(p + ("“" if i % 2 == 0 else "”") for i, p in enumerate(parts[:-1])) + parts[-1]
    return text


def paragraphs(text: str | None) -> list[str]:
    """Multi-line text from the data → one paragraph per non-empty line, conventions applied."""
    if not text:
        return []
    return [full_width(line.strip()) for line in text.splitlines() if line.strip()]


def sentence(text: str) -> str:
    """Close a paragraph with 。 unless it already ends with closing punctuation."""
    text = text.rstrip()
    if text and not text.endswith(_SENTENCE_END) and has_cjk(text):
        return text + "。"
    return text


def join_clauses(clauses: Iterable[str], separator: str = "，") -> str:
    """Clauses joined with ， (or ；) and closed with 。 — how a figures sentence reads."""
    parts = [c for c in clauses if c]
    return sentence(separator.join(parts)) if parts else ""
