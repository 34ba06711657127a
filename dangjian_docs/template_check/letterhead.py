"""Checking a letterhead (红头) before a build: ``check-template 红头.docx --kind letterhead``.

The package's hardening checks as for any template; the tags of its body and headers against
what every kind provides (``doc``, ``logo``, ``photos``: a letterhead serves every kind);
then the letterhead put on a built-in template as a build puts it, so that what cannot be
carried (a section break, an embedded object) is said now, with the letterhead's name.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path
from ..rendering.template_package import TEMPLATED, parse_xml, read_package
from .contract import kind_contracts
from .places import paragraphs
from .tags import Findings, check_part

LABEL = "红头"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SHARED = ("doc", "logo", "photos")
"""What every kind's context has: all a letterhead may name."""


def check_letterhead(path: Path) -> list[Diagnostic]:
    """Every problem of the letterhead at ``path``, in document order."""
    shown = display_path(path)
    try:
        package = read_package(path, shown)
    except DangjianError as exc:
        return list(exc.diagnostics)
    contract = {name: shape for name, shape in kind_contracts()["report"].items() if name in _SHARED}
    findings = Findings(shown)
    for name in package.order:
        if TEMPLATED.fullmatch(name) and not name.startswith("word/footer"):
            check_part(list(paragraphs(name, parse_xml(name, package.parts[name]))), contract, LABEL, findings)
    body = parse_xml("word/document.xml", package.parts["word/document.xml"]).find(f"{_W}body")
    shown_content = body is not None and any(
        child.tag != f"{_W}sectPr" and (bool(child.findtext(f".//{_W}t")) or any(
            child.find(f".//{_W}{tag}") is not None for tag in ("drawing", "pBdr", "pict")))
        for child in body)
    headers = any(name.startswith("word/header") for name in package.order)
    if not shown_content and not headers:
        findings.items.append(Diagnostic(
            Severity.ERROR, "letterhead-content", "红头模板是空的：正文和页眉中都没有内容。", file=shown,
            hint="请在正文中排好发文机关标志和红色分隔线（可插入标志图片），另存后再检查。"))
    if not any(d.is_error for d in findings.items):
        findings.items += _merged(path)
    return findings.items


def _merged(path: Path) -> list[Diagnostic]:
    """What putting the letterhead on a built-in template refuses (section breaks, objects …)."""
    from ..rendering.engine import prepare
    from ..resources import templates_dir

    try:
        prepare(templates_dir() / "report.docx", path)
    except DangjianError as exc:
        return list(exc.diagnostics)
    return []
