"""Issue 17 item 6: the member development pipeline, and the minimum time between its stages.

Each interval is planted in the small year's development records (its person 甲 applied
2022-03-01, became an activist 2022-06-01 — exactly three months — a candidate 2023-07-01 and
probationary 2024-03-01; 丙 became a full member 2024-05-01 after a probation from 2023-05-01):
a warning names the person and points at the record's line, column and data path. The sample's
counts are worked out by hand from its YAML.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, minimal_text, validate_text

from dangjian_docs import Severity
from dangjian_docs.api import year_data
from dangjian_docs.domain.figures import development
from dangjian_docs.domain.pipeline import INTERVALS, add_months, pipeline
from dangjian_docs.model import STAGES

SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
JIA = ("  - {name: 甲, branch: a, applied: 2022-03-01, activist: 2022-06-01, candidate: 2023-07-01, "
       "probationary: 2024-03-01}")
BING = ("  - {name: 丙, branch: a, applied: 2021-03-01, activist: 2021-06-01, candidate: 2022-07-01, "
        "probationary: 2023-05-01, full: 2024-05-01}")


def short_warnings(old: str, new: str) -> list[Any]:
    text = minimal_text()
    assert old in text
    planted = text.replace(old, new, 1)
    result = validate_text(planted)
    assert result.year is not None, [d.message for d in result.errors]
    found = [d for d in result.diagnostics if d.code == "stage-too-short"]
    for d in found:
        assert d.severity is Severity.WARNING
        line = planted.splitlines()[d.line - 1]
        assert d.line == next(i for i, row in enumerate(planted.splitlines(), 1) if row == new.splitlines()[0])
        key = d.path.rsplit(".", 1)[1]
        assert line[:d.column - 1].endswith(f"{key}: "), (line, d.column)  # at the later stage's date
    return found


def test_the_small_year_breaks_no_interval() -> None:
    """Exactly three months (甲) and exactly one year (丙's probation) are long enough."""
    assert short_warnings(JIA, JIA) == [] and short_warnings(BING, BING) == []


def test_applied_to_activist_under_three_months() -> None:
    [w] = short_warnings(JIA, JIA.replace("activist: 2022-06-01", "activist: 2022-05-31"))
    assert w.path == "development[0].activist"
    assert w.message == "甲递交入党申请（2022-03-01）后不满3个月就确定为入党积极分子（2022-05-31）。"
    assert "本地党委" in w.hint


def test_activist_to_candidate_under_a_year() -> None:
    [w] = short_warnings(JIA, JIA.replace("candidate: 2023-07-01", "candidate: 2023-05-31"))
    assert w.path == "development[0].candidate"
    assert w.message == "甲的培养考察从 2022-06-01 到 2023-05-31，不满一年。"


def test_probation_under_a_year() -> None:
    [w] = short_warnings(BING, BING.replace("full: 2024-05-01", "full: 2024-04-30"))
    assert w.path == "development[2].full"
    assert w.message == "丙的预备期从 2023-05-01 到 2024-04-30，不满一年。"


def test_every_broken_interval_is_its_own_warning() -> None:
    broken = "  - {name: 甲, branch: a, applied: 2022-03-01, activist: 2022-04-01, candidate: 2022-12-01, " \
             "probationary: 2023-03-01, full: 2024-01-01}"
    found = short_warnings(JIA, broken)
    assert [w.path for w in found] == ["development[0].activist", "development[0].candidate", "development[0].full"]
    assert len(INTERVALS) == 3


@pytest.mark.parametrize(("start", "end", "short"), [
    ("2024-02-29", "2025-02-28", False),  # a year from a leap day ends on 28 February
    ("2024-02-29", "2025-02-27", True),
    ("2023-03-01", "2024-02-29", True),   # 365 days, but the year runs to 1 March 2024
    ("2023-03-01", "2024-03-01", False),
])
def test_a_probation_across_a_leap_day(start: str, end: str, short: bool) -> None:
    new = BING.replace("probationary: 2023-05-01", f"probationary: {start}").replace("full: 2024-05-01",
                                                                                      f"full: {end}")
    found = short_warnings(BING, new)
    assert bool(found) is short, [w.message for w in found]


def test_three_months_end_at_a_month_end_in_a_leap_year() -> None:
    assert add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)
    jia = "  - {name: 甲, branch: a, applied: 2023-11-30, activist: 2024-02-29}"
    assert short_warnings(JIA, jia) == []
    [w] = short_warnings(JIA, jia.replace("2024-02-29", "2024-02-28"))
    assert w.path == "development[0].activist"


