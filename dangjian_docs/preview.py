"""Read a built document without Word: an HTML page laid out like the A4 page, and Markdown.

A pull request in a data repo shows YAML diffs, not what the report will say. ``dangjian-docs
preview`` turns each .docx into a self-contained HTML page (the type area, fonts and sizes of
GB/T 9704: title, headings by level, body, tables, signature and date) and a Markdown file whose
diff reads as a text diff, plus an ``index.html`` listing them, for CI artifacts.

The text is read from the document itself (``word/document.xml``, paragraph by paragraph, table
by table), so the preview says exactly what the document says; styles decide only how it looks.
The document is untrusted like any input: read through the bounded reader, parsed without DTDs,
every text escaped. Its pictures go into the page as ``data:`` addresses (PNG, JPEG or GIF by
their first bytes, parts of the package only, never a link out) and into the Markdown as a line
naming the picture, so a changed photo shows in the diff too.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import posixpath
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .diagnostics import DangjianError, Diagnostic, Severity, display_path
from .inputs import Refused, read_bounded
from .record import Record

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""The most of the package, of its body and of its pictures together that a preview reads."""
EMU_PER_MM = 36000
SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
              (b"GIF89a", "image/gif"))
"""The picture formats a page shows, by their first bytes (never by a name the package gives)."""
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

TAGS = {"Title": "h1", "Heading1": "h2", "Heading2": "h3", "Heading3": "h4", "Heading4": "h5"}
"""Paragraph style → HTML element; every other paragraph is a ``p`` with its style as class."""
RIGHT = {"Signature", "Date", "SignerName"}

CSS = """
body { background: #e8e8e8; margin: 0; padding: 24px 0; }
.page { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 0 auto 24px; background: #fff;
  padding: 37mm 26mm 35mm 28mm; box-shadow: 0 1px 4px rgba(0,0,0,.25);
  font: 16pt/28.95pt "FangSong", "仿宋", "仿宋_GB2312", "STFangsong", serif; color: #000; }
p { margin: 0; text-indent: 2em; text-align: justify; }
h1 { font: 22pt/1.5 "方正小标宋简体", "FZXiaoBiaoSong-B05S", "SimSun", serif; text-align: center; margin: 0 0 28.95pt; }
h2 { font: 16pt/28.95pt "黑体", "SimHei", sans-serif; margin: 0; text-indent: 2em; }
h3 { font: 16pt/28.95pt "楷体", "楷体_GB2312", "KaiTi", serif; margin: 0; text-indent: 2em; }
h4, h5 { font: 16pt/28.95pt inherit; font-weight: normal; margin: 0; text-indent: 2em; }
p.Signature, p.Date, p.SignerName { text-align: right; padding-right: 4em; text-indent: 0; }
p.Picture { text-indent: 0; text-align: center; }
p.Recipient, p.AttachmentLabel { text-indent: 0; }
p.TableText, p.TableTextLeft, p.TableHeading { text-indent: 0; font-size: 14pt; line-height: 1.4; }
p.TableText, p.TableHeading { text-align: center; }
p.TableHeading { font-family: "黑体", "SimHei", sans-serif; }
table { border-collapse: collapse; width: 100%; margin: 8pt 0; }
td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: middle; }
.tab { white-space: pre; }
nav { width: 210mm; margin: 0 auto 12px; font: 12pt sans-serif; }
"""


class Picture(Record):
    """A picture of a paragraph: its bytes as the package holds them, and its size on the page."""

    mime: str
    data: bytes
    width_mm: float
    height_mm: float
    description: str

    def as_line(self) -> str:
        """How Markdown names it: its description, size and a short hash of its bytes."""
        digest = hashlib.sha256(self.data).hexdigest()[:8]
        return f"〔图片：{self.description or '无说明'}，{self.width_mm:.0f}×{self.height_mm:.0f}毫米，{digest}〕"


@dataclass
class Block:
    """A paragraph (``style``, ``text``, ``pictures``) or a table (``rows`` of cells, each a list of
    paragraphs)."""

    style: str = ""
    text: str = ""
    rows: list[list[list[Block]]] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)

    @property
    def is_table(self) -> bool:
        return bool(self.rows)


