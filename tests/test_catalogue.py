"""Issue 14 item 2: the words are a catalogue an office can read whole and change.

Table-driven over every key: each entry is chosen by some form and facts, each slot it uses is
one its key fills, and the code asks for every key. Changing one sentence for one organisation
form takes an edit of the catalogue alone, or of an office's wording file; a wrong wording file
is reported at its line and column, in Chinese.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from conftest import DATA, ROOT

import dangjian_docs
from dangjian_docs.documents import catalogue
from dangjian_docs.documents.catalogue import FORMS, Entry, default_catalogue, reachable, read_overrides
from dangjian_docs.documents.phrases import REFERS_BACK

PACKAGE = ROOT / "dangjian_docs"
CATALOGUE = default_catalogue()
KEYS = sorted(CATALOGUE.specs)


def body(path: Path, kind: str = "summary", **kw: object) -> list[str]:
    content = dangjian_docs.render(dangjian_docs.load(path), kind, **kw)  # type: ignore[arg-type]
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


@pytest.mark.parametrize("key", KEYS)
def test_every_entry_is_reachable(key: str) -> None:
    chosen = reachable(CATALOGUE, key)
    assert sorted(chosen) == list(range(len(CATALOGUE.entries[key]))), (key, chosen)


@pytest.mark.parametrize("key", KEYS)
def test_every_slot_is_one_its_key_fills(key: str) -> None:
    spec = CATALOGUE.specs[key]
    for entry in CATALOGUE.entries[key]:
        assert entry.slots <= spec.slots, (key, entry.text)
        assert set(entry.forms) <= set(FORMS) and set(entry.when + entry.unless) <= spec.facts, key
        for form, known in reachable(CATALOGUE, key).values():
            filled = CATALOGUE.say(key, form, known, **dict.fromkeys(spec.slots, "X"))
            assert "{" not in filled and "}" not in filled, (key, filled)


def test_the_code_asks_for_every_key() -> None:
    code = "".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    dynamic = {f"problems.{code}.after" for code in REFERS_BACK}
    unused = [k for k in KEYS if f'"{k}"' not in code and k not in dynamic]
    assert unused == []


def test_a_slot_the_code_does_not_give_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        CATALOGUE.say("plan.table.title")


def test_each_form_has_its_opening() -> None:
    for form in FORMS:
        assert CATALOGUE.say("summary.opening.work", form) and CATALOGUE.say(
            "plan.opening", form, year=2025, name="某党组织", hospital="某医院", unit="医院")


@pytest.mark.parametrize(("hospital", "centre", "plan"), [
    ("滨江市第一人民医院", "围绕医院中心工作", "结合医院实际"),
    ("青山镇卫生院", "围绕卫生院中心工作", "结合卫生院实际"),  # a 卫生院 is not a 医院
    ("滨江区社区卫生服务中心", "围绕中心工作", "结合中心实际"),
    ("滨江市疾病预防控制所", "围绕中心工作", "结合实际"),  # the name does not say: no unit named
])
def test_the_opening_names_the_unit_the_data_names(hospital: str, centre: str, plan: str) -> None:
    import datetime as dt

    from dangjian_docs.documents import wording
    from dangjian_docs.model import Organisation

    org = Organisation(name=f"{hospital}党委", hospital=hospital, kind="党委")
    summary = wording.summary_opening(org, 2025, dt.date(2026, 1, 10), {"work"})
    assert f"，{centre}，" in summary and ("医院中心" in summary) == (centre == "围绕医院中心工作")
    assert plan in wording.plan_opening(org, 2025)


def test_the_guiding_thought_is_a_table_by_date() -> None:
    import datetime as dt

    assert CATALOGUE.era("guiding_thought", dt.date(2017, 10, 17)).endswith("系列重要讲话精神")
    assert CATALOGUE.era("guiding_thought", dt.date(2017, 10, 18)) == "以习近平新时代中国特色社会主义思想为指导"


def test_each_key_is_in_its_one_file_and_says_there_what_the_catalogue_says() -> None:
    """Before the whole catalogue is read (``validate`` says only titles), a key is said from the
    file that holds it (``catalogue.file_of``): so a key is in that file and no other, with the
    same words as in the whole catalogue."""
    where: dict[str, list[str]] = {}
    for name in catalogue.PACKAGE_FILES:
        for key in catalogue.package_part(name).specs:
            where.setdefault(key, []).append(name)
    assert sorted(where) == KEYS
    assert {k: v for k, v in where.items() if v != [catalogue.file_of(k)]} == {}
    for key in KEYS:
        part = catalogue.package_part(where[key][0])
        assert part.specs[key] == CATALOGUE.specs[key] and part.entries[key] == CATALOGUE.entries[key]


def test_a_title_said_first_in_a_fresh_process_is_the_catalogues() -> None:
    code = ("from dangjian_docs.documents import catalogue as c; "
            "a = c.say('branch-plan.title', '党支部', hospital='某医院', name='第一党支部', year=2025); "
            "print(c.default_catalogue.cache_info().currsize, a == c.default_catalogue().say("
            "'branch-plan.title', '党支部', hospital='某医院', name='第一党支部', year=2025), a)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT)}).stdout.split()
    assert out[:2] == ["0", "True"] and "第一党支部" in out[2]


# -- changing a sentence: the catalogue alone, or an office's file ----------------------------

CENTRE = "围绕建设区域医疗中心目标"


def test_one_sentence_for_one_form_by_editing_the_catalogue() -> None:
    edited = CATALOGUE.merged([Entry("summary.opening.centre", CENTRE, forms=("党委",))])
    with catalogue.using(edited):
        committee = body(DATA / "truth-committee.yaml")[1]
        general = body(DATA / "truth-general-branch.yaml")[1]
    assert CENTRE in committee and "围绕医院中心工作" not in committee
    assert CENTRE not in general and "围绕医院中心工作" in general  # a 党总支: unchanged
    assert CENTRE not in body(DATA / "truth-committee.yaml")[1]  # outside the block: the package's


def test_one_sentence_for_one_form_by_an_offices_wording_file(tmp_path: Path) -> None:
    path = tmp_path / "措辞.yaml"
    path.write_text(f"summary.opening.centre:\n  - form: 党委\n    text: {CENTRE}\n"
                    "summary.heading.basic: 单位概况\n", encoding="utf-8")
    office, problems = read_overrides(path)
    assert problems == []
    with catalogue.using(office):
        text = body(DATA / "truth-committee.yaml")
    assert CENTRE in text[1] and "一、单位概况" in text


def test_a_renamed_heading_changes_no_fact(tmp_path: Path) -> None:
    """Last year's changes close 基本情况 whatever the office calls it."""
    hospitals = DATA / "region" / "hospitals"
    plain = body(hospitals / "renmin-2025.yaml", previous=hospitals / "renmin-2024.yaml")
    renamed = CATALOGUE.merged([Entry("summary.heading.basic", "单位概况")])
    with catalogue.using(renamed):
        moved = body(hospitals / "renmin-2025.yaml", previous=hospitals / "renmin-2024.yaml")
    assert [p for p in moved if p != "一、单位概况"] == [p for p in plain if p != "一、基本情况"]


