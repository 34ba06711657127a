"""The Jinja environment every template runs in: sandboxed, escaping, strict about blanks.

Templates are untrusted (users edit them in Word), so they run in Jinja's immutable sandbox:
no attribute that reaches Python internals, no mutation of the data. Every printed value is
made XML-safe and escaped, and a name the context does not have stops the build instead of
leaving a silent blank in an official document.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NoReturn

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..domain.numbering import chinese_numeral, section_number
from ..domain.writing import format_date, full_width, percent

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates
# and U+FFFE/U+FFFF; anything else makes Word refuse the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029]+")


def xml_safe(text: str) -> str:
    """Drop characters XML cannot hold; a line break or tab inside a run becomes a space.

    Paragraphs are separate values in the context, so a break inside one is a data accident.
    """
    return _LINE_BREAKS.sub(" ", _NOT_XML.sub("", text))


class MissingValue(StrictUndefined):
    """An undefined name that says which one, for the build error."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise MissingValueError(self._undefined_name, self._undefined_hint)

    __str__ = __iter__ = __len__ = __bool__ = _fail_with_undefined_error  # type: ignore[assignment]


class MissingValueError(Exception):
    def __init__(self, name: str | None, hint: str | None) -> None:
        self.name = name
        # the sandbox answers a forbidden attribute with an undefined whose hint says so
        self.unsafe = bool(hint and "unsafe" in hint)
        super().__init__(hint or f"{name!r} is undefined")


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return xml_safe(str(value))


def _as_date(value: Any) -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return format_date(value)


FILTERS = {
    "cn_numeral": chinese_numeral,  # {{ 12 | cn_numeral }} → 十二
    "cn_date": _as_date,  # {{ "2025-04-07" | cn_date }} → 2025年4月7日
    "section_number": lambda n, level=1: section_number(level, n),  # {{ loop.index | section_number(2) }} → （一）
    "percent": percent,  # {{ part | percent(whole) }} → 15.0%
    "full_width": full_width,  # half-width punctuation in Chinese text → full-width
}
"""Chinese writing conventions for users' own templates; ours get finished text instead."""


def make_environment() -> ImmutableSandboxedEnvironment:
    """A fresh sandboxed environment; one per prepared template is cheap and isolates them."""
    env = ImmutableSandboxedEnvironment(
        undefined=MissingValue,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env
