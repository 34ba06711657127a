"""Which facts a document has stated, and where: "already said" by fact identity, not by text.

A :class:`Fact` is one figure with what it is about (a count of one activity type held by one
body, a development step, a result's figure). A document keeps one :class:`Ledger`: each
sentence the tool writes records the facts it states; each sentence the user wrote (an outcome,
a practice's detail) is kept with the figures it contains. A user's sentence states a fact only
when it contains the fact's figure *and* names the fact: "坚持中心组学习制度" states no count.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ..record import Record

_CHINESE_NUMERALS = {1: "一", 2: "两二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}
GAP = 4
"""How many characters may stand between a fact's name and its figure in a user's sentence
(``集中轮训已举办两期``, ``培训党员200余人次``); never across ，、；。."""
SPECIFIC_GAP = 6
"""The same for a count under an activity's full name (``志愿服务和健康义诊37场``)."""


class Fact(Record):
    """One figure and what it is about: ``key`` is its identity; ``names`` how text calls it and
    ``units`` the measure words its figure takes (次, 名 …)."""

    key: tuple[object, ...]
    value: float
    names: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    specific: tuple[str, ...] = ()
    """Names that say exactly which fact this is (an activity type or form in full): a user's
    sentence giving *any* count under such a name has stated the fact in its own figure, and the
    document does not set a second figure beside it (``志愿服务和健康义诊37场``)."""

    def pattern(self, any_figure: bool = False) -> re.Pattern[str]:
        """How a user's sentence states this fact (``any_figure``: under a specific name, in any
        figure). Made once per fact: a ledger asks it of every sentence the user wrote."""
        return _pattern(self.value, self.specific if any_figure else self.names, self.units, any_figure)


@functools.lru_cache(maxsize=1024)
def _pattern(value: float, chosen: tuple[str, ...], measures: tuple[str, ...], any_figure: bool) -> re.Pattern[str]:
    """See :meth:`Fact.pattern`; ``chosen`` are the names it looks for, ``measures`` the units."""
    number = f"{value:g}" if float(value) != int(value) else str(int(value))
    forms = [re.escape(number) + r"(?![0-9.])"]
    if float(value).is_integer() and int(value) in _CHINESE_NUMERALS:
        forms.append(f"(?<![0-9一二三四五六七八九十百千])[{_CHINESE_NUMERALS[int(value)]}](?![一二三四五六七八九十百千])")
    names = "|".join(re.escape(n) for n in sorted(set(chosen), key=len, reverse=True) if n)
    units = "|".join(re.escape(u) for u in sorted(set(measures), key=len, reverse=True) if u)
    figure = f"(?<![0-9.])(?:{'|'.join(forms)})"
    if any_figure:
        figure = r"(?<![0-9.])(?:[0-9]+(?:\.[0-9]+)?|[一两二三四五六七八九十]+)"
    gap = SPECIFIC_GAP if any_figure else GAP
    return re.compile(f"(?:{names})[^，、；。0-9]{{0,{gap}}}{figure}余?(?:{units})" if units else
                      f"(?:{names})[^，、；。0-9]{{0,{gap}}}{figure}")


class UserSentence(NamedTuple):
    """One sentence of the user's the document quotes, and the section it is quoted in (a tuple:
    a document quotes dozens)."""

    text: str
    where: str

    def states(self, fact: Fact) -> bool:
        """The sentence names the fact and gives its figure right after, in the fact's measure:
        ``理论学习中心组集中研讨11次`` states 11 研讨; ``坚持中心组学习制度`` states no count, and
        ``发展对象培训班各2期`` is not ``发展对象2名``."""
        return any(p.search(self.text) for p in stating_patterns(fact))


def stating_patterns(fact: Fact) -> tuple[re.Pattern[str], ...]:
    """The patterns a user's sentence stating ``fact`` matches (see :meth:`UserSentence.states`),
    looked up once for all the sentences a ledger holds."""
    own = (fact.pattern(),) if fact.names else ()
    return (*own, fact.pattern(any_figure=True)) if fact.specific and fact.units else own


