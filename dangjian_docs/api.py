"""The functions behind ``import dangjian_docs``: the data's journey from file to documents.

load → validate → compute (per kind) → render → write, each step in its own module; this one
only strings them together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .diagnostics import DangjianError, Diagnostic, Severity, display_path
from .documents import KINDS, DocumentKind
from .documents.base import date_of_writing
from .loading import DataFile
from .model import YearData
from .resources import templates_dir
from .validation import Validation, validate
from .writing import reason as write_failure
from .writing import safe_filename, write_atomic

DATA_SUFFIXES = (".yaml", ".yml")


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


def check_file(path: str | Path) -> Validation:
    """Load and validate one file; a file that cannot be read gives a failed validation."""
    return validate(Path(path))


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


def render(data: YearData | DataFile | str | Path, kind: str,
           template: str | Path | None = None) -> bytes:
    """The finished .docx of ``kind`` (``plan``, ``summary`` or ``report``) as bytes.

    ``template`` replaces the bundled template of that kind. Raises :class:`DangjianError` for
    invalid data, a template problem, or a placeholder left in the result.
    """
    return _render(year_data(data), kind_of(kind), template)[1]


def _render(year: YearData, spec: DocumentKind, template: str | Path | None) -> tuple[str, bytes]:
    """The document's title and bytes: the title names the file, so it is built only once."""
    if not spec.can_build(year):
        raise DangjianError([Diagnostic(
            Severity.ERROR, "missing-section", f"生成{spec.label}需要数据中的“{spec.requires}”部分。",
            file=year.source, hint=f"请在数据文件中补充 {spec.requires}:（参见 samples/ 中的示例）。")])
    # Rendering (Jinja, lxml, docxtpl) is imported on first use: `validate` never needs it.
    from .rendering.engine import prepare
    from .rendering.inspect import check_no_placeholders
    from .rendering.package import CORE_PROPERTIES, assemble, core_properties

    context = spec.build_context(year)
    title = context["doc"].title
    prepared = prepare(Path(template) if template else templates_dir() / spec.template_name)
    parts = prepared.render_parts(context)
    when = date_of_writing(year, spec.name)
    if CORE_PROPERTIES in parts:
        parts[CORE_PROPERTIES] = core_properties(title, year.signature.body, when)
    check_no_placeholders(parts, spec.label)
    return title, assemble(parts, prepared.order, when)


def document_title(year: YearData, kind: str) -> str | None:
    """The title ``kind`` would have, or ``None`` when the data lacks what the kind needs."""
    spec = kind_of(kind)
    return spec.title(year) if spec.can_build(year) else None


def build(data: YearData | DataFile | str | Path, kinds: Iterable[str] = tuple(KINDS),
          out_dir: str | Path = ".", templates: str | Path | None = None,
          *, strict: bool = False) -> list[Path]:
    """Render every kind first, then write them; if any fails, nothing is written.

    Files are named after the document title (``2025年…党建工作计划.docx``) and written
    atomically. ``templates`` is a folder holding ``plan.docx`` etc. to use instead of ours.
    """
    year = year_data(data, strict=strict)
    rendered: list[tuple[Path, bytes]] = []
    problems: list[Diagnostic] = []
    for kind in dict.fromkeys(kinds):
        spec = kind_of(kind)
        template = Path(templates) / spec.template_name if templates else None
        try:
            title, content = _render(year, spec, template)
        except DangjianError as exc:
            problems.extend(exc.diagnostics)
            continue
        rendered.append((Path(out_dir) / safe_filename(title), content))
    if problems:
        raise DangjianError(problems)
    for path, content in rendered:
        try:
            write_atomic(path, content)
        except OSError as exc:
            raise DangjianError([Diagnostic(
                Severity.ERROR, "write-failed", f"无法写入文件（{write_failure(exc)}）。", file=display_path(path),
                hint="请检查输出文件夹是否存在、是否有写入权限，以及同名文件是否正在 Word/WPS 中打开。")]) from None
    return [path for path, _ in rendered]
