"""Sentences that put computed figures into words; shared by the summary and the report.

Each function returns whole sentences built from one template in :mod:`.wording`, and leaves out
every clause whose figure the data does not give. Nothing here prints a zero or a share of
nothing for a fact that is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from ..domain.compliance import PERIOD_WORDS, PERIODS, Tally, period_span
from ..domain.figures import Figures, Held, task_activities
from ..domain.rules import DEFAULT_RULES, THREE_MEETINGS_ONE_LECTURE
from ..domain.writing import format_money, format_number, full_width, join_clauses, paragraphs, quantity, sentence
from ..model import Activity, Branch, Figure, Result, Task, Work, YearData
from . import wording
from .outline import Draft


class Titled(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def detail(self) -> str | None: ...


def titled_drafts(items: Iterable[Titled]) -> list[Draft]:
    """Problems, intentions, safeguards: a heading from the title, paragraphs from the detail."""
    return [Draft(full_width(i.title), [sentence(p) for p in paragraphs(i.detail)]) for i in items]


def text_paragraphs(text: str | None) -> list[str]:
    return [sentence(p) for p in paragraphs(text)]


# -- 基本情况 ----------------------------------------------------------------------------------

def hospital_sentence(year: YearData) -> str:
    """``…是一所三级甲等综合医院，编制床位1200张、开放床位1100张，现有职工1260人。``"""
    org = year.organisation
    kind = wording.hospital_kind(org)
    beds = [f"编制床位{org.beds}张" if org.beds is not None else "",
            f"开放床位{org.open_beds}张" if org.open_beds is not None else ""]
    rest = ["、".join(b for b in beds if b), f"现有职工{org.staff}人" if org.staff is not None else ""]
    rest = [r for r in rest if r]
    if kind:
        return join_clauses([f"{org.hospital}是一所{kind}", *rest])
    if rest:
        return join_clauses([f"{org.hospital}{rest[0]}", *rest[1:]])
    return ""


def _branch_breakdown(fig: Figures) -> str:
    parts = [(fig.in_service_branches - fig.joint_branches, "在职党支部"),
             (fig.retired_branches, "离退休党支部"), (fig.joint_branches, "联合党支部")]
    shown = [f"{label}{n}个" for n, label in parts if n]
    return f"（其中{'、'.join(shown)}）" if len(shown) > 1 else ""


def _committee_people(branch: Branch) -> str:
    """``支部委员会由5名委员组成，书记张三，副书记李四，…``, or secretary and deputy alone."""
    roles = [f"{m.role}{m.name}" for m in branch.committee if m.role]
    others = [m.name for m in branch.committee if not m.role]
    if branch.committee:
        head = f"支部委员会由{len(branch.committee)}名委员组成"
        if roles:
            return head + "，" + "，".join(roles + (["委员" + "、".join(others)] if others else []))
        return head + "（" + "、".join(others) + "）"
    if branch.committee_size:
        return f"支部委员会由{branch.committee_size}名委员组成"
    people = [f"书记{branch.secretary}" if branch.secretary else "",
              f"副书记{branch.deputy_secretary}" if branch.deputy_secretary else ""]
    people = [p for p in people if p]
    if not people:
        return ""
    return "支部不设支部委员会，设" + "、".join(people) if branch.deputy_secretary else "支部" + people[0]


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
        parts = [f"下设党小组{fig.groups}个" if fig.groups else "", _committee_people(branch)]
        if branch.secretary_is_professional_leader:
            parts.append(wording.DUAL_LEADER_ONE.format(whom="支部书记"))
        parts = [p for p in parts if p]
        if not parts:
            return ""
        # “支部委员会由…” after the name reads as the proper name “…党支部委员会由…”
        parts[0] = name + parts[0].removeprefix("支部")
        return join_clauses(parts)
    general = f"党总支{fig.general_branches}个、" if fig.general_branches else ""
    parts = [f"{name}下设{general}党支部{fig.branches}个{_branch_breakdown(fig)}"]
    if fig.groups:
        parts.append(f"党小组{fig.groups}个")
    if fig.committees:
        parts.append("各党支部均设立支部委员会" if fig.committees == fig.branches
                     else f"{fig.committees}个支部设立支部委员会")
    share = fig.share_professional_secretaries
    if share is not None:
        whom = "在职党支部书记" if fig.retired_branches else "党支部书记"
        if fig.professional_secretaries == 1 and share == "100.0%":  # the one secretary it applies to
            parts.append(wording.DUAL_LEADER_ONE.format(whom=whom))
        else:
            parts.append(wording.DUAL_LEADER_SHARE.format(whom=whom, n=fig.professional_secretaries, share=share))
    return join_clauses(parts)


def members_sentence(year: YearData, fig: Figures) -> str:
    m = fig.members
    if m is None:
        return ""
    subject = wording.form(year.organisation).members_subject
    head = f"{subject}共有党员{m.total}名"
    if m.split_known and m.probationary:
        head += f"，其中正式党员{m.full}名、预备党员{m.probationary}名"
    elif m.split_known:
        head += "，均为正式党员"
    parts = [head]
    if m.women:
        parts.append(f"女党员{m.women}名，占{fig.share(m.women)}")
    if m.under_35:
        parts.append(f"35岁及以下党员{m.under_35}名，占{fig.share(m.under_35)}")
    if m.ethnic_minority:
        parts.append(f"少数民族党员{m.ethnic_minority}名")
    if m.education is not None:
        e = m.education
        levels = [(e.postgraduate, "研究生"), (e.bachelor, "大学本科"), (e.college, "大专"),
                  (e.secondary, "中专及以下")]
        split = "、".join(f"{label}学历{n}名" for n, label in levels if n)
        share = fig.share(m.bachelor_or_above)
        parts.append(f"{split}，大学本科及以上学历占{share}" if share is not None else split)
    if m.retired:
        parts.append(f"离退休党员{m.retired}名")
    if fig.share_of_staff is not None and not m.retired:
        # no retired members: the in-service count is the total already said
        parts.append(f"均为在职党员，占全院职工{fig.staff}人的{fig.share_of_staff}")
    elif fig.share_of_staff is not None:
        parts.append(f"在职党员{m.in_service}名，占全院职工{fig.staff}人的{fig.share_of_staff}")
    elif m.retired:
        parts.append(f"在职党员{m.in_service}名")
    return join_clauses(parts, "；")


def leadership_sentence(year: YearData, name: str | None = None) -> str:
    """``医院党委由7名委员组成，书记王建国，副书记李振华。``: the 党委/党总支's own committee."""
    org = year.organisation
    name = org.name if name is None else name
    people = org.committee
    if org.is_branch or not people:
        return ""
    roles = [f"{m.role}{m.name}" for m in people if m.role]
    others = [m.name for m in people if not m.role]
    if others:
        roles.append("委员" + "、".join(others))
    return sentence(f"{name}由{len(people)}名委员组成，{'，'.join(roles)}")


