"""The functions behind ``import dangjian_docs``: the data's journey from file to documents.

load → validate → compute (per kind) → render → write, each step in its own module; this one
only strings them together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import DangjianError, Diagnostic, Severity, display_path
from .documents import KIND_NAMES, KINDS, REGION_KINDS
from .documents.base import DocumentKind, Planned, date_of_writing, planned
from .loading import DATA_SUFFIXES, DataFile
from .model import YearData
from .resources import templates_dir
from .validation import Validation, validate
from .writing import (
    WriteFailure,
    bad_file_name,
    clash_key,
    name_clash,
    name_problem,
    safe_filename,
    write_failed,
    write_set,
)

if TYPE_CHECKING:  # the roll-up's types; its modules load only when a region file is built
    from .documents.rollup import RegionKind
    from .region import RegionValidation
    from .region.figures import Rollup
    from .rendering.script import Script



def data_files(paths: Sequence[str | Path]) -> Iterator[Path | Diagnostic]:
    """The data files named by ``paths``: files as given, folders' ``*.yaml`` (not recursive).

    A folder is not searched below its own level, so ``samples/`` does not pick up the
    deliberately broken files in ``samples/broken/``.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in DATA_SUFFIXES and p.is_file())
            if not found:
                yield Diagnostic(Severity.ERROR, "no-data", "文件夹中没有 .yaml 数据文件。",
                                 file=display_path(path), hint="请指定数据文件或包含数据文件的文件夹。")
            yield from found
        elif path.exists():
            yield path
        else:
            yield Diagnostic(Severity.ERROR, "unreadable", "文件不存在。", file=display_path(path),
                             hint="请检查路径是否写对。")


def check_file(path: str | Path) -> Validation | RegionValidation:
    """Load and validate one file; a file that cannot be read gives a failed validation.

    A region file (top-level ``region:``) is checked with every file it names (a
    :class:`~dangjian_docs.region.RegionValidation`, whose ``rollup`` is what it builds).
    """
    from .loading import load
    from .region import is_region

    try:
        source = load(path)
    except DangjianError:
        return validate(Path(path))  # the same failed validation, with the reason
    if is_region(source.data):
        from .region.validation import validate_region

        result: Validation | RegionValidation = validate_region(source)
    else:
        result = validate(source)
    result.diagnostics.extend(name_problems(result))
    return result


def year_data(data: YearData | DataFile | str | Path, *, strict: bool = False) -> YearData:
    """The typed model from whatever the caller has; raises with every diagnostic if invalid."""
    if isinstance(data, YearData):
        return data
    result = validate(data)
    if result.year is None or not result.ok(strict=strict):
        raise DangjianError(result.diagnostics)
    return result.year


def kind_of(name: str) -> DocumentKind:
    try:
        return KINDS[name]
    except KeyError:
        raise DangjianError([Diagnostic(
            Severity.ERROR, "unknown-kind", f"没有“{name}”这种文稿。",
            hint=f"可选：{'、'.join(KINDS)}。")]) from None


def region_kind_of(name: str) -> RegionKind:
    try:
        return REGION_KINDS[name]
    except KeyError:
        raise DangjianError([Diagnostic(
            Severity.ERROR, "unknown-kind", f"汇总文件不能生成“{name}”这种文稿。",
            hint=f"可选：{'、'.join(REGION_KINDS)}。")]) from None


def render(data: YearData | DataFile | str | Path, kind: str,
           template: str | Path | None = None, *,
           previous: YearData | DataFile | str | Path | None = None, subject: str = "",
           letterhead: str | Path | None = None, script: Script = "hans") -> bytes:
    """The finished .docx of ``kind`` (``plan``, ``summary``, ``report``, ``article`` …) as bytes.

    ``template`` replaces the bundled template of that kind. ``previous`` is the same
    organisation's data a year earlier: 基本情况 then ends with what changed since (see
    :func:`changes_since`). ``subject`` names the branch or Party group for a kind written once
    for each (see :func:`outputs`). ``letterhead`` is an office's 红头 (.docx) put on the first
    page (see docs/images.md). ``script="hant"`` writes it in traditional characters (the data
    stays as it is). Raises :class:`DangjianError` for invalid data, a template problem, or a
    placeholder left in the result.
    """
    year = year_data(data)
    spec = kind_of(kind)
    if subject not in spec.subjects(year):
        raise DangjianError([Diagnostic(
            Severity.ERROR, "unknown-kind", f"{spec.label}没有“{subject}”这一份。", file=year.source,
            hint=f"可选：{'、'.join(s or '（整个组织）' for s in spec.subjects(year))}。")])
    return _render(year, spec, template, _previous(previous, year), subject, letterhead, script)[1]


