"""Compliance for 50 branches and 20,000 activities: ours against a bare counting loop, one run.

    python benchmarks/bench_compliance.py [--branches 50] [--activities 20000] [--repeat 7]

A year with ``--branches`` branches (each with a committee and three Party groups) and
``--activities`` activities spread over them and over the year is written as YAML, loaded and
validated once (not timed). Ours is :func:`dangjian_docs.compliance_report.compliance_report`
(every rule for every branch and group: per-period counts, judged periods, attendance). The
baseline is the least a script would do: one pass counting (branch, type, month) in a dict, with
no rules applied. Median and min of ``--repeat`` runs after a warm-up, and their ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dangjian_docs.api import year_data  # noqa: E402
from dangjian_docs.compliance_report import compliance_report  # noqa: E402

TYPES = ["支部委员会", "主题党日", "党小组会", "支部党员大会", "党课", "组织生活会", "民主评议党员", "谈心谈话"]


def year_text(branches: int, activities: int) -> str:
    lines = ["year: 2025", "organisation:", "  name: 测试医院党委", "  kind: 党委", "  hospital: 测试医院",
             f"  members: {{full: {branches * 30}, probationary: 0}}", "branches:"]
    for b in range(branches):
        lines += [f"  - id: b{b}", f"    name: 第{b + 1}党支部", "    kind: 在职", "    secretary: 张三",
                  "    committee: [张三, 李四, 王五]", "    groups:"]
        lines += [f"      - {{name: 第{g + 1}党小组, leader: 李四}}" for g in range(3)]
        lines.append("    members: {full: 30, probationary: 0}")
    lines.append("activities:")
    start = dt.date(2025, 1, 1)
    for i in range(activities):
        day = start + dt.timedelta(days=(i * 7) % 365)
        kind = TYPES[i % len(TYPES)]
        group = f", group: 第{i % 3 + 1}党小组" if kind == "党小组会" else ""
        lines.append(f"  - {{date: {day.isoformat()}, type: {kind}, branch: b{i % branches}{group}, "
                     f"topic: 第{i}次活动, expected: 30, present: {20 + i % 10}}}")
    lines += ["signature:", "  body: 中共测试医院委员会", "  date: 2025-12-28"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--branches", type=int, default=50)
    parser.add_argument("--activities", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "year.yaml"
        path.write_text(year_text(args.branches, args.activities), "utf-8")
        year = year_data(path)
    assert len(year.activities) == args.activities and len(year.branches) == args.branches

    def baseline() -> Counter[tuple[str | None, str, int]]:
        return Counter((a.branch, a.type, a.date.month) for a in year.activities)

    def timed(fn: object) -> list[float]:
        fn()  # type: ignore[operator]
        out = []
        for _ in range(args.repeat):
            begin = time.perf_counter()
            fn()  # type: ignore[operator]
            out.append((time.perf_counter() - begin) * 1000)
        return out

    ours = timed(lambda: compliance_report(year))
    base = timed(baseline)
    report = compliance_report(year)
    ratios = sorted(o / b for o, b in zip(ours, base, strict=True))
    print(f"{args.branches} branches, {args.activities} activities, {len(report.tallies)} tallies; "
          f"{args.repeat} runs after a warm-up")
    print(f"{'':30}{'median ms':>12}{'min ms':>10}")
    print(f"{'ours (every rule, period)':30}{statistics.median(ours):12.1f}{min(ours):10.1f}")
    print(f"{'bare Counter, no rules':30}{statistics.median(base):12.1f}{min(base):10.1f}")
    print(f"ratio ours/bare, run by run: median {statistics.median(ratios):.1f} "
          f"(min {ratios[0]:.1f}, max {ratios[-1]:.1f})")


if __name__ == "__main__":
    main()