def basic_situation(year: YearData, fig: Figures, with_hospital: bool = True) -> list[str]:
    """The hospital, then the body (named short once the hospital is named), then its members.

    The body's committee and its set-up are one paragraph: ``医院党委由9名委员组成，…；下设党支部8个…``.
    """
    hospital = hospital_sentence(year) if with_hospital else ""
    name = wording.short_name(year.organisation) if hospital else year.organisation.name
    leaders = leadership_sentence(year, name)
    setup = organisation_sentence(year, fig, "" if leaders and not year.organisation.is_branch else name)
    if leaders and setup:
        leaders, setup = leaders.removesuffix("。") + "；" + setup, ""
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
            if activity_type == "理论学习中心组学习":
                name = wording.ORGANISATION_FORMS.get((h.type, h.form)) or (
                    f"理论学习中心组{h.form}" if h.form else "理论学习中心组学习")
                if i:
                    name = h.form or "其他学习"
            else:
                name = wording.activity_name(h.type) if i == 0 or not h.form else h.form
                if h.form and i == 0 and len(forms) == 1:
                    name = f"{h.form}{wording.activity_name(h.type)}" if not h.form.endswith(h.type) else h.form
                elif h.form and i == 0:
                    name = h.form
            items.append(f"{name}{h.count}次")
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


