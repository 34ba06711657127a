"""Render the first page of each sample document to PNG for docs/gallery.md (of a register such
as the ledger, its first two: the overview and the first branch's page).

    python docs/make_gallery.py [--data samples/binjiang-2025.yaml] [--dpi 80] [--kind report-duty]

One picture a kind: the first document it makes from the data (a kind written once a branch or
a secretary shows its first). ``--kind`` redraws only the pictures of the kinds named (the page
lists every kind either way), so that the others' PNGs stay as they are.

Needs LibreOffice and pdftoppm (poppler-utils); tools/bootstrap.sh installs both. The PNGs
are written to docs/gallery/ and the page that shows them to docs/gallery.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dangjian_docs  # noqa: E402
from dangjian_docs.documents import KINDS  # noqa: E402
from dangjian_docs.pdf import to_pdf  # noqa: E402

GALLERY = ROOT / "docs" / "gallery"


def page_png(pdf: bytes, target: Path, dpi: int, page: int = 1) -> None:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "page.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                        str(source), str(target.with_suffix(""))], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "samples" / "binjiang-2025.yaml")
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("--kind", action="append", choices=list(KINDS), help="只重画这些种类的图片")
    args = parser.parse_args()
    year = dangjian_docs.validate(dangjian_docs.load(args.data)).year
    if year is None:
        sys.exit(f"{args.data} has errors: run dangjian-docs validate on it")
    GALLERY.mkdir(parents=True, exist_ok=True)
    lines = ["# 示例文稿预览", "",
             f"由 `{args.data.relative_to(ROOT)}` 生成的各份文稿的第一页（台账另有第一个支部的一页；LibreOffice 转换，"
             "Linux 上以 Noto 字体代替方正小标宋、仿宋等字体，因此字形与 Windows 上的 Word/WPS 略有不同）。"
             "重新生成：`python docs/make_gallery.py`。", ""]
    first = {m.kind.name: m for m in reversed(dangjian_docs.outputs(year))}
    for kind, spec in KINDS.items():
        if kind not in first:
            continue
        target = GALLERY / f"{kind}.png"
        if not args.kind or kind in args.kind:
            pdf = to_pdf(dangjian_docs.render(year, kind, subject=first[kind].subject), kind)
            page_png(pdf, target, args.dpi)
            print(target)
            if spec.register:  # a register's first page is its overview: show a branch's page too
                page_png(pdf, GALLERY / f"{kind}-2.png", args.dpi, page=2)
        lines += [f"## {spec.label}：{first[kind].title}", "",
                  f"![{spec.label}第一页](gallery/{kind}.png)", ""]
        if spec.register:
            lines += [f"![{spec.label}第二页](gallery/{kind}-2.png)", ""]
    (ROOT / "docs" / "gallery.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
