"""The roll-up from remembered facts against reading every institution's file, in one run.

Generates the county repo of ``bench_rollup.py`` with N institutions (default 1,000), making the
roll-up only (``kinds: []``), builds it once (``-j 2``: the facts file is written beside the
manifest), then times, each in a fresh
process that reports its own peak RSS:

* the roll-up as a build made it before: the region's check (``validate_region``) and the
  roll-up (``render_region``), each reading every institution's file: the baseline;
* the roll-up cold: the check with nothing remembered, the roll-up from the check's facts;
* the roll-up after one institution changed: the check and the roll-up from remembered facts
  (the one changed file read again);
* a whole ``build -j 1`` after one institution changed, and with nothing changed.

Medians over the runs, of wall and CPU seconds (the process's own, start-up and imports
included: on a shared machine the CPU time is the steadier), with the process's peak RSS. A
child imports nothing of this script's own needs (``subprocess``, ``statistics``: about 25 ms) but
what it measures.
Run: ``python benchmarks/bench_rollup_facts.py [N] [runs] [--repo=FOLDER] [--before=REV]
[--no-bytecode] [--changed-only]``. ``--repo``: keep the generated repo there, and reuse it when
it is already built. ``--before``: also time the roll-up after one changed with the code of an
earlier revision (unpacked with git archive, on a copy of the repo whose facts it made itself),
in turn with this tree's in every run. Byte code is written by the uncounted first builds (into a
folder of its own, ``PYTHONPYCACHEPREFIX``) and read by the counted runs, as an installed
package's is; ``--no-bytecode`` measures instead what a checkout run with
``PYTHONDONTWRITEBYTECODE`` pays, compiling the package in every run. ``--changed-only``: only
the roll-up after one changed (now and before), without the slow baselines and builds.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

REGION_REL = "数据/2025/汇总.yaml"


def child(mode: str, repo: Path, tree: str | None = None) -> None:
    """One measurement in this (fresh) process, with the code of ``tree`` (default: this one);
    prints seconds and peak RSS as JSON."""
    if tree:
        sys.path.insert(0, tree)
    start = time.perf_counter()
    if mode == "build":
        from dangjian_docs.repo import build_repo, load_config

        outcome = build_repo(load_config(repo), jobs=1)
        assert not outcome.stopped and not outcome.failed, outcome.summary()
    else:
        from dangjian_docs.api import render_region
        from dangjian_docs.loading import load
        from dangjian_docs.region import validate_region
        from dangjian_docs.repo.manifest import Manifest

        region = repo / REGION_REL
        if mode == "baseline":  # what a build did before: check, then the roll-up, each reading every file
            assert validate_region(region).ok()
            render_region(region)
        else:
            from dangjian_docs.region.facts import Facts

            remembered = Manifest.read(repo / "文稿").region_facts(REGION_REL) if mode == "changed" else None
            facts = Facts.from_json(remembered)
            checked = validate_region(load(region), facts=facts)  # the region's check
            assert checked.ok() and (mode == "cold" or facts.misses == 1), facts.misses  # one file read
            made = Facts.from_json(facts.to_json())  # handed to the roll-up, as the build does
            result = validate_region(load(region), facts=made)
            assert result.rollup is not None and made.misses == 0
            render_region(result.rollup)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}))


def measure(mode: str, repo: Path, env: dict[str, str], tree: Path | None = None) -> tuple[float, float, float]:
    import subprocess

    out = subprocess.run([sys.executable, __file__, "--child", mode, str(repo), *([str(tree)] if tree else [])],
                         check=True, capture_output=True, text=True, cwd=repo, env=env).stdout
    found = json.loads(out.strip().splitlines()[-1])
    who = " (before)" if tree else ""
    print(f"    {mode}{who}: {found['seconds']:.2f} s wall, {found['cpu']:.2f} s CPU, {found['rss_mb']:.0f} MB",
          flush=True)
    return found["seconds"], found["cpu"], found["rss_mb"]


def build(repo: Path, env: dict[str, str], tree: Path | None = None) -> None:
    """A first build with ``-j 2`` (uncounted: it leaves the facts, and writes the byte code), from
    the repo's folder, as the measurements run (facts are keyed by the files as shown); a kept
    repo too: its facts must be this code's (another tool's are ignored)."""
    import subprocess

    subprocess.run([sys.executable, "-m", "dangjian_docs", "build", str(repo), "-j", "2"], check=True,
                   capture_output=True, cwd=repo, env={**env, "PYTHONPATH": str(tree or ROOT)})


def change(repo: Path, i: int) -> None:
    """Change one institution's staff figure (or change it back)."""
    path = repo / "数据" / "2025" / f"单位{i:03d}.yaml"
    text = path.read_text("utf-8")
    old, new = ("staff: 300", "staff: 301") if "staff: 300" in text else ("staff: 301", "staff: 300")
    path.write_text(text.replace(old, new, 1), "utf-8")


