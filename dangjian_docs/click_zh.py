"""Click's own words in Chinese: help headings, path checks and the most common usage errors.

Click looks up every user-facing text through ``gettext`` but ships no Chinese catalogue, so
its modules' ``_`` is pointed at a small table here. :func:`install` must run before the
commands are defined (a ``click.Path`` names itself when it is created). A text not in the
table stays as Click wrote it; ``cli.usage_message`` still translates those it knows.
"""

from __future__ import annotations

import click

WORDS = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Aborted!": "已中断。",
    "Missing command.": "缺少命令（validate、build 或 init）。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{filename!r} 是一个文件，这里要的是{name}。",
    "{name} {filename!r} is a directory.": "{filename!r} 是一个文件夹，这里要的是{name}。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 没有读取权限。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 没有写入权限。",
}

OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."


def translate(message: str) -> str:
    return WORDS.get(message, message)


def install() -> None:
    """Point Click's ``_`` at :data:`WORDS` in the modules that format help and check paths."""
    from click import core, formatting, types

    for module in (core, formatting, types):
        module._ = translate  # type: ignore[attr-defined]


class HelpFormatter(click.HelpFormatter):
    """Headings end with a full-width colon, as ``用法：`` does (Click writes ``选项:``)."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")


class Context(click.Context):
    formatter_class = HelpFormatter


def localise(command: click.Command) -> None:
    """Chinese metavars and headings in the help of ``command`` and, for a group, of its commands."""
    command.options_metavar = OPTIONS_METAVAR
    command.context_class = Context
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            localise(sub)
