"""Generate the Word templates templates/{plan,summary,...}.docx (every registered kind) to GB/T 9704-2012.

A one-off tool: it made the committed templates, which are Word files first; a designer now fixes
them in Word, WPS or LibreOffice and commits the .docx. Tests never compare the templates with
this script's output; they check properties (tests/layout.py and `dangjian-docs check-template`).
Rerunning it overwrites templates/ and throws away edits made in Word since: use --out to compare.

The templates are rendered later with docxtpl, and users restyle them in Word/WPS, so every layout
rule lives in a named style (Title, Heading 1-4, Body Text, Recipient, Signature, Date, Table Text,
Table Text Left, Table Heading, Footer, Footer Odd, Footer Even); paragraphs only name their style.
Direct formatting is left only where Word has no style for it: page set-up, table geometry and the
vertical centring of table cells.

Choices worth knowing:

* The blank line between the title and the body is the Title style's "space after" of one grid
  line (579 twips), not an empty paragraph: an empty paragraph would survive as stray content in
  every built document, and restyling the title in Word keeps the gap.
* The grid is a line grid of 22 lines (exact 28.95 pt pitch) with no character grid; characters
  are condensed by 0.25 pt in Normal so that 28 fit a line in Word, WPS and LibreOffice alike
  (LibreOffice halves a line on Word's character grid).
* The title uses exact 35 pt line spacing so a 22 pt line is never clipped; body styles use exact
  28.95 pt (579 twips), the pitch of the 22-line document grid.
* Page numbers (4号 宋体, "— N —") sit in the default (odd) and even footers, with the alignment in
  the Footer Odd / Footer Even styles (based on the built-in Footer, which carries the font). Footer
  styles do not snap to the grid and use single spacing, so the footer never grows into the type
  area.
* Output is reproducible: fixed core properties, no python-docx leftovers that carry dates or
  thumbnails, and the zip is rewritten with fixed timestamps and attributes.

Run ``python tools/make_templates.py`` (writes templates/) or ``--out DIR``.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from dangjian_docs.rendering.package import app_properties

REPO = Path(__file__).resolve().parents[1]

LATIN_FONT = "Times New Roman"
BODY_LINE = 579  # twips: 28.95 pt, 22 lines in the 225 mm type area
TITLE_LINE = 700  # twips: 35 pt, room for a 22 pt line
TABLE_LINE = 560  # twips: 28 pt for 14 pt table text
END_LINE = 20  # twips: the 1 pt paragraph Word needs after a table that ends the document
CHAR_16PT = 320  # twips in one 16 pt (三号) character
CHAR_14PT = 280  # twips in one 14 pt (四号) character
TYPE_AREA_WIDTH_MM = 156
# Word and WPS squeeze 28 三号 characters into the 156 mm line on a character grid (linesAndChars
# with a negative charSpace), but LibreOffice gives each 16 pt character two 15.8 pt cells of such
# a grid and sets 12-14 a line. A plain line grid and characters condensed by 0.25 pt (15.75 pt
# each: 28 × 15.75 = 441 pt of the 442.2 pt line) give 28 a line in all three.
CONDENSED = -5  # twentieths of a point, set once on Normal and inherited by every style
TYPE_AREA_WIDTH = 8844  # twips: 156 mm
FOOTER_LINE = 280  # twips: the page number's line, exactly 14 pt
# GB/T 9704 7.5: the page number's line starts 7 mm below the type area, whose bottom edge is 35 mm
# above the paper's; Word measures the footer distance to the footer's bottom edge.
FOOTER_DISTANCE = 1984 - 397 - FOOTER_LINE  # twips: 35 mm - 7 mm - one footer line
# 横排表格 (the ledger): an A4 page turned a quarter clockwise, its head at the 订口 (binding) edge,
# so each margin is the portrait margin of the edge it came from: top 28 (订口), right 37 (天头),
# bottom 26 (翻口), left 35 (地脚); the type area is the same 156 × 225 mm, turned.
LANDSCAPE_MARGINS_MM = {"top": 28, "right": 37, "bottom": 26, "left": 35}
LANDSCAPE_TYPE_AREA_WIDTH_MM = 225
LANDSCAPE_FOOTER_DISTANCE = Mm(26).twips - 397 - FOOTER_LINE  # twips: 26 mm - 7 mm - one footer line

# 版头 (GB/T 9704 7.2): the issuer's mark in red 小标宋 with its top edge 35 mm under the type area's,
# 小初 (36 pt) at 75 % width holds 16 characters on a line, 55 % holds 22 (see domain/titles.py).
RED = "FF0000"
ISSUER_PT, ISSUER_LINE = 36, 800  # 40 pt exact line for 36 pt characters
ISSUER_SCALE, ISSUER_COMPACT_SCALE = 75, 55
ISSUER_BEFORE = 1984 - (ISSUER_LINE - ISSUER_PT * 20) // 2  # 35 mm to the glyphs' top edge
RED_LINE = (12, 11)  # eighths of a point (1.5 pt), and points under the 发文字号 (about 4 mm)
# 版记 (GB/T 9704 7.4): thick first and last lines (0.35 mm ≈ 1 pt), a thin one between (0.25 mm).
THICK, THIN = 8, 6  # eighths of a point
# The 版记 is pushed to the foot of its page by empty grid lines (doc.foot.padding, one line fewer
# than would fill the page) and one shorter line that leaves room for the lines' own thickness and
# the two 1 pt paragraphs that end its section and the document, so that the last line sits on the
# type area's bottom edge without spilling onto another page.
FOOT_SPACER_LINE = BODY_LINE - 200

FIXED_TIME = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_FILE_MODE = 0o644 << 16
AUTHOR = "dangjian-docs"
# Word 2013 and later open a document of an older mode in 兼容模式; 15 is their own layout
COMPATIBILITY_MODE = 15


@dataclass(frozen=True)
class FontEntry:
    """One w:font of fontTable.xml: what a reader without the face needs to substitute it well.

    ``alt`` is the name the same face has elsewhere (government PCs often have only the GB2312
    editions); panose, charset (86: GB2312), family and pitch are the values the faces carry.
    """

    name: str
    alt: str | None
    panose: str
    charset: str
    family: str
    pitch: str


FONTS: tuple[FontEntry, ...] = (
    FontEntry("仿宋", "仿宋_GB2312", "02010609060101010101", "86", "modern", "fixed"),
    FontEntry("黑体", "SimHei", "02010609060101010101", "86", "modern", "fixed"),
    FontEntry("楷体", "楷体_GB2312", "02010609060101010101", "86", "modern", "fixed"),
    FontEntry("方正小标宋简体", "方正小标宋_GBK", "02000000000000000000", "86", "auto", "variable"),
    FontEntry("宋体", "SimSun", "02010600030101010101", "86", "auto", "variable"),
    FontEntry("Times New Roman", None, "02020603050405020304", "00", "roman", "variable"),
    FontEntry("Courier", None, "02070409020205020404", "00", "modern", "fixed"),  # Word's Macro Text style
)
"""Every face the styles name, so Word and WPS can substitute one that is missing."""
THEME_FONTS = {"majorFont": "黑体", "minorFont": "仿宋"}
"""East Asian theme fonts (headings, body); their Latin font is Times New Roman."""

# Parts of python-docx's default template that would only carry stale data into the templates.
DROPPED_DOCUMENT_RELS = ("http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",)
DROPPED_PACKAGE_RELS = ("http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",)


@dataclass(frozen=True)
class StyleSpec:
    """One paragraph style: what GB/T 9704 asks of a kind of paragraph.

    A field left at None is not written, so the style inherits it from ``based_on``; a user who
    restyles the base style in Word then changes its dependants too.
    """

    name: str
    east_asia: str | None = None
    size_pt: float | None = None
    latin: str = LATIN_FONT
    bold: bool = False
    align: str | None = None  # w:jc value
    line: int | None = None  # twips
    line_rule: str = "exact"
    before: int = 0
    after: int = 0
    first_line_chars: int = 0  # hundredths of a character, as Word stores them
    left: int = 0  # twips
    right: int = 0  # twips
    right_chars: int = 0
    char_spacing: int | None = None  # twentieths of a point, w:spacing in w:rPr
    char_scale: int | None = None  # per cent of the normal character width, w:w in w:rPr
    colour: str = "000000"
    hanging: int = 0  # twips
    borders: tuple[tuple[str, int, int, str], ...] = ()  # (side, eighths of a point, space pt, colour)
    right_tab: int | None = None  # twips from the left margin
    outline_level: int | None = None
    keep_next: bool = False
    page_break_before: bool = False
    snap_to_grid: bool = True
    widow_control: bool | None = None
    based_on: str | None = "Normal"
    next_style: str | None = None
    alias: str | None = None  # Chinese name Word shows beside the style name
    builtin: bool = True


def _text_style(name: str, font: str, size_pt: float, **more: object) -> StyleSpec:
    """A style that sets its own font and exact line spacing (the 579-twip grid pitch by default)."""
    more.setdefault("line", BODY_LINE)
    return StyleSpec(name, east_asia=font, size_pt=size_pt, **more)  # type: ignore[arg-type]


def _heading(name: str, font: str, level: int, bold: bool = False) -> StyleSpec:
    """Headings 一、（一）1.（1）: 三号, two characters in, in the outline, kept with the next line."""
    return _text_style(
        name,
        font,
        16,
        bold=bold,
        align="both",
        first_line_chars=200,
        outline_level=level,
        keep_next=True,
        next_style="Body Text",
    )


def _page_number_style(name: str, alias: str, **indent: object) -> StyleSpec:
    """Footer Odd / Footer Even: only alignment and indent; the font comes from Footer."""
    return StyleSpec(name, based_on="Footer", alias=alias, builtin=False, **indent)  # type: ignore[arg-type]


STYLES: tuple[StyleSpec, ...] = (
    _text_style("Normal", "仿宋", 16, based_on=None, widow_control=False, char_spacing=CONDENSED),
    # the title's lines are 35 pt apart, off the 28.95 pt grid (which would set them two grid lines apart)
    _text_style(
        "Title", "方正小标宋简体", 22, align="center", line=TITLE_LINE, after=BODY_LINE, next_style="Body Text",
        snap_to_grid=False,
    ),
    _heading("Heading 1", "黑体", 0),
    _heading("Heading 2", "楷体", 1),
    _heading("Heading 3", "仿宋", 2, bold=True),
    _heading("Heading 4", "仿宋", 3),
    _text_style("Body Text", "仿宋", 16, align="both", first_line_chars=200),
    _text_style("Recipient", "仿宋", 16, align="left", next_style="Body Text", alias="主送机关", builtin=False),
    _text_style("Date", "仿宋", 16, align="right", right=4 * CHAR_16PT, right_chars=400, alias="成文日期"),
    _text_style(
        "Signature",
        "仿宋",
        16,
        align="right",
        before=BODY_LINE,
        right=2 * CHAR_16PT,
        right_chars=200,
        keep_next=True,  # the date of writing never starts a page of its own
        next_style="Date",
        alias="发文机关署名",
    ),
    # GB/T 9704 7.3.4 and 8: the 附件说明 line stands one line under the body, two characters in; the
    # attachment itself starts a new page under a 黑体 "附件" on line 1, its title on line 3. Only
    # headings and the signature keep with the next paragraph, so no chain leaves blank lines.
    _text_style(
        "Attachment Note", "仿宋", 16, align="both", first_line_chars=200, before=BODY_LINE,
        next_style="Signature", alias="附件说明", builtin=False,
    ),
    _text_style(
        "Attachment Label", "黑体", 16, align="left", page_break_before=True, after=BODY_LINE, next_style="Title",
        alias="附件标识", builtin=False,
    ),
    _text_style("Table Text", "仿宋", 14, align="center", line=TABLE_LINE, alias="表格文字", builtin=False),
    StyleSpec("Table Text Left", align="left", based_on="Table Text", alias="表格文字（居左）", builtin=False),
    _text_style("Table Heading", "黑体", 14, align="center", line=TABLE_LINE, alias="表格标题行", builtin=False),
    _text_style("Footer", "宋体", 14, latin="宋体", line=FOOTER_LINE, snap_to_grid=False),
    _page_number_style("Footer Odd", "页码（单页）", align="right", right=CHAR_14PT),
    _page_number_style("Footer Even", "页码（双页）", align="left", left=CHAR_14PT),
    # the paragraph Word needs after a table that ends the document: 1 pt, so it never adds a line
    StyleSpec("Table End", size_pt=1, east_asia="仿宋", line=END_LINE, snap_to_grid=False, alias="表后段落",
              builtin=False),
    # 版头
    _text_style(
        "Issuer", "方正小标宋简体", ISSUER_PT, align="center", line=ISSUER_LINE, before=ISSUER_BEFORE,
        char_scale=ISSUER_SCALE, colour=RED, snap_to_grid=False, next_style="Document Number",
        alias="发文机关标志", builtin=False,
    ),
    StyleSpec("Issuer Compact", char_scale=ISSUER_COMPACT_SCALE, based_on="Issuer", next_style="Document Number",
              alias="发文机关标志（较长）", builtin=False),
    _text_style(
        "Document Number", "仿宋", 16, align="center", before=2 * BODY_LINE, after=2 * BODY_LINE,
        borders=(("bottom", *RED_LINE, RED),), next_style="Title", alias="发文字号", builtin=False,
    ),
    # 上行文: 发文字号 one character in from the left, 签发人 one character in from the right, one line
    StyleSpec("Document Number Upward", align="left", left=CHAR_16PT, right_tab=TYPE_AREA_WIDTH - CHAR_16PT,
              based_on="Document Number", next_style="Title", alias="发文字号（上行文）", builtin=False),
    # 版记: 4号仿宋, one character in on each side, between lines, at the foot of the type area
    _text_style(
        "Copy To", "仿宋", 14, align="both", left=CHAR_14PT + 3 * CHAR_14PT, hanging=3 * CHAR_14PT,
        right=CHAR_14PT, borders=(("top", THICK, 1, "000000"), ("bottom", THIN, 1, "000000")),
        snap_to_grid=False, next_style="Imprint", alias="抄送机关", builtin=False,
    ),
    _text_style(
        "Imprint", "仿宋", 14, align="left", left=CHAR_14PT, right_tab=TYPE_AREA_WIDTH - CHAR_14PT,
        borders=(("bottom", THICK, 1, "000000"),), snap_to_grid=False, alias="印发机关和印发日期", builtin=False,
    ),
    _text_style("Foot Spacer", "仿宋", 16, line=FOOT_SPACER_LINE, snap_to_grid=False, alias="版记上方留白",
                builtin=False),
    StyleSpec("Imprint Alone", borders=(("top", THICK, 1, "000000"), ("bottom", THICK, 1, "000000")),
              based_on="Imprint", alias="印发机关和印发日期（无抄送）", builtin=False),
)
REGISTER_STYLES: tuple[StyleSpec, ...] = (
    # a table's caption (the overview's, a branch's), 黑体 as GB/T 9704 sets headings; a branch
    # starts a page of its own
    _text_style("Register Caption", "黑体", 16, align="center", alias="台账表题", builtin=False),
    StyleSpec("Register Page Caption", page_break_before=True, based_on="Register Caption",
              alias="台账表题（另起一页）", builtin=False),
    _text_style("Register Note", "仿宋", 14, align="both", line=TABLE_LINE, alias="台账表注", builtin=False),
)
"""The ledger's own styles: only its template has them."""
CHARACTER_STYLES: tuple[tuple[str, str, str], ...] = (("Signer Name", "楷体", "签发人姓名"),)
"""(name, East Asian font, alias): 签发人's name is 3号楷体 beside "签发人：" in 仿宋."""

