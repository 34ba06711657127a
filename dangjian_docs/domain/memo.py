"""Facts computed once per year of data, however many documents and checks read them.

A data file gives one :class:`~dangjian_docs.model.YearData`; validation's cross-checks and
notes, then each document kind built from it, ask for the same figures, compliance tallies
and findings. Each is computed on the first request and kept on that year object (its
``derived`` field), so it lives exactly as long as the year does: a repo build holding one
file's model at a time holds one file's facts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from ..model import YearData

T = TypeVar("T")


def per_year(compute: Callable[[YearData], T]) -> Callable[[YearData], T]:
    """``compute(year)``, worked out once for each year object.

    Only for functions of the year alone, whose result nobody changes (tuples, frozen
    dataclasses): every caller gets the same object.
    """
    key = f"{compute.__module__}.{compute.__qualname__}"

    @functools.wraps(compute)
    def once(year: YearData) -> T:
        known = year.derived
        if key in known:
            return known[key]  # type: ignore[no-any-return]
        value = known[key] = compute(year)
        return value

    return once


def forget(year: YearData) -> None:
    """Drop the facts kept on ``year``, for a year held a while before it is used again: a repo
    worker keeps each model it checked until it builds it, and should not keep its facts too."""
    year.derived.clear()
