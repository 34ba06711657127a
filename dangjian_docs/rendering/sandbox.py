"""The Jinja environment every template runs in: sandboxed, bounded, escaping, strict.

Templates are untrusted (users edit them in Word), so they run in Jinja's immutable sandbox:
no attribute that reaches Python internals, no mutation of the data. On top of that the
environment is *bounded* (see :mod:`.guards`): arithmetic, string building, filters, loops and
calls are checked or counted, and nothing is evaluated while compiling (Jinja would otherwise
fold ``{{ 9**(9**9) }}`` at compile time, where no check can stop it). Every printed value is
made XML-safe and escaped, and a name the context does not have stops the build instead of
leaving a silent blank in an official document.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import re
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from jinja2 import StrictUndefined, nodes, pass_environment, pass_eval_context
from jinja2 import filters as jinja_filters
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import EvalContext
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from jinja2.utils import Cycler, Joiner, Namespace, generate_lorem_ipsum
from markupsafe import Markup, escape

from ..domain.numbering import chinese_numeral, section_number
from ..domain.writing import format_date, full_width, percent
from ..images import InlineImage
from . import guards, limits
from .guards import CONTAINERS, check_width, too_large

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates
# and U+FFFE/U+FFFF; anything else makes Word refuse the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029]+")
_NOT_AS_IS = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff\u2028\u2029]")
"""Any character either pattern above changes: text without one is printed as it is."""


def xml_safe(text: str) -> str:
    """Drop characters XML cannot hold; a line break or tab inside a run becomes a space.

    Paragraphs are separate values in the context, so a break inside one is a data accident.
    """
    if not _NOT_AS_IS.search(text):
        return text  # nearly every value: one scan instead of two substitutions
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


@pass_eval_context
def _finalize(eval_ctx: EvalContext, value: Any) -> Any:
    """Every printed value; it takes the eval context only so Jinja cannot fold it at compile time."""
    return _finished(value)


def _finished(value: Any) -> Any:
    """A printed value as the text to escape: XML-safe, counted, an image as its drawing."""
    if type(value) is str:  # nearly every value: the checks below are for other types
        text = xml_safe(value)
        budget = guards.current()
        if budget is not None:
            budget.produce(len(text))
        return text
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, InlineImage):
        from .media import printed

        return printed(value)
    if isinstance(value, CONTAINERS):
        guards.text_size(value)
    text = xml_safe(value if type(value) is str else str(value))
    budget = guards.current()
    if budget is not None:
        budget.produce(len(text))
    return text


_PRINTED_AS_IS = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff\u2028\u2029&<>'\"]")
"""A character :func:`xml_safe` or escaping changes: text without one is printed as it is."""


def printed_escaped(value: Any) -> Any:
    """``escape(_finished(value))`` in one call: what every ``{{ }}`` prints where autoescaping
    is on (see :meth:`BoundedCodeGenerator._output_child_pre`).

    A string with nothing to drop or escape, or an integer, comes back as the same text (a
    ``str`` rather than ``Markup``: both join into the same output); anything else goes the
    whole way. A document prints hundreds of values, nearly all plain text.
    """
    if type(value) is str:
        if _PRINTED_AS_IS.search(value):
            return escape(_finished(value))
        text = value
    elif type(value) is int:
        text = str(value)
    else:
        return escape(_finished(value))
    budget = guards.current()
    if budget is not None:
        budget.produce(len(text))
    return text


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


# -- Jinja's own filters and globals, bounded ---------------------------------------------
def _checked(name: str, check: Callable[[dict[str, Any]], None]) -> Callable[..., Any]:
    """Jinja's filter ``name``, with ``check`` run on its bound arguments first."""
    original = jinja_filters.FILTERS[name]
    signature = inspect.signature(original)

    @functools.wraps(original)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        arguments = signature.bind(*args, **kwargs)
        arguments.apply_defaults()
        check(arguments.arguments)
        return original(*args, **kwargs)

    return guarded


