"""Property-based tests: data drawn from the schema itself, through validation and every document.

Two sources of data, both read from ``schemas/year.schema.json`` so that they follow it as it
changes:

- :func:`from_schema` draws any value of a (sub)schema: types, enums, lengths, patterns, dates,
  minimums, item counts. Most such years contradict themselves (an activity of a branch that
  does not exist), so they test the refusing side: diagnostics, never an exception.
- :func:`valid_years` starts from the small valid year and replaces every free text in it with
  text drawn from that field's schema (with hostile characters: brackets, runs of spaces,
  quotes, emoji, right-to-left marks) and leaves out optional parts. These are mostly accepted,
  and every document they can have must build, open, carry no placeholder and be the same bytes
  twice.

Runs are derandomized (the same examples every run, so CI is stable) and bounded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

import docx
import pytest
import yaml
from conftest import MINIMAL

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import dangjian_docs  # noqa: E402
from dangjian_docs import DangjianError  # noqa: E402
from dangjian_docs.domain.placeholders import find_placeholder  # noqa: E402
from dangjian_docs.resources import year_schema  # noqa: E402

BOUNDED = settings(max_examples=50, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.filter_too_much])
ROOT_SCHEMA: dict[str, Any] = year_schema()

# Text as clerks paste it: Chinese, Latin, digits, punctuation of both widths, brackets, quotes,
# spaces and tabs in runs, emoji, and the invisible marks that reach data from web pages.
_TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(list("党建工作医院支部（）()“”\"'，,。.：:；;！!？? \t-—0123456789AaXx")),
            max_size=40),
    st.text(max_size=20),
    st.sampled_from(["党建" + " " * 500 + "(党)", "（" * 30, "(" * 30 + "中", "😀党建", "a\u202eb", "\u200b党建",
                     "党 , 建 . 工作", '"党建"工作', "COM1", "."]),
)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target = ROOT_SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _dates() -> st.SearchStrategy[str]:
    return st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)


def from_schema(node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Any value the (sub)schema describes by its types, enums, bounds, patterns and formats.

    Combinators that only narrow (``not``, ``if``/``then``, ``dependentRequired``) are left to
    the validator: a value they refuse tests the refusing side.
    """
    node = _resolve(node)
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    for key in ("oneOf", "anyOf"):
        if key in node:
            base = {k: v for k, v in node.items() if k != key}
            return st.one_of([from_schema({**base, **_resolve(option)}, depth) for option in node[key]])
    kind = node.get("type")
    if isinstance(kind, list):
        return st.one_of([from_schema({**node, "type": k}, depth) for k in kind])
    if kind == "object" or (kind is None and "properties" in node):
        return _object(node, depth)
    if kind == "array":
        items = node.get("items", {})
        low = node.get("minItems", 0)
        high = min(node.get("maxItems", low + 2), low + (2 if depth < 2 else 1))
        unique = {"unique_by": lambda v: json.dumps(v, sort_keys=True)} if node.get("uniqueItems") else {}
        return st.lists(from_schema(items, depth + 1), min_size=low, max_size=high, **unique)
    if kind == "integer":
        low = node.get("minimum", -5)
        return st.integers(low, node.get("maximum", low + 500))
    if kind == "number":
        low = node.get("minimum", 0)
        return st.one_of(st.integers(low, low + 1000), st.floats(low, low + 1e6, allow_nan=False))
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "string":
        return _string(node)
    return st.one_of(st.none(), st.integers(), _TEXT)


def _string(node: dict[str, Any]) -> st.SearchStrategy[str]:
    low, high = node.get("minLength", 0), node.get("maxLength", 200)
    if node.get("format") == "date":
        return _dates()
    if "pattern" in node:
        return st.from_regex(node["pattern"], fullmatch=True).filter(lambda s: low <= len(s) <= high)
    return _TEXT.filter(lambda s: low <= len(s) <= high)


def _object(node: dict[str, Any], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    props = node.get("properties", {})
    required = {k: from_schema(props.get(k, {}), depth + 1) for k in node.get("required", [])}
    optional = {} if depth > 3 else {k: from_schema(v, depth + 1) for k, v in props.items() if k not in required}
    return st.fixed_dictionaries(required, optional=optional)


# ---------------------------------------------------------------------------- valid years

def _schema_at(path: tuple[str | int, ...]) -> dict[str, Any] | None:
    node = _resolve(ROOT_SCHEMA)
    for part in path:
        for key in ("oneOf", "anyOf"):  # a branch's members or roster: either option's properties
            if key in node:
                merged: dict[str, Any] = {}
                for option in node[key]:
                    merged.update(_resolve(option).get("properties", {}))
                node = {**node, "properties": {**merged, **node.get("properties", {})}}
        if isinstance(part, int):
            node = _resolve(node.get("items", {}))
        elif part in node.get("properties", {}):
            node = _resolve(node["properties"][part])
        else:
            return None
    return node


def _free_text(node: dict[str, Any] | None) -> bool:
    """A string the clerk writes freely: no enum, pattern, format or const to keep to."""
    return bool(node) and node.get("type") == "string" and not {"enum", "pattern", "format", "const"} & set(node)


def _leaves(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))]
    return [path]


