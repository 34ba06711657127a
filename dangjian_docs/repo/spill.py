"""What a repo build keeps per file, on disk rather than in the build's own memory.

A build reports every file's problems together at the end and writes a manifest record for
every document and data file; held as Python objects, these made the parent process grow by
some 7 MB per thousand files (issue #18). Here they live in a private temporary SQLite database
(an unnamed file in the system's temporary folder, gone when the build ends, however it ends)
with a small page cache, so the parent's memory does not grow with the repo. Records are
pickled: the file is this process's own scratch space, never read by anything else.

Strings are stored as UTF-8 with ``surrogatepass`` (a file name that is not valid UTF-8 is
kept, not refused), so the database orders them as Python orders ``str``: by code point.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from typing import Any, Generic, TypeVar, overload

from ..diagnostics import Diagnostic, Severity

T = TypeVar("T")

CACHE_KIB = 256
"""The page cache of each database (KiB): what of the records stays in memory at most."""


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
    (``sorted``'s) a page at a time, so it may change during the iteration.

    A value read is a copy: changing one of its fields changes nothing until it is stored
    again (``table[name] = record``).
    """

    def __init__(self, items: Iterable[tuple[str, T]] = ()) -> None:
        self._db = open_scratch()
        self._db.execute("CREATE TABLE records (name BLOB PRIMARY KEY, value BLOB) WITHOUT ROWID")
        self.update(items)

    def __getitem__(self, name: str) -> T:
        row = self._db.execute("SELECT value FROM records WHERE name = ?", (_text(name),)).fetchone()
        if row is None:
            raise KeyError(name)
        return pickle.loads(row[0])  # type: ignore[no-any-return]

    def __setitem__(self, name: str, value: T) -> None:
        self._db.execute("INSERT OR REPLACE INTO records VALUES (?, ?)", (_text(name), _dump(value)))

    def setdefault(self, name: str, default: T) -> T:  # type: ignore[override]
        """The value of ``name``, storing ``default`` first when there is none."""
        if self._db.execute("INSERT OR IGNORE INTO records VALUES (?, ?)", (_text(name), _dump(default))).rowcount:
            return default
        return self[name]

    def update(self, items: Iterable[tuple[str, T]] = (), /, **_: T) -> None:  # type: ignore[override]
        """Store many (name, value) at once (one statement: a manifest's thousands of records)."""
        self._db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?)",
                             ((_text(name), _dump(value)) for name, value in items))

    def __delitem__(self, name: str) -> None:
        if self._db.execute("DELETE FROM records WHERE name = ?", (_text(name),)).rowcount == 0:
            raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._db.execute(
            "SELECT 1 FROM records WHERE name = ?", (_text(name),)).fetchone() is not None

    def __len__(self) -> int:
        count: int = self._db.execute("SELECT count(*) FROM records").fetchone()[0]
        return count

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._pages())

    def items(self) -> Iterator[tuple[str, T]]:  # type: ignore[override]
        """Every (name, value) in the names' order, read a page at a time."""
        return ((name, pickle.loads(value)) for name, value in self._pages())

    def _pages(self, size: int = 512) -> Iterator[tuple[str, bytes]]:
        query = "SELECT name, value FROM records {} ORDER BY name LIMIT ?"
        rows = self._db.execute(query.format(""), (size,)).fetchall()
        while True:
            yield from ((_str(name), value) for name, value in rows)
            if len(rows) < size:
                return
            rows = self._db.execute(query.format("WHERE name > ?"), (rows[-1][0], size)).fetchall()


class DiagnosticLog(Sequence[Diagnostic]):
    """Diagnostics as they arrive, read back in the order a report shows them: by
    :func:`~dangjian_docs.diagnostics.sort_key`, then in order of arrival (as a stable sort)."""

    def __init__(self, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self._db = open_scratch()
        self._db.execute("CREATE TABLE log (seq INTEGER PRIMARY KEY, file BLOB, line INTEGER, col INTEGER, "
                         "path BLOB, code BLOB, body BLOB)")
        self._db.execute("CREATE INDEX shown ON log (file, line, col, path, code, seq)")
        self._count = 0
        self.extend(diagnostics)

    def append(self, d: Diagnostic) -> None:
        self.extend((d,))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._db.executemany("INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?)", map(self._row, diagnostics))

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
        query = "SELECT file, line, col, path, code, seq, body FROM log"
        order = " ORDER BY file, line, col, path, code, seq LIMIT ?"
        rows = self._db.execute(query + order + " OFFSET ?", (min(size, count), start)).fetchall()
        while rows and count > 0:
            for row in rows[:count]:
                severity, code, message, file, line, column, path, hint = pickle.loads(row[6])
                yield Diagnostic(Severity(severity), code, message, file, line, column, path, hint)
            count -= len(rows)
            if len(rows) < size:
                return
            rows = self._db.execute(query + " WHERE (file, line, col, path, code, seq) > (?, ?, ?, ?, ?, ?)" + order,
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
    whether one is there (:meth:`named`). A record read is a copy: store it again to change it."""

    def __init__(self) -> None:
        self._db = open_scratch()
        self._db.execute("CREATE TABLE rows (seq INTEGER PRIMARY KEY, name BLOB, record BLOB)")
        self._db.execute("CREATE INDEX names ON rows (name)")
        self._count = 0

    def append(self, record: T, name: str | None = None) -> int:
        """Add ``record`` at the end; its position."""
        self._db.execute("INSERT INTO rows VALUES (?, ?, ?)",
                         (self._count, None if name is None else _text(name), _dump(record)))
        self._count += 1
        return self._count - 1

    def __setitem__(self, index: int, record: T) -> None:
        """Replace the record at ``index`` (keeping its name)."""
        if not 0 <= index < self._count:
            raise IndexError(index)
        self._db.execute("UPDATE rows SET record = ? WHERE seq = ?", (_dump(record), index))

    def named(self, name: str) -> bool:
        """Whether a record was added under ``name``."""
        return self._db.execute("SELECT 1 FROM rows WHERE name = ?", (_text(name),)).fetchone() is not None

    def find(self, name: str) -> T | None:
        """The first record added under ``name``; ``None`` when there is none."""
        row = self._db.execute("SELECT record FROM rows WHERE name = ? ORDER BY seq LIMIT 1",
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
            rows = self._db.execute("SELECT record FROM rows WHERE seq >= ? AND seq < ? ORDER BY seq",
                                    (first, min(first + size, start + count))).fetchall()
            yield from (pickle.loads(row[0]) for row in rows)
