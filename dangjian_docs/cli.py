"""The ``dangjian-docs`` command: validate and build, with exit codes CI can rely on.

Exit codes: 0 clean; 1 the data has errors (or warnings under ``--strict``) or a build failed;
2 the command was used wrongly; 3 an internal fault (a bug: please report it); 130 interrupted
(Ctrl-C), as shells report a process ended by SIGINT.

In human mode the problems and the progress go to stderr and the results (what was written,
the closing count) to stdout, so ``> 结果.txt`` keeps the outcome and the terminal the detail.
``NO_COLOR`` (https://no-color.org) turns colour off even on a terminal.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from . import __version__
from .click_zh import install as _chinese_click
from .click_zh import localise
from .diagnostics import DangjianError, Diagnostic, Severity, display_path, has_errors, sort_key
from .documents import ALL_KIND_NAMES, KIND_NAMES  # the names only: `--help` imports no document code
from .rendering.script import SCRIPTS
from .reporting import FORMATS, BuildResult, echo, render, streams
from .writing import clash_key, name_clash, safe_filename

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .model import YearData
    from .rendering.script import Script
    from .repo import Outcome, RepoConfig, Shard
    from .validation import Validation

_chinese_click()  # before the options below: a click.Path names itself ("文件夹") when made

_PATHS = click.argument("paths", nargs=-1, required=True, metavar="数据文件或文件夹...",
                        type=click.Path(path_type=Path))
_FORMAT = click.option("--format", "fmt", type=click.Choice(FORMATS), default="human",
                       show_default=True,
                       help="输出格式：human 供人阅读，json 供程序读取，github 供 GitHub Actions 标注。")
_STRICT = click.option("--strict", is_flag=True, help="警告也视为错误（退出码 1）。")


_HELP = click.help_option("-h", "--help", help="显示帮助并退出。")

MAX_JOBS = 32
"""What the help says of ``-j``: :data:`.repo.workers.MAX_JOBS`, written out so that ``--help``
need not import the process pool (a test checks the two agree)."""


class Jobs(click.ParamType):
    """``-j N``: a whole number from 1; above the cap it is clamped (by the repo layer's
    ``capped_jobs``), never refused: ``-j 100000`` once ended in "Too many open files"."""

    name = "N"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from .repo.workers import capped_jobs

        if isinstance(value, int):
            number = value
        elif isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):
            number = int(value.strip())
        else:
            self.fail(f"“{value}”不是进程数；请写 1 至 {MAX_JOBS} 的半角整数，如 -j 4。", param, ctx)
        if number < 1:
            self.fail(f"进程数至少为 1（写的是 {number}）；请写 1 至 {MAX_JOBS} 的整数，"
                      "或不写 -j（按 CPU 核数）。", param, ctx)
        return capped_jobs(number)


class ShardOption(click.ParamType):
    """``--shard K/N``: a wrong form is a usage error (exit 2), said in Chinese."""

    name = "K/N"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> object:
        from .repo import Shard, parse_shard

        if isinstance(value, Shard):
            return value
        try:
            return parse_shard(str(value))
        except DangjianError as exc:
            [problem] = exc.diagnostics
            self.fail(f"{problem.message}{problem.hint}", param, ctx)


@click.group(epilog="退出码：0 没有问题；1 数据有错误（--strict 时含警告）或生成失败；2 命令的写法不对（用法错误）；"
                    "3 程序内部错误；130 按 Ctrl-C 中断。")
@click.version_option(__version__, "-V", "--version", message="dangjian-docs %(version)s",
                      help="显示版本并退出。")
@_HELP
def cli() -> None:
    """医院党建工作文稿生成工具：校验年度数据，生成工作计划、工作总结、情况汇报和经验交流材料。"""


@cli.command(add_help_option=False)
@_PATHS
@_FORMAT
@_STRICT
@_HELP
def validate(paths: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """校验数据文件（可以是文件或文件夹）。

    文件夹中直接有 .yaml/.yml 文件时，只读取这些文件，不读取其子文件夹；文件夹中没有、
    只在各级子文件夹中有数据文件时，按数据仓库读取全部子文件夹。对数据仓库（含
    dangjian-docs.yaml 的文件夹）校验其中全部数据文件。
    """
    repo = _repo_of(paths, fmt=fmt)
    if repo is not None:
        from .repo import check_repo

        outcome = check_repo(repo.config, shard=repo.shard())
        echo(streams(fmt, outcome.diagnostics, outcome.files))
        if not repo.has_config and has_errors(outcome.diagnostics) and fmt == "human":
            click.echo(click.style(_tree_hint(repo.config, outcome.diagnostics), fg="yellow"), err=True)
        sys.exit(1 if has_errors(outcome.diagnostics, strict=strict or repo.config_strict) else 0)
    from .api import check_file
    from .validation import Validation

    files, diagnostics = _collect(paths)
    for path in files:
        result = check_file(path)
        diagnostics.extend(result.diagnostics + result.notes)  # notes never fail, see has_errors
        if isinstance(result, Validation) and result.year is not None:
            diagnostics += _skipped_kinds(result, list(KIND_NAMES))  # what build would leave out, said alike
    diagnostics.sort(key=sort_key)
    echo(streams(fmt, diagnostics, len(files)))
    sys.exit(1 if has_errors(diagnostics, strict=strict) else 0)


def _collect(paths: tuple[Path, ...]) -> tuple[list[Path], list[Diagnostic]]:
    from .api import data_files

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
@click.option("--kind", "kinds", type=click.Choice([*KIND_NAMES, "all"]), multiple=True, default=["all"],
              show_default=True,
              help="生成哪种文稿：plan 工作计划，summary 工作总结，report 情况汇报，article 经验交流材料，all 全部；"
                   "可重复指定。")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="输出文件夹（不存在时自动创建）。")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="用这个文件夹中的模板代替内置模板；文件名为文稿种类加 .docx，如 plan.docx、rollup.docx。")
@click.option("-j", "--jobs", type=Jobs(),
              help=f"数据仓库：同时生成的进程数，1 至 {MAX_JOBS}（默认为 CPU 核数；大于 {MAX_JOBS} 时按 {MAX_JOBS}）。")
@click.option("--force", is_flag=True, help="数据仓库：全部重新生成，不管有没有变化。")
@click.option("--shard", type=ShardOption(),
              help="数据仓库：只生成 N 份中的第 K 份（供 CI 分片并行），如 2/4；只能写半角数字。")
@click.option("--pdf", is_flag=True, help="同时在每份文稿旁写出 PDF（需要 LibreOffice；见 docs/pdf.md）。")
@click.option("--letterhead", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="本单位的红头模板（.docx）：排在每份文稿第一页的顶部，正文仍用内置模板（见 docs/images.md）。")
@click.option("--script", type=click.Choice(SCRIPTS), default="hans", show_default=True,
              help="文稿用字：hans 简体，hant 繁体（正文、模板中的固定文字、标题和文件名都转为繁体；"
                   "数据仓库的默认值见配置文件的 script 一项）。")
@_FORMAT
@_STRICT
@_HELP
@click.pass_context
def build(ctx: click.Context, paths: tuple[Path, ...], kinds: tuple[str, ...], output: Path,
          templates: Path | None, jobs: int | None, force: bool, shard: Shard | None, pdf: bool,
          letterhead: Path | None, script: Script, fmt: str, strict: bool) -> None:
    """由数据文件生成 Word 文稿。先校验全部数据；有错误时一个文件也不写。

    对数据仓库（含 dangjian-docs.yaml 的文件夹，或数据分放在各级子文件夹中的文件夹）：
    找出全部数据文件，并行生成，只重新生成有变化的文稿。
    """
    started = time.perf_counter()
    repo = _repo_of(paths, output if _given(ctx, "output") else None, fmt=fmt, building=True)
    if repo is not None:
        _build_repo(repo, kinds if _given(ctx, "kinds") else None, templates, jobs, force, shard, fmt, strict, pdf,
                    letterhead, script if _given(ctx, "script") else None)
    if jobs or force or shard:
        raise click.UsageError("-j、--force、--shard 只用于数据仓库（含 dangjian-docs.yaml 的文件夹）。", ctx)
    from .api import check_file, outputs, render_set, write_documents

    chosen = list(KIND_NAMES) if "all" in kinds else list(kinds)
    from .region import RegionValidation

    files, diagnostics = _collect(paths)
    checked = [check_file(f) for f in files]
    regions = [r for r in checked if isinstance(r, RegionValidation)]  # each builds a county roll-up
    results = [r for r in checked if not isinstance(r, RegionValidation)]
    for result in checked:
        diagnostics.extend(result.diagnostics + result.notes)  # as validate reports them
    diagnostics = list(dict.fromkeys(diagnostics))  # a file both given and named by a region: once
    states: list[dict[str, object]] = []  # every document and what became of it, for --format json
    if has_errors(diagnostics):
        _refuse(fmt, diagnostics, len(files), "数据有错误，")
    if has_errors(diagnostics, strict=strict):  # warnings only, under --strict
        _refuse(fmt, diagnostics, len(files), "有警告（--strict 时视为错误），")
    clashes = _name_clashes(results, chosen, script)
    if clashes:
        _refuse(fmt, diagnostics + clashes, len(files), "文稿重名，")
    documents: list[tuple[str, bytes]] = []
    made: list[tuple[str, str]] = []  # (data file, kind) of each of ``documents``
    failures: list[Diagnostic] = []
    for result in results:
        assert result.year is not None
        skipped = _skipped_kinds(result, chosen) if "all" in kinds else []
        diagnostics += skipped  # --kind all builds what the data allows and says what it skipped
        from .documents import KINDS as SPECS

        wanted = [k for k in dict.fromkeys(chosen) if "all" not in kinds or SPECS[k].can_build(result.year)]
        states += [_state(None, "skipped", result.source.path, k) for k in dict.fromkeys(chosen) if k not in wanted]
        try:
            rendered = render_set(result.year, wanted, templates, letterhead=letterhead, script=script)
        except DangjianError as exc:
            failures.extend(exc.diagnostics)
            states += [_state(None, "failed", result.source.path, k) for k in wanted]
            continue
        documents += rendered  # one a document of documents(): one a kind, or one a branch
        made += [(result.source.path, d.kind.name) for d in outputs(result.year, wanted)]
    for region in regions:
        from .api import render_region

        own = templates / "rollup.docx" if templates and (templates / "rollup.docx").is_file() else None
        try:
            documents.append(render_region(region.rollup or region.source, template=own, letterhead=letterhead,
                                           script=script))
            made.append((region.source.path, "rollup"))
        except DangjianError as exc:
            failures.extend(exc.diagnostics)
            states.append(_state(None, "failed", region.source.path, "rollup"))
    if failures:
        _refuse(fmt, diagnostics + failures, len(files), "生成失败，", states)
    problems: list[Diagnostic] = []
    pdfs: list[tuple[str, bytes]] = []
    if pdf:  # a PDF that cannot be made fails the build, but never keeps the documents back
        from .pdf import convert

        conversion = convert(documents, output)
        pdfs, problems = conversion.pdfs, conversion.diagnostics
    try:
        written = write_documents(output, documents + pdfs)
    except DangjianError as exc:
        _refuse(fmt, diagnostics + problems + exc.diagnostics, len(files), "写入失败，",
                states + [_state(None, "failed", source, kind) for source, kind in made])
    shown = [display_path(p) for p in written]
    states = [_state(path, "built", source, kind) for path, (source, kind) in zip(shown, made, strict=False)] + states
    if pdf:  # each PDF under its document's kind; a document without one is a failed PDF
        from .pdf import pdf_name

        converted = {name for name, _ in pdfs}
        states += [_state(display_path(output / pdf_name(name)) if pdf_name(name) in converted else None,
                          "built" if pdf_name(name) in converted else "failed", source, kind)
                   for (name, _), (source, kind) in zip(documents, made, strict=True)]
    echo(streams(fmt, sorted(diagnostics + problems, key=sort_key), len(files), shown,
                build=BuildResult(states, time.perf_counter() - started)))
    sys.exit(1 if has_errors(problems) else 0)


def _refuse(fmt: str, diagnostics: list[Diagnostic], files: int, why: str,
            states: list[dict[str, object]] | None = None) -> NoReturn:
    """Print why nothing was written, ending with one summary line, and exit 1."""
    echo(streams(fmt, sorted(diagnostics, key=sort_key), files, [], why, build=BuildResult(states or [])))
    sys.exit(1)


def _state(path: str | None, state: str, source: str, kind: str) -> dict[str, object]:
    """One entry of ``documents`` in ``--format json`` (see schemas/output.schema.json)."""
    return {"path": path, "state": state, "source": source, "kind": kind}


def _skipped_kinds(result: Validation, kinds: list[str]) -> list[Diagnostic]:
    """A note for each kind the data lacks the section for: ``build --kind all`` leaves it out,
    and ``validate`` says so too, so the two report the same notes for the same file."""
    from .documents import KINDS as SPECS

    assert result.year is not None
    return [Diagnostic(
        Severity.NOTE, "kind-skipped", f"数据中没有{SPECS[k].need_words}，不生成{SPECS[k].label}。",
        file=result.source.path, hint=f"需要{SPECS[k].label}时，请补充{SPECS[k].need_words}。")
        for k in kinds if not SPECS[k].can_build(result.year)]


def _name_clashes(results: list[Validation], kinds: list[str], script: Script = "hans") -> list[Diagnostic]:
    """Two data files whose documents would get the same file name: the second would replace the first.

    Names are compared as Windows and macOS compare them (ignoring case); clashes within one
    file's documents are found by the build itself.
    """
    from .api import outputs

    seen: dict[str, str] = {}
    clashes = []
    for result in results:
        assert result.year is not None
        for document in outputs(result.year, kinds):
            name = safe_filename(_in_script(document.title, script))
            key = clash_key(name)
            if key in seen and seen[key] != result.source.path:
                clashes.append(name_clash(name, "生成的文稿", f" {seen[key]} 生成的文稿", result.source.path,
                                          hint="请在 documents 中为其中一份文稿另拟标题，或分别输出到不同的文件夹。"))
            seen.setdefault(key, result.source.path)
    return clashes


def _in_script(title: str, script: Script) -> str:
    if script == "hans":
        return title
    from .rendering.script import in_script

    return in_script(title, script)


def _given(ctx: click.Context, name: str) -> bool:
    return ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT


def _repo_of(paths: tuple[Path, ...], output: Path | None = None, *, fmt: str,
             building: bool = False) -> RepoSettings | None:
    """The repo ``paths`` names: one folder holding the config file, or a tree of data folders;
    or data files and folders inside one repo, built with its config as that repo would build them."""
    from .repo import CONFIG_NAME, default_config, is_repo
    from .repo.discovery import enclosing_repo, is_data_tree, selection

    folder = paths[0]
    if len(paths) == 1 and folder.is_dir() and is_repo(folder):
        return RepoSettings(_config(folder, fmt, building), output, has_config=True)
    roots = {enclosing_repo(p) for p in paths}
    root = roots.pop() if len(roots) == 1 else None
    if root is not None:  # the rules, wording and last year's files of the repo apply here too
        config = _config(root, fmt, building)
        within = selection(config, paths)
        if within is not None:
            settings = RepoSettings(config, output, has_config=True, within=within)
            if fmt == "human":  # where the documents went, and why they may differ from a plain file's
                done = f"生成，文稿写入 {display_path(settings.config.output)}" if building else "校验"
                click.echo(f"所选文件在数据仓库中，按仓库的配置文件 {display_path(root / CONFIG_NAME)} {done}"
                           "（组织生活规则、措辞和上年数据与生成整个仓库时相同）。", err=True)
            return settings
    if len(paths) == 1 and folder.is_dir() and is_data_tree(folder):
        return RepoSettings(default_config(folder), output, has_config=False)
    return None


def _config(root: Path, fmt: str, building: bool) -> RepoConfig:
    from .repo import load_config

    try:
        return load_config(root)
    except DangjianError as exc:
        if building:
            _refuse(fmt, exc.diagnostics, 0, "配置文件有错误，")
        echo(streams(fmt, exc.diagnostics, 0))
        sys.exit(1)


class RepoSettings:
    """A repo's config with what the command line overrides."""

    def __init__(self, config: object, output: Path | None, *, has_config: bool,
                 within: tuple[str, ...] = ()) -> None:
        import dataclasses

        from .repo import RepoConfig

        assert isinstance(config, RepoConfig)
        if output is not None:
            config = dataclasses.replace(config, output=output.resolve())
        self.config = config
        self.config_strict = config.strict
        self.has_config = has_config
        """False for a folder tree read with the default settings (no dangjian-docs.yaml)."""
        self.within = within
        """The files and folders named inside the repo (relative to its root); empty: all of it."""

    def shard(self, shard: Shard | None = None) -> Shard:
        """The part of the repo this command covers: ``--shard``'s, narrowed to what was named."""
        import dataclasses

        from .repo.discovery import WHOLE

        return dataclasses.replace(shard or WHOLE, within=self.within)


