"""What a repo build keeps per file, on disk rather than in the build's own memory.

A build reports every file's problems together at the end and writes a manifest record for
every document and data file; held as Python objects, these made the parent process grow by
some 7 MB per thousand files (issue #18). Here each kind keeps its first :data:`IN_MEMORY`
in memory and, past that, all of them in a private temporary SQLite database (an unnamed file in
the system's temporary folder, gone when the build ends, however it ends) with a small page
cache, so the parent's memory does not grow with the repo. Records on disk are pickled, or
marshalled as the tuple of their fields (:func:`fields_of`, for the records a build has
thousands of): the file is this process's own scratch space, never read by anything else.

Writes wait in memory, already encoded, until :data:`BATCH` of them have come (or something
is read back): one statement a batch, not one a record, which made a no-change build of a
thousand files half as slow again as with everything in memory. A read looks at them first.

Strings are stored as UTF-8 with ``surrogatepass`` (a file name that is not valid UTF-8 is
kept, not refused), so the database orders them as Python orders ``str``: by code point. What
is stored is handed to SQLite as a ``bytearray``: the ``sqlite3`` module binds one as it is,
but looks for an adapter for every ``bytes`` or ``None`` (on Python 3.11, a microsecond each,
as long as the rest of an insert).
"""

from __future__ import annotations

import dataclasses
import marshal
import operator
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from typing import Any, Generic, TypeVar, overload

from ..diagnostics import Diagnostic, Severity, sort_key
from ..record import Record

T = TypeVar("T")

IN_MEMORY = 1000
"""Records (diagnostics, names) each table, log or list keeps in memory before it moves them
all to disk: a repo of a few hundred files pays nothing for the disk, a large one holds no more
than this many of each (some 7 MB in all)."""

BATCH = 128
"""Records each table or log keeps encoded in memory before it writes them in one statement (the
rows of one statement cost little more than one row; a few hundred KB at most in all)."""

CHUNK = 64
"""Records of a :class:`Rows` stored in one row of its database."""

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


def _text(value: str) -> bytearray:
    return bytearray(value, "utf-8", "surrogatepass")


def _str(value: bytes) -> str:
    return value.decode("utf-8", "surrogatepass")


