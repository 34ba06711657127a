"""Sentences that put computed figures into words; shared by the summary and the report.

Each function returns whole sentences built from one template in :mod:`.wording`, and leaves out
every clause whose figure the data does not give. Nothing here prints a zero or a share of
nothing for a fact that is unknown.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Protocol

from ..domain.compliance import PERIOD_WORDS, PERIODS, Tally, period_span
from ..domain.figures import Figures, Held, task_activities
from ..domain.findings import APPLICATIONS_PER_HUNDRED_STAFF, Finding, findings, unfinished_clauses
from ..domain.log_index import log_index
from ..domain.progress import UNDER_WAY, linked_to, progress
from ..domain.rules import DEFAULT_RULES, ORGANISATION_TYPES, THREE_MEETINGS_ONE_LECTURE, effective_rules
from ..domain.writing import format_money, full_width, join_clauses, paragraphs, quantity, sentence
from ..model import Activity, Branch, Figure, Result, Task, Work, YearData
from . import catalogue, wording
from .catalogue import say
from .ledger import Fact, Ledger
from .outline import Draft


class Titled(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def detail(self) -> str | None: ...


def titled_drafts(items: Iterable[Titled]) -> list[Draft]:
    """Problems, intentions, safeguards: a heading from the title, paragraphs from the detail."""
    return [Draft(full_width(i.title), [sentence(p) for p in paragraphs(i.detail)]) for i in items]


BASIC = "basic"
"""The ledger's name for the basic-situation section, whatever its heading reads."""
SECRETARIES_SHARE = ("share", "dual-leader secretaries")
YOUNG_SHARE = ("share", "members aged 35 and under")
PLAN_TASKS = ("plan", "tasks")
"""Keys of the shares 基本情况 states and of the plan's task count 主要工作和成效 states, so that
存在问题 refers back to them."""


REFERS_BACK: dict[str, tuple[object, ...]] = {
    "few-applications": ("development", "applied"),
    "secretaries-not-dual": SECRETARIES_SHARE,
    "few-young-members": YOUNG_SHARE,
    "tasks-unfinished": PLAN_TASKS,
}
"""The fact whose figure a finding's detail restates; once the document has stated it, 存在问题
refers back to it instead."""


def problem_drafts(year: YearData, ledger: Ledger | None = None) -> list[Draft]:
    """存在问题: the data's own problems, and findings adopted by reference, in the tool's words
    or the data's; a finding whose figure the document has already given refers back to it."""
    ledger = ledger if ledger is not None else Ledger()
    supported = {f.code: f for f in findings(year)}
    out = []
    for problem in year.problems:
        found = supported.get(problem.finding) if problem.finding else None
        if problem.finding and found is None and not problem.title:
            continue  # a reference the data does not support (validation reports it)
        title, detail = problem.title, problem.detail
        if found is not None:
            title = title or found.title
            if detail is None:
                detail = _refer_back(found, ledger) or found.detail
        out.append(Draft(full_width(title), [sentence(p) for p in paragraphs(detail)]))
    return out


def _refer_back(found: Finding, ledger: Ledger) -> str:
    key = REFERS_BACK.get(found.code)
    if key is None or key not in ledger.stated:
        return ""
    slots: dict[str, Any] = {}
    if found.code == "few-applications":
        slots = {"others": found.figures["non_member_staff"], "per": APPLICATIONS_PER_HUNDRED_STAFF}
    elif found.code == "secretaries-not-dual":
        names: Sequence[str] = found.figures["names"]  # type: ignore[assignment]
        slots = {"who": catalogue.say("problems.secretaries-not-dual.who", names="、".join(names))}
    elif found.code == "tasks-unfinished":
        titles: Sequence[str] = found.figures["titles"]  # type: ignore[assignment]
        states: Sequence[str] = found.figures["states"]  # type: ignore[assignment]
        slots = {"clauses": unfinished_clauses(titles, states, counted=False)}
    return catalogue.say(f"problems.{found.code}.after", **slots)


def text_paragraphs(text: str | None) -> list[str]:
    return [sentence(p) for p in paragraphs(text)]


# -- 基本情况 ----------------------------------------------------------------------------------

def hospital_sentence(year: YearData) -> str:
    """``…是一所三级甲等综合医院，编制床位1200张、开放床位1100张，现有职工1260人。``"""
    org = year.organisation
    kind = wording.hospital_kind(org)
    say = catalogue.say
    beds = [say("basic.hospital.beds", n=org.beds) if org.beds is not None else "",
            say("basic.hospital.open_beds", n=org.open_beds) if org.open_beds is not None else ""]
    rest = ["、".join(b for b in beds if b), say("basic.hospital.staff", n=org.staff) if org.staff is not None else ""]
    rest = [r for r in rest if r]
    if kind:
        return join_clauses([say("basic.hospital.kind", hospital=org.hospital, kind=kind), *rest])
    if rest:
        return join_clauses([f"{org.hospital}{rest[0]}", *rest[1:]])
    return ""


def _branch_breakdown(fig: Figures) -> str:
    parts = [(fig.in_service_branches - fig.joint_branches, "在职"),
             (fig.retired_branches, "离退休"), (fig.joint_branches, "联合")]
    shown = [catalogue.say("basic.setup.breakdown_part", "", {kind}, n=n) for n, kind in parts if n]
    return catalogue.say("basic.setup.breakdown", parts="、".join(shown)) if len(shown) > 1 else ""


