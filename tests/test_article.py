"""The experience article (经验交流材料): seed 002 as data, the sample's marked practices, the layout.

Seed 002 is an article by 南京市第二医院 (《江苏卫生事业管理》2012年第4期): headline, authors, 摘要,
关键词, then parts 1 立足目标抓统筹 / 2 立足结合抓实效 / 3 立足典型抓带动 with sub-parts 2.1 … 3.3.
tests/data/seed002-article.yaml writes it as data; the sample's activity counts below were
counted from samples/binjiang-2025.yaml with plain PyYAML, not with this package.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import docx
import pytest
import yaml
from conftest import DATA, ROOT, cli_output, validate_text
from layout import check_gbt9704_layout

import dangjian_docs
from dangjian_docs.api import document_title
from dangjian_docs.diagnostics import DangjianError
from dangjian_docs.template_check import check_template

SEED = DATA / "seed002-article.yaml"
SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
TEMPLATE = ROOT / "templates" / "article.docx"


def paragraphs(content: bytes) -> list[tuple[str, str]]:
    """(style, text) of every paragraph with text; a line break in the title reads as “/”."""
    out = []
    for p in docx.Document(io.BytesIO(content)).paragraphs:
        text = "".join("/" if child.tag.endswith("}br") else (child.text or "")
                       for run in p.runs for child in run._r if child.tag.endswith(("}t", "}br")))
        if text:
            out.append((p.style.name, text))
    return out


def parts(content: bytes) -> dict[str, str]:
    """Each numbered part's heading → its own text (up to the next heading)."""
    out: dict[str, str] = {}
    current = None
    for style, text in paragraphs(content):
        if style.startswith("Heading"):
            current = text
            out[current] = ""
        elif current is not None and style == "Body Text":
            out[current] += text
    return out


@pytest.fixture(scope="module")
def seed() -> bytes:
    return dangjian_docs.render(SEED, "article")


def test_seed_002_builds_with_the_seeds_front_matter(seed: bytes, tmp_path: Path) -> None:
    shown = paragraphs(seed)
    assert shown[:5] == [
        ("Title", "深入开展创先争优活动/促进党建工作全面落实"),  # broken at the headline's space
        ("Byline", "张国有\u3000胡频"),
        ("Byline", "（南京市第二医院）"),
        ("Abstract", "摘要：近年来医院党建工作以创先争优活动为抓手，通过抓统筹、抓实效、抓带动，"
                     "促进了党建工作全面落实。"),
        ("Keywords", "关键词：创先争优；党建工作"),
    ]
    cli_output("build", SEED, "--kind", "article", "-o", tmp_path)
    assert [p.name for p in tmp_path.glob("*.docx")] == ["深入开展创先争优活动 促进党建工作全面落实.docx"]


def test_seed_002_parts_are_the_seeds(seed: bytes) -> None:
    headings = [(style, text) for style, text in paragraphs(seed) if style.startswith("Heading")]
    assert headings == [
        ("Heading 1", "1\u3000立足目标抓统筹"),
        ("Heading 1", "2\u3000立足结合抓实效"),
        ("Heading 2", "2.1\u3000把创先争优与党建工作相结合，抓好七个方面建设"),
        ("Heading 2", "2.2\u3000把创先争优与品牌工程相结合，打造三个品牌"),
        ("Heading 2", "2.3\u3000把创先争优与三好一满意、政风行风评议工作相结合"),
        ("Heading 1", "3\u3000立足典型抓带动"),
        ("Heading 2", "3.1\u3000选树典型"),
        ("Heading 2", "3.2\u3000表彰典型"),
        ("Heading 2", "3.3\u3000推广典型"),
    ]


