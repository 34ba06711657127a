"""Building documents: content, figures, numbering, styles, reproducibility, atomic writes."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import MINIMAL, ROOT

import dangjian_docs
from dangjian_docs import DangjianError
from dangjian_docs.cli import cli

KINDS = ("plan", "summary", "report")


def texts(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs if p.text.strip()]


def styled(content: bytes) -> list[tuple[str, str]]:
    """(style, text) of each paragraph; a title's line breaks (its typeset lines) are dropped."""
    return [(p.style.name, p.text.replace("\n", "")) for p in docx.Document(io.BytesIO(content)).paragraphs
            if p.text.strip()]


@pytest.fixture(scope="module")
def rendered(minimal_year) -> dict[str, bytes]:
    return {kind: dangjian_docs.render(minimal_year, kind) for kind in KINDS}


def test_plan_sections_are_numbered_from_the_nesting(rendered) -> None:
    headings = [(style, text) for style, text in styled(rendered["plan"]) if style.startswith("Heading")]
    assert headings == [
        ("Heading 1", "一、指导思想"), ("Heading 1", "二、总体目标"), ("Heading 1", "三、主要任务"),
        ("Heading 2", "（一）加强政治建设"), ("Heading 3", "1.落实“第一议题”制度"),
        ("Heading 4", "（1）每月集中学习一次"), ("Heading 2", "（二）加强组织建设"),
        ("Heading 1", "四、保障措施"), ("Heading 2", "（一）加强组织领导"),
    ]


def test_plan_has_title_body_signature_and_date(rendered) -> None:
    paragraphs = styled(rendered["plan"])
    assert paragraphs[0] == ("Title", "测试医院党总支2024年党建工作计划")
    assert ("Body Text", "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。") in paragraphs
    # the duty closes the task's own text; the year's last day, the whole plan's deadline, is not said
    assert ("Body Text", "抓好理论学习（责任部门：党总支办公室）。") in paragraphs
    assert paragraphs[-6:] == [
        ("Body Text", "成立党建工作领导小组。"), ("Attachment Note", "附件：2024年党建工作月度安排表"),
        ("Signature", "中共测试医院总支部委员会"), ("Date", "2024年1月15日"),
        ("Attachment Label", "附件"), ("Title", "2024年党建工作月度安排表")]


def test_plan_month_table_is_sorted_and_formatted(rendered) -> None:
    table = docx.Document(io.BytesIO(rendered["plan"])).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [["月份", "工作内容", "责任部门", "完成时限"],
                    ["1月", "制定年度计划", "党总支办公室", ""],
                    ["2月", "召开年度工作会议", "党总支办公室", "2月28日"]]


def test_summary_figures_match_a_hand_count(rendered) -> None:
    body = "\n".join(texts(rendered["summary"]))
    # 33 in branch a + a roster of 12 (9 full, 3 probationary) in branch b
    assert "共有党员45名，其中正式党员39名、预备党员6名" in body
    assert "女党员26名，占57.8%" in body  # 20 + 6 women in the roster; 26/45
    # 35岁及以下 as 党内统计 counts: 10 + 吴十 (34 on 2024-12-31) + 郑一 (35 that day)
    assert "35岁及以下党员12名，占26.7%" in body
    assert "研究生学历9名、大学本科学历24名、大专学历10名、中专及以下学历2名，大学本科及以上学历占73.3%" in body
    assert "在职党员33名，占全院职工300人的11.0%" in body
    # 1 of 1 in service (not 1 of 2): said of the one secretary, not as “1名，占100.0%”
    assert "在职党支部书记由业务骨干担任，是“双带头人”书记" in body and "50.0%" not in body
    assert "各党支部共开展“三会一课”4次、主题党日1次，平均参会率93.9%" in body  # 107/114
    assert "临床党支部第二季度至第四季度未召开支部党员大会" in body
    assert not re.search(r"(?<![0-9])0(次|名|/)", body)
    assert "接收预备党员1名，预备党员按期转正1名" in body
    assert "收缴党费1.50万元" in body
    assert "全年围绕这项任务" not in body and "这项任务" not in body
    # issue 14: the only sub-task with no outcome has only a lecture linked, a meeting that
    # organisational life counts; it is not the sub-task's work, so the sub-task is left out
    assert "参加党员31人次" not in body and "每月集中学习一次" not in body
    assert "门诊量35.6万人次，出院12000人次。" in body


def test_summary_branch_table(rendered) -> None:
    table = docx.Document(io.BytesIO(rendered["summary"])).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows][1:]
    # 三会一课 required in branch a: 4 general meetings + 12 committee + 12 group + 1 lecture = 29
    assert rows[:2] == [["临床党支部", "33", "4/29", "0/12", "95.1%"], ["离退休党支部", "12", "0/17", "1/12", "83.3%"]]