def _build_repo(repo: RepoSettings, kinds: tuple[str, ...] | None, templates: Path | None, jobs: int | None,
                force: bool, shard: Shard | None, fmt: str, strict: bool, pdf: bool = False,
                letterhead: Path | None = None, script: Script | None = None) -> NoReturn:
    """``build`` on a repo: validate every file, then make what changed, in parallel."""
    import dataclasses

    from .repo import build_repo
    from .repo.progress import Progress

    config = repo.config
    if kinds is not None:
        config = dataclasses.replace(config, kinds=KIND_NAMES if "all" in kinds else tuple(dict.fromkeys(kinds)))
    if templates is not None:
        config = dataclasses.replace(config, templates={
            k: templates / f"{k}.docx" for k in KIND_NAMES if (templates / f"{k}.docx").is_file()})
    if letterhead is not None:
        config = dataclasses.replace(config, letterhead=letterhead.resolve())
    if script is not None:  # the command line's choice over the config's
        config = dataclasses.replace(config, script=script)
    outcome = build_repo(config, jobs=jobs, force=force, strict=strict, progress=Progress(lines=sys.stderr),
                         pdf=pdf, shard=repo.shard(shard))
    _repo_report(fmt, outcome, None if repo.has_config else config)
    sys.exit(1 if outcome.stopped or outcome.failed else 0)