def test_seed_002_figures_stand_in_their_own_part(seed: bytes) -> None:
    text = parts(seed)
    second, third = text["2\u3000立足结合抓实效"], text["3\u3000立足典型抓带动"]
    for figure in ("帮扶困难群众15位", "3年捐款共计4.9万元", "专业志愿者网上答题2万多题",
                   "服务窗口排队等候不超过15分钟", "门诊、住院病人满意度90%"):
        assert figure in second and figure not in third
    assert "出橱窗专栏1期" in third and "出橱窗专栏1期" not in second
    assert not any(ch.isdigit() for ch in text["1\u3000立足目标抓统筹"].replace("123", "")), "part 1 has no figures"


def test_laid_out_as_an_article_not_as_a_gongwen(seed: bytes, tmp_path: Path) -> None:
    styles = {style for style, _ in paragraphs(seed)}
    assert not styles & {"Recipient", "Signature", "Date", "Issuer", "Copy To", "Imprint"}
    assert "特此报告" not in "".join(text for _, text in paragraphs(seed))
    path = tmp_path / "article.docx"
    path.write_bytes(seed)
    check_gbt9704_layout(path)  # 小标宋 title, 黑体 / 楷体 headings, 仿宋 body, margins, page numbers


def test_the_template_passes_its_own_check_and_holds_the_articles_contract() -> None:
    assert check_template(TEMPLATE, "article") == []
    check_gbt9704_layout(TEMPLATE)
    document = docx.Document(str(TEMPLATE))
    text = "\n".join(p.text for p in document.paragraphs)
    for name in ("doc.title_lines", "article.subtitle", "article.byline", "article.unit", "article.abstract",
                 "article.keywords", "doc.opening", "s2.children", "article.closing"):
        assert name in text, name
    for name in ("doc.recipient", "doc.signature", "doc.date", "doc.head", "doc.foot"):
        assert name not in text, name
    styles = {s.name: s for s in document.styles}
    fonts = {name: styles[name].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        for name in ("Subtitle", "Byline", "Abstract", "Abstract Label")}
    assert fonts == {"Subtitle": "楷体", "Byline": "楷体", "Abstract": "楷体", "Abstract Label": "黑体"}


def test_a_template_naming_what_the_article_does_not_give_is_refused(tmp_path: Path) -> None:
    """The article's names are its own: a report template cannot ask for ``article.byline``."""
    problems = check_template(ROOT / "templates" / "report.docx", "article")
    assert problems == []  # a 公文 template names only doc and sections: an article may use it
    assert check_template(TEMPLATE, "report"), "article.* is no name of the report's"


@pytest.fixture(scope="module")
def sample() -> bytes:
    return dangjian_docs.render(SAMPLE, "article")


def test_the_sample_makes_an_article_of_its_two_marked_practices(sample: bytes, tmp_path: Path) -> None:
    printed = cli_output("build", ROOT / "samples", "-o", tmp_path)
    assert "滨江市第一人民医院党委2025年党建工作的两项做法.docx" in {p.name for p in tmp_path.glob("*.docx")}
    made = dangjian_docs.outputs(dangjian_docs.validate(ROOT / "samples" / "binjiang-2025.yaml").year)
    assert f"生成了 {len(made)} 份文稿" in printed
    shown = paragraphs(sample)
    assert shown[0] == ("Title", "滨江市第一人民医院党委/2025年党建工作的两项做法")
    assert shown[1] == ("Byline", "中共滨江市第一人民医院委员会")  # no authors given: the body that writes it
    assert [t for s, t in shown if s == "Heading 1"] == [
        "1\u3000建好“党建大讲堂”，推动理论武装走深走实",
        "2\u3000开展“党员示范岗”“党员先锋队”创建，以党建引领改善就医感受"]
    # members and branches as the sample has them: 225 full + 4 probationary, 8 branches
    opening = "滨江市第一人民医院党委下设党支部8个，共有党员229名。现将2025年2个方面的做法介绍如下。"
    assert ("Body Text", opening) in shown


