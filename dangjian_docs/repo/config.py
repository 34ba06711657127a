"""The data repo's config file: which folders hold data, where documents go, how they are made.

The file is YAML (``dangjian-docs.yaml`` at the repo's root), read with the same loader as the
data files, so a mistake in it is reported with its line and column like any other.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path
from ..documents import KIND_NAMES  # the names only: no document module is imported
from ..record import Record
from ..rendering.script import SCRIPTS, Script

if TYPE_CHECKING:
    from ..loading import DataFile

CONFIG_NAME = "dangjian-docs.yaml"
DEFAULT_OUTPUT = "文稿"

_KEYS = {
    "data": "存放数据文件的文件夹（含其中各级子文件夹）",
    "exclude": "不当作数据文件的路径（通配符）",
    "output": "文稿输出文件夹",
    "kinds": "生成哪几种文稿",
    "templates": "各种文稿使用的模板",
    "rules": "全部数据文件共用的组织生活规则文件",
    "strict": "警告是否也视为错误",
    "allow_outside": "是否允许读取仓库之外的文件（符号链接、绝对路径；默认不允许）",
    "wording": "本单位的措辞文件（改写文稿中的固定句子和标题，见 docs/wording.md）",
    "script": "文稿用字：hans 简体（默认），hant 繁体",
    "letterhead": "本单位的红头模板（.docx，排在每份文稿第一页的顶部，见 docs/images.md）",
}


class RepoConfig(Record):
    """A repo's settings with every path resolved against the repo's root."""

    root: Path
    data: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()
    output: Path = Path(DEFAULT_OUTPUT)
    kinds: tuple[str, ...] = KIND_NAMES
    templates: dict[str, Path] = field(default_factory=dict)
    """Kind → template file; kinds not named use the bundled template."""
    rules: Path | None = None
    strict: bool = False
    allow_outside: bool = False
    """Let data, region entries and links lead out of the repo (off: such reads are refused)."""
    wording: Path | None = None
    """The office's wording file: catalogue entries that replace the package's (``documents.catalogue``)."""
    script: Script = "hans"
    """The documents' script: ``hans`` as the data is written, ``hant`` converted to traditional."""
    letterhead: Path | None = None
    """The office's letterhead (红头) put on the first page of every document (``rendering.letterhead``)."""
    file: Path | None = None
    """The config file, ``None`` for a folder tree built with the defaults."""

    def relative(self, path: Path) -> str:
        """``path`` relative to the repo root, with ``/`` on every system (stable for hashing)."""
        return path.resolve().relative_to(self.root.resolve()).as_posix()


def config_path(folder: Path) -> Path:
    return folder / CONFIG_NAME


def is_repo(folder: Path) -> bool:
    """Whether ``folder`` holds a repo config file."""
    return config_path(folder).is_file()


def default_config(root: Path, output: Path | None = None) -> RepoConfig:
    """The settings of a plain folder tree without a config file: all of it is data."""
    root = root.resolve()
    return RepoConfig(root=root, data=(root,), output=(output or root / DEFAULT_OUTPUT).resolve())


def load_config(root: Path) -> RepoConfig:
    """Read and check ``root``'s config file; raises with every problem found in it."""
    from ..loading import load

    root = root.resolve()
    source = load(config_path(root))
    reader = _Reader(source, root)
    config = reader.read()
    if reader.problems:
        raise DangjianError(reader.problems)
    return config


