"""The one kind protocol: a kind written once for each branch yields one document a branch,
each named, titled and checked on its own (issue 14 item 5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import dangjian_docs
from dangjian_docs.api import file_name_problems
from dangjian_docs.documents import KIND_NAMES, KINDS, planned
from dangjian_docs.documents.base import DocumentKind
from dangjian_docs.model import YearData

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "binjiang-2025.yaml"


@pytest.fixture(scope="module")
def year() -> YearData:
    result = dangjian_docs.validate(SAMPLE)
    assert result.year is not None
    return result.year


def per_branch(title: str = "{branch}2025年工作计划") -> DocumentKind:
    return DocumentKind(
        "per-branch", "支部工作计划", "branch_plan", fan_out=lambda year: [b.name for b in year.branches],
        default_title=lambda year, subject: title.format(branch=subject))


def test_a_kind_written_for_each_branch_makes_one_document_a_branch(year: YearData) -> None:
    made = planned(year, [per_branch()])
    branches = [b.name for b in year.branches]
    assert len(branches) > 1
    assert [m.subject for m in made] == branches
    assert [m.id for m in made] == [f"per-branch/{b}" for b in branches]
    assert made[0].title == f"{branches[0]}2025年工作计划"
    assert made[0].label == f"支部工作计划（{branches[0]}）"


def test_two_branch_documents_with_one_file_name_are_refused_before_anything_is_written(year: YearData) -> None:
    problems = file_name_problems(year, [per_branch("同一个标题")])
    assert problems and {p.code for p in problems} == {"name-clash"}
    assert all("支部工作计划（" in p.message and "覆盖" in p.message for p in problems)


def test_the_kinds_of_the_sample_are_the_registry_in_order(year: YearData) -> None:
    made = dangjian_docs.outputs(year)
    assert list(dict.fromkeys(m.kind.name for m in made)) == [k for k in KIND_NAMES if KINDS[k].can_build(year)]
    assert all(m.subject == "" and m.id == m.kind.name for m in made if KINDS[m.kind.name].fan_out is None)


def test_rendering_a_subject_the_kind_does_not_have_is_a_clear_error(year: YearData) -> None:
    with pytest.raises(dangjian_docs.DangjianError) as caught:
        dangjian_docs.render(year, "plan", subject="没有这个支部")
    [problem] = caught.value.diagnostics
    assert problem.code == "unknown-kind" and "没有这个支部" in problem.message


def test_listing_the_kinds_imports_no_kind_module() -> None:
    code = ("import sys; from dangjian_docs.documents import KIND_NAMES; "
            "print(any(m.startswith('dangjian_docs.documents.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


VALIDATE = """
import sys
from dangjian_docs.cli import main
sys.argv = ["dangjian-docs", "validate", sys.argv[1]]
try:
    main()
except SystemExit:
    pass
print("\\n".join(sorted(sys.modules)), file=sys.stderr)
"""
"""Runs ``dangjian-docs validate FILE`` as the command does, then lists every module it imported."""

NEVER_FOR_VALIDATE = ("docx", "docxtpl", "lxml", "jinja2", "PIL", "opencc", "rjieba", "jsonschema",
                      "dangjian_docs.rendering.engine", "dangjian_docs.documents.phrases",
                      "dangjian_docs.documents.outline", "dangjian_docs.documents.pictures", "dangjian_docs.images",
                      "dangjian_docs.documents.rollup", "dangjian_docs.region.model", "dangjian_docs.region.validation",
                      "dangjian_docs.loading.sheets", "dangjian_docs.loading.flow_lines", "shutil", "tempfile",
                      "difflib", "traceback")
"""What writes a document (Word, templates, traditional script, the title segmenter, pictures), the
pure-Python schema validator (jsonschema-rs checks the data), the roll-up's code and, for a file
without an activity spreadsheet, the spreadsheet readers; and what only writing files (shutil,
tempfile), suggesting a misspelt key (difflib), reading a flow line YAML cut short (flow_lines)
or reporting a fault (traceback) needs."""


@pytest.mark.parametrize("data", [SAMPLE, SAMPLE.parents[1] / "tests" / "data" / "minimal.yaml"], ids=lambda p: p.name)
def test_validate_imports_no_code_that_writes_documents(data: Path) -> None:
    """``validate`` checks every kind's titles from the kinds' declarations (documents/kinds/):
    no kind's writer, nothing that renders, so that checking a file starts fast (issue 18)."""
    done = subprocess.run([sys.executable, "-c", VALIDATE, str(data)], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(SAMPLE.parents[1])})
    modules = set(done.stderr.split())
    assert "dangjian_docs.validation" in modules and "dangjian_docs.documents.kinds.plan" in modules
    writers = {f"dangjian_docs.documents.{KINDS[k].writer}" for k in KIND_NAMES}
    assert len(writers) == len(KIND_NAMES)
    loaded = sorted(m for m in modules if m in writers or m.split(".")[0] in NEVER_FOR_VALIDATE
                    or m in NEVER_FOR_VALIDATE)
    assert loaded == []