# The experience article (经验交流材料) is set as an article, not a 公文: under the 小标宋 title a
# 楷体 subtitle and byline (authors, their unit), then 摘要 and 关键词 in 楷体 with 黑体 labels, one
# grid line below the byline; parts 1 / 2.1 in the 黑体 / 楷体 headings, the body in 仿宋.
ARTICLE_STYLES: tuple[StyleSpec, ...] = (
    _text_style("Subtitle", "楷体", 16, align="center", next_style="Body Text", alias="副标题"),
    _text_style("Byline", "楷体", 16, align="center", next_style="Body Text", alias="作者和单位", builtin=False),
    _text_style("Abstract", "楷体", 16, align="both", first_line_chars=200, before=BODY_LINE,
                next_style="Body Text", alias="摘要", builtin=False),
    _text_style("Keywords", "楷体", 16, align="both", first_line_chars=200, next_style="Body Text",
                alias="关键词", builtin=False),
    # a part's photos after its text: the picture on single spacing (an exact line would clip it),
    # its 楷体 caption under it (only headings keep with the next paragraph: GB/T 9704 checks)
    _text_style("Photo", "仿宋", 16, align="center", line=240, line_rule="auto",
                snap_to_grid=False, alias="照片", builtin=False),
    _text_style("Photo Caption", "楷体", 16, align="center", next_style="Body Text", alias="照片说明",
                builtin=False),
)
ARTICLE_CHARACTER_STYLES: tuple[tuple[str, str, str], ...] = (("Abstract Label", "黑体", "摘要和关键词标签"),)

