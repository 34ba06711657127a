"""PDF through LibreOffice, for review copies, the docs gallery and the "a real reader opens it" test.

The .docx is converted exactly as delivered: its line grid and condensed characters lay out 28
characters a line and 22 lines a page in LibreOffice as in Word and WPS (see tools/make_templates.py).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .diagnostics import DangjianError, Diagnostic, Severity

TIMEOUT_SECONDS = 180


def soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


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
        source.write_bytes(docx)
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
