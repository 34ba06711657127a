"""Issue 14, "held out": a real district roll-up known only in aggregate, rebuilt from its facts.

The source (https://scholarmate.com/S/7pZog3, cited in the data file) reports on 重庆市江津区's
public hospitals: 4 hospitals, 22 branches, about 710 members; two 三甲 (区中心医院, 区中医院) and
two 二甲 (区第二人民医院, 区妇幼保健院); their Party organisations are under the district health
commission's 党委; it carries out 党委领导下的院长负责制 and brings the Party's leadership into
every part of running the hospitals. It gives no hospital's staff, members, branches or set-up,
no problems and no countermeasures. The literals below are worked out by hand from that page,
not read back from the tool: every fact appears in its section (约 only where the source says
约), and nothing the page does not say appears.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from dangjian_docs import api
from dangjian_docs.region import validate_region

REGION = Path(__file__).resolve().parent / "data" / "heldout-region" / "region-2019.yaml"

# The source's facts, by hand.
HOSPITALS = 4
BRANCHES = 22  # exact
MEMBERS = 710  # "约710名": approximate
LEVELS = {"三级甲等": ("江津区中心医院", "江津区中医院"), "二级甲等": ("江津区第二人民医院", "江津区妇幼保健院")}
BODY = "江津区卫生健康委党委"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> docx.document.Document:
    """The roll-up as ``build`` writes it, strict (a warning would fail the build)."""
    out = tmp_path_factory.mktemp("heldout")
    written = api.build_region(REGION, out, strict=True)
    assert [p.name for p in written] == ["关于重庆市江津区2019年公立医院党建工作情况的汇报.docx"]
    return docx.Document(io.BytesIO(written[0].read_bytes()))


@pytest.fixture(scope="module")
def paragraphs(built: docx.document.Document) -> list[str]:
    return [p.text for p in built.paragraphs]


def section(paragraphs: list[str], heading: str, end: str) -> list[str]:
    return paragraphs[paragraphs.index(heading) + 1: paragraphs.index(end)]


def body_text(paragraphs: list[str]) -> str:
    """Everything from the title to 特此报告 (the attachment's table is checked on its own)."""
    return "\n".join(paragraphs[: paragraphs.index("特此报告。")])


def test_the_data_is_aggregate_only() -> None:
    data: Any = yaml.safe_load(REGION.read_text(encoding="utf-8"))
    entries = data["institutions"]
    assert len(entries) == HOSPITALS and not any("file" in e for e in entries)
    # no per-institution figure or set-up: the source gives none
    assert all(set(e) == {"name", "type", "level"} for e in entries)
    assert all(e["type"] == "公立医院" and e["name"] in LEVELS[e["level"]] for e in entries)
    assert not list(validate_region(REGION).diagnostics)


def test_title_and_opening_say_the_year_and_nothing_more(paragraphs: list[str]) -> None:
    assert paragraphs[0].replace("\n", "") == "关于重庆市江津区2019年公立医院党建工作情况的汇报"
    # the source names no recipient: no 主送 line; the opening only announces the report
    assert paragraphs[1] == "现将重庆市江津区2019年公立医院党建工作情况汇报如下。"
    assert paragraphs[2] == "一、基本情况"


def test_every_aggregate_fact_is_in_basic_situation(paragraphs: list[str]) -> None:
    basic = section(paragraphs, "一、基本情况", "二、主要做法")
    levels = "；".join(f"{level}{len(names)}家：{'、'.join(names)}" for level, names in LEVELS.items())
    assert basic == [
        f"重庆市江津区共有公立医院{HOSPITALS}家（{levels}），党员约{MEMBERS}名，共设立党支部{BRANCHES}个。",
        f"各公立医院党组织关系均隶属于{BODY}。",
    ]
    assert basic[0].startswith("重庆市江津区共有公立医院4家（三级甲等2家：江津区中心医院、江津区中医院；"
                               "二级甲等2家：江津区第二人民医院、江津区妇幼保健院）")
    # approximate where the source says 约, exact where it does not
    assert "约710名" in basic[0] and "党支部22个" in basic[0] and "约22" not in basic[0]


def test_each_figure_is_said_once(paragraphs: list[str]) -> None:
    text = body_text(paragraphs)
    for figure in ("710", "22个", "4家"):
        assert text.count(figure) == 1, figure


def test_the_practice_is_the_sources_and_has_no_figures(paragraphs: list[str]) -> None:
    practices = section(paragraphs, "二、主要做法", "特此报告。")
    assert practices == ["（一）全面落实党委领导下的院长负责制",
                         "贯彻中央和市委加强公立医院党的建设的意见，将党的领导贯穿医院治理的各个环节。"]


def test_nothing_the_source_does_not_say(paragraphs: list[str]) -> None:
    text = body_text(paragraphs)
    # no per-hospital set-up, staff or development: the source gives none
    for claim in ("设立党委", "设立党总支", "均设立", "联合党支部", "无党员", "职工", "新发展党员",
                  "入党积极分子", "发展对象", "双带头人", "谈心谈话", "较上年", "不含未报送", "据"):
        assert claim not in text, claim
    assert "均为公立医院" not in text  # "共有公立医院4家" already says it
    assert "全区合计" not in text  # one type: its totals are the district's, said once
    # no problems or countermeasures in the source: no such sections
    assert not any(p.endswith(("存在问题", "对策建议")) for p in paragraphs)
    # no zero counts, no blanks
    assert not re.search(r"(?<![\d.])0(家|名|人|个|次|\.0%)", text)
    assert not re.search(r"[XＸ×]", text)


def test_the_table_gives_the_hospitals_and_the_bureaus_total_only(built: docx.document.Document) -> None:
    rows = [[c.text for c in row.cells] for row in built.tables[0].rows]
    names = [n for group in LEVELS.values() for n in group]
    assert [r[0] for r in rows[1:]] == [*names, "合计"]
    for row in rows[1:-1]:
        assert row[1] == "公立医院" and set(row[2:]) == {"—"}  # no figure of any one hospital
    total = rows[-1]
    assert total[:4] == ["合计", "4家", "—", "约710"]
    assert not any(re.fullmatch(r"0|约0", cell) for row in rows for cell in row)
