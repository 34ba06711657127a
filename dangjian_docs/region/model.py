"""The region file as typed objects: the bureau's own facts and text, and whom it covers.

Built only from data the region schema has accepted. An institution is either a reference to
its own year file (``file``) or a handful of facts given inline; facts not given are ``None``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from ..loading import PathKey
from ..record import Record

TYPES = ("公立医院", "乡镇卫生院", "社区卫生服务中心", "其他医疗卫生机构")
"""Institution types in the order a roll-up reports them."""

OWN_SETUPS = ("党委", "党总支", "党支部")
"""Set-ups where the institution has its own Party organisation."""

SETUPS = (*OWN_SETUPS, "联合党支部", "无党员", "归属其他单位")


class Institution(Record):
    """One entry of ``institutions``: a file to read, or facts given inline."""

    type: str
    path: PathKey
    """Where this entry is in the region file (``("institutions", 3)``), for diagnostics."""
    file: str | None = None
    name: str | None = None
    setup: str | None = None
    belongs_to: str | None = None
    staff: int | None = None
    members: int | None = None
    branches: int | None = None
    level: str | None = None
    """医院等级 (三级甲等 …) of an institution given inline; a file gives its own."""


class Item(Record):
    title: str
    detail: str | None = None
    figures: tuple[str, ...] = ()


class Total(Record):
    """A total the bureau has stated; ``type`` ``None`` means all institutions."""

    path: PathKey
    type: str | None = None
    institutions: int | None = None
    staff: int | None = None
    members: int | None = None
    branches: int | None = None
    approximate: bool = False
    """The bureau knows these figures only roughly: the text says “约710名”, nothing checks them."""


class RegionData(Record):
    year: int
    name: str
    body: str
    signature_body: str
    signature_date: dt.date
    institutions: tuple[Institution, ...]
    higher_body: str | None = None
    scope: str = "公立医疗卫生机构"
    affiliated: bool = False
    """The bureau says every institution's Party organisation is under it (region.affiliated)."""
    practices: tuple[Item, ...] = ()
    problems: tuple[Item, ...] = ()
    countermeasures: tuple[Item, ...] = ()
    totals: tuple[Total, ...] = ()
    title: str | None = None
    opening: str | None = None
    recipient: str | None = None
    date: dt.date | None = None
    source: str | None = field(default=None, compare=False)

    @property
    def region_year_scope(self) -> str:
        """``滨江区2025年公立医疗卫生机构``: how the title and opening name what is reported on."""
        return f"{self.name}{self.year}年{self.scope}"


def _items(raw: Any) -> tuple[Item, ...]:
    return tuple(Item(i["title"], i.get("detail"), tuple(i.get("figures") or ()))
                 for i in raw or ())


def build_region(raw: Mapping[str, Any], source: str | None = None) -> RegionData:
    """The typed region from schema-valid data."""
    region = raw["region"]
    settings = (raw.get("documents") or {}).get("rollup") or {}
    institutions = tuple(
        Institution(path=("institutions", i), **{k: v for k, v in entry.items()})
        for i, entry in enumerate(raw["institutions"]))
    totals = tuple(Total(path=("totals", i), **t) for i, t in enumerate(raw.get("totals") or ()))
    return RegionData(
        year=int(raw["year"]),
        name=region["name"],
        body=region["body"],
        higher_body=region.get("higher_body"),
        scope=region.get("scope") or "公立医疗卫生机构",
        affiliated=bool(region.get("affiliated")),
        signature_body=raw["signature"]["body"],
        signature_date=dt.date.fromisoformat(raw["signature"]["date"]),
        institutions=institutions,
        practices=_items(raw.get("practices")),
        problems=_items(raw.get("problems")),
        countermeasures=_items(raw.get("countermeasures")),
        totals=totals,
        title=settings.get("title"),
        opening=settings.get("opening"),
        recipient=settings.get("recipient"),
        date=dt.date.fromisoformat(settings["date"]) if settings.get("date") else None,
        source=source,
    )
