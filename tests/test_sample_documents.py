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
    assert "下设党支部8个（其中在职党支部7个、离退休党支部1个），党小组15个，7个支部设立支部委员会" in text
    assert "“双带头人”6名，占支部书记总数的75.0%" in text  # 6 of 8
    assert "共有党员229名，其中正式党员225名、预备党员4名" in text
    assert "女党员129名，占56.3%" in text  # 129/229 = 56.33
    assert "35岁以下党员60名，占26.2%" in text  # 60/229 = 26.20
    assert "大学本科及以上学历189名，占82.5%" in text  # 189/229 = 82.53
    assert "在职党员204名，占全院职工1260人的16.2%" in text  # retired branch's 25 are not staff


@pytest.mark.parametrize("kind", ["summary", "report"])
def test_organisational_life_figures(documents, kind: str) -> None:
    text = body(documents[kind])
    # general meetings 39 held, 4 a year x 8 branches; committees 84 = 12 x 7 branches with a committee;
    # group meetings 180 = 12 x 15 groups; lectures 17 (8 required), 9 of them by the branch secretary
    assert "支部党员大会39次（应召开32次），支部委员会会议84次（应召开84次），党小组会180次（应召开180次）" in text
    assert "讲授党课17次，其中支部书记讲党课9次" in text
    assert "“三会一课”合计开展320次，应开展304次" in text
    assert "开展主题党日活动96次（应开展96次）" in text
    assert "平均参会率96.1%" in text  # 7957 present of 8276 expected in branch meetings
    assert "收到入党申请2份，确定入党积极分子2名，列为发展对象2名，接收预备党员4名，预备党员按期转正2名" in text
    assert "全年收缴党费376,847.30元" in text
    assert "全年围绕这项任务开展活动17次，参加党员182人次" in text  # task T1 and its sub-tasks


def test_summary_branch_table(documents) -> None:
    table = docx.Document(io.BytesIO(documents["summary"])).tables[0]
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}
    assert len(rows) == 8
    # 内科第一: 5 + 12 + 36 + 3 held; 4 + 12 + 3 groups x 12 + 1 required
    assert rows["内科第一党支部"][:3] == ["35", "56/53", "12/12"]
    # 药学部 has no committee and no groups: 4 general meetings and 1 lecture required
    assert rows["药学部党支部"][:3] == ["6", "7/5", "12/12"]


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
