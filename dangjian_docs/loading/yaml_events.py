"""Plain data read straight from the parser's events, for the usual data file.

Composing makes a node object for every value, with two marks, and calls the resolver three
times for each; the values are then built from the nodes, which are thrown away. A data file is
mostly plain mappings, lists and text, and for those the events say everything the values and
their positions need, so they are built as the events come: about a third less time for a large
year. Anything else (a tag, an anchor or alias, a key that is not simple text, a duplicate key, text a
half-width comma cut in ``{ }``, nesting past the limit, a syntax error) is
:class:`Unusual`: the caller then composes the file and builds it with every check and message,
so a diagnostic is always made by one and the same code (:mod:`.yaml_tree`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

from .positions import PathKey, Record, SourceMap

_TAG = "tag:yaml.org,2002:"
_INT, _NULL, _STR = _TAG + "int", _TAG + "null", _TAG + "str"


class Unusual(Exception):
    """The file needs the composer: it has something the event reader does not build."""


class TooMany(Exception):
    """More than the limit's values: ``event`` is the first past it, as a streaming count finds."""

    def __init__(self, event: yaml.Event) -> None:
        self.event = event


def read_plain(text: str, loader: type, *, max_values: int, max_depth: int, key_tags: frozenset[str],
               as_text: frozenset[str], builders: Mapping[str, Callable[[ScalarNode], Any]]) -> tuple[Any, SourceMap]:
    """The value of ``text`` and its positions, as :class:`.yaml_tree._Builder` would build them
    from the composed nodes; raises :class:`Unusual` (or a :class:`yaml.YAMLError`) when it
    cannot say so without composing, and :class:`TooMany` past ``max_values`` values (counted
    as they come, so a huge file is refused in the memory of what was read before the limit).
    An anchor (``&名称``, which any alias needs first) is :class:`Unusual`: aliases are composed.

    ``key_tags`` are the tags a key may have, ``as_text`` those kept as written, ``builders``
    how any other tag's value is made.
    """
    reader = loader(text)
    try:
        return _read(reader, max_values, max_depth, key_tags, as_text, builders)
    finally:
        reader.dispose()


def _read(reader: Any, max_values: int, max_depth: int, key_tags: frozenset[str], as_text: frozenset[str],
          builders: Mapping[str, Callable[[ScalarNode], Any]]) -> tuple[Any, SourceMap]:
    get = reader.get_event
    resolve = reader.resolve
    # A plain text's tag without calling the resolver where that is sure: one met before (the
    # loader's memo), or one whose first character starts no implicit type (most text: names,
    # sentences), which BaseResolver makes text when there are no path or catch-all resolvers.
    known: dict[str, str] = getattr(reader, "plain_tags", {})
    starts = reader.yaml_implicit_resolvers
    shortcut = None not in starts and not getattr(reader, "yaml_path_resolvers", None)
    if type(get()) is not StreamStartEvent or type(get()) is not DocumentStartEvent:
        raise Unusual  # nothing at all: the composer says the file is empty
    first = get()
    if type(first) is not MappingStartEvent and type(first) is not SequenceStartEvent:
        raise Unusual  # a single text, or nothing: the composer and the schema say what is wrong
    event: Any = first  # a parser event, libyaml's or PyYAML's: its marks are always set
    records: dict[PathKey, Record] = {}
    stack: list[tuple[Any, list[int], PathKey, bool, bool, int]] = []  # the collections around it
    root_mark = event.start_mark
    count = 0
    # the collection being read: its value, its lines and columns, its path, whether it is a
    # mapping (and a flow one), its entries so far, and the key read whose value comes next
    container: Any = None
    mark: Any = None
    marks: list[int] = []
    path: PathKey = ()
    is_map = flow = False
    entries = 0
    key: str | None = None
    key_line = key_column = 0
    while True:
        kind = type(event)
        if kind is ScalarEvent:
            count += 1
            if count > max_values:
                raise TooMany(event)
            if event.anchor is not None or event.tag is not None:
                raise Unusual
            value = event.value
            mark = event.start_mark
            implicit = event.implicit
            if not implicit[0]:
                tag = None  # quoted text
            elif shortcut and value and value[0] not in starts:
                tag = _STR
            else:
                tag = known.get(value) or resolve(ScalarNode, value, implicit)
            if is_map and key is None:
                if (tag is not None and tag not in key_tags) or value in container:
                    raise Unusual  # a key that is not simple text, or said twice: the builder's messages
                key, key_line, key_column = value, mark.line, mark.column
                event = get()
                continue
            if tag is None or tag in as_text:
                built: Any = value
            elif tag == _INT and value.isascii() and value.isdigit() and value[0] != "0":
                built = int(value)
            else:
                if (tag == _NULL and not value and flow and entries) or tag not in builders:
                    raise Unusual  # perhaps text a comma cut in { }, or a tag refused
                try:
                    built = builders[tag](ScalarNode(tag, value, mark, event.end_mark, event.style))
                except (ValueError, yaml.YAMLError):
                    built = value
            if is_map:
                container[key] = built
                marks += (key_line, key_column, mark.line, mark.column)
                entries += 1
                key = None
            else:
                container.append(built)
                marks += (mark.line, mark.column)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            count += 1
            if count > max_values:
                raise TooMany(event)
            if event.anchor is not None or event.tag is not None:
                raise Unusual
            value = {} if kind is MappingStartEvent else []
            mark = event.start_mark
            if container is None:
                inner: PathKey = ()
            elif is_map:
                if key is None:
                    raise Unusual  # a collection as a key
                inner = (*path, key)
                container[key] = value
                marks += (key_line, key_column, mark.line, mark.column)
                entries += 1
                key = None
            else:
                inner = (*path, len(container))
                container.append(value)
                marks += (mark.line, mark.column)
            if len(inner) >= max_depth:
                raise Unusual  # the composer's builder says how deep it goes
            if container is not None:
                stack.append((container, marks, path, is_map, flow, entries))
            container, marks, path, entries = value, [], inner, 0
            is_map, flow = kind is MappingStartEvent, bool(kind is MappingStartEvent and event.flow_style)
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            records[path] = (tuple(container), marks) if is_map else (None, marks)
            if not stack:
                break
            container, marks, path, is_map, flow, entries = stack.pop()
        else:
            raise Unusual
        event = get()
    if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
        raise Unusual  # more than one document: the composer says so
    return container, SourceMap.recorded((root_mark.line, root_mark.column), records)
