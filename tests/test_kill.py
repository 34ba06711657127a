"""Kill real builds while they write: each output set must be wholly old or wholly new.

Each build runs ``dangjian-docs build`` in its own process (forked from a launcher that has
done the imports) with the write steps slowed down by
:data:`dangjian_docs.writing.TEST_DELAY_ENV`, so that a SIGKILL at a random moment lands inside
the write window (from taking the folder's lock to releasing it): while temporaries are being
written, between the journal and the renames, or between two renames. After each kill the
folder must hold the old set or the new one, or a journal from which the next build completes
the new one; after the next build nothing of ours is left behind.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL

import dangjian_docs
from dangjian_docs import writing

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

KILLS = 30
WORKERS = 3
STEP = 0.03
"""Seconds each write step is slowed by (a temporary written, the journal, a rename)."""
KINDS = ("plan", "summary", "report")


def variant(folder: Path, day: int) -> Path:
    """The small year with another date of writing: same file names, different bytes in each."""
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["signature"]["date"] = f"2024-12-{day:02d}"
    for kind in KINDS:
        data.setdefault("documents", {}).setdefault(kind, {})["date"] = f"2024-12-{day:02d}"
    path = folder / f"year-{day}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def the_set(data: Path, folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in dangjian_docs.build(data, KINDS, folder)}


def reset(folder: Path, files: dict[str, bytes]) -> None:
    for leftover in folder.iterdir():
        leftover.unlink()
    for name, content in files.items():
        (folder / name).write_bytes(content)


_LAUNCHER = """
import json, os, sys
from dangjian_docs import cli, api  # imported once here; each build is a fresh fork
api.render_set(api.year_data(sys.argv[1]))  # templates prepared once, as a long-lived parent would
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        sys.stdout = sys.stderr = open(os.devnull, "w")
        sys.argv = ["dangjian-docs", *json.loads(line)]
        try:
            cli.main()
        finally:
            os._exit(0)
    print(pid, flush=True)
    os.waitpid(pid, 0)
    print("reaped", flush=True)
"""


class Launcher:
    """A process that forks a real ``dangjian-docs build`` per request, already past its imports.

    Each build runs the whole command in its own process, which the test kills with SIGKILL;
    forking from a warm parent only saves the interpreter's start and imports (most of a
    second each on a busy machine, thirty times over) and preparing the templates.
    """

    def __init__(self, data: Path) -> None:
        env = {**os.environ, writing.TEST_DELAY_ENV: str(STEP)}
        self.process = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(data)], env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def start(self, args: list[str]) -> int:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(args) + "\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def reaped(self) -> None:
        assert self.process.stdout
        assert self.process.stdout.readline().strip() == "reaped"

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(30)


def kill_during_write(launcher: Launcher, new: Path, folder: Path, rng: random.Random) -> bool:
    """Start a build of ``new`` into ``folder``; kill it inside its write window.

    Returns whether the kill landed inside the window (the lock was still held).
    """
    kinds = [arg for kind in KINDS for arg in ("--kind", kind)]
    pid = launcher.start(["build", str(new), "-o", str(folder), *kinds])
    lock = folder / writing.LOCK_NAME
    deadline = time.monotonic() + 60
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(rng.uniform(0, 2 * len(KINDS) * STEP))  # the window has 2 × kinds + 1 steps
    inside = lock.exists()
    os.kill(pid, signal.SIGKILL)
    launcher.reaped()
    return inside


def ours(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(writing.PREFIX))


def worker(index: int, kills: int, old: dict[str, bytes], new_data: Path, new: dict[str, bytes],
           root: Path) -> list[str]:
    """Kill ``kills`` builds in one folder; return what each kill left (old/new/journal)."""
    rng = random.Random(index)
    folder = root / f"out{index}"
    folder.mkdir()
    outcomes = []
    launcher = Launcher(new_data)
    for _ in range(kills):
        reset(folder, old)
        inside = kill_during_write(launcher, new_data, folder, rng)
        documents = {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(writing.PREFIX)}
        journal = (folder / writing.JOURNAL_NAME).exists()
        assert documents in (old, new) or journal, "a mixed set without a journal to settle it"
        outcome = "old" if documents == old else "new" if documents == new else "journal"
        writing.write_set(folder, [])  # what every build does first: settle, clear leftovers
        settled = {p.name: p.read_bytes() for p in folder.iterdir()}
        assert settled in (old, new), f"after a kill ({outcome}) the next build found a mixed set"
        assert not journal or settled == new, "an interrupted rename phase is completed"
        outcomes.append(outcome + ("" if inside else "-outside"))
    launcher.close()
    dangjian_docs.build(new_data, KINDS, folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(new), "no leftover file after the next build"
    return outcomes


def test_killed_builds_leave_the_old_set_or_the_new_one(tmp_path: Path) -> None:
    old_data, new_data = variant(tmp_path, 20), variant(tmp_path, 21)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    old, new = the_set(old_data, tmp_path / "a"), the_set(new_data, tmp_path / "b")
    assert old.keys() == new.keys() and all(old[n] != new[n] for n in old)
    with ThreadPoolExecutor(WORKERS) as pool:
        runs = [pool.submit(worker, i, KILLS // WORKERS, old, new_data, new, tmp_path) for i in range(WORKERS)]
        outcomes = [o for run in runs for o in run.result()]
    assert len(outcomes) == KILLS
    inside = [o for o in outcomes if not o.endswith("-outside")]
    assert len(inside) >= KILLS - 3, outcomes  # the kills really land in the write window
    assert {"old"} < set(inside), outcomes  # killed while writing temporaries, and later too
