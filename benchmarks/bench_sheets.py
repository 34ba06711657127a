"""Importing an activity log kept in a workbook: ours against openpyxl's fastest reading, one run.

    python benchmarks/bench_sheets.py [--rows 20000] [--repeat 5]

A workbook of ``--rows`` activities (the sample's 520, repeated) is written with
``template-sheet``'s writer. Ours is :func:`dangjian_docs.loading.load` of a data file whose
``activities_from`` names it: read through the bounded reader, values with python-calamine,
formulas and hidden rows from one streaming pass over the sheet XML, every value checked and
placed at its cell. The baseline is what a script would write with openpyxl: ``load_workbook(
read_only=True, data_only=True)`` and ``iter_rows(values_only=True)`` into a list, which checks
nothing. Each is timed ``--repeat`` times after a warm-up (median and min, ms), and each runs once
more in a fresh process for its peak memory (``VmHWM``, the process's own high-water mark).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dangjian_docs.loading import load  # noqa: E402
from dangjian_docs.sheet_template import workbook  # noqa: E402

SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"

OURS = "from dangjian_docs.loading import load; load({data!r})"
BASELINE = ("import openpyxl; b = openpyxl.load_workbook({book!r}, read_only=True, data_only=True); "
            "rows = list(b['活动记录'].iter_rows(values_only=True))")
PEAK = "\nwith open('/proc/self/status') as f: print(next(l.split()[1] for l in f if l.startswith('VmHWM')))"


def make(folder: Path, rows: int) -> tuple[Path, Path]:
    text = SAMPLE.read_text("utf-8")
    source = load(SAMPLE).data
    log = source["activities"]
    source["activities"] = [log[i % len(log)] for i in range(rows)]
    book = folder / "活动记录.xlsx"
    book.write_bytes(workbook(source))
    start = text.index("\nactivities:\n")
    end = text.index("\ndevelopment:", start)
    data = folder / "data.yaml"
    data.write_text(text[:start] + "\nactivities_from: 活动记录.xlsx" + text[end:], "utf-8")
    assert len(load(data).data["activities"]) == rows
    return book, data


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def peak_mb(code: str) -> float:
    done = subprocess.run([sys.executable, "-c", code + PEAK], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    return int(done.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book, data = make(Path(tmp), args.rows)
        import openpyxl

        def baseline() -> object:
            opened = openpyxl.load_workbook(book, read_only=True, data_only=True)
            rows = list(opened["活动记录"].iter_rows(values_only=True))
            opened.close()
            return rows

        ours = timed(lambda: load(data), args.repeat)
        base = timed(baseline, args.repeat)
        ratios = sorted(o / b for o, b in zip(ours, base, strict=True))
        print(f"workbook: {args.rows} rows, {book.stat().st_size / 1024:.0f} KB; {args.repeat} runs after a warm-up")
        print(f"{'':32}{'median ms':>12}{'min ms':>10}{'peak MB':>10}")
        print(f"{'ours (load, checked, placed)':32}{statistics.median(ours):12.0f}{min(ours):10.0f}"
              f"{peak_mb(OURS.format(data=str(data))):10.0f}")
        print(f"{'openpyxl read-only values':32}{statistics.median(base):12.0f}{min(base):10.0f}"
              f"{peak_mb(BASELINE.format(book=str(book))):10.0f}")
        print(f"ratio ours/openpyxl, run by run: median {statistics.median(ratios):.2f} "
              f"(min {ratios[0]:.2f}, max {ratios[-1]:.2f})")


if __name__ == "__main__":
    main()
