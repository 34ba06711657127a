"""“三会一课”台账: the year's branch meetings and lectures, a page (or more) a branch, after a
one-page overview of what each branch held against the rules.

One document for the organisation, not one a branch: an inspector asks for the organisation's
台账 and reads the overview against the pages behind it, so both come from one data file in one
file, with the same figures (:func:`..domain.compliance.tallies`, as ``report compliance``).
The rows are the activity log's, in date order; the words (title, headers, notes) are the
catalogue's (``wording_data/ledger.yaml``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..domain.compliance import PERIOD_WORDS, Tally, period_span, tallies, unit_of, unrecorded, unrecorded_branches
from ..domain.rules import THREE_MEETINGS_ONE_LECTURE
from ..domain.titles import TITLE_PT, break_title, text_width
from ..domain.writing import format_month_day, full_width
from ..model import Activity, Branch, YearData
from ..record import Record
from . import catalogue
from .base import Heading, printed_date
from .kinds.meeting_ledger import KIND, NAME, three_meetings

TITLE_LINE_CHARS = int(225 / 25.4 * 72 // TITLE_PT)
"""二号 characters a title line holds on a landscape page (225 mm wide type area)."""


class MeetingRow(Record):
    """One meeting or lecture as the ledger prints it."""

    number: str
    date: str
    """``1月3日``: the year is in the title."""
    type: str
    topic: str
    speaker: str
    """Who gave the lecture, else who chaired the meeting; empty when the log names neither."""
    attendance: str
    """``32/34`` (present/expected), or empty when the log gives either number only."""
    duration: str


class BranchPage(Record):
    """One branch's meetings, starting a page of its own."""

    name: str
    heading: str
    rows: tuple[MeetingRow, ...]
    note: str
    """What the page says instead of a table when the log has no row for the branch."""


class OverviewRow(Record):
    """A branch's 三会一课 against the rules: ``held/required`` a type, ``▲`` where short."""

    name: str
    general_meeting: str
    committee: str
    group_meeting: str
    lecture: str
    result: str


class Overview(Record):
    """The first page: each branch × each rule of 三会一课, then notes on what fell short."""

    title: str
    headers: OverviewRow
    rows: tuple[OverviewRow, ...]
    notes: tuple[str, ...]


def meeting_row(number: int, activity: Activity) -> MeetingRow:
    attendance = ""
    if activity.present is not None and activity.expected is not None:
        attendance = catalogue.say("ledger.attendance", present=activity.present, expected=activity.expected)
    duration = catalogue.say("ledger.duration", minutes=activity.duration) if activity.duration else ""
    return MeetingRow(str(number), format_month_day(activity.date), full_width(activity.type),
                      full_width(activity.topic), full_width(activity.speaker or activity.host or ""),
                      attendance, duration)


def unit_rows(year: YearData, unit: str | None) -> list[Activity]:
    """The 三会一课 rows of a branch (``None``: the organisation's own), in date order (log order on a day)."""
    return sorted((a for a in year.activities if three_meetings(a) and unit_of(year, a) == unit),
                  key=lambda a: a.date)


def pages(year: YearData) -> tuple[BranchPage, ...]:
    """Every 党支部 (one without rows says so), a 党总支 with rows of its own, then the
    organisation's own lectures and meetings when the log has any."""
    units: list[tuple[str | None, str]] = [
        (b.id, b.name) for b in year.branches if not b.general or unit_rows(year, b.id)]
    if unit_rows(year, None):
        units.append((None, year.organisation.name))
    out = []
    for unit, name in units:
        rows = tuple(meeting_row(i, a) for i, a in enumerate(unit_rows(year, unit), start=1))
        out.append(BranchPage(full_width(name), catalogue.say("ledger.page.heading", branch=full_width(name)), rows,
                              "" if rows else catalogue.say("ledger.page.empty")))
    return tuple(out)


def _cell(found: Sequence[Tally]) -> str:
    """``12/12``; ``10/12▲`` when a period fell short; ``—`` when no rule asks it of the branch."""
    if not found:
        return catalogue.say("ledger.overview.not_applicable")
    held, required = sum(t.held for t in found), sum(t.required for t in found)
    mark = "" if all(t.compliant for t in found) else catalogue.say("ledger.overview.short_mark")
    return catalogue.say("ledger.overview.count", held=held, required=required) + mark


