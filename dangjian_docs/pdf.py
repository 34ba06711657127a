"""PDF through LibreOffice, for review copies, the docs gallery and the "a real reader opens it" test.

Word condenses 16 pt characters into the 28-per-line grid GB/T 9704 asks for (a
``linesAndChars`` grid with a negative ``charSpace``); LibreOffice instead lets each character
span two grid cells, halving the line. The copy handed to LibreOffice therefore snaps to lines
only, which LibreOffice lays out as 27-28 characters a line, like Word. The .docx we deliver
is not changed.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .diagnostics import DangjianError, Diagnostic, Severity

_CHAR_GRID = re.compile(rb'<w:docGrid w:type="linesAndChars"([^>]*?) w:charSpace="-?\d+"')
TIMEOUT_SECONDS = 180


def soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_copy(docx: bytes) -> bytes:
    """``docx`` with its character grid relaxed to a line grid, for LibreOffice's layout."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = _CHAR_GRID.sub(rb'<w:docGrid w:type="lines"\1', data)
            target.writestr(info, data)
    return out.getvalue()


def to_pdf(docx: bytes, name: str = "document") -> bytes:
    """Convert a .docx to PDF with headless LibreOffice in a private profile."""
    program = soffice()
    if program is None:
        raise DangjianError([Diagnostic(
            Severity.ERROR, "no-libreoffice", "没有找到 LibreOffice，无法转换为 PDF。",
            hint="请安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui fonts-noto-cjk）。")])
    with tempfile.TemporaryDirectory(prefix="dangjian-pdf-") as work:
        folder = Path(work)
        source = folder / f"{name}.docx"
        source.write_bytes(libreoffice_copy(docx))
        command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise DangjianError([Diagnostic(
                Severity.ERROR, "pdf-failed", f"LibreOffice 转换 PDF 失败（{exc}）。",
                hint="请确认文件能在 Word 或 WPS 中打开，再重试。")]) from None
        result = folder / f"{name}.pdf"
        if not result.exists():
            raise DangjianError([Diagnostic(Severity.ERROR, "pdf-failed", "LibreOffice 没有生成 PDF。",
                                            hint="请确认文件能在 Word 或 WPS 中打开，再重试。")])
        return result.read_bytes()
