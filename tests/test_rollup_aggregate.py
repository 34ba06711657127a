"""Issue 14 item 3 for the roll-up: a district known only in aggregate, as real bureaus report it.

The bureau lists its hospitals with their levels but not how each has set up its Party
organisation, and knows the district's branches (22) exactly and its members only roughly
(约710名). The text says what it knows, in the words it knows it, and nothing about set-ups.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import yaml

from dangjian_docs import api
from dangjian_docs.region import validate_region

REGION = {
    "format_version": 1,
    "year": 2016,
    "region": {"name": "东山区", "body": "东山区卫生和计划生育局党委", "higher_body": "中共东山区委组织部"},
    "institutions": [
        {"name": "东山区人民医院", "type": "公立医院", "level": "三级乙等", "staff": 900},
        {"name": "东山区中医医院", "type": "公立医院", "level": "二级甲等", "staff": 420},
        {"name": "东山区第二人民医院", "type": "公立医院", "level": "二级甲等"},
        {"name": "东山区精神卫生中心", "type": "公立医院"},
    ],
    "totals": [
        {"branches": 22},
        {"members": 710, "approximate": True},
    ],
    "practices": [{"title": "抓好支部建设", "detail": "推进党支部标准化建设。"}],
    "signature": {"body": "中共东山区卫生和计划生育局委员会", "date": "2016-12-20"},
}


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "region-2016.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def basic(tmp_path: Path, data: dict) -> str:
    content = api.render_region(write(tmp_path, data))[1]
    paragraphs = [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]
    start = paragraphs.index("一、基本情况")
    return "\n".join(paragraphs[start + 1: paragraphs.index("二、主要做法")])


def test_the_aggregate_figures_reach_the_text(tmp_path: Path) -> None:
    text = basic(tmp_path, {**REGION, "totals": [{"branches": 22, "members": 710, "approximate": True}]})
    assert "党员约710名" in text and "党支部约22个" in text


def test_an_exact_and_an_approximate_figure_each_read_as_given(tmp_path: Path) -> None:
    # one type only: the count is said once, with the levels the bureau gave
    assert basic(tmp_path, {**REGION, "totals": [{"type": "公立医院", "branches": 22},
                                                 {"members": 710, "approximate": True}]}) == (
        "东山区共有公立医疗卫生机构4家，均为公立医院（三级乙等1家：东山区人民医院；二级甲等2家：东山区中医医院、东山区第二人民医院），"
        "职工总数1320人（不含未报送的2家），党员约710名，共设立党支部22个。")


def test_no_set_up_is_claimed_when_none_is_given(tmp_path: Path) -> None:
    text = basic(tmp_path, REGION)
    assert "设立党委" not in text and "均设立" not in text
    assert not validate_region(write(tmp_path, REGION)).errors


def test_a_stated_exact_total_is_still_checked_against_the_units(tmp_path: Path) -> None:
    data = {**REGION, "institutions": [{**i, "members": 100} for i in REGION["institutions"]],
            "totals": [{"members": 500}]}
    found = [d for d in validate_region(write(tmp_path, data)).errors if d.code == "region-total"]
    assert len(found) == 1 and "500" in found[0].message and "400" in found[0].message
    data["totals"] = [{"members": 500, "approximate": True}]  # a rough figure is not checked
    assert not [d for d in validate_region(write(tmp_path, data)).diagnostics if d.code == "region-total"]


def test_the_units_own_complete_sum_wins_over_a_rough_total(tmp_path: Path) -> None:
    data = {**REGION, "institutions": [{**i, "members": 100} for i in REGION["institutions"]],
            "totals": [{"members": 410, "approximate": True}]}
    text = basic(tmp_path, data)
    assert "党员400名" in text and "约410" not in text


def test_the_table_total_gives_the_bureaus_figure_where_the_units_do_not(tmp_path: Path) -> None:
    content = api.render_region(write(tmp_path, {**REGION, "totals": [{"members": 710, "approximate": True}]}))[1]
    table = docx.Document(io.BytesIO(content)).tables[0]
    total = [c.text for c in table.rows[-1].cells]
    assert total[0] == "合计" and "约710" in total and "—" in total  # staff: known for 2 of 4 only
