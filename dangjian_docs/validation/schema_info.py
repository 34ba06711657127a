"""Read the schema's own words (titles, allowed keys) for a data path.

Messages name fields the way the schema documents them, so a clerk sees “实到人数（present）”
rather than a bare key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node and node["$ref"].startswith("#/$defs/"):
        target = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def subschema(root: dict[str, Any], path: Sequence[str | int]) -> dict[str, Any] | None:
    """The (resolved) schema that governs the value at ``path``, or ``None`` if none does."""
    node = _resolve(root, root)
    for part in path:
        if isinstance(part, int):
            items = node.get("items")
            if not isinstance(items, dict):
                return None
            node = _resolve(root, items)
        else:
            props = node.get("properties", {})
            if part not in props:
                return None
            node = _resolve(root, props[part])
    return node


def title(root: dict[str, Any], path: Sequence[str | int]) -> str:
    """``实到人数（present）`` for a key; the item's title for a list index; ``""`` if unknown."""
    node = subschema(root, path)
    if node is None or not path:
        return ""
    label = node.get("title", "")
    last = path[-1]
    if isinstance(last, int):
        return f"{label}第 {last + 1} 项" if label else f"第 {last + 1} 项"
    return f"{label}（{last}）" if label else str(last)
