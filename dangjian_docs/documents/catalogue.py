"""The words of every document, as data: entries chosen by kind × section × form × what is known.

The catalogue ships in the package (``wording_data/*.yaml``). Each entry has a key
(``summary.opening.lead``: kind, section, part), optionally the organisation forms it is for
(党委, 党总支, 党支部, 联合党支部, 党小组) and the facts it needs (``when``: names of what the data
knows, ``not``: what it must not know), and a text with named slots (``{name}``). Python decides
which facts hold and fills the slots; the catalogue decides the words.

The first entry of a key whose forms and conditions match is chosen, so a specific entry is
written before a general one. An office may override entries from its data repo (see
:func:`read_overrides`); an override replaces the entry with the same key, forms and conditions.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import string
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..record import Record
from ..resources import package_yaml

FORMS = ("党委", "党总支", "党支部", "联合党支部", "党小组")
"""The organisation forms the catalogue speaks for."""


class Entry(Record):
    key: str
    text: str
    forms: tuple[str, ...] = ()
    """Empty: any form."""
    when: tuple[str, ...] = ()
    """Facts the data must know (or that must hold) for this entry."""
    unless: tuple[str, ...] = ()
    """Facts that must not hold."""
    origin: str = ""
    """Where the entry was written (``summary.yaml`` or an office's file), for diagnostics."""

    @functools.cached_property
    def slots(self) -> frozenset[str]:
        """The names its text fills in (parsed once: every sentence written asks)."""
        try:
            return frozenset(name for _, name, _, _ in string.Formatter().parse(self.text) if name)
        except ValueError:  # unbalanced braces: reported by entry_problems
            return frozenset()

    def matches(self, form: str, known: Collection[str]) -> bool:
        if self.forms and form not in self.forms:
            return False
        for fact in self.when:  # loops, not all()/any(): every sentence written asks this of its key's entries
            if fact not in known:
                return False
        return not self.unless or all(fact not in known for fact in self.unless)

    @property
    def selector(self) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        return self.key, self.forms, self.when, self.unless


class KeySpec(Record):
    """What a key promises: the slots its texts may use and the facts its entries may test."""

    key: str
    slots: frozenset[str]
    facts: frozenset[str]
    forms_matter: bool


class Era(Record):
    """A wording that belongs to a period: used on documents written on or after ``since``."""

    since: dt.date
    text: str


@dataclass  # not a Record: mutable; frozen, it would compile as many methods (no start-up gain)
class Catalogue:
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    specs: dict[str, KeySpec] = field(default_factory=dict)
    eras: dict[str, list[Era]] = field(default_factory=dict)
    words: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    """Word lists by table and entry: how a user's text names an activity type, a development step."""

    def say(self, key: str, form: str = "", known: Collection[str] = (), **slots: object) -> str:
        """The text of the first entry of ``key`` for ``form`` and ``known``, slots filled.

        Empty when no entry matches (a key whose words depend on a fact the data lacks)."""
        return self.fill(key, form, known, slots)

    def fill(self, key: str, form: str, known: Collection[str], slots: Mapping[str, object]) -> str:
        """:meth:`say` with the slots as one mapping (a slot the chosen text does not use is left unused)."""
        if not self.specs[key].slots <= slots.keys():
            raise KeyError(f"{key}: slots not given: {sorted(self.specs[key].slots - set(slots))}")
        for entry in self.entries.get(key, ()):
            if entry.matches(form, known):
                return entry.text.format_map(slots)
        return ""

    def era(self, name: str, day: dt.date) -> str:
        """The wording of ``name`` in force on ``day`` (the latest period begun by then)."""
        chosen = [e for e in self.eras[name] if e.since <= day]
        return max(chosen, key=lambda e: e.since).text if chosen else ""

    def merged(self, entries: Iterator[Entry] | list[Entry], eras: Mapping[str, list[Era]] = {}) -> Catalogue:
        """A copy with ``entries`` replacing those with the same selector (or placed first)."""
        merged = {k: list(v) for k, v in self.entries.items()}
        for entry in entries:
            rows = merged.setdefault(entry.key, [])
            same = [i for i, e in enumerate(rows) if e.selector == entry.selector]
            if same:
                rows[same[0]] = entry
            else:
                rows.insert(0, entry)
        return Catalogue(merged, self.specs, {**self.eras, **{k: list(v) for k, v in eras.items()}}, self.words)


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def entries_of(key: str, raw: Any, origin: str) -> list[Entry]:
    """A key's entries as written: a plain text, or a list of ``{form, when, not, text}``."""
    if isinstance(raw, str):
        return [Entry(key, raw, origin=origin)]
    return [Entry(key, row["text"], _tuple(row.get("form")), _tuple(row.get("when")), _tuple(row.get("not")),
                  origin=origin) for row in raw]


PACKAGE_FILES = ("common.yaml", "summary.yaml", "report.yaml", "plan.yaml", "rollup.yaml",
                 "report_duty.yaml", "article.yaml", "ledger.yaml", "branch.yaml")


def _read_package_file(name: str) -> Any:
    return package_yaml("documents", "wording_data", name)


_whole_read = False
"""Whether :func:`default_catalogue` has read the package's whole catalogue (see :func:`_speaking`)."""


@functools.cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped in the package: its files' parts, a later file's key winning."""
    global _whole_read
    _whole_read = True
    catalogue = Catalogue()
    for name in PACKAGE_FILES:
        part = package_part(name)
        catalogue.eras.update(part.eras)
        catalogue.words.update(part.words)
        catalogue.specs.update(part.specs)
        catalogue.entries.update(part.entries)
    return catalogue


@functools.cache
def package_part(name: str) -> Catalogue:
    """What one file of the package's catalogue (``PACKAGE_FILES``) says."""
    catalogue = Catalogue()
    data = _read_package_file(name) or {}
    for era_name, rows in (data.pop("eras", None) or {}).items():
        catalogue.eras[era_name] = [Era(_date(r["since"]), r["text"]) for r in rows]
    for table, rows in (data.pop("words", None) or {}).items():
        catalogue.words[table] = {k: _tuple(v) for k, v in rows.items()}
    verbs = data.pop("figure_verbs", None)
    if verbs:
        catalogue.words["figure_verbs"] = {"verbs": _tuple(verbs.get("verbs")),
                                           **{f"unit:{u}": _tuple(v) for u, v in verbs["by_unit"].items()}}
    for key, body in data.items():
        slots = frozenset(_tuple(body.get("slots")))
        facts = frozenset(_tuple(body.get("facts")))
        found = entries_of(key, body["entries"], name)
        catalogue.specs[key] = KeySpec(key, slots, facts, any(e.forms for e in found))
        catalogue.entries[key] = found
    return catalogue


_FILE_OF = {"branch-plan": "branch.yaml", "branch-summary": "branch.yaml", "group-plan": "branch.yaml",
            "problems": "summary.yaml"}
"""Keys whose first part names no file of their own; a key whose first part names none of
``PACKAGE_FILES`` and is not here is in common.yaml (tests/test_catalogue.py holds each key to it)."""


def file_of(key: str) -> str:
    """The package file that holds ``key``: ``report-duty.title`` is in report_duty.yaml."""
    prefix = key.split(".", 1)[0]
    name = _FILE_OF.get(prefix, prefix.replace("-", "_") + ".yaml")
    return name if name in PACKAGE_FILES else "common.yaml"


def _speaking(key: str) -> Catalogue:
    """The catalogue that says ``key``: :func:`active`, except that until the package's whole
    catalogue is read, a key is said from its own file alone. ``validate`` says only the
    documents' titles; reading all nine files for them was most of its work after start-up
    (issue 18). Each key is in one file (tests/test_catalogue.py), so the words are the same."""
    chosen = _ACTIVE.get()
    if chosen is not None:
        return chosen
    if _whole_read:
        return default_catalogue()
    part = package_part(file_of(key))
    return part if key in part.specs else default_catalogue()


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


_ACTIVE: contextvars.ContextVar[Catalogue | None] = contextvars.ContextVar("catalogue", default=None)


def active() -> Catalogue:
    """The catalogue documents are written with: an office's, while :func:`using` is in force."""
    return _ACTIVE.get() or default_catalogue()


@contextlib.contextmanager
def using(catalogue: Catalogue | None) -> Iterator[None]:
    """Write documents with ``catalogue`` (an office's overrides) inside the ``with`` block."""
    token = _ACTIVE.set(catalogue)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def say(key: str, form: str = "", known: Collection[str] = (), **slots: object) -> str:
    return _speaking(key).fill(key, form, known, slots)


def era(name: str, day: dt.date) -> str:
    return active().era(name, day)


def words(table: str, entry: str) -> tuple[str, ...]:
    """The words of ``entry`` in the word table ``table`` (empty when it has none)."""
    return active().words.get(table, {}).get(entry, ())


# -- checking the catalogue and an office's overrides -------------------------------------------

def reachable(catalogue: Catalogue, key: str) -> dict[int, tuple[str, frozenset[str]]]:
    """For each entry of ``key`` (by position), one form and set of facts that choose it."""
    spec = catalogue.specs[key]
    facts = sorted(spec.facts)
    found: dict[int, tuple[str, frozenset[str]]] = {}
    for form in ("", *FORMS):
        for mask in range(2 ** len(facts)):
            known = frozenset(f for i, f in enumerate(facts) if mask >> i & 1)
            for i, entry in enumerate(catalogue.entries.get(key, ())):
                if entry.matches(form, known):
                    found.setdefault(i, (form, known))
                    break
    return found


def entry_problems(catalogue: Catalogue, entry: Entry) -> list[tuple[str, str, str]]:
    """What is wrong with one entry, as (code, field, message in Chinese): a slot its key does not
    fill, a form that does not exist, a fact its key never tests."""
    spec = catalogue.specs[entry.key]
    out: list[tuple[str, str, str]] = []

    def problem(code: str, field_name: str, message: str) -> None:
        out.append((code, field_name, message))

    unknown = sorted(entry.slots - spec.slots)
    if unknown:
        allowed = "、".join(f"{{{s}}}" for s in sorted(spec.slots)) or "无"
        problem("wording-slot", "text", f"措辞“{entry.key}”中的 {'、'.join('{' + s + '}' for s in unknown)} "
                f"不是这一项可以填入的内容（可用：{allowed}）。")
    try:
        list(string.Formatter().parse(entry.text))
    except ValueError:
        problem("wording-slot", "text", f"措辞“{entry.key}”中的花括号不成对。")
    for form in entry.forms:
        if form not in FORMS:
            problem("wording-form", "form", f"措辞“{entry.key}”的组织形式“{form}”不存在（可用：{'、'.join(FORMS)}）。")
    for fact in (*entry.when, *entry.unless):
        if fact not in spec.facts:
            allowed = "、".join(sorted(spec.facts)) or "无"
            problem("wording-fact", "when", f"措辞“{entry.key}”不按“{fact}”选择（可用的条件：{allowed}）。")
    return out


def read_overrides(path: str | Path, base: Catalogue | None = None) -> tuple[Catalogue, list[Diagnostic]]:
    """An office's wording file, merged over ``base`` (the package's catalogue by default).

    The file maps a key to a text, or to a list of ``{form, when, not, text}``; only keys the
    package defines may be given, with the slots and conditions their key allows. Every problem
    is a diagnostic at its line and column; entries with problems are left out, so the package's
    words stand where the office's cannot be used.
    """
    from ..loading import load
    from ..validation.suggest import did_you_mean

    base = base if base is not None else default_catalogue()
    source = load(path)
    problems: list[Diagnostic] = []

    def add(code: str, where: tuple[str | int, ...], message: str, hint: str, key: bool = False) -> None:
        problems.append(source.diagnostic(Severity.ERROR, code, where, message, hint, key=key))

    data = source.data
    if not isinstance(data, Mapping):
        add("wording-file", (), "措辞文件应为“键: 措辞”形式的映射。",
            "每行写“summary.heading.basic: 基本情况”这样的一项，键的清单见 docs/wording.md。")
        return base, problems
    chosen: list[Entry] = []
    for key, raw in data.items():
        if key not in base.specs:
            add("wording-key", (key,), f"措辞文件中的“{key}”不是可以修改的措辞。",
                did_you_mean(str(key), list(base.specs)) or "可以修改的措辞见 docs/wording.md。", key=True)
            continue
        rows = [raw] if isinstance(raw, str) else raw
        if not isinstance(rows, list) or not rows:
            add("wording-entry", (key,), f"措辞“{key}”应写成一段文字，或一组“- text: …”。",
                "只改一句话时写“键: 文字”；按组织形式区分时写成列表，每项有 text，可加 form、when、not。")
            continue
        for i, row in enumerate(rows):
            where: tuple[str | int, ...] = (key,) if isinstance(raw, str) else (key, i)
            if isinstance(row, str):
                row = {"text": row}
            if not isinstance(row, Mapping) or not isinstance(row.get("text"), str):
                add("wording-entry", where, f"措辞“{key}”的这一项缺少文字（text）。", "请写“text: …”。")
                continue
            extra = sorted(set(row) - {"text", "form", "when", "not"})
            if extra:
                add("wording-entry", (*where, extra[0]) if not isinstance(raw, str) else where,
                    f"措辞“{key}”的这一项中有未知的键“{extra[0]}”。", "每项只能有 text、form、when、not。", key=True)
                continue
            entry = Entry(str(key), row["text"], _tuple(row.get("form")), _tuple(row.get("when")),
                          _tuple(row.get("not")), origin=source.path)
            found = entry_problems(base, entry)
            for code, field_name, message in found:
                at = where if isinstance(raw, str) else (*where, field_name if field_name in row else "text")
                add(code, at, message, "请对照 docs/wording.md 中这一项的说明修改。")
            if not found:
                chosen.append(entry)
    return base.merged(chosen), problems
