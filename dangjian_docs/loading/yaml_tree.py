"""Safe YAML with positions: every value keeps its line and column, duplicate keys are errors.

PyYAML's constructors lose positions and silently keep the last of two equal keys, so we only
let PyYAML parse (in C when available) and build the Python values ourselves from its node
tree. Only the plain YAML types are built; any other tag (``!!python/object``…) is refused.
Dates stay strings here: the schema checks them (``format: date``) and the model parses them.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..diagnostics import Diagnostic, Severity
from .positions import PathKey, Record, SourceMap, format_path
from .yaml_events import TooMany, Unusual, read_plain


class _RememberedTags:
    """A loader's resolver that works out the tag of each plain text once per file.

    Composing (and :mod:`.yaml_events`) asks the resolver about every node, and for plain text
    it tries a regular expression per candidate type; a year's data repeats its dates, types
    and names many times over. The loader has no path resolvers (``add_path_resolver`` is never
    called on it), so quoted text is text, and descending into a node has nothing to record.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)  # type: ignore[call-arg]
        self.plain_tags: dict[str, str] = {}
        """The tag of each plain text resolved so far (:mod:`.yaml_events` looks here first)."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if not implicit[0]:  # quoted, or tagged "!": what BaseResolver says without path resolvers
                return _STR
            tag = self.plain_tags.get(value)
            if tag is None:
                tag = self.plain_tags[value] = _resolve(self, kind, value, implicit)
            return tag
        return _resolve(self, kind, value, implicit)

    def descend_resolver(self, *_: Any) -> None:
        """Nothing to do: what BaseResolver does when there are no path resolvers."""

    def ascend_resolver(self) -> None:
        """Nothing to do: what BaseResolver does when there are no path resolvers."""


_resolve: Any = yaml.resolver.BaseResolver.resolve  # called with a resolver of our own as self
_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG


class PureLoader(_RememberedTags, yaml.SafeLoader):
    """PyYAML's own parser in Python: used where PyYAML was built without libyaml."""


if hasattr(yaml, "CSafeLoader"):
    class LibyamlLoader(_RememberedTags, yaml.CSafeLoader):
        """libyaml's parser and composer in C, with the same marks (line, column) on each node."""

    _Loader: type = LibyamlLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _Loader = PureLoader

MAX_VALUES = 1_500_000
"""Values written in the file, each key, list, mapping and scalar counting one. A year of
60,000 activities (15.6 MB, more than any hospital records) has about 1,140,000 and is read in
about 700 MB; a file of nothing but tiny values (``[0,0,0,…]``) stops here at about 900 MB."""

MAX_ALIAS_VALUES = 100_000
"""Values added by expanding aliases (``*名称``). A few aliases of a list add hundreds; a
"billion laughs" file adds billions from a few lines, so it is stopped here."""

MAX_DEPTH = 100
"""A year's data nests about ten levels deep. Deeper input is refused by our own count, so the
message does not depend on the PyYAML or libyaml version (libyaml 0.2.5 as bundled since
PyYAML 6.0.2 stops at 1,000 levels with its own error; earlier builds recurse until Python does).
"""

RECOVERED = frozenset({"unquoted-text"})
"""Errors after which the value read is still what the writer meant (the text YAML cut is put
back together): reported with the data's other problems instead of stopping the reading."""

_TAG = "tag:yaml.org,2002:"
_SEQ, _MAP, _INT, _MERGE, _NULL = (_TAG + name for name in ("seq", "map", "int", "merge", "null"))
_AS_TEXT = frozenset({_TAG + "str", _TAG + "timestamp"})
"""Kept as written: dates are checked by the schema and parsed by the model."""
_KEY_TAGS = frozenset(_TAG + name for name in ("str", "int", "bool", "null", "float"))
_SCALARS = yaml.SafeLoader("")  # used only for its scalar conversion methods
_SCALAR_BUILDERS = {
    _TAG + "str": lambda node: node.value,
    _TAG + "timestamp": lambda node: node.value,
    _TAG + "int": _SCALARS.construct_yaml_int,
    _TAG + "float": _SCALARS.construct_yaml_float,
    _TAG + "bool": _SCALARS.construct_yaml_bool,
    _TAG + "null": lambda node: None,
}

