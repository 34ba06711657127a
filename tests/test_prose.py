"""Issue 7 items 1-3 and 5 on the sample: prose a Party office signs without retouching.

Read from the built .docx: the plan says what each task will do and who leads it once; the summary
uses every sub-task outcome, never repeats a sentence, and keeps the numbers of organisational
life in the attached table; the report is a 报告 that closes with “特此报告。” and builds 主要做法
from the named practices.
"""

from __future__ import annotations

import io
import re
from collections import Counter

import docx
import pytest
from conftest import ROOT

import dangjian_docs
from dangjian_docs.documents import phrases
from dangjian_docs.domain.writing import full_width, paragraphs

SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"


@pytest.fixture(scope="module")
def year() -> dangjian_docs.YearData:
    result = dangjian_docs.validate(dangjian_docs.load(SAMPLE))
    assert result.year is not None
    return result.year


@pytest.fixture(scope="module")
def built(year) -> dict[str, list[tuple[str, str]]]:
    out = {}
    for kind in ("plan", "summary", "report"):
        document = docx.Document(io.BytesIO(dangjian_docs.render(year, kind)))
        out[kind] = [(p.style.name, p.text) for p in document.paragraphs if p.text.strip()]
    return out


def body_text(paras: list[tuple[str, str]]) -> list[str]:
    return [t for style, t in paras if not style.startswith("Heading") and style not in ("Title",)]


def sentences(texts: list[str]) -> list[str]:
    return [s for t in texts for s in re.split(r"(?<=。)", t) if len(s) > 4]


def section(paras: list[tuple[str, str]], start: str, stop: str | None) -> list[str]:
    """Body paragraphs from the heading that starts with ``start`` to the one that starts with ``stop``."""
    out, inside = [], False
    for style, text in paras:
        if style.startswith("Heading") and start in text:
            inside = True
            continue
        if inside and stop and style.startswith("Heading") and stop in text:
            break
        if inside and not style.startswith("Heading"):
            out.append(text)
    return out


def test_no_plan_task_without_content(year, built) -> None:
    plan = built["plan"]
    tasks = plan[next(i for i, (_, t) in enumerate(plan) if t == "三、主要任务") + 1:
                 next(i for i, (_, t) in enumerate(plan) if t == "四、保障措施")]
    level = {"Heading 2": 2, "Heading 3": 3, "Heading 4": 4}
    for (style, text), (next_style, _) in zip(tasks, [*tasks[1:], ("Heading 1", "")], strict=True):
        if style in level:  # a heading must be followed by its text or by a deeper heading
            assert next_style not in level or level[next_style] > level[style], text
    assert not [d for d in dangjian_docs.validate(dangjian_docs.load(SAMPLE)).diagnostics if d.code == "task-empty"]


def test_duty_said_once_as_a_closing_parenthesis(year, built) -> None:
    text = body_text(built["plan"])
    assert not [t for t in text if t.startswith("责任部门")]  # never a line of its own
    assert "2025年12月31日" not in "".join(text)  # the whole plan's deadline is not repeated
    assert sum("责任部门" in t for t in text) <= len(list(year.plan.all_tasks()))
    closing = "三是经党委会审议后印发执行（责任部门：党委办公室；完成时限：2025年3月31日）。"
    assert any(t.endswith(closing) for t in text)
    # a sub-task under a department already named says only its own deadline, or nothing
    assert "（2）组织党员分批集中轮训" in [t for _, t in built["plan"]]


def test_every_sub_task_outcome_appears_in_the_summary(year, built) -> None:
    text = "".join(body_text(built["summary"]))
    for task in year.plan.all_tasks():
        for para in paragraphs(task.outcome):
            assert full_width(para).rstrip("。") in text, task.id


@pytest.mark.parametrize("kind", ["plan", "summary", "report"])
def test_no_sentence_twice_in_a_document(built, kind: str) -> None:
    counts = Counter(sentences(body_text(built[kind])))
    assert [s for s, n in counts.items() if n > 1] == []


def test_results_are_not_copies_of_the_work_sections(built) -> None:
    work = sentences(section(built["summary"], "二、主要工作和成效", "工作成效"))
    results = sentences(section(built["summary"], "工作成效", "三、存在问题"))
    assert results and not set(work) & set(results)
    # a figure the work sections give is not given again (专项检查4次 is in （四）)
    assert not [s for s in results if "专项检查4次" in s or "党员示范岗32个" in s]


