#!/usr/bin/env python3
"""Write the key table of docs/wording.md (可以修改的措辞) from the package's wording catalogue.

Every row comes from dangjian_docs/documents/wording_data/*.yaml, so the page cannot drift from
what the documents are written with. Only the lines between the two markers are replaced.

    python tools/gen_wording_docs.py           # rewrite the table
    python tools/gen_wording_docs.py --check   # exit 1 if docs/wording.md is out of date
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dangjian_docs.documents.catalogue import Catalogue, default_catalogue  # noqa: E402

PAGE = ROOT / "docs" / "wording.md"
START, END = "<!-- wording-keys:start -->", "<!-- wording-keys:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "（空）"


def rows(catalogue: Catalogue) -> Iterator[str]:
    yield "| 键 | 可填入 | 可按条件 | 组织形式 · 条件 → 措辞 |"
    yield "| --- | --- | --- | --- |"
    for key in sorted(catalogue.specs):
        spec = catalogue.specs[key]
        slots = "、".join(f"`{{{s}}}`" for s in sorted(spec.slots)) or "—"
        facts = "、".join(f"`{f}`" for f in sorted(spec.facts)) or "—"
        entries = []
        for e in catalogue.entries[key]:
            when = "、".join([*e.forms, *e.when, *(f"非{u}" for u in e.unless)])
            entries.append((f"{when} → " if when else "") + _cell(e.text))
        yield f"| `{key}` | {slots} | {facts} | {'<br>'.join(entries)} |"


def generate(page: str) -> str:
    head, rest = page.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + START + "\n" + "\n".join(rows(default_catalogue())) + "\n" + END + tail


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    page = PAGE.read_text(encoding="utf-8")
    fresh = generate(page)
    if args.check:
        if fresh != page:
            print("docs/wording.md 与措辞目录不一致：请运行 python tools/gen_wording_docs.py。")
            return 1
        return 0
    PAGE.write_text(fresh, encoding="utf-8")
    print("已写入 docs/wording.md。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
