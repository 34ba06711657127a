"""The build manifest: what each output was made from, so an unchanged one is left alone.

It lives in the output folder (``.dangjian-manifest.json``) and records, per output, a hash
of everything that went into it (the data files' bytes, the template's bytes, the shared
rules, the tool itself) plus the output's own size, time and hash; per data file, the
diagnostics of its last validation, so a no-change build reports its warnings again without
validating. It is replaced atomically; a missing or unreadable manifest only means a full build
(an output already on disk with the same bytes is still not rewritten).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Severity, display_path
from ..inputs import Refused, read_bounded
from .spill import Table, fields_of

MANIFEST_NAME = ".dangjian-manifest.json"
FACTS_NAME = ".dangjian-rollup-facts.json"
"""Beside the manifest: what each roll-up's checks took from the year files (``region.facts``)."""
FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def tool_fingerprint() -> str:
    """The package version plus a hash of its code, its own tables (rules, wording) and schema:
    a new release (or an edited checkout) rebuilds everything, a reinstall of the same code does not."""
    from .. import __version__
    from ..resources import schemas_dir

    digest = hashlib.sha256(__version__.encode())
    files = sorted(_PACKAGE.rglob("*.py")) + sorted(_PACKAGE.rglob("*.yaml")) + sorted(schemas_dir().glob("*.json"))
    for path in files:
        digest.update(path.relative_to(path.parents[1]).as_posix().encode())
        digest.update(path.read_bytes())  # the package's own files, not the user's
    return f"{__version__}+{digest.hexdigest()[:16]}"


def digest_bytes(*chunks: bytes) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(len(chunk).to_bytes(8, "big"))
        digest.update(chunk)
    return digest.hexdigest()


def inputs_digest(kind: str, template: bytes, rules: bytes, sources: Iterable[tuple[str, str]]) -> str:
    """The hash of everything an output is made from; ``sources`` are (relative path, data hash)
    for every data file the document reads (one for a year's documents, several for a roll-up)."""
    parts = [tool_fingerprint().encode(), kind.encode(), template, rules]
    for rel, data_hash in sources:
        parts += [rel.encode(), data_hash.encode()]
    return digest_bytes(*parts)


def write_durably(path: Path, content: bytes) -> None:
    """Replace ``path`` through a temporary file flushed to disk, then a rename.

    Not :func:`dangjian_docs.writing.write_set`: that one clears every temporary file of
    ours in the folder first, and the workers may be writing documents into this very folder.
    """
    write_text_durably(path, [], unless="", content=content)


def write_text_durably(path: Path, pieces: Iterable[str], unless: str, content: bytes = b"") -> str:
    """:func:`write_durably` of ``content`` followed by text in pieces (as UTF-8), streamed to the
    temporary file so that the whole is never in memory at once. Nothing is replaced when the
    SHA-256 of what was written is ``unless`` (the file on disk has these bytes already).

    Returns that SHA-256 (hex)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # a new name, created exclusively: a link planted under a predictable name is never followed
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.", suffix=".tmp")
    temp = Path(name)
    digest = hashlib.sha256(content)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            for piece in _joined(pieces):
                data = piece.encode("utf-8")
                digest.update(data)
                f.write(data)
            if digest.hexdigest() != unless:
                f.flush()
                os.fsync(f.fileno())
        if digest.hexdigest() == unless:
            temp.unlink()
        else:
            os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def _joined(pieces: Iterable[str], size: int = 65536) -> Iterable[str]:
    """Pieces (tokens, records) joined into runs of about ``size`` characters: one write each,
    and never much of the file in memory at once, however large its pieces."""
    batch: list[str] = []
    length = 0
    for piece in pieces:
        batch.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(batch)
            batch, length = [], 0
    if batch:
        yield "".join(batch)


def clear_leftovers(folder: Path) -> None:
    """Temporary manifests (and facts files) of builds killed while saving."""
    for name in (MANIFEST_NAME, FACTS_NAME):
        for temp in folder.glob(name + ".*.tmp"):
            temp.unlink(missing_ok=True)


@dataclass
class OutputRecord:
    source: str
    """The data file (relative path) whose document this is; for a roll-up, the region file."""
    kind: str
    inputs: str
    sha256: str
    size: int
    mtime_ns: int
    breaks: list[list[str]] = field(default_factory=list)
    """The lines of each title the document broke over lines, so that rebuilding it breaks them
    again without loading the word segmenter (``domain.titles.known``); checked where used."""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class SourceRecord:
    """A data file's last validation: its hash (with the shared rules) and what was found."""

    digest: str
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    names: dict[str, str | None] = field(default_factory=dict)
    """Kind → document title (``None``: the data lacks what the kind needs)."""
    role: str = "year"
    region: dict[str, Any] | None = None
    """A region file's record of every file its check read (see ``dangjian_docs.region.cache``)."""