def outputs(data: YearData | DataFile | str | Path, kinds: Iterable[str] = KIND_NAMES) -> list[Planned]:
    """Every document ``kinds`` make from the data, with its title (which names its file) and
    whom it is about: one a kind, or one a branch or Party group for a kind written for each.
    Kinds the data cannot support make none (see ``kind-skipped`` in ``validate``)."""
    return planned(year_data(data), [kind_of(kind) for kind in dict.fromkeys(kinds)])


def _previous(previous: YearData | DataFile | str | Path | None, year: YearData) -> YearData | None:
    if previous is None:
        return None
    from .documents.history import check_previous

    last = year_data(previous)
    check_previous(last, year)
    return last


def _render(year: YearData, spec: DocumentKind, template: str | Path | None,
            previous: YearData | None = None, subject: str = "",
            letterhead: str | Path | None = None, script: Script = "hans") -> tuple[str, bytes]:
    """The document's title (in ``script``) and bytes: the title names the file, so it is built only once."""
    if not spec.can_build(year):
        raise DangjianError([Diagnostic(
            Severity.ERROR, "missing-section", f"生成{spec.label}需要数据中的{spec.need_words}。",
            file=year.source, hint=f"请在数据文件中补充{spec.need_words}（参见 samples/ 中的示例）。")])
    context = with_pictures(spec.context(year, subject), year)
    if previous is not None and not subject:
        from .documents.history import with_changes

        context = with_changes(context, previous, year)
    title = context["doc"].title
    return _fill(context, template or templates_dir() / spec.template_name, spec.label, title,
                 year.signature.body, date_of_writing(year, spec.name), spec.name, letterhead, script)


def _fill(context: Mapping[str, Any], template: str | Path, label: str, title: str, author: str,
          when: dt.date, kind: str, letterhead: str | Path | None = None,
          script: Script = "hans") -> tuple[str, bytes]:
    """A template filled with a kind's context: the title in ``script`` and the .docx bytes,
    properties from the data.

    An own template (not one of ours) and a letterhead are first checked as ``check-template``
    checks them, so that their errors are reported with their places before anything is rendered.
    The script is applied here, once, to everything a reader sees: the text (a letterhead's
    too), the properties, the file's name.
    """
    # Rendering (Jinja, lxml, docxtpl) is imported on first use: `validate` never needs it.
    from .rendering.engine import is_bundled, prepare
    from .rendering.inspect import check_no_placeholders
    from .rendering.package import APP_PROPERTIES, CORE_PROPERTIES, app_properties, assemble, core_properties

    own = not is_bundled(Path(template))
    if own or letterhead is not None:
        from .template_check import refuse_if_broken  # the checks only for a template of the user's

        if own:
            refuse_if_broken(template, kind)
        if letterhead is not None:
            refuse_if_broken(letterhead, "letterhead")
    prepared = prepare(Path(template), Path(letterhead) if letterhead is not None else None)
    parts = prepared.render_parts(context)
    if script != "hans":
        from .rendering.script import convert_parts, in_script

        parts = convert_parts(parts, script)
        title, author = in_script(title, script), in_script(author, script)
    if CORE_PROPERTIES in parts:
        parts[CORE_PROPERTIES] = core_properties(title, author, when)
    if APP_PROPERTIES in parts:
        parts[APP_PROPERTIES] = app_properties()
    check_no_placeholders(parts, label)
    return title, assemble(parts, list(parts), when)


