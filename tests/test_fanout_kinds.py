"""Issue 15 item 1: one plan and one summary a branch, one plan a Party group, from one data file.

Read back from the built .docx: every figure is the data's, counted here from the sample's own
YAML and checked by hand; each branch's documents name no other branch, secretary or group.
Seed 004's first Party-group plan, written as data, comes out with the seed's headings and tasks.
A repo of 200 organisations rebuilds, after a change to one branch, only the documents of that
file whose bytes change: the branch's own and the organisation's.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import docx
import pytest
import yaml
from conftest import cli_output as run

import dangjian_docs
from dangjian_docs.documents import KINDS
from dangjian_docs.repo.manifest import MANIFEST_NAME

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
SEED = ROOT / "tests" / "data" / "seed-004-plan1.txt"
SEED_DATA = ROOT / "tests" / "data" / "group-plan-004.yaml"
HOSPITAL = "滨江市第一人民医院"


@pytest.fixture(scope="module")
def year() -> dangjian_docs.YearData:
    result = dangjian_docs.validate(SAMPLE)
    assert result.year is not None and result.ok()
    return result.year


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(SAMPLE.read_text("utf-8"))


def read(content: bytes) -> tuple[list[str], list[list[str]]]:
    built = docx.Document(io.BytesIO(content))
    # a title broken over lines (GB/T 9704 7.3.3) reads as one line here
    return [p.text.replace("\n", "") for p in built.paragraphs if p.text.strip()], \
        [[c.text for c in row.cells] for t in built.tables for row in t.rows]


def others(raw: dict, branch_id: str) -> list[str]:
    """Every name of another branch: its name, secretary, committee, groups and their leaders."""
    names = []
    for branch in raw["branches"]:
        if branch["id"] == branch_id:
            continue
        names += [branch["name"], branch["secretary"]]
        names += [c if isinstance(c, str) else c["name"] for c in branch.get("committee", ())]
        names += [g["name"] for g in branch.get("groups", ())] + [g["leader"] for g in branch.get("groups", ())]
    return names


def test_the_sample_makes_one_plan_and_summary_a_branch_with_tasks_and_one_plan_a_group_with_tasks(
        year: dangjian_docs.YearData) -> None:
    ids = [d.id for d in dangjian_docs.outputs(year, ["plan", "summary", "report", "branch-plan", "branch-summary",
                                                        "group-plan"])]
    branches = ["内科第一党支部", "外科党支部", "医技党支部", "护理党支部"]  # the sample's tasks name these four
    assert ids == ["plan", "summary", "report", *(f"branch-plan/{b}" for b in branches),
                   *(f"branch-summary/{b}" for b in branches),
                   "group-plan/心血管内科党小组", "group-plan/普外科党小组"]


def test_a_branch_plan_holds_its_tasks_and_its_meetings_month_by_month(year: dangjian_docs.YearData,
                                                                        raw: dict) -> None:
    paragraphs, rows = read(dangjian_docs.render(year, "branch-plan", subject="内科第一党支部"))
    text = "\n".join(paragraphs)
    assert paragraphs[0] == f"{HOSPITAL}内科第一党支部2025年工作计划"
    # signed by the branch's committee, dated as the organisation's plan (documents.plan.date)
    assert paragraphs[-4:] == [f"中共{HOSPITAL}内科第一支部委员会", "2025年1月10日", "附件", "2025年党建工作月度安排表"]
    # the two tasks given to neike1 (T5.1, T5.3), then its organisational life, under 主要任务
    assert paragraphs[2:9] == [
        "一、主要任务",
        "（一）开展“党员示范岗”“党员先锋队”创建活动",
        "一是在临床一线评选党员示范岗；二是在急诊急救、对口帮扶等任务中组建党员先锋队（完成时限：2025年10月31日）。",
        "（二）组织党员志愿服务和健康义诊进社区",
        "一是结合学雷锋纪念日、中国医师节和国庆等节点组织志愿服务；二是组织党员专家到社区开展健康义诊。",
        "（三）严格落实组织生活制度",
        "按照《中国共产党支部工作条例（试行）》的要求，支部每季度召开支部党员大会不少于1次，每月召开支部委员会会议"
        "不少于1次，各党小组每月召开党小组会不少于1次，每年讲授党课不少于1次，每月开展主题党日不少于1次，每年召开"
        "组织生活会不少于1次，每年开展民主评议党员不少于1次，每年开展谈心谈话不少于1次。"]
    assert "党委组织部" not in text and "党委宣传科" not in text  # the organisation's departments stay out
    # the table: 12 months of monthly meetings, 4 quarters of 支部党员大会, T5.1 in October
    body = rows[1:]
    assert len(body) == 12 + 4
    assert body[0] == ["1月", "召开支部委员会会议、各党小组召开党小组会、开展主题党日", "", "1月31日"]
    assert body[1] == ["1月", "召开支部党员大会", "", "3月31日"]
    assert ["10月", "召开支部委员会会议、各党小组召开党小组会、开展主题党日、开展“党员示范岗”“党员先锋队”创建活动",
            "", "10月31日"] in body
    for name in others(raw, "neike1"):
        assert name not in text and all(name not in "".join(r) for r in rows), name


def test_a_branch_without_a_committee_or_groups_is_not_asked_for_their_meetings(
        year: dangjian_docs.YearData, raw: dict) -> None:
    """医技党支部 has a committee and two groups; a copy without them plans neither meeting."""
    import dataclasses

    yiji = year.branch("yiji")
    assert yiji is not None
    bare = dataclasses.replace(yiji, committee=(), groups=())
    changed = dataclasses.replace(year, branches=tuple(bare if b is yiji else b for b in year.branches),
                                  activities=tuple(a for a in year.activities if a.branch != "yiji"))
    paragraphs, rows = read(dangjian_docs.render(changed, "branch-plan", subject="医技党支部"))
    text = "\n".join(paragraphs) + "".join("".join(r) for r in rows)
    assert "支部委员会会议" not in text and "党小组会" not in text and "支部党员大会" in text
    assert paragraphs[-4] == "医技党支部"  # no committee: signed with the branch's name


def neike1_figures(raw: dict) -> dict[str, object]:
    """内科第一党支部's figures counted straight from the sample's YAML."""
    own = [a for a in raw["activities"] if a.get("branch") == "neike1"]
    types = Counter(a["type"] for a in own)
    attended = [a for a in own if "present" in a and "expected" in a]
    rate = sum(a["present"] for a in attended) / sum(a["expected"] for a in attended)
    development = [d for d in raw["development"] if d["branch"] == "neike1"]

    def in_2025(step: str) -> int:
        return sum(1 for d in development if str(d.get(step, "")).startswith("2025"))

    dues = next(d["amount"] for d in raw["dues"] if d["branch"] == "neike1")
    return {"三会一课": types["支部党员大会"] + types["支部委员会"] + types["党小组会"] + types["党课"],
            "主题党日": types["主题党日"], "志愿服务": types["志愿服务"], "rate": f"{rate * 100:.1f}%",
            "activists": in_2025("activist"), "admitted": in_2025("probationary"),
            "applied": in_2025("applied"), "dues": dues}


def test_a_branch_summary_states_that_branchs_figures_only(year: dangjian_docs.YearData, raw: dict) -> None:
    figures = neike1_figures(raw)
    # checked by hand against the sample: 4 大会 + 12 支委会 + 36 党小组会 (3 groups) + 4 党课
    assert figures == {"三会一课": 56, "主题党日": 12, "志愿服务": 2, "rate": "95.3%", "activists": 1,
                       "admitted": 1, "applied": 0, "dues": 71436.5}
    paragraphs, rows = read(dangjian_docs.render(year, "branch-summary", subject="内科第一党支部"))
    text = "\n".join(paragraphs)
    assert paragraphs[0] == f"{HOSPITAL}内科第一党支部2025年工作总结"
    assert paragraphs[1] == (f"2025年，内科第一党支部在{HOSPITAL}党委的领导下，围绕医院中心工作，扎实推进支部建设"
                             "各项工作。现将全年工作总结如下。")
    assert paragraphs[-2:] == [f"中共{HOSPITAL}内科第一支部委员会", "2025年12月20日"]
    # members: 34 full + 1 probationary; 19 women of 35 = 54.3%; 10 under 35 = 28.6%; 33 of 35 with a degree
    assert "支部共有党员35名，其中正式党员34名、预备党员1名；女党员19名，占54.3%；35岁及以下党员10名，占28.6%" in text
    assert "大学本科及以上学历占94.3%" in text
    assert "下设党小组3个，支部委员会由5名委员组成，书记陈立新" in text
    assert (f"全年支部共开展“三会一课”{figures['三会一课']}次、主题党日{figures['主题党日']}次，"
            f"平均参会率{figures['rate']}。") in text
    assert f"开展志愿服务{figures['志愿服务']}次" in text
    assert "全年确定入党积极分子1名，接收预备党员1名。" in text and "入党申请" not in text
    assert "全年收缴党费7.14万元。" in text  # 71436.50 元
    assert not rows  # one branch: no table of branches
    # the branch's voice, and nothing of the other branches or the organisation's own work
    assert "各党支部" not in text and "党委会" not in text and "理论学习中心组" not in text
    for name in others(raw, "neike1"):
        assert name not in text, name


def test_a_group_plan_is_the_groups_tasks(year: dangjian_docs.YearData, raw: dict) -> None:
    paragraphs, rows = read(dangjian_docs.render(year, "group-plan", subject="心血管内科党小组"))
    assert paragraphs == [
        f"{HOSPITAL}心血管内科党小组2025年工作计划",
        "为做好心血管内科党小组2025年工作，结合党小组实际，制定本计划。",
        "一、加强政治理论学习",
        "每月组织小组党员集中学习1次，围绕党的二十届四中全会精神和卫生健康领域重要论述交流研讨。",
        "（一）落实个人自学制度",
        "小组党员每季度撰写学习心得1篇，在党小组会上交流。",
        "二、发挥党员在胸痛中心建设中的示范作用",
        "一是党员带头参加胸痛中心急救演练；二是党员医师牵头开展心血管疾病健康科普进社区（完成时限：2025年9月30日）。",
        "内科第一党支部心血管内科党小组",
        "2025年1月10日",
    ]
    assert not rows


def test_a_branch_plan_given_in_the_data_is_written_as_given(year: dangjian_docs.YearData) -> None:
    """内科第二党支部 has no task of its own; a plan of its own makes it write one, as given, with its
    meetings month by month (a plan of its own has no table)."""
    import dataclasses

    from dangjian_docs.model import Plan, Task

    neike2 = year.branch("neike2")
    assert neike2 is not None and "内科第二党支部" not in [d.subject for d in dangjian_docs.outputs(year)]
    own = Plan(guiding_idea="以党建引领神经内科学科建设。", goals="支部标准化规范化建设全面达标。",
               tasks=(Task(id="N1", title="建设卒中中心党员先锋岗", detail="党员医师轮流值守卒中绿色通道。"),))
    changed = dataclasses.replace(year, branches=tuple(
        dataclasses.replace(b, plan=own) if b is neike2 else b for b in year.branches))
    assert "branch-plan/内科第二党支部" in [d.id for d in dangjian_docs.outputs(changed)]
    paragraphs, rows = read(dangjian_docs.render(changed, "branch-plan", subject="内科第二党支部"))
    assert paragraphs[2:9] == ["一、指导思想", "以党建引领神经内科学科建设。",
                               "二、总体目标", "支部标准化规范化建设全面达标。",
                               "三、主要任务", "（一）建设卒中中心党员先锋岗", "党员医师轮流值守卒中绿色通道。"]
    assert "严格落实组织生活制度" not in paragraphs and len(rows) == 1 + 12 + 4


def test_groups_of_one_name_in_two_branches_are_told_apart_by_their_branch(year: dangjian_docs.YearData) -> None:
    import dataclasses

    waike = year.branch("waike")
    assert waike is not None
    renamed = dataclasses.replace(waike, groups=tuple(
        dataclasses.replace(g, name="心血管内科党小组") if g.name == "普外科党小组" else g for g in waike.groups))
    changed = dataclasses.replace(year, branches=tuple(renamed if b is waike else b for b in year.branches))
    made = [d for d in dangjian_docs.outputs(changed) if d.kind.name == "group-plan"]
    assert [d.subject for d in made] == ["内科第一党支部心血管内科党小组", "外科党支部心血管内科党小组"]
    assert len({d.title for d in made}) == 2
    paragraphs, _ = read(dangjian_docs.render(changed, "group-plan", subject="外科党支部心血管内科党小组"))
    assert paragraphs[2] == "一、落实党小组会制度" and paragraphs[-2] == "外科党支部心血管内科党小组"


def test_a_task_given_to_a_branch_that_does_not_exist_is_placed(tmp_path: Path) -> None:
    path = tmp_path / "year.yaml"
    path.write_text(SAMPLE.read_text("utf-8").replace("branches: [yiji]", "branches: [yiij]"), "utf-8")
    [problem] = dangjian_docs.validate(path).errors
    assert problem.code == "unknown-branch" and "“yiij”不存在" in problem.message and "yiji" in problem.message
    assert problem.path == "plan.tasks[2].subtasks[0].subtasks[2].branches[0]"


def without_the_years_work(raw: dict) -> dict:
    """The sample as a plan written in January: no log, no outcomes, nothing done yet."""
    def plain(tasks: list) -> list:
        out = []
        for task in tasks:
            kept = {k: v for k, v in task.items() if k not in ("outcome", "status", "subtasks")}
            out.append({**kept, "subtasks": plain(task["subtasks"])} if task.get("subtasks") else kept)
        return out

    kept = {k: v for k, v in raw.items()
            if k not in ("activities", "development", "results", "practices", "problems", "next_year", "dues")}
    return {**kept, "plan": {**raw["plan"], "tasks": plain(raw["plan"]["tasks"])}}


def test_without_the_years_work_branch_summaries_are_skipped_with_a_note(tmp_path: Path, raw: dict) -> None:
    path = tmp_path / "plan-only.yaml"
    path.write_text(yaml.safe_dump(without_the_years_work(raw), allow_unicode=True), "utf-8")
    made = {d.kind.name for d in dangjian_docs.outputs(path)}
    assert made == {"plan", "branch-plan", "group-plan", "report-duty"}  # the secretaries' own words stand
    out = run("validate", path)
    assert "数据中没有全年工作" in out and "不生成支部工作总结" in out


def test_a_file_whose_branches_write_nothing_of_their_own_gets_no_note_about_them(tmp_path: Path) -> None:
    out = run("validate", ROOT / "tests" / "data" / "small-year.yaml")
    assert "支部工作计划" not in out and "支部工作总结" not in out and "党小组工作计划" not in out
    assert not {d.kind.name for d in dangjian_docs.outputs(ROOT / "tests" / "data" / "small-year.yaml")} \
        & {"branch-plan", "branch-summary", "group-plan"}


# -- seed 004 ----------------------------------------------------------------------------------------

FILLED = {"xx大會議": "十七大會議", "xx屆三中全會": "十七屆三中全會", "XX年度": "上年度"}
"""The seed's three unfilled placeholders, as the data file fills them (a build refuses placeholders)."""