_SYNTAX_HINTS = [  # (what PyYAML says, what is wrong, what to do)
    ("mapping values are not allowed", "此处不能出现“键: 值”",
     "常见原因：上一行缩进不对，或值里有未加引号的冒号（请给整段文字加上引号）。"),
    ("could not find expected ':'", "缺少冒号", "检查这一行是否漏了“: ”，或上一行的引号没有闭合。"),
    ("did not find expected key", "缩进不一致", "同一层的键必须左对齐。"),
    ("did not find expected '-'", "列表项缩进不一致", "同一列表的“- ”必须左对齐。"),
    ("expected <block end>", "缩进不一致", "同一层的键或列表项必须左对齐。"),
    ("found unexpected end of stream", "引号或括号没有闭合", "检查引号、方括号 [ ] 和花括号 { } 是否成对。"),
    ("did not find expected ',' or ']'", "方括号没有闭合", "检查 [ ] 是否成对，各项之间用半角逗号分隔。"),
    ("did not find expected ',' or '}'", "花括号没有闭合", "检查 { } 是否成对，各项之间用半角逗号分隔。"),
    ("found undefined alias", "引用了未定义的锚点", "检查 *名称 前面是否有对应的 &名称。"),
    ("expected a single document", "文件中有多份数据", "删除多余的“---”分隔行。"),
    ("found unknown escape character", "双引号中有无法识别的反斜杠", "把“\\”写成“\\\\”，或改用单引号。"),
    ("found character that cannot start any token", "这一行以 YAML 保留字符开头",
     "以 @ ` % 等字符开头的文字，请给整段加上引号。"),
]
_TAB = ("用了制表符（Tab）缩进", "YAML 只能用空格缩进，请把 Tab 换成空格。")
_FULL_WIDTH = ("键后面用了全角冒号“：”", "键后面要用半角冒号加一个空格“: ”。")
_QUOTES = ("文字中的英文双引号提前结束了引号", "请改用中文引号“”，或给整段文字加单引号。")
_UNKNOWN = ("无法解析", "请对照上下文检查这一行的缩进、冒号和引号。")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


