"""Issue 14 item 1: each fact once, in its place, decided by fact identity, never by searching text.

Every quoted defect of the issue is one test here. The data are the truth files and the sample;
where a defect needs a user's sentence, the sentence is the one quoted in the issue.
"""

from __future__ import annotations

import io
import re

import docx
import pytest
import yaml
from conftest import DATA, ROOT

import dangjian_docs
from dangjian_docs.documents.ledger import Fact, Ledger

SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"


def raw(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def text(data: dict | dangjian_docs.YearData, kind: str) -> str:
    year = data if isinstance(data, dangjian_docs.YearData) else dangjian_docs.validate(data).year
    assert year is not None
    document = docx.Document(io.BytesIO(dangjian_docs.render(year, kind)))
    return "\n".join(p.text for p in document.paragraphs)


@pytest.fixture(scope="module")
def sample() -> dangjian_docs.YearData:
    year = dangjian_docs.validate(dangjian_docs.load(SAMPLE)).year
    assert year is not None
    return year


# -- real figures do not vanish when the user's text merely names the activity ----------------

@pytest.mark.parametrize("words", [
    "严格落实“三会一课”、“理论中心组”等学习制度。",
    "坚持集中学习与个人自学相结合。",
    "坚持中心组学习制度。",
])
@pytest.mark.parametrize("kind", ["summary", "report"])
def test_naming_an_activity_does_not_state_its_count(words: str, kind: str) -> None:
    data = raw("truth-single-branch.yaml")
    data["work"] = [{"title": "强化理论武装", "detail": words}]
    said = text(data, kind)
    assert words in said
    assert "理论学习中心组集中研讨11次、个人自学33次" in said


def test_the_committees_meetings_are_not_hidden_by_a_sentence_without_their_count() -> None:
    data = raw("truth-committee.yaml")
    data["work"] = [{"title": "强化理论武装", "detail": "坚持中心组学习制度。"}]
    assert "召开党委会18次" in text(data, "summary")


def test_a_users_sentence_states_a_count_only_with_its_figure() -> None:
    ledger = Ledger()
    ledger.quote("全年开展理论学习中心组集体学习12次、专题研讨3次。")
    study = Fact(("held", "理论学习中心组学习"), 12, ("理论学习中心组", "中心组"), ("次",))
    assert ledger.given(study) and not ledger.given(Fact(study.key, 11, study.names, study.units))
    ledger = Ledger()
    ledger.quote("举办入党积极分子和发展对象培训班各2期。")  # a training, not 2 candidates
    assert not ledger.given(Fact(("development", "candidates"), 2, ("发展对象",), ("名",)))



def test_a_count_is_stated_within_one_sentence_and_found_in_the_section_that_states_it() -> None:
    ledger = Ledger()
    # the activity named at one sentence's end, a figure opening the next: no count of it is given
    ledger.quote("深入开展志愿服务！10次义诊深受群众欢迎。", "work:service")
    volunteering = Fact(("held", "志愿服务"), 10, ("志愿服务",), ("次",))
    assert not ledger.given(volunteering)
    ledger.quote("坚持志愿服务常态化。全年开展志愿服务10次。", "result:service")
    assert ledger.where(volunteering) == "result:service"
    ledger.quote("志愿服务10次，惠及群众2000余人次。", "work:later")
    assert ledger.where(volunteering) == "result:service"  # the first section that gives it


# -- counts are never borrowed through a task link, nor summed over meeting types -------------

def test_a_task_never_borrows_the_meetings_that_discussed_it(sample) -> None:
    said = text(sample, "summary")
    assert "召开党委会1次，开展党员教育培训1次，参加党员31人次" not in said
    assert "开展党员教育培训1次，参加党员22人次，工作仍在推进。" in said  # its own training, its trainees


def test_a_practice_never_carries_the_branches_meetings(sample) -> None:
    said = text(sample, "report")
    practices = said.split("二、主要做法")[1].split("（五）")[0]
    assert "7个党支部召开党小组会20次，开展主题党日7次，参加党员456人次。" not in practices
    assert not re.search(r"召开(党小组会|支部委员会会议|支部党员大会)", practices)


def test_the_users_200余人次_is_not_followed_by_200人次(sample) -> None:
    said = text(sample, "summary")
    assert "培训党员200余人次" in said and "参加党员200人次" not in said


def test_participants_only_for_one_kind_of_activity(sample) -> None:
    for kind in ("summary", "report"):
        for sentence in re.split(r"(?<=。)", text(sample, kind)):
            if "参加党员" in sentence:
                kinds = re.findall(r"(召开|开展|讲授)[^，、。]*?[0-9]+次", sentence)
                assert len(kinds) == 1, sentence


# -- facts said twice or thrown together ------------------------------------------------------

def test_organisational_life_is_said_once_in_its_place(sample) -> None:
    said = text(sample, "summary")
    assert said.count("“三会一课”320次") == 1
    home = said.split("（1）严格落实“三会一课”、主题党日、组织生活会和民主评议党员制度")[1].split("（2）")[0]
    assert "“三会一课”320次" in home


def test_development_in_one_place_and_never_with_dues(sample) -> None:
    said = text(sample, "summary")
    part = said.split("2.做好发展党员和党员教育管理工作")[1].split("3.规范党费收缴")[0]
    for fact in ("接收预备党员4名", "入党申请2份"):
        assert fact in part and said.count(fact) == 1, fact
    assert "抓好党员发展和教育管理" not in said
    # the rest of the year's development continues the user's own sentence of it, in its paragraph
    assert "各1期。收到入党申请2份。\n" in part
    # the dues close the user's sentence on dues, under the task about dues, not under development
    assert "全年收缴党费" not in said and "党费" not in part.split("党员教育管理工作")[-1]
    dues = said.split("3.规范党费收缴、使用和管理")[1].split("（四）")[0]
    assert "全年党费按月足额收缴，无欠缴党费情况，共收缴党费37.68万元。" in dues
    # the report: the development the user's practice leaves out goes to that practice, once
    report = text(sample, "report")
    practice = report.split("（二）实行“双向培养”")[1].split("（三）")[0]
    assert "全年收到入党申请2份，列为发展对象2名，预备党员按期转正2名。" in practice
    assert report.count("入党申请2份") == 1
    for kind in ("summary", "report"):
        for sentence in re.split(r"(?<=。)", text(sample, kind)):
            assert not ("入党申请" in sentence and "党费" in sentence), sentence


def test_results_never_repeat_the_work_sections(sample) -> None:
    said = text(sample, "summary")
    results = said.split("工作成效")[1].split("三、存在问题")[0]
    # 32 posts, 6 teams and 37 events are the work's: the result saying only them is left out
    assert "党员先锋模范作用充分发挥" not in results
    assert "96.3%" not in results and "18分钟" not in results and "98.1%" in results
    assert said.count("专项检查4次") + said.count("专项检查4次") <= 2 and "整改问题18个" not in results


def test_a_total_members_count_is_not_said_again_as_in_service() -> None:
    said = text(raw("truth-single-branch.yaml"), "summary")
    assert said.count("22名") == 1


@pytest.mark.parametrize("kind", ["summary", "report"])
def test_problems_refer_back_instead_of_restating(sample, kind: str) -> None:
    said = text(sample, kind)
    problems = said.split("存在问题")[1]
    assert said.count("85.7%") == 1 and "85.7%" not in problems  # 基本情况 gives the share
    assert "入党申请2份" not in problems and "如前所述" in problems
    assert "机关后勤党支部的书记不是“双带头人”" in problems  # what is new is still said


def test_every_figure_has_its_verb(sample) -> None:
    said = text(sample, "report")
    assert "开展专项检查4次、整改问题18个" in said and "专项检查4次，整改问题18个" not in said
    assert "评选党员示范岗32个、党员先锋队6支、服务群众5800余人次" in said  # the data's verb, shared
    assert "党员示范岗32个，党员先锋队6支" not in said
    # a measure keeps no verb
    assert "门诊急诊量125.6万人次，出院6.2万人次" in said


def test_no_function_takes_written_text_to_decide_what_to_write() -> None:
    """What a document has said is a ledger of facts: no writer takes the text written so far."""
    import ast

    for path in sorted((ROOT / "dangjian_docs" / "documents").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = {a.arg for a in (*node.args.args, *node.args.kwonlyargs)}
                assert not names & {"said", "written"}, (path.name, node.name)
                assert node.name not in ("_mentioned", "all_text"), (path.name, node.name)