def bare(text: str) -> str:
    """Text without punctuation, spaces or numbering: what the seed and the build must share."""
    return "".join(c for c in text if not unicodedata.category(c).startswith(("P", "Z")) and not c.isspace())


def seed_outline(script: str = "hans") -> list[tuple[str, list[str]]]:
    """The seed's first plan: each part's heading with its paragraphs (intro, then items), in
    simplified (``hans``) or as the seed writes it (``hant``, only the placeholders' fillings converted)."""
    import opencc

    text = SEED.read_text("utf-8")
    fill = opencc.OpenCC("s2hk").convert if script == "hant" else str
    for placeholder, filled in FILLED.items():
        text = text.replace(placeholder, fill(filled))
    if script == "hans":
        text = opencc.OpenCC("t2s").convert(text)
    title, closing = ("2022年医院党小组工作计划", "总之") if script == "hans" else ("2022年醫院黨小組工作計劃", "總之")
    parts: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(title):  # the title and the site's banner
            continue
        if line.startswith(closing):  # the closing paragraph is no task
            break
        heading = re.match(r"^[一二三四五六七八九十]+、(.*)$", line)
        if heading:
            parts.append((heading.group(1), []))
        else:
            parts[-1][1].append(re.sub(r"^\d+、", "", line))
    return parts


