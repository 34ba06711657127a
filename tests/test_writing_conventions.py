"""Chinese numbering, dates, shares and punctuation."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian_docs.domain.numbering import chinese_numeral, section_number
from dangjian_docs.domain.writing import format_date, full_width, paragraphs, percent, sentence


@pytest.mark.parametrize(("n", "text"), [
    (1, "一"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (21, "二十一"), (99, "九十九"),
    (100, "一百"), (101, "一百零一"), (110, "一百一十"), (1005, "一千零五"),
])
def test_chinese_numerals(n: int, text: str) -> None:
    assert chinese_numeral(n) == text


def test_section_numbers_by_level() -> None:
    assert [section_number(level, 11) for level in (1, 2, 3, 4, 5)] == ["十一、", "（十一）", "11.", "（11）", "⑪"]


def test_date_has_no_leading_zeros() -> None:
    assert format_date(dt.date(2023, 4, 7)) == "2023年4月7日"


@pytest.mark.parametrize(("part", "whole", "text"), [
    (45, 300, "15.0%"), (1, 3, "33.3%"), (2, 3, "66.7%"), (1, 8, "12.5%"), (1, 16, "6.3%"), (0, 0, "0.0%"),
])
def test_percent_one_decimal_half_up(part: int, whole: int, text: str) -> None:
    assert percent(part, whole) == text


def test_full_width_punctuation_in_chinese_only() -> None:
    text = '开展活动,共1,000人次;时间12:30,地点三楼. 他说"好"'
    assert full_width(text) == "开展活动，共1,000人次；时间12:30，地点三楼。他说“好”"
    assert full_width("要点：1. 加强学习") == "要点：1. 加强学习"  # list numbers are not sentence ends
    assert full_width("ICU (重症监护) 病房") == "ICU（重症监护）病房"
    assert full_width("A, B: C.") == "A, B: C."


def test_paragraphs_one_per_line_and_sentence_close() -> None:
    assert paragraphs("第一段\n\n  第二段,继续\n") == ["第一段", "第二段，继续"]
    assert sentence("做好工作") == "做好工作。" and sentence("做好工作？") == "做好工作？"


@pytest.mark.parametrize(("value", "text"), [
    (376847.30, "37.68万元"), (10000, "1.00万元"), (12000.5, "1.20万元"), (15000.5, "1.50万元"),
    (8916, "8916元"), (9765.6, "9765.60元"), (0.5, "0.50元"), (123456.785, "12.35万元"),
])
def test_money_in_wan_yuan_with_two_decimals(value: float, text: str) -> None:
    from dangjian_docs.domain.writing import format_money

    assert format_money(value) == text


@pytest.mark.parametrize(("label", "value", "unit", "text"), [
    ("出院人次", 6.2, "万人次", "出院6.2万人次"), ("住院手术台次", 3.1, "万台次", "住院手术3.1万台次"),
    ("门诊急诊量", 125.6, "万人次", "门诊急诊量125.6万人次"), ("专项检查", 4, "次", "专项检查4次"),
    ("人次", 3, "人次", "人次3人次"), ("满意度", 96.3, "%", "满意度96.3%"), ("新技术", 26, "", "新技术26"),
])
def test_a_unit_is_said_once(label: str, value: float, unit: str, text: str) -> None:
    from dangjian_docs.domain.writing import quantity

    assert quantity(label, value, unit) == text
