"""Turn a data file's bytes into text, or say precisely why not.

Only UTF-8 (with or without a BOM) and UTF-16 with a BOM are read. A file in GBK/GB18030 is
refused with the way to convert it rather than guessed at: a wrong guess would put garbled
characters into an official document, which is worse than stopping.
"""

from __future__ import annotations

import codecs
import re

from ..diagnostics import Diagnostic, Severity

MAX_BYTES = 20 * 1024 * 1024
"""Ten times the largest real year file we can imagine; past this it is a wrong file."""


def _error(file: str, code: str, message: str, hint: str, line: int | None = None,
           column: int | None = None) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, file=file, line=line, column=column,
                      hint=hint)


def _position_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


# Characters YAML refuses (C0/C1 controls, DEL, non-characters) and the ones it reads as line
# breaks although no clerk means one (NEL, LINE/PARAGRAPH SEPARATOR): all arrive by pasting
# from web pages or Word, and none can be seen in an editor.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")


def remove_invisible(text: str, file: str) -> tuple[str, list[Diagnostic]]:
    """Drop invisible control characters, with a warning at each place one was."""
    if not _INVISIBLE.search(text):
        return text, []
    warnings = []
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _INVISIBLE.finditer(line):
            warnings.append(Diagnostic(
                Severity.WARNING, "invisible-character",
                f"这里有一个看不见的控制字符（U+{ord(match.group()):04X}），已忽略。",
                file=file, line=number, column=match.start() + 1,
                hint="多半是从网页或 Word 复制文字时带进来的；可以在编辑器中删除这一处，以免影响其他软件。"))
    return _INVISIBLE.sub("", text), warnings


def too_large(file: str, size: int) -> Diagnostic:
    return _error(
        file, "file-too-large",
        f"文件有 {size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限，没有读取。",
        "一个组织一年的数据远小于此，请确认选对了文件。")


def decode(raw: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    """Return the text, or ``None`` and the diagnostics that say why it cannot be read."""
    if len(raw) > MAX_BYTES:
        return None, [too_large(file, len(raw))]
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw:
        line, column = _position_of_byte(raw, raw.index(b"\x00"))
        return None, [_error(
            file, "binary-file", "这不是文本文件（含有空字节），无法作为 YAML 数据读取。",
            "请选择扩展名为 .yaml 的数据文件；如果文件已损坏，请从版本库中恢复。", line, column)]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line, column = _position_of_byte(raw, exc.start)
    try:
        raw.decode("gb18030")
        found = "文件看起来是 GBK/GB18030 编码，而数据文件必须是 UTF-8 编码。"
    except UnicodeDecodeError:
        found = "文件不是 UTF-8 编码的文本，无法读取。"
    return None, [_error(
        file, "encoding", found,
        "请转换为 UTF-8 后再试：在记事本或 WPS 中“另存为”并选择编码“UTF-8”，"
        "或运行 iconv -f GB18030 -t UTF-8 原文件 > 新文件。", line, column)]
