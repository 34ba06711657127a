#!/usr/bin/env python3
"""Generate docs/data-reference.md (数据格式参考) from schemas/year.schema.json, and nothing else.

Every word about a field in the reference comes from the schema (its ``title``, ``description``,
``enum`` with ``x-enum-labels``, and its constraints put into words), so the reference cannot
drift from what ``dangjian-docs validate`` checks. Only the introduction, which explains how to
read the tables, is written here.

Usage::

    python tools/gen_schema_docs.py           # (re)write docs/data-reference.md
    python tools/gen_schema_docs.py --check   # exit 1 if the committed file is out of date (CI)

The output is deterministic: the same schema always gives the same bytes.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "year.schema.json"
OUTPUT = ROOT / "docs" / "data-reference.md"

Schema = dict[str, Any]
SectionKey = tuple[str, str]
"""("def", name) for an object in ``$defs``; ("path", data path) for an object written inline."""

_DEF_PREFIX = "#/$defs/"


# -- reading the schema ----------------------------------------------------------------------

def load_schema(path: Path = SCHEMA) -> Schema:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def resolve(root: Schema, node: Schema) -> tuple[Schema, str | None]:
    """Follow ``$ref`` into ``$defs``; keywords written next to ``$ref`` win over the target's.

    Returns the merged schema and the name of the last ``$defs`` entry followed (or ``None``).
    """
    name = None
    seen: set[str] = set()
    while isinstance(node.get("$ref"), str) and node["$ref"].startswith(_DEF_PREFIX):
        ref = node["$ref"]
        if ref in seen:
            raise ValueError(f"circular $ref: {ref}")
        seen.add(ref)
        name = ref[len(_DEF_PREFIX):]
        target = root["$defs"][name]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node, name


def is_object(node: Schema) -> bool:
    return node.get("type") == "object" or "properties" in node


# -- finding the sections (one per object), in the order a clerk meets them --------------------

@dataclass
class Place:
    path: str
    """Data path such as ``branches[].members``; ``""`` for the top of the file."""
    parent: SectionKey | None


@dataclass
class Section:
    key: SectionKey
    schema: Schema
    depth: int
    anchor: str = ""
    places: list[Place] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.schema.get("title") or self.key[1] or "文件顶层")

    @property
    def label(self) -> str:
        """The name used in links and the table of contents."""
        return "文件顶层" if self.key == ("path", "") else self.title


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _section_key(node: Schema, def_name: str | None, path: str) -> SectionKey:
    return ("def", def_name) if def_name else ("path", path)


def find_sections(root: Schema) -> dict[SectionKey, Section]:
    """Every object schema, depth first in the schema's own order (the order of a data file).

    Objects in ``$defs`` that nothing refers to come last, so that none is left out.
    """
    sections: dict[SectionKey, Section] = {}

    def visit(node: Schema, path: str, parent: SectionKey | None, depth: int) -> None:
        resolved, def_name = resolve(root, node)
        if is_object(resolved):
            key = _section_key(node, def_name, path)
            if key in sections:
                sections[key].places.append(Place(path, parent))
                return
            sections[key] = Section(key, resolved, depth, places=[Place(path, parent)])
            for name, prop in resolved.get("properties", {}).items():
                visit(prop, _join(path, name), key, depth + 1)
            children_parent, child_depth = key, depth + 1
        else:
            children_parent, child_depth = parent, depth
        if isinstance(resolved.get("items"), dict):
            visit(resolved["items"], path + "[]", children_parent, child_depth)
        for keyword in ("anyOf", "oneOf", "allOf"):
            for alternative in resolved.get(keyword, []):
                if isinstance(alternative, dict) and ("properties" in alternative or "$ref" in alternative):
                    visit(alternative, path, children_parent, child_depth)

    visit(root, "", None, 0)
    for name, node in root.get("$defs", {}).items():
        if is_object(node) and ("def", name) not in sections:
            visit({"$ref": _DEF_PREFIX + name}, f"$defs.{name}", None, 1)

    used: set[str] = set()
    for section in sections.values():
        name = section.key[1]
        base = "top" if section.key == ("path", "") else name.replace("[]", "").replace(".", "-")
        anchor, n = base, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        section.anchor = anchor
    return sections


# -- putting a schema into words ------------------------------------------------------------

def cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table."""
    return " ".join(str(text).split()).replace("|", "\\|")


