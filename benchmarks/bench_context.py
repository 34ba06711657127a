"""A document's content (its context) against an earlier version's, both in one process.

    python benchmarks/bench_context.py --before main [--runs 400] [--kind summary --kind report]

The two versions' packages are imported side by side under two names (the earlier one taken
with ``git archive``), and their contexts are built in turn, each from a fresh copy of the
sample's year (as ``bench_render.py --split`` does): on a machine other processes load, both
sides then see the same load. Prints, per kind, the median and least CPU time of each and the
ratio of the medians (this version / the earlier one).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"


def package(where: Path, name: str, source: Path) -> Any:
    """The package at ``source`` imported as ``name`` (its imports are relative)."""
    (where / name).symlink_to(source, target_is_directory=True)
    return importlib.import_module(name)


def earlier(rev: str, into: Path) -> Path:
    """The package of ``rev`` (with the schemas and templates it reads beside it), unpacked into ``into``."""
    archive = into / "before.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), rev,
                    "dangjian_docs", "schemas", "templates"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "before", filter="data")
    return into / "before" / "dangjian_docs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the earlier version (a git revision)")
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--kind", action="append", help="default: plan, summary, report")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        sys.path.insert(0, str(where))
        sides = {"before": package(where, "dj_before", earlier(args.before, where)),
                 "now": package(where, "dj_now", ROOT / "dangjian_docs")}
        made = {}
        for side, pkg in sides.items():
            year = pkg.validate(pkg.load(SAMPLE)).year
            kinds = importlib.import_module(pkg.__name__ + ".documents").KINDS
            pictures = importlib.import_module(pkg.__name__ + ".api").with_pictures
            made[side] = (kinds, pictures, year)
        print(f"{args.runs} contexts of each kind a side, in turn; CPU ms")
        for kind in args.kind or ("plan", "summary", "report"):
            times: dict[str, list[float]] = {side: [] for side in made}
            for i in range(args.runs + 5):  # the first five warm up
                for side in (("before", "now") if i % 2 else ("now", "before")):
                    kinds, pictures, year = made[side]
                    fresh = dataclasses.replace(year)
                    start = time.process_time()
                    pictures(kinds[kind].context(fresh, ""), fresh)
                    if i >= 5:
                        times[side].append((time.process_time() - start) * 1000)
            before, now = (statistics.median(times[s]) for s in ("before", "now"))
            print(f"{kind:8} before {before:.2f} (least {min(times['before']):.2f})  "
                  f"now {now:.2f} (least {min(times['now']):.2f})  now/before {now / before:.3f}")


if __name__ == "__main__":
    main()
