"""Hostile templates, built here from templates/report.docx: each one ends in a Chinese
diagnostic that names the template and the reason (and, for tags, the paragraph), never in a
traceback, a hang or gigabytes of memory. docs/security.md points at these tests.
"""

from __future__ import annotations

import functools
import json
import os
import re
import struct
import subprocess
import sys
import textwrap
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from dangjian_docs import DangjianError
from dangjian_docs.diagnostics import Diagnostic
from dangjian_docs.rendering import limits
from dangjian_docs.rendering.engine import PreparedTemplate
from dangjian_docs.rendering.inspect import paragraph_texts

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "templates" / "report.docx"
DOCUMENT = "word/document.xml"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _no_wall_clock(monkeypatch) -> None:
    """On a loaded machine a case expected to hit a size limit could hit the 3 s deadline first;
    the deadline has its own test (test_the_deadline_stops_a_render), so it is out of the way here."""
    monkeypatch.setattr(limits, "MAX_SECONDS", 600.0)


# -- building templates ------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _report_entries() -> tuple[tuple[str, bytes], ...]:
    with zipfile.ZipFile(REPORT) as archive:
        return tuple((name, archive.read(name)) for name in archive.namelist())


def report_entries() -> dict[str, bytes]:
    return dict(_report_entries())


def body_xml(*paragraphs: str) -> bytes:
    """report.docx's document.xml with its body replaced by ``paragraphs`` (text, escaped)."""
    xml = report_entries()[DOCUMENT].decode("utf-8")
    head = xml[: xml.index("<w:body>") + len("<w:body>")]
    tail = xml[xml.rindex("<w:sectPr"):]
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    return (head + body + tail).encode("utf-8")