def organisation_activities(year: YearData, fig: Figures, said: str = "") -> str:
    """The 党委/党总支's own meetings and study, by type; types already stated elsewhere are left out."""
    own = [h for h in fig.held if h.organisation_level and not _mentioned(h, said)]
    subject = wording.form(year.organisation).self_word
    lectures = _secretary_own_lectures(year)
    if lectures and not year.organisation.is_branch:
        # lectures the 党委 secretary gave himself (all of the body's own) are said as his
        own = [h for h in own if h.type != "党课"]
    clauses = held_clauses(own)
    if lectures and not year.organisation.is_branch and "党课" not in said:
        clauses = "，".join(c for c in (clauses, f"{subject}书记讲党课{lectures}次") if c)
    if not clauses:
        return ""
    return sentence(f"全年{_subject_for(subject, clauses)}{clauses}")


def _subject_for(subject: str, clauses: str) -> str:
    """No “党委召开党委会”: the meeting's name already says whose it is."""
    first = clauses.split("，")[0].split("、")[0]
    return "" if subject in first[2:] else subject


def _secretary_own_lectures(year: YearData) -> int:
    """党课 held by the organisation itself, all given by its secretary; 0 otherwise."""
    secretary = year.organisation.secretary
    own = [a for a in year.activities if a.type == "党课" and a.branch is None]
    if not secretary or not own or any(a.speaker != secretary for a in own):
        return 0
    return len(own)


def _mentioned(h: Held, said: str) -> bool:
    names = {h.type, wording.activity_name(h.type)}
    if h.type == "理论学习中心组学习":
        names |= {"理论学习中心组", "中心组"}
    if h.form:
        names.add(h.form)
    return any(n and n in said for n in names)


# -- organisational life -----------------------------------------------------------------------

def _basis(tallies: Sequence[Tally]) -> str:
    bases = {t.rule.basis for t in tallies}
    only = bases.pop() if len(bases) == 1 else None
    return only if only is not None else wording.DEFAULT_BASIS


def _shortfall_item(group: Sequence[Tally], everyone: tuple[str, str]) -> tuple[str, str, str, str, str]:
    """(units, period, verb, activity, rule) of one shortfall; the verb carries 未 when none was held,
    the activity carries 不足 when some were."""
    t = group[0]
    rule = t.rule
    periods = period_span(rule.period, t.short_periods)
    if rule.period == "year" or len(t.short_periods) == PERIODS[rule.period]:
        periods = "全年"
    units = "、".join(dict.fromkeys(x.unit_name for x in group))
    if everyone[0] and units == everyone[0]:
        units = everyone[1]  # every branch short of the same: “各党支部”
    name = wording.activity_name(rule.activity)
    verb = wording.verb(rule.activity)
    if t.held == 0 or rule.min == 1:
        return units, periods, "未" + verb, name, f"{rule.period}|{verb}|{rule.min}"
    return units, periods, verb, name + f"不足{rule.min}次", f"{rule.period}|{verb}|{rule.min}"


def _requirement(rule: str, with_verb: bool) -> str:
    """``每季度至少召开1次`` for the sentence, ``每季度至少1次`` in brackets."""
    period, verb, n = rule.split("|")
    return wording.REQUIREMENT.format(period=PERIOD_WORDS[period], verb=verb if with_verb else "", n=n)


def _one_unit(items: Sequence[tuple[str, str, str, str, str]]) -> str:
    """One unit's shortfalls: periods in turn, activities with one verb together, each rule in brackets."""
    by_period: dict[str, list[tuple[str, str, str, str, str]]] = {}
    for item in items:
        by_period.setdefault(item[1], []).append(item)
    segments = []
    for period, rows in by_period.items():
        by_verb: dict[str, list[tuple[str, str]]] = {}
        for _, _, verb, name, rule in rows:
            by_verb.setdefault(verb if verb.startswith("未") else verb + name, []).append((name, rule))
        clauses = []
        for verb, named in by_verb.items():
            if not verb.startswith("未"):
                clauses.append(verb)  # “召开支部党员大会不足2次” names its rule itself
                continue
            by_rule: dict[str, list[str]] = {}
            for name, rule in named:
                by_rule.setdefault(rule, []).append(name)
            parts = [_listed(names) + wording.RULE_BRACKET.format(rule=_requirement(rule, False))
                     for rule, names in by_rule.items()]
            clauses.append(verb + "、".join(parts))
        segments.append(period + "，".join(clauses))
    return items[0][0] + "，".join(segments)


def _listed(names: Sequence[str]) -> str:
    return "、".join(names[:-1]) + "和" + names[-1] if len(names) > 1 else "".join(names)


