"""A data repo of many files: cold, parallel and no-change builds, start-up, and the speed work.

    python benchmarks/bench_repo.py [--files 1000] [--repeat 3] [--naive 30] [--rounds 5] [--before main]
    python benchmarks/bench_repo.py --only naive --files 300 --before main   # the 10x row, ~4 minutes

Everything is measured in one run, each figure next to its baseline:

* a generated repo (``dangjian-docs init``'s three examples under many names: 10% large
  hospitals, 20% small hospitals, 70% township centres) built cold with ``-j 1`` and ``-j 2``,
  then rebuilt with no change, all through the real command in a fresh process;
* our cold ``-j 1`` build and the naive loop taken in turn (``--only naive``): ``--rounds``
  rounds of ours, the naive loop, and ours with the code of ``--before`` (the two versions
  going first in alternate rounds), each in a fresh process, so that the machine's drifting
  load falls on both sides of every ratio. The naive loop, on the first ``--naive`` files
  (three rounds of the 1:2:7 mix), is ``yaml.safe_load`` (dates kept as text), the Python
  ``jsonschema`` validator built beforehand, and plain docxtpl
  ``DocxTemplate(t).render(context); save()`` for each kind the repo's config names; the
  contexts are built beforehand and not timed, its imports are not counted, and it makes
  one file's documents before it is timed (all of which flatters it). Ours is the whole
  command's CPU time, start-up included. Printed: the median CPU ms per document of each,
  the naive loop's parts, and the median of the rounds' ratios (also without the jsonschema
  part);
* ``dangjian-docs --help`` and ``validate`` start-up, and ``python -X importtime`` of the
  command, against the code of ``--before`` (default: ``main``) and against a bare
  ``python -c pass``; the cold builds are run with that code too, and every build's documents
  compared byte for byte;
* ``assemble()`` with its compressed-part cache against plain :mod:`zipfile` (same bytes), and
  YAML loading of a 20,000-activity file with the garbage collector paused against running.

The code under test is a copy compiled to bytecode (``common.compiled``), as an installation
leaves it: without that, a process started with ``PYTHONDONTWRITEBYTECODE`` compiled every
module it imported, a cost no installed tool pays. Medians of ``--repeat`` runs (the cold
builds of the whole repo run once each unless asked).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import compiled, fresh_process, ratio, run_process, tree_at  # noqa: E402

import dangjian_docs  # noqa: E402
from dangjian_docs.documents import KINDS  # noqa: E402
from dangjian_docs.loading import yaml_tree  # noqa: E402
from dangjian_docs.rendering import package  # noqa: E402
from dangjian_docs.repo.scaffold import init_repo  # noqa: E402

PYTHON = sys.executable
MIX = [("数据/2025/青溪县人民医院.yaml", "青溪县人民医院", 1), ("数据/2025/青溪县中医院.yaml", "青溪县中医院", 2),
       ("数据/2025/青山镇卫生院.yaml", "青山镇", 7)]


def median_ms(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def command(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            codes: tuple[int, ...] = (0,)) -> Callable[[], None]:
    full_env = {**os.environ, "CI": "1", **(env or {})}

    def run() -> None:
        done = subprocess.run([PYTHON, *args], check=False, capture_output=True, env=full_env, cwd=cwd)
        assert done.returncode in codes, done.stderr[-2000:]

    return run


def make_repo(folder: Path, files: int) -> int:
    """``init``'s repo with its three examples copied under new names; returns the data files."""
    init_repo(folder)
    templates = [((folder / rel).read_text("utf-8"), name, weight) for rel, name, weight in MIX]
    for example in (folder / "数据").rglob("*.yaml"):  # the examples (and a region file, if any) go
        example.unlink()
    pattern = [t for t in templates for _ in range(t[2])]
    for i in range(files):
        text, name, _ = pattern[i % len(pattern)]
        group = folder / "数据" / "2025" / f"组{i // 100:02d}"
        group.mkdir(parents=True, exist_ok=True)
        renamed = name.replace("青溪县", f"青溪县第{i:04d}") if "青溪县" in name else f"青山{i:04d}镇"
        (group / f"单位{i:04d}.yaml").write_text(text.replace(name, renamed), "utf-8")
    return files


