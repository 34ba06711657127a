"""The year's 工作计划: written from the data's ``plan`` section, on the year's first day unless dated."""

from __future__ import annotations

from ..base import DocumentKind

KIND = DocumentKind("plan", "工作计划", "plan", requires="plan", dated_by_signature=False)
