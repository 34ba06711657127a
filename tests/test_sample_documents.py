"""The sample's three documents: figures against a count made by hand, layout in the XML.

The literals below were counted from samples/binjiang-2025.yaml with plain PyYAML and a
calculator, not with this package; if the sample changes, count again.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from conftest import ROOT
from layout import check_gbt9704_layout

import dangjian_docs

SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"


@pytest.fixture(scope="module")
def documents() -> dict[str, bytes]:
    year = dangjian_docs.validate(dangjian_docs.load(SAMPLE)).year
    assert year is not None
    return {kind: dangjian_docs.render(year, kind) for kind in ("plan", "summary", "report")}


def body(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("kind", ["plan", "summary", "report"])
def test_built_documents_keep_the_gbt9704_layout(documents, kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.docx"
    path.write_bytes(documents[kind])
    check_gbt9704_layout(path)


@pytest.mark.parametrize("kind", ["summary", "report"])
def test_member_figures(documents, kind: str) -> None:
    text = body(documents[kind])
    assert "滨江市第一人民医院是一所三级甲等综合医院，编制床位1200张、开放床位1180张，现有职工1260人。" in text
    # the hospital is named once; then “医院党委”, its committee and set-up in one sentence
    assert ("医院党委由9名委员组成，书记王建国，副书记李振华，纪委书记孙建平，"
            "委员谢红梅、郑文斌、陈立新、林美娟、马国强、许志远；下设党支部8个") in text
    assert "下设党支部8个（其中在职党支部7个、离退休党支部1个），党小组15个，7个支部设立支部委员会" in text
    # 双带头人 over the 7 in-service branches the requirement applies to (was 6 of 8 = 75.0%)
    assert "在职党支部书记中由业务骨干担任的“双带头人”6名，占在职党支部书记的85.7%" in text
    assert "全院共有党员229名，其中正式党员225名、预备党员4名" in text
    assert "女党员129名，占56.3%" in text  # 129/229 = 56.33
    # 35岁及以下 as 党内统计 counts: 田雨 (35 on 2025-12-31) now counts, 60 → 61
    assert "35岁及以下党员61名，占26.6%" in text  # 61/229 = 26.64
    assert "研究生学历75名、大学本科学历114名、大专学历30名、中专及以下学历10名，大学本科及以上学历占82.5%" in text
    assert "离退休党员25名；在职党员204名，占全院职工1260人的16.2%" in text  # retired branch's 25 are not staff


@pytest.mark.parametrize("kind", ["summary", "report"])
def test_organisational_life_in_prose(documents, kind: str) -> None:
    text = body(documents[kind])
    # 三会一课: 39 + 84 + 180 + 17 = 320; theme days 96; no shortfall in the sample
    assert "全年各党支部共开展“三会一课”320次、主题党日96次，平均参会率96.1%。" in text  # 7957 of 8276
    assert ("支部党员大会、支部委员会会议、党小组会、党课、主题党日、组织生活会、民主评议党员和谈心谈话"
            "均达到《中国共产党支部工作条例（试行）》规定频次。") in text
    assert "8名党支部书记均为本支部党员讲授党课，全年支部书记讲党课9次。" in text
    assert "党委理论学习中心组学习达到《医院党委理论学习中心组学习制度》规定频次。" in text
    assert "应召开" not in text and "（应" not in text  # the numbers stay in the attached table
    # every development figure is stated, once: what a work section or practice gave is not repeated
    # (入党申请 is stated again, with the staff size, as a problem)
    assert "收到入党申请2份" in text
    for fact in ("积极分子2名", "发展对象2名", "接收预备党员4名", "转正2名"):
        assert text.count(fact) == 1, fact


def test_money_and_units_as_an_office_writes_them(documents) -> None:
    text = body(documents["summary"])
    assert "收缴党费37.68万元" in text and "376,847.30" not in text  # 376,847.30 元
    assert "出院6.2万人次，住院手术3.1万台次" in text
    assert "出院人次6.2万人次" not in text and "元。" not in text.replace("万元。", "")


def test_summary_branch_table(documents) -> None:
    table = docx.Document(io.BytesIO(documents["summary"])).tables[0]
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}
    assert len(rows) == 9
    # 内科第一: 5 + 12 + 36 + 3 held; 4 + 12 + 3 groups x 12 + 1 required
    assert rows["内科第一党支部"][:3] == ["35", "56/53", "12/12"]
    # 药学部 has no committee and no groups: 4 general meetings and 1 lecture required
    assert rows["药学部党支部"][:3] == ["6", "7/5", "12/12"]
    assert rows["合计"] == ["229", "320/304", "96/96", "96.1%"]


def test_plan_lists_every_task_and_the_twelve_months(documents) -> None:
    document = docx.Document(io.BytesIO(documents["plan"]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[0].startswith("（一）把牢政治方向") and any(h.startswith("（六）") for h in headings)
    months = [row.cells[0].text for row in document.tables[0].rows[1:]]
    assert months == [f"{m}月" for m in range(1, 13)]


@pytest.mark.parametrize("kind", ["plan", "summary", "report"])
def test_no_placeholder_or_tag_reaches_the_document(documents, kind: str) -> None:
    text = body(documents[kind])
    for marker in ("XXX", "xx", "××", "＿＿", "{{", "{%", "None"):
        assert marker not in text
