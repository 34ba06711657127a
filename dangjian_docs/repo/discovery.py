"""Finding the data files of a repo: every ``.yaml``/``.yml`` under the data folders.

Hidden folders (``.git``), the output folder and the config file are never data; paths the
config excludes are skipped. The order is the sorted relative path, so that every run, shard
and machine sees the same list.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path

from ..diagnostics import DangjianError, Diagnostic, Severity
from ..loading import DATA_SUFFIXES
from ..record import Record
from .config import CONFIG_NAME, RepoConfig


class DataSource(Record):
    """One data file: where it is, and its path relative to the repo root (its stable name)."""

    path: Path
    rel: str
    folder: str
    """Its folder relative to the data folder it was found in: documents go to the same place
    under the output folder."""


def find_sources(config: RepoConfig) -> list[DataSource]:
    """Every data file of the repo, once each, in a stable order."""
    found: dict[str, DataSource] = {}
    root = config.root.resolve()
    output = config.output.resolve()
    skip = {root / CONFIG_NAME, *(p.resolve() for p in (config.rules, config.wording) if p is not None)}
    for top in config.data:
        top = top.resolve()  # everything below is then a plain join: no resolve per file
        for dirpath, dirnames, filenames in os.walk(top):
            here = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and here / d != output)
            folder = here.relative_to(top).as_posix()
            for name in sorted(filenames):
                if not name.endswith(DATA_SUFFIXES) or name.startswith("."):
                    continue
                path = here / name
                if path in skip:
                    continue
                rel = path.relative_to(root).as_posix()
                if _excluded(rel, config.exclude) or rel in found:
                    continue
                found[rel] = DataSource(path, rel, "" if folder == "." else folder)
    return [found[rel] for rel in sorted(found)]


def _excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.rstrip("/") + "/*") for p in patterns)


# -- shards ---------------------------------------------------------------------------------

class Shard(Record):
    """Part ``index`` (1-based) of ``count``: a CI matrix job builds one; ``within`` narrows it
    to the files and folders a command named inside the repo."""

    index: int
    count: int
    within: tuple[str, ...] = ()
    """Paths relative to the root (a file, or a folder and all below it); empty: the whole repo."""

    def holds(self, rel: str) -> bool:
        """Whether the file at ``rel`` belongs to this shard: by a hash of its path, so a file
        stays in its shard when others are added or removed."""
        if self.within and not any(rel == w or rel.startswith(f"{w}/") for w in self.within):
            return False
        digest = hashlib.sha256(rel.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


WHOLE = Shard(1, 1)


def parse_shard(text: str) -> Shard:
    """``"2/4"`` → the second of four shards; a wrong form is a user error in Chinese.

    Only ASCII digits: ``int()`` would take full-width ``２/４`` too, which a shell script or a
    CI matrix never writes, so it is refused rather than guessed.
    """
    match = re.fullmatch(r"([0-9]{1,6})/([0-9]{1,6})", text)
    index, count = (int(match[1]), int(match[2])) if match else (0, 0)
    if not (count >= 1 and 1 <= index <= count):
        why = (f"序号 {index} 大于总数 {count}" if match and count >= 1 and index > count
               else "序号和总数都要从 1 开始" if match else "只能写半角数字和“/”")
        raise DangjianError([Diagnostic(
            Severity.ERROR, "bad-shard", f"分片“{text}”的写法不对：{why}。",
            hint="写成“序号/总数”，序号从 1 开始，如 --shard 2/4 表示四份中的第二份。")])
    return Shard(index, count)


def enclosing_repo(path: Path) -> Path | None:
    """The repo ``path`` lies in below its root: the nearest folder above with a config file,
    looking no further up than a ``.git`` folder (the data repo's own root)."""
    here = path.resolve()
    for folder in here.parents:
        if (folder / CONFIG_NAME).is_file():
            return folder
        if (folder / ".git").exists():
            return None
    return None


def selection(config: RepoConfig, paths: Sequence[Path]) -> tuple[str, ...] | None:
    """``paths`` relative to the root, when each is a data file of the repo or a folder holding
    some, as :func:`find_sources` finds them (the one rule of what the repo builds); ``None``
    when any is not (an excluded draft, a file outside the data folders, the output folder)."""
    sources = [s.rel for s in find_sources(config)]
    root = config.root.resolve()
    chosen = []
    for path in paths:
        here = path.resolve()
        if here == root or root not in here.parents:
            return None
        rel = here.relative_to(root).as_posix()
        held = any(s.startswith(f"{rel}/") for s in sources) if here.is_dir() else rel in sources
        if not held:
            return None
        chosen.append(rel)
    return tuple(chosen)


def is_data_tree(folder: Path) -> bool:
    """A folder without a config whose data sits in subfolders only (``数据/2025/*.yaml``): built
    as a repo with the default settings. A folder with data at its own level keeps the plain
    one-level behaviour, so ``samples/`` never reaches into ``samples/broken/``."""
    if any(p.suffix in DATA_SUFFIXES and p.is_file() for p in folder.iterdir()):
        return False
    for _, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        if any(name.endswith(DATA_SUFFIXES) and not name.startswith(".") for name in filenames):
            return True
    return False
