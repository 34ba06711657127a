"""The shipped samples: the full year validates clean, each broken file fails exactly where planted.

Also the files no one should ever feed the tool (empty, binary, huge, alias bombs, a folder…):
each must end in diagnostics and exit code 1, never in a traceback.
"""

from __future__ import annotations

import codecs
import importlib.util
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dangjian_docs.api import check_file
from dangjian_docs.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE = SAMPLES / "binjiang-2025.yaml"
BROKEN = SAMPLES / "broken"
DATA = Path(__file__).resolve().parent / "data"
SKELETON = DATA / "skeleton-2025.yaml"
BOM_FILE = DATA / "bom-valid.yaml"

CJK = re.compile(r"[\u4e00-\u9fff]")

# (code, line, column) of every diagnostic each broken file must give: no more, no fewer.
# Read off the lines marked “# 错误：” in each file (1-based, as an editor shows them).
EXPECTED: dict[str, set[tuple[str, int, int]]] = {
    "yaml-indent.yaml": {("yaml-syntax", 12, 10)},
    "yaml-colon.yaml": {("yaml-syntax", 6, 3)},
    "tab-indent.yaml": {("yaml-syntax", 9, 1)},
    "duplicate-key.yaml": {("duplicate-key", 10, 3)},
    "unknown-key.yaml": {("unknown-key", 10, 1), ("missing-key", 3, 1)},
    "missing-field.yaml": {("missing-key", 11, 5)},
    "wrong-type.yaml": {("wrong-type", 9, 10)},
    "bad-enum.yaml": {("bad-enum", 13, 11)},
    "invalid-date.yaml": {("bad-date", 27, 12)},
    "python-tag.yaml": {("unsafe-tag", 10, 19)},
    "unknown-branch.yaml": {("unknown-branch", 27, 44)},
    "attendance.yaml": {("attendance", 27, 97)},
    "nobody-present.yaml": {("nobody-present", 27, 97)},
    "date-out-of-year.yaml": {("date-out-of-year", 27, 12)},
    "unknown-task.yaml": {("unknown-task", 35, 118)},
    "totals-mismatch.yaml": {("totals-mismatch", 11, 11)},
    "unknown-type.yaml": {("unknown-type", 27, 30)},
    "placeholder.yaml": {("placeholder", 29, 12)},
    "empty.yaml": {("empty-file", 1, 1)},
    "top-level-list.yaml": {("wrong-type", 3, 1)},
    "gbk-encoding.yaml": {("encoding", 1, 3)},
    "members-and-roster.yaml": {("both-members", 11, 5)},
    "stage-order.yaml": {("stage-order", 32, 15)},
}

# Positions the validator still gets wrong; strict, so a fix makes the test say "remove me".
KNOWN_WRONG: dict[str, str] = {}  # broken file → why its position is known to be reported wrongly

# What the tool must say about each broken file, beyond the position: the key words of the message.
MESSAGE_WORDS = {
    "unknown-key.yaml": "是不是想写“branches”",
    "unknown-branch.yaml": "是不是想写“yaoxue”",
    "unknown-task.yaml": "是不是想写“T1.1”",
    "unknown-type.yaml": "是不是想写“支部委员会”",
    "wrong-type.yaml": "1260人",
    "placeholder.yaml": "XXX",
    "gbk-encoding.yaml": "GBK",
}


def _broken_cases() -> list:
    return [pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_WRONG[name], strict=True))
            if name in KNOWN_WRONG else name for name in sorted(EXPECTED)]


