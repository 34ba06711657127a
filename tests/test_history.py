"""Year over year: sentences only where both years know the fact; members carried from last year."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

import dangjian_docs
from dangjian_docs.domain.history import changes, changes_sentence, continuity
from dangjian_docs.region import continuity as carry
from dangjian_docs.region import validate_region

HOSPITALS = Path(__file__).resolve().parent / "data" / "region" / "hospitals"


def year(name: str) -> dangjian_docs.YearData:
    result = dangjian_docs.validate(dangjian_docs.load(HOSPITALS / name))
    assert result.year is not None, [d.message for d in result.errors]
    return result.year


@pytest.fixture(scope="module")
def both() -> tuple[dangjian_docs.YearData, dangjian_docs.YearData]:
    return year("renmin-2024.yaml"), year("renmin-2025.yaml")


def test_changes_are_said_where_both_years_know(both: tuple) -> None:
    text = changes_sentence(changes(*both))
    assert text.startswith("党员总数较上年增加4名，") and text.endswith("。")
    assert "党员总数较上年增加4名" in text  # 94 → 98
    assert "新发展党员比上年多1名" in text  # 吴刚 in 2024; 张晓 and 刘洋 in 2025
    assert "职工总数较上年增加19人" in text  # 801 → 820
    assert "党支部数与上年持平" in text


def test_no_sentence_about_a_fact_one_year_lacks(both: tuple) -> None:
    previous, current = both
    unknown_development = dataclasses.replace(previous, development=())
    text = changes_sentence(changes(unknown_development, current))
    assert "新发展党员" not in text and "入党积极分子" not in text
    assert "党员总数较上年增加4名" in text
    unknown_staff = dataclasses.replace(current, organisation=dataclasses.replace(current.organisation, staff=None))
    assert "职工" not in changes_sentence(changes(previous, unknown_staff))


def test_only_consecutive_years_are_compared(both: tuple) -> None:
    previous, current = both
    assert changes(current, previous) == []
    assert changes_sentence([]) == ""


def test_members_carry_over_in_the_example(both: tuple) -> None:
    carried = continuity(*both)
    assert carried is not None and carried.holds
    assert carried.expected == 94 + 2 + 3 - 1 - 0 == carried.current


def test_no_continuity_check_without_member_changes(both: tuple) -> None:
    previous, current = both
    assert continuity(previous, dataclasses.replace(current, member_changes=None)) is None


def test_a_break_in_continuity_is_a_warning_naming_both_files(tmp_path: Path) -> None:
    repo = tmp_path / "county"
    shutil.copytree(HOSPITALS.parent, repo)
    current = repo / "hospitals" / "renmin-2025.yaml"
    text = current.read_text(encoding="utf-8")
    current.write_text(text.replace("transferred_in: 3", "transferred_in: 5"), encoding="utf-8")
    result = validate_region(repo / "region-2025.yaml")
    found = [d for d in result.diagnostics if d.code == "member-continuity"]
    assert len(found) == 1 and not found[0].is_error
    warning = found[0]
    assert warning.file.endswith("renmin-2025.yaml") and warning.line is not None
    assert "renmin-2024.yaml:" in warning.message
    assert "上年年末94名" in warning.message and "应为100名" in warning.message and "本年年末为98名" in warning.message
    assert result.rollup is not None  # a warning: the roll-up is still written


def test_pairs_match_the_same_organisation_a_year_apart() -> None:
    validations = [dangjian_docs.validate(dangjian_docs.load(p)) for p in sorted(HOSPITALS.glob("*.yaml"))]
    found = [(a.year.year, b.year.year, b.year.organisation.name) for a, b in carry.pairs(validations)]
    assert found == [(2024, 2025, "滨江区人民医院党委")]
    assert all(carry.check(a, b) is None for a, b in carry.pairs(validations))


def docx_text(content: bytes) -> str:
    import io
    import re
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    return "\n".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))
                     for p in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S))


@pytest.mark.parametrize("kind", ["summary", "report"])
def test_summary_and_report_say_what_changed_in_their_basic_situation(both: tuple, kind: str) -> None:
    previous, current = both
    plain = docx_text(dangjian_docs.render(current, kind))
    compared = docx_text(dangjian_docs.render(current, kind, previous=previous))
    assert "较上年" not in plain and "比上年" not in plain
    basic = compared[compared.index("基本情况"):compared.index("二、")]
    assert "党员总数较上年增加4名" in basic and "新发展党员比上年多1名" in basic
    sentence = changes_sentence(changes(previous, current))
    assert [line for line in compared.splitlines() if line != sentence] == plain.splitlines()  # nothing else


def test_a_fact_last_year_lacks_is_not_compared_in_the_document(both: tuple) -> None:
    previous, current = both
    text = docx_text(dangjian_docs.render(current, "summary", previous=dataclasses.replace(previous, development=())))
    assert "党员总数较上年增加4名" in text and "新发展党员比上年" not in text


def test_previous_of_another_organisation_is_refused(both: tuple) -> None:
    _, current = both
    other = year("zhongyi-2025.yaml")
    with pytest.raises(dangjian_docs.DangjianError) as caught:
        dangjian_docs.render(current, "summary", previous=other)
    assert [d.code for d in caught.value.diagnostics] == ["previous-year-mismatch"]


def test_last_year_is_found_anywhere_in_the_data_repo(tmp_path: Path) -> None:
    """In a repo, last year's files sit in their own folder (数据/2024), not beside the region."""
    repo = tmp_path / "county"
    shutil.copytree(HOSPITALS.parent, repo / "数据" / "2025")
    (repo / "数据" / "2024").mkdir()
    (repo / "数据" / "2025" / "hospitals" / "renmin-2024.yaml").rename(repo / "数据" / "2024" / "renmin.yaml")
    region = repo / "数据" / "2025" / "region-2025.yaml"
    assert not validate_region(region).rollup.previous  # no repo marker: only the region's own folder
    (repo / "dangjian-docs.yaml").write_text("data: [数据]\n", encoding="utf-8")
    result = validate_region(region)
    assert set(result.rollup.previous) == {"滨江区人民医院"}
    assert any(p.name == "renmin.yaml" for p in result.inputs)


