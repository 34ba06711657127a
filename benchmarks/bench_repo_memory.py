"""Peak memory of a cold repo build as the repo grows: N files, then ten times as many.

    python benchmarks/bench_repo_memory.py [--files 300] [--scale 10] [-j 2] [--before main]

A repo build streams its files (check, then render and write one file at a time in each
worker), so its peak memory should not grow with the number of files. This builds the same
kind of repo (``bench_repo.make_repo``: ``init``'s three examples under many names) with N and
with ``scale`` × N data files, cold, with ``-j``, through the real command in a fresh process,
and prints the peak resident memory of the parent and of the largest worker for each size, and
the ratio of the large repo's peak to the small one's (target: at most 1.2). The code of
``--before`` is measured the same way in the same run, and every build's documents compared
byte for byte with ours (when ``main`` has moved on since a branch began, give the commit it
began from, ``--before $(git merge-base main HEAD)``: other changes change the documents).

To stay within a few minutes on a shared two-core machine the repo makes only the cheapest
kind (``kinds: [plan]``): the memory a build keeps per file does not depend on the kinds.

Peaks are each process's own ``VmHWM`` (``/proc/<pid>/status``), not ``ru_maxrss`` of the
children (which folds a parent and its workers together): the parent's is read by the parent
itself at exit; the workers' are sampled every 20 ms while they run (``VmHWM`` never goes down,
so a sample misses only what a worker grew in its last 20 ms). Linux only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_repo import make_repo  # noqa: E402
from common import tree_at  # noqa: E402

from dangjian_docs.repo.config import CONFIG_NAME  # noqa: E402

PYTHON = sys.executable
SAMPLE_EVERY = 0.02
"""Seconds between samples of the workers' ``VmHWM``."""

_PARENT = """
import atexit, sys
def _peak():
    with open("/proc/self/status") as f:
        line = next(line for line in f if line.startswith("VmHWM:"))
    sys.stderr.write("PARENT-" + line)
atexit.register(_peak)
sys.argv = ["dangjian-docs", *sys.argv[1:]]
from dangjian_docs.cli import main
main()
"""
"""The command, with the parent's own peak written to stderr as it exits."""


@dataclass(frozen=True)
class Peaks:
    parent_mb: float
    worker_mb: float
    """The largest worker's own peak (0 when the build started none)."""
    seconds: float
    cpu_seconds: float
    """User and system time of the build and of its workers."""

    @property
    def largest_mb(self) -> float:
        """The peak of the largest single process of the build."""
        return max(self.parent_mb, self.worker_mb)


def vm_hwm_kb(pid: int) -> int | None:
    """A process's own peak resident memory, or ``None`` once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (its workers), from every thread's ``children`` list."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(child) for child in f.read().split()]
    except OSError:
        pass
    return found


def build(repo: Path, tree: Path, jobs: int, cwd: Path) -> Peaks:
    """A cold build of ``repo`` with the code in ``tree``; each process's own peak."""
    shutil.rmtree(repo / "文稿", ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(tree), "CI": "1"}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen([PYTHON, "-c", _PARENT, "build", str(repo), "-j", str(jobs)], env=env, cwd=cwd,
                                   stdout=subprocess.DEVNULL, stderr=errors)
        workers: dict[int, int] = {}
        while True:
            for child in children(process.pid):
                peak = vm_hwm_kb(child)
                if peak is not None:
                    workers[child] = max(workers.get(child, 0), peak)
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(SAMPLE_EVERY)
        errors.seek(0)
        said = errors.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(said[-3000:])
    parent = re.search(r"PARENT-VmHWM:\s+(\d+)", said)
    assert parent is not None, said[-3000:]
    return Peaks(int(parent.group(1)) / 1024, max(workers.values(), default=0) / 1024,
                 time.perf_counter() - start, usage.ru_utime + usage.ru_stime)


def written(folder: Path) -> dict[str, str]:
    """Each document a build wrote (by path) with its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.docx"))}


def plan_only_repo(folder: Path, files: int) -> Path:
    """``bench_repo``'s repo of ``files`` data files, making only the work plan."""
    make_repo(folder, files)
    config = folder / CONFIG_NAME
    text = config.read_text("utf-8")
    config.write_text(re.sub(r"(?m)^kinds:.*$", "kinds: [plan]", text), "utf-8")
    return folder


def snapshot(into: Path) -> Path:
    """This working tree's code, copied: an edit during the run must not change what is measured."""
    for folder in ("dangjian_docs", "schemas", "templates"):
        shutil.copytree(ROOT / folder, into / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300, help="data files of the small repo (N)")
    parser.add_argument("--scale", type=int, default=10, help="the large repo has scale × N files")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--before", default="main", help="git revision to compare with ('' for none)")
    args = parser.parse_args()
    sizes = (args.files, args.files * args.scale)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; cold builds with -j {args.jobs}, "
          f"kinds: [plan]; peaks are each process's own VmHWM (MB)")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        trees = {"now": snapshot(base / "now")}
        if args.before:
            trees[f"before ({args.before})"] = tree_at(args.before, base / "before")
        repos = {size: plan_only_repo(base / f"repo-{size}", size) for size in sizes}
        peaks: dict[tuple[str, int], Peaks] = {}
        outputs: dict[tuple[str, int], dict[str, str]] = {}
        for size in sizes:
            for label, tree in trees.items():
                found = peaks[(label, size)] = build(repos[size], tree, args.jobs, base)
                outputs[(label, size)] = written(repos[size] / "文稿")
                print(f"  {label:16} {size:6} files: parent {found.parent_mb:6.0f} MB   largest worker "
                      f"{found.worker_mb:6.0f} MB   ({found.seconds:4.0f} s, CPU {found.cpu_seconds:4.0f} s)",
                      flush=True)
        small, large = sizes
        for label in trees:
            a, b = peaks[(label, small)], peaks[(label, large)]
            print(f"  {label:16} {large} / {small} files: parent {b.parent_mb / a.parent_mb:.2f}x, "
                  f"largest worker {b.worker_mb / max(a.worker_mb, 1):.2f}x, "
                  f"largest process {b.largest_mb / a.largest_mb:.2f}x "
                  "(target ≤ 1.2x)")
        if len(trees) == 2:
            (now, old) = trees
            for size in sizes:
                ours, theirs = peaks[(now, size)], peaks[(old, size)]
                print(f"  {size:6} files, now / before: largest process {ours.largest_mb / theirs.largest_mb:.2f}x, "
                      f"CPU {ours.cpu_seconds / theirs.cpu_seconds:.2f}x")
        same = all(outputs[(label, size)] == outputs[("now", size)] for label in trees for size in sizes)
        count = sum(len(outputs[("now", size)]) for size in sizes)
        print(f"  the {count} documents are byte-identical with every code measured: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
