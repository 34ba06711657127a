"""The Jinja tags of a template, checked paragraph by paragraph, without data.

docxtpl joins a tag that Word split across runs *within* a paragraph; it cannot join one that
runs over two paragraphs or cells. Its ``{%p %}``, ``{%tr %}`` and ``{%tc %}`` tags remove the
paragraph, row or cell they sit in, so a block opened at one level and closed at another, or
one that can leave a table cell without a paragraph, writes a file Word calls damaged. Each
finding names the paragraph (or table, row and column) where a clerk finds it in Word.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import jinja2
from jinja2 import nodes

from ..diagnostics import Diagnostic, Severity
from ..record import Record
from ..rendering.sandbox import make_environment
from ..validation.suggest import closest
from .contract import ANY, Shape
from .places import Paragraph, W

_OPENERS = (("{{", "}}"), ("{%", "%}"), ("{#", "#}"))
_OPENING = re.compile(r"\{[{%#]")
_FORM = re.compile(r"^\{([{%])(-?)\s*(p|tr|tc|r)\s")
"""docxtpl's forms: ``{%p …%}`` a paragraph, ``{%tr`` a row, ``{%tc`` a cell, ``{%r`` a run."""
_DOCXTPL_ONLY = re.compile(r"^\{%-?\s*(colspan|cellbg|vm|hm)\b")
_CURLY_QUOTES = "“”‘’"
_BLOCKS = {"for": "endfor", "if": "endif", "macro": "endmacro", "call": "endcall", "filter": "endfilter",
           "with": "endwith", "raw": "endraw", "autoescape": "endautoescape"}
_MIDDLES = {"else": ("for", "if"), "elif": ("if",)}
_FORM_NAMES = {"p": "{%p %}", "tr": "{%tr %}", "tc": "{%tc %}", "r": "{%r %}", "": "{% %}"}
_ENV = make_environment()
_HINT_SYNTAX = ("检查 {{ }} 与 {% %} 是否成对、{%p for %} 是否有对应的 {%p endfor %}、"
                "{%p if %} 是否有 {%p endif %}。")


class Tag(Record):
    text: str
    form: str  # "p", "tr", "tc", "r" or "" (plain)
    paragraph: Paragraph

    @property
    def body(self) -> str:
        """The tag as Jinja sees it once docxtpl has taken its form letter off."""
        return _FORM.sub(lambda m: "{" + m.group(1) + m.group(2) + " ", self.text, count=1)

    @property
    def keyword(self) -> str:
        inner = self.body[2:-2].strip().lstrip("-+").strip()
        return inner.split(None, 1)[0] if inner and self.text.startswith("{%") else ""


@dataclass
class Findings:
    """Diagnostics of one template, in document order."""

    shown: str
    items: list[Diagnostic] = field(default_factory=list)
    said: set[tuple[str, str, str]] = field(default_factory=set)

    def add_error(self, code: str, where: Paragraph, message: str, hint: str) -> None:
        """One error at ``where``; the same message at the same place is said once."""
        key = (code, where.place, message)
        if key in self.said:
            return
        self.said.add(key)
        self.items.append(Diagnostic(Severity.ERROR, code, f"{where.described()}：{message}", file=self.shown,
                                     hint=hint))


def check_part(paragraphs: Sequence[Paragraph], context: dict[str, Shape], kind_label: str,
               findings: Findings) -> None:
    """Every check of this module on one templated part (document, header or footer)."""
    before = len(findings.items)
    tags = _split_tags(paragraphs, findings)
    for tag in tags:
        _check_one(tag, findings)
    _check_blocks(tags, findings)
    _check_cells(paragraphs, tags, findings)
    if len(findings.items) == before:  # a part whose tags all parse: its names, then Jinja's own verdict
        _check_names(paragraphs, context, kind_label, findings)


# -- tags within paragraphs -----------------------------------------------------------------
def _split_tags(paragraphs: Sequence[Paragraph], findings: Findings) -> list[Tag]:
    """The tags of each paragraph; a tag left open at a paragraph's end is split beyond repair."""
    tags = []
    for paragraph in paragraphs:
        text = paragraph.text
        if not any(o in text or c in text for o, c in _OPENERS):
            continue
        found, rest = scan(text)
        for tag_text in found:
            form = _FORM.match(tag_text)
            tags.append(Tag(tag_text, form.group(3) if form else "", paragraph))
        for opening, closing in _OPENERS:
            if opening in rest or closing in rest:
                shown = opening if opening in rest else closing
                findings.add_error(
                    "template-split-tag", paragraph,
                    f"“{shown}”在这一段中没有与之成对的“{closing if shown == opening else opening}”，"
                    "标签被分到了两个段落（或单元格）中，无法修复。",
                    "一个标签必须完整地写在同一段内：请在 Word 中删去这个标签的两半，"
                    "在一段中重新输入完整的标签（最好先在记事本中写好再粘贴）。")
                break
    return tags


