"""A reusable check that a .docx follows the GB/T 9704-2012 layout the templates set up.

It reads page set-up, named styles and footers, never the body text, so it works the same on a
template and on a document built from one. Style properties are resolved the way Word does
(style → basedOn chain → docDefaults) because a user who restyles a template in Word may move a
property to a base style, and a font named only through a theme does not count as named.

Every problem found is collected, and one AssertionError lists them all, each naming the property.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import docx
from docx.document import Document as DocumentObject
from docx.section import _Footer
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PAGE_MARK = "{PAGE}"
EM_DASH = "\u2014"

MM_PER_TWIP = 25.4 / 1440
PAGE_MM, PAGE_TOLERANCE_MM = (210.0, 297.0), 0.5
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
# 横排表格: the page turned a quarter clockwise, its head at the 订口 (binding) edge, so each margin
# is the portrait margin of the edge it came from; the type area is 225 × 156 mm, turned.
LANDSCAPE_MARGINS_MM = {"top": 28.0, "bottom": 26.0, "left": 35.0, "right": 37.0}
MARGIN_TOLERANCE_MM = 1.0
LINE_PITCH = "579"
ONE_CHAR_14PT = 280  # twips: the page number sits one 4号 character in from the edge
TYPE_AREA_PT = (156 / 25.4 * 72, 225 / 25.4 * 72)
CHARS_PER_LINE, LINES_PER_PAGE = 28, 22
LANDSCAPE_LINES_PER_PAGE = 15  # the same 28.95 pt pitch on the 156 mm height of a turned type area
PAGE_NUMBER_GAP_MM, PAGE_NUMBER_TOLERANCE_MM = 7.0, 0.3  # the page number's line under the type area
# Only headings keep with the next paragraph, and the signature with the date of writing under it:
# a longer chain (附件说明 → signature → date) moves lines to the next page and leaves a gap.
KEEP_WITH_NEXT = {"Heading 1", "Heading 2", "Heading 3", "Heading 4", "Signature"}


@dataclass(frozen=True)
class StyleRule:
    """What one named style must resolve to; None means "not checked"."""

    size_half_points: int
    east_asia: str
    align: str | None = None
    first_line_two_chars: bool = False
    exact_line: str | None = None
    outline_level: str | None = None
    keep_with_next: bool = False


STYLE_RULES: dict[str, StyleRule] = {
    "Normal": StyleRule(32, "仿宋"),
    "Title": StyleRule(44, "方正小标宋简体", align="center"),
    "Heading 1": StyleRule(32, "黑体", first_line_two_chars=True, outline_level="0"),
    "Heading 2": StyleRule(32, "楷体", first_line_two_chars=True, outline_level="1"),
    "Heading 3": StyleRule(32, "仿宋", first_line_two_chars=True, outline_level="2"),
    "Heading 4": StyleRule(32, "仿宋", first_line_two_chars=True, outline_level="3"),
    "Body Text": StyleRule(32, "仿宋", first_line_two_chars=True, exact_line=LINE_PITCH),
    # the issuing body's name and the date of writing sit right, and never on different pages
    "Signature": StyleRule(32, "仿宋", align="right", keep_with_next=True),
    "Date": StyleRule(32, "仿宋", align="right"),
}

LEFT, RIGHT = {"left", "start"}, {"right", "end"}


def w(name: str) -> str:
    """Clark name of a w: element or attribute."""
    return f"{{{W_NS}}}{name}"


@dataclass
class Problems:
    """Collects failures so one run reports every wrong property, not only the first."""

    where: str
    found: list[str] = field(default_factory=list)

    def expect(self, ok: bool, message: str) -> None:
        if not ok:
            self.found.append(message)

    def raise_if_any(self) -> None:
        assert not self.found, f"{self.where} breaks the GB/T 9704 layout:\n  " + "\n  ".join(self.found)


class StyleSheet:
    """Resolves paragraph and run properties through styles.xml as Word does."""

    def __init__(self, doc: DocumentObject) -> None:
        self.root = doc.styles.element
        self.by_id = {s.get(w("styleId")): s for s in self.root.iter(w("style"))}
        self.id_by_name = {
            s.find(w("name")).get(w("val")): sid for sid, s in self.by_id.items() if s.find(w("name")) is not None
        }
        self.default_paragraph = next(
            (
                sid
                for sid, s in self.by_id.items()
                if s.get(w("type")) == "paragraph" and s.get(w("default")) in ("1", "true", "on")
            ),
            None,
        )

    def style_id(self, name: str) -> str | None:
        """Word stores built-in heading names in lower case ("heading 1"); accept either spelling."""
        return self.id_by_name.get(name) or self.id_by_name.get(name.lower())

    def chain(self, style_id: str | None) -> Iterator[etree._Element]:
        """The style and its bases, nearest first (guarding against basedOn loops)."""
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based_on = style.find(w("basedOn"))
            style_id = based_on.get(w("val")) if based_on is not None else None

    def defaults(self, container: str) -> etree._Element | None:
        return self.root.find(f"{w('docDefaults')}/{w(container + 'Default')}/{w(container)}")

    def levels(self, container: str, direct: etree._Element | None, style_id: str | None) -> list[etree._Element]:
        """Property containers (w:pPr or w:rPr) from most to least specific."""
        found = [direct] if direct is not None else []
        found += [p for s in self.chain(style_id) if (p := s.find(w(container))) is not None]
        if (default := self.defaults(container)) is not None:
            found.append(default)
        return found

    @staticmethod
    def attr(levels: list[etree._Element], element: str, attribute: str) -> str | None:
        for level in levels:
            child = level.find(w(element))
            if child is not None and child.get(w(attribute)) is not None:
                return child.get(w(attribute))
        return None

    @staticmethod
    def font(levels: list[etree._Element], slot: str) -> str | None:
        """The font of one w:rFonts slot; a theme reference wins over a name at the same level."""
        for level in levels:
            fonts = level.find(w("rFonts"))
            if fonts is None:
                continue
            if fonts.get(w(slot + "Theme")) is not None:
                return f"theme font {fonts.get(w(slot + 'Theme'))}"
            if fonts.get(w(slot)) is not None:
                return fonts.get(w(slot))
        return None


# ---------------------------------------------------------------- page set-up


def _check_page(doc: DocumentObject, problems: Problems, landscape: bool) -> None:
    page, margins = (PAGE_MM[::-1], LANDSCAPE_MARGINS_MM) if landscape else (PAGE_MM, MARGINS_MM)
    shape = "landscape" if landscape else "portrait"
    for number, section in enumerate(doc.sections, start=1):
        where = f"section {number}"
        width, height = section.page_width.mm, section.page_height.mm
        problems.expect(
            abs(width - page[0]) <= PAGE_TOLERANCE_MM and abs(height - page[1]) <= PAGE_TOLERANCE_MM,
            f"{where}: page is {width:.1f} × {height:.1f} mm, expected A4 {shape} {page[0]:g} × {page[1]:g} mm",
        )
        size = section._sectPr.find(w("pgSz"))
        orient = size.get(w("orient"), "portrait") if size is not None else None
        problems.expect(orient == shape, f"{where}: orientation is {orient}, expected {shape}")
        for side, expected in margins.items():
            actual = getattr(section, f"{side}_margin").mm
            problems.expect(
                abs(actual - expected) <= MARGIN_TOLERANCE_MM,
                f"{where}: {side} margin is {actual:.1f} mm, expected {expected:g} ± {MARGIN_TOLERANCE_MM:g} mm",
            )
        grid = section._sectPr.find(w("docGrid"))
        pitch = grid.get(w("linePitch")) if grid is not None else None
        kind = grid.get(w("type")) if grid is not None else None
        problems.expect(pitch == LINE_PITCH, f"{where}: docGrid linePitch is {pitch}, expected {LINE_PITCH}")
        # LibreOffice sets a linesAndChars grid at half the characters Word does: a line grid only
        problems.expect(kind == "lines", f"{where}: docGrid type is {kind}, expected a line grid ('lines')")
        area = TYPE_AREA_PT[0] if landscape else TYPE_AREA_PT[1]  # the type area's height, turned or not
        lines = int(area // (int(LINE_PITCH) / 20))
        wanted = LANDSCAPE_LINES_PER_PAGE if landscape else LINES_PER_PAGE
        problems.expect(lines == wanted, f"{where}: {lines} lines a page, expected {wanted}")
        footer_line = _footer_line_twips(doc)
        gap = margins["bottom"] - (section.footer_distance.twips + footer_line) * MM_PER_TWIP
        problems.expect(
            abs(gap - PAGE_NUMBER_GAP_MM) <= PAGE_NUMBER_TOLERANCE_MM,
            f"{where}: the page number's line starts {gap:.1f} mm under the type area, expected 7 mm",
        )


def _footer_line_twips(doc: DocumentObject) -> int:
    """The exact line height of the page-number styles (a footer that grows would move the number)."""
    sheet = StyleSheet(doc)
    levels = sheet.levels("pPr", None, sheet.style_id("Footer Odd"))
    rule = StyleSheet.attr(levels, "spacing", "lineRule")
    assert rule == "exact", f"the page number's line spacing is {rule}, expected exact"
    return int(StyleSheet.attr(levels, "spacing", "line") or 0)


def _check_characters_per_line(sheet: StyleSheet, problems: Problems) -> None:
    """28 三号 characters fit the type area's width with Normal's character spacing, and 29 do not."""
    levels = sheet.levels("rPr", None, sheet.style_id("Body Text"))
    spacing = int(StyleSheet.attr(levels, "spacing", "val") or 0) / 20
    size = int(StyleSheet.attr(levels, "sz", "val") or 0) / 2
    chars = int(TYPE_AREA_PT[0] // (size + spacing)) if size + spacing > 0 else 0
    problems.expect(chars == CHARS_PER_LINE,
                    f"Body Text: {size:g} pt characters {spacing:+g} pt apart set {chars} a line, expected 28")


def _check_keep_with_next(sheet: StyleSheet, problems: Problems) -> None:
    for style_id, style in sheet.by_id.items():
        if style.get(w("type")) != "paragraph":
            continue
        name = style.find(w("name")).get(w("val"))
        keep = StyleSheet.attr(sheet.levels("pPr", None, style_id), "keepNext", "val")
        kept = (keep is not None and keep not in ("0", "false")) or _has_bare(sheet, style_id, "keepNext")
        heading = name.lower().startswith(("heading", "toc heading"))
        if name.title() in KEEP_WITH_NEXT or name in KEEP_WITH_NEXT:
            problems.expect(kept, f"style {name!r}: not kept with the next paragraph")
        elif not heading:
            problems.expect(not kept, f"style {name!r}: kept with the next paragraph; only headings may be")


def _has_bare(sheet: StyleSheet, style_id: str, element: str) -> bool:
    """An on/off property written without w:val (meaning on) somewhere in the style chain."""
    for level in sheet.levels("pPr", None, style_id):
        found = level.find(w(element))
        if found is not None:
            return found.get(w("val")) is None or found.get(w("val")) not in ("0", "false")
    return False


# ---------------------------------------------------------------- styles


def _first_line_is_two_chars(levels: list[etree._Element], size_half_points: int) -> tuple[bool, str]:
    """Two characters either as w:firstLineChars="200" or, failing that, in twips for the font size."""
    chars = StyleSheet.attr(levels, "ind", "firstLineChars")
    if chars is not None and chars != "0":
        return chars == "200", f"firstLineChars={chars}"
    twips = StyleSheet.attr(levels, "ind", "firstLine")
    return twips == str(size_half_points * 20), f"firstLine={twips} twips"


def _check_style(sheet: StyleSheet, name: str, rule: StyleRule, problems: Problems) -> None:
    style_id = sheet.style_id(name)
    if style_id is None:
        problems.expect(False, f"style {name!r} is missing")
        return
    rpr, ppr = sheet.levels("rPr", None, style_id), sheet.levels("pPr", None, style_id)
    where = f"style {name!r}"
    size = StyleSheet.attr(rpr, "sz", "val")
    problems.expect(
        size == str(rule.size_half_points),
        f"{where}: font size is {_pt(size)}, expected {rule.size_half_points / 2:g} pt",
    )
    east_asia = StyleSheet.font(rpr, "eastAsia")
    problems.expect(
        east_asia == rule.east_asia, f"{where}: East Asian font is {east_asia!r}, expected {rule.east_asia!r}"
    )
    if rule.align is not None:
        align = StyleSheet.attr(ppr, "jc", "val") or "left"
        problems.expect(align == rule.align, f"{where}: alignment is {align!r}, expected {rule.align!r}")
    if rule.first_line_two_chars:
        ok, found = _first_line_is_two_chars(ppr, rule.size_half_points)
        problems.expect(ok, f"{where}: first-line indent is {found}, expected two characters")
    if rule.exact_line is not None:
        line, line_rule = StyleSheet.attr(ppr, "spacing", "line"), StyleSheet.attr(ppr, "spacing", "lineRule")
        problems.expect(
            line == rule.exact_line and line_rule == "exact",
            f"{where}: line spacing is {line} ({line_rule}), expected exactly {rule.exact_line} twips",
        )
    if rule.keep_with_next:
        keep = next((level.find(w("keepNext")) for level in ppr if level.find(w("keepNext")) is not None), None)
        problems.expect(keep is not None and keep.get(w("val"), "1") not in ("0", "false"),
                        f"{where}: not kept with the next paragraph")
    if rule.outline_level is not None:
        level = StyleSheet.attr(ppr, "outlineLvl", "val")
        problems.expect(
            level == rule.outline_level, f"{where}: outline level is {level}, expected {rule.outline_level}"
        )


def _pt(half_points: str | None) -> str:
    return "unset" if half_points is None else f"{int(half_points) / 2:g} pt"


# ---------------------------------------------------------------- page numbers


@dataclass
class _FieldText:
    """A paragraph's visible text with each PAGE field as {PAGE}, and the runs that show text."""

    text: str = ""
    shown_runs: list[etree._Element] = field(default_factory=list)


