"""``preview``: each document as an A4-like web page and as Markdown, saying what the document says.

The page is opened in a real browser (headless Chromium, installed by tools/bootstrap.sh) and the
text it shows, paragraph by paragraph and cell by cell, must equal the text python-docx reads from
the document: a second reader, so a bug in the preview's own reading cannot hide.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import lxml.html
import pytest
from conftest import cli_output as run
from docx.table import Table
from docx.text.paragraph import Paragraph

from dangjian_docs.preview import read_blocks, text_of, to_html, to_markdown

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"



@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    run("build", SAMPLE, "-o", out, "--kind", "plan", "--kind", "summary", "--kind", "report")  # the long ones
    return out


def docx_lines(path: Path) -> list[str]:
    """Body paragraphs and table cells in order, as python-docx reads them."""
    document = docx.Document(str(path))
    lines: list[str] = []

    def add(paragraphs: list[Paragraph]) -> None:
        lines.extend(p.text.strip() for p in paragraphs if p.text.strip())

    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            add([Paragraph(child, document)])
        elif child.tag.endswith("}tbl"):
            for row in Table(child, document).rows:
                for cell in row.cells:
                    add(cell.paragraphs)
    return lines


def browser_lines(page: Path) -> list[str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is needed (tools/bootstrap.sh installs it)"
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    tree = lxml.html.fromstring(dom)
    blocks = tree.xpath("//main//*[self::p or self::h1 or self::h2 or self::h3 or self::h4 or self::h5]")
    return [b.text_content().strip() for b in blocks if b.text_content().strip()]


def test_each_page_shows_the_documents_text_in_a_real_browser(built: Path, tmp_path: Path) -> None:
    output = run("preview", built, "-o", tmp_path / "预览")
    documents = sorted(built.glob("*.docx"))
    assert f"已写出 {len(documents)} 份文稿的预览" in output and len(documents) >= 3
    for document in documents:
        page = tmp_path / "预览" / f"{document.stem}.html"
        expected = docx_lines(document)
        assert len(expected) > (12 if "述职报告" in document.stem else 40)  # a 述职报告 is short
        assert browser_lines(page) == expected, document.name


def test_the_page_is_laid_out_like_the_a4_page_and_fetches_nothing(built: Path) -> None:
    document = next(built.glob("*总结.docx"))
    page = to_html(read_blocks(document), "总结")
    assert "width: 210mm" in page and "padding: 37mm 26mm 35mm 28mm" in page  # GB/T 9704's type area
    assert "<h1>滨江市第一人民医院党委\n<br>2025年党建工作总结</h1>" in page
    assert '<h2>一、基本情况</h2>' in page and '<p class="Signature">' in page
    assert "http" not in page.replace("http-equiv", "") and "<script" not in page


def test_markdown_reads_as_the_document(built: Path) -> None:
    document = next(built.glob("*计划.docx"))
    markdown = to_markdown(read_blocks(document))
    assert markdown.startswith("# 滨江市第一人民医院党委")
    assert "\n## 一、指导思想\n" in markdown or "\n## 一、" in markdown
    assert "\n| " in markdown  # the schedule table as a pipe table
    words = "".join(markdown.split())
    assert all("".join(line.split()).replace("|", "\\|") in words for line in text_of(read_blocks(document))[:60])


def test_an_index_links_every_document_and_folders_are_kept(built: Path, tmp_path: Path) -> None:
    tree = tmp_path / "文稿"
    (tree / "2025").mkdir(parents=True)
    for document in built.glob("*.docx"):
        shutil.copy(document, tree / "2025" / document.name)
    run("preview", tree, "-o", tmp_path / "out")
    index = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert index.count("<li>") == len(list(built.glob("*.docx"))) >= 3 and 'href="2025/' in index
    assert (tmp_path / "out" / "2025").is_dir()
    page = next((tmp_path / "out" / "2025").glob("*.html")).read_text("utf-8")
    assert 'href="../index.html"' in page


def test_text_is_escaped_and_a_broken_file_is_a_message(tmp_path: Path) -> None:
    from dangjian_docs.preview import Block

    page = to_html([Block("BodyText", "<script>alert(1)</script> & 1\t2")], "<t>")
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "<title>&lt;t&gt;</title>" in page
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    output = run("preview", bad, "-o", tmp_path / "out", code=1)
    assert "坏.docx" in output and "不是 .docx 文稿" in output
    assert not (tmp_path / "out").exists()


def test_a_photo_is_on_the_page_as_the_document_holds_it_and_named_in_markdown(tmp_path: Path) -> None:
    """A reviewer sees the photo a practice got, from the package's own bytes, and a changed
    photo changes the Markdown diff; nothing is fetched from anywhere else."""
    import base64
    import re
    import zipfile

    from PIL import Image
    from test_images import jpeg_with_exif, one_photo, write_data

    (tmp_path / "照片").mkdir()
    jpeg_with_exif(tmp_path / "照片" / "党课.jpg")
    data = write_data(tmp_path, one_photo("照片/党课.jpg"))
    out = tmp_path / "out"
    run("build", data, "-o", out, "--kind", "report")
    report = next(out.glob("*.docx"))
    with zipfile.ZipFile(report) as archive:
        stored = archive.read("word/media/dangjian-1.jpeg")
    blocks = read_blocks(report)
    page = to_html(blocks, "t")
    images = re.findall(r'<img alt="([^"]*)" style="width:([\d.]+)mm;height:([\d.]+)mm" src="data:image/jpeg;base64,'
                        r'([^"]+)">', page)
    assert [(alt, w, h) for alt, w, h, _ in images] == [("2024年7月1日，党总支书记讲专题党课", "133.3", "100.0")]
    assert base64.b64decode(images[0][3]) == stored  # the cleaned picture the document holds, no EXIF
    assert "img-src data:" in page and page.count("src=") == 1 and "url(" not in page
    markdown = to_markdown(blocks)
    assert "〔图片：2024年7月1日，党总支书记讲专题党课，133×100毫米，" in markdown
    Image.new("RGB", (800, 600), (0, 90, 200)).save(tmp_path / "照片" / "党课.jpg", "JPEG")
    run("build", data, "-o", out, "--kind", "report")
    changed = to_markdown(read_blocks(report))
    assert changed != markdown and changed.replace(re.findall(r"，([0-9a-f]{8})〕", changed)[0], "") == \
        markdown.replace(re.findall(r"，([0-9a-f]{8})〕", markdown)[0], "")  # only the picture's line


def test_a_picture_linked_from_outside_the_package_is_never_on_the_page(tmp_path: Path) -> None:
    import io
    import zipfile

    from test_images import jpeg_with_exif, one_photo, write_data

    (tmp_path / "照片").mkdir()
    jpeg_with_exif(tmp_path / "照片" / "党课.jpg")
    out = tmp_path / "out"
    run("build", write_data(tmp_path, one_photo("照片/党课.jpg")), "-o", out, "--kind", "report")
    report = next(out.glob("*.docx"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(report) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/_rels/document.xml.rels":  # point the picture at a web address
                data = data.replace(b'Target="media/dangjian-1.jpeg"',
                                    b'Target="http://example.invalid/x.jpeg" TargetMode="External"')
            target.writestr(item, data)
    report.write_bytes(buffer.getvalue())
    blocks = read_blocks(report)
    assert "<img" not in to_html(blocks, "t") and "〔图片" not in to_markdown(blocks)
    assert "2024年7月1日，党总支书记讲专题党课" in text_of(blocks)  # the caption, as text, still there