def run_cli(*args: str) -> tuple[int, str]:
    """The ``validate`` command in-process; an exception other than its own exit is a failure."""
    result = CliRunner().invoke(cli, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def run_process(*args: str | Path, timeout: float = 60) -> tuple[int, str]:
    """``python -m dangjian_docs validate …`` end to end, as a user runs it (through ``main``)."""
    proc = subprocess.run([sys.executable, "-m", "dangjian_docs", "validate", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout,
                          cwd=ROOT, check=False)
    return proc.returncode, proc.stdout + proc.stderr


# -- the full sample -----------------------------------------------------------------------------

def test_samples_folder_is_clean() -> None:
    """``validate samples/`` reads only the top level: the full year, with nothing to report."""
    code, out = run_cli("--strict", "--format", "json", str(SAMPLES))
    report = json.loads(out)
    assert (code, report["files"], report["errors"], report["warnings"]) == (0, 1, 0, 0), out
    code, out = run_cli(str(SAMPLES))
    assert code == 0
    assert "0 个错误，0 个警告" in out


def test_sample_is_a_complete_year() -> None:
    result = check_file(SAMPLE)
    assert result.diagnostics == []
    year = result.year
    assert year is not None
    assert len(year.branches) >= 6
    assert sum(bool(b.roster) for b in year.branches) == 1  # both ways of giving members appear
    assert any(b.retired for b in year.branches)
    assert {b.secretary_is_professional_leader for b in year.branches} == {True, False}
    assert len(year.activities) >= 300
    assert {a.date.month for a in year.activities} == set(range(1, 13))
    assert any(a.branch is None for a in year.activities)  # organisation-level activities
    assert year.organisation.members is not None
    assert year.organisation.members.full == sum(b.members.full for b in year.branches)
    assert year.plan is not None
    assert len(year.plan.tasks) >= 6
    assert sum(a.task is not None for a in year.activities) > len(year.activities) // 2
    assert len(year.development) >= 8
    assert {d.branch for d in year.dues} == {b.id for b in year.branches}
    assert SAMPLE.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schemas/year.schema.json\n")


def test_sample_activity_log_is_what_the_generator_writes() -> None:
    """``tools/make_sample.py`` regenerates the committed activity log byte for byte."""
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "tools" / "make_sample.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    text = SAMPLE.read_text(encoding="utf-8")
    regenerated, rows = module.rewrite(text)
    assert regenerated == text, "run python tools/make_sample.py"
    assert len(rows) >= 300


@pytest.mark.parametrize("path", [SKELETON, BOM_FILE], ids=lambda p: p.name)
def test_clean_small_files(path: Path) -> None:
    assert check_file(path).diagnostics == []
    assert run_cli(str(path))[0] == 0


def test_bom_does_not_shift_columns(tmp_path: Path) -> None:
    """A BOM is not a character of the first line: an error there is still at column 1."""
    text = SKELETON.read_text(encoding="utf-8").replace("# 最小", "yaer: 2025  # 最小", 1)
    path = tmp_path / "bom-error.yaml"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    found = {(d.code, d.line, d.column) for d in check_file(path).diagnostics}
    assert ("unknown-key", 1, 1) in found


# -- the broken samples --------------------------------------------------------------------------

def test_every_broken_file_has_expectations() -> None:
    on_disk = {p.name for p in BROKEN.iterdir() if p.suffix == ".yaml"}
    assert on_disk == set(EXPECTED)
    readme = (BROKEN / "README.md").read_text(encoding="utf-8")
    for name in on_disk:
        assert f"`{name}`" in readme, f"{name} is not described in samples/broken/README.md"


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if n != "gbk-encoding.yaml"])
def test_planted_lines_are_marked(name: str) -> None:
    assert "# 错误：" in (BROKEN / name).read_text(encoding="utf-8")


