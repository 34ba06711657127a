"""What each kind's context gives a template, as shapes read from the kinds' own dataclasses.

A template may only name what its kind provides (``doc.title``, ``s1.children``, ``row.due``).
The shapes are derived from the dataclasses the kinds build (``Heading``, ``Section``, the row
classes), so a field added there is allowed here without a second list to keep in step; only
which row class fills ``table.rows`` is said per kind, because ``Table.rows`` is typed ``Any``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import field
from functools import cache
from typing import Any

from ..record import Record


class Shape(Record):
    """A value in the context: a record with named fields, a sequence of items, text, or unknown."""

    kind: str  # "record", "sequence", "text", "any"
    fields: Mapping[str, Shape] = field(default_factory=dict)
    item: Shape | None = None
    type_name: str = ""

    def attribute(self, name: str) -> Shape | None:
        """The shape of ``value.name``, or None when the value has no such field."""
        if self.kind == "any":
            return ANY
        if self.kind == "record":
            return self.fields.get(name)
        if self.kind == "text":
            return ANY if hasattr(str, name) else None  # {{ para.strip() }}
        return ANY if hasattr(tuple, name) else None  # {{ rows.index(x) }}

    def names(self) -> list[str]:
        """What may follow the dot, for a "did you mean"."""
        return sorted(self.fields) if self.kind == "record" else []


ANY = Shape("any")
TEXT = Shape("text")


def shape_of(annotation: Any, rows: Shape | None = None, depth: int = 0) -> Shape:
    """The shape of a type annotation; ``rows`` stands in for ``Any`` in a table's rows and total.

    A record that holds records of its own class (``Section.children``) is followed a few levels
    deeper than the four the templates have, then left open.
    """
    if depth > 8:
        return ANY
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in typing.get_args(annotation) if a is not type(None)]
        return shape_of(kept[0], rows, depth) if len(kept) == 1 else ANY
    if origin in (tuple, list) or (isinstance(origin, type) and issubclass(origin, Sequence)):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        return Shape("sequence", item=shape_of(args[0], rows, depth + 1) if args else ANY)
    if annotation in (str, int, float, bool):
        return TEXT
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        hints = typing.get_type_hints(annotation)
        fields = {f.name: shape_of(hints[f.name], rows, depth + 1) for f in dataclasses.fields(annotation)}
        return Shape("record", fields, type_name=annotation.__name__)
    if annotation is Any and rows is not None:
        return rows
    return ANY


@cache
def kind_contracts() -> dict[str, dict[str, Shape]]:
    """Kind name → the names at the top of its context and their shapes."""
    from ..documents import KINDS, REGION_KINDS
    from ..documents.base import DocumentKind, Heading
    from ..documents.outline import Section
    from ..documents.pictures import Album
    from ..documents.rollup import RegionKind
    from ..images import InlineImage

    contracts = {}
    specs: list[tuple[str, DocumentKind | RegionKind]] = [*KINDS.items(), *REGION_KINDS.items()]
    for name, spec in specs:
        context = {"doc": shape_of(Heading), "sections": Shape("sequence", item=shape_of(Section)),
                   "photos": shape_of(Album), "logo": shape_of(InlineImage | None)}
        for key, kind in spec.shapes.items():
            context[key] = shape_of(kind[0], shape_of(kind[1])) if isinstance(kind, tuple) else shape_of(kind)
        contracts[name] = context
    return contracts


def kind_names() -> list[str]:
    """Every kind a template can be checked for, in the registry's order."""
    return list(kind_contracts())
