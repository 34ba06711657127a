"""The data repo: init, whole-tree builds, incremental and parallel builds, shards, CI files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import cli_output as run

import dangjian_docs.api
from dangjian_docs.cli import cli
from dangjian_docs.repo.config import CONFIG_NAME, KIND_NAMES
from dangjian_docs.repo.manifest import MANIFEST_NAME

ROOT = Path(__file__).resolve().parent.parent
ROLLUP_DATA = "青溪县汇总.yaml"
ROLLUP = "公立医疗卫生机构党建工作情况的汇报"
"""The example region file, and its one document: the roll-up of the three examples."""
TOWNS = ["红山", "白沙", "石桥", "柳溪", "松岭", "梅林", "竹园", "桃源", "杏花", "枫林", "云台", "龙泉"]



def documents(repo: Path) -> dict[str, tuple[int, int]]:
    """Every document under the output folder → (inode, mtime_ns)."""
    out = repo / "文稿"
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*.docx"))}


def assert_valid_docx(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert b"<w:body>" in archive.read("word/document.xml")


def add_towns(repo: Path, count: int, folder: str = "数据/2025/乡镇") -> list[Path]:
    """More township centres: the example's file under other towns' names."""
    text = (repo / "数据/2025/青山镇卫生院.yaml").read_text("utf-8")
    (repo / folder).mkdir(parents=True, exist_ok=True)
    paths = []
    for town in TOWNS[:count]:
        path = repo / folder / f"{town}镇卫生院.yaml"
        path.write_text(text.replace("青山", town), "utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "county"
    run("init", folder)
    return folder


def test_every_registered_kind_has_its_module_and_template() -> None:
    """The registry is the one list of kinds: each name's module defines that kind, and a
    config's default kinds are exactly the kinds written from a year file."""
    from dangjian_docs.documents import KINDS, REGION_KINDS, REGISTRY
    from dangjian_docs.repo.config import RepoConfig
    from dangjian_docs.resources import templates_dir

    assert {**KINDS, **REGION_KINDS}.keys() == REGISTRY.keys()
    for name, spec in [*KINDS.items(), *REGION_KINDS.items()]:
        assert spec.name == name and (templates_dir() / spec.template_name).is_file()
    assert RepoConfig.__dataclass_fields__["kinds"].default == KIND_NAMES == tuple(KINDS)


def test_init_writes_a_repo_that_builds_at_once(repo: Path) -> None:
    assert (repo / CONFIG_NAME).is_file()
    for data in (repo / "数据/2025").glob("*.yaml"):
        first = data.read_text("utf-8").splitlines()[0]
        schema = "region" if data.name == ROLLUP_DATA else "year"  # the county roll-up's region file
        assert first == f"# yaml-language-server: $schema=../../schemas/{schema}.schema.json"
        assert (data.parent / f"../../schemas/{schema}.schema.json").resolve().is_file()
    out = run("build", repo, "-j", "1")
    assert "生成 10 份" in out and "失败 0 份" in out
    built = documents(repo)
    assert len(built) == 10 and sum(ROLLUP in name for name in built) == 1
    assert {name.split("/")[0] for name in built} == {"2025"}  # data/2025/… → 文稿/2025/…
    for name in built:
        assert_valid_docx(repo / "文稿" / name)


def test_every_example_validates_without_errors(repo: Path) -> None:
    out = run("validate", repo)
    assert "检查了 4 个文件：0 个错误" in out


def test_init_never_replaces_files(repo: Path) -> None:
    config = repo / CONFIG_NAME
    config.write_text("data: [数据]\n", "utf-8")
    result = CliRunner().invoke(cli, ["init", str(repo)])
    assert result.exit_code == 1
    assert "已经存在" in result.output
    assert config.read_text("utf-8") == "data: [数据]\n"


