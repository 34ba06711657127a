"""The work done per data file, and running it across processes.

Two kinds of task, both plain data in and plain data out so they travel to worker processes:
:func:`check` validates one file and names its documents; :func:`make` renders the documents
of one file that need it and writes those whose bytes changed. A process keeps the typed models
of the files it checked (:class:`Shelf`: a fixed budget in memory, the rest in a temporary file),
so a file checked and built by the same process is validated once, and a build's memory does
not grow with the number of files.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import os
import pickle
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from ..diagnostics import DangjianError, Diagnostic, Severity
from ..inputs import Refused, confined, read_bounded
from ..record import Record
from ..rendering.script import Script
from .manifest import digest_bytes
from .spill import Table

if TYPE_CHECKING:  # the process pool is imported only when workers are started (``-j`` above 1)
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")


class CheckTask(Record):
    path: str
    shown: str
    digest: str
    rules: list[Any] | None
    """The repo's shared rules (plain data), added to the file's own; the file's win."""
    previous: str | None = None
    """The same organisation's file a year earlier, when the repo has one: its documents then
    say what changed, and its member count must carry over (``region.continuity``)."""
    root: str | None = None
    """The repo every read must stay inside (:func:`dangjian_docs.inputs.confined`)."""
    facts: dict[str, Any] | None = None
    """For a region file: what its last check took from the year files (``region.facts``), so
    the files unchanged since are not read again."""


@dataclass
class CheckResult:
    shown: str
    diagnostics: list[Diagnostic]
    names: dict[str, str | None] = field(default_factory=dict)
    """Document → its title (which names its file): ``plan``, or ``branch-plan/内科党支部`` for a
    kind written once a branch (:attr:`~dangjian_docs.documents.Planned.id`); a kind the data
    cannot make is there under its name alone, with ``None``."""
    role: str = "year"
    """``year`` (one organisation's year: its own documents) or ``region`` (a roll-up's region
    file, which makes no document of its own; the roll-up stage reads it with the year files)."""
    inputs: tuple[str, ...] = ()
    """For a region file: every file its roll-up reads (itself, the institutions', last year's)."""
    region: dict[str, Any] | None = None
    """For a region file: the record that says when its check need not run again (``region.cache``)."""
    facts: dict[str, Any] | None = None
    """For a region file: the year files' facts its check used, for the roll-up and the next check."""


class Job(Record):
    kind: str
    output: str
    """The file to write (absolute)."""
    template: str | None
    rewrite: bool
    """Write even when the file on disk already has these bytes (``--force``)."""
    subject: str = ""
    """The branch or Party group the document is about, for a kind written once for each."""
    letterhead: str | None = None
    """The repo's letterhead (红头) for the first page, or ``None``."""


class MakeTask(Record):
    check: CheckTask
    jobs: tuple[Job, ...]
    wording: str | None = None
    """The repo's wording file (its problems are the build's to report), or ``None``."""
    script: Script = "hans"
    """The documents' script (``rendering.script``): ``hant`` writes them in traditional characters."""
    breaks: tuple[tuple[str, ...], ...] = ()
    """How these documents' titles were broken over lines last time (``domain.titles.known``)."""


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
    created: tuple[str, ...] = ()
    """Folders writing it created (absolute): the build may prune them once they are empty."""
    breaks: tuple[tuple[str, ...], ...] = ()
    """The lines of each title it broke, for the next build (``domain.titles.known``)."""


SHELF_BYTES = 4 * 1024 * 1024
"""How much data (bytes of the data files, and of last year's) a process keeps the checked
models of in memory until it makes their documents. A model takes four to five times its
file's bytes, so this is some 20 MB a worker whatever the repo's size."""

SPILL_BYTES = 2 * 1024 * 1024 * 1024
"""The most a process writes to its spill file (models past :data:`SHELF_BYTES`, pickled; about
their files' size): past it, a file is validated again when it is made."""

Key = tuple[str, str]
"""A checked file: (path, digest of its inputs as the build saw them)."""


