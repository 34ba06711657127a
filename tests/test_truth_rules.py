"""Issue 6 item 9: rules that behave. Held counts come from the log alone; each rule entry applies
to its own ``applies_to``; several entries for one type all count; ``min: 0`` means "not required"
and nothing is said about it; rules can apply to the organisation itself."""

from __future__ import annotations

import copy
import io
from typing import Any

import docx
import pytest
import yaml
from conftest import DATA

import dangjian_docs
from dangjian_docs.documents import phrases
from dangjian_docs.domain.compliance import tallies
from dangjian_docs.domain.figures import compute
from dangjian_docs.domain.rules import DEFAULT_RULES, effective_rules
from dangjian_docs.model import Rule

BASE: dict[str, Any] = {
    "year": 2025,
    "organisation": {"name": "测试医院党委", "hospital": "测试医院", "kind": "党委"},
    "branches": [
        {"id": "zz", "name": "在职党支部", "kind": "在职", "committee": ["甲", "乙", "丙"],
         "members": {"full": 10, "probationary": 0}},
        {"id": "lt", "name": "离退休党支部", "kind": "离退休", "committee": ["丁", "戊", "己"],
         "members": {"full": 12, "probationary": 0}},
    ],
    "activities": [],
    "signature": {"body": "中共测试医院委员会", "date": "2025-12-20"},
}


def year_with(rules: list[dict[str, Any]], activities: list[dict[str, Any]]) -> dangjian_docs.Validation:
    data = copy.deepcopy(BASE)
    data["rules"] = rules
    data["activities"] = activities
    result = dangjian_docs.validate(data)
    assert result.year is not None, [(d.code, d.message) for d in result.errors]
    return result


def committee_meetings(branch: str, months: list[int]) -> list[dict[str, Any]]:
    return [{"date": f"2025-{m:02d}-10", "type": "支部委员会", "branch": branch, "topic": f"{m}月支委会"}
            for m in months]


def tally(result: dangjian_docs.Validation, branch: str | None, activity: str) -> list:
    assert result.year is not None
    return [t for t in tallies(result.year) if (t.branch.id if t.branch else None) == branch
            and t.rule.activity == activity]


def test_a_rule_for_retired_branches_leaves_the_in_service_rule_alone() -> None:
    """The case that failed: 7 committee meetings in the retired branch came out as “0次（应召开4次）”."""
    result = year_with([{"activity": "支部委员会", "period": "quarter", "min": 1, "applies_to": ["离退休"]}],
                       committee_meetings("lt", [1, 2, 4, 5, 7, 8, 10]) + committee_meetings("zz", list(range(1, 13))))
    retired, = tally(result, "lt", "支部委员会")
    assert (retired.held, retired.required, retired.compliant) == (7, 4, True)
    in_service, = tally(result, "zz", "支部委员会")
    assert (in_service.rule.period, in_service.held, in_service.required) == ("month", 12, 12)
    assert not [d for d in result.diagnostics if d.code == "compliance" and "支部委员会" in d.message]


def test_min_zero_means_not_required_and_nothing_is_said() -> None:
    """The other case that failed: ``min: 0`` printed “0次（应召开0次）”."""
    result = year_with([{"activity": "谈心谈话", "period": "year", "min": 0}],
                       committee_meetings("zz", [1]))
    assert tally(result, "zz", "谈心谈话") == [] and tally(result, "lt", "谈心谈话") == []
    assert not [d for d in result.diagnostics if "谈心谈话" in d.message]
    assert result.year is not None
    text = "".join(phrases.organisational_life(result.year, compute(result.year)))
    assert "谈心谈话" not in text and "0次" not in text.replace("10次", "")


def test_held_counts_never_depend_on_the_rules() -> None:
    log = committee_meetings("lt", [1, 2, 3]) + committee_meetings("zz", [1])
    counts = []
    for rules in ([], [{"activity": "支部委员会", "period": "year", "min": 0}],
                  [{"activity": "支部委员会", "period": "quarter", "min": 2, "applies_to": ["在职"]}]):
        result = year_with(rules, log)
        assert result.year is not None
        counts.append(compute(result.year).held_count("支部委员会"))
    assert counts == [4, 4, 4]


