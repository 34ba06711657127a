"""JSON Schema validation, with every error translated into a diagnostic a clerk can act on."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from ..diagnostics import Diagnostic, Severity
from ..loading import DataFile, PathKey
from ..resources import year_schema
from .schema_info import subschema, title
from .suggest import closest

if TYPE_CHECKING:  # jsonschema costs ~60 ms to import; valid data never needs it
    import jsonschema
    from jsonschema import Draft202012Validator

_TYPE_NAMES = {
    "string": "文字", "integer": "整数", "number": "数字", "boolean": "是/否（true 或 false）",
    "array": "列表（每项以“- ”开头）", "object": "“键: 值”形式的映射", "null": "空值",
}


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "是/否"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "小数"
    if isinstance(value, str):
        return f"文字“{_short(value)}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return "空值" if value is None else type(value).__name__


def _short(value: Any, limit: int = 20) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def ecma_pattern(pattern: str) -> str:
    """``pattern`` with ECMA-262's ``$`` (the very end) for Python's (also before a final newline).

    JSON Schema patterns are ECMA-262 regexes, as jsonschema-rs and the editor read them; with
    Python's ``$`` an id like ``"neike1\\n"`` passed the detailed check but not the fast one,
    and the clerk was told nothing about the id itself.
    """
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append(r"\Z")
            continue
        out.append(char)
    return "".join(out)


@functools.cache
def _validator() -> Draft202012Validator:
    # only for invalid data: jsonschema-rs says "valid"
    from jsonschema import Draft202012Validator, ValidationError, validators

    def pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if validator.is_type(instance, "string") and not re.search(ecma_pattern(patrn), instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    ecma = validators.extend(Draft202012Validator, {"pattern": pattern})
    return ecma(year_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def _fast_validator() -> jsonschema_rs.Draft202012Validator:
    """The same schema in jsonschema-rs: about 70 times faster, used to say "valid" quickly.

    Only when it finds the data invalid does the pure-Python validator run, for errors with
    the detail our Chinese messages are built from. Both implement Draft 2020-12 in full;
    tests/test_validation.py holds them to the same verdicts.
    """
    return jsonschema_rs.Draft202012Validator(year_schema(), validate_formats=True)


def check_schema(source: DataFile, within: str | None = None) -> tuple[list[Diagnostic], set[PathKey]]:
    """Every schema violation in ``source``, each at its own line and column.

    Also returns the data paths whose values are unusable, so that the model can be built from
    the rest; an unknown key leaves its mapping usable and is not among them.

    ``within`` names the one top-level key whose items the caller wants checked (the repo's
    shared rules file holds only ``rules``, so it breaks the schema elsewhere): when jsonschema-rs
    finds nothing wrong among that key's items, nothing is returned and the detailed validator
    is not run (nor imported).
    """
    out: list[Diagnostic] = []
    broken: set[PathKey] = set()
    try:
        if within is None and _fast_validator().is_valid(source.data):
            return out, broken
        if within is not None and not any(_inside(error.instance_path, within)
                                          for error in _fast_validator().iter_errors(source.data)):
            return out, broken
    except ValueError:  # a value JSON cannot hold; the detailed validator reports it as a type error
        pass
    for error in _validator().iter_errors(source.data):
        if isinstance(error.schema, dict) and error.schema.get("x-tool-code"):
            continue  # a rule written for the editor; the cross-check reports it under that code, in its words
        out.extend(_translate(source, error))
        if error.validator != "additionalProperties":
            broken.add(_subject(error))
    # jsonschema reports "required" once per missing key, each naming them all
    return list(dict.fromkeys(out)), broken


def _inside(path: Any, key: str) -> bool:
    """Whether jsonschema-rs's ``instance_path`` lies among the items of the top-level ``key``."""
    return len(path) > 1 and path[0] == key


def _subject(error: jsonschema.ValidationError) -> PathKey:
    """The data path an error is about: where one key rules out another (``dependentSchemas: {a:
    {properties: {b: …}}}``), the mapping that holds both, not the key the schema marks."""
    path = tuple(error.absolute_path)
    schema_path = list(error.relative_schema_path)
    if "dependentSchemas" not in schema_path:
        return path
    inside = schema_path[len(schema_path) - schema_path[::-1].index("dependentSchemas"):]
    return path[:len(path) - inside.count("properties")]


def _named_item(data: Any, path: tuple) -> str:
    """The ``name`` (or ``title``) of the list item at ``path``: “药学部党支部” beats “第 1 项”."""
    if not path or not isinstance(path[-1], int):
        return ""
    item: Any = data
    for part in path:
        try:
            item = item[part]
        except (KeyError, IndexError, TypeError):
            return ""
    if isinstance(item, dict):
        for key in ("name", "title", "topic"):
            if isinstance(item.get(key), str):
                return _short(item[key])
    return ""


