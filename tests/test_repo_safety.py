"""A data repo is untrusted input: a build deletes only what it wrote, reads only what is inside
the repo, never hangs, and leaves no worker behind.

Each attack of issue #13 is a test here: a tampered manifest, pipes, devices and huge files in
the data folder and as the manifest, data outside the repo, killed builds, files deleted
under a running build, ``-j`` far too large, and a title ``validate`` passed but ``build``
refused. The attacks run the real command in a child process, so a hang is a failed test (a
timeout), not a stuck suite, and the child's own peak memory is measured.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import cli_output as run

from dangjian_docs.repo.manifest import FACTS_NAME, MANIFEST_NAME, digest_bytes, tool_fingerprint
from dangjian_docs.repo.workers import MAX_JOBS, Runner

RUNNER = """
import sys
from dangjian_docs.cli import main
sys.argv = ["dangjian-docs", *sys.argv[1:]]
try:
    main()
finally:
    with open("/proc/self/status") as status:  # VmHWM: this process's own peak, not its parent's
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    sys.stderr.write(f"\\nPEAK_KB={peak}\\n")
"""
"""The command in a child process that reports its own peak memory (``-j 1``: all in it).
``ru_maxrss`` would not do: a child started with ``vfork`` inherits the test process's peak."""

LIMIT_SECONDS = 30
"""A hang guard, far above the measured 1–2 s: a test that waits this long has failed."""



def attack(*args: object, cwd: Path | None = None) -> tuple[int, str, int]:
    """Run the command in a child; (exit code, everything it printed, peak memory in MB)."""
    done = subprocess.run([sys.executable, "-c", RUNNER, *map(str, args)], capture_output=True, text=True,
                          timeout=LIMIT_SECONDS, cwd=cwd, stdin=subprocess.DEVNULL)
    output = done.stdout + done.stderr
    peak = int(output.rsplit("PEAK_KB=", 1)[1].split()[0]) // 1024
    assert "Traceback" not in output, output
    return done.returncode, output, peak


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "county"
    run("init", folder)
    return folder


def built(repo: Path) -> dict[str, bytes]:
    out = repo / "文稿"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.docx"))}


# -- the manifest is a claim, not an order ---------------------------------------------------

def tamper(repo: Path, names: list[str], *, digest: dict[str, str] | None = None) -> None:
    """Add ``names`` to the manifest as outputs of a data file that no longer exists."""
    manifest = repo / "文稿" / MANIFEST_NAME
    raw = json.loads(manifest.read_text("utf-8"))
    for name in names:
        raw["outputs"][name] = {"source": "数据/2024/旧单位.yaml", "kind": "plan", "inputs": "0" * 64,
                                "sha256": (digest or {}).get(name, "0" * 64), "size": 1, "mtime_ns": 1}
    manifest.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")


def test_a_tampered_manifest_deletes_nothing_outside_the_output_folder(repo: Path, tmp_path: Path) -> None:
    run("build", repo, "-j", 1)
    victim = tmp_path / "victim.txt"
    victim.write_text("别删我", "utf-8")
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text("[core]\n", "utf-8")
    precious = [victim, repo / "dangjian-docs.yaml", repo / "数据/2025/青溪县中医院.yaml", repo / ".git/config"]
    before = {p: p.read_bytes() for p in precious}
    names = ["../../victim.txt", str(victim), "../dangjian-docs.yaml", "../数据/2025/青溪县中医院.yaml",
             "../.git/config", "2025/../../dangjian-docs.yaml"]
    # the attacker knows the bytes: the hashes are right, the places are not
    digest = {name: digest_bytes(before[path]) for name, path in zip(
        names, [victim, victim, *precious[1:], precious[1]], strict=True)}
    tamper(repo, names, digest=digest)
    code, output, peak = attack("build", repo, "-j", 1)
    assert code == 0, output
    assert {p: p.read_bytes() for p in precious} == before
    assert "删除 0 份" in output
    assert output.count("没有删除") == len(names) and "不在输出文件夹之内" in output
    assert peak < 200
    code, output, _ = attack("build", repo, "-j", 1)  # and the next build is fine, with nothing to say
    assert code == 0 and "没有删除" not in output, output


