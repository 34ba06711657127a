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
from importlib import resources
from typing import Any

import yaml

FORMS = ("党委", "党总支", "党支部", "联合党支部", "党小组")
"""The organisation forms the catalogue speaks for."""


@dataclass(frozen=True)
class Entry:
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

    @property
    def slots(self) -> frozenset[str]:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(self.text) if name)

    def matches(self, form: str, known: Collection[str]) -> bool:
        return ((not self.forms or form in self.forms) and all(c in known for c in self.when)
                and not any(c in known for c in self.unless))

    @property
    def selector(self) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        return self.key, self.forms, self.when, self.unless


@dataclass(frozen=True)
class KeySpec:
    """What a key promises: the slots its texts may use and the facts its entries may test."""

    key: str
    slots: frozenset[str]
    facts: frozenset[str]
    forms_matter: bool


@dataclass(frozen=True)
class Era:
    """A wording that belongs to a period: used on documents written on or after ``since``."""

    since: dt.date
    text: str


@dataclass
class Catalogue:
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    specs: dict[str, KeySpec] = field(default_factory=dict)
    eras: dict[str, list[Era]] = field(default_factory=dict)
    words: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    """Word lists by table and entry: how a user's text names an activity type, a development step."""

    def say(self, key: str, form: str = "", known: Collection[str] = (), **slots: object) -> str:
        """The text of the first entry of ``key`` for ``form`` and ``known``, slots filled.

        Empty when no entry matches (a key whose words depend on a fact the data lacks)."""
        missing = self.specs[key].slots - set(slots)
        if missing:
            raise KeyError(f"{key}: slots not given: {sorted(missing)}")
        for entry in self.entries.get(key, ()):
            if entry.matches(form, known):
                return entry.text.format(**{k: v for k, v in slots.items() if k in entry.slots})
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


PACKAGE_FILES = ("common.yaml", "summary.yaml", "report.yaml", "plan.yaml", "rollup.yaml")


def _read_package_file(name: str) -> Any:
    return yaml.safe_load(resources.files(__package__).joinpath("wording_data").joinpath(name).read_text("utf-8"))


@functools.cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped in the package."""
    catalogue = Catalogue()
    for name in PACKAGE_FILES:
        data = _read_package_file(name) or {}
        for era_name, rows in (data.pop("eras", None) or {}).items():
            catalogue.eras[era_name] = [Era(_date(r["since"]), r["text"]) for r in rows]
        for table, rows in (data.pop("words", None) or {}).items():
            catalogue.words[table] = {k: _tuple(v) for k, v in rows.items()}
        for key, body in data.items():
            slots = frozenset(_tuple(body.get("slots")))
            facts = frozenset(_tuple(body.get("facts")))
            found = entries_of(key, body["entries"], name)
            catalogue.specs[key] = KeySpec(key, slots, facts, any(e.forms for e in found))
            catalogue.entries[key] = found
    return catalogue


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
    return active().say(key, form, known, **slots)


def era(name: str, day: dt.date) -> str:
    return active().era(name, day)


def words(table: str, entry: str) -> tuple[str, ...]:
    """The words of ``entry`` in the word table ``table`` (empty when it has none)."""
    return active().words.get(table, {}).get(entry, ())