def _shortfalls(short: Sequence[Tally], everyone: tuple[str, str] = ("", ""), attached: bool = False) -> str:
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
        units, period, verb, name, required = items[0]
        named = [wording.SHORTFALL_ONE.format(unit=units, period=period, verb=verb, activity=name,
                                              required=_requirement(required, True))]
    else:
        by_unit: dict[str, list[tuple[str, str, str, str, str]]] = {}
        for item in items:
            by_unit.setdefault(item[0], []).append(item)
        named = [_one_unit(rows) for rows in by_unit.values()]
    if len(groups) > wording.SHORTFALLS_NAMED:
        rest = sum(len(g) for g in list(groups.values())[wording.SHORTFALLS_NAMED:])
        named.append((wording.SHORTFALLS_MORE_ATTACHED if attached else wording.SHORTFALLS_MORE).format(n=rest))
    text = join_clauses(named, "；")
    return text if text.endswith("。") else text + "。"  # a bracket closes the rule, not the sentence


def organisational_life(year: YearData, fig: Figures, attached: bool = False, said: str = "",
                        with_own: bool = True) -> list[str]:
    """Met requirements said as met in one sentence; each shortfall named; the totals once.

    Empty when the year has neither an activity log nor counts for the branches' meetings.
    ``attached``: the document attaches the branch table, so the text may point to it.
    ``said``: text the document already has; kinds of activity it names are not counted again.
    """
    branches_word = _branches_word(year)
    branch_held = [h for h in fig.held if not h.organisation_level]
    tallies = [t for t in fig.tallies if t.branch is not None]
    out: list[str] = []
    if tallies:
        three = sum(h.count for h in branch_held if h.type in THREE_MEETINGS_ONE_LECTURE)
        theme_days = sum(h.count for h in branch_held if h.type == "主题党日")
        totals = [f"“三会一课”{three}次" if three else ""]
        if theme_days:
            totals.append(f"主题党日{theme_days}次")
        order = [r.activity for r in DEFAULT_RULES]
        types = sorted({t.rule.activity for t in tallies},
                       key=lambda a: (order.index(a) if a in order else len(order), a))
        short = [t for t in tallies if not t.compliant]
        met = [a for a in types if all(t.compliant for t in tallies if t.rule.activity == a)]
        first = [f"全年{branches_word}共开展" + "、".join(t for t in totals if t) if any(totals) else ""]
        if fig.attendance.rate is not None:
            first.append(f"平均参会率{fig.attendance.rate}")
        out.append(join_clauses(first))
        if met:
            template = wording.ALL_MET if len(met) > 1 else wording.ONE_MET
            out.append(sentence(template.format(subject="",
                                                activities=_listed([wording.activity_name(a) for a in met]),
                                                basis=_basis(tallies))))
        # what was done first, then what falls short
        out.append(_secretary_lectures(year, fig))
        rest = [h for h in branch_held if h.type not in order and not _mentioned(h, said)]
        if rest:
            out.append(sentence(f"{branches_word}还{held_clauses(rest)}"))
        if short:
            all_names = "、".join(b.name for b in year.party_branches)
            # all branches short alike: “各党支部”; a branch writing for itself: “支部”
            everyone = (all_names, branches_word) \
                if len(year.party_branches) > 1 or year.organisation.is_branch else ("", "")
            out.append(_shortfalls(short, everyone, attached))
    elif branch_held:
        out.append(sentence(f"全年{branches_word}{held_clauses(branch_held)}"))
    if with_own:
        out.append(own_compliance(year, fig))
    return [o for o in out if o]


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
        template = wording.ALL_MET if len(names) > 1 else wording.ONE_MET
        return sentence(template.format(subject=wording.form(year.organisation).self_word,
                                        activities="、".join(names), basis=_basis(own)))
    if own:
        return _shortfalls([t for t in own if not t.compliant])
    return ""


