"""Writing a build's documents as one set: all new files or all old ones, never a mix.

A build writes several documents into one folder. :func:`write_set` takes the folder's lock,
finishes or clears whatever an interrupted build left, writes every document to a temporary
file (flushed to disk), and only then renames them into place, recording the renames in a
small journal first. If anything fails before the last rename the old files are put back; if
the process is killed during the renames, the next build finds the journal and completes them.
Temporary files, backups, the journal and the lock all start with ``.dangjian-`` so that a
build can recognise and remove its own leftovers without touching anything else.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import re
import stat
import sys
import time
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from .diagnostics import Diagnostic, Severity, display_path
from .inputs import Refused, read_bounded
from .record import Record

_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')

PREFIX = ".dangjian-"
"""Every file of the writer's own starts with this (the data repo's manifest does too)."""
TEMP_PREFIX = PREFIX + "tmp-"
BACKUP_PREFIX = PREFIX + "bak-"
JOURNAL_NAME = PREFIX + "journal.json"
LOCK_NAME = PREFIX + "lock"
LOCK_TIMEOUT = 60.0
"""Seconds a build waits for another build writing into the same folder before giving up."""
MAX_NAME_BYTES = 240
"""File systems hold 255 bytes a name; Chinese takes 3 bytes a character in UTF-8."""

TEST_DELAY_ENV = "DANGJIAN_DOCS_TEST_WRITE_DELAY"
"""Seconds to pause between the write steps; only tests/test_kill.py sets it, to kill a build
inside the write window."""

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                     *(f"{d}{n}" for d in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³"))}
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}

_REASONS = {
    errno.ENOTDIR: "路径中有一部分是文件而不是文件夹",
    errno.EEXIST: "路径中有一部分是文件而不是文件夹",
    errno.EISDIR: "同名的文件夹已经存在",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的",
    errno.EBUSY: "文件正被其他程序占用",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOENT: "文件夹不存在或在写入时被删除",
    errno.ELOOP: "路径中有不允许的符号链接",
    errno.EIO: "磁盘读写出错",
    getattr(errno, "EDQUOT", -1): "磁盘配额已用完",  # not on every system
    errno.EFBIG: "文件超过了磁盘允许的大小",
    errno.EMFILE: "打开的文件过多",
    errno.EINVAL: "文件名或路径不合法",
    getattr(errno, "ETXTBSY", -2): "文件正被其他程序占用",
}


def reason(exc: OSError) -> str:
    """Why a write failed, in the clerk's words (the system's own words only for rare errors)."""
    known = _REASONS.get(exc.errno or 0)
    return known or f"系统报告的错误：{exc.strerror or exc}"


class WriteFailure(Exception):
    """Writing the set failed at ``path``; nothing of the set was left in place."""

    def __init__(self, path: Path, cause: OSError | str, *, settled: bool = True) -> None:
        self.path = path
        self.cause = cause
        self.settled = settled
        """``False`` when the old files could not all be put back; the next build retries."""
        super().__init__(f"{path}: {cause}")

    @property
    def reason(self) -> str:
        return reason(self.cause) if isinstance(self.cause, OSError) else self.cause


# ---------------------------------------------------------------------------- file names

def safe_filename(title: str, suffix: str = ".docx") -> str:
    """A file name from a document title, legal on Windows, macOS and Linux.

    Characters no system allows in a name are dropped; whether what is left may be used at
    all (blank, reserved on Windows, invisible characters) is :func:`name_problem`'s question.
    """
    name = _UNSAFE_IN_NAME.sub("", title).strip(" .")
    name = name[:120]
    while len((name + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    return name.rstrip(" .") + suffix


def name_problem(title: str) -> str | None:
    """Why ``title`` cannot name a file (in Chinese), or ``None`` when it can."""
    for char in title:
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            return (f"标题中有看不见的控制字符或文字方向控制字符（U+{ord(char):04X}），"
                    "会让文件名显示得与实际不同")
    stem = safe_filename(title, "")
    if not stem.strip():
        return "标题去掉文件名不能使用的字符（\\ / : * ? \" < > |）和首尾的点、空格后是空的"
    base = stem.split(".", 1)[0].rstrip(" ").upper()
    if base in _WINDOWS_RESERVED:
        return f"“{base}”是 Windows 保留的设备名，不能用作文件名"
    return None


def clash_key(name: str) -> str:
    """Names equal under this key are one file on Windows and macOS (case and normalisation)."""
    return unicodedata.normalize("NFC", name).casefold()


# ---------------------------------------------------------------------------- what a user is told
# One constructor for each of the three ways a document cannot be written under its name, used
# by single-file builds, many-file builds, the data repo and the API alike.

def bad_file_name(label: str, why: str, file: str | None, path: str, retitle: str = "") -> Diagnostic:
    """``label``'s title cannot name a file: ``path`` is the data path that set the title,
    ``retitle`` where the user can give another (the same, when not given)."""
    return Diagnostic(Severity.ERROR, "bad-file-name", f"{label}的标题不能用作文件名：{why}。",
                      file=file, path=path, hint=f"请在 {retitle or path} 中另拟一个标题（文件以标题命名）。")


def name_clash(name: str, this: str, other: str, file: str | None, *, path: str = "", hint: str) -> Diagnostic:
    """``this`` document would get the file name ``name`` that ``other`` already has."""
    return Diagnostic(Severity.ERROR, "name-clash",
                      f"{this}与{other}文件同名（{name}，不区分大小写），后者会覆盖前者。",
                      file=file, path=path, hint=hint)


def write_failed(path: Path, why: str, hint: str = "请检查输出文件夹是否存在、是否有写入权限，"
                 "以及同名文件是否正在 Word/WPS 中打开。") -> Diagnostic:
    """A document (or a file of ``init``) could not be written at ``path``; ``why`` from :func:`reason`."""
    return Diagnostic(Severity.ERROR, "write-failed", f"无法写入文件（{why}）。", file=display_path(path), hint=hint)


# ---------------------------------------------------------------------------- the set

class _Entry(Record):
    final: str
    temp: str
    backup: str | None


def write_set(folder: str | Path, documents: Sequence[tuple[str, bytes]], *,
              lock_timeout: float = LOCK_TIMEOUT) -> list[Path]:
    """Write ``documents`` (file name, content) into ``folder``: all of them, or none.

    Raises :class:`WriteFailure` naming the file that could not be written; the folder then
    holds exactly what it held before (apart from our own leftovers, which are cleared).
    New files get the permissions the umask allows; a replaced file keeps its permissions.
    """
    folder = Path(folder)
    seen: set[str] = set()
    for name, _ in documents:  # callers check titles first; this keeps every write inside the folder
        if (name != Path(name).name or name in ("", ".", "..", JOURNAL_NAME, LOCK_NAME)
                or name.startswith((TEMP_PREFIX, BACKUP_PREFIX))):
            raise WriteFailure(folder / name, "文件名不合法")
        if clash_key(name) in seen:
            raise WriteFailure(folder / name, "同一套文稿中有两份文件名相同（不区分大小写）")
        seen.add(clash_key(name))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteFailure(folder, exc) from None
    with _locked(folder, lock_timeout):
        try:
            recover(folder)
            _clear_old_temporaries(folder, [name for name, _ in documents])
        except OSError as exc:
            raise WriteFailure(folder, exc) from None
        entries: list[_Entry] = []
        journalled = False
        try:
            for name, content in documents:
                entries.append(_Entry(name, _write_temp(folder, name, content), None))
                _pause()
            for i, entry in enumerate(entries):  # one at a time: a failure knows what to clear
                entries[i] = _with_backup(folder, entry)
            _write_journal(folder, entries, forward=True)
            journalled = True
            _pause()
            _commit(folder, entries)
        except BaseException as exc:
            settled = not journalled or (isinstance(exc, WriteFailure) and exc.settled)
            if journalled and not isinstance(exc, WriteFailure):
                try:  # interrupted while renaming (Ctrl+C): finish the set now
                    recover(folder)
                    settled = True
                except OSError:
                    pass
            if settled:  # otherwise the journal and backups stay for the next build to settle
                for entry in entries:
                    _remove(folder / entry.temp)
                    if entry.backup:
                        _remove(folder / entry.backup)
                _remove(folder / JOURNAL_NAME)
            if isinstance(exc, OSError):  # the journal or a backup could not be written
                raise WriteFailure(folder, exc, settled=settled) from None
            raise
    return [folder / name for name, _ in documents]


def recover(folder: Path) -> None:
    """Finish or undo a set whose renames were interrupted; remove our temporaries and backups.

    A journal marked forward means every temporary had been written in full before the first
    rename, so the renames are completed; one marked back means a rename had failed and the
    old files are put back. Anything else of ours is a leftover. Call with the lock held.
    """
    journal = folder / JOURNAL_NAME
    if journal.is_file():
        forward, entries = _read_journal(journal)
        if forward:
            try:
                for entry in entries:
                    if (folder / entry.temp).exists():
                        os.replace(folder / entry.temp, folder / entry.final)
            except OSError:
                with contextlib.suppress(OSError):
                    _write_journal(folder, entries, forward=False)
                forward = False
        if not forward:
            _undo(folder, entries)
        _sync_folder(folder)
        journal.unlink()
        _sync_folder(folder)
    for leftover in folder.iterdir():
        if leftover.name.startswith((TEMP_PREFIX, BACKUP_PREFIX)) and not leftover.is_dir():
            _remove(leftover)


def settle(folder: Path, lock_timeout: float = LOCK_TIMEOUT) -> None:
    """:func:`recover` with ``folder``'s lock held: a set another build is writing there now is
    left alone until it is done, and a set a killed build left is completed, not torn."""
    with _locked(folder, lock_timeout):
        recover(folder)


def _clear_old_temporaries(folder: Path, names: Sequence[str]) -> None:
    """Remove what versions before the set writer left when killed: ``.<stem>.<8 chars>.tmp``."""
    stems = {Path(name).stem[:40] for name in names}
    for leftover in folder.iterdir():
        match = _OLD_TEMPORARY.fullmatch(leftover.name)
        if match and match.group(1) in stems and leftover.is_file():
            _remove(leftover)


_OLD_TEMPORARY = re.compile(r"\.(.+)\.[a-z0-9_]{8}\.tmp")


def _read_journal(journal: Path) -> tuple[bool, list[_Entry]]:
    """The journal's direction and renames; names that are not plain names of ours are ignored."""
    try:
        raw = json.loads(read_bounded(journal, 1 << 20))  # ours are a few hundred bytes
        forward = raw["forward"] is True
        entries = [_Entry(str(e["final"]), str(e["temp"]), e["backup"] and str(e["backup"]))
                   for e in raw["entries"]]
    except (Refused, ValueError, TypeError, KeyError):
        return False, []

    def plain(name: str | None) -> bool:
        return name is None or (name == Path(name).name and name not in ("", ".", ".."))

    return forward, [e for e in entries
                     if plain(e.final) and plain(e.temp) and plain(e.backup)
                     and e.temp.startswith(TEMP_PREFIX)
                     and (e.backup is None or e.backup.startswith(BACKUP_PREFIX))]