def with_pictures(context: Mapping[str, Any], year: YearData) -> Mapping[str, Any]:
    """A kind's context with the data's pictures: ``photos``, ``logo`` and each section's photos
    (see :mod:`.documents.pictures`); without pictures in the data, nothing is read."""
    from .documents import pictures as placing

    if not (year.photos or year.organisation.logo):
        return {**context, "photos": placing.Album(), "logo": None}
    from .images import ImageProblem
    from .loading import format_path
    from .validation.pictures import pictures

    found = list(pictures(year))
    problems = []
    for path, file, refused in found:  # changed since validation: said without a line
        if isinstance(refused, ImageProblem):
            code = refused.code  # one of images.py's codes
            problems.append(Diagnostic(Severity.ERROR, code, f"图片“{file}”：{refused.message}", file=year.source,
                                       path=format_path(path), hint=refused.hint))
    if problems:
        raise DangjianError(problems)
    checked = [p for _, _, p in found if not isinstance(p, ImageProblem)]
    logo = checked.pop(0) if year.organisation.logo else None
    album = placing.album(list(zip(year.photos, checked, strict=True)))
    return placing.with_pictures(context, album, placing.logo(logo, year.organisation.name))


def document_title(year: YearData, kind: str, script: Script = "hans") -> str | None:
    """The title ``kind`` would have (in ``script``), or ``None`` when the data lacks what the kind
    needs (for a kind written once a branch: the first branch's; see :func:`outputs`)."""
    made = planned(year, [kind_of(kind)])
    return _in_script(made[0].title, script) if made else None


def _in_script(text: str, script: Script) -> str:
    if script == "hans":
        return text
    from .rendering.script import in_script  # OpenCC only for a hant build

    return in_script(text, script)


def build(data: YearData | DataFile | str | Path, kinds: Iterable[str] | None = None,
          out_dir: str | Path = ".", templates: str | Path | None = None,
          *, strict: bool = False,
          previous: YearData | DataFile | str | Path | None = None,
          letterhead: str | Path | None = None, script: Script = "hans") -> list[Path]:
    """Render every kind first, then write them as one set; if any fails, nothing is written.

    ``kinds`` left out means every kind the data can make (as ``build --kind all``: the article
    only where practices are marked for it); a kind named that the data cannot make is an error.
    Files are named after the document title (``2025年…党建工作计划.docx``); the set replaces
    the old files all at once or not at all (see :func:`write_documents`). ``templates`` is a
    folder holding ``plan.docx`` etc. to use instead of ours. ``previous``, ``letterhead``,
    ``script``: see :func:`render`.
    """
    year = year_data(data, strict=strict)
    return write_documents(out_dir, render_set(year, kinds, templates, previous=_previous(previous, year),
                                               letterhead=letterhead, script=script))


def render_set(year: YearData, kinds: Iterable[str] | None = None,
               templates: str | Path | None = None, *,
               previous: YearData | None = None,
               letterhead: str | Path | None = None, script: Script = "hans") -> list[tuple[str, bytes]]:
    """The file name and content of each document ``kinds`` make (one a branch for a kind written
    for each); raises with every problem if any fails.

    File names are checked first: a title no file system can hold, or two documents whose titles
    give one file name (ignoring case, as Windows and macOS do), would lose a document.
    """
    if kinds is None:
        kinds = [name for name in KIND_NAMES if KINDS[name].can_build(year)]
    specs = [kind_of(kind) for kind in dict.fromkeys(kinds)]
    problems = file_name_problems(year, specs, script)
    if problems:
        raise DangjianError(problems)
    rendered: list[tuple[str, bytes]] = []
    for spec in specs:
        template = Path(templates) / spec.template_name if templates else None
        for subject in spec.subjects(year):
            try:
                title, content = _render(year, spec, template, previous, subject, letterhead, script)
            except DangjianError as exc:
                problems.extend(exc.diagnostics)
                break  # one missing section or broken template: said once, not once a branch
            rendered.append((safe_filename(title), content))
    if problems:
        raise DangjianError(problems)
    return rendered


def file_name_problems(year: YearData, specs: Iterable[DocumentKind], script: Script = "hans") -> list[Diagnostic]:
    """Titles that cannot name a file, and documents whose files would be one and the same
    (compared in ``script``: two titles may become one)."""
    return planned_name_problems(year, planned(year, specs), script)