def life_paragraphs(year: YearData, fig: Figures, said: str = "", attached: bool = False) -> list[str]:
    """Organisational life as an office writes it: the body's own meetings and the branches' in
    one or two paragraphs of whole sentences, not a line for every figure."""
    own = organisation_activities(year, fig, said)
    rule = own_compliance(year, fig)
    branches = organisational_life(year, fig, attached, said, with_own=False)
    if year.organisation.is_branch and own and branches and branches[0].startswith("全年支部"):
        # a branch's own study and its meetings are one subject: “全年支部开展…，召开…”
        branches[0] = own.removesuffix("。") + "，" + branches[0].removeprefix("全年支部")
        own = ""
    if own and branches and len(own) <= wording.SHORT_PARAGRAPH and branches[0].startswith("全年"):
        # “全年召开党委会18次，各党支部召开…”: a short line of the body's own joins the branches'
        branches[0] = own.removesuffix("。") + "，" + branches[0].removeprefix("全年")
        own = ""
    if own or not branches:
        own += rule  # the body's own rules follow its own meetings
    else:
        branches.append(rule)
    return [p for p in (own, "".join(branches)) if p]


def _secretary_lectures(year: YearData, fig: Figures) -> str:
    if fig.secretary_lectures is None or not fig.secretary_lectures:
        return ""
    lecturers = {(a.branch, a.speaker) for a in year.activities if a.type == "党课"}
    every = all(b.secretary and (b.id, b.secretary) in lecturers for b in year.party_branches)
    if year.organisation.is_branch:
        return sentence(f"支部书记讲党课{fig.secretary_lectures}次")
    n = len(year.party_branches)
    if every and n > 1:
        more = "" if fig.secretary_lectures == n else f"，全年支部书记讲党课{fig.secretary_lectures}次"
        return sentence(f"{n}名党支部书记均为本支部党员讲授党课{more}")
    return sentence(f"全年支部书记讲党课{fig.secretary_lectures}次")


# -- development and dues ----------------------------------------------------------------------

def development_sentence(fig: Figures, said: str = "") -> str:
    """The year's development figures, less those the document has already stated."""
    d = fig.development
    clauses = []
    for field, clause, key in wording.DEVELOPMENT:
        n = getattr(d, field)
        if n and not re.search(f"{key}[^。；，、0-9]{{0,2}}{n}(?![0-9])", said):
            clauses.append(clause.format(n=n))
    if clauses and not clauses[0].startswith("全年"):
        clauses[0] = "全年" + clauses[0]
    return join_clauses(clauses)


def dues_sentence(fig: Figures) -> str:
    return sentence(f"全年收缴党费{format_money(fig.dues_total)}") if fig.dues_total else ""


# -- work sections -----------------------------------------------------------------------------

def with_figures(body: list[str], figures: Iterable[Figure]) -> list[str]:
    """The figures close the last paragraph rather than standing alone as a line of numbers."""
    said = figures_sentence(figures)
    if not said:
        return body
    if not body:
        return [said]
    last = body[-1].rstrip("。").split("。")[-1]
    if body[-1].endswith("。") and len(last) + len(said) <= wording.FIGURES_JOIN:
        # “…就医更加便捷，住院患者满意度98.1%。”: a figure list has no verb of its own to stand on
        return [*body[:-1], body[-1].removesuffix("。") + "，" + said]
    return [*body[:-1], body[-1] + said]


def figures_sentence(figures: Iterable[Figure]) -> str:
    return join_clauses(quantity(full_width(f.label), f.value, f.unit) for f in figures)


def linked_sentence(year: YearData, activities: Sequence[Activity], said: str) -> str:
    """Linked activities by type and by who held them, for a section that says nothing of them.

    ``召开党委会1次，各党支部召开支部党员大会6次、党小组会6次，参加党员259人次``: the body's own
    meetings, then the branches' (all of them: 各党支部; one: its name; some: how many).
    """
    org = year.organisation
    words = wording.form(org)
    own_rows = [a for a in activities if a.branch is None]
    branch_rows = [a for a in activities if a.branch is not None]
    own = [h for h in _held(own_rows, True) if not _mentioned(h, said)]
    theirs = [h for h in _held(branch_rows, False) if not _mentioned(h, said)]
    # the main kinds only (a writer names the three most frequent), meetings first where counts tie
    kept = sorted(own + theirs, key=lambda h: (-h.count, wording.verb(h.type) != "召开"))[: wording.LINKED_TYPES]
    own = [h for h in kept if h in own]
    theirs = [h for h in kept if h in theirs]
    clauses = []
    if own:
        text = held_clauses(own)
        clauses.append(_subject_for(words.self_word, text) + text if theirs or org.is_branch else text)
    if theirs:
        ids = {a.branch for a in branch_rows if any(h.type == a.type for h in theirs)}
        names = [b.name for b in year.party_branches if b.id in ids]
        if org.is_branch or (len(names) > 1 and len(names) == len(year.party_branches)):
            units = wording.LINKED_ALL_BRANCHES.format(branches=words.branches_word)
        elif len(names) == 1:
            units = names[0]
        else:
            units = wording.LINKED_SOME_BRANCHES.format(n=len(ids))
        clauses.append(units + held_clauses(theirs))
    if not clauses:
        return ""
    people = _participants(own + theirs)
    return join_clauses([*clauses, wording.LINKED_PEOPLE.format(n=people) if people else ""])


