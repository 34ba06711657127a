"""Schema and cross-check diagnostics, each planted in an otherwise valid small year."""

from __future__ import annotations

import pytest
from conftest import codes, minimal_text, validate_text

from dangjian_docs import Severity
from dangjian_docs.loading import load_text


def planted(old: str, new: str) -> list:
    text = minimal_text()
    assert old in text, old
    return validate_text(text.replace(old, new, 1)).diagnostics


def find(diagnostics: list, code: str):
    found = [d for d in diagnostics if d.code == code]
    assert found, f"no {code} in {[(d.code, d.message) for d in diagnostics]}"
    return found[0]


def line_of(fragment: str) -> int:
    return next(i for i, line in enumerate(minimal_text().splitlines(), 1) if fragment in line)


def test_minimal_year_has_no_errors() -> None:
    result = validate_text(minimal_text())
    assert result.errors == [] and result.year is not None
    assert {d.code for d in result.warnings} <= {"compliance", "secretary-lecture", "task-empty"}


def test_unknown_key_suggests_the_right_one() -> None:
    d = find(planted("  hospital_level:", "  hospitl_level:"), "unknown-key")
    assert (d.line, d.column, d.path) == (line_of("hospital_level"), 3, "organisation.hospitl_level")
    assert "hospital_level" in d.message


@pytest.mark.parametrize(("old", "new", "code", "path"), [
    ("  staff: 300", "  staff: 300人", "wrong-type", "organisation.staff"),
    ("  kind: 党总支", "  kind: 总支", "bad-enum", "organisation.kind"),
    ("    committee_elected: 2023-03-01", "    committee_elected: 2023-02-30", "bad-date",
     "branches[0].committee_elected"),
    ("  - id: a\n", "  - id: 临床\n", "bad-id", "branches[0].id"),
    ("year: 2024", "year: 1999", "out-of-range", "year"),
    ("    secretary_is_professional_leader: true", "    secretary_is_professional_leader: 是", "wrong-type",
     "branches[0].secretary_is_professional_leader"),
])
def test_schema_errors_are_placed_at_the_value(old: str, new: str, code: str, path: str) -> None:
    d = find(planted(old, new), code)
    assert d.path == path and d.severity is Severity.ERROR
    assert d.line == line_of(old.strip().split("\n")[0]) and d.hint


def test_missing_field_points_at_its_parent() -> None:
    d = find(planted("    kind: 在职\n", ""), "missing-key")
    assert d.path == "branches[0]" and "类别" in d.message


def test_facts_real_documents_leave_out_are_optional() -> None:
    """Issue 6: a branch's secretary, 双带头人 flag and members, the staff and higher body may be unknown."""
    text = minimal_text()
    for line in ("    secretary: 张三\n", "    secretary_is_professional_leader: true\n", "  staff: 300\n",
                 "  higher_body: 测试市卫生健康委员会党委\n"):
        assert line in text, line
        text = text.replace(line, "", 1)
    result = validate_text(text)
    assert result.errors == [], [(d.code, d.message) for d in result.errors]


def test_members_and_roster_together() -> None:
    d = find(planted("    secretary: 赵六\n", "    secretary: 赵六\n    members: {full: 1, probationary: 0, women: 0, "
                     "under_35: 0}\n"), "both-members")
    assert d.path == "branches[1]"


@pytest.mark.parametrize(("old", "new", "code", "key"), [
    ("branch: a, topic: 研究1月工作", "branch: x, topic: 研究1月工作", "unknown-branch", "branch"),
    ("expected: 3, present: 3", "expected: 3, present: 4", "attendance", "present"),
    ("date: 2024-01-10", "date: 2023-12-30", "date-out-of-year", "date"),
    ("task: T1}", "task: T9}", "unknown-task", "task"),
    ("type: 支部委员会, branch: a", "type: 支委会议, branch: a", "unknown-type", "type"),
    ("group: 第一党小组, topic", "group: 第二党小组, topic", "unknown-group", "group"),
])
def test_cross_checks_on_the_activity_log(old: str, new: str, code: str, key: str) -> None:
    d = find(planted(old, new), code)
    assert d.severity is Severity.ERROR
    assert d.path.startswith("activities[") and d.path.endswith(key)
    assert d.line == line_of(old)


def test_totals_must_agree_with_branches() -> None:
    d = find(planted("{full: 39, probationary: 6}", "{full: 40, probationary: 6}"), "totals-mismatch")
    assert d.path == "organisation.members.full" and "39" in d.message and "40" in d.message


def test_branch_with_seven_full_members_needs_a_committee() -> None:
    d = find(planted("    committee: [赵六, 钱七, 孙八]\n", ""), "committee-missing")
    assert d.path == "branches[1]" and d.severity is Severity.WARNING  # unknown is not absent
    # a committee known only by its size is a committee
    assert "committee-missing" not in {x.code for x in planted("    committee: [赵六, 钱七, 孙八]\n",
                                                               "    committee_size: 3\n")}