def built_outline(content: bytes) -> list[tuple[str, list[str]]]:
    paragraphs = docx.Document(io.BytesIO(content)).paragraphs
    parts: list[tuple[str, list[str]]] = []
    for i, p in enumerate(paragraphs):
        if p.style.name == "Heading 1":
            parts.append((re.sub(r"^[一二三四五六七八九十]+、", "", p.text), []))
        elif p.style.name == "Heading 2" and parts:
            parts[-1][1].append(re.sub(r"^（[一二三四五六七八九十]+）", "", p.text))
        elif p.style.name == "Body Text" and parts and p.text.strip():
            items = parts[-1][1]
            if items and paragraphs[i - 1].style.name == "Heading 2":
                items[-1] += p.text  # an item's title and its text are one item of the seed
            else:
                items.append(p.text)
    return parts


def test_seed_004s_first_plan_builds_as_a_group_plan_with_its_headings_and_tasks() -> None:
    result = dangjian_docs.validate(SEED_DATA)
    assert result.year is not None and result.ok()
    [made] = dangjian_docs.outputs(result.year, ["group-plan"])
    assert made.title == "示例医院第一党小组2022年工作计划"
    expected = seed_outline()
    built = built_outline(dangjian_docs.render(result.year, "group-plan", subject="第一党小组"))
    assert len(expected) == 6 and sum(len(items) for _, items in expected) == 20
    assert [bare(h) for h, _ in built] == [bare(h) for h, _ in expected]
    for (_, built_items), (heading, seed_items) in zip(built, expected, strict=True):
        assert [bare(i) for i in built_items] == [bare(i) for i in seed_items], heading


