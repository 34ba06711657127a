"""The layout an official document needs (GB/T 9704-2012), read from a template's styles.

Page size, margins, the 22-line grid, 28 characters a line, the fonts and sizes of the named
styles and the page-number footers. Properties are resolved as Word does (direct → style →
basedOn chain → docDefaults), so a designer may move a property to a base style in Word. A
shortfall is a warning: an office may have reasons, and the document still builds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from lxml import etree

from ..diagnostics import Diagnostic, Severity
from ..record import Record
from .places import W

MM = 1440 / 25.4  # twips in a millimetre
PAGE = (210, 297)
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LANDSCAPE_MARGINS = {"top": 28, "bottom": 26, "left": 35, "right": 37}
"""横排表格: the page turned a quarter clockwise, its head at the 订口 edge; each margin is the
portrait margin of the edge it came from (订口 28 on top, 天头 37 at the right)."""
MARGIN_TOLERANCE, PAGE_TOLERANCE = 1.0, 0.5  # mm
TYPE_AREA_PT = (156 / 25.4 * 72, 225 / 25.4 * 72)
LINES, CHARS = 22, 28

FANGSONG = frozenset({"仿宋", "仿宋_GB2312", "FangSong", "FangSong_GB2312"})
HEITI = frozenset({"黑体", "SimHei"})
KAITI = frozenset({"楷体", "楷体_GB2312", "KaiTi", "KaiTi_GB2312"})
XIAOBIAOSONG = frozenset({"方正小标宋简体", "方正小标宋_GBK", "小标宋", "FZXiaoBiaoSong-B05S"})
SONGTI = frozenset({"宋体", "SimSun"})


class StyleRule(Record):
    """What a named style must resolve to (sizes in half-points, as Word stores them)."""

    chinese: str
    size: int
    fonts: frozenset[str]
    align: str | None = None
    first_line_two_chars: bool = False


STYLE_RULES: Mapping[str, StyleRule] = {
    "Normal": StyleRule("正文", 32, FANGSONG),
    "Body Text": StyleRule("正文文本", 32, FANGSONG, first_line_two_chars=True),
    "Title": StyleRule("标题", 44, XIAOBIAOSONG, align="center"),
    "Heading 1": StyleRule("标题 1（一、）", 32, HEITI, first_line_two_chars=True),
    "Heading 2": StyleRule("标题 2（（一））", 32, KAITI, first_line_two_chars=True),
    "Heading 3": StyleRule("标题 3（1.）", 32, FANGSONG, first_line_two_chars=True),
    "Heading 4": StyleRule("标题 4（（1））", 32, FANGSONG, first_line_two_chars=True),
    "Signature": StyleRule("发文机关署名", 32, FANGSONG, align="right"),
    "Date": StyleRule("成文日期", 32, FANGSONG, align="right"),
}
"""The styles the built-in templates use for GB/T 9704's elements; a template that does not
use a style is not asked about it."""

Warn = Callable[[str, str, str], None]
"""(place, message, hint) → a warning."""

_HINT_PAGE = "请在 Word 的“布局 → 页面设置”中改正（GB/T 9704：A4，上 37 mm、下 35 mm、左 28 mm、右 26 mm）。"
_HINT_LANDSCAPE = ("横排表格页是公文页顺时针转 90°，表头在订口一边：上 28 mm、下 26 mm、左 35 mm、右 37 mm；"
                   "请在 Word 的“布局 → 页面设置”中改正。")
_HINT_GRID = ("请在“页面设置 → 文档网格”中选“只指定行网格”，每页 22 行；"
              "每行 28 字由正文样式的字号（三号）和字符间距（紧缩 0.25 磅）得出。")


class Styles:
    """styles.xml, resolved the way Word resolves a paragraph's properties."""

    def __init__(self, root: etree._Element | None) -> None:
        self.root = root
        styles = [] if root is None else list(root.iter(f"{W}style"))
        self.by_id = {s.get(f"{W}styleId"): s for s in styles}
        self.by_name: dict[str, str] = {}
        for style_id, style in self.by_id.items():
            name = style.find(f"{W}name")
            if name is not None and style_id:
                self.by_name[(name.get(f"{W}val") or "").lower()] = style_id

    def chain(self, style_id: str | None) -> Iterator[etree._Element]:
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None

    def levels(self, container: str, style_id: str | None) -> list[etree._Element]:
        found = [p for s in self.chain(style_id) if (p := s.find(f"{W}{container}")) is not None]
        if self.root is not None:
            default = self.root.find(f"{W}docDefaults/{W}{container}Default/{W}{container}")
            if default is not None:
                found.append(default)
        return found