def _field_text(paragraph: etree._Element) -> _FieldText:
    """Walk w:fldChar begin/separate/end (and w:fldSimple) so only the field's place shows, not its cache."""
    out = _FieldText()
    stack: list[dict[str, object]] = []  # one entry per open complex field
    for element in paragraph.iter(w("fldSimple"), w("fldChar"), w("instrText"), w("t")):
        if element.tag == w("fldSimple"):
            instr = element.get(w("instr"), "")
            out.text += PAGE_MARK if instr.split()[:1] == ["PAGE"] else ""
        elif element.tag == w("fldChar"):
            kind = element.get(w("fldCharType"))
            if kind == "begin":
                stack.append({"instr": "", "result": False})
            elif kind == "separate" and stack:
                stack[-1]["result"] = True
            elif kind == "end" and stack:
                instr = str(stack.pop()["instr"])
                if instr.split()[:1] == ["PAGE"] and not stack:
                    out.text += PAGE_MARK
        elif element.tag == w("instrText") and stack:
            stack[-1]["instr"] = str(stack[-1]["instr"]) + (element.text or "")
        elif element.tag == w("t"):
            out.shown_runs.append(element.getparent())
            if not stack and not _inside_fldsimple(element, paragraph):
                out.text += element.text or ""
    return out


