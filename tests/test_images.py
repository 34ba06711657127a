"""Pictures from the data: the logo and photos, checked by content, cleaned, placed, read back.

Each document is read back from its package without Word or LibreOffice: the media part's
bytes, its relationship, the drawing that refers to it, the content type, and the schema rules.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from conftest import MINIMAL, cli_output
from ooxml_schema import audit
from PIL import Image

import dangjian_docs
from dangjian_docs import images
from dangjian_docs.inputs import confined

PRACTICES = """
practices:
  - title: 建好“党建大讲堂”
    detail: 每月一期，班子成员轮流主讲。
  - title: 实行“双向培养”
    detail: 把业务骨干培养成党员。
"""
PHOTO_LINE = {"caption": 1, "practice": 2}


def jpeg_with_exif(path: Path, size: tuple[int, int] = (800, 600), orientation: int = 1) -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    exif[0x0132] = "2024:07:01 10:00:00"
    exif[0x0112] = orientation
    Image.new("RGB", size, (180, 20, 20)).save(path, "JPEG", exif=exif.tobytes(), quality=95)


def write_data(folder: Path, photos: str, logo: str | None = None) -> Path:
    text = MINIMAL.read_text(encoding="utf-8") + PRACTICES + "photos:\n" + photos
    if logo:
        text = text.replace("  name: 测试医院党总支\n", f"  name: 测试医院党总支\n  logo: {logo}\n", 1)
    path = folder / "year.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def one_photo(file: str, practice: str = "建好“党建大讲堂”") -> str:
    return f"  - file: {file}\n    caption: 2024年7月1日，党总支书记讲专题党课\n    practice: {practice}\n"


def package(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def photo_year(tmp_path: Path) -> Path:
    (tmp_path / "照片").mkdir()
    jpeg_with_exif(tmp_path / "照片" / "党课.jpg")
    Image.new("RGBA", (300, 300), (200, 0, 0, 255)).save(tmp_path / "logo.png")
    return write_data(tmp_path, one_photo("照片/党课.jpg") + one_photo("照片/党课.jpg", "实行“双向培养”"),
                      logo="logo.png")


def test_a_photo_is_in_its_practice_with_its_caption_and_no_exif(photo_year: Path, tmp_path: Path) -> None:
    report = dangjian_docs.build(photo_year, ["report"], tmp_path / "out")[0]
    parts = package(report)
    media = [name for name in parts if name.startswith("word/media/")]
    assert media == ["word/media/dangjian-1.jpeg"]  # the same picture twice is stored once
    picture = parts[media[0]]
    assert picture.startswith(b"\xff\xd8\xff")
    assert b"SecretCameraMaker" not in picture and b"Exif" not in picture
    assert b"SecretCameraMaker" in (tmp_path / "照片" / "党课.jpg").read_bytes()
    with Image.open(io.BytesIO(picture)) as decoded:
        assert decoded.size == (800, 600) and not decoded.getexif()
    rels = parts["word/_rels/document.xml.rels"].decode()
    rel = re.search(r'Id="(rIdPicture\d+)" Type="[^"]+/image" Target="media/dangjian-1.jpeg"', rels)
    assert rel, rels
    body = parts["word/document.xml"].decode()
    assert body.count(f'r:embed="{rel.group(1)}"') == 2
    assert 'Extension="jpeg" ContentType="image/jpeg"' in parts["[Content_Types].xml"].decode()
    document = docx.Document(str(report))
    assert [(s.width, s.height) for s in document.inline_shapes] == [(4800000, 3600000)] * 2  # 13.3 × 10 cm
    texts = [p.text for p in document.paragraphs]
    caption = texts.index("2024年7月1日，党总支书记讲专题党课")
    assert "每月一期" in texts[caption - 2] and texts[caption - 1] == ""  # text, then photo, then caption
    ids = re.findall(r'<wp:docPr id="(\d+)"', body)
    assert len(set(ids)) == 2


def test_a_document_with_photos_passes_the_schema_rules_and_is_reproducible(photo_year: Path,
                                                                            tmp_path: Path) -> None:
    first = dangjian_docs.build(photo_year, ["report", "summary"], tmp_path / "a")
    second = dangjian_docs.build(photo_year, ["report", "summary"], tmp_path / "b")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()
        assert audit(one) == []


def test_a_document_without_pictures_has_no_media_part(tmp_path: Path) -> None:
    for path in dangjian_docs.build(MINIMAL, out_dir=tmp_path):
        parts = package(path)
        assert not [name for name in parts if "media" in name]
        assert b"/image" not in parts["word/_rels/document.xml.rels"]
        assert b"<w:drawing" not in parts["word/document.xml"]


def test_a_photo_taken_sideways_is_turned_upright(tmp_path: Path) -> None:
    jpeg_with_exif(tmp_path / "sideways.jpg", (400, 300), orientation=6)  # camera held upright
    picture = images.read_picture(tmp_path / "sideways.jpg")
    assert (picture.width, picture.height) == (300, 400)


def test_a_large_photo_is_scaled_down_and_png_keeps_no_text_chunks(tmp_path: Path) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "SecretAuthor")
    Image.new("RGB", (5000, 1000), (0, 0, 200)).save(tmp_path / "wide.png", pnginfo=info)
    picture = images.read_picture(tmp_path / "wide.png")
    assert (picture.width, picture.height) == (images.LONG_SIDE, 480)
    assert b"SecretAuthor" not in picture.data and b"tEXt" not in picture.data


def test_own_template_places_logo_and_unplaced_photos(tmp_path: Path) -> None:
    """Any template may use ``logo``, ``photos.all`` and ``photos.practice[...]``."""
    from docx.shared import Pt

    Image.new("RGB", (300, 200), (0, 120, 0)).save(tmp_path / "logo.png")
    jpeg_with_exif(tmp_path / "a.jpg")
    data = write_data(tmp_path, "  - {file: a.jpg, caption: 没有位置的照片}\n", logo="logo.png")
    template = docx.Document()
    template.sections[0].header.paragraphs[0].text = "{{ logo }}"
    template.add_paragraph("{{ doc.title }}").runs[0].font.size = Pt(16)
    template.add_paragraph("{%p for photo in photos.unplaced %}")
    template.add_paragraph("{{ photo.image }}")
    template.add_paragraph("{{ photo.caption }}")
    template.add_paragraph("{%p endfor %}")
    template.add_paragraph("{{ photos.practice['没有这一项'] | length }}张{{ photos.all | length }}张")
    template.save(tmp_path / "own.docx")
    content = dangjian_docs.render(data, "report", tmp_path / "own.docx")
    (tmp_path / "own-out.docx").write_bytes(content)
    parts = package(tmp_path / "own-out.docx")
    header = parts["word/header1.xml"].decode()
    rels = parts["word/_rels/header1.xml.rels"].decode()
    rel = re.search(r'Id="(rIdPicture\d+)" Type="[^"]+/image" Target="media/(dangjian-\d.png)"', rels)
    assert rel and f'r:embed="{rel.group(1)}"' in header
    assert re.search(r'Target="media/dangjian-\d.jpeg"', parts["word/_rels/document.xml.rels"].decode())
    with Image.open(io.BytesIO(parts[f"word/media/{rel.group(2)}"])) as logo:
        assert logo.size == (300, 200)
    assert 'cx="1080000" cy="720000"' in header  # the logo fitted into 3 × 3 cm
    texts = [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]
    assert "没有位置的照片" in texts and "0张1张" in texts
    # python-docx's own default template has a stale stylesWithEffects.xml: not ours to judge
    assert [e for e in audit(tmp_path / "own-out.docx") if "stylesWithEffects" not in e] == []


# -- each bad picture, said at its place in the data file -----------------------------------

def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` and holds no pixels: a "pixel bomb"."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    idat = b"IDAT" + b"\x00" * 20
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + struct.pack(">I", 20) + idat + struct.pack(">I", zlib.crc32(idat)))


def _errors(data: Path) -> list[dangjian_docs.Diagnostic]:
    return [d for d in dangjian_docs.validate(data).diagnostics if d.code.startswith("image-")]


def _photos_line(data: Path) -> int:
    return data.read_text(encoding="utf-8").splitlines().index("photos:") + 1


@pytest.mark.parametrize(("make", "code", "words"), [
    (lambda p: p.write_bytes(b"GIF89a" + b"\x00" * 64), "image-type", "图片只能是 PNG 或 JPEG，它实际是 GIF 格式"),
    (lambda p: p.write_bytes(b"%PDF-1.7\n" + b"\x00" * 64), "image-type", "它实际是 PDF 格式"),
    (lambda p: p.write_text("不是图片", encoding="utf-8"), "image-type", "从文件内容看不是图片"),
    (lambda p: p.write_bytes(_png_header(9_000, 9_000)), "image-too-large", "9000×9000 像素，超过 50 百万像素"),
    (lambda p: p.write_bytes(_png_header(100_000, 100_000)), "image-too-large", "超过 50 百万像素的上限"),
    (lambda p: Image.new("RGB", (8, 8)).save(p, "PNG"), "image-too-small", "只有 8×8 像素"),
    (lambda p: p.write_bytes(_png_header(640, 480)), "image-broken",
     "图片文件已损坏或不完整，无法按 PNG 解码"),
    (lambda p: None, "image-unreadable", "无法读取图片：文件不存在"),
])
def test_each_bad_picture_is_said_at_its_line(tmp_path: Path, make: object, code: str, words: str) -> None:
    make(tmp_path / "bad.png")  # type: ignore[operator]
    data = write_data(tmp_path, one_photo("bad.png"))
    found = _errors(data)
    assert [(d.code, d.line, d.column, d.path) for d in found] == [(code, _photos_line(data) + 1, 11,
                                                                      "photos[0].file")]
    assert found[0].message.startswith("图片“bad.png”："), found[0].message
    assert words in found[0].message, found[0].message
    assert found[0].file == str(data) or found[0].file.endswith("year.yaml")
    assert found[0].hint


def test_a_truncated_jpeg_is_broken(tmp_path: Path) -> None:
    jpeg_with_exif(tmp_path / "cut.jpg")
    whole = (tmp_path / "cut.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    found = _errors(write_data(tmp_path, one_photo("cut.jpg")))
    assert [d.code for d in found] == ["image-broken"]
    assert "无法按 JPEG 解码" in found[0].message


def test_the_suffix_does_not_decide_the_type(tmp_path: Path) -> None:
    Image.new("RGB", (64, 64)).save(tmp_path / "really-a-png.jpg", "PNG")
    assert _errors(write_data(tmp_path, one_photo("really-a-png.jpg"))) == []
    assert images.read_picture(tmp_path / "really-a-png.jpg").format == "png"


def test_a_file_over_the_byte_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 1000)
    jpeg_with_exif(tmp_path / "big.jpg")
    found = _errors(write_data(tmp_path, one_photo("big.jpg")))
    assert [d.code for d in found] == ["image-too-large"]
    assert "超过 0 MB 的上限" in found[0].message or "MB 的上限" in found[0].message


def test_count_and_total_bytes_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dangjian_docs.validation.pictures as checking

    jpeg_with_exif(tmp_path / "a.jpg")
    monkeypatch.setattr(checking, "MAX_PHOTOS", 2)
    data = write_data(tmp_path, one_photo("a.jpg") * 3)
    found = _errors(data)
    assert [(d.code, d.path, d.line) for d in found] == [("image-too-many", "photos", _photos_line(data) + 1)]
    assert "照片有 3 张，超过一份数据 2 张的上限" in found[0].message
    monkeypatch.setattr(checking, "MAX_PHOTOS", 40)
    monkeypatch.setattr(checking, "MAX_TOTAL_IMAGE_BYTES", (tmp_path / "a.jpg").stat().st_size * 2 - 1)
    found = _errors(data)
    assert [(d.code, d.path) for d in found] == [("image-too-large", "photos[1].file")]
    assert "图片合计" in found[0].message


def test_a_photo_outside_the_data_repo_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    jpeg_with_exif(outside / "a.jpg")
    repo = tmp_path / "repo"
    repo.mkdir()
    data = write_data(repo, one_photo("../outside/a.jpg"))
    with confined(repo):
        found = _errors(data)
    assert [d.code for d in found] == ["image-unreadable"]
    assert "数据仓库" in found[0].message and "之外" in found[0].message


def test_a_photo_placed_where_the_data_has_nothing(tmp_path: Path) -> None:
    jpeg_with_exif(tmp_path / "a.jpg")
    data = write_data(tmp_path, one_photo("a.jpg", "党建大讲堂") + "  - {file: a.jpg, caption: 无处安放, work: W9}\n"
                      + "  - {file: a.jpg, caption: 自由}\n")
    found = _errors(data)
    line = _photos_line(data)
    assert [(d.code, d.severity.value, d.path, d.line) for d in found] == [
        ("image-place", "error", "photos[0].practice", line + 3),
        ("image-place", "error", "photos[1].work", line + 4),
        ("image-unplaced", "warning", "photos[2]", line + 5),
    ]
    assert "特色做法（practices）中没有标题为“党建大讲堂”的一项" in found[0].message
    assert "是不是想写“建好“党建大讲堂””" in found[0].message


def test_the_command_line_says_each_bad_picture(tmp_path: Path) -> None:
    (tmp_path / "bad.png").write_bytes(b"GIF89a" + b"\x00" * 64)
    data = write_data(tmp_path, one_photo("bad.png"))
    output = cli_output("validate", data, code=1)
    assert f"{_photos_line(data) + 1}:11: 错误: 图片“bad.png”：图片只能是 PNG 或 JPEG，它实际是 GIF 格式" in output
    assert "[photos[0].file]" in output