def _translate(source: DataFile, error: jsonschema.ValidationError,
               root: dict[str, Any] | None = None) -> Iterator[Diagnostic]:
    """``root`` is the schema ``error`` came from (the region file has its own); default: year."""
    root = root if root is not None else year_schema()
    path = _subject(error)
    field = title(root, path) or "文件顶层"
    named = _named_item(source.data, path)
    if named:
        field = f"{field}（{named}）"
    kind = error.validator
    value = error.instance
    expected = error.validator_value

    def at(code: str, message: str, hint: str = "", where: tuple = path,
           key: bool = False) -> Diagnostic:
        return source.diagnostic(Severity.ERROR, code, where, message, hint, key=key)

    if kind == "additionalProperties":
        allowed = list((subschema(root, path) or {}).get("properties", {}))
        for key in value:
            if key in allowed:
                continue
            unused = [k for k in allowed if k not in value]  # suggesting a present key would duplicate it
            guess = closest(key, unused)
            message = f"{field}中有未知的键“{key}”。"
            if guess:
                message += f"是不是想写“{guess}”？"
            yield at("unknown-key", message,
                     f"这里还可以使用的键：{'、'.join(unused)}。" if not guess
                     else f"请改为“{guess}”。", (*path, key), key=True)
    elif kind == "required":
        for key in expected:
            if key not in value:
                name = title(root, (*path, key))
                yield at("missing-key", f"{field}缺少必填项“{name}”。",
                         f"请在这里加上“{key}: …”。")
    elif "dependentSchemas" in error.relative_schema_path and list(error.absolute_path)[-1:] == ["members"]:
        yield at("both-members", f"{field}同时填写了党员统计（members）和党员名册（roster）。",
                 "二者只填一个：有名册时删除 members，统计由名册计算。")
    elif "dependentSchemas" in error.relative_schema_path:  # another key that one rules out
        words = error.schema.get("errorMessage") if isinstance(error.schema, dict) else None
        key = str(error.absolute_path[-1]) if error.absolute_path else ""
        yield at("schema", f"{field}中的“{key}”不能与同一处的其他键同时填写。",
                 str(words or "请对照数据说明修改。"))
    elif kind == "type" and not path:
        yield at("wrong-type", f"文件顶层应为“键: 值”形式的映射，实际是{_type_of(value)}。",
                 "数据文件应以 year:、organisation:、branches: 等键开头，请参照 samples/ 中的示例。")
    elif kind == "type":
        wanted = "或".join(_TYPE_NAMES.get(str(t), str(t)) for t in
                          (expected if isinstance(expected, list) else [expected]))
        hint = "请改成正确的类型。"
        if expected in ("integer", "number") and isinstance(value, str):
            hint = "只填数字本身，不要带单位或文字（如“30”而不是“30人”）。"
        elif expected == "string" and isinstance(value, (int, float)):
            hint = "如果这是文字，请给它加上引号。"
        elif expected == "boolean":
            hint = "请填 true（是）或 false（否）。"
        elif expected == "array" and isinstance(value, (str, dict)):
            hint = "列表的每一项另起一行，以“- ”开头。"
        yield at("wrong-type", f"{field}应为{wanted}，实际是{_type_of(value)}。", hint)
    elif kind == "enum":
        options = [str(o) for o in expected]
        labels = error.schema.get("x-enum-labels", {})
        guess = closest(str(value), options)
        message = f"{field}的值“{_short(value)}”不在可选范围内。"
        if guess:
            message += f"是不是想写“{guess}”？"
        shown = [_labelled(o, labels.get(o)) for o in options]
        yield at("bad-enum", message, f"可选值：{'、'.join(shown)}。")
    elif kind == "const":
        yield at("bad-value", f"{field}应为 {expected}，实际是 {_short(value)}。",
                 f"请改为 {expected}。")
    elif (kind == "format" and expected == "date") or (kind == "pattern" and error.schema.get("format") == "date"):
        # the date's calendar pattern (for the editor) fails with its format: one diagnostic, deduplicated
        yield at("bad-date", f"{field}“{_short(value)}”不是有效的日期。",
                 "日期写成 YYYY-MM-DD（如 2025-04-17），并且必须是日历上存在的日子。")
    elif kind in ("minimum", "exclusiveMinimum"):
        yield at("out-of-range", f"{field}不能小于 {expected}，实际是 {value}。", "请检查这个数字。")
    elif kind in ("maximum", "exclusiveMaximum"):
        yield at("out-of-range", f"{field}不能大于 {expected}，实际是 {value}。", "请检查这个数字。")
    elif kind == "minLength":
        yield at("empty", f"{field}不能为空。", "请填写内容，或删除这一项。")
    elif kind == "maxLength":
        yield at("too-long", f"{field}过长：{len(value)} 个字，最多 {expected} 个字。",
                 "标题和名称要简短；需要展开说明的，请写在同一项的说明类字段（如 detail）中。")
    elif kind == "pattern" and expected == root.get("$defs", {}).get("id", {}).get("pattern"):
        yield at("bad-id", f"{field}“{_short(value)}”不是有效的代号。",
                 "代号只能由英文字母、数字、点、下划线和连字符组成，如 neike1、T1.2。")
    elif kind == "pattern":  # any other pattern: the schema's own words for what it wants
        yield at("bad-value", f"{field}“{_short(value)}”的写法不对。",
                 str(error.schema.get("patternErrorMessage") or "请对照数据说明修改。"))
    elif kind == "minItems":
        yield at("too-few", f"{field}至少需要 {expected} 项，现在有 {len(value)} 项。",
                 "请补充内容。")
    elif kind == "maxItems":
        yield at("too-many", f"{field}最多 {expected} 项，现在有 {len(value)} 项。", "请删减。")
    elif kind == "uniqueItems":
        yield at("duplicate-item", f"{field}中有重复的项。", "请删除重复的项。")
    elif kind == "dependentRequired":
        for key, needs in expected.items():
            missing = [n for n in needs if key in value and n not in value]
            for other in missing:
                yield at("missing-key",
                         f"填写了{title(root, (*path, key))}，也必须填写{title(root, (*path, other))}。",
                         f"请加上“{other}: …”。")
    elif kind == "anyOf":
        return  # only the activity type uses anyOf, and its "type" error is reported already
    else:
        yield at("schema", f"{field}不符合要求：{error.message}", "请对照数据说明修改。")


def _labelled(option: str, label: str | None) -> str:
    """``党委（党的基层委员会）``; a label that already starts with the option is shown alone,
    not as ``党支部（党支部（本身就是支部……））``."""
    if not label or label == option:
        return option
    return label if label.startswith(option) else f"{option}（{label}）"
