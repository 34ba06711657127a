"""The county roll-up: built from a repo of institution files, every figure a hand count.

The hand counts below read the YAML with PyYAML directly, not through the tool, so a wrong sum
in the tool cannot agree with itself. Cross-file mistakes are made in a copy of the example repo.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from dangjian_docs import api
from dangjian_docs.diagnostics import DangjianError
from dangjian_docs.region import is_region, validate_region

EXAMPLE = Path(__file__).resolve().parent / "data" / "region"
REGION = "region-2025.yaml"


def text_of(docx: bytes) -> str:
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in paragraphs)


def read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "county")
    return tmp_path / "county"


@pytest.fixture(scope="module")
def built() -> str:
    _, content = api.render_region(EXAMPLE / REGION)
    return text_of(content)


@pytest.fixture(scope="module", params=["tests", "init"])
def example(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A region file and its roll-up's text: the test repo's, and the one ``init`` writes."""
    if request.param == "tests":
        region = EXAMPLE / REGION
    else:
        from dangjian_docs.repo import init_repo

        folder = tmp_path_factory.mktemp("init") / "county"
        init_repo(folder)
        region = next(folder.rglob("*汇总.yaml"))
    return region, text_of(api.render_region(region)[1])


def _members_by_hand(data: dict[str, Any]) -> int | None:
    """The organisation's own total, else every branch's figures (or roster) added up."""
    org = data["organisation"]
    if "members" in org:
        return org["members"]["full"] + org["members"]["probationary"]
    total = 0
    for branch in data["branches"]:
        if "members" in branch:
            total += branch["members"]["full"] + branch["members"]["probationary"]
        elif "roster" in branch:
            total += len(branch["roster"])
        else:
            return None
    return total


_STAGES = {"admitted": "probationary", "activists": "activist", "candidates": "candidate"}


def _stage_by_hand(data: dict[str, Any], key: str) -> int | None:
    """People reaching a development stage in the year: the office's total, else the log."""
    given = (data.get("development_counts") or {}).get(key)
    if given is not None:
        return given
    log = data.get("development") or []
    stage = _STAGES[key]
    return sum(1 for d in log if d.get(stage) and d[stage].year == data["year"]) if log else None


def _talks_by_hand(data: dict[str, Any]) -> int | None:
    logged = [a for a in data.get("activities") or [] if a["type"] == "谈心谈话"]
    counted = [c["count"] for c in data.get("activity_counts") or [] if c["type"] == "谈心谈话"]
    return len(logged) + sum(counted) if logged or counted else None


def hand_units(region_path: Path = EXAMPLE / REGION) -> list[dict[str, Any]]:
    """Each institution's facts, counted by hand from the YAML."""
    region = read(region_path)
    units = []
    for entry in region["institutions"]:
        if "file" not in entry:
            members = entry.get("members", 0 if entry["setup"] == "无党员" else None)
            units.append({"name": entry["name"], "type": entry["type"], "setup": entry["setup"],
                          "staff": entry.get("staff"), "members": members, "admitted": None,
                          "activists": None, "candidates": None, "talks": None})
            continue
        path = region_path.parent / entry["file"]
        data = read(path)
        org = data["organisation"]
        units.append({"name": org["hospital"], "type": entry["type"], "setup": org["kind"],
                      "staff": org.get("staff"), "members": _members_by_hand(data),
                      "admitted": _stage_by_hand(data, "admitted"), "activists": _stage_by_hand(data, "activists"),
                      "candidates": _stage_by_hand(data, "candidates"), "talks": _talks_by_hand(data),
                      "file": path})
    return units


