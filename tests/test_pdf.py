"""``build --pdf``: a PDF beside each document, from one LibreOffice, in the mapped faces.

CI installs LibreOffice and the free faces (tools/bootstrap.sh); without them these tests fail
with the command to run, rather than skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import DATA, ROOT
from pypdf import PdfReader

import dangjian_docs
from dangjian_docs import pdf
from dangjian_docs.diagnostics import Severity

SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
ORGANISATIONS_OWN = ("--kind", "plan", "--kind", "summary", "--kind", "report")
"""The 党委's three documents: the sample's branches and groups would add ten more PDFs to convert."""
CLI = [sys.executable, "-m", "dangjian_docs"]


def run(*args: object, path: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command's output as a user sees it in a terminal: stdout and stderr together."""
    env = {**os.environ, "PATH": path if path is not None else os.environ["PATH"]}
    done = subprocess.run([*CLI, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env=env, timeout=600)
    done.stderr = ""
    return done


def need_office() -> str:
    program = pdf.soffice()
    if program is None:
        pytest.fail("LibreOffice is not installed: run `bash tools/bootstrap.sh` first")
    return program


def faces_of(path: Path) -> dict[str, set[str]]:
    """The face (subset prefix dropped) each run of text on the first page is set in → its texts."""
    found: dict[str, set[str]] = {}

    def visit(text: str, cm: object, tm: object, font: dict | None, size: object) -> None:
        if text.strip() and font:
            found.setdefault(str(font["/BaseFont"]).split("+")[-1], set()).add(text.strip())

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return found


def face_of(faces: dict[str, set[str]], text: str) -> str:
    [face] = {face for face, texts in faces.items() if any(text in t for t in texts)}
    return face


@pytest.mark.office
def test_build_writes_a_pdf_beside_each_document_in_the_mapped_faces(tmp_path: Path) -> None:
    need_office()
    done = run("build", SAMPLE, "-o", tmp_path, "--pdf", *ORGANISATIONS_OWN)
    assert done.returncode == 0, done.stdout + done.stderr
    documents = sorted(tmp_path.glob("*.docx"))
    pdfs = sorted(tmp_path.glob("*.pdf"))
    made = dangjian_docs.outputs(dangjian_docs.validate(SAMPLE).year, ORGANISATIONS_OWN[1::2])
    assert len(documents) == len(made) and [p.with_suffix(".docx") for p in pdfs] == documents
    assert all(f"已生成：{p.name}" in done.stdout.replace(str(tmp_path) + "/", "") for p in pdfs)
    plan = next(p for p in pdfs if p.name.endswith("工作计划.pdf"))
    reader = PdfReader(plan)
    assert len(reader.pages) >= 3 and "指导思想" in reader.pages[0].extract_text()
    faces = faces_of(plan)
    assert "NotoSerifCJK" in face_of(faces, "年党建工作计划") and "Bold" in face_of(faces, "年党建工作计划")  # 小标宋
    assert "NotoSerifCJK" in face_of(faces, "结合我院实际") and "Regular" in face_of(faces, "结合我院实际")  # 仿宋
    assert "NotoSansCJK" in face_of(faces, "一、指导思想")  # 黑体
    assert face_of(faces, "2025") == "LiberationSerif"  # Times New Roman, metric-compatible
    kai = {face for p in pdfs for face in faces_of_all(p)}
    assert "UKaiCN" in kai, kai  # 楷体 for the （一） headings
    listed = subprocess.run(["pdffonts", str(plan)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu" not in listed  # no generic fallback face anywhere in the document
    # --format json: each PDF listed under its document's kind, and the report keeps to its schema
    report = subprocess.run([*CLI, "build", str(SAMPLE), "-o", str(tmp_path), "--pdf", "--format", "json",
                             *ORGANISATIONS_OWN],
                            capture_output=True, text=True, timeout=600)
    data = json.loads(report.stdout)
    jsonschema.validate(data, json.loads((ROOT / "schemas" / "output.schema.json").read_text("utf-8")))
    listed_pdfs = [d for d in data["documents"] if str(d["path"]).endswith(".pdf")]
    assert len(listed_pdfs) == len(made) and {d["state"] for d in listed_pdfs} == {"built"}
    assert {d["kind"] for d in listed_pdfs} == {m.kind.name for m in made}


def faces_of_all(path: Path) -> set[str]:
    """Every face ``pdffonts`` lists for the PDF (subset prefix dropped)."""
    if shutil.which("pdffonts") is None:
        pytest.fail("pdffonts is not installed: run `bash tools/bootstrap.sh` first (poppler-utils)")
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].split("+")[-1] for line in listed.splitlines()[2:] if line.strip()}


@pytest.mark.office
def test_twenty_pdfs_come_from_one_libreoffice(tmp_path: Path) -> None:
    """28 documents of 7 data files (four kinds each): ``soffice`` is started once (a stand-in on PATH counts)."""
    real = need_office()
    data = tmp_path / "data"
    data.mkdir()
    text = (DATA / "small-year.yaml").read_text("utf-8")
    for i in range(1, 8):
        (data / f"h{i}.yaml").write_text(text.replace("测试医院", f"测试{i}号医院"), "utf-8")
    shim = tmp_path / "bin"
    shim.mkdir()
    log = tmp_path / "starts.log"
    (shim / "soffice").write_text(f'#!/bin/sh\necho "$#" >> "{log}"\nexec "{real}" "$@"\n')
    (shim / "soffice").chmod(0o755)
    out = tmp_path / "out"
    done = run("build", *sorted(data.glob("*.yaml")), "-o", out, "--pdf", path=f"{shim}:{os.environ['PATH']}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(list(out.glob("*.pdf"))) == len(list(out.glob("*.docx"))) == 28
    assert len(log.read_text().splitlines()) == 1


def test_without_libreoffice_the_documents_are_written_and_the_build_says_how_to_get_pdfs(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    done = run("build", DATA / "small-year.yaml", "-o", tmp_path / "out", "--pdf", path=str(empty))
    assert done.returncode == 1
    assert "没有找到 LibreOffice，无法生成 PDF" in done.stdout
    assert "apt-get install libreoffice-writer-nogui" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert len(list((tmp_path / "out").glob("*.docx"))) == 4
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_torn_pdf_is_never_written(tmp_path: Path) -> None:
    """A LibreOffice that dies while writing leaves half a PDF: it is refused, the old PDF stays."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "soffice").write_text(  # writes the start of a PDF for each document, then dies
        '#!/bin/sh\nout=""; for a; do [ "$prev" = --outdir ] && out="$a"; prev="$a"; done\nmkdir -p "$out"\n'
        'for a; do case "$a" in *.docx) n=$(basename "$a" .docx); printf "%%PDF-1.7\\n1 0 obj" > "$out/$n.pdf";; '
        "esac; done\nexit 134\n")
    (fake / "soffice").chmod(0o755)
    out = tmp_path / "out"
    first = run("build", DATA / "small-year.yaml", "-o", out)
    assert first.returncode == 0, first.stdout + first.stderr
    old = out / next(out.glob("*计划.docx")).with_suffix(".pdf").name
    old.write_bytes(b"the PDF of an earlier build")
    done = run("build", DATA / "small-year.yaml", "-o", out, "--pdf", path=f"{fake}:{os.environ['PATH']}")
    assert done.returncode == 1
    assert done.stdout.count("LibreOffice 转换失败（退出码 134），没有写出 PDF") == 4
    assert old.read_bytes() == b"the PDF of an earlier build"
    assert [p.name for p in out.glob("*.pdf")] == [old.name] and not list(out.glob(".dangjian-*"))


def test_each_official_face_is_mapped_and_a_missing_stand_in_is_named() -> None:
    everything = {name for face in pdf.FACES for name in face.stand_ins}
    mapping, problems = pdf.font_mapping(everything)
    assert problems == []
    assert mapping["仿宋"][0] == "Noto Serif CJK SC" and mapping["楷体"][0] == "AR PL UKai CN"
    conf = pdf.fonts_conf(mapping, system="/etc/fonts/fonts.conf")
    for name in ("仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "黑体", "宋体", "Times New Roman"):
        assert f"<string>{name}</string>" in conf
    assert conf.count("<const>bold</const>") == len(pdf.FACES[2].names)  # 小标宋 only
    # a machine without the Kai face: said, with the package to install, never silently
    mapping, problems = pdf.font_mapping(everything - {"AR PL UKai CN", "AR PL KaitiM GB"})
    [problem] = problems
    assert problem.severity is Severity.WARNING and "“楷体”" in problem.message
    assert "fonts-arphic-ukai" in (problem.hint or "")
    assert "楷体_GB2312" not in pdf.fonts_conf(mapping)
    # the real face, where a machine has it, is used before any stand-in
    mapping, problems = pdf.font_mapping(everything | {"仿宋_GB2312", "方正小标宋简体"})
    assert mapping["仿宋"][0] == "仿宋_GB2312" and mapping["方正小标宋简体"][0] == "方正小标宋简体" and problems == []
    assert "<const>bold</const>" not in pdf.fonts_conf(mapping)  # the real face is not emboldened again



# -- data repos: PDFs tracked like the documents ------------------------------------------------

def shimmed(tmp_path: Path) -> tuple[str, Path]:
    """PATH with a ``soffice`` that logs each start before running the real one; and the log."""
    real = need_office()
    shim = tmp_path / "shim"
    shim.mkdir(exist_ok=True)
    log = tmp_path / "starts.log"
    (shim / "soffice").write_text(f'#!/bin/sh\necho start >> "{log}"\nexec "{real}" "$@"\n')
    (shim / "soffice").chmod(0o755)
    return f"{shim}:{os.environ['PATH']}", log


def starts(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def state(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in sorted(out.rglob("*.*"))
            if p.suffix in (".docx", ".pdf")}


@pytest.mark.office
def test_a_repo_build_remakes_only_the_pdfs_whose_document_changed(tmp_path: Path) -> None:
    path, log = shimmed(tmp_path)
    repo = tmp_path / "county"
    assert run("init", repo).returncode == 0
    out = repo / "文稿"
    first = run("build", repo, "--pdf", path=path)
    assert first.returncode == 0, first.stdout + first.stderr
    made = state(out)
    documents = [name for name in made if name.endswith(".docx")]
    assert len(documents) >= 10 and sorted(made) == sorted(documents + [d[:-5] + ".pdf" for d in documents])
    assert starts(log) == 1
    assert f"生成 {len(made)} 份（其中 PDF {len(documents)} 份）" in first.stdout
    again = run("build", repo, "--pdf", path=path)
    assert "生成 0 份" in again.stdout and state(out) == made and starts(log) == 1  # nothing to convert: no start
    hospital = repo / "数据/2025/青溪县人民医院.yaml"
    hospital.write_text(hospital.read_text("utf-8").replace("staff: 1260", "staff: 1261"), "utf-8")
    edited = run("build", repo, "--pdf", path=path)
    assert edited.returncode == 0, edited.stdout + edited.stderr
    now = state(out)
    changed = {name for name in now if now[name] != made[name]}
    assert changed and {n[:-5] + ".pdf" for n in changed if n.endswith(".docx")} == {
        n for n in changed if n.endswith(".pdf")}  # a PDF is remade exactly when its document is
    assert starts(log) == 2
    # the region file removed: its roll-up and the roll-up's PDF go; without --pdf, every PDF goes,
    # except one edited since (the orphan rules of the documents)
    (repo / "数据/2025/青溪县汇总.yaml").unlink()
    edited_pdf = next(out.rglob("青山镇*计划.pdf"))
    edited_pdf.write_bytes(edited_pdf.read_bytes() + b"\n% annotated by a reviewer\n")
    last = run("build", repo)
    assert last.returncode == 0, last.stdout + last.stderr
    assert not any("公立医疗卫生机构" in name for name in state(out))
    assert [p.name for p in out.rglob("*.pdf")] == [edited_pdf.name]
    assert f"{edited_pdf.name}: 警告: 生成记录中有这份文稿，但它的内容已不是本工具写出的样子" in last.stdout


def test_a_repo_build_without_libreoffice_writes_the_documents_and_fails(tmp_path: Path) -> None:
    repo = tmp_path / "county"
    assert run("init", repo).returncode == 0
    empty = tmp_path / "bin"
    empty.mkdir()
    done = run("build", repo, "--pdf", path=str(empty))
    assert done.returncode == 1
    assert "没有找到 LibreOffice，无法生成 PDF" in done.stdout and "Traceback" not in done.stdout + done.stderr
    documents = list((repo / "文稿").rglob("*.docx"))
    assert len(documents) >= 10 and not list((repo / "文稿").rglob("*.pdf"))
    assert f"失败 {len(documents)} 份" in done.stdout


@pytest.mark.office
def test_a_repo_writing_outside_itself_gets_its_pdfs_and_removes_them(tmp_path: Path) -> None:
    """``-o`` outside the repo: the output folder is read (to convert, compare, remove) as the
    repo's own, though reads of data stay confined to the repo."""
    need_office()
    repo, out = tmp_path / "county", tmp_path / "elsewhere"
    assert run("init", repo).returncode == 0
    first = run("build", repo, "-o", out, "--pdf")
    assert first.returncode == 0, first.stdout + first.stderr
    assert len(list(out.rglob("*.pdf"))) == len(list(out.rglob("*.docx"))) >= 10
    report = subprocess.run([*CLI, "build", str(repo), "-o", str(out), "--pdf", "--format", "json"],
                            capture_output=True, text=True, timeout=600)
    data = json.loads(report.stdout)
    jsonschema.validate(data, json.loads((ROOT / "schemas" / "output.schema.json").read_text("utf-8")))
    states = {d["path"]: d["state"] for d in data["documents"] if str(d["path"]).endswith(".pdf")}
    assert len(states) == len(list(out.rglob("*.pdf"))) and set(states.values()) == {"unchanged"}
    again = run("build", repo, "-o", out)
    assert again.returncode == 0 and "没有删除" not in again.stdout, again.stdout
    assert not list(out.rglob("*.pdf")) and list(out.rglob("*.docx"))