def _check_indent(a: dict[str, Any]) -> None:
    width = a["width"]
    size = len(width) if isinstance(width, str) else width
    check_width(size)
    text = str(a["s"])
    guards.check_length(text, len(text) + (text.count("\n") + 1) * max(int(size), 0))


def _check_wordwrap(a: dict[str, Any]) -> None:
    text = str(a["s"])
    wrap = a["wrapstring"] or "\n"
    width = max(int(a["width"]), 1)
    guards.check_length(text, len(text) + (len(text) // width + text.count("\n") + 1) * len(str(wrap)))


def _check_replace(a: dict[str, Any]) -> None:
    text, old, new = str(a["s"]), str(a["old"]), str(a["new"])
    count = a["count"] if isinstance(a["count"], int) else None
    guards.check_length(text, guards.replaced_length(text, old, new, count))


def _check_batch(a: dict[str, Any]) -> None:
    if a["fill_with"] is not None and isinstance(a["linecount"], int):
        guards.check_length([], a["linecount"])


def _check_tojson(a: dict[str, Any]) -> None:
    indent = a["indent"]
    if (len(indent) if isinstance(indent, str) else indent or 0) > 16:
        raise too_large("tojson 的缩进超过 16。")


def _check_urlize(a: dict[str, Any]) -> None:
    extra = sum(len(str(a[k] or "")) for k in ("target", "rel"))
    if extra > 200:
        raise too_large("urlize 的 target/rel 参数过长。")


@pass_eval_context
def _join(eval_ctx: EvalContext, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    if attribute is not None:
        value = map(jinja_filters.make_attrgetter(eval_ctx.environment, attribute), value)
    items = guards.bounded_list(value)
    total = len(str(d)) * max(len(items) - 1, 0)
    guards.check_length("", total)
    for item in items:
        total += guards.text_size(item) if isinstance(item, (str, *CONTAINERS)) else 0
        guards.check_length("", total)
    return jinja_filters.sync_do_join(eval_ctx, items, d)


def _slice(value: Iterable[Any], slices: int, fill_with: Any = None) -> Any:
    guards.check_length([], slices)
    return jinja_filters.sync_do_slice(guards.bounded_list(value), slices, fill_with)


@pass_environment
def _sum(environment: Any, iterable: Iterable[Any], attribute: Any = None, start: Any = 0) -> Any:
    if not isinstance(start, (int, float)):
        raise too_large("sum 只能对数字求和。")
    return jinja_filters.sync_do_sum(environment, iterable, attribute, start)


def _list(value: Iterable[Any]) -> list[Any]:
    return guards.bounded_list(value)


BOUNDED_FILTERS: dict[str, Callable[..., Any]] = {
    "center": _checked("center", lambda a: check_width(a["width"])),
    "indent": _checked("indent", _check_indent),
    "wordwrap": _checked("wordwrap", _check_wordwrap),
    "format": _checked("format", lambda a: guards.check_percent_format(str(a["value"]),
                                                                       a["kwargs"] or a["args"])),
    "replace": _checked("replace", _check_replace),
    "batch": _checked("batch", _check_batch),
    "tojson": _checked("tojson", _check_tojson),
    "urlize": _checked("urlize", _check_urlize),
    "join": _join,
    "slice": _slice,
    "sum": _sum,
    "list": _list,
}
"""Jinja's filters that can be asked to build something huge, each checked before it does."""


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if n > 100 or max > 1000:
        raise too_large("lipsum 最多生成 100 段、每段 1000 个词。")
    return generate_lorem_ipsum(n, html, min, max)


BOUNDED_GLOBALS = {
    "range": guards.CountedRange,
    "lipsum": _lipsum,
    "dict": dict,
    "cycler": Cycler,
    "joiner": Joiner,
    "namespace": Namespace,
}


def _is_counted(node: nodes.Node) -> bool:
    return (isinstance(node, nodes.Call) and isinstance(node.node, nodes.EnvironmentAttribute)
            and node.node.name == "counted_loop")


def _fused(frame: Frame, finalize: Any) -> bool:
    """Whether an output is known at compile time to be escaped and finalized by ours."""
    return bool(frame.eval_ctx.autoescape and not frame.eval_ctx.volatile
                and finalize.src == "environment.finalize(context.eval_ctx, ")


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator with every loop counted and every ``~`` checked before joining."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        if not _is_counted(node.iter):
            node.iter = nodes.Call(nodes.EnvironmentAttribute("counted_loop"), [node.iter], [],
                                   None, None, lineno=node.iter.lineno)
        super().visit_For(node, frame)

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        if _is_counted(node):
            # a direct call: through the sandbox's call() every loop would pay for a context call.
            # The parser never makes an EnvironmentAttribute, so only visit_For writes this.
            self.write("environment.counted_loop(")
            self.visit(node.args[0], frame)
            self.write(")")
            return
        super().visit_Call(node, frame, forward_caller=forward_caller)

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        """``{{ value }}`` where autoescaping is on for certain: one call, not finalize inside escape."""
        if _fused(frame, finalize):
            self.write("environment.printed_escaped(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if _fused(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"{join}(environment.checked_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")


SAFE_ATTRIBUTES_KEPT = 4096
"""How many (type, name) answers of the sandbox one prepared template keeps."""


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox plus the checks and counts of :mod:`.guards`."""

    code_generator_class = BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._safe_attributes: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's answer, kept per type and name: it depends on nothing else, and a document
        asks it for every field of every paragraph it writes."""
        key = (type(obj), attr)
        safe = self._safe_attributes.get(key)
        if safe is None:
            safe = super().is_safe_attribute(obj, attr, value)
            if len(self._safe_attributes) < SAFE_ATTRIBUTES_KEPT:  # a template making names up stays bounded
                self._safe_attributes[key] = safe
        return safe

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja's sandboxed ``obj.attribute``, answered here when the value is neither
        ``str.format`` nor ``format_map`` and the (type, name) pair is known safe; anything else
        goes the whole way through Jinja's own lookup. Templates read hundreds of fields."""
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)  # an item, or undefined: as Jinja decides
        if (self._safe_attributes.get((type(obj), attribute)) is True
                and getattr(value, "__name__", None) not in ("format", "format_map")):
            return value
        return super().getattr(obj, attribute)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        guards.step()
        guards.check_binop(operator, left, right)
        result = self.binop_table[operator](left, right)
        guards.charge(result)
        return result

    def call(__self, __context: Any, __obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        budget = guards.current()
        if budget is not None:
            budget.step()
        args = guards.check_method(__obj, args, kwargs)
        if budget is None or not isinstance(__obj, (Macro, LoopContext)):
            result = super().call(__context, __obj, *args, **kwargs)
            guards.charge(result)
            return result
        budget.depth += 1
        try:
            if budget.depth > limits.MAX_DEPTH:
                raise guards.limit_error(
                    "template-too-deep", f"模板中的宏或递归循环嵌套超过 {limits.MAX_DEPTH} 层，疑似无限递归。",
                    "请检查宏是否调用了它自己，或 loop() 递归是否有终点。")
            return super().call(__context, __obj, *args, **kwargs)
        finally:
            budget.depth -= 1

    def call_filter(self, *args: Any, **kwargs: Any) -> Any:
        guards.step()  # map('upper'), select('odd') … call filters and tests one item at a time
        return super().call_filter(*args, **kwargs)

    def call_test(self, *args: Any, **kwargs: Any) -> Any:
        guards.step()
        return super().call_test(*args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        """Jinja's sandboxed ``str.format``/``format_map``, with widths and the result bounded."""
        if getattr(value, "__name__", None) not in ("format", "format_map"):
            return None  # every attribute a template reads comes through here: be quick
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__
        guards.check_brace_format(text)
        is_map = value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    return wrapped(*args, **kwargs)  # Jinja raises its own TypeError
                kwargs, args = args[0], ()
            formatter = (_BoundedEscapeFormatter(self, escape=text.escape) if isinstance(text, Markup)
                         else _BoundedFormatter(self))
            result = type(text)(formatter.vformat(text, args, kwargs))
            guards.charge(result)
            return result

        return functools.update_wrapper(bounded, value)

    printed_escaped = staticmethod(printed_escaped)

    @staticmethod
    def counted_loop(iterable: Any) -> Any:
        return guards.counted(iterable)

    @staticmethod
    def checked_concat(items: tuple[Any, ...]) -> list[str]:
        """The operands of ``~`` as text, refused if joined they would be too long."""
        total = 0
        for item in items:
            total += guards.text_size(item)
            guards.check_length("", total)
        texts = [jinja_filters.soft_str(x) for x in items]
        total = sum(map(len, texts))
        guards.check_length("", total)
        budget = guards.current()
        if budget is not None:
            budget.produce(total)
        return texts


class _BoundedFields:
    """A formatter that measures each field before formatting it and stops past the limit."""

    _total = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        guards.text_size(value)
        result = super().format_field(value, format_spec)  # type: ignore[misc]
        self._total += len(result)
        guards.check_length("", self._total)
        return result


class _BoundedFormatter(_BoundedFields, SandboxedFormatter):
    pass


class _BoundedEscapeFormatter(_BoundedFields, SandboxedEscapeFormatter):
    pass


_STRINGIFYING = frozenset({
    "capitalize", "center", "e", "escape", "forceescape", "format", "indent", "lower", "pprint",
    "replace", "safe", "string", "striptags", "title", "tojson", "trim", "truncate", "upper",
    "urlize", "wordcount", "wordwrap", "xmlattr", "cn_date", "full_width",
})
"""Filters that turn their value into text: a huge list or dict is refused before they do."""


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with its value measured first (if it makes text of it) and its result counted."""
    value_at = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0
    measure = name in _STRINGIFYING

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if measure and len(args) > value_at:
            guards.text_size(args[value_at])
        result = function(*args, **kwargs)
        guards.charge(result)
        return result

    return bounded


def _concat(parts: Iterable[str]) -> str:
    """Jinja's ``concat`` for every buffer and for the whole render, counting what it joins.

    The whole render arrives as a generator; past the limit the error is thrown *into* it, so
    the traceback shows the template line that was producing output.
    """
    budget = guards.current()
    if isinstance(parts, list):
        total = sum(map(len, parts))
        if total > limits.MAX_OUTPUT_CHARS:
            raise too_large(f"模板生成的内容超过 {limits.MAX_OUTPUT_CHARS:,} 个字符。")
        if budget is not None:
            budget.produce(total)
        return "".join(parts)
    chunks: list[str] = []
    keep = chunks.append  # a document is hundreds of chunks: names looked up once
    limit = limits.MAX_OUTPUT_CHARS
    total = 0
    for chunk in parts:
        total += len(chunk)
        if total > limit:
            parts.throw(too_large(f"模板生成的内容超过 {limit:,} 个字符。"))  # type: ignore[attr-defined]
        keep(chunk)
    return "".join(chunks)


def make_environment() -> BoundedEnvironment:
    """A fresh sandboxed environment; one per prepared template is cheap and isolates them."""
    env = BoundedEnvironment(
        undefined=MissingValue,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        auto_reload=False,
        optimized=False,  # the optimizer folds constants at compile time, out of every check's reach
    )
    env.filters.update(BOUNDED_FILTERS)
    env.filters.update(FILTERS)
    env.filters = {name: _bounded_filter(name, f) for name, f in env.filters.items()}
    env.globals.update(BOUNDED_GLOBALS)
    env.concat = _concat  # type: ignore[method-assign]
    return env
