"""Render time: our prepared templates against plain docxtpl, measured in the same run.

    python benchmarks/bench_render.py [--repeat 5] [--batch 100] [--data samples/binjiang-2025.yaml] [--cpu]

For each kind it times one render and a batch of renders (the same data, as a data repo's CI
rebuilding many files would), with dangjian_docs.render and with a plain docxtpl
``DocxTemplate(path).render(context); save()`` of the same template and context. It prints the
median of ``--repeat`` runs and the ratio docxtpl / ours. The first call of ours includes
preparing the template (a cold cache), as a one-off command would see it. Each of our renders
gets a fresh copy of the year, so the figures and tallies a data file's kinds share are worked
out again every time, as for a batch of different files.

The floor is what any renderer must at least do for one document: write a .docx whose parts are
the template's, already compressed, and deflate one ``word/document.xml`` the size of ours. It
prints ``ours / floor`` for the batch (lower is better).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import statistics
import struct
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dangjian_docs  # noqa: E402
from dangjian_docs.documents import KINDS  # noqa: E402
from dangjian_docs.model import YearData  # noqa: E402
from dangjian_docs.rendering import engine  # noqa: E402
from dangjian_docs.resources import templates_dir  # noqa: E402

CLOCK: Callable[[], float] = time.perf_counter
"""Wall time, or with ``--cpu`` this process's CPU time (steadier on a shared machine)."""
SPLIT_YEAR: YearData
"""The benchmark's data, for ``--split``."""


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median time in milliseconds over ``repeat`` runs (see :data:`CLOCK`)."""
    samples = []
    for _ in range(repeat):
        start = CLOCK()
        action()
        samples.append((CLOCK() - start) * 1000)
    return statistics.median(samples)


def fresh(year: YearData) -> YearData:
    """The same data as a year object that has worked nothing out yet: facts are computed once
    per data file, and each render here stands for a document of another file."""
    return dataclasses.replace(year)


def plain_docxtpl(template: Path, context: object) -> bytes:
    doc = DocxTemplate(template)
    doc.render(context, Environment(autoescape=True))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


def deflate(data: bytes) -> tuple[int, bytes]:
    """CRC-32 and raw deflate at zipfile's default level, as a .docx entry holds them."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


def compressed_parts(template: Path) -> list[tuple[str, int, int, bytes]]:
    """The template's parts as (name, size, CRC-32, deflated bytes), compressed once beforehand."""
    with zipfile.ZipFile(template) as archive:
        parts = []
        for name in archive.namelist():
            data = archive.read(name)
            parts.append((name, len(data), *deflate(data)))
        return parts


