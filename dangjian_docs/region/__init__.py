"""The county roll-up's input: a region file naming the institutions it covers.

loading → :mod:`.model` (typed region) → :mod:`.validation` (schema, truth across files) →
:mod:`.figures` (sums by type) → ``documents.rollup``. :mod:`.continuity` pairs a year file with
last year's and checks that the member count carries over.

The names below are imported on first use: telling a region file from a year file
(:func:`is_region`, defined here) must load neither the region's model nor its validation, which
a year file never needs.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .figures import Rollup
    from .model import RegionData
    from .validation import RegionValidation, validate_region

__all__ = ["RegionData", "RegionValidation", "Rollup", "is_region", "validate_region"]

_LAZY = {"Rollup": ".figures", "RegionData": ".model",
         "RegionValidation": ".validation", "validate_region": ".validation"}


def is_region(data: Any) -> bool:
    """A region file is told from a year file by its top-level ``region:`` key."""
    return isinstance(data, Mapping) and "region" in data and "organisation" not in data


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
