"""Traditional script: one simplified data file, documents in 繁体 (``--script hant``, ``script: hant``).

The phrases below are copied from seed 004 (a hospital's 2022 Party-group plans, in traditional
characters); tests/data/seed004-plan.yaml writes the same headings in simplified. Only the
seed's half-width commas are written full-width here, as the tool writes every comma in Chinese.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import opencc
import pytest

import dangjian_docs
from dangjian_docs.rendering.inspect import paragraph_texts
from tests.conftest import DATA, ROOT, cli_output

SEED = DATA / "seed004-plan.yaml"
SEED_PHRASES = [
    "加強黨的組織建設和作風建設，為構建和諧醫院提供強有力的組織保證",
    "抓好總支班子建設",
    "加強政治理論學習活動，強化黨員幹部政治思想教育，為構建和諧醫院夯實思想基礎",
    "抓醫德醫風、廉潔行醫教育",
    "加強幹部隊伍和人才隊伍建設，促進醫院可持續發展",
    "堅持黨管幹部、黨管人才的方針，加大對幹部的教育、監督和考核力度，注重培養選拔優秀年輕幹部",
    "抓現職幹部的考核",
    "發揮羣團組織的作用，調動一切積極因素為醫院建設發揮作用",
    "充分發揮離退休老同志的餘熱，切實關心離退休老同志的生活",
    "抓綜合治理工作，認真處理好羣眾來信來訪，落實計劃生育工作",
    "做好羣眾來信來訪工作，着力解決羣眾關注的熱點問題",
    "加強精神文明建設，樹立行業新風，促進文明單位創建工作再上新台階",
    "加大宣傳力度，發揮輿論宣傳導向作用",
]
TITLE = "示例醫院黨總支2022年黨建工作計劃"


def texts(content: bytes) -> dict[str, list[str]]:
    """Every text part's paragraphs, by part name."""
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        return {name: [t for t in paragraph_texts(docx.read(name)) if t] for name in docx.namelist()
                if name.startswith("word/") and name.endswith(".xml") and b"<w:t" in docx.read(name)}


def core(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        return docx.read("docProps/core.xml").decode()


def test_seed_004_headings_written_in_simplified_come_out_as_the_seed_has_them(tmp_path: Path) -> None:
    printed = cli_output("build", SEED, "--kind", "plan", "--script", "hant", "-o", tmp_path)
    [written] = tmp_path.glob("*.docx")
    assert written.name == f"{TITLE}.docx"
    body = texts(written.read_bytes())["word/document.xml"]
    for phrase in SEED_PHRASES:
        assert any(phrase in paragraph for paragraph in body), phrase
    # the template's and the catalogue's fixed words too: headings, the opening, the signature
    assert body[0] == TITLE
    assert "一、指導思想" in body and "三、主要任務" in body
    assert "中共示例醫院總支部委員會" in body
    # messages stay simplified
    assert "已生成" in printed and "完成：生成了 1 份文稿" in printed


def test_nothing_a_reader_sees_is_left_in_simplified(tmp_path: Path) -> None:
    """Every paragraph of every part (body, headers, footers) is already what s2hk makes of it,
    and the document's properties are converted too; the data file itself is untouched."""
    before = SEED.read_bytes()
    content = dangjian_docs.render(SEED, "plan", script="hant")
    convert = opencc.OpenCC("s2hk").convert
    parts = texts(content)
    assert {"word/document.xml", "word/footer1.xml"} <= set(parts)
    for name, paragraphs in parts.items():
        for paragraph in paragraphs:
            assert convert(paragraph) == paragraph, (name, paragraph)
    assert f"<dc:title>{TITLE}</dc:title>" in core(content)
    assert "<dc:creator>中共示例醫院總支部委員會</dc:creator>" in core(content)
    assert SEED.read_bytes() == before


def test_simplified_is_the_default_and_hant_is_reproducible() -> None:
    plain = dangjian_docs.render(SEED, "plan")
    assert "示例医院党总支2022年党建工作计划" in texts(plain)["word/document.xml"]
    assert dangjian_docs.render(SEED, "plan", script="hant") == dangjian_docs.render(SEED, "plan", script="hant")
    assert dangjian_docs.render(SEED, "plan", script="hans") == plain


def test_api_build_names_files_in_the_script(tmp_path: Path) -> None:
    [path] = dangjian_docs.build(SEED, ["plan"], tmp_path, script="hant")
    assert path.name == f"{TITLE}.docx"


def test_every_kind_of_the_sample_builds_in_traditional(tmp_path: Path) -> None:
    cli_output("build", ROOT / "samples" / "binjiang-2025.yaml", "--script", "hant", "-o", tmp_path)
    names = sorted(p.name for p in tmp_path.glob("*.docx"))
    assert "濱江市第一人民醫院黨委2025年黨建工作總結.docx" in names
    assert "濱江市第一人民醫院黨委關於2025年黨建工作情況的報告.docx" in names
    assert not [n for n in names if "党" in n]


def write_repo(root: Path, config: str) -> None:
    (root / "数据").mkdir(parents=True)
    shutil.copy(SEED, root / "数据" / "示例.yaml")
    (root / "dangjian-docs.yaml").write_text(config, encoding="utf-8")


def test_repo_config_script_hant_and_the_command_line_over_it(tmp_path: Path) -> None:
    write_repo(tmp_path, "data: 数据\noutput: 文稿\nkinds: [plan]\nscript: hant\n")
    cli_output("build", tmp_path, "-j", "1")
    assert [p.name for p in (tmp_path / "文稿").glob("*.docx")] == [f"{TITLE}.docx"]
    cli_output("build", tmp_path, "-j", "1", "--script", "hans")  # a new name: the old one is removed
    assert [p.name for p in (tmp_path / "文稿").glob("*.docx")] == ["示例医院党总支2022年党建工作计划.docx"]


@pytest.mark.parametrize("value", ["traditional", "true", "zh-Hant"])
def test_repo_config_refuses_an_unknown_script(tmp_path: Path, value: str) -> None:
    write_repo(tmp_path, f"data: 数据\nscript: {value}\n")
    printed = cli_output("build", tmp_path, code=1)
    assert "文稿用字（script）应当是 hans（简体）或 hant（繁体）" in printed