def floor(parts: list[tuple[str, int, int, bytes]], document: bytes) -> bytes:
    """A .docx of the template's compressed parts with ``document`` deflated as its
    ``word/document.xml``: the least a render writes, with no template run at all."""
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, size, crc, deflated in parts:
        if name == "word/document.xml":
            size, (crc, deflated) = len(document), deflate(document)
        encoded = name.encode()
        header = _LOCAL.pack(b"PK\x03\x04", 20, 0, 0, 8, 0, 0, crc, len(deflated), size, len(encoded), 0)
        local += (header, encoded, deflated)
        central += (_CENTRAL.pack(b"PK\x01\x02", 20, 0, 20, 0, 0, 8, 0, 0, crc, len(deflated), size,
                                  len(encoded), 0, 0, 0, 0, 0, offset), encoded)
        offset += len(header) + len(encoded) + len(deflated)
    directory = b"".join(central)
    return b"".join(local) + directory + _END.pack(b"PK\x05\x06", 0, 0, len(parts), len(parts),
                                                    len(directory), offset, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--data", type=Path, default=ROOT / "samples" / "binjiang-2025.yaml")
    parser.add_argument("--kind", action="append", choices=sorted(KINDS),
                        help="a kind to time (repeatable; default: plan, summary, report, the issue's rows)")
    parser.add_argument("--cpu", action="store_true",
                        help="time with this process's CPU time instead of the wall clock")
    parser.add_argument("--split", action="store_true",
                        help="also time each kind's context alone and the engine alone (from that "
                             "context to the .docx bytes), per document")
    args = parser.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time

    year = dangjian_docs.validate(dangjian_docs.load(args.data)).year
    assert year is not None, "the benchmark data must validate"
    global SPLIT_YEAR
    SPLIT_YEAR = year
    print(f"data: {args.data.name}, {len(year.activities)} activities; median of {args.repeat} runs, "
          f"{'CPU' if args.cpu else 'wall'} time")
    print(f"{'kind':8} {'ours 1 (cold)':>14} {'docxtpl 1':>10} {'ratio':>6} "
          f"{'ours ' + str(args.batch):>10} {'docxtpl ' + str(args.batch):>12} {'ratio':>6} "
          f"{'floor ' + str(args.batch):>10} {'ours/floor':>10}")
    for kind in args.kind or ("plan", "summary", "report"):
        spec = KINDS[kind]
        template = templates_dir() / spec.template_name
        # a kind written a branch at a time is timed on its first branch
        subject = spec.fan_out(year)[0] if spec.fan_out is not None else None
        context = spec.build_context(year, subject) if subject is not None else spec.build_context(year)

        def ours_cold(kind: str = kind, subject: str | None = subject) -> bytes:
            engine._prepared.cache_clear()
            return dangjian_docs.render(fresh(year), kind, subject=subject or "")

        def ours_batch(kind: str = kind, subject: str | None = subject) -> None:
            for _ in range(args.batch):
                dangjian_docs.render(fresh(year), kind, subject=subject or "")

        def plain_batch(template: Path = template, context: object = context) -> None:
            for _ in range(args.batch):
                plain_docxtpl(template, context)

        ours = dangjian_docs.render(year, kind, subject=subject or "")
        with zipfile.ZipFile(io.BytesIO(ours)) as built:
            document = built.read("word/document.xml")
        raw = compressed_parts(template)

        def floor_batch(raw: list[tuple[str, int, int, bytes]] = raw, document: bytes = document) -> None:
            for _ in range(args.batch):
                floor(raw, document)

        one_ours = timed(ours_cold, args.repeat)
        one_plain = timed(lambda t=template, c=context: plain_docxtpl(t, c), args.repeat)
        many_ours = timed(ours_batch, max(1, args.repeat // 2))
        many_plain = timed(plain_batch, max(1, args.repeat // 2))
        many_floor = timed(floor_batch, args.repeat)
        print(f"{kind:8} {one_ours:12.1f}ms {one_plain:8.1f}ms {one_plain / one_ours:5.1f}x "
              f"{many_ours:8.0f}ms {many_plain:10.0f}ms {many_plain / many_ours:5.1f}x "
              f"{many_floor:8.1f}ms {many_ours / many_floor:9.1f}x")
        if args.split:
            split(kind, subject, args.batch * args.repeat)


def split(kind: str, subject: str | None, runs: int) -> None:
    """Median per-document time of the context alone (a fresh year each time) and of the engine
    alone: the same context filled into the template, checked, and zipped."""
    from dangjian_docs.api import _fill
    from dangjian_docs.documents.base import date_of_writing

    spec = KINDS[kind]
    year = SPLIT_YEAR
    contexts = []
    context_ms = timed_each(lambda: contexts.append(dangjian_docs.api.with_pictures(
        spec.context(fresh(year), subject or ""), year)), runs)
    context = contexts[-1]
    template = templates_dir() / spec.template_name
    when = date_of_writing(year, kind)
    engine_ms = timed_each(lambda: _fill(context, template, spec.label, context["doc"].title,
                                         year.signature.body, when, kind), runs)
    print(f"{'':8} per document: context {context_ms:.2f}ms, engine {engine_ms:.2f}ms")


def timed_each(action: Callable[[], object], runs: int) -> float:
    """Median of ``runs`` single calls, in milliseconds (see :data:`CLOCK`)."""
    action()
    return timed(action, runs)


if __name__ == "__main__":
    main()