def overview_row(branch: Branch, found: Sequence[Tally], judged: bool) -> OverviewRow:
    if not judged:
        dash = catalogue.say("ledger.overview.not_applicable")
        return OverviewRow(full_width(branch.name), dash, dash, dash, dash,
                           catalogue.say("ledger.overview.result.unjudged"))
    cells = [_cell([t for t in found if t.rule.activity == activity]) for activity in THREE_MEETINGS_ONE_LECTURE]
    met = all(t.compliant for t in found)
    result = catalogue.say("ledger.overview.result.met") if met else catalogue.say("ledger.overview.result.short")
    return OverviewRow(full_width(branch.name), *cells, result)  # type: ignore[call-arg]  # one cell a type


def shortfall_note(tally: Tally) -> str:
    return catalogue.say("ledger.overview.note.shortfall", unit=full_width(tally.unit_name),
                         activity=tally.rule.activity, periods=period_span(tally.rule.period, tally.short_periods),
                         every=PERIOD_WORDS[tally.rule.period], min=tally.rule.min)


def overview(year: YearData) -> Overview:
    """Each 党支部's 三会一课 counted as ``report compliance`` counts them (same tallies)."""
    counted = [t for t in tallies(year) if t.branch is not None and t.rule.activity in THREE_MEETINGS_ONE_LECTURE]
    unlogged = set(unrecorded_branches(year))
    rows = tuple(overview_row(b, [t for t in counted if t.branch == b], b not in unlogged)
                 for b in year.party_branches)
    heads = [catalogue.say("ledger.overview.column.count", activity=a) for a in THREE_MEETINGS_ONE_LECTURE]
    headers = OverviewRow(catalogue.say("ledger.overview.column.branch"), *heads,
                          catalogue.say("ledger.overview.column.result"))  # type: ignore[call-arg]
    notes = [catalogue.say("ledger.overview.note.legend", mark=catalogue.say("ledger.overview.short_mark"))]
    for branch in year.party_branches:  # one paragraph a branch, so that the overview keeps to its page
        short = [shortfall_note(t) for t in counted if t.branch == branch and not t.compliant]
        if short:
            notes.append("；".join(short) + "。")
    missing = [t for t in unrecorded(year) if t in THREE_MEETINGS_ONE_LECTURE]
    if missing:
        notes.append(catalogue.say("ledger.overview.note.unrecorded", types="、".join(missing)))
    if unlogged:
        names = "、".join(full_width(b.name) for b in year.party_branches if b in unlogged)
        notes.append(catalogue.say("ledger.overview.note.unjudged", branches=names))
    return Overview(catalogue.say("ledger.overview.title", year=year.year), headers, rows, tuple(notes))


def columns() -> MeetingRow:
    """The headers of a branch's table, from the catalogue: a row of the table's own shape."""
    return MeetingRow(number=catalogue.say("ledger.column.number"), date=catalogue.say("ledger.column.date"),
                   type=catalogue.say("ledger.column.type"), topic=catalogue.say("ledger.column.topic"),
                   speaker=catalogue.say("ledger.column.speaker"), attendance=catalogue.say("ledger.column.attendance"),
                   duration=catalogue.say("ledger.column.duration"))


def title_lines(title: str) -> tuple[str, ...]:
    """One line where the landscape page holds it, else broken as a portrait title is."""
    return (title,) if text_width(title) <= TITLE_LINE_CHARS else break_title(title)


def context(year: YearData) -> Mapping[str, Any]:
    title = KIND.title(year)
    doc = Heading(title=title, recipient="", opening=(), signature=year.signature.body,
                  date=printed_date(year, NAME), title_lines=title_lines(title))
    return {"doc": doc, "sections": (), "overview": overview(year), "pages": pages(year), "columns": columns()}


SHAPES = {"overview": Overview, "pages": tuple[BranchPage, ...], "columns": MeetingRow}
