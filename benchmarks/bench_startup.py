"""Start-up of ``dangjian-docs validate FILE``, whole processes, against bare Python, in one run.

    python benchmarks/bench_startup.py [--runs 15] [--before main] [--no-bytecode]

Each round runs every command once, in turn (a machine's drift reaches each alike): bare Python
(``python -c pass``, the floor no command goes below), Python importing what validation cannot
do without (PyYAML, jsonschema-rs, and click for a command line), then ``validate`` of a small
file (tests/data/minimal.yaml) and of the sample, with the code of this working tree and with
the code of ``--before`` (default ``main``; ``''`` for none; unpacked with git archive).

Printed: the median wall and CPU milliseconds of each command (the process and what it waited
for, start-up and imports included; peak memory of the process), then ratios of medians: now
over before, and each over bare Python. Byte code is written by an uncounted first round (into
a folder of its own, ``PYTHONPYCACHEPREFIX``) and read by the counted ones, as an installed
package's is; ``--no-bytecode`` measures instead what a checkout run with
``PYTHONDONTWRITEBYTECODE`` pays, compiling every module of the package in every run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

from common import ROOT, Run, ratio, run_process, tree_at

FILES = {"minimal": ROOT / "tests" / "data" / "minimal.yaml", "sample": ROOT / "samples" / "binjiang-2025.yaml"}
FLOOR = "python -c pass"
NEEDED = "import yaml, jsonschema_rs, click"


def commands(before: Path | None) -> dict[str, tuple[list[str], Path | None]]:
    """Row name → (arguments, the tree whose ``dangjian_docs`` it imports)."""
    python = sys.executable
    rows: dict[str, tuple[list[str], Path | None]] = {
        FLOOR: ([python, "-c", "pass"], None),
        NEEDED: ([python, "-c", "import yaml, jsonschema_rs, click"], None),
    }
    trees = {"now": ROOT, **({"before": before} if before else {})}
    for who, tree in trees.items():
        for name, path in FILES.items():
            rows[f"validate {name} ({who})"] = ([python, "-m", "dangjian_docs", "validate", str(path)], tree)
    return rows


def environment(tree: Path | None, cache: Path | None) -> dict[str, str]:
    """What a run adds to this process's environment: whose code, and where its byte code is."""
    env = {"PYTHONPATH": str(tree) if tree else ""}
    if cache is None:  # every module of the package compiled in every run
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:  # written by the uncounted first round, read by the others (an empty value allows writing)
        env.update(PYTHONPYCACHEPREFIX=str(cache), PYTHONDONTWRITEBYTECODE="")
    return env


def measure(runs: int, before: Path | None, cache: Path | None) -> dict[str, list[Run]]:
    rows = commands(before)
    taken: dict[str, list[Run]] = {name: [] for name in rows}
    for round_ in range(runs + 1):  # the first round writes the byte code and is not counted
        for name, (args, tree) in rows.items():
            run = run_process(args, environment(tree, cache), tree or ROOT, codes=(0, 1))
            if round_:
                taken[name].append(run)
    return taken


def report(taken: dict[str, list[Run]]) -> None:
    wall = {name: statistics.median(r.wall_ms for r in runs) for name, runs in taken.items()}
    cpu = {name: statistics.median(r.cpu_ms for r in runs) for name, runs in taken.items()}
    print(f"  {'':34}{'wall ms':>9}{'(min)':>8}{'cpu ms':>9}{'(min)':>8}{'peak MB':>9}")
    for name, runs in taken.items():
        print(f"  {name:34}{wall[name]:9.0f}{min(r.wall_ms for r in runs):8.0f}{cpu[name]:9.0f}"
              f"{min(r.cpu_ms for r in runs):8.0f}{max(r.peak_mb for r in runs):9.1f}")
    print("  ratios of medians (wall / cpu):")
    for name in FILES:
        now = f"validate {name} (now)"
        print(f"    {now}: / {FLOOR} {ratio(wall[now], wall[FLOOR])} / {ratio(cpu[now], cpu[FLOOR])}; "
              f"/ {NEEDED} {ratio(wall[now], wall[NEEDED])} / {ratio(cpu[now], cpu[NEEDED])}", end="")
        old = f"validate {name} (before)"
        if old in wall:
            print(f"; now / before {ratio(wall[now], wall[old])} / {ratio(cpu[now], cpu[old])}")
        else:
            print()
        print(f"    above bare Python: now {cpu[now] - cpu[FLOOR]:.0f} ms CPU"
              + (f", before {cpu[old] - cpu[FLOOR]:.0f} ms" if old in cpu else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="counted runs of each command (default 15)")
    parser.add_argument("--before", default="main", help="git revision to compare with ('' for none)")
    parser.add_argument("--no-bytecode", action="store_true", help="compile every module in every run")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {load[0]:.2f} "
          f"{load[1]:.2f} {load[2]:.2f}; {args.runs} runs of each command, in turn; "
          f"byte code {'not cached' if args.no_bytecode else 'compiled beforehand'}")
    with tempfile.TemporaryDirectory() as folder:
        before = tree_at(args.before, Path(folder) / "before") if args.before else None
        cache = None if args.no_bytecode else Path(folder) / "pycache"
        report(measure(args.runs, before, cache))
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
