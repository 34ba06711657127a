"""What every document kind shares: its settings, title, signature and date of writing."""

from __future__ import annotations

import datetime as dt
import importlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

from ..domain.titles import FOOT_LINE_CHARS, ISSUER_LINE_CHARS, PAGE_LINES, break_title, text_width
from ..domain.writing import format_date, full_width, paragraphs
from ..model import DocumentFoot, DocumentHead, DocumentSettings, YearData
from ..record import Record


class DocumentKind(Record):
    """One kind of document: which template, what it is called, which module writes its content,
    and whether one data file makes one of it or one a branch or Party group (``fan_out``).

    Adding a kind is adding a module of :mod:`.kinds` that defines one of these (what the kind
    needs and what its documents are called), the module that writes its content, and a line in
    :data:`dangjian_docs.documents.REGISTRY`; no other kind changes. The two are apart so that
    ``validate``, which checks every kind's titles, imports no code that writes a document.
    """

    name: str
    """``plan``, ``summary``, ``report``: the ``--kind`` value and the template's file stem."""
    label: str
    """工作计划: used in messages and the default title."""
    writer: str
    """The module of :mod:`dangjian_docs.documents` that writes the content: its ``context``
    (see :attr:`build_context`) and, when the template is given more than ``doc`` and
    ``sections``, its ``SHAPES`` (see :attr:`shapes`). Imported when a document is built."""
    requires: str | None = None
    """A top-level data section without which the kind cannot be written (e.g. ``plan``)."""
    default_title: Callable[..., str] | None = None
    """The title when the data gives none; ``None`` means ``2025年…党建{label}``."""
    supports: Callable[[YearData], bool] | None = None
    """Whether the data says enough for this kind beyond ``requires`` (a summary needs the year's work)."""
    needs: str = ""
    """What the data must give, in the words of a message: ``全年工作（…）``; default: the ``requires`` section."""
    dated_by_signature: bool = True
    """Whether the signature's date is this kind's date of writing when the kind has none of its own.
    A plan is written at the start of its year, not on the summary's December signature."""
    dated_as: str = ""
    """The kind whose date of writing this one takes (``plan`` for a branch's plan: the branches
    write their plans when the organisation writes its own); default: its own."""
    fan_out: Callable[[YearData], Sequence[str]] | None = None
    """The subjects (a branch's or a Party group's name) of a kind written once for each; such
    a kind's ``build_context`` and ``default_title`` take the subject too. ``None``: one document
    about the organisation as a whole."""
    title_at: Callable[[YearData, str], str] | None = None
    """Where the data gives one subject's own title (``duty_reports[0].title``), for messages about
    it; ``None``: ``documents.<kind>.title``."""
    register: bool = False
    """A register of tables (a 台账) rather than an official document: a title and its tables, no
    recipient, body sections, signature, 版头 or 版记. Its template is held to its ``shapes`` only."""
    landscape: bool = False
    """Set on A4 landscape pages (GB/T 9704's 横排表格, the margins turned with the page): for
    tables with more columns than the 156 mm of a portrait type area hold."""

    def subjects(self, year: YearData) -> tuple[str, ...]:
        """Whom each document of this kind from ``year`` is about; ``("",)``: the organisation."""
        return tuple(self.fan_out(year)) if self.fan_out is not None else ("",)

    def title(self, year: YearData, subject: str = "") -> str:
        """The document's title, which also names its file; cheap, unlike the whole context."""
        if self.fan_out is not None:
            assert self.default_title is not None, "a kind written once a subject titles each itself"
            return full_width(self.default_title(year, subject))
        fallback = self.default_title(year) if self.default_title else standard_title(year, self.label)
        return full_width(settings(year, self.name).title or fallback)

    def context(self, year: YearData, subject: str = "") -> Mapping[str, Any]:
        return self.build_context(year, subject) if self.fan_out is not None else self.build_context(year)

    def _writer(self) -> ModuleType:
        return importlib.import_module(f"{__package__}.{self.writer}")

    @property
    def build_context(self) -> Callable[..., Mapping[str, Any]]:
        """``(year)`` → the template's context; ``(year, subject)`` for a kind with ``fan_out``."""
        build: Callable[..., Mapping[str, Any]] = self._writer().context
        return build

    @property
    def shapes(self) -> Mapping[str, Any]:
        """Names its context gives a template beyond ``doc`` and ``sections``, each with its type (a
        table as ``(Table, row type)``): what ``check-template`` holds an own template to."""
        shapes: Mapping[str, Any] = getattr(self._writer(), "SHAPES", {})
        return shapes

    @property
    def template_name(self) -> str:
        return f"{self.name}.docx"

    def can_build(self, year: YearData) -> bool:
        """Whether ``year`` has the section this kind cannot do without, and what it must say."""
        return (self.requires is None or getattr(year, self.requires) is not None) and (
            self.supports is None or self.supports(year))

    @property
    def need_words(self) -> str:
        """What a message says the data lacks: ``“plan”部分``, ``全年工作（…）``."""
        return self.needs or f"“{self.requires}”部分"


class Planned(Record):
    """One document a build will make from one data file: a kind, whom it is about, its title."""

    kind: DocumentKind
    subject: str
    """The branch or Party group it is about; empty for the organisation's own documents."""
    title: str
    title_path: str = "organisation.name"
    """The data path a message about the title points at (``documents.plan.title`` when set there)."""

    @property
    def id(self) -> str:
        """``plan``, or ``branch-plan/内科党支部``: names the document in a repo's manifest and output."""
        return f"{self.kind.name}/{self.subject}" if self.subject else self.kind.name

    @property
    def label(self) -> str:
        """工作计划, or 工作计划（内科党支部）: the document in a message."""
        return f"{self.kind.label}（{self.subject}）" if self.subject else self.kind.label

    @property
    def retitle(self) -> str:
        """Where the user can give this document another title (a message's hint)."""
        if self.subject and self.kind.title_at is not None:
            return self.title_path
        return f"documents.{self.kind.name}.title"


