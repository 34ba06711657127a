"""Where each value of a data file came from, so every later stage can point at a line."""

from __future__ import annotations

from collections.abc import Sequence
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


Record = tuple[tuple[str, ...] | None, list[int]]
"""What loading keeps of one mapping or list: a mapping's keys and the line and column (both
0-based, as the parser counts) of each key and value in turn (``[key line, key column, value
line, value column, …]``), or ``None`` and the line and column of each list item."""


class SourceMap:
    """Positions of values and of mapping keys, by data path (both 1-based).

    Loading does not make a position for each of a year's hundred thousand values, of which a
    diagnostic needs a handful: it keeps each mapping's and list's marks (:data:`Record`), and
    :meth:`locate` makes a :class:`Position` of the one asked for. :attr:`values` and
    :attr:`keys` are every position as a dictionary, made on first use; from then on they are
    what is looked up, so positions added to them (a spreadsheet's cells) count.
    """

    def __init__(self, values: dict[PathKey, Position] | None = None,
                 keys: dict[PathKey, Position] | None = None) -> None:
        self._values = values if values is not None else {}
        self._keys = keys if keys is not None else {}
        self._root: tuple[int, int] | None = None
        self._records: dict[PathKey, Record] = {}
        self._lazy = False

    @classmethod
    def recorded(cls, root: tuple[int, int], records: dict[PathKey, Record]) -> SourceMap:
        """Positions kept as loading found them: ``root`` is the whole file's line and column
        (0-based), ``records`` each mapping's and list's by its data path."""
        made = cls()
        made._root, made._records, made._lazy = root, records, True
        return made

    @property
    def values(self) -> dict[PathKey, Position]:
        self._materialise()
        return self._values

    @property
    def keys(self) -> dict[PathKey, Position]:
        self._materialise()
        return self._keys

    def locate(self, path: Sequence[str | int], *, key: bool = False) -> Position | None:
        """The position of ``path``, or of its nearest ancestor that has one.

        ``key=True`` prefers the key's position (``brnches:``) over the value's; that is where a
        clerk must type when a key is misspelt.
        """
        current = tuple(path)
        if self._lazy:
            if key and current:
                found = self._recorded(current, 0)
                if found is not None:
                    return found
            while current:
                found = self._recorded(current, 1)
                if found is not None:
                    return found
                current = current[:-1]
            return None if self._root is None else Position(self._root[0] + 1, self._root[1] + 1)
        if key and current in self._keys:
            return self._keys[current]
        while True:
            if current in self._values:
                return self._values[current]
            if not current:
                return None
            current = current[:-1]

    def _recorded(self, path: PathKey, value: int) -> Position | None:
        """The position of the key (``value=0``) or the value (``1``) at ``path`` (not empty)."""
        record = self._records.get(path[:-1])
        if record is None:
            return None
        names, marks = record
        last = path[-1]
        if names is None:  # a list: its items have no keys
            if value and isinstance(last, int) and 0 <= 2 * last < len(marks):
                return Position(marks[2 * last] + 1, marks[2 * last + 1] + 1)
            return None
        if last not in names:
            return None
        at = 4 * names.index(last) + 2 * value
        return Position(marks[at] + 1, marks[at + 1] + 1)

    def _materialise(self) -> None:
        if not self._lazy:
            return
        values, keys = self._values, self._keys
        if self._root is not None:
            values[()] = Position(self._root[0] + 1, self._root[1] + 1)
        for path, (names, marks) in self._records.items():
            if names is None:
                for i in range(len(marks) // 2):
                    item: PathKey = (*path, i)
                    values[item] = Position(marks[2 * i] + 1, marks[2 * i + 1] + 1)
            else:
                for i, name in enumerate(names):
                    field: PathKey = (*path, name)
                    keys[field] = Position(marks[4 * i] + 1, marks[4 * i + 1] + 1)
                    values[field] = Position(marks[4 * i + 2] + 1, marks[4 * i + 3] + 1)
        self._root, self._records, self._lazy = None, {}, False


def format_path(path: Sequence[str | int]) -> str:
    """``("branches", 2, "members")`` → ``branches[2].members``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
