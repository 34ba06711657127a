"""An office's letterhead (红头) on the built-in body, and pictures in own templates, read back
from the package: the media part's bytes, its relationship, the drawing, the red rule."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import MINIMAL, cli_output
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Cm, Pt, RGBColor
from lxml import etree
from ooxml_schema import audit
from PIL import Image

import dangjian_docs
from dangjian_docs.template_check import check_template

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
ISSUER = "中共测试医院总支部委员会文件"
RULE = ('<w:pBdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:bottom w:val="single" w:sz="18" w:space="1" w:color="FF0000"/></w:pBdr>')


def make_letterhead(folder: Path, *, body_text: str = ISSUER, section_break: bool = False,
                    empty: bool = False) -> tuple[Path, bytes]:
    """A letterhead as an office makes it in Word: a logo in the first-page header, the issuer in
    red and a red rule in the body. Returns its path and the logo's bytes."""
    logo = folder / "党徽.png"
    Image.new("RGB", (200, 200), (220, 0, 0)).save(logo)
    document = docx.Document()
    section = document.sections[0]
    if not empty:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].add_run().add_picture(str(logo), width=Cm(2))
        issuer = document.add_paragraph()
        issuer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = issuer.add_run(body_text)
        run.font.color.rgb = RGBColor(0xFF, 0, 0)
        run.font.size = Pt(36)
        rule = document.add_paragraph()
        rule._p.get_or_add_pPr().append(parse_xml(RULE))
    if section_break:
        document.add_section()
        document.add_paragraph("第二节")
    path = folder / "红头.docx"
    document.save(path)
    with zipfile.ZipFile(path) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == (0 if empty else 1)
        return path, archive.read(media[0]) if media else b""


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rels(parts: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    folder, name = part.rsplit("/", 1)
    root = etree.fromstring(parts[f"{folder}/_rels/{name}.rels"])
    return {r.get("Id"): (r.get("Type").rsplit("/", 1)[-1], r.get("Target")) for r in root}


def test_a_letterhead_with_a_logo_builds_with_the_built_in_body(tmp_path: Path) -> None:
    letterhead, logo = make_letterhead(tmp_path)
    report = dangjian_docs.build(MINIMAL, ["report"], tmp_path / "out", letterhead=letterhead)[0]
    parts = parts_of(report)
    body = etree.fromstring(parts["word/document.xml"]).find(f"{W}body")
    paragraphs = body.findall(f"{W}p")
    # the letterhead first: the issuer in red, then the red rule; then the built-in title
    assert "".join(paragraphs[0].itertext()) == ISSUER
    assert paragraphs[0].find(f".//{W}color").get(f"{W}val") == "FF0000"
    bottom = paragraphs[1].find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert bottom is not None and bottom.get(f"{W}color") == "FF0000" and bottom.get(f"{W}val") == "single"
    assert "".join(paragraphs[2].itertext()) == "测试医院党总支关于2024年党建工作情况的汇报"
    # the first page's header is the letterhead's, with its logo; the first page keeps its footer
    section = next(body.iter(f"{W}sectPr"))
    references = {ref.get(f"{W}type"): ref.get(f"{R}id") for ref in section.iter(f"{W}headerReference")}
    footers = {ref.get(f"{W}type"): ref.get(f"{R}id") for ref in section.iter(f"{W}footerReference")}
    assert section.find(f"{W}titlePg") is not None and footers["first"] == footers["default"]
    document_rels = rels(parts, "word/document.xml")
    kind, target = document_rels[references["first"]]
    assert kind == "header"
    header_part = f"word/{target}"
    header = parts[header_part].decode()
    embedded = re.findall(r'r:embed="([^"]+)"', header)
    assert len(embedded) == 1
    kind, media = rels(parts, header_part)[embedded[0]]
    assert kind == "image" and parts[f"word/{media}"] == logo  # the logo's bytes, unchanged
    content_types = parts["[Content_Types].xml"].decode()
    assert f'PartName="/{header_part}"' in content_types
    assert audit(report) == []
    # python-docx reads the same: a first-page header with one picture
    opened = docx.Document(str(report))
    assert opened.sections[0].different_first_page_header_footer
    assert len(opened.sections[0].first_page_header._element.findall(".//" + W + "drawing")) == 1


def test_a_letterhead_build_is_reproducible_and_the_cli_takes_it(tmp_path: Path) -> None:
    letterhead, _ = make_letterhead(tmp_path)
    output = cli_output("build", MINIMAL, "--letterhead", letterhead, "-o", tmp_path / "a")
    assert "生成了 3 份文稿" in output
    second = dangjian_docs.build(MINIMAL, out_dir=tmp_path / "b", letterhead=letterhead)
    for path in second:
        assert (tmp_path / "a" / path.name).read_bytes() == path.read_bytes()
        assert "".join(docx.Document(str(path)).paragraphs[0].text) == ISSUER


def test_the_data_logo_prints_in_a_letterhead(tmp_path: Path) -> None:
    letterhead, _ = make_letterhead(tmp_path, body_text="{{ logo }}")
    Image.new("RGB", (400, 200), (0, 0, 200)).save(tmp_path / "本单位.png")
    data = tmp_path / "year.yaml"
    data.write_text(MINIMAL.read_text(encoding="utf-8").replace(
        "  name: 测试医院党总支\n", "  name: 测试医院党总支\n  logo: 本单位.png\n", 1), encoding="utf-8")
    report = dangjian_docs.build(data, ["report"], tmp_path / "out", letterhead=letterhead)[0]
    parts = parts_of(report)
    first = etree.fromstring(parts["word/document.xml"]).find(f"{W}body/{W}p")
    blip = first.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    kind, media = rels(parts, "word/document.xml")[blip.get(f"{R}embed")]
    assert kind == "image" and media.endswith(".png")
    with Image.open(io.BytesIO(parts[f"word/{media}"])) as logo:
        assert logo.size == (400, 200)
    assert audit(report) == []


def test_check_template_checks_a_letterhead(tmp_path: Path) -> None:
    good, _ = make_letterhead(tmp_path)
    assert check_template(good, "letterhead") == []
    output = cli_output("check-template", good, "--kind", "letterhead")
    assert "0 个错误" in output


@pytest.mark.parametrize(("kwargs", "code", "words"), [
    ({"section_break": True}, "letterhead-content", "红头模板中有分节符"),
    ({"empty": True}, "letterhead-content", "红头模板是空的"),
    ({"body_text": "{{ sections }}"}, "template-unknown-name", "sections"),
    ({"body_text": "{{ doc.titel }}"}, "template-unknown-name", "doc.titel"),
])
def test_a_bad_letterhead_is_refused_before_the_build(tmp_path: Path, kwargs: dict[str, object], code: str,
                                                     words: str) -> None:
    letterhead, _ = make_letterhead(tmp_path, **kwargs)  # type: ignore[arg-type]
    found = [d for d in check_template(letterhead, "letterhead") if d.is_error]
    assert [d.code for d in found] == [code], found
    assert words in found[0].message and found[0].file.endswith("红头.docx")
    with pytest.raises(dangjian_docs.DangjianError) as raised:
        dangjian_docs.render(MINIMAL, "report", letterhead=letterhead)
    assert [d.code for d in raised.value.diagnostics] == [code]
    output = cli_output("build", MINIMAL, "--letterhead", letterhead, "-o", tmp_path / "out", code=1)
    assert words in output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_repo_names_its_letterhead_in_its_config(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "数据").mkdir(parents=True)
    (repo / "数据" / "year.yaml").write_bytes(MINIMAL.read_bytes())
    make_letterhead(repo)
    (repo / "dangjian-docs.yaml").write_text("data: 数据\nletterhead: 红头.docx\nkinds: [report]\n", encoding="utf-8")
    cli_output("build", repo, "-j", 1)
    built = list((repo / "文稿").rglob("*.docx"))
    assert len(built) == 1 and docx.Document(str(built[0])).paragraphs[0].text == ISSUER
    make_letterhead(repo, body_text="中共测试医院总支部委员会")  # a new letterhead: the document is made again
    output = cli_output("build", repo, "-j", 1)
    assert docx.Document(str(built[0])).paragraphs[0].text == "中共测试医院总支部委员会", output
    (repo / "dangjian-docs.yaml").write_text("data: 数据\nletterhead: 没有.docx\n", encoding="utf-8")
    output = cli_output("build", repo, code=1)
    assert "dangjian-docs.yaml:2:13" in output and "文件“没有.docx”不存在" in output


def test_pictures_in_an_own_templates_header_and_body_survive_a_build(tmp_path: Path) -> None:
    Image.new("RGB", (120, 60), (10, 200, 10)).save(tmp_path / "banner.png")
    template = docx.Document()
    template.sections[0].header.paragraphs[0].add_run().add_picture(str(tmp_path / "banner.png"), width=Cm(3))
    template.add_paragraph("{{ doc.title }}")
    template.add_paragraph().add_run().add_picture(str(tmp_path / "banner.png"), width=Cm(5))
    template.add_paragraph("{%p for s1 in sections %}")
    template.add_paragraph("{{ s1.number }}{{ s1.title }}")
    template.add_paragraph("{%p endfor %}")
    template.save(tmp_path / "report.docx")
    content = dangjian_docs.render(MINIMAL, "report", tmp_path / "report.docx")
    (tmp_path / "out.docx").write_bytes(content)
    parts = parts_of(tmp_path / "out.docx")
    banner = parts_of(tmp_path / "report.docx")
    for part in ("word/document.xml", "word/header1.xml"):
        embedded = re.findall(r'r:embed="([^"]+)"', parts[part].decode())
        assert len(embedded) == 1, part
        kind, media = rels(parts, part)[embedded[0]]
        assert kind == "image" and parts[f"word/{media}"] == banner[f"word/{media}"]
    texts = [p.text for p in docx.Document(str(tmp_path / "out.docx")).paragraphs]
    assert "测试医院党总支关于2024年党建工作情况的汇报" in texts
