"""The document kinds, each in its own module; :data:`REGISTRY` is the only list naming them all.

Every list of kinds elsewhere (the command line's choices, a repo config's ``kinds``, the
templates to check, the tests' parameters) is derived from it. A kind's module is imported when
the kind is first used, so ``--help`` loads no document code, and ``validate`` only what names
each kind's documents (see :mod:`.kinds`), none that writes them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from .base import DocumentKind, Planned, planned
    from .rollup import RegionKind

REGISTRY: dict[str, tuple[str, str]] = {
    "plan": ("kinds.plan", "year"),
    "summary": ("kinds.summary", "year"),
    "report": ("kinds.report", "year"),
    "report-duty": ("kinds.report_duty", "year"),
    "ledger": ("kinds.meeting_ledger", "year"),
    "article": ("kinds.article", "year"),
    "branch-plan": ("kinds.branch_plan", "year"),
    "branch-summary": ("kinds.branch_summary", "year"),
    "group-plan": ("kinds.group_plan", "year"),
    "rollup": ("rollup", "region"),
}
"""Kind name → (the module in this package that defines it as ``KIND``, what it is written from).

A year kind's module (in :mod:`.kinds`) says what the kind needs and what its documents are
called; the module that writes their content (its ``writer``) is imported only to build one.

``year``: one organisation's year file (possibly one document a branch or a group: the kind's
``fan_out``); ``region``: a region file and the year files it names (the roll-up).
"""

KIND_NAMES: tuple[str, ...] = tuple(name for name, (_, source) in REGISTRY.items() if source == "year")
"""The kinds written from a year file, in the order they are built and listed."""
REGION_KIND_NAMES: tuple[str, ...] = tuple(name for name, (_, source) in REGISTRY.items() if source == "region")
ALL_KIND_NAMES: tuple[str, ...] = tuple(REGISTRY)
"""Every kind with a template."""

K = TypeVar("K")


class _Kinds(Mapping[str, K], Generic[K]):
    """Name → kind, importing a kind's module on first access."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self._names = names

    def __getitem__(self, name: str) -> K:
        if name not in self._names:
            raise KeyError(name)
        module = importlib.import_module(f"{__name__}.{REGISTRY[name][0]}")
        kind: K = module.KIND
        return kind

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names


KINDS: Mapping[str, DocumentKind] = _Kinds(KIND_NAMES)
REGION_KINDS: Mapping[str, RegionKind] = _Kinds(REGION_KIND_NAMES)
"""Kinds written from a region file (and the year files it names) rather than from one year."""


def __getattr__(name: str) -> Any:
    """``DocumentKind``, ``Planned`` and ``planned`` without importing them for every caller of the names."""
    if name in ("DocumentKind", "Planned", "planned"):
        from . import base

        return getattr(base, name)
    raise AttributeError(name)


__all__ = ["ALL_KIND_NAMES", "KINDS", "KIND_NAMES", "REGION_KINDS", "REGION_KIND_NAMES", "REGISTRY",
           "DocumentKind", "Planned", "planned"]