@dataclass
class Shelf:
    """The models a process checked and has not made yet: in memory within a budget of data
    bytes, the rest pickled to an unnamed temporary file.

    A build checks every file before it writes anything, so a model kept for making waits for
    the whole check stage: keeping them all in memory made a worker grow by the size of every
    file it was dealt. Validating them again when making instead costs half as much CPU time
    again as the build; reading one back from the file costs a twentieth of validating it. The
    file has no name (it is gone when the process ends, however it ends) and lives in the
    system's temporary folder (``TMPDIR``).
    """

    budget: int = SHELF_BYTES
    spill_limit: int = SPILL_BYTES
    models: dict[Key, tuple[Any, Any, int]] = field(default_factory=dict)
    """Key → (YearData, last year's YearData or ``None``, the bytes it counts for)."""
    held: int = 0
    spilled: dict[Key, tuple[int, int]] = field(default_factory=dict)
    """Key → (offset, length) of its pickled models in the spill file."""
    _file: IO[bytes] | None = None

    def keep(self, key: Key, year: Any, previous: Any, weight: int) -> bool:
        """Keep a checked model (with last year's); whether it was kept (if not, the file is
        validated again when it is made)."""
        if self.held + weight <= self.budget:
            self.models[key] = (year, previous, weight)
            self.held += weight
            return True
        return self._spill(key, (year, previous))

    def _spill(self, key: Key, models: tuple[Any, Any]) -> bool:
        try:
            data = pickle.dumps(models, protocol=pickle.HIGHEST_PROTOCOL)
            if self._file is None:  # unbuffered: every read and write says where (see leave_file)
                self._file = tempfile.TemporaryFile(prefix="dangjian-docs-models-", buffering=0)  # noqa: SIM115
            end = self._file.seek(0, os.SEEK_END)
            if end + len(data) > self.spill_limit:
                return False
            written = 0
            while written < len(data):
                written += self._file.write(memoryview(data)[written:]) or 0
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return False  # a disk full, a model that does not pickle: validated again instead
        self.spilled[key] = (end, len(data))
        return True

    def take(self, key: Key) -> tuple[Any, Any] | None:
        """The model (and last year's) kept for ``key``, no longer kept; ``None`` if not kept."""
        found = self.models.pop(key, None)
        if found is not None:
            self.held -= found[2]
            return found[0], found[1]
        place = self.spilled.pop(key, None)
        if place is None or self._file is None:
            return None
        try:
            self._file.seek(place[0])
            data = self._file.read(place[1])
            if data is None or len(data) != place[1]:
                return None
            models: tuple[Any, Any] = pickle.loads(data)
        except (OSError, pickle.UnpicklingError, EOFError):
            return None
        return models

    def leave_file(self) -> None:
        """In a process just forked from this one: the spill file and its position are shared
        with the parent's, so the child does not use it (what it named is validated again)."""
        self.spilled.clear()
        if self._file is not None:
            self._file.close()  # the child's copy of the descriptor only; nothing is buffered
            self._file = None

    def clear(self) -> None:
        """Forget every model, and the spill file with them."""
        self.models.clear()
        self.held = 0
        self.leave_file()


_shelf = Shelf()
"""This process's models waiting to be made."""
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_shelf.leave_file)


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
    with confined(Path(task.root) if task.root else None):
        return _check(task)


def _check(task: CheckTask) -> CheckResult:
    from ..api import planned_name_problems
    from ..documents import KIND_NAMES, KINDS, planned
    from ..domain.memo import forget
    from ..loading import load
    from ..region import is_region

    try:
        source = load(task.path)
    except DangjianError as exc:
        return CheckResult(task.shown, exc.diagnostics)
    source.path = task.shown
    if is_region(source.data):
        return check_region(source, task)
    result, previous, carried = _validated(source, task)
    names: dict[str, str | None] = {}
    if result.year is not None:
        made = planned(result.year, KINDS.values())
        for kind in KIND_NAMES:  # in the kinds' order; a kind the data cannot make: None
            titles: dict[str, str | None] = {d.id: d.title for d in made if d.kind.name == kind}
            names.update(titles or {kind: None})
        # the titles name the files: refused as a single-file build refuses them (``api.name_problems``)
        carried = planned_name_problems(result.year, made) + carried
        forget(result.year)  # held until built: the model only, its facts are worked out again then
        if previous is not None:
            forget(previous)
        _shelf.keep((task.path, task.digest), result.year, previous, _weight(task))
    return CheckResult(task.shown, result.diagnostics + getattr(result, "notes", []) + carried, names)


