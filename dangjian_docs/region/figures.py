"""The roll-up's figures: each institution's facts, then sums by type and across the region.

Every sum carries how many institutions it rests on, so that a sentence can say "据N家单位报送"
or "不含未报送的N家" instead of presenting a partial sum as a total, and a fact nobody gave is
never written as 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from typing import TYPE_CHECKING

from ..domain.history import activity_total, branch_count, development_count, members_total
from ..domain.writing import percent
from ..model import YearData
from ..record import Record
from .model import TYPES, Institution, RegionData

if TYPE_CHECKING:
    from .facts import FileFacts

NO_MEMBERS = "无党员"
ELSEWHERE = "归属其他单位"


class Unit(Record):
    """One institution as the roll-up sees it, whether read from its file or given inline."""

    name: str
    type: str
    setup: str | None
    """党委 … 归属其他单位; ``None`` when the region file does not say."""
    staff: int | None = None
    members: int | None = None
    branches: int | None = None
    developed: int | None = None
    activists: int | None = None
    candidates: int | None = None
    secretaries: int | None = None
    """In-service branch secretaries, when the data gives every one's 双带头人 status."""
    dual_leaders: int | None = None
    talks: int | None = None
    level: str | None = None
    """医院等级 (三级甲等 …), where given."""
    year: YearData | None = None
    entry: Institution | None = None


def unit_from_year(year: YearData, entry: Institution) -> Unit:
    org = year.organisation
    in_service = [b for b in year.party_branches if not b.retired]
    flags = [b.secretary_is_professional_leader for b in in_service]
    # all or none, as Figures.professional_secretaries: the branches that say are not the whole
    known = bool(flags) and all(f is not None for f in flags)
    return Unit(
        name=org.hospital, type=entry.type, setup=org.kind, staff=org.staff,
        members=members_total(year), branches=branch_count(year),
        developed=development_count(year, "admitted"),
        activists=development_count(year, "activists"),
        candidates=development_count(year, "candidates"),
        secretaries=len(flags) if known else None,
        dual_leaders=sum(bool(f) for f in flags) if known else None,
        talks=activity_total(year, "谈心谈话"),
        level=org.hospital_level or entry.level,
        year=year, entry=entry,
    )


def unit_from_facts(facts: FileFacts, entry: Institution) -> Unit:
    """As :func:`unit_from_year`, from the facts of a year file (remembered or just taken)."""
    f = facts.figures
    return Unit(
        name=facts.hospital, type=entry.type, setup=facts.kind, staff=f["staff"], members=f["members"],
        branches=f["branches"], developed=f["developed"], activists=f["activists"],
        candidates=f["candidates"], secretaries=f["secretaries"], dual_leaders=f["dual_leaders"],
        talks=f["talks"], level=facts.hospital_level or entry.level, year=facts.year, entry=entry,
    )


def unit_from_entry(entry: Institution) -> Unit:
    """An institution without a file: only what the region file says; no members means 0."""
    assert entry.name is not None  # checked by validation
    members = 0 if entry.setup == NO_MEMBERS and entry.members is None else entry.members
    branches = 0 if entry.setup == NO_MEMBERS else entry.branches
    if branches is None and entry.setup == "党支部":
        branches = 1
    return Unit(name=entry.name, type=entry.type, setup=entry.setup, staff=entry.staff,
                members=members, branches=branches, level=entry.level, entry=entry)


class Sum(Record):
    """A sum over the institutions that gave the fact: ``known`` of ``of`` gave it."""

    value: int
    known: int
    of: int

    @property
    def complete(self) -> bool:
        return self.known == self.of

    @property
    def any(self) -> bool:
        return self.known > 0


def total(units: Sequence[Unit], read: Callable[[Unit], int | None]) -> Sum:
    values = [v for v in map(read, units) if v is not None]
    return Sum(sum(values), len(values), len(units))


class Group(Record):
    """Institutions of one type (公立医院…), or the whole region."""

    type: str
    units: tuple[Unit, ...]

    @property
    def count(self) -> int:
        return len(self.units)

    @property
    def setups(self) -> Counter[str]:
        """How many units have each set-up, over the units whose set-up is known."""
        return Counter(u.setup for u in self.units if u.setup is not None)

    @property
    def levels(self) -> Counter[str]:
        return Counter(u.level for u in self.units if u.level)

    def sum(self, attr: str) -> Sum:
        """``attr`` summed over the units it rests on. Staff: every unit. Party figures: a unit
        whose members belong to another body's organisation is left out (they are counted
        there, whatever the region file says of them); a unit without members is left out of
        the figures it does not give, rather than counted as not having reported them."""
        return total(self.counted(attr), lambda u: getattr(u, attr))

    def counted(self, attr: str) -> list[Unit]:
        """The units a sum of ``attr`` rests on (see :meth:`sum`)."""
        if attr == "staff":
            return list(self.units)
        return [u for u in self.units if u.setup != ELSEWHERE
                and (u.setup != NO_MEMBERS or getattr(u, attr) is not None)]

    def missing(self, attr: str) -> list[Unit]:
        """The units that should give ``attr`` and do not."""
        return [u for u in self.counted(attr) if getattr(u, attr) is None]

    @property
    def dual_leader_share(self) -> str | None:
        """Share of in-service branch secretaries who are 双带头人, over those whose status is given."""
        secretaries = self.sum("secretaries")
        if not secretaries.value:
            return None
        return percent(self.sum("dual_leaders").value, secretaries.value)


class RollupFigures(Record):
    region: Group
    groups: tuple[Group, ...]
    """One per type present, in the order of :data:`TYPES`."""


def compute(units: Iterable[Unit]) -> RollupFigures:
    units = tuple(units)
    groups = tuple(Group(t, tuple(u for u in units if u.type == t)) for t in TYPES)
    return RollupFigures(Group("", units), tuple(g for g in groups if g.units))


class Rollup(Record):
    """What the roll-up is written from: the region and each institution's facts."""

    region: RegionData
    units: tuple[Unit, ...]
    previous: Mapping[str, YearData] = field(default_factory=dict)
    """Last year's data of an institution, by its name, where the repo has it (and was read
    in this run: see ``previous_members``)."""
    previous_members: Mapping[str, int | None] = field(default_factory=dict)
    """Last year's members at the year's end, by name, for every institution whose last year's
    file was found valid, whether read now or remembered (:mod:`.facts`)."""