def code(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"`{text}`"


def enum_labels(node: Schema) -> dict[Any, str]:
    """Each enum value's Chinese label, from ``x-enum-labels`` or ``markdownEnumDescriptions``."""
    values = node.get("enum", [])
    labels = node.get("x-enum-labels")
    if isinstance(labels, dict):
        return {v: str(labels.get(str(v), "")) for v in values}
    descriptions = node.get("markdownEnumDescriptions")
    if isinstance(descriptions, list):
        return {v: str(d) for v, d in zip(values, descriptions, strict=False)}
    return dict.fromkeys(values, "")


def enum_words(node: Schema) -> str:
    labels = enum_labels(node)
    parts = []
    for value in node.get("enum", []):
        label = labels.get(value, "")
        parts.append(code(value) + (f"（{label}）" if label and label != str(value) else ""))
    return "、".join(parts)


_CLASS_WORDS = [
    ("A-Za-z", "英文字母"), ("a-zA-Z", "英文字母"), ("A-Z", "大写英文字母"), ("a-z", "小写英文字母"),
    ("0-9", "数字"), (".", "点（.）"), ("_", "下划线（_）"), ("-", "连字符（-）"), (" ", "空格"),
]


def _class_words(chars: str) -> list[str] | None:
    words = []
    while chars:
        for token, word in _CLASS_WORDS:
            if chars.startswith(token):
                words.append(word)
                chars = chars[len(token):]
                break
        else:
            return None
    return words


def _list_words(words: list[str], last: str = "和") -> str:
    return words[0] if len(words) == 1 else "、".join(words[:-1]) + last + words[-1]


def pattern_words(pattern: str) -> str:
    """``^[A-Za-z0-9][A-Za-z0-9._-]*$`` → 只能由英文字母、数字…组成，以英文字母或数字开头."""
    match = re.fullmatch(r"\^\[([^\]]+)\](?:\[([^\]]+)\]\*)?\$", pattern)
    first = _class_words(match.group(1)) if match else None
    rest = _class_words(match.group(2)) if match and match.group(2) else None
    if match and first and rest:
        return f"只能由{_list_words(rest)}组成，并以{_list_words(first, '或')}开头"
    if match and first and not match.group(2):
        return f"只能是一个{_list_words(first, '或')}"
    return f"须符合格式 {code(pattern)}"


def _range_words(node: Schema) -> list[str]:
    low, high = node.get("minimum"), node.get("maximum")
    words = []
    if low is not None and high is not None:
        words.append(f"取值 {low} 至 {high}")
    elif low is not None:
        words.append(f"不小于 {low}")
    elif high is not None:
        words.append(f"不大于 {high}")
    if "exclusiveMinimum" in node:
        words.append(f"大于 {node['exclusiveMinimum']}")
    if "exclusiveMaximum" in node:
        words.append(f"小于 {node['exclusiveMaximum']}")
    return words


def _length_words(node: Schema) -> list[str]:
    low, high = node.get("minLength"), node.get("maxLength")
    words = []
    if low == 1:
        words.append("不能为空")
    elif low:
        words.append(f"至少 {low} 个字")
    if high is not None:
        words.append(f"最多 {high} 个字")
    return words


def constraint_words(root: Schema, node: Schema) -> list[str]:
    """The checks on a value, in words: length, range, pattern, list size, allowed values."""
    words: list[str] = []
    if "const" in node:
        words.append(f"只能填 {code(node['const'])}")
    if "enum" in node:
        words.append("可选值：" + enum_words(node))
    for alternative in node.get("anyOf", []) + node.get("oneOf", []):
        if isinstance(alternative, dict) and "enum" in alternative:
            words.append("标准值：" + enum_words(alternative))
    words += _length_words(node)
    if "pattern" in node and node.get("format") != "date":  # 类型 “日期” says it; the regex only spells the calendar
        words.append(pattern_words(node["pattern"]))
    words += _range_words(node)
    if node.get("type") == "array":
        if "minItems" in node:
            words.append(f"至少 {node['minItems']} 项")
        if "maxItems" in node:
            words.append(f"最多 {node['maxItems']} 项")
        if node.get("uniqueItems"):
            words.append("各项不能重复")
        items = node.get("items")
        if isinstance(items, dict):
            item, _ = resolve(root, items)
            if not is_object(item):
                words += ["每项" + w if not w.startswith("可选值") else "每项的" + w
                          for w in constraint_words(root, item)]
    return words


_TYPE_WORDS = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "是或否",
               "array": "列表", "object": "映射", "null": "空"}