# -- the pipeline: stages at the year's end and moves in the year --------------------------------

def test_the_sample_pipeline_counted_from_the_yaml() -> None:
    raw = yaml.safe_load(SAMPLE.read_text("utf-8"))
    people = raw["development"]
    end = dt.date(2025, 12, 31)
    # the last stage each record gives a date on or before 31 December
    last = [max((s for s in STAGES if s in p and p[s] <= end), key=STAGES.index) for p in people]
    by_hand = {s: last.count(s) for s in STAGES}
    assert by_hand == {"applied": 2, "activist": 2, "candidate": 2, "probationary": 4, "full": 2}
    moved = {s: sum(s in p and p[s].year == 2025 for p in people) for s in STAGES}
    assert moved == {"applied": 2, "activist": 2, "candidate": 2, "probationary": 4, "full": 2}
    year = year_data(SAMPLE)
    made = pipeline(year)
    assert made is not None and made.at_year_end == by_hand and made.moves == moved
    # the documents' development figures are these moves
    d = development(year)
    assert (d.applied, d.activists, d.candidates, d.admitted, d.converted) == tuple(moved[s] for s in STAGES)


def test_one_branch_and_no_records() -> None:
    year = year_data(SAMPLE)
    made = pipeline(year, "huli")  # 蔡欣怡 probationary 2025-03-21, 贺佳琪 candidate 2025-10-17
    assert made is not None and made.at_year_end == {"applied": 0, "activist": 0, "candidate": 1,
                                                      "probationary": 1, "full": 0}
    import dataclasses

    assert pipeline(dataclasses.replace(year, development=())) is None  # unknown, not zeros


# -- report development ----------------------------------------------------------------------

def test_report_development_human_json_csv() -> None:
    from conftest import cli_output

    human = cli_output("report", "development", SAMPLE)
    assert re.search(r"^合计(\s+2){3}\s+4\s+2(\s+2){3}\s+4\s+2$", human, flags=re.MULTILINE), human
    assert "间隔不足 0 处。" in human
    data = json.loads(cli_output("report", "development", SAMPLE, "--format", "json"))
    assert data["total"]["at_year_end"] == {"applied": 2, "activist": 2, "candidate": 2, "probationary": 4, "full": 2}
    huli = next(b for b in data["branches"] if b["branch"] == "huli")
    assert huli["moves"] == {"applied": 0, "activist": 0, "candidate": 1, "probationary": 1, "full": 0}
    written = cli_output("report", "development", SAMPLE, "--format", "csv").lstrip("\ufeff")
    rows = [r for r in csv.reader(io.StringIO(written)) if r]
    assert rows[-1] == ["合计", "2", "2", "2", "4", "2", "2", "2", "2", "4", "2"] and len(rows) == 1 + 7 + 1


def test_report_development_names_each_short_interval(tmp_path: Path) -> None:
    from conftest import cli_output

    text = SAMPLE.read_text("utf-8")
    record = "applied: 2024-06-11, activist: 2025-03-14}"
    assert text.count(record) == 1
    planted = tmp_path / "d.yaml"
    planted.write_text(text.replace(record, "applied: 2024-06-11, activist: 2024-07-01}"), "utf-8")
    line = next(i for i, row in enumerate(planted.read_text("utf-8").splitlines(), 1) if "2024-07-01}" in row)
    out = cli_output("report", "development", planted, "--strict", code=1)
    assert f"d.yaml:{line}:" in out
    assert "姜浩然递交入党申请（2024-06-11）后不满3个月就确定为入党积极分子（2024-07-01）。" in out
    data = json.loads(cli_output("report", "development", planted, "--format", "json"))
    assert [(d["line"], d["path"]) for d in data["short"]] == [(line, "development[8].activist")]
    cli_output("report", "development", SAMPLE, "--strict")  # the sample breaks none: 0
