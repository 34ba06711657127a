"""What the editor (yaml-language-server over schemas/year.schema.json) can tell a clerk, and that the
words it shows stay Chinese while the tool's own diagnostics stay what they were.

yaml-language-server reads ``errorMessage``/``patternErrorMessage`` (Chinese words instead of its
English ones), ``examples`` and ``defaultSnippets`` (completion); jsonschema ignores them, so they
must neither break the schema nor change what ``dangjian-docs validate`` says.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import minimal_text, validate_text

from dangjian_docs.loading import load_text
from dangjian_docs.validation.schema_check import _translate

ROOT = Path(__file__).resolve().parent.parent
SCHEMA: dict[str, Any] = json.loads((ROOT / "schemas" / "year.schema.json").read_text(encoding="utf-8"))
CJK = re.compile(r"[\u4e00-\u9fff]")
DATE = SCHEMA["$defs"]["date"]


def walk(node: Any, pointer: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping in the schema with its JSON pointer (schemas and the values they hold alike)."""
    if isinstance(node, dict):
        yield pointer, node
        for key, child in node.items():
            yield from walk(child, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from walk(child, f"{pointer}/{i}")


def planted(old: str, new: str) -> list:
    text = minimal_text()
    assert old in text, old
    return validate_text(text.replace(old, new, 1)).diagnostics


# -- the schema itself ----------------------------------------------------------------------------

def test_schema_is_valid_draft_2020_12() -> None:
    """The editor refuses a schema its meta-schema refuses (and then shows nothing at all)."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_editor_messages_are_chinese() -> None:
    messages = [(f"{pointer}/{key}", node[key]) for pointer, node in walk(SCHEMA)
                for key in ("errorMessage", "patternErrorMessage") if key in node]
    assert len(messages) >= 8, "the editor shows English for type errors and patterns without these"
    not_chinese = [pointer for pointer, text in messages if not (isinstance(text, str) and CJK.search(text))]
    assert not not_chinese, f"不是中文的编辑器提示：{not_chinese}"


def test_ids_show_words_not_the_regex() -> None:
    words = SCHEMA["$defs"]["id"]["patternErrorMessage"]
    assert "neike1" in words and "^" not in words and "[" not in words


# -- the calendar-aware date pattern ------------------------------------------------------------

def _days(year: int) -> Iterator[str]:
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day.isoformat()
        day += dt.timedelta(days=1)


def test_date_keeps_its_format() -> None:
    assert DATE["format"] == "date" and DATE["type"] == "string"


@pytest.mark.parametrize("year", [2024, 2025])
def test_date_pattern_accepts_every_real_day(year: int) -> None:
    pattern = re.compile(DATE["pattern"])
    days = list(_days(year))
    assert len(days) == (366 if year == 2024 else 365)
    assert [d for d in days if not pattern.search(d)] == []


@pytest.mark.parametrize("text", ["2025-02-29", "2025-04-31", "2024-13-01", "2025-02-30", "2025-06-31",
                                  "2025-00-10", "2025-01-00", "2025-01-32", "1900-02-29", "2025-4-17",
                                  "2025/04/17", "25-04-17", "2025-04-17 ", "２０２５-04-17"])
def test_date_pattern_refuses_impossible_days(text: str) -> None:
    assert not re.search(DATE["pattern"], text)


def test_date_pattern_knows_leap_years() -> None:
    pattern = re.compile(DATE["pattern"])
    for year in range(1896, 2105):
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        assert bool(pattern.search(f"{year}-02-29")) is leap, year


def test_the_pattern_is_what_the_editor_compiles() -> None:
    """yaml-language-server compiles patterns as JavaScript ``u`` regexes: no Python-only syntax."""
    assert not re.search(r"\(\?[P<=!]|\\[dwsAZ]", DATE["pattern"])


# -- the tool's diagnostics for pattern failures ------------------------------------------------

def test_impossible_date_is_one_bad_date() -> None:
    diagnostics = planted("    committee_elected: 2023-03-01", "    committee_elected: 2023-02-29")
    assert [(d.code, d.path) for d in diagnostics if d.severity.name == "ERROR"] == \
        [("bad-date", "branches[0].committee_elected")]


def test_bad_id_is_bad_id() -> None:
    diagnostics = planted("  - id: a\n", "  - id: 临床\n")
    assert "bad-id" in [d.code for d in diagnostics]
    assert "bad-date" not in [d.code for d in diagnostics]


def test_other_patterns_get_their_own_code_and_words() -> None:
    """A pattern that is neither a date nor an id is not called a bad id; its own Chinese words are the hint."""
    root = {"$defs": SCHEMA["$defs"], "type": "object", "properties": {
        "phone": {"title": "电话", "type": "string", "pattern": "^[0-9-]+$",
                  "patternErrorMessage": "电话只写数字和连字符。"},
        "when": {"$ref": "#/$defs/date", "title": "日期"},
        "code": {"$ref": "#/$defs/id", "title": "代号"}}}
    source = load_text("phone: 电话号码\nwhen: 2025-02-29\ncode: 中文\n")
    validator = jsonschema.Draft202012Validator(root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    found = {(d.code, d.path, d.hint) for error in validator.iter_errors(source.data)
             for d in _translate(source, error, root)}
    by_path = {path: (code, hint) for code, path, hint in found}
    assert by_path["phone"] == ("bad-value", "电话只写数字和连字符。")
    assert by_path["when"][0] == "bad-date"
    assert by_path["code"][0] == "bad-id"
    assert len(found) == 3  # the date's format and pattern failures are one diagnostic


# -- members and roster -------------------------------------------------------------------------

def _editor_problems_for_both(schema: dict[str, Any], branch: dict[str, Any]) -> list[jsonschema.ValidationError]:
    return list(jsonschema.Draft202012Validator(schema).iter_errors(branch))


def test_members_with_roster_is_ruled_out_by_a_type_the_editor_words_in_chinese() -> None:
    """yaml-language-server shows ``errorMessage`` for a failed ``type`` but says "Matches multiple
    schemas" for ``oneOf`` and "Matches a schema that is not allowed" for ``not``: the rule must fail
    on a ``type`` whose ``errorMessage`` is Chinese."""
    branch = SCHEMA["$defs"]["branch"]
    assert "oneOf" not in branch and "not" not in branch
    root = {"$defs": SCHEMA["$defs"], "$ref": "#/$defs/branch"}
    both = {"id": "a", "name": "甲党支部", "kind": "在职", "members": {"full": 1, "probationary": 0},
            "roster": [{"name": "张三", "gender": "男", "birth_date": "1980-01-01", "status": "正式党员",
                        "education": "大学本科"}]}
    errors = _editor_problems_for_both(root, both)
    assert [(e.validator, list(e.absolute_path)) for e in errors] == [("type", ["members"])]
    assert CJK.search(errors[0].schema["errorMessage"]) and "roster" in errors[0].schema["errorMessage"]
    for only in ("members", "roster"):
        assert _editor_problems_for_both(root, {k: v for k, v in both.items() if k != only}) == []
    assert _editor_problems_for_both(root, {k: v for k, v in both.items() if k not in ("members", "roster")}) == []


def test_members_with_roster_is_still_one_both_members_at_the_branch() -> None:
    diagnostics = planted("    secretary: 赵六\n", "    secretary: 赵六\n    members: {full: 1, probationary: 0}\n")
    errors = [(d.code, d.path) for d in diagnostics if d.severity.name == "ERROR"]
    assert errors == [("both-members", "branches[1]")]


# -- activity types -----------------------------------------------------------------------------

def _year_data(text: str) -> Any:
    return load_text(text).data


def _editor_errors(data: Any) -> list[jsonschema.ValidationError]:
    return list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))


def test_standard_types_are_the_tools() -> None:
    from dangjian_docs.domain.rules import STANDARD_TYPES

    standard = SCHEMA["$defs"]["standard_activity_type"]
    offered = SCHEMA["$defs"]["activity"]["properties"]["type"]["anyOf"][0]
    assert standard["enum"] == offered["enum"] and sorted(standard["enum"]) == sorted(STANDARD_TYPES)
    assert standard["x-enum-labels"] == offered["x-enum-labels"]


@pytest.mark.parametrize(("old", "new", "path"), [
    ("type: 支部委员会, branch: a, topic: 研究1月工作", "type: 支委会议, branch: a, topic: 研究1月工作",
     ["activities", 0, "type"]),
    ("activities:\n", "activity_counts:\n  - {type: 支委会议, count: 3}\nactivities:\n",
     ["activity_counts", 0, "type"]),
    ("activities:\n", "rules:\n  - {activity: 支委会议, period: month, min: 1}\nactivities:\n",
     ["rules", 0, "activity"]),
])
def test_editor_marks_an_unknown_type_when_no_custom_types_are_listed(old: str, new: str, path: list) -> None:
    text = minimal_text()
    assert old in text and "activity_types" not in text
    errors = _editor_errors(_year_data(text.replace(old, new, 1)))
    marked = [e for e in errors if list(e.absolute_path) == path]
    assert [e.validator for e in marked] == ["enum"]
    assert CJK.search(marked[0].schema["errorMessage"]) and "activity_types" in marked[0].schema["errorMessage"]
    # the tool says it once, in the cross-check's words (with its suggestion), not as a schema error
    diagnostics = validate_text(text.replace(old, new, 1)).diagnostics
    assert [d.code for d in diagnostics if d.severity.name == "ERROR"] == ["unknown-type"]


def test_listed_custom_types_stay_valid_for_editor_and_tool() -> None:
    old = "type: 支部委员会, branch: a, topic: 研究1月工作"
    text = minimal_text().replace(old, "type: 支部书记讲评, branch: a, topic: 研究1月工作", 1)
    text = text.replace("activities:\n", "activity_types: [支部书记讲评]\nactivities:\n", 1)
    assert _editor_errors(_year_data(text)) == []
    assert validate_text(text).errors == []


def test_misspelt_type_without_custom_list_is_still_refused_by_the_tool() -> None:
    """The schema-level rule is skipped by the tool only because the cross-check reports it."""
    text = minimal_text().replace("type: 支部委员会, branch: a", "type: 支委会, branch: a", 1)
    (diagnostic,) = validate_text(text).errors
    assert diagnostic.code == "unknown-type" and diagnostic.path == "activities[0].type"


# -- completion: examples and the activity snippet ----------------------------------------------

SNIPPET_FIELD = re.compile(r"\$\{(\d+)(?::([^}]*)|\|([^|]*)\|)\}")


def _fill(body: str, values: dict[int, str] | None = None) -> str:
    """A snippet as VS Code fills it: each field takes the given value, else its default or first choice."""
    def value(match: re.Match[str]) -> str:
        number, default, choices = int(match.group(1)), match.group(2), match.group(3)
        if values and number in values:
            return values[number]
        return default if default is not None else choices.split(",")[0]
    return SNIPPET_FIELD.sub(value, body)


def test_activity_snippet_is_one_line_with_date_type_branch_topic() -> None:
    (snippet,) = SCHEMA["$defs"]["activity"]["defaultSnippets"]
    body = snippet["bodyText"]
    assert "\n" not in body and CJK.search(snippet["label"]) and CJK.search(snippet["description"])
    filled = load_text(_fill(body)).data
    assert list(filled) == ["date", "type", "branch", "topic"]
    choices = SNIPPET_FIELD.search(body.split("type: ", 1)[1]).group(3).split(",")  # type: ignore[union-attr]
    assert choices == SCHEMA["$defs"]["standard_activity_type"]["enum"]


def test_activity_snippet_validates_when_filled_in() -> None:
    (snippet,) = SCHEMA["$defs"]["activity"]["defaultSnippets"]
    item = load_text(_fill(snippet["bodyText"])).data
    activity = {"$defs": SCHEMA["$defs"], "$ref": "#/$defs/activity"}
    validator = jsonschema.Draft202012Validator(activity, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(item)) == []
    # and in a real year, with each standard type the choice offers, the tool accepts it
    for kind in SCHEMA["$defs"]["standard_activity_type"]["enum"]:
        line = _fill(snippet["bodyText"], {1: "2024-04-17", 2: kind, 3: "a"})
        text = minimal_text().replace("activities:\n", f"activities:\n  - {line}\n", 1)
        errors = [(d.code, d.message) for d in validate_text(text).errors]
        assert errors == [], (kind, errors)


@pytest.mark.parametrize("name", ["date", "id"])
def test_examples_are_valid_values(name: str) -> None:
    node = SCHEMA["$defs"][name]
    root = {"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{name}"}
    validator = jsonschema.Draft202012Validator(root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert node["examples"] and all(validator.is_valid(example) for example in node["examples"])


# -- type and choice errors in Chinese ----------------------------------------------------------

def _leaf_values() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema for a value typed by hand into a fixed form: a choice, a yes/no, a number, a date, an id."""
    for pointer, node in walk(SCHEMA):
        if "/x-enum-labels" in pointer or "/anyOf/" in pointer or "$ref" in node:
            continue  # a label; an alternative the free text makes always valid; a target checked where defined
        fixed = "enum" in node or node.get("type") in ("boolean", "integer", "number") or "pattern" in node
        is_value = "/properties/" in pointer or pointer.endswith("/items") or pointer.count("/") == 2
        if fixed and is_value and pointer != "#/$schema":
            yield pointer, node


def test_type_and_choice_errors_have_chinese_words() -> None:
    """yaml-language-server's own words for these are English whatever the display language
    ('Incorrect type. Expected "integer".'); an ``errorMessage`` replaces them."""
    leaves = dict(_leaf_values())
    assert len(leaves) >= 25
    missing = [pointer for pointer, node in leaves.items() if not CJK.search(str(node.get("errorMessage", "")))]
    assert not missing, f"没有中文 errorMessage：{missing}"


@pytest.mark.parametrize(("name", "count"), [("date", 2), ("id", 2)])
def test_pattern_words_come_with_type_words(name: str, count: int) -> None:
    node = SCHEMA["$defs"][name]
    assert sum(CJK.search(node.get(k, "")) is not None for k in ("errorMessage", "patternErrorMessage")) == count


# -- docs/vscode.md quotes the editor's words as they are -----------------------------------------

def test_vscode_doc_quotes_the_schemas_words() -> None:
    doc = (ROOT / "docs" / "vscode.md").read_text(encoding="utf-8")
    words = {node[k] for _, node in walk(SCHEMA) for k in ("errorMessage", "patternErrorMessage") if k in node}
    section = doc.split("### 波浪线", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("| ").split(" | ")[1] for line in section.splitlines()
            if line.startswith("| ") and not line.startswith(("| 写成这样", "| ---"))]
    assert len(rows) >= 6
    quoted = [re.sub(r"（(每个|标在).*）$", "", row) for row in rows]
    assert [q for q in quoted if q not in words] == []


# -- the real editor, when it is at hand ---------------------------------------------------------

YLS = os.environ.get("DANGJIAN_YLS") or str(ROOT / ".venv" / "editor" / "node_modules")
"""A node_modules folder holding yaml-language-server; tools/bootstrap.sh installs it here."""


def _editor(files: list[Path]) -> dict[str, list[dict[str, Any]]]:
    """What yaml-language-server marks in each file (tools/editor_check.js), by file name."""
    run = subprocess.run(["node", str(ROOT / "tools" / "editor_check.js"), *map(str, files)], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "NODE_PATH": YLS}, check=True)
    return {Path(r["file"]).name: r["diagnostics"] for r in json.loads(run.stdout)}