def test_links_and_edited_files_in_the_output_folder_are_left_alone(repo: Path, tmp_path: Path) -> None:
    run("build", repo, "-j", 1)
    victim = tmp_path / "victim.txt"
    victim.write_text("别删我", "utf-8")
    out = repo / "文稿"
    (out / "link.docx").symlink_to(victim)
    (out / "up").symlink_to(repo)  # a folder link: up/dangjian-docs.yaml is the config
    edited = out / "2025" / "旧文稿.docx"
    edited.write_bytes(b"clerk's own edits")
    tamper(repo, ["link.docx", "up/dangjian-docs.yaml", "2025/旧文稿.docx"],
           digest={"link.docx": digest_bytes(victim.read_bytes()),
                   "up/dangjian-docs.yaml": digest_bytes((repo / "dangjian-docs.yaml").read_bytes())})
    output = run("build", repo, "-j", 1)
    assert victim.exists() and (out / "link.docx").is_symlink() and (repo / "dangjian-docs.yaml").is_file()
    assert edited.read_bytes() == b"clerk's own edits"
    assert "它是一个符号链接" in output and "指向输出文件夹之外" in output and "可能被编辑过" in output


def test_a_real_orphan_is_still_removed(repo: Path) -> None:
    make_towns(repo, 1)
    run("build", repo, "-j", 1)
    assert any("第000镇" in name for name in built(repo))
    (repo / "数据/2025/乡镇/镇000卫生院.yaml").unlink()
    output = run("build", repo, "-j", 1)
    assert "删除 3 份" in output
    assert not any("第000镇" in name for name in built(repo))
    assert not (repo / "文稿/2025/乡镇").exists()  # the folder it emptied


def test_only_folders_a_build_created_are_pruned(repo: Path) -> None:
    make_towns(repo, 1)
    (repo / "文稿/2025/乡镇").mkdir(parents=True)  # the clerk's own folder, there before any build
    run("build", repo, "-j", 1)
    (repo / "数据/2025/乡镇/镇000卫生院.yaml").unlink()
    output = run("build", repo, "-j", 1)
    assert "删除 3 份" in output
    assert (repo / "文稿/2025/乡镇").is_dir() and not any((repo / "文稿/2025/乡镇").iterdir())


@pytest.mark.parametrize("how", ["fifo", "dev-zero", "huge", "folder", "garbage"])
def test_an_unusable_manifest_is_ignored_with_a_warning_and_the_build_runs_cold(repo: Path, how: str) -> None:
    run("build", repo, "-j", 1)
    manifest = repo / "文稿" / MANIFEST_NAME
    manifest.unlink()
    if how == "fifo":
        os.mkfifo(manifest)
    elif how == "dev-zero":
        manifest.symlink_to("/dev/zero")
    elif how == "huge":
        with open(manifest, "wb") as f:
            f.truncate(1 << 30)  # sparse: 1 GB that costs no disk
    elif how == "folder":
        manifest.mkdir()
    else:
        manifest.write_text(json.dumps({"format": 1, "tool": tool_fingerprint(), "outputs": [1, 2]}), "utf-8")
    code, output, peak = attack("build", repo, "-j", 1)
    assert code == 0, output
    assert "生成记录" in output and "本次全部重新生成" in output
    assert peak < 200
    assert len(built(repo)) == 10


# -- one bounded reader -------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["fifo", "dev-zero", "sparse-4g"])
@pytest.mark.parametrize("command", ["validate", "build"])
def test_pipes_devices_and_huge_files_in_the_data_folder_are_refused_at_once(
        repo: Path, how: str, command: str) -> None:
    bad = repo / "数据/2025/pipe.yaml"
    if how == "fifo":
        os.mkfifo(bad)
    elif how == "dev-zero":
        bad.symlink_to("/dev/zero")
    else:
        with open(bad, "wb") as f:
            f.truncate(4 << 30)
    code, output, peak = attack(command, repo, *(["-j", "1"] if command == "build" else []))
    assert code == 1, output
    assert "pipe.yaml" in output
    if how == "fifo":
        assert "不是普通文件" in output
    elif how == "dev-zero":  # a link out of the repo, and a device: refused either way
        assert "不是普通文件" in output or "仓库（" in output
    else:
        assert "4096.0 MB" in output and "上限" in output
    assert peak < 200


