"""Where each value of a data file came from, so every later stage can point at a line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

PathKey = tuple[str | int, ...]
"""A data path as a tuple: ``("branches", 2, "members", "full")``."""


class Position(NamedTuple):
    """A place in a file, 1-based. A named tuple, not a dataclass: loading makes one for every
    key and every value, and a tuple is made in a third of the time."""

    line: int
    column: int
    file: str | None = None
    """Where the value came from when not the data file itself: a spreadsheet's cell,
    ``活动记录.xlsx!B7`` (see :mod:`.sheets`); diagnostics then name the cell, not a line."""


@dataclass
class SourceMap:
    """Positions of values and of mapping keys, by data path (both 1-based)."""

    values: dict[PathKey, Position] = field(default_factory=dict)
    keys: dict[PathKey, Position] = field(default_factory=dict)

    def locate(self, path: Sequence[str | int], *, key: bool = False) -> Position | None:
        """The position of ``path``, or of its nearest ancestor that has one.

        ``key=True`` prefers the key's position (``brnches:``) over the value's; that is where a
        clerk must type when a key is misspelt.
        """
        current = tuple(path)
        if key and current in self.keys:
            return self.keys[current]
        while True:
            if current in self.values:
                return self.values[current]
            if not current:
                return None
            current = current[:-1]


def format_path(path: Sequence[str | int]) -> str:
    """``("branches", 2, "members")`` → ``branches[2].members``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
