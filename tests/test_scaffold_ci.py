"""The CI files ``init`` writes: they install the tool the office uses (pinned, from where it really
is), they pass zizmor and the workflow schemas, and their commands build the new repo as written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

from dangjian_docs.cli import main
from dangjian_docs.repo import init_repo
from dangjian_docs.repo.tool_source import tool_source

WORKFLOW = ".github/workflows/dangjian-docs.yml"
BIN = Path(sys.executable).parent
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


def offline_env() -> dict[str, str]:
    """No token (zizmor's online audits need one), no index: nothing here may reach the network."""
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")}
    return {**env, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "CI": "1"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hatchling.builders.wheel import WheelBuilder

    folder = tmp_path_factory.mktemp("wheel")
    [built] = WheelBuilder(str(ROOT)).build(directory=str(folder), versions=["standard"])
    return Path(built)


@pytest.fixture(scope="module")
def county(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("init") / "county"
    init_repo(folder, tool_source(str(wheel)))
    return folder


def workflow(repo: Path) -> dict[Any, Any]:
    return yaml.safe_load((repo / WORKFLOW).read_text("utf-8"))


# -- where the tool comes from --------------------------------------------------------------

def test_a_vcs_install_is_pinned_to_its_commit() -> None:
    source = tool_source(direct_url={"url": "https://git.example.org/dangjian-docs.git",
                                     "vcs_info": {"vcs": "git", "commit_id": "a" * 40}})
    assert source.spec == f"dangjian-docs @ git+https://git.example.org/dangjian-docs.git@{'a' * 40}"
    assert source.warning is None and "a" * 40 in source.origin


def test_an_archive_url_keeps_its_hash() -> None:
    url = "https://files.example.org/dangjian_docs-0.1.0-py3-none-any.whl"
    source = tool_source(direct_url={"url": url, "archive_info": {"hashes": {"sha256": "f" * 64}}})
    assert source.spec == f"dangjian-docs @ {url}#sha256={'f' * 64}"


def test_a_local_wheel_install_is_copied_into_the_repo(wheel: Path) -> None:
    source = tool_source(direct_url={"url": wheel.as_uri(), "archive_info": {}})
    assert source.spec == f"./工具/{wheel.name}" and source.copy == wheel
    assert source.origin == f"本机安装时使用的安装包 {wheel.name}，已复制到 工具/ 中"  # no nested （（ ））


def test_an_index_install_uses_the_index_at_this_version() -> None:
    source = tool_source(direct_url=None, version="0.1.0")
    assert source.spec == "dangjian-docs==0.1.0" and source.warning is None


def test_a_folder_install_falls_back_to_the_index_with_a_warning() -> None:
    source = tool_source(direct_url={"url": "file:///home/me/dangjian-docs", "dir_info": {"editable": True}},
                         version="0.1.0")
    assert source.spec == "dangjian-docs==0.1.0"
    assert source.warning is not None
    assert "从本地文件夹 /home/me/dangjian-docs 安装的，CI 无法从那里安装" in source.warning
    assert "请用 --tool 指定" in source.warning


@pytest.mark.parametrize(("tool", "why"), [
    ("missing.whl", "找不到这个文件"),
    ('x"; rm -rf /', "不能含有引号"),
    ("requests==2.0", "应为安装包文件、网址或 dangjian-docs 的版本要求"),
    ("ftp://example.org/x.whl", "网址只能是"),
])
def test_a_wrong_tool_is_a_usage_error(tool: str, why: str, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["dangjian-docs", "init", "county", "--tool", tool])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"--tool “{tool}” 无法用作 CI 安装本工具的来源" in err and why in err
    assert not (tmp_path / "county").exists()


def test_init_says_which_tool_ci_installs_and_warns_when_unsure(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("dangjian_docs.repo.tool_source._installed_direct_url",
                        lambda: {"url": "file:///src/dangjian-docs", "dir_info": {}})
    monkeypatch.setattr(sys, "argv", ["dangjian-docs", "init", str(tmp_path / "county")])
    main()  # returns: exit code 0
    out = capsys.readouterr()
    assert "CI 安装本工具：dangjian-docs==0.1.0\n    来源：软件包索引上的 dangjian-docs==0.1.0。" in out.out
    assert "注意：本机的 dangjian-docs 是从本地文件夹 /src/dangjian-docs 安装的" in out.err


def test_the_ci_files_and_readme_name_the_same_pinned_source(county: Path, wheel: Path) -> None:
    spec = f"./工具/{wheel.name}"
    assert (county / "工具" / wheel.name).read_bytes() == wheel.read_bytes()
    assert workflow(county)["env"]["DANGJIAN_DOCS_TOOL"] == spec
    gitlab = yaml.safe_load((county / ".gitlab-ci.yml").read_text("utf-8"))
    assert gitlab["variables"]["DANGJIAN_DOCS_TOOL"] == spec
    assert gitlab["default"]["before_script"] == ['python -m pip install "$DANGJIAN_DOCS_TOOL"']
    readme = (county / "README.md").read_text("utf-8")
    assert f'pip install "{spec}"' in readme and "pip install dangjian-docs " not in readme
    assert "### CI 安装的工具" in readme and "两个文件中的 `DANGJIAN_DOCS_TOOL` 一起改" in readme
    assert "{tool}" not in readme and "{origin}" not in readme


# -- the workflow is hardened ---------------------------------------------------------------

def test_the_workflow_is_hardened(county: Path) -> None:
    text = (county / WORKFLOW).read_text("utf-8")
    flow = workflow(county)
    assert flow["permissions"] == {"contents": "read"}
    assert flow["concurrency"]["cancel-in-progress"] is True
    steps = flow["jobs"]["build"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert len(uses) == 4 and all(SHA_PIN.match(u) for u in uses), uses
    for action in uses:  # the version is said beside the commit
        assert re.search(re.escape(action) + r"  # v\d+\.\d+\.\d+\n", text), action
    [checkout] = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["persist-credentials"] is False
    for step in steps:
        if "run" in step:  # no expression and no unquoted variable reaches the shell
            assert "${{" not in step["run"]
            assert not re.search(r'(?<!")\$\w', step["run"]), step["run"]


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is missing: run tools/bootstrap.sh (it installs the test extras)")
    return str(path)


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_zizmor_finds_nothing(county: Path, persona: str) -> None:
    result = subprocess.run([tool("zizmor"), "--offline", f"--persona={persona}", "--no-progress", WORKFLOW],
                            cwd=county, capture_output=True, text=True, env=offline_env(), check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize(("schema", "file"), [("vendor.github-workflows", WORKFLOW),
                                              ("vendor.gitlab-ci", ".gitlab-ci.yml")])
def test_the_ci_files_match_their_schemas(county: Path, schema: str, file: str) -> None:
    result = subprocess.run([tool("check-jsonschema"), "--builtin-schema", schema, file],
                            cwd=county, capture_output=True, text=True, env=offline_env(), check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# -- the written install line works ---------------------------------------------------------

def test_the_workflow_runs_as_written_in_a_fresh_venv(county: Path, tmp_path: Path) -> None:
    """Every ``run:`` step of the workflow, in order, in a new virtual environment that has only
    the tool's dependencies (from this test environment's site-packages, added by a ``.pth``;
    offline: ``PIP_NO_INDEX``), so the tool itself comes from the install line alone."""
    repo = tmp_path / "county"
    shutil.copytree(county, repo)
    fresh = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(fresh)
    site = next(fresh.glob("lib/python*/site-packages"))
    deps = next(p for p in sys.path if p.endswith("site-packages") and Path(p, "docxtpl").is_dir())
    (site / "deps.pth").write_text(deps + "\n", encoding="utf-8")
    flow = workflow(repo)
    env = {**offline_env(), **flow["env"], "PATH": f"{fresh / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    ran = []
    for step in flow["jobs"]["build"]["steps"]:
        if "run" not in step:
            continue
        result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env={**env, **step.get("env", {})},
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{step['name']}: {result.stdout}{result.stderr}"
        ran.append(step["run"])
    assert ran[0] == 'python -m pip install "$DANGJIAN_DOCS_TOOL"' and len(ran) == 3
    where = subprocess.run([fresh / "bin" / "python", "-c", "import dangjian_docs; print(dangjian_docs.__file__)"],
                           capture_output=True, text=True, check=True, env=env, cwd=tmp_path).stdout
    assert where.startswith(str(fresh)), where  # the wheel the workflow installed, not this checkout
    assert len(list((repo / "文稿" / "2025").glob("*.docx"))) == 10