def scan(text: str) -> tuple[list[str], str]:
    """The whole tags of one paragraph's text, and the text outside them (an unclosed tag's rest).

    Linear in the text: each tag's closer is looked for once from where the tag opens, and an
    opener with no closer ends the scan (a regular expression would rescan the rest per opener).
    """
    tags: list[str] = []
    outside: list[str] = []
    position = 0
    while True:
        match = _OPENING.search(text, position)
        if match is None:
            outside.append(text[position:])
            return tags, "".join(outside)
        outside.append(text[position:match.start()])
        closer = {"{{": "}}", "{%": "%}", "{#": "#}"}[match.group()]
        end = text.find(closer, match.end())
        if end < 0:
            outside.append(text[match.start():])
            return tags, "".join(outside)
        tags.append(text[match.start():end + 2])
        position = end + 2


def _check_one(tag: Tag, findings: Findings) -> None:
    """One tag alone: quotes Word made curly, docxtpl forms in the wrong place, its syntax."""
    where = tag.paragraph
    if any(q in tag.text for q in _CURLY_QUOTES):
        findings.add_error("template-syntax", where, f"标签“{tag.text}”中有中文引号（“”或‘’），模板无法识别。",
                       "Word 的“自动更正”把英文引号换成了中文引号：请把标签中的引号改为英文半角的 \" 或 '，"
                       "并在“自动更正选项”中关闭“直引号替换为弯引号”。")
        return
    if tag.form in ("tr", "tc") and where.cell is None:
        findings.add_error("template-block-misuse", where, f"“{tag.text}”不在表格中。",
                       f"{_FORM_NAMES[tag.form]} 标签只能写在表格的单元格里；在正文中请用 {{%p %}}。")
    elif tag.form == "p" and where.text.strip() != tag.text:
        findings.add_error("template-block-misuse", where,
                       f"“{tag.text}”所在的段落还有别的文字，生成时整段（连同这些文字）都会被删除。",
                       "{%p %} 标签必须单独占一段：请把其他文字移到另一段。")
    elif tag.form == "tr" and where.cell is not None:
        row = where.cell.getparent()
        row_text = "".join(t.text or "" for t in row.iter(f"{W}t")).strip()
        if row_text != tag.text:
            findings.add_error("template-block-misuse", where,
                           f"“{tag.text}”所在的表格行还有别的文字，生成时整行（连同这些文字）都会被删除。",
                           "{%tr %} 标签必须单独占表格的一行：请把同一行其他单元格中的文字移到别的行。")
    if _DOCXTPL_ONLY.match(tag.text):
        return
    _check_syntax(tag, findings)


def _check_syntax(tag: Tag, findings: Findings) -> None:
    """The tag parsed alone; a block opener is closed with its end tag so that it can parse."""
    body = tag.body
    keyword = tag.keyword
    if keyword.startswith("end") or keyword == "else" or tag.text.startswith("{#"):
        return
    if keyword == "elif":
        source = "{% if true %}" + body + "{% endif %}"
    elif keyword in _BLOCKS:
        source = body + "{% " + _BLOCKS[keyword] + " %}"
    elif keyword == "set" and "=" not in body:
        source = body + "{% endset %}"
    else:
        source = body
    try:
        _ENV.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        findings.add_error("template-syntax", tag.paragraph, f"标签“{_short(tag.text)}”写法有误（{exc.message}）。",
                           _HINT_SYNTAX)
    except RecursionError:
        findings.add_error("template-too-deep", tag.paragraph, f"标签“{_short(tag.text)}”中的表达式嵌套过深。",
                           "请简化这个标签中的括号和运算。")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# -- blocks over paragraphs, rows and cells ----------------------------------------------------
class _Open(Record):
    tag: Tag
    keyword: str
    container: object


def _container(tag: Tag) -> tuple[str, object]:
    """What a block of this form must open and close within, and how to say it."""
    element = tag.paragraph.element
    if tag.form == "p":
        return "同一层（正文或同一个单元格）", element.getparent()
    if tag.form == "tr":
        row = tag.paragraph.cell.getparent() if tag.paragraph.cell is not None else None
        return "同一个表格", row.getparent() if row is not None else None
    if tag.form == "tc":
        return "同一行", tag.paragraph.cell.getparent() if tag.paragraph.cell is not None else None
    return "同一段", element