def _committee_people(branch: Branch, subject: str = "支部") -> str:
    """``支部委员会由5名委员组成，书记张三，副书记李四，…``, or secretary and deputy alone.

    ``subject``: how the branch is called (``医院党支部`` opening its basic situation reads as
    the proper name ``医院党支部委员会由…``)."""
    roles = [m.role + m.name for m in branch.committee if m.role]
    others = [m.name for m in branch.committee if not m.role]
    if branch.committee:
        n = len(branch.committee)
        if roles:
            listed = roles + ([say("basic.committee.others", names="、".join(others))] if others else [])
            return say("basic.committee.roles", subject=subject, n=n, roles="，".join(listed))
        return say("basic.committee.names_only", subject=subject, n=n, names="、".join(others))
    if branch.committee_size:
        return say("basic.committee.size", subject=subject, n=branch.committee_size)
    people = [say("basic.committee.secretary", name=branch.secretary) if branch.secretary else "",
              say("basic.committee.deputy", name=branch.deputy_secretary) if branch.deputy_secretary else ""]
    if not any(people):
        return ""
    deputy = {"deputy"} if branch.deputy_secretary else set()
    return say("basic.committee.none", "", deputy, subject=subject,
               people="、".join(p for p in people if p) if deputy else people[0])


def organisation_sentence(year: YearData, fig: Figures, name: str | None = None) -> str:
    """The organisation's set-up, worded by its form: a branch has no "下设党支部".

    ``name``: how to call the body (``医院党委`` once the hospital is named; empty after its
    committee, whose sentence this one continues).
    """
    text = _organisation_sentence(year, fig, year.organisation.name if name is None else name)
    return text + "。" if text.endswith("）") else text


def _organisation_sentence(year: YearData, fig: Figures, name: str) -> str:
    org = year.organisation
    if org.is_branch:
        branch = year.branches[0]
        # the name opens the sentence: before its groups, as the committee's proper name
        # (“医院党支部委员会由…”), or as the secretary's (“医院党支部书记由业务骨干担任…”)
        parts = [catalogue.say("basic.setup.branch_groups", name=name, n=fig.groups) if fig.groups else "",
                 _committee_people(branch, "支部" if fig.groups else name)]
        if branch.secretary_is_professional_leader:
            whom = catalogue.say("basic.dual_leader_whom", "", {"branch"} | (set() if any(parts) else {"named"}),
                                 name=name)
            parts.append(catalogue.say("basic.dual_leader_one", whom=whom))
        return join_clauses(p for p in parts if p)
    general = catalogue.say("basic.setup.general_branches", n=fig.general_branches) if fig.general_branches else ""
    # branches neither listed nor counted are not known to be none: the set-up is not said
    parts = [catalogue.say("basic.setup.branches", org.kind, name=name, general=general, n=fig.branches,
                           breakdown=_branch_breakdown(fig))] if fig.branches else []
    if fig.groups:
        parts.append(catalogue.say("basic.setup.groups", n=fig.groups))
    if fig.committees:
        parts.append(catalogue.say("basic.setup.committees", org.kind,
                                   {"every"} if fig.committees == fig.branches else set(), n=fig.committees))
    share = fig.share_professional_secretaries
    if share is not None:
        whom = catalogue.say("basic.dual_leader_whom", "", {"retired_branches"} if fig.retired_branches else set(),
                             name="")
        if fig.professional_secretaries == 1 and share == "100.0%":  # the one secretary it applies to
            parts.append(catalogue.say("basic.dual_leader_one", whom=whom))
        else:
            parts.append(catalogue.say("basic.dual_leader_share", whom=whom, n=fig.professional_secretaries,
                                       share=share))
    return join_clauses(parts)


def members_sentence(year: YearData, fig: Figures) -> str:
    """The members: the total (with the full/probationary split where given), then each figure
    the data gives, with its share of the total; the in-service count only where the number
    retired is known, and not again as the total when none are retired."""
    m = fig.members
    if m is None:
        return ""
    say = catalogue.say
    split = {"split"} if m.split_known else set()
    if m.probationary:
        split.add("probationary")
    parts = [say("basic.members.total", year.organisation.kind, split,
                 subject=wording.form(year.organisation).members_subject, total=m.total, full=m.full,
                 probationary=m.probationary)]
    if m.women:
        parts.append(say("basic.members.women", n=m.women, share=fig.share(m.women)))
    if m.under_35:
        parts.append(say("basic.members.young", n=m.under_35, share=fig.share(m.under_35)))
    if m.ethnic_minority:
        parts.append(say("basic.members.minority", n=m.ethnic_minority))
    if m.education is not None:
        e = m.education
        levels = [(getattr(e, level), catalogue.words("education_levels", level)[0])
                  for level in ("postgraduate", "bachelor", "college", "secondary")]
        education = "、".join(say("basic.members.education", level=label, n=n) for n, label in levels if n)
        share = fig.share(m.bachelor_or_above)
        parts.append(education + "，" + say("basic.members.degree_share", share=share)
                     if share is not None else education)
    if m.retired:
        parts.append(say("basic.members.retired", n=m.retired))
    if fig.share_of_staff is not None or m.retired:
        known = {"staff_share"} if fig.share_of_staff is not None else set()
        if not m.retired:
            known.add("all_in_service")  # the in-service count is the total already said
        parts.append(say("basic.members.in_service", year.organisation.kind, known, n=m.in_service,
                         staff=fig.staff, share=fig.share_of_staff))
    return join_clauses(parts, "；")


def leadership_sentence(year: YearData, name: str | None = None) -> str:
    """``医院党委由7名委员组成，书记王建国，副书记李振华。``: the 党委/党总支's own committee."""
    return sentence(_leadership_clause(year, name))


