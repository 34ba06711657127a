"""The “三会一课”台账: written when the activity log has a 三会一课 row (see ``documents/meeting_ledger.py``)."""

from __future__ import annotations

from ...domain.rules import THREE_MEETINGS_ONE_LECTURE
from ...model import Activity, YearData
from .. import catalogue
from ..base import DocumentKind

NAME = "ledger"


def three_meetings(activity: Activity) -> bool:
    return activity.type in THREE_MEETINGS_ONE_LECTURE


def supported(year: YearData) -> bool:
    """Only a log with a 三会一课 row makes a ledger worth printing."""
    return any(three_meetings(a) for a in year.activities)


def default_title(year: YearData) -> str:
    return catalogue.say("ledger.title", organisation=year.organisation.name, year=year.year)


KIND = DocumentKind(
    NAME, "“三会一课”台账", "meeting_ledger", default_title=default_title, supports=supported,
    needs="活动记录（activities）中的“三会一课”", register=True, landscape=True)
