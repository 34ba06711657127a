"""How each organisation form speaks of itself, and the openings and closings of each kind.

The sentences themselves are in the catalogue (``wording_data/*.yaml``, see :mod:`.catalogue`);
this module holds the small vocabulary code needs to choose among them (how a form names itself
and its branches, an activity's verb) and the thresholds of layout (how short a paragraph joins
the next).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from ..domain.writing import sentence
from ..model import Organisation
from ..record import Record
from . import catalogue


class FormWords(Record):
    """How an organisation of one form speaks of itself and of its branches."""

    self_word: str
    """How the body refers to itself in running text: 党委, 党总支, 支部."""
    members_subject: str
    """Who "has" the members in the basic situation: 全院, 总支, 支部."""
    branches_word: str
    """The branches, collectively, as the subject of organisational life: 各党支部, 支部."""


FORMS: dict[str, FormWords] = {
    "党委": FormWords(self_word="党委", members_subject="全院", branches_word="各党支部"),
    "党总支": FormWords(self_word="党总支", members_subject="党总支", branches_word="各党支部"),
    "党支部": FormWords(self_word="支部", members_subject="支部", branches_word="支部"),
    "联合党支部": FormWords(self_word="联合党支部", members_subject="支部", branches_word="支部"),
    "党小组": FormWords(self_word="党小组", members_subject="党小组", branches_word="党小组"),
}


def form(org: Organisation) -> FormWords:
    return FORMS[org.kind]


SHORT_NAMES = {"党委": "{unit}党委", "党总支": "{unit}党总支", "党支部": "{unit}党支部", "联合党支部": "联合党支部",
               "党小组": "{unit}党小组"}
"""How the basic situation names the body once the hospital has been named: 医院党委, not the full name again."""
UNITS = (("卫生院", "卫生院"), ("医院", "医院"), ("院", "医院"), ("中心", "中心"))
"""How a unit calls itself after the end of its name: a 卫生院 is not a 医院."""


def unit_word(org: Organisation) -> str:
    """``医院``, ``卫生院`` or ``中心`` from the unit's own name; empty when the name does not say."""
    return next((word for end, word in UNITS if org.hospital and org.hospital.endswith(end)), "")


def unit_facts(unit: str) -> frozenset[str]:
    """What an opening may say of the unit: that its name says what it is (``unit``), and that it
    is a 中心, whose 中心工作 is not said as 中心中心工作 (``centre_unit``)."""
    return frozenset(("unit", "centre_unit") if unit == "中心" else ("unit",) if unit else ())


def short_name(org: Organisation) -> str:
    """``医院党委`` for 滨江市第一人民医院党委; the full name where the short one would not be clear."""
    if not org.hospital or not org.name.startswith(org.hospital):
        return org.name
    unit = unit_word(org)
    return SHORT_NAMES[org.kind].format(unit=unit) if unit else org.name


def summary_opening(org: Organisation, year: int, dated: dt.date, facts: Collection[str]) -> str:
    """``2025年，…党委坚持以…为指导，…。现将全年工作总结如下。``: each clause only where the data
    supports it (``facts``: ``leadership_system``, ``several_branches``, ``work``); the guiding
    thought is the one in force on ``dated``, the date of writing."""
    form_ = org.kind
    unit = unit_word(org)
    facts = {*facts, *unit_facts(unit)}
    lead = catalogue.say("summary.opening.lead", form_, facts, year=year, name=org.name,
                         higher=org.higher_body or "上级党组织",
                         guiding=catalogue.era("guiding_thought", dated))
    clauses = [lead, catalogue.say("summary.opening.leadership", form_, facts),
               catalogue.say("summary.opening.centre", form_, facts, unit=unit),
               catalogue.say("summary.opening.work", form_, facts)]
    return sentence("，".join(c for c in clauses if c)) + catalogue.say("summary.opening.formula", form_, facts)


def plan_opening(org: Organisation, year: int) -> str:
    unit = unit_word(org)
    return catalogue.say("plan.opening", org.kind, unit_facts(unit), year=year, name=org.name,
                         hospital=org.hospital, unit=unit)


def report_opening(org: Organisation, year: int, report_form: str) -> str:
    """The opening does not name the body again: the title above it has just done so."""
    return catalogue.say("report.opening", org.kind, {report_form}, year=year)


def report_closing(report_form: str) -> str:
    """“特此报告。” closes the body of a 报告 (a report to a higher body); a 汇报 ends on its last point."""
    return catalogue.say("report.closing", "", {report_form})


# -- the hospital --------------------------------------------------------------------------

HOSPITAL_TYPES = {
    "综合医院": "综合医院", "中医医院": "中医医院", "中西医结合医院": "中西医结合医院",
    "专科医院": "{specialty}专科医院", "妇幼保健院": "妇幼保健院", "基层医疗卫生机构": "基层医疗卫生机构",
}


def hospital_kind(org: Organisation) -> str:
    """``三级甲等中医医院``, ``肿瘤专科医院``; empty when neither level nor type is known."""
    kind = HOSPITAL_TYPES.get(org.hospital_type or "", "").format(specialty=org.specialty or "")
    if org.hospital_level:
        return org.hospital_level + (kind or "医院")
    return kind


# -- organisational life --------------------------------------------------------------------

SHORT_PARAGRAPH = 40
"""A paragraph shorter than this (“全年召开党委会18次。”) joins the next instead of standing alone."""

DEFAULT_BASIS = ""
"""Rules from several sources: “均达到规定频次” without naming one."""

SHORTFALLS_NAMED = 5
"""How many shortfalls the text names one by one before pointing to the attached table."""


def verb(activity_type: str) -> str:
    """The verb a count of ``activity_type`` takes (召开, 讲授, 开展), from the catalogue's table."""
    table = catalogue.active().words.get("activity_verbs", {})
    if activity_type in table:
        return table[activity_type][0]
    ending = next((words for name, words in table.items()
                   if name.startswith("以") and name.endswith("结尾") and activity_type.endswith(name[1:-2])), None)
    return (ending or table["其他"])[0]


def activity_name(activity_type: str) -> str:
    """The type as a sentence says it: 支部委员会 → 支部委员会会议."""
    return (catalogue.words("activity_display", activity_type) or (activity_type,))[0]


# -- development of members ---------------------------------------------------------------

DEVELOPMENT_STEPS = ("applied", "activists", "candidates", "admitted", "converted")
"""The steps of developing members in the order a sentence gives them (words: ``development.step``)."""


# -- work sections and practices ----------------------------------------------------------

FIGURES_JOIN = 90
"""Figures close the last sentence (after a comma) when the two together stay this short."""

LINKED_TYPES = 3
"""How many kinds of linked activity a work section or practice names (the most frequent)."""

CENTRAL_GROUP_STUDY = "理论学习中心组学习"
"""The activity type whose forms (集中学习, 个人自学) are counted apart."""
PERSONAL_STUDY = "个人自学"
"""The form of it members do alone, said as the 中心组 members' (catalogue ``held.study_name``)."""