def planned(year: YearData, kinds: Iterable[DocumentKind]) -> list[Planned]:
    """Every document ``kinds`` make from ``year``, in order; a kind the data cannot support makes none."""
    return [Planned(kind, subject, kind.title(year, subject), _title_path(year, kind, subject))
            for kind in kinds if kind.can_build(year) for subject in kind.subjects(year)]


def _title_path(year: YearData, kind: DocumentKind, subject: str) -> str:
    if subject and kind.title_at is not None:
        return kind.title_at(year, subject)
    if not subject and settings(year, kind.name).title:
        return f"documents.{kind.name}.title"
    return "organisation.name"


class Head(Record):
    """``doc.head``: the 版头 as printed (GB/T 9704 7.2)."""

    mark: str
    """发文机关标志: the issuer's name, with 文件 unless the data says otherwise."""
    number: str
    """发文字号, or empty."""
    signer: str
    """签发人's name for a 上行文, else empty (the number is then centred)."""
    compact: bool
    """The mark is too long for the 发文机关标志 style and takes the narrower one."""


class Foot(Record):
    """``doc.foot``: the 版记 as printed (GB/T 9704 7.4)."""

    copy_to: str
    """抄送机关 joined with “，”, or empty; the template adds “抄送：” and “。”."""
    printer: str
    printed: str
    """印发日期 like 2025年12月20日; the template adds “印发”."""
    padding: tuple[str, ...]
    """Empty lines above the 版记 on its page, so that it ends on the type area's bottom edge."""


class Heading(Record):
    """``doc`` in a template: the parts every official document has around its body."""

    title: str
    recipient: str
    opening: tuple[str, ...]
    signature: str
    date: str
    closing: str = ""
    """The body's last line where the genre has one (“特此报告。” in a 报告), else empty."""
    title_lines: tuple[str, ...] = ()
    """The title broken into lines as a typesetter would (GB/T 9704 7.3.3)."""
    head: Head | None = None
    foot: Foot | None = None


def settings(year: YearData, kind: str) -> DocumentSettings:
    return year.documents.get(kind) or DocumentSettings()


def date_of_writing(year: YearData, kind: str) -> dt.date:
    """The date the document is written on: its own, else the signature's; a kind not dated by
    the signature (the plan) without a date of its own is taken as written at the year's start,
    one dated by a signature the data does not give as written at the year's end (for its
    properties and for the wording in force); neither prints a date (see :func:`printed_date`)."""
    known = given_date(year, kind)
    if known is not None:
        return known
    return year.year_end if _dated_by_signature(kind) else year.year_start


def given_date(year: YearData, kind: str) -> dt.date | None:
    """The date of writing the data gives for ``kind``: its own, else the signature's where
    the kind is dated by it; ``None`` when the data gives neither."""
    own = settings(year, _dated_as(kind)).date
    if own is not None:
        return own
    return year.signature.date if _dated_by_signature(kind) else None


def printed_date(year: YearData, kind: str) -> str:
    """成文日期 as printed: empty where the data gives none (a plan with no date of its own,
    validation warns; a year with no signature)."""
    known = given_date(year, kind)
    return format_date(known) if known is not None else ""


def _dated_as(kind: str) -> str:
    from . import KINDS  # the kinds are defined after this module

    spec = KINDS.get(kind)
    return (spec.dated_as or kind) if spec is not None else kind


def _dated_by_signature(kind: str) -> bool:
    from . import KINDS  # the kinds are defined after this module

    spec = KINDS.get(kind)
    return spec.dated_by_signature if spec is not None else True


def heading(year: YearData, kind: DocumentKind, default_opening: str, recipient: str = "",
            closing: str = "") -> Heading:
    title = kind.title(year)
    chosen = settings(year, kind.name)
    return Heading(
        title=title,
        recipient=full_width(recipient),
        opening=tuple(paragraphs(settings(year, kind.name).opening or default_opening)),
        signature=year.signature.body,
        date=printed_date(year, kind.name),
        closing=closing,
        title_lines=break_title(title),
        head=_head(chosen.head) if chosen.head else None,
        foot=_foot(chosen.foot, year, kind.name) if chosen.foot else None,
    )


def _head(data: DocumentHead) -> Head:
    mark = full_width(data.issuer) + ("文件" if data.with_file else "")
    return Head(mark=mark, number=full_width(data.number or ""), signer=full_width(data.signer or ""),
                compact=text_width(mark) > ISSUER_LINE_CHARS)


def _foot(data: DocumentFoot, year: YearData, kind: str) -> Foot:
    """Printer and date default to the signing body and the date of writing the data gives."""
    copy_to = "，".join(full_width(name) for name in data.copy_to)
    lines = 1 + (math.ceil((text_width(copy_to) + 1) / FOOT_LINE_CHARS) if copy_to else 0)
    printed = data.printed or given_date(year, kind)
    return Foot(copy_to=copy_to,
                printer=full_width(data.printer or year.signature.body),
                printed=format_date(printed) if printed is not None else "",
                padding=("",) * max(0, PAGE_LINES - 1 - lines))


def standard_title(year: YearData, label: str) -> str:
    """``滨江市第一人民医院党委2025年党建工作计划``: the body, then the year (never “党委党建”)."""
    return f"{year.organisation.name}{year.year}年党建{label}"
