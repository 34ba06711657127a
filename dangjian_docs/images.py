"""Pictures the data names (a logo, activity photos): read bounded, checked by content, cleaned.

A picture is untrusted like every input: it is read through :func:`~dangjian_docs.inputs.read_bounded`
(so it is confined to the data repo), its type is decided by its first bytes, never by its
suffix, its size in bytes and pixels is bounded before it is decoded, and it is decoded in
full (a truncated file is refused here, not in Word). What goes into a document is a fresh
encoding of the pixels alone: EXIF (camera, time, GPS position), XMP, comments and colour
profiles stay behind, and a photo taken sideways is turned upright first, as its EXIF says.
Pillow does the decoding and encoding; it is pinned, so the same picture gives the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import field
from pathlib import Path

from .inputs import MB, Refused, read_bounded
from .record import Record

MAX_PHOTOS = 40
"""Photos in one data file: a year's report or article has a handful."""
MAX_IMAGE_BYTES = 10 * MB
"""One picture file on disk (a phone photo is 2-6 MB)."""
MAX_TOTAL_IMAGE_BYTES = 80 * MB
"""All pictures of one data file together, as read."""
MAX_PIXELS = 50_000_000
"""Width × height, checked from the header before the pixels are decoded (a 50-megapixel
camera is the largest a clerk has; a "pixel bomb" claims far more)."""
MIN_SIDE = 16
"""A picture narrower or lower than this is not a photo or a logo anyone can see."""
LONG_SIDE = 2400
"""Pictures are scaled down to this many pixels on their long side: 15 cm wide at 400 dpi."""

_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"))
_KNOWN = {  # what a clerk may have instead, by its first bytes
    b"GIF8": "GIF", b"BM": "BMP", b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"%PDF": "PDF",
    b"RIFF": "WebP", b"PK\x03\x04": "压缩包或 Office 文档", b"<svg": "SVG", b"<?xml": "SVG/XML",
}
CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg"}


class ImageProblem(Exception):
    """A picture refused; ``code`` and the Chinese message go into a located diagnostic."""

    def __init__(self, diagnostic_code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code, self.message, self.hint = diagnostic_code, message, hint


def problem(code: str, message: str, hint: str) -> ImageProblem:
    """An :class:`ImageProblem`; codes go through here so tests/test_docs.py can read them."""
    return ImageProblem(code, message, hint)


class Picture(Record):
    """A checked picture ready for a document: PNG or JPEG bytes without metadata."""

    data: bytes = field(repr=False)
    format: str
    """``png`` or ``jpeg``: the media part's extension."""
    width: int
    height: int
    read_bytes: int
    """The size of the file as read, for the data file's total."""

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_picture(path: Path) -> Picture:
    """The picture at ``path``, checked and cleaned; raises :class:`ImageProblem`.

    Cached while the file is unchanged, so validation and the build read it once.
    """
    try:
        info = path.stat()
    except (OSError, ValueError):  # ValueError: a NUL in the name, which the reader refuses
        info = None
    if info is None:
        return _read(path)  # read_bounded says why (missing, outside the repo …)
    return _cached(path.resolve(), info.st_mtime_ns, info.st_size, _confinement_key())


def _confinement_key() -> str:
    from .inputs import confinement

    root = confinement()
    return str(root) if root is not None else ""


@functools.lru_cache(maxsize=64)
def _cached(path: Path, mtime_ns: int, size: int, confined_to: str) -> Picture:
    return _read(path)


def _read(path: Path) -> Picture:
    try:
        raw = read_bounded(path, MAX_IMAGE_BYTES)
    except Refused as refusal:
        if refusal.code == "file-too-large":
            raise problem("image-too-large",
                          f"图片文件有 {(refusal.size or 0) / MB:.1f} MB，超过 {MAX_IMAGE_BYTES // MB} MB 的上限。",
                          "请用看图软件把照片缩小（长边 2000 像素左右即可）后另存。") from None
        raise problem("image-unreadable", f"无法读取图片：{refusal.message}", refusal.hint or "请检查路径是否写对。") \
            from None
    kind = sniff(raw)
    if kind is None:
        other = next((name for magic, name in _KNOWN.items() if raw.startswith(magic)), None)
        said = f"它实际是 {other} 格式" if other else "从文件内容看不是图片"
        raise problem("image-type", f"图片只能是 PNG 或 JPEG，{said}（不看文件扩展名）。",
                      "请用看图软件或画图工具把它另存为 .png 或 .jpg。")
    return _clean(raw, kind)


def sniff(raw: bytes) -> str | None:
    """``png`` or ``jpeg`` from the first bytes, else ``None``."""
    return next((kind for magic, kind in _MAGIC if raw.startswith(magic)), None)


def _clean(raw: bytes, kind: str) -> Picture:
    from PIL import Image, ImageOps

    broken = problem("image-broken", f"图片文件已损坏或不完整，无法按 {kind.upper()} 解码。",
                     "请重新从相机或手机导出这张照片，或用看图软件打开后另存。")
    try:
        with Image.open(io.BytesIO(raw), formats=[kind.upper()]) as image:
            width, height = image.size
            _check_size(width, height)
            image.load()
            upright = ImageOps.exif_transpose(image)
    except ImageProblem:
        raise
    except Image.DecompressionBombError:  # Pillow's own guard, far above ours, tripped while opening
        raise problem("image-too-large", f"图片的像素过多，超过 {MAX_PIXELS // 1_000_000} 百万像素的上限。",
                      "请用看图软件把照片缩小（长边 2000 像素左右即可）后另存。") from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise broken from None
    if max(upright.size) > LONG_SIDE:
        upright.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "jpeg":
        if upright.mode not in ("L", "RGB", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=90, optimize=False, progressive=False)
    else:
        if upright.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            upright = upright.convert("RGBA")
        upright.save(out, "PNG", optimize=False)  # no pnginfo: text, time and EXIF chunks are not written
    return Picture(out.getvalue(), kind, upright.size[0], upright.size[1], len(raw))


def _check_size(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise problem("image-too-large",
                      f"图片有 {width}×{height} 像素，超过 {MAX_PIXELS // 1_000_000} 百万像素的上限。",
                      "请用看图软件把照片缩小（长边 2000 像素左右即可）后另存。")
    if min(width, height) < MIN_SIDE:
        raise problem("image-too-small", f"图片只有 {width}×{height} 像素，印在文稿中看不清。",
                      f"请换一张宽、高都不少于 {MIN_SIDE} 像素的图片。")


class InlineImage(Record):
    """A picture a template prints (``{{ photo.image }}``, ``{{ logo }}``), fitted into a box.

    What it prints is made by :mod:`dangjian_docs.rendering.media` while the document renders:
    the drawing and the relationship id it needs depend on the part it is printed in.
    """

    picture: Picture = field(repr=False)
    width_cm: float
    height_cm: float
    description: str
    """The picture's alternative text (its caption), for readers that cannot show it."""
