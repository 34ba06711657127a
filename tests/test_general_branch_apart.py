"""A 党总支 listed beside its branches is not a 党支部: checks and findings count it apart.

Its members are its branches' members again, and the 党支部 rules (secretary's lecture, a
committee from seven full members, size) are not its rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

import dangjian_docs
from dangjian_docs.domain.findings import findings
from dangjian_docs.model import YearData

DATA = Path(__file__).parent / "data"


def raw_with_general() -> dict[str, Any]:
    """small-year (临床 33 in service, 离退休 12) with a 党总支 over 临床 repeating its 33 members."""
    raw = yaml.safe_load((DATA / "small-year.yaml").read_text(encoding="utf-8"))
    del raw["organisation"]["members"]  # the branches' sums are the only count
    raw["organisation"]["staff"] = 3000
    raw["branches"][0]["members"]["under_35"] = 2
    raw["branches"].insert(0, {
        "id": "g", "name": "医疗党总支", "kind": "在职", "form": "党总支", "secretary": "张三",
        "secretary_is_professional_leader": False,
        "members": {"full": 30, "probationary": 3, "under_35": 2}})
    return raw


def validated(raw: dict[str, Any]) -> dangjian_docs.Validation:
    result = dangjian_docs.validate(raw)
    assert result.year is not None, [d.message for d in result.errors]
    return result


def year_with_general() -> YearData:
    year = validated(raw_with_general()).year
    assert year is not None
    return year


def test_findings_count_members_of_party_branches_only() -> None:
    found = {f.code: f for f in findings(year_with_general())}
    # 33 in service (临床), 45 in all with the 12 retired; the 党总支's 33 are the same people
    assert "在职党员33名" in found["few-applications"].detail
    assert found["few-applications"].figures["in_service_members"] == 33
    assert "全体党员45名（含离退休党员12名）" in found["few-young-members"].detail
    assert found["few-young-members"].figures["members"] == 45


def test_a_general_branch_secretary_is_not_counted_as_a_branch_secretary() -> None:
    # 临床's secretary is a 双带头人; only the 党总支's is not
    assert "secretaries-not-dual" not in {f.code for f in findings(year_with_general())}


def test_branch_rules_are_not_checked_on_a_general_branch() -> None:
    raw = raw_with_general()
    raw["branches"][0]["members"] = {"full": 60, "probationary": 3, "under_35": 2}  # over 50
    raw["branches"].insert(1, {"id": "h", "name": "后勤党总支", "kind": "在职", "form": "党总支",
                               "secretary": "李四", "members": {"full": 2, "probationary": 0}})
    about = [d.message for d in validated(raw).diagnostics
             if d.code in ("secretary-lecture", "committee-missing", "branch-too-small",
                           "branch-too-large")]
    assert about and not [m for m in about if "党总支" in m]
    # the same checks still speak of a 党支部
    assert any("离退休党支部书记赵六" in m for m in about)


# -- a 党委 that knows its 党总支 only as a count ------------------------------------------------

def _report_text(raw: dict[str, Any]) -> str:
    import io

    import docx

    year = validated(raw).year
    assert year is not None
    return "\n".join(p.text for p in docx.Document(io.BytesIO(dangjian_docs.render(year, "report"))).paragraphs)


def test_a_counted_general_branch_reaches_the_set_up() -> None:
    raw = yaml.safe_load((DATA / "heldout-report-50.yaml").read_text(encoding="utf-8"))
    raw["organisation"]["general_branch_count"] = 6
    assert "南岭市中心医院党委下设党总支6个、党支部52个。" in _report_text(raw)
    del raw["organisation"]["general_branch_count"]
    assert "党总支6个" not in _report_text(raw)


def test_a_general_branch_count_must_agree_with_the_list_and_belongs_to_a_committee() -> None:
    raw = raw_with_general()
    raw["organisation"]["kind"] = "党委"
    raw["organisation"]["general_branch_count"] = 2
    codes = [(d.code, d.path) for d in dangjian_docs.validate(raw).errors]
    assert codes == [("branch-count-mismatch", "organisation.general_branch_count")]
    raw["organisation"]["general_branch_count"] = 1
    assert not dangjian_docs.validate(raw).errors
    raw["organisation"]["kind"] = "党总支"
    codes = [d.code for d in dangjian_docs.validate(raw).errors]
    assert "general-branch-count-form" in codes
