"""Checks the schema cannot express: references, sums, dates within the year, domain rules.

Contradictions in the data (a reference to a branch that does not exist, more present than
expected) are errors. Rules that hold "as a rule" (一般, see shared domain notes) are warnings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..domain.compliance import (
    PERIOD_WORDS,
    has_committee,
    log_covers_branches,
    period_label,
    tallies,
    unit_of,
    unrecorded,
    unrecorded_branches,
)
from ..domain.figures import development as figure_development
from ..domain.pipeline import INTERVALS, too_short
from ..domain.placeholders import anywhere, find_placeholder, search
from ..domain.rules import STANDARD_TYPES, effective_rules
from ..loading import DataFile, PathKey
from ..model import STAGE_LABELS, STAGES, MemberStats, YearData, age_on
from .duty import check_duty_reports
from .suggest import did_you_mean

E, W = Severity.ERROR, Severity.WARNING


def _texts(value: Any) -> list[str]:
    """Every text inside ``value``'s mappings and lists (not their keys), in no set order."""
    out: list[str] = []
    pending = [value]
    while pending:
        value = pending.pop()
        for item in value.values() if isinstance(value, Mapping) else value if isinstance(value, list) else ():
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, (dict, list)):
                pending.append(item)
            elif item is not None and not isinstance(item, (int, float)) and isinstance(item, Mapping):
                pending.append(item)  # asked last: a Mapping check is slow, and the data's are dicts
    return out


