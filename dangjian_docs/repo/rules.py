"""The repo's shared organisational-life rules: one file of ``rules:`` that every data file gets.

A county's health bureau may ask more (or less) of its branches than the built-in rules; it
writes that once, and a data file's own ``rules:`` still win for the same activity type. The
file is checked against the same schema as a data file's ``rules:``, with lines and columns.
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path
from ..inputs import Refused, read_bounded
from .config import RepoConfig


def shared_rules(config: RepoConfig) -> tuple[list[Any] | None, bytes, list[Diagnostic]]:
    """The shared rules (plain data), the file's bytes (for the build's hashes) and its problems."""
    if config.rules is None:
        return None, b"", []
    from ..loading import load_text
    from ..loading.text import MAX_BYTES, decode
    from ..validation.schema_check import check_schema

    shown = display_path(config.rules)
    try:
        raw = read_bounded(config.rules, MAX_BYTES)
    except Refused as refusal:
        return None, b"", [refusal.diagnostic(shown)]
    text, unreadable = decode(raw, shown)  # the bytes just read, not the file a second time
    if text is None:
        return None, raw, unreadable
    try:
        source = load_text(text, shown)
    except DangjianError as exc:
        return None, raw, exc.diagnostics
    data = source.data
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        return None, raw, [Diagnostic(
            Severity.ERROR, "repo-rules", "规则文件应当只有一项 rules:，下面逐条列出组织生活规则。",
            file=source.path, line=1, column=1,
            hint="例如：rules:\n  - {activity: 主题党日, period: month, min: 1}")]
    problems = [source.diagnostic(Severity.ERROR, "repo-rules", (key,), f"规则文件中没有“{key}”这一项。",
                                  "规则文件只能有 rules: 一项。", key=True)
                for key in data if key != "rules"]
    diagnostics, _ = check_schema(source, within="rules")
    problems += [d for d in diagnostics if d.path.startswith("rules[") and d.is_error]
    return (None if problems else data["rules"]), raw, problems
