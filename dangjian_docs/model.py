"""The typed year-data model: what one organisation's year of Party-building work consists of.

Objects here are built only from data the schema has accepted, so they trust their types. They
hold what the data says; figures derived from it live in :mod:`dangjian_docs.domain`.

Unlike the rest of the package, the annotations here are evaluated as the classes are defined
(no ``from __future__ import annotations``): :func:`build` reads every field's type to convert
the data, and evaluating some 230 annotation strings cost each ``validate`` several milliseconds
(issue 18). A class is therefore defined after the classes its fields name; a class that nests
itself (``Task.subtasks``) names itself in quotes.
"""

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Collection, Mapping
from dataclasses import field
from typing import Any

from .record import Record

TaskStatus = typing.Literal["未开始", "进行中", "已完成", "已取消"]


class Education(Record):
    postgraduate: int
    bachelor: int
    college: int
    secondary: int

    @property
    def total(self) -> int:
        return self.postgraduate + self.bachelor + self.college + self.secondary


class MemberStats(Record):
    """Member counts as the office knows them; ``None`` means not known, never zero.

    The total is given (``total`` in the data, ``count`` here) or is full plus probationary;
    many real documents give only the total."""

    full: int | None = None
    probationary: int | None = None
    women: int | None = None
    under_35: int | None = None
    """35岁及以下, as 党内统计 counts age."""
    ethnic_minority: int | None = None
    education: Education | None = None
    retired: int | None = None
    """Retired members among these (a whole retired branch counts them by its kind instead)."""
    count: int | None = None
    """The total as the data states it (``total:``), whether or not the split is given."""

    @property
    def total(self) -> int:
        if self.count is not None:
            return self.count
        return (self.full or 0) + (self.probationary or 0)

    @property
    def split_known(self) -> bool:
        """Whether full and probationary members are given apart."""
        return self.full is not None and self.probationary is not None

    @property
    def in_service(self) -> int | None:
        """Members who are staff; unknown while the number retired is unknown."""
        return None if self.retired is None else self.total - self.retired

    @property
    def bachelor_or_above(self) -> int | None:
        return None if self.education is None else self.education.postgraduate + self.education.bachelor


"""The organisation's own totals have the same shape as a branch's figures."""


class Person(Record):
    name: str
    gender: str
    birth_date: dt.date
    status: str
    education: str
    ethnic_minority: bool = False
    joined: dt.date | None = None
    retired: bool = False


_EDUCATION_KEYS = {"研究生": "postgraduate", "大学本科": "bachelor", "大专": "college",
                   "中专及以下": "secondary"}


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def stats_from_roster(roster: tuple[Person, ...], year_end: dt.date) -> MemberStats:
    """Member statistics as the office would count them at the end of the year."""
    education = dict.fromkeys(_EDUCATION_KEYS.values(), 0)
    for person in roster:
        education[_EDUCATION_KEYS[person.education]] += 1
    return MemberStats(
        full=sum(p.status == "正式党员" for p in roster),
        probationary=sum(p.status == "预备党员" for p in roster),
        women=sum(p.gender == "女" for p in roster),
        under_35=sum(age_on(p.birth_date, year_end) <= UNDER_35_MAX_AGE for p in roster),
        ethnic_minority=sum(p.ethnic_minority for p in roster),
        education=Education(**education),
        retired=sum(p.retired for p in roster),
    )


UNDER_35_MAX_AGE = 35
"""党内统计 counts “35岁及以下”: a member aged 35 at the year's end is included."""


class Task(Record):
    id: str
    title: str
    detail: str | None = None
    measures: tuple[str, ...] = ()
    department: str | None = None
    branches: tuple[str, ...] = ()
    """Ids of the branches that carry the task out: it goes into their plans (``branch-plan``)."""
    due: dt.date | None = None
    status: TaskStatus | None = None
    """As the data states it; ``None`` when not given (see :mod:`dangjian_docs.domain.progress`)."""
    outcome: str | None = None
    subtasks: "tuple[Task, ...]" = ()

    def walk(self) -> "typing.Iterator[Task]":
        yield self
        for sub in self.subtasks:
            yield from sub.walk()


