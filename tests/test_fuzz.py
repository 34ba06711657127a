"""Random corruptions of a valid year: every one gives diagnostics or documents, never a crash.

Seeded, so a failure reproduces: the test id names the seed.
"""

from __future__ import annotations

import random

import pytest
from conftest import MINIMAL

import dangjian_docs
from dangjian_docs import DangjianError
from dangjian_docs.loading import load_text

TEXT = MINIMAL.read_text(encoding="utf-8")
JUNK = [":", "-", " ", "\t", "'", '"', "[", "]", "{", "}", "#", "&a", "*a", "!!python/name:os.system", "\n",
        "：", "，", "XXX", "2024-13-45", "-1", "1e9", "null", "~", "是", "\x07", "\u2028", "<<: *a", "? ", "|", ">"]


def renders_or_explains(result: dangjian_docs.Validation) -> None:
    """A year that validated gives a zip for every kind, or diagnostics saying why not."""
    if result.year is None:
        return
    for kind in ("plan", "summary", "report"):
        try:
            assert dangjian_docs.render(result.year, kind)[:2] == b"PK"
        except DangjianError as exc:
            assert exc.diagnostics


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        where = rng.randrange(len(text))
        action = rng.random()
        if action < 0.35:
            text = text[:where] + rng.choice(JUNK) + text[where:]
        elif action < 0.6:
            text = text[:where] + text[where + rng.randint(1, 12):]
        else:
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


@pytest.mark.parametrize("seed", range(300))
def test_a_corrupted_file_never_crashes(seed: int) -> None:
    text = mutate(TEXT, random.Random(seed))
    try:
        source = load_text(text, "fuzz.yaml")
    except DangjianError as exc:
        assert exc.diagnostics and all(d.message for d in exc.diagnostics)
        return
    result = dangjian_docs.validate(source)
    for d in result.diagnostics:
        assert d.message and d.file == "fuzz.yaml"
    renders_or_explains(result)


VALUES = [None, 0, -3, 2.5, 10**9, "", "XX", "文字", "2024-02-30", "2024-06-01", True, [], {}, ["a"], {"k": 1},
          "a" * 300, "<w:p>&amp;", "\x07", "T1", "a", "b", "第一党小组", "党课", "支部委员会"]


def walk(data: object, path: tuple = ()) -> list[tuple]:
    """Every path into nested dicts and lists."""
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out += walk(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += walk(value, (*path, i))
    return out


def mutate_data(data: dict, rng: random.Random) -> dict:
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(walk(data)[1:])
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = rng.random()
        if action < 0.6:
            parent[path[-1]] = rng.choice(VALUES)
        elif action < 0.85 and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, list):
            parent.append(parent[path[-1]])
        else:
            parent[rng.choice(["extra", "nmae", "items", "__class__"])] = rng.choice(VALUES)
    return data


@pytest.mark.parametrize("seed", range(300))
def test_corrupted_data_never_crashes(seed: int) -> None:
    import yaml
    rng = random.Random(seed)
    data = mutate_data(yaml.safe_load(TEXT), rng)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    result = dangjian_docs.validate(load_text(text, "fuzz.yaml"))
    assert all(d.message for d in result.diagnostics)
    renders_or_explains(result)