def _leadership_clause(year: YearData, name: str | None = None) -> str:
    org = year.organisation
    name = org.name if name is None else name
    people = org.committee
    if org.is_branch or not people:
        return ""
    roles = [m.role + m.name for m in people if m.role]
    others = [m.name for m in people if not m.role]
    if others:
        roles.append(say("basic.committee.others", names="、".join(others)))
    return say("basic.leadership", name=name, n=len(people), roles="，".join(roles))


def basic_situation(year: YearData, fig: Figures, with_hospital: bool = True,
                    ledger: Ledger | None = None) -> list[str]:
    """The hospital, then the body (named short once the hospital is named), then its members.

    The body's committee and its set-up are one paragraph: ``医院党委由9名委员组成，…；下设党支部8个…``.
    """
    if ledger is not None:
        if not year.organisation.is_branch and fig.share_professional_secretaries is not None:
            ledger.state(Fact(SECRETARIES_SHARE, fig.professional_secretaries or 0), BASIC)
        if fig.members is not None and fig.members.under_35:
            ledger.state(Fact(YOUNG_SHARE, fig.members.under_35), BASIC)
    hospital = hospital_sentence(year) if with_hospital else ""
    name = wording.short_name(year.organisation) if hospital else year.organisation.name
    leaders = _leadership_clause(year, name)
    setup = organisation_sentence(year, fig, "" if leaders and not year.organisation.is_branch else name)
    # the committee and the set-up it leads are one sentence: “医院党委由9名委员组成，…；下设…”
    leaders, setup = (leaders + "；" + setup, "") if leaders and setup else (sentence(leaders), setup)
    found = [hospital, *(text_paragraphs(year.organisation.profile) if with_hospital else []),
             leaders, setup, members_sentence(year, fig)]
    return [p for p in found if p]


# -- counts by activity type -------------------------------------------------------------------

def held_clauses(held: Sequence[Held]) -> str:
    """``召开党委会24次，开展理论学习中心组集中学习11次、个人自学33次``: by type and form."""
    by_type: dict[str, list[Held]] = {}
    for h in held:
        if h.count:
            by_type.setdefault(h.type, []).append(h)
    groups: list[tuple[str, list[str]]] = []
    for activity_type, forms in by_type.items():
        items = []
        for i, h in enumerate(forms):
            if activity_type == wording.CENTRAL_GROUP_STUDY:
                known = ({"first"} if i == 0 else set()) | ({"form"} if h.form else set()) \
                    | ({"personal"} if h.form == wording.PERSONAL_STUDY else set())
                name = say("held.study_name", "", known, way=h.form or "")
            else:
                name = wording.activity_name(h.type) if i == 0 or not h.form else h.form
                if h.form and i == 0 and len(forms) == 1:
                    name = f"{h.form}{wording.activity_name(h.type)}" if not h.form.endswith(h.type) else h.form
                elif h.form and i == 0:
                    name = h.form
            items.append(say("held.count", name=name, n=h.count))
        verb = wording.verb(activity_type)
        same = next((g for g in groups if g[0] == verb), None)
        if same is not None:
            same[1].extend(items)
        else:
            groups.append((verb, items))
    return "，".join(verb + "、".join(items) for verb, items in groups)


def _participants(held: Sequence[Held]) -> int | None:
    known = [h.participants for h in held if h.count]
    if not known or any(p is None for p in known):
        return None
    return sum(p for p in known if p is not None)


COUNT_UNITS = ("次", "期", "场", "轮")
PEOPLE_UNITS = ("人次",)


def activity_words(activity_type: str) -> tuple[str, ...]:
    """How text names an activity type (the catalogue's list, else the type and its name)."""
    return catalogue.words("activity_names", activity_type) or (activity_type, wording.activity_name(activity_type))


def held_fact(h: Held, scope: object = "year") -> Fact:
    """A count of one activity type (one form of it) held by the body or its branches.

    ``scope``: the year's count, or the part linked to a task (``("task", ids)``)."""
    names = activity_words(h.type) + ((h.form,) if h.form else ())
    return Fact(("held", h.type, h.form, h.organisation_level, scope), h.count, names, COUNT_UNITS,
                specific=(h.form,) if h.form else (h.type, wording.activity_name(h.type)))


def participants_fact(h: Held, scope: object = "year") -> Fact:
    return Fact(("participants", h.type, h.organisation_level, scope), h.participants or 0,
                ("参加党员", "党员", *activity_words(h.type)), PEOPLE_UNITS)


Part = tuple[str, str]
"""(subject, clauses) of a sentence about what a body did: ``("各党支部", "共开展“三会一课”320次")``;
an empty subject where the clauses name it (``召开党委会24次``)."""


def compose(parts: Sequence[Part], extra: Sequence[str] = ()) -> str:
    """``全年`` + each part, its subject said once while it stays the same, joined with ，; ``extra``
    clauses (``平均参会率96.1%``) close the sentence."""
    said: list[str] = []
    last: str | None = None
    for subject, clauses in parts:
        if clauses:
            said.append((subject if subject != last else "") + clauses)
            last = subject
    if not said:
        return join_clauses(extra)
    return join_clauses([say("life.whole_year") + said[0], *said[1:], *extra])


def organisation_activities(year: YearData, fig: Figures, ledger: Ledger | None = None) -> str:
    """The 党委/党总支's own meetings and study, by type; counts the document has already given
    (in its own sentences or the user's, with the figure) are left out."""
    return compose(_own_parts(year, fig, ledger if ledger is not None else Ledger()))


