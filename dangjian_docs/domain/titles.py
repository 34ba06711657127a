"""Breaking a document title over lines as a typesetter does (GB/T 9704-2012 7.3.3).

A title in 2号 (22 pt) 小标宋 that does not fit the 156 mm type area is broken where the meaning
allows (词意完整): only between words of a Chinese word segmenter, never inside a number and its
unit or a quoted term, never leaving one character alone, never ending a line on 关于 or starting
one on 的; the lines are balanced into a trapezoid (上短下长 or 上长下短) or a diamond.

The segmenter (rjieba: jieba's dictionary in Rust) is loaded only when a title needs more than one
line, and the choice among candidate breaks is a fixed cost with a fixed tie-break, so the same
title always gives the same lines.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..record import Record

TITLE_PT = 22.0
"""2号, GB/T 9704 7.3.3."""
TYPE_AREA_PT = 156 / 25.4 * 72
"""The type area is 156 mm wide: 442.2 pt."""
LINE_CHARS = int(TYPE_AREA_PT // TITLE_PT)
"""Full-width 22 pt characters a title line holds: 20."""
ISSUER_PT = 36.0
"""小初: the 发文机关标志 of the 版头, red 小标宋 (GB/T 9704 7.2.4)."""
ISSUER_SCALE, ISSUER_COMPACT_SCALE = 0.75, 0.55
"""Character width of the Issuer and Issuer Compact styles: a long issuer is set narrower."""
ISSUER_LINE_CHARS = int(TYPE_AREA_PT // (ISSUER_PT * ISSUER_SCALE))
"""Characters the Issuer style holds on one line: 16; the compact style holds 22."""
PAGE_LINES = 22
"""Lines of the 28.95 pt grid in the 225 mm type area."""
FOOT_LINE_CHARS = int((TYPE_AREA_PT - 2 * 14) // (14 - 0.25)) - 3
"""4号 characters after “抄送：” on a line of the 版记 (one character in on each side): 27."""
MAX_SHAPED_LINES = 3
MIN_LINE_CHARS = 2

# Words after which a line may not end, and words a line may not start with.
_NO_LINE_END_TAGS = frozenset({"p", "c"})  # prepositions (关于、对) and conjunctions (和、与、及)
_NO_LINE_START = frozenset({"的", "之", "等",
                            # an office goes with whose it is: 党委书记|办公室 reads as a person, then a room
                            "办公室"})
# Words that open the title's next phrase: a line starts well with them.
_PHRASE_STARTS = frozenset({"关于", "暨"})
_OPENING = "“‘《（〔【「"
_CLOSING = "”’》）〕】」、，。；：！？"
# Words that end the name of an organisation: a break after them starts the title's next phrase.
_ORGANISATION_ENDS = ("委员会", "党委", "党总支", "党支部", "总支", "支部", "党组")
# Words that go with the number before them: 2025年, 2025年度, 3号.
_UNITS = frozenset({"年", "年度", "月", "日", "号", "周年", "届", "次", "个", "项"})

# Fixed political terms of the genre that the general dictionary splits (中国|特色|社会主义); a
# title never breaks inside them. The segmenter does the rest.
TERMS = (
    "习近平新时代中国特色社会主义思想",
    "中国特色社会主义",
    "党委领导下的院长负责制",
    "不忘初心、牢记使命",
    "全面从严治党",
    "党风廉政建设",
    "三会一课",
    "主题党日",
    "主题教育",
    "双带头人",
    "三重一大",
)

_EXTRA_LINE_COST = 6.0
_BOUNDARY_WEIGHT = 3.0


class _Unit(Record):
    """A run of the title that stays on one line: a word, or a number with its unit, or a quote."""

    text: str
    tag: str

    @property
    def width(self) -> float:
        return text_width(self.text)


HALF_WIDTH = 0.65
"""A Latin digit is 0.5 em in Times New Roman, but a reader without it substitutes a font whose
digits are wider (DejaVu Serif's are 0.64 em): counted at 0.5, "…党委2025年党建工作总结" filled
the line exactly in Word and left "结" alone on a second line in LibreOffice."""


def text_width(text: str) -> float:
    """Width in full-width characters: a CJK character or full-width mark is 1, a Latin one less."""
    return sum(map(_char_width, text))


@functools.lru_cache(maxsize=4096)
def _char_width(char: str) -> float:
    """One character's width (kept: a title's every candidate break measures its characters)."""
    return 1.0 if unicodedata.east_asian_width(char) in "WFA" else HALF_WIDTH


@functools.cache
def _segmenter() -> Any:
    """The word segmenter, imported and loaded on first use (about 0.15 s).

    Importing rjieba already loads its dictionary into the module's default segmenter; that one
    is used (with the terms added), as loading a second took as long again: a one-document
    process such as a roll-up paid 0.3 s for its title.
    """
    import rjieba

    for term in TERMS:
        rjieba.add_word(term, None, "n")
    return rjieba


def words(title: str) -> list[tuple[str, str]]:
    """The segmenter's words of ``title`` with their part-of-speech tags (no HMM guessing)."""
    return [(word, tag) for word, tag in _segmenter().tag(title, hmm=False)]


