"""PDF through LibreOffice: one converter for a whole build, with the official faces mapped.

The .docx is converted exactly as delivered: its line grid and condensed characters lay out 28
characters a line and 22 lines a page in LibreOffice as in Word and WPS (see tools/make_templates.py).

The faces GB/T 9704 names (仿宋, 楷体, 方正小标宋简体, 黑体, 宋体) are not free, and a machine
without them lets LibreOffice fall back to whatever fontconfig offers first, often one sans face
for everything. So each build writes a private ``fonts.conf`` (passed as ``FONTCONFIG_FILE``) that
maps every official name to the closest free face installed (:data:`FACES`, documented in
docs/pdf.md), and says which official face has no stand-in rather than falling back silently.

One ``soffice`` process converts every document of a build (its start-up, a few seconds, is
most of the cost of a small document), in a private profile so a LibreOffice the user has open
is neither used nor disturbed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from .diagnostics import DangjianError, Diagnostic, Severity, display_path
from .record import Record

TIMEOUT_SECONDS = 180
"""The converter's start-up and first document; each further document adds :data:`SECONDS_EACH`."""
SECONDS_EACH = 30
INSTALL_HINT = ("请安装 LibreOffice 后重新运行（Debian/Ubuntu：apt-get install libreoffice-writer-nogui "
                "fonts-noto-cjk fonts-arphic-ukai fonts-liberation2；Windows、macOS：到 "
                "libreoffice.org 下载安装）。")


class Face(Record):
    """An official face and the free faces that stand in for it, best first."""

    label: str
    names: tuple[str, ...]
    """The names a document may give the face (the Chinese name, its GB2312 variant, the English one)."""
    stand_ins: tuple[str, ...]
    """fontconfig family names; the first installed one is used, the next ones fill missing characters."""
    package: str
    """The Debian package of the first stand-in (named in the warning when it is missing)."""
    bold: bool = False


FACES: tuple[Face, ...] = (
    # no free FangSong covers simplified characters: cwTeX 仿宋 (fonts-cwtex-fs) is drawn for
    # traditional ones and lacks 计、设、这、会 …, so a body set in it alternates between two faces
    # of different size; the serif is the one face that sets every character alike
    Face("仿宋", ("仿宋", "仿宋_GB2312", "FangSong", "FangSong_GB2312", "华文仿宋"),
         ("Noto Serif CJK SC", "AR PL UMing CN"), "fonts-noto-cjk"),
    Face("楷体", ("楷体", "楷体_GB2312", "KaiTi", "KaiTi_GB2312", "华文楷体"),
         ("AR PL UKai CN", "AR PL KaitiM GB"), "fonts-arphic-ukai"),
    Face("方正小标宋简体", ("方正小标宋简体", "方正小标宋_GBK", "小标宋", "FZXiaoBiaoSong-B05S"),
         ("Noto Serif CJK SC",), "fonts-noto-cjk", bold=True),
    Face("黑体", ("黑体", "SimHei", "微软雅黑", "Microsoft YaHei"), ("Noto Sans CJK SC", "WenQuanYi Zen Hei"),
         "fonts-noto-cjk"),
    Face("宋体", ("宋体", "SimSun", "新宋体", "NSimSun"), ("Noto Serif CJK SC", "AR PL UMing CN"), "fonts-noto-cjk"),
    Face("Times New Roman", ("Times New Roman",), ("Liberation Serif", "Tinos"), "fonts-liberation2"),
)


@dataclass
class Conversion:
    """What a batch conversion made: a PDF per document it could convert, and what went wrong."""

    pdfs: list[tuple[str, bytes]] = field(default_factory=list)
    """(the document's name with ``.pdf`` for ``.docx``, the PDF's bytes), in the documents' order."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Errors for documents without a PDF; warnings for official faces without their stand-in."""
    mapping: str = ""
    """Which face stands in for which, one line each: part of a repo build's hash of a PDF's inputs."""


def soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_name(name: str) -> str:
    """The PDF beside a document: ``计划.docx`` → ``计划.pdf`` (a folder part is kept)."""
    stem = name[:-5] if name.lower().endswith(".docx") else name
    return stem + ".pdf"


def installed_families() -> set[str]:
    """The font families the machine's own fontconfig knows (empty without ``fc-list``)."""
    program = shutil.which("fc-list")
    if program is None:
        return set()
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    try:
        listed = subprocess.run([program, ":", "family"], capture_output=True, text=True, timeout=60,
                                check=True, env=env).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name.strip()}


def font_mapping(installed: set[str]) -> tuple[dict[str, tuple[str, ...]], list[Diagnostic]]:
    """Each official face's installed stand-ins, and a warning for each one without its best stand-in."""
    mapping: dict[str, tuple[str, ...]] = {}
    problems = []
    for face in FACES:
        own = tuple(name for name in face.names if name in installed)
        found = tuple(name for name in face.stand_ins if name in installed)
        mapping[face.label] = own + found  # the real face, where the machine has it, comes first
        if own or found[:1] == face.stand_ins[:1]:
            continue
        instead = f"改用 {found[0]}" if found else "LibreOffice 将自行挑选字体"
        problems.append(Diagnostic(
            Severity.WARNING, "pdf-font-missing",
            f"PDF 中的“{face.label}”没有找到对应的免费字体 {face.stand_ins[0]}，{instead}。", file="PDF",
            hint=f"请安装字体后重新生成（Debian/Ubuntu：apt-get install {face.package}）。"))
    return mapping, problems


