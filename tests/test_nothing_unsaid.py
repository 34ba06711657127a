"""Issue 14 item 3: a document states only what the data says, openings included.

Each test starts from tests/data/minimal.yaml (a 党总支 with two branches) and changes what a
real office's data would: no word about the hospital's system of leadership, a year before the
19th Party Congress, one branch, branches or members given only as counts.
"""

from __future__ import annotations

import io
import re

import docx
import yaml
from conftest import DATA

import dangjian_docs
from dangjian_docs import Severity


def minimal() -> dict:
    return yaml.safe_load((DATA / "minimal.yaml").read_text(encoding="utf-8"))


def checked(raw: dict) -> dangjian_docs.Validation:
    result = dangjian_docs.validate(raw)
    assert result.year is not None and not result.errors, [(d.code, d.message) for d in result.errors]
    return result


def text(raw: dict, kind: str = "summary") -> str:
    document = docx.Document(io.BytesIO(dangjian_docs.render(checked(raw).year, kind)))
    return "\n".join(p.text for p in document.paragraphs)


def opening(raw: dict) -> str:
    return text(raw).split("\n")[1]


def as_committee(raw: dict, *, leadership: bool | None) -> dict:
    raw["organisation"].update(name="测试医院党委", kind="党委")
    if leadership is not None:
        raw["organisation"]["leadership_system"] = leadership
    return raw


# -- openings ------------------------------------------------------------------------------------

def test_the_leadership_system_is_said_only_when_the_data_says_so() -> None:
    assert "院长负责制" not in opening(as_committee(minimal(), leadership=None))
    assert "院长负责制" not in opening(as_committee(minimal(), leadership=False))
    said = opening(as_committee(minimal(), leadership=True))
    assert said == ("2024年，测试医院党委坚持以习近平新时代中国特色社会主义思想为指导，坚持党委领导下的院长负责制，"
                    "围绕医院中心工作，带领各党支部扎实推进党的建设各项工作。现将全年工作总结如下。")


def _in_year(raw: dict, year: int) -> dict:
    """The same data moved to another year, every date with it."""
    shift = year - raw["year"]
    moved = re.sub(r"\b(20\d\d)-", lambda m: f"{int(m.group(1)) + shift}-", yaml.safe_dump(raw, allow_unicode=True))
    out = yaml.safe_load(moved)
    out["year"] = year
    return out


def test_the_guiding_thought_belongs_to_its_period() -> None:
    old = opening(_in_year(minimal(), 2015))
    assert "习近平新时代中国特色社会主义思想" not in old  # the term dates from October 2017
    assert old.startswith("2015年，测试医院党总支坚持以马克思列宁主义、毛泽东思想、邓小平理论、“三个代表”重要思想、"
                          "科学发展观为指导，深入学习贯彻习近平总书记系列重要讲话精神，")
    # a 2017 summary written in December comes after the 19th Party Congress
    assert "坚持以习近平新时代中国特色社会主义思想为指导" in opening(_in_year(minimal(), 2017))
    assert "系列重要讲话" not in opening(_in_year(minimal(), 2017))


def test_one_branch_is_not_led_as_各党支部_and_is_noted() -> None:
    raw = minimal()
    raw["branches"] = raw["branches"][:1]
    raw["organisation"]["members"] = {"full": 30, "probationary": 3}
    raw["activities"] = [a for a in raw["activities"] if a.get("branch") != "b"]
    raw["dues"] = raw["dues"][:1]
    said = opening(raw)
    assert "带领各党支部" not in said and "扎实推进党的建设各项工作" in said
    notes = [d for d in checked(raw).diagnostics if d.code == "single-branch"]
    assert len(notes) == 1 and "只下设 1 个党支部" in notes[0].message and not notes[0].is_error


def test_the_closing_formula_comes_before_the_years_work() -> None:
    said = text(minimal())
    assert "现将全年工作总结如下。" in said
    assert said.index("现将全年工作总结如下。") < said.index("主要工作和成效")


# -- what real documents give only as a count -------------------------------------------------

