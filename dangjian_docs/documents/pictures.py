"""The data's pictures as a template sees them: ``photos``, ``logo`` and each section's ``photos``.

Every kind gets the same names (added by :func:`dangjian_docs.api` after the kind builds its
context), so a template of any kind, the built-in ones or an office's own, can place a photo:

- ``{{ logo }}``: the organisation's logo (``organisation.logo``), or nothing;
- ``photos.all``: every photo in the data's order; ``photos.unplaced``: those given no place;
- ``photos.work["编号或标题"]``, ``photos.practice["做法标题"]``: the photos of one work section
  or practice (an empty list when there are none);
- ``s1.photos`` … ``s4.photos``: the photos of the section being written, when the section is
  a work section or a practice the photos name.

A photo prints with ``{{ photo.image }}`` (alone in its paragraph) and ``{{ photo.caption }}``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

from ..images import InlineImage, Picture
from ..record import Record

PHOTO_BOX = (14.0, 10.0)
"""A photo in the body is fitted into 14 × 10 cm: the type area's width less a margin."""
LOGO_BOX = (3.0, 3.0)


class PlacedPhoto(Record):
    """``photo`` in a template."""

    image: InlineImage
    """Printed with ``{{ photo.image }}``: the picture, fitted into 14 × 10 cm."""
    caption: str
    file: str
    """The file as the data names it."""


class Album(Record):
    """``photos`` in a template."""

    all: tuple[PlacedPhoto, ...] = ()
    work: Mapping[str, tuple[PlacedPhoto, ...]] = field(default_factory=dict)
    """Work section id or title → its photos."""
    practice: Mapping[str, tuple[PlacedPhoto, ...]] = field(default_factory=dict)
    """Practice title → its photos."""
    unplaced: tuple[PlacedPhoto, ...] = ()

    def at(self, anchor: str) -> tuple[PlacedPhoto, ...]:
        """The photos of a section's anchor (``work:…``, ``practice:…``)."""
        kind, _, key = anchor.partition(":")
        found = self.work if kind == "work" else self.practice if kind == "practice" else {}
        return found.get(key, ())


class _Photos(dict):  # type: ignore[type-arg]
    """A mapping whose missing keys are an empty list: a template asks about any section."""

    def __missing__(self, key: object) -> tuple[PlacedPhoto, ...]:
        return ()


def album(items: list[tuple[Any, Picture]]) -> Album:
    """The album of ``(model photo, checked picture)`` pairs, in the data's order."""
    placed: list[PlacedPhoto] = []
    work: dict[str, list[PlacedPhoto]] = {}
    practice: dict[str, list[PlacedPhoto]] = {}
    unplaced = []
    for photo, picture in items:
        shown = PlacedPhoto(InlineImage(picture, *PHOTO_BOX, photo.caption or Path(photo.file).stem),
                            photo.caption or "", photo.file)
        placed.append(shown)
        if photo.work:
            work.setdefault(photo.work, []).append(shown)
        if photo.practice:
            practice.setdefault(photo.practice, []).append(shown)
        if not photo.work and not photo.practice:
            unplaced.append(shown)
    return Album(tuple(placed), _Photos({k: tuple(v) for k, v in work.items()}),
                 _Photos({k: tuple(v) for k, v in practice.items()}), tuple(unplaced))


def logo(picture: Picture | None, name: str) -> InlineImage | None:
    return InlineImage(picture, *LOGO_BOX, f"{name}标志") if picture is not None else None


def with_pictures(context: Mapping[str, Any], photos: Album, logo_image: InlineImage | None) -> dict[str, Any]:
    """``context`` with ``photos`` and ``logo``, and each section's photos placed."""
    out = {**context, "photos": photos, "logo": logo_image}
    sections = context.get("sections")
    if photos.all and isinstance(sections, tuple):
        out["sections"] = _placed(sections, photos)
    return out


def _placed(sections: tuple[Any, ...], photos: Album) -> tuple[Any, ...]:
    return tuple(dataclasses.replace(s, photos=photos.at(s.anchor) if s.anchor else (),
                                     children=_placed(s.children, photos)) for s in sections)
