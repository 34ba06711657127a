"""Plan versus actual: where each plan task stood at the year's end, and the share done.

A task's state is what the data says (``status``) when it says it. Otherwise it is read from the
data, in this order:

* a task with sub-tasks stands as they do: done when all of them are done (cancelled ones
  aside), not started when none has started, otherwise in progress; cancelled when all are;
* a task without sub-tasks that has activities linked to it (``task:`` in the log) or an
  outcome has been worked on: done when its deadline (its own, else the nearest enclosing
  task's, else the year's last day) falls within the year, in progress when it falls later;
* a task with neither has not started.

The summary's completion table and its one sentence on the share done, ``report plan`` and the
``tasks-unfinished`` finding all read the states from here, so they never disagree.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections import Counter
from collections.abc import Mapping
from collections.abc import Set as AbstractSet

from ..model import Activity, Task, YearData
from ..record import Record
from .log_index import log_index
from .memo import per_year
from .writing import percent

DONE, UNDER_WAY, NOT_STARTED, CANCELLED = "已完成", "进行中", "未开始", "已取消"
STATES = (DONE, UNDER_WAY, NOT_STARTED, CANCELLED)
UNFINISHED = (NOT_STARTED, UNDER_WAY)
"""States of a task not finished; a cancelled task was a decision, not a shortfall."""

BY_STATUS, BY_SUBTASKS, BY_WORK, BY_NOTHING = "status", "subtasks", "work", "nothing"
"""What decided a task's state: the data's ``status``, its sub-tasks, its linked activities or
outcome with its deadline, or the absence of all of these."""

PathKey = tuple[str | int, ...]


class TaskProgress(Record):
    """One plan task at the year's end."""

    task: Task
    level: int
    """1 for a task directly under 主要任务, 2 for its sub-tasks, and so on."""
    number: int
    """Its place among its siblings, from 1 (the plan numbers it （一）, 1., （1） by level)."""
    state: str
    decided_by: str
    due: dt.date
    """The deadline that applies: its own, an enclosing task's, or the year's last day."""
    stated_due: dt.date | None
    """The deadline the plan states for it: its own or an enclosing task's (``None``: none)."""
    own_activities: tuple[Activity, ...]
    """Activities the log links to this task itself."""
    activities: tuple[Activity, ...]
    """Activities linked to this task or any task under it."""
    path: PathKey


class PlanProgress(Record):
    """Every task of the plan in the plan's order, and the counts the documents state."""

    tasks: tuple[TaskProgress, ...]
    known: bool
    """Whether the data says anything about how the plan went: a status, an outcome or an
    activity linked to a task. Without it, every task would read "not started" for want of data,
    and nothing is said."""

    def count(self, state: str) -> int:
        return self._counts.get(state, 0)

    @functools.cached_property
    def _counts(self) -> dict[str, int]:
        """Tasks by state, counted once: the documents ask each count several times."""
        return dict(Counter(t.state for t in self.tasks))

    @property
    def counted(self) -> int:
        """The tasks the share is of: all but those cancelled."""
        return len(self.tasks) - self.count(CANCELLED)

    @property
    def done(self) -> int:
        return self.count(DONE)

    @property
    def share(self) -> str | None:
        """Tasks done as a share of the tasks not cancelled (``87.1%``), or ``None`` when none count."""
        return percent(self.done, self.counted) if self.counted else None

    def state_of(self, task: Task) -> str:
        return self._states[id(task)]

    @functools.cached_property
    def _states(self) -> dict[int, str]:
        """Each task's state, by the task object's identity (a plan may repeat a task's words)."""
        return {id(t.task): t.state for t in self.tasks}


def rows_by_task(year: YearData) -> Mapping[str, tuple[int, ...]]:
    """Where in the log each task's linked activities stand (``task:``), worked out once per
    year (see :mod:`.log_index`): the plan's progress, each task's and practice's own activities read it."""
    return log_index(year).by_task


def linked_to(year: YearData, tasks: AbstractSet[str]) -> list[Activity]:
    """The activities linked to any of ``tasks``, in log order."""
    by_task = rows_by_task(year)
    rows = [i for task in tasks for i in by_task.get(task, ())]
    if len(tasks) > 1:
        rows.sort()
    return list(map(year.activities.__getitem__, rows))


@per_year
def progress(year: YearData) -> PlanProgress:
    """Each plan task's state at the end of ``year`` (empty without a plan)."""
    if year.plan is None:
        return PlanProgress((), False)
    by_task = rows_by_task(year)
    log = year.activities
    year_end = year.year_end

    def visit(task: Task, level: int, number: int, stated: dt.date | None, path: PathKey) -> list[TaskProgress]:
        """The task, then every task under it: the plan's order."""
        stated = task.due or stated
        due = stated or year_end
        below = [visit(sub, level + 1, i, stated, (*path, "subtasks", i - 1))
                 for i, sub in enumerate(task.subtasks, start=1)]
        children = [b[0] for b in below]
        own = tuple(map(log.__getitem__, by_task.get(task.id, ())))
        linked = own + tuple(itertools.chain.from_iterable(c.activities for c in children)) if children else own
        state, decided_by = _state(task, children, bool(own) or bool(task.outcome), due, year_end)
        return [TaskProgress(task, level, number, state, decided_by, due, stated, own, linked, path),
                *(t for b in below for t in b)]

    found = tuple(t for i, task in enumerate(year.plan.tasks, start=1)
                  for t in visit(task, 1, i, None, ("plan", "tasks", i - 1)))
    return PlanProgress(found, any(t.decided_by in (BY_STATUS, BY_WORK) for t in found))


def _state(task: Task, children: list[TaskProgress], worked: bool, due: dt.date,
           year_end: dt.date) -> tuple[str, str]:
    if task.status is not None:
        return task.status, BY_STATUS
    if children:
        states = {c.state for c in children} - {CANCELLED}
        if not states:
            return CANCELLED, BY_SUBTASKS
        if states == {DONE}:
            return DONE, BY_SUBTASKS
        if states == {NOT_STARTED}:
            return NOT_STARTED, BY_SUBTASKS
        return UNDER_WAY, BY_SUBTASKS
    if worked:
        return (DONE if due <= year_end else UNDER_WAY), BY_WORK
    return NOT_STARTED, BY_NOTHING