def _const_type(value: Any) -> str:
    if isinstance(value, bool):
        return "是或否"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "数字"
    return "文字" if isinstance(value, str) else "映射"


def type_words(root: Schema, node: Schema, path: str, sections: dict[SectionKey, Section]) -> str:
    """类型 column: 文字、整数、数字、是或否、日期、列表、映射, with a link for objects."""
    resolved, def_name = resolve(root, node)
    if is_object(resolved):
        section = sections[_section_key(node, def_name, path)]
        return f"映射，见[{section.title}](#{section.anchor})"
    kind = resolved.get("type")
    if kind == "array":
        items = resolved.get("items")
        if not isinstance(items, dict):
            return "列表"
        item, item_def = resolve(root, items)
        if is_object(item):
            section = sections[_section_key(items, item_def, path + "[]")]
            return f"列表，每项是一个[{section.title}](#{section.anchor})"
        return "列表，每项为" + type_words(root, items, path + "[]", sections)
    if kind == "string" and resolved.get("format") == "date":
        return "日期"
    if isinstance(kind, list):
        return "或".join(_TYPE_WORDS.get(k, k) for k in kind)
    if kind:
        return _TYPE_WORDS.get(kind, kind)
    if "const" in resolved:
        return _const_type(resolved["const"])
    if "enum" in resolved:
        return "或".join(dict.fromkeys(_const_type(v) for v in resolved["enum"]))
    return "任意"


def _one_of_required(node: Schema) -> list[str] | None:
    """The keys of ``oneOf: [{required: [a]}, {required: [b]}]`` (exactly one of them), if so."""
    alternatives = node.get("oneOf")
    if not alternatives:
        return None
    keys = []
    for alternative in alternatives:
        if set(alternative) != {"required"} or len(alternative["required"]) != 1:
            return None
        keys.append(alternative["required"][0])
    return keys


_COUNT_WORDS = {2: "二", 3: "三", 4: "四", 5: "五"}


def _prop_title(root: Schema, node: Schema, key: str) -> str:
    prop = node.get("properties", {}).get(key)
    title = resolve(root, prop)[0].get("title") if prop else None
    return f"{code(key)}（{title}）" if title else code(key)


def _sentence(parts: list[str]) -> str:
    """Parts joined by “；”, closed by “。” unless the text already ends a sentence (or in “3.”)."""
    text = "；".join(p.rstrip("。；") for p in parts if p)
    return text + "。" if text and not text.endswith((".", "！", "？")) else text


def render_section(root: Schema, section: Section, sections: dict[SectionKey, Section]) -> list[str]:
    node = section.schema
    heading = section.title if section.key != ("path", "") else f"文件顶层：{section.title}"
    lines = [f'<a id="{section.anchor}"></a>', "", f"## {heading}", ""]
    if node.get("description"):
        lines += [str(node["description"]), ""]
    if section.places:
        where = []
        for place in section.places:
            if place.parent is None:
                where.append("数据文件的最外层" if not place.path else "（没有被数据文件的其他部分引用）")
                continue
            parent = sections[place.parent]
            where.append(f"{code(place.path)}（上一级：[{parent.label}](#{parent.anchor})）")
        lines += ["位置：" + "；".join(where) + "。", ""]
    notes = []
    one_of = _one_of_required(node)
    if one_of:
        names = _list_words([_prop_title(root, node, k) for k in one_of], "和 ")
        notes.append(f"{names}必须填写其中一项，且只能填写一项。")
    elif node.get("oneOf") or node.get("anyOf") or node.get("allOf"):
        notes.append("另有组合条件，见 schemas/year.schema.json。")
    for key, dependent in node.get("dependentSchemas", {}).items():
        # {a: {properties: {b: {type: null}}}}: b cannot be given with a
        ruled_out = [k for k, s in dependent.get("properties", {}).items()
                     if isinstance(s, dict) and s.get("type") == "null"]
        if ruled_out:
            names = _list_words([_prop_title(root, node, k) for k in [*ruled_out, key]], "和 ")
            notes.append(f"{names}不能同时填写。")
        else:
            notes.append("另有组合条件，见 schemas/year.schema.json。")
    if node.get("additionalProperties") is not False:
        notes.append("除表中的键以外，还可以写其他键。")
    lines += [*notes, ""] if notes else []

    properties: dict[str, Schema] = node.get("properties", {})
    if not properties:
        return [*lines, "（没有可填写的项。）", ""]
    required = set(node.get("required", []))
    dependent: dict[str, list[str]] = node.get("dependentRequired", {})
    lines += ["| 键 | 名称 | 类型 | 必填 | 说明 |", "| --- | --- | --- | --- | --- |"]
    base = section.places[0].path
    for key, prop in properties.items():
        resolved, _ = resolve(root, prop)
        if key in required:
            needed = "是"
        elif one_of and key in one_of:
            needed = f"{_COUNT_WORDS.get(len(one_of), len(one_of))}选一"
        else:
            needed = "否"
        parts = [str(resolved.get("description", ""))]
        parts += constraint_words(root, resolved)
        if key in dependent:
            others = _list_words([_prop_title(root, node, k) for k in dependent[key]], "和 ")
            parts.append(f"填写本项时，必须同时填写 {others}")
        row = [code(key), str(resolved.get("title", "")),
               type_words(root, prop, _join(base, key), sections), needed, _sentence(parts)]
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    return [*lines, ""]


