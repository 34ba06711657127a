"""Every page in docs/ runs as written, and the output it shows is the output the tool gives.

Each page runs in its own temporary folder, set up as the pages assume a reader's folder is:
``data/2025.yaml`` (a copy of ``samples/binjiang-2025.yaml``), copies of ``samples/`` and
``templates/``, and ``.venv`` (a link to the environment running the tests). Then, in the order
the page has them:

* every ```python block, all of one page in one namespace (a later block uses what an earlier
  one made, as a reader's session would);
* every line of a ```sh block or an unlabelled ``` block that is a command (``dangjian-docs …``,
  ``.venv/bin/…``, ``mkdir``, ``cp``), with bash. Not run: the install lines (``python3 -m venv``,
  ``pip install``, ``source …/activate``), which would replace the environment under test;
  ``tests/test_scaffold_ci.py`` installs the tool in a fresh environment instead;
* a ```text block that shows ``已生成：`` lines is compared with what the ``build`` before it
  printed. Other yaml/json/text blocks are data or sample output and are not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
FENCE = re.compile(r"^( *)```(\w*)\n(.*?)^\1```$", re.MULTILINE | re.DOTALL)
COMMAND = re.compile(r"^(dangjian-docs|\.venv/bin/\S+|mkdir|cp) ")
INSTALL = re.compile(r"^(python3? -m venv|\S*pip install|source )")


def blocks(page: Path) -> list[tuple[str, str]]:
    """(language, code) of every fenced block, in order; an indented block loses its indent."""
    found = []
    for match in FENCE.finditer(page.read_text(encoding="utf-8")):
        indent = len(match[1])
        code = "\n".join(line[indent:] for line in match[3].splitlines())
        found.append((match[2], code))
    return found


def commands(code: str) -> list[str]:
    """The command lines of a shell block, without their trailing ``# …`` comments."""
    lines = []
    for line in code.splitlines():
        line = re.sub(r"\s+#\s.*$", "", line).strip()
        if COMMAND.match(line) and not INSTALL.match(line):
            lines.append(line)
    return lines


@pytest.fixture
def reader(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "samples" / "binjiang-2025.yaml", tmp_path / "data" / "2025.yaml")
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    return tmp_path


def test_the_pages_have_code_to_run() -> None:
    runnable = {page.name: [lang for lang, code in blocks(page) if lang == "python" or commands(code)]
                for page in PAGES}
    assert runnable["api.md"].count("python") >= 4
    assert len(runnable["quickstart.md"]) >= 6 and runnable["repo.md"] and runnable["vscode.md"]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_block_runs_as_written(page: Path, reader: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(reader)
    env = {**os.environ, "PATH": f"{reader / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1",
           "CI": "1"}
    namespace: dict[str, object] = {"__name__": "__main__"}
    last_build = ""
    for number, (language, code) in enumerate(blocks(page), 1):
        where = f"{page.name}, block {number}"
        if language == "python":
            try:
                exec(compile(code, where, "exec"), namespace)
            except SystemExit as exit_:  # the example ends with sys.exit(1) only on errors
                assert not exit_.code, where
            continue
        if language == "text" and code.startswith("已生成："):
            shown = [line for line in last_build.splitlines() if line.startswith("已生成：")]
            assert code.splitlines() == shown, where
            continue
        if language not in ("sh", ""):
            continue
        for line in commands(code):
            result = subprocess.run(["bash", "-c", line], cwd=reader, env=env, capture_output=True, text=True,
                                    check=False, timeout=600)
            assert result.returncode == 0, f"{where}: {line}\n{result.stdout}{result.stderr}"
            if line.startswith("dangjian-docs build"):
                last_build = result.stdout


def test_api_names_in_the_docs_exist_after_a_plain_import() -> None:
    """``dangjian_docs.<name>`` anywhere in docs/ or the README is reachable after ``import dangjian_docs``."""
    import dangjian_docs

    text = "\n".join(p.read_text(encoding="utf-8") for p in [*PAGES, ROOT / "README.md"])
    names = set(re.findall(r"\bdangjian_docs\.(\w+)", text, re.ASCII)) - {"resources"}  # resources: a module, imported
    assert {"load", "validate", "render", "build", "to_pdf", "load_text", "findings"} <= names
    missing = [n for n in sorted(names) if not hasattr(dangjian_docs, n)]
    assert not missing
    assert names - {"__all__"} <= set(dangjian_docs.__all__)


def test_the_public_surface_is_all_there() -> None:
    import dangjian_docs

    for name in dangjian_docs.__all__:
        assert getattr(dangjian_docs, name) is not None, name


def test_the_validate_example_is_what_validate_says(reader: Path) -> None:
    """quickstart.md shows what validate says of the sample with one branch id mistyped."""
    page = (DOCS / "quickstart.md").read_text(encoding="utf-8")
    assert "误写成 `neiek1`，`dangjian-docs validate data/2025.yaml` 显示：" in page
    [shown] = [code for language, code in blocks(DOCS / "quickstart.md") if language == "text" and "neiek1" in code]
    data = reader / "data" / "2025.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("branch: neike1,", "branch: neiek1,", 1), encoding="utf-8")
    result = subprocess.run([str(reader / ".venv" / "bin" / "dangjian-docs"), "validate", "data/2025.yaml"],
                            cwd=reader, env={**os.environ, "NO_COLOR": "1"}, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 1
    assert (result.stderr + result.stdout).strip() == shown.strip()


def test_the_note_example_is_what_validate_says(reader: Path) -> None:
    """quickstart.md quotes one note validate gives on the data of a new repo (``init``)."""
    [shown] = [code for language, code in blocks(DOCS / "quickstart.md")
               if language == "text" and "few-applications" in code]
    env = {**os.environ, "NO_COLOR": "1"}
    tool = str(reader / ".venv" / "bin" / "dangjian-docs")
    subprocess.run([tool, "init", "青溪县"], cwd=reader, env=env, capture_output=True, check=True)
    result = subprocess.run([tool, "validate", "青溪县/数据/2025/青溪县人民医院.yaml"], cwd=reader, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert shown.strip() in result.stderr
