"""Titles broken like a typesetter (GB/T 9704 7.3.3): between words, balanced, never one character alone.

Checked on every sample title and on the real titles of the genre in tests/data/titles.txt.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import dangjian_docs
import dangjian_docs.api
from dangjian_docs.domain import titles
from dangjian_docs.domain.titles import LINE_CHARS, break_title, shape, text_width, words

DATA = Path(__file__).resolve().parent / "data" / "titles.txt"
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "binjiang-2025.yaml"
REAL_TITLES = [line.strip() for line in DATA.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")]


def sample_titles() -> list[str]:
    year = dangjian_docs.validate(dangjian_docs.load(SAMPLE)).year
    assert year is not None
    return [dangjian_docs.api.document_title(year, kind) for kind in ("plan", "summary", "report")]


def word_edges(title: str) -> set[int]:
    """Offsets in ``title`` where the segmenter puts a word boundary."""
    edges, at = set(), 0
    for word, _ in words(title):
        at += len(word)
        edges.add(at)
    return edges


def check_broken_like_a_typesetter(title: str) -> None:
    lines = break_title(title)
    assert "".join(lines) == title, "nothing added or lost"
    widths = [text_width(line) for line in lines]
    assert max(widths) <= LINE_CHARS, f"{lines}: a line wider than {LINE_CHARS} characters"
    if text_width(title) <= LINE_CHARS:
        assert lines == (title,)
        return
    assert all(len(line) >= 2 for line in lines), f"{lines}: a character alone on a line"
    at, edges = 0, word_edges(title)
    for line in lines[:-1]:
        at += len(line)
        assert at in edges, f"{lines}: broken inside a word"
    assert 2 <= len(lines) <= 3, f"{lines}: more lines than the title needs"
    assert shape(widths) in ("trapezoid", "diamond"), f"{lines}: {shape(widths)}, not a trapezoid or diamond"
    for line in lines[1:]:
        assert not line.startswith(("的", "，", "、", "”", "》")), f"{lines}: a line starts with {line[0]}"
    for line in lines[:-1]:
        assert not line.endswith(("关于", "“", "《")), f"{lines}: a line ends on {line[-2:]}"


def test_line_width_is_computed_from_the_type_area_and_the_title_size() -> None:
    assert LINE_CHARS == 20  # 156 mm = 442.2 pt holds 20 characters of 22 pt, not 21


def test_the_data_file_holds_enough_real_titles_of_every_length() -> None:
    assert len(REAL_TITLES) >= 50
    counts = {n: sum(len(break_title(t)) == n for t in REAL_TITLES) for n in (1, 2, 3)}
    assert counts[1] >= 5 and counts[2] >= 30 and counts[3] >= 1, counts


@pytest.mark.parametrize("title", REAL_TITLES)
def test_real_titles_break_at_words_into_a_trapezoid_or_diamond(title: str) -> None:
    check_broken_like_a_typesetter(title)


def test_sample_titles_break_at_words() -> None:
    for title in sample_titles():
        check_broken_like_a_typesetter(title)


@pytest.mark.parametrize(("title", "expected"), [
    ("关于滨江市第一人民医院党委2025年党建工作情况的汇报", ("关于滨江市第一人民医院党委", "2025年党建工作情况的汇报")),
    ("关于开展学习贯彻习近平新时代中国特色社会主义思想主题教育的实施方案",
     ("关于开展学习贯彻", "习近平新时代中国特色社会主义思想", "主题教育的实施方案")),
    ("县人民医院党委关于“三重一大”事项集体决策制度执行情况的报告",
     ("县人民医院党委关于“三重一大”事项", "集体决策制度执行情况的报告")),
    # issue 14 held out: an office stays with whose it is (not 党委书记 / 办公室…)
    ("云岭市中心医院党委书记办公室2026年工作计划", ("云岭市中心医院党委书记办公室", "2026年工作计划")),
])
def test_known_breaks(title: str, expected: tuple[str, ...]) -> None:
    """The reported bad breaks (…党建工 / 作情况的汇报) and a fixed political term kept whole."""
    assert break_title(title) == expected


def test_a_one_line_title_does_not_load_the_segmenter(monkeypatch) -> None:
    def refuse() -> None:
        raise AssertionError("the segmenter was loaded for a title that fits one line")

    monkeypatch.setattr(titles, "_segmenter", refuse)
    assert break_title("2025年党建工作计划") == ("2025年党建工作计划",)


def test_the_same_title_always_breaks_the_same_way() -> None:
    results = {tuple(break_title(t) for t in REAL_TITLES) for _ in range(3)}
    assert len(results) == 1


def test_a_title_no_word_break_can_fit_still_fits_its_lines() -> None:
    title = "中华人民共和国" * 9  # 63 characters, words of 7
    lines = break_title(title)
    assert "".join(lines) == title and all(text_width(line) <= LINE_CHARS for line in lines)


@pytest.mark.parametrize("title", [
    "测试医院党总支二〇二四年度党建工作总结报告书",
    "滨江市第一人民医院党委关于年度党建工作重点任务落实情况的报告",
])
def test_a_year_word_standing_alone_breaks_without_error(title: str) -> None:
    lines = break_title(title)
    assert "".join(lines) == title and all(len(line) >= 2 for line in lines)


def test_a_title_broken_before_breaks_the_same_way_without_the_segmenter(monkeypatch) -> None:
    """A repo build hands back the breaks its manifest kept: the lines are the same, and the
    segmenter's dictionary is not loaded to find them again."""
    title = "青溪县第0003人民医院党委关于2025年党建工作情况的报告"
    lines = break_title(title)
    assert len(lines) > 1

    def refuse() -> None:
        raise AssertionError("the segmenter was loaded for a title broken before")

    monkeypatch.setattr(titles, "_segmenter", refuse)
    with titles.known([list(lines)]) as found:
        assert break_title(title) == lines
    assert found == {title: lines}
    with pytest.raises(AssertionError, match="segmenter"):  # outside the block: forgotten
        break_title(title)


@pytest.mark.parametrize("kept", [
    ["青溪县第0003人民医院党委关于2025年党建", "工作情况的报告"],  # a line wider than the type area
    ["青溪县第0003人民医院党委关于2025年党建工作情况的报告"],  # one line: no break at all
    ["青溪县第0003人民医院党委", 2025, "年党建工作情况的报告"],  # not text
    ["青溪县第0003人民医院党委", "", "关于2025年党建工作情况的报告"],
])
def test_a_kept_break_that_no_title_could_have_is_not_used(kept: list[object]) -> None:
    """The manifest is untrusted: a kept break is used only when its lines are text that fits."""
    title = "青溪县第0003人民医院党委关于2025年党建工作情况的报告"
    with titles.known([kept]):  # type: ignore[list-item]
        assert break_title(title) == ("青溪县第0003人民医院党委", "关于2025年党建工作情况的报告")
