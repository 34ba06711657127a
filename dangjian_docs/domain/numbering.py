"""Section numbers as Chinese official documents write them: 一、 （一） 1. （1） ①."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_numeral(n: int) -> str:
    """``11`` → ``十一``, ``20`` → ``二十``, ``105`` → ``一百零五`` (1 to 9999).

    Numbers from 10 to 19 drop the leading 一 (十一, not 一十一), as section numbers do.
    """
    if not 0 < n < 10000:
        raise ValueError(f"chinese_numeral takes 1..9999, not {n}")
    out = ""
    rest = n
    pending_zero = False
    for value, unit in _UNITS:
        digit, rest = divmod(rest, value)
        if digit:
            if pending_zero:
                out += "零"
            out += _DIGITS[digit] + unit
            pending_zero = False
        elif out:
            pending_zero = True
    if rest:
        if pending_zero:
            out += "零"
        out += _DIGITS[rest]
    return out[1:] if out.startswith("一十") else out


def circled(n: int) -> str:
    """``1`` → ``①`` … ``50`` → ``㊿``; the fifth level of numbering."""
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return f"（{n}）"


def section_number(level: int, n: int) -> str:
    """The number of the ``n``-th item (1-based) at heading ``level`` (1-based)."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    return circled(n)


def ordinal_lead(n: int) -> str:
    """``一是``, ``二是``: how a paragraph lists points without headings."""
    return f"{chinese_numeral(n)}是"