def _repo_report(fmt: str, outcome: Outcome, config: RepoConfig | None = None) -> None:
    """Problems first, then the closing summary (on stderr when stdout carries JSON or annotations).

    ``config`` is given for a folder read as a repo without a config file: when its data has
    errors, say what was found there, since it may be a project folder rather than data.
    """
    if fmt == "json":  # as single-file builds report: every document with its state
        import dataclasses

        from .reporting import as_json

        states = [dataclasses.asdict(d) for d in outcome.documents]
        click.echo(as_json(outcome.diagnostics, outcome.files, BuildResult(states, outcome.seconds)))
    elif fmt == "github":
        click.echo(render(fmt, outcome.diagnostics, outcome.files))
    elif outcome.diagnostics:
        click.echo(render(fmt, outcome.diagnostics, outcome.files) + "\n", err=True)
    if config is not None and has_errors(outcome.diagnostics):
        click.echo(click.style(_tree_hint(config, outcome.diagnostics), fg="yellow"), err=True)
    closing = outcome.summary()
    if outcome.stopped:
        closing = f"数据有错误，没有生成任何文件。{closing}"
    colour = "red" if outcome.stopped or outcome.failed else "green"
    click.echo(click.style(closing, fg=colour, bold=True), err=fmt != "human")


def _tree_hint(config: RepoConfig, diagnostics: Iterable[Diagnostic]) -> str:
    """What a folder without ``dangjian-docs.yaml`` held, by subfolder, and the folder to name
    instead: the one with the most files that passed (``build .`` at a project's root reads its
    tests and its deliberately broken samples too)."""
    from .repo.discovery import find_sources

    broken = {d.file for d in diagnostics if d.is_error}
    folders: dict[str, list[int]] = {}  # folder → [files, files with errors]
    for source in find_sources(config):
        tally = folders.setdefault(str(Path(source.rel).parent), [0, 0])
        tally[0] += 1
        tally[1] += display_path(source.path) in broken
    shown = [f"{display_path(config.root / f)}（{n} 个，{bad} 个有错误）" if bad
             else f"{display_path(config.root / f)}（{n} 个）" for f, (n, bad) in sorted(folders.items())]
    found = "、".join(shown[:10]) + (f"等 {len(shown)} 个文件夹" if len(shown) > 10 else "")
    text = (f"{display_path(config.root)} 中没有配置文件 dangjian-docs.yaml，已按数据仓库读取其各级子文件夹中的"
            f" {sum(n for n, _ in folders.values())} 个 .yaml 文件：{found}。")
    good = sorted(((n - bad, f) for f, (n, bad) in folders.items() if n > bad), reverse=True)
    if good:
        text += (f"\n如果其中有不是数据的文件（如测试用例、故意写错的示例），请只指定数据所在的文件夹，"
                 f"如：dangjian-docs build {display_path(config.root / good[0][1])}")
    else:
        text += "\n如果这些不是党建数据，请指定数据所在的文件夹"
    return text + "；或用 dangjian-docs init 新建一个数据仓库。"