def test_several_entries_for_one_type_all_count() -> None:
    rules = [{"activity": "主题党日", "period": "month", "min": 1, "applies_to": ["在职"]},
             {"activity": "主题党日", "period": "quarter", "min": 1, "applies_to": ["离退休"]},
             {"activity": "主题党日", "period": "year", "min": 10, "applies_to": ["离退休"]}]
    days = [{"date": f"2025-{m:02d}-15", "type": "主题党日", "branch": "lt", "topic": f"{m}月主题党日"}
            for m in (1, 4, 7, 10)]
    lecture = {"date": "2025-06-01", "type": "党课", "branch": "zz", "topic": "党课"}  # zz is in the log
    result = year_with(rules, [*days, lecture])
    retired = {t.rule.period: t for t in tally(result, "lt", "主题党日")}
    assert set(retired) == {"quarter", "year"}
    assert retired["quarter"].compliant and not retired["year"].compliant  # 4 held, 10 required
    in_service, = tally(result, "zz", "主题党日")
    assert (in_service.rule.period, in_service.required) == ("month", 12)


def test_built_in_rules_are_narrowed_not_dropped() -> None:
    own = Rule("支部委员会", "quarter", 1, applies_to=("离退休",))
    by_type = [r for r in effective_rules([own]) if r.activity == "支部委员会"]
    assert [(r.period, r.applies_to) for r in by_type] == [("month", ("在职", "联合")), ("quarter", ("离退休",))]
    assert len([r for r in effective_rules([]) if r.activity == "支部委员会"]) == 1
    assert effective_rules([]) == DEFAULT_RULES


def test_a_rule_for_the_organisation_itself() -> None:
    study = [{"date": f"2025-{m:02d}-20", "type": "理论学习中心组学习", "topic": f"{m}月学习", "duration": 120}
             for m in range(1, 12)]
    study.append({"date": "2025-12-20", "type": "理论学习中心组学习", "topic": "12月学习", "duration": 60})
    result = year_with([{"activity": "理论学习中心组学习", "period": "month", "min": 1, "scope": "organisation",
                         "min_minutes": 90}], study + committee_meetings("zz", [1]))
    own, = tally(result, None, "理论学习中心组学习")
    assert (own.held, own.required, own.compliant, own.unit_name) == (12, 12, True, "测试医院党委")
    short = [d for d in result.diagnostics if d.code == "short-activity"]
    assert len(short) == 1 and short[0].path == "activities[11].duration"
    assert result.year is not None
    text = "".join(phrases.organisational_life(result.year, compute(result.year)))
    assert "党委理论学习中心组学习达到规定频次" in text


@pytest.mark.parametrize("activities", [[]])
def test_no_log_no_tallies_and_one_note(activities: list) -> None:
    result = year_with([], activities)
    assert result.year is not None and tallies(result.year) == []
    assert [d.code for d in result.diagnostics] == ["no-activity-log"]


def test_the_reference_states_the_built_in_rules() -> None:
    """The docs state the built-in rules as data (issue 6 item 9): every one is named in the schema."""
    import json

    from conftest import ROOT

    schema = json.loads((ROOT / "schemas" / "year.schema.json").read_text(encoding="utf-8"))
    described = schema["properties"]["rules"]["description"]
    words = {"month": "每月", "quarter": "每季度", "year": "每年"}
    for rule in DEFAULT_RULES:
        assert rule.activity in described and words[rule.period] in described, rule
    assert "min 填 0 表示不作要求" in described
    assert described in (ROOT / "docs" / "data-reference.md").read_text(encoding="utf-8")


def test_organisation_totals_are_checked_like_a_branchs() -> None:
    data = copy.deepcopy(BASE)
    data["organisation"]["members"] = {"full": 22, "probationary": 0, "women": 30,
                                       "education": {"postgraduate": 1, "bachelor": 2, "college": 3, "secondary": 4}}
    codes = [d.code for d in dangjian_docs.validate(data).errors]
    assert codes.count("members-sum") == 2