class _Checker:
    def __init__(self, source: DataFile, year: YearData) -> None:
        self.source = source
        self.year = year
        self.out: list[Diagnostic] = []
        # ids as written, including items the schema rejected: a reference to a branch or task
        # with a schema error of its own is not a second error
        raw = source.data
        self.branch_ids = [b["id"] for b in raw.get("branches") or () if isinstance(b, Mapping)
                           and isinstance(b.get("id"), str)]
        self.task_paths: dict[str, PathKey] = {}
        for task_id, path in self._task_paths():
            self.task_paths.setdefault(task_id, path)

    def add(self, severity: Severity, code: str, path: PathKey, message: str,
            hint: str = "") -> None:
        self.out.append(self.source.diagnostic(severity, code, path, message, hint))

    def run(self) -> list[Diagnostic]:
        self.placeholders(self.source.data, ())
        self.unique_ids()
        self.branches()
        self.activities()
        self.activity_counts()
        self.compliance()
        self.development()
        self.plan_tasks()
        self.practices()
        self.dues()
        self.dates()
        attendance_sense(self)
        check_duty_reports(self)
        if "branches" not in self.source.data and self.year.organisation.is_branch:
            # a branch not listing itself is one error (missing-key), not one more for every reference
            return [d for d in self.out if d.code != "unknown-branch"]
        return self.out

    # -- everywhere ---------------------------------------------------------------------
    def placeholders(self, value: Any, path: PathKey) -> None:
        # iterative: junk under an unknown key may nest deeper than Python's recursion limit.
        # A year of thousands of activities has tens of thousands of texts and almost never a
        # placeholder: they are searched at once, and walked with their paths only if one has.
        if isinstance(value, str):
            self._placeholder(value, path)
        if not anywhere(_texts(value)):
            return
        pending: list[tuple[Any, PathKey]] = [(value, path)]
        while pending:
            value, path = pending.pop()
            items = value.items() if isinstance(value, Mapping) else enumerate(value) if isinstance(
                value, list) else ()
            for key, item in items:
                if isinstance(item, str):
                    if search(item):
                        self._placeholder(item, (*path, key))
                elif isinstance(item, (Mapping, list)):
                    pending.append((item, (*path, key)))

    def _placeholder(self, text: str, path: PathKey) -> None:
        found = find_placeholder(text)
        if found:
            self.add(E, "placeholder", path, f"这里有未填写的占位符“{found}”，它会原样出现在文件里。",
                     "请填写实际内容（数字请从台账核实后填写），或删除这一项。")

    def unique_ids(self) -> None:
        seen: dict[str, PathKey] = {}
        for branch in self.year.branches:
            path = self.year.path_of(branch)
            if branch.id in seen:
                self.add(E, "duplicate-id", (*path, "id"), f"支部代号“{branch.id}”重复。",
                         "每个支部的代号必须不同。")
            seen[branch.id] = path
            names = Counter(g.name for g in branch.groups)
            for name, n in names.items():
                if n > 1:
                    self.add(E, "duplicate-id", (*path, "groups"),
                             f"{branch.name}有 {n} 个名为“{name}”的党小组。", "党小组名称必须不同。")
        task_paths: dict[str, PathKey] = {}
        for task_id, path in self._task_paths():
            if task_id in task_paths:
                self.add(E, "duplicate-id", (*path, "id"), f"任务编号“{task_id}”重复。",
                         "活动通过编号引用任务，每个任务的编号必须不同。")
            task_paths[task_id] = path

    def _task_paths(self) -> Iterator[tuple[str, PathKey]]:
        def walk(tasks: Any, path: PathKey) -> Iterator[tuple[str, PathKey]]:
            if not isinstance(tasks, list):
                return
            for i, task in enumerate(tasks):
                if isinstance(task, Mapping):
                    if isinstance(task.get("id"), str):
                        yield task["id"], (*path, i)
                    yield from walk(task.get("subtasks"), (*path, i, "subtasks"))
        plan = self.source.data.get("plan")
        if isinstance(plan, Mapping):
            yield from walk(plan.get("tasks"), ("plan", "tasks"))
        yield from _work_paths(self.source.data.get("work"), ("work",))

    # -- organisation and branches ------------------------------------------------------
    def branches(self) -> None:
        org = self.year.organisation
        for branch in self.year.branches:
            path = self.year.path_of(branch)
            m = branch.members
            if m is None:
                continue  # only the organisation's totals are known
            where = (*path, "roster" if branch.roster else "members")
            for label, value in (("女党员", m.women), ("35岁及以下党员", m.under_35),
                                 ("少数民族党员", m.ethnic_minority), ("离退休党员", m.retired)):
                if value is not None and value > m.total:
                    self.add(E, "members-sum", where,
                             f"{branch.name}{label} {value} 人，多于党员总数 {m.total} 人。",
                             "请核对统计数字。")
            if m.education is not None and m.education.total != m.total:
                self.add(E, "members-sum", (*where, "education"),
                         f"{branch.name}按学历合计 {m.education.total} 人，"
                         f"与党员总数 {m.total} 人{_split(m)}不符。",
                         "四项学历人数之和应等于正式党员与预备党员之和。")
            party_branch = not branch.general  # a 党总支's size and committee follow other rules
            if party_branch and m.full is not None and m.full >= 7 and not has_committee(self.year, branch):
                self.add(W, "committee-missing", path,
                         f"{branch.name}有正式党员 {m.full} 人，应当设立支部委员会，但没有填写支部委员。",
                         "正式党员 7 人以上的支部设支委会：请填写 committee（委员姓名和职务），"
                         "只知道人数时填写 committee_size。")
            size = branch.committee_count
            if size and not 3 <= size <= 5:
                self.add(W, "committee-size", (*path, "committee" if branch.committee else "committee_size"),
                         f"{branch.name}支委会有 {size} 人；支委会一般为 3 至 5 人。",
                         "请核对支部委员名单（最多不超过 7 人）。")
            if party_branch and m.full is not None and m.full < 3:
                self.add(W, "branch-too-small", path,
                         f"{branch.name}只有正式党员 {m.full} 人；成立党支部一般需要 3 名以上正式党员。",
                         "可与相近科室的支部合并，或成立联合党支部。")
            if party_branch and m.total > 50:
                self.add(W, "branch-too-large", path,
                         f"{branch.name}有党员 {m.total} 人；一个支部一般不超过 50 人。",
                         "可考虑分设支部，或在支部下划分党小组。")
            if branch.committee_elected is not None and age_on(
                    branch.committee_elected, self.year.year_end) >= 3:
                self.add(W, "term-expired", (*path, "committee_elected"),
                         f"{branch.name}支委会于 {branch.committee_elected.year} 年换届，"
                         "任期一般为 3 年，已到期。", "请按期组织换届选举，并更新换届日期。")
        own = org.members
        if own is not None and own.education is not None and own.education.total != own.total:
            self.add(E, "members-sum", ("organisation", "members", "education"),
                     f"党组织按学历合计 {own.education.total} 人，与党员总数 {own.total} 人{_split(own)}不符。",
                     "四项学历人数之和应等于正式党员与预备党员之和。")
        for label, value in (("女党员", own.women if own else None), ("35岁及以下党员", own.under_35 if own else None),
                             ("少数民族党员", own.ethnic_minority if own else None),
                             ("离退休党员", own.retired if own else None)):
            if own is not None and value is not None and value > own.total:
                self.add(E, "members-sum", ("organisation", "members"),
                         f"党组织{label} {value} 人，多于党员总数 {own.total} 人。", "请核对统计数字。")
        self.members_given()
        self.branch_count()
        if org.is_branch and len(self.year.branches) > 1:
            self.add(W, "branch-self", ("branches",),
                     f"党组织是{org.kind}，它本身就是支部，branches 中却有 {len(self.year.branches)} 个支部。",
                     "党支部为自己写文稿时，branches 中只写它自己一项；下设支部的请把组织类别改为党总支或党委。")
        known = [b.members for b in self.year.party_branches if b.members is not None]
        if org.members is not None and known and len(known) == len(self.year.party_branches) \
                and len(self.year.branches) == len(self.branch_ids):
            for key, label in (("full", "正式党员"), ("probationary", "预备党员"), ("women", "女党员"),
                               ("under_35", "35岁及以下党员"), ("ethnic_minority", "少数民族党员")):
                declared = getattr(org.members, key)
                values = [getattr(m, key) for m in known]
                if declared is None or any(v is None for v in values):
                    continue  # a breakdown given on one side only has nothing to agree with
                counted = sum(v for v in values if v is not None)
                if declared != counted:
                    self.add(E, "totals-mismatch", ("organisation", "members", key),
                             f"党组织{label}填写为 {declared} 人，各支部合计为 {counted} 人，二者不一致。",
                             "请核对各支部人数，或改正党组织的总数。")

    def members_given(self) -> None:
        """Each members block gives the total, or full and probationary (or both, agreeing)."""
        blocks: list[tuple[PathKey, MemberStats | None, str]] = [
            (("organisation", "members"), self.year.organisation.members, "党组织")]
        blocks += [((*self.year.path_of(b), "members"), b.members, b.name) for b in self.year.branches
                   if b.members is not None and not b.roster]
        for where, m, who in blocks:
            if m is None:
                continue
            if m.count is None and not m.split_known:
                self.add(E, "members-total-missing", where,
                         f"{who}的党员统计没有党员总数。",
                         "请填写党员总数（total），或同时填写正式党员（full）和预备党员（probationary）。")
            elif m.count is not None and m.split_known and m.count != (m.full or 0) + (m.probationary or 0):
                self.add(E, "members-sum", where,
                         f"{who}党员总数 {m.count} 人，与正式党员 {m.full} 人、预备党员 {m.probationary} 人之和不符。",
                         "请核对统计数字。")

    def branch_count(self) -> None:
        """A 党委/党总支's branches, listed or counted, agree; one branch, or none known, is noted."""
        org, year = self.year.organisation, self.year
        listed = len(year.party_branches)
        if org.is_branch:
            if "branches" not in self.source.data:
                self.add(E, "missing-key", (), "文件顶层缺少必填项“党支部”。",
                         "请在这里加上“branches: …”：党支部为自己写文稿时，写它自己一项（id、name、kind）。")
            return
        if org.branch_count is not None and self.branch_ids and org.branch_count != listed:
            self.add(E, "branch-count-mismatch", ("organisation", "branch_count"),
                     f"党组织下设党支部填写为 {org.branch_count} 个，branches 中列出了 {listed} 个。",
                     "请核对：列出全部支部时可以不填 branch_count。")
        general = sum(b.general for b in year.branches)
        if org.general_branch_count is not None and general and org.general_branch_count != general:
            self.add(E, "branch-count-mismatch", ("organisation", "general_branch_count"),
                     f"党组织下设党总支填写为 {org.general_branch_count} 个，branches 中列出了 {general} 个。",
                     "请核对：列出全部党总支时可以不填 general_branch_count。")
        if org.general_branch_count and org.kind != "党委":
            self.add(E, "general-branch-count-form", ("organisation", "general_branch_count"),
                     f"{org.name}是{org.kind}，下面不设党总支。",
                     "党总支个数只由党委填写；请删去 general_branch_count，或核对组织形式（kind）。")
        if "branches" not in self.source.data and org.branch_count is None:
            # a plan says nothing of its branches: the documents say what the data knows
            self.add(Severity.NOTE, "branches-unknown", (),
                     f"没有列出{org.kind}下设的党支部，也没有填写党支部个数，文稿不写支部设置和各支部的情况。",
                     "知道的，请在这里加上“branches: …”逐个列出支部；只知道个数时，在 organisation 中填写"
                     "党支部个数（branch_count）。")
        count = listed or org.branch_count
        if count == 1:
            self.add(Severity.NOTE, "single-branch",
                     ("organisation", "branch_count") if not listed else ("branches",),
                     f"{org.name}是{org.kind}，只下设 1 个党支部。",
                     "党员人数不多、只有一个支部的，一般成立党支部即可；请核对组织类别（kind）"
                     "和下设支部是否填写完整。")

    # -- the activity log ---------------------------------------------------------------
    def activities(self) -> None:
        year = self.year
        ids = {b.id: b for b in year.branches}
        groups = {b.id: {g.name for g in b.groups} for b in year.branches}
        raw_ids = self.branch_ids
        types = set(STANDARD_TYPES) | set(year.activity_types)
        tasks = set(self.task_paths)
        seen: dict[tuple, Any] = {}
        for activity in year.activities:
            path = year.path_of(activity)
            if activity.type not in types:
                self.add(E, "unknown-type", (*path, "type"),
                         f"活动类型“{activity.type}”不是标准类型，也没有在 activity_types 中登记。"
                         + did_you_mean(activity.type, types),
                         "请改用标准类型（如 支部委员会、主题党日），或把它加入 activity_types 列表。")
            branch = ids.get(activity.branch) if activity.branch else None
            if activity.branch and activity.branch not in raw_ids:
                self.add(E, "unknown-branch", (*path, "branch"),
                         f"支部代号“{activity.branch}”不存在。"
                         + did_you_mean(activity.branch, raw_ids),
                         "请填写 branches 中某个支部的 id。")
            if activity.group and not activity.branch:
                self.add(E, "group-without-branch", (*path, "group"),
                         f"填写了党小组“{activity.group}”，但没有填写所属支部。",
                         "请加上 branch: 支部代号。")
            if activity.group and branch is not None and activity.group not in groups[branch.id]:
                self.add(E, "unknown-group", (*path, "group"),
                         f"{branch.name}没有名为“{activity.group}”的党小组。"
                         + did_you_mean(activity.group, [g.name for g in branch.groups]),
                         "请填写该支部 groups 中的党小组名称。")
            if activity.type == "党小组会" and branch is not None and branch.groups \
                    and not activity.group:
                self.add(W, "group-missing", path, "党小组会没有注明是哪个党小组召开的。",
                         "请加上 group: 党小组名称，否则无法按党小组统计。")
            if activity.present is not None and activity.expected is not None \
                    and activity.present > activity.expected:
                self.add(E, "attendance", (*path, "present"),
                         f"实到 {activity.present} 人，多于应到 {activity.expected} 人。",
                         "请核对签到表：实到人数不能多于应到人数。")
            if activity.task and activity.task not in tasks:
                self.add(E, "unknown-task", (*path, "task"),
                         f"计划和全年工作中没有编号为“{activity.task}”的任务。"
                         + did_you_mean(activity.task, tasks),
                         "请填写 plan.tasks 或 work 中某一项的 id，或删除 task。")
            key = (activity.date, activity.type, activity.branch, activity.group, activity.topic)
            first = seen.setdefault(key, activity)
            if first is not activity:
                self.add(W, "duplicate-activity", path,
                         f"这条活动与第 {int(year.path_of(first)[1]) + 1} 条完全相同（日期、类型、支部、主题）。",
                         "如果是重复录入，请删除其中一条。")

    def activity_counts(self) -> None:
        types = set(STANDARD_TYPES) | set(self.year.activity_types)
        for given in self.year.activity_counts:
            path = self.year.path_of(given)
            if given.type not in types:
                self.add(E, "unknown-type", (*path, "type"),
                         f"活动类型“{given.type}”不是标准类型，也没有在 activity_types 中登记。"
                         + did_you_mean(given.type, types),
                         "请改用标准类型，或把它加入 activity_types 列表。")
            if given.branch and given.branch not in self.branch_ids:
                self.add(E, "unknown-branch", (*path, "branch"),
                         f"支部代号“{given.branch}”不存在。" + did_you_mean(given.branch, self.branch_ids),
                         "请填写 branches 中某个支部的 id。")

    def compliance(self) -> None:
        types = set(STANDARD_TYPES) | set(self.year.activity_types)
        for rule in self.year.rules:
            if rule.activity not in types:
                self.add(E, "unknown-type", (*self.year.path_of(rule), "activity"),
                         f"规则针对的活动类型“{rule.activity}”不是标准类型，也没有在 activity_types 中登记。"
                         + did_you_mean(rule.activity, types),
                         "规则的 activity 须与活动记录的 type 写法完全一致。")
        if not self.year.activities:
            written = ("文稿只写 activity_counts 中的全年次数，不写是否达标，也不附统计表。"
                       if self.year.activity_counts else "文稿不写组织生活的开展和达标情况，也不附统计表。")
            self.add(Severity.NOTE, "no-activity-log", (),
                     "没有活动记录（activities），无法核对组织生活是否达到规定频次；" + written,
                     "有台账的，请逐条录入活动记录；只有全年次数的，可填写 activity_counts。")
            return
        self.durations()
        unknown = unrecorded(self.year)
        if unknown:
            self.add(Severity.NOTE, "unrecorded-activity", ("activities",),
                     f"活动记录中没有{'、'.join(unknown)}的记录，文稿不评价这些活动是否达到规定频次，"
                     "统计表中相应的格子留空。",
                     "开展过的，请补录活动记录；记录已包括全年全部组织生活、这些活动确实没有开展的，"
                     "请在数据中写 activities_complete: true，文稿将写明未达到要求。")
        unlogged = unrecorded_branches(self.year)
        if unlogged:
            self.add(Severity.NOTE, "unrecorded-branch", ("activities",),
                     f"活动记录中没有{'、'.join(b.name for b in unlogged)}的任何记录，文稿不评价"
                     "这些支部的组织生活是否达到规定频次，统计表中相应的格子留空。",
                     "开展过的，请补录这些支部的活动记录；记录已包括全年全部组织生活的，"
                     "请在数据中写 activities_complete: true，文稿将写明未达到要求。")
        for tally in tallies(self.year):
            if tally.compliant:
                continue
            rule = tally.rule
            missing = "、".join(period_label(rule.period, i) for i in tally.short_periods)
            where = f"（{missing}不足）" if rule.period != "year" else ""
            place = self.year.path_of(tally.branch) if tally.branch is not None else ("rules",)
            self.add(W, "compliance", place,
                     f"{tally.unit_name}：{rule.activity}{PERIOD_WORDS[rule.period]}应至少 {rule.min} 次，"
                     f"全年应 {tally.required} 次，记录 {tally.held} 次{where}。",
                     "如已开展，请补录活动记录；依据：" + (rule.basis or "本单位规则") + "。")
        if not log_covers_branches(self.year) or "党课" in unknown:
            return
        lectures = {(unit_of(self.year, a), a.speaker) for a in self.year.activities if a.type == "党课"}
        for branch in self.year.party_branches:
            if branch in unlogged:
                continue  # its lectures are as unknown as its meetings
            if branch.secretary and (branch.id, branch.secretary) not in lectures:
                self.add(W, "secretary-lecture", self.year.path_of(branch),
                         f"没有{branch.name}书记{branch.secretary}讲党课的记录；支部书记每年至少讲一次党课。",
                         "如已讲授，请补录一条 type: 党课、speaker 为书记姓名的活动。")

    def durations(self) -> None:
        """Activities shorter than a rule of their type asks (e.g. 中心组学习 at least 90 minutes)."""
        for rule in effective_rules(self.year.rules):
            if not rule.min_minutes:
                continue
            for activity in self.year.activities:
                if activity.type == rule.activity and activity.duration is not None \
                        and activity.duration < rule.min_minutes:
                    self.add(W, "short-activity", (*self.year.path_of(activity), "duration"),
                             f"{rule.activity}时长 {activity.duration} 分钟，少于规定的 {rule.min_minutes} 分钟。",
                             "请核对时长；依据：" + (rule.basis or "本单位规则") + "。")

    def practices(self) -> None:
        """A practice names the tasks whose activities it counts; each must exist."""
        known = set(self.task_paths)
        for practice in self.year.practices:
            for i, task_id in enumerate(practice.tasks):
                if task_id not in known:
                    self.add(E, "unknown-task", (*self.year.path_of(practice), "tasks", i),
                             f"计划和全年工作中没有编号为“{task_id}”的任务。" + did_you_mean(task_id, known),
                             "请填写 plan.tasks 或 work 中某一项的 id。")

    def plan_tasks(self) -> None:
        """A task with only a title tells the reader nothing about what will be done; a plan
        needs a date of its own (the signature's is the year-end documents')."""
        if self.year.plan is None:
            return
        if self.year.documents.get("plan") is None or self.year.documents["plan"].date is None:
            self.add(W, "plan-undated", ("plan",),
                     "工作计划没有自己的成文日期，文稿中不写日期（落款日期是年终总结的日期，不能用于计划）。",
                     f"请在 documents 中填写计划的成文日期：documents: {{plan: {{date: {self.year.year}-01-10}}}}。")
        for task in self.year.plan.all_tasks():
            for i, branch_id in enumerate(task.branches):
                if branch_id not in self.branch_ids:
                    self.add(E, "unknown-branch", (*self.task_paths.get(task.id, ("plan", "tasks")), "branches", i),
                             f"任务“{task.title}”指派给的支部代号“{branch_id}”不存在。"
                             + did_you_mean(branch_id, self.branch_ids),
                             "请填写 branches 中某个支部的 id。")
            if not (task.detail or task.measures or task.subtasks):
                self.add(W, "task-empty", self.task_paths.get(task.id, ("plan", "tasks")),
                         f"任务“{task.title}”只有标题，计划中只会出现一行标题。",
                         "请在 detail 写明具体内容，或在 measures 逐条写出措施。")

    # -- member development and dues ----------------------------------------------------
    def development(self) -> None:
        raw_ids = self.branch_ids
        self.development_totals()
        for person in self.year.development:
            path = self.year.path_of(person)
            if person.branch not in raw_ids:
                self.add(E, "unknown-branch", (*path, "branch"),
                         f"支部代号“{person.branch}”不存在。" + did_you_mean(person.branch, raw_ids),
                         "请填写 branches 中某个支部的 id。")
            dated = [(s, getattr(person, s)) for s in STAGES if getattr(person, s) is not None]
            for (s1, d1), (s2, d2) in itertools.pairwise(dated):
                if d2 < d1:
                    self.add(E, "stage-order", (*path, s2),
                             f"{person.name}成为{STAGE_LABELS[s2]}的日期 {d2} 早于成为"
                             f"{STAGE_LABELS[s1]}的日期 {d1}。", "请核对各阶段的日期。")
            for interval in INTERVALS:
                short = too_short(person, interval)
                if short is not None:
                    self.add(W, "stage-too-short", (*path, interval.end),
                             interval.message.format(name=person.name, start=short[0], end=short[1]), interval.hint)

    def development_totals(self) -> None:
        given = self.year.development_counts
        if given is None or not self.year.development:
            return
        counted = figure_development(dataclasses.replace(self.year, development_counts=None))
        for key, label in (("applied", "入党申请"), ("activists", "入党积极分子"), ("candidates", "发展对象"),
                           ("admitted", "发展党员"), ("converted", "转正")):
            declared, found = getattr(given, key), getattr(counted, key)
            if declared is not None and declared != found:
                self.add(E, "development-mismatch", ("development_counts", key),
                         f"{label}人数填写为 {declared}，逐人记录中本年度为 {found}，二者不一致。",
                         "请核对逐人记录（development）或改正人数。")

    def dues(self) -> None:
        ids = self.branch_ids
        for dues in self.year.dues:
            path = self.year.path_of(dues)
            if dues.branch not in ids:
                self.add(E, "unknown-branch", (*path, "branch"),
                         f"支部代号“{dues.branch}”不存在。" + did_you_mean(dues.branch, ids),
                         "请填写 branches 中某个支部的 id。")
            if dues.arrears_months > 6:
                self.add(W, "dues-arrears", (*path, "arrears_months"),
                         f"有党员欠缴党费 {dues.arrears_months} 个月；补缴一般不超过 6 个月。",
                         "连续 6 个月不交纳党费的，应按党章有关规定处理。")

    # -- dates ---------------------------------------------------------------------------
    def dates(self) -> None:
        year = self.year
        for activity in year.activities:
            if activity.date.year != year.year:
                self.add(E, "date-out-of-year", (*year.path_of(activity), "date"),
                         f"活动日期 {activity.date} 不在 {year.year} 年内。",
                         f"这个文件只记录 {year.year} 年的活动；其他年份的请放到对应年份的文件中。")
        if year.plan is not None:
            dated = [(t.due, self.task_paths[t.id]) for t in year.plan.all_tasks() if t.due]
            dated += [(row.due, ("plan", "schedule", i)) for i, row in enumerate(year.plan.schedule) if row.due]
            for due, path in dated:
                if due.year != year.year:
                    self.add(W, "plan-date-out-of-year", (*path, "due"),
                             f"完成时限 {due} 不在 {year.year} 年内。",
                             "年度计划的任务一般在当年完成；跨年的任务请核对日期是否写错。")
        signed = year.signature.date
        if signed is None:
            self.add(Severity.NOTE, "signature-undated", ("signature",) if "signature" in self.source.data else (),
                     "落款没有成文日期（signature.date），工作总结、情况汇报等文稿不写成文日期。",
                     "知道成文日期的，请在落款中填写，如 signature: {body: 中共某某医院委员会, date: 2025-12-25}。")
        elif signed is not None and not year.year_start <= signed <= dt.date(year.year + 1, 12, 31):
            self.add(W, "signature-date", ("signature", "date"),
                     f"成文日期 {signed} 与年度 {year.year} 相差较远。",
                     "工作计划一般在年初、工作总结在年末或次年初成文，请核对。")