def planned_name_problems(year: YearData, documents: Iterable[Planned], script: Script = "hans") -> list[Diagnostic]:
    """:func:`file_name_problems` of documents already planned (a repo's check plans them to
    record their titles, and does not work the titles out a second time)."""
    problems: list[Diagnostic] = []
    seen: dict[str, Planned] = {}
    for document in documents:
        title = _in_script(document.title, script)
        why = name_problem(title)
        if why:
            problems.append(bad_file_name(document.label, why, year.source, document.title_path,
                                          document.retitle))
            continue
        name = safe_filename(title)
        first = seen.setdefault(clash_key(name), document)
        if first is not document:
            problems.append(name_clash(
                name, document.label, first.label, year.source, path=document.title_path,
                hint=f"请在 {document.retitle} 或 {first.retitle} 中另拟标题。"))
    return problems


def name_problems(result: Validation | RegionValidation) -> list[Diagnostic]:
    """The file-name problems a build would refuse, for ``validate`` to report first: a title no
    file system can hold, or two documents of one file whose titles give one file name."""
    if not isinstance(result, Validation):  # a region file's: only its roll-up has a title
        if result.rollup is None:
            return []
        spec = region_kind_of("rollup")
        why = name_problem(spec.title(result.rollup))
        return [bad_file_name(spec.label, why, result.source.path, f"documents.{spec.name}.title")] if why else []
    if result.year is None:
        return []
    return file_name_problems(result.year, [kind_of(kind) for kind in KIND_NAMES])


def write_documents(out_dir: str | Path, documents: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Write rendered documents into ``out_dir`` as one set: all replace the old files, or none do.

    A build killed while writing leaves either the old set or the new one (the next build
    completes an interrupted set); two builds into one folder take turns.
    """
    try:
        return write_set(out_dir, documents)
    except WriteFailure as exc:
        raise DangjianError([write_failed(exc.path, exc.reason, "请检查输出文件夹是否存在、是否有写入权限，"
                                          "以及同名文件是否正在 Word/WPS 中打开；原有的文稿没有改动。")]) from None


# -- the county roll-up: a region file and the year files it names ---------------------------

def rollup_data(source: Rollup | DataFile | str | Path, *, strict: bool = False) -> Rollup:
    """The roll-up's inputs from a region file (path or :class:`DataFile`), or a ready ``Rollup``.

    Raises with every diagnostic of the region file and of the institutions' files if any is
    wrong (warnings too under ``strict``).
    """
    from .region import Rollup, validate_region

    if isinstance(source, Rollup):
        return source
    result = validate_region(source)
    if result.rollup is None or not result.ok(strict=strict):
        raise DangjianError(result.diagnostics)
    return result.rollup


def render_region(source: Rollup | DataFile | str | Path, kind: str = "rollup",
                  template: str | Path | None = None, *,
                  letterhead: str | Path | None = None, script: Script = "hans") -> tuple[str, bytes]:
    """The roll-up's file name and .docx bytes (see :func:`rollup_data` for ``source``)."""
    spec = region_kind_of(kind)
    rollup = rollup_data(source)
    from .documents.pictures import Album

    context = {**spec.build_context(rollup), "photos": Album(), "logo": None}  # a roll-up has no pictures
    title = context["doc"].title
    why = name_problem(title)  # before rendering: a name that cannot be written is no use
    if why:
        raise DangjianError([bad_file_name(spec.label, why, rollup.region.source, f"documents.{spec.name}.title")])
    title, content = _fill(context, template or templates_dir() / spec.template_name, spec.label, title,
                           rollup.region.signature_body, spec.date(rollup), spec.name, letterhead, script)
    return safe_filename(title), content


def build_region(source: Rollup | DataFile | str | Path, out_dir: str | Path = ".", templates: str | Path | None = None,
                 *, strict: bool = False, script: Script = "hans") -> list[Path]:
    """Validate a region file and its institutions' files, then write the roll-up into ``out_dir``."""
    rollup = rollup_data(source, strict=strict)
    template = Path(templates) / "rollup.docx" if templates else None
    return write_documents(out_dir, [render_region(rollup, template=template, script=script)])


def changes_since(previous: YearData | DataFile | str | Path, current: YearData | DataFile | str | Path) -> str:
    """``党员总数较上年增加6名，新发展党员比上年多2名。`` for the same organisation a
    year apart, saying only what both years know; ``""`` when there is nothing to compare.

    For a summary's or report's 基本情况; the repo build finds last year's file by organisation
    name and year (see :mod:`dangjian_docs.region.continuity`).
    """
    from .domain.history import changes, changes_sentence

    return changes_sentence(changes(year_data(previous), year_data(current)))
