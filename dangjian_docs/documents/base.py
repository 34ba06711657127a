"""What every document kind shares: its settings, title, signature and date of writing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.writing import format_date, full_width, paragraphs
from ..model import DocumentSettings, YearData


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: which template, what it is called, how its context is built.

    Adding a kind is adding a module that defines one of these; no other kind changes.
    """

    name: str
    """``plan``, ``summary``, ``report``: the ``--kind`` value and the template's file stem."""
    label: str
    """工作计划: used in messages and the default title."""
    build_context: Callable[[YearData], Mapping[str, Any]]
    requires: str | None = None
    """A top-level data section without which the kind cannot be written (e.g. ``plan``)."""
    default_title: Callable[[YearData], str] | None = None
    """The title when the data gives none; ``None`` means ``2025年…党建{label}``."""

    def title(self, year: YearData) -> str:
        """The document's title, which also names its file; cheap, unlike the whole context."""
        fallback = self.default_title(year) if self.default_title else standard_title(year, self.label)
        return full_width(settings(year, self.name).title or fallback)

    @property
    def template_name(self) -> str:
        return f"{self.name}.docx"

    def can_build(self, year: YearData) -> bool:
        """Whether ``year`` has the section this kind cannot do without."""
        return self.requires is None or getattr(year, self.requires) is not None


@dataclass(frozen=True)
class Heading:
    """``doc`` in a template: the parts every official document has around its body."""

    title: str
    recipient: str
    opening: tuple[str, ...]
    signature: str
    date: str


def settings(year: YearData, kind: str) -> DocumentSettings:
    return year.documents.get(kind) or DocumentSettings()


def date_of_writing(year: YearData, kind: str) -> dt.date:
    return settings(year, kind).date or year.signature.date


def heading(year: YearData, kind: DocumentKind, default_opening: str, recipient: str = "") -> Heading:
    return Heading(
        title=kind.title(year),
        recipient=full_width(recipient),
        opening=tuple(paragraphs(settings(year, kind.name).opening or default_opening)),
        signature=year.signature.body,
        date=format_date(date_of_writing(year, kind.name)),
    )


def standard_title(year: YearData, label: str) -> str:
    """``2025年滨江市第一人民医院党委党建工作计划``."""
    return f"{year.year}年{year.organisation.name}党建{label}"
