"""Issue 15 item 3: the secretary's 抓基层党建工作述职报告, one a secretary the data chooses.

Read back from the built .docx: every figure is what the activity log says that person did
(counted here by hand from the sample and again from its raw YAML), a branch secretary's report
is about that branch only, a section without data is left out, and a report the data cannot
attribute is a located error.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import docx
import pytest
import yaml
from conftest import ROOT, cli_output, codes, validate_text
from layout import check_gbt9704_layout

import dangjian_docs
from dangjian_docs.documents import KINDS
from dangjian_docs.loading import load_text

SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
ORG = "滨江市第一人民医院党委"
BRANCH = "内科第一党支部"


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def year_of(text: str) -> dangjian_docs.YearData:
    result = dangjian_docs.validate(load_text(text, "t.yaml"))
    assert result.year is not None and result.ok(), [d.message for d in result.errors]
    return result.year


def built(year: dangjian_docs.YearData, subject: str, tmp_path: Path | None = None) -> list[tuple[str, str]]:
    """(style, text) of every non-empty paragraph of one 述职报告; checked for layout when ``tmp_path``."""
    content = dangjian_docs.render(year, "report-duty", subject=subject)
    if tmp_path is not None:
        out = tmp_path / "duty.docx"
        out.write_bytes(content)
        check_gbt9704_layout(out)
    return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(content)).paragraphs if p.text.strip()]


def with_duty(block: str, text: str | None = None) -> str:
    """The sample with its ``duty_reports`` replaced by ``block``."""
    text = text if text is not None else sample_text()
    start = text.index("duty_reports:\n")
    end = text.index("\n# ----", start)
    return text[:start] + block.rstrip("\n") + "\n" + text[end:]


@pytest.fixture(scope="module")
def sample() -> dangjian_docs.YearData:
    return year_of(sample_text())


def hosted(name: str, branch: str | None = "*") -> Counter[str]:
    """From the raw YAML: the types of the activities ``name`` chaired without speaking at them."""
    raw = yaml.safe_load(sample_text())
    return Counter(a["type"] for a in raw["activities"] if a.get("host") == name and a.get("speaker") != name
                   and (branch == "*" or a.get("branch") == branch))


def test_one_report_for_the_committee_secretary_and_one_for_the_chosen_branch_secretary(sample) -> None:
    made = [(m.id, m.title) for m in dangjian_docs.outputs(sample) if m.kind.name == "report-duty"]
    assert made == [(f"report-duty/{ORG}", f"{ORG}书记2025年度抓基层党建工作述职报告"),
                    (f"report-duty/{BRANCH}", f"{BRANCH}书记2025年度抓基层党建工作述职报告")]
    assert "内科第二党支部" not in str(made), "chosen: false writes no report"


def test_the_committee_secretarys_report_states_what_the_log_says_he_did(sample, tmp_path: Path) -> None:
    paragraphs = built(sample, ORG, tmp_path)
    texts = [t for _, t in paragraphs]
    assert paragraphs[0] == ("Title", f"{ORG}书记\n2025年度抓基层党建工作述职报告")
    assert texts[1] == "现将本人2025年度抓基层党建工作情况报告如下。"
    assert [t for s, t in paragraphs if s == "Heading 1"] == [
        "一、履行职责情况", "二、存在的问题及原因", "三、下一步工作打算"]
    # by hand from the sample's log: 王建国 chairs 24 党委会, the 七一 表彰大会, 12 中心组 sessions and
    # 3 专题研讨 (all the 党委's own), and gives one 党课, at 内科第一党支部, his contact branch
    assert texts[3] == "全年，本人主持召开党委会24次、表彰大会1次，开展理论学习中心组学习12次、专题研讨3次。"
    assert texts[4] == f"本人以{BRANCH}为党建工作联系点，到联系点讲党课1次。"
    assert hosted("王建国") == {"党委会": 24, "理论学习中心组学习": 12, "专题研讨": 3, "表彰大会": 1}
    assert "究其原因，本人把较多精力放在医院改革发展和日常管理上，抓基层党建的时间保障不够。" in texts
    assert [t for s, t in paragraphs if s == "Heading 2"] == [
        "（一）对支部工作的具体指导还不够", "（一）落实书记抓党建第一责任", "（二）推动党建与业务深度融合"]
    assert paragraphs[-2:] == [("Signature", f"{ORG}书记　王建国"), ("Date", "2025年12月20日")]


def test_the_branch_secretarys_report_is_about_that_branch_only(sample, tmp_path: Path) -> None:
    paragraphs = built(sample, BRANCH, tmp_path)
    texts = [t for _, t in paragraphs]
    assert texts[1] == "现将本人2025年度抓支部党建工作情况报告如下。"
    # by hand: in 内科第一党支部 陈立新 chairs 12 支委会, 5 党员大会, 2 组织生活会, 8 主题党日, 2 谈心谈话,
    # 2 志愿服务, 1 民主评议; chairs 2 党课 others give (王建国's, 赵鹏's) and gives 1 himself
    assert texts[3] == ("全年，本人在支部主持召开支部委员会会议12次、支部党员大会5次、组织生活会2次，"
                        "开展主题党日8次、谈心谈话2次、志愿服务2次、民主评议党员1次；主持党课2次；讲党课1次。")
    assert hosted("陈立新", "neike1") == {"支部委员会": 12, "主题党日": 8, "支部党员大会": 5, "组织生活会": 2,
                                        "谈心谈话": 2, "志愿服务": 2, "民主评议党员": 1, "党课": 2}
    assert paragraphs[-2:] == [("Signature", f"{BRANCH}书记　陈立新"), ("Date", "2025年12月20日")]
    whole = "\n".join(texts)
    others = [b.name for b in sample.branches if b.name != BRANCH]
    assert not [n for n in others if n in whole], "no other branch is named"
    assert "党委会" not in whole and "联系点" not in whole and "王建国" not in whole


def test_what_a_branch_secretary_did_elsewhere_stays_out_of_the_branch_report(sample) -> None:
    text = sample_text().replace(
        "\n  # ==== 活动记录结束 ====",
        "\n  - {date: 2025-12-02, type: 党课, branch: waike, topic: 专题党课, expected: 40, present: 38,"
        " speaker: 陈立新}"
        "\n  - {date: 2025-12-03, type: 党委会, topic: 研究年终工作, expected: 9, present: 9, host: 陈立新}"
        "\n  # ==== 活动记录结束 ====")
    assert text != sample_text()
    assert built(year_of(text), BRANCH) == built(sample, BRANCH)


def test_a_section_the_data_does_not_give_is_left_out() -> None:
    year = year_of(with_duty("""duty_reports:
  - branch: waike
    plans:
      - title: 抓好支部换届
