"""The county roll-up in a data repo: what an unchanged region costs a no-change rebuild.

Generates ``init``'s repo with N institutions (the small-hospital example under N names) all
listed in one region file, builds it once, then prints the median of no-change rebuilds beside
the time one full check of the region takes (what every rebuild paid before region checks were
recorded in the manifest). Run: ``python benchmarks/bench_rollup.py [N]``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dangjian_docs.region import validate_region  # noqa: E402
from dangjian_docs.repo.scaffold import init_repo  # noqa: E402


def make_repo(folder: Path, institutions: int) -> Path:
    init_repo(folder)
    data = folder / "数据" / "2025"
    example = (data / "青溪县中医院.yaml").read_text("utf-8")
    for path in data.glob("*.yaml"):
        path.unlink()
    lines = ["year: 2025", "region: {name: 青溪县, body: 青溪县卫生健康局党委}", "institutions:"]
    for i in range(institutions):
        name = f"单位{i:03d}.yaml"
        (data / name).write_text(example.replace("青溪县中医院", f"青溪县第{i:03d}医院"), "utf-8")
        lines.append(f"  - {{file: {name}, type: 公立医院}}")
    lines.append("signature: {body: 中共青溪县卫生健康局委员会, date: 2025-12-28}")
    region = data / "汇总.yaml"
    region.write_text("\n".join(lines) + "\n", "utf-8")
    return region


def run_ms(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dangjian_docs", *args], check=True, capture_output=True, cwd=ROOT)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    institutions = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "county"
        region = make_repo(repo, institutions)
        cold = run_ms("build", str(repo), "-j", "2")
        rebuilds = [run_ms("build", str(repo), "-j", "2") for _ in range(5)]
        checks = []
        for _ in range(3):
            start = time.perf_counter()
            validate_region(region)
            checks.append((time.perf_counter() - start) * 1000)
    no_change, check = statistics.median(rebuilds), statistics.median(checks)
    print(f"区县汇总：{institutions} 个单位（{institutions * 3 + 1} 份文稿）")
    print(f"  cold build -j 2:            {cold / 1000:6.2f} s")
    print(f"  no-change rebuild (median): {no_change / 1000:6.2f} s")
    print(f"  one full region check:      {check / 1000:6.2f} s  (paid by every rebuild without the record)")
    print(f"  ratio no-change / (no-change + check): {no_change / (no_change + check):.2f}")


if __name__ == "__main__":
    main()