def _repo_and_code(tmp: Path, files: int, before: str | None) -> tuple[Path, dict[str, Path]]:
    """A repo of ``files`` data files in ``tmp``, and the code to build it with: a snapshot of
    this checkout (``now``) and, with ``before``, that revision's, each compiled as installed."""
    repo = tmp / "county"
    make_repo(repo, files)
    trees = {"now": snapshot(ROOT, tmp / "snapshot")}
    if before:
        trees[f"before ({before})"] = compiled(tree_at(before, tmp / "before"))
    return repo, trees


def bench_builds(files: int, repeat: int, before: str | None) -> None:
    print(f"\n== 数据仓库：{files} 个数据文件（{files * 3} 份文稿）")
    with tempfile.TemporaryDirectory() as tmp:
        repo, trees = _repo_and_code(Path(tmp), files, before)
        docs = files * 3
        print(f"  parallel capacity now: two busy processes take {parallel_capacity():.2f}x the time of one "
              "(1.0: two free cores; 2.0: one); peak: the largest single process (MB)")
        cold: dict[tuple[str, str], float] = {}
        cpu: dict[tuple[str, str], float] = {}
        outputs: dict[tuple[str, str], dict[str, str]] = {}
        for label, tree in trees.items():
            build = [PYTHON, "-m", "dangjian_docs", "build", str(repo)]
            env, cwd = {"PYTHONPATH": str(tree), "CI": "1"}, Path(tmp)
            for jobs in ("1", "2"):
                shutil.rmtree(repo / "文稿", ignore_errors=True)
                run = run_process([*build, "-j", jobs], env, cwd)
                cold[(label, jobs)], cpu[(label, jobs)] = run.wall_ms, run.cpu_ms
                outputs[(label, jobs)] = written(repo / "文稿")
                print(f"  {label:22} cold build -j {jobs}: {run.wall_ms / 1000:7.1f} s   "
                      f"{run.wall_ms / docs:6.1f} ms/份   CPU {run.cpu_ms / docs:6.1f} ms/份   "
                      f"peak {run.peak_mb:5.0f} MB")
            nochange = statistics.median(run_process(build, env, cwd).wall_ms for _ in range(repeat))
            print(f"  {label:22} no-change rebuild: {nochange / 1000:7.2f} s (median of {repeat}; target < 2 s)")
        first = next(iter(outputs.values()))
        same = all(found == first for found in outputs.values())
        print(f"  the {len(first)} documents are byte-identical in every build above: {'yes' if same else 'NO'}")
        if before:
            (now, old) = trees
            print(f"  ratio now / before, cold: -j 1 {ratio(cold[(now, '1')], cold[(old, '1')])} "
                  f"(CPU {ratio(cpu[(now, '1')], cpu[(old, '1')])}), -j 2 {ratio(cold[(now, '2')], cold[(old, '2')])} "
                  f"(CPU {ratio(cpu[(now, '2')], cpu[(old, '2')])})")


def written(folder: Path) -> dict[str, str]:
    """Each document a build wrote (by path) with its SHA-256; the manifest, which names the tool, aside."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.docx"))}


def parallel_capacity() -> float:
    """Wall time of two CPU-bound processes over one: 1.0 with two free cores, 2.0 with one.

    On a shared machine this says how much ``-j 2`` could gain at all during this run.
    """
    busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < 1: pass"

    def together(count: int) -> float:
        start = time.perf_counter()
        for process in [subprocess.Popen([PYTHON, "-c", busy]) for _ in range(count)]:
            process.wait()
        return time.perf_counter() - start

    return together(2) / together(1)


_NAIVE = """
import io, json, time
from pathlib import Path
import yaml
from docxtpl import DocxTemplate
from jinja2 import Environment
from jsonschema import Draft202012Validator
import dangjian_docs
from dangjian_docs.documents import KINDS
from dangjian_docs.repo import load_config
from dangjian_docs.resources import templates_dir