class Safeguard(Record):
    title: str
    detail: str | None = None


class ScheduleRow(Record):
    month: int
    content: str
    department: str | None = None
    due: dt.date | None = None


class Plan(Record):
    guiding_idea: str
    goals: str
    tasks: tuple[Task, ...]
    safeguards: tuple[Safeguard, ...] = ()
    schedule: tuple[ScheduleRow, ...] = ()

    def all_tasks(self) -> typing.Iterator[Task]:
        for task in self.tasks:
            yield from task.walk()


class Group(Record):
    """A Party group (党小组) of a branch; with ``tasks`` it writes its own plan (``group-plan``)."""

    name: str
    leader: str
    size: int | None = None
    members: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()


class CommitteeMember(Record):
    name: str
    role: str | None = None


class Branch(Record):
    """A branch; every fact but its id, name and kind may be unknown (``None``)."""

    id: str
    name: str
    kind: str
    form: str = "党支部"
    """党支部, or a 党总支 under a 党委 (its own branches are listed as branches too)."""
    secretary: str | None = None
    secretary_is_professional_leader: bool | None = None
    members: MemberStats | None = None
    staff: int | None = None
    deputy_secretary: str | None = None
    committee: tuple[CommitteeMember, ...] = ()
    committee_size: int | None = None
    committee_elected: dt.date | None = None
    groups: tuple[Group, ...] = ()
    roster: tuple[Person, ...] = ()
    plan: Plan | None = None
    """The branch's own plan as the data gives it; without it ``branch-plan`` derives one."""

    @property
    def retired(self) -> bool:
        return self.kind == "离退休"

    @property
    def general(self) -> bool:
        """A 党总支 under the 党委: counted apart, and held to no branch's meeting rules."""
        return self.form == "党总支"

    @property
    def committee_count(self) -> int | None:
        """How many sit on the committee: the names given, else the size given, else unknown."""
        return len(self.committee) if self.committee else self.committee_size


class Activity(Record):
    date: dt.date
    type: str
    topic: str
    branch: str | None = None
    group: str | None = None
    expected: int | None = None
    present: int | None = None
    speaker: str | None = None
    host: str | None = None
    place: str | None = None
    task: str | None = None
    note: str | None = None
    form: str | None = None
    duration: int | None = None


class ActivityCount(Record):
    """A year's count of one kind of activity, when the office has no meeting-by-meeting log."""

    type: str
    count: int
    form: str | None = None
    branch: str | None = None
    participants: int | None = None


STAGES = ("applied", "activist", "candidate", "probationary", "full")
STAGE_LABELS = {"applied": "入党申请人", "activist": "入党积极分子", "candidate": "发展对象",
                "probationary": "预备党员", "full": "正式党员"}


class Development(Record):
    name: str
    branch: str
    applied: dt.date
    gender: str | None = None
    birth_date: dt.date | None = None
    education: str | None = None
    activist: dt.date | None = None
    candidate: dt.date | None = None
    probationary: dt.date | None = None
    full: dt.date | None = None

    def stage_on(self, day: dt.date) -> str | None:
        """The furthest stage reached on ``day`` (a key of :data:`STAGES`), or ``None``."""
        reached = None
        for stage in STAGES:
            when = getattr(self, stage)
            if when is not None and when <= day:
                reached = stage
        return reached


class DevelopmentCounts(Record):
    """The year's development figures as totals; ``None`` where the office gives none."""

    applied: int | None = None
    activists: int | None = None
    candidates: int | None = None
    admitted: int | None = None
    converted: int | None = None


class MemberChanges(Record):
    """Members who came and went in the year besides admissions: what carries last year's count."""

    transferred_in: int
    transferred_out: int
    died: int
    removed: int = 0
    """出党, 停止党籍, a probationary membership cancelled."""


class Dues(Record):
    branch: str
    amount: float
    arrears: int = 0
    arrears_months: int = 0


class Figure(Record):
    label: str
    value: float
    unit: str = ""
    verb: str | None = None
    """What was done to reach it (评选, 开展); default: from the label or the unit (see the catalogue)."""


