"""Issue 14 item 4: only the documents the data supports are built, each dated by its own date.

A plan-only file used to build a year-end summary and report that stated nothing but a branch
count, dated in December; a plan without a date of its own took the signature's December date.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from conftest import DATA

import dangjian_docs
from dangjian_docs import api
from dangjian_docs.cli import cli

YEAR_WORK = ("activities", "development", "dues", "results", "problems", "next_year")


def plan_only() -> dict:
    raw = yaml.safe_load((DATA / "minimal.yaml").read_text(encoding="utf-8"))
    for key in YEAR_WORK:
        raw.pop(key, None)
    for task in raw["plan"]["tasks"]:
        task.pop("outcome", None)
    return raw


def year_of(raw: dict) -> dangjian_docs.YearData:
    result = dangjian_docs.validate(raw)
    assert result.year is not None, [d.message for d in result.errors]
    return result.year


@pytest.mark.parametrize("kind", ["summary", "report"])
def test_a_plan_only_file_builds_no_year_end_document(kind: str) -> None:
    year = year_of(plan_only())
    assert api.document_title(year, kind) is None
    with pytest.raises(dangjian_docs.DangjianError) as info:
        dangjian_docs.render(year, kind)
    (found,) = info.value.diagnostics
    assert found.code == "missing-section" and "全年工作" in found.message


def test_build_all_skips_them_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "plan-only.yaml"
    path.write_text(yaml.safe_dump(plan_only(), allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(path), "-o", str(tmp_path / "out"), "--format", "json"])
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert built == ["测试医院党总支2024年党建工作计划.docx"]
    # a plan alone: no year's work, no activity log for the ledger, no article, no 述职报告
    assert result.output.count("kind-skipped") == 5 and "不生成工作总结" in result.output
    assert "数据中没有活动记录（activities）中的“三会一课”，不生成“三会一课”台账。" in result.output
    assert "不生成述职报告" in result.output  # no secretary chosen to report


@pytest.mark.parametrize("given", ["activity_counts", "results", "development"])
def test_any_record_of_the_years_work_is_enough(given: str) -> None:
    raw = plan_only()
    full = yaml.safe_load((DATA / "minimal.yaml").read_text(encoding="utf-8"))
    raw[given] = full.get(given) or [{"type": "主题党日", "count": 12, "branch": "a"}]
    document = docx.Document(io.BytesIO(dangjian_docs.render(year_of(raw), "summary")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "二、主要工作和成效" in text


def test_a_plan_without_its_own_date_is_warned_and_not_dated_at_year_end() -> None:
    raw = plan_only()
    raw.pop("documents")
    result = dangjian_docs.validate(raw)
    warned = [d for d in result.diagnostics if d.code == "plan-undated"]
    assert len(warned) == 1 and warned[0].severity == dangjian_docs.Severity.WARNING
    document = docx.Document(io.BytesIO(dangjian_docs.render(result.year, "plan")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2024年12月20日" not in text  # the signature's date belongs to the year-end documents
    raw["documents"] = {"plan": {"date": "2024-01-15"}}
    assert not [d for d in dangjian_docs.validate(raw).diagnostics if d.code == "plan-undated"]
    document = docx.Document(io.BytesIO(dangjian_docs.render(year_of(raw), "plan")))
    assert "2024年1月15日" in [p.text for p in document.paragraphs]
