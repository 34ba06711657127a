"""The organisational-life rules every branch follows unless the data file says otherwise.

The built-in ones are one table, ``rules.yaml`` beside this module, with the version of the text
they follow. Kept as data, not code: a higher body's local rule is a ``rules:`` entry in the data file. An
entry replaces the built-in rule of the same activity type only for the branch kinds it names
(``applies_to``; all kinds when it names none); several entries for one type all apply, and
``min: 0`` means "not required". Rules with ``scope: organisation`` are for the 党委 or 党总支
itself and leave the branches' rules alone.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from typing import Any

from ..model import Rule
from ..resources import package_yaml


def _table() -> dict[str, Any]:
    """The built-in rules (``rules.yaml`` beside this module): the package's own file."""
    return package_yaml("domain", "rules.yaml")


_TABLE = _table()

VERSION: str = _TABLE["version"]
"""Which text the built-in rules follow, and since when (``2018-10``: the 2018 branch regulations)."""

BRANCH_KINDS: tuple[str, ...] = ("在职", "离退休", "联合")

DEFAULT_RULES: tuple[Rule, ...] = tuple(
    Rule(r["activity"], r["period"], r["min"], scope=r.get("scope", "branch"), basis=_TABLE["basis"])
    for r in _TABLE["rules"])

ORGANISATION_TYPES: tuple[str, ...] = tuple(_TABLE["organisation_types"])
"""Activities a 党委 or 党总支 holds itself rather than its branches."""

STANDARD_TYPES: tuple[str, ...] = (
    *(r.activity for r in DEFAULT_RULES), *ORGANISATION_TYPES, *_TABLE["other_types"])
"""Activity types every data file may use; others must be listed under ``activity_types``."""

THREE_MEETINGS_ONE_LECTURE: tuple[str, ...] = tuple(_TABLE["three_meetings_one_lecture"])
"""三会一课."""


def effective_rules(custom: Iterable[Rule]) -> tuple[Rule, ...]:
    """The built-in rules, each narrowed to the branch kinds no data rule of its type covers,
    followed by the data file's own rules (``min: 0`` ones included: they mean "not required")."""
    return _effective_rules(tuple(custom))


@functools.lru_cache(maxsize=64)
def _effective_rules(custom: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """See :func:`effective_rules`; kept by the data's own rules (most files have none), since
    the tallies, the findings and each paragraph about meetings ask again."""
    out: list[Rule] = []
    for rule in DEFAULT_RULES:
        covered: set[str] = set()
        for own in custom:
            if own.activity == rule.activity and own.scope != "organisation":
                covered.update(own.applies_to or BRANCH_KINDS)
        left = tuple(k for k in BRANCH_KINDS if k not in covered)
        if len(left) == len(BRANCH_KINDS):
            out.append(rule)
        elif left:
            out.append(dataclasses.replace(rule, applies_to=left))
    out.extend(custom)
    return tuple(out)