def attr(levels: list[etree._Element], element: str, attribute: str) -> str | None:
    for level in levels:
        child = level.find(f"{W}{element}")
        if child is not None and child.get(f"{W}{attribute}") is not None:
            return child.get(f"{W}{attribute}")
    return None


def east_asian_font(levels: list[etree._Element]) -> str | None:
    """The East Asian font by name; a theme reference counts as no name (WPS asks for it)."""
    for level in levels:
        fonts = level.find(f"{W}rFonts")
        if fonts is None:
            continue
        if fonts.get(f"{W}eastAsiaTheme") is not None:
            return None
        if fonts.get(f"{W}eastAsia") is not None:
            return fonts.get(f"{W}eastAsia")
    return None


def check_layout(parts: Mapping[str, etree._Element], shown: str) -> list[Diagnostic]:
    """Warnings for each layout property the template does not have."""
    found: list[Diagnostic] = []

    def warn(place: str, message: str, hint: str) -> None:
        found.append(Diagnostic(Severity.WARNING, "template-layout", f"{place}：{message}", file=shown, hint=hint))

    document = parts["word/document.xml"]
    sections = [*document.iter(f"{W}sectPr")]
    for number, section in enumerate(sections, start=1):
        _check_section(section, f"第 {number} 节" if len(sections) > 1 else "页面设置", warn)
    styles = Styles(parts.get("word/styles.xml"))
    used = {s.get(f"{W}val") for s in document.iter(f"{W}pStyle")}
    for name, rule in STYLE_RULES.items():
        style_id = styles.by_name.get(name.lower())
        if style_id is None or (name != "Normal" and style_id not in used):
            continue
        _check_style(styles, style_id, name, rule, warn)
    _check_characters_per_line(styles, used, warn)
    _check_page_numbers(parts, sections, warn)
    return found


def _mm(value: str | None) -> float:
    try:
        return int(value or 0) / MM
    except ValueError:
        return 0.0


