"""Issue 14, held out: one published hospital plan the writer was not tuned on, built from data.

tests/data/heldout-plan.yaml holds the facts of 《2026年医院党委书记办公室工作计划》 (its URL is in
the file's header) and nothing else: no branches, members, month table, 落款 or date, which the
source does not give. The plan is built through the public API and read back; each fact is looked
for, as a literal worked out by hand from the source, in the section it belongs to, and nothing
the source does not say may be there, the opening included.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest
from conftest import DATA

import dangjian_docs
from dangjian_docs import Severity
from dangjian_docs.documents import catalogue

SOURCE = DATA / "heldout-plan.yaml"

Paragraph = tuple[str, str]


@pytest.fixture(scope="module")
def validation() -> dangjian_docs.Validation:
    return dangjian_docs.validate(dangjian_docs.load(SOURCE))


@pytest.fixture(scope="module")
def paragraphs(validation) -> list[Paragraph]:
    assert validation.year is not None, [(d.code, d.message) for d in validation.errors]
    document = docx.Document(io.BytesIO(dangjian_docs.render(validation.year, "plan")))
    assert not document.tables, "the source gives no month-by-month table"
    return [(p.style.name, p.text) for p in document.paragraphs]


def under(paras: list[Paragraph], heading: str) -> list[Paragraph]:
    """The paragraphs below ``heading`` down to the next heading of its level or above."""
    start = next(i for i, (_, text) in enumerate(paras) if text == heading)
    level = paras[start][0]
    rest = paras[start + 1:]
    stop = next((i for i, (style, _) in enumerate(rest)
                 if style.startswith("Heading") and style <= level), len(rest))
    return rest[:stop]


def body(paras: list[Paragraph]) -> str:
    return "".join(text for style, text in paras if style == "Body Text")


def test_the_data_is_valid_and_says_what_it_does_not_know(validation) -> None:
    assert not validation.errors, [(d.code, d.message) for d in validation.errors]
    codes = {d.code for d in validation.diagnostics}
    # no branches and no 落款 in the source: neither is demanded, the branches are noted once;
    # the plan is signed by the organisation itself, undated
    assert "missing-key" not in codes
    unknown = [d for d in validation.diagnostics if d.code == "branches-unknown"]
    assert len(unknown) == 1 and unknown[0].severity is Severity.NOTE
    assert validation.year is not None and validation.year.signature is not None
    assert (validation.year.signature.body, validation.year.signature.date) == ("云岭市中心医院党委", None)


def test_title_and_opening(paragraphs) -> None:
    title = [text for style, text in paragraphs if style == "Title"]
    # the source's own title, our hospital's name; broken after the office's name, never inside it
    assert title == ["云岭市中心医院党委书记办公室\n2026年工作计划"]
    first_heading = next(i for i, (style, _) in enumerate(paragraphs) if style.startswith("Heading"))
    opening = [text for style, text in paragraphs[:first_heading] if style == "Body Text"]
    # the form's purpose only: no aim the source does not state (“深度融合” was the tool's), no
    # 院长负责制 (the data does not say it), no 各党支部 (no branches known), no guiding thought
    assert opening == ["为全面加强云岭市中心医院党的建设，结合医院实际，制定2026年党建工作计划如下。"]


def test_sections_are_the_sources(paragraphs) -> None:
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings == ["一、指导思想", "二、总体目标", "三、主要任务"]  # no 保障措施 in the source
    tasks = [(style, text) for style, text in under(paragraphs, "三、主要任务") if style.startswith("Heading")]
    assert tasks == [("Heading 2", "（一）深化政治建设，筑牢思想根基"),
                     ("Heading 3", "1.强化理论学习系统性"),
                     ("Heading 3", "2.深化党性教育实效性")]


def test_guiding_thought_of_its_period(paragraphs) -> None:
    text = body(under(paragraphs, "一、指导思想"))
    for fact in ("2026年是推进医院高质量发展的关键一年。",
                 "以习近平新时代中国特色社会主义思想为指导，贯彻落实党的二十大和二十届三中全会精神"
                 "和新时代党的建设总要求。",
                 "以“抓党建、强根基、促融合、提效能”为主线，围绕医院中心工作，在政治引领、责任落实和创新驱动上用力。"):
        assert fact in text, fact
    # the thought in force in 2026 by the catalogue's era table, and none of an earlier period
    assert catalogue.era("guiding_thought", dt.date(2026, 1, 1)) in text
    assert "科学发展观" not in text and "系列重要讲话精神" not in text


def test_goal(paragraphs) -> None:
    assert body(under(paragraphs, "二、总体目标")) == \
        "为医院建设区域医疗中心、实现“十四五”规划目标提供坚强的政治保障和组织支撑。"


def test_tasks_state_every_fact_in_their_item(paragraphs) -> None:
    political = [(s, t) for s, t in under(paragraphs, "（一）深化政治建设，筑牢思想根基")]
    own = body(political[:next(i for i, (s, _) in enumerate(political) if s.startswith("Heading"))])
    # the office leads the whole part: said once, on the part, not on each item again
    assert own == ("政治建设放在首位：用理论武装铸魂，用党性教育固本，用政治监督护航；引导全院领悟"
                   "“两个确立”的决定性意义，增强“四个意识”、坚定“四个自信”、做到“两个维护”"
                   "（责任部门：党委书记办公室）。")
    study = body(under(paragraphs, "1.强化理论学习系统性"))
    for fact in ("落实党委理论学习中心组学习制度：全年集中学习12次，专题研讨不少于6次；",
                 "专题围绕习近平总书记关于卫生健康工作的重要论述、新医改政策和医院高质量发展路径设置。",
                 "支部学习常态化，党员参学率保持98%以上。",
                 "一是每季度请行业专家、党校教授开展辅导讲座；二是中心组成员每半年结合分管领域撰写学习调研报告；"
                 "三是制定《2026年党支部理论学习指导清单》，分列“必学内容+自选动作”；"
                 "四是“第一议题”领学、“微党课”讲学、“学习强国”平台督学。"):
        assert fact in study, fact
    assert body(under(paragraphs, "2.深化党性教育实效性")) == \
        "以建党105周年为契机，开展“传承红色基因·践行医者使命”主题教育活动。"


def test_nothing_the_source_does_not_say(paragraphs) -> None:
    text = "\n".join(t for _, t in paragraphs)
    prose = body(paragraphs)
    # every figure in the body is the source's: the year, 12 and 6 sessions, 98%, 105 years
    assert set(re.findall(r"\d+", prose)) == {"2026", "12", "6", "98", "105"}
    assert not re.search(r"(?<![0-9.])0(次|名|份|个|人|张|%)", text)
    for absent in ("XXX", "××", "＿＿", "None",
                   "党委领导下的院长负责制", "各党支部", "带领", "下设", "深度融合", "党员总数",
                   "保障措施", "月度安排", "附件", "完成时限", "以下各项任务均于"):
        assert absent not in text, absent
    # no 落款 and no date of writing in the source: signed by the organisation's name, undated
    assert [t for s, t in paragraphs if s in ("Signature", "Date")] == ["云岭市中心医院党委", ""]
    assert not re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text)
    assert text.count("党委书记办公室") == 2  # the title and the one duty note


@pytest.mark.parametrize("form", ["党委", "党总支", "党支部", "联合党支部", "党小组"])
def test_no_opening_promises_an_aim(form: str) -> None:
    """The opening is the same for any data: it may not claim an aim that only some plans have."""
    opening = catalogue.say("plan.opening", form, year=2026, name="某党组织", hospital="某医院", unit="医院")
    assert "融合" not in opening and opening.endswith("计划如下。")
