"""A file or folder named inside a data repo is checked and built as the repo builds it.

An office that runs ``dangjian-docs build 数据/2025/青山镇卫生院.yaml`` from its repo expects
the document CI will make: the county's rules, wording and last year's files apply, and the
documents land in the repo's output folder beside the others, which stay as they are.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import cli_output as run

from dangjian_docs.repo.config import CONFIG_NAME

TOWN = "数据/2025/青山镇卫生院.yaml"
STRICTER = "rules:\n  - {activity: 主题党日, period: month, min: 2, basis: 《青溪县主题党日办法》}\n"
"""A county rule the built-in rules do not have: two 主题党日 a month."""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "county"
    run("init", folder)
    (folder / "规则/组织生活规则.yaml").write_text(STRICTER, "utf-8")
    return folder


def codes(*args: object) -> list[tuple[str, str]]:
    out = json.loads(run("validate", *args, "--format", "json"))
    return [(d["code"], d["message"]) for d in out["diagnostics"]]


def test_a_file_in_the_repo_is_checked_with_the_county_rules(repo: Path, tmp_path: Path) -> None:
    alone = shutil.copy(repo / TOWN, tmp_path)  # the same data outside any repo
    inside = codes(repo / TOWN)
    assert any("主题党日每月应至少 2 次" in m for _, m in inside), inside
    assert not any("每月应至少 2 次" in m for _, m in codes(alone))
    assert inside == [d for d in codes(repo) if d in inside]  # what the whole repo says of it


def test_a_file_in_the_repo_is_built_into_the_repo_as_the_whole_build_makes_it(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("build", repo, "-j", "1")
    out = repo / "文稿/2025"
    whole = {p.name: p.read_bytes() for p in out.glob("*.docx")}
    town = [name for name in whole if name.startswith("青山镇卫生院")]
    assert len(town) == 3 and len(whole) > 3
    for name in town:
        (out / name).unlink()
    others = {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")}
    monkeypatch.chdir(repo / "数据/2025")  # named from inside the repo, by a relative path
    said = run("build", Path(TOWN).name)
    assert "生成 3 份" in said and "共 1 个数据文件" in said and CONFIG_NAME in said
    assert {p.name: p.read_bytes() for p in out.glob("*.docx")} == whole  # the same bytes, nothing lost
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx") if p.name not in town} == others
    assert not list(Path.cwd().glob("*.docx"))  # not beside the data file


def test_a_folder_in_the_repo_is_that_part_of_the_repo(repo: Path) -> None:
    said = run("build", repo / "数据")
    assert "共 4 个数据文件" in said  # with the region file: the repo's own reading of 数据/
    assert not (repo / "数据/文稿").exists() and len(list((repo / "文稿/2025").glob("*.docx"))) == 10


def test_a_draft_the_repo_excludes_is_a_plain_file(repo: Path, tmp_path: Path) -> None:
    drafts = repo / "数据/草稿"
    drafts.mkdir()
    draft = shutil.copy(repo / TOWN, drafts / "青山镇卫生院.yaml")
    out = tmp_path / "out"
    said = run("build", draft, "-o", out, "--kind", "plan")
    assert CONFIG_NAME not in said and len(list(out.glob("*.docx"))) == 1
    assert not (repo / "文稿").exists()


def test_a_repo_is_looked_for_no_higher_than_its_git_folder(repo: Path) -> None:
    inner = repo / "数据/2025/单位"
    inner.mkdir()
    (inner / ".git").mkdir()  # another repository inside the data folder
    own = shutil.copy(repo / TOWN, inner / "x.yaml")
    said = run("validate", own)
    assert CONFIG_NAME not in said
    assert os.path.exists(own)


def test_the_new_config_names_every_kind_an_office_can_ask_for(repo: Path) -> None:
    """An office learns from the config it was given what else it could build, word for word as
    the command's help names each kind."""
    from dangjian_docs.documents import KIND_NAMES, KINDS

    comment = "".join(line for line in (repo / CONFIG_NAME).read_text("utf-8").splitlines()
                      if line.startswith("#"))
    missing = [k for k in KIND_NAMES if f"{k} {KINDS[k].label}" not in comment]
    assert missing == []