def _check_blocks(tags: Iterable[Tag], findings: Findings) -> None:
    """Every block closed by an end tag of the same form, in the same container.

    An end tag that closes a block further down the stack closes the ones above it too, each
    reported as left open where it opens; an end or middle tag with no block to belong to is
    reported where it stands.
    """
    stack: list[_Open] = []
    for tag in tags:
        keyword = tag.keyword
        if keyword in _BLOCKS:
            stack.append(_Open(tag, keyword, _container(tag)[1]))
            continue
        if keyword not in _MIDDLES and not keyword.startswith("end"):
            continue
        wanted = _MIDDLES.get(keyword) or (keyword[3:],)
        if keyword.startswith("end"):
            if not any(o.keyword == wanted[0] for o in stack):
                _stray(tag, wanted[0], findings)
                continue
            while stack[-1].keyword != wanted[0]:
                _left_open(stack.pop(), findings)
        elif not stack or stack[-1].keyword not in wanted:
            _stray(tag, wanted[0], findings)
            continue
        opener = stack[-1]
        scope, container = _container(tag)
        if tag.form != opener.tag.form or container is not opener.container:
            findings.add_error(
                "template-block-misuse", tag.paragraph,
                f"“{tag.text}”与{opener.tag.paragraph.described()}的“{opener.tag.text}”不配套："
                f"{_FORM_NAMES[opener.tag.form]} 开始的块要用 {_FORM_NAMES[opener.tag.form]} "
                f"结束，并在{scope}内结束，否则生成的文件 Word 会报告已损坏。",
                f"把这个标签改成 {_FORM_NAMES[opener.tag.form].replace(' %}', ' ' + keyword + ' %}')}，"
                "并放在与开始标签同一层。")
        if keyword.startswith("end"):
            stack.pop()
    for opener in stack:
        _left_open(opener, findings)


def _stray(tag: Tag, wanted: str, findings: Findings) -> None:
    findings.add_error("template-syntax", tag.paragraph, f"“{tag.text}”前面没有与之对应的 {{% {wanted} %}}。",
                       _HINT_SYNTAX)


def _left_open(opener: _Open, findings: Findings) -> None:
    findings.add_error("template-syntax", opener.tag.paragraph,
                       f"“{_short(opener.tag.text)}”没有对应的 {{% {_BLOCKS[opener.keyword]} %}}。", _HINT_SYNTAX)


def _check_cells(paragraphs: Sequence[Paragraph], tags: Sequence[Tag], findings: Findings) -> None:
    """A cell whose every paragraph sits in a {%p %} block may end up with none: Word refuses that."""
    p_tags = {id(t.paragraph.element) for t in tags if t.form == "p"}
    depth: dict[int, int] = {}
    kept: dict[int, bool] = {}
    first: dict[int, Paragraph] = {}
    for paragraph in paragraphs:
        if paragraph.cell is None:
            continue
        key = id(paragraph.cell)
        first.setdefault(key, paragraph)
        if id(paragraph.element) in p_tags:
            keyword = next((t.keyword for t in tags if t.paragraph is paragraph), "")
            if keyword in _BLOCKS:
                depth[key] = depth.get(key, 0) + 1
            elif keyword.startswith("end"):
                depth[key] = max(depth.get(key, 0) - 1, 0)
            continue
        if depth.get(key, 0) == 0:
            kept[key] = True
    for key, paragraph in first.items():
        if not kept.get(key) and any(t.paragraph.cell is paragraph.cell and t.form == "p" for t in tags):
            findings.add_error("template-block-misuse", paragraph,
                           "这个单元格的每一段都在 {%p %} 标签之内，条件不成立时单元格中一段也不剩，"
                           "Word 会报告文件已损坏。",
                           "在单元格中 {%p %} 块之外留一个段落（可以是空段落），或改用 {%tr %} 删除整行。")


# -- names the kind provides ----------------------------------------------------------------------
def _source(paragraphs: Sequence[Paragraph]) -> str:
    """The part's tags as one Jinja source, paragraph n on line n (docxtpl forms taken off)."""
    lines = []
    for paragraph in paragraphs:
        kept = []
        for text in scan(paragraph.text)[0]:
            tag = Tag(text, "", paragraph)
            if not _DOCXTPL_ONLY.match(tag.text):
                kept.append(tag.body)
        lines.append(" ".join(kept).replace("\n", " "))
    return "\n".join(lines)


def _check_names(paragraphs: Sequence[Paragraph], context: dict[str, Shape], kind_label: str,
                 findings: Findings) -> None:
    source = _source(paragraphs)
    try:
        tree = _ENV.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        line = exc.lineno if exc.lineno and 0 < exc.lineno <= len(paragraphs) else 1
        findings.add_error("template-syntax", paragraphs[line - 1], f"模板标签写法有误（{exc.message}）。",
                           _HINT_SYNTAX)
        return
    _Names(_ENV, context, kind_label, paragraphs, findings).visit_all(tree.body, dict(context))