def test_report_has_recipient_and_countermeasures(rendered) -> None:
    paragraphs = styled(rendered["report"])
    assert paragraphs[0][1].replace("\n", "") == "测试医院党总支关于2024年党建工作情况的汇报"
    assert paragraphs[1] == ("Recipient", "测试市卫生健康委员会党委：")
    assert ("Heading 1", "五、对策建议") in paragraphs  # after 基本情况, 主要做法, 取得的成效, 存在问题
    assert ("Body Text", "一是完善学习制度。") in paragraphs and ("Body Text", "二是推进双融合。") in paragraphs
    assert ("Body Text", "测试医院是一所二级甲等医院，编制床位200张，现有职工300人。") in paragraphs


def test_same_input_gives_identical_bytes(minimal_year, rendered) -> None:
    for kind in KINDS:
        assert dangjian_docs.render(minimal_year, kind) == rendered[kind]
    fresh = dangjian_docs.validate(dangjian_docs.load(MINIMAL)).year
    assert dangjian_docs.render(fresh, "summary") == rendered["summary"]


def test_properties_come_from_the_data_not_the_clock(rendered) -> None:
    props = docx.Document(io.BytesIO(rendered["summary"])).core_properties
    assert props.author == "中共测试医院总支部委员会"
    assert props.title == "测试医院党总支2024年党建工作总结"
    assert props.created.date().isoformat() == "2024-12-20" == props.modified.date().isoformat()
    with zipfile.ZipFile(io.BytesIO(rendered["summary"])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2024, 12, 20, 0, 0, 0)}


def test_xml_special_characters_and_control_characters_in_data(tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "detail: 成立党建工作领导小组", 'detail: "成立<领导小组> & 办公室\\x07"')
    data = tmp_path / "x.yaml"
    data.write_text(text, encoding="utf-8")
    body = texts(dangjian_docs.render(data, "plan"))
    assert "成立<领导小组> & 办公室。" in body