def write_zip(path: Path, entries: Iterable[tuple[str, bytes] | tuple[str, bytes, int]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we want
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data, *method in entries:
                info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
                info.compress_type = method[0] if method else zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
    return path


def template(tmp_path: Path, *paragraphs: str, extra: Iterable[tuple[str, bytes]] = (),
             replace: dict[str, bytes] | None = None, name: str = "hostile.docx") -> Path:
    """report.docx with these paragraphs as its body, ``replace`` parts swapped, ``extra`` added."""
    entries = report_entries()
    if paragraphs:
        entries[DOCUMENT] = body_xml(*paragraphs)
    entries.update(replace or {})
    return write_zip(tmp_path / name, [*entries.items(), *extra])


def patch_directory(path: Path, name: str, *, size: int | None = None, stored: int | None = None,
                    flags: int | None = None) -> Path:
    """Rewrite ``name``'s central-directory record: what zipfile believes before reading."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46: at + 46 + name_length]) == encoded:
            if flags is not None:
                struct.pack_into("<H", data, at + 8, flags)
            if stored is not None:
                struct.pack_into("<L", data, at + 20, stored)
            if size is not None:
                struct.pack_into("<L", data, at + 24, size)
            path.write_bytes(bytes(data))
            return path
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not in the directory")


def refused(path: Path, context: dict | None = None) -> Diagnostic:
    """The one diagnostic preparing (and rendering with ``context``) the template gives."""
    with pytest.raises(DangjianError) as info:
        PreparedTemplate(path).render_parts(context or {})
    [diagnostic] = info.value.diagnostics
    assert diagnostic.file and diagnostic.file.endswith(path.name)
    return diagnostic


def render_texts(path: Path, context: dict | None = None) -> list[str]:
    parts = PreparedTemplate(path).render_parts(context or {})
    return [t for t in paragraph_texts(parts[DOCUMENT]) if t]


# -- the package: sizes, before anything is inflated -----------------------------------------------
def test_a_part_declaring_a_huge_size_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:
    path = patch_directory(template(tmp_path, "正文"), DOCUMENT, size=3 * 1024 * MB, stored=3 * MB)

    def no_inflating(*args, **kwargs):
        raise AssertionError("a part was opened before the sizes were checked")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    d = refused(path)
    assert d.code == "template-too-large"
    assert "正文（word/document.xml）" in d.message and "3072.0 MB" in d.message


def test_a_part_that_inflates_past_its_declared_size_is_cut_off(tmp_path: Path) -> None:
    # the directory says 5,000 bytes; the data inflates to 4 MB: only 5,001 bytes are ever read
    path = template(tmp_path, replace={DOCUMENT: body_xml("正文") + b" " * (4 * MB)})
    patch_directory(path, DOCUMENT, size=5000)
    d = refused(path)
    assert d.code in ("template-broken", "template-unreadable")


def test_high_compression_ratio_is_a_bomb(tmp_path: Path) -> None:
    path = template(tmp_path, extra=[("word/media/image1.png", bytes(5 * MB))])
    d = refused(path)
    assert d.code == "template-too-large" and "压缩比" in d.message and "word/media/image1.png" in d.message


def test_all_parts_together_are_capped(tmp_path: Path) -> None:
    media = [f"word/media/image{i}.png" for i in range(5)]
    path = template(tmp_path, extra=[(name, b"x") for name in media])
    for name in media:  # each 15 MB and stored as 15 MB: fine alone, too much together
        patch_directory(path, name, size=15 * MB, stored=15 * MB)
    d = refused(path)
    assert d.code == "template-too-large" and f"{limits.MAX_TOTAL_BYTES // MB} MB" in d.message


def test_the_file_itself_is_capped(tmp_path: Path) -> None:
    path = template(tmp_path, "正文")
    with path.open("r+b") as handle:
        handle.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: nothing is written
    d = refused(path)
    assert d.code == "template-too-large" and "模板文件" in d.message


def test_too_many_entries(tmp_path: Path) -> None:
    path = template(tmp_path, extra=[(f"customXml/x{i}.bin", b"") for i in range(limits.MAX_ENTRIES)])
    assert refused(path).code == "template-too-large"


def test_too_many_tags_in_all_templated_parts_together(tmp_path: Path) -> None:
    half = limits.MAX_TAGS // 2 + 1
    footer = report_entries()["word/footer1.xml"].decode("utf-8")
    footer = footer.replace("<w:t>1</w:t>", "<w:t>" + "{{ n }}" * half + "</w:t>")
    path = template(tmp_path, "{{ n }}" * half, replace={"word/footer1.xml": footer.encode("utf-8")})
    d = refused(path, {"n": 1})
    assert d.code == "template-too-large" and "模板标签" in d.message and "页脚（word/footer1.xml）" in d.message


def test_templated_parts_together_are_capped(tmp_path: Path) -> None:
    # two parts with tags, each under the per-part limit (and compressing only ~4:1), over it together
    text = "".join(f"{i:07d}" for i in range(limits.MAX_TEMPLATED_BYTES // 2 // 7 + 1000))
    footer = report_entries()["word/footer1.xml"].decode("utf-8")
    footer = footer.replace("<w:t>1</w:t>", f"<w:t>{{{{ n }}}}{text}</w:t>")
    path = template(tmp_path, "{{ n }}", text, replace={"word/footer1.xml": footer.encode("utf-8")})
    d = refused(path, {"n": 1})
    assert d.code == "template-too-large" and "含标签的部件" in d.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX pipes")
def test_a_pipe_is_refused_not_read_forever(tmp_path: Path) -> None:
    path = tmp_path / "pipe.docx"
    os.mkfifo(path)
    d = refused(path)
    assert d.code == "template-unreadable" and "普通文件" in d.message


MEMORY_SCRIPT = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from dangjian_docs import DangjianError
    from dangjian_docs.rendering.engine import PreparedTemplate
    codes = []
    for path in sys.argv[1:]:
        try:
            PreparedTemplate(Path(path)).render_parts({})
            codes.append(None)
        except DangjianError as exc:
            codes.append(exc.diagnostics[0].code)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if Path("/proc/self/status").exists():  # VmHWM is this process's own; ru_maxrss of a child
        with open("/proc/self/status") as status:  # started by vfork includes its parent's peak
            peak = int(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
    print(json.dumps({"codes": codes, "maxrss_kb": peak}))
""")


def bomb_entries(size: int, tag: bool) -> list[tuple[str, bytes]]:
    """report.docx whose document.xml inflates to ``size`` bytes (mostly spaces inside a run)."""
    xml = body_xml("{{ 1 }}" if tag else "正文").decode("utf-8")
    cut = xml.index("</w:t>")
    padded = xml[:cut].encode() + b" " * size + xml[cut:].encode()
    return [*{**report_entries(), DOCUMENT: padded}.items()]


@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX")
def test_hostile_templates_stay_under_500_mb_in_a_fresh_process(tmp_path: Path) -> None:
    """The issue's 17.6 GB bomb and the hangs, refused by a fresh interpreter in well under 500 MB.

    Memory is measured (the child's own peak, VmHWM), time is not asserted: the child's generous
    timeout only keeps a regression from hanging the test run.
    """
    bomb = write_zip(tmp_path / "bomb.docx", bomb_entries(64 * MB, tag=False))  # ~1:1000, no tag
    tagged = write_zip(tmp_path / "tagged.docx", bomb_entries(7 * MB, tag=True))  # under the size cap
    lying = patch_directory(write_zip(tmp_path / "lying.docx", bomb_entries(64 * MB, tag=True)),
                            DOCUMENT, size=4000)
    hangs = [template(tmp_path, source, name=f"hang{i}.docx")
             for i, source in enumerate(["{{ 9**(9**9) }}", "{{ 'a' * 10**9 }}", "{{ 10**100000 }}"])]
    loops = template(tmp_path, "{%p for i in range(100000) %}", "{%p for j in range(100000) %}",
                     "{%p endfor %}", "{%p endfor %}", name="loops.docx")
    paths = [bomb, tagged, lying, *hangs, loops]
    done = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, *map(str, paths)], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    print(result)
    assert result["codes"][0] == "template-too-large"
    assert result["codes"][1] in (None, "template-too-large")  # rendered or refused, never a crash
    assert result["codes"][2] in ("template-broken", "template-unreadable")
    assert result["codes"][3:6] == ["template-too-large"] * 3
    assert result["codes"][6] == "template-too-slow"
    assert result["maxrss_kb"] < 500 * 1024, f"{result['maxrss_kb'] / 1024:.0f} MB"