def test_a_wrong_wording_file_is_reported_where_it_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "措辞.yaml"
    path.write_text(
        "summary.heading.basik: 单位概况\n"             # line 1: a key that does not exist
        "plan.table.title: \"{year}年{month}月安排表\"\n"  # line 2: a slot it does not fill
        "summary.opening.work:\n"
        "  - form: 党组\n"                              # line 4: no such form
        "    text: 扎实推进各项工作\n"
        "  - when: 院长负责制\n"                        # line 6: a fact the key never tests
        "    text: 扎实推进党的建设各项工作\n", encoding="utf-8")
    office, problems = read_overrides(path)
    found = {(d.code, d.line) for d in problems}
    assert found == {("wording-key", 1), ("wording-slot", 2), ("wording-form", 4), ("wording-fact", 6)}
    assert "是不是想写“summary.heading.basic”" in next(d.hint for d in problems if d.code == "wording-key")
    assert all(re.search(r"[\u4e00-\u9fff]", d.message) and d.is_error for d in problems)
    assert office.say("summary.heading.basic") == "基本情况"  # what could not be used is left out


def test_the_wording_page_lists_the_catalogue() -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_wording_docs.py"), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# -- a data repo's wording file ------------------------------------------------------------------

def test_a_repos_wording_file_changes_its_documents(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dangjian_docs.cli import cli

    def run(*args: object) -> tuple[int, str]:
        result = CliRunner().invoke(cli, [str(a) for a in args])
        return result.exit_code, result.output

    repo = tmp_path / "county"
    assert run("init", repo)[0] == 0
    config = repo / "dangjian-docs.yaml"
    config.write_text(config.read_text("utf-8") + "\nwording: 措辞.yaml\n", "utf-8")
    (repo / "措辞.yaml").write_text("summary.heading.basic: 单位概况\n", "utf-8")
    code, out = run("build", repo, "-j", "1")
    assert code == 0, out
    summaries = sorted((repo / "文稿").rglob("*工作总结.docx"))
    assert summaries
    for path in summaries:
        paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
        assert "一、单位概况" in paragraphs and "一、基本情况" not in paragraphs
    # a wrong wording file is reported where it is wrong, like a data file
    (repo / "措辞.yaml").write_text("summary.heading.basic: 基本情况\nsummary.heading.basik: 概况\n", "utf-8")
    code, out = run("build", repo, "-j", "1", "--format", "json")
    assert code == 1 and "wording-key" in out and "措辞.yaml" in out
    # a changed wording file rebuilds the documents
    (repo / "措辞.yaml").write_text("summary.heading.basic: 基本情况\n", "utf-8")
    code, out = run("build", repo, "-j", "1")
    assert code == 0, out
    for path in summaries:
        assert "一、基本情况" in [p.text for p in docx.Document(str(path)).paragraphs]


def test_a_party_group_is_a_form() -> None:
    """Issue 14: 党小组 was not a form (wording.FORMS raised KeyError)."""
    from dangjian_docs.documents import wording

    assert wording.FORMS["党小组"].self_word == "党小组"
    assert "党小组" in FORMS
    assert CATALOGUE.say("summary.opening.work", "党小组") == "扎实推进党小组各项工作"
