"""A branch the activity log never names is unknown, not short (unless the log is declared complete).

A log copied from a report holds only what the report mentions; small-year's log without any row
of its 离退休党支部 says nothing about that branch's meetings.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import yaml

import dangjian_docs
from dangjian_docs.domain.compliance import tallies

DATA = Path(__file__).parent / "data"


def without_retired_rows(complete: bool = False) -> dangjian_docs.Validation:
    raw: dict[str, Any] = yaml.safe_load((DATA / "small-year.yaml").read_text(encoding="utf-8"))
    raw["activities"] = [a for a in raw["activities"] if a.get("branch") != "b"]
    assert raw["activities"]
    raw["activities_complete"] = complete
    result = dangjian_docs.validate(raw)
    assert result.year is not None, [d.message for d in result.errors]
    return result


def table_rows(year: dangjian_docs.YearData) -> list[list[str]]:
    document = docx.Document(io.BytesIO(dangjian_docs.render(year, "summary")))
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def test_a_branch_with_no_row_is_not_judged_and_is_named_once() -> None:
    result = without_retired_rows()
    assert result.year is not None
    assert not [t for t in tallies(result.year) if t.branch is not None and t.branch.id == "b"]
    assert [t for t in tallies(result.year) if t.branch is not None and t.branch.id == "a"]
    said = [d for d in result.diagnostics if "离退休党支部" in d.message]
    assert [d.code for d in said] == ["unrecorded-branch"]  # no shortfall, no missing lecture
    rows = {row[0]: row for row in table_rows(result.year)}
    assert rows["离退休党支部"][2:4] == ["", ""]  # not 0/4+… nor 0/12
    assert rows["合计"][2:4] == ["", ""]  # a total over 临床 alone would pass for the whole
    assert rows["临床党支部"][2] != ""


def test_a_complete_log_judges_the_branch() -> None:
    result = without_retired_rows(complete=True)
    assert result.year is not None
    assert not any(d.code == "unrecorded-branch" for d in result.diagnostics)
    assert any(d.code == "compliance" and "离退休党支部" in d.message for d in result.diagnostics)
    assert table_rows(result.year)[2][3].startswith("0/")