def _own_parts(year: YearData, fig: Figures, ledger: Ledger) -> list[Part]:
    own = [h for h in fig.held if h.organisation_level and not ledger.given(held_fact(h))]
    subject = wording.form(year.organisation).self_word
    lectures = _secretary_own_lectures(year)
    if lectures and not year.organisation.is_branch:
        # lectures the 党委 secretary gave himself (all of the body's own) are said as his
        own = [h for h in own if h.type != "党课"]
    clauses = held_clauses(own)
    lecture_fact = Fact(("secretary-lectures", "organisation"), lectures, ("党课",), COUNT_UNITS)
    if lectures and not year.organisation.is_branch and not ledger.given(lecture_fact):
        clauses = "，".join(c for c in (clauses, say("life.own_secretary_lectures", subject=subject, n=lectures)) if c)
        ledger.state(lecture_fact)
    for h in own:
        ledger.state(held_fact(h))
    return [(_subject_for(subject, own), clauses)] if clauses else []


def _subject_for(subject: str, held: Sequence[Held]) -> str:
    """No “党委召开党委会”: the first meeting's name already says whose it is; and none before
    the secretary's own lectures alone, which name the body themselves (“党委书记讲党课3次”)."""
    first = next((h for h in held if h.count), None)
    if first is None:
        return ""
    return "" if subject in first.type + (first.form or "") else subject


def _secretary_own_lectures(year: YearData) -> int:
    """党课 held by the organisation itself, all given by its secretary; 0 otherwise."""
    secretary = year.organisation.secretary
    own = [a for cell in log_index(year).of_type("党课") for a in cell.rows if a.branch is None]
    if not secretary or not own or any(a.speaker != secretary for a in own):
        return 0
    return len(own)


# -- organisational life -----------------------------------------------------------------------

def _basis(tallies: Sequence[Tally]) -> str:
    bases = {t.rule.basis for t in tallies}
    only = bases.pop() if len(bases) == 1 else None
    return only if only is not None else wording.DEFAULT_BASIS


def _shortfall_item(group: Sequence[Tally], everyone: tuple[str, str]) -> Shortfall:
    """(units, period, verb, activity, rule) of one shortfall; the verb carries 未 when none was held,
    the activity carries 不足 when some were."""
    t = group[0]
    rule = t.rule
    periods = period_span(rule.period, t.short_periods)
    if rule.period == "year" or len(t.short_periods) == PERIODS[rule.period]:
        periods = say("life.whole_year")
    units = "、".join(dict.fromkeys(x.unit_name for x in group))
    if everyone[0] and units == everyone[0]:
        units = everyone[1]  # every branch short of the same: “各党支部”
    name = wording.activity_name(rule.activity)
    verb = wording.verb(rule.activity)
    required = Requirement(rule.period, verb, rule.min)
    if t.held == 0 or rule.min == 1:
        return Shortfall(units, periods, say("life.none_held", verb=verb), name, required, True)
    return Shortfall(units, periods, verb, say("life.too_few", activity=name, n=rule.min), required, False)


class Requirement(NamedTuple):
    """What a rule asks: ``(quarter, 召开, 1)`` reads 每季度至少召开1次."""

    period: str
    verb: str
    min: int


class Shortfall(NamedTuple):
    """One shortfall as it will be said; ``none_held``: the verb carries 未 (nothing was held) and
    the rule goes in brackets, else the activity carries 不足 and names its rule itself."""

    units: str
    period: str
    verb: str
    activity: str
    requirement: Requirement
    none_held: bool


def _requirement(rule: Requirement, with_verb: bool) -> str:
    """``每季度至少召开1次`` for the sentence, ``每季度至少1次`` in brackets."""
    return catalogue.say("life.requirement", period=PERIOD_WORDS[rule.period], verb=rule.verb if with_verb else "",
                         n=rule.min)


def _one_unit(items: Sequence[Shortfall]) -> str:
    """One unit's shortfalls: periods in turn, activities with one verb together, each rule in brackets."""
    by_period: dict[str, list[Shortfall]] = {}
    for item in items:
        by_period.setdefault(item.period, []).append(item)
    segments = []
    for period, rows in by_period.items():
        by_verb: dict[tuple[str, bool], list[tuple[str, Requirement]]] = {}
        for row in rows:
            verb = row.verb if row.none_held else row.verb + row.activity
            by_verb.setdefault((verb, row.none_held), []).append((row.activity, row.requirement))
        clauses = []
        for (verb, none_held), named in by_verb.items():
            if not none_held:
                clauses.append(verb)  # “召开支部党员大会不足2次” names its rule itself
                continue
            by_rule: dict[Requirement, list[str]] = {}
            for name, rule in named:
                by_rule.setdefault(rule, []).append(name)
            parts = [_listed(names) + catalogue.say("life.rule_bracket", rule=_requirement(rule, False))
                     for rule, names in by_rule.items()]
            clauses.append(verb + "、".join(parts))
        segments.append(period + "，".join(clauses))
    return items[0].units + "，".join(segments)


def _listed(names: Sequence[str]) -> str:
    return say("list.last", head="、".join(names[:-1]), last=names[-1]) if len(names) > 1 else "".join(names)