class _Builder:
    """Plain values and the marks of where they came from, from a composed node tree, in one walk.

    A year of thousands of activities has a hundred thousand values, so the walk is kept lean:
    scalars are built in the loop of their parent; each mapping and list keeps its entries'
    lines and columns in one list of numbers (not the parser's marks: each is an object the
    garbage collector would walk again and again), and a :class:`SourceMap` makes a position of
    one only when asked (see :meth:`SourceMap.recorded`). The values written were counted as
    they were composed; a text with ``*`` (so perhaps aliases) has the values its aliases add
    counted here, by remembering every node built.
    """

    def __init__(self, file: str, text: str = "") -> None:
        self.file = file
        self.text = text
        self._lines: list[str] | None = None
        self.records: dict[PathKey, Record] = {}
        """Each mapping's and list's entries' marks, by its data path (see :class:`SourceMap`)."""
        self.diagnostics: list[Diagnostic] = []
        self.aliases_possible = "*" in text
        """An alias is written ``*名称``: a text without a star has none to expand."""
        self.seen: set[int] = set()
        """Nodes built once (only when aliases are possible); PyYAML gives an alias the very
        node of its anchor."""
        self.aliased = 0

    def positions(self, root: yaml.Node) -> SourceMap:
        mark = root.start_mark
        return SourceMap.recorded((mark.line, mark.column), self.records)

    def _error(self, code: str, node: yaml.Node, path: PathKey, message: str, hint: str) -> None:
        mark = node.start_mark
        self.diagnostics.append(Diagnostic(
            Severity.ERROR, code, message, file=self.file, line=mark.line + 1,
            column=mark.column + 1, path=format_path(path), hint=hint))

    def count(self, node: yaml.Node) -> None:
        """Count a value built again: an alias (or inside one). Those written were counted as
        they were composed."""
        if not self.aliases_possible:
            return
        if id(node) in self.seen:
            self.aliased += 1
            if self.aliased > MAX_ALIAS_VALUES:
                raise _TooLarge(node, aliases=True)
        else:
            self.seen.add(id(node))

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        """The value of ``node``, at ``path``; its own mark is kept by its parent (or by the caller)."""
        self.count(node)
        node_type = type(node)
        if len(path) >= MAX_DEPTH and node_type is not ScalarNode:
            raise _TooDeep(node.start_mark)  # the collection at depth MAX_DEPTH + 1
        if node_type is MappingNode:
            return self._mapping(node, path)  # type: ignore[arg-type]  # the exact type, checked above
        if node_type is SequenceNode:
            return self._sequence(node, path)  # type: ignore[arg-type]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, parent: PathKey, *last: str | int) -> Any:
        """``node``'s value; its path is ``parent`` and ``last``, made only if the tag is refused."""
        tag = node.tag
        if tag in _AS_TEXT:
            return node.value
        if tag == _INT:
            value = node.value
            if value.isascii() and value.isdigit() and value[0] != "0":
                return int(value)  # what construct_yaml_int gives a plain decimal, without its checks
        builder = _SCALAR_BUILDERS.get(tag)
        if builder is None:
            self._refuse_tag(node, (*parent, *last))
            return None
        try:
            return builder(node)
        except (ValueError, yaml.YAMLError):
            return node.value

    def _sequence(self, node: yaml.Node, path: PathKey) -> list[Any]:
        if node.tag != _SEQ:
            self._refuse_tag(node, path)
        items = node.value
        marks: list[int] = []
        for item in items:
            mark = item.start_mark
            marks += (mark.line, mark.column)
        self.records[path] = (None, marks)
        if self.aliases_possible:
            return [self.build(item, (*path, i)) for i, item in enumerate(items)]
        result: list[Any] = []
        append = result.append
        for i, item in enumerate(items):
            if type(item) is ScalarNode:  # built here: the same steps as build(), less a call
                append(item.value if item.tag in _AS_TEXT else self._scalar(item, path, i))
            else:
                append(self.build(item, (*path, i)))
        return result

    def _refuse_tag(self, node: yaml.Node, path: PathKey) -> None:
        self._error(
            "unsafe-tag", node, path,
            f"不支持 YAML 标签 {_short_tag(node.tag)}：数据文件只能包含文字、数字、"
            "日期、是/否、列表和映射，不能包含程序对象或自定义类型。",
            "删除这个以“!”开头的标签；如果原意是文字，请给它加上引号。")

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        if node.tag != _MAP:
            self._refuse_tag(node, path)
        result: dict[str, Any] = {}
        marks: list[int] = []  # line and column of key, value, key, value… in the order of result's keys
        inline = not self.aliases_possible
        flow = node.flow_style
        as_text, scalar = _AS_TEXT, ScalarNode
        previous: yaml.Node | None = None  # the value node before, and its key
        previous_key = ""
        for key_node, value_node in node.value:
            if not inline:
                self.count(key_node)
            if (flow and previous is not None and value_node.tag == _NULL and not value_node.value
                    and self._text_split(node, key_node, value_node, (previous_key, previous), path, result)):
                continue
            if key_node.tag not in _KEY_TAGS or type(key_node) is not ScalarNode:
                if key_node.tag == _MERGE:
                    self._error("merge-key", key_node, path, "不支持合并键“<<”。",
                                "请把需要的键直接写出来。")
                else:
                    self._error("bad-key", key_node, path, "键必须是简单的文字。",
                                "请检查这一行冒号前的内容。")
                continue
            key = key_node.value  # a scalar's value is its text
            if key in result:  # the first one's place is kept, under the same path
                first = marks[4 * list(result).index(key)]
                self._error(
                    "duplicate-key", key_node, (*path, key),
                    f"键“{key}”重复出现（第一次在第 {first + 1} 行）。YAML 只会保留其中一个，"
                    "另一个的内容会丢失。",
                    "合并这两处内容，或删除其中一处。")
                continue
            kmark, vmark = key_node.start_mark, value_node.start_mark
            marks += (kmark.line, kmark.column, vmark.line, vmark.column)
            if inline and type(value_node) is scalar:  # built here: build()'s steps, less a call
                result[key] = value_node.value if value_node.tag in as_text else self._scalar(value_node, path, key)
            else:
                result[key] = self.build(value_node, (*path, key))
            previous, previous_key = value_node, key
        self.records[path] = (tuple(result), marks)
        return result

    def _text_split(self, node: yaml.MappingNode, key_node: yaml.Node, value_node: yaml.Node,
                    previous: tuple[str, yaml.Node], path: PathKey, result: dict[str, Any]) -> bool:
        """``{topic: 研究发展党员工作, 讨论发展对象}``: a half-width comma cut the text, and its
        second half became a key without a value. Say so with the corrected line, and keep the
        whole text (so no "unknown key" follows); ``False`` when this is not that case."""
        key, before = previous
        if not (node.flow_style and node.start_mark.line == node.end_mark.line
                and isinstance(key_node, yaml.ScalarNode) and not key_node.style
                and isinstance(value_node, yaml.ScalarNode) and value_node.tag == _NULL and not value_node.value
                and isinstance(before, yaml.ScalarNode) and not before.style and isinstance(result.get(key), str)
                and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(key_node.value))):
            return False
        if self._lines is None:
            self._lines = self.text.splitlines()
        row = key_node.start_mark.line
        line = self._lines[row] if row < len(self._lines) else ""
        from .flow_lines import fix_flow_line  # here: only a line YAML cut short needs it

        fix = fix_flow_line(line)
        if fix is None:
            return False
        if not any(d.code == "unquoted-text" and d.line == row + 1 for d in self.diagnostics):
            self.diagnostics.append(Diagnostic(
                Severity.ERROR, "unquoted-text",
                f"花括号 {{ }} 中的文字“{fix.text}”含有{fix.reason}，没有加引号：YAML 在这里把文字断开了，"
                f"“{key_node.value}”被当成了一个键。",
                file=self.file, line=row + 1, column=fix.column + 1, path=format_path((*path, key)), hint=fix.hint()))
        result[key] = line[before.start_mark.column:key_node.end_mark.column]  # the text as meant
        return True


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node | yaml.Event, *, aliases: bool) -> None:
        self.mark = node.start_mark
        self.aliases = aliases