def _optional_keys(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = []
    if isinstance(value, dict):
        node = _schema_at(path) or {}
        required = set(node.get("required", []))
        for key, child in value.items():
            if key not in required and key != "documents":
                out.append((*path, key))
            out += _optional_keys(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += _optional_keys(child, (*path, i))
    return out


BASE: dict[str, Any] = json.loads(json.dumps(yaml.safe_load(MINIMAL.read_text(encoding="utf-8")), default=str))
def _get(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


TEXT_PATHS = [p for p in _leaves(BASE) if isinstance(_get(BASE, p), str) and _free_text(_schema_at(p))]
OPTIONAL_PATHS = _optional_keys(BASE)


@st.composite
def valid_years(draw: Callable[..., Any]) -> dict[str, Any]:
    """The small year with free texts drawn from their schema and some optional parts left out."""
    data = json.loads(json.dumps(BASE))
    for path in draw(st.lists(st.sampled_from(TEXT_PATHS), max_size=12, unique=True)):
        *parent, last = path
        _get(data, tuple(parent))[last] = draw(_string(_schema_at(path) or {"type": "string"}))
    for path in sorted(draw(st.lists(st.sampled_from(OPTIONAL_PATHS), max_size=3, unique=True)),
                       key=len, reverse=True):
        *parent, last = path
        with contextlib.suppress(KeyError, IndexError, TypeError):  # inside a part already left out
            del _get(data, tuple(parent))[last]
    return data


def test_the_strategies_reach_the_data() -> None:
    assert len(TEXT_PATHS) > 30 and len(OPTIONAL_PATHS) > 20


# ---------------------------------------------------------------------------- properties

def _check_documents(year: dangjian_docs.YearData) -> None:
    """Every document the data can have (one a branch or group for those kinds) builds, opens, has
    no placeholder, and is the same twice."""
    for made in dangjian_docs.outputs(year):
        kind = made.id
        first = dangjian_docs.render(year, made.kind.name, subject=made.subject)
        assert dangjian_docs.render(year, made.kind.name, subject=made.subject) == first, \
            f"{kind} differs between two renders"
        document = docx.Document(io.BytesIO(first))
        text = "\n".join(p.text for p in document.paragraphs)
        text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        assert find_placeholder(text) is None, (kind, find_placeholder(text))


@BOUNDED
@given(data=valid_years())
def test_accepted_data_builds_every_kind_it_can(data: dict[str, Any], tmp_path_factory) -> None:
    result = dangjian_docs.validate(data)
    if result.errors:  # a drawn text may hold a placeholder ("XX") or the like: refused, and said why
        assert all(d.message and d.code for d in result.errors)
        return
    assert result.year is not None
    _check_documents(result.year)
    folder = tmp_path_factory.mktemp("build")
    try:
        written = dangjian_docs.build(result.year, out_dir=folder)
    except DangjianError as exc:  # only file names no system can hold may stop a valid year here
        assert {d.code for d in exc.diagnostics} <= {"bad-file-name", "name-clash", "missing-section"}, \
            exc.diagnostics
        assert not list(folder.iterdir())
        return
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written)


@BOUNDED
@given(data=from_schema(ROOT_SCHEMA))
def test_any_schema_shaped_data_is_refused_or_built_without_an_exception(data: dict[str, Any]) -> None:
    result = dangjian_docs.validate(data)
    if result.year is None or result.errors:
        assert result.errors and all(d.code and d.message for d in result.errors)
        return
    _check_documents(result.year)


@BOUNDED
@given(data=from_schema(ROOT_SCHEMA), form=st.sampled_from(["yaml", "json"]))
def test_any_schema_shaped_file_is_refused_or_read_without_an_exception(data: dict[str, Any], form: str,
                                                                         tmp_path_factory) -> None:
    """The same data as a file (YAML, or JSON, which YAML reads too): diagnostics name the file."""
    path = tmp_path_factory.mktemp("files") / "year.yaml"
    dumped = yaml.safe_dump(data, allow_unicode=True) if form == "yaml" else json.dumps(data, ensure_ascii=False)
    path.write_text(dumped, encoding="utf-8")
    result = dangjian_docs.validate(path)
    assert result.year is not None or result.errors
    for d in result.diagnostics:
        assert d.code and d.message and d.file == dangjian_docs.diagnostics.display_path(path)
