"""The document kinds, each in its own module; this registry is the only place naming them all."""

from __future__ import annotations

from . import plan, report, summary
from .base import DocumentKind

KINDS: dict[str, DocumentKind] = {k.name: k for k in (plan.KIND, summary.KIND, report.KIND)}

__all__ = ["KINDS", "DocumentKind"]
