"""The activity log read once per year: its rows grouped by whose they are, what they were, by
which Party group and in which form, and by the plan task they served.

The figures (counts by type, attendance), the compliance tallies, the summary's branch table and
the plan's progress each used to read all the log's rows themselves, once per question: a
document of a 520-row log passed over it a dozen times. They now count these groups (a few
dozen), read from one pass over the rows kept on the year (:func:`.memo.per_year`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from ..model import Activity, YearData
from .memo import per_year

Unit = str | None
"""The branch a row belongs to (its id), or ``None`` for the organisation's own (see
:func:`.compliance.unit_of`)."""


class Cell(NamedTuple):
    """The rows of one unit, activity type, Party group and form, in log order, with their sums.

    A tuple, not a :class:`~dangjian_docs.record.Record`: a log makes a hundred of them per
    year, and nobody changes one."""

    unit: Unit
    type: str
    group: str | None
    form: str | None
    rows: tuple[Activity, ...]
    participants: int | None
    """Members present, summed over the rows; ``None`` when any row does not say."""
    present: int
    """Members present and expected, and the rows counted, over the rows that give both."""
    expected: int
    attended: int


class LogIndex(NamedTuple):
    cells: tuple[Cell, ...]
    """In the order each first occurs in the log."""
    by_unit: Mapping[Unit, tuple[Cell, ...]]
    """Each unit's cells; the units in the order each first occurs."""
    by_task: Mapping[str, tuple[int, ...]]
    """Where in the log each task's linked rows (``task:``) stand."""

    def of_type(self, activity_type: str) -> Iterator[Cell]:
        return (c for c in self.cells if c.type == activity_type)


def _cell(key: tuple[Unit, str, str | None, str | None], rows: Sequence[Activity]) -> Cell:
    participants: int | None = 0
    present = expected = attended = 0
    for a in rows:
        if a.present is None:
            participants = None
        else:
            if participants is not None:
                participants += a.present
            if a.expected is not None:
                present, expected, attended = present + a.present, expected + a.expected, attended + 1
    return Cell(*key, tuple(rows), participants, present, expected, attended)


@per_year
def log_index(year: YearData) -> LogIndex:
    """The year's log grouped (see :class:`LogIndex`), in one pass over its rows."""
    from .compliance import unmarked_unit  # compliance reads this module

    unmarked = unmarked_unit(year)
    grouped: defaultdict[tuple[Unit, str, str | None, str | None], list[Activity]] = defaultdict(list)
    by_task: defaultdict[str, list[int]] = defaultdict(list)
    for i, activity in enumerate(year.activities):
        unit = activity.branch if activity.branch is not None else unmarked
        grouped[unit, activity.type, activity.group, activity.form].append(activity)
        if activity.task:
            by_task[activity.task].append(i)
    cells = tuple(_cell(key, rows) for key, rows in grouped.items())
    by_unit: dict[Unit, list[Cell]] = {}
    for cell in cells:
        by_unit.setdefault(cell.unit, []).append(cell)
    return LogIndex(cells, MappingProxyType({unit: tuple(found) for unit, found in by_unit.items()}),
                    MappingProxyType({task: tuple(rows) for task, rows in by_task.items()}))