def test_the_editor_marks_the_broken_samples_in_chinese_where_the_tool_does() -> None:
    if not (shutil.which("node") and (Path(YLS) / "yaml-language-server").is_dir()):
        pytest.fail("Node.js and yaml-language-server are needed: run `bash tools/bootstrap.sh` first")
    broken = ROOT / "samples" / "broken"
    same_place = {"wrong-type.yaml": (9, 10), "bad-enum.yaml": (13, 11), "invalid-date.yaml": (27, 12),
                  "unknown-type.yaml": (27, 30)}  # as tests/test_samples.py has them for the tool
    results = _editor([broken / f for f in [*sorted(same_place), "members-and-roster.yaml"]])
    for name, place in same_place.items():
        assert [(d["line"], d["column"]) for d in results[name]] == [place], name
        assert CJK.search(results[name][0]["message"]), name
    (both,) = results["members-and-roster.yaml"]
    assert "members" in both["message"] and CJK.search(both["message"])
    assert _editor([ROOT / "samples" / "binjiang-2025.yaml"]) == {"binjiang-2025.yaml": []}


def test_standard_type_rule_repeats_the_words_of_what_it_narrows() -> None:
    """The editor may show the root's ``then`` titles beside the originals on hover: they must be the same."""
    assert SCHEMA["if"] == {"not": {"required": ["activity_types"]}}
    for key, narrowed in SCHEMA["then"]["properties"].items():
        original = SCHEMA["properties"][key]
        assert (narrowed["title"], narrowed["description"]) == (original["title"], original["description"]), key
        target = SCHEMA["$defs"][original["items"]["$ref"].rsplit("/", 1)[1]]
        items = narrowed["items"]
        assert (items["title"], items["description"]) == (target["title"], target["description"]), key
        assert set(items["properties"]) <= set(target["properties"]), key