# -- a repo of 200 organisations -----------------------------------------------------------------------

def organisation(i: int) -> str:
    """A small 党委 with two branches that write their own year, one with a Party group's plan."""
    return f"""year: 2025
organisation: {{name: 第{i}医院党委, hospital: 第{i}医院, kind: 党委}}
branches:
  - id: nk
    name: 内科党支部
    kind: 在职
    secretary: 甲{i}
    committee: [甲{i}, 乙{i}, 丙{i}]
    members: {{full: {20 + i % 7}, probationary: 1}}
    groups:
      - name: 第一党小组
        leader: 乙{i}
        tasks: [{{id: G1, title: 组织集中学习, detail: 每月集中学习1次。}}]
  - id: wk
    name: 外科党支部
    kind: 在职
    secretary: 丁{i}
    committee: [丁{i}, 戊{i}, 己{i}]
    members: {{full: {18 + i % 5}, probationary: 0}}
plan:
  guiding_idea: 以习近平新时代中国特色社会主义思想为指导。
  goals: 支部标准化规范化建设全面达标。
  tasks:
    - {{id: T1, title: 开展党员示范岗创建, detail: 在临床一线评选党员示范岗。, branches: [nk, wk], status: 已完成}}
activities:
  - {{date: 2025-03-12, type: 支部委员会, branch: nk, topic: 研究支部工作, expected: 3, present: 3}}
  - {{date: 2025-03-13, type: 支部委员会, branch: wk, topic: 研究支部工作, expected: 3, present: 3}}
documents:
  plan: {{date: 2025-01-10}}
signature: {{body: 中共第{i}医院委员会, date: 2025-12-20}}
"""


