"""What a template may cost: a per-render budget and checks made before a value is built.

Jinja's sandbox stops a template from reaching Python's internals but not from asking for a
billion characters (``'a' * 10**9``), a number with millions of digits (``10**100000``) or ten
billion loop turns. Here every such request is checked *before* the work is done, from the
operands alone, and every loop turn, call and filter counts against the render's budget, so a
hostile template ends in a :class:`TemplateLimitError` within the limits of :mod:`.limits`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from . import limits

_SEQUENCES = (str, bytes, list, tuple)
_LIMIT_HINT = "模板只应排版数据；请删去这段计算或循环，或改用数据文件中的内容。"


class TemplateLimitError(Exception):
    """A template asked for more than a render may use; ``code`` and a Chinese ``message``."""

    def __init__(self, diagnostic_code: str, message: str, hint: str = _LIMIT_HINT) -> None:
        super().__init__(message)
        self.code, self.message, self.hint = diagnostic_code, message, hint


def limit_error(code: str, message: str, hint: str = _LIMIT_HINT) -> TemplateLimitError:
    """A :class:`TemplateLimitError`; codes go through here so tests/test_docs.py can read them."""
    return TemplateLimitError(code, message, hint)


def too_large(message: str) -> TemplateLimitError:
    return limit_error("template-too-large", message)


class Budget:
    """Steps, output and depth used so far by one document's render, and its deadline."""

    __slots__ = ("deadline", "depth", "next_clock", "output", "steps")

    def __init__(self) -> None:
        self.steps = 0
        self.output = 0
        self.depth = 0
        self.deadline = time.monotonic() + limits.MAX_SECONDS
        self.next_clock = limits.CLOCK_EVERY

    def step(self) -> None:
        self.steps += 1
        if self.steps >= self.next_clock:
            self.next_clock += limits.CLOCK_EVERY
            if self.steps > limits.MAX_STEPS:
                raise limit_error(
                    "template-too-slow",
                    f"模板的循环和运算超过 {limits.MAX_STEPS:,} 步，疑似死循环或嵌套过多的循环。")
            if time.monotonic() > self.deadline:
                raise limit_error(
                    "template-too-slow", f"模板套用数据超过 {limits.MAX_SECONDS:g} 秒仍未完成。")

    def produce(self, chars: int) -> None:
        self.output += chars
        if self.output > limits.MAX_OUTPUT_CHARS:
            raise too_large(f"模板生成的内容超过 {limits.MAX_OUTPUT_CHARS:,} 个字符。")


_BUDGET: ContextVar[Budget | None] = ContextVar("dangjian_render_budget", default=None)


@contextmanager
def render_budget() -> Iterator[Budget]:
    """One budget for everything rendered inside the ``with`` (one document's parts)."""
    budget = Budget()
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def current() -> Budget | None:
    """The active budget; ``None`` while compiling (only the stateless checks apply then)."""
    return _BUDGET.get()


def step() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.step()


def counted(iterable: Iterable[Any]) -> Iterator[Any]:
    """``iterable``, one step per item: every ``{% for %}`` goes through this."""
    budget = _BUDGET.get()
    if budget is None:
        yield from iterable
        return
    for item in iterable:
        budget.step()
        yield item


# -- values, checked from the operands before they are built --------------------------------
def check_length(value: object, length: int) -> None:
    if isinstance(value, (str, bytes)):
        if length > limits.MAX_VALUE_CHARS:
            raise too_large(f"模板试图生成一个 {length:,} 个字符的字符串，超过上限 {limits.MAX_VALUE_CHARS:,}。")
    elif length > limits.MAX_ITEMS:
        raise too_large(f"模板试图生成一个 {length:,} 项的列表，超过上限 {limits.MAX_ITEMS:,}。")


def check_int_bits(bits: float) -> None:
    if bits > limits.MAX_INT_BITS:
        raise too_large(f"模板试图计算一个约 {int(bits * 0.30103):,} 位的整数，"
                        f"超过上限 {int(limits.MAX_INT_BITS * 0.30103):,} 位。")


CONTAINERS = (list, tuple, dict, set, frozenset)


def text_size(value: object) -> int:
    """About ``len(str(value))``, refused past :data:`~.limits.MAX_VALUE_CHARS` before it is built.

    ``[[x] * 100000] * 100000`` holds only 200,000 references, yet its text is 10^10 characters:
    containers are walked (each distinct element's ``repr`` measured once) and the walk stops as
    soon as the total passes the limit, so it costs at most about the limit.
    """
    if isinstance(value, str):
        return len(value)
    if not isinstance(value, CONTAINERS):
        return 0  # a scalar or a data object: its text is bounded by the data itself
    limit = limits.MAX_VALUE_CHARS
    total = 0
    measured: dict[int, int] = {}
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            total += 2 + 4 * len(item)  # braces, ": " and ", "
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, CONTAINERS):
            total += 2 + 2 * len(item)
            stack.extend(item)  # type: ignore[arg-type]
        else:
            size = measured.get(id(item))
            if size is None:
                size = len(item) + 2 if isinstance(item, str) else len(repr(item))
                measured[id(item)] = size
            total += size
        if total > limit:
            raise too_large(f"模板试图把一个列表或字典写成文字，超过 {limit:,} 个字符。")
    return total


def charge(result: object) -> None:
    """Count a string or list a template built against the render's budget."""
    if isinstance(result, (str, bytes, list)):
        budget = _BUDGET.get()
        if budget is not None:
            budget.produce(len(result))