_USAGE_WORDS = [  # Click ships no Chinese; its usage messages, translated (option names unquoted first)
    (r"Missing argument (\S+)\.", r"缺少参数：\1。"),
    (r"Missing option (\S+)\.", r"缺少选项 \1。"),
    (r"No such option:? (\S+?)\.?(?=\s|$)", r"没有这个选项：\1。"),
    (r"No such command (\S+?)\.",
     r"没有这个命令：\1。可用命令：init、validate、build、report、preview、template-sheet。"),
    (r"\s*Did you mean (\S+?)\?", r"是不是想写 \1？"),
    (r"\s*\(Possible options: (.+?)\)", r"（可能是：\1）"),
    (r"Invalid value for (.+?): (\S+) is not one of (.+)\.", r"选项 \1 的值 \2 无效，可选：\3。"),
    (r"Invalid value for (.+?): ", r"选项 \1 的值无效："),
    (r"Directory (.+) is a file\.", r"\1 是一个文件，这里要的是文件夹。"),
    (r"File (.+) is a directory\.", r"\1 是一个文件夹，这里要的是文件。"),
    (r"(?:Directory|File|Path) (.+) does not exist\.", r"\1 不存在。"),
    (r"(?:Directory|File|Path) (.+) is not readable\.", r"\1 没有读取权限。"),
    (r"(?:Directory|File|Path) (.+) is not writable\.", r"\1 没有写入权限。"),
    (r"Option (\S+) requires an argument\.", r"选项 \1 后面需要一个值。"),
    (r"Option (\S+) does not take a value\.", r"选项 \1 后面不能带值。"),
    (r"Got unexpected extra arguments? \((.+)\)", r"多出了参数：\1。"),
]
_QUOTED = re.compile(r"'([^'\s]*)'")


