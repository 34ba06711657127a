"""Checking a .docx template without data: ``dangjian-docs check-template FILE --kind K``.

In order: the package's hardening checks (:mod:`..rendering.template_package`: zip bombs,
external references, macros, broken XML), then each templated part's tags paragraph by
paragraph (:mod:`.tags`: syntax, tags split beyond repair, ``{%p %}``/``{%tr %}`` misuse,
names the kind does not provide), then the template as the build prepares it (docxtpl's
clean-up and the sandbox's limits, :mod:`..rendering.engine`), and last the layout an official
document needs (:mod:`.layout`, warnings). Errors stop a build; warnings do not.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path
from ..rendering import limits
from ..rendering.template_package import TEMPLATED, parse_xml, read_package
from .contract import kind_contracts, kind_names
from .layout import check_layout
from .places import paragraphs
from .tags import Findings, check_part

__all__ = ["LETTERHEAD", "check_template", "check_template_cached", "kind_names"]

LETTERHEAD = "letterhead"
"""``--kind letterhead``: the file is an office's 红头, put on the first page of every kind."""

_LAYOUT_PARTS = ("word/document.xml", "word/styles.xml", "word/settings.xml", "word/_rels/document.xml.rels")


def check_template(path: str | Path, kind: str) -> list[Diagnostic]:
    """Every problem of the template at ``path`` for ``kind``, in document order."""
    path = Path(path)
    if kind == LETTERHEAD:
        from .letterhead import check_letterhead

        return check_letterhead(path)
    shown = display_path(path)
    try:
        package = read_package(path, shown)
    except DangjianError as exc:
        return list(exc.diagnostics)
    contracts = kind_contracts()
    label = _label(kind)
    findings = Findings(shown)
    roots = {}
    for name in package.order:
        if TEMPLATED.fullmatch(name) or name in _LAYOUT_PARTS or name.startswith("word/footer"):
            roots[name] = parse_xml(name, package.parts[name])  # checked by read_package: parses
    templated = [name for name in package.order if TEMPLATED.fullmatch(name)]
    if _too_many_tags(package.parts[name] for name in templated):
        return _prepared(path)  # refused there as template-too-large, before any tag is looked at
    try:
        for name in templated:
            check_part(list(paragraphs(name, roots[name])), contracts[kind], label, findings)
    except RecursionError:  # a syntax tree too deep to walk: the build's own compile says why
        findings.items = _prepared(path) or findings.items
    if not any(d.is_error for d in findings.items):
        findings.items += _prepared(path)
    return findings.items + check_layout(roots, shown)


def _too_many_tags(parts: Iterable[bytes]) -> bool:
    """More tags or templated bytes than a build would prepare (:mod:`..rendering.limits`)."""
    tags = size = 0
    for data in parts:
        found = data.count(b"{{") + data.count(b"{%") + data.count(b"{#")
        if found:  # as the build counts: only parts that hold a tag
            tags, size = tags + found, size + len(data)
    return tags > limits.MAX_TAGS or size > limits.MAX_TEMPLATED_BYTES


def _prepared(path: Path) -> list[Diagnostic]:
    """What the build's own preparation refuses (docxtpl's clean-up, compile-time limits)."""
    from ..rendering.engine import prepare

    try:
        prepare(path)  # cached: the build that follows reuses it
    except DangjianError as exc:
        return list(exc.diagnostics)
    return []


def _label(kind: str) -> str:
    from ..documents import KINDS, REGION_KINDS

    spec = KINDS.get(kind) or REGION_KINDS.get(kind)
    return spec.label if spec is not None else kind


@functools.lru_cache(maxsize=32)
def _cached(path: Path, kind: str, mtime_ns: int, size: int) -> tuple[Diagnostic, ...]:
    return tuple(check_template(path, kind))


def check_template_cached(path: str | Path, kind: str) -> list[Diagnostic]:
    """:func:`check_template`, once per file version and kind in a process (a batch checks it once)."""
    path = Path(path)
    try:
        status = path.stat()
    except OSError:
        return []  # the build's own reading reports a missing file
    return list(_cached(path.resolve(), kind, status.st_mtime_ns, status.st_size))


def refuse_if_broken(path: str | Path, kind: str) -> None:
    """Before a build with an own template: stop with every error :func:`check_template` finds."""
    errors = [d for d in check_template_cached(path, kind) if d.severity is Severity.ERROR]
    if errors:
        raise DangjianError(errors)