def main() -> None:
    # imported here, not at the top: a child counts the tool's imports only
    import os
    import shutil
    import statistics
    import tempfile

    from bench_rollup import make_repo
    from common import tree_at

    options = {a.split("=", 1)[0]: a.partition("=")[2] for a in sys.argv[1:] if a.startswith("--")}
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    kept = Path(options["--repo"]) if options.get("--repo") else None
    before_rev = options.get("--before")
    only_changed = "--changed-only" in options
    institutions = int(args[0]) if args else 1000
    runs = int(args[1]) if len(args) > 1 else 3
    rows: dict[str, list[tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"} if "--no-bytecode" in options else \
            {**os.environ, "PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
        repo = kept or Path(tmp) / "county"
        if kept is None or not (repo / "文稿").is_dir():
            make_repo(repo, institutions)
            # the roll-up only: three thousand year documents would only lengthen the first build
            config = repo / "dangjian-docs.yaml"
            config.write_text(config.read_text("utf-8").replace("kinds: [plan, summary, report]", "kinds: []"),
                              "utf-8")
        build(repo, env)
        before = tree_at(before_rev, Path(tmp) / "before") if before_rev else None
        if before is not None:
            old_repo = Path(tmp) / "county-before"
            shutil.copytree(repo, old_repo, ignore=shutil.ignore_patterns("文稿"))
            build(old_repo, env, before)
        for run in range(runs):
            if not only_changed:
                rows.setdefault("baseline", []).append(measure("baseline", repo, env))
                rows.setdefault("cold", []).append(measure("cold", repo, env))
            change(repo, run)
            if not only_changed:
                rows.setdefault("baseline_changed", []).append(measure("baseline", repo, env))
            rows.setdefault("changed", []).append(measure("changed", repo, env))
            change(repo, run)  # the facts on disk stay those of every file
            if before is not None:
                change(old_repo, run)
                rows.setdefault("changed_before", []).append(measure("changed", old_repo, env, before))
                change(old_repo, run)
        for run in range(0 if only_changed else runs):
            change(repo, runs + run)
            rows.setdefault("build_changed", []).append(measure("build", repo, env))
            rows.setdefault("build_same", []).append(measure("build", repo, env))

    def row(label: str, key: str) -> None:
        seconds = statistics.median(s for s, _, _ in rows[key])
        cpu = statistics.median(c for _, c, _ in rows[key])
        rss = max(r for _, _, r in rows[key])
        print(f"  {label:<44} {seconds:7.2f} s  {cpu:7.2f} s  {rss:6.0f} MB")

    code = "no byte code (compiled every run)" if "--no-bytecode" in options else "byte code written beforehand"
    print(f"区县汇总：{institutions} 个单位，各 {runs} 次取中位数（峰值内存取最大）；{code}")
    print(f"  {'':<44} {'墙上':>7}    {'CPU':>7}    {'峰值内存':>6}")
    labels = {"baseline": "baseline: roll-up reading every file, cold",
              "baseline_changed": "baseline: roll-up after one changed",
              "cold": "facts: roll-up cold (check, then from facts)",
              "changed": "facts: roll-up after one changed",
              "changed_before": f"facts: roll-up after one changed, {before_rev}",
              "build_changed": "facts: build -j 1 after one changed",
              "build_same": "facts: build -j 1, nothing changed"}
    for key, label in labels.items():
        if key in rows:
            row(label, key)
    if "changed_before" in rows:
        from common import ratio

        cpu = {k: statistics.median(c for _, c, _ in rows[k]) for k in ("changed", "changed_before")}
        print(f"  roll-up after one changed, CPU now / {before_rev}: {ratio(cpu['changed'], cpu['changed_before'])}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        main()
