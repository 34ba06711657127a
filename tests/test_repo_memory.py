"""A repo build streams its files: no file's model outlives the writing of its documents, and
the models kept between checking and making stay within a fixed budget (issue #18: a build's
memory must not grow with the number of files). Structural, not timed: each test counts the
models alive, which is what made a worker grow by every file it was dealt."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import multiprocessing
import shutil
import weakref
from collections import Counter
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import pytest

import dangjian_docs
import dangjian_docs.api
from dangjian_docs.diagnostics import Diagnostic
from dangjian_docs.model import YearData
from dangjian_docs.repo import build_repo, default_config, spill, workers
from dangjian_docs.repo.build import DocumentState
from dangjian_docs.repo.discovery import DataSource
from dangjian_docs.repo.manifest import OutputRecord, SourceRecord
from dangjian_docs.repo.workers import CheckTask, MakeTask

HOSPITALS = Path(__file__).resolve().parent / "data" / "region" / "hospitals"
SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "binjiang-2025.yaml"
TOWNS = ["红山", "白沙", "石桥", "柳溪", "松岭", "梅林"]


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """Last year's and this year's file of one hospital, and six more organisations this year."""
    root = tmp_path / "county"
    for year, name in ((2024, "renmin-2024.yaml"), (2025, "renmin-2025.yaml"), (2025, "zhongyi-2025.yaml")):
        (root / str(year)).mkdir(parents=True, exist_ok=True)
        shutil.copy(HOSPITALS / name, root / str(year) / name)
    text = (HOSPITALS / "zhongyi-2025.yaml").read_text("utf-8")
    name = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("name:"))
    for town in TOWNS:
        (root / "2025" / f"{town}.yaml").write_text(text.replace(name, f"{town}{name}"), "utf-8")
    return root


@pytest.fixture
def shelf_budget() -> Iterator[Any]:
    """Set how much of the models kept between checking and making stays in memory, and how
    much may go to the spill file; restored afterwards."""
    before = workers._shelf.budget, workers._shelf.spill_limit

    def set_budget(budget: int, spill: int = workers.SPILL_BYTES) -> None:
        workers._shelf.budget, workers._shelf.spill_limit = budget, spill

    yield set_budget
    workers._shelf.budget, workers._shelf.spill_limit = before


def live_years() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, YearData))


def written(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "文稿").rglob("*.docx"))}


def watch_renders(monkeypatch: pytest.MonkeyPatch) -> tuple[list[weakref.ref[YearData]], list[int], list[int]]:
    """Every year model rendered (weakly); as each next file's documents begin, how many models
    were alive, and how many of the files already written still had theirs."""
    rendered: list[weakref.ref[YearData]] = []
    alive: list[int] = []
    kept: list[int] = []
    render = dangjian_docs.api.render

    def watched(year: YearData, *args: Any, **kwargs: Any) -> bytes:
        if not rendered or rendered[-1]() is not year:  # the next file's documents begin
            alive.append(live_years())
            kept.append(sum(1 for ref in rendered if ref() is not None))
            rendered.append(weakref.ref(year))
        return render(year, *args, **kwargs)

    monkeypatch.setattr(dangjian_docs.api, "render", watched)
    return rendered, alive, kept


def test_a_files_model_is_gone_once_its_documents_are_written(
        county: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered, _, kept = watch_renders(monkeypatch)
    outcome = build_repo(default_config(county), jobs=1)
    assert not outcome.failed and not outcome.stopped and len(outcome.built) == 9 * 2
    assert len(rendered) == 9
    assert kept == [0] * 9  # as each file began, no file written before it still had its model
    gc.collect()
    assert [ref for ref in rendered if ref() is not None] == []
    assert not workers._shelf.models


def test_models_kept_for_making_stay_within_the_budget(
        county: Path, monkeypatch: pytest.MonkeyPatch, shelf_budget: Any) -> None:
    """With room in memory for about one file's model, no more than that one, the file being
    rendered and last year's are alive at once, however many files the repo has (the others
    wait in the spill file)."""
    shelf_budget(1500)  # one of these files (1.1–2.1 KB each) fits, two do not
    before = live_years()  # models other tests' session fixtures hold
    _, alive, _ = watch_renders(monkeypatch)
    outcome = build_repo(default_config(county), jobs=1)
    assert not outcome.failed and len(outcome.built) == 9 * 2
    assert len(alive) == 9
    assert max(alive) - before <= 3, (before, alive)


@pytest.mark.parametrize(("budget", "spill"), [(0, workers.SPILL_BYTES), (0, 0), (1500, 3000)],
                         ids=["all-spilled", "all-validated-again", "some-of-each"])
def test_models_spilled_or_validated_again_make_the_same_bytes(
        county: Path, shelf_budget: Any, budget: int, spill: int) -> None:
    """Whether a file's model was kept in memory since its check, read back from the spill file
    or validated again for making (last year's included), the documents are the same."""
    kept = build_repo(default_config(county), jobs=1)
    everything = written(county)
    shutil.rmtree(county / "文稿")
    shelf_budget(budget, spill)
    again = build_repo(default_config(county), jobs=1)
    assert sorted(kept.built) == sorted(again.built) and kept.diagnostics == again.diagnostics
    assert written(county) == everything and len(everything) == 9 * 2
    assert workers._shelf._file is None  # the spill file is closed (and so gone) after the build


def _what_a_forked_child_holds(_: object) -> tuple[int, bool]:
    return len(workers._shelf.spilled), workers._shelf._file is None


def test_a_forked_worker_leaves_the_spill_file_to_its_parent(shelf_budget: Any) -> None:
    """Workers are forked from the build: the spill file's descriptor (and its position) would
    be shared with the parent's, so a child does not touch it and the parent's models stay whole."""
    shelf_budget(0)  # the model goes to the spill file (any picklable object stands for one here)
    assert workers._shelf.keep(("a.yaml", "digest"), {"year": 2025}, None, 10)
    assert workers._shelf.spilled
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            assert pool.map(_what_a_forked_child_holds, [None]) == [(0, True)]
        assert workers._shelf.take(("a.yaml", "digest")) == ({"year": 2025}, None)
    finally:
        workers._shelf.clear()


def test_a_model_read_back_from_the_spill_file_still_knows_where_each_item_was(shelf_budget: Any) -> None:
    """A diagnostic raised while making (a picture changed since the check) names the item's
    place in the data: a model read back from the spill file must give the same paths, not
    paths of other objects that happen to have been at the same address."""
    year = dangjian_docs.validate(dangjian_docs.load(SAMPLE)).year
    assert year is not None and year.activities and year.branches
    shelf_budget(0)
    try:
        assert workers._shelf.keep(("binjiang", "digest"), year, None, 10)
        back = workers._shelf.take(("binjiang", "digest"))
    finally:
        workers._shelf.clear()
    assert back is not None and back[0] is not year
    again = back[0]
    assert [again.path_of(a) for a in again.activities] == [("activities", i) for i in range(len(year.activities))]
    assert [again.path_of(b) for b in again.branches] == [("branches", i) for i in range(len(year.branches))]
    assert again.path_of(year.activities[0]) == ()  # the old object is not one of the copy's items


# -- the build's own process ----------------------------------------------------------------

PER_FILE = (Diagnostic, OutputRecord, SourceRecord, DocumentState, DataSource, CheckTask, MakeTask)
"""What the build's own process once kept one (or more) of for every data file until the end."""


def organisations(root: Path, count: int) -> Path:
    """A repo of ``count`` organisations' years (one hospital's file under new names)."""
    text = (HOSPITALS / "zhongyi-2025.yaml").read_text("utf-8")
    name = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("name:"))
    (root / "2025").mkdir(parents=True)
    for i in range(count):
        (root / "2025" / f"第{i:03d}院.yaml").write_text(text.replace(name, f"第{i}{name}"), "utf-8")
    return root


