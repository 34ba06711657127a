"""What the editor (yaml-language-server over schemas/year.schema.json) can tell a clerk, and that the
words it shows stay Chinese while the tool's own diagnostics stay what they were.

yaml-language-server reads ``errorMessage``/``patternErrorMessage`` (Chinese words instead of its
English ones), ``examples`` and ``defaultSnippets`` (completion); jsonschema ignores them, so they
must neither break the schema nor change what ``dangjian-docs validate`` says.
"""

from __future__ import annotations

import datetime as dt
import json
import re
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