# Character styles python-docx's default template links to the paragraph styles above; they carry
# blue theme formatting, so they go and the links with them.
LINKED_CHAR_STYLES = (
    "Title Char",
    "Heading 1 Char",
    "Heading 2 Char",
    "Heading 3 Char",
    "Heading 4 Char",
    "Body Text Char",
    "Footer Char",
)


@dataclass(frozen=True)
class Column:
    """A table column: header label, Jinja expression of the data cell, width in mm."""

    label: str
    field: str
    width_mm: float
    left_aligned: bool = False


@dataclass(frozen=True)
class Kind:
    """One template: its file stem, Chinese name (core title) and optional table."""

    stem: str
    title: str
    columns: tuple[Column, ...] = ()
    article: bool = False
    """Laid out as an article (byline, abstract, parts 1 / 2.1) rather than as a 公文."""
    register: bool = False
    """A register of tables (the ledger): its own body (:func:`build_register_body`) and styles."""
    landscape: bool = False


# Widths in mm add up to the 156 mm type area. They keep the longest usual cell on one line
# ("12月31日", a seven-character branch name); header labels break at "\n" (a w:br) so that
# "（开展/应开）" stays whole instead of wrapping wherever the column ends.
KINDS: tuple[Kind, ...] = (
    Kind(
        "plan",
        "工作计划",
        (
            Column("月份", "row.month", 20),
            Column("工作内容", "row.content", 72, left_aligned=True),
            Column("责任部门", "row.department", 30),
            Column("完成时限", "row.due", 34),
        ),
    ),
    Kind(
        "summary",
        "工作总结",
        (
            Column("支部", "row.name", 40, left_aligned=True),
            Column("党员\n人数", "row.members", 18),
            Column("“三会一课”\n（开展/应开）", "row.meetings", 37),
            Column("主题党日\n（开展/应开）", "row.theme_days", 37),
            Column("平均\n参会率", "row.attendance", 24),
        ),
    ),
    Kind("report", "情况汇报"),
    Kind("report-duty", "述职报告"),
)


