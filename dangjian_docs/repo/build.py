"""Building a whole repo: find, validate all, then make only what changed, across processes.

The order matters to the user: every problem of every file is reported before anything is
written, and a build with errors writes nothing (as ``build`` on single files does). Only
then are the documents whose inputs changed rendered, in parallel; each is written
atomically and recorded in the manifest as it finishes, so a build killed at any moment
leaves finished documents valid and the next build does the rest.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import stat
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..diagnostics import Diagnostic, Severity, display_path
from ..inputs import Refused, confined, read_bounded
from ..loading.text import MAX_BYTES
from ..record import Record
from ..rendering.limits import MAX_FILE_BYTES as MAX_TEMPLATE_BYTES
from ..writing import reason, write_failed
from .config import RepoConfig
from .discovery import WHOLE, Shard, find_sources
from .manifest import (
    Manifest,
    OutputRecord,
    SourceRecord,
    diagnostics_from_json,
    diagnostics_to_json,
    digest_bytes,
    inputs_digest,
)
from .manifest import clear_leftovers as clear_manifest_leftovers
from .output import MAX_DOCUMENT_BYTES, clear_leftovers, flush, replace_file
from .progress import Progress
from .rules import shared_rules
from .spill import MARSHALLED, DiagnosticLog, Rows, Table, fields_of
from .workers import (
    CheckResult,
    CheckTask,
    Job,
    Made,
    MakeTask,
    Runner,
    capped_jobs,
    check,
    clear_caches,
    default_jobs,
    make,
)

T = TypeVar("T")

SAVE_EVERY = 2.0
"""Seconds between manifest saves during a build: a killed build loses at most this much of
its record (the documents themselves are safe; they would only be compared again)."""


class DocumentState(Record):
    """One document of the repo and what this run did with it, for ``--format json``."""

    path: str | None
    """Where it is (as shown); ``None`` for a skipped document, which has no name."""
    state: str
    """``built``, ``unchanged``, ``failed``, ``removed`` or ``skipped`` (the data lacks its section)."""
    source: str
    kind: str


@dataclass
class Outcome:
    """What a repo build or check did, for the closing summary and the exit code.

    The diagnostics and the documents' states go to disk past the first thousand (``repo.spill``):
    a repo of ten thousand files has tens of thousands of each, reported together at the end.
    """

    files: int = 0
    diagnostics: DiagnosticLog = field(default_factory=DiagnosticLog)
    """Read back in the order a report shows them (``diagnostics.sort_key``)."""
    unchanged: int = 0
    failed: int = 0
    seconds: float = 0.0
    stopped: bool = False
    """Nothing was built because the data (or the planned file names) had errors."""
    documents: Rows[DocumentState] = field(default_factory=lambda: Rows(fields_of(DocumentState)))
    """Every document the run planned, made or removed, with its state (a build only)."""
    states: Counter[str] = field(default_factory=Counter)
    """How many of :attr:`documents` are in each state."""
    made_pdfs: int = 0
    """PDFs written (counted among the documents built)."""

    def add(self, document: DocumentState) -> None:
        self.documents.append(document)
        self.states[document.state] += 1

    @property
    def built(self) -> list[str]:
        """The documents written (as shown), in the order they were (read back from disk)."""
        return [d.path for d in self.documents if d.state == "built" and d.path is not None]

    @property
    def removed(self) -> list[str]:
        """The documents removed (as shown), no longer made."""
        return [d.path for d in self.documents if d.state == "removed" and d.path is not None]

    @property
    def skipped(self) -> list[str]:
        """``file（kind）`` of each document the data lacks a section for."""
        return [f"{d.source}（{d.kind}）" for d in self.documents if d.state == "skipped"]

    def summary(self) -> str:
        pdfs = self.made_pdfs
        made = f"生成 {self.states['built']} 份" + (f"（其中 PDF {pdfs} 份）" if pdfs else "")
        parts = [made, f"未变 {self.unchanged} 份", f"失败 {self.failed} 份", f"删除 {self.states['removed']} 份"]
        if self.states["skipped"]:
            parts.append(f"跳过 {self.states['skipped']} 份（数据中缺少所需部分）")
        return f"共 {self.files} 个数据文件：{'，'.join(parts)}；用时 {self.seconds:.1f} 秒。"


@dataclass
class _Source:
    """A data file of this build (kept on disk between the stages: plain strings, cheap to read back)."""

    path: str
    rel: str
    """Its path relative to the repo root (:class:`~.discovery.DataSource`)."""
    folder: str
    shown: str
    digest: str
    names: dict[str, str | None] = field(default_factory=dict)
    role: str = "year"
    inputs: tuple[str, ...] = ()
    previous: str | None = None
    """The same organisation's file a year earlier (its bytes are part of ``digest``)."""