def test_branches_given_only_as_a_count() -> None:
    raw = minimal()
    raw["organisation"]["branch_count"] = 22
    del raw["branches"]
    for key in ("activities", "development", "dues"):
        raw.pop(key)
    said = text(raw)
    assert "医院党总支下设党支部22个。" in said
    assert "带领各党支部" in said  # 22 of them
    basic = said.split("一、基本情况")[1].split("二、")[0]
    assert "双带头人" not in basic and "支部委员会" not in basic  # nothing known of any one branch


def test_a_branch_count_must_agree_with_the_list() -> None:
    raw = minimal()
    raw["organisation"]["branch_count"] = 3
    found = [d for d in dangjian_docs.validate(raw).diagnostics if d.code == "branch-count-mismatch"]
    assert len(found) == 1 and "3 个" in found[0].message and "2 个" in found[0].message


def test_neither_branches_nor_a_count_is_one_note_and_no_set_up() -> None:
    """Issue 14: a plan that names no branch is valid; its branches are not known, not none."""
    raw = minimal()
    del raw["branches"]
    for key in ("activities", "development", "dues"):
        raw.pop(key)
    result = checked(raw)
    notes = [d for d in result.diagnostics if d.code == "branches-unknown"]
    assert len(notes) == 1 and notes[0].severity is Severity.NOTE
    said = text(raw)
    assert "下设" not in said and "0个" not in said and "各党支部" not in said


def test_no_signature_signs_with_the_full_name_and_no_date() -> None:
    """Issue 14: a year without 落款 is valid; its documents are signed by the organisation's full
    name (the issuer they are by) and dated by nothing."""
    raw = minimal()
    del raw["signature"]
    for kind in ("summary", "report"):
        document = docx.Document(io.BytesIO(dangjian_docs.render(checked(raw).year, kind)))
        last = [p.text for p in document.paragraphs if p.style.name in ("Signature", "Date")]
        assert last == ["中共测试医院总支部委员会", ""], kind
        assert not re.search(r"\d{4}年\d{1,2}月\d{1,2}日", "\n".join(p.text for p in document.paragraphs))


def test_a_branch_reference_without_branches_is_still_an_error() -> None:
    raw = minimal()
    del raw["branches"]
    codes = {d.code for d in dangjian_docs.validate(raw).errors}
    assert "unknown-branch" in codes and "missing-key" not in codes


def test_members_given_only_as_a_total() -> None:
    raw = minimal()
    raw["organisation"]["members"] = {"total": 45}
    for branch in raw["branches"]:
        branch.pop("members", None)
        branch.pop("roster", None)
    said = text(raw)
    assert "党总支共有党员45名" in said
    assert "正式党员" not in said and "预备党员" not in said.split("主要工作和成效")[0]


def test_a_total_and_its_split_must_agree() -> None:
    raw = minimal()
    raw["organisation"]["members"] = {"total": 46, "full": 39, "probationary": 6}
    found = [d for d in dangjian_docs.validate(raw).errors if d.code == "members-sum"]
    assert len(found) == 1 and "46" in found[0].message
    raw["organisation"]["members"] = {"women": 3}
    assert "members-total-missing" in {d.code for d in dangjian_docs.validate(raw).errors}


def test_no_probationary_figure_is_not_均为正式党员() -> None:
    """Only a split that says 0 probationary members makes “均为正式党员” a fact."""
    raw = minimal()
    raw["organisation"]["members"] = {"total": 45, "retired": 12}
    for branch in raw["branches"]:
        branch.pop("members", None)
        branch.pop("roster", None)
    assert "均为正式党员" not in text(raw)


def test_in_service_members_are_not_assumed_without_a_retired_branch() -> None:
    """Retired members may sit in any branch unless they have one of their own."""
    raw = minimal()
    raw["branches"] = raw["branches"][:1]
    raw["branches"].append({"id": "b", "name": "行政党支部", "kind": "在职",
                            "members": {"full": 10, "probationary": 2}})
    raw["organisation"]["members"] = {"full": 40, "probationary": 5}
    said = text(raw)
    assert "在职党员" not in said and "占全院职工" not in said
    raw["organisation"]["members"]["retired"] = 0
    said = text(raw)
    assert "均为在职党员，占全院职工300人的15.0%" in said  # 45/300, not “在职党员45名” again
