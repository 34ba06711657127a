"""The 情况汇报 (or 报告) to the higher body: written when the data says what the year's work was."""

from __future__ import annotations

from ...model import YearData
from .. import catalogue
from ..base import DocumentKind, settings
from .summary import YEARS_WORK, years_work_given


def report_form(year: YearData) -> str:
    """报告 or 汇报, as the data chooses; 汇报 when it does not."""
    return settings(year, "report").form or "汇报"


def default_title(year: YearData) -> str:
    """``滨江市第一人民医院党委关于2025年党建工作情况的报告``: issuer, 关于, matter, genre."""
    return catalogue.say("report.title", name=year.organisation.name, year=year.year, genre=report_form(year))


KIND = DocumentKind("report", "情况汇报", "report", default_title=default_title,
                    supports=years_work_given, needs=YEARS_WORK)
