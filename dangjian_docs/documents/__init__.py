"""The document kinds, each in its own module; this registry is the only place naming them all."""

from __future__ import annotations

from . import article, plan, report, rollup, summary
from .base import DocumentKind

KINDS: dict[str, DocumentKind] = {k.name: k for k in (plan.KIND, summary.KIND, report.KIND, article.KIND)}
REGION_KINDS: dict[str, rollup.RegionKind] = {rollup.KIND.name: rollup.KIND}
"""Kinds written from a region file (and the year files it names) rather than from one year."""

__all__ = ["KINDS", "REGION_KINDS", "DocumentKind"]
