"""A record (``dangjian_docs.record.Record``) behaves as the frozen dataclass it replaces, for
everyone who compares, hashes, prints, copies or changes the model's objects (issue 18)."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import pickle
from pathlib import Path

import pytest

import dangjian_docs
from dangjian_docs.model import CommitteeMember, Education, Person, YearData, build_year
from dangjian_docs.record import Record


class Pair(Record):
    """A record with a field left out of comparison, as ``YearData.source`` is."""

    left: int
    right: tuple[str, ...] = ()
    note: str = dataclasses.field(default="", compare=False)


@dataclasses.dataclass(frozen=True)
class PairDataclass:
    left: int
    right: tuple[str, ...] = ()
    note: str = dataclasses.field(default="", compare=False)


@pytest.mark.parametrize("made", [Pair, PairDataclass], ids=["record", "dataclass"])
def test_a_record_compares_hashes_and_prints_as_a_frozen_dataclass(made: type) -> None:
    one, same, other = made(1, ("a",), note="x"), made(1, ("a",), note="y"), made(2)
    assert one == same and hash(one) == hash(same) and one != other
    assert hash(one) == hash((1, ("a",)))
    assert len({one, same, other}) == 2
    assert one != (1, ("a",)) and one.__eq__(object()) is NotImplemented
    assert repr(one).removeprefix(made.__qualname__) == "(left=1, right=('a',), note='x')"
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.left = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del one.left  # type: ignore[misc]
    assert dataclasses.replace(one, left=5) == made(5, ("a",))
    assert [f.name for f in dataclasses.fields(made)] == ["left", "right", "note"]
    assert dataclasses.asdict(one) == {"left": 1, "right": ("a",), "note": "x"}
    assert pickle.loads(pickle.dumps(one)) == one
    with pytest.raises(TypeError):
        made(left=1, wrong=2)


def test_the_model_keeps_its_dataclass_behaviour() -> None:
    assert Education(1, 2, 3, 4) == Education(postgraduate=1, bachelor=2, college=3, secondary=4)
    assert repr(CommitteeMember("张三")) == "CommitteeMember(name='张三', role=None)"
    person = Person("李四", "女", dt.date(1990, 5, 1), "正式党员", "大学本科")
    assert {person, dataclasses.replace(person)} == {person}
    with pytest.raises(dataclasses.FrozenInstanceError):
        person.name = "王五"  # type: ignore[misc]
    raw = {"year": 2025, "organisation": {"name": "某医院党委", "hospital": "某医院", "kind": "党委"}, "branches": []}
    first, second = build_year(raw, source="a.yaml"), build_year(raw, source="b.yaml")
    assert isinstance(first, YearData) and first == second  # where a year came from is not compared
    assert "origins" not in repr(first) and "source='a.yaml'" in repr(first)


def _frozen_dataclasses(tree: ast.Module) -> list[str]:
    """Classes decorated ``@dataclass(frozen=True)`` (or ``@dataclasses.dataclass(frozen=True)``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and ast.unparse(deco.func) in ("dataclass", "dataclasses.dataclass") \
                        and any(k.arg == "frozen" and ast.literal_eval(k.value) for k in deco.keywords):
                    found.append(node.name)
    return found


def test_every_frozen_value_class_of_the_package_is_a_record() -> None:
    """A frozen dataclass compiles twice the methods of a record at every import (issue 18)."""
    package = Path(dangjian_docs.__file__).parent
    assert _frozen_dataclasses(ast.parse("@dataclass(frozen=True)\nclass A:\n    x: int")) == ["A"]
    left = {str(path.relative_to(package)): names for path in sorted(package.rglob("*.py"))
            if (names := _frozen_dataclasses(ast.parse(path.read_text(encoding="utf-8"))))}
    assert left == {}
