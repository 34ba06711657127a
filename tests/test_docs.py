"""The documentation cannot drift from the schema and the code.

* docs/data-reference.md is exactly what tools/gen_schema_docs.py makes of the schema;
* every property in the schema has a Chinese title and description, every enum Chinese labels;
* every key of the schema has a row in the reference;
* every diagnostic code in dangjian_docs/ is explained in docs/api.md, and no other code is.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "schemas" / "year.schema.json"
REFERENCE = ROOT / "docs" / "data-reference.md"
API_DOC = ROOT / "docs" / "api.md"
PACKAGE = ROOT / "dangjian_docs"

CJK = re.compile(r"[\u4e00-\u9fff]")
DEF_PREFIX = "#/$defs/"


def _generator() -> ModuleType:
    name = "gen_schema_docs"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "gen_schema_docs.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
    return sys.modules[name]


SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# -- walking the schema (independently of the generator) ----------------------------------------

def subschemas(node: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema in ``node`` (itself included), by JSON pointer, through the keywords that hold
    schemas; a property called ``properties`` or ``enum`` is not mistaken for a keyword."""
    if not isinstance(node, dict):
        return
    yield pointer, node
    for keyword in ("properties", "$defs", "patternProperties", "dependentSchemas"):
        for name, child in node.get(keyword, {}).items():
            yield from subschemas(child, f"{pointer}/{keyword}/{name}")
    for keyword in ("items", "additionalProperties", "contains", "not", "if", "then", "else"):
        yield from subschemas(node.get(keyword), f"{pointer}/{keyword}")
    for keyword in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for i, child in enumerate(node.get(keyword, [])):
            yield from subschemas(child, f"{pointer}/{keyword}/{i}")


def target(node: dict[str, Any]) -> dict[str, Any]:
    """The ``$defs`` entry a ``$ref`` points to (following chains), or ``{}``."""
    found: dict[str, Any] = {}
    seen = set()
    while isinstance(node.get("$ref"), str) and node["$ref"].startswith(DEF_PREFIX) \
            and node["$ref"] not in seen:
        seen.add(node["$ref"])
        node = found = SCHEMA["$defs"][node["$ref"][len(DEF_PREFIX):]]
    return found


def properties() -> list[tuple[str, str, dict[str, Any]]]:
    """(pointer, key, property schema) for every property anywhere in the schema."""
    return [(f"{pointer}/properties/{key}", key, prop)
            for pointer, node in subschemas(SCHEMA, "#")
            for key, prop in node.get("properties", {}).items()]


def objects() -> list[tuple[str, dict[str, Any]]]:
    return [(pointer, node) for pointer, node in subschemas(SCHEMA, "#") if node.get("properties")]


def enums() -> list[tuple[str, dict[str, Any]]]:
    return [(pointer, node) for pointer, node in subschemas(SCHEMA, "#") if "enum" in node]


def _own_or_target(prop: dict[str, Any], word: str) -> str:
    return str(prop.get(word) or target(prop).get(word) or "")


# -- the generated reference ------------------------------------------------------------------

def test_reference_is_up_to_date() -> None:
    expected = _generator().generate(SCHEMA)
    committed = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
    assert committed == expected, (
        "docs/data-reference.md 与 schemas/year.schema.json 不一致："
        "请运行 python tools/gen_schema_docs.py 重新生成并提交。")


def test_generator_is_deterministic() -> None:
    gen = _generator()
    assert gen.generate(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))) == gen.generate(SCHEMA)


def test_check_mode_passes_on_committed_file() -> None:
    assert _generator().main(["--check"]) == 0


@pytest.mark.parametrize(("pointer", "key", "prop"), properties(), ids=lambda v: v if isinstance(v, str) else "")
def test_property_has_chinese_title_and_description(pointer: str, key: str, prop: dict[str, Any]) -> None:
    title = _own_or_target(prop, "title")
    description = _own_or_target(prop, "description")
    assert CJK.search(title), f"{pointer}：缺少中文 title（名称），本身和 $ref 目标上都没有。"
    assert CJK.search(description), f"{pointer}：缺少中文 description（说明），本身和 $ref 目标上都没有。"


