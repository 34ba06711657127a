"""Assembling a .docx from its parts so that the same input gives the same bytes.

Zip entries keep the template's order and get a fixed time; document properties (author,
title, created, modified) come from the data, never from the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import threading
import zipfile
import zlib
from collections.abc import Mapping, Sequence

from .sandbox import xml_safe

CORE_PROPERTIES = "docProps/core.xml"
APP_PROPERTIES = "docProps/app.xml"
APPLICATION = "dangjian-docs"


def escape(text: str) -> str:
    """``xml.sax.saxutils.escape`` without importing it (it pulls in urllib, ssl and email)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def core_properties(title: str, author: str, when: dt.date) -> bytes:
    stamp = f"{when.isoformat()}T00:00:00Z"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(xml_safe(title))}</dc:title>"
        f"<dc:creator>{escape(xml_safe(author))}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(xml_safe(author))}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def app_properties() -> bytes:
    """docProps/app.xml of a built document: the program that wrote it, and no counts it never made.

    A template saved in Word carries Word's name, page and word counts of the template; the
    document is ours, so they are replaced rather than copied.
    """
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


def assemble(parts: Mapping[str, bytes], order: Sequence[str], when: dt.date) -> bytes:
    """A zip of ``parts`` in ``order`` with every entry stamped ``when`` (midnight).

    The bytes are exactly what :mod:`zipfile` writes for these entries (deflate level 6, no
    extra fields), but a part seen before, typically a template's unchanged ``styles.xml``,
    is deflated once per process and its compressed bytes copied after that.
    """
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    if len(order) > _ZIP_FILECOUNT_LIMIT or sum(len(parts[name]) for name in order) > _ZIP64_LIMIT // 2:
        return _assemble_with_zipfile(parts, order, stamp)  # ZIP64 territory: let zipfile decide
    dosdate = (stamp[0] - 1980) << 9 | stamp[1] << 5 | stamp[2]
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name in order:
        data = parts[name]
        crc, deflated = _deflated(name, data)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        header = _LOCAL_HEADER.pack(b"PK\x03\x04", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, 0, dosdate,
                                    crc, len(deflated), len(data), len(encoded), 0)
        local += (header, encoded, deflated)
        central += (_CENTRAL_HEADER.pack(b"PK\x01\x02", _VERSION, 0, _VERSION, 0, flags, zipfile.ZIP_DEFLATED,
                                         0, dosdate, crc, len(deflated), len(data), len(encoded), 0, 0, 0,
                                         0, _PERMISSIONS, offset), encoded)
        offset += len(header) + len(encoded) + len(deflated)
    directory = b"".join(central)
    end = _END_RECORD.pack(b"PK\x05\x06", 0, 0, len(order), len(order), len(directory), offset, 0)
    return b"".join(local) + directory + end


_VERSION = 20  # what zipfile writes for deflated entries: "needs PKZIP 2.0"
_UTF8_NAME = 0x800
_PERMISSIONS = 0o600 << 16  # zipfile's stand-in for an entry given no attributes (rw-------)
_ZIP64_LIMIT = (1 << 31) - 1
_ZIP_FILECOUNT_LIMIT = (1 << 16) - 1
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")  # zipfile.structCentralDir
_END_RECORD = struct.Struct("<4s4H2LH")  # zipfile.structEndArchive
_KEPT_PER_NAME = 8
"""Compressed forms kept per part name: one per template that has this part is enough."""

_deflated_parts: dict[str, dict[bytes, tuple[int, bytes]]] = {}
_seen_once: dict[str, list[int]] = {}
_cache_lock = threading.Lock()


def _deflated(name: str, data: bytes) -> tuple[int, bytes]:
    """CRC-32 and raw deflate of ``data``, from the cache when this content was seen before.

    A part is kept only the second time its content is seen, so parts that differ in every
    document (``word/document.xml``) never fill the cache. Keys are the content itself:
    equal bytes give the same entry, whatever object holds them.
    """
    with _cache_lock:
        kept = _deflated_parts.get(name)
        hit = kept.get(data) if kept is not None else None
    if hit is not None:
        return hit
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)  # as zipfile's compresslevel=6
    entry = (zlib.crc32(data), compressor.compress(data) + compressor.flush())
    key = hash(data)
    with _cache_lock:
        seen = _seen_once.setdefault(name, [])
        if key in seen:
            kept = _deflated_parts.setdefault(name, {})
            if len(kept) >= _KEPT_PER_NAME:
                del kept[next(iter(kept))]
            kept[data] = entry
        else:
            seen.append(key)
            del seen[:-4 * _KEPT_PER_NAME]
    return entry


def _assemble_with_zipfile(parts: Mapping[str, bytes], order: Sequence[str],
                           stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """The plain :mod:`zipfile` way, the reference the fast path must match byte for byte."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, parts[name], compresslevel=6)
    return buffer.getvalue()


def free_part_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3`` … before its suffix: the first no part in ``taken``
    has (part names ignore case), which is then taken."""
    stem, dot, suffix = name.rpartition(".")
    n = 1
    while name.casefold() in taken:
        n += 1
        name = f"{stem}-{n}{dot}{suffix}"
    taken.add(name.casefold())
    return name