def _validated(source: Any, task: CheckTask) -> tuple[Any, Any, list[Diagnostic]]:
    """A loaded year file validated with the shared rules, and last year's model when the repo
    has last year's file of the same organisation (with the warning if its members do not carry
    over): what checking reports and making renders from."""
    from ..validation import validate

    merge_rules(source.data, task.rules)
    result = validate(source)
    if result.year is None or task.previous is None:
        return result, None, []
    previous, carried = _last_year(task, result)
    return result, previous, carried


def _last_year(task: CheckTask, result: Any) -> tuple[Any, list[Diagnostic]]:
    """Validate last year's file; its model for the documents (``None`` when it is not the same
    organisation's), and whether the members carry over."""
    from ..region import continuity
    from ..validation import validate

    assert task.previous is not None
    previous = validate(Path(task.previous))
    if not continuity.confirmed(previous, result):
        return None, []
    warning = continuity.check(previous, result)
    return previous.year, [warning] if warning is not None else []


def _weight(task: CheckTask) -> int:
    """What a checked file counts for on the :class:`Shelf`: its bytes and last year's."""
    total = 0
    for path in (task.path, task.previous):
        if path is not None:
            with contextlib.suppress(OSError):
                total += os.path.getsize(path)
    return total


def check_region(source: Any, task: CheckTask) -> CheckResult:
    """Validate a region file with the files it names; their own problems (and whether their
    members carry over from last year) are reported by their own checks: only the region's are kept."""
    from ..api import name_problems
    from ..documents.rollup import KIND
    from ..region import validate_region
    from ..region.cache import fingerprint
    from ..region.facts import Facts

    facts = Facts.from_json(task.facts)
    result = validate_region(source, facts=facts)
    own = [d for d in result.diagnostics if d.file == task.shown]
    names: dict[str, str | None] = {KIND.name: KIND.title(result.rollup) if result.rollup else None}
    own += name_problems(result)  # refused before anything is written, as a single-file build refuses it
    return CheckResult(task.shown, own, names, role="region", inputs=tuple(str(p) for p in result.inputs),
                       region=fingerprint(result), facts=facts.to_json())


def make(task: MakeTask) -> tuple[str, list[Made]]:
    """Render the documents of one data file that need it; write those whose bytes changed.

    Returns the data file's path with what became of each document.
    """
    with confined(Path(task.check.root) if task.check.root else None):
        return task.check.path, _make(task)


def _make(task: MakeTask) -> list[Made]:
    from ..documents import catalogue

    with catalogue.using(_office_wording(task.wording)):
        return _make_with_words(task)


def _office_wording(path: str | None) -> Any:
    """The catalogue with the office's entries (those without problems); the build reports its
    problems once, when it checks the files. Read once per worker while the file is unchanged,
    not once per data file (as ``rendering.engine.prepare`` keeps a template)."""
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return _read_wording.__wrapped__(path, 0, 0)  # gone meanwhile: let the reader say so
    return _read_wording(path, info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=4)
def _read_wording(path: str, mtime_ns: int, size: int) -> Any:
    from ..documents import catalogue

    return catalogue.read_overrides(path)[0]


def _make_with_words(task: MakeTask) -> list[Made]:
    from ..api import render

    if any(job.kind == "rollup" for job in task.jobs):
        return [_make_rollup(task, job) for job in task.jobs]
    kept = _shelf.take((task.check.path, task.check.digest))
    if kept is None:
        again = _check_again(task.check)
        if isinstance(again, list):  # the file changed since it was checked
            return [Made(job.kind, job.output, "failed", diagnostics=again) for job in task.jobs]
        kept = again
    year, previous = kept
    made = []
    for job in task.jobs:
        made.append(_made_by(task, job, functools.partial(
            render, year, job.kind, job.template, previous=previous, subject=job.subject,
            letterhead=job.letterhead, script=task.script)))
    return made