@pytest.mark.parametrize(("pointer", "node"), [pytest.param(p, n, id=p) for p, n in enums()])
def test_enum_has_chinese_labels(pointer: str, node: dict[str, Any]) -> None:
    values = [str(v) for v in node["enum"]]
    labels = node.get("x-enum-labels")
    descriptions = node.get("markdownEnumDescriptions")
    assert labels is not None or descriptions is not None, \
        f"{pointer}：enum 没有中文标签（x-enum-labels 或 markdownEnumDescriptions）。"
    if labels is not None:
        assert sorted(labels) == sorted(values), f"{pointer}：x-enum-labels 的键与 enum 的值不一一对应。"
        assert all(CJK.search(str(label)) for label in labels.values()), f"{pointer}：有的标签不是中文。"
    if descriptions is not None:
        assert len(descriptions) == len(values), \
            f"{pointer}：markdownEnumDescriptions 的项数与 enum 不同。"
        assert all(CJK.search(str(d)) for d in descriptions), f"{pointer}：有的说明不是中文。"
    if labels is not None and descriptions is not None:
        assert [labels[v] for v in values] == descriptions, \
            f"{pointer}：x-enum-labels 与 markdownEnumDescriptions 不一致（VS Code 与文档会显示不同的说明）。"


def _sections(markdown: str) -> dict[str, str]:
    """Second-level headings and the text under each."""
    parts = re.split(r"^## (.+)$", markdown, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@pytest.mark.parametrize(("pointer", "node"), objects(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_key_is_in_the_reference(pointer: str, node: dict[str, Any]) -> None:
    sections = _sections(_generator().generate(SCHEMA))
    title = str(node.get("title", ""))
    candidates = [text for heading, text in sections.items() if title and title in heading]
    assert candidates, f"{pointer}：参考文档中没有标题含“{title}”的一节。"
    missing = [key for key in node["properties"]
               if not any(f"| `{key}` |" in text for text in candidates)]
    assert not missing, f"{pointer}：参考文档“{title}”一节缺少这些键：{missing}"


def test_reference_mentions_every_enum_value() -> None:
    reference = _generator().generate(SCHEMA)
    missing = [(pointer, v) for pointer, node in enums() for v in node["enum"]
               if f"`{v}`" not in reference]
    assert not missing


def test_reference_links_resolve() -> None:
    reference = _generator().generate(SCHEMA)
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', reference))
    links = set(re.findall(r"\]\(#([^)]+)\)", reference))
    assert links <= anchors, f"没有目标的链接：{sorted(links - anchors)}"
    assert anchors <= links | {"top"}, f"没有被目录引用的小节：{sorted(anchors - links)}"


# -- diagnostic codes in docs/api.md ------------------------------------------------------------
#
# How codes are found. A diagnostic code is whatever is passed as the parameter named ``code``:
# the ``code`` field of the ``Diagnostic`` dataclass, or the ``code`` parameter of any function
# or method in the package (``self.add(E, "compliance", …)``, ``at("unknown-key", …)``,
# ``_error(file, "encoding", …)``, ``self._error("merge-key", …)`` …). The test parses the
# package with ``ast``, finds every function that has such a parameter and every call to it, and
# reads the argument in that position (or ``code=``). So a new helper or a new code is picked up
# without anyone listing it here, and strings that merely look like codes are not. A code passed
# on unchanged (``Diagnostic(severity, code, …)`` inside a helper) is skipped; a code that is
# neither a literal nor passed on (computed, say) fails the test, because then nobody could check
# that it is documented.

def _callee(call: ast.Call) -> tuple[str, str] | None:
    if isinstance(call.func, ast.Name):
        return "name", call.func.id
    if isinstance(call.func, ast.Attribute):
        return "attribute", call.func.attr
    return None


def _code_sinks(trees: dict[Path, ast.Module]) -> dict[tuple[str, str], set[int]]:
    """(call form, name) → positions of the ``code`` argument in calls of that form."""
    sinks: dict[tuple[str, str], set[int]] = {}

    def add(form: str, name: str, position: int) -> None:
        sinks.setdefault((form, name), set()).add(position)

    for tree in trees.values():
        methods: set[ast.AST] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                fields = [s.target.id for s in node.body
                          if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
                made = [ast.unparse(d) for d in node.decorator_list] + [ast.unparse(b) for b in node.bases]
                if "code" in fields and any("dataclass" in m or m == "Record" for m in made):  # record.Record too
                    for form in ("name", "attribute"):  # Diagnostic(…) or diagnostics.Diagnostic(…)
                        add(form, node.name, fields.index("code"))
                methods.update(s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            params = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
            if "code" not in params:
                continue
            if node in methods and params[0] in ("self", "cls"):
                add("attribute", node.name, params.index("code") - 1)
            else:
                add("name", node.name, params.index("code"))
    return sinks


def _module_constants(tree: ast.Module) -> dict[str, str]:
    return {t.id: s.value.value for s in tree.body if isinstance(s, ast.Assign)
            and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str)
            for t in s.targets if isinstance(t, ast.Name)}


def source_codes() -> tuple[dict[str, list[str]], list[str]]:
    """Codes found in the package (code → where) and the places whose code cannot be read."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in sorted(PACKAGE.rglob("*.py"))}
    sinks = _code_sinks(trees)
    found: dict[str, list[str]] = {}
    unreadable: list[str] = []
    for path, tree in trees.items():
        constants = _module_constants(tree)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or _callee(call) not in sinks:
                continue
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            arguments = [kw.value for kw in call.keywords if kw.arg == "code"]
            for position in sinks[_callee(call)]:  # type: ignore[index]
                if any(isinstance(a, ast.Starred) for a in call.args[:position + 1]):
                    unreadable.append(where)
                elif position < len(call.args):
                    arguments.append(call.args[position])
            for argument in arguments:
                options = [argument.body, argument.orelse] if isinstance(argument, ast.IfExp) else [argument]
                for option in options:
                    if isinstance(option, ast.Constant) and isinstance(option.value, str):
                        found.setdefault(option.value, []).append(where)
                    elif isinstance(option, ast.Name) and option.id in constants:
                        found.setdefault(constants[option.id], []).append(where)
                    elif not (isinstance(option, ast.Name) and option.id == "code"):
                        unreadable.append(f"{where}（{ast.unparse(option)}）")
    return found, unreadable


def documented_codes() -> list[str]:
    """Codes in the first column of the tables under “诊断代码” in docs/api.md."""
    text = API_DOC.read_text(encoding="utf-8")
    start = text.index("## 诊断代码")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end != -1 else None]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)


def test_code_extraction_finds_codes() -> None:
    """Guards the extraction itself: if it silently found nothing, the next test would pass."""
    found, _ = source_codes()
    assert len(found) >= 20
    assert {"yaml-syntax", "encoding", "unknown-key", "compliance", "duplicate-key"} <= set(found)


def test_every_code_is_a_readable_literal() -> None:
    _, unreadable = source_codes()
    assert not unreadable, f"这些地方的诊断代码不是字面字符串，无法核对文档：{unreadable}"


def test_every_code_is_documented() -> None:
    found, _ = source_codes()
    documented = set(documented_codes())
    missing = {code: where for code, where in found.items() if code not in documented}
    assert not missing, f"docs/api.md 的“诊断代码”表缺少这些代码（代码 → 出现位置）：{missing}"


def test_no_stale_or_repeated_codes_in_docs() -> None:
    found, _ = source_codes()
    listed = documented_codes()
    assert len(listed) == len(set(listed)), "docs/api.md 的诊断代码表中有重复的行。"
    stale = sorted(set(listed) - set(found))
    assert not stale, f"docs/api.md 列出了源代码中已不存在的诊断代码：{stale}"


@pytest.mark.parametrize("level", [1, 2, 3])
def test_each_task_level_names_the_number_the_plan_gives_it(level: int) -> None:
    """主要任务 is 三、 in the plan, so a first-level task is （一）, then 1., then （1）."""
    from dangjian_docs.domain.numbering import section_number

    described = SCHEMA["$defs"][f"task{level}"]["description"]
    shown = section_number(level + 1, 1).rstrip("、")
    assert shown in described
    others = {section_number(n, 1).rstrip("、") for n in (2, 3, 4)} - {shown}
    assert not any(f"编号为{o}" in described or f"编号为 {o}" in described for o in others)