def _count_values(text: str) -> None:
    """Raise :class:`_TooLarge` if ``text`` holds more than :data:`MAX_VALUES` values.

    Composing builds every node at once, so a huge count is found first by streaming the
    parser's events, in constant memory. A value takes at least a character (``{a,b}`` is five
    values in five), ``a:`` two in two, so a text of under half the limit's characters cannot
    exceed it and is not streamed twice. (The usual file is not composed: :mod:`.yaml_events`
    counts as it reads.)
    """
    if len(text) <= MAX_VALUES // 2 or _events_at_most(text, MAX_VALUES):
        return
    count = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                count += 1
                if count > MAX_VALUES:
                    raise _TooLarge(event, aliases=False)
    except yaml.YAMLError:
        return  # composing finds the same error, having built no more than counted here


def _events_at_most(text: str, limit: int) -> bool:
    """Whether libyaml's parser yields no more than ``limit`` events for ``text``: counted in C,
    without making an event object, so a large file's count costs a fifth of streaming it.

    Events include the ends of collections and of the stream, so this bounds the values from
    above: ``False`` (or no libyaml, or a syntax error) leaves the exact count to the stream.
    """
    if not hasattr(_Loader, "raw_parse"):
        return False
    parser = _Loader(text)
    try:
        return bool(parser.raw_parse() <= limit)
    except yaml.YAMLError:
        return False
    finally:
        parser.dispose()


