"""区县汇总情况汇报: a health bureau's Party committee reporting on every institution under it.

Shaped like seed 001: 基本情况 (institutions by type and by how their Party organisation is set
up, staff and members per type), 主要做法 (the bureau's text, with figures summed across the
institutions), 存在问题, 对策建议, "特此报告。", and a table of the institutions as an attachment.
A sum resting on only some institutions says so ("N家单位报送"); an unknown is never a 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from typing import Any

from ..domain.history import members_total
from ..domain.numbering import ordinal_lead
from ..domain.titles import break_title
from ..domain.writing import format_date, full_width, paragraphs, percent, sentence
from ..record import Record
from ..region.figures import Group, Rollup, Sum, Unit, compute
from ..region.model import SETUPS, Item, Total
from . import catalogue
from .base import Heading
from .outline import Draft, number
from .plan import Table

UNKNOWN = "—"
"""A table cell whose fact no one gave (a statistical table's usual mark for "no data")."""



def _setup_words(setup: str) -> str:
    """``设立党委``, ``与其他单位组建联合党支部``: the catalogue's words for a set-up."""
    return catalogue.say("rollup.setup", "", {setup})


class RegionKind(Record):
    """A document written from a region file and the files it names, not from one year file."""

    name: str
    label: str
    build_context: Callable[[Rollup], Mapping[str, Any]]
    shapes: Mapping[str, Any] = field(default_factory=dict)
    """As :attr:`~dangjian_docs.documents.base.DocumentKind.shapes`."""

    @property
    def template_name(self) -> str:
        return f"{self.name}.docx"

    def title(self, rollup: Rollup) -> str:
        region = rollup.region
        return full_width(region.title or catalogue.say("rollup.title", scope=region.region_year_scope))

    def date(self, rollup: Rollup) -> dt.date:
        return rollup.region.date or rollup.region.signature_date


def _amount(total: Sum, figure: str, stated: Sequence[Total] = (), attr: str = "") -> str:
    """``职工总数820人`` (``figure``: its ``rollup.figure.*`` key); ``职工总数640人（不含未报送的1家）``
    when not every unit gave it; the bureau's stated figure (``党员约710名``, the first of
    ``stated`` to give it) where the units' own do not add up to the whole."""
    say = catalogue.say
    source = next((t for t in stated if attr and getattr(t, attr) is not None), None)
    if source is not None and not total.complete:
        return say(figure, n=_stated(source, attr))
    if not total.any:
        return ""
    text = say(figure, n=total.value)
    return text if total.complete else say("rollup.not_all_reported", figure=text, n=total.of - total.known)


def _stated(total: Total, attr: str) -> str:
    """The bureau's figure as given: ``约710`` when it says it is approximate."""
    value = getattr(total, attr)
    return catalogue.say("rollup.approximately", n=value) if total.approximate else str(value)


def setup_clause(group: Group) -> str:
    """``其中2家设立党委、1家无党员``, or ``均设立党支部`` when they all share one set-up; only
    the set-ups the data gives (none at all: no clause)."""
    counts = group.setups
    if not counts:
        return ""
    several = {"several"} if group.count > 1 else set()
    if len(counts) == 1 and sum(counts.values()) == group.count:
        return catalogue.say("rollup.setup_all", "", several, setup=_setup_words(next(iter(counts))))
    parts = [catalogue.say("rollup.setup_count", n=counts[s], setup=_setup_words(s)) for s in SETUPS if counts[s]]
    return catalogue.say("rollup.setup_mixed", "", several, parts="、".join(parts))


_LEVEL_ORDER = "三二一"
_GRADE_ORDER = "特甲乙丙"


def _level_rank(level: str) -> tuple[int, int, str]:
    """三级甲等 before 三级乙等 before 二级甲等; a level in other words after them, as written."""
    first = _LEVEL_ORDER.find(level[:1])
    grade = next((i for i, g in enumerate(_GRADE_ORDER) if g in level[1:]), len(_GRADE_ORDER))
    return (first if first >= 0 else len(_LEVEL_ORDER), grade, level)


def levels_clause(group: Group) -> str:
    """``（三级甲等1家：滨江区人民医院；二级甲等2家：…）``: the levels given, highest first, each
    with the institutions that have it (which hospital is 三甲 is a fact of its own)."""
    levels = group.levels
    if not levels:
        return ""
    return catalogue.say("rollup.levels", levels="；".join(
        catalogue.say("rollup.level_count", level=level, n=levels[level],
                      names="、".join(u.name for u in group.units if u.level == level))
        for level in sorted(levels, key=_level_rank)))


def stated_totals(rollup: Rollup, *types: str | None) -> list[Total]:
    """The bureau's own totals for ``types`` in that order (``None``: all institutions)."""
    return [t for type_ in types for t in rollup.region.totals if t.type == type_]


def region_totals(rollup: Rollup, groups: Sequence[Group]) -> list[Total]:
    """The bureau's totals for the whole region: those for all institutions, and where the region
    has one type only, that type's (its totals are the region's) first."""
    return stated_totals(rollup, *((groups[0].type, None) if len(groups) == 1 else (None,)))


def group_sentence(group: Group, stated: Sequence[Total] = (), lead: str = "", named: bool = False) -> str:
    """One type of institution: how many, staff, members, set-up, branches.

    ``lead``: the region's opening words when this is its only type (``滨江区共有…4家，均为公立医院``),
    so the count is said once; ``named``: the lead already calls them by this type (``江津区共有
    公立医院4家``), so it is not said again."""
    facts = {"named"} if named else set()
    head = catalogue.say("rollup.group.only_type", "", facts, lead=lead, type=group.type,
                         levels=levels_clause(group)) if lead \
        else catalogue.say("rollup.group.head", type=group.type, n=group.count, levels=levels_clause(group))
    clauses = [head, _amount(group.sum("staff"), "rollup.figure.staff_total", stated, "staff"),
               _amount(group.sum("members"), "rollup.figure.members", stated, "members"), setup_clause(group)]
    branches = group.sum("branches")
    if branches.value or any(t.branches is not None for t in stated):
        clauses.append(_amount(branches, "rollup.figure.branches_set", stated, "branches"))
    return closed(clauses)


def basic_situation(rollup: Rollup, figures_region: Group, groups: Sequence[Group]) -> list[str]:
    region = rollup.region
    opening = catalogue.say("rollup.region_count", region=region.name, scope=region.scope, n=figures_region.count)
    whole = stated_totals(rollup, None)
    if len(groups) == 1:
        # one type only: “共有公立医疗卫生机构4家，均为公立医院”, not the count twice
        only = groups[0]
        out = [group_sentence(only, region_totals(rollup, groups), opening, region.scope == only.type)]
    else:
        out = [opening + "。"] + [group_sentence(g, stated_totals(rollup, g.type)) for g in groups]
        staff, members = figures_region.sum("staff"), figures_region.sum("members")
        branches = figures_region.sum("branches")
        # no share of staff: members include retired ones, who are not staff (issue 6's convention)
        # only whole figures: the units' sums where every unit gives them, else the bureau's own
        given = {attr: total.complete or any(getattr(t, attr) is not None for t in whole)
                 for attr, total in (("staff", staff), ("members", members), ("branches", branches))}
        given["branches"] = given["branches"] and any(t.branches is not None for t in whole)
        parts = [_amount(total, figure, whole, attr) for attr, figure, total in (
            ("staff", "rollup.figure.staff", staff), ("members", "rollup.figure.members", members),
            ("branches", "rollup.figure.branches", branches))
            if given[attr]]
        if given["members"] and any(parts):
            out.append(catalogue.say("rollup.region_total", place=region.name[-1],
                                     parts="、".join(p for p in parts if p)))
    if region.affiliated:
        out.append(catalogue.say("rollup.affiliation", "", {"several"} if figures_region.count > 1 else set(),
                                 scope=region.scope, body=region.body))
    change = members_change(rollup, figures_region)
    if change:
        out.append(change)
    return out


def members_change(rollup: Rollup, figures_region: Group) -> str:
    """Members against last year, over the institutions whose files give both years."""
    deltas = [d for d in (_delta(u, rollup) for u in figures_region.counted("members")) if d is not None]
    if not deltas:
        return ""
    total = sum(deltas)
    counted = len(figures_region.counted("members"))
    who = catalogue.say("rollup.change_scope", "", {"all"} if len(deltas) == counted else set(),
                        place=rollup.region.name[-1], n=len(deltas))
    facts = {"more"} if total > 0 else {"fewer"} if total < 0 else set()
    return catalogue.say("rollup.members_change", "", facts, who=who, n=abs(total))


def _delta(unit: Unit, rollup: Rollup) -> int | None:
    if unit.name in rollup.previous_members:
        before = rollup.previous_members[unit.name]
    else:  # a Rollup made by hand, with last year's data only
        previous = rollup.previous.get(unit.name)
        before = members_total(previous) if previous is not None else None
    return None if before is None or unit.members is None else unit.members - before


_DEVELOPMENT = {"新发展党员": "developed", "入党积极分子": "activists", "发展对象": "candidates"}


def figure_clause(key: str, region: Group) -> tuple[Sum, str] | None:
    """One of a practice's ``figures`` summed across the institutions that give it, with the
    sum (whose ``known`` says how many did); ``None`` when none did."""
    def worded(total: Sum, **more: object) -> tuple[Sum, str]:
        return total, catalogue.say("rollup.practice_figure", "", {key}, **{"n": total.value, "leaders": "",
                                                                           "share": "", **more})

    if key in _DEVELOPMENT or key == "谈心谈话":
        total = region.sum(_DEVELOPMENT.get(key, "talks"))
        return worded(total) if total.any else None
    secretaries, leaders = region.sum("secretaries"), region.sum("dual_leaders")
    if not secretaries.value:
        return None
    key = "双带头人"
    return worded(secretaries, leaders=leaders.value, share=percent(leaders.value, secretaries.value))


def figures_sentence(keys: Sequence[str], region: Group) -> str:
    """The practice's figures; a run of figures resting on the same N of the units opens with
    ``据N家单位报送，`` so that a partial sum is never read as the region's total."""
    sentences: list[list[str]] = []
    last: int | None = None
    for key in keys:
        found = figure_clause(key, region)
        if found is None:
            continue
        total, clause = found
        known = None if total.complete else total.known
        if sentences and known == last:
            sentences[-1].append(clause)
        else:
            facts = ({"year"} if key in _DEVELOPMENT else set()) | ({"partial"} if known is not None else set())
            sentences.append([catalogue.say("rollup.practice_figures", "", facts, clause=clause, n=known)])
        last = known
    return "".join(closed(s) for s in sentences)


def closed(clauses: Sequence[str]) -> str:
    """Clauses joined with ， and always closed with 。 (a clause may end in a bracket)."""
    text = "，".join(c for c in clauses if c)
    return text + "。" if text and not text.endswith("。") else text


def practice_draft(item: Item, region: Group) -> Draft:
    body = [sentence(p) for p in paragraphs(item.detail)]
    figures = figures_sentence(item.figures, region)
    if figures:
        body.append(figures)
    return Draft(full_width(item.title), body)


def listed(items: Sequence[Item]) -> list[str]:
    """Problems and countermeasures as seed 001 writes them: ``一是…。`` one paragraph each."""
    out = []
    for i, item in enumerate(items, start=1):
        text = sentence(ordinal_lead(i) + full_width(item.title.strip()))
        details = [sentence(p) for p in paragraphs(item.detail)]
        out.append(text + "".join(details))
    return out


class Row(Record):
    name: str
    type: str
    staff: str
    members: str
    change: str
    setup: str
    developed: str


def _cell(value: int | None) -> str:
    return UNKNOWN if value is None else str(value)


def member_change(unit: Unit, rollup: Rollup) -> str:
    delta = _delta(unit, rollup)
    if delta is None:
        return UNKNOWN
    return f"+{delta}" if delta > 0 else str(delta).replace("-", "−")


def rows(rollup: Rollup, figures_region: Group, groups: Sequence[Group]) -> tuple[Row, ...]:
    out = [Row(u.name, u.type, _cell(u.staff), _cell(u.members), member_change(u, rollup), u.setup or UNKNOWN,
               _cell(u.developed))
           for g in groups for u in g.units]

    stated = region_totals(rollup, groups)

    def whole(attr: str) -> str:
        """The units' sum where every unit gives it, else the bureau's own total (约710), else —."""
        total = figures_region.sum(attr)
        if total.complete:
            return str(total.value)
        given = next((t for t in stated if getattr(t, attr, None) is not None), None)
        return _stated(given, attr) if given is not None else UNKNOWN

    out.append(Row("合计", f"{figures_region.count}家", whole("staff"), whole("members"), UNKNOWN, "",
                   whole("developed")))
    return tuple(out)


def context(rollup: Rollup) -> Mapping[str, Any]:
    region = rollup.region
    figures = compute(rollup.units)
    drafts = [
        Draft(catalogue.say("rollup.heading.basic"), basic_situation(rollup, figures.region, figures.groups)),
        Draft(catalogue.say("rollup.heading.practices"), (),
              [practice_draft(p, figures.region) for p in region.practices]),
        Draft(catalogue.say("rollup.heading.problems"), listed(region.problems)),
        Draft(catalogue.say("rollup.heading.measures"), listed(region.countermeasures)),
    ]
    drafts = [d for d in drafts if d.paragraphs or d.children]
    scope = region.region_year_scope
    title = KIND.title(rollup)
    doc = Heading(
        title=title,
        title_lines=break_title(title),
        closing=catalogue.say("rollup.closing"),
        recipient=full_width(region.recipient or region.higher_body or ""),
        opening=tuple(paragraphs(region.opening or catalogue.say("rollup.opening", scope=scope))),
        signature=region.signature_body,
        date=format_date(KIND.date(rollup)),
    )
    table = Table(catalogue.say("rollup.table.title", scope=scope), rows(rollup, figures.region, figures.groups))
    return {"doc": doc, "sections": number(drafts), "table": table}


KIND = RegionKind("rollup", "汇总情况汇报", context, shapes={"table": (Table, Row)})
