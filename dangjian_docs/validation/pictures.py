"""The pictures a data file names: each read and checked, each reference to a section resolved.

Run with the cross-checks, so a bad photo is reported by ``validate`` at its line in the data
file, before any build: a file missing, outside the data repo, not PNG or JPEG by its content,
too large, broken; more photos or bytes than a document should carry; a photo placed in a
work section or practice the data does not have.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import Diagnostic, Severity
from ..images import MAX_PHOTOS, MAX_TOTAL_IMAGE_BYTES, ImageProblem, Picture, read_picture
from ..inputs import MB
from ..loading import DataFile, PathKey
from ..model import YearData
from .suggest import did_you_mean

E = Severity.ERROR


def picture_path(year: YearData, file: str) -> Path:
    """Where a picture the data names is: relative to the data file's folder."""
    base = Path(year.source).parent if year.source and not year.source.startswith("<") else Path()
    return base / file


def pictures(year: YearData) -> Iterator[tuple[PathKey, str, Picture | ImageProblem]]:
    """Each picture the data names (the logo first, then the photos), read or refused."""
    if year.organisation.logo:
        yield ("organisation", "logo"), year.organisation.logo, _read(year, year.organisation.logo)
    for photo in year.photos:
        yield (*year.path_of(photo), "file"), photo.file, _read(year, photo.file)


def _read(year: YearData, file: str) -> Picture | ImageProblem:
    try:
        return read_picture(picture_path(year, file))
    except ImageProblem as refused:
        return refused


def check_pictures(source: DataFile, year: YearData) -> list[Diagnostic]:
    """Every problem of the data's pictures, each at its place in the data file."""
    out: list[Diagnostic] = []
    if len(year.photos) > MAX_PHOTOS:  # the schema says so too; a spreadsheet-built file may not
        out.append(source.diagnostic(E, "image-too-many", ("photos",),
                                     f"照片有 {len(year.photos)} 张，超过一份数据 {MAX_PHOTOS} 张的上限。",
                                     "请只留下最能说明工作的几张。"))
        return out
    total = 0
    for path, file, found in pictures(year):
        if isinstance(found, ImageProblem):
            code = found.code  # one of images.py's codes
            out.append(source.diagnostic(E, code, path, f"图片“{file}”：{found.message}", found.hint))
            continue
        total += found.read_bytes
        if total > MAX_TOTAL_IMAGE_BYTES:
            out.append(source.diagnostic(
                E, "image-too-large", path,
                f"到图片“{file}”为止，图片合计 {total / MB:.1f} MB，"
                f"超过一份数据 {MAX_TOTAL_IMAGE_BYTES // MB} MB 的上限。",
                "请把照片缩小（长边 2000 像素左右即可）后另存，或减少照片。"))
            break
    out += _places(source, year)
    return out


def _places(source: DataFile, year: YearData) -> list[Diagnostic]:
    """A photo's ``work`` names a work section (id or title), its ``practice`` a practice."""
    works = {key for top in year.work for w in top.walk() for key in (w.id, w.title) if key}
    practices = {p.title for p in year.practices}
    out = []
    for photo in year.photos:
        where = year.path_of(photo)
        if photo.work and photo.work not in works:
            out.append(source.diagnostic(E, "image-place", (*where, "work"),
                                         f"全年工作（work）中没有编号或标题为“{photo.work}”的一节。"
                                         + did_you_mean(photo.work, works),
                                         "请填写 work 中某一节的 id 或标题，或删去 work 让模板决定照片的位置。"))
        if not photo.work and not photo.practice:
            out.append(source.diagnostic(
                Severity.WARNING, "image-unplaced", where,
                f"照片“{photo.file}”没有写放在哪一节（work）或哪一项特色做法（practice），内置模板不会印出它。",
                "请写 work 或 practice；自己的模板可以用 photos.unplaced 或 photos.all 放置这样的照片。"))
        if photo.practice and photo.practice not in practices:
            out.append(source.diagnostic(E, "image-place", (*where, "practice"),
                                         f"特色做法（practices）中没有标题为“{photo.practice}”的一项。"
                                         + did_you_mean(photo.practice, practices),
                                         "请照抄 practices 中某一项的 title，或删去 practice。"))
    return out