def test_the_build_keeps_no_record_of_every_file_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As each file's documents are recorded, the build's own process holds a few of each kind
    of per-file record (those kept in memory before the rest go to disk, the file at hand, the
    task in flight), not one for every file so far: past the first few, the manifest's records,
    the diagnostics, the documents' states and the tasks wait on disk. Fifteen files or thirty,
    the most alive at once is the same, and the report lists them all."""
    from dangjian_docs.repo import build as repo_build

    record_made = repo_build.RepoBuild._record_made
    most: dict[int, dict[str, int]] = {}

    def alive() -> Counter[str]:
        gc.collect()
        return Counter(type(o).__name__ for o in gc.get_objects() if isinstance(o, PER_FILE))

    already = alive()  # held before the builds (earlier tests' template checks, cached): not theirs

    def counted(build: Any, planned: Any, made: Any) -> None:
        now = alive()
        alive_now = {kind.__name__: now[kind.__name__] - already[kind.__name__] for kind in PER_FILE}
        size = build.outcome.files
        most[size] = {k: max(n, most.get(size, {}).get(k, 0)) for k, n in alive_now.items()}
        record_made(build, planned, made)

    monkeypatch.setattr(repo_build.RepoBuild, "_record_made", counted)
    monkeypatch.setattr(spill, "IN_MEMORY", 5)  # each list or table: five in memory, the rest on disk
    outcomes = {n: build_repo(dataclasses.replace(default_config(organisations(tmp_path / str(n), n)),
                                                  kinds=("report",)), jobs=1) for n in (15, 30)}
    assert most[15] == most[30], most
    assert max(most[30].values()) <= spill.IN_MEMORY + 3, most
    for n, outcome in outcomes.items():  # every file's documents are listed and its note reported
        assert not outcome.failed and len(outcome.built) == len(outcome.documents) == n
        assert len({d.file for d in outcome.diagnostics}) == n


def test_the_runner_reads_its_tasks_as_it_hands_them_out() -> None:
    """With worker processes, the runner reads a few chunks per worker ahead of the results, not
    every task at once (a build's plan is read from disk as the workers take it)."""
    read = []

    class Tasks(Collection[int]):
        def __len__(self) -> int:
            return 1000

        def __iter__(self) -> Iterator[int]:
            for i in range(1000):
                read.append(i)
                yield i

        def __contains__(self, task: object) -> bool:
            return False

    ahead = []
    with workers.Runner(2) as runner:
        results = []
        for result in runner.run(abs, Tasks(), key=str, chunk=2):
            results.append(result)
            ahead.append(len(read) - len(results))
    assert sorted(results) == list(range(1000))
    per_stage = 2 * workers.AHEAD * 2  # workers × chunks ahead × tasks a chunk
    assert max(ahead) <= 3 * per_stage, ahead  # in flight, just finished, and met on the way for the other worker