def _is_int(value: object) -> bool:
    return isinstance(value, int)  # bool is an int too: 'a' * True is legal Python


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``*``, ``**``, ``+`` and ``%`` whose result would be too big to build."""
    if operator == "**":
        if _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            check_int_bits(right * math.log2(abs(left)))
    elif operator == "*":
        if _is_int(left) and _is_int(right):
            check_int_bits(left.bit_length() + right.bit_length())
        elif isinstance(left, _SEQUENCES) and _is_int(right):
            check_length(left, len(left) * max(right, 0))
        elif isinstance(right, _SEQUENCES) and _is_int(left):
            check_length(right, len(right) * max(left, 0))
    elif operator == "+":
        if isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
            check_length(left, len(left) + len(right))
    elif operator == "%" and isinstance(left, str):
        check_percent_format(left, right)


def check_percent_format(text: str, values: object = ()) -> None:
    """``text % values``: widths and precisions checked (``*`` refused), and the result's size.

    ``('%(a)s' * 500000) % {'a': long_text}`` repeats one value half a million times, so the
    size is estimated from the number of fields times the longest value before formatting.
    """
    fields = _percent_fields(text)
    if fields:
        if isinstance(values, Mapping):
            items: Iterable[object] = values.values()
        elif isinstance(values, tuple):
            items = values
        else:
            items = (values,)
        longest = max((max(text_size(v), 24) for v in items), default=0)
        check_length(text, len(text) + fields * longest)


def _percent_fields(text: str) -> int:
    """The number of conversions in a ``%`` format, checking each width and precision."""
    fields = 0
    position = text.find("%")
    while position >= 0:
        i = position + 1
        if text.startswith("(", i):
            close = text.find(")", i)
            if close < 0:
                return fields  # Python refuses an unclosed key itself
            i = close + 1
        while i < len(text) and text[i] in "-#0 +":
            i += 1
        for _ in range(2):  # the width, then the precision after a '.'
            start = i
            while i < len(text) and text[i].isdigit():
                i += 1
            if text.startswith("*", i):
                raise too_large("模板的格式写法中用“*”指定宽度，不允许使用。")
            if i > start:
                check_width(int(text[start:i]))
            if not text.startswith(".", i):
                break
            i += 1
        fields += not text.startswith("%", i)
        position = text.find("%", i + 1)
    return fields


def check_brace_format(text: str) -> None:
    """Widths in ``'{:>20}'.format(...)``; a width taken from an argument is refused."""
    import string

    for _literal, _field, spec, _conversion in string.Formatter().parse(text):
        if not spec:
            continue
        if "{" in spec:
            raise too_large("模板的格式写法中用“{}”嵌套指定宽度，不允许使用。")
        digits = "".join(c if c.isdigit() else " " for c in spec).split()
        for number in digits:
            check_width(int(number))


def check_width(width: object) -> None:
    if isinstance(width, int) and width > limits.MAX_FORMAT_WIDTH:
        raise too_large(f"模板要求的宽度或精度 {width:,} 超过上限 {limits.MAX_FORMAT_WIDTH:,}。")


def replaced_length(text: Sequence[Any], old: Sequence[Any], new: Sequence[Any],
                    count: int | None = None) -> int:
    """The length of ``text.replace(old, new, count)``, without building it."""
    found = len(text) + 1 if not len(old) else text.count(old)  # type: ignore[attr-defined]
    if count is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})


def check_method(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse a ``str``/``bytes``/``int`` method call that would build too much.

    Returns the arguments to call with: ``'-'.join(...)`` gets its items as a list, counted.
    """
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if isinstance(owner, (str, bytes)):
        if name in _WIDTH_METHODS and args:
            check_width(args[0])
        elif name == "expandtabs":
            size = args[0] if args else kwargs.get("tabsize", 8)
            if _is_int(size):
                check_length(owner, len(owner) * max(size, 1))
        elif name == "replace" and len(args) >= 2 and isinstance(args[0], type(owner)) \
                and isinstance(args[1], type(owner)):
            count = args[2] if len(args) > 2 else kwargs.get("count")
            check_length(owner, replaced_length(owner, args[0], args[1], count if _is_int(count) else None))
        elif name == "translate" and args and isinstance(args[0], Mapping):
            longest = max((len(v) for v in args[0].values() if isinstance(v, (str, bytes))), default=1)
            check_length(owner, len(owner) * max(longest, 1))
        elif name == "join" and len(args) == 1:
            items = bounded_list(args[0])
            check_length(owner, sum(text_size(x) for x in items if isinstance(x, (str, bytes)))
                         + len(owner) * max(len(items) - 1, 0))
            return (items,)
    elif isinstance(owner, int) and name == "to_bytes":
        size = args[0] if args else kwargs.get("length", 1)
        if _is_int(size):
            check_length(b"", size)
    return args


def bounded_list(iterable: Iterable[Any]) -> list[Any]:
    """``list(iterable)``, refused past :data:`~.limits.MAX_ITEMS` items."""
    items = []
    for item in iterable:
        items.append(item)
        if len(items) > limits.MAX_ITEMS:
            raise too_large(f"模板试图生成超过 {limits.MAX_ITEMS:,} 项的列表。")
    return items


class CountedRange(Sequence[int]):
    """``range`` for templates: at most :data:`~.limits.MAX_ITEMS` numbers, each a step."""

    __slots__ = ("_range",)

    def __init__(self, *args: int) -> None:
        numbers = range(*args)
        if len(numbers) > limits.MAX_ITEMS:
            raise too_large(f"模板中的 range 有 {len(numbers):,} 项，超过上限 {limits.MAX_ITEMS:,}。")
        self._range = numbers

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: Any) -> Any:
        return self._range[index]

    def __iter__(self) -> Iterator[int]:
        return counted(self._range)

    def __reversed__(self) -> Iterator[int]:
        return counted(reversed(self._range))

    def __contains__(self, value: object) -> bool:
        return value in self._range

    def __repr__(self) -> str:
        return repr(self._range)