class Loader(yaml.SafeLoader):  # yaml.safe_load, dates kept as written: the schema checks them as text
    pass
Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str)
repo = Path({repo!r})
kinds = load_config(repo).kinds
schema = json.loads((Path(dangjian_docs.__file__).parent.parent / "schemas" / "year.schema.json").read_text("utf-8"))
validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
prepared = []
for path in sorted((repo / "数据").rglob("单位*.yaml"))[:{count}]:  # contexts built beforehand, not timed
    year = dangjian_docs.validate(dangjian_docs.load(path)).year
    prepared.append((path, {{k: KINDS[k].context(year) for k in kinds if KINDS[k].can_build(year)}}))
documents = sum(len(contexts) for _, contexts in prepared)
parts = {{}}

def naive(files=prepared):
    parts.clear()
    clock = time.process_time
    for path, contexts in files:
        t0 = clock()
        data = yaml.load(path.read_text("utf-8"), Loader=Loader)
        t1 = clock()
        validator.validate(data)
        t2 = clock()
        for kind, context in contexts.items():
            doc = DocxTemplate(templates_dir() / f"{{kind}}.docx")
            doc.render(context, Environment(autoescape=True))
            doc.save(io.BytesIO())
        t3 = clock()
        for part, took in (("yaml", t1 - t0), ("jsonschema", t2 - t1), ("docxtpl", t3 - t2)):
            parts[part] = parts.get(part, 0.0) + took * 1000 / documents