def test_small_branch_with_secretary_and_deputy_needs_no_committee() -> None:
    found = planted("    committee: [赵六, 钱七, 孙八]\n", "    deputy_secretary: 钱七\n")
    # 离退休党支部 has 9 full members, so it is warned; a branch of 5 run by two is not
    assert "committee-missing" in {d.code for d in found}
    text = minimal_text().replace("    committee: [赵六, 钱七, 孙八]\n", "    deputy_secretary: 钱七\n")
    for name in ("卫五", "蒋六", "沈七", "褚四", "郑一", "吴十", "周九"):
        text = "\n".join(line for line in text.splitlines() if f"name: {name}," not in line) + "\n"
    assert not {"committee-missing", "committee-size"} & {d.code for d in validate_text(text).diagnostics}


def test_education_must_sum_to_members() -> None:
    d = find(planted("secondary: 1}", "secondary: 2}"), "members-sum")
    assert d.path == "branches[0].members.education"


def test_development_stages_in_order_and_minimum_year() -> None:
    d = find(planted("candidate: 2023-07-01", "candidate: 2022-01-01"), "stage-order")
    assert d.path.endswith("candidate")
    w = find(planted("candidate: 2023-07-01", "candidate: 2023-05-01"), "stage-too-short")
    assert w.severity is Severity.WARNING


def test_placeholder_in_data_is_an_error_at_its_line() -> None:
    d = find(planted("detail: 新开展技术项目10项", "detail: 新开展技术项目XXX项"), "placeholder")
    assert d.line == line_of("新开展技术项目10项") and "XXX" in d.message


def test_shortfalls_are_warnings_and_strict_makes_them_fail() -> None:
    result = validate_text(minimal_text())
    w = find(result.diagnostics, "compliance")
    assert w.severity is Severity.WARNING and result.ok() and not result.ok(strict=True)


def test_local_rule_in_data_replaces_the_built_in_one() -> None:
    extra = "rules:\n  - {activity: 主题党日, period: year, min: 1}\n  - {activity: 支部委员会, period: year, min: 0}\n"
    result = validate_text(minimal_text() + extra)
    messages = [d.message for d in result.warnings]
    assert not any("主题党日" in m and "离退休" in m for m in messages)  # held once in March: enough now
    assert not any("支部委员会" in m for m in messages)
    assert any("主题党日" in m and "临床" in m for m in messages)  # never held: still short


def test_errors_in_one_item_do_not_hide_cross_checks_elsewhere() -> None:
    text = minimal_text().replace("expected: 3, present: 3", "expected: 三, present: 3", 1)
    text = text.replace("type: 党课, branch: a", "type: 党课, branch: zz", 1)
    assert {"wrong-type", "unknown-branch"} <= codes(validate_text(text))


def _schema_cases() -> list:
    """Every broken sample that parses, the sample, and a few planted schema errors."""
    from conftest import ROOT

    from dangjian_docs import DangjianError, load
    cases = []
    for path in sorted((ROOT / "samples").rglob("*.yaml")):
        try:
            cases.append(pytest.param(load(path).data, id=path.name))
        except DangjianError:
            continue
    for old, new in [("staff: 300", "staff: 300.5"), ("year: 2024", "year: 2024.0"),
                     ("due: 2024-02-28", "due: 2024-02-29"), ("due: 2024-02-28", "due: 2023-02-29"),
                     ("  kind: 党总支", "  kind: 党总支 "), ("expected: 3, present: 3", "present: 3")]:
        cases.append(pytest.param(load_text(minimal_text().replace(old, new, 1), "t.yaml").data, id=new))
    return cases


@pytest.mark.parametrize("data", _schema_cases())
def test_fast_and_detailed_validators_agree(data) -> None:
    from dangjian_docs.validation.schema_check import _fast_validator, _validator
    assert _fast_validator().is_valid(data) == (next(_validator().iter_errors(data), None) is None)


COMMITTEE = "    committee: [张三, 李四, 王五]"
SMALL_BRANCH = ("  - id: c\n    name: 小支部\n    kind: 在职\n    secretary: 甲\n"
                "    secretary_is_professional_leader: false\n"
                "    members: {full: 2, probationary: 0, women: 0, under_35: 0}\n")