def _made_by(task: MakeTask, job: Job, rendered: Callable[[], bytes]) -> Made:
    """The document ``rendered`` gives, written; its titles broken as last time where they are
    the same (see ``domain.titles.known``), and how they were broken kept for next time."""
    from ..domain import titles

    try:
        with titles.known(task.breaks) as broken:
            content = rendered()
    except DangjianError as exc:
        return Made(job.kind, job.output, "failed", diagnostics=exc.diagnostics)
    return dataclasses.replace(_write(job, content), breaks=tuple(broken.values()))


def _check_again(task: CheckTask) -> tuple[Any, Any] | list[Diagnostic]:
    """The model (and last year's) of a file that was not kept since its check; when it no longer
    validates, the diagnostics that say why its documents are not made."""
    from ..loading import load

    try:
        source = load(task.path)
    except DangjianError as exc:
        return exc.diagnostics
    source.path = task.shown
    result, previous, _ = _validated(source, task)
    if result.year is None:
        return result.diagnostics or [Diagnostic(
            Severity.ERROR, "changed-during-build", "数据文件在生成过程中被修改了。", file=task.shown,
            hint="请重新运行 build。")]
    return result.year, previous


def _make_rollup(task: MakeTask, job: Job) -> Made:
    """The roll-up of a region file: the region read afresh, the year files' facts as its check
    left them (a year file changed since is read again)."""
    from ..api import render_region
    from ..loading import load
    from ..region import validate_region
    from ..region.facts import Facts

    def rendered() -> bytes:
        source = load(task.check.path)
        source.path = task.check.shown  # as checked: the facts are keyed by the files as shown
        result = validate_region(source, facts=Facts.from_json(task.check.facts))
        if result.rollup is None or not result.ok():
            raise DangjianError(result.diagnostics)
        return render_region(result.rollup, template=job.template, letterhead=job.letterhead,
                             script=task.script)[1]

    return _made_by(task, job, rendered)


def _write(job: Job, content: bytes) -> Made:
    from ..writing import reason, write_failed
    from .output import replace_file

    path = Path(job.output)
    sha = digest_bytes(content)
    same = not job.rewrite and _same_bytes(path, content)
    created: list[Path] = []
    try:
        if not same:
            created = replace_file(path, content)
        stat = path.stat()  # the file may vanish (removed by another program) before this
    except OSError as exc:
        return Made(job.kind, job.output, "failed", diagnostics=[write_failed(path, reason(exc))])
    return Made(job.kind, job.output, "same" if same else "built", sha, stat.st_size, stat.st_mtime_ns,
                created=tuple(str(folder) for folder in created))


def clear_caches() -> None:
    """Forget the models kept between checking and making: a run that stopped early (errors,
    nothing to make) would otherwise keep them for the life of the process."""
    _shelf.clear()