def _split(m: MemberStats) -> str:
    """``（正式 30 + 预备 2）`` where the split is given."""
    return f"（正式 {m.full} + 预备 {m.probationary}）" if m.split_known else ""


def _work_paths(items: Any, path: PathKey) -> Iterator[tuple[str, PathKey]]:
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        if isinstance(item, Mapping):
            if isinstance(item.get("id"), str):
                yield item["id"], (*path, i)
            yield from _work_paths(item.get("subsections"), (*path, i, "subsections"))


def cross_check(source: DataFile, year: YearData) -> list[Diagnostic]:
    """Everything beyond the schema, on the parts of the data the schema accepted."""
    return _Checker(source, year).run()


def attendance_sense(check: _Checker) -> None:
    """Attendance an office would question: nobody present, more than the branch has.

    A meeting nobody attended was not held; counted as held it would make a shortfall look met,
    so it is an error. Going over the branch's members is a warning, because membership is the
    year-end count and moves during the year (members transferred out, deceased).
    """
    year = check.year
    branches = {b.id: b for b in year.branches}
    for activity in year.activities:
        present, expected = activity.present, activity.expected
        if present == 0:
            check.add(E, "nobody-present", (*year.path_of(activity), "present"),
                      "实到 0 人：没有人参加的会议不能算作已召开。",
                      "会议已召开的，请填写实际到会人数；没有召开的，请删除这条记录，否则会被计入召开次数。")
            continue
        branch = branches.get(activity.branch) if activity.branch else None
        members = branch.members if branch is not None else None
        over_expected = present is not None and expected is not None and present > expected
        if branch is None or members is None or over_expected:
            continue  # unknown membership, or more present than expected: an error already
        if present is not None and present > members.total:
            check.add(W, "present-over-members", (*year.path_of(activity), "present"),
                      f"实到 {present} 人，多于{branch.name}的党员总数 {members.total} 人。",
                      "实到人数只计本支部党员（列席人员不计入）；年内党员有转出等变动的，请核对。")
        elif expected is not None and expected > members.total:
            check.add(W, "expected-over-members", (*year.path_of(activity), "expected"),
                      f"应到 {expected} 人，多于{branch.name}的党员总数 {members.total} 人。",
                      "应到人数一般为本支部党员人数（减去请假、外出等情况）；年内党员有转出等变动的，请核对。")
    for given in year.activity_counts:  # the same sense for a year's totals without a log
        path = year.path_of(given)
        if given.count and given.participants == 0:
            check.add(E, "nobody-present", (*path, "participants"),
                      f"{given.type}全年 {given.count} 次，参加人次为 0：没有人参加的活动不能算作已开展。",
                      "请填写实际参加人次；没有开展的，请把次数改为实际开展的次数。")
        branch = branches.get(given.branch) if given.branch else None
        if branch is None or branch.members is None or given.participants is None:
            continue
        most = given.count * branch.members.total
        if given.count and given.participants > most:
            check.add(W, "present-over-members", (*path, "participants"),
                      f"{given.type}全年 {given.count} 次、参加 {given.participants} 人次，多于{branch.name}"
                      f"党员 {branch.members.total} 人每次全部参加的 {most} 人次。",
                      "参加人次只计本支部党员（列席人员不计入）；请核对次数和人次。")