def _write_temp(folder: Path, name: str, content: bytes) -> str:
    """A temporary file beside the final one, flushed to disk, with the final file's mode."""
    try:
        fd, temp = open_temporary(folder)
    except OSError as exc:
        raise WriteFailure(folder / name, exc) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        kept = kept_mode(folder / name)
        if kept is not None:
            os.chmod(temp, kept)
    except OSError as exc:
        _remove(Path(temp))
        raise WriteFailure(folder / name, exc) from None
    return Path(temp).name


_serial = itertools.count()


def open_temporary(folder: Path) -> tuple[int, str]:
    """A new temporary file in ``folder``, open for writing, with the permissions ``open()``
    gives a new file (the umask applied by the system, not read by us for every document).

    Created exclusively (never through a link a data repo may have planted) and named by this
    process and a counter (``tempfile.mkstemp`` draws random names, a cost paid per document):
    a name left by a killed build is skipped, as is one another process made."""
    while True:
        temp = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{next(_serial)}.tmp")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | _BINARY, 0o666), temp
        except FileExistsError:
            continue


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def kept_mode(path: Path) -> int | None:
    """The permissions of the regular file ``path`` replaces, which its replacement keeps;
    ``None`` when there is none (a new file keeps what :func:`open_temporary` gave it)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None


def _with_backup(folder: Path, entry: _Entry) -> _Entry:
    """Keep the file ``entry`` replaces under a backup name, so a failed set can put it back."""
    final = folder / entry.final
    try:
        info = final.lstat()
    except FileNotFoundError:
        return entry
    except OSError as exc:
        raise WriteFailure(final, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise WriteFailure(final, "同名的文件夹已经存在")
    backup = folder / f"{BACKUP_PREFIX}{entry.temp[len(TEMP_PREFIX):]}"
    try:
        try:
            os.link(final, backup, follow_symlinks=False)
        except (OSError, NotImplementedError):  # no hard links here: copy instead
            import shutil

            shutil.copy2(final, backup, follow_symlinks=False)
    except OSError as exc:
        raise WriteFailure(final, exc) from None
    return _Entry(entry.final, entry.temp, backup.name)


def _write_journal(folder: Path, entries: list[_Entry], *, forward: bool) -> None:
    """Record, durably and before acting, which renames are to be done or undone."""
    text = json.dumps({"forward": forward, "entries": [e.__dict__ for e in entries]},
                      ensure_ascii=False)
    import tempfile

    fd, temp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, folder / JOURNAL_NAME)
    except BaseException:
        _remove(Path(temp))
        raise
    _sync_folder(folder)


def _commit(folder: Path, entries: list[_Entry]) -> None:
    """Rename every temporary into place; if one fails, put back those already renamed."""
    for entry in entries:
        try:
            os.replace(folder / entry.temp, folder / entry.final)
        except OSError as exc:
            with contextlib.suppress(OSError):  # so that a kill while undoing is undone too
                _write_journal(folder, entries, forward=False)
            try:
                _undo(folder, entries)
            except OSError:
                raise WriteFailure(folder / entry.final, exc, settled=False) from None
            _sync_folder(folder)
            raise WriteFailure(folder / entry.final, exc) from None
        _pause()
    _sync_folder(folder)
    (folder / JOURNAL_NAME).unlink()
    for entry in entries:
        if entry.backup:
            _remove(folder / entry.backup)
    _sync_folder(folder)


def _undo(folder: Path, entries: list[_Entry]) -> None:
    """Put back the old file of every entry already renamed (its temporary is gone)."""
    for entry in entries:
        if (folder / entry.temp).exists():
            continue  # never renamed: the old file is still in place
        if entry.backup is None:
            _remove(folder / entry.final)  # there was no old file
        elif (folder / entry.backup).exists():
            os.replace(folder / entry.backup, folder / entry.final)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _sync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (POSIX; Windows has no directory handles to sync)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _pause() -> None:
    delay = os.environ.get(TEST_DELAY_ENV)
    if delay:
        time.sleep(float(delay))


# ---------------------------------------------------------------------------- the lock

@contextlib.contextmanager
def _locked(folder: Path, timeout: float) -> Iterator[None]:
    """Hold ``folder``'s lock: a second build waits (up to ``timeout``) instead of interleaving.

    The lock is the operating system's lock on ``.dangjian-lock``, so a killed build never
    leaves it held. On POSIX the lock file is removed on release; a waiter that locked the
    removed file notices (its inode is no longer the folder's) and tries again.
    """
    path = folder / LOCK_NAME
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError as exc:
            raise WriteFailure(folder, exc) from None  # the folder is what the clerk can fix
        if _try_lock(fd):
            if sys.platform == "win32" or _same_file(fd, path):
                break
            _unlock(fd)
        os.close(fd)
        if time.monotonic() > deadline:
            raise WriteFailure(folder, "另一个生成过程正在向这个文件夹写入文稿，等待超时")
        time.sleep(0.05)
    try:
        yield
    finally:
        if sys.platform != "win32":
            _remove(path)
        _unlock(fd)
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        mine, now = os.fstat(fd), path.stat()
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (now.st_dev, now.st_ino)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:  # held by another build; any other error: no locks here
            return exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES)
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
