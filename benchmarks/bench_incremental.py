"""One changed data file in a large repo: the rebuild against the no-change rebuild.

    python benchmarks/bench_incremental.py [--files 1000] [--repeat 5] [--before main] [--repo DIR]

A repo of ``--files`` data files (``bench_repo.make_repo``: ``init``'s three examples under
many names, three kinds each, so three documents a file) is built cold once (``-j 2``). Then,
in fresh processes, alternating, ``--repeat`` times each: ``dangjian-docs build`` with nothing
changed, and ``build`` after one data file was edited (a township's figure that its summary and
report state, switched between two values, so every measured run has exactly one changed file
whose documents' bytes really change). Printed: medians of the wall time and of the CPU time
(the process and its workers), the ratio one-change / no-change (target: at most 1.5), and
whether each one-change build rewrote only that file's documents.

The code runs from a snapshot copied at the start (the manifest's hash of the tool must not
change under the benchmark). With ``--before REV`` the code of that revision is measured the same
way in the same run, on its own copy of the repo, and the documents of both compared byte for byte.
``--repo DIR`` keeps the generated repos there and reuses them (and their cold builds) next time.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_repo import make_repo  # noqa: E402
from common import ratio, run_process, tree_at  # noqa: E402

PYTHON = sys.executable
EDITED = 3
"""The data file edited (``单位0003``, a township centre in ``make_repo``'s mix)."""
FIGURE = ("全年开展进村义诊8次", "全年开展进村义诊9次")
"""The edit: a figure the summary and the report state, switched between these two."""


def edited_file(repo: Path) -> Path:
    return repo / "数据" / "2025" / f"组{EDITED // 100:02d}" / f"单位{EDITED:04d}.yaml"


def toggle(path: Path) -> None:
    """Switch the figure to its other value: the file's bytes (and its documents) change."""
    text = path.read_text("utf-8")
    old, new = FIGURE if FIGURE[0] in text else FIGURE[::-1]
    assert old in text, path
    path.write_text(text.replace(old, new, 1), "utf-8")


def written(folder: Path) -> dict[str, tuple[str, int]]:
    """Each document by path: SHA-256 and modification time."""
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*.docx"))}


def snapshot(into: Path) -> Path:
    for folder in ("dangjian_docs", "schemas", "templates"):
        shutil.copytree(ROOT / folder, into / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return compiled(into)


def compiled(tree: Path) -> Path:
    """The tree with its bytecode written, as an installed package has it (with
    ``PYTHONDONTWRITEBYTECODE`` set, every build would compile the whole package again)."""
    compileall.compile_dir(tree / "dangjian_docs", quiet=1)
    return tree


def prepare(repo: Path, files: int, tree: Path, cwd: Path) -> None:
    """The repo, built cold once (kept when ``--repo`` already holds it built by this code)."""
    if not (repo / "文稿" / ".dangjian-manifest.json").is_file():
        shutil.rmtree(repo, ignore_errors=True)
        make_repo(repo, files)
    run = run_process([PYTHON, "-m", "dangjian_docs", "build", str(repo), "-j", "2"],
                      {"PYTHONPATH": str(tree), "CI": "1"}, cwd)
    print(f"  cold (or catch-up) build -j 2: {run.wall_ms / 1000:6.1f} s wall, CPU {run.cpu_ms / 1000:6.1f} s")


def measure(label: str, repo: Path, tree: Path, cwd: Path, repeat: int, jobs: str | None) -> tuple[float, float]:
    build = [PYTHON, "-m", "dangjian_docs", "build", str(repo)] + (["-j", jobs] if jobs else [])
    env = {"PYTHONPATH": str(tree), "CI": "1"}
    run_process(build, env, cwd)  # warm the page cache and the bytecode
    same_wall, same_cpu, one_wall, one_cpu, peaks = [], [], [], [], []
    only_one = True
    for _ in range(repeat):
        run = run_process(build, env, cwd)
        same_wall.append(run.wall_ms)
        same_cpu.append(run.cpu_ms)
        before = written(repo / "文稿")
        toggle(edited_file(repo))
        run = run_process(build, env, cwd)
        one_wall.append(run.wall_ms)
        one_cpu.append(run.cpu_ms)
        peaks.append(run.peak_mb)
        after = written(repo / "文稿")
        touched = {name for name in after if after[name] != before.get(name)}
        only_one &= bool(touched) and all(f"青山{EDITED:04d}镇" in name for name in touched)
    sw, sc = statistics.median(same_wall), statistics.median(same_cpu)
    ow, oc = statistics.median(one_wall), statistics.median(one_cpu)
    print(f"  {label:20} no change   wall {sw / 1000:6.2f} s   CPU {sc / 1000:6.2f} s   (median of {repeat})")
    print(f"  {label:20} one change  wall {ow / 1000:6.2f} s   CPU {oc / 1000:6.2f} s   peak {max(peaks):4.0f} MB")
    print(f"  {label:20} one / none: wall {ratio(ow, sw)}   CPU {ratio(oc, sc)}   (target ≤ 1.5x); "
          f"only the edited file's documents rewritten: {'yes' if only_one else 'NO'}")
    return ow, oc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", default="", help="git revision to measure beside this tree")
    parser.add_argument("--repo", type=Path, help="keep the generated repos here and reuse them")
    parser.add_argument("-j", dest="jobs", help="-j of the measured builds (default: the command's)")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
          f"{args.files} data files ({args.files * 3} documents)")
    with tempfile.TemporaryDirectory() as tmp:
        base = args.repo or Path(tmp)
        trees = {"now": snapshot(Path(tmp) / "now")}
        if args.before:
            trees[f"before ({args.before})"] = compiled(tree_at(args.before, Path(tmp) / "before"))
        repos = {label: base / f"county-{i}" for i, label in enumerate(trees)}
        for label, tree in trees.items():
            print(f"== {label}")
            prepare(repos[label], args.files, tree, Path(tmp))
        print(f"  load now {os.getloadavg()[0]:.1f}")
        for label, tree in trees.items():
            measure(label, repos[label], tree, Path(tmp), args.repeat, args.jobs)
        if args.before:
            first, second = (written(repo / "文稿") for repo in repos.values())
            same = {k: v[0] for k, v in first.items()} == {k: v[0] for k, v in second.items()}
            print(f"  the {len(first)} documents of now and before are byte-identical: {'yes' if same else 'NO'}")
        print(f"  load now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
