"""The 经验交流材料: written when the data marks practices for it (``practices[].article``)."""

from __future__ import annotations

from ...domain.numbering import chinese_numeral
from ...model import Practice, YearData
from .. import catalogue
from ..base import DocumentKind


def marked(year: YearData) -> list[Practice]:
    """The practices the data writes up in the article, in the data's order."""
    return [p for p in year.practices if p.article]


def has_marked(year: YearData) -> bool:
    return bool(marked(year))


def default_title(year: YearData) -> str:
    """One practice: its own title names it; several: the body, the year and how many."""
    chosen = marked(year)
    if len(chosen) == 1:
        return chosen[0].title
    count = "两" if len(chosen) == 2 else chinese_numeral(len(chosen))  # 两项做法, not 二项
    return catalogue.say("article.title", name=year.organisation.name, year=year.year, n=count)


KIND = DocumentKind("article", "经验交流材料", "article", default_title=default_title, supports=has_marked,
                    needs="标明写入经验交流材料的做法（practices 中的 article: true）")
