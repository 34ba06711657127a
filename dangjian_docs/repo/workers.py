"""The work done per data file, and running it across processes.

Two kinds of task, both plain data in and plain data out so they travel to worker processes:
:func:`check` validates one file and names its documents; :func:`make` renders the documents
of one file that need it and writes those whose bytes changed. A process keeps the typed model
of each file it checked, so a file checked and built by the same process is validated once.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..diagnostics import DangjianError, Diagnostic, Severity
from .config import KIND_NAMES
from .manifest import digest_bytes

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class CheckTask:
    path: str
    shown: str
    digest: str
    rules: list[Any] | None
    """The repo's shared rules (plain data), added to the file's own; the file's win."""


@dataclass
class CheckResult:
    shown: str
    diagnostics: list[Diagnostic]
    names: dict[str, str | None] = field(default_factory=dict)
    """Kind → the document's title (which names its file), ``None`` when the data cannot make it."""
    role: str = "year"
    """``year`` (one organisation's year: its own documents) or ``region`` (a roll-up's region
    file, which makes no document of its own; the roll-up stage reads it with the year files)."""
    inputs: tuple[str, ...] = ()
    """For a region file: every file its roll-up reads (itself, the institutions', last year's)."""


@dataclass(frozen=True)
class Job:
    kind: str
    output: str
    """The file to write (absolute)."""
    template: str | None
    rewrite: bool
    """Write even when the file on disk already has these bytes (``--force``)."""


@dataclass(frozen=True)
class MakeTask:
    check: CheckTask
    jobs: tuple[Job, ...]


@dataclass
class Made:
    kind: str
    output: str
    status: str
    """``built`` (written), ``same`` (rendered, identical to the file on disk), ``failed``."""
    sha256: str = ""
    size: int = 0
    mtime_ns: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


_checked: dict[tuple[str, str], Any] = {}
"""(path, digest) → YearData, for files this process validated and has not built yet."""


def merge_rules(data: Any, shared: list[Any] | None) -> None:
    """Add the shared rules to a file's data; a rule of the file's own for the same activity wins."""
    if not shared or not isinstance(data, dict):
        return
    own = data.get("rules")
    if own is None:
        data["rules"] = list(shared)
    elif isinstance(own, list):
        mine = {r.get("activity") for r in own if isinstance(r, dict)}
        data["rules"] = own + [r for r in shared if r.get("activity") not in mine]


def check(task: CheckTask) -> CheckResult:
    """Validate one data file (with the shared rules) and name the documents it can make."""
    from ..api import document_title
    from ..loading import load
    from ..validation import validate

    try:
        source = load(task.path)
    except DangjianError as exc:
        return CheckResult(task.shown, exc.diagnostics)
    source.path = task.shown
    if is_region_data(source.data):
        return check_region(source, task)
    merge_rules(source.data, task.rules)
    result = validate(source)
    names: dict[str, str | None] = {}
    if result.year is not None:
        names = {kind: document_title(result.year, kind) for kind in KIND_NAMES}
        _checked[(task.path, task.digest)] = result.year
    return CheckResult(task.shown, result.diagnostics + getattr(result, "notes", []), names)


def check_region(source: Any, task: CheckTask) -> CheckResult:
    """Validate a region file with the files it names; their own problems are reported by their
    own checks, so only the region's (and the continuity warnings across years) are kept."""
    from ..documents.rollup import KIND
    from ..region import validate_region

    result = validate_region(source)
    own = [d for d in result.diagnostics if d.file == task.shown or d.code == "member-continuity"]
    names: dict[str, str | None] = {KIND.name: KIND.title(result.rollup) if result.rollup else None}
    return CheckResult(task.shown, own, names, role="region", inputs=tuple(str(p) for p in result.inputs))


def is_region_data(data: Any) -> bool:
    """A region file (the county's roll-up input) rather than one organisation's year."""
    return isinstance(data, dict) and "region" in data and "organisation" not in data


def make(task: MakeTask) -> tuple[str, list[Made]]:
    """Render the documents of one data file that need it; write those whose bytes changed.

    Returns the data file's path with what became of each document.
    """
    return task.check.path, _make(task)


def _make(task: MakeTask) -> list[Made]:
    from ..api import render

    if any(job.kind == "rollup" for job in task.jobs):
        return [_make_rollup(task, job) for job in task.jobs]
    year = _checked.pop((task.check.path, task.check.digest), None)
    if year is None:
        checked = check(task.check)
        year = _checked.pop((task.check.path, task.check.digest), None)
        if year is None:  # the file changed since it was checked
            return [Made(job.kind, job.output, "failed", diagnostics=checked.diagnostics or [Diagnostic(
                Severity.ERROR, "changed-during-build", "数据文件在生成过程中被修改了。", file=task.check.shown,
                hint="请重新运行 build。")]) for job in task.jobs]
    made = []
    for job in task.jobs:
        try:
            content = render(year, job.kind, job.template)
        except DangjianError as exc:
            made.append(Made(job.kind, job.output, "failed", diagnostics=exc.diagnostics))
            continue
        made.append(_write(job, content))
    return made


def _make_rollup(task: MakeTask, job: Job) -> Made:
    """The roll-up of a region file: it reads the region and every file it names afresh."""
    from ..api import render_region

    try:
        _, content = render_region(task.check.path, template=job.template)
    except DangjianError as exc:
        return Made(job.kind, job.output, "failed", diagnostics=exc.diagnostics)
    return _write(job, content)


def _write(job: Job, content: bytes) -> Made:
    from ..diagnostics import display_path
    from ..writing import write_atomic

    path = Path(job.output)
    sha = digest_bytes(content)
    status = "built"
    if not job.rewrite and _same_bytes(path, content):
        status = "same"
    else:
        try:
            write_atomic(path, content)
        except Exception as exc:  # OSError, or the writer's own failure carrying a reason
            why = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
            return Made(job.kind, job.output, "failed", diagnostics=[Diagnostic(
                Severity.ERROR, "write-failed", f"无法写入文件（{why}）。", file=display_path(path),
                hint="请检查输出文件夹是否有写入权限，以及同名文件是否正在 Word/WPS 中打开。")])
    stat = path.stat()
    return Made(job.kind, job.output, status, sha, stat.st_size, stat.st_mtime_ns)


def _same_bytes(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


# -- running tasks ------------------------------------------------------------------------

def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_chunk(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(task) for task in chunk]


class Runner:
    """Runs tasks in this process (``jobs=1``) or in a pool of worker processes, kept for both stages."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=exc[0] is None, cancel_futures=True)

    def run(self, fn: Callable[[T], R], tasks: Sequence[T], chunk: int = 1) -> Iterable[R]:
        """Each result as soon as it is ready (in no particular order with several processes)."""
        if self.jobs == 1 or len(tasks) <= 1:
            for task in tasks:
                yield fn(task)
            return
        pool = self._ensure_pool()
        futures: list[Future[list[R]]] = [pool.submit(_run_chunk, fn, tasks[i:i + chunk])
                                          for i in range(0, len(tasks), chunk)]
        try:
            for future in as_completed(futures):
                yield from future.result()
        finally:
            for future in futures:
                future.cancel()

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # fork starts a worker in a millisecond with everything already imported; elsewhere
            # (macOS, Windows) the platform's safe default is used.
            context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context)
        return self._pool