def _counted(units: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The units a Party figure rests on: never one whose members another body counts; one
    without members only if it gives the figure."""
    return [u for u in units if u["setup"] != "归属其他单位" and (u["setup"] != "无党员" or u[key] is not None)]


def test_example_has_enough_institutions() -> None:
    units = hand_units()
    assert sum("file" in u for u in units) >= 4
    assert sum("file" not in u for u in units) >= 1


def test_counts_by_type_and_set_up_are_hand_counts(example: tuple[Path, str]) -> None:
    region, built = example
    units = hand_units(region)
    assert f"共有公立医疗卫生机构{len(units)}家" in built
    for kind in ("公立医院", "乡镇卫生院", "社区卫生服务中心"):
        group = [u for u in units if u["type"] == kind]
        if not group:
            continue
        line = next(line for line in built.splitlines() if line.startswith(f"{kind}{len(group)}家"))
        staff = [u["staff"] for u in group if u["staff"] is not None]
        assert f"职工总数{sum(staff)}人" in line
        if len(staff) < len(group):
            assert f"（不含未报送的{len(group) - len(staff)}家）" in line
        members = [u["members"] for u in _counted(group, "members") if u["members"] is not None]
        assert f"党员{sum(members)}名" in line
        setups = Counter(u["setup"] for u in group)
        for setup, n in setups.items():
            word = {"党委": "设立党委", "党总支": "设立党总支", "党支部": "设立党支部", "无党员": "无党员",
                    "联合党支部": "组建联合党支部", "归属其他单位": "归属"}[setup]
            count = "" if len(group) == 1 else ("均" if n == len(group) else f"{n}家")
            assert re.search(f"{count}[^、，]*{word}", line), (setup, line)


def test_development_and_secretaries_are_summed_over_those_who_gave_them(example: tuple[Path, str]) -> None:
    region, built = example
    units = hand_units(region)
    counted = _counted(units, "admitted")
    admitted = [u["admitted"] for u in counted if u["admitted"] is not None]
    lead = "" if len(admitted) == len(counted) else f"据{len(admitted)}家单位报送，"
    activists = sum(u["activists"] for u in units if u["activists"] is not None)
    candidates = sum(u["candidates"] for u in units if u["candidates"] is not None)
    assert f"{lead}全年新发展党员{sum(admitted)}名，确定入党积极分子{activists}名，列为发展对象{candidates}名" in built
    talks = [u["talks"] for u in units if u["talks"] is not None]
    if any("谈心谈话" in p.get("figures", []) for p in read(region).get("practices", [])):
        assert f"据{len(talks)}家单位报送，开展谈心谈话{sum(talks)}次" in built
    secretaries = leaders = 0
    for u in units:
        if "file" in u:
            for b in read(u["file"])["branches"]:
                if b["kind"] == "在职" and b.get("form") != "党总支":
                    secretaries += 1
                    leaders += b["secretary_is_professional_leader"]
    share = f"{leaders * 100 / secretaries:.1f}%"
    assert f"在职党支部书记{secretaries}名中，由业务骨干或科室负责人担任的“双带头人”{leaders}名，占{share}" in built


def test_members_total_equals_the_institutions_own_summaries(example: tuple[Path, str]) -> None:
    """The roll-up's total is the sum the institutions state in their own summaries, plus the
    members given inline for institutions without a file, and those counted by hand for a file
    with no year's work to summarise (no summary is built from a set-up alone: issue 14)."""
    region, built = example
    stated = 0
    for unit in hand_units(region):
        if "file" in unit and api.document_title(api.year_data(unit["file"]), "summary") is None:
            stated += unit["members"]
        elif "file" in unit:
            name, content = api.render_set(api.year_data(unit["file"]), ["summary"])[0]
            found = re.search(r"共有党员(\d+)名", text_of(content))
            assert found, name
            stated += int(found.group(1))
        elif unit["members"] is not None and unit["setup"] != "归属其他单位":
            stated += unit["members"]
    total = re.search(r"合计(?:职工\d+人、)?党员(\d+)名", built)
    assert total and int(total.group(1)) == stated


def test_shape_of_seed_001(built: str) -> None:
    heads = [line for line in built.splitlines() if re.match("^[一二三四五]、", line)]
    assert heads == ["一、基本情况", "二、主要做法", "三、存在问题", "四、对策建议"]
    assert "特此报告。" in built
    assert built.index("特此报告。") < built.index("中共滨江区卫生健康局委员会")
    assert "附件" in built and "党建工作基本情况统计表" in built
    assert "关于滨江区2025年公立医疗卫生机构党建工作情况的汇报" in built


def test_no_zero_or_share_from_unknown_facts(built: str) -> None:
    """The inline 联合党支部 gives no staff: its staff is not a 0 and no share of staff is printed."""
    assert "党员占职工总数" not in built  # some staff unknown: no share at all
    assert "职工总数0人" not in built and "0.0%" not in built


def test_table_has_a_row_per_institution(built: str) -> None:
    table = built[built.rindex("统计表"):]
    for unit in hand_units():
        assert unit["name"] in table
    assert "+4" in table  # 区人民医院: 98 members against last year's 94


def test_output_is_byte_identical() -> None:
    assert api.render_region(EXAMPLE / REGION) == api.render_region(EXAMPLE / REGION)


def test_build_writes_the_rollup(tmp_path: Path) -> None:
    written = api.build_region(EXAMPLE / REGION, tmp_path)
    assert [p.name for p in written] == ["关于滨江区2025年公立医疗卫生机构党建工作情况的汇报.docx"]


def test_a_region_file_is_told_from_a_year_file() -> None:
    assert is_region(read(EXAMPLE / REGION))
    assert not is_region(read(EXAMPLE / "hospitals" / "renmin-2025.yaml"))


def test_inputs_list_every_file_read() -> None:
    inputs = {p.name for p in validate_region(EXAMPLE / REGION).inputs}
    assert {"region-2025.yaml", "renmin-2025.yaml", "renmin-2024.yaml", "chengdong-2025.yaml"} <= inputs


# -- truth across files -------------------------------------------------------------------------

def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """The 1-based line holding the ``nth`` occurrence of ``needle``: where a diagnostic must point."""
    lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    return lines[nth - 1]


def diagnostics(repo: Path, code: str) -> list[Any]:
    result = validate_region(repo / REGION)
    return [d for d in result.diagnostics if d.code == code]


def test_an_institution_listed_twice(repo: Path) -> None:
    edit(repo / REGION, "  - {file: townships/xizhen-2025.yaml, type: 乡镇卫生院}\n",
         "  - {file: townships/xizhen-2025.yaml, type: 乡镇卫生院}\n"
         "  - {file: ./townships/xizhen-2025.yaml, type: 乡镇卫生院}\n")
    found = diagnostics(repo, "duplicate-institution")
    assert len(found) == 1 and found[0].is_error
    assert found[0].line == line_of(repo / REGION, "./townships/xizhen") and found[0].path == "institutions[5].file"
    assert f"{REGION}:{line_of(repo / REGION, 'townships/xizhen')}:" in found[0].message  # the first listing


def test_the_same_institution_inline_and_by_file(repo: Path) -> None:
    edit(repo / REGION, "name: 北山乡卫生院", "name: 东镇卫生院")
    found = diagnostics(repo, "duplicate-institution")
    assert len(found) == 1
    assert found[0].line == line_of(repo / REGION, "name: 东镇卫生院")
    first = line_of(repo / REGION, "townships/dongzhen")
    assert "dongzhen-2025.yaml" in found[0].message and f"{REGION}:{first}:" in found[0].message


def test_a_file_that_does_not_exist(repo: Path) -> None:
    edit(repo / REGION, "townships/xizhen-2025.yaml", "townships/xizhen-2052.yaml")
    found = diagnostics(repo, "missing-file")
    assert len(found) == 1 and "xizhen-2052.yaml" in found[0].message
    assert found[0].line == line_of(repo / REGION, "xizhen-2052")
    with pytest.raises(DangjianError):
        api.render_region(repo / REGION)


def test_a_file_for_another_year(repo: Path) -> None:
    edit(repo / REGION, "hospitals/renmin-2025.yaml", "hospitals/renmin-2024.yaml")
    found = diagnostics(repo, "wrong-year")
    assert len(found) == 1
    assert "2024年" in found[0].message and "renmin-2024.yaml:3:" in found[0].message
    assert found[0].file.endswith(REGION) and found[0].line == line_of(repo / REGION, "renmin-2024")


def test_a_stated_total_that_disagrees_names_every_file(repo: Path) -> None:
    edit(repo / REGION, "institutions: 3, members: 140", "institutions: 3, members: 141")
    found = diagnostics(repo, "region-total")
    assert len(found) == 1 and found[0].is_error
    message = found[0].message
    assert "上报为141名" in message and "合计为140名" in message
    assert "renmin-2025.yaml:" in message and "zhongyi-2025.yaml:" in message
    assert found[0].path == "totals[0].members"


def test_a_stated_figure_that_disagrees_with_its_file(repo: Path) -> None:
    edit(repo / REGION, "{file: townships/dongzhen-2025.yaml, type: 乡镇卫生院}",
         "{file: townships/dongzhen-2025.yaml, type: 乡镇卫生院, staff: 65}")
    found = diagnostics(repo, "region-mismatch")
    assert len(found) == 1 and "65人" in found[0].message and "64人" in found[0].message
    assert "dongzhen-2025.yaml:9:" in found[0].message


def test_an_institution_file_with_errors_is_reported_in_its_own_file(repo: Path) -> None:
    edit(repo / "townships" / "xizhen-2025.yaml", "staff: 48", "staff: 四十八")
    result = validate_region(repo / REGION)
    assert any(d.file.endswith("xizhen-2025.yaml") and d.code == "wrong-type" for d in result.diagnostics)
    assert any(d.code == "institution-invalid" for d in result.diagnostics)
    assert result.rollup is None


def test_the_region_schema_speaks_chinese_with_positions(repo: Path) -> None:
    edit(repo / REGION, "type: 社区卫生服务中心}\n  - {name: 城西", "type: 社区医院}\n  - {name: 城西")
    result = validate_region(repo / REGION)
    bad = [d for d in result.diagnostics if d.code == "bad-enum"]
    assert len(bad) == 1 and bad[0].line == line_of(repo / REGION, "社区医院") and "单位类别" in bad[0].message


def test_placeholders_in_the_region_are_errors(repo: Path) -> None:
    edit(repo / REGION, "召开廉政教育警示会议。", "召开廉政教育警示会议XXX次。")
    assert diagnostics(repo, "placeholder")


# -- in a data repo -------------------------------------------------------------------------------

def test_init_example_repo_builds_the_rollup_and_rebuilds_it_when_an_input_changes(tmp_path: Path) -> None:
    from dangjian_docs.repo import build_repo, init_repo, load_config

    init_repo(tmp_path / "county")
    region = next((tmp_path / "county").rglob("*汇总.yaml"))
    assert is_region(read(region))
    first = build_repo(load_config(tmp_path / "county"), jobs=1)
    assert not first.failed and not first.stopped, [d.message for d in first.diagnostics if d.is_error]
    rollups = [p for p in first.built if "公立医疗卫生机构党建工作情况的汇报" in p]
    assert len(rollups) == 1
    again = build_repo(load_config(tmp_path / "county"), jobs=1)
    assert again.built == []
    township = next((tmp_path / "county").rglob("青山镇卫生院.yaml"))
    edit(township, "staff: 86", "staff: 87")
    third = build_repo(load_config(tmp_path / "county"), jobs=1)
    assert any("公立医疗卫生机构党建工作情况的汇报" in p for p in third.built)
    assert not any("青溪县人民医院" in p for p in third.built)  # nothing else of others rebuilt


def test_a_repo_build_stops_on_a_cross_file_error(tmp_path: Path) -> None:
    from dangjian_docs.repo import build_repo, init_repo, load_config

    init_repo(tmp_path / "county")
    region = next((tmp_path / "county").rglob("*汇总.yaml"))
    edit(region, "{file: 青溪县中医院.yaml, type: 公立医院}", "{file: 青溪县中医院.yaml, type: 公立医院}\n"
         "  - {file: 青溪县中医院.yaml, type: 公立医院}")
    outcome = build_repo(load_config(tmp_path / "county"), jobs=1)
    assert outcome.stopped
    assert [d.code for d in outcome.diagnostics if d.is_error] == ["duplicate-institution"]


# -- on the command line, a region file by itself ------------------------------------------------

def test_command_line_validates_and_builds_a_region_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dangjian_docs.cli import cli

    checked = CliRunner().invoke(cli, ["validate", str(EXAMPLE / REGION)])
    assert checked.exit_code == 0, checked.output
    assert "0 个错误" in checked.output and "未知的键" not in checked.output
    built = CliRunner().invoke(cli, ["build", str(EXAMPLE / REGION), "-o", str(tmp_path)])
    assert built.exit_code == 0, built.output
    assert [p.name for p in tmp_path.glob("*.docx")] == ["关于滨江区2025年公立医疗卫生机构党建工作情况的汇报.docx"]


def test_command_line_refuses_a_region_with_a_cross_file_error(repo: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dangjian_docs.cli import cli

    edit(repo / REGION, "townships/xizhen-2025.yaml", "townships/xizhen-2052.yaml")
    built = CliRunner().invoke(cli, ["build", str(repo / REGION), "-o", str(tmp_path / "out")])
    assert built.exit_code == 1
    assert "xizhen-2052.yaml" in built.output and "Traceback" not in built.output
    assert not (tmp_path / "out").exists()


INLINE_ONLY = """\
year: 2025
region: {name: 东湖县, body: 东湖县卫生健康局党委, higher_body: 中共东湖县委组织部}
institutions:
  - {name: 东湖县人民医院, type: 公立医院, setup: 党委, staff: 600, members: 120, branches: 6}
  - {name: 东湖县湖东卫生院, type: 乡镇卫生院, setup: 党支部}
practices:
  - {title: 实行“双向培养”制度, detail: 把业务骨干培养成党员。, figures: [新发展党员, 双带头人, 谈心谈话]}
documents:
  rollup: {title: 东湖县公立医疗卫生机构2025年党建工作情况汇报, opening: 现将有关情况报告如下。}
signature: {body: 中共东湖县卫生健康局委员会, date: 2025-12-30}
"""


def test_figures_nobody_gave_are_not_written(tmp_path: Path) -> None:
    region = tmp_path / "region.yaml"
    region.write_text(INLINE_ONLY, encoding="utf-8")
    name, content = api.render_region(region)
    text = text_of(content)
    assert name == "东湖县公立医疗卫生机构2025年党建工作情况汇报.docx"
    assert "现将有关情况报告如下。" in text
    assert "公立医院1家，职工总数600人，党员120名，设立党委，共设立党支部6个。" in text
    assert "乡镇卫生院1家，设立党支部，共设立党支部1个。" in text  # staff and members not given: not said
    assert "全县合计" not in text  # the township's members are unknown: no county total
    practice = text[text.index("双向培养"):text.index("特此报告")]
    assert "新发展党员" not in practice and "双带头人" not in practice and "谈心谈话" not in practice
    table = text[text.rindex("统计表"):]
    assert "湖东卫生院\n乡镇卫生院\n—\n—\n—\n党支部\n—" in table
    assert not re.search(r"(?<![\d.])0(名|人|次|\.0%)", text)


def test_a_region_check_is_known_unchanged_until_any_file_it_read_changes(repo: Path) -> None:
    from dangjian_docs.region import cache

    region = repo / REGION
    record = cache.fingerprint(validate_region(region))
    assert "hospitals/renmin-2024.yaml" in record["inputs"] and record["previous"] == ["hospitals/renmin-2024.yaml"]
    assert cache.unchanged(region, record)
    assert len(cache.inputs(region, record)) == len(record["inputs"])
    edit(repo / "townships" / "xizhen-2025.yaml", "staff: 48", "staff: 49")  # a listed file
    assert not cache.unchanged(region, record)
    record = cache.fingerprint(validate_region(region))
    (repo / "hospitals" / "renmin-2024.yaml").rename(repo / "renmin-last-year.yaml")  # last year's, moved
    assert not cache.unchanged(region, record)
    record = cache.fingerprint(validate_region(region))
    assert cache.unchanged(region, record)
    edit(region, "members: 140", "members: 141")  # a check that finds errors is always run again
    failed = cache.fingerprint(validate_region(region))
    assert failed["errors"] and not cache.unchanged(region, failed)


def test_a_no_change_repo_build_does_not_check_the_region_again(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import dangjian_docs.region as region_package
    from dangjian_docs.repo import build_repo, init_repo, load_config

    init_repo(tmp_path / "county")
    first = build_repo(load_config(tmp_path / "county"), jobs=1)
    assert any(ROLLUP_TITLE in p for p in first.built)
    real = region_package.validate_region
    calls: list[object] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(region_package, "validate_region", counted)
    again = build_repo(load_config(tmp_path / "county"), jobs=1)
    assert calls == [] and again.built == [] and again.unchanged == 10
    edit(next((tmp_path / "county").rglob("青溪县中医院.yaml")), "staff: 300", "staff: 301")
    third = build_repo(load_config(tmp_path / "county"), jobs=1)
    assert len(calls) >= 1 and any(ROLLUP_TITLE in p for p in third.built)


ROLLUP_TITLE = "关于青溪县2025年公立医疗卫生机构党建工作情况的汇报"


# -- the region schema and its documentation -------------------------------------------------------

def test_region_schema_speaks_chinese_everywhere() -> None:
    import json

    schema = json.loads((EXAMPLE.parents[2] / "schemas" / "region.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    cjk = re.compile(r"[\u4e00-\u9fff]")
    pending: list[tuple[str, Any]] = [("#", schema)]
    checked = 0
    while pending:
        where, node = pending.pop()
        if not isinstance(node, dict):
            continue
        for key, child in node.get("properties", {}).items():
            assert cjk.search(child.get("title", "")) and cjk.search(child.get("description", "")), f"{where}/{key}"
            checked += 1
        if "enum" in node:
            assert sorted(node["x-enum-labels"]) == sorted(node["enum"]), where
            assert [node["x-enum-labels"][v] for v in node["enum"]] == node["markdownEnumDescriptions"], where
        pending += [(f"{where}/{k}", v) for k, v in node.items() if isinstance(v, dict)]
    assert checked > 30


def test_the_key_table_in_the_docs_is_what_the_schema_says() -> None:
    import importlib.util

    tool = EXAMPLE.parents[2] / "tools" / "gen_region_docs.py"
    spec = importlib.util.spec_from_file_location("gen_region_docs", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = module.PAGE.read_text(encoding="utf-8")
    assert module.page_with_table(page) == page, "请运行 python tools/gen_region_docs.py"
    assert "| `institutions[].setup` |" in page and "`归属其他单位`" in page


def test_a_region_listing_a_region_file(repo: Path) -> None:
    edit(repo / REGION, "townships/xizhen-2025.yaml", REGION)
    found = diagnostics(repo, "region-entry")
    assert len(found) == 1 and "是汇总文件" in found[0].message
    assert found[0].line == line_of(repo / REGION, f"file: {REGION}")
    assert not diagnostics(repo, "unknown-key")  # the region is not read as a year file


def test_members_counted_by_another_body_are_not_added_again(built: str) -> None:
    """The 妇幼保健院's 12 members belong to the 人民医院党委's count: shown in its row, not summed."""
    line = next(line for line in built.splitlines() if line.startswith("公立医院"))
    assert "党员140名" in line  # 98 + 42, without the 12
    table = built[built.rindex("统计表"):]
    assert "滨江区妇幼保健院\n公立医院\n95\n12\n" in table


def test_members_against_last_year_only_over_institutions_with_both_years(built: str, tmp_path: Path) -> None:
    assert "有上年数据的1家单位党员人数较上年合计增加4名。" in built  # 区人民医院: 94 → 98
    region = tmp_path / "region.yaml"
    region.write_text(INLINE_ONLY, encoding="utf-8")
    assert "党员人数较上年" not in text_of(api.render_region(region)[1])


def test_an_unknown_kind_for_a_region_is_a_diagnostic_not_a_key_error() -> None:
    with pytest.raises(DangjianError) as info:
        api.render_region(EXAMPLE / REGION, "plan")
    [d] = info.value.diagnostics
    assert d.code == "unknown-kind" and "rollup" in d.hint