# -- the whole document ---------------------------------------------------------------------

_INTRO = """\
> 本文件由 `tools/gen_schema_docs.py` 根据 `schemas/year.schema.json` 自动生成，请不要手工修改。
> 数据格式有变化时，请修改 schema，再运行 `python tools/gen_schema_docs.py` 重新生成。

## 怎样读这些表

- **键**：写在数据文件中冒号前面的英文名称，必须一字不差（区分大小写）。键后面是半角冒号“:”，冒号后面要有一个空格。
- **名称**：这个键的中文名称。`dangjian-docs validate` 报告问题时也用这个名称，如“实到人数（present）”。
- **类型**：
  - 文字：直接写；含有冒号、井号“#”或以特殊符号开头的文字，请用引号括起来。
  - 整数、数字：只写数字本身，不带单位（写 `30`，不写 `30人`）；“数字”可以带小数。
  - 是或否：填 `true`（是）或 `false`（否）。
  - 日期：写成 YYYY-MM-DD，如 `2025-04-17`，月和日都是两位。
  - 列表：每一项另起一行，以“- ”（减号加空格）开头。
  - 映射：下一层的若干“键: 值”，比上一层多缩进两个空格。
- **必填**：“是”表示必须填写；“否”表示可以不填；“二选一”表示两项中必须填写一项，而且只能填写一项。
- **位置**：这一类内容在数据文件中的位置。`branches[]` 中的 `[]` 表示“列表中的每一项”。
{closed}
多段文字（如指导思想、具体内容）可以用“|”写法，每段一行：

```yaml
plan:
  guiding_idea: |
    第一段文字。
    第二段文字。
```
"""


def generate(root: Schema) -> str:
    """The full text of docs/data-reference.md for the schema ``root``."""
    sections = find_sections(root)
    closed = all(s.schema.get("additionalProperties") is False for s in sections.values())
    intro = _INTRO.format(closed="- 表中没有列出的键不能使用，否则会报“未知的键”错误。\n" if closed else "")
    lines = ["# 数据格式参考", "", intro, "## 目录", ""]
    for section in sections.values():
        lines.append("  " * section.depth + f"- [{section.label}](#{section.anchor})")
    lines.append("")
    for section in sections.values():
        lines += render_section(root, section, sections)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="根据 schemas/year.schema.json 生成 docs/data-reference.md。")
    parser.add_argument("--check", action="store_true",
                        help="只检查：已提交的文件与生成结果不同时以退出码 1 结束（供 CI 使用）。")
    args = parser.parse_args(argv)
    text = generate(load_schema())
    shown = OUTPUT.relative_to(ROOT)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current == text:
            print(f"{shown} 是最新的。")
            return 0
        diff = difflib.unified_diff(current.splitlines(), text.splitlines(), f"{shown}（现有）",
                                    f"{shown}（应为）", lineterm="", n=1)
        print("\n".join(list(diff)[:40]), file=sys.stderr)
        print(f"{shown} 与 schema 不一致：请运行 python tools/gen_schema_docs.py 重新生成并提交。",
              file=sys.stderr)
        return 1
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"已写入 {shown}。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