def test_build_writes_each_kind_with_a_readable_name(tmp_path: Path) -> None:
    paths = dangjian_docs.build(MINIMAL, out_dir=tmp_path)
    assert sorted(p.name for p in paths) == sorted([
        "测试医院党总支2024年党建工作计划.docx", "测试医院党总支2024年党建工作总结.docx",
        "测试医院党总支关于2024年党建工作情况的汇报.docx", "测试医院党总支2024年“三会一课”台账.docx"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)  # no temp files left


def test_a_failing_kind_writes_nothing_and_keeps_the_good_file(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    out = tmp_path / "out"
    [good] = dangjian_docs.build(MINIMAL, ["plan"], out)
    before = good.read_bytes()
    broken = docx.Document(templates / "report.docx")
    broken.add_paragraph("{{ doc.nonexistent }}")
    broken.save(templates / "report.docx")
    broken = docx.Document(templates / "plan.docx")
    broken.add_paragraph("占比达XXX%")
    broken.save(templates / "plan.docx")
    with pytest.raises(DangjianError) as info:
        dangjian_docs.build(MINIMAL, KINDS, out, templates)
    found = {d.code for d in info.value.diagnostics}
    assert found == {"template-unknown-name", "placeholder-in-document"}  # named before rendering
    assert good.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [good.name]


def test_cli_build_refuses_invalid_data_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "bad.yaml"
    data.write_text(MINIMAL.read_text(encoding="utf-8").replace("present: 3, task: T1", "present: 4, task: T1"),
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(data), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "实到 4 人，多于应到 3 人" in result.output and "没有生成任何文件" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_cli_build_one_kind(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(MINIMAL), "--kind", "report", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["测试医院党总支关于2024年党建工作情况的汇报.docx"]


def year_without_plan(folder: Path) -> Path:
    """The small year with its plan (and the activities' links to plan tasks) taken out."""
    text = MINIMAL.read_text(encoding="utf-8")
    start, end = text.index("plan:\n"), text.index("activities:\n")
    data = folder / "noplan.yaml"
    data.write_text(text[:start] + text[end:].replace(", task: T1.1.1", "").replace(", task: T1.1", "")
                    .replace(", task: T1", ""), encoding="utf-8")
    return data


def test_plan_needs_a_plan(tmp_path: Path) -> None:
    data = year_without_plan(tmp_path)
    with pytest.raises(DangjianError) as info:
        dangjian_docs.render(data, "plan")
    assert info.value.diagnostics[0].code == "missing-section"
    assert "计划" in info.value.diagnostics[0].message
    assert texts(dangjian_docs.render(data, "summary"))  # the other kinds do without a plan


def test_unwritable_output_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    result = CliRunner().invoke(cli, ["build", str(MINIMAL), "-o", str(blocker / "docs")])
    assert result.exit_code == 1, result.output
    assert "无法写入" in result.output and "Traceback" not in result.output


def test_validate_accepts_a_path_or_plain_data() -> None:
    import yaml
    from_path = dangjian_docs.validate(MINIMAL)
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))  # dates become date objects here
    plain = dangjian_docs.validate(data)
    assert from_path.year is not None and plain.year == from_path.year
    data["activities"][0]["present"] = 99
    [error] = dangjian_docs.validate(data).errors
    assert (error.code, error.path, error.line) == ("attendance", "activities[0].present", None)


def test_unknown_kind_and_missing_template(minimal_year, tmp_path: Path) -> None:
    with pytest.raises(DangjianError) as info:
        dangjian_docs.render(minimal_year, "memo")
    assert info.value.diagnostics[0].code == "unknown-kind" and "plan" in info.value.diagnostics[0].hint
    with pytest.raises(DangjianError) as info:
        dangjian_docs.render(minimal_year, "plan", tmp_path / "nowhere.docx")
    assert info.value.diagnostics[0].code == "template-missing-file"


def test_write_failure_from_the_api_keeps_nothing_half_written(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(DangjianError) as info:
        dangjian_docs.build(MINIMAL, ["plan"], tmp_path / "file" / "out")
    [d] = info.value.diagnostics
    assert d.code == "write-failed" and "文件而不是文件夹" in d.message


def test_two_data_files_with_the_same_document_name_write_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(MINIMAL, data / name)
    result = CliRunner().invoke(cli, ["build", str(data), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "同名" in result.output
    assert not (tmp_path / "out").exists()


def test_plan_dates_outside_the_year_are_warned(tmp_path: Path) -> None:
    data = tmp_path / "x.yaml"
    data.write_text(MINIMAL.read_text(encoding="utf-8").replace("due: 2024-02-28", "due: 2025-02-28"), encoding="utf-8")
    [d] = [d for d in dangjian_docs.validate(data).warnings if d.code == "plan-date-out-of-year"]
    assert d.path == "plan.schedule[0].due" and "2025-02-28" in d.message


def test_cli_build_all_without_a_plan_says_what_is_missing(tmp_path: Path) -> None:
    data = year_without_plan(tmp_path)
    result = CliRunner().invoke(cli, ["build", str(data), "-o", str(tmp_path / "out")])
    # issue 6 item 7: --kind all builds what the data allows and says what it skipped
    assert result.exit_code == 0, result.output
    assert "不生成工作计划" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted([
        "测试医院党总支2024年党建工作总结.docx", "测试医院党总支关于2024年党建工作情况的汇报.docx",
        "测试医院党总支2024年“三会一课”台账.docx"])


def test_a_million_spaces_do_not_hang_the_conventions_or_the_build(tmp_path: Path) -> None:
    """Hang guard, not a timing test: the quadratic pattern took minutes on this (issue 10, item 4).

    Linear code finishes in well under a second; 20 s only tells a hang from a slow machine.
    """
    text = MINIMAL.read_text(encoding="utf-8")
    spaces = " " * 1_000_000
    data = tmp_path / "spaces.yaml"
    data.write_text(text.replace("  guiding_idea: |\n    以", f"  guiding_idea: |\n    以{spaces}(党)", 1),
                    encoding="utf-8")
    assert spaces in data.read_text(encoding="utf-8")
    script = (
        "import sys\n"
        "from dangjian_docs.domain.writing import full_width, paragraphs\n"
        "line = '党建' + ' ' * 1_000_000 + '(党)' + '\\t' * 1_000_000 + ',1'\n"
        "assert paragraphs(line) == [full_width(line.strip())]\n"
        "import dangjian_docs\n"
        "dangjian_docs.build(sys.argv[1], ['plan'], sys.argv[2])\n"
    )
    subprocess.run([sys.executable, "-c", script, str(data), str(tmp_path / "out")], check=True, timeout=20)
    assert len(list((tmp_path / "out").iterdir())) == 1


def test_a_run_of_open_brackets_does_not_hang_the_template_error_report() -> None:
    """Hang guard: a CDATA of a million ``<`` on the line of a template error took minutes to describe."""
    script = (
        "from dangjian_docs.rendering.engine import paragraph_at\n"
        "line = '<w:p><w:r><w:t><![CDATA[' + '<' * 1_000_000 + ']]></w:t></w:r></w:p>'\n"
        "print(len(paragraph_at(line, 1)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
