"""What a repo build keeps on disk instead of in memory (``repo.spill``) reads back as the
lists and dicts it replaced: the report lists the problems in the same order, the manifest
names its records in the same order."""

from __future__ import annotations

import random

import pytest

from dangjian_docs.diagnostics import Diagnostic, Severity, has_errors, sort_key
from dangjian_docs.repo import spill
from dangjian_docs.repo.spill import DiagnosticLog, Rows, Table
from dangjian_docs.reporting import counts


@pytest.fixture(params=[0, 100, 100_000], ids=["on-disk", "moved-to-disk", "in-memory"], autouse=True)
def in_memory(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Each test with everything on disk, with the first hundred records in memory and then all
    moved to disk, and with everything in memory: the three read back alike."""
    monkeypatch.setattr(spill, "IN_MEMORY", request.param)
    return int(request.param)

NAMES = ["数据/b.yaml", "数据/a.yaml", "数据/a.yaml", "", "Zeta.yaml", "数据/𠀀.yaml", "数据/\udcff.yaml",
         "数据/ｆ.yaml", "数据/a.yaml.bak"]
"""File names that sort differently as bytes and as text if one is careless: CJK, an astral
character, a byte that is not UTF-8 (kept by Python as a lone surrogate), full-width letters."""


def diagnostics(count: int) -> list[Diagnostic]:
    pick = random.Random(18)
    return [Diagnostic(pick.choice(list(Severity)), pick.choice(["a", "b"]), f"第{i}条",
                       pick.choice([*NAMES, None]), pick.choice([None, 0, 1, 12]), pick.choice([None, 3]),
                       pick.choice(["", "branches[0]"]), pick.choice(["", "提示"])) for i in range(count)]


def test_problems_are_read_back_in_the_reports_order() -> None:
    """By file, line, column, data path and code, and otherwise as they came (a stable sort)."""
    found = diagnostics(2000)
    log = DiagnosticLog()
    for d in found[:700]:
        log.append(d)
    log += found[700:]
    expected = sorted(found, key=sort_key)
    assert list(log) == expected and len(log) == 2000
    assert log[:500] == expected[:500] and log[1999] == expected[1999] and log[-1] == expected[-1]
    assert log == expected and expected[0] in log
    notes = [d for d in found if d.severity is Severity.NOTE]
    warned = DiagnosticLog(d for d in found if d.severity is not Severity.ERROR)
    assert counts(log) == counts(found) and counts(warned) == counts(list(warned))  # the report's closing count
    for strict in (False, True):  # counted as they came, as has_errors reads them all
        assert log.has_errors(strict=strict) == has_errors(found, strict=strict)
        assert DiagnosticLog(notes).has_errors(strict=strict) == has_errors(notes, strict=strict) is False
        assert warned.has_errors(strict=strict) == has_errors(list(warned), strict=strict) == strict


def test_named_records_are_iterated_in_sorted_order_while_they_change() -> None:
    table: Table[int] = Table()
    names = sorted({f"{name}{i}" for i in range(300) for name in NAMES})
    random.Random(4).shuffle(names)
    for i, name in enumerate(names):
        table[name] = i
    assert list(table) == sorted(names) and len(table) == len(names)
    assert table.setdefault(names[0], -1) == 0 and table.setdefault("新", -1) == -1
    del table["新"]
    for name in table:  # deleting as the manifest forgets orphans: every other name is still met
        if table[name] % 2:
            del table[name]
    assert [name for name, _ in table.items()] == sorted(n for i, n in enumerate(names) if i % 2 == 0)


def test_a_table_read_while_it_grows_meets_every_name_once() -> None:
    """Names added while the table is read (it may move to disk meanwhile) do not make it skip
    or repeat the names it had."""
    table: Table[int] = Table((f"{i:04d}", i) for i in range(0, 400, 2))
    met = []
    for name in table:
        met.append(name)
        table[f"{int(name) + 1:04d}"] = 1  # after this name, before the next
    assert met == sorted(set(met)) and set(met) >= {f"{i:04d}" for i in range(0, 400, 2)}


def test_rows_keep_their_order_and_names() -> None:
    rows: Rows[tuple[str, int]] = Rows()
    for i in range(1000):
        rows.append((f"第{i}个", i), name=f"文件{i}")
    rows[10] = ("改过", 10)
    assert list(rows)[:11] == [*((f"第{i}个", i) for i in range(10)), ("改过", 10)]
    assert rows[999] == ("第999个", 999) and rows.find("文件10") == ("改过", 10)
    assert rows.named("文件999") and not rows.named("文件1000")


def test_what_is_stored_is_read_back_at_once() -> None:
    """A value stored, replaced or removed is read back so at once, whether it has reached the
    disk yet or still waits in memory with others to be written together."""
    table: Table[tuple[str, int]] = Table()
    for i in range(1500):
        table[f"名{i:04d}"] = ("值", i)
        assert table[f"名{i:04d}"] == ("值", i) and f"名{i:04d}" in table
    assert table.setdefault("名0007", ("新", -1)) == ("值", 7) and table.setdefault("名9999", ("新", -1)) == ("新", -1)
    table["名0003"] = ("改过", 3)
    del table["名1499"], table["名0004"]
    assert table.get("名1499") is None and "名0004" not in table and table.get("名0003") == ("改过", 3)
    with pytest.raises(KeyError):
        del table["名1499"]
    assert len(table) == 1499 and list(table)[:4] == ["名0000", "名0001", "名0002", "名0003"]


def test_rows_changed_anywhere_read_back_changed() -> None:
    """Records replaced far apart (each where the others are not), then read in order and by name."""
    rows: Rows[int] = Rows()
    for i in range(700):
        rows.append(i, name=f"文件{i}")
    for i in (3, 650, 4, 699, 130):
        rows[i] = -i
    assert list(rows) == [-i if i in (3, 650, 4, 699, 130) else i for i in range(700)]
    assert rows.find("文件650") == -650 and rows[699] == -699 and rows[-1] == -699 and rows[100:103] == [100, 101, 102]


@pytest.mark.parametrize("in_memory", [100, 3], ids=["in-memory", "on-disk"])
def test_rows_and_logs_index_and_slice_as_lists_do(monkeypatch: pytest.MonkeyPatch, in_memory: int) -> None:
    """Negative positions, steps and backward slices give what the same list gives, whether
    the records are still in memory or on disk."""
    monkeypatch.setattr(spill, "IN_MEMORY", in_memory)
    rows: spill.Rows[int] = spill.Rows()
    for i in range(10):
        rows.append(i)
    log = spill.DiagnosticLog(Diagnostic(Severity.NOTE, "c", "m", f"f{i}.yaml") for i in range(10))
    plain, shown = list(range(10)), list(log)
    for index in (slice(None, None, -1), slice(8, 2, -2), slice(1, 9, 3), slice(-3, None), slice(5, 2)):
        assert rows[index] == plain[index]
        assert log[index] == shown[index]
    assert (rows[-1], log[-1]) == (9, shown[-1])
    with pytest.raises(IndexError):
        rows[10]