def test_gbk_sample_really_is_gbk() -> None:
    raw = (BROKEN / "gbk-encoding.yaml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "# 错误：" in raw.decode("gb18030")


@pytest.mark.parametrize("name", _broken_cases())
def test_broken_file_positions(name: str) -> None:
    result = check_file(BROKEN / name)
    found = {(d.code, d.line, d.column) for d in result.diagnostics if d.code != "checks-skipped"}
    assert found == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_messages(name: str) -> None:
    result = check_file(BROKEN / name)
    assert result.year is None
    assert result.diagnostics
    for d in result.diagnostics:
        assert d.is_error or d.code == "checks-skipped"  # the note says which checks an error held back
        assert d.file is not None and d.file.endswith(name)
        assert d.message.strip() and CJK.search(d.message), d
        assert d.hint.strip() and CJK.search(d.hint), d
    if name in MESSAGE_WORDS:
        assert any(MESSAGE_WORDS[name] in d.message for d in result.diagnostics)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_cli(name: str) -> None:
    path = str(BROKEN / name)
    code, out = run_cli(path)
    assert code == 1
    assert "Traceback" not in out

    code, out = run_cli("--format", "github", path)
    assert code == 1
    annotations = [line for line in out.splitlines()  # the checks-skipped note is about the whole file
                   if line.startswith("::") and "title=checks-skipped" not in line]
    pattern = re.compile(r"::error file=([^,]+),line=(\d+),col=(\d+)(?:,title=[^:]*)?::(.+)")
    positions = set()
    for line in annotations:
        match = pattern.fullmatch(line)
        assert match, line
        assert match.group(1).endswith(name)
        assert CJK.search(match.group(4))
        positions.add((int(match.group(2)), int(match.group(3))))
    assert len(annotations) == len([d for d in check_file(path).diagnostics if d.code != "checks-skipped"])
    if name not in KNOWN_WRONG:
        assert positions == {(line, col) for _, line, col in EXPECTED[name]}

    code, out = run_cli("--format", "json", path)
    assert code == 1
    report = json.loads(out)
    assert report["files"] == 1
    errors = [d for d in report["diagnostics"] if d["code"] != "checks-skipped"]
    assert report["errors"] == len(errors) >= 1
    assert {d["code"] for d in errors} == {c for c, _, _ in EXPECTED[name]}


def test_broken_folder_together() -> None:
    """All broken files at once: one exit code, every file reported, diagnostics in file order."""
    paths = sorted(str(p) for p in BROKEN.glob("*.yaml"))
    code, out = run_cli("--format", "json", *paths)
    report = json.loads(out)
    assert code == 1
    assert report["files"] == len(EXPECTED)
    assert {Path(d["file"]).name for d in report["diagnostics"]} == set(EXPECTED)


# -- files no one should feed the tool -----------------------------------------------------------

def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth + "\n"


def _alias_bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


ROBUSTNESS: dict[str, tuple[bytes | str | None, str]] = {
    # name: (file content, or None for no file / a folder; the code expected)
    "empty": (b"", "empty-file"),
    "comments-only": ("# 只有注释\n\n", "empty-file"),
    "top-level-list": ("- 1\n- 2\n", "wrong-type"),
    "top-level-scalar": ("滨江市第一人民医院\n", "wrong-type"),
    "only-dashes": ("---\n", "empty-file"),
    "binary-junk": (random.Random(0).randbytes(4096), "binary-file"),
    "deeply-nested": (_nested(10_000), "too-deep"),
    "alias-bomb": (_alias_bomb(), "too-large"),
    "two-documents": ("year: 2025\n---\nyear: 2026\n", "yaml-syntax"),
}


@pytest.mark.parametrize("name", sorted(ROBUSTNESS))
def test_unreadable_input_gives_diagnostics(tmp_path: Path, name: str) -> None:
    content, code = ROBUSTNESS[name]
    path = tmp_path / f"{name}.yaml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    rc, out = run_process("--format", "json", path)
    assert "Traceback" not in out
    assert rc == 1, out
    report = json.loads(out)
    assert code in {d["code"] for d in report["diagnostics"]}
    assert all(CJK.search(d["message"]) for d in report["diagnostics"])


def test_folder_and_missing_path(tmp_path: Path) -> None:
    empty_folder = tmp_path / "empty-folder"
    empty_folder.mkdir()
    assert {d.code for d in check_file(empty_folder).diagnostics} == {"not-a-file"}
    assert {d.code for d in check_file(tmp_path / "missing.yaml").diagnostics} == {"unreadable"}
    for path, code in ((empty_folder, "no-data"), (tmp_path / "missing.yaml", "unreadable")):
        rc, out = run_process("--format", "json", path)
        assert "Traceback" not in out
        assert rc == 1, out
        assert code in {d["code"] for d in json.loads(out)["diagnostics"]}


def test_five_megabyte_file(tmp_path: Path) -> None:
    """A large but valid file (the sample plus a long comment) validates, and in reasonable time."""
    text = SAMPLE.read_text(encoding="utf-8")
    filler = "# " + "党建工作数据备注。" * 60 + "\n"
    padding = filler * (5 * 1024 * 1024 // len(filler.encode("utf-8")) + 1)
    path = tmp_path / "large.yaml"
    path.write_text(text + padding, encoding="utf-8")
    assert path.stat().st_size > 5 * 1024 * 1024
    rc, out = run_process(path)
    assert "Traceback" not in out
    assert rc == 0, out


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * (21 * 1024 * 1024) + b"\n")
    rc, out = run_process("--format", "json", path)
    assert "Traceback" not in out
    assert rc == 1
    assert [d["code"] for d in json.loads(out)["diagnostics"]] == ["file-too-large"]


# -- validator bugs found while writing the samples ----------------------------------------------

def _skeleton_with(*subs: tuple[str, str]) -> str:
    text = SKELETON.read_text(encoding="utf-8")
    for old, new in subs:
        assert old in text
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize("value", ["", " 5", " 活动"])
def test_list_section_that_is_not_a_list(tmp_path: Path, value: str) -> None:
    """``activities:`` left empty (or a number, or text) is a schema error, not a crash."""
    path = tmp_path / "t.yaml"
    path.write_text(_skeleton_with(("activities:\n", f"activities:{value}\nold_activities:\n")),
                    encoding="utf-8")
    rc, out = run_process("--format", "json", path)
    assert "Traceback" not in out
    assert rc == 1


def test_year_written_as_float(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(_skeleton_with(("year: 2025", "year: 2025.0")), encoding="utf-8")
    rc, out = run_process(path)
    assert "Traceback" not in out
    assert rc == 0  # JSON Schema counts 2025.0 as an integer; the model turns it into 2025


def test_one_bad_branch_field_gives_one_error(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(_skeleton_with(
        ("    kind: 在职\n", "    kind: 在岗\n"),
        ("  staff: 1260\n", "  staff: 1260\n  members: {full: 5, probationary: 1}\n"),
        ("signature:", "dues:\n  - {branch: yaoxue, amount: 100}\n"
                       "development:\n  - {name: 邱俊, branch: yaoxue, applied: 2025-05-06}\nsignature:"),
    ), encoding="utf-8")
    assert sorted(d.code for d in check_file(path).diagnostics) == ["bad-enum", "checks-skipped"]


def test_one_bad_task_date_gives_one_error(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(_skeleton_with(
        ("rules:\n", "plan:\n  guiding_idea: 指导思想。\n  goals: 目标。\n  tasks:\n"
                     "    - {id: T1, title: 加强组织建设, due: 2025-02-30}\nrules:\n"),
        ("speaker: 吴静}", "speaker: 吴静, task: T1}"),
    ), encoding="utf-8")
    assert sorted(d.code for d in check_file(path).diagnostics) == ["bad-date", "checks-skipped"]