class _Names:
    """Walks the template's syntax tree with the names in scope, reporting what the kind lacks."""

    def __init__(self, env: jinja2.Environment, context: dict[str, Shape], kind_label: str,
                 paragraphs: Sequence[Paragraph], findings: Findings) -> None:
        self.globals = set(env.globals)
        self.context = context
        self.kind_label = kind_label
        self.paragraphs = paragraphs
        self.findings = findings
        self.seen: set[tuple[int, str]] = set()

    def visit_all(self, body: Iterable[nodes.Node], scope: dict[str, Shape]) -> None:
        for node in body:
            self.visit(node, scope)

    def visit(self, node: nodes.Node, scope: dict[str, Shape]) -> None:
        if isinstance(node, nodes.For):
            item = self.shape(node.iter, scope)
            inner = dict(scope)
            self.bind(node.target, item.item if item.kind == "sequence" and item.item else ANY, inner)
            inner["loop"] = ANY
            if node.test is not None:
                self.shape(node.test, inner)
            self.visit_all(node.body, inner)
            self.visit_all(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            shape = self.shape(node.node, scope)
            self.bind(node.target, shape, scope)
        elif isinstance(node, nodes.AssignBlock):
            self.visit_all(node.body, scope)
            self.bind(node.target, ANY, scope)
        elif isinstance(node, nodes.Macro):
            scope[node.name] = ANY
            inner = dict(scope, caller=ANY, varargs=ANY, kwargs=ANY)
            for argument in node.args:
                inner[argument.name] = ANY
            for default in node.defaults:
                self.shape(default, scope)
            self.visit_all(node.body, inner)
        elif isinstance(node, nodes.CallBlock):
            self.shape(node.call, scope)
            inner = dict(scope)
            for argument in node.args:
                inner[argument.name] = ANY
            self.visit_all(node.body, inner)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                self.bind(target, self.shape(value, scope), inner)
            self.visit_all(node.body, inner)
        elif isinstance(node, nodes.Expr):
            self.shape(node, scope)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.shape(child, scope)
                else:
                    self.visit(child, scope)

    @staticmethod
    def bind(target: nodes.Node, shape: Shape, scope: dict[str, Shape]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = shape
        else:
            for name in target.find_all(nodes.Name):
                scope[name.name] = ANY

    def shape(self, node: nodes.Node, scope: dict[str, Shape]) -> Shape:
        """The shape of an expression, reporting each unknown name or field on the way."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name not in self.globals:
                self.unknown(node, node.name, [*scope, *self.globals])
            return ANY
        if isinstance(node, nodes.Getattr):
            return self.field(node, self.shape(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.shape(node.node, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self.field(node, base, node.arg.value)
            self.shape(node.arg, scope)
            return base.item if base.kind == "sequence" and base.item else ANY
        for child in node.iter_child_nodes():
            self.shape(child, scope) if isinstance(child, nodes.Expr) else self.visit(child, scope)
        return ANY

    def field(self, node: nodes.Node, base: Shape, name: str) -> Shape:
        found = base.attribute(name)
        if found is not None:
            return found
        self.unknown(node, _dotted(node), [f"{_dotted(node).rsplit('.', 1)[0]}.{n}" for n in base.names()])
        return ANY

    def unknown(self, node: nodes.Node, name: str, candidates: list[str]) -> None:
        line = node.lineno if 0 < node.lineno <= len(self.paragraphs) else 1
        if (line, name) in self.seen:
            return
        self.seen.add((line, name))
        suggestion = _suggest(name, candidates)
        hint = f"是不是想写“{suggestion}”？" if suggestion else ""
        if "." not in name:  # a whole name missing: perhaps a template of another kind
            hint += f"如果这是另一种文稿的模板，请确认它用于{self.kind_label}。"
        self.findings.add_error(
            "template-unknown-name", self.paragraphs[line - 1],
            f"模板引用了“{name}”，{self.kind_label}的数据中没有这一项，生成时会出错。",
            hint + "可用的数据项见 docs/api.md 的“模板变量”。")


def _suggest(name: str, candidates: list[str]) -> str | None:
    """A near-misspelling of the last part first (``doc.titel`` → ``doc.title``, not ``doc.title_lines``,
    which it abbreviates), then the general "did you mean" of the data checks."""
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.8)
    return close[0] if close else closest(name, candidates)


def _dotted(node: nodes.Node) -> str:
    """``doc.head.mark`` for the expression ``doc.head.mark`` (``…`` for parts that are not names)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_dotted(node.node)}.{node.arg.value}"
    return "…"