def usage_message(exc: click.UsageError) -> str:
    """Click's English usage message in Chinese; names and values are kept as typed."""
    message = _QUOTED.sub(r"\1", exc.format_message())
    for pattern, chinese in _USAGE_WORDS:
        message = re.sub(pattern, chinese, message)
    return message


def _usage_error(exc: click.UsageError) -> None:
    if type(exc).__name__ == "NoArgsIsHelpError":  # bare `dangjian-docs`: the help, not a mistake
        click.echo(exc.format_message(), err=True)
        return
    where = exc.ctx.command_path if exc.ctx else "dangjian-docs"
    click.echo(f"命令用法有误：{usage_message(exc)}\n运行“{where} --help”查看用法。", err=True)


@cli.command(add_help_option=False)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), metavar="文件夹")
@click.option("--tool", metavar="来源",
              help="CI 安装本工具的来源：安装包文件（.whl，复制进数据仓库）、网址或带提交号的代码仓库地址；"
                   "不写时用本机安装本工具的来源。")
@_HELP
def init(folder: Path, tool: str | None) -> None:
    """新建一个数据仓库：示例数据、配置文件、CI 配置和说明，建好后可以直接 build。"""
    from .repo import init_repo
    from .repo.tool_source import tool_source
    from .reporting import human

    try:
        source = tool_source(tool)
    except DangjianError as exc:  # a wrong --tool: the command was used wrongly
        click.echo(human(exc.diagnostics, 0, summary=False), err=True)
        sys.exit(2)
    try:
        written = init_repo(folder, source)
    except DangjianError as exc:
        click.echo(human(exc.diagnostics, 0, summary=False), err=True)
        sys.exit(1)
    for path in written:
        click.echo(f"已创建：{display_path(path)}")
    click.echo(f"CI 安装本工具：{source.spec}\n    来源：{source.origin}。")
    if source.warning:
        click.echo(click.style(f"注意：{source.warning}", fg="yellow"), err=True)
    done = f"数据仓库已建好。接着运行：dangjian-docs build {display_path(folder)}"
    click.echo(click.style(done, fg="green", bold=True))