naive(prepared[:1])  # the warm-up: imports and first-use costs, on one file
"""


def bench_naive(files: int, rounds: int, naive: int, before: str | None) -> None:
    """Our cold ``-j 1`` build and the naive loop taken in turn, round after round, each in a
    fresh process: the machine's load drifts, and only a ratio of figures taken side by side
    means anything. CPU time; ours is the whole command (start-up included), the naive loop's
    only the loop (its imports and the contexts it is handed are not counted)."""
    print(f"\n== 与逐个生成轮流测量：{files} 个数据文件（{files * 3} 份文稿），逐个生成 {naive} 个文件，{rounds} 轮")
    with tempfile.TemporaryDirectory() as tmp:
        repo, trees = _repo_and_code(Path(tmp), files, before)
        docs = files * 3
        setup = _NAIVE.format(repo=str(repo), count=naive)
        ours: dict[str, list[float]] = {label: [] for label in trees}
        plain: list[float] = []
        parts: list[dict[str, float]] = []
        outputs: dict[str, dict[str, str]] = {}
        for turn in range(rounds):
            # the versions take turns going first, so neither always follows the naive loop's process
            for label, tree in (list(trees.items()) if turn % 2 == 0 else list(trees.items())[::-1]):
                shutil.rmtree(repo / "文稿", ignore_errors=True)
                run = run_process([PYTHON, "-m", "dangjian_docs", "build", str(repo), "-j", "1"],
                                  {"PYTHONPATH": str(tree), "CI": "1"}, Path(tmp))
                ours[label].append(run.cpu_ms / docs)
                outputs.setdefault(label, written(repo / "文稿"))
                if label == "now":  # the naive loop right after ours, before the next round's
                    figure = fresh_process(setup, "naive()", 1, trees["now"], extra="[parts, documents]",
                                           warmup=False)
                    plain.append(figure.median / figure.extra[1])
                    parts.append(figure.extra[0])
            line = "   ".join(f"{label} {values[-1]:5.2f}" for label, values in ours.items())
            print(f"  round {turn + 1}: CPU ms/份  {line}   naive {plain[-1]:6.1f}   "
                  f"naive / now {plain[-1] / ours['now'][-1]:5.1f}x")
        median = statistics.median
        for label, values in ours.items():
            print(f"  {label:22} cold build -j 1: CPU {median(values):6.2f} ms/份 (median of {rounds}; "
                  f"{min(values):.2f} .. {max(values):.2f})")
        print(f"  naive loop, {naive} files: CPU {median(plain):6.1f} ms/份 (median; "
              + ", ".join(f"{part} {median(p[part] for p in parts):.1f}" for part in parts[0]) + ")")
        ratios = [p / o for p, o in zip(plain, ours["now"], strict=True)]
        print(f"  naive / ours per document, median of the rounds' ratios: {median(ratios):.1f}x "
              f"(each round: {', '.join(f'{r:.1f}' for r in ratios)}; target >= 10x)")
        bare = [(p - q["jsonschema"]) / o for p, q, o in zip(plain, parts, ours["now"], strict=True)]
        print(f"  the same without jsonschema in the naive loop: {median(bare):.1f}x")
        if before:
            (now, old) = trees
            changes = [a / b for a, b in zip(ours[now], ours[old], strict=True)]
            print(f"  now / before per round (CPU): median {ratio(median(changes), 1)} "
                  f"({', '.join(f'{c:.2f}' for c in changes)})")
        first = next(iter(outputs.values()))
        same = all(found == first for found in outputs.values())
        print(f"  the {len(first)} documents are byte-identical in every version: {'yes' if same else 'NO'}")


def snapshot(root: Path, into: Path) -> Path:
    """The code of ``root`` copied and compiled: the manifest's hash of the tool must not change
    under a benchmark because someone is editing the checkout."""
    for folder in ("dangjian_docs", "schemas", "templates"):
        shutil.copytree(root / folder, into / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return compiled(into)


def bench_startup(repeat: int, before: str | None) -> None:
    print("\n== 启动")
    trees = {"now": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        if before:
            old = tree_at(before, Path(tmp) / "before")
            trees[f"before ({before})"] = str(old)
        bare = median_ms(command("-c", "pass"), repeat)
        print(f"  python -c pass: {bare:6.0f} ms")
        rows = {}
        for label, tree in trees.items():
            env = {"PYTHONPATH": tree}
            cwd = Path(tmp)
            sample = str(Path(tree) / "samples" / "binjiang-2025.yaml")  # each version its own sample
            helped = median_ms(command("-c", "from dangjian_docs.cli import main; import sys; "
                                       "sys.argv=['dangjian-docs','--help']; main()", env=env, cwd=cwd), repeat)
            checked = median_ms(command("-c", "from dangjian_docs.cli import main; import sys; "
                                        f"sys.argv=['dangjian-docs','validate',{sample!r}]; main()",
                                        env=env, cwd=cwd, codes=(0, 1)), repeat)
            imported = statistics.median(import_time(tree, cwd) for _ in range(repeat))
            peak = run_process([PYTHON, "-m", "dangjian_docs", "validate", sample], env, cwd, codes=(0, 1)).peak_mb
            rows[label] = (helped, checked, imported)
            print(f"  {label:28} --help {helped:6.0f} ms   validate sample {checked:6.0f} ms (peak {peak:3.0f} MB)   "
                  f"importtime dangjian_docs.cli {imported:6.0f} ms")
        if len(rows) == 2:
            (h1, v1, i1), (h0, v0, i0) = rows.values()
            print(f"  ratio now / before: --help {h1 / h0:.2f}x, validate {v1 / v0:.2f}x, import {i1 / i0:.2f}x "
                  "(target: validate one file < 80 ms)")


def import_time(tree: str, cwd: Path) -> float:
    """``python -X importtime`` of the command's module (run outside the checkout, so ``tree`` is used)."""
    result = subprocess.run([PYTHON, "-X", "importtime", "-c", "import dangjian_docs.cli"], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": tree}, check=True, cwd=cwd)
    total = 0  # the package and the command, each a top-level entry (cumulative microseconds)
    for line in result.stderr.splitlines():
        fields = line.split("|")
        if len(fields) == 3 and re.fullmatch(r" dangjian_docs(\.cli)?", fields[2].rstrip()):
            total += int(fields[1])
    return total / 1000


def bench_assemble(repeat: int) -> None:
    print("\n== assemble()（同样的字节）")
    year = dangjian_docs.validate(dangjian_docs.load(ROOT / "samples" / "binjiang-2025.yaml")).year
    assert year is not None
    for kind in KINDS:
        docx = dangjian_docs.render(year, kind)
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            order = [i.filename for i in archive.infolist()]
            parts = {n: archive.read(n) for n in order}
        plain, ours = assemble_times(parts, order, repeat)
        print(f"  {kind:8} zipfile {plain:6.2f} ms   ours {ours:6.2f} ms   ratio {plain / ours:4.1f}x")
    batch = 60
    original = package.assemble

    def render_batch() -> None:
        for _ in range(batch // 3):
            for kind in KINDS:
                dangjian_docs.render(year, kind)

    ours = median_ms(render_batch, repeat)
    package.assemble = lambda parts, order, when: package._assemble_with_zipfile(  # type: ignore[assignment]
        parts, order, (max(when.year, 1980), when.month, when.day, 0, 0, 0))
    try:
        plain = median_ms(render_batch, repeat)
    finally:
        package.assemble = original
    print(f"  render batch of {batch}: with plain zipfile {plain:6.0f} ms, ours {ours:6.0f} ms, "
          f"ratio ours / plain {ours / plain:.2f}x")


def assemble_times(parts: dict[str, bytes], order: list[str], repeat: int) -> tuple[float, float]:
    """Milliseconds per document for plain zipfile and for ours, the document part new each time."""
    when = dt.date(2025, 12, 20)
    stamp = (2025, 12, 20, 0, 0, 0)

    serial = iter(range(10**9))

    def fresh_document() -> dict[str, bytes]:  # the document part differs in every document
        return {**parts, "word/document.xml": parts["word/document.xml"] + b"<!--%d-->" % next(serial)}

    probe = fresh_document()
    assert package.assemble(probe, order, when) == package._assemble_with_zipfile(probe, order, stamp)
    ours = median_ms(lambda: [package.assemble(fresh_document(), order, when) for _ in range(20)], repeat) / 20
    plain = median_ms(lambda: [package._assemble_with_zipfile(fresh_document(), order, stamp)
                               for _ in range(20)], repeat) / 20
    return plain, ours


def bench_gc(repeat: int, activities: int) -> None:
    print(f"\n== 读取 {activities} 条活动记录的大文件")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_validate import scaled_sample

    with tempfile.TemporaryDirectory() as tmp:
        path = scaled_sample(activities, Path(tmp))
        text = path.read_text("utf-8")
        paused = median_ms(lambda: yaml_tree.parse(text, "big.yaml"), repeat)
        running = median_ms(lambda: yaml_tree._parse(text, "big.yaml"), repeat)  # the same, collector on
        print(f"  parse with the collector running {running:7.0f} ms, paused {paused:7.0f} ms, "
              f"ratio paused / running {paused / running:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive", type=int, default=30, help="files in the naive loop (it is slow)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of our build and the naive loop in turn")
    parser.add_argument("--activities", type=int, default=20000)
    parser.add_argument("--before", default="main",
                        help="git revision to compare the builds and the start-up with ('' for none)")
    parser.add_argument("--only", choices=["builds", "naive", "startup", "assemble", "gc"], action="append")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians of {args.repeat} runs")
    chosen = args.only or ["startup", "assemble", "gc", "builds", "naive"]
    if "startup" in chosen:
        bench_startup(max(args.repeat, 5), args.before or None)
    if "assemble" in chosen:
        bench_assemble(args.repeat)
    if "gc" in chosen:
        bench_gc(args.repeat, args.activities)
    if "builds" in chosen:
        bench_builds(args.files, args.repeat, args.before or None)
    if "naive" in chosen:
        bench_naive(args.files, args.rounds, args.naive, args.before or None)


if __name__ == "__main__":
    main()
