"""What a repo build keeps per file, on disk rather than in the build's own memory.

A build reports every file's problems together at the end and writes a manifest record for
every document and data file; held as Python objects, these made the parent process grow by
some 7 MB per thousand files (issue #18). Here each kind keeps its first :data:`IN_MEMORY`
in memory and, past that, all of them in a private temporary SQLite database (an unnamed file in
the system's temporary folder, gone when the build ends, however it ends) with a small page
cache, so the parent's memory does not grow with the repo. Records on disk are pickled: the
file is this process's own scratch space, never read by anything else.

Strings are stored as UTF-8 with ``surrogatepass`` (a file name that is not valid UTF-8 is
kept, not refused), so the database orders them as Python orders ``str``: by code point.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from typing import Any, Generic, TypeVar, overload

from ..diagnostics import Diagnostic, Severity, sort_key

T = TypeVar("T")

IN_MEMORY = 1000
"""Records (diagnostics, names) each table, log or list keeps in memory before it moves them
all to disk: a repo of a few hundred files pays nothing for the disk, a large one holds no more
than this many of each (some 7 MB in all)."""

CACHE_KIB = 256
"""The page cache of each database (KiB): what of the records on disk stays in memory at most."""


def open_scratch() -> sqlite3.Connection:
    """A private temporary database on disk (SQLite's empty file name), in one long
    transaction: nothing is ever committed, since nothing outlives the build."""
    db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
    db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    return db


def _text(value: str) -> bytes:
    return value.encode("utf-8", "surrogatepass")


def _str(value: bytes) -> str:
    return value.decode("utf-8", "surrogatepass")


def _dump(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class Table(MutableMapping[str, T], Generic[T]):
    """A mapping of names to values (any picklable objects), iterated in the names' order
    (``sorted``'s), a page at a time, so it may change during the iteration (a name deleted
    before it is reached is not met).

    Kept as a dict up to :data:`IN_MEMORY` names, on disk past that. Store a value again after
    changing it (``table[name] = record``): on disk, a value read is a copy.
    """

    def __init__(self, items: Iterable[tuple[str, T]] = ()) -> None:
        self._memory: dict[str, T] | None = {}
        self._db: sqlite3.Connection | None = None
        self.update(items)

    def _spill(self) -> sqlite3.Connection:
        """Move the values to disk (once there are more than :data:`IN_MEMORY`)."""
        if self._db is None:
            self._db = open_scratch()
            self._db.execute("CREATE TABLE records (name BLOB PRIMARY KEY, value BLOB) WITHOUT ROWID")
            held, self._memory = self._memory or {}, None
            self._db.executemany("INSERT INTO records VALUES (?, ?)",
                                 ((_text(name), _dump(value)) for name, value in held.items()))
        return self._db

    def __getitem__(self, name: str) -> T:
        if self._memory is not None:
            return self._memory[name]
        row = self._spill().execute("SELECT value FROM records WHERE name = ?", (_text(name),)).fetchone()
        if row is None:
            raise KeyError(name)
        return pickle.loads(row[0])  # type: ignore[no-any-return]

    def __setitem__(self, name: str, value: T) -> None:
        if self._memory is not None and (len(self._memory) < IN_MEMORY or name in self._memory):
            self._memory[name] = value
            return
        self._spill().execute("INSERT OR REPLACE INTO records VALUES (?, ?)", (_text(name), _dump(value)))

    def setdefault(self, name: str, default: T) -> T:  # type: ignore[override]
        """The value of ``name``, storing ``default`` first when there is none."""
        if self._memory is not None and name in self._memory:
            return self._memory[name]
        if self._memory is not None:
            self[name] = default
            return default
        if self._spill().execute("INSERT OR IGNORE INTO records VALUES (?, ?)",
                                 (_text(name), _dump(default))).rowcount:
            return default
        return self[name]

    def update(self, items: Iterable[tuple[str, T]] = (), /, **_: T) -> None:  # type: ignore[override]
        """Store many (name, value) at once (on disk, in one statement: a manifest's thousands)."""
        items = iter(items)
        if self._memory is not None:
            for name, value in items:
                self[name] = value
                if self._memory is None:
                    break
        if self._memory is None:
            self._spill().executemany("INSERT OR REPLACE INTO records VALUES (?, ?)",
                                      ((_text(name), _dump(value)) for name, value in items))

    def __delitem__(self, name: str) -> None:
        if self._memory is not None:
            del self._memory[name]
        elif self._spill().execute("DELETE FROM records WHERE name = ?", (_text(name),)).rowcount == 0:
            raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        if self._memory is not None:
            return name in self._memory
        return isinstance(name, str) and self._spill().execute(
            "SELECT 1 FROM records WHERE name = ?", (_text(name),)).fetchone() is not None

    def __len__(self) -> int:
        if self._memory is not None:
            return len(self._memory)
        count: int = self._spill().execute("SELECT count(*) FROM records").fetchone()[0]
        return count

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self.items())

    def items(self) -> Iterator[tuple[str, T]]:  # type: ignore[override]
        """Every (name, value) in the names' order."""
        after = None
        if self._memory is not None:
            for name in sorted(self._memory):
                if self._memory is None:  # moved to disk meanwhile: go on from there
                    break
                if name in self._memory:
                    yield name, self._memory[name]
                    after = name
            else:
                return
        yield from ((name, pickle.loads(value)) for name, value in self._pages(after))

    def _pages(self, after: str | None = None, size: int = 512) -> Iterator[tuple[str, bytes]]:
        """The rows after the name ``after`` (all of them for ``None``), a page at a time."""
        query = "SELECT name, value FROM records {} ORDER BY name LIMIT ?"
        rows = self._spill().execute(query.format(""), (size,)).fetchall() if after is None else \
            self._spill().execute(query.format("WHERE name > ?"), (_text(after), size)).fetchall()
        while True:
            yield from ((_str(name), value) for name, value in rows)
            if len(rows) < size:
                return
            rows = self._spill().execute(query.format("WHERE name > ?"), (rows[-1][0], size)).fetchall()


class DiagnosticLog(Sequence[Diagnostic]):
    """Diagnostics as they arrive, read back in the order a report shows them: by
    :func:`~dangjian_docs.diagnostics.sort_key`, then in order of arrival (as a stable sort).
    Kept as a list up to :data:`IN_MEMORY`, on disk past that."""

    def __init__(self, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self._memory: list[Diagnostic] | None = []
        self._db: sqlite3.Connection | None = None
        self._count = self._errors = self._warnings = 0
        self.extend(diagnostics)

    def _spill(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = open_scratch()
            self._db.execute("CREATE TABLE log (seq INTEGER PRIMARY KEY, file BLOB, line INTEGER, col INTEGER, "
                             "path BLOB, code BLOB, body BLOB)")
            self._db.execute("CREATE INDEX shown ON log (file, line, col, path, code, seq)")
            held, self._memory, self._count = self._memory or [], None, 0
            self._db.executemany("INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?)", map(self._row, held))
        return self._db

    def append(self, d: Diagnostic) -> None:
        self.extend((d,))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        diagnostics = map(self._counted, diagnostics)
        if self._memory is not None:
            self._memory.extend(diagnostics)
            self._count = len(self._memory)
            if self._count > IN_MEMORY:
                self._spill()
            return
        rows = [self._row(d) for d in diagnostics]
        if len(rows) == 1:
            self._spill().execute("INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?)", rows[0])
        else:
            self._spill().executemany("INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def has_errors(self, *, strict: bool = False) -> bool:
        """:func:`~dangjian_docs.diagnostics.has_errors` without reading them back."""
        return bool(self._errors or (strict and self._warnings))

    def _counted(self, d: Diagnostic) -> Diagnostic:
        self._errors += d.severity is Severity.ERROR
        self._warnings += d.severity is Severity.WARNING
        return d

    def _row(self, d: Diagnostic) -> tuple[object, ...]:
        """The row of ``d``, numbered in order of arrival."""
        self._count += 1
        return (self._count - 1, _text(d.file or ""), d.line or 0, d.column or 0, _text(d.path), _text(d.code),
                _dump((d.severity.value, d.code, d.message, d.file, d.line, d.column, d.path, d.hint)))

    def __iadd__(self, diagnostics: Iterable[Diagnostic]) -> DiagnosticLog:
        self.extend(diagnostics)
        return self

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Diagnostic]:
        return self._read(0, self._count)

    @overload
    def __getitem__(self, index: int) -> Diagnostic: ...
    @overload
    def __getitem__(self, index: slice) -> list[Diagnostic]: ...

    def __getitem__(self, index: int | slice) -> Diagnostic | list[Diagnostic]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step != 1:
                return list(self)[index]
            return list(self._read(start, max(0, stop - start)))
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        return next(self._read(index, 1))

    def _read(self, start: int, count: int, size: int = 512) -> Iterator[Diagnostic]:
        """``count`` diagnostics from position ``start``, a page at a time (the index is walked in
        order; a page's last key says where the next begins)."""
        if self._memory is not None:
            yield from sorted(self._memory, key=sort_key)[start:start + count]
            return
        query = "SELECT file, line, col, path, code, seq, body FROM log"
        order = " ORDER BY file, line, col, path, code, seq LIMIT ?"
        rows = self._spill().execute(query + order + " OFFSET ?", (min(size, count), start)).fetchall()
        while rows and count > 0:
            for row in rows[:count]:
                severity, code, message, file, line, column, path, hint = pickle.loads(row[6])
                yield Diagnostic(Severity(severity), code, message, file, line, column, path, hint)
            count -= len(rows)
            if len(rows) < size:
                return
            rows = self._spill().execute(
                query + " WHERE (file, line, col, path, code, seq) > (?, ?, ?, ?, ?, ?)" + order,
                (*rows[-1][:6], min(size, count))).fetchall()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (DiagnosticLog, list)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DiagnosticLog({self._count} diagnostics)"


class Rows(Sequence[T], Generic[T]):
    """Records (any picklable objects) in order of arrival, each with an optional name to ask
    whether one is there (:meth:`named`). Kept as a list up to :data:`IN_MEMORY`, on disk past
    that: store a record again after changing it (``rows[i] = record``)."""

    def __init__(self) -> None:
        self._memory: list[tuple[str | None, T]] | None = []
        self._names: dict[str, int] = {}
        self._db: sqlite3.Connection | None = None
        self._count = 0

    def _spill(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = open_scratch()
            self._db.execute("CREATE TABLE rows (seq INTEGER PRIMARY KEY, name BLOB, record BLOB)")
            self._db.execute("CREATE INDEX names ON rows (name)")
            held, self._memory, self._names = self._memory or [], None, {}
            self._db.executemany("INSERT INTO rows VALUES (?, ?, ?)", (
                (seq, None if name is None else _text(name), _dump(record))
                for seq, (name, record) in enumerate(held)))
        return self._db

    def append(self, record: T, name: str | None = None) -> int:
        """Add ``record`` at the end; its position."""
        if self._memory is not None and self._count < IN_MEMORY:
            self._memory.append((name, record))
            if name is not None:
                self._names.setdefault(name, self._count)
        else:
            self._spill().execute("INSERT INTO rows VALUES (?, ?, ?)",
                                  (self._count, None if name is None else _text(name), _dump(record)))
        self._count += 1
        return self._count - 1

    def __setitem__(self, index: int, record: T) -> None:
        """Replace the record at ``index`` (keeping its name)."""
        if not 0 <= index < self._count:
            raise IndexError(index)
        if self._memory is not None:
            self._memory[index] = (self._memory[index][0], record)
        else:
            self._spill().execute("UPDATE rows SET record = ? WHERE seq = ?", (_dump(record), index))

    def named(self, name: str) -> bool:
        """Whether a record was added under ``name``."""
        if self._memory is not None:
            return name in self._names
        return self._spill().execute("SELECT 1 FROM rows WHERE name = ?", (_text(name),)).fetchone() is not None

    def find(self, name: str) -> T | None:
        """The first record added under ``name``; ``None`` when there is none."""
        if self._memory is not None:
            index = self._names.get(name)
            return None if index is None else self._memory[index][1]
        row = self._spill().execute("SELECT record FROM rows WHERE name = ? ORDER BY seq LIMIT 1",
                                    (_text(name),)).fetchone()
        return None if row is None else pickle.loads(row[0])  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        return self._read(0, self._count)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            return list(self._read(start, max(0, stop - start)))[::step]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        return next(self._read(index, 1))

    def _read(self, start: int, count: int, size: int = 256) -> Iterator[T]:
        for first in range(start, start + count, size):
            if self._memory is not None:
                yield from (record for _, record in self._memory[first:min(first + size, start + count)])
                continue
            rows = self._spill().execute("SELECT record FROM rows WHERE seq >= ? AND seq < ? ORDER BY seq",
                                         (first, min(first + size, start + count))).fetchall()
            yield from (pickle.loads(row[0]) for row in rows)
