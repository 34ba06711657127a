#!/usr/bin/env python3
"""Write the key table of docs/rollup.md (汇总文件的键) from schemas/region.schema.json.

Every word in the table comes from the schema's titles, descriptions and enums, so the page
cannot drift from what validation checks. Only the lines between the two markers are replaced.

    python tools/gen_region_docs.py           # rewrite the table
    python tools/gen_region_docs.py --check   # exit 1 if docs/rollup.md is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "region.schema.json"
PAGE = ROOT / "docs" / "rollup.md"
START, END = "<!-- region-keys:start -->", "<!-- region-keys:end -->"


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def rows(root: dict[str, Any], node: dict[str, Any], path: str = "") -> Iterator[str]:
    node = _resolve(root, node)
    if node.get("type") == "array":
        yield from rows(root, node["items"], path + "[]")
        return
    for key, child in node.get("properties", {}).items():
        child = _resolve(root, child)
        where = f"{path}.{key}" if path else key
        required = "是" if key in node.get("required", ()) else "否"
        text = child.get("description", "")
        options = child.get("enum") or _resolve(root, child.get("items", {})).get("enum")
        if options:
            text += "可选：" + "、".join(f"`{o}`" for o in options) + "。"
        yield f"| `{where}` | {child.get('title', '')} | {required} | {text} |"
        yield from rows(root, child, where)


def table() -> str:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return "\n".join(["| 键 | 名称 | 必填 | 说明 |", "| --- | --- | --- | --- |", *rows(schema, schema)])


def page_with_table(page: str) -> str:
    before, rest = page.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{table()}\n{END}{after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="根据 schemas/region.schema.json 生成 docs/rollup.md 中的键表。")
    parser.add_argument("--check", action="store_true", help="只检查，不一致时以退出码 1 结束。")
    args = parser.parse_args(argv)
    page = PAGE.read_text(encoding="utf-8")
    wanted = page_with_table(page)
    if args.check:
        if wanted != page:
            print("docs/rollup.md 的键表与 schema 不一致：请运行 python tools/gen_region_docs.py。", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(wanted, encoding="utf-8", newline="\n")
    print("已写入 docs/rollup.md。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
