"""Load and validate time: ours now, ours before, and bare PyYAML + a JSON Schema validator, one run.

    python benchmarks/bench_validate.py [--repeat 7] [--rounds 3] [--activities 5000] [--before REV]

Measured on the sample (samples/binjiang-2025.yaml) and on a generated file with 5,000
activities (the sample's log repeated with shifted dates and numbered topics, still valid).

Ours is ``dangjian_docs.load`` (read, decode, parse keeping every position, refuse unsafe tags
and duplicate keys) then ``dangjian_docs.validate`` (schema with Chinese messages, typed model,
cross-checks, the organisational-life rules and the findings); a third row adds what a build
does next with the same year, the context of each document it can make (each kind, and each
branch or Party group of a kind written once for each; the facts they share are worked out once
per year). "before" is the same at git
revision ``--before`` (default ``main``; ``''`` for none). The baselines are what a bare script
would do: ``yaml.load(text, Loader=CSafeLoader)`` (dates kept as text, as the schema expects)
then a validator built beforehand with the same schema and format checks: jsonschema-rs's (the
target's baseline) and the Python jsonschema's.

Every row runs in a fresh process (see ``common.py``), ``--rounds`` times taking the rows in
turn: the median of the rounds' medians of ``--repeat`` runs after a warm-up, the least minimum,
in milliseconds of CPU time, and the process's peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from common import ROOT, Figure, fresh_process, ratio, tree_at

sys.path.insert(0, str(ROOT))

import dangjian_docs

SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
BEGIN = "  # ==== 活动记录开始"
END = "  # ==== 活动记录结束"


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


LOAD, BOTH, CONTEXTS = "load（读取并记录位置）", "load + validate", "validate + 三种文稿的内容"
_OURS = """
import dangjian_docs
from pathlib import Path
from dangjian_docs.documents import KINDS
path = Path({path!r})
source = dangjian_docs.load(path)
def contexts():
    year = dangjian_docs.validate(source).year
    return [spec.context(year, subject) for spec in KINDS.values() if spec.can_build(year)
            for subject in spec.subjects(year)]
"""
_BARE = """
import json, yaml, jsonschema_rs
from pathlib import Path
from jsonschema import Draft202012Validator
path = Path({path!r})
class Loader(yaml.CSafeLoader):
    pass
Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str)
schema = json.loads(Path({schema!r}).read_text(encoding="utf-8"))
fast = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
slow = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
fast.validate(yaml.load(path.read_text(encoding="utf-8"), Loader=Loader))  # valid for the baseline too
"""


def combined(figures: list[Figure]) -> Figure:
    """Rounds of one row as one figure: the median of their medians, the least minimum and peak."""
    return Figure(statistics.median(f.median for f in figures), min(f.low for f in figures),
                  min(f.peak_mb for f in figures))


def bench_file(path: Path, repeat: int, rounds: int, before: Path | None) -> None:
    source = dangjian_docs.load(path)
    result = dangjian_docs.validate(source)
    assert not result.errors, [d.message for d in result.errors[:5]]
    ours = _OURS.format(path=str(path))
    bare = _BARE.format(path=str(path), schema=str(ROOT / "schemas" / "year.schema.json"))
    read = "yaml.load(path.read_text(encoding='utf-8'), Loader=Loader)"
    trees = {"ours now": None, **({"ours before": before} if before else {})}
    plan: list[tuple[str, str, str, str, Path | None]] = []
    for who, tree in trees.items():
        plan += [(who, LOAD, ours, "dangjian_docs.load(path)", tree),
                 (who, BOTH, ours, "dangjian_docs.validate(dangjian_docs.load(path))", tree),
                 (who, CONTEXTS, ours, "contexts()", tree)]
    plan += [("CSafeLoader", "yaml.load", bare, read, None),
             ("CSafeLoader", "+ jsonschema-rs", bare, f"fast.validate({read})", None),
             ("CSafeLoader", "+ jsonschema", bare, f"slow.validate({read})", None)]
    taken: dict[tuple[str, str], list[Figure]] = {}
    for _ in range(rounds):  # every row once a round: a machine's drift reaches each row alike
        for who, what, setup, action, tree in plan:
            taken.setdefault((who, what), []).append(fresh_process(setup, action, repeat, tree))
    rows = [(who, what, combined(figures)) for (who, what), figures in taken.items()]
    size = path.stat().st_size / 1024
    activities = len(source.data.get("activities") or ())
    print(f"\n{path.name}: {size:,.0f} KB, {activities:,} activities; {rounds} rounds of {repeat} runs, CPU ms")
    print(f"  {'':14}{'':24}{'median':>9}{'min':>9}{'peak MB':>9}")
    for who, what, figure in rows:
        print(f"  {who:14}{_pad(what, 24)}{figure.median:9.1f}{figure.low:9.1f}{figure.peak_mb:9.0f}")
    got = {(who, what): figure.median for who, what, figure in rows}
    now_load, now_both = got[("ours now", LOAD)], got[("ours now", BOTH)]
    target = got[("CSafeLoader", "+ jsonschema-rs")]
    line = f"  load + validate / (CSafeLoader + jsonschema-rs): now {ratio(now_both, target)} (target ≤ 0.5x)"
    if before:
        old_load, old_both = got[("ours before", LOAD)], got[("ours before", BOTH)]
        old_contexts, now_contexts = got[("ours before", CONTEXTS)], got[("ours now", CONTEXTS)]
        line += (f", before {ratio(old_both, target)}; now / before: load {ratio(now_load, old_load)}, "
                 f"load + validate {ratio(now_both, old_both)}, "
                 f"validate + contexts {ratio(now_contexts, old_contexts)}")
    print(line)
    print(f"  load with positions / yaml.load (CSafeLoader): {ratio(now_load, got[('CSafeLoader', 'yaml.load')])}")


def _pad(text: str, width: int) -> str:
    """Left-justify counting a CJK character as two columns."""
    shown = sum(2 if ord(c) > 0x2E80 else 1 for c in text)
    return text + " " * max(0, width - shown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per measurement (default 7)")
    parser.add_argument("--activities", type=int, default=5000,
                        help="activities in the generated file (default 5000)")
    parser.add_argument("--before", default="main", help="git revision to compare with ('' for none)")
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per row, taken in turn (default 3)")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, PyYAML {yaml.__version__} "
          f"(libyaml {'yes' if yaml.__with_libyaml__ else 'no'}), {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as folder:
        before = tree_at(args.before, Path(folder) / "before") if args.before else None
        bench_file(SAMPLE, args.repeat, args.rounds, before)
        bench_file(scaled_sample(args.activities, Path(folder)), args.repeat, args.rounds, before)


if __name__ == "__main__":
    main()
