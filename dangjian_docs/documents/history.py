"""Last year beside this one: the year-over-year sentence placed at the end of 基本情况.

Kept apart from the kinds so that a summary or report built without last year's data is exactly
what it was; with it, the only difference is one sentence of facts both years give.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ..diagnostics import DangjianError, Diagnostic, Severity
from ..domain.history import changes, changes_sentence
from ..model import YearData


def check_previous(previous: YearData, year: YearData) -> None:
    """``previous`` must be the same organisation's year before, or no comparison is honest."""
    if previous.organisation.name == year.organisation.name and previous.year == year.year - 1:
        return
    raise DangjianError([Diagnostic(
        Severity.ERROR, "previous-year-mismatch",
        f"用来比较的上年数据是{previous.organisation.name}{previous.year}年的，"
        f"不是{year.organisation.name}{year.year - 1}年的。",
        file=previous.source, path="organisation.name",
        hint="请给出同一党组织（organisation.name 相同）上一年度的数据文件。")])


def with_changes(context: Mapping[str, Any], previous: YearData, year: YearData) -> Mapping[str, Any]:
    """``context`` with 基本情况 closing on what changed since ``previous``; unchanged when the
    document has no 基本情况 or the two years share no fact.

    The kind says which section is its 基本情况 (``context["basic_situation"]``, its position
    among the sections), so a heading renamed in the catalogue changes nothing here."""
    sentence = changes_sentence(changes(previous, year))
    at = context.get("basic_situation")
    sections = tuple(context.get("sections") or ())
    if at is None or not sentence or not 0 <= at < len(sections):
        return context
    grown = dataclasses.replace(sections[at], paragraphs=(*sections[at].paragraphs, sentence))
    return {**context, "sections": (*sections[:at], grown, *sections[at + 1:])}
