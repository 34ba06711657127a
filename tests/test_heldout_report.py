"""Issue 14, "held out": a real 党委's published account, written as year data, built as the
report and the summary, says every fact the source gives in its section and nothing else.

The source (cited in tests/data/heldout-report-50.yaml) is a large hospital's 2016 account of
re-setting its branches (47 became 52) and re-electing them: a 党委 whose branches are known only
by their count, with no member figures, no meetings by type, no signature and no date. Every
literal below was worked out by hand from the source; none is read back from the writer.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Mapping

import docx
import pytest
import yaml
from conftest import DATA, ROOT

import dangjian_docs

SOURCE = DATA / "heldout-report-50.yaml"
HEADINGS = {"Title", "Heading 1", "Heading 2", "Heading 3"}
GUIDING_2016 = ("以马克思列宁主义、毛泽东思想、邓小平理论、“三个代表”重要思想、科学发展观为指导，"
                "深入学习贯彻习近平总书记系列重要讲话精神")


def raw() -> dict:
    return yaml.safe_load(SOURCE.read_text(encoding="utf-8"))


def build(data: Mapping, kind: str) -> docx.document.Document:
    result = dangjian_docs.validate(data)
    assert result.year is not None, [(d.code, d.message) for d in result.errors]
    return docx.Document(io.BytesIO(dangjian_docs.render(result.year, kind)))


def by_section(document: docx.document.Document) -> list[tuple[str, str]]:
    """Each body paragraph with the headings it stands under, “一、… / （三）…” ("" before the first)."""
    out, top, sub = [], "", ""
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            top, sub = p.text, ""
        elif p.style.name == "Heading 2":
            sub = p.text
        elif p.style.name not in HEADINGS and p.text:
            out.append((f"{top} / {sub}" if sub else top, p.text))
    return out


def text_of(document: docx.document.Document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture(scope="module")
def built() -> dict[str, docx.document.Document]:
    return {kind: build(raw(), kind) for kind in ("report", "summary")}


# The source's facts, each with the section it belongs to in the report and in the summary.
BASIC = "南岭市中心医院党委下设党支部52个。"  # the branches as a count, after the re-setting
WORK = (
    "2016年8月至10月",  # when the branches were re-set
    "院党委印发关于党总支及党支部调整设置和换届改选的通知",
    "调整前有党支部47个",  # 47 before, 52 after: the 52 is 基本情况's
    "医院多次召开党总支书记会议",  # “多次”: the source gives no number, nor does the text
    "各党总支书记（负责人）参加所在党支部的党员大会",
    "外科第一党支部率先召开换届选举大会",
    "以无记名投票、差额选举的方式选出7名支部委员",
    "其余51个党支部相继完成换届改选",  # 52 - 1
    "选举产生支部委员（不含离退休党总支）284名",
)
RESULTS = (
    "新一届支部委员中男女比例基本均衡。",
    "男性委员占比52.82%，女性委员占比47.18%",  # the source's two decimals, not rounded
    "平均年龄43.2岁，较上届年轻4.5岁",
    # “提高2.58%” as the source has it: whether points or a ratio, it does not say
    "博士学位委员占比28.87%，较上届提高2.58%",
    "硕士学位委员占比32.75%，较上届提高23.04%",
    "副高及以上职称委员占比56.69%",
)
# the summary's results are the last part of 主要工作和成效; the report's are a section of their own
SECTIONS = {
    "report": {"basic": "一、基本情况", "work": ("二、主要做法 / （一）按照“支部建在科室上”的原则调整党支部设置",
                                            "二、主要做法 / （二）完成党支部换届选举"),
               "results": "三、取得的成效"},
    "summary": {"basic": "一、基本情况",
                "work": ("二、主要工作和成效 / （一）按照“支部建在科室上”的原则调整党支部设置",
                         "二、主要工作和成效 / （二）完成党支部换届选举"),
                "results": "二、主要工作和成效 / （三）工作成效"},
}
# every heading, in order: none for a part the source has nothing for, and no lone （一） or 1.
# that no （二） or 2. follows (the one result is its section's text, not a part of it)
HEADINGS_BUILT = {
    "report": ["一、基本情况", "二、主要做法", "（一）按照“支部建在科室上”的原则调整党支部设置",
               "（二）完成党支部换届选举", "三、取得的成效"],
    "summary": ["一、基本情况", "二、主要工作和成效", "（一）按照“支部建在科室上”的原则调整党支部设置",
                "（二）完成党支部换届选举", "（三）工作成效"],
}


@pytest.mark.parametrize("kind", ["report", "summary"])
def test_every_fact_once_in_its_section(built, kind: str) -> None:
    paragraphs = by_section(built[kind])
    text = text_of(built[kind])
    where = SECTIONS[kind]
    placed = [(where["basic"], (BASIC,)), (where["work"][0], WORK[:3]), (where["work"][1], WORK[3:]),
              (where["results"], RESULTS)]
    for section, facts in placed:
        for fact in facts:
            assert text.count(fact) == 1, (fact, text.count(fact))
            assert [s for s, p in paragraphs if fact in p] == [section], fact
    headings = [p.text for p in built[kind].paragraphs if p.style.name in HEADINGS - {"Title"}]
    assert headings == HEADINGS_BUILT[kind]


def test_the_report_opens_and_closes_with_what_the_data_supports(built) -> None:
    paragraphs = [p.text for p in built["report"].paragraphs if p.text]
    assert paragraphs[0].replace("\n", "") == "南岭市中心医院党委关于2016年党建工作情况的汇报"
    # a 汇报 to an unnamed body: no 主送机关, the formula before the sections, no “特此报告”
    assert paragraphs[1] == "现将2016年党建工作情况汇报如下。"
    assert "特此报告" not in text_of(built["report"])


def test_the_summary_opens_with_the_thought_of_its_period_and_no_claim_beyond_the_data(built) -> None:
    opening = by_section(built["summary"])[0]
    assert opening == ("", "2016年，南岭市中心医院党委坚持" + GUIDING_2016 + "，围绕医院中心工作，"
                           "带领各党支部扎实推进党的建设各项工作。现将全年工作总结如下。")
    text = text_of(built["summary"])
    # 2016 is before the 19th Party Congress; the data does not say the hospital runs the system
    assert "新时代中国特色社会主义思想" not in text
    assert "党委领导下的院长负责制" not in text


def test_the_closing_formula_fits_what_follows(built) -> None:
    """“现将全年工作总结如下” stands before the year's work; without any, no summary is written
    (not one of 基本情况 alone under that formula)."""
    sections = [s for s, _ in by_section(built["summary"])]
    assert sections.index("一、基本情况") < sections.index(SECTIONS["summary"]["work"][0])
    data = raw()
    del data["work"], data["results"]
    with pytest.raises(dangjian_docs.DangjianError) as refused:
        build(data, "summary")
    assert [d.code for d in refused.value.diagnostics] == ["missing-section"]


# a number the source did not give: a zero, a share of nothing, a held/required pair
INVENTED = re.compile(r"(?<![0-9.])0(次|名|份|个|人|张)|(?<![0-9.])0\.0%|(?<![0-9])0/\d")
UNSAID = (
    # members, staff and organisational life: the source gives none of them
    "共有党员", "正式党员", "预备党员", "女党员", "35岁", "职工", "三会一课", "组织生活", "主题党日",
    "党课", "党委会", "入党", "积极分子", "党费", "双带头人", "统计表", "规定频次",
    # sections the source has nothing for
    "存在问题", "对策建议", "工作打算", "下一步",
    # generic claims, placeholders and a date of writing the source does not give
    "取得了显著成效", "圆满完成", "全面加强", "XXX", "××", "None", "2016年12月", "2017年",
)


@pytest.mark.parametrize("kind", ["report", "summary"])
def test_nothing_the_source_does_not_say(built, kind: str) -> None:
    text = text_of(built[kind])
    assert not INVENTED.search(text), INVENTED.search(text)
    for absent in UNSAID:
        assert absent not in text, absent
    # unsigned, undated data: signed by the 党委's full name, and no 成文日期 printed
    by_style = {p.style.name: p.text for p in built[kind].paragraphs}
    assert by_style["Signature"] == "中共南岭市中心医院委员会"
    assert by_style["Date"] == ""


def test_unsigned_data_validates_and_uses_the_name_without_a_full_name() -> None:
    data = raw()
    del data["organisation"]["full_name"]
    result = dangjian_docs.validate(data)
    assert result.year is not None and not result.errors
    assert not [d for d in result.diagnostics if d.code == "signature-date"]
    # the clerk is told once that no date will be printed, as a note, not a warning
    undated = [d for d in result.diagnostics if d.code == "signature-undated"]
    assert len(undated) == 1 and undated[0].severity is dangjian_docs.Severity.NOTE
    assert result.year.signature.body == "南岭市中心医院党委" and result.year.signature.date is None


def test_counts_of_different_meeting_types_are_never_summed() -> None:
    """Were the office to add its yearly counts, each type keeps its own figure."""
    data = raw()
    data["activity_counts"] = [{"type": "党委会", "count": 12}, {"type": "支部党员大会", "count": 208},
                               {"type": "支部委员会", "count": 624}]
    for kind in ("report", "summary"):
        text = text_of(build(data, kind))
        assert "全年召开党委会12次，各党支部召开支部党员大会208次、支部委员会会议624次" in text
        for total in ("844次", "832次", "220次", "636次"):  # any two or all three added up
            assert total not in text, total


@pytest.mark.parametrize("kind", ["report", "summary"])
def test_fifty_branches_are_a_count_not_a_list(kind: str) -> None:
    data = raw()
    data["organisation"]["branch_count"] = 50
    document = build(data, kind)
    text = text_of(document)
    assert text.count("下设党支部50个") == 1
    assert ("带领各党支部" in text) is (kind == "summary")  # the report has no such opening
    # no roll of fifty names, no paragraph per branch: the documents stay the size of the source's facts
    assert len([p for p in document.paragraphs if p.text]) < 20
    assert text.count("党支部") < 12  # the source's own mentions, however many branches there are


def test_one_branch_is_not_led_as_several() -> None:
    data = raw()
    data["organisation"]["branch_count"] = 1
    opening = by_section(build(data, "summary"))[0][1]
    assert "带领各党支部" not in opening and "扎实推进党的建设各项工作" in opening


def test_every_kind_builds_from_unsigned_data_and_prints_no_date_it_was_not_given(tmp_path) -> None:
    """The sample without its signature: all its documents are written; those the signature used
    to date carry no date, and the plans keep their own (documents.plan.date, 2025-01-10)."""
    data = yaml.safe_load((ROOT / "samples" / "binjiang-2025.yaml").read_text(encoding="utf-8"))
    del data["signature"]
    source = tmp_path / "data"
    source.mkdir()
    for picture in (ROOT / "samples").iterdir():  # the sample's pictures, beside the data
        if picture.is_dir() and picture.name != "broken":
            shutil.copytree(picture, source / picture.name)
    (source / "year.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    written = dangjian_docs.build(source / "year.yaml", out_dir=tmp_path / "out")
    assert len(written) == 17
    for path in written:
        dates = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Date"]
        assert dates in ([], [""], ["2025年1月10日"]), (path.name, dates)
        assert ("2025年1月10日" in dates) is path.name.endswith("工作计划.docx"), path.name
        assert "2025年12月20日" not in text_of(docx.Document(str(path)))  # the sample's signature date