class Result(Record):
    title: str
    detail: str | None = None
    figures: tuple[Figure, ...] = ()


class Work(Record):
    """A part of the year's work written as its own section (a year without a plan)."""

    title: str
    id: str | None = None
    detail: str | None = None
    outcome: str | None = None
    figures: tuple[Figure, ...] = ()
    subsections: "tuple[Work, ...]" = ()

    def walk(self) -> "typing.Iterator[Work]":
        yield self
        for sub in self.subsections:
            yield from sub.walk()


class Measure(Record):
    """One thing a practice did, written as its own numbered part in the article (2.1, 2.2 …)."""

    title: str
    detail: str | None = None


class Practice(Record):
    """A named practice (载体) the report's 主要做法 is built from."""

    title: str
    detail: str | None = None
    figures: tuple[Figure, ...] = ()
    tasks: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = ()
    article: bool = False
    """Written up in the experience article (经验交流材料), one numbered part of it."""


class Photo(Record):
    """A photo the data names; its file is read and checked by :mod:`dangjian_docs.images`."""

    file: str
    """Relative to the data file's folder."""
    caption: str
    work: str | None = None
    """The work section (id or title) it illustrates."""
    practice: str | None = None
    """The practice (title) it illustrates."""


class Problem(Record):
    """A stated problem; ``finding`` adopts one the data supports (see ``domain.findings``)."""

    title: str = ""
    """Empty only in a reference that takes the finding's own title."""
    detail: str | None = None
    measure: str | None = None
    finding: str | None = None


class Intention(Record):
    title: str
    detail: str | None = None


class DutyProblem(Record):
    """A problem a secretary names in their 述职报告, with its cause in their own words."""

    title: str
    detail: str | None = None
    cause: str | None = None


class DutyReport(Record):
    """One secretary's 抓基层党建工作述职报告: whose (the organisation's secretary, or a branch's),
    and what only the data can say of them (contact branches, own words, problems, plans).

    What they did at meetings comes from the activity log (``host``, ``speaker``), not from here."""

    branch: str | None = None
    """The branch whose secretary reports; none: the organisation's own secretary."""
    secretary: str | None = None
    """The person; default: the secretary the organisation or the branch names."""
    post: str | None = None
    """The post as signed (内科第一党支部书记); default: the body's name and 书记."""
    chosen: bool = True
    """Whether this year's report is written (an office keeps the data of one not chosen)."""
    contact_branches: tuple[str, ...] = ()
    """Branches (ids) the organisation's secretary takes as contact points (联系点)."""
    duties: str | None = None
    problems: tuple[DutyProblem, ...] = ()
    plans: tuple[Intention, ...] = ()
    title: str | None = None
    date: dt.date | None = None


class Rule(Record):
    """How often an activity must happen: ``min`` times per ``period`` per branch or group.

    ``scope: organisation`` is a rule for the 党委/党总支 itself (its own meetings and study);
    ``min == 0`` means "not required". ``form`` narrows the rule to one form of the activity.
    """

    activity: str
    period: typing.Literal["month", "quarter", "year"]
    min: int
    scope: typing.Literal["branch", "group", "organisation"] = "branch"
    applies_to: tuple[str, ...] = ()
    basis: str | None = None
    min_minutes: int | None = None
    form: str | None = None

    def applies(self, branch: Branch) -> bool:
        return not self.applies_to or branch.kind in self.applies_to


class DocumentHead(Record):
    """版头 (GB/T 9704 7.2): 发文机关标志, 发文字号 and, for a 上行文, 签发人."""

    issuer: str
    with_file: bool = True
    """Whether 文件 follows the issuer's name in the 发文机关标志."""
    number: str | None = None
    signer: str | None = None


class DocumentFoot(Record):
    """版记 (GB/T 9704 7.4): 抄送机关, 印发机关 and 印发日期."""

    copy_to: tuple[str, ...] = ()
    printer: str | None = None
    printed: dt.date | None = None


