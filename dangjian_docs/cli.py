"""The ``dangjian-docs`` command: validate and build, with exit codes CI can rely on.

Exit codes: 0 clean; 1 the data has errors (or warnings under ``--strict``) or a build failed;
2 the command was used wrongly; 3 an internal fault (a bug: please report it).
"""

from __future__ import annotations

import re
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .api import build as build_documents
from .api import check_file, data_files, document_title
from .diagnostics import DangjianError, Diagnostic, Severity, display_path, has_errors, sort_key
from .documents import KINDS
from .reporting import FORMATS, render
from .validation import Validation
from .writing import safe_filename

_PATHS = click.argument("paths", nargs=-1, required=True,
                        type=click.Path(path_type=Path))
_FORMAT = click.option("--format", "fmt", type=click.Choice(FORMATS), default="human",
                       show_default=True,
                       help="输出格式：human 供人阅读，json 供程序读取，github 供 GitHub Actions 标注。")
_STRICT = click.option("--strict", is_flag=True, help="警告也视为错误（退出码 1）。")


_HELP = click.help_option("-h", "--help", help="显示帮助并退出。")


@click.group()
@click.version_option(__version__, "-V", "--version", message="dangjian-docs %(version)s",
                      help="显示版本并退出。")
@_HELP
def cli() -> None:
    """医院党建工作文稿生成工具：校验年度数据，生成工作计划、工作总结和情况汇报。"""


@cli.command(add_help_option=False)
@_PATHS
@_FORMAT
@_STRICT
@_HELP
def validate(paths: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """校验数据文件（可以是文件或文件夹；文件夹只读取其中的 .yaml/.yml 文件，不含子文件夹）。"""
    files, diagnostics = _collect(paths)
    for path in files:
        diagnostics.extend(check_file(path).diagnostics)
    diagnostics.sort(key=sort_key)
    click.echo(render(fmt, diagnostics, len(files)))
    sys.exit(1 if has_errors(diagnostics, strict=strict) else 0)


def _collect(paths: tuple[Path, ...]) -> tuple[list[Path], list[Diagnostic]]:
    files: list[Path] = []
    diagnostics: list[Diagnostic] = []
    for item in data_files(list(paths)):
        if isinstance(item, Diagnostic):
            diagnostics.append(item)
        else:
            files.append(item)
    return files, diagnostics


@cli.command(add_help_option=False)
@_PATHS
@click.option("--kind", "kinds", type=click.Choice([*KINDS, "all"]), multiple=True, default=["all"],
              show_default=True,
              help="生成哪种文稿：plan 工作计划，summary 工作总结，report 情况汇报，all 全部；可重复指定。")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="输出文件夹（不存在时自动创建）。")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="使用这个文件夹中的模板（plan.docx、summary.docx、report.docx）代替内置模板。")
@_FORMAT
@_STRICT
@_HELP
def build(paths: tuple[Path, ...], kinds: tuple[str, ...], output: Path, templates: Path | None,
          fmt: str, strict: bool) -> None:
    """由数据文件生成 Word 文稿。先校验全部数据；有错误时一个文件也不写。"""
    chosen = list(KINDS) if "all" in kinds else list(kinds)
    files, diagnostics = _collect(paths)
    results = [check_file(f) for f in files]
    for result in results:
        diagnostics.extend(result.diagnostics)
    if has_errors(diagnostics, strict=strict):
        diagnostics.sort(key=sort_key)
        click.echo(render(fmt, diagnostics, len(files)), err=fmt == "human")
        click.echo("数据有错误，没有生成任何文件。", err=True)
        sys.exit(1)
    clashes = _name_clashes(results, chosen)
    if clashes:
        click.echo(render(fmt, clashes, len(files)), err=fmt == "human")
        sys.exit(1)
    written: list[Path] = []
    failures: list[Diagnostic] = []
    for result in results:
        assert result.year is not None
        try:
            written += build_documents(result.year, chosen, output, templates, strict=strict)
        except DangjianError as exc:
            failures.extend(exc.diagnostics)
    for path in written:
        click.echo(f"已生成：{display_path(path)}", err=fmt != "human")
    if failures or (diagnostics and fmt == "human"):
        click.echo(render(fmt, sorted(diagnostics + failures, key=sort_key), len(files)), err=fmt == "human")
    sys.exit(1 if failures else 0)


def _name_clashes(results: list[Validation], kinds: list[str]) -> list[Diagnostic]:
    """Two data files whose documents would get the same file name: the second would replace the first."""
    seen: dict[str, str] = {}
    clashes = []
    for result in results:
        assert result.year is not None
        for kind in kinds:
            title = document_title(result.year, kind)
            if title is None:
                continue  # the build reports the missing section
            name = safe_filename(title)
            if name in seen and seen[name] != result.source.path:
                clashes.append(Diagnostic(
                    Severity.ERROR, "name-clash", f"与 {seen[name]} 生成的文稿同名（{name}），后者会覆盖前者。",
                    file=result.source.path,
                    hint="请在 documents 中为其中一份文稿另拟标题，或分别输出到不同的文件夹。"))
            seen.setdefault(name, result.source.path)
    return clashes


_USAGE_WORDS = [  # Click ships no Chinese; its most common usage messages, translated
    (r"Missing argument '(.+?)'\.", r"缺少参数 \1（数据文件或文件夹）。"),
    (r"No such option: (\S+)", r"没有这个选项：\1"),
    (r"No such command '(.+?)'\.", r"没有这个命令：\1。可用命令：validate、build。"),
    (r"Invalid value for '(.+?)': '(.+?)' is not one of (.+)\.", r"选项 \1 的值“\2”无效，可选：\3。"),
    (r"Invalid value for '(.+?)': (.+)", r"参数 \1 的值无效：\2"),
    (r"Option '(.+?)' requires an argument\.", r"选项 \1 后面需要一个值。"),
]


def _usage_error(exc: click.UsageError) -> None:
    message = exc.format_message()
    for pattern, chinese in _USAGE_WORDS:
        message = re.sub(pattern, chinese, message)
    where = exc.ctx.command_path if exc.ctx else "dangjian-docs"
    click.echo(f"命令用法有误：{message}\n运行“{where} --help”查看用法。", err=True)


def main() -> None:
    """Entry point: a user's mistake is a message, never a traceback."""
    try:
        cli.main(prog_name="dangjian-docs", standalone_mode=False)
    except click.UsageError as exc:
        _usage_error(exc)
        sys.exit(2)
    except click.Abort:
        click.echo("已中断。", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        click.echo(f"错误：{exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("已中断。", err=True)
        sys.exit(130)
    except Exception:  # a bug in the tool, not the user's fault
        click.echo("程序内部错误（这不是数据的问题）。请把下面的信息报告给开发者：", err=True)
        click.echo(traceback.format_exc(), err=True)
        sys.exit(3)