@cli.group(add_help_option=False)
@_HELP
def report() -> None:
    """数据的对照报表（不生成文稿）。"""


@report.command("compliance", add_help_option=False)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), metavar="数据文件")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="从这一天起（含），默认为 1 月 1 日。")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="到这一天止（含），默认为 12 月 31 日。")
@click.option("--format", "fmt", type=click.Choice(["human", "json", "csv"]), default="human", show_default=True,
              help="输出格式：human 表格，json 供程序读取，csv 供表格软件打开（每个单位、规定、时段一行）。")
@_STRICT
@_HELP
def compliance(path: Path, start: str | None, end: str | None, fmt: str, strict: bool) -> None:
    """各支部（及党组织本级）逐项规定、逐月逐季度的组织生活开展情况，未达到的时段标出。

    退出码与 validate 相同：数据有错误为 1；加 --strict 时有未达到的规定也为 1。
    """
    from .compliance_report import compliance_report, render

    year, _ = _report_year(path, "组织生活对照")
    first, last = (_day(text, option, year.year) for text, option in ((start, "--from"), (end, "--to")))
    if first and last and first > last:
        raise click.UsageError(f"--from（{first}）晚于 --to（{last}）。")
    made = compliance_report(year, first, last)
    click.echo(render(made, fmt))
    sys.exit(1 if strict and made.short else 0)


