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
child imports nothing of this script's own needs (``subprocess``, ``statistics``: 0.1 s) but
what it measures.
Run: ``python benchmarks/bench_rollup_facts.py [N] [runs] [--repo=FOLDER]`` (``--repo``: keep the
generated repo there, and reuse it when it is already built).
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


def child(mode: str, repo: Path) -> None:
    """One measurement in this (fresh) process; prints seconds and peak RSS as JSON."""
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
            assert checked.ok()
            made = Facts.from_json(facts.to_json())  # handed to the roll-up, as the build does
            result = validate_region(load(region), facts=made)
            assert result.rollup is not None and made.misses == 0
            render_region(result.rollup)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}))


def measure(mode: str, repo: Path) -> tuple[float, float, float]:
    import subprocess

    out = subprocess.run([sys.executable, __file__, "--child", mode, str(repo)], check=True, capture_output=True,
                         text=True, cwd=repo).stdout
    found = json.loads(out.strip().splitlines()[-1])
    print(f"    {mode}: {found['seconds']:.2f} s wall, {found['cpu']:.2f} s CPU, {found['rss_mb']:.0f} MB", flush=True)
    return found["seconds"], found["cpu"], found["rss_mb"]


def change(repo: Path, i: int) -> None:
    """Change one institution's staff figure (or change it back)."""
    path = repo / "数据" / "2025" / f"单位{i:03d}.yaml"
    text = path.read_text("utf-8")
    old, new = ("staff: 300", "staff: 301") if "staff: 300" in text else ("staff: 301", "staff: 300")
    path.write_text(text.replace(old, new, 1), "utf-8")


def main() -> None:
    # imported here, not at the top: a child counts the tool's imports only
    import statistics
    import subprocess
    import tempfile

    from bench_rollup import make_repo

    args = [a for a in sys.argv[1:] if not a.startswith("--repo=")]
    kept = next((Path(a.removeprefix("--repo=")) for a in sys.argv[1:] if a.startswith("--repo=")), None)
    institutions = int(args[0]) if args else 1000
    runs = int(args[1]) if len(args) > 1 else 3
    rows: dict[str, list[tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        repo = kept or Path(tmp) / "county"
        if kept is None or not (repo / "文稿").is_dir():
            make_repo(repo, institutions)
            # the roll-up only: three thousand year documents would only lengthen the first build
            config = repo / "dangjian-docs.yaml"
            config.write_text(config.read_text("utf-8").replace("kinds: [plan, summary, report]", "kinds: []"),
                              "utf-8")
        # from the repo's folder, as the measurements run (facts are keyed by the files as shown);
        # a kept repo too: its facts must be this code's (another tool's are ignored)
        subprocess.run([sys.executable, "-m", "dangjian_docs", "build", str(repo), "-j", "2"], check=True,
                       capture_output=True, cwd=repo)
        for run in range(runs):
            rows.setdefault("baseline", []).append(measure("baseline", repo))
            rows.setdefault("cold", []).append(measure("cold", repo))
            change(repo, run)
            rows.setdefault("baseline_changed", []).append(measure("baseline", repo))
            rows.setdefault("changed", []).append(measure("changed", repo))
            change(repo, run)  # the facts on disk stay those of every file
        for run in range(runs):
            change(repo, runs + run)
            rows.setdefault("build_changed", []).append(measure("build", repo))
            rows.setdefault("build_same", []).append(measure("build", repo))

    def row(label: str, key: str) -> None:
        seconds = statistics.median(s for s, _, _ in rows[key])
        cpu = statistics.median(c for _, c, _ in rows[key])
        rss = max(r for _, _, r in rows[key])
        print(f"  {label:<44} {seconds:7.2f} s  {cpu:7.2f} s  {rss:6.0f} MB")

    print(f"区县汇总：{institutions} 个单位，各 {runs} 次取中位数（峰值内存取最大）")
    print(f"  {'':<44} {'墙上':>7}    {'CPU':>7}    {'峰值内存':>6}")
    row("baseline: roll-up reading every file, cold", "baseline")
    row("baseline: roll-up after one changed", "baseline_changed")
    row("facts: roll-up cold (check, then from facts)", "cold")
    row("facts: roll-up after one changed", "changed")
    row("facts: build -j 1 after one changed", "build_changed")
    row("facts: build -j 1, nothing changed", "build_same")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]))
    else:
        main()
