"""The organisational-life rules every branch follows unless the data file says otherwise.

Kept as data, not code: a higher body's local rule is a ``rules:`` entry in the data file. An
entry replaces the built-in rule of the same activity type only for the branch kinds it names
(``applies_to``; all kinds when it names none); several entries for one type all apply, and
``min: 0`` means "not required". Rules with ``scope: organisation`` are for the 党委 or 党总支
itself and leave the branches' rules alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from ..model import Rule

_BASIS = "《中国共产党支部工作条例（试行）》"

BRANCH_KINDS: tuple[str, ...] = ("在职", "离退休", "联合")

DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("支部党员大会", "quarter", 1, basis=_BASIS),
    Rule("支部委员会", "month", 1, basis=_BASIS),
    Rule("党小组会", "month", 1, scope="group", basis=_BASIS),
    Rule("党课", "year", 1, basis=_BASIS),
    Rule("主题党日", "month", 1, basis=_BASIS),
    Rule("组织生活会", "year", 1, basis=_BASIS),
    Rule("民主评议党员", "year", 1, basis=_BASIS),
    Rule("谈心谈话", "year", 1, basis=_BASIS),
)

ORGANISATION_TYPES: tuple[str, ...] = ("党委会", "理论学习中心组学习", "民主生活会")
"""Activities a 党委 or 党总支 holds itself rather than its branches."""

STANDARD_TYPES: tuple[str, ...] = (
    *(r.activity for r in DEFAULT_RULES),
    *ORGANISATION_TYPES, "党员教育培训", "志愿服务", "专题研讨", "其他",
)
"""Activity types every data file may use; others must be listed under ``activity_types``."""

THREE_MEETINGS_ONE_LECTURE = ("支部党员大会", "支部委员会", "党小组会", "党课")
"""三会一课."""


def effective_rules(custom: Iterable[Rule]) -> tuple[Rule, ...]:
    """The built-in rules, each narrowed to the branch kinds no data rule of its type covers,
    followed by the data file's own rules (``min: 0`` ones included: they mean "not required")."""
    custom = tuple(custom)
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
