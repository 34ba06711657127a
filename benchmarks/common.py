"""How the benchmarks here measure, one way for all: each figure beside its baseline, same run.

* :func:`fresh_process` times an action in a new Python process (after one warm-up run) and
  reports the median and minimum of ``repeat`` runs with the process's peak resident memory, so
  figures of different code (ours now, ours at an earlier revision, a bare baseline) are taken
  alike and one's memory does not hide in another's;
* :func:`tree_at` unpacks the code of an earlier revision, to run beside the working tree's,
  and :func:`compiled` compiles a copy of the code as an installation would;
* :func:`ratio` prints a ratio the one way every benchmark prints it.

Times are CPU seconds of the measuring process (``time.process_time``): the machines these run
on are shared, and CPU time is what another process's load does not add to. Whole processes
(start-up included) are timed by :func:`run_process` (see ``bench_startup.py``).
"""

from __future__ import annotations

import compileall
import io
import json
import os
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_TIMER = """
import json, resource, statistics, sys, time
{setup}
def action():
    {action}
if {warmup}:
    action()
samples = []
for _ in range({repeat}):
    start = time.process_time()
    action()
    samples.append((time.process_time() - start) * 1000)
print(json.dumps({{"median": statistics.median(samples), "min": min(samples),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "extra": {extra}}}))
"""


@dataclass(frozen=True)
class Figure:
    median: float
    """Milliseconds of CPU time, median of the runs."""
    low: float
    peak_mb: float
    """Peak resident memory of the whole process (imports and set-up included)."""
    extra: Any = None
    """What the caller's ``extra`` expression said after the last run (plain JSON data)."""


def fresh_process(setup: str, action: str, repeat: int, tree: Path | None = None, extra: str = "None",
                  warmup: bool = True) -> Figure:
    """Run ``setup`` once and ``action`` (one statement) ``repeat`` times in a new process,
    after one run that is not counted (``warmup=False``: the setup warms up itself, e.g. on a
    part of a long action).

    ``tree`` is the code to import ``dangjian_docs`` from (default: this working tree);
    ``extra``, an expression evaluated after the last run, reports what the action itself
    measured (e.g. how its time divides into parts).
    """
    script = _TIMER.format(setup=setup, action=action, repeat=repeat, extra=extra, warmup=warmup)
    env = {**os.environ, "PYTHONPATH": str(tree or ROOT)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                          cwd=tree or ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return Figure(found["median"], found["min"], found["peak_mb"], found["extra"])


@dataclass(frozen=True)
class Run:
    wall_ms: float
    cpu_ms: float
    """User and system time of the process and of the children it waited for (a build's workers)."""
    peak_mb: float
    """Peak resident memory of the largest single one of them (``ru_maxrss`` of the children)."""


def run_process(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None,
                codes: tuple[int, ...] = (0,)) -> Run:
    """Run a command once, and say what it cost."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env={**os.environ, **(env or {})}, cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = (time.perf_counter() - start) * 1000
    if process.returncode not in codes:
        raise RuntimeError(errors.decode(errors="replace")[-3000:])
    return Run(elapsed, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss / 1024)


def tree_at(revision: str, into: Path) -> Path:
    """The package, schemas, templates and samples as they were at ``revision`` (git archive)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "dangjian_docs", "schemas",
                              "templates", "samples"], check=True, capture_output=True).stdout
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def compiled(tree: Path) -> Path:
    """``tree`` with its modules compiled to bytecode beside them, as ``pip install`` leaves a
    package: a process started with ``PYTHONDONTWRITEBYTECODE`` (or from a fresh copy) would
    otherwise compile every module it imports, a cost no installed tool pays."""
    compileall.compile_dir(tree, quiet=2)
    return tree


def ratio(ours: float, baseline: float) -> str:
    """``0.42x``: ours over the baseline (below 1: ours takes less)."""
    return f"{ours / baseline:.2f}x" if baseline else "n/a"