def _too_large(file: str, exc: _TooLarge) -> Diagnostic:
    mark = exc.mark
    if exc.aliases:
        message = f"展开锚点和别名后多出超过 {MAX_ALIAS_VALUES} 个值，拒绝读取。"
        hint = "请不要用别名（*名称）层层引用；直接写出数据。"
    else:
        message = f"文件中的数据超过 {MAX_VALUES} 个值（每个键、列表项和值各算一个），拒绝读取。"
        hint = "一个组织一年的数据远少于此，请确认选对了文件；确实这么多时，请按支部或半年拆成几个文件。"
    return Diagnostic(Severity.ERROR, "too-large" if exc.aliases else "too-many-values", message,
                      file=file, line=mark.line + 1 if mark else None,
                      column=mark.column + 1 if mark else None, hint=hint)


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark | None) -> None:
        self.mark = mark


_INDENT = re.compile(r"^[ ?:-]*", re.MULTILINE)


def _depth_exceeded(text: str, mark: Any) -> Any:
    """Where (a PyYAML or libyaml mark) the nesting first goes past :data:`MAX_DEPTH` before ``mark``.

    Run only after the parser failed at ``mark``: it tells a too-deep file from a syntax error
    whatever the parser's own words for it are. Each level costs a flow bracket or a column of
    indentation, so a text with neither in that number is not walked at all.
    """
    if mark is not None:
        text = text[: mark.index + 1]
    if (text.count("[") + text.count("{") < MAX_DEPTH
            and all(len(m) < MAX_DEPTH for m in _INDENT.findall(text))):
        return None
    depth = 0
    try:  # the pure-Python parser: libyaml scans far ahead before it yields an event
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except (yaml.YAMLError, RecursionError):
        pass
    return None


def _too_deep(file: str, mark: yaml.Mark | None) -> Diagnostic:
    return Diagnostic(
        Severity.ERROR, "too-deep", f"嵌套层次过深（超过 {MAX_DEPTH} 层），拒绝读取。", file=file,
        line=mark.line + 1 if mark else 1, column=mark.column + 1 if mark else 1,
        hint="数据文件的层次一般不超过十几层，请检查文件是否损坏、缩进或括号是否错乱。")


_FULL_WIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*\s*：")
_NO_SPACE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*):(?=[^\s:])")
"""``staff:420``: a colon is there, the space after it is not (YAML then reads one plain text)."""