def files(output: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(output).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(output.rglob("*.docx"))}


def test_a_change_to_one_branch_rewrites_that_branchs_documents_and_the_organisations_only(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "数据").mkdir(parents=True)
    (repo / "dangjian-docs.yaml").write_text(
        "data: [数据]\noutput: 文稿\nkinds: [summary, branch-summary, group-plan]\n", "utf-8")
    for i in range(1, 201):
        (repo / "数据" / f"第{i}医院.yaml").write_text(organisation(i), "utf-8")
    out = run("build", repo, "-j", "2")
    # a summary, two branch summaries and one group plan a file (the plans are covered above)
    assert "生成 800 份" in out and "失败 0 份" in out
    before = files(repo / "文稿")
    assert len(before) == 800
    assert "第17医院内科党支部2025年工作总结.docx" in before and "第17医院第一党小组2025年工作计划.docx" in before
    # the manifest names each document by its id: one a branch, one a group
    manifest = json.loads((repo / "文稿" / MANIFEST_NAME).read_text("utf-8"))["outputs"]
    assert sorted(entry["kind"] for entry in manifest.values() if entry["source"].endswith("第17医院.yaml")) == [
        "branch-summary/内科党支部", "branch-summary/外科党支部", "group-plan/第一党小组", "summary"]

    data = repo / "数据" / "第17医院.yaml"
    text = data.read_text("utf-8")
    assert text.count("members: {full: 23, probationary: 1}") == 1  # 内科党支部 of 第17医院: 20 + 17 % 7
    data.write_text(text.replace("{full: 23, probationary: 1}", "{full: 24, probationary: 1}"), "utf-8")
    out = run("build", repo, "-j", "2")
    after = files(repo / "文稿")
    assert after.keys() == before.keys()
    changed = {name for name in after if after[name] != before[name]}
    # the branch's summary and the organisation's summary state its members; the other
    # branch's documents, the group's plan and the other 199 files' documents are untouched
    assert changed == {"第17医院内科党支部2025年工作总结.docx", "第17医院党委2025年党建工作总结.docx"}
    assert "生成 2 份" in out
    assert all(after[name][0] == before[name][0] for name in after if name not in changed)


def test_every_fan_out_kind_is_registered_with_its_template() -> None:
    for name in ("branch-plan", "branch-summary", "group-plan"):
        assert KINDS[name].fan_out is not None and (ROOT / "templates" / f"{name}.docx").is_file()


def test_seed_004s_first_plan_built_in_traditional_script_reads_as_the_seed() -> None:
    """Issue 15: written in simplified as data, built with script hant, the headings and tasks are
    the seed's own traditional text, character for character."""
    result = dangjian_docs.validate(SEED_DATA)
    assert result.year is not None
    built = built_outline(dangjian_docs.render(result.year, "group-plan", subject="第一党小组", script="hant"))
    expected = seed_outline("hant")
    assert len(expected) == 6
    assert [bare(h) for h, _ in built] == [bare(h) for h, _ in expected]
    for (_, built_items), (heading, seed_items) in zip(built, expected, strict=True):
        assert [bare(i) for i in built_items] == [bare(i) for i in seed_items], heading