def test_linked_activities_are_the_practices_own_never_other_types(sample: bytes) -> None:
    raw = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    volunteer = [a for a in raw["activities"] if str(a.get("task")).startswith("T5.3") and a["type"] == "志愿服务"]
    own = [a for a in volunteer if a.get("branch") is None]
    theirs = [a for a in volunteer if a.get("branch") is not None]
    assert (len(own), len(theirs), len({a["branch"] for a in theirs})) == (7, 9, 7)
    text = parts(sample)
    second = text["2\u3000开展“党员示范岗”“党员先锋队”创建，以党建引领改善就医感受"]
    assert "党委开展志愿服务7次，7个党支部开展志愿服务9次。" in second
    # T5.3's 主题党日 (20), 党小组会, 支部委员会 are organisational life, not the practice's work
    linked = Counter(a["type"] for a in raw["activities"] if str(a.get("task")).startswith(("T5.1", "T5.3")))
    assert linked["主题党日"] == 25
    for other in ("主题党日", "党小组会", "支部委员会", "党委会"):
        assert other not in second
    # the first practice's tasks hold only meetings and study: it gets its own figure, no counts
    first = text["1\u3000建好“党建大讲堂”，推动理论武装走深走实"]
    assert "班子成员撰写学习体会和调研报告26篇" in first and "次" not in first


def test_no_marked_practice_no_article() -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("    article: true\n", "")
    result = validate_text(text)
    assert result.year is not None and document_title(result.year, "article") is None
    with pytest.raises(DangjianError) as raised:
        dangjian_docs.render(result.year, "article")
    [problem] = raised.value.diagnostics
    assert problem.code == "missing-section" and "article: true" in problem.message


def test_one_marked_practice_names_the_headline_and_says_nothing_untrue() -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("    article: true\n", "", 1)
    result = validate_text(text)
    assert result.year is not None
    shown = paragraphs(dangjian_docs.render(result.year, "article"))
    assert shown[0][1].replace("/", "") == "开展“党员示范岗”“党员先锋队”创建，以党建引领改善就医感受"
    assert shown[1] == ("Subtitle", "——滨江市第一人民医院党委2025年党建工作经验交流")
    assert shown[3] == ("Abstract", "摘要：2025年，滨江市第一人民医院党委开展“党员示范岗”“党员先锋队”创建，"
                                    "以党建引领改善就医感受。本文介绍这项做法和取得的成效。")
    assert "Keywords" not in {s for s, _ in shown}, "no keywords in the data: no line"
    assert shown[-1] == ("Body Text", "以上是滨江市第一人民医院党委在这项工作中的做法，供交流参考。")


def test_the_article_in_traditional_script() -> None:
    shown = paragraphs(dangjian_docs.render(SEED, "article", script="hant"))
    assert ("Heading 1", "2\u3000立足結合抓實效") in shown
    assert shown[3][1].startswith("摘要：近年來醫院黨建工作以創先爭優活動為抓手")


def test_a_practices_photo_closes_its_part_with_its_caption(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (800, 600), (180, 20, 20)).save(tmp_path / "表彰大会.jpg", "JPEG")
    data = tmp_path / "year.yaml"
    data.write_text(SEED.read_text(encoding="utf-8") + "photos:\n  - file: 表彰大会.jpg\n"
                    "    caption: 医院召开创先争优表彰大会\n    practice: 立足典型抓带动\n", encoding="utf-8")
    content = dangjian_docs.render(data, "article")
    document = docx.Document(io.BytesIO(content))
    assert len(document.inline_shapes) == 1
    shown = [(p.style.name, p.text) for p in document.paragraphs if p.text or p._p.xpath(".//w:drawing")]
    caption = shown.index(("Photo Caption", "医院召开创先争优表彰大会"))
    assert shown[caption - 1][0] == "Photo" and shown[caption - 2][1].startswith("利用院内网络")  # after 3.3
    assert shown[caption + 1] == ("Body Text", "以上3个方面，是南京市第二医院党委推进党建工作的做法，供交流参考。")
