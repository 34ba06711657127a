"""Showing diagnostics: to a person (coloured on a terminal), as JSON, or as GitHub annotations."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import click

from .diagnostics import Diagnostic, Severity
from .record import Record

FORMATS = ("human", "json", "github")


MAX_SHOWN = 500
"""Problems a person is shown at once; the counts and the JSON and GitHub formats keep them all.
A broken or hostile file can have hundreds of thousands, which no one reads in a terminal."""


def human(diagnostics: Sequence[Diagnostic], files_checked: int, *, summary: bool = True) -> str:
    """Lines like ``samples/a.yaml:12:7: 错误: …`` followed by an indented hint and a summary.

    Colour codes are added always; ``click.echo`` strips them when output is not a terminal.
    ``summary=False`` leaves out the closing count, for a caller that ends with its own line.
    """
    lines = []
    for d in diagnostics[:MAX_SHOWN]:
        colour = {"error": "red", "warning": "yellow", "note": "cyan"}[d.severity.value]
        head = click.style(f"{d.location()}: ", bold=True) + click.style(
            f"{d.severity.label}", fg=colour, bold=True)
        path = f" [{d.path}]" if d.path else ""
        lines.append(f"{head}: {d.message}{click.style(path, dim=True)}")
        if d.hint:
            lines.append(f"    {click.style('→', fg='cyan')} {d.hint}")
    if len(diagnostics) > MAX_SHOWN:
        lines.append(click.style(f"……另有 {len(diagnostics) - MAX_SHOWN} 条未列出；先改正上面这些，"
                                 "或用 --format json 查看全部。", bold=True))
    if not summary:
        return "\n".join(lines)
    if diagnostics:
        lines.append("")
    lines.append(_styled_count(diagnostics, f"检查了 {files_checked} 个文件："))
    return "\n".join(lines)


def counts(diagnostics: Sequence[Diagnostic]) -> str:
    """``0 个错误，2 个警告``; notes are counted apart and only when there are some."""
    return _said(*_tally(diagnostics))


def _said(errors: int, warnings: int, notes: int) -> str:
    return f"{errors} 个错误，{warnings} 个警告" + (f"，{notes} 条提示" if notes else "")


def _tally(diagnostics: Sequence[Diagnostic]) -> tuple[int, int, int]:
    """Errors, warnings and notes: a note is neither of the others. A repo build's diagnostics,
    kept on disk, were counted as they came (``repo.spill.DiagnosticLog.tally``); others in one pass."""
    tally = getattr(diagnostics, "tally", None)
    if tally is not None:
        counted: tuple[int, int, int] = tally()
        return counted
    found = Counter(d.severity for d in diagnostics)
    errors, warnings = found[Severity.ERROR], found[Severity.WARNING]
    return errors, warnings, len(diagnostics) - errors - warnings


def _styled_count(diagnostics: Sequence[Diagnostic], before: str, after: str = "。") -> str:
    errors, warnings, notes = _tally(diagnostics)
    colour = "red" if errors else ("yellow" if warnings else "green")
    return click.style(f"{before}{_said(errors, warnings, notes)}{after}", fg=colour, bold=True)


JSON_VERSION = 1
"""The version of ``--format json``'s object (``schemas/output.schema.json`` describes it): raised
when a field changes meaning or goes away; new fields may appear without it."""

DOCUMENT_STATES = ("built", "unchanged", "failed", "removed", "skipped")


class BuildResult(Record):
    """What a build did, for ``--format json``: every document with its state, and the time."""

    documents: Sequence[Mapping[str, object]]
    """``{"path", "state", "source", "kind"}`` each; ``path`` is ``None`` for a skipped kind."""
    seconds: float = 0.0


def as_json(diagnostics: Sequence[Diagnostic], files_checked: int, build: BuildResult | None = None) -> str:
    """One JSON object, versioned; a build adds ``documents`` (each with its state) and the counts.

    ``generated`` counts the documents written this time; ``unchanged`` those whose inputs did not
    change, left as they were; ``deleted`` those no longer made (their data file is gone).
    """
    from . import __version__

    errors, warnings, notes = _tally(diagnostics)
    report: dict[str, object] = {
        "version": JSON_VERSION,
        "tool": __version__,
        "command": "validate" if build is None else "build",
        "files": files_checked,
        "errors": errors,
        "warnings": warnings,
        "notes": notes,
        "diagnostics": [d.as_dict() for d in diagnostics],
    }
    if build is not None:
        states = [str(d["state"]) for d in build.documents]
        report.update({
            "documents": [dict(d) for d in build.documents],
            "generated": states.count("built"),
            "unchanged": states.count("unchanged"),
            "failed": states.count("failed"),
            "deleted": states.count("removed"),
            "skipped": states.count("skipped"),
            "seconds": round(build.seconds, 3),
        })
    return json.dumps(report, ensure_ascii=False, indent=2)


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
        command = "notice" if d.severity is Severity.NOTE else d.severity.value
        lines.append(f"::{command} {','.join(props)}::{_escape_data(text)}")
    lines.append(f"检查了 {files_checked} 个文件：{counts(diagnostics)}。")
    return "\n".join(lines)


def render(fmt: str, diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    formats: dict[str, Callable[[Sequence[Diagnostic], int], str]] = {
        "human": human, "json": as_json, "github": github}
    return formats[fmt](diagnostics, files_checked)


def streams(fmt: str, diagnostics: Sequence[Diagnostic], files_checked: int,
           documents: Sequence[str] | None = None, refusal: str = "",
           build: BuildResult | None = None) -> tuple[str, str]:
    """What ``validate`` (``documents=None``) or ``build`` prints, as (detail, result).

    In human mode the detail (the problems) belongs on stderr and the result (the documents
    written, one closing summary line) on stdout; JSON and GitHub output is all result.
    ``refusal`` says why nothing was written (empty on success). The summary comes last so that
    neither the list of documents nor the warnings scroll it away. ``build`` is what JSON reports
    of a build (by default: ``documents``, all built).
    """
    if documents is None:
        if fmt != "human":
            return "", render(fmt, diagnostics, files_checked)
        return (human(diagnostics, files_checked, summary=False),
                _styled_count(diagnostics, f"检查了 {files_checked} 个文件："))
    if fmt == "json":
        build = build or BuildResult([{"path": d, "state": "built", "source": None, "kind": None} for d in documents])
        return "", as_json(diagnostics, files_checked, build)
    if refusal:
        closing = f"{refusal}没有生成任何文件（检查了 {files_checked} 个文件：{counts(diagnostics)}）。"
    else:
        pdfs = sum(1 for d in documents if d.lower().endswith(".pdf"))
        made = f"{len(documents) - pdfs} 份文稿" + (f"和 {pdfs} 份 PDF" if pdfs else "")
        closing = f"完成：生成了 {made}（检查了 {files_checked} 个文件：{counts(diagnostics)}）。"
    if fmt == "github":
        lines = github(diagnostics, files_checked).splitlines()[:-1]
        lines += [f"::notice title=generated::已生成：{_escape_data(d)}" for d in documents]
        return "", "\n".join([*lines, closing])
    colour = "red" if refusal else ("yellow" if diagnostics else "green")
    result = [*(f"已生成：{d}" for d in documents), click.style(closing, fg=colour, bold=True)]
    return human(diagnostics, files_checked, summary=False), "\n".join(result)


def echo(parts: tuple[str, str]) -> None:
    """Print :func:`streams`'s detail on stderr (when there is any) and its result on stdout."""
    detail, result = parts
    if detail:
        click.echo(detail + "\n", err=True)
    click.echo(result)