class DocumentSettings(Record):
    title: str | None = None
    opening: str | None = None
    date: dt.date | None = None
    recipient: str | None = None
    form: str | None = None
    """报告 or 汇报 (the report only)."""
    head: DocumentHead | None = None
    foot: DocumentFoot | None = None
    subtitle: str | None = None
    """The article only, as are the fields below."""
    authors: tuple[str, ...] = ()
    unit: str | None = None
    abstract: str | None = None
    keywords: tuple[str, ...] = ()
    closing: str | None = None


class Signature(Record):
    """落款: the signing body and the date of writing of the year-end documents."""

    body: str
    date: dt.date | None = None
    """The date of writing; ``None`` where the data does not give it (nothing printed)."""


class Organisation(Record):
    name: str
    hospital: str
    kind: str
    higher_body: str | None = None
    staff: int | None = None
    full_name: str | None = None
    hospital_level: str | None = None
    hospital_type: str | None = None
    specialty: str | None = None
    profile: str | None = None
    secretary: str | None = None
    committee: tuple[CommitteeMember, ...] = ()
    beds: int | None = None
    open_beds: int | None = None
    members: MemberStats | None = None
    leadership_system: bool | None = None
    """Whether the hospital runs 党委领导下的院长负责制; said only when the data says so."""
    branch_count: int | None = None
    """How many 党支部 the 党委/党总支 has, when the office gives the count without listing them."""
    general_branch_count: int | None = None
    """How many 党总支 a 党委 has, when the office gives the count without listing them."""
    logo: str | None = None
    """The organisation's logo file (PNG or JPEG), relative to the data file's folder."""

    @property
    def is_branch(self) -> bool:
        """A 党支部 or 联合党支部 writes for itself: it is its own (only) branch."""
        return self.kind in ("党支部", "联合党支部")


class Origins:
    """Where each list item of a year came from in the data, looked up by the item's identity.

    It holds the items themselves, not only their ids: a pickled year (a repo build keeps
    checked models on disk between its check and its make) comes back with new objects and
    new ids, and only the items travelling with their paths keep the lookup true."""

    __slots__ = ("_by_id", "_pairs")

    def __init__(self, pairs: tuple[tuple[object, tuple[str | int, ...]], ...] = ()) -> None:
        self._pairs = pairs
        self._by_id: dict[int, tuple[str | int, ...]] | None = None

    def get(self, item: object) -> tuple[str | int, ...]:
        """The data path of ``item``; empty for an item the data did not give."""
        if self._by_id is None:
            self._by_id = {id(obj): path for obj, path in self._pairs}
        return self._by_id.get(id(item), ())

    def __getstate__(self) -> tuple[tuple[object, tuple[str | int, ...]], ...]:
        return self._pairs

    def __setstate__(self, pairs: tuple[tuple[object, tuple[str | int, ...]], ...]) -> None:
        self._pairs, self._by_id = pairs, None


class YearData(Record):
    """One organisation's year: the single input every document kind is built from."""

    year: int
    organisation: Organisation
    branches: tuple[Branch, ...]
    signature: Signature
    """The 落款; data without one is signed by the organisation itself, undated (:func:`build_year`)."""
    plan: Plan | None = None
    work: tuple[Work, ...] = ()
    activity_types: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    activities: tuple[Activity, ...] = ()
    activities_complete: bool = False
    """Whether the log holds every meeting of the year, so a required type never recorded was
    never held. By default such a type is unknown: a log copied from a report holds only what
    the report mentions."""
    activity_counts: tuple[ActivityCount, ...] = ()
    development: tuple[Development, ...] = ()
    development_counts: DevelopmentCounts | None = None
    member_changes: MemberChanges | None = None
    dues: tuple[Dues, ...] = ()
    results: tuple[Result, ...] = ()
    practices: tuple[Practice, ...] = ()
    photos: tuple[Photo, ...] = ()
    problems: tuple[Problem, ...] = ()
    next_year: tuple[Intention, ...] = ()
    duty_reports: tuple[DutyReport, ...] = ()
    """The secretaries' 述职报告 the data chooses (one document each)."""
    documents: Mapping[str, DocumentSettings] = field(default_factory=dict)
    format_version: int = 1
    source: str | None = field(default=None, compare=False)
    origins: Origins = field(default_factory=Origins, compare=False, repr=False)
    """Where each list item came from in the data, for diagnostics."""
    derived: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    """Facts computed from this year (figures, compliance tallies, findings), each once and
    shared by validation's notes and every document kind: see :func:`.domain.memo.per_year`.
    The year is frozen, so they cannot go stale; a changed copy (``dataclasses.replace``)
    starts with none."""

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def party_branches(self) -> tuple[Branch, ...]:
        """The 党支部 (a 党总支 listed among the branches is not one: its own branches are)."""
        return tuple(b for b in self.branches if not b.general)

    def branch(self, branch_id: str) -> Branch | None:
        return next((b for b in self.branches if b.id == branch_id), None)

    def path_of(self, item: object) -> tuple[str | int, ...]:
        """The data path of a branch, activity or other list item: ``("activities", 17)``."""
        return self.origins.get(item)

    def __getstate__(self) -> dict[str, Any]:
        """A pickled year (kept on disk between a repo build's check and its make) leaves its
        derived facts behind: they are worked out again from the year, and some hold read-only
        views that do not pickle, which made every such year be validated again instead."""
        return {**self.__dict__, "derived": {}}