def _shortfalls(short: Sequence[Tally], everyone: tuple[str, str] = ("", ""), attached: str | None = None) -> str:
    """Shortfalls named with unit, period and rule; one unit's shortfalls said in one clause.

    A single shortfall reads ``外科党支部第二季度未召开支部党员大会，未达到每季度至少召开1次的要求``;
    several name each rule in brackets so that the unit and “未达到” are not said again and again.
    Past a handful, the attached table has the rest.
    """
    groups: dict[tuple[object, ...], list[Tally]] = {}
    for t in short:
        key = (t.rule.activity, t.rule.period, t.rule.min, t.short_periods, t.held == 0)
        groups.setdefault(key, []).append(t)
    items = [_shortfall_item(g, everyone) for g in list(groups.values())[: wording.SHORTFALLS_NAMED]]
    if len(items) == 1:
        units, period, verb, name, required, _ = items[0]
        named = [catalogue.say("life.shortfall_one", unit=units, period=period, verb=verb, activity=name,
                               required=_requirement(required, True))]
    else:
        by_unit: dict[str, list[Shortfall]] = {}
        for item in items:
            by_unit.setdefault(item.units, []).append(item)
        named = [_one_unit(rows) for rows in by_unit.values()]
    if len(groups) > wording.SHORTFALLS_NAMED:
        rest = sum(len(g) for g in list(groups.values())[wording.SHORTFALLS_NAMED:])
        named.append(catalogue.say("life.shortfalls_more", "", {"attached"} if attached is not None else set(), n=rest,
                                   attachment=attached or ""))
    text = join_clauses(named, "；")
    return text if text.endswith("。") else text + "。"  # a bracket closes the rule, not the sentence


def organisational_life(year: YearData, fig: Figures, attached: str | None = None, ledger: Ledger | None = None,
                        with_own: bool = True) -> list[str]:
    """Met requirements said as met in one sentence; each shortfall named; the totals once.

    Empty when the year has neither an activity log nor counts for the branches' meetings.
    ``attached``: the document attaches the branch table, so the text may point to it: its number
    among the attachments (``"1"``), or ``""`` when it is the only one.
    ``ledger``: what the document has stated; a count it has given is not given again.
    """
    out, _ = _branches_life(year, fig, attached, ledger if ledger is not None else Ledger())
    if with_own:
        out.append(own_compliance(year, fig))
    return [o for o in out if o]


def _branches_life(year: YearData, fig: Figures, attached: str | None, ledger: Ledger,
                   lead: Sequence[Part] = ()) -> tuple[list[str], bool]:
    """The branches' organisational life, opening with ``lead`` (the body's own meetings) when it
    has a first sentence to join; whether it did."""
    branches_word = _branches_word(year)
    if lead and year.organisation.is_branch:
        branches_word = lead[-1][0] or branches_word  # a branch's own study and its meetings: one subject
    used = False
    branch_held = [h for h in fig.held if not h.organisation_level]
    tallies = [t for t in fig.tallies if t.branch is not None]
    out: list[str] = []
    if tallies:
        three = sum(h.count for h in branch_held if h.type in THREE_MEETINGS_ONE_LECTURE)
        theme_days = sum(h.count for h in branch_held if h.type == "主题党日")
        totals = [say("life.total_three", n=three) if three else ""]
        if theme_days:
            totals.append(say("life.total_theme_days", n=theme_days))
        order = [r.activity for r in DEFAULT_RULES]
        types = sorted({t.rule.activity for t in tallies},
                       key=lambda a: (order.index(a) if a in order else len(order), a))
        short = [t for t in tallies if not t.compliant]
        falling_short = {t.rule.activity for t in short}
        met = [a for a in types if a not in falling_short]
        first: list[Part] = [(branches_word, say("life.totals", items="、".join(t for t in totals if t)))] \
            if any(totals) else []
        rate = [say("life.attendance", rate=fig.attendance.rate)] if fig.attendance.rate is not None else []
        used = bool(first and lead)
        out.append(compose([*lead, *first] if first else [], rate))
        if met:
            out.append(sentence(catalogue.say(
                "life.met", year.organisation.kind, {"several"} if len(met) > 1 else set(), subject="",
                activities=_listed([wording.activity_name(a) for a in met]), basis=_basis(tallies))))
        # what was done first, then what falls short
        out.append(_secretary_lectures(year, fig))
        rest = [h for h in branch_held if h.type not in order and not ledger.given(held_fact(h))]
        if rest:
            out.append(sentence(say("life.also", subject=branches_word, clauses=held_clauses(rest))))
            for h in rest:
                ledger.state(held_fact(h))
        if short:
            all_names = "、".join(b.name for b in year.party_branches)
            # all branches short alike: “各党支部”; a branch writing for itself: “支部”
            everyone = (all_names, branches_word) \
                if len(year.party_branches) > 1 or year.organisation.is_branch else ("", "")
            out.append(_shortfalls(short, everyone, attached))
    elif branch_held:
        out.append(compose([*lead, (branches_word, held_clauses(branch_held))]))
        used = bool(lead)
    return [o for o in out if o], used


def _branches_word(year: YearData) -> str:
    """各党支部; a 党委 with one branch names it (“各” of one is wrong); a branch is “支部”."""
    branches = year.party_branches
    if not year.organisation.is_branch and len(branches) == 1:
        return branches[0].name
    return wording.form(year.organisation).branches_word


def own_compliance(year: YearData, fig: Figures) -> str:
    """Rules on the 党委/党总支 itself (中心组学习 monthly …): met said as met, or each shortfall."""
    own = [t for t in fig.tallies if t.branch is None]
    if own and all(t.compliant for t in own):
        names = list(dict.fromkeys(wording.activity_name(t.rule.activity) for t in own))
        return sentence(catalogue.say(
            "life.met", year.organisation.kind, {"several"} if len(names) > 1 else set(),
            subject=wording.form(year.organisation).self_word, activities="、".join(names), basis=_basis(own)))
    if own:
        return _shortfalls([t for t in own if not t.compliant])
    return ""