@pytest.mark.parametrize(("old", "new", "code", "severity"), [
    ("year: 2024", "format_version: 2\nyear: 2024", "bad-value", Severity.ERROR),
    ("  name: 测试医院党总支", "  name: " + "很长的名称" * 9, "too-long", Severity.ERROR),
    (COMMITTEE, "    committee: [张三, 李四, 王五, 甲, 乙, 丙, 丁, 戊]", "too-many", Severity.ERROR),
    (COMMITTEE, "    committee: [张三, 张三, 王五]", "duplicate-item", Severity.ERROR),
    ("  - id: b\n", "  - id: a\n", "duplicate-id", Severity.ERROR),
    ("type: 理论学习中心组学习, topic", "type: 理论学习中心组学习, group: 第一党小组, topic", "group-without-branch",
     Severity.ERROR),
    ("branch: a, group: 第一党小组, topic", "branch: a, topic", "group-missing", Severity.WARNING),
    ("  - {date: 2024-05-01, type: 理论学习中心组学习, topic: 学习全会精神}\n",
     "  - {date: 2024-05-01, type: 理论学习中心组学习, topic: 学习全会精神}\n"
     "  - {date: 2024-05-01, type: 理论学习中心组学习, topic: 学习全会精神}\n", "duplicate-activity", Severity.WARNING),
    (COMMITTEE, "    committee: [张三, 李四, 王五, 甲, 乙, 丙]", "committee-size", Severity.WARNING),
    ("plan:\n", SMALL_BRANCH + "plan:\n", "branch-too-small", Severity.WARNING),
    ("members: {full: 30, probationary: 3, women: 20, under_35: 10,",
     "members: {full: 50, probationary: 3, women: 20, under_35: 10,", "branch-too-large", Severity.WARNING),
    ("    committee_elected: 2023-03-01", "    committee_elected: 2021-03-01", "term-expired", Severity.WARNING),
    ("  - {branch: b, amount: 3000}", "  - {branch: b, amount: 3000, arrears: 1, arrears_months: 8}", "dues-arrears",
     Severity.WARNING),
    ("  date: 2024-12-20", "  date: 2030-12-20", "signature-date", Severity.WARNING),
    ("dues:\n", "development_counts: {applied: 5}\ndues:\n", "development-mismatch", Severity.ERROR),
    ("      title: 加强组织建设\n", "      title: 加强组织建设\n      detail: 配齐支部委员\n", "task-empty",
     Severity.WARNING),  # the other task, 每月集中学习一次, still has only its title
    ("  - {date: 2024-05-01, type: 理论学习中心组学习, topic: 学习全会精神}\n",
     "  - {date: 2024-05-01, type: 理论学习中心组学习, topic: 学习全会精神, duration: 45}\n"
     "rules:\n  - {activity: 理论学习中心组学习, period: year, min: 1, scope: organisation, min_minutes: 90}\n",
     "short-activity", Severity.WARNING),
    ("dues:\n", "activity_counts:\n  - {type: 读书会, count: 3}\ndues:\n", "unknown-type", Severity.ERROR),
])
def test_every_remaining_rule_has_its_diagnostic(old: str, new: str, code: str, severity: Severity) -> None:
    d = find(planted(old, new), code)
    assert d.severity is severity and d.message and d.hint
    assert d.line is not None and d.column is not None


def test_an_empty_branch_list() -> None:
    text = minimal_text()
    start, end = text.index("branches:\n"), text.index("plan:\n")
    d = find(validate_text(text[:start] + "branches: []\n" + text[end:]).diagnostics, "too-few")
    assert d.path == "branches"


def test_a_practice_names_tasks_that_exist() -> None:
    practice = "practices:\n  - {title: 党建大讲堂, tasks: [T1, T7]}\nproblems:\n"
    d = find(planted("problems:\n", practice), "unknown-task")
    assert d.path == "practices[0].tasks[1]" and d.severity is Severity.ERROR


def test_a_branch_writing_for_itself_lists_only_itself() -> None:
    d = find(planted("  kind: 党总支", "  kind: 党支部"), "branch-self")
    assert d.severity is Severity.WARNING and d.path == "branches"


def test_an_id_ending_in_a_newline_is_a_bad_id_as_the_editor_and_fast_check_say() -> None:
    # JSON Schema patterns are ECMA-262: "$" is the very end, not "before a final newline".
    text = minimal_text().replace("  - id: ", '  - id: "', 1)
    first_id = text.split('  - id: "', 1)[1].split("\n", 1)[0]
    text = text.replace(f'  - id: "{first_id}\n', f'  - id: "{first_id}\\n"\n', 1)
    result = validate_text(text)
    bad = [d for d in result.diagnostics if d.code == "bad-id"]
    assert bad and bad[0].path == "branches[0].id"


@pytest.mark.parametrize("key", ["origins: 3", "source: 别处", "derived: {a: 1}"])
def test_a_key_named_like_what_the_model_keeps_for_itself_is_unknown_not_a_crash(key: str) -> None:
    """``origins``, ``source`` and ``derived`` are the model's own (where items came from, the
    file, facts worked out once); written in the data they are unknown keys like any other."""
    result = validate_text(minimal_text() + key + "\n")
    assert [(d.code, d.path) for d in result.errors] == [("unknown-key", key.split(":")[0])]