@report.command("plan", add_help_option=False)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), metavar="数据文件")
@click.option("--format", "fmt", type=click.Choice(["human", "json", "csv"]), default="human", show_default=True,
              help="输出格式：human 表格，json 供程序读取，csv 供表格软件打开（每项任务一行）。")
@_STRICT
@_HELP
def plan(path: Path, fmt: str, strict: bool) -> None:
    """年度计划各项任务到年底的完成情况（已完成、进行中、未开始、已取消）、判断依据和对应的活动记录。

    任务写了 status 的按 status；没写的按下级任务，或按对应的活动记录、完成成效和完成时限判断。
    退出码与 validate 相同：数据有错误为 1；加 --strict 时有完成时限在本年度内而没有完成的任务也为 1。
    """
    from .plan_report import plan_report, render

    made = plan_report(_report_year(path, "年度计划完成情况")[0])
    click.echo(render(made, fmt))
    sys.exit(1 if strict and made.late else 0)


@report.command("development", add_help_option=False)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), metavar="数据文件")
@click.option("--format", "fmt", type=click.Choice(["human", "json", "csv"]), default="human", show_default=True,
              help="输出格式：human 表格，json 供程序读取，csv 供表格软件打开（每个支部一行）。")
@_STRICT
@_HELP
def development(path: Path, fmt: str, strict: bool) -> None:
    """发展党员情况：各支部年底处在各阶段的人数、本年度到达各阶段的人数，以及阶段间隔不足的逐人记录。

    退出码与 validate 相同：数据有错误为 1；加 --strict 时有阶段间隔不足也为 1。
    """
    from .development_report import development_report, render

    made = development_report(*_report_year(path, "发展党员情况"))
    click.echo(render(made, fmt))
    sys.exit(1 if strict and made.short else 0)


def _report_year(path: Path, what: str) -> tuple[YearData, list[Diagnostic]]:
    """The year a report is made from and validation's warnings; data errors (or a region file)
    end the command with code 1."""
    from .api import check_file
    from .reporting import human
    from .validation import Validation

    result = check_file(path)
    if not isinstance(result, Validation) or result.year is None:
        diagnostics = result.diagnostics or [Diagnostic(
            Severity.ERROR, "region-file", f"这是汇总文件，{what}要用单位的年度数据文件。",
            file=display_path(path))]
        click.echo(human(sorted(diagnostics, key=sort_key), 1, summary=False), err=True)
        sys.exit(1)
    return result.year, result.diagnostics


def _day(text: str | None, option: str, year: int) -> dt.date | None:
    """A date option: ASCII ``YYYY-MM-DD`` within the data's year."""
    if text is None:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError(text)
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise click.UsageError(f"{option} 的日期“{text}”写法不对，应写成 {year}-04-01 这样。") from None
    if day.year != year:
        raise click.UsageError(f"{option} 的日期 {day} 不在数据的年度（{year}年）之内。")
    return day


@cli.command(add_help_option=False)
@click.argument("paths", nargs=-1, required=True, metavar="文稿或文件夹...", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("预览"),
              show_default=True, help="预览写到这个文件夹（不存在时自动创建）。")
@_HELP
def preview(paths: tuple[Path, ...], output: Path) -> None:
    """把生成的文稿（.docx）写成网页和 Markdown，不用 Word 也能阅读：每份一个 .html（按 A4 版面排版）、
    一个 .md（便于比较改动），另有 index.html 列出全部文稿。
    """
    from .preview import write_previews
    from .reporting import human
    from .writing import WriteFailure

    try:
        written = write_previews(list(paths), output)
    except DangjianError as exc:
        click.echo(human(exc.diagnostics, len(paths), summary=False), err=True)
        sys.exit(1)
    except WriteFailure as exc:
        click.echo(f"{display_path(exc.path)}: 错误: 无法写入（{exc.reason}）。", err=True)
        sys.exit(1)
    pages = sum(1 for p in written if p.suffix == ".html" and p.name != "index.html")
    click.echo(f"已写出 {pages} 份文稿的预览：{display_path(output / 'index.html')}")


@cli.command("template-sheet", add_help_option=False)
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path), metavar="表格文件.xlsx")
@click.option("--from", "source", type=click.Path(dir_okay=False, path_type=Path), metavar="数据文件",
              help="按这个数据文件填写下拉列表（支部、党小组、自定义类型），并写入它已有的活动记录。")