# -- the package: names, encryption, compression, references --------------------------------------
def test_a_second_document_xml_is_refused(tmp_path: Path) -> None:
    path = template(tmp_path, "正文", extra=[(DOCUMENT, body_xml("又一个正文"))])
    d = refused(path)
    assert d.code == "template-unsafe" and "两个同名部件" in d.message and DOCUMENT in d.message


def test_names_differing_only_in_case_are_the_same_part(tmp_path: Path) -> None:
    path = template(tmp_path, "正文", extra=[("word/Document.xml", body_xml("又一个正文"))])
    assert refused(path).code == "template-unsafe"


@pytest.mark.parametrize("name", ["../../x.xml", "/etc/x.xml", "word\\..\\x.xml", "C:/x.xml", "word/./x.xml",
                                  "word//x.xml"])
def test_entry_names_that_point_outside_are_refused(tmp_path: Path, name: str) -> None:
    path = template(tmp_path, "正文", extra=[(name, b"<x/>")])
    d = refused(path)
    assert d.code == "template-unsafe" and "路径不安全" in d.message


def test_an_encrypted_entry_is_refused(tmp_path: Path) -> None:
    path = patch_directory(template(tmp_path, "正文"), "word/styles.xml", flags=0x1)
    d = refused(path)
    assert d.code == "template-unsafe" and "加密" in d.message and "word/styles.xml" in d.message


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_a_compression_word_cannot_read_is_refused(tmp_path: Path, method: int) -> None:
    entries = report_entries()
    path = write_zip(tmp_path / "t.docx", [(n, d, method if n == "word/styles.xml" else zipfile.ZIP_DEFLATED)
                                           for n, d in entries.items()])
    d = refused(path)
    assert d.code == "template-broken" and "压缩方式" in d.message


RELS = "word/_rels/document.xml.rels"


