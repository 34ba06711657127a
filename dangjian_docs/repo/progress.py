"""Showing a long build: a progress bar on a terminal, plain lines in CI and in logs."""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

import click


def interactive(stream: TextIO) -> bool:
    """A person watching a terminal (not CI, whose log is a terminal in some services)."""
    return stream.isatty() and not os.environ.get("CI")


class Progress:
    """One stage at a time: ``start`` it, ``advance`` per finished item, ``finish`` it.

    With a bar, per-item lines are not printed (the bar says how far it is); without one, each
    line goes to ``lines`` as it happens, so a CI log shows what was done.
    """

    def __init__(self, *, bar: bool | None = None, lines: TextIO | None = None, quiet: bool = False) -> None:
        self.bar_stream = sys.stderr
        self.bar = interactive(self.bar_stream) if bar is None else bar
        self.lines = lines
        self.quiet = quiet
        self._bar: Any = None

    def start(self, label: str, total: int) -> None:
        self.finish()
        if self.bar and total > 1 and not self.quiet:
            self._bar = click.progressbar(length=total, label=label, file=self.bar_stream,
                                          show_pos=True, show_eta=True, width=30)
            self._bar.__enter__()
        elif total and not self.quiet:
            self.say(f"{label}：{total} 项")

    def advance(self, count: int = 1, line: str | None = None) -> None:
        if self._bar is not None:
            self._bar.update(count)
        elif line:
            self.say(line)

    def say(self, text: str) -> None:
        if not self.quiet:
            click.echo(text, file=self.lines)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