# -- building from validated plain data ------------------------------------------------------

@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """Each field's type: as declared, the annotations here being evaluated already; a class
    with a quoted one (a class that nests itself) has them all evaluated by ``typing``."""
    declared = {f.name: f.type for f in dataclasses.fields(cls)}
    if any(isinstance(t, str) for t in declared.values()):
        evaluated = typing.get_type_hints(cls)
        return {name: evaluated[name] for name in declared}
    return declared


def _convert(hint: Any, value: Any) -> Any:
    return None if value is None else _converter(hint)(value)


@functools.cache
def _converter(hint: Any) -> Callable[[Any], Any]:
    """How a (not ``None``) value becomes ``hint``'s type, worked out once per type hint: a
    year of thousands of activities converts the same few hints tens of thousands of times."""
    if hint is int:
        return int  # JSON Schema counts 2025.0 as an integer; the model must not
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return _converter(next(a for a in typing.get_args(hint) if a is not type(None)))
    if hint is dt.date:
        return dt.date.fromisoformat
    if origin is tuple:
        item = _converter(typing.get_args(hint)[0])
        return lambda value: tuple(None if v is None else item(v) for v in value)
    if origin in (Mapping, dict):
        item = _converter(typing.get_args(hint)[1])
        return lambda value: {k: None if v is None else item(v) for k, v in value.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return functools.partial(build, hint)
    if hint is float:
        return float
    return _as_is


def _as_is(value: Any) -> Any:
    return value


@functools.cache
def _fields(cls: type) -> dict[str, Callable[[Any], Any] | None]:
    """Each field of dataclass ``cls`` the data may give, with its converter, ``None`` for a
    value taken as it is (not those the model keeps for itself, such as :attr:`YearData.derived`)."""
    hints = _hints(cls)
    converters = {f.name: _converter(hints[f.name]) for f in dataclasses.fields(cls) if f.init}
    return {name: None if convert is _as_is else convert for name, convert in converters.items()}


_RENAMED: dict[type, dict[str, str]] = {}
"""Data keys that name a field differently (a property holds the data's name)."""


def build(cls: type, raw: Mapping[str, Any], **extra: Any) -> Any:
    """Build dataclass ``cls`` from a schema-valid mapping, converting dates and nesting.

    Goes through the keys the data has (an activity has eight of its fourteen fields), each
    converted by the converter worked out once for its field.
    """
    renamed = _RENAMED.get(cls)
    if renamed:
        raw = {renamed.get(k, k): v for k, v in raw.items()}
    fields = _fields(cls)
    if extra:  # what the caller gives wins, unconverted: a data key of that name is not read
        fields = {name: convert for name, convert in fields.items() if name not in extra}
    if type(raw) is dict or isinstance(raw, Mapping):  # the first asked first: cheaper, and the usual
        kwargs = {name: value if value is None or (convert := fields[name]) is None else convert(value)
                  for name, value in raw.items() if name in fields}
    else:  # a value the schema lets through where a mapping belongs: asked field by field, as always
        kwargs = {name: value if (value := raw[name]) is None or convert is None else convert(value)
                  for name, convert in fields.items() if name in raw}
    kwargs.update(extra)
    return cls(**kwargs)


def build_branch(raw: Mapping[str, Any], year_end: dt.date) -> Branch:
    """A branch's statistics come from its roster when it has one; committee names may be bare."""
    hints = _hints(Branch)
    roster = _convert(hints["roster"], raw.get("roster", ()))
    members = stats_from_roster(roster, year_end) if roster else _convert(
        hints["members"], raw.get("members"))
    committee = tuple(CommitteeMember(c) if isinstance(c, str) else build(CommitteeMember, c)
                      for c in raw.get("committee") or ())
    fields = {k: v for k, v in raw.items() if k not in ("members", "roster", "committee")}
    return build(Branch, fields, members=members, roster=roster, committee=committee)


_RENAMED[MemberStats] = {"total": "count"}

PathKey = tuple[str | int, ...]

_PARTS = {"organisation": ("name", "hospital", "kind"), "signature": ("body",)}
"""The parts every cross-check reads, and their fields no check can do without."""


def needed(broken: PathKey) -> bool:
    """Whether an error at ``broken`` leaves nothing to cross-check: the year, the list of
    branches itself, or a required field of the organisation or the signature."""
    if broken[:1] in ((), ("year",)) or broken == ("branches",):
        return True
    part = broken[0]
    return part in _PARTS and (len(broken) < 2 or broken[1] in _PARTS[str(part)])

_LISTS = ("activities", "development", "dues", "results", "problems", "next_year", "rules",
          "work", "activity_counts", "practices", "photos", "duty_reports")
_OPTIONAL = ("plan", "documents", "activity_types", "development_counts", "member_changes")


def build_year(raw: Mapping[str, Any], source: str | None = None,
               broken: Collection[PathKey] = ()) -> YearData | None:
    """Build the model from schema-checked data.

    ``broken`` lists the data paths where the schema found errors. List items and optional
    sections under them are left out, so the cross-checks still run on everything else and a
    clerk sees every problem at once. Returns ``None`` when a part every check needs is broken.
    """

    def is_broken(path: PathKey) -> bool:
        return any(b[: len(path)] == path for b in broken)

    if any(needed(b) for b in broken):
        return None
    for part in _PARTS:  # an optional field with an error is left out, as if not written
        if any(b[:1] == (part,) for b in broken):
            raw = {**raw, part: {k: v for k, v in raw[part].items() if not is_broken((part, k))}}
    year_end = dt.date(int(raw["year"]), 12, 31)
    origins: list[tuple[object, PathKey]] = []

    def items(key: str, make: Callable[[Mapping[str, Any]], Any]) -> tuple[Any, ...]:
        out = []
        if (key,) in broken or not isinstance(raw.get(key), list):
            return ()
        for i, item in enumerate(raw[key]):
            if not is_broken((key, i)):
                obj = make(item)
                origins.append((obj, (key, i)))
                out.append(obj)
        return tuple(out)

    hints = _hints(YearData)
    if isinstance(raw.get("organisation"), Mapping) and raw["organisation"].get("committee"):
        org = dict(raw["organisation"])
        org["committee"] = [{"name": c} if isinstance(c, str) else c for c in org["committee"]]
        raw = {**raw, "organisation": org}
    rest = {k: v for k, v in raw.items()
            if k not in ("branches", *_LISTS) and v is not None and not (k in _OPTIONAL and is_broken((k,)))}
    if "signature" not in rest:  # unsigned data is signed by the organisation itself, undated
        rest["signature"] = {"body": raw["organisation"].get("full_name") or raw["organisation"]["name"]}
    lists = {key: items(key, functools.partial(build, typing.get_args(hints[key])[0]))
             for key in _LISTS}
    branches = items("branches", lambda b: build_branch(b, year_end))
    return build(YearData, rest, branches=branches, source=source,
                 origins=Origins(tuple(origins)), **lists)