def _dump(value: Any) -> bytearray:
    return bytearray(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


class Codec(Record, Generic[T]):
    """How a collection's records are stored on disk."""

    dump: Callable[[T], bytearray]
    load: Callable[[bytes | bytearray], T]


PICKLED: Codec[Any] = Codec(_dump, pickle.loads)

MARSHALLED: Codec[Any] = Codec(lambda value: bytearray(marshal.dumps(value)), marshal.loads)
"""For values of plain data only (``str``, ``int``, ``None``, tuples, lists and dicts of them)."""


def fields_of(cls: type[T]) -> Codec[T]:
    """Records of the dataclass ``cls`` stored as the tuple of their fields, marshalled: a third
    of the time of pickling the object, each way. Only for fields of plain data (``str``,
    ``int``, ``None``, lists and dicts of them), which marshal keeps exactly; anything else
    raises ``ValueError`` when stored."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    assert len(names) > 1, cls  # attrgetter of one name gives the value, not a tuple
    fields = operator.attrgetter(*names)
    return Codec(lambda record: bytearray(marshal.dumps(fields(record))), lambda data: cls(*marshal.loads(data)))


class Table(MutableMapping[str, T], Generic[T]):
    """A mapping of names to values (any picklable objects, or what ``codec`` stores), iterated
    in the names' order (``sorted``'s), a page at a time, so it may change during the iteration
    (a name deleted before it is reached is not met).

    Kept as a dict up to :data:`IN_MEMORY` names, on disk past that. Store a value again after
    changing it (``table[name] = record``): on disk, a value read is a copy.
    """

    def __init__(self, items: Iterable[tuple[str, T]] = (), codec: Codec[T] = PICKLED) -> None:
        self._memory: dict[str, T] | None = {}
        self._db: sqlite3.Connection | None = None
        self._codec = codec
        self._pending: dict[str, bytearray] = {}
        """Values stored since the last write to disk (encoded), by name."""
        self.update(items)

    def _spill(self) -> sqlite3.Connection:
        """Move the values to disk (once there are more than :data:`IN_MEMORY`)."""
        if self._db is None:
            self._db = open_scratch()
            self._db.execute("CREATE TABLE records (name BLOB PRIMARY KEY, value BLOB) WITHOUT ROWID")
            held, self._memory = self._memory or {}, None
            dump = self._codec.dump
            self._db.executemany("INSERT INTO records VALUES (?, ?)",
                                 ((_text(name), dump(value)) for name, value in held.items()))
        return self._db

    def _flush(self) -> sqlite3.Connection:
        """Write the values waiting in memory; the database, up to date."""
        db = self._spill()
        if self._pending:
            db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?)",
                           ((_text(name), value) for name, value in self._pending.items()))
            self._pending.clear()
        return db

    def _put(self, name: str, value: T) -> None:
        """Store ``name`` on disk (in the next batch)."""
        self._pending[name] = self._codec.dump(value)
        if len(self._pending) >= BATCH:
            self._flush()

    def _stored(self, name: str) -> bytes | bytearray | None:
        """The encoded value of ``name`` on disk (or waiting to be written); ``None`` if none."""
        value = self._pending.get(name)
        if value is None:
            row = self._spill().execute("SELECT value FROM records WHERE name = ?", (_text(name),)).fetchone()
            value = None if row is None else row[0]
        return value

    def __getitem__(self, name: str) -> T:
        if self._memory is not None:
            return self._memory[name]
        value = self._stored(name)
        if value is None:
            raise KeyError(name)
        return self._codec.load(value)

    def get(self, name: str, default: Any = None) -> Any:
        """The value of ``name``, or ``default`` (without raising and catching ``KeyError``:
        a build asks this of every document)."""
        if self._memory is not None:
            return self._memory.get(name, default)
        value = self._stored(name)
        return default if value is None else self._codec.load(value)

    def __setitem__(self, name: str, value: T) -> None:
        if self._memory is not None and (len(self._memory) < IN_MEMORY or name in self._memory):
            self._memory[name] = value
            return
        self._spill()
        self._put(name, value)

    def setdefault(self, name: str, default: T) -> T:  # type: ignore[override]
        """The value of ``name``, storing ``default`` first when there is none."""
        if self._memory is not None and name in self._memory:
            return self._memory[name]
        if self._memory is not None:
            self[name] = default
            return default
        value = self._stored(name)
        if value is not None:
            return self._codec.load(value)
        self._put(name, default)
        return default

    def update(self, items: Iterable[tuple[str, T]] = (), /, **_: T) -> None:  # type: ignore[override]
        """Store many (name, value) at once (on disk, a batch a statement: a manifest's thousands)."""
        for name, value in items:
            self[name] = value

    def __delitem__(self, name: str) -> None:
        if self._memory is not None:
            del self._memory[name]
            return
        waiting = self._pending.pop(name, None)
        if not self._spill().execute("DELETE FROM records WHERE name = ?", (_text(name),)).rowcount and waiting is None:
            raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        if self._memory is not None:
            return name in self._memory
        return isinstance(name, str) and (name in self._pending or self._spill().execute(
            "SELECT 1 FROM records WHERE name = ?", (_text(name),)).fetchone() is not None)

    def __len__(self) -> int:
        if self._memory is not None:
            return len(self._memory)
        count: int = self._flush().execute("SELECT count(*) FROM records").fetchone()[0]
        return count

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._walk(decode=False))

    def items(self) -> Iterator[tuple[str, T]]:  # type: ignore[override]
        """Every (name, value) in the names' order."""
        return self._walk(decode=True)  # type: ignore[return-value]

    def _walk(self, decode: bool) -> Iterator[tuple[str, object]]:
        """Every (name, value) in the names' order; values on disk are decoded only if asked."""
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
        load = self._codec.load
        for name, value in self._pages(after):
            yield name, load(value) if decode else value

    def _pages(self, after: str | None = None, size: int = 512) -> Iterator[tuple[str, bytes]]:
        """The rows after the name ``after`` (all of them for ``None``), a page at a time (the
        values waiting in memory written first, before each page)."""
        query = "SELECT name, value FROM records {} ORDER BY name LIMIT ?"
        rows = self._flush().execute(query.format(""), (size,)).fetchall() if after is None else \
            self._flush().execute(query.format("WHERE name > ?"), (_text(after), size)).fetchall()
        while True:
            yield from ((_str(name), value) for name, value in rows)
            if len(rows) < size:
                return
            rows = self._flush().execute(query.format("WHERE name > ?"), (rows[-1][0], size)).fetchall()