def _units(title: str) -> list[_Unit]:
    """Words grouped into the runs a line break may not split."""
    units: list[_Unit] = []
    pending_open = ""
    for word, tag in words(title):
        if units and (word[0] in _CLOSING or (word in _UNITS and _is_number(units[-1].text))):
            last = units.pop()
            units.append(_Unit(last.text + word, last.tag))
            continue
        if all(c in _OPENING for c in word):
            pending_open += word
            continue
        units.append(_Unit(pending_open + word, tag))
        pending_open = ""
    if pending_open:
        units.append(_Unit(pending_open, "x"))
    return _join_quotes(units)


def _is_number(text: str) -> bool:
    """Ends in a digit; the segmenter may give 年 or 年度 as a word of its own (nothing before)."""
    return bool(text) and (text[-1].isdigit() or unicodedata.category(text[-1]) == "Nd")


def _join_quotes(units: list[_Unit]) -> list[_Unit]:
    """A quoted or bracketed term stays whole when it fits a line: “三重一大”, 《…》."""
    out: list[_Unit] = []
    open_at: int | None = None
    for unit in units:
        out.append(unit)
        if open_at is None and unit.text[0] in _OPENING and not _closes(unit.text):
            open_at = len(out) - 1
        elif open_at is not None and _closes(unit.text):
            joined = "".join(u.text for u in out[open_at:])
            if text_width(joined) <= LINE_CHARS:
                out[open_at:] = [_Unit(joined, "x")]
            open_at = None
    return out


def _closes(text: str) -> bool:
    pairs = {"“": "”", "‘": "’", "《": "》", "（": "）", "〔": "〕", "【": "】", "「": "」"}
    depth = 0
    for char in text:
        if char in pairs:
            depth += 1
        elif char in pairs.values():
            depth -= 1
    return depth <= 0 and any(c in pairs.values() for c in text)


def _boundary_cost(left: _Unit, right: _Unit, in_name: bool) -> float:
    """How badly a break between two units reads; ``inf`` where it would split a phrase.

    ``in_name``: the break is in the organisation's name at the head of the title (before any
    关于 but the title's first word), where a break costs nothing once the name is complete.
    """
    if left.tag in _NO_LINE_END_TAGS or right.text in _NO_LINE_START or right.text[0] in _CLOSING:
        return math.inf
    if left.text[-1] in _OPENING:
        return math.inf
    if (in_name and left.text.endswith(_ORGANISATION_ENDS)) or right.text in _PHRASE_STARTS or _is_year(left.text):
        return 0.0
    cost = 2.0
    if left.text == "的":
        cost = 4.0
    elif _is_year(right.text):
        cost = 1.0
    elif _is_noun(left.tag) and _is_noun(right.tag):
        cost = 3.0
    if len(left.text) == 1 or len(right.text) == 1:
        cost += 3.0  # 滨江|市, 妇幼保健|院: a one-character word leans on its neighbour
    return cost


def _is_year(text: str) -> bool:
    return text.endswith(("年", "年度")) and _is_number(text.rstrip("年度"))


def _is_noun(tag: str) -> bool:
    return tag[:1] in ("n", "j")


def shape(widths: Sequence[float]) -> str:
    """``trapezoid``, ``diamond`` or what else the line widths make (``line``, ``rectangle``, …)."""
    if len(widths) == 1:
        return "line"
    if len(widths) == 2:
        return "rectangle" if widths[0] == widths[1] else "trapezoid"
    if len(widths) == 3:
        first, middle, last = widths
        if first < middle < last or first > middle > last:
            return "trapezoid"
        if middle > first and middle > last:
            return "diamond"
        return "irregular"
    return "block"


def _shape_cost(widths: Sequence[float]) -> float:
    """Nothing for a trapezoid or a diamond, ``inf`` for any other shape of two or three lines."""
    return 0.0 if shape(widths) in ("trapezoid", "diamond") or len(widths) > MAX_SHAPED_LINES else math.inf


def _candidates(units: Sequence[_Unit], lines: int) -> Iterator[tuple[int, ...]]:
    return itertools.combinations(range(1, len(units)), lines - 1)