def test_unchanged_repo_is_neither_rendered_nor_rewritten(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("build", repo, "-j", "1")
    before = documents(repo)
    manifest = (repo / "文稿" / MANIFEST_NAME).stat().st_mtime_ns

    def no_render(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("an unchanged document was rendered")

    monkeypatch.setattr(dangjian_docs.api, "render", no_render)
    out = run("build", repo, "-j", "1")
    assert "生成 0 份，未变 10 份" in out
    assert documents(repo) == before
    assert (repo / "文稿" / MANIFEST_NAME).stat().st_mtime_ns == manifest


def test_changed_data_rebuilds_that_files_documents_only(repo: Path) -> None:
    run("build", repo, "-j", "1")
    before = documents(repo)
    data = repo / "数据/2025/青山镇卫生院.yaml"
    text = data.read_text("utf-8")
    # the signature's date is in the summary and the report; the plan has no date of its own and
    # prints none (issue 14: it no longer borrows the December signature)
    assert text.endswith("  date: 2025-12-20\n")
    data.write_text(text.replace("  date: 2025-12-20\n", "  date: 2025-12-22\n"), "utf-8")
    out = run("build", repo, "-j", "1")
    # the roll-up reads it too, so it is rendered again; the date is not in it: same bytes, not rewritten
    assert "生成 2 份，未变 8 份" in out
    after = documents(repo)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {name for name in after if "青山镇卫生院" in name and "计划" not in name}
    assert len(changed) == 2


def test_a_changed_file_is_rebuilt_with_its_titles_broken_as_before(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rebuilding the documents of one changed file does not load the word segmenter again for
    titles the last build broke (its dictionary was a quarter of such a build's time), and
    gives the bytes a cold build gives."""
    from dangjian_docs.domain import titles

    run("build", repo, "-j", "1")
    data = repo / "数据/2025/青山镇卫生院.yaml"
    data.write_text(data.read_text("utf-8").replace("  date: 2025-12-20\n", "  date: 2025-12-22\n"), "utf-8")
    cold = tmp_path / "cold"
    shutil.copytree(repo, cold, ignore=shutil.ignore_patterns("文稿"))

    def refuse() -> None:
        raise AssertionError("the segmenter was loaded for a title the last build broke")

    with monkeypatch.context() as patched:
        patched.setattr(titles, "_segmenter", refuse)
        out = run("build", repo, "-j", "1")
    assert "生成 2 份，未变 8 份，失败 0 份" in out
    run("build", cold, "-j", "1")
    rebuilt = {p.relative_to(repo): p.read_bytes() for p in (repo / "文稿").rglob("*.docx")}
    assert rebuilt == {p.relative_to(cold): p.read_bytes() for p in (cold / "文稿").rglob("*.docx")}
    broken = [lines for record in json.loads((repo / "文稿" / MANIFEST_NAME).read_text("utf-8"))["outputs"].values()
              for lines in record["breaks"]]
    assert ["青山镇卫生院党支部", "关于2025年党建工作情况的汇报"] in broken


def test_one_changed_file_with_its_roll_up_is_built_without_starting_workers(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-j 2`` after a change to one file: that file and the roll-up that reads it are checked
    and rendered in the build's own process (a worker would import and prepare everything again)."""
    from dangjian_docs.repo.workers import Runner

    run("build", repo, "-j", "2")
    data = repo / "数据/2025/青山镇卫生院.yaml"
    data.write_text(data.read_text("utf-8").replace("  date: 2025-12-20\n", "  date: 2025-12-22\n"), "utf-8")

    def no_workers(self: Runner) -> None:
        raise AssertionError("workers were started for one changed file")

    monkeypatch.setattr(Runner, "_ensure_lanes", no_workers)
    assert "生成 2 份，未变 8 份，失败 0 份" in run("build", repo, "-j", "2")


def test_changed_template_rebuilds_exactly_the_documents_using_it(repo: Path) -> None:
    from dangjian_docs.resources import templates_dir

    (repo / "模板").mkdir()
    template = repo / "模板" / "汇报.docx"
    shutil.copy(templates_dir() / "report.docx", template)
    config = repo / CONFIG_NAME
    config.write_text(config.read_text("utf-8").replace("templates: {}", "templates: {report: 模板/汇报.docx}"),
                      "utf-8")
    run("build", repo, "-j", "1")
    before = documents(repo)
    with zipfile.ZipFile(template) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename == "word/settings.xml":  # app.xml is the build's own, not the template's
                data = data.replace(b'w:defaultTabStop w:val="720"', b'w:defaultTabStop w:val="840"')
            archive.writestr(info, data)
    out = run("build", repo, "-j", "1")
    assert "生成 3 份，未变 7 份" in out
    after = documents(repo)
    changed = sorted(name for name in after if after[name] != before[name])
    kinds = json.loads((repo / "文稿" / MANIFEST_NAME).read_text("utf-8"))["outputs"]
    assert len(changed) == 3 and {kinds[name]["kind"] for name in changed} == {"report"}


def test_deleted_data_file_removes_its_documents(repo: Path) -> None:
    run("build", repo, "-j", "1")
    (repo / "数据/2025/青溪县中医院.yaml").unlink()
    region = repo / "数据/2025" / ROLLUP_DATA  # the roll-up lists it: a listed file that is gone is an error
    region.write_text(region.read_text("utf-8").replace("  - {file: 青溪县中医院.yaml, type: 公立医院}\n", ""), "utf-8")
    out = run("build", repo, "-j", "1")
    assert "删除 3 份" in out
    assert out.count("（数据文件已删除）") == 3
    left = documents(repo)
    assert len(left) == 7 and not any("中医院" in name for name in left)
    again = run("build", repo, "-j", "1")
    assert "删除 0 份" in again and "未变 7 份" in again


def test_force_rebuilds_everything(repo: Path) -> None:
    run("build", repo, "-j", "1")
    before = documents(repo)
    out = run("build", repo, "-j", "1", "--force")
    assert "生成 10 份" in out
    after = documents(repo)
    assert all(after[name] != before[name] for name in after)


def test_parallel_build_gives_the_same_bytes(repo: Path, tmp_path: Path) -> None:
    add_towns(repo, 3)
    run("build", repo, "-j", "2")
    parallel = {p.relative_to(repo): p.read_bytes() for p in (repo / "文稿").rglob("*.docx")}
    shutil.rmtree(repo / "文稿")
    run("build", repo, "-j", "1")
    serial = {p.relative_to(repo): p.read_bytes() for p in (repo / "文稿").rglob("*.docx")}
    assert len(parallel) == 19 and parallel == serial


def test_shards_cover_the_tree_exactly_once(repo: Path) -> None:
    add_towns(repo, 9)
    everything = len(list((repo / "数据").rglob("*.yaml")))
    for count in (2, 3):
        shutil.rmtree(repo / "文稿", ignore_errors=True)
        seen: list[str] = []
        for index in range(1, count + 1):
            before = set(documents(repo)) if (repo / "文稿").exists() else set()
            out = run("build", repo, "-j", "1", "--shard", f"{index}/{count}")
            assert "删除 0 份" in out  # another shard's documents are not this one's orphans
            seen += sorted(set(documents(repo)) - before)
        assert len(seen) == len(set(seen)) == 3 * (everything - 1) + 1  # the region file makes one
    assert "未变 37 份" in run("build", repo, "-j", "1")


def test_bad_shard_is_a_message(repo: Path) -> None:
    out = run("build", repo, "--shard", "3/2", code=2)
    assert "分片" in out and "Traceback" not in out


def test_errors_in_any_file_report_every_file_and_build_nothing(repo: Path) -> None:
    first = repo / "数据/2025/青溪县中医院.yaml"
    second = repo / "数据/2025/青山镇卫生院.yaml"
    first.write_text(first.read_text("utf-8").replace("staff: 300", "staff: 很多"), "utf-8")
    second.write_text(second.read_text("utf-8").replace("year: 2025", "year: 二〇二五"), "utf-8")
    out = run("build", repo, "-j", "2", code=1)
    assert "青溪县中医院.yaml" in out and "青山镇卫生院.yaml" in out
    assert "没有生成任何文件" in out
    assert not (repo / "文稿").exists()
    out = run("validate", repo, "--format", "github", code=1)
    assert out.count("::error file=") >= 2


def test_config_mistakes_are_placed_in_the_config(repo: Path) -> None:
    config = repo / CONFIG_NAME
    config.write_text(config.read_text("utf-8").replace("output: 文稿", "outptu: 文稿"), "utf-8")
    out = run("build", repo, code=1)
    assert f"{CONFIG_NAME}:" in out and "outptu" in out and "output" in out


def test_folder_tree_without_config_builds_with_defaults(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "2025").mkdir(parents=True)
    shutil.copy(ROOT / "tests/data/small-year.yaml", tree / "2025" / "a.yaml")
    out = run("build", tree, "-j", "1")
    assert "生成 4 份" in out
    assert len(list((tree / "文稿" / "2025").glob("*.docx"))) == 4


def test_killed_build_leaves_valid_documents_and_the_next_finishes(repo: Path) -> None:
    add_towns(repo, 12)
    env = {**os.environ, "CI": "1", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "dangjian_docs", "build", str(repo), "-j", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True,
                               start_new_session=True)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("已生成"):
            break
    os.killpg(process.pid, signal.SIGKILL)  # the build and its workers, at once, as CI cancels a job
    process.wait()
    total = 3 * 15 + 1  # and the roll-up
    finished_before = list((repo / "文稿").rglob("*.docx"))
    assert 0 < len(finished_before) < total  # killed mid-build
    for child in finished_before:
        assert_valid_docx(child)  # whatever was finished is whole
    out = run("build", repo, "-j", "2")
    assert "失败 0 份" in out
    finished = documents(repo)
    assert len(finished) == total
    for name in finished:
        assert_valid_docx(repo / "文稿" / name)
    assert f"未变 {total} 份" in run("build", repo, "-j", "1")


def test_workflow_files_are_valid_yaml_and_call_the_same_commands(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    github = yaml.safe_load((repo / ".github/workflows/dangjian-docs.yml").read_text("utf-8"))
    steps = github["jobs"]["build"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert 'python -m pip install "$DANGJIAN_DOCS_TOOL"' in runs  # the source: tests/test_scaffold_ci.py
    assert "dangjian-docs validate . --format github" in runs
    assert "dangjian-docs build ." in runs
    assert "dangjian-docs preview 文稿 -o 预览" in runs
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
    assert [u["with"]["path"] for u in uploads] == ["文稿/", "预览/"]

    gitlab = yaml.safe_load((repo / ".gitlab-ci.yml").read_text("utf-8"))
    assert gitlab["validate"]["script"] == ["dangjian-docs validate ."]
    assert gitlab["build"]["script"] == ["dangjian-docs build .", "dangjian-docs preview 文稿 -o 预览"]
    assert gitlab["build"]["artifacts"]["paths"] == ["文稿/", "预览/"]
    assert 'python -m pip install "$DANGJIAN_DOCS_TOOL"' in gitlab["default"]["before_script"]

    monkeypatch.chdir(repo)  # the commands as CI runs them, from the repo's root
    out = run("validate", ".", "--format", "github")
    assert "::error" not in out
    assert "生成 10 份" in run("build", ".")


def test_init_and_build_from_an_installed_wheel(tmp_path: Path) -> None:
    """As in a fresh install: the wheel carries the scaffold; init then build work from anywhere."""
    from hatchling.builders.wheel import WheelBuilder

    [wheel] = list(WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = ("import sys; site = sys.argv[1]; sys.path.insert(0, site); sys.argv = ['dangjian-docs', *sys.argv[2:]];"
              "import dangjian_docs.cli as c; assert c.__file__.startswith(site), c.__file__; c.main()")
    for args in (["init", "county"], ["build", "county", "-j", "2"]):
        result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "site"), *args], cwd=elsewhere,
                                capture_output=True, text=True, check=False, env={**os.environ, "CI": "1"})
        assert result.returncode == 0, result.stdout + result.stderr
    assert "生成 10 份" in result.stdout
    assert (elsewhere / "county/.github/workflows/dangjian-docs.yml").is_file()
    assert len(list((elsewhere / "county/文稿/2025").glob("*.docx"))) == 10


def test_progress_is_plain_lines_off_a_terminal_and_a_bar_on_one() -> None:
    import io

    from dangjian_docs.repo.progress import Progress

    lines = io.StringIO()
    plain = Progress(bar=False, lines=lines)
    plain.start("生成文稿", 2)
    plain.advance(1, "已生成：a.docx")
    plain.advance(1, "已生成：b.docx")
    plain.finish()
    assert lines.getvalue().splitlines() == ["生成文稿：2 项", "已生成：a.docx", "已生成：b.docx"]

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    bar, lines = Terminal(), io.StringIO()
    shown = Progress(bar=True, lines=lines)
    shown.bar_stream = bar
    shown.start("生成文稿", 2)
    shown.advance(1, "已生成：a.docx")
    shown.advance(1, "已生成：b.docx")
    shown.finish()
    assert lines.getvalue() == ""  # the bar says it; no line per document
    assert "生成文稿" in bar.getvalue() and "2/2" in bar.getvalue()


def test_documents_restored_with_other_times_are_not_rebuilt(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CI cache restores the output folder with new file times: the bytes decide, not the time."""
    run("build", repo, "-j", "1")
    for path in (repo / "文稿").rglob("*.docx"):
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))

    def no_render(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a restored document was rendered again")

    monkeypatch.setattr(dangjian_docs.api, "render", no_render)
    assert "生成 0 份" in run("build", repo, "-j", "1")
    victim = next((repo / "文稿").rglob("*.docx"))
    victim.write_bytes(victim.read_bytes()[::-1])  # same size, other bytes: rebuilt
    monkeypatch.undo()
    assert "生成 1 份" in run("build", repo, "-j", "1")
    assert_valid_docx(victim)


def test_shared_rules_apply_to_every_file_and_a_files_own_rule_wins(repo: Path) -> None:
    rules = repo / "规则/组织生活规则.yaml"
    rules.write_text("rules:\n  - {activity: 党课, period: quarter, min: 1}\n", "utf-8")
    out = run("validate", repo)
    assert "青山镇卫生院党支部：党课每季度应至少 1 次" in out  # the county's stricter rule
    township = repo / "数据/2025/青山镇卫生院.yaml"
    text = township.read_text("utf-8")
    township.write_text(text.replace("activities:\n", "rules:\n  - {activity: 党课, period: year, min: 1}\n"
                                     "activities:\n", 1), "utf-8")
    assert "青山镇卫生院党支部：党课" not in run("validate", repo)


def test_a_broken_shared_rules_file_is_placed_in_that_file(repo: Path) -> None:
    rules = repo / "规则/组织生活规则.yaml"
    rules.write_text("rules:\n  - {activity: 党课, period: weekly, min: 1}\n", "utf-8")
    out = run("build", repo, code=1)
    assert "规则/组织生活规则.yaml:2:" in out and "没有生成任何文件" in out


def test_json_output_lists_the_documents_written(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(repo), "-j", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    report, _ = json.JSONDecoder().raw_decode(result.stdout)  # click 8.1 mixes in stderr
    assert report["errors"] == 0 and len(report["documents"]) == len(documents(repo)) > 0


def test_init_where_it_cannot_write_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", "utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "a-file" / "county")])
    assert result.exit_code == 1
    assert "无法写入文件" in result.output and "Traceback" not in result.output


def test_flat_data_folder_with_the_manifest_saved_after_every_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Data straight in the data folder puts the documents beside the manifest, which the build
    saves (its own way, never clearing temporary files of ours) while workers write there."""
    from dangjian_docs.repo import build as repo_build

    repo = tmp_path / "flat"
    run("init", repo)
    add_towns(repo, 12, folder="数据")
    shutil.rmtree(repo / "数据" / "2025")  # the examples (and the region file naming them)
    monkeypatch.setattr(repo_build, "SAVE_EVERY", -1.0)
    out = run("build", repo, "-j", "2")
    assert "生成 36 份" in out and "失败 0 份" in out
    assert len(list((repo / "文稿").glob("*.docx"))) == 36
    assert "未变 36 份" in run("build", repo, "-j", "2")


def test_repo_documents_are_the_bytes_a_single_file_build_makes(repo: Path, tmp_path: Path) -> None:
    config = repo / CONFIG_NAME
    config.write_text(config.read_text("utf-8").replace("rules: 规则/组织生活规则.yaml", "rules: null"), "utf-8")
    run("build", repo, "-j", "2")
    single = tmp_path / "single"
    alone = shutil.copy(repo / "数据/2025/青山镇卫生院.yaml", tmp_path)  # outside the repo: a plain file
    # the kinds the repo's config names (the scaffold's: plan, summary, report)
    run("build", alone, "-o", single, "--kind", "plan", "--kind", "summary", "--kind", "report")
    made = sorted(single.glob("*.docx"))
    assert len(made) == 3
    for path in made:
        assert path.read_bytes() == (repo / "文稿/2025" / path.name).read_bytes()