def syntax_diagnostic(exc: yaml.YAMLError, file: str, source: str) -> Diagnostic:
    """A PyYAML error as a diagnostic in Chinese, at the line where the clerk must look.

    libyaml reports some mistakes a line late (after a full-width colon, the next key) and
    does not name a tab; both are recognised from the source text.
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or exc).strip()
    said = f"{getattr(exc, 'context', None) or ''} {problem}"
    what, fix = next(((w, f) for needle, w, f in _SYNTAX_HINTS if needle in said), _UNKNOWN)
    line = column = None
    context_mark = getattr(exc, "context_mark", None)
    if "could not find expected ':'" in said and context_mark is not None:
        mark = context_mark  # the key that lacks its colon, not the line after it
    if mark is not None:
        line, column = mark.line, mark.column
        lines = source.splitlines()
        from .flow_lines import fix_flow_line

        flow = fix_flow_line(lines[mark.line]) if 0 <= mark.line < len(lines) else None
        if flow is not None:  # { … } with text YAML cannot read: say which, and how to write it
            return Diagnostic(
                Severity.ERROR, "yaml-syntax",
                f"YAML 语法错误：花括号 {{ }} 中的文字“{flow.text}”含有{flow.reason}，没有加引号，YAML 读不懂这一行。",
                file=file, line=mark.line + 1, column=flow.column + 1, hint=flow.hint())
        for candidate in (mark.line, mark.line - 1):
            text = lines[candidate] if 0 <= candidate < len(lines) else ""
            if _FULL_WIDTH_COLON.match(text):
                (what, fix), line, column = _FULL_WIDTH, candidate, text.index("：")
                break
            no_space = _NO_SPACE.match(text)
            if no_space:
                key = no_space[2]
                fixed = f"{text[:no_space.end()]} {text[no_space.end():]}".strip()
                what = f"键“{key}”后面的冒号后缺少空格"
                fix = f"键后面要用半角冒号加一个空格。改正后的这一行：{fixed}"
                line, column = candidate, no_space.end() - 1
                break
            if candidate == mark.line and "\t" in text[: mark.column + 1]:
                what, fix = _TAB
                break
            if text.count('"') > 2:
                (what, fix), line = _QUOTES, candidate
                break
    return Diagnostic(
        Severity.ERROR, "yaml-syntax", f"YAML 语法错误：{what}。", file=file,
        line=line + 1 if line is not None else None, column=column + 1 if column is not None else None,
        hint=f"{fix}（解析器原文：{problem}）")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a tree of many small objects is built.

    Nodes and values are only ever added, never made garbage, yet each new container counts
    towards a collection that walks all of them again: about half of loading a large file.
    Reference counting still frees everything at once afterwards; the collector is restored
    even on error (and left alone if the caller had already disabled it).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse(text: str, file: str) -> tuple[Any, SourceMap, list[Diagnostic]]:
    """Parse YAML text into plain values and their positions.

    Returns ``(value, positions, diagnostics)``; the value is ``None`` when nothing usable was
    read. Diagnostics here are all errors.
    """
    with _collector_paused():
        return _parse(text, file)


def _parse(text: str, file: str) -> tuple[Any, SourceMap, list[Diagnostic]]:
    try:  # the usual file is read from the parser's events
        value, positions = read_plain(text, _Loader, max_values=MAX_VALUES, max_depth=MAX_DEPTH,
                                      key_tags=_KEY_TAGS, as_text=_AS_TEXT, builders=_SCALAR_BUILDERS)
    except TooMany as exc:
        return None, SourceMap(), [_too_large(file, _TooLarge(exc.event, aliases=False))]
    except (Unusual, yaml.YAMLError):
        return _composed(text, file)  # where every check is made and every message said
    return value, positions, []


def _composed(text: str, file: str) -> tuple[Any, SourceMap, list[Diagnostic]]:
    """:func:`parse` by composing the nodes and building the values from them, with every check."""
    try:
        _count_values(text)
        node = yaml.compose(text, Loader=_Loader)
    except _TooLarge as exc:
        return None, SourceMap(), [_too_large(file, exc)]
    except yaml.YAMLError as exc:
        deep = _depth_exceeded(text, getattr(exc, "problem_mark", None))
        if deep is not None:
            return None, SourceMap(), [_too_deep(file, deep)]
        return None, SourceMap(), [syntax_diagnostic(exc, file, text)]
    except RecursionError:
        return None, SourceMap(), [_too_deep(file, _depth_exceeded(text, None))]
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null" and not node.value):
        return None, SourceMap(), [Diagnostic(
            Severity.ERROR, "empty-file", "文件是空的（或只有注释）。", file=file, line=1,
            column=1, hint="可以复制 samples/ 中的示例数据，再在其上修改。")]
    builder = _Builder(file, text)
    try:
        value = builder.build(node, ())
    except _TooLarge as exc:
        return None, SourceMap(), [_too_large(file, exc)]
    except _TooDeep as exc:
        return None, SourceMap(), [_too_deep(file, exc.mark)]
    except RecursionError:  # aliases nested inside aliases: each level within the limit
        return None, SourceMap(), [_too_deep(file, None)]
    return value, builder.positions(node), builder.diagnostics
