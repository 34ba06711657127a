"""``dangjian-docs init``: a new data repo for a county health bureau that builds at once.

The files come from the ``scaffold/`` folder beside this module (stored under plain ASCII
names so that any packaging keeps them) and are written to their places in the new repo;
the bundled schema is copied too, so the data files' ``$schema`` lines work offline.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..diagnostics import DangjianError, Diagnostic, Severity, display_path
from .config import CONFIG_NAME
from .tool_source import ToolSource, tool_source

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"

FILES = {  # file in scaffold/ → place in the new repo
    "config.yaml": CONFIG_NAME,
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "github-workflow.yml": ".github/workflows/dangjian-docs.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
    "rules.yaml": "规则/组织生活规则.yaml",
    "data-hospital.yaml": "数据/2025/青溪县人民医院.yaml",
    "data-small-hospital.yaml": "数据/2025/青溪县中医院.yaml",
    "data-township.yaml": "数据/2025/青山镇卫生院.yaml",
    "data-region.yaml": "数据/2025/青溪县汇总.yaml",
}
MAX_TOOL_MB = 200
"""A wheel of this tool is about 1 MB; a file far larger named by ``--tool`` is a mistake."""
SCHEMA = "schemas/year.schema.json"
REGION_SCHEMA = "schemas/region.schema.json"


def init_repo(target: Path, tool: ToolSource | None = None) -> list[Path]:
    """Write a new repo into ``target`` (created if needed); never replaces an existing file.

    ``tool`` is what its CI files install (default: where this copy was installed from, see
    :mod:`.tool_source`); a local wheel is copied into the repo, so that CI can install it.
    """
    from ..resources import schemas_dir

    source = tool or tool_source()
    fills = {  # in the CI files a YAML double-quoted string (JSON's is one), in the README as it is
        ".yml": {b"{tool}": json.dumps(source.spec, ensure_ascii=False).encode()},
        ".md": {b"{tool}": source.spec.encode(), b"{origin}": source.origin.encode()},
    }
    contents: dict[str, bytes] = {}
    for name, place in FILES.items():
        data = (SCAFFOLD / name).read_bytes()
        for key, value in fills.get(Path(name).suffix, {}).items():
            data = data.replace(key, value)
        contents[place] = data
    if source.copy is not None:  # the user's wheel: read as any input is, a regular file of bounded size
        from ..inputs import MB, Refused, read_bounded

        try:
            contents[source.spec.removeprefix("./")] = read_bounded(source.copy, MAX_TOOL_MB * MB)
        except Refused as exc:
            raise DangjianError([exc.diagnostic(display_path(source.copy))]) from None
    contents[SCHEMA] = (schemas_dir() / "year.schema.json").read_bytes()
    contents[REGION_SCHEMA] = (schemas_dir() / "region.schema.json").read_bytes()
    existing = [place for place in contents if (target / place).exists()]
    if existing:
        raise DangjianError([Diagnostic(
            Severity.ERROR, "init-exists", "文件已经存在，没有改动任何文件。", file=display_path(target / place),
            hint="init 只用来新建数据仓库；请换一个空文件夹，或先移走这些文件。") for place in existing])
    written = []
    for place, data in contents.items():
        path = target / place
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            from ..writing import reason, write_failed

            raise DangjianError([write_failed(path, reason(exc), "请换一个有写入权限的文件夹。")]) from None
        written.append(path)
    return written