def life_paragraphs(year: YearData, fig: Figures, ledger: Ledger | None = None,
                    attached: str | None = None) -> list[str]:
    """Organisational life as an office writes it: the body's own meetings and the branches' in
    one or two paragraphs of whole sentences, not a line for every figure."""
    ledger = ledger if ledger is not None else Ledger()
    own_parts = _own_parts(year, fig, ledger)
    own = compose(own_parts)
    rule = own_compliance(year, fig)
    # a branch's own study and its meetings are one subject (“全年支部开展…，召开…”); a short line
    # of the body's own joins the branches' (“全年召开党委会18次，各党支部召开…”)
    joins = bool(own_parts) and (year.organisation.is_branch or len(own) <= wording.SHORT_PARAGRAPH)
    branches, used = _branches_life(year, fig, attached, ledger, own_parts if joins else ())
    if used:
        own = ""
    if own or not branches:
        own += rule  # the body's own rules follow its own meetings
    else:
        branches.append(rule)
    return [p for p in (own, "".join(branches)) if p]


def _secretary_lectures(year: YearData, fig: Figures) -> str:
    if fig.secretary_lectures is None or not fig.secretary_lectures:
        return ""
    lecturers = {(a.branch, a.speaker) for cell in log_index(year).of_type("党课") for a in cell.rows}
    every = all(b.secretary and (b.id, b.secretary) in lecturers for b in year.party_branches)
    n = len(year.party_branches)
    known = {"branch"} if year.organisation.is_branch else set()
    if every and n > 1:
        known |= {"every"} | ({"more"} if fig.secretary_lectures != n else set())
    return sentence(say("life.secretary_lectures", "", known, n=n, lectures=fig.secretary_lectures))


# -- development and dues ----------------------------------------------------------------------

def development_fact(field: str, n: int) -> Fact:
    units = ("份",) if field == "applied" else ("名", "人")
    return Fact(("development", field), n, catalogue.words("development_names", field), units)


def development_sentence(fig: Figures, ledger: Ledger | None = None, follows: bool = False) -> str:
    """The year's development figures, less those the document has already stated; ``follows``:
    after the user's own sentence of the year's development, which has said 全年."""
    ledger = ledger if ledger is not None else Ledger()
    d = fig.development
    clauses = []
    for field in wording.DEVELOPMENT_STEPS:
        n = getattr(d, field)
        if n and not ledger.given(development_fact(field, n)):
            clauses.append(catalogue.say("development.step", "", {field}, n=n))
            ledger.state(development_fact(field, n))
    lead = "" if follows else say("life.whole_year")
    return join_clauses([lead + clauses[0], *clauses[1:]]) if clauses else ""


def dues_sentence(fig: Figures, follows: bool = False) -> str:
    """The dues collected; ``follows``: a clause closing the user's sentence about dues."""
    if not fig.dues_total:
        return ""
    return say("dues.total", "", {"follows"} if follows else set(), amount=format_money(fig.dues_total))


def close_paragraph(body: list[str], clause: str) -> list[str]:
    """``clause`` closes the last paragraph: after a comma when the two stay short (a list of
    figures has no verb of its own to stand on), else as a sentence of its own."""
    if not clause:
        return body
    if not body:
        return [sentence(clause)]
    last = body[-1].rstrip("。").split("。")[-1]
    if body[-1].endswith("。") and len(last) + len(clause) <= wording.FIGURES_JOIN:
        return [*body[:-1], body[-1].removesuffix("。") + "，" + sentence(clause)]
    return [*body[:-1], body[-1] + sentence(clause)]


# -- work sections -----------------------------------------------------------------------------

def figure_fact(f: Figure) -> Fact:
    """A figure the data gives a section or result (``专项检查4次``)."""
    label = full_width(f.label)
    unit = f.unit or ""
    units = tuple(dict.fromkeys(u for u in (unit, unit.removeprefix("余")) if u))
    return Fact(("figure", label, f.value, unit), f.value, (label, label[:2], label[-2:]), units)


def with_figures(body: list[str], figures: Iterable[Figure], ledger: Ledger | None = None,
                 where: str = "") -> list[str]:
    """The figures close the last paragraph rather than standing alone as a line of numbers."""
    figures = list(figures)
    said = figures_sentence(figures)
    if ledger is not None:
        for f in figures:
            ledger.state(figure_fact(f), where)
        ledger.quote(said, where)  # the user's figures, as the user's words: 接收预备党员4名
    return close_paragraph(body, said)  # “…就医更加便捷，住院患者满意度98.1%。”


def figure_verb(f: Figure) -> tuple[str, str]:
    """(verb, the rest) of a figure as a clause: the data's verb, a verb its label opens with, or
    the verb of its unit (``次`` → 开展); a measure (``满意度98.1%``) has none."""
    said = quantity(full_width(f.label), f.value, f.unit)
    if f.verb:
        return f.verb, said
    found = _opening_verb(catalogue.words("figure_verbs", "verbs")).match(said)
    opening = found.group() if found is not None else ""
    if opening:
        return opening, said[len(opening):]
    unit = (f.unit or "").removeprefix("余")
    by_unit = catalogue.words("figure_verbs", f"unit:{unit}")
    return (by_unit[0] if by_unit else ""), said