def test_a_pipe_as_the_shared_rules_or_a_template_is_refused(repo: Path) -> None:
    rules = repo / "规则/组织生活规则.yaml"
    rules.unlink()
    os.mkfifo(rules)
    code, output, _ = attack("build", repo, "-j", 1)
    assert code == 1 and "不是普通文件" in output and "组织生活规则.yaml" in output


def test_every_file_read_goes_through_the_bounded_reader() -> None:
    """A new ``read_bytes``/``read_text``/``open`` in the package fails here until it goes through
    :func:`dangjian_docs.inputs.read_bounded` or is listed with the reason it is safe."""
    import ast

    package = Path(__file__).resolve().parent.parent / "dangjian_docs"
    allowed = {
        ("inputs.py", "open"): "the reader itself",
        ("resources.py", "open"): "the package's own schema",
        ("resources.py", "read_text"): "the package's own YAML: the rule table, the wording catalogue",
        ("region/validation.py", "open"): "the package's own schema",
        ("repo/manifest.py", "read_bytes"): "the package's own code, for its fingerprint",
        ("repo/scaffold.py", "read_bytes"): "the package's own scaffold files",
        ("writing.py", "open"): "folders and lock files this tool creates (O_NOFOLLOW)",
        ("pdf.py", "read_bytes"): "the PDF LibreOffice just wrote into a private temporary folder",
        ("repo/output.py", "open"): "documents just written, opened only to fsync them; new temporary files (O_EXCL)",
        ("repo/tool_source.py", "read_text"): "importlib.metadata: the installed tool's own direct_url.json",
        ("images.py", "open"): "Pillow's Image.open of bytes already read by read_bounded (a BytesIO)",
    }
    found = set()
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            modes = [a.value for a in [*node.args, *(k.value for k in node.keywords)]
                     if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            writes = any(set(mode) & set("wax") for mode in modes)
            if name in ("read_bytes", "read_text", "open", "fdopen") and not writes and not (
                    isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and func.value.id in ("zipfile", "archive", "tempfile", "ZipFile")):
                found.add((rel, "open" if name == "fdopen" else name))
    assert found - set(allowed) == set(), "reads that bypass dangjian_docs.inputs.read_bounded"
    assert set(allowed) - found == set(), "allowed reads that no longer exist: remove them from the list"


# -- confinement --------------------------------------------------------------------------------

def outside_file(tmp_path: Path, repo: Path) -> Path:
    """The example's township centre, renamed, outside the repo."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    text = (repo / "数据/2025/青山镇卫生院.yaml").read_text("utf-8").replace("青山镇", "外县镇")
    target = elsewhere / "外县镇卫生院.yaml"
    target.write_text(text, "utf-8")
    return target


@pytest.mark.parametrize("how", ["absolute", "dotdot", "linked-folder"])
def test_a_region_entry_leading_out_of_the_repo_is_refused_at_its_line(repo: Path, tmp_path: Path,
                                                                       how: str) -> None:
    target = outside_file(tmp_path, repo)
    region = repo / "数据/2025/青溪县汇总.yaml"
    if how == "absolute":
        entry = str(target)
    elif how == "dotdot":
        entry = os.path.relpath(target, region.parent)
    else:
        (repo / "数据/2025/外县").symlink_to(target.parent)
        entry = "外县/外县镇卫生院.yaml"
    text = region.read_text("utf-8").replace("  - {file: 青山镇卫生院.yaml, type: 乡镇卫生院}",
                                             f"  - {{file: '{entry}', type: 乡镇卫生院}}")
    region.write_text(text, "utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "外县" in row)
    code, output, _ = attack("build", repo, "-j", 1)
    assert code == 1, output
    assert f"青溪县汇总.yaml:{line}:" in output and "在数据仓库之外" in output
    assert not (repo / "文稿").exists() or not any("外县" in n for n in built(repo))
    # the repo may allow it, on purpose
    config = repo / "dangjian-docs.yaml"
    config.write_text(config.read_text("utf-8") + "\nallow_outside: true\n", "utf-8")
    code, output, _ = attack("build", repo, "-j", 1)
    assert code == 0, output


def test_a_data_file_linking_out_of_the_repo_is_refused(repo: Path, tmp_path: Path) -> None:
    target = outside_file(tmp_path, repo)
    (repo / "数据/2025/外县镇卫生院.yaml").symlink_to(target)
    code, output, _ = attack("validate", repo)
    assert code == 1 and "外县镇卫生院.yaml" in output and "指向数据仓库（" in output, output
    code, output, _ = attack("build", repo, "-j", 1)
    assert code == 1 and "仓库之外" in output and not (repo / "文稿").exists(), output


def test_a_single_file_build_still_reads_where_it_is_told(repo: Path, tmp_path: Path) -> None:
    target = outside_file(tmp_path, repo)
    out = tmp_path / "out"
    run("build", target, "-o", out)
    assert len(list(out.glob("*.docx"))) == 4


# -- workers die with the build, and other ways to crash it ------------------------------------

def test_jobs_are_capped_and_never_raise(repo: Path) -> None:
    assert Runner(100_000).jobs == MAX_JOBS and Runner(0).jobs == 1
    code, output, _ = attack("build", repo, "-j", 100000)
    assert code == 0, output


def test_validate_refuses_the_titles_build_refuses(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parent.parent / "samples" / "binjiang-2025.yaml"
    data = tmp_path / "d.yaml"
    text = sample.read_text("utf-8").replace("name: 滨江市第一人民医院党委", "name: 滨江市第一人民医院\u202e党委", 1)
    data.write_text(text, "utf-8")
    output = run("validate", data, code=1)
    assert "标题不能用作文件名" in output and "U+202E" in output and "[organisation.name]" in output


def make_towns(repo: Path, count: int) -> None:
    source = (repo / "数据/2025/青山镇卫生院.yaml").read_text("utf-8")
    folder = repo / "数据/2025/乡镇"
    folder.mkdir()
    for i in range(count):
        (folder / f"镇{i:03d}卫生院.yaml").write_text(source.replace("青山镇", f"第{i:03d}镇"), "utf-8")


def alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def test_files_deleted_during_a_build_are_diagnostics_not_tracebacks(repo: Path) -> None:
    make_towns(repo, 12)
    rng = random.Random(13)
    for _ in range(12):
        doomed = sorted((repo / "数据/2025/乡镇").glob("*.yaml"))
        child = subprocess.Popen([sys.executable, "-m", "dangjian_docs", "build", str(repo), "-j", "2", "--force"],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(rng.uniform(0.1, 1.5))
        for path in rng.sample(doomed, 5):
            path.unlink(missing_ok=True)
        output, _ = child.communicate(timeout=LIMIT_SECONDS)
        assert child.returncode in (0, 1), output
        assert "Traceback" not in output, output
        make_towns_again(repo, doomed)


def make_towns_again(repo: Path, paths: list[Path]) -> None:
    source = (repo / "数据/2025/青山镇卫生院.yaml").read_text("utf-8")
    for path in paths:
        if not path.exists():
            number = path.stem.removeprefix("镇").removesuffix("卫生院")
            path.write_text(source.replace("青山镇", f"第{number}镇"), "utf-8")


def test_killed_repo_builds_leave_no_worker_and_whole_documents(repo: Path, tmp_path: Path) -> None:
    """SIGKILL at random points of a ``-j 2`` build of a 60-file repo, 30 times: no worker
    survives, every document on disk is whole, and the next build restores the reference set."""
    make_towns(repo, 56)  # with the four of the example: 60 data files
    reference = tmp_path / "reference"
    started = time.monotonic()
    run("build", repo, "-j", 2)
    cold = time.monotonic() - started
    expected = built(repo)
    assert len(expected) == 59 * 3 + 1
    (repo / "文稿").rename(reference)
    rng = random.Random(2026)
    for round_ in range(30):
        args = ["build", str(repo), "-j", "2"] + (["--force"] if round_ % 3 == 0 else [])
        child = subprocess.Popen([sys.executable, "-m", "dangjian_docs", *args], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.05, max(0.3, cold)))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        deadline = time.monotonic() + 5
        while alive(child.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(child.pid), f"round {round_}: a worker outlived its killed build"
        for path in (repo / "文稿").rglob("*.docx") if (repo / "文稿").exists() else ():
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None, path
    run("build", repo, "-j", 2)
    assert built(repo) == expected
    leftovers = [p.name for p in (repo / "文稿").rglob("*") if p.is_file() and not p.name.endswith(".docx")]
    assert sorted(leftovers) == sorted([MANIFEST_NAME, FACTS_NAME])  # the region's facts beside the manifest