def _same_bytes(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and read_bounded(path, len(content)) == content
    except (OSError, Refused):
        return False


# -- running tasks ------------------------------------------------------------------------

MAX_JOBS = 32
"""The most worker processes a build starts, whatever ``-j`` asks: each holds a few pipes and
tens of megabytes, and past the cores more only wait (``-j 100000`` once ran out of files)."""


def capped_jobs(jobs: int) -> int:
    """``jobs`` within 1 … :data:`MAX_JOBS`."""
    return max(1, min(jobs, MAX_JOBS))


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_chunk(fn: Callable[[T], R], chunk: Sequence[T], parent: int) -> list[R]:
    results = []
    for task in chunk:
        if os.getppid() != parent:  # the build was killed: do not go on writing behind its back
            os._exit(1)
        results.append(fn(task))
    return results


IN_PROCESS = 2
"""Tasks few enough to run in this process whatever ``-j`` says, when no worker has started
yet: a worker imports the validation and rendering code and prepares the templates again
(some 0.3–0.5 s of CPU each), more than a second process saves on a changed file and the
roll-up that reads it."""

AHEAD = 8
"""Chunks handed to each worker ahead of its results: enough that a worker does not wait while
the parent saves the manifest, few enough that the parent does not hold a future (and its
task) for every file of a large repo at once."""


class Runner:
    """Runs tasks in this process (``jobs=1``) or across ``jobs`` worker processes.

    Each worker is a pool of one, and a data file keeps its worker for both stages (checking,
    then making), so the model a worker built while checking is there when it renders: a
    file is validated once however many processes share the work. Files are dealt to the
    worker with the fewest bytes so far, a fair proxy for the work they take.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = capped_jobs(jobs)
        self._lanes: list[ProcessPoolExecutor] = []
        self._lane_of: Table[int] = Table()
        """Each data file's worker (on disk: a repo's ten thousand paths would stay in memory)."""
        self._load: list[int] = [0] * self.jobs

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        for lane in self._lanes:
            lane.shutdown(wait=exc[0] is None, cancel_futures=True)

    def run(self, fn: Callable[[T], R], tasks: Collection[T], key: Callable[[T], str],
            chunk: int = 1) -> Iterable[R]:
        """Each result as soon as it is ready (in no particular order with several processes);
        ``key`` names the data file a task is about, which decides its worker.

        The tasks are read as they are handed out (each worker is kept :data:`AHEAD` chunks
        ahead), so ``tasks`` may read them from disk: the parent holds no more than those in
        flight and a few met on the way that wait for another worker.
        """
        if self.jobs == 1 or (len(tasks) <= IN_PROCESS and not self._lanes):
            for task in tasks:
                yield fn(task)
            return
        from concurrent.futures import FIRST_COMPLETED, wait

        lanes = self._ensure_lanes()
        unread = iter(tasks)
        del tasks
        waiting: list[deque[T]] = [deque() for _ in lanes]
        in_flight = [0] * len(lanes)
        pending: dict[Future[list[R]], int] = {}

        def next_chunk(lane: int) -> list[T]:
            """Up to ``chunk`` of this worker's tasks; those of other workers read on the way
            wait for them, and no more than :data:`AHEAD` chunks of any one wait (a faster worker
            then waits for a slower one, whose share of the work is fixed anyway)."""
            queue = waiting[lane]
            while len(queue) < chunk and all(len(other) < AHEAD * chunk for other in waiting):
                task = next(unread, None)
                if task is None:
                    break
                waiting[self._lane(key(task))].append(task)
            return [queue.popleft() for _ in range(min(chunk, len(queue)))]

        def top_up() -> None:
            for lane in range(len(lanes)):
                while in_flight[lane] < AHEAD:
                    batch = next_chunk(lane)
                    if not batch:
                        break
                    pending[lanes[lane].submit(_run_chunk, fn, batch, os.getpid())] = lane
                    in_flight[lane] += 1

        top_up()
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    in_flight[pending.pop(future)] -= 1
                top_up()
                for future in done:
                    yield from future.result()
        finally:
            for future in pending:
                future.cancel()

    def _lane(self, path: str) -> int:
        lane = self._lane_of.get(path)
        if lane is None:
            lane = min(range(self.jobs), key=self._load.__getitem__)
            try:
                self._load[lane] += os.path.getsize(path) + 4096
            except OSError:
                self._load[lane] += 4096
            self._lane_of[path] = lane
        return lane

    def _ensure_lanes(self) -> list[ProcessPoolExecutor]:
        if not self._lanes:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork starts a worker in a millisecond with everything already imported; elsewhere
            # (macOS, Windows) the platform's safe default is used.
            context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
            self._lanes = [ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_die_with,
                                               initargs=(os.getpid(),)) for _ in range(self.jobs)]
        return self._lanes


def _die_with(parent: int) -> None:
    """First thing in each worker: end it when the build ends, however that happens.

    A worker waits on a pipe that its siblings also hold open, so a build killed with SIGKILL
    would leave it waiting for ever. On Linux the kernel kills it with its parent
    (``PR_SET_PDEATHSIG``); everywhere, a watcher thread ends it within half a second of
    noticing the parent is gone.
    """
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # killed before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="dangjian-docs-parent-watch", daemon=True).start()


_PR_SET_PDEATHSIG = 1


def _watch(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)
