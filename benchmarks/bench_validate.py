"""Load and validate time: our full pipeline against bare PyYAML + jsonschema, in the same run.

    python benchmarks/bench_validate.py [--repeat 7] [--activities 5000]

Measured on the sample (samples/binjiang-2025.yaml) and on a generated file with 5,000
activities (the sample's log repeated with shifted dates and numbered topics, still valid).

Ours is ``dangjian_docs.load`` (read, decode, parse keeping every position, refuse unsafe tags
and duplicate keys) then ``dangjian_docs.validate`` (schema with Chinese messages, typed model,
cross-checks and the organisational-life rules). The baseline is what a bare script would do:
``yaml.load(text, Loader=yaml.CSafeLoader)`` and ``Draft202012Validator(schema).validate(data)``
with the same schema and format checker. The baseline validates the data our loader produced
(dates as text, as the schema expects): PyYAML's own dates would fail ``type: string``.

Each measurement runs ``--repeat`` times after one warm-up; the median and the minimum are
printed in milliseconds, with files per second from the median.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dangjian_docs  # noqa: E402
from dangjian_docs.resources import year_schema  # noqa: E402

SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
BEGIN = "  # ==== 活动记录开始"
END = "  # ==== 活动记录结束"


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, min) wall time in milliseconds over ``repeat`` runs, after one warm-up."""
    action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def scaled_sample(count: int, folder: Path) -> Path:
    """The sample with ``count`` activities: its log repeated, each round a day later, renamed."""
    text = SAMPLE.read_text(encoding="utf-8")
    activities: list[dict[str, Any]] = yaml.load(text, Loader=yaml.CSafeLoader)["activities"]
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(BEGIN))
    end = next(i for i, line in enumerate(lines) if line.startswith(END))
    rows = []
    for k in range(count):
        item = dict(activities[k % len(activities)])
        rounds = k // len(activities)
        if rounds:
            day: dt.date = item["date"]
            shifted = day + dt.timedelta(days=rounds)
            item["date"] = shifted if shifted.year == day.year else day - dt.timedelta(days=rounds)
            item["topic"] = f"{item['topic']}（第{rounds + 1}轮）"
        item["date"] = item["date"].isoformat()
        rows.append("  - " + json.dumps(item, ensure_ascii=False))  # JSON is YAML flow syntax
    path = folder / f"scaled-{count}.yaml"
    path.write_text("\n".join([*lines[: start + 1], *rows, *lines[end:]]), encoding="utf-8")
    return path


def bench_file(path: Path, repeat: int) -> None:
    text = path.read_text(encoding="utf-8")
    source = dangjian_docs.load(path)
    result = dangjian_docs.validate(source)
    assert not result.errors, [d.message for d in result.errors[:5]]
    validator = Draft202012Validator(year_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    validator.validate(source.data)  # the baseline accepts the same data

    rows = [
        ("dangjian-docs", "load（读取并记录位置）", lambda: dangjian_docs.load(path)),
        ("dangjian-docs", "validate（模式+交叉核对）", lambda: dangjian_docs.validate(source)),
        ("dangjian-docs", "load + validate", lambda: dangjian_docs.validate(dangjian_docs.load(path))),
        ("baseline", "yaml CSafeLoader", lambda: yaml.load(text, Loader=yaml.CSafeLoader)),
        ("baseline", "jsonschema validate", lambda: validator.validate(source.data)),
        ("baseline", "load + validate",
         lambda: (yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader),
                  validator.validate(source.data))),
    ]
    size = path.stat().st_size / 1024
    activities = len(source.data.get("activities") or ())
    print(f"\n{path.name}: {size:,.0f} KB, {activities:,} activities, "
          f"{len(result.warnings)} warnings; {repeat} runs each")
    print(f"  {'':14}{'':28}{'median ms':>10}{'min ms':>10}{'files/s':>10}")
    totals = {}
    for who, what, action in rows:
        median, low = timed(action, repeat)
        if what == "load + validate":
            totals[who] = median
        print(f"  {who:14}{_pad(what, 28)}{median:10.1f}{low:10.1f}{1000 / median:10.1f}")
    print(f"  ratio dangjian-docs / baseline (median, load + validate): "
          f"{totals['dangjian-docs'] / totals['baseline']:.2f}x")


def _pad(text: str, width: int) -> str:
    """Left-justify counting a CJK character as two columns."""
    shown = sum(2 if ord(c) > 0x2E80 else 1 for c in text)
    return text + " " * max(0, width - shown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per measurement (default 7)")
    parser.add_argument("--activities", type=int, default=5000,
                        help="activities in the generated file (default 5000)")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, PyYAML {yaml.__version__} "
          f"(libyaml {'yes' if yaml.__with_libyaml__ else 'no'})")
    bench_file(SAMPLE, args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        bench_file(scaled_sample(args.activities, Path(folder)), args.repeat)


if __name__ == "__main__":
    main()