@pytest.mark.parametrize("kind", ["summary", "report"])
def test_no_planning_formula_in_a_summary(built, kind: str) -> None:
    text = "".join(t for _, t in built[kind])
    assert "这项任务" not in text and "全年围绕" not in text and "开展活动151次" not in text


def test_units_once_and_money_in_wan_yuan(built) -> None:
    text = "".join(body_text(built["summary"]))
    assert "出院6.2万人次" in text and "住院手术3.1万台次" in text
    assert "人次6.2万人次" not in text and "台次3.1万台次" not in text
    assert "收缴党费37.68万元" in text and "376,847.30" not in text


def test_counts_match_the_items_listed(built) -> None:
    text = "".join(body_text(built["summary"]))
    # three honours are named: 先进基层党组织, 样板党支部, one 优秀案例
    assert "市级以上荣誉3项" in text


def test_organisational_life_in_prose_with_the_numbers_in_the_table(built) -> None:
    life = section(built["summary"], "严格落实组织生活制度", "抓好党员发展")
    joined = "".join(life)
    assert "均达到《中国共产党支部工作条例（试行）》规定频次" in joined
    assert "应召开" not in joined and "（应" not in joined and "/" not in joined


def test_shortfalls_are_named_with_branch_period_and_rule(year) -> None:
    import dataclasses

    # drop the 外科党支部's second-quarter general meeting: the text must name exactly that
    dropped = [a for a in year.activities if a.type == "支部党员大会" and a.branch == "waike"
               and a.date.month in (4, 5, 6)]
    short = dataclasses.replace(year, activities=tuple(a for a in year.activities if a not in dropped))
    from dangjian_docs.domain.figures import compute

    text = "".join(phrases.organisational_life(short, compute(short)))
    assert "外科党支部第二季度未召开支部党员大会，未达到每季度至少召开1次的要求" in text
    assert "支部委员会会议、党小组会、党课、主题党日、组织生活会、民主评议党员和谈心谈话均达到" in text


def test_report_is_a_bao_gao_that_closes_with_te_ci(built) -> None:
    report = built["report"]
    assert report[0][1].replace("\n", "") == "滨江市第一人民医院党委关于2025年党建工作情况的报告"
    signature = next(i for i, (style, _) in enumerate(report) if style == "Signature")
    assert report[signature - 1][1] == "特此报告。"
    assert "特此报告。" not in [t for _, t in built["summary"]]


def test_report_practices_are_the_named_practices_not_the_summary(year, built) -> None:
    practices = section(built["report"], "二、主要做法", "取得的成效")  # the results close the section
    headings = [t for style, t in built["report"] if style == "Heading 2"]
    for practice in year.practices:
        assert any(practice.title in h for h in headings)
    summary = set(sentences(body_text(built["summary"])))
    copied = [s for s in sentences(practices) if s in summary and "党支部" not in s[:8]]
    # only the shared organisational-life facts may be worded alike; no work section is copied
    shared = ("全年各党支部", "支部党员大会、", "8名党支部书记", "全年收到", "各党支部还", "党委理论学习中心组")
    assert not [s for s in copied if not s.startswith(shared)]
    assert "班子成员撰写学习体会和调研报告26篇" in "".join(practices)


def test_a_deadline_every_task_shares_is_said_once() -> None:
    from conftest import minimal_text, validate_text

    text = minimal_text().replace("      due: 2024-12-31\n", "      due: 2024-06-30\n", 1)
    year = validate_text(text).year
    assert year is not None
    document = docx.Document(io.BytesIO(dangjian_docs.render(year, "plan")))
    paras = [p.text for p in document.paragraphs]
    assert paras.count("以下各项任务均于2024年6月30日前完成。") == 1
    assert sum("2024年6月30日" in p for p in paras) == 1
    assert "抓好理论学习（责任部门：党总支办公室）。" in paras


def test_report_keeps_every_fact_of_the_year(year, built) -> None:
    """Results and next year's plans are facts too: the report carries them after its practices."""
    headings = [t for style, t in built["report"] if style.startswith("Heading")]
    # 取得的成效 is a part of its own after 主要做法, not one of the practices
    assert "三、取得的成效" in headings and "六、下一步工作打算" in headings
    text = "".join(body_text(built["report"]))
    assert "门诊急诊量125.6万人次，出院6.2万人次，住院手术3.1万台次" in text
    assert "专项检查4次" in text and text.count("专项检查4次") == 1  # said by the practice, not again