# -- in a data repo: last year's file found by organisation and year ------------------------------

@pytest.fixture
def two_years(tmp_path: Path) -> Path:
    """A plain data tree with one organisation's 2024 and 2025 files, and another's 2025 only."""
    root = tmp_path / "county"
    for year, name in ((2024, "renmin-2024.yaml"), (2025, "renmin-2025.yaml"), (2025, "zhongyi-2025.yaml")):
        folder = root / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(HOSPITALS / name, folder / name)
    return root


def built_texts(root: Path) -> dict[str, str]:
    return {p.name: docx_text(p.read_bytes()) for p in sorted((root / "文稿").rglob("*.docx"))}


def test_a_repo_build_says_what_changed_since_last_year(two_years: Path) -> None:
    from dangjian_docs.repo import build_repo, default_config

    outcome = build_repo(default_config(two_years), jobs=1)
    assert not outcome.failed and not outcome.stopped
    texts = built_texts(two_years)
    this_year = [t for n, t in texts.items() if "人民医院" in n and "2025" in n and ("总结" in n or "汇报" in n)]
    assert len(this_year) == 2
    assert all("党员总数较上年增加4名" in t for t in this_year)
    assert not any("较上年" in t for n, t in texts.items() if "2024" in n or "中医院" in n)


def test_a_change_to_last_years_file_rebuilds_this_years_documents(two_years: Path) -> None:
    from dangjian_docs.repo import build_repo, default_config

    build_repo(default_config(two_years), jobs=1)
    last = two_years / "2024" / "renmin-2024.yaml"
    last.write_text(last.read_text(encoding="utf-8").replace("full: 20, probationary: 0", "full: 19, probationary: 0"),
                    encoding="utf-8")
    again = build_repo(default_config(two_years), jobs=1)
    rebuilt = sorted(Path(p).name for p in again.built)
    assert any("人民医院" in n and "2025" in n and "总结" in n for n in rebuilt)
    assert not any("中医院" in n for n in rebuilt)
    summary = next(t for n, t in built_texts(two_years).items() if "人民医院" in n and "2025年党建工作总结" in n)
    assert "党员总数较上年增加5名" in summary