def _inside_fldsimple(element: etree._Element, stop: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == w("fldSimple"):
            return True
        parent = parent.getparent()
    return False


def _page_number_paragraph(footer: _Footer) -> tuple[etree._Element, _FieldText] | None:
    for paragraph in footer.paragraphs:
        found = _field_text(paragraph._p)
        if PAGE_MARK in found.text:
            return paragraph._p, found
    return None


def _paragraph_style_id(sheet: StyleSheet, paragraph: etree._Element) -> str | None:
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val")) if style is not None else sheet.default_paragraph


def _check_page_number(sheet: StyleSheet, footer: _Footer, where: str, odd: bool, problems: Problems) -> None:
    found = _page_number_paragraph(footer)
    if found is None:
        problems.expect(False, f"{where}: no paragraph with a PAGE field")
        return
    paragraph, field_text = found
    expected = f"{EM_DASH} {PAGE_MARK} {EM_DASH}"
    problems.expect(
        field_text.text.strip() == expected,
        f"{where}: page number reads {field_text.text.strip()!r}, expected {expected!r}",
    )
    style_id = _paragraph_style_id(sheet, paragraph)
    ppr = sheet.levels("pPr", paragraph.find(w("pPr")), style_id)
    align = StyleSheet.attr(ppr, "jc", "val") or "left"
    side, allowed = ("right", RIGHT) if odd else ("left", LEFT)
    problems.expect(align in allowed, f"{where}: page number is aligned {align!r}, expected {side}")
    indent = StyleSheet.attr(ppr, "ind", side) or StyleSheet.attr(ppr, "ind", "end" if odd else "start") or "0"
    indent_chars = StyleSheet.attr(ppr, "ind", f"{side}Chars")
    problems.expect(
        indent_chars == "100" or abs(int(indent) - ONE_CHAR_14PT) <= 20,
        f"{where}: {side} indent is {indent} twips, expected one character ({ONE_CHAR_14PT})",
    )
    for run in field_text.shown_runs:
        _check_page_number_run(sheet, run, style_id, where, problems)


def _check_page_number_run(
    sheet: StyleSheet, run: etree._Element, style_id: str | None, where: str, problems: Problems
) -> None:
    levels = sheet.levels("rPr", run.find(w("rPr")), style_id)
    char_style = run.find(f"{w('rPr')}/{w('rStyle')}")
    if char_style is not None:  # a character style sits between direct formatting and the paragraph style
        levels[1:1] = [p for s in sheet.chain(char_style.get(w("val"))) if (p := s.find(w("rPr"))) is not None]
    text = "".join(t.text or "" for t in run.iter(w("t")))
    size = StyleSheet.attr(levels, "sz", "val")
    problems.expect(size == "28", f"{where}: page-number text {text!r} is {_pt(size)}, expected 14 pt (4号)")
    for slot in ("eastAsia", "ascii"):
        font = StyleSheet.font(levels, slot)
        problems.expect(font == "宋体", f"{where}: page-number text {text!r} {slot} font is {font!r}, expected '宋体'")


def _check_footers(doc: DocumentObject, sheet: StyleSheet, problems: Problems) -> None:
    problems.expect(
        doc.settings.odd_and_even_pages_header_footer,
        "settings: w:evenAndOddHeaders is off, so odd and even page numbers cannot differ",
    )
    for number, section in enumerate(doc.sections, start=1):
        for footer, odd, label in ((section.footer, True, "odd"), (section.even_page_footer, False, "even")):
            where = f"section {number} {label}-page footer"
            if number == 1 and footer.is_linked_to_previous:
                problems.expect(False, f"{where}: not defined")
                continue
            _check_page_number(sheet, footer, where, odd, problems)


# ---------------------------------------------------------------- entry point


def check_gbt9704_layout(path: str | os.PathLike[str], landscape: bool = False) -> None:
    """Assert that the .docx at ``path`` has the GB/T 9704-2012 page, styles and page numbers;
    ``landscape``: on A4 turned as the standard sets wide tables (横排表格), margins turned with it."""
    doc = docx.Document(os.fspath(path))
    problems = Problems(os.path.basename(os.fspath(path)))
    sheet = StyleSheet(doc)
    _check_page(doc, problems, landscape)
    for name, rule in STYLE_RULES.items():
        _check_style(sheet, name, rule, problems)
    _check_characters_per_line(sheet, problems)
    _check_keep_with_next(sheet, problems)
    _check_footers(doc, sheet, problems)
    problems.raise_if_any()


__all__ = ["check_gbt9704_layout", "w"]
