"""Render the first page of each sample document to PNG for docs/gallery.md.

    python docs/make_gallery.py [--data samples/binjiang-2025.yaml] [--dpi 80]

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


def first_page_png(pdf: bytes, target: Path, dpi: int) -> None:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "page.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                        str(source), str(target.with_suffix(""))], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "samples" / "binjiang-2025.yaml")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args()
    year = dangjian_docs.validate(dangjian_docs.load(args.data)).year
    if year is None:
        sys.exit(f"{args.data} has errors: run dangjian-docs validate on it")
    GALLERY.mkdir(parents=True, exist_ok=True)
    lines = ["# 示例文稿预览", "",
             f"由 `{args.data.relative_to(ROOT)}` 生成的每种文稿的第一页（各支部、党小组的文稿取第一份；"
             "LibreOffice 转换，"
             "Linux 上以 Noto 字体代替方正小标宋、仿宋等字体，因此字形与 Windows 上的 Word/WPS 略有不同）。"
             "重新生成：`python docs/make_gallery.py`。", ""]
    for kind, spec in KINDS.items():
        made = dangjian_docs.outputs(year, [kind])
        if not made:
            continue
        target = GALLERY / f"{kind}.png"
        first_page_png(to_pdf(dangjian_docs.render(year, kind, subject=made[0].subject), kind), target, args.dpi)
        lines += [f"## {spec.label}：{made[0].title}", "",
                  f"![{spec.label}第一页](gallery/{kind}.png)", ""]
        print(target)
    (ROOT / "docs" / "gallery.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