def read_blocks(path: Path) -> list[Block]:
    """The paragraphs and tables of the document's body, in order; raises with a diagnostic."""
    shown = display_path(path)

    def unreadable(message: str) -> DangjianError:
        return DangjianError([Diagnostic(Severity.ERROR, "preview-unreadable", message, file=shown,
                                         hint="请指定本工具生成的、或 Word 保存的 .docx 文稿。")])

    try:
        raw = read_bounded(path, MAX_DOCUMENT_BYTES)
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCUMENT_BYTES:
                raise unreadable("文稿正文过大，没有读取。")
            root = etree.fromstring(archive.read(info), _PARSER)
            body = root.find(f"{W}body")
            media = _media(archive, MAX_DOCUMENT_BYTES - info.file_size)
            return list(_blocks(body, media)) if body is not None else []
    except Refused as refusal:
        raise unreadable(f"无法读取（{refusal.message.rstrip('。')}）。") from None
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError, OSError):
        raise unreadable("不是 .docx 文稿，或文件已损坏。") from None


def _media(archive: zipfile.ZipFile, budget: int) -> dict[str, tuple[str, bytes]]:
    """Relationship id → (type, bytes) of the body's pictures inside the package, up to ``budget``
    bytes in all; a link out, a part that is not there or not a known picture is left out."""
    try:
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"), _PARSER)
    except KeyError:
        return {}
    found: dict[str, tuple[str, bytes]] = {}
    for rel in rels.iter(f"{RELS}Relationship"):
        target = rel.get("Target", "")
        if not rel.get("Type", "").endswith("/image") or rel.get("TargetMode") == "External":
            continue
        name = posixpath.normpath(posixpath.join("word", target))
        try:
            info = archive.getinfo(name)
        except KeyError:
            continue
        if info.file_size > budget:
            continue
        data = archive.read(info)
        budget -= len(data)
        mime = next((m for head, m in SIGNATURES if data.startswith(head)), None)
        if mime is not None:
            found[rel.get("Id", "")] = (mime, data)
    return found


def _blocks(parent: etree._Element, media: dict[str, tuple[str, bytes]]) -> Iterator[Block]:
    for child in parent:
        if child.tag == f"{W}p":
            yield _paragraph(child, media)
        elif child.tag == f"{W}tbl":
            rows = [[list(_blocks(cell, media)) for cell in row.iter(f"{W}tc")] for row in child.iter(f"{W}tr")]
            yield Block(rows=rows)
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content, media)


def _pictures(p: etree._Element, media: dict[str, tuple[str, bytes]]) -> list[Picture]:
    pictures = []
    for frame in p.iter(f"{WP}inline", f"{WP}anchor"):
        blip = next(frame.iter(f"{A}blip"), None)
        found = media.get(blip.get(f"{R}embed", "")) if blip is not None else None
        if found is None:
            continue
        extent = frame.find(f"{WP}extent")
        described = frame.find(f"{WP}docPr")
        width, height = ((int(extent.get(k, "0")) / EMU_PER_MM for k in ("cx", "cy")) if extent is not None
                         else (0.0, 0.0))
        pictures.append(Picture(found[0], found[1], width, height,
                                described.get("descr", "") if described is not None else ""))
    return pictures


def _paragraph(p: etree._Element, media: dict[str, tuple[str, bytes]]) -> Block:
    style = p.find(f"{W}pPr/{W}pStyle")
    parts: list[str] = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}noBreakHyphen"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append("\t")
        elif node.tag == f"{W}br":
            parts.append("\n")
        else:
            parts.append("-")
    return Block(style=style.get(f"{W}val", "") if style is not None else "", text="".join(parts),
                 pictures=_pictures(p, media) if media else [])


def text_of(blocks: Sequence[Block]) -> list[str]:
    """The document's text, a line a paragraph (table cells in reading order), empty ones left out:
    what the preview must show, word for word."""
    out: list[str] = []
    for block in blocks:
        if block.is_table:
            for row in block.rows:
                for cell in row:
                    out += text_of(cell)
        elif block.text.strip():
            out.append(block.text.strip())
    return out


