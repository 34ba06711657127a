"""Showing diagnostics: to a person (coloured on a terminal), as JSON, or as GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from .diagnostics import Diagnostic, Severity

FORMATS = ("human", "json", "github")


def human(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    """Lines like ``samples/a.yaml:12:7: 错误: …`` followed by an indented hint and a summary.

    Colour codes are added always; ``click.echo`` strips them when output is not a terminal.
    """
    lines = []
    for d in diagnostics:
        colour = "red" if d.severity is Severity.ERROR else "yellow"
        head = click.style(f"{d.location()}: ", bold=True) + click.style(
            f"{d.severity.label}", fg=colour, bold=True)
        path = f" [{d.path}]" if d.path else ""
        lines.append(f"{head}: {d.message}{click.style(path, dim=True)}")
        if d.hint:
            lines.append(f"    {click.style('→', fg='cyan')} {d.hint}")
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        lines.append("")
    summary = f"检查了 {files_checked} 个文件：{errors} 个错误，{warnings} 个警告。"
    colour = "red" if errors else ("yellow" if warnings else "green")
    lines.append(click.style(summary, fg=colour, bold=True))
    return "\n".join(lines)


def as_json(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    return json.dumps({
        "files": files_checked,
        "errors": sum(d.is_error for d in diagnostics),
        "warnings": sum(not d.is_error for d in diagnostics),
        "diagnostics": [d.as_dict() for d in diagnostics],
    }, ensure_ascii=False, indent=2)


def _escape_property(text: str) -> str:
    return (text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    """GitHub Actions workflow commands, which annotate the data file's lines in a pull request."""
    lines = []
    for d in diagnostics:
        props = []
        if d.file:
            props.append(f"file={_escape_property(d.file)}")
        if d.line is not None:
            props.append(f"line={d.line}")
        if d.column is not None:
            props.append(f"col={d.column}")
        props.append(f"title={_escape_property(d.code)}")
        text = d.message + (f"（{d.path}）" if d.path else "") + (f" {d.hint}" if d.hint else "")
        lines.append(f"::{d.severity.value} {','.join(props)}::{_escape_data(text)}")
    errors = sum(d.is_error for d in diagnostics)
    lines.append(f"检查了 {files_checked} 个文件：{errors} 个错误，{len(diagnostics) - errors} 个警告。")
    return "\n".join(lines)


def render(fmt: str, diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    return {"human": human, "json": as_json, "github": github}[fmt](diagnostics, files_checked)