class _Layout:
    """The pieces every candidate break of one title shares, worked out once: the width of each
    run of units that can stand as a line, and the cost of a break before each unit (a title
    tries a hundred breaks)."""

    def __init__(self, units: Sequence[_Unit]) -> None:
        self.units = units
        first_phrase = next((i for i, u in enumerate(units) if i and u.text in _PHRASE_STARTS), len(units))
        self.boundary = [math.inf, *(_boundary_cost(units[c - 1], units[c], c <= first_phrase)
                                     for c in range(1, len(units)))]
        chars = [_char_width(c) for u in units for c in u.text]
        starts = [0, *itertools.accumulate(len(u.text) for u in units)]
        self.lines: list[list[float | None]] = []
        """``lines[a][b - a - 1]``: the width of units ``a`` to ``b`` as one line (measured as a
        whole, as it is set: :func:`text_width` of its characters), or ``None`` where they are too
        short or too wide to be one."""
        for a in range(len(units)):
            widths: list[float | None] = []
            for b in range(a + 1, len(units) + 1):
                width = sum(chars[starts[a]:starts[b]])  # text_width of the run, its characters measured once
                if width > LINE_CHARS:
                    break  # and so is every longer run from ``a``
                widths.append(width if starts[b] - starts[a] >= MIN_LINE_CHARS else None)
            self.lines.append(widths)

    def cost(self, cuts: tuple[int, ...], strict: bool) -> float:
        widths: list[float] = []
        start = 0
        for end in (*cuts, len(self.units)):
            fitting = self.lines[start]
            width = fitting[end - start - 1] if end - start <= len(fitting) else None
            if width is None:
                return math.inf  # a line too wide or too short: no need to weigh the rest
            widths.append(width)
            start = end
        if strict and _shape_cost(widths) == math.inf:
            return math.inf  # neither a trapezoid nor a diamond: no need to weigh the breaks
        costs = [self.boundary[c] for c in cuts]
        if not strict:  # nothing reads well: take the least bad, still between words
            costs = [min(c, 20.0) for c in costs]
        return _BOUNDARY_WEIGHT * sum(costs) + (max(widths) - min(widths))


_known: dict[str, tuple[str, ...]] = {}
"""Breaks found before, by a process that had the segmenter loaded (see :func:`known`)."""
_found: dict[str, tuple[str, ...]] | None = None
"""While :func:`known` is active: the breaks made (or taken from ``_known``) in it."""


@contextlib.contextmanager
def known(breaks: Iterable[Sequence[str]]) -> Iterator[dict[str, tuple[str, ...]]]:
    """Within the block, titles broken before (``breaks``: each one's lines) break the same way
    without the segmenter; yields every break made in the block (title → lines), for the caller
    to keep for next time.

    A repo build keeps the breaks of each document's titles in its manifest, so rebuilding the
    documents of one changed file does not load the segmenter's dictionary (about 0.15 s, a
    quarter of such a build) when their titles are unchanged. A remembered break is taken only
    when its lines are the title's own characters, each line fitting the type area; the break
    is what this code gave for that title (the manifest names the tool's version and code).
    """
    global _found
    previous = dict(_known), _found
    _known.update(("".join(lines), tuple(lines)) for lines in breaks if _plausible(lines))
    _found = {}
    try:
        yield _found
    finally:
        _known.clear()
        _known.update(previous[0])
        _found = previous[1]


def _plausible(lines: object) -> bool:
    """A break some title could have: at least two non-empty strings, each fitting a line."""
    return (isinstance(lines, (list, tuple)) and len(lines) >= 2
            and all(isinstance(line, str) and line and text_width(line) <= LINE_CHARS for line in lines))


def break_title(title: str) -> tuple[str, ...]:
    """The lines of ``title``: one line when it fits, else the best typesetter's break."""
    if text_width(title) <= LINE_CHARS:
        return (title,)
    lines = _known.get(title) or _break(title)
    if _found is not None:
        _found[title] = lines
    return lines


def _break(title: str) -> tuple[str, ...]:
    units = _units(title)
    if any(u.width > LINE_CHARS for u in units):
        units = [piece for u in units for piece in _split_long(u)]
    fewest = math.ceil(text_width(title) / LINE_CHARS)
    layout = _Layout(units)
    for strict in (True, False):
        best: tuple[float, tuple[int, ...]] | None = None
        for lines in range(fewest, max(fewest + 1, MAX_SHAPED_LINES) + 1):
            if best is not None and _EXTRA_LINE_COST * (lines - fewest) >= best[0]:
                break  # every break into more lines costs at least this: none can do better
            for cuts in _candidates(units, lines):
                cost = layout.cost(cuts, strict) + _EXTRA_LINE_COST * (lines - fewest)
                if cost < math.inf and (best is None or cost < best[0]):
                    best = (cost, cuts)
        if best is not None:
            edges = (0, *best[1], len(units))
            return tuple("".join(u.text for u in units[a:b]) for a, b in itertools.pairwise(edges))
    return _greedy(title)


def _split_long(unit: _Unit) -> list[_Unit]:
    """A run wider than a line (a very long quote) falls back to its own words."""
    return [_Unit(word, tag) for word, tag in words(unit.text)] if len(unit.text) > 1 else [unit]


def _greedy(title: str) -> tuple[str, ...]:
    """Last resort for text no word break can fit: fill each line with characters."""
    lines, line = [], ""
    for char in title:
        if text_width(line + char) > LINE_CHARS:
            lines.append(line)
            line = ""
        line += char
    return (*lines, line)