def test_shortfalls_read_as_ranges_and_point_to_a_table_only_where_there_is_one() -> None:
    from dangjian_docs.domain.compliance import period_span

    assert period_span("month", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) == "2月至12月"
    assert period_span("month", [2, 6, 7]) == "3月、7月、8月"
    assert period_span("quarter", [1, 2, 3]) == "第二季度至第四季度"
    from conftest import MINIMAL

    year = dangjian_docs.validate(dangjian_docs.load(MINIMAL)).year
    assert year is not None
    summary = "".join(phrases.work_done(year, compute(year))[1].paragraphs)
    report = "".join(phrases.organisational_life(year, compute(year)))
    # one unit's shortfalls in one clause: the unit once, each period and rule named
    assert ("临床党支部第二季度至第四季度未召开支部党员大会（每季度至少1次），"
            "2月至12月未召开支部委员会会议（每月至少1次）") in summary
    assert "详见附件" in summary and "详见附件" not in report  # the report attaches no table


def test_a_rule_for_one_form_counts_only_that_form() -> None:
    study = [{"date": f"2025-{m:02d}-20", "type": "理论学习中心组学习", "topic": f"{m}月学习",
              "form": "集中学习" if m % 2 else "个人自学"} for m in range(1, 13)]
    result = year_with([{"activity": "理论学习中心组学习", "period": "month", "min": 1, "scope": "organisation",
                         "form": "集中学习"}], study + committee_meetings("zz", [1]))
    own, = tally(result, None, "理论学习中心组学习")
    assert (own.held, own.short_periods) == (6, (1, 3, 5, 7, 9, 11))
    assert result.year is not None
    fig = compute(result.year)
    assert fig.held_count("理论学习中心组学习") == 12  # held counts all forms, whatever the rule
    text = phrases.organisation_activities(result.year, fig)
    assert text == "全年党委开展理论学习中心组集中学习6次、个人自学6次。"


def test_the_secretary_of_the_committee_lecturing_is_said_as_his() -> None:
    data = copy.deepcopy(BASE)
    data["organisation"]["secretary"] = "王书记"
    data["activities"] = [
        *committee_meetings("zz", [1]),
        {"date": "2025-06-30", "type": "党课", "topic": "七一专题党课", "speaker": "王书记"},
        {"date": "2025-03-05", "type": "党委会", "topic": "研究年度工作"}]
    year = dangjian_docs.validate(data).year
    assert year is not None
    text = phrases.organisation_activities(year, compute(year))
    assert text == "全年召开党委会1次，党委书记讲党课1次。"  # never “党委召开党委会”


# -- a log copied from a report holds only what the report mentions ------------------------------

def _specialised(complete: bool) -> dangjian_docs.Validation:
    raw = yaml.safe_load((DATA / "truth-specialised.yaml").read_text(encoding="utf-8"))
    raw["activities_complete"] = complete
    return dangjian_docs.validate(raw)


def _summary_text(year: dangjian_docs.YearData) -> tuple[str, list[list[str]]]:
    document = docx.Document(io.BytesIO(dangjian_docs.render(year, "summary")))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return "\n".join(p.text for p in document.paragraphs), rows


def test_a_required_type_the_log_never_mentions_is_unknown_not_missed() -> None:
    result = _specialised(complete=False)
    assert result.year is not None
    [note] = [d for d in result.diagnostics if d.code == "unrecorded-activity"]
    assert "主题党日" in note.message and "activities_complete" in note.hint
    assert not any(t.rule.activity == "主题党日" for t in tallies(result.year))
    text, rows = _summary_text(result.year)
    assert "主题党日" not in text and "组织生活会" not in text and "民主评议" not in text
    assert "机关党支部第二季度、第四季度未召开支部党员大会" in text  # recorded types are still judged
    theme_column = [row[3] for row in rows[1:]]
    assert theme_column and all(cell == "" for cell in theme_column)  # no "0/12" for an unknown


def test_a_log_declared_complete_names_what_was_never_held() -> None:
    result = _specialised(complete=True)
    assert result.year is not None
    assert not any(d.code == "unrecorded-activity" for d in result.diagnostics)
    text, rows = _summary_text(result.year)
    assert "全年未开展主题党日" in text
    assert [row[3] for row in rows[1:]] == ["0/12", "0/12", "0/12", "0/36"]