class _Reader:
    def __init__(self, source: DataFile, root: Path) -> None:
        self.source = source
        self.root = root
        self.problems: list[Diagnostic] = []

    def error(self, path: tuple[str | int, ...], message: str, hint: str = "", *, key: bool = False) -> None:
        self.problems.append(self.source.diagnostic(Severity.ERROR, "repo-config", path, message, hint, key=key))

    def read(self) -> RepoConfig:
        data = self.source.data
        if not isinstance(data, dict):
            self.error((), "配置文件应当是“键: 值”形式的映射。", "可以运行 dangjian-docs init 生成一份示例配置。")
            return RepoConfig(root=self.root)
        from ..validation.suggest import did_you_mean

        for key in data:
            if key not in _KEYS:
                self.error((key,), f"配置文件中没有“{key}”这一项。{did_you_mean(key, _KEYS)}",
                           "可用的项：" + "；".join(f"{k}（{v}）" for k, v in _KEYS.items()) + "。", key=True)
        return RepoConfig(
            root=self.root,
            data=tuple(self._folders(data.get("data", ["."]))),
            exclude=tuple(self._strings("exclude", data.get("exclude", []))),
            output=self._output(data.get("output", DEFAULT_OUTPUT)),
            kinds=self._kinds(data.get("kinds", list(KIND_NAMES))),
            templates=self._templates(data.get("templates") or {}),
            rules=self._file(("rules",), data.get("rules")) if data.get("rules") is not None else None,
            strict=self._bool("strict", data.get("strict", False)),
            allow_outside=self._bool("allow_outside", data.get("allow_outside", False)),
            wording=self._file(("wording",), data.get("wording")) if data.get("wording") is not None else None,
            script=self._script(data.get("script", "hans")),
            letterhead=(self._file(("letterhead",), data.get("letterhead"))
                        if data.get("letterhead") is not None else None),
            file=config_path(self.root),
        )

    def _strings(self, key: str, value: Any) -> list[str]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
            self.error((key,), f"{_KEYS[key]}（{key}）应当是文字，或文字的列表。", f"例如：{key}: [数据]")
            return []
        return items

    def _inside(self, path: tuple[str | int, ...], text: str) -> Path | None:
        target = (self.root / text).resolve()
        try:
            target.relative_to(self.root)
        except ValueError:
            self.error(path, f"“{text}”不在数据仓库之内。", "请写相对于配置文件所在文件夹的路径，不要用“..”跳出仓库。")
            return None
        return target

    def _folders(self, value: Any) -> list[Path]:
        folders = []
        items = self._strings("data", value)
        for i, text in enumerate(items):
            where: tuple[str | int, ...] = ("data", i) if isinstance(value, list) else ("data",)
            folder = self._inside(where, text)
            if folder is None:
                continue
            if not folder.is_dir():
                self.error(where, f"数据文件夹“{text}”不存在。", "请先建好这个文件夹，或改正配置中的名称。")
                continue
            folders.append(folder)
        return folders

    def _output(self, value: Any) -> Path:
        if not isinstance(value, str) or not value.strip():
            self.error(("output",), "输出文件夹（output）应当是一个文件夹名。", f"例如：output: {DEFAULT_OUTPUT}")
            return self.root / DEFAULT_OUTPUT
        folder = self._inside(("output",), value)
        if folder is None:
            return self.root / DEFAULT_OUTPUT
        if folder == self.root:
            self.error(("output",), "输出文件夹不能是仓库的根文件夹。", f"例如：output: {DEFAULT_OUTPUT}")
        return folder

    def _kinds(self, value: Any) -> tuple[str, ...]:
        items = self._strings("kinds", value)
        if items == ["all"]:
            return KIND_NAMES
        kinds = []
        for i, kind in enumerate(items):
            if kind not in KIND_NAMES:
                where: tuple[str | int, ...] = ("kinds", i) if isinstance(value, list) else ("kinds",)
                self.error(where, f"没有“{kind}”这种文稿。", f"可选：{'、'.join(KIND_NAMES)}，或 all。")
            elif kind not in kinds:
                kinds.append(kind)
        return tuple(kinds)

    def _file(self, path: tuple[str | int, ...], value: Any) -> Path | None:
        if not isinstance(value, str) or not value.strip():
            self.error(path, "这里应当写一个文件的路径（相对于配置文件所在文件夹）。")
            return None
        target = self._inside(path, value)
        if target is not None and not target.is_file():
            if target.exists():
                self.error(path, f"“{value}”不是普通文件（而是文件夹、管道或设备）。", "请改正路径，指向一个文件。")
            else:
                self.error(path, f"文件“{value}”不存在。", "请改正路径，或删除这一项。")
            return None
        return target

    def _templates(self, value: Any) -> dict[str, Path]:
        if isinstance(value, str):  # a folder holding plan.docx, summary.docx, report.docx
            folder = self._inside(("templates",), value)
            if folder is None or not folder.is_dir():
                self.error(("templates",), f"模板文件夹“{value}”不存在。")
                return {}
            return {k: folder / f"{k}.docx" for k in KIND_NAMES if (folder / f"{k}.docx").is_file()}
        if not isinstance(value, dict):
            self.error(("templates",), "模板（templates）应当是一个文件夹，或“文稿种类: 模板文件”的映射。",
                       "例如：templates: {plan: 模板/工作计划.docx}")
            return {}
        templates = {}
        for kind, text in value.items():
            if kind not in KIND_NAMES:
                self.error(("templates", kind), f"没有“{kind}”这种文稿。", f"可选：{'、'.join(KIND_NAMES)}。", key=True)
                continue
            target = self._file(("templates", kind), text)
            if target is not None:
                templates[kind] = target
        return templates

    def _script(self, value: Any) -> Script:
        if value not in SCRIPTS:
            self.error(("script",), f"文稿用字（script）应当是 hans（简体）或 hant（繁体），写的是“{value}”。",
                       "例如：script: hant")
            return "hans"
        return "hant" if value == "hant" else "hans"

    def _bool(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            self.error((key,), f"{key} 应当是 true 或 false。")
            return False
        return value


def describe(config: RepoConfig) -> str:
    """One line naming the config in messages."""
    return display_path(config.file) if config.file else f"{display_path(config.root)}（无配置文件，按默认设置）"
