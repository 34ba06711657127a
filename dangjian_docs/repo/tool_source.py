"""Where the CI files that ``init`` writes install dangjian-docs from: the source this very copy
was installed from, pinned, so that CI builds with the tool the office used.

``pip install dangjian-docs==0.1.0`` fails where the version is not on the package index (it
never was, for a tool installed from a Git checkout or a wheel passed around by hand). The order:

1. what the user names with ``init --tool`` (a wheel file, a URL, a requirement);
2. the installed distribution's ``direct_url.json`` (PEP 610): a VCS URL with its commit, or
   the URL of the archive it came from; a local wheel file is copied into the new repo;
3. the package index at this version, with a warning when this copy did not come from there
   (a local folder, an editable install), since the index may not have it.
"""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from ..diagnostics import DangjianError, Diagnostic, Severity
from ..record import Record

DISTRIBUTION = "dangjian-docs"
TOOL_FOLDER = "工具"
"""Where a local wheel is copied in the new repo: CI checks the repo out and installs it from there."""

_ARCHIVES = (".whl", ".tar.gz", ".zip")


class ToolSource(Record):
    """What CI installs: ``spec`` is one ``pip install`` argument."""

    spec: str
    origin: str
    """Where it came from, in Chinese, for the new repo's README (one clause, no parentheses:
    it is shown inside some)."""
    copy: Path | None = None
    """A local file to copy to ``工具/`` in the new repo (``spec`` then names that copy)."""
    warning: str | None = None
    """Said when ``init`` finishes: CI may not be able to install ``spec``."""


def tool_source(tool: str | None = None, *, direct_url: dict[str, Any] | Literal["installed"] | None = "installed",
                version: str | None = None) -> ToolSource:
    """The source for the CI files; ``direct_url`` and ``version`` default to this installation's
    (``direct_url=None``: installed from a package index, which has no such record)."""
    if tool is not None:
        return _named(tool)
    if version is None:
        from .. import __version__ as version
    if direct_url == "installed":
        direct_url = _installed_direct_url()
    index = f"{DISTRIBUTION}=={version}"
    if direct_url is None:  # installed from a package index: that index has this version
        return ToolSource(index, f"软件包索引上的 {index}，本机的 dangjian-docs 就是从那里安装的")
    url = str(direct_url.get("url", ""))
    vcs = direct_url.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("commit_id"):
        where = f"{vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}"
        if direct_url.get("subdirectory"):
            where += f"#subdirectory={direct_url['subdirectory']}"
        return ToolSource(f"{DISTRIBUTION} @ {where}", f"代码仓库 {url} 的提交 {vcs['commit_id']}，即本机安装的版本")
    archive = direct_url.get("archive_info")
    if isinstance(archive, dict) and url.startswith(("https://", "http://")):
        digest = archive.get("hashes", {}).get("sha256") or _hash_of(archive.get("hash"))
        pinned = url if "#" in url or not digest else f"{url}#sha256={digest}"
        return ToolSource(f"{DISTRIBUTION} @ {pinned}", f"安装包 {url}，即本机安装的版本")
    if isinstance(archive, dict) and url.startswith("file://"):
        path = Path(unquote(urlsplit(url).path))
        if path.is_file() and path.name.endswith(_ARCHIVES):
            return _local(path, "本机安装时使用的安装包")
    folder = unquote(urlsplit(url).path) if url else ""
    here = f"是从本地文件夹 {folder} 安装的" if folder else "直接从源代码运行，不是用 pip 安装的"
    return ToolSource(index, f"软件包索引上的 {index}", warning=(
        f"本机的 dangjian-docs {here}，CI 无法从那里安装；"
        f"CI 文件暂写 pip install {index}，软件包索引上没有这个版本时 CI 会安装失败。"
        "请用 --tool 指定 CI 安装的来源：安装包文件（.whl，会复制进数据仓库）、网址，"
        "或带提交号的代码仓库地址（如 dangjian-docs @ git+https://…@提交号）；建好后也可以按 README 的说明修改。"))


def _named(tool: str) -> ToolSource:
    """``--tool``: a local wheel or source archive (copied in), else a URL or requirement as written."""
    text = tool.strip()
    if not text or any(ch in text for ch in "\r\n\t\"'`$\\") or not text.isprintable():
        raise _refused(tool, "不能为空，也不能含有引号、$、反斜杠或换行。")
    path = Path(text).expanduser()
    if path.is_file():
        if not path.name.endswith(_ARCHIVES):
            raise _refused(tool, "本地文件只能是安装包（.whl、.tar.gz 或 .zip）。")
        return _local(path.resolve(), "用 init --tool 指定的安装包")
    if path.is_dir():
        raise _refused(tool, "这是一个文件夹；请先在其中运行 pip wheel --no-deps . 做成 .whl 安装包，再指定该文件。")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text) or text.startswith("git+"):
        if not text.startswith(("https://", "http://", "git+", "hg+", "svn+", "bzr+")):
            raise _refused(tool, "网址只能是 https://、http:// 或 git+… 形式的代码仓库地址。")
        return ToolSource(f"{DISTRIBUTION} @ {text}", f"用 init --tool 指定的 {text}")
    if text.endswith(_ARCHIVES) or "/" in text or text.startswith("."):
        raise _refused(tool, "找不到这个文件。")
    if not re.match(r"^dangjian[-_.]docs\b", text, re.IGNORECASE):
        raise _refused(tool, "应为安装包文件、网址或 dangjian-docs 的版本要求（如 dangjian-docs==0.1.0）。")
    return ToolSource(text, f"用 init --tool 指定的 {text}")


def _local(path: Path, how: str) -> ToolSource:
    return ToolSource(f"./{TOOL_FOLDER}/{path.name}", f"{how} {path.name}，已复制到 {TOOL_FOLDER}/ 中", copy=path)


def _refused(tool: str, why: str) -> DangjianError:
    return DangjianError([Diagnostic(
        Severity.ERROR, "bad-tool", f"--tool “{tool}” 无法用作 CI 安装本工具的来源：{why}",
        hint="可以写安装包文件（如 dist/dangjian_docs-0.1.0-py3-none-any.whl）、网址，"
             "或带提交号的代码仓库地址（如 git+https://example.org/dangjian-docs.git@提交号）。")])


def _hash_of(value: object) -> str | None:
    """The legacy ``archive_info.hash`` (``sha256=…``)."""
    if isinstance(value, str) and value.startswith("sha256="):
        return value.removeprefix("sha256=")
    return None


def _installed_direct_url() -> dict[str, Any] | None:
    """PEP 610's record of where this installation came from; ``None`` for an index install."""
    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json") or ""
    except metadata.PackageNotFoundError:
        text = None
    if text is None:  # not installed at all (run from a source folder): not from an index either
        return {}
    if not text:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None