class RepoBuild:
    """One run over a repo; :meth:`check` alone is ``validate``, :meth:`build` does both."""

    def __init__(self, config: RepoConfig, *, jobs: int | None = None, shard: Shard = WHOLE,
                 force: bool = False, strict: bool = False, progress: Progress | None = None,
                 pdf: bool = False) -> None:
        self.config = config
        self._letterhead = b""
        """The letterhead's bytes (empty without one), read once per build for the inputs' hashes."""
        self.pdf = pdf
        """Keep a PDF beside each document (``build --pdf``); without it, PDFs made before are orphans."""
        self.jobs = capped_jobs(jobs or default_jobs())
        self.shard = shard
        self.force = force
        self.strict = strict or config.strict
        self.progress = progress or Progress(bar=False, quiet=True)
        self.manifest = Manifest.read(config.output)
        self.outcome = Outcome()
        self._rules: tuple[list[Any] | None, bytes, list[Diagnostic]] = (None, b"", [])
        self._unflushed: list[Path] = []
        self._known = 0
        """Records of the manifest found for the documents the plan claimed (see :meth:`_fresh`)."""
        self._all_claimed = False
        """Every record the manifest had when the plan was made is of a document the plan claimed:
        none is an orphan, and :meth:`_remove_orphans` need not look."""
        self._started = time.perf_counter()
        self.root = None if config.allow_outside else str(config.root)
        """Where every read of this build must lead (``None``: the config allows reading outside)."""

    # -- validation -----------------------------------------------------------------------
    def check(self, runner: Runner) -> Rows[_Source]:
        """Validate every data file of the shard (reusing the manifest's record of unchanged
        files); the diagnostics of all of them end up in the outcome."""
        rules, rules_bytes, problems = self._rules = shared_rules(self.config)
        if self.config.wording is not None:  # the office's words: documents are rebuilt when they change
            from ..diagnostics import DangjianError
            from ..documents.catalogue import read_overrides

            try:
                rules_bytes += b"\0wording\0" + read_bounded(self.config.wording, MAX_BYTES)
                problems = problems + read_overrides(self.config.wording)[1]
            except Refused as refusal:
                problems = [*problems, refusal.diagnostic(display_path(self.config.wording))]
            except DangjianError as exc:
                problems = problems + exc.diagnostics
            self._rules = (rules, rules_bytes, problems)
        self.outcome.diagnostics += problems
        everything = find_sources(self.config)
        sources = [s for s in everything if self.shard.holds(s.rel)]
        # last year's file of each organisation, looked for in the whole tree (not only this
        # shard) so that every shard and a whole build write the same documents
        last_year = previous_files([s.path for s in everything]) if len(everything) > 1 else {}
        del everything
        self.outcome.files = len(sources)
        if not sources and self.shard == WHOLE:
            self.outcome.diagnostics.append(Diagnostic(
                Severity.ERROR, "no-data", "数据仓库中没有找到 .yaml 数据文件。",
                file=display_path(self.config.file or self.config.root),
                hint="请把数据文件放进配置文件 data 一项所列的文件夹中。"))
        items: Rows[_Source] = Rows()  # on disk, each under its relative path (see repo.spill)
        tasks = _Tasks[tuple[int, CheckTask]](lambda entry: (entry[0], dataclasses.replace(entry[1], rules=rules)))
        here = Path.cwd().resolve()
        sources.reverse()
        while sources:  # each file's source is let go of once it is on disk
            source = sources.pop()
            shown = _shown(source.path, here)
            try:
                data = read_bounded(source.path, MAX_BYTES)
            except Refused as refusal:
                self.outcome.diagnostics.append(refusal.diagnostic(shown))
                continue
            previous = last_year.pop(source.path, None)
            try:
                before = read_bounded(previous, MAX_BYTES) if previous is not None else None
            except Refused:
                previous = before = None
            digest = digest_bytes(data, rules_bytes, before or b"", _sheet_bytes(source.path, data),
                                  _picture_bytes(source.path, data))
            item = _Source(str(source.path), source.rel, source.folder, shown, digest,
                           previous=str(previous) if previous is not None else None)
            known = self.manifest.sources.get(source.rel)
            # a region's checks span the files it names: checked again when any of them changed
            if known is not None and known.digest == item.digest and not self.force and (
                    known.role != "region" or region_unchanged(source.path, known.region)):
                self.outcome.diagnostics += diagnostics_from_json(known.diagnostics, shown)
                item.names, item.role = dict(known.names), known.role
                if known.region:
                    item.inputs = region_inputs(source.path, known.region)
            else:
                facts = self.manifest.region_facts(source.rel) if known is not None and known.role == "region" \
                    and not self.force else None
                tasks.append((len(items), CheckTask(str(source.path), shown, item.digest, None, item.previous,
                                                    self.root, facts)))
            items.append(item, source.rel)
        self.progress.start("校验数据", len(tasks))
        chunk = max(1, min(16, len(tasks) // (runner.jobs * 4) or 1))
        for index, result in runner.run(_check_at, tasks, key=lambda entry: entry[1].path, chunk=chunk):
            item = items[index]
            self._record_check(item, result)
            items[index] = item
            self.progress.advance(1)
        self.progress.finish()
        return items

    def _record_check(self, item: _Source, result: CheckResult) -> None:
        self.outcome.diagnostics += result.diagnostics
        item.names, item.role, item.inputs = result.names, result.role, result.inputs
        self.manifest.dirty = True
        self.manifest.sources[item.rel] = SourceRecord(
            item.digest, diagnostics_to_json(result.diagnostics, item.shown), result.names, result.role,
            result.region)
        if result.role == "region":
            self.manifest.set_region_facts(item.rel, result.facts)

    # -- building -------------------------------------------------------------------------
    def build(self) -> Outcome:
        """Check everything, then make what changed; returns the outcome (never raises for data)."""
        with confined(Path(self.root) if self.root else None):
            return self._build()

    def _build(self) -> Outcome:
        try:
            with Runner(self.jobs) as runner:
                items = self.check(runner)
                if self.outcome.diagnostics.has_errors(strict=self.strict):
                    self._stop()
                    return self._done()
                plan, owners = self._plan(items)
                if self.outcome.diagnostics.has_errors(strict=self.strict):
                    self._stop()
                    return self._done()
                try:
                    self._make(runner, plan)
                    if self.pdf:
                        self._make_pdfs(_made(owners))
                except KeyboardInterrupt:
                    self._save()  # Ctrl+C: keep the record of what was finished
                    raise
        finally:
            clear_caches()  # models checked in this process and not made (errors, unchanged)
        self._remove_orphans(owners, items)
        self.manifest.write()
        return self._done()

    def _stop(self) -> None:
        """Nothing is built; the validations are remembered only where documents already exist."""
        self.outcome.stopped = True
        if self.config.output.is_dir():
            self.manifest.write()

    def _plan(self, items: Rows[_Source]) -> tuple[_Plan, Table[tuple[str, str]]]:
        """Which documents each file makes, which of them must be (re)made, and name clashes; the
        plan and the documents claimed (``owners``, see :meth:`_claim`), both on disk (``repo.spill``)."""
        from ..resources import templates_dir

        rules_hash = digest_bytes(self._rules[1])
        if self.config.script != "hans":  # the same data in another script: every document is new
            rules_hash = digest_bytes(self._rules[1], self.config.script.encode())
        self._letterhead = b""  # its bytes count as the template's: a new letterhead rebuilds every document
        if self.config.letterhead is not None:
            try:
                self._letterhead = read_bounded(self.config.letterhead, MAX_TEMPLATE_BYTES)
            except Refused as refusal:
                self.outcome.diagnostics.append(refusal.diagnostic(display_path(self.config.letterhead)))
                return _Plan(), Table()
            from ..template_check import LETTERHEAD, check_template_cached

            problems = [d for d in check_template_cached(self.config.letterhead, LETTERHEAD) if d.is_error]
            if problems:  # said once here, not once per document
                self.outcome.diagnostics += problems
                return _Plan(), Table()
        templates: dict[str, tuple[str, str]] = {}  # kind → (path, hash of its bytes and the letterhead's)
        for kind in self.config.kinds:
            path = self.config.templates.get(kind) or templates_dir() / f"{kind}.docx"
            try:
                templates[kind] = (str(path), digest_bytes(read_bounded(path, MAX_TEMPLATE_BYTES), self._letterhead))
            except Refused as refusal:
                self.outcome.diagnostics.append(refusal.diagnostic(display_path(path)))
        if len(templates) < len(self.config.kinds):
            return _Plan(), Table()
        # on disk (repo.spill), as the plan: output name's writing.clash_key → (data file, output name)
        owners: Table[tuple[str, str]] = Table(codec=MARSHALLED)
        plan = _Plan(self._rules[0])
        for item in items:
            if item.role == "region":
                planned = self._plan_rollup(item, rules_hash, owners)
                if planned is not None:
                    plan.add(planned)
                continue
            jobs = []
            for document, title in item.names.items():
                kind, _, subject = document.partition("/")  # see workers.CheckResult.names
                if kind not in templates:
                    continue  # a kind the config does not build
                if title is None:
                    self.outcome.add(DocumentState(None, "skipped", item.shown, kind))
                    continue
                name = self._claim(item, title, owners,
                                   "请在 documents 中为其中一份文稿另拟标题，或把两个数据文件放在不同的文件夹中。")
                if name is None:
                    continue
                template_path, template_hash = templates[kind]
                inputs = inputs_digest(document, template_hash.encode(), rules_hash.encode(),
                                       [(item.rel, item.digest)])
                if not self.force and self._fresh(name, item.rel, document, inputs):
                    self.outcome.unchanged += 1
                    self._state(name, "unchanged", item.shown, kind)
                    continue
                bundled = template_path == str(templates_dir() / f"{kind}.docx")
                jobs.append((Job(kind, str(self.config.output / name), None if bundled else template_path,
                                 self.force, subject, letterhead=self._letterhead_path), name, inputs, document))
            if jobs:
                plan.add(_Planned(MakeTask(CheckTask(item.path, item.shown, item.digest,
                                                        self._rules[0], item.previous, self.root),
                                              tuple(job for job, *_ in jobs), self._wording, self.config.script,
                                              self._breaks(jobs)),
                                     item.rel, {job.output: (name, inputs, document)
                                                       for job, name, inputs, document in jobs}))
        self._all_claimed = not self.force and self._known == len(self.manifest.outputs)
        return plan, owners

    def _breaks(self, jobs: list[tuple[Job, str, str, str]]) -> tuple[tuple[str, ...], ...]:
        """How the titles of these documents were broken last time (their manifest records)."""
        found: dict[tuple[str, ...], None] = {}
        for _, name, *_ in jobs:
            record = self.manifest.outputs.get(name)
            if record is not None:
                found.update((tuple(lines), None) for lines in record.breaks  # as untrusted as the manifest
                             if isinstance(lines, list) and all(isinstance(line, str) for line in lines))
        return tuple(found)

    def _plan_rollup(self, item: _Source, rules_hash: str, owners: Table[tuple[str, str]]) -> _Planned | None:
        """A region file's roll-up, hashed over every file it reads (region, institutions, last
        year's), so a change to any of them rebuilds it and nothing else does."""
        from ..resources import templates_dir

        title = item.names.get("rollup")
        if title is None:
            self.outcome.add(DocumentState(None, "skipped", item.shown, "rollup"))
            return None
        name = self._claim(item, title, owners,
                           "请在 documents.rollup.title 中另拟标题，或把文件放在不同的文件夹中。")
        if name is None:
            return None
        template = self.config.templates.get("rollup") or templates_dir() / "rollup.docx"
        sources = []
        try:
            for path in [*map(Path, item.inputs), template]:
                try:
                    rel = self.config.relative(path)
                except ValueError:
                    rel = path.resolve().as_posix()
                sources.append((rel, digest_bytes(read_bounded(path, MAX_BYTES))))
        except Refused as refusal:  # gone or changed since it was checked
            self.outcome.diagnostics.append(refusal.diagnostic(display_path(path)))
            return None
        inputs = inputs_digest("rollup", digest_bytes(sources[-1][1].encode(), self._letterhead).encode(),
                               rules_hash.encode(), sources[:-1])
        if not self.force and self._fresh(name, item.rel, "rollup", inputs):
            self.outcome.unchanged += 1
            self._state(name, "unchanged", item.shown, "rollup")
            return None
        bundled = template == templates_dir() / "rollup.docx"
        job = Job("rollup", str(self.config.output / name), None if bundled else str(template), self.force,
                  letterhead=self._letterhead_path)
        facts = self.manifest.region_facts(item.rel)
        return _Planned(MakeTask(CheckTask(item.path, item.shown, item.digest, self._rules[0], None,
                                           self.root, facts), (job,), self._wording, self.config.script,
                                 self._breaks([(job, name, inputs, "rollup")])),
                        item.rel, {job.output: (name, inputs, "rollup")})

    @property
    def _letterhead_path(self) -> str | None:
        return str(self.config.letterhead) if self.config.letterhead is not None else None

    def _claim(self, item: _Source, title: str, owners: Table[tuple[str, str]], hint: str) -> str | None:
        """The output name for ``title``, or ``None`` (with a diagnostic) when another file's
        document already has it, ignoring case and Unicode normalisation."""
        from ..writing import clash_key, name_clash, safe_filename

        if self.config.script != "hans":
            from ..rendering.script import in_script

            title = in_script(title, self.config.script)
        name = "/".join(p for p in (item.folder, safe_filename(title)) if p)
        first = owners.setdefault(clash_key(name), (item.shown, name))
        if first[0] != item.shown or first[1] != name:
            self.outcome.diagnostics.append(
                name_clash(name, "生成的文稿", f" {first[0]} 的文稿", item.shown, hint=hint))
            return None
        return name

    def _fresh(self, name: str, rel: str, kind: str, inputs: str) -> bool:
        """Whether the document ``name`` on disk is the one its manifest record says, made from
        these inputs. Counts the records found (:attr:`_known`): the plan asks once for each name
        it claims (two documents of one file that would have one name stop the build at the check)."""
        record = self.manifest.outputs.get(name)
        if record is None:
            return False
        self._known += 1
        if (record.source, record.kind, record.inputs) != (rel, kind, inputs):
            return False
        path = self.config.output / name
        try:
            stat = path.stat()
            if stat.st_size != record.size:
                return False
            if stat.st_mtime_ns == record.mtime_ns:
                return True
            # restored from a CI cache, copied, touched: the time differs, the bytes may not
            with confined(self.config.output):
                same = digest_bytes(read_bounded(path, MAX_DOCUMENT_BYTES)) == record.sha256
        except (OSError, Refused):
            return False
        if same:
            record.mtime_ns = stat.st_mtime_ns
            self.manifest.outputs[name] = record  # a record read is a copy (``repo.spill``)
            self.manifest.dirty = True
        return same

    @property
    def _wording(self) -> str | None:
        return str(self.config.wording) if self.config.wording is not None else None

    def _make(self, runner: Runner, plan: _Plan) -> None:
        """Make the planned documents; the runner reads the plan as it hands the tasks out, and
        each file's is read again when its documents are recorded."""
        clear_leftovers(self.config.output)  # temporary files of a build killed while writing
        clear_manifest_leftovers(self.config.output)
        self.progress.start("生成文稿", plan.documents)
        saved = time.monotonic()
        for path, made_list in runner.run(make, plan, key=lambda task: task.check.path):
            planned = plan.find(path)
            for made in made_list:
                self._record_made(planned, made)
            if time.monotonic() - saved > SAVE_EVERY:
                self._save()
                saved = time.monotonic()
        self.progress.finish()
        self._save()

    def _save(self) -> None:
        """Flush the documents written so far, then record them: the manifest never gets ahead."""
        flush(self._unflushed)
        self._unflushed = []
        self.manifest.write()

    def _record_made(self, planned: _Planned, made: Made) -> None:
        name, inputs, document = planned.outputs[made.output]
        shown = self._state(name, made.status if made.status in ("built", "failed") else "unchanged",
                            planned.task.check.shown, made.kind)
        if made.status == "failed":
            self.outcome.failed += 1
            self.outcome.diagnostics += made.diagnostics
            self.manifest.dirty = True
            self.manifest.outputs.pop(name, None)
            self.progress.advance(1, f"失败：{shown}")
            return
        self.manifest.dirty = True
        self.manifest.outputs[name] = OutputRecord(planned.rel, document, inputs, made.sha256, made.size,
                                                   made.mtime_ns, [list(lines) for lines in made.breaks])
        for folder in made.created:
            self.manifest.folders.add(Path(folder).relative_to(self.config.output).as_posix())
        if made.status == "built":
            self._unflushed.append(Path(made.output))
            self.progress.advance(1, f"已生成：{shown}")
        else:
            self.outcome.unchanged += 1
            self.progress.advance(1)

    def _make_pdfs(self, documents: Iterable[str]) -> None:
        """Convert the documents whose PDF is missing or was made from other bytes, all with one
        LibreOffice, and record each PDF like a document, under the document's kind (its inputs: the
        document's hash and the machine's font mapping), so an unchanged one is left alone and an
        orphan is removed."""
        from ..pdf import convert, describe, faces, pdf_name

        mapped = faces()
        mapping = describe(mapped[0]).encode()
        todo: list[tuple[str, bytes]] = []
        records: dict[str, tuple[OutputRecord, str]] = {}  # PDF name → (its document's record, inputs hash)
        with confined(self.config.output):  # our own output, wherever -o put it, and nothing it links to
            for name in documents:
                record = self.manifest.outputs.get(name)
                if record is None:
                    continue  # its document failed: the PDF (if any) waits for the next build
                pdf, inputs = pdf_name(name), digest_bytes(record.sha256.encode(), mapping)
                source = display_path(self.config.root / record.source)
                if not self.force and self._fresh(pdf, record.source, record.kind, inputs):
                    self.outcome.unchanged += 1
                    self._state(pdf, "unchanged", source, kind_of_document(record.kind))
                    continue
                try:
                    content = read_bounded(self.config.output / name, MAX_DOCUMENT_BYTES)
                except Refused as refusal:
                    self.outcome.diagnostics.append(refusal.diagnostic(display_path(self.config.output / name)))
                    self.outcome.failed += 1
                    self._state(pdf, "failed", source, kind_of_document(record.kind))
                    continue
                if digest_bytes(content) != record.sha256:
                    continue  # changed since it was written: remade (with its PDF) next build
                todo.append((name, content))
                records[pdf] = (record, inputs)
        if not todo:
            return
        self.progress.start("生成 PDF", len(todo))
        made = convert(todo, self.config.output, mapped)
        self.outcome.diagnostics += made.diagnostics
        converted = dict(made.pdfs)
        for pdf, (record, inputs) in records.items():
            path, source = self.config.output / pdf, display_path(self.config.root / record.source)
            try:
                if pdf not in converted:
                    raise FileNotFoundError  # said in made.diagnostics
                replace_file(path, converted[pdf])
                info = path.stat()
            except OSError as exc:
                if pdf in converted:
                    self.outcome.diagnostics.append(write_failed(
                        path, reason(exc), "请检查输出文件夹是否有写入权限，以及同名文件是否正在打开。"))
                self.outcome.failed += 1
                self.manifest.outputs.pop(pdf, None)
                self.manifest.dirty = True
                self._state(pdf, "failed", source, kind_of_document(record.kind))
                continue
            self.manifest.dirty = True
            self.manifest.outputs[pdf] = OutputRecord(record.source, record.kind, inputs,
                                                      digest_bytes(converted[pdf]), info.st_size, info.st_mtime_ns)
            self._unflushed.append(path)
            self._state(pdf, "built", source, kind_of_document(record.kind))
            self.outcome.made_pdfs += 1
            self.progress.advance(1, f"已生成：{display_path(path)}")
        self.progress.finish()
        self._save()

    # -- clean-up -------------------------------------------------------------------------
    def _remove_orphans(self, owners: Table[tuple[str, str]], present: Rows[_Source]) -> None:
        """Remove documents this repo made before but makes no longer (data file deleted, kind
        dropped, title changed), within this shard only. ``owners`` holds the documents made
        (:meth:`_claim`); when the plan claimed every record of the manifest, none is looked at.

        The manifest names them, but it is a claim, not an order (a CI cache restores it; anyone
        can edit it): a file is deleted only when it lies inside the output folder, is a regular
        file and not a link, and still has the bytes this tool wrote. Anything else is left
        where it is, with a warning, and forgotten.
        """
        if self._all_claimed:
            self._forget_missing_sources(present)
            return
        wanted = _made(owners)
        if self.pdf:
            from ..pdf import pdf_name

            wanted.update(Table((pdf_name(name), True) for name in wanted).items())
        for name in self.manifest.outputs:  # in order, read a page at a time
            if name in wanted:
                continue
            record = self.manifest.outputs[name]
            if not self.shard.holds(record.source):
                continue
            path = self.config.output / name
            del self.manifest.outputs[name]
            self.manifest.dirty = True
            why = _not_ours(self.config.output, name, record.sha256)
            if why == "":
                continue  # already gone
            if why is not None:
                self.outcome.diagnostics.append(Diagnostic(
                    Severity.WARNING, "orphan-kept", f"生成记录中有这份文稿，但{why}，没有删除。",
                    file=display_path(path) if _plain(name) else name,
                    hint="本工具只删除它自己写出、且未被改动的文稿；如确实不再需要，请手动删除。"))
                continue
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                self.outcome.diagnostics.append(Diagnostic(
                    Severity.WARNING, "remove-failed", f"无法删除已不再生成的文稿（{exc.strerror}）。",
                    file=display_path(path), hint="请手动删除，或关闭正在打开它的程序后重新运行。"))
                continue
            self._state(name, "removed", display_path(self.config.root / record.source), kind_of_document(record.kind))
            self.progress.say(f"已删除：{display_path(path)}（{_why_removed(record.source, present)}）")
            self._prune_empty(path.parent)
        self._forget_missing_sources(present)

    def _prune_empty(self, folder: Path) -> None:
        """Remove folders left empty by removed documents, innermost first: only folders a build
        created (the manifest's ``folders``), never a link, never the output folder itself."""
        top = self.config.output
        while folder != top and top in folder.parents and not folder.is_symlink():
            rel = folder.relative_to(top).as_posix()
            if rel not in self.manifest.folders:
                return
            try:
                folder.rmdir()
            except FileNotFoundError:
                pass
            except OSError:
                return
            self.manifest.folders.discard(rel)
            self.manifest.dirty = True
            folder = folder.parent

    def _forget_missing_sources(self, present: Rows[_Source]) -> None:
        for rel in self.manifest.sources:  # read a page at a time: it may change meanwhile
            if self.shard.holds(rel) and not (self.config.root / rel).is_file() and not present.named(rel):
                del self.manifest.sources[rel]
                self.manifest.dirty = True

    def _state(self, name: str, state: str, source: str, kind: str) -> str:
        """Record what happened to the document ``name`` (under the output folder); its shown path."""
        shown = str(Path(self._output_shown) / name)
        self.outcome.add(DocumentState(shown, state, source, kind))
        return shown

    @functools.cached_property
    def _output_shown(self) -> str:
        """The output folder as shown: a document's shown path is this joined with its name
        (resolving each of thousands of names again was a third of a no-change build)."""
        return display_path(self.config.output)

    def _done(self) -> Outcome:
        self.outcome.diagnostics += [d for d in self.manifest.problems if d not in self.outcome.diagnostics]
        self.outcome.seconds = time.perf_counter() - self._started
        return self.outcome


@dataclass
class _Planned:
    task: MakeTask
    rel: str
    outputs: dict[str, tuple[str, str, str]]
    """Absolute output path → (name under the output folder, inputs hash, the document's id)."""


def _made(owners: Table[tuple[str, str]]) -> Table[bool]:
    """The names of the documents claimed in ``owners`` (see ``RepoBuild._claim``), in order."""
    return Table((name, True) for _, (_, name) in owners.items())


def _check_at(entry: tuple[int, CheckTask]) -> tuple[int, CheckResult]:
    """:func:`~.workers.check` of a task numbered by its file's place among the build's items."""
    return entry[0], check(entry[1])


class _Tasks(Collection[T]):
    """Tasks kept on disk until the runner hands them out (``repo.spill``), stored without what
    every one of them carries alike (the repo's shared rules), which ``restore`` puts back."""

    def __init__(self, restore: Callable[[T], T]) -> None:
        self._rows: Rows[T] = Rows()
        self._restore = restore

    def append(self, task: T) -> None:
        self._rows.append(task)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[T]:
        return map(self._restore, self._rows)

    def __contains__(self, task: object) -> bool:
        return any(task == mine for mine in self)


class _Plan(Collection[MakeTask]):
    """The documents to make, one entry a data file, on disk (``repo.spill``); iterated, the
    tasks (what the runner reads as it hands them out). The repo's shared rules, the same in
    every task, are stored once."""

    def __init__(self, rules: list[Any] | None = None) -> None:
        self._entries: Rows[_Planned] = Rows()
        self._rules = rules
        self.documents = 0

    def add(self, planned: _Planned) -> None:
        check = dataclasses.replace(planned.task.check, rules=None)
        self._entries.append(dataclasses.replace(planned, task=dataclasses.replace(planned.task, check=check)),
                             planned.task.check.path)
        self.documents += len(planned.task.jobs)

    def find(self, path: str) -> _Planned:
        """The entry of the data file at ``path`` (as its task names it)."""
        found = self._entries.find(path)
        assert found is not None, path
        return found

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[MakeTask]:
        for planned in self._entries:
            task = planned.task
            yield dataclasses.replace(task, check=dataclasses.replace(task.check, rules=self._rules))

    def __contains__(self, task: object) -> bool:
        return any(task == mine for mine in self)


def kind_of_document(document: str) -> str:
    """``branch-plan`` of ``branch-plan/内科党支部`` (a manifest records the document, not just its kind)."""
    return document.partition("/")[0]


def _shown(path: Path, here: Path) -> str:
    """:func:`display_path` for a path already absolute, without resolving it again per file."""
    try:
        return str(path.relative_to(here))
    except ValueError:
        return str(path)


def _sheet_bytes(path: Path, data: bytes) -> bytes:
    """The bytes of the activity spreadsheet a data file names (``activities_from``), so that an
    edit of the sheet alone rebuilds the file's documents; a sheet that cannot be read is
    reported by the file's check, and hashes as the reason."""
    from ..loading.sheets import MAX_BYTES as SHEET_BYTES
    from ..loading.sheets import referenced

    name = referenced(data)
    if name is None:
        return b""
    try:
        return read_bounded(path.parent / name, SHEET_BYTES)
    except Refused as refusal:
        return refusal.code.encode()


_PICTURE_NAME = re.compile(rb"""(?:\bfile|\blogo)[ \t]*:[ \t]*['"]?([^'"\s,}#][^'",}#\r\n]*?)['"]?[ \t]*(?:[,}#]|$)""",
                           re.MULTILINE)


def _picture_bytes(path: Path, data: bytes) -> bytes:
    """The bytes of the pictures a data file may name (``logo:``, photos' ``file:``), found
    without parsing it, so that a photo replaced under the same name rebuilds the documents;
    a name that is not a picture, or a file that cannot be read, hashes as its name or reason."""
    if b"logo" not in data and b"photos" not in data:
        return b""
    from ..images import MAX_IMAGE_BYTES

    found = []
    for match in _PICTURE_NAME.finditer(data):
        name = match.group(1).strip()
        try:
            found += [name, read_bounded(path.parent / name.decode("utf-8", "replace"), MAX_IMAGE_BYTES)]
        except Refused as refusal:
            found += [name, refusal.code.encode()]
    return digest_bytes(*found).encode() if found else b""


def _why_removed(rel: str, present: Rows[_Source]) -> str:
    """``present``: this build's data files, each under its relative path."""
    return "数据文件已删除" if not present.named(rel) else "不再生成这份文稿"


def _plain(name: str) -> bool:
    """A name as this tool writes it: relative, ``/``-separated, without ``.``/``..`` parts."""
    parts = name.split("/")
    return bool(name) and "\\" not in name and not name.startswith("/") and ":" not in parts[0] and all(
        part not in ("", ".", "..") for part in parts)


def _not_ours(output: Path, name: str, sha256: str) -> str | None:
    """Why the manifest's ``name`` must not be deleted; ``None`` when it may, ``""`` when it is
    not there at all."""
    if not _plain(name):
        return "它的路径不在输出文件夹之内"
    path = output / name
    try:
        info = path.lstat()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return f"无法查看它（{exc.strerror}）"
    if stat.S_ISLNK(info.st_mode):
        return "它是一个符号链接"
    if Path(os.path.realpath(output)) not in Path(os.path.realpath(path)).parents:
        return "它的路径经符号链接指向输出文件夹之外"
    if not stat.S_ISREG(info.st_mode):
        return "它不是普通文件"
    try:
        with confined(output):  # the output folder is read wherever -o put it, even outside the repo
            same = digest_bytes(read_bounded(path, MAX_DOCUMENT_BYTES)) == sha256
    except Refused as refusal:
        return f"无法读取它（{refusal.message.rstrip('。')}）"
    return None if same else "它的内容已不是本工具写出的样子（可能被编辑过）"


def check_repo(config: RepoConfig, *, jobs: int | None = None, shard: Shard = WHOLE) -> Outcome:
    """Validate every data file of a repo without building (the manifest is read, not written)."""
    run = RepoBuild(config, jobs=jobs, shard=shard)
    try:
        with confined(Path(run.root) if run.root else None), Runner(run.jobs) as runner:
            run.check(runner)
    finally:
        clear_caches()  # nothing is made: the models kept for making are not needed
    return run._done()


def build_repo(config: RepoConfig, **options: Any) -> Outcome:
    """Build a repo (see :class:`RepoBuild` for the options)."""
    return RepoBuild(config, **options).build()


def region_unchanged(path: Path, record: dict[str, Any] | None) -> bool:
    """Whether a region file's last check still holds (imported on use: only a repo with a
    region file pays for the region modules)."""
    from ..region.cache import unchanged

    return unchanged(path, record)


def previous_files(paths: list[Path]) -> dict[Path, Path]:
    """Each year file's same organisation a year earlier (``region.continuity``, imported on use)."""
    from ..region.continuity import previous_files as pair

    return pair(paths)


def region_inputs(path: Path, record: dict[str, Any]) -> tuple[str, ...]:
    from ..region.cache import inputs

    return inputs(path, record)