@_HELP
def template_sheet(output: Path, source: Path | None) -> None:
    """写出活动记录表格（.xlsx）：列标题、下拉列表、日期格式和“说明”工作表。

    在数据文件中写 activities_from: 表格文件名，活动记录就从表格读取。
    """
    from .loading import load
    from .reporting import human
    from .sheet_template import workbook
    from .writing import WriteFailure, write_set

    if output.suffix.lower() != ".xlsx":
        raise click.UsageError(f"表格文件名须以 .xlsx 结尾：{output}")
    data = None
    if source is not None:
        try:
            data = load(source).data
        except DangjianError as exc:
            click.echo(human(exc.diagnostics, 1, summary=False), err=True)
            sys.exit(1)
    try:
        write_set(output.parent, [(output.name, workbook(data if isinstance(data, dict) else None))])
    except WriteFailure as exc:
        click.echo(f"{display_path(output)}: 错误: 无法写入（{exc.reason}）。", err=True)
        sys.exit(1)
    click.echo(f"已写出：{display_path(output)}")


# -- own templates: check-template and export-template (issue 16) -----------------------------
_CHECKED_KINDS = [*ALL_KIND_NAMES, "letterhead"]
"""What check-template checks: every kind's template, and an office's letterhead (红头)."""


@cli.command("check-template", add_help_option=False)
@click.argument("file", metavar="模板.docx", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", "kind", type=click.Choice(_CHECKED_KINDS),
              help="模板用于哪种文稿：plan 工作计划，summary 工作总结，report 情况汇报，rollup 汇总情况汇报；"
                   "letterhead 表示这是红头模板（见 docs/images.md）。")
@_FORMAT
@_STRICT
@_HELP
def check_template_command(file: Path, kind: str | None, fmt: str, strict: bool) -> None:
    """不用数据检查自己的模板，列出每个问题及其位置。

    检查标签写法、被拆开的标签、{%p %}/{%tr %} 用法、数据项名称、文件安全（错误），以及公文版式：
    A4、页边距、每页行数和每行字数、字体字号、页码（警告）。每个问题都指明所在位置：第几段及其文字，
    或第几个表格第几行第几列。有错误时退出码为 1。
    """
    from .template_check import check_template

    if kind is None:  # not required=True: Click would add an English "Choose from" list
        raise click.UsageError(f"缺少选项 --kind：模板用于哪种文稿（{'、'.join(_CHECKED_KINDS)}）。")
    if not file.exists():
        raise click.UsageError(f"{file} 不存在。")
    diagnostics = check_template(file, kind)
    click.echo(render(fmt, diagnostics, 1))
    sys.exit(1 if has_errors(diagnostics, strict=strict) else 0)


@cli.command("export-template", add_help_option=False)
@click.argument("kind", metavar="文稿种类", type=click.Choice(ALL_KIND_NAMES))
@click.argument("folder", metavar="文件夹", type=click.Path(file_okay=False, path_type=Path))
@_HELP
def export_template_command(kind: str, folder: Path) -> None:
    """把内置模板写到文件夹中，供在 Word、WPS 中修改；已有同名文件时不覆盖。

    文稿种类：plan 工作计划，summary 工作总结，report 情况汇报，rollup 汇总情况汇报。
    改好后先运行 check-template 检查，再用 build --templates 文件夹 生成文稿。
    """
    from .inputs import read_bounded
    from .rendering.limits import MAX_FILE_BYTES
    from .resources import templates_dir
    from .writing import WriteFailure, write_set

    target = folder / f"{kind}.docx"
    if target.exists():
        click.echo(f"错误：{display_path(target)} 已存在，没有覆盖。请换一个文件夹，或先移走这个文件。", err=True)
        sys.exit(1)
    try:
        write_set(folder, [(target.name, read_bounded(templates_dir() / target.name, MAX_FILE_BYTES))])
    except WriteFailure as exc:
        click.echo(f"错误：无法写入 {display_path(target)}（{exc.reason}）。", err=True)
        sys.exit(1)
    click.echo(f"已写出：{display_path(target)}")
    click.echo(f"修改后检查：dangjian-docs check-template {display_path(target)} --kind {kind}")


def main() -> None:
    """Entry point: a user's mistake is a message, never a traceback."""
    try:
        localise(cli)
        plain = bool(os.environ.get("NO_COLOR"))  # https://no-color.org: set and not empty
        cli.main(prog_name="dangjian-docs", standalone_mode=False, color=False if plain else None)
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
        import traceback  # here: only a fault prints one

        click.echo(traceback.format_exc(), err=True)
        sys.exit(3)