def rollup_kind() -> Kind:
    """区县汇总情况汇报: the report's body with a table of the institutions as its attachment."""
    return Kind(
        "rollup",
        "汇总情况汇报",
        (
            # 14 pt text in cells with Word's 1.9 mm side margins: a column of n characters needs
            # about 5n + 4 mm; seven columns are what 156 mm holds without breaking words
            Column("单位", "row.name", 34, left_aligned=True),
            Column("类别", "row.type", 28),
            Column("职工\n人数", "row.staff", 14),
            Column("党员\n人数", "row.members", 14),
            Column("较上年\n增减", "row.change", 19),
            Column("党组织\n设置", "row.setup", 28),
            Column("新发展\n党员", "row.developed", 19),
        ),
    )


KINDS += (rollup_kind(), Kind("article", "经验交流材料", article=True))

# “三会一课”台账: the overview's and each branch's columns, headers from the context (the
# catalogue's words). Widths fill the 225 mm of a landscape type area; a topic takes two lines.
OVERVIEW_COLUMNS: tuple[Column, ...] = (
    Column("{{ overview.headers.name }}", "row.name", 45, left_aligned=True),
    Column("{{ overview.headers.general_meeting }}", "row.general_meeting", 36),
    Column("{{ overview.headers.committee }}", "row.committee", 36),
    Column("{{ overview.headers.group_meeting }}", "row.group_meeting", 36),
    Column("{{ overview.headers.lecture }}", "row.lecture", 36),
    Column("{{ overview.headers.result }}", "row.result", 36),
)
LEDGER_COLUMNS: tuple[Column, ...] = (
    Column("{{ columns.number }}", "row.number", 15),
    Column("{{ columns.date }}", "row.date", 24),
    Column("{{ columns.type }}", "row.type", 33),
    Column("{{ columns.topic }}", "row.topic", 87, left_aligned=True),
    Column("{{ columns.speaker }}", "row.speaker", 30),
    Column("{{ columns.attendance }}", "row.attendance", 20),
    Column("{{ columns.duration }}", "row.duration", 16),
)
KINDS += (Kind("ledger", "“三会一课”台账", register=True, landscape=True),)


def fan_out_kinds() -> tuple[Kind, ...]:
    """A branch's plan has the plan's month-by-month table; its summary (one branch, no table of
    branches) and a Party group's plan have none."""
    plan = next(k for k in KINDS if k.stem == "plan")
    return (Kind("branch-plan", "支部工作计划", plan.columns), Kind("branch-summary", "支部工作总结"),
            Kind("group-plan", "党小组工作计划"))


KINDS += fan_out_kinds()


# ---------------------------------------------------------------- styles


def _set_attrs(element: etree._Element, **attrs: str | int) -> None:
    """Set w:-namespaced attributes, so callers write the XML names Word uses."""
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))


def _fonts(rpr: etree._Element, east_asia: str, latin: str) -> None:
    """Name every font slot explicitly and drop theme references, so the named fonts win."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    _set_attrs(rfonts, ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin)


def _clear(element: etree._Element) -> None:
    for child in list(element):
        element.remove(child)


def _get_or_make_style(doc: DocumentObject, spec: StyleSpec) -> ParagraphStyle:
    """The built-in style if the default template has it, else a new one (built-in or custom)."""
    try:
        style = doc.styles[spec.name]
    except KeyError:
        style = doc.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH, builtin=spec.builtin)
    assert isinstance(style, ParagraphStyle)
    return style


def _apply_paragraph_props(style: ParagraphStyle, spec: StyleSpec) -> None:
    """Rebuild w:pPr from the spec, dropping whatever the default template had (borders, spacing)."""
    ppr = style.element.get_or_add_pPr()
    _clear(ppr)
    if not spec.snap_to_grid:
        # appended first: the python-docx setters below insert their elements before it, in schema order
        snap = OxmlElement("w:snapToGrid")
        _set_attrs(snap, val=0)
        ppr.append(snap)
    fmt = style.paragraph_format
    if spec.line is not None:
        spacing = ppr.get_or_add_spacing()
        _set_attrs(spacing, before=spec.before, after=spec.after, line=spec.line, lineRule=spec.line_rule)
    if spec.widow_control is not None:
        fmt.widow_control = spec.widow_control
    if spec.keep_next:
        fmt.keep_with_next = True
        fmt.keep_together = True
    if spec.page_break_before:
        fmt.page_break_before = True
    _apply_indent(ppr, spec)
    if spec.align is not None:
        _set_attrs(ppr.get_or_add_jc(), val=spec.align)
    if spec.outline_level is not None:
        _set_attrs(ppr.get_or_add_outlineLvl(), val=spec.outline_level)
    _apply_layout_extras(ppr, spec)


# w:pPr and w:rPr children in schema order, for elements python-docx has no setter for
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl")
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
             "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
             "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def _sort_children(element: etree._Element, order: Sequence[str]) -> None:
    rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
    children = sorted(element, key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        element.append(child)


def _apply_layout_extras(ppr: etree._Element, spec: StyleSpec) -> None:
    """Borders and a right tab stop: the 版头 and 版记 elements python-docx has no API for."""
    if spec.borders:
        borders = OxmlElement("w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            for name, size, space, colour in spec.borders:
                if name == side:
                    line = OxmlElement(f"w:{side}")
                    _set_attrs(line, val="single", sz=size, space=space, color=colour)
                    borders.append(line)
        ppr.append(borders)
    if spec.right_tab is not None:
        tabs = OxmlElement("w:tabs")
        tab = OxmlElement("w:tab")
        _set_attrs(tab, val="right", pos=spec.right_tab)
        tabs.append(tab)
        ppr.append(tabs)
    _sort_children(ppr, PPR_ORDER)


def _apply_indent(ppr: etree._Element, spec: StyleSpec) -> None:
    """w:ind in twips and, where the standard counts characters, in hundredths of a character too."""
    attrs: dict[str, int] = {}
    if spec.left:
        attrs["left"] = spec.left
    if spec.right:
        attrs["right"] = spec.right
    if spec.right_chars:
        attrs["rightChars"] = spec.right_chars
    if spec.hanging:
        attrs["hanging"] = spec.hanging
    if spec.first_line_chars:
        assert spec.size_pt is not None, f"{spec.name}: a character indent needs a font size"
        attrs["firstLineChars"] = spec.first_line_chars
        attrs["firstLine"] = spec.first_line_chars * round(spec.size_pt * 20) // 100
    if attrs:
        _set_attrs(ppr.get_or_add_ind(), **attrs)


def _apply_run_props(style: ParagraphStyle, spec: StyleSpec) -> None:
    """Rebuild w:rPr: fonts by name, size, weight and black colour (no theme colours)."""
    rpr = style.element.get_or_add_rPr()
    _clear(rpr)
    if spec.east_asia is None or spec.size_pt is None:
        if spec.char_scale is None:
            style.element.remove(rpr)
            return
        scale = OxmlElement("w:w")
        _set_attrs(scale, val=spec.char_scale)
        rpr.append(scale)
        return
    _fonts(rpr, spec.east_asia, spec.latin)
    style.font.bold = spec.bold
    style.font.color.rgb = RGBColor.from_string(spec.colour)
    style.font.size = Pt(spec.size_pt)
    size_cs = OxmlElement("w:szCs")
    _set_attrs(size_cs, val=round(spec.size_pt * 2))
    rpr.find(qn("w:sz")).addnext(size_cs)
    if spec.char_spacing is not None:
        spacing = OxmlElement("w:spacing")
        _set_attrs(spacing, val=spec.char_spacing)
        rpr.append(spacing)
    if spec.char_scale is not None:
        scale = OxmlElement("w:w")
        _set_attrs(scale, val=spec.char_scale)
        rpr.append(scale)
    _sort_children(rpr, RPR_ORDER)


def _apply_style_meta(doc: DocumentObject, style: ParagraphStyle, spec: StyleSpec) -> None:
    """Inheritance, next style, visibility and the Chinese alias shown in Word's style list."""
    style.base_style = doc.styles[spec.based_on] if spec.based_on else None
    if spec.next_style:
        style.next_paragraph_style = doc.styles[spec.next_style]
    style.hidden = False
    style.unhide_when_used = False
    style.quick_style = True
    link = style.element.find(qn("w:link"))
    if link is not None:
        style.element.remove(link)
    if spec.alias:
        aliases = style.element.find(qn("w:aliases"))
        if aliases is None:
            aliases = OxmlElement("w:aliases")
            style.element.find(qn("w:name")).addnext(aliases)
        _set_attrs(aliases, val=spec.alias)