class _Stored(Sequence[T]):
    """A sequence of :attr:`_count` records that :meth:`_read` gives back in order: indexing
    and slicing read only what is asked for."""

    _count: int

    def _read(self, start: int, count: int) -> Iterator[T]:
        raise NotImplementedError

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
            if step != 1:  # every record between, then every step-th of them (backwards too)
                return list(self._read(0, self._count))[index]
            return list(self._read(start, max(0, stop - start)))
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        return next(self._read(index, 1))


class DiagnosticLog(_Stored[Diagnostic]):
    """Diagnostics as they arrive, read back in the order a report shows them: by
    :func:`~dangjian_docs.diagnostics.sort_key`, then in order of arrival (as a stable sort).
    Kept as a list up to :data:`IN_MEMORY`, on disk past that."""

    def __init__(self, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self._memory: list[Diagnostic] | None = []
        self._db: sqlite3.Connection | None = None
        self._count = self._errors = self._warnings = 0
        self._pending: list[tuple[object, ...]] = []
        """Rows not written yet (on disk, up to :data:`BATCH`)."""
        self.extend(diagnostics)

    def _spill(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = open_scratch()
            # kept in the order read back: one tree to write, not a table and an index
            self._db.execute("CREATE TABLE log (file BLOB, line INTEGER, col INTEGER, path BLOB, code BLOB, "
                             "seq INTEGER, body BLOB, PRIMARY KEY (file, line, col, path, code, seq)) WITHOUT ROWID")
            held, self._memory, self._count = self._memory or [], None, 0
            self._db.executemany("INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?)", map(self._row, held))
        return self._db

    def _flush(self) -> sqlite3.Connection:
        """Write the rows waiting in memory; the database, up to date."""
        db = self._spill()
        if self._pending:
            db.executemany("INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?)", self._pending)
            self._pending.clear()
        return db

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
        self._pending.extend(map(self._row, diagnostics))
        if len(self._pending) >= BATCH:
            self._flush()

    def has_errors(self, *, strict: bool = False) -> bool:
        """:func:`~dangjian_docs.diagnostics.has_errors` without reading them back."""
        return bool(self._errors or (strict and self._warnings))

    def tally(self) -> tuple[int, int, int]:
        """Errors, warnings and notes (the rest), counted as they came: a report's closing count
        without reading them back."""
        return self._errors, self._warnings, self._count - self._errors - self._warnings

    def _counted(self, d: Diagnostic) -> Diagnostic:
        self._errors += d.severity is Severity.ERROR
        self._warnings += d.severity is Severity.WARNING
        return d

    def _row(self, d: Diagnostic) -> tuple[object, ...]:
        """The row of ``d``, numbered in order of arrival."""
        self._count += 1
        return (_text(d.file or ""), d.line or 0, d.column or 0, _text(d.path), _text(d.code), self._count - 1,
                _dump((d.severity.value, d.code, d.message, d.file, d.line, d.column, d.path, d.hint)))

    def __iadd__(self, diagnostics: Iterable[Diagnostic]) -> DiagnosticLog:
        self.extend(diagnostics)
        return self

    def _read(self, start: int, count: int, size: int = 512) -> Iterator[Diagnostic]:
        """``count`` diagnostics from position ``start``, a page at a time (the index is walked in
        order; a page's last key says where the next begins)."""
        if self._memory is not None:
            yield from sorted(self._memory, key=sort_key)[start:start + count]
            return
        query = "SELECT file, line, col, path, code, seq, body FROM log"
        order = " ORDER BY file, line, col, path, code, seq LIMIT ?"
        rows = self._flush().execute(query + order + " OFFSET ?", (min(size, count), start)).fetchall()
        while rows and count > 0:
            for row in rows[:count]:
                severity, code, message, file, line, column, path, hint = pickle.loads(row[6])
                yield Diagnostic(Severity(severity), code, message, file, line, column, path, hint)
            count -= len(rows)
            if len(rows) < size:
                return
            rows = self._flush().execute(
                query + " WHERE (file, line, col, path, code, seq) > (?, ?, ?, ?, ?, ?)" + order,
                (*rows[-1][:6], min(size, count))).fetchall()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (DiagnosticLog, list)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DiagnosticLog({self._count} diagnostics)"


class Rows(_Stored[T]):
    """Records (any picklable objects, or what ``codec`` stores) in order of arrival, each with
    an optional name to ask whether one is there (:meth:`named`). Kept as a list up to
    :data:`IN_MEMORY`, on disk past that: store a record again after changing it
    (``rows[i] = record``).

    On disk, :data:`CHUNK` records go in one row of the database: records are written once,
    read back in order and seldom changed, and one statement a record cost more than the
    record. The chunk being filled and the chunk last read stay in memory (encoded)."""

    def __init__(self, codec: Codec[T] = PICKLED) -> None:
        self._memory: list[tuple[str | None, T]] | None = []
        self._names: dict[str, int] = {}
        self._db: sqlite3.Connection | None = None
        self._codec = codec
        self._count = 0
        self._filling: list[bytes | bytearray] = []
        """The last records, not a whole chunk yet."""
        self._named: list[tuple[bytearray, int]] = []
        """(name, position) of records named since the names were last written."""
        self._chunk: tuple[int, list[bytes | bytearray]] | None = None
        """The chunk last read back: its first position and its records."""
        self._changed = False
        """Whether :attr:`_chunk` has changed since it was read."""

    def _spill(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = open_scratch()
            self._db.execute("CREATE TABLE chunks (first INTEGER PRIMARY KEY, records BLOB)")
            self._db.execute("CREATE TABLE names (name BLOB, seq INTEGER, PRIMARY KEY (name, seq)) WITHOUT ROWID")
            held, self._memory, self._names, self._count = self._memory or [], None, {}, 0
            for name, record in held:
                self.append(record, name)
        return self._db

    def _with_names(self) -> sqlite3.Connection:
        """The database, with every name written."""
        db = self._spill()
        if self._named:
            db.executemany("INSERT INTO names VALUES (?, ?)", self._named)
            self._named.clear()
        return db

    def append(self, record: T, name: str | None = None) -> int:
        """Add ``record`` at the end; its position."""
        if self._memory is not None and self._count < IN_MEMORY:
            self._memory.append((name, record))
            if name is not None:
                self._names.setdefault(name, self._count)
            self._count += 1
            return self._count - 1
        self._spill()
        self._filling.append(self._codec.dump(record))
        if name is not None:
            self._named.append((_text(name), self._count))
        self._count += 1
        if len(self._filling) == CHUNK:
            self._with_names().execute("INSERT INTO chunks VALUES (?, ?)",
                                       (self._count - CHUNK, bytearray(marshal.dumps(self._filling))))
            self._filling = []
        return self._count - 1

    def _records(self, first: int) -> list[bytes | bytearray]:
        """The chunk starting at position ``first`` (a multiple of :data:`CHUNK`), encoded."""
        if first == self._count - len(self._filling):
            return self._filling
        if self._chunk is None or self._chunk[0] != first:
            self._write_back()
            row = self._spill().execute("SELECT records FROM chunks WHERE first = ?", (first,)).fetchone()
            self._chunk = (first, marshal.loads(row[0]))
        return self._chunk[1]

    def _write_back(self) -> None:
        """Store the chunk last read again if a record of it was replaced."""
        if self._chunk is not None and self._changed:
            self._spill().execute("UPDATE chunks SET records = ? WHERE first = ?",
                                  (bytearray(marshal.dumps(self._chunk[1])), self._chunk[0]))
            self._changed = False

    def __setitem__(self, index: int, record: T) -> None:
        """Replace the record at ``index`` (keeping its name)."""
        if not 0 <= index < self._count:
            raise IndexError(index)
        if self._memory is not None:
            self._memory[index] = (self._memory[index][0], record)
            return
        first = index - index % CHUNK
        records = self._records(first)
        records[index - first] = self._codec.dump(record)
        if records is not self._filling:
            self._changed = True

    def named(self, name: str) -> bool:
        """Whether a record was added under ``name``."""
        if self._memory is not None:
            return name in self._names
        return self._with_names().execute("SELECT 1 FROM names WHERE name = ?", (_text(name),)).fetchone() is not None

    def find(self, name: str) -> T | None:
        """The first record added under ``name``; ``None`` when there is none."""
        if self._memory is not None:
            index = self._names.get(name)
            return None if index is None else self._memory[index][1]
        row = self._with_names().execute("SELECT min(seq) FROM names WHERE name = ?", (_text(name),)).fetchone()
        return None if row[0] is None else self[row[0]]

    def _read(self, start: int, count: int) -> Iterator[T]:
        """``count`` records from position ``start``, a chunk at a time (so that records added
        meanwhile, which may move the rest to disk, do not disturb the reading)."""
        load, stop = self._codec.load, start + count
        while start < stop:
            first = start - start % CHUNK
            if self._memory is not None:
                yield from (record for _, record in self._memory[start:min(stop, first + CHUNK)])
            else:
                yield from map(load, self._records(first)[start - first:stop - first])
            start = first + CHUNK