def _check_section(section: etree._Element, place: str, warn: Warn) -> None:
    size = section.find(f"{W}pgSz")
    width, height = (_mm(size.get(f"{W}w")), _mm(size.get(f"{W}h"))) if size is not None else (0.0, 0.0)
    landscape = size is not None and size.get(f"{W}orient") == "landscape"
    page = PAGE[::-1] if landscape else PAGE
    if abs(width - page[0]) > PAGE_TOLERANCE or abs(height - page[1]) > PAGE_TOLERANCE:
        shape = "A4 横向（297 mm × 210 mm）" if landscape else "A4 纵向（210 mm × 297 mm）"
        warn(place, f"纸张为 {width:.0f} mm × {height:.0f} mm，公文用 {shape}。", _HINT_PAGE)
    margins = section.find(f"{W}pgMar")
    for side, wanted in (LANDSCAPE_MARGINS if landscape else MARGINS).items():
        actual = _mm(margins.get(f"{W}{side}")) if margins is not None else 0.0
        if abs(abs(actual) - wanted) > MARGIN_TOLERANCE:
            label = {"top": "上", "bottom": "下", "left": "左", "right": "右"}[side]
            warn(place, f"{label}页边距为 {abs(actual):.1f} mm，应为 {wanted} mm（允许 ±1 mm）。",
                 _HINT_LANDSCAPE if landscape else _HINT_PAGE)
    grid = section.find(f"{W}docGrid")
    kind = grid.get(f"{W}type") if grid is not None else None
    pitch = grid.get(f"{W}linePitch") if grid is not None else None
    if kind not in ("lines", "linesAndChars", "snapToChars") or not pitch:
        warn(place, "没有设置文档网格，每页行数由行距决定。", _HINT_GRID)
        return
    lines = int(TYPE_AREA_PT[1] // (int(pitch) / 20)) if pitch.isdigit() and int(pitch) > 0 else 0
    if lines != LINES:
        warn(place, f"文档网格每页 {lines} 行（行距 {int(pitch or 0) / 20:g} 磅），公文一般每页 22 行（28.95 磅）。",
             _HINT_GRID)
    if kind != "lines":
        warn(place, "文档网格同时指定了字符网格：LibreOffice 按字符网格排版时每行只排约一半的字。", _HINT_GRID)


def _check_style(styles: Styles, style_id: str, name: str, rule: StyleRule, warn: Warn) -> None:
    place = f"样式“{rule.chinese}”（{name}）"
    rpr, ppr = styles.levels("rPr", style_id), styles.levels("pPr", style_id)
    size = attr(rpr, "sz", "val")
    if size != str(rule.size):
        shown = f"{int(size) / 2:g} 磅" if size and size.isdigit() else "未设置"
        warn(place, f"字号为 {shown}，应为 {rule.size / 2:g} 磅。", "请在 Word 中右击该样式 →“修改”改正字号。")
    font = east_asian_font(rpr)
    if font not in rule.fonts:
        wanted = "、".join(sorted(rule.fonts, key=lambda f: (not '\u4e00' <= f[0] <= '\u9fff', f))[:2])
        warn(place, f"中文字体为“{font or '未指定（使用主题字体）'}”，应为 {wanted}。",
             "请在 Word 中右击该样式 →“修改 → 格式 → 字体”，在“中文字体”中选定。")
    if rule.align is not None:
        align = attr(ppr, "jc", "val") or "left"
        if align not in (rule.align, {"right": "end"}.get(rule.align)):
            warn(place, f"对齐方式为 {align}，应为{'居中' if rule.align == 'center' else '右对齐'}。",
                 "请在该样式的“段落”设置中改正对齐方式。")
    if rule.first_line_two_chars:
        chars = attr(ppr, "ind", "firstLineChars")
        twips = attr(ppr, "ind", "firstLine")
        if not (chars == "200" or (chars in (None, "0") and twips == str(rule.size * 20))):
            warn(place, "首行缩进不是 2 个字符。", "请在该样式的“段落 → 特殊格式”中选“首行缩进 2 字符”。")


def _check_characters_per_line(styles: Styles, used: set[str | None], warn: Warn) -> None:
    """28 三号 characters fill the 156 mm line with the body's character spacing."""
    style_id = styles.by_name.get("body text")
    if style_id is None or style_id not in used:
        return
    rpr = styles.levels("rPr", style_id)
    size = int(attr(rpr, "sz", "val") or 0) / 2
    spacing = int(attr(rpr, "spacing", "val") or 0) / 20
    chars = int(TYPE_AREA_PT[0] // (size + spacing)) if size + spacing > 0 else 0
    if chars != CHARS:
        warn("样式“正文文本”（Body Text）",
             f"{size:g} 磅的字、字距 {spacing:+g} 磅，每行排 {chars} 字，公文一般每行 28 字。",
             "GB/T 9704 版心宽 156 mm：三号字紧缩 0.25 磅时恰好每行 28 字。")


def _check_page_numbers(parts: Mapping[str, etree._Element], sections: list[etree._Element],
                        warn: Warn) -> None:
    """Page numbers “— 1 —” in the odd (default) and even footers, with different odd and even pages."""
    settings = parts.get("word/settings.xml")
    if settings is None or settings.find(f"{W}evenAndOddHeaders") is None:
        warn("页码", "没有设置“奇偶页不同”，单页码居右、双页码居左无法实现。",
             "请在页脚中勾选“奇偶页不同”，单页页码居右空一字，双页页码居左空一字。")
    if not sections:
        return
    rels = _footer_targets(parts)
    for kind, label in (("default", "单页"), ("even", "双页")):
        reference = next((r for s in sections for r in s.iter(f"{W}footerReference")
                          if r.get(f"{W}type", "default") == kind), None)
        target = rels.get(reference.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                          or "") if reference is not None else None
        footer = parts.get(f"word/{target}") if target else None
        if footer is None or not _has_page_field(footer):
            warn("页码", f"{label}页脚中没有页码（PAGE 域）。",
                 "请在页脚中插入页码，写成“— 1 —”（4号宋体，两边各一条一字线）。")


def _footer_targets(parts: Mapping[str, etree._Element]) -> dict[str, str]:
    rels = parts.get("word/_rels/document.xml.rels")
    if rels is None:
        return {}
    return {r.get("Id") or "": r.get("Target") or "" for r in rels
            if (r.get("Type") or "").endswith("/footer")}


def _has_page_field(footer: etree._Element) -> bool:
    codes = [t.text or "" for t in footer.iter(f"{W}instrText")]
    codes += [f.get(f"{W}instr") or "" for f in footer.iter(f"{W}fldSimple")]
    return any(code.split()[:1] == ["PAGE"] for code in codes)