def define_styles(doc: DocumentObject, extra: Sequence[StyleSpec] = (),
                  extra_characters: Sequence[tuple[str, str, str]] = ()) -> None:
    """Create or rewrite every named style the templates use (order: bases before dependants);
    ``extra`` styles are one kind's own (the article's byline and abstract)."""
    specs = (*STYLES, *extra)
    styles = [_get_or_make_style(doc, spec) for spec in specs]  # first, so "next" styles exist
    for style, spec in zip(styles, specs, strict=True):
        _apply_style_meta(doc, style, spec)
        _apply_paragraph_props(style, spec)
        _apply_run_props(style, spec)
    for name in LINKED_CHAR_STYLES:
        style = doc.styles[name]
        style.element.getparent().remove(style.element)
    for name, font, alias in (*CHARACTER_STYLES, *extra_characters):
        char_style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER, builtin=False)
        char_style.quick_style = True
        aliases = OxmlElement("w:aliases")
        _set_attrs(aliases, val=alias)
        char_style.element.find(qn("w:name")).addnext(aliases)
        _fonts(char_style.element.get_or_add_rPr(), font, LATIN_FONT)


def set_doc_defaults(doc: DocumentObject) -> None:
    """docDefaults: 仿宋 16 pt, Chinese language, no spacing; what unstyled text falls back to."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _fonts(rpr, "仿宋", LATIN_FONT)
    _set_attrs(rpr.find(qn("w:sz")), val=32)
    _set_attrs(rpr.find(qn("w:szCs")), val=32)
    _set_attrs(rpr.find(qn("w:lang")), val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.attrib.clear()
    _set_attrs(spacing, before=0, after=0, line=240, lineRule="auto")


# ---------------------------------------------------------------- settings, section, footers


def set_settings(doc: DocumentObject) -> None:
    """Different odd/even footers, Chinese theme font language, Word 2013+ layout, no revision-session ids."""
    doc.settings.odd_and_even_pages_header_footer = True
    root = doc.settings.element
    _set_attrs(root.find(qn("w:themeFontLang")), val="en-US", eastAsia="zh-CN")
    _set_attrs(root.find(qn("w:zoom")), percent=100)  # required by the schema, bestFit alone is not enough
    for setting in root.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            _set_attrs(setting, val=COMPATIBILITY_MODE)
    rsids = root.find(qn("w:rsids"))
    if rsids is not None:
        root.remove(rsids)


def set_page(doc: DocumentObject, landscape: bool = False) -> None:
    """A4 portrait, GB/T 9704 margins, page number 7 mm under the type area, a 22-line grid (see CONDENSED);
    landscape: the same page turned (see LANDSCAPE_MARGINS_MM), the grid's pitch kept (15 lines)."""
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        margins = LANDSCAPE_MARGINS_MM
        section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
        section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
        section.header_distance, section.footer_distance = Mm(10), Twips(LANDSCAPE_FOOTER_DISTANCE)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(15), Twips(FOOTER_DISTANCE)
    section.gutter = Mm(0)
    sect_pr = doc.element.body.find(qn("w:sectPr"))
    sect_pr.attrib.clear()  # rsid attributes of the default template
    grid = sect_pr.find(qn("w:docGrid"))
    grid.attrib.clear()
    _set_attrs(grid, type="lines", linePitch=BODY_LINE)