def fonts_conf(mapping: dict[str, tuple[str, ...]], system: str | None = None) -> str:
    """A fontconfig file: the system's own configuration, then each official name replaced by its
    stand-ins (bound strongly, so fontconfig's generic fallbacks cannot come first)."""
    system = system or os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">', "<fontconfig>",
             f'  <include ignore_missing="yes">{escape(system)}</include>']
    for face in FACES:
        stand_ins = mapping.get(face.label, ())
        if not stand_ins:
            continue
        for name in face.names:
            lines += ['  <match target="pattern">',
                      f'    <test name="family" qual="any"><string>{escape(name)}</string></test>',
                      '    <edit name="family" mode="assign" binding="strong">'
                      + "".join(f"<string>{escape(s)}</string>" for s in stand_ins) + "</edit>"]
            if face.bold and not set(face.names) & set(stand_ins):  # the real 小标宋 is bold as drawn
                lines.append('    <edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>')
            lines.append("  </match>")
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def describe(mapping: dict[str, tuple[str, ...]]) -> str:
    """Which face stands in for which, one line each: a repo build hashes it into each PDF's
    inputs, so installing a better face remakes the PDFs."""
    return "\n".join(f"{label} → {' / '.join(found) or '（无）'}" for label, found in mapping.items())


def faces() -> tuple[dict[str, tuple[str, ...]], list[Diagnostic]]:
    """This machine's stand-ins for the official faces (:func:`font_mapping` of what is installed)."""
    return font_mapping(installed_families())


def convert(documents: Sequence[tuple[str, bytes]], folder: Path | None = None,
            mapped: tuple[dict[str, tuple[str, ...]], list[Diagnostic]] | None = None) -> Conversion:
    """Convert every ``(name, .docx bytes)`` to PDF with one headless LibreOffice; ``folder`` is
    where the PDFs will go, for the messages; ``mapped`` is :func:`faces`, when the caller has it.

    Never raises for the user's situation: a missing LibreOffice, a failed or timed-out run, a
    document it could not convert are errors in the result (the documents themselves are fine).
    """
    result = Conversion()
    if not documents:
        return result
    program = soffice()
    if program is None:
        result.diagnostics.append(Diagnostic(
            Severity.ERROR, "no-libreoffice", "没有找到 LibreOffice，无法生成 PDF；Word 文稿不受影响。",
            file="PDF", hint=INSTALL_HINT))
        return result
    mapping, problems = mapped or faces()
    result.diagnostics = list(problems)
    result.mapping = describe(mapping)
    with tempfile.TemporaryDirectory(prefix="dangjian-pdf-") as work:
        private = Path(work)
        (private / "fonts.conf").write_text(fonts_conf(mapping), encoding="utf-8")
        sources = []
        for number, (_, content) in enumerate(documents):
            source = private / f"{number:05d}.docx"  # plain names: LibreOffice need not quote anything
            source.write_bytes(content)
            sources.append(source)
        out = private / "pdf"
        command = [program, f"-env:UserInstallation={(private / 'profile').as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out),
                   *map(str, sources)]
        env = {**os.environ, "FONTCONFIG_FILE": str(private / "fonts.conf")}
        why = _run(command, env, private, TIMEOUT_SECONDS + SECONDS_EACH * len(documents))
        for (name, _), source in zip(documents, sources, strict=True):
            made = out / f"{source.stem}.pdf"
            content = made.read_bytes() if made.is_file() else b""
            if content.rstrip().endswith(b"%%EOF"):  # whole: a run killed mid-write leaves a torn file
                result.pdfs.append((pdf_name(name), content))
                continue
            result.diagnostics.append(Diagnostic(
                Severity.ERROR, "pdf-failed", f"{why or 'LibreOffice 没能转换这份文稿'}，没有写出 PDF。",
                file=display_path(folder / pdf_name(name)) if folder else pdf_name(name),
                hint="Word 文稿已写出；请确认它能在 Word 或 WPS 中打开，再重试。"))
    return result


def _run(command: list[str], env: dict[str, str], cwd: Path, timeout: float) -> str:
    """Run LibreOffice in its own process group, so a timeout or Ctrl+C ends all of it (``soffice``
    is a script that starts the real program); returns why it failed, or ``""``."""
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                                   cwd=cwd, start_new_session=True)
    except OSError as exc:
        return f"无法启动 LibreOffice（{exc.strerror or exc}）"
    try:
        code = process.wait(timeout=timeout)
    except BaseException as exc:
        killpg = getattr(os, "killpg", None)
        with contextlib.suppress(OSError):
            killpg(process.pid, signal.SIGKILL) if killpg else process.kill()
        process.wait()
        if isinstance(exc, subprocess.TimeoutExpired):
            return f"LibreOffice 在 {timeout:.0f} 秒内没有转换完"
        raise
    return f"LibreOffice 转换失败（退出码 {code}）" if code else ""


def to_pdf(docx: bytes, name: str = "document") -> bytes:
    """One document's PDF (for tests and the docs gallery); raises when it cannot be made."""
    made = convert([(f"{name}.docx", docx)])
    errors = [d for d in made.diagnostics if d.severity is Severity.ERROR]
    if errors or not made.pdfs:
        raise DangjianError(errors)
    return made.pdfs[0][1]

