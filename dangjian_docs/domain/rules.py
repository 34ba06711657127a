"""The organisational-life rules every branch follows unless the data file says otherwise.

Kept as data, not code: a higher body's local rule is a ``rules:`` entry in the data file,
which replaces the built-in rule for the same activity type.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Rule

_BASIS = "《中国共产党支部工作条例（试行）》"

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

STANDARD_TYPES: tuple[str, ...] = (
    *(r.activity for r in DEFAULT_RULES),
    "党委会", "理论学习中心组学习", "党员教育培训", "志愿服务", "专题研讨", "其他",
)
"""Activity types every data file may use; others must be listed under ``activity_types``."""

THREE_MEETINGS_ONE_LECTURE = ("支部党员大会", "支部委员会", "党小组会", "党课")
"""三会一课."""


def effective_rules(custom: Iterable[Rule]) -> tuple[Rule, ...]:
    """The built-in rules with the data file's own rules replacing those of the same type."""
    by_type = {r.activity: r for r in DEFAULT_RULES}
    for rule in custom:
        by_type[rule.activity] = rule
    return tuple(by_type.values())
