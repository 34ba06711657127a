"""Time of the text conventions on hostile runs: each must grow linearly with the input.

    python benchmarks/bench_linear.py [--repeat 3]

For every pattern applied to user text (``full_width``/``paragraphs`` and the placeholder
search) it times inputs of 100k, 200k, 400k and 800k characters built to make a backtracking
pattern go quadratic (runs of spaces before and inside brackets, open brackets never closed,
punctuation followed by spaces and a digit…), and prints the median time of each size and the
ratio between doubling sizes. Linear code shows ratios near 2; a quadratic one near 4.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dangjian_docs.domain.placeholders import find_placeholder  # noqa: E402
from dangjian_docs.domain.writing import full_width, paragraphs  # noqa: E402

CASES: dict[str, Callable[[int], str]] = {
    "spaces then text": lambda n: "党建" + " " * n + "x",
    "spaces then (": lambda n: "党建" + " " * n + "(a",
    "tabs and spaces, no (": lambda n: "党建" + " \t" * (n // 2),
    "( never closed, CJK": lambda n: "党建(" + "中" * n,
    "many ( with CJK": lambda n: "党建" + "(中" * (n // 2),
    "（ never closed": lambda n: "（" + "a" * n + "(",
    "， then spaces and digit": lambda n: "党建," + " " * n + "1",
    "spaces then ,": lambda n: "党建" + " " * n + ",党",
    ". then spaces": lambda n: "党建." + " " * n,
    "X run then letter": lambda n: "X" * n + "a",
    "quote pairs": lambda n: '党"' * n,
}
SIZES = (100_000, 200_000, 400_000, 800_000)


def median_time(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'case':28} " + " ".join(f"{n // 1000:>7}k" for n in SIZES) + "   ratios (per doubling)")
    for name, make in CASES.items():
        row = []
        for size in SIZES:
            text = make(size)
            row.append(median_time(lambda t=text: (paragraphs(t), full_width(t), find_placeholder(t)),
                                   args.repeat))
        ratios = [b / a if a else float("nan") for a, b in itertools.pairwise(row)]
        print(f"{name:28} " + " ".join(f"{t * 1000:7.1f}ms" for t in row)
              + "   " + " ".join(f"{r:4.1f}" for r in ratios))
    million = "党建工作" + " " * 1_000_000 + "(党)"
    elapsed = median_time(lambda: paragraphs(million), args.repeat)
    print(f"\nOne line with a run of a million spaces: {elapsed * 1000:.1f} ms (median of {args.repeat}).")


if __name__ == "__main__":
    main()