@dataclass
class Manifest:
    path: Path
    tool: str = ""
    outputs: Table[OutputRecord] = field(default_factory=lambda: Table(codec=fields_of(OutputRecord)))
    """Output path relative to the output folder → record (on disk: see ``repo.spill``)."""
    sources: Table[SourceRecord] = field(default_factory=Table)
    folders: set[str] = field(default_factory=set)
    """Folders under the output folder (relative) that builds created: the only ones pruned."""
    written: str = ""
    """The SHA-256 of the manifest's bytes on disk, so an unchanged manifest is not replaced
    either (the digest, not the bytes: ten thousand files' records are tens of megabytes)."""
    dirty: bool = False
    """Set by whoever changes a record; a manifest nobody changed is not even serialised."""

    problems: list[Diagnostic] = field(default_factory=list)
    """Why the manifest on disk was not used (the build then ran cold) or not written."""
    _facts: dict[str, Any] | None = None
    """Region file (relative) → the facts its last check used; read from :data:`FACTS_NAME` on use."""
    _facts_written: bytes = b""
    _facts_dirty: bool = False

    def region_facts(self, rel: str) -> dict[str, Any] | None:
        """The facts the last check of the region file ``rel`` used, as plain data (checked
        record by record where used: the file is as untrusted as the manifest)."""
        return self._read_facts().get(rel)

    def set_region_facts(self, rel: str, facts: dict[str, Any] | None) -> None:
        self._read_facts()[rel] = facts
        self._facts_dirty = self.dirty = True

    def _read_facts(self) -> dict[str, Any]:
        """The facts file's regions; empty when it is missing, too large, of another version of
        the tool or not of the expected shape (the roll-ups then read every file again)."""
        if self._facts is None:
            self._facts = {}
            try:
                self._facts_written = read_bounded(self.path.parent / FACTS_NAME, MAX_BYTES)
                raw = json.loads(self._facts_written.decode("utf-8"))
            except (Refused, ValueError):
                return self._facts
            if (isinstance(raw, dict) and raw.get("format") == FORMAT and raw.get("tool") == self.tool
                    and isinstance(raw.get("regions"), dict)):
                self._facts = {rel: facts for rel, facts in raw["regions"].items()
                               if isinstance(rel, str) and isinstance(facts, dict)}
        return self._facts

    def _write_facts(self) -> None:
        """Replace the facts file, keeping the records of the region files the manifest still has."""
        if not self._facts_dirty or self._facts is None:
            return
        self._facts_dirty = False
        regions = {rel: self._facts[rel] for rel in sorted(self._facts)
                   if self._facts[rel] is not None and rel in self.sources and self.sources[rel].role == "region"}
        content = json.dumps({"format": FORMAT, "tool": self.tool, "regions": regions},
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if content != self._facts_written:
            try:
                write_durably(self.path.parent / FACTS_NAME, content)
            except OSError:
                return  # a cache: the next roll-up only reads every file again
            self._facts_written = content

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest in ``folder``; empty when there is none or it cannot be used.

        The manifest is a claim, not an order: it lives in the output folder, which a CI cache
        restores, so anyone who can write there can write it. A manifest that is not a regular
        file, is over :data:`MAX_BYTES` or does not have the expected shape is ignored with a
        warning; what it names is checked again before anything is deleted (see ``build``).
        """
        path = folder / MANIFEST_NAME
        manifest = cls(path, tool_fingerprint())
        try:
            content = read_bounded(path, MAX_BYTES)
        except Refused as refusal:
            if refusal.code != "unreadable" or path.exists() or path.is_symlink():
                manifest.problems.append(_ignored(path, refusal.message))
            manifest.dirty = True
            return manifest
        manifest.written = hashlib.sha256(content).hexdigest()
        try:
            raw = json.loads(content.decode("utf-8"))
            if not isinstance(raw, dict):
                raise ValueError(raw)
            if raw.get("format") != FORMAT or raw.get("tool") != manifest.tool:
                manifest.dirty = True
                return manifest  # another version of the tool: everything is rebuilt
            manifest.outputs.update((_name(name), _output_record(record)) for name, record in raw["outputs"].items())
            manifest.sources.update((_name(name), SourceRecord(**record)) for name, record in raw["sources"].items())
            manifest.folders = {_name(name) for name in raw.get("folders", [])}
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls(path, manifest.tool, dirty=True, problems=[_ignored(path, "内容不是本工具写的格式")])
        return manifest

    def write(self) -> None:
        """Replace the manifest on disk atomically (a reader sees the old one or the new one)."""
        if not self.dirty:
            return
        self.dirty = False
        self._write_facts()
        pieces = _lines({
            "format": FORMAT,
            "tool": self.tool,
            "outputs": ((name, vars(record)) for name, record in self.outputs.items()),
            "sources": ((name, vars(record)) for name, record in self.sources.items()),
            "folders": sorted(self.folders),
        })
        try:
            self.written = write_text_durably(self.path, pieces, unless=self.written)
        except OSError as exc:  # e.g. a folder put where the manifest goes
            self.problems.append(Diagnostic(
                Severity.WARNING, "manifest-unwritable",
                f"无法写入生成记录（{exc.strerror or exc}），下次将全部重新生成。",
                file=display_path(self.path), hint=f"请删除或改名输出文件夹中的 {MANIFEST_NAME}。"))


def _lines(document: dict[str, Any]) -> Iterator[str]:
    """The manifest's JSON with one record a line: the top level's keys, then each output and
    each data file on a line of its own (``json``'s C encoder for each record; with ``indent``,
    ``json`` encodes in pure Python, which took as long as rendering the changed documents of a
    build that changed one file of a thousand)."""
    yield "{"
    comma = ""
    for key, value in document.items():
        yield f'{comma}\n {_compact(key)}: '
        comma = ","
        if not isinstance(value, Iterator):
            yield _compact(value)
            continue
        inner = "{"
        for name, record in value:
            yield f"{inner}\n  {_compact(name)}: {_compact(record)}"
            inner = ","
        yield "{}" if inner == "{" else "\n }"
    yield "\n}"


_compact = json.JSONEncoder(ensure_ascii=False).encode


MAX_BYTES = 64 * 1024 * 1024
"""A manifest's size limit: ten thousand data files' records take a few megabytes."""


def _ignored(path: Path, why: str) -> Diagnostic:
    return Diagnostic(
        Severity.WARNING, "manifest-ignored",
        f"生成记录（{MANIFEST_NAME}）不可用（{why.rstrip('。')}），已忽略，本次全部重新生成。",
        file=display_path(path),
        hint="不必处理：生成结束时会写入新的记录。若反复出现，请检查输出文件夹是否被其他程序改动。")


def _name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(name)
    return name


def _output_record(record: Any) -> OutputRecord:
    """A record with the types this tool writes (a hand-made one could put anything there)."""
    made = OutputRecord(**record)
    types = {"source": str, "kind": str, "inputs": str, "sha256": str, "size": int, "mtime_ns": int,
             "breaks": list}
    if not all(type(getattr(made, key)) is kind for key, kind in types.items()):
        raise TypeError(record)
    return made


def diagnostics_to_json(diagnostics: Iterable[Diagnostic], shown: str) -> list[dict[str, Any]]:
    """Diagnostics to keep; the data file's own name is stored as ``None`` (it is shown relative
    to the working directory, which may differ next time)."""
    out = []
    for d in diagnostics:
        record = d.as_dict()
        if record["file"] == shown:
            record["file"] = None
        out.append(record)
    return out


def diagnostics_from_json(records: Iterable[dict[str, Any]], shown: str) -> list[Diagnostic]:
    out = []
    for r in records:
        code = r["code"]  # as the validation that stored it gave it
        out.append(Diagnostic(Severity(r["severity"]), code, r["message"], r["file"] or shown,
                              r["line"], r["column"], r["path"], r["hint"]))
    return out