_SENTENCE = re.compile(r"[^。；！？]*[。；！？]|[^。；！？]+")
"""A sentence of the user's: up to and including its closing mark, or the rest of the text."""

SEPARATOR = "。"
"""What stands between the user's sentences when a ledger searches them as one text: no pattern
a fact states itself by can match across it (the gap between a name and its figure excludes it)."""


def user_sentences(text: str, where: str = "") -> list[UserSentence]:
    return [UserSentence(p, where) for p in _SENTENCE.findall(text) if p.strip()]


@dataclass
class Ledger:
    """The facts one document states, by identity, and the user's sentences it quotes."""

    stated: dict[tuple[object, ...], str] = field(default_factory=dict)
    user: list[UserSentence] = field(default_factory=list)
    paragraphs: dict[str, str] = field(default_factory=dict)
    """Each paragraph of the user's the document quotes → where it is quoted first."""
    _joined: tuple[int, str, Sequence[int]] = field(default=(0, "", ()), init=False, repr=False, compare=False)
    """The user's sentences as one text (see :data:`SEPARATOR`) and where each begins, for the
    first so many of them: every fact asked after is one search, not one per sentence."""

    def quote(self, text: str | None, where: str = "") -> None:
        """Record a user's text the document prints (at section ``where``)."""
        if text:
            self.user.extend(user_sentences(text, where))
            for line in text.splitlines():
                if line.strip():
                    self.paragraphs.setdefault(line.strip().rstrip("。"), where)

    def quoted_elsewhere(self, paragraph: str, where: str) -> bool:
        """Whether the user's ``paragraph`` is quoted in another section than ``where``."""
        found = self.paragraphs.get(paragraph.strip().rstrip("。"))
        return found is not None and found != where

    def state(self, fact: Fact, where: str = "") -> None:
        self.stated.setdefault(fact.key, where)

    def given(self, fact: Fact) -> bool:
        """Whether the document has stated ``fact``, in its own words or in the user's."""
        return fact.key in self.stated or self._stating(fact) is not None

    def where(self, fact: Fact) -> str | None:
        """The section that states ``fact`` (the first one), or ``None``."""
        if fact.key in self.stated:
            return self.stated[fact.key]
        found = self._stating(fact)
        return found.where if found is not None else None

    def _as_one_text(self) -> tuple[str, Sequence[int]]:
        """The user's sentences joined by :data:`SEPARATOR`, and where each begins in it."""
        count, text, starts = self._joined
        if count != len(self.user):
            text = SEPARATOR.join(s.text for s in self.user)
            starts = tuple(itertools.accumulate((len(s.text) + len(SEPARATOR) for s in self.user[:-1]), initial=0))
            self._joined = (len(self.user), text, starts)
        return text, starts

    def _stating(self, fact: Fact) -> UserSentence | None:
        """The first of the user's sentences that states ``fact``."""
        patterns = stating_patterns(fact)
        if not patterns or not self.user:
            return None
        if not any(SEPARATOR in word for word in (*fact.names, *fact.specific, *fact.units)):
            text, starts = self._as_one_text()
            first = min((m.start() for m in (p.search(text) for p in patterns) if m is not None), default=None)
            return self.user[bisect.bisect_right(starts, first) - 1] if first is not None else None
        for sentence in self.user:
            for pattern in patterns:
                if pattern.search(sentence.text):
                    return sentence
        return None

    def about(self, names: tuple[str, ...]) -> str | None:
        """The section whose user's words name a subject (``党费``), figure or not: where a figure
        about it belongs. Only placement asks this; whether a figure is said asks :meth:`given`."""
        return next((s.where for s in self.user if any(n and n in s.text for n in names)), None)

    def fresh(self, facts: list[Fact]) -> list[Fact]:
        return [f for f in facts if not self.given(f)]
