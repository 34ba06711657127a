"""libyaml and PyYAML's pure-Python parser read a data file alike: the same values, positions,
diagnostics and, built from them, the same document bytes.

The loader composes with libyaml where PyYAML has it and falls back to Python where it does not
(see ``loading/yaml_tree.py``); a user must not be able to tell which one ran.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import ROOT

import dangjian_docs
from dangjian_docs.api import document_title
from dangjian_docs.loading import SourceMap, yaml_tree

LOADERS = {"libyaml": yaml_tree.LibyamlLoader, "python": yaml_tree.PureLoader}
DATA = [ROOT / "samples" / "binjiang-2025.yaml", *sorted((ROOT / "tests" / "data").glob("*.yaml"))]
BROKEN = sorted((ROOT / "samples" / "broken").glob("*.yaml"))
KINDS = ("plan", "summary", "report")


def test_libyaml_is_what_runs_here() -> None:
    """The fast path is the one measured and shipped: PyYAML's wheels bundle libyaml."""
    assert yaml_tree._Loader is yaml_tree.LibyamlLoader


def read_with(loader: str, path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    """What a user sees of ``path`` read with ``loader``: each document's digest, or the diagnostics."""
    monkeypatch.setattr(yaml_tree, "_Loader", LOADERS[loader])
    result = dangjian_docs.validate(path)
    said = tuple((d.code, d.line, d.column, d.path, d.message) for d in result.diagnostics + result.notes)
    if result.year is None:
        return said
    built = tuple(hashlib.sha256(dangjian_docs.render(result.year, kind)).hexdigest()
                  for kind in KINDS if document_title(result.year, kind) is not None)
    return said, built


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.name)
def test_documents_are_byte_identical_with_either_loader(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = read_with("libyaml", path, monkeypatch)
    slow = read_with("python", path, monkeypatch)
    assert fast == slow
    if path.parent.name == "samples":
        assert len(fast[1]) == 3, "the sample builds every kind"  # type: ignore[arg-type]


def test_broken_files_are_reported_alike_with_either_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    for path in BROKEN:
        fast = read_with("libyaml", path, monkeypatch)
        slow = read_with("python", path, monkeypatch)
        assert fast == slow, path.name


def test_positions_are_the_same_with_either_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value's and key's line and column, flow and block style, aliases and CJK text."""
    texts = [path.read_text("utf-8") for path in DATA]
    texts.append("a: &x {名称: 支部, n: [1, 2, {b: 三}]}\nb: *x\nc: |\n  多行\n  文字\nd: '单引号'\n")
    for text in texts:
        read = {}
        for name, loader in LOADERS.items():
            monkeypatch.setattr(yaml_tree, "_Loader", loader)
            value, positions, diagnostics = yaml_tree.parse(text, "t.yaml")
            read[name] = value, positions.values, positions.keys, diagnostics
        assert read["libyaml"] == read["python"]
        assert read["libyaml"][1]  # positions were recorded at all


def test_positions_found_on_demand_are_the_ones_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading keeps marks and makes a position only when a diagnostic asks (``locate``); asked
    of every path it must say what the full lists of positions say, with either loader,
    including for paths nothing was written at (the nearest ancestor's) and after an alias."""
    texts = [path.read_text("utf-8") for path in DATA]
    texts.append("a: &x {名称: 支部, n: [1, 2, {b: 三}]}\nb: *x\nc: [*x, {d: 1}]\n")
    for text in texts:
        for loader in LOADERS.values():
            monkeypatch.setattr(yaml_tree, "_Loader", loader)
            _, on_demand, _ = yaml_tree.parse(text, "t.yaml")
            _, listed, _ = yaml_tree.parse(text, "t.yaml")
            listed = SourceMap(dict(listed.values), dict(listed.keys))
            paths = {*listed.values, *listed.keys}
            asked = [*paths, *((*p, "未写的键") for p in paths), *((*p, 10_000) for p in paths), (-1,), ("未写",)]
            for path in asked:
                for key in (False, True):
                    assert on_demand.locate(path, key=key) == listed.locate(path, key=key), (path, key)
            assert on_demand.values == listed.values and on_demand.keys == listed.keys


def test_the_value_limit_is_said_alike_with_either_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading stops past the limit, whether from events or (after a tag) composed; the value
    past it is named, before a syntax error after it but not before one ahead of it, with
    either loader."""
    monkeypatch.setattr(yaml_tree, "MAX_VALUES", 1000)
    many = "a: [" + ", ".join(["1"] * 600) + "]\nb:\n" + "".join(f"  - {i}\n" for i in range(600))
    cases = {many: ("too-many-values", 398, 5), many + "c: [1, 2\n": ("too-many-values", 398, 5),
             "c: [1, 2\n" + many: ("yaml-syntax", 2, 2), "t: !!str x\n" + many: ("too-many-values", 397, 5)}
    for text, expected in cases.items():
        said = {}
        for name, loader in LOADERS.items():
            monkeypatch.setattr(yaml_tree, "_Loader", loader)
            _, _, diagnostics = yaml_tree.parse(text, "t.yaml")
            said[name] = [(d.code, d.line, d.column) for d in diagnostics]
        assert said["libyaml"] == said["python"], text[:20]
        assert said["libyaml"][0][0] == expected[0] and said["libyaml"][0][1:] == expected[1:], said


UNUSUAL = [  # what the event reader leaves to the composer, each with its own message or value
    "a: 1\na: 2\n",  # a duplicate key
    "- {topic: 研究发展党员工作, 讨论发展对象}\n", "b: {x: 1, y: }\n",  # text a comma may have cut in { }
    "a: !!python/object:os.system x\n", "a: !!str 12\n", "a: ! 12\n",  # tags
    "a: &x 1\nb: &x 2\n", "a: &x [1]\nb: *x\n",  # anchors (the composer checks them) and aliases
    "? [1, 2]\n: x\n", "<<: {a: 1}\n", "2025-01-01: x\n", "a: =\n",  # keys and values refused
    "a: 1\n---\nb: 2\n", "", "# 只有注释\n", "文字\n",  # documents
    "a: [1, 2\n", "a:\n\tb: 1\n",  # syntax errors
    "[" * 101 + "]" * 101 + "\n", "x: " + "[" * 100 + "]" * 100 + "\n",  # nesting past the limit
]
PLAIN = [
    "a: 1\nb: [0x1F, 017, 1_000, +5, 1.5, .inf, true, ~, null, '', \"\"]\nc: |\n  多行\n  文字\nd: >-\n  折叠\n",
    "1: 一\ntrue: 是\n~: 空\n'': 空文字\n3.5: 小数\n",  # keys that resolve to other types stay their text
    "- {date: 2025-01-10, type: 党课, topic: 学习, present: 5}\n- []\n- {}\n- [[], {a: {b: [1]}}]\n",
    "a: {x: , y: 1}\n",  # an empty value first in { }: no text was cut before it
    "a: 重点**工作\nb: '*x'\nc: [\"*y\", 2*3]\n",  # a star is not an alias
    "[" * 100 + "]" * 100 + "\n", "x: " + "[" * 99 + "]" * 99 + "\n",  # nesting at the limit
]


@pytest.mark.parametrize("loader", LOADERS)
def test_the_event_reader_builds_what_the_composer_builds(loader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Values, positions and diagnostics are the same whether a file is read from the parser's
    events or composed, for every sample, test file and broken file, and for texts made to
    sit at each edge of what the event reader reads itself."""
    monkeypatch.setattr(yaml_tree, "_Loader", LOADERS[loader])
    texts = [path.read_text("utf-8") for path in [*DATA, *BROKEN] if "gbk" not in path.name]
    for text in [*texts, *UNUSUAL, *PLAIN]:
        value, positions, diagnostics = yaml_tree.parse(text, "t.yaml")
        composed = yaml_tree._composed(text, "t.yaml")
        assert (value, positions.values, positions.keys, diagnostics) == (
            composed[0], composed[1].values, composed[1].keys, composed[2]), text[:40]


def test_the_usual_file_is_read_from_events_and_the_unusual_composed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample and the plain texts never reach the composer; each unusual text does."""
    composed: list[str] = []
    real = yaml_tree._composed

    def spy(text: str, file: str) -> object:
        composed.append(text)
        return real(text, file)

    monkeypatch.setattr(yaml_tree, "_composed", spy)
    for text in [DATA[0].read_text("utf-8"), *PLAIN]:
        yaml_tree.parse(text, "t.yaml")
    assert composed == []
    for text in UNUSUAL:
        yaml_tree.parse(text, "t.yaml")
    assert composed == UNUSUAL