# -- the region file's schema -------------------------------------------------------------------

REGION: dict[str, Any] = json.loads((ROOT / "schemas" / "region.schema.json").read_text(encoding="utf-8"))


def test_region_choices_have_chinese_words_naming_every_option() -> None:
    """yaml-language-server said "Value is not accepted" for a wrong 单位类别; ``errorMessage`` is shown instead."""
    choices = [(pointer, node) for pointer, node in walk(REGION)
               if isinstance(node.get("enum"), list) and "/x-enum-labels" not in pointer]
    assert len(choices) >= 4
    for pointer, node in choices:
        words = node.get("errorMessage", "")
        assert CJK.search(words) and "只能填：" in words, pointer
        assert all(str(option) in words for option in node["enum"]), pointer
    jsonschema.Draft202012Validator.check_schema(REGION)


def test_vscode_doc_says_how_to_get_the_editors_own_words_in_chinese() -> None:
    doc = (ROOT / "docs" / "vscode.md").read_text(encoding="utf-8")
    assert "Configure Display Language" in doc and "code --locale=zh-cn" in doc
    assert "值低于最小值 0。" in doc and "不被允许" in doc
    assert "单位类别只能填：公立医院、乡镇卫生院、社区卫生服务中心、其他医疗卫生机构。" in doc
    assert REGION["$defs"]["institution"]["properties"]["type"]["errorMessage"] in doc