@functools.lru_cache(maxsize=16)
def _opening_verb(verbs: tuple[str, ...]) -> re.Pattern[str]:
    """The longest of ``verbs`` a text opens with, as one pattern (made once per word list:
    every figure of every result asks)."""
    return re.compile("|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True)))


def figures_sentence(figures: Iterable[Figure]) -> str:
    """The figures as clauses, each with its verb: ``开展专项检查4次、整改问题18个``; figures under
    one verb share it (``评选党员示范岗32个、党员先锋队6支``); measures stand as they are."""
    groups: list[tuple[str, list[str]]] = []
    for f in figures:
        verb, rest = figure_verb(f)
        if verb and groups and groups[-1][0] == verb:
            groups[-1][1].append(rest)
        else:
            groups.append((verb, [rest]))
    clauses: list[str] = []
    for i, (verb, items) in enumerate(groups):
        clause = verb + "、".join(items)
        if verb and i and groups[i - 1][0]:
            clauses[-1] += "、" + clause  # one action after another: 开展…、整改…
        else:
            clauses.append(clause)
    return join_clauses(clauses)


def meeting_types(year: YearData) -> frozenset[str]:
    """Meetings counted in organisational life: the rules' types and the body's own meetings.

    A task or practice linked to such a meeting was discussed there; the meeting is not its work."""
    return frozenset({r.activity for r in effective_rules(year.rules)} | set(ORGANISATION_TYPES))


def linked_sentence(year: YearData, activities: Sequence[Activity], ledger: Ledger | None = None,
                    scope: object = "linked", under_way: bool = False) -> str:
    """A task's or practice's own activities by type and by who held them.

    ``开展党员教育培训2次，参加党员200人次``: never the meetings organisational life counts (a
    meeting that discussed the task is not its work), never a count the document has given,
    and participants only for a single type (never summed over different activities).
    """
    ledger = ledger if ledger is not None else Ledger()
    org = year.organisation
    words = wording.form(org)
    meetings = meeting_types(year)
    activities = [a for a in activities if a.type not in meetings]
    own_rows = [a for a in activities if a.branch is None]
    branch_rows = [a for a in activities if a.branch is not None]
    own = [h for h in _held(own_rows, True) if not ledger.given(held_fact(h, scope))]
    theirs = [h for h in _held(branch_rows, False) if not ledger.given(held_fact(h, scope))]
    # the main kinds only (a writer names the three most frequent), meetings first where counts tie
    kept = sorted(own + theirs, key=lambda h: (-h.count, wording.verb(h.type) != "召开"))[: wording.LINKED_TYPES]
    own = [h for h in kept if h in own]
    theirs = [h for h in kept if h in theirs]
    clauses = []
    if own:
        text = held_clauses(own)
        clauses.append(_subject_for(words.self_word, own) + text if theirs or org.is_branch else text)
    if theirs:
        ids = {a.branch for a in branch_rows if any(h.type == a.type for h in theirs)}
        names = [b.name for b in year.party_branches if b.id in ids]
        if org.is_branch or (len(names) > 1 and len(names) == len(year.party_branches)):
            units = catalogue.say("linked.all_branches", branches=words.branches_word)
        elif len(names) == 1:
            units = names[0]
        else:
            units = catalogue.say("linked.some_branches", n=len(ids))
        clauses.append(units + held_clauses(theirs))
    if not clauses:
        return ""
    for h in kept:
        ledger.state(held_fact(h, scope))
        whole = [y for y in _year_held(year) if y.type == h.type and y.organisation_level == h.organisation_level]
        if sum(y.count for y in whole) == h.count:  # all of the year's: the year's count is said here
            for y in whole:
                ledger.state(held_fact(y))
    people = ""
    if len(kept) == 1 and kept[0].participants and not ledger.given(participants_fact(kept[0], scope)):
        people = catalogue.say("linked.people", n=kept[0].participants)
        ledger.state(participants_fact(kept[0], scope))
    # a task still under way at the year's end, with only its activities to show, says so
    return join_clauses([*clauses, people, catalogue.say("linked.under_way") if under_way else ""])


def _year_held(year: YearData) -> tuple[Held, ...]:
    from ..domain.figures import held

    return held(year)


def _held(rows: Sequence[Activity], organisation_level: bool) -> list[Held]:
    counts: dict[str, list[Activity]] = {}
    for a in rows:
        counts.setdefault(a.type, []).append(a)
    return [Held(t, None, len(r), None if any(a.present is None for a in r) else sum(a.present or 0 for a in r),
                 organisation_level) for t, r in counts.items()]


Bodies = dict[str, list[str]]
"""The paragraphs of each drafted task or work section, by its id: where a fact's home is."""


def task_done_draft(year: YearData, task: Task, level: int = 2, ledger: Ledger | None = None,
                    bodies: Bodies | None = None) -> Draft | None:
    """A plan task in the summary: its own outcome, then each sub-task's outcome at its level.

    A task with nothing done to report (no outcome anywhere below it) is left out.
    """
    ledger = ledger if ledger is not None else Ledger()
    body = text_paragraphs(task.outcome)
    children = [d for d in (task_done_draft(year, t, level + 1, ledger, bodies) for t in task.subtasks) if d]
    if not body and not children:
        linked = linked_sentence(year, task_activities(year, task), ledger, ("task", task.id),
                                 under_way=progress(year).state_of(task) == UNDER_WAY)
        if not linked:
            return None
        body = [linked]
    if bodies is not None:
        bodies[task.id] = body
    return Draft(full_width(task.title), body, children)


def work_draft(year: YearData, work: Work, ledger: Ledger | None = None, bodies: Bodies | None = None) -> Draft | None:
    """A section of the year's work written directly in the data: what was done, what came of it."""
    ledger = ledger if ledger is not None else Ledger()
    body = text_paragraphs(work.detail) + text_paragraphs(work.outcome)
    if work.figures:
        body = with_figures(body, work.figures, ledger, work.id or work.title)
    ids = frozenset(w.id for w in work.walk() if w.id)
    linked = linked_sentence(year, linked_to(year, ids), ledger, ("work", ids)) if ids else ""
    if linked:
        body.append(linked)
    children = [d for d in (work_draft(year, w, ledger, bodies) for w in work.subsections) if d]
    if not body and not children:
        return None
    if bodies is not None and work.id:
        bodies[work.id] = body
    return Draft(full_width(work.title), body, children, anchor=f"work:{work.id or work.title}")


def quote_work(year: YearData, ledger: Ledger, practices: bool = False) -> None:
    """Record every sentence of the user's the document prints, before writing any of its own:
    a count the user gives anywhere (with its figure) is not given again. The work is the
    named practices (the report, when it has them), else the work sections, else the plan's
    task outcomes; then the results."""
    if practices and year.practices:
        for practice in year.practices:
            ledger.quote(practice.detail, practice.title)
    elif year.work:
        for top in year.work:
            for w in top.walk():
                ledger.quote(w.detail, w.id or w.title)
                ledger.quote(w.outcome, w.id or w.title)
    elif year.plan is not None:
        for task in year.plan.all_tasks():
            ledger.quote(task.outcome, task.id)
    for result in year.results:
        ledger.quote(result.detail, "result:" + result.title)
        ledger.quote(figures_sentence(result.figures), "result:" + result.title)


def life_home(year: YearData) -> str | None:
    """The task or work section organisational life is the substance of: the one whose own
    activities span the most of the rules' meeting types (three or more), if any."""
    rule_types = {r.activity for r in effective_rules(year.rules)}
    log = year.activities
    spans = {task: kinds for task, rows in log_index(year).by_task.items()
             if (kinds := {log[i].type for i in rows} & rule_types)}
    best = max(spans.items(), key=lambda kv: (len(kv[1]), kv[0]), default=None)
    return best[0] if best is not None and len(best[1]) >= 3 else None


def development_home(fig: Figures, ledger: Ledger) -> str | None:
    """The section whose user text gives some of the year's development figures: the rest go there."""
    d = fig.development
    for field in wording.DEVELOPMENT_STEPS:
        n = getattr(d, field)
        where = ledger.where(development_fact(field, n)) if n else None
        if where:
            return where
    return None


def work_done(year: YearData, fig: Figures, ledger: Ledger | None = None, attachment: str = "") -> list[Draft]:
    """What the year's work came to: plan tasks or work sections, then organisational life,
    development and dues, each only where the data says something, each fact in one place:
    organisational life under the task it is the substance of, development with the figures
    the user gave. ``attachment``: the branch table's number among the attachments ("" alone)."""
    ledger = ledger if ledger is not None else Ledger()
    quote_work(year, ledger)
    bodies: Bodies = {}
    if year.work:
        work = [d for d in (work_draft(year, w, ledger, bodies) for w in year.work) if d]
    elif year.plan:
        work = [d for d in (task_done_draft(year, t, 2, ledger, bodies) for t in year.plan.tasks) if d]
    else:
        work = []
    tabled = any(t.branch is not None for t in fig.tallies) and len(year.party_branches) > 1
    attached = attachment if tabled else None
    home = life_home(year)
    if home in bodies:
        # the branches' meetings under the task they are the substance of; the body's own apart
        branches = organisational_life(year, fig, attached, ledger, with_own=False)
        if branches:
            bodies[home].append("".join(branches))
        own = organisation_activities(year, fig, ledger) + own_compliance(year, fig)
        if own:
            work.append(Draft(catalogue.say("summary.heading.life", year.organisation.kind), [own]))
    else:
        life = life_paragraphs(year, fig, ledger, attached)
        if life:
            work.append(Draft(catalogue.say("summary.heading.life", year.organisation.kind), life))
    # development with the user's own figures of it, dues with the user's words on dues: each
    # closing the paragraph it continues; one subject a sentence, never 入党申请 and 党费 together
    home = development_home(fig, ledger)
    steps = development_sentence(fig, ledger, follows=home in bodies)
    if home in bodies and steps:
        bodies[home][-1:] = [bodies[home][-1] + sentence(steps)] if bodies[home] else [sentence(steps)]
        steps = ""
    dues_home = ledger.about(catalogue.words("subject_names", "dues"))
    dues = dues_sentence(fig, follows=dues_home in bodies)
    if dues_home in bodies and dues:
        bodies[dues_home][:] = close_paragraph(bodies[dues_home], dues)
        dues = ""
    if steps or dues:
        work.append(Draft(catalogue.say("summary.heading.development", year.organisation.kind),
                          [sentence(p) for p in (steps, dues) if p]))
    return work


# -- results -----------------------------------------------------------------------------------

def result_draft(result: Result, ledger: Ledger) -> Draft | None:
    """A result, unless the work sections have given it: its detail where not quoted already,
    its figures where not stated already; a result all of whose figures the work sections gave
    repeats them and is left out."""
    elsewhere = [_given_elsewhere(ledger, figure_fact(f), result) for f in result.figures]  # asked once a figure
    if result.figures and all(elsewhere) and not any(c.isdigit() for c in result.detail or ""):
        return None  # its figures are the work's, and its words carry no fact of their own
    where = "result:" + result.title
    body = [p for p in text_paragraphs(result.detail) if not ledger.quoted_elsewhere(p, where)]
    fresh = [f for f, given in zip(result.figures, elsewhere, strict=True) if not given]
    if fresh:
        body = with_figures(body, fresh, ledger, "result:" + result.title)
    return Draft(full_width(result.title), body) if body else None


def _given_elsewhere(ledger: Ledger, fact: Fact, result: Result) -> bool:
    where = ledger.where(fact)
    return where is not None and where != "result:" + result.title