def _field_char(paragraph: Paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    _set_attrs(char, fldCharType=kind)
    paragraph.add_run()._r.append(char)


def _page_number(paragraph: Paragraph, style: str) -> None:
    """Fill a footer paragraph with "— PAGE —" as a real complex field Word/WPS update."""
    _clear(paragraph._p)
    paragraph.style = style
    paragraph.add_run("— ")
    _field_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    paragraph.add_run()._r.append(instr)
    _field_char(paragraph, "separate")
    paragraph.add_run("1")
    _field_char(paragraph, "end")
    paragraph.add_run(" —")


def set_footers(doc: DocumentObject) -> None:
    """Odd pages: number at the right; even pages: at the left (GB/T 9704 7.5)."""
    section = doc.sections[0]
    for footer, style in ((section.footer, "Footer Odd"), (section.even_page_footer, "Footer Even")):
        footer.is_linked_to_previous = False
        _page_number(footer.paragraphs[0], style)


# ---------------------------------------------------------------- body


def _paragraph(doc: DocumentObject, text: str, style: str) -> Paragraph:
    """One paragraph, one run: docxtpl needs each Jinja tag inside a single run."""
    return doc.add_paragraph(text, style)


def _section_lines(level: int, photos: bool = False) -> list[tuple[str, str]]:
    """The nested loop over sections of ``level`` and deeper, down to level 4; with ``photos``,
    each section's photos (and their captions) at its end, after its sub-sections."""
    var, parent = f"s{level}", ("sections" if level == 1 else f"s{level - 1}.children")
    lines = [
        (f"{{%p for {var} in {parent} %}}", "Body Text"),
        (f"{{{{ {var}.number }}}}{{{{ {var}.title }}}}", f"Heading {level}"),
        (f"{{%p for para in {var}.paragraphs %}}", "Body Text"),
        ("{{ para }}", "Body Text"),
        ("{%p endfor %}", "Body Text"),
    ]
    if level < 4:
        lines += _section_lines(level + 1, photos)
    if photos:
        lines += [
            (f"{{%p for photo in {var}.photos %}}", "Body Text"),
            ("{{ photo.image }}", "Photo"),
            ("{{ photo.caption }}", "Photo Caption"),
            ("{%p endfor %}", "Body Text"),
        ]
    lines.append(("{%p endfor %}", "Body Text"))
    return lines


# 版头 (optional): the issuer's red mark, then the 发文字号 over a red line, with 签发人 for a 上行文
HEAD_LINES: tuple[tuple[str, str], ...] = (
    ("{%p if doc.head %}", "Body Text"),
    ("{%p if doc.head.compact %}", "Body Text"),
    ("{{ doc.head.mark }}", "Issuer Compact"),
    ("{%p else %}", "Body Text"),
    ("{{ doc.head.mark }}", "Issuer"),
    ("{%p endif %}", "Body Text"),
    ("{%p if doc.head.signer %}", "Body Text"),
    ("SIGNER", "Document Number Upward"),
    ("{%p else %}", "Body Text"),
    ("{{ doc.head.number }}", "Document Number"),
    ("{%p endif %}", "Body Text"),
    ("{%p endif %}", "Body Text"),
)
OPENING_LINES: tuple[tuple[str, str], ...] = (
    ("TITLE", "Title"),
    ("{%p if doc.recipient %}", "Body Text"),
    ("{{ doc.recipient }}：", "Recipient"),
    ("{%p endif %}", "Body Text"),
    ("{%p for para in doc.opening %}", "Body Text"),
    ("{{ para }}", "Body Text"),
    ("{%p endfor %}", "Body Text"),
)
BODY_END_LINES: tuple[tuple[str, str], ...] = (
    ("{%p if doc.closing %}", "Body Text"),
    ("{{ doc.closing }}", "Body Text"),
    ("{%p endif %}", "Body Text"),
)
CLOSING_LINES: tuple[tuple[str, str], ...] = (
    ("{{ doc.signature }}", "Signature"),
    ("{{ doc.date }}", "Date"),
)
# 版记 (optional): on an even page of its own (a section that starts on one, after a blank page if
# need be), at the foot of the type area (see FOOT_SPACER_LINE); 抄送 only when the data names anyone.
FOOT_LINES: tuple[tuple[str, str], ...] = (
    ("{%p if doc.foot %}", "Body Text"),
    ("SECTION", "Table End"),
    ("{%p for line in doc.foot.padding %}", "Body Text"),
    ("{{ line }}", "Body Text"),
    ("{%p endfor %}", "Body Text"),
    ("", "Foot Spacer"),
    ("{%p if doc.foot.copy_to %}", "Body Text"),
    ("抄送：{{ doc.foot.copy_to }}。", "Copy To"),
    ("IMPRINT", "Imprint"),
    ("{%p else %}", "Body Text"),
    ("IMPRINT", "Imprint Alone"),
    ("{%p endif %}", "Body Text"),
    ("SECTION_EVEN", "Table End"),
    ("{%p endif %}", "Body Text"),
)


def _title(paragraph: Paragraph) -> None:
    """The title's lines as the program broke them, joined by line breaks so no reader re-breaks them."""
    paragraph.add_run("{%r for line in doc.title_lines %}")
    paragraph.add_run("{%r if not loop.first %}")
    paragraph.add_run().add_break()
    paragraph.add_run("{%r endif %}")
    paragraph.add_run("{{ line }}")
    paragraph.add_run("{%r endfor %}")


def _tabbed(paragraph: Paragraph, left: str, right: Sequence[tuple[str, str | None]]) -> None:
    """``left``, a tab to the style's right tab stop, then runs of (text, character style)."""
    paragraph.add_run(left)
    paragraph.add_run().add_tab()
    for text, char_style in right:
        paragraph.add_run(text, char_style)


def _section_break(doc: DocumentObject, paragraph: Paragraph, start: str | None = None) -> None:
    """End a section in ``paragraph`` with the page set-up of the document's last section.

    A section's w:type says how the section itself starts. The 版记's section ends in a paragraph
    of its own that says "even page", inside the template's {%p if doc.foot %}; the document's
    last section (only the closing 1 pt paragraph, or the whole document when there is no 版记)
    is continuous: LibreOffice numbers a document whose only section says "even page" from 2.
    """
    ended = copy.deepcopy(doc.element.body.find(qn("w:sectPr")))
    if start is not None:
        _set_section_start(ended, start)
    paragraph._p.get_or_add_pPr().append(ended)


def _set_section_start(sect_pr: etree._Element, start: str) -> None:
    """w:type in its schema place: after the header/footer references, before w:pgSz (CT_SectPr)."""
    kind = OxmlElement("w:type")
    _set_attrs(kind, val=start)
    sect_pr.find(qn("w:pgSz")).addprevious(kind)


def _continuous_last_section(doc: DocumentObject) -> None:
    _set_section_start(doc.element.body.find(qn("w:sectPr")), "continuous")


def _add_lines(doc: DocumentObject, lines: Iterable[tuple[str, str]]) -> None:
    """Paragraphs of Jinja text; a few markers stand for paragraphs with more than one run."""
    for text, style in lines:
        if text == "TITLE":
            _title(doc.add_paragraph(style=style))
        elif text == "SIGNER":
            _tabbed(doc.add_paragraph(style=style), "{{ doc.head.number }}",
                    [("签发人：", None), ("{{ doc.head.signer }}", "Signer Name")])
        elif text == "IMPRINT":
            _tabbed(doc.add_paragraph(style=style), "{{ doc.foot.printer }}", [("{{ doc.foot.printed }}印发", None)])
        elif text in ("ABSTRACT", "KEYWORDS"):
            field = "abstract" if text == "ABSTRACT" else "keywords"
            paragraph = doc.add_paragraph(style=style)
            paragraph.add_run(f"{{{{ article.{field}_label }}}}", "Abstract Label")
            paragraph.add_run(f"{{{{ article.{field} }}}}")
        elif text == "SECTION":
            _section_break(doc, doc.add_paragraph(style=style))
        elif text == "SECTION_EVEN":
            _section_break(doc, doc.add_paragraph(style=style), "evenPage")
        else:
            _paragraph(doc, text, style)


def _column_widths(columns: Sequence[Column], width_mm: float = TYPE_AREA_WIDTH_MM) -> list[int]:
    """Column widths in twips, rounded so that they add up to exactly the type-area width."""
    total = Mm(width_mm).twips
    scale = total / sum(c.width_mm for c in columns)
    edges, acc = [0], 0.0
    for column in columns:
        acc += column.width_mm * scale
        edges.append(round(acc))
    return [b - a for a, b in itertools.pairwise(edges)]


def _fill_cell(cell: _Cell, text: str, style: str, width: int) -> None:
    cell.width = Twips(width)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if text:
        paragraph.add_run(text)


def _row_flags(table: Table, index: int, *flags: str) -> None:
    """Row properties python-docx has no API for (w:cantSplit, w:tblHeader), in schema order."""
    tr_pr = table.rows[index]._tr.get_or_add_trPr()
    for flag in flags:
        tr_pr.append(OxmlElement(f"w:{flag}"))


def _table_geometry(table: Table, widths: Sequence[int]) -> None:
    """Full type-area width, fixed layout, centred, grid borders from the Table Grid style."""
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    _set_attrs(tbl_w, w=sum(widths), type="dxa")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)