def _held(rows: Sequence[Activity], organisation_level: bool) -> list[Held]:
    counts: dict[str, list[Activity]] = {}
    for a in rows:
        counts.setdefault(a.type, []).append(a)
    return [Held(t, None, len(r), None if any(a.present is None for a in r) else sum(a.present or 0 for a in r),
                 organisation_level) for t, r in counts.items()]


def task_done_draft(year: YearData, task: Task, level: int = 2) -> Draft | None:
    """A plan task in the summary: its own outcome, then each sub-task's outcome at its level.

    A task with nothing done to report (no outcome anywhere below it) is left out.
    """
    body = text_paragraphs(task.outcome)
    children = [d for d in (task_done_draft(year, t, level + 1) for t in task.subtasks) if d]
    if not body and not children:
        linked = linked_sentence(year, task_activities(year, task), "")
        if not linked:
            return None
        if task.status == "进行中":
            linked = linked.removesuffix("。") + wording.TASK_UNDER_WAY
        body = [linked]
    return Draft(full_width(task.title), body, children)


def work_draft(year: YearData, work: Work) -> Draft | None:
    """A section of the year's work written directly in the data: what was done, what came of it."""
    body = text_paragraphs(work.detail) + text_paragraphs(work.outcome)
    if work.figures:
        body = with_figures(body, work.figures)
    ids = {w.id for w in work.walk() if w.id}
    linked = linked_sentence(year, [a for a in year.activities if a.task in ids], "".join(body)) if ids else ""
    if linked:
        body.append(linked)
    children = [d for d in (work_draft(year, w) for w in work.subsections) if d]
    if not body and not children:
        return None
    return Draft(full_width(work.title), body, children)


def work_done(year: YearData, fig: Figures) -> list[Draft]:
    """What the year's work came to: plan tasks or work sections, then organisational life,
    development and dues, each only where the data says something."""
    if year.work:
        work = [d for d in (work_draft(year, w) for w in year.work) if d]
    elif year.plan:
        work = [d for d in (task_done_draft(year, t) for t in year.plan.tasks) if d]
    else:
        work = []
    said = all_text(work)
    attached = any(t.branch is not None for t in fig.tallies) and len(year.party_branches) > 1
    life = life_paragraphs(year, fig, said, attached)
    if life:
        work.append(Draft("严格落实组织生活制度", life))
    said = all_text(work)
    steps = development_sentence(fig, said).removesuffix("。")
    dues = dues_sentence(fig).removesuffix("。")
    development = join_clauses([steps, dues.removeprefix("全年") if steps else dues])
    if development:
        work.append(Draft("抓好党员发展和教育管理", [development]))
    return work


def all_text(drafts: Iterable[Draft]) -> str:
    out = []
    for d in drafts:
        out.append(d.title)
        out.extend(d.paragraphs)
        out.append(all_text(d.children))
    return "".join(out)


# -- results -----------------------------------------------------------------------------------

def _said(f: Figure, text: str) -> bool:
    said = quantity(full_width(f.label), f.value, f.unit)
    if said in text:
        return True
    amount = f"{format_number(f.value)}{f.unit or ''}"
    return amount in text and full_width(f.label)[:2] in text


def result_paragraphs(result: Result, said: str = "") -> list[str]:
    """A result's detail and those of its figures the work sections have not already given."""
    body = [p for p in text_paragraphs(result.detail) if p not in said]
    fresh = [f for f in result.figures if not _said(f, said)]
    if fresh:
        body = with_figures(body, fresh)
    return body