def test_a_repo_check_warns_when_members_do_not_carry_over(two_years: Path) -> None:
    from dangjian_docs.repo import check_repo, default_config

    current = two_years / "2025" / "renmin-2025.yaml"
    current.write_text(current.read_text(encoding="utf-8").replace("transferred_in: 3", "transferred_in: 5"),
                       encoding="utf-8")
    outcome = check_repo(default_config(two_years), jobs=1)
    found = [d for d in outcome.diagnostics if d.code == "member-continuity"]
    assert len(found) == 1 and found[0].file.endswith("renmin-2025.yaml") and "renmin-2024.yaml:" in found[0].message


def test_shards_write_what_a_whole_build_writes(two_years: Path) -> None:
    from dangjian_docs.repo import build_repo, default_config
    from dangjian_docs.repo.discovery import Shard

    build_repo(default_config(two_years), jobs=1)
    whole = {n: p for n, p in ((p.name, p.read_bytes()) for p in (two_years / "文稿").rglob("*.docx"))}
    shutil.rmtree(two_years / "文稿")
    for index in (1, 2, 3):
        build_repo(default_config(two_years), jobs=1, shard=Shard(index, 3))
    sharded = {p.name: p.read_bytes() for p in (two_years / "文稿").rglob("*.docx")}
    assert sharded == whole


def test_a_repo_with_a_region_reports_a_break_once(tmp_path: Path) -> None:
    from dangjian_docs.repo import check_repo, default_config

    root = tmp_path / "county"
    shutil.copytree(HOSPITALS.parent, root / "2025")
    (root / "2024").mkdir()
    (root / "2025" / "hospitals" / "renmin-2024.yaml").rename(root / "2024" / "renmin-2024.yaml")
    current = root / "2025" / "hospitals" / "renmin-2025.yaml"
    current.write_text(current.read_text(encoding="utf-8").replace("transferred_in: 3", "transferred_in: 5"),
                       encoding="utf-8")
    (root / ".git").mkdir()  # the top of a checkout: the region finds last year's file too
    assert validate_region(root / "2025" / "region-2025.yaml").rollup.previous
    outcome = check_repo(default_config(root), jobs=1)
    assert [d.code for d in outcome.diagnostics].count("member-continuity") == 1


def test_a_copy_of_last_years_file_in_a_hidden_folder_is_not_last_years(tmp_path: Path) -> None:
    """An editor's backup or a .git folder is never looked into: the roll-up compares with the
    repo's own file (the hidden copy would come first in the search's order)."""
    root = tmp_path / "county"
    shutil.copytree(HOSPITALS.parent, root / "2025")
    (root / ".git").mkdir()
    last = root / "2025" / "hospitals" / "renmin-2024.yaml"
    (root / ".backup").mkdir()
    (root / ".backup" / "renmin-2024.yaml").write_text(
        last.read_text(encoding="utf-8").replace("full: 20, probationary: 0", "full: 12, probationary: 0"),
        encoding="utf-8")
    (root / "2024").mkdir()
    last.rename(root / "2024" / "renmin-2024.yaml")
    rollup = validate_region(root / "2025" / "region-2025.yaml").rollup
    assert rollup is not None
    assert rollup.previous_members == {"滨江区人民医院": 94}  # not the copy's 86