def add_table(doc: DocumentObject, columns: Sequence[Column]) -> None:
    """Header row (repeats on each page), the data rows' loop, then the 合计 row when there is one."""
    widths = _column_widths(columns)
    table = doc.add_table(rows=7, cols=len(columns))
    _table_geometry(table, widths)
    for i, (column, width) in enumerate(zip(columns, widths, strict=True)):
        data_style = "Table Text Left" if column.left_aligned else "Table Text"
        total_field = column.field.replace("row.", "table.total.", 1)
        cells = (
            (column.label, "Table Heading"),
            ("{%tr for row in table.rows %}" if i == 0 else "", "Table Text"),
            (f"{{{{ {column.field} }}}}", data_style),
            ("{%tr endfor %}" if i == 0 else "", "Table Text"),
            ("{%tr if table.total %}" if i == 0 else "", "Table Text"),
            (f"{{{{ {total_field} }}}}", data_style),
            ("{%tr endif %}" if i == 0 else "", "Table Text"),
        )
        for row, (text, style) in enumerate(cells):
            _fill_cell(table.cell(row, i), text, style, width)
    _row_flags(table, 0, "cantSplit", "tblHeader")
    _row_flags(table, 2, "cantSplit")
    _row_flags(table, 5, "cantSplit")


ARTICLE_FRONT_LINES: tuple[tuple[str, str], ...] = (
    ("TITLE", "Title"),
    ("{%p if article.subtitle %}", "Body Text"),
    ("{{ article.subtitle }}", "Subtitle"),
    ("{%p endif %}", "Body Text"),
    ("{{ article.byline }}", "Byline"),
    ("{%p if article.unit %}", "Body Text"),
    ("{{ article.unit }}", "Byline"),
    ("{%p endif %}", "Body Text"),
    ("ABSTRACT", "Abstract"),
    ("{%p if article.keywords %}", "Body Text"),
    ("KEYWORDS", "Keywords"),
    ("{%p endif %}", "Body Text"),
    ("{%p for para in doc.opening %}", "Body Text"),
    ("{{ para }}", "Body Text"),
    ("{%p endfor %}", "Body Text"),
)
ARTICLE_END_LINES: tuple[tuple[str, str], ...] = (
    ("{%p for para in article.closing %}", "Body Text"),
    ("{{ para }}", "Body Text"),
    ("{%p endfor %}", "Body Text"),
)


def build_article_body(doc: DocumentObject) -> None:
    """The article's contract: title, subtitle, byline, abstract, keywords, opening, parts, closing;
    no recipient, signature, date, 版头 or 版记."""
    _add_lines(doc, ARTICLE_FRONT_LINES)
    _add_lines(doc, _section_lines(1, photos=True))
    _add_lines(doc, ARTICLE_END_LINES)


def add_register_table(doc: DocumentObject, columns: Sequence[Column], rows: str) -> None:
    """Header row (repeats on each page, never split), then one row for each of ``rows``."""
    widths = _column_widths(columns, LANDSCAPE_TYPE_AREA_WIDTH_MM)
    table = doc.add_table(rows=4, cols=len(columns))
    _table_geometry(table, widths)
    for i, (column, width) in enumerate(zip(columns, widths, strict=True)):
        cells = (
            (column.label, "Table Heading"),
            (f"{{%tr for row in {rows} %}}" if i == 0 else "", "Table Text"),
            (f"{{{{ {column.field} }}}}", "Table Text Left" if column.left_aligned else "Table Text"),
            ("{%tr endfor %}" if i == 0 else "", "Table Text"),
        )
        for row, (text, style) in enumerate(cells):
            _fill_cell(table.cell(row, i), text, style, width)
    _row_flags(table, 0, "cantSplit", "tblHeader")
    _row_flags(table, 2, "cantSplit")


