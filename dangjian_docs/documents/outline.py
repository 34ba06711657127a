"""A document body as nested sections; numbers come from the nesting, never from the data.

A kind module builds :class:`Draft` trees (title, paragraphs, children) and :func:`number`
turns them into :class:`Section` trees carrying 一、 （一） 1. （1） at levels 1 to 4.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field

from ..domain.numbering import section_number
from ..record import Record
from .pictures import PlacedPhoto


class Draft(Record):
    title: str
    paragraphs: Sequence[str] = ()
    children: Sequence[Draft] = field(default_factory=tuple)
    anchor: str = ""
    """What the section is about, for the photos the data places there: ``work:<id or title>``,
    ``practice:<title>``; empty for sections the data does not name."""


class Section(Record):
    """What a template sees: ``{{ s1.number }}{{ s1.title }}``, ``s1.paragraphs``, ``s1.children``."""

    number: str
    title: str
    paragraphs: tuple[str, ...]
    children: tuple[Section, ...]
    anchor: str = ""
    """As :attr:`Draft.anchor`."""
    photos: tuple[PlacedPhoto, ...] = ()
    """The data's photos placed in this section (``{%p for photo in s2.photos %}``), in the data's order."""


def parts(title: str, drafts: Sequence[Draft]) -> Draft:
    """A section made of ``drafts``; of one part only (with no parts of its own), that part's text
    directly under ``title``, not a lone （一） or 1. that no （二） or 2. follows."""
    kept = [d for d in drafts if d.paragraphs or d.children]
    if len(kept) == 1 and not kept[0].children:
        return Draft(title, kept[0].paragraphs, anchor=kept[0].anchor)
    return Draft(title, (), kept)


MAX_DEPTH = 4
"""The templates have heading styles for four levels (一、（一）1.（1））."""


def number(drafts: Sequence[Draft], level: int = 1, start: int = 1) -> tuple[Section, ...]:
    """Number ``drafts`` at ``level``, counting from ``start``; empty drafts are left out."""
    if level > MAX_DEPTH and drafts:
        raise ValueError(f"outline deeper than {MAX_DEPTH} levels")
    kept = [d for d in drafts if d.paragraphs or d.children or d.title]
    return tuple(
        Section(section_number(level, i), d.title, tuple(d.paragraphs), number(d.children, level + 1), d.anchor)
        for i, d in enumerate(kept, start=start)
    )