def with_relationship(type_: str, target: str, external: bool = True) -> bytes:
    rels = report_entries()[RELS].decode("utf-8")
    mode = ' TargetMode="External"' if external else ""
    extra = (f'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             f'relationships/{type_}" Target="{target}"{mode}/>')
    return rels.replace("</Relationships>", extra + "</Relationships>").encode("utf-8")


@pytest.mark.parametrize("type_", ["attachedTemplate", "image", "oleObject", "subDocument", "frame"])
def test_external_references_word_would_fetch_are_refused(tmp_path: Path, type_: str) -> None:
    path = template(tmp_path, "正文", replace={RELS: with_relationship(type_, "http://203.0.113.9/x.dotm")})
    d = refused(path)
    assert d.code == "template-unsafe" and type_ in d.message and "外部" in d.message


def test_an_external_hyperlink_is_kept(tmp_path: Path) -> None:
    path = template(tmp_path, "{{ n }}", replace={RELS: with_relationship("hyperlink", "https://www.12371.cn/")})
    assert render_texts(path, {"n": "正文"}) == ["正文"]


@pytest.mark.parametrize("target", ["../../../etc/passwd", "%2e%2e/%2e%2e/x.png", "file:///C:/x.dotm",
                                    "C:/x.png", "//203.0.113.9/share/x.png", "media\\..\\..\\x.png"])
def test_an_internal_reference_outside_the_package_is_refused(tmp_path: Path, target: str) -> None:
    path = template(tmp_path, "正文", replace={RELS: with_relationship("attachedTemplate", target, False)})
    d = refused(path)
    assert d.code == "template-unsafe" and "模板之外" in d.message


def test_a_macro_project_is_refused(tmp_path: Path) -> None:
    path = template(tmp_path, "正文", extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")])
    assert refused(path).code == "template-unsafe"


# -- the package: content --------------------------------------------------------------------------
def test_a_utf16_document_part_is_refused_not_a_traceback(tmp_path: Path) -> None:
    xml = body_xml("{{ n }}").decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    xml = xml.replace("encoding='UTF-8'", "encoding='UTF-16'")
    path = template(tmp_path, replace={DOCUMENT: xml.encode("utf-16")})
    d = refused(path, {"n": 1})
    assert d.code == "template-broken" and "UTF-8" in d.message and "正文" in d.message


def test_broken_xml_in_an_untemplated_part_is_refused(tmp_path: Path) -> None:
    styles = report_entries()["word/styles.xml"]
    path = template(tmp_path, "正文", replace={"word/styles.xml": styles[: len(styles) // 2]})
    d = refused(path)
    assert d.code == "template-broken" and "word/styles.xml" in d.message and "XML" in d.message


def test_a_dtd_is_refused(tmp_path: Path) -> None:
    xml = body_xml("&a;").decode("utf-8").replace("&amp;a;", "&a;")
    declaration_end = xml.index("?>") + 2
    xml = xml[:declaration_end] + '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">]>' + xml[declaration_end:]
    d = refused(template(tmp_path, replace={DOCUMENT: xml.encode("utf-8")}))
    assert d.code == "template-unsafe" and "DTD" in d.message


def test_a_field_that_fetches_a_file_is_refused(tmp_path: Path) -> None:
    xml = body_xml("正文").decode("utf-8").replace(
        "<w:body>", '<w:body><w:p><w:r><w:instrText> INCLUDE</w:instrText></w:r>'
                    '<w:r><w:instrText>PICTURE "http://203.0.113.9/a.png" \\d</w:instrText></w:r></w:p>')
    d = refused(template(tmp_path, replace={DOCUMENT: xml.encode("utf-8")}))
    assert d.code == "template-unsafe" and "INCLUDEPICTURE" in d.message


@pytest.mark.parametrize("codes", [
    [" PAGE ", " INCLUDE", 'PICTURE "http://203.0.113.9/a.png" '],  # after another field
    [' IF 1 = 1 "', " INCLUDE", 'TEXT "c:/x" ', '"'],  # nested inside an IF
])
def test_a_fetching_field_anywhere_in_a_paragraph_is_refused(tmp_path: Path, codes: list[str]) -> None:
    runs = "".join(f"<w:r><w:instrText>{code}</w:instrText></w:r>" for code in codes)
    xml = body_xml("正文").decode("utf-8").replace("<w:body>", f"<w:body><w:p>{runs}</w:p>")
    d = refused(template(tmp_path, replace={DOCUMENT: xml.encode("utf-8")}))
    assert d.code == "template-unsafe" and "INCLUDE" in d.message


def test_a_hyperlink_field_is_not_taken_for_link(tmp_path: Path) -> None:
    xml = body_xml("正文").decode("utf-8").replace(
        "<w:body>", '<w:body><w:p><w:r><w:instrText> HYPERLINK "https://example.org" </w:instrText></w:r></w:p>')
    parts = PreparedTemplate(template(tmp_path, replace={DOCUMENT: xml.encode("utf-8")})).render_parts({})
    assert b"HYPERLINK" in parts[DOCUMENT]


def test_a_tag_left_open_is_refused_before_the_clean_up(tmp_path: Path) -> None:
    d = refused(template(tmp_path, "正文", "合计：{{ n", *["段落"] * 50))
    assert d.code == "template-syntax" and "未闭合" in d.message


def test_a_run_of_trim_closers_is_refused_before_docxtpl_rescans_it(tmp_path: Path) -> None:
    # docxtpl's "-%}" clean-up rescans from every "-%}" up to the next tag: 20,000 of them before
    # 21,000 characters of text took minutes; the scan is simulated in linear time and refused
    text = "{{ 1 }}" + "-%}" * 20000 + "".join(f"{i:07d}" for i in range(3000)) + "{{ 2 }}"
    d = refused(template(tmp_path, text))
    assert d.code == "template-too-large" and "-%}" in d.message


# -- the sandbox: every hostile expression ends in a located diagnostic ---------------------------
HOSTILE = [
    # numbers with millions of digits, folded at compile time by plain Jinja
    ("{{ 10**100000 }}", "template-too-large"),
    ("{{ 9**(9**9) }}", "template-too-large"),
    ("{{ (10**700) * (10**700) }}", "template-too-large"),
    # strings and lists of a billion items
    ("{{ 'a' * 10**9 }}", "template-too-large"),
    ("{{ [0] * 10**9 }}", "template-too-large"),
    ("{{ range(10**9) | list }}", "template-too-large"),
    ("{{ 'x'.ljust(10**9) }}", "template-too-large"),
    ("{{ (1).to_bytes(10**9, 'big') }}", "template-too-large"),
    ("{{ ('x' * 1000).join(range(100000) | map('string')) }}", "template-too-large"),
    ("{{ 'a' | replace('', 'bbbbbbbbbb') | replace('b', 'cccccccccc') | replace('c', 'dddddddddd')"
     " | replace('d', 'eeeeeeeeee') | replace('e', 'ffffffffff') | replace('f', 'gggggggggg') }}",
     "template-too-large"),
    ("{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
     "template-too-large"),
    ("{{ range(100000) | batch(1) | sum(start=[]) }}", "template-too-large"),
    ("{{ [1] | batch(10**9, 0) | list }}", "template-too-large"),
    ("{{ range(10) | slice(10**9) | list }}", "template-too-large"),
    ("{{ lipsum(10**6) }}", "template-too-large"),
    # text of containers: 200,000 references whose text would be 10^10 characters
    ("{{ [[1] * 100000] * 100000 }}", "template-too-large"),
    ("{% set x = 'x' * 2000000 %}{{ [x] * 100 }}", "template-too-large"),
    ("{{ ([[1] * 100000] * 100000) | join(',') }}", "template-too-large"),
    ("{{ ([[1] * 100000] * 100000) | string }}", "template-too-large"),
    ("{{ ([[1] * 100000] * 100000) | tojson }}", "template-too-large"),
    ("{{ ([[1] * 100000] * 100000) ~ '' }}", "template-too-large"),
    ("{{ '{}'.format([[1] * 100000] * 100000) }}", "template-too-large"),
    ("{{ '%s' % ([[1] * 100000] * 100000,) }}", "template-too-large"),
    # one value repeated by the format: sized from fields times the longest value
    ("{{ ('%(a)s' * 100000) % {'a': 'x' * 1000} }}", "template-too-large"),
    ("{{ ('{0}' * 100000).format('x' * 1000) }}", "template-too-large"),
    ("{{ ('a' * 1000).translate({97: 'x' * 100000}) }}", "template-too-large"),
    # many mid-sized strings kept alive within the time limit: every built string is counted
    ("{% set ns = namespace(l=[]) %}{% for i in range(100000) %}"
     "{% set ns.l = ns.l + [('x' * 1000000) | upper] %}{% endfor %}", "template-too-large"),
    # widths: filters with constant arguments are folded at compile time by plain Jinja too
    ("{{ 'a' | center(999999999) }}", "template-too-large"),
    ("{{ 'a' | indent(999999999) }}", "template-too-large"),
    ("{{ 'ab' | wordwrap(1, wrapstring='x' * 10**6) }}", "template-too-large"),
    ("{{ '%999999999s' | format(1) }}", "template-too-large"),
    ("{{ '%*s' % (10**9, 'a') }}", "template-too-large"),
    ("{{ '{:>999999999}'.format(1) }}", "template-too-large"),
    ("{{ '{:{w}}'.format(1, w=10**9) }}", "template-too-large"),
    ("{{ {'a': 1} | tojson(indent=10**9) }}", "template-too-large"),
    # output: a flood from a loop, and from a macro's buffer of literal text
    ("{%p for i in range(100000) %}\n{{ 'x' * 1000 }}\n{%p endfor %}", "template-too-large"),
    ("{% macro m() %}{% for i in range(100000) %}" + "y" * 1000 + "{% endfor %}{% endmacro %}{{ m() }}",
     "template-too-large"),
    # time: nested loops, loops over filters
    ("{%p for i in range(100000) %}\n{%p for j in range(100000) %}\n{%p endfor %}\n{%p endfor %}",
     "template-too-slow"),
    ("{% for i in range(100000) %}{{ range(100000) | sum }}{% endfor %}", "template-too-slow"),
    ("{% for i in range(100000) %}{{ range(100000) | select('odd') | list | length }}{% endfor %}",
     "template-too-slow"),
    # depth
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "template-too-deep"),
    ("{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}", "template-too-deep"),
    ("{% macro m() %}{{ caller() }}{{ caller() }}{% endmacro %}{% macro w(k) %}{% if k %}"
     "{% call m() %}{{ w(k - 1) }}{% endcall %}{% endif %}{% endmacro %}{{ w(100) }}", "template-too-deep"),
    # errors Jinja or Python raise: a Chinese diagnostic, not a traceback
    ("{{ '%(a)s' | format(b=1) }}", "template-error"),
    ("{{ 'abc' | truncate(-5) }}", "template-error"),
    ("{{ cycler() | list }}", "template-error"),
    ("{{ 2.5 ** 10000 }}", "template-error"),
    ("{{ none | length }}", "template-error"),
    ("{{ [1, 2] | random(seed=1) | xmlattr }}", "template-error"),
]


@pytest.mark.parametrize(("source", "code"), HOSTILE)
def test_hostile_tags_end_in_a_located_diagnostic(tmp_path: Path, source: str, code: str) -> None:
    d = refused(template(tmp_path, "正文", *source.split("\n")))
    assert d.code == code, d.message
    assert "出错位置：正文（word/document.xml）的段落“" in d.message
    assert "Traceback" not in d.message and d.hint


def test_a_diagnostic_quotes_the_paragraph_that_failed(tmp_path: Path) -> None:
    d = refused(template(tmp_path, "第一段{{ n }}", "合计：{{ 'a' * 10**9 }}", "第三段"), {"n": 1})
    assert "段落“合计：{{ 'a' * 10**9 }}”" in d.message and "2,000,000" in d.message


def test_the_deadline_stops_a_render(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_SECONDS", 0.0)  # already past: the first clock check stops it
    d = refused(template(tmp_path, "{%p for i in range(1000) %}", "{{ i }}", "{%p endfor %}"))
    assert d.code == "template-too-slow" and "秒" in d.message


def test_an_expression_nested_too_deep_to_compile(tmp_path: Path) -> None:
    d = refused(template(tmp_path, "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}"))
    assert d.code == "template-syntax" and "正文" in d.message


def test_ordinary_arithmetic_and_filters_still_work(tmp_path: Path) -> None:
    source = ("{{ ('a' ~ 'b') * 3 }}|{{ [1, 2] | join(',') }}|{{ range(3) | reverse | list }}|"
              "{{ range(5) | length }}|{{ '%05.1f' | format(3.14159) }}|{{ '{:>6}'.format('ab') }}|"
              "{{ 2 ** 10 }}|{{ 7 % 3 }}|{{ 'ab' + 'cd' }}|{{ [1] + [2] }}|{{ ns | sum }}|"
              "{% for x in ns %}{{ loop.index }}{{ loop.length }}{% endfor %}|{{ 'x' | center(5) }}|"
              "{{ '%s|%d' % ('ab', 3) }}|{{ '{}-{}'.format(1, 'x') }}|{{ 'abc'.translate({97: 'z'}) }}|"
              "{{ [1, [2, 3]] }}|{{ {'k': 'v'} | tojson }}")
    assert render_texts(template(tmp_path, source), {"ns": [1, 2, 3]}) == [
        "ababab|1,2|[2, 1, 0]|5|003.1|    ab|1024|1|abcd|[1, 2]|6|132333|  x  |ab|3|1-x|zbc|"
        "[1, [2, 3]]|{\"k\": \"v\"}"]


def test_the_bundled_templates_render_well_inside_the_limits(minimal_year) -> None:
    from dangjian_docs.documents import KINDS, planned
    from dangjian_docs.rendering import guards
    from dangjian_docs.rendering.engine import prepare
    from dangjian_docs.resources import templates_dir

    for made in planned(minimal_year, KINDS.values()):  # one a branch or group for a kind written for each
        prepared = prepare(templates_dir() / made.kind.template_name)
        context = made.kind.context(minimal_year, made.subject)
        with guards.render_budget() as budget:
            for part in prepared.templated.values():
                part.template.render(context)
        assert budget.steps < limits.MAX_STEPS // 100 and budget.output < limits.MAX_OUTPUT_CHARS // 100


def test_the_command_line_reports_a_hostile_template_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    template(folder, "{{ doc.title }}", "{{ 9**(9**9) }}", name="report.docx")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "dangjian_docs", "build", str(ROOT / "samples" / "binjiang-2025.yaml"),
                           "--kind", "report", "--templates", str(folder), "-o", str(out)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=tmp_path, check=False)
    shown = done.stdout + done.stderr
    assert done.returncode == 1, shown
    assert "Traceback" not in shown and "report.docx" in shown and "整数" in shown and "9**(9**9)" in shown
    assert not list(out.glob("*.docx")) if out.exists() else True


def test_security_doc_names_only_tests_that_exist() -> None:
    """docs/security.md cites a test for each template limit; a renamed test must not leave it stale."""
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = doc[doc.index("## 模板"):]
    cited = set(re.findall(r"`(test_\w+)`", section))
    defined = set()
    for name in ("test_template_safety.py", "test_engine.py"):
        defined |= set(re.findall(r"^def (test_\w+)", (ROOT / "tests" / name).read_text(encoding="utf-8"), re.M))
    assert len(cited) >= 25 and cited <= defined, sorted(cited - defined)
    for name in ("MAX_FILE_BYTES", "MAX_STEPS", "MAX_OUTPUT_CHARS", "MAX_VALUE_CHARS", "MAX_DEPTH"):
        assert f"{getattr(limits, name):,}" in section or f"{getattr(limits, name) // MB} MB" in section, name


def test_a_field_written_by_the_template_itself_is_refused_after_rendering(tmp_path: Path) -> None:
    # Jinja's \x3c and \x3e are < and >; with autoescape off the template writes raw XML
    raw = ("{% autoescape false %}{{ '\\x3c/w:t\\x3e\\x3c/w:r\\x3e\\x3cw:r\\x3e\\x3cw:instrText\\x3eINCLUDETEXT "
           "\"http://203.0.113.9/x.docx\"\\x3c/w:instrText\\x3e\\x3c/w:r\\x3e\\x3cw:r\\x3e\\x3cw:t\\x3e' }}"
           "{% endautoescape %}")
    d = refused(template(tmp_path, "正文", raw))
    assert d.code == "template-unsafe" and "INCLUDETEXT" in d.message
