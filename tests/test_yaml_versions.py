"""The loader says the same thing whatever PyYAML pip picks, the lowest allowed or the newest.

PyYAML's (and libyaml's) error texts and limits change between releases: 6.0.2 began to stop
at 1,000 nesting levels with an error of its own. ``tools/bootstrap.sh`` installs the lowest
version ``pyproject.toml`` allows into ``.venv/pyyaml-lowest``; these tests run the command
line against it and against the version installed in the environment, and compare.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

LOWEST = ROOT / ".venv" / "pyyaml-lowest"
BROKEN = ROOT / "samples" / "broken"


def lowest_allowed() -> str:
    found = re.search(r'"PyYAML>=([0-9.]+),', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert found, "pyproject.toml must give PyYAML a lower bound"
    return found.group(1)


def run(extra_path: Path | None, *args: str | Path) -> tuple[str, dict]:
    env = dict(os.environ)
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(extra_path), env.get("PYTHONPATH")]))
    script = ("import sys, yaml; print(yaml.__version__); sys.argv[0] = 'dangjian-docs'; "
              "from dangjian_docs.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", script, "validate", "--format", "json", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, cwd=ROOT)
    assert "Traceback" not in proc.stderr, proc.stderr
    version, _, report = proc.stdout.partition("\n")
    return version, json.loads(report)


def shape(report: dict) -> list[tuple]:
    return sorted((Path(d["file"]).name, d["code"], d["line"], d["column"], d["message"])
                  for d in report["diagnostics"])


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("yaml")
    cases = {
        "deep-flow.yaml": "[" * 5000 + "]" * 5000 + "\n",
        "deep-block.yaml": "".join(" " * i + "- \n" for i in range(1500)),
        "deep-alias.yaml": "a: &a " + "[" * 90 + "]" * 90 + "\nb: " + "[" * 50 + "*a" + "]" * 50 + "\n",
    }
    activity = "year: 2025\nactivities:\n  - {{date: 2025-01-10, type: 党课, topic: {topic}, present: 5}}\n"
    cases |= {  # text YAML cuts or cannot read in { }, and a colon without its space: said the same
        "flow-comma.yaml": activity.format(topic="研究发展党员工作, 讨论发展对象"),
        "flow-colon.yaml": activity.format(topic="主题: 学习"),
        "flow-bracket.yaml": activity.format(topic="学习[二十大]精神"),
        "no-space.yaml": "year: 2025\norganisation:\n  name: x\n  staff:420\n",
    }
    for name, text in cases.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [BROKEN, *sorted(folder.iterdir())]


def test_lowest_pyyaml_is_installed_beside_the_newest() -> None:
    assert LOWEST.is_dir(), "run `bash tools/bootstrap.sh` first: it installs the lowest allowed PyYAML"
    lowest, _ = run(LOWEST, BROKEN / "empty.yaml")
    newest, _ = run(None, BROKEN / "empty.yaml")
    assert lowest == lowest_allowed()
    assert newest != lowest, "the environment should hold the newest PyYAML pip chooses"


def test_every_broken_file_reads_the_same_with_lowest_and_newest_pyyaml(inputs: list[Path]) -> None:
    _, low = run(LOWEST, *inputs)
    _, new = run(None, *inputs)
    assert shape(low) == shape(new)
    deep = {name: code for name, code, *_ in shape(new) if name.startswith("deep-")}
    assert deep == {"deep-flow.yaml": "too-deep", "deep-block.yaml": "too-deep", "deep-alias.yaml": "too-deep"}
    said = {name: message for name, _, _, _, message in shape(new)}
    assert "“学习[二十大]精神”含有方括号" in said["flow-bracket.yaml"]
    assert "“主题: 学习”含有半角冒号" in said["flow-colon.yaml"]
    assert "键“staff”后面的冒号后缺少空格" in said["no-space.yaml"]
    assert any(code == "unquoted-text" for name, code, *_ in shape(new) if name == "flow-comma.yaml")