def to_html(blocks: Sequence[Block], title: str, index: str | None = None) -> str:
    """A self-contained page: styles inline, no script, nothing fetched."""
    body = "".join(_html_block(b) for b in blocks)
    back = f'<nav><a href="{html.escape(index)}">← 全部文稿</a></nav>' if index else ""
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" "
            "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head>"
            f"<body>{back}<main class=\"page\">{body}</main></body></html>\n")


def _html_block(block: Block) -> str:
    if block.is_table:
        rows = "".join("<tr>" + "".join("<td>" + "".join(_html_block(b) for b in cell) + "</td>" for cell in row)
                       + "</tr>" for row in block.rows)
        return f"<table>{rows}</table>"
    tag = TAGS.get(block.style, "p")
    text = html.escape(block.text).replace("\n", "\n<br>").replace("\t", '<span class="tab">\t</span>')
    css = f' class="{html.escape(block.style)}"' if tag == "p" and block.style else ""
    pictures = "".join(
        f'<p class="Picture"><img alt="{html.escape(p.description)}" '
        f'style="width:{p.width_mm:.1f}mm;height:{p.height_mm:.1f}mm" '
        f'src="data:{p.mime};base64,{base64.b64encode(p.data).decode("ascii")}"></p>' for p in block.pictures)
    return (f"<{tag}{css}>{text}</{tag}>" if block.text.strip() else "") + pictures


def to_markdown(blocks: Sequence[Block]) -> str:
    """One line a paragraph, headings marked, tables as pipe tables: a diff reads as text."""
    lines: list[str] = []
    for block in blocks:
        if block.is_table:
            rows = [[" ".join(text_of(cell)).replace("|", "\\|") for cell in row] for row in block.rows]
            if rows:
                width = max(len(r) for r in rows)
                rows = [r + [""] * (width - len(r)) for r in rows]
                lines += ["", "| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
                lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
                lines.append("")
            continue
        text = block.text.strip()
        lines += [p.as_line() for p in block.pictures] + ([""] if block.pictures else [])
        if not text:
            continue
        level = {"Title": "# ", "Heading1": "## ", "Heading2": "### ", "Heading3": "#### "}.get(block.style, "")
        lines += [level + text.replace("\n", "  \n"), ""]
    return "\n".join(lines).strip() + "\n"


def documents_in(paths: Sequence[Path]) -> list[Path]:
    """The .docx files named, and those under the folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.docx") if p.is_file() and not p.name.startswith((".", "~$")))
        else:
            found.append(path)
    return found


def index_page(entries: Sequence[tuple[str, str]]) -> str:
    """``index.html``: a link to each preview (file name, title)."""
    items = "".join(f'<li><a href="{html.escape(href)}">{html.escape(title)}</a></li>' for href, title in entries)
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>文稿预览</title>"
            f"<style>{CSS} ul {{ font-size: 16pt; line-height: 2; }}</style></head><body><main class=\"page\">"
            f"<h1>文稿预览</h1><ul>{items}</ul></main></body></html>\n")


def write_previews(paths: Sequence[Path], out: Path) -> list[Path]:
    """Write ``<name>.html`` and ``<name>.md`` for every document under ``out`` (keeping the
    folders below a folder named in ``paths``) and ``index.html``; each folder's files as one set."""
    from collections import defaultdict

    from .writing import write_set

    by_folder: dict[Path, list[tuple[str, bytes]]] = defaultdict(list)
    entries: list[tuple[str, str]] = []
    problems: list[Diagnostic] = []
    for top in paths:
        for document in documents_in([top]):
            try:
                blocks = read_blocks(document)
            except DangjianError as exc:
                problems += exc.diagnostics
                continue
            rel = document.relative_to(top).parent if top.is_dir() else Path()
            title = next((b.text for b in blocks if b.style == "Title" and b.text.strip()), document.stem)
            depth = "../" * len(rel.parts)
            by_folder[out / rel] += [
                (f"{document.stem}.html", to_html(blocks, title, f"{depth}index.html").encode("utf-8")),
                (f"{document.stem}.md", to_markdown(blocks).encode("utf-8")),
            ]
            entries.append(((rel / f"{document.stem}.html").as_posix(), title))
    if problems:
        raise DangjianError(problems)
    by_folder[out].append(("index.html", index_page(entries).encode("utf-8")))
    written: list[Path] = []
    for folder in sorted(by_folder):
        written += write_set(folder, by_folder[folder])
    return written