"""))
    texts = [t for _, t in built(year, "外科党支部")]
    assert [t for t in texts if t[:2] in ("一、", "二、", "三、")] == ["一、履行职责情况", "二、下一步工作打算"]
    assert "存在的问题" not in "".join(texts) and "究其原因" not in "".join(texts)
    assert [m.subject for m in dangjian_docs.outputs(year) if m.kind.name == "report-duty"] == ["外科党支部"]


def test_no_secretary_chosen_skips_the_kind_with_the_usual_note(tmp_path: Path) -> None:
    text = with_duty("duty_reports:\n  - {branch: waike, chosen: false}\n")
    year = year_of(text)
    assert not KINDS["report-duty"].can_build(year)
    assert "report-duty" not in {m.kind.name for m in dangjian_docs.outputs(year)}
    path = tmp_path / "year.yaml"
    path.write_text(text, encoding="utf-8")
    out = cli_output("validate", path)
    assert "提示: 数据中没有书记述职（duty_reports 中选定述职的书记），不生成述职报告。" in out


@pytest.mark.parametrize(("block", "code", "line", "words"), [
    ("  - {branch: neikee1}\n", "duty-branch", 2, "neike1"),
    ("  - {secretary: 李振华}\n", "duty-secretary", 2, "王建国"),
    ("  - {branch: neike1}\n  - {branch: neike1, secretary: 陈立新}\n", "duty-duplicate", 3, "第 1 项"),
    ("  - {branch: neike1, contact_branches: [waike]}\n", "duty-contact", 2, "本支部"),
    ("  - {contact_branches: [waike, nope]}\n", "duty-contact", 2, "nope"),
])
def test_a_report_the_data_cannot_attribute_is_a_located_error(block: str, code: str, line: int,
                                                                  words: str) -> None:
    text = with_duty("duty_reports:\n" + block)
    start = text[:text.index("duty_reports:\n")].count("\n")
    result = validate_text(text)
    found = [d for d in result.diagnostics if d.code == code]
    assert found and found[0].severity.name == "ERROR" and words in found[0].message + found[0].hint
    assert found[0].line == start + line
    assert "report-duty" not in codes(result)


def test_a_chosen_secretary_with_nothing_to_report_is_warned_and_not_written() -> None:
    text = with_duty("duty_reports:\n  - {branch: neike2, secretary: 许志远}\n").replace(
        "host: 许志远", "host: 何丽萍").replace("speaker: 许志远", "speaker: 何丽萍")
    result = validate_text(text)
    assert "duty-empty" in codes(result)
    assert result.year is not None and not KINDS["report-duty"].can_build(result.year)


def test_the_gallery_shows_a_report() -> None:
    page = (ROOT / "docs" / "gallery.md").read_text(encoding="utf-8")
    assert f"## 述职报告：{ORG}书记2025年度抓基层党建工作述职报告" in page
    assert "](gallery/report-duty.png)" in page
    assert (ROOT / "docs" / "gallery" / "report-duty.png").stat().st_size > 10_000


def test_own_words_follow_the_logs_figures_and_a_quiet_contact_branch_is_named_without_figures() -> None:
    year = year_of(with_duty("""duty_reports:
  - contact_branches: [waike]
    duties: |
      带头落实党建工作责任制，定期听取各支部工作汇报。
"""))
    texts = [t for _, t in built(year, ORG)]
    at = texts.index("一、履行职责情况")
    assert texts[at + 1:] == [
        # his one 党课 was at 内科第一党支部, no longer his contact branch: counted with the rest
        "全年，本人主持召开党委会24次、表彰大会1次，开展理论学习中心组学习12次、专题研讨3次；讲党课1次。",
        "本人以外科党支部为党建工作联系点。",  # the log has nothing 王建国 chaired or gave there
        "带头落实党建工作责任制，定期听取各支部工作汇报。",
        f"{ORG}书记　王建国", "2025年12月20日"]  # no problems, no plans: no sections for them


def test_two_reports_titled_alike_are_refused_with_the_place_to_retitle() -> None:
    year = year_of(with_duty("""duty_reports:
  - {title: 述职报告}
  - {branch: neike1, title: 述职报告}
"""))
    with pytest.raises(dangjian_docs.DangjianError) as caught:
        dangjian_docs.api.render_set(year, ["report-duty"])
    [clash] = caught.value.diagnostics
    assert clash.code == "name-clash"
    assert "duty_reports[1].title" in clash.hint and "duty_reports[0].title" in clash.hint