def build_register_body(doc: DocumentObject) -> None:
    """The ledger: title, the overview and its notes, then each branch from a new page."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _add_lines(doc, [("TITLE", "Title"), ("{{ overview.title }}", "Register Caption")])
    add_register_table(doc, OVERVIEW_COLUMNS, "overview.rows")
    _add_lines(doc, [("{%p for note in overview.notes %}", "Body Text"), ("{{ note }}", "Register Note"),
                     ("{%p endfor %}", "Body Text"),
                     ("{%p for page in pages %}", "Body Text"), ("{{ page.heading }}", "Register Page Caption"),
                     ("{%p if page.rows %}", "Body Text")])
    add_register_table(doc, LEDGER_COLUMNS, "page.rows")
    _add_lines(doc, [("{%p else %}", "Body Text"), ("{{ page.note }}", "Register Note"),
                     ("{%p endif %}", "Body Text"), ("{%p endfor %}", "Body Text")])
    # Word wants a paragraph, not a table, to end the body: one of 1 pt, so that it adds no line
    _paragraph(doc, "", "Table End")
    _continuous_last_section(doc)


def build_body(doc: DocumentObject, kind: Kind) -> None:
    """The Jinja contract: title, recipient, opening, sections 1-4, optional table, signature, date."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if kind.article:
        build_article_body(doc)
        return
    _add_lines(doc, HEAD_LINES)
    _add_lines(doc, OPENING_LINES)
    _add_lines(doc, _section_lines(1))
    _add_lines(doc, BODY_END_LINES)
    if not kind.columns:
        _add_lines(doc, CLOSING_LINES)
        _add_lines(doc, FOOT_LINES)
        _paragraph(doc, "", "Table End")  # the last, continuous section's paragraph after a 版记
        _continuous_last_section(doc)
        return
    # the table is an attachment: named under the body, then signature and date, then its own page
    _add_lines(doc, [("{%p if table %}", "Body Text"), ("附件：{{ table.title }}", "Attachment Note"),
                     ("{%p endif %}", "Body Text")])
    _add_lines(doc, CLOSING_LINES)
    _add_lines(doc, [("{%p if table %}", "Body Text"), ("附件", "Attachment Label"),
                     ("{{ table.title }}", "Title")])
    add_table(doc, kind.columns)
    _add_lines(doc, [("{%p endif %}", "Body Text")])
    _add_lines(doc, FOOT_LINES)
    # Word wants a paragraph, not a table, to end the body: one of 1 pt, so that it adds no line
    _paragraph(doc, "", "Table End")
    _continuous_last_section(doc)


# ---------------------------------------------------------------- package


def set_core_properties(doc: DocumentObject, kind: Kind) -> None:
    """Fixed metadata so that regenerating a template gives the same bytes."""
    props = doc.core_properties
    props.title = kind.title
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""


def drop_default_parts(doc: DocumentObject) -> None:
    """Drop stylesWithEffects (stale copy of the styles) and the thumbnail of an empty page."""
    for rels, reltypes in ((doc.part.rels, DROPPED_DOCUMENT_RELS), (doc.part.package.rels, DROPPED_PACKAGE_RELS)):
        for r_id in [r_id for r_id, rel in rels.items() if rel.reltype in reltypes]:
            del rels[r_id]


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def font_table() -> bytes:
    """fontTable.xml naming the faces of :data:`FONTS`, children in CT_Font's order."""
    root = etree.Element(f"{{{_W}}}fonts", nsmap={"w": _W})
    for font in FONTS:
        entry = etree.SubElement(root, f"{{{_W}}}font", {f"{{{_W}}}name": font.name})
        if font.alt:
            etree.SubElement(entry, f"{{{_W}}}altName", {f"{{{_W}}}val": font.alt})
        for tag, value in (("panose1", font.panose), ("charset", font.charset), ("family", font.family),
                           ("pitch", font.pitch)):
            etree.SubElement(entry, f"{{{_W}}}{tag}", {f"{{{_W}}}val": value})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def theme_fonts(xml: bytes) -> bytes:
    """The theme's heading and body fonts: Times New Roman for Latin, 黑体/仿宋 for Chinese."""
    root = etree.fromstring(xml)
    scheme = root.find(f".//{{{_A}}}fontScheme")
    for slot, east_asia in THEME_FONTS.items():
        fonts = scheme.find(f"{{{_A}}}{slot}")
        fonts.find(f"{{{_A}}}latin").set("typeface", LATIN_FONT)
        fonts.find(f"{{{_A}}}ea").set("typeface", east_asia)
        for script in fonts.iterfind(f"{{{_A}}}font"):
            if script.get("script") == "Hans":
                script.set("typeface", east_asia)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def normalise_zip(data: bytes, rewrite: Mapping[str, Callable[[bytes], bytes]]) -> bytes:
    """Rewrite the package with fixed timestamps and attributes, keeping the entry order.

    ``rewrite`` maps a part name to what turns python-docx's default part into ours.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for entry in src.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = ZIP_FILE_MODE
            content = src.read(entry.filename)
            if entry.filename in rewrite:
                content = rewrite[entry.filename](content)
            dst.writestr(info, content, compresslevel=9)
    return out.getvalue()


def build_template(kind: Kind) -> bytes:
    """The finished .docx bytes of one template."""
    doc = Document()
    drop_default_parts(doc)
    set_doc_defaults(doc)
    if kind.article:
        define_styles(doc, ARTICLE_STYLES, ARTICLE_CHARACTER_STYLES)
    else:
        define_styles(doc, REGISTER_STYLES if kind.register else ())
    set_settings(doc)
    set_page(doc, kind.landscape)
    set_footers(doc)
    if kind.register:
        build_register_body(doc)
    else:
        build_body(doc, kind)
    set_core_properties(doc, kind)
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue(), {
        "docProps/app.xml": lambda _: app_properties(),  # what made the file, no counts
        "word/fontTable.xml": lambda _: font_table(),
        "word/theme/theme1.xml": theme_fonts,
    })


def write_templates(out_dir: Path, only: Sequence[str] = ()) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        if only and kind.stem not in only:
            continue
        path = out_dir / f"{kind.stem}.docx"
        path.write_bytes(build_template(kind))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "templates", help="folder to write into")
    parser.add_argument("--only", action="append", default=[], metavar="KIND",
                        help="write only this template (repeatable), leaving the others as edited in Word")
    args = parser.parse_args(argv)
    for path in write_templates(args.out, args.only):
        print(path)


if __name__ == "__main__":
    main()
