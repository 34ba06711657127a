"""The speed work of the data repo keeps its output: same bytes, same behaviour."""

from __future__ import annotations

import datetime as dt
import gc
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dangjian_docs.loading.yaml_tree import parse
from dangjian_docs.rendering import package
from dangjian_docs.resources import templates_dir


def template_parts(name: str) -> tuple[dict[str, bytes], list[str]]:
    with zipfile.ZipFile(templates_dir() / name) as archive:
        order = [info.filename for info in archive.infolist()]
        return {n: archive.read(n) for n in order}, order


@pytest.mark.parametrize("name", ["plan.docx", "summary.docx", "report.docx"])
def test_assemble_matches_zipfile_byte_for_byte(name: str) -> None:
    parts, order = template_parts(name)
    for when in (dt.date(2025, 12, 20), dt.date(1975, 1, 1), dt.date(2024, 2, 29)):
        stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
        expected = package._assemble_with_zipfile(parts, order, stamp)
        assert package.assemble(parts, order, when) == expected  # first time: deflated
        assert package.assemble(parts, order, when) == expected  # again: copied


def test_assemble_matches_zipfile_for_any_parts() -> None:
    rng = random.Random(7)
    for _ in range(40):
        order = [f"p{i}/{'名' if i % 3 == 0 else 'x'}{i}.xml" for i in range(rng.randint(0, 6))]
        parts = {n: rng.choice([b"", rng.randbytes(rng.randint(1, 3000)), b"abc" * rng.randint(1, 5000)])
                 for n in order}
        when = dt.date(2025, 1, 1)
        for _ in range(2):
            assert package.assemble(parts, order, when) == package._assemble_with_zipfile(
                parts, order, (2025, 1, 1, 0, 0, 0))


def test_a_changed_part_is_never_served_from_the_cache() -> None:
    parts, order = template_parts("plan.docx")
    when = dt.date(2025, 6, 1)
    package.assemble(parts, order, when)
    package.assemble(parts, order, when)
    changed = dict(parts, **{"word/styles.xml": parts["word/styles.xml"].replace(b"<w:", b"<w:", 1) + b" "})
    with zipfile.ZipFile(__import__("io").BytesIO(package.assemble(changed, order, when))) as archive:
        assert archive.read("word/styles.xml") == changed["word/styles.xml"]


def test_parse_restores_the_garbage_collector() -> None:
    assert gc.isenabled()
    parse("a: [1, 2, {b: c}]\n", "t.yaml")
    assert gc.isenabled()
    parse("a: [1, 2\n", "t.yaml")  # a syntax error on the way
    assert gc.isenabled()
    gc.disable()
    try:
        parse("a: 1\n", "t.yaml")
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_help_and_validate_import_no_rendering_or_full_schema_validator(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parent.parent / "samples" / "binjiang-2025.yaml"
    probe = (
        "import sys\n"
        "from dangjian_docs.cli import main\n"
        "sys.argv = ['dangjian-docs', *sys.argv[1:]]\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "heavy = ['jsonschema', 'docxtpl', 'docx', 'xml.sax.saxutils', 'jinja2', 'lxml']\n"
        "print('HEAVY:' + ','.join(m for m in heavy if m in sys.modules))\n"
    )
    for args in (["--help"], ["validate", str(sample)]):
        out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
        assert out.stdout.strip().splitlines()[-1] == "HEAVY:", (args, out.stdout[-200:])


def test_valid_shared_rules_do_not_load_the_full_schema_validator(tmp_path: Path) -> None:
    """The repo's rules file holds only ``rules:``, so it never passes the whole year schema: its
    rules are judged by the fast validator alone when they are right, as a valid data file is."""
    from dangjian_docs.repo.scaffold import init_repo

    repo = tmp_path / "county"
    init_repo(repo)
    assert (repo / "规则" / "组织生活规则.yaml").is_file()
    probe = (
        "import sys\n"
        "from dangjian_docs.cli import main\n"
        "sys.argv = ['dangjian-docs', 'validate', sys.argv[1]]\n"
        "try:\n    main()\n"
        "except SystemExit as exit:\n    print('EXIT:', exit.code)\n"
        "print('JSONSCHEMA:', 'jsonschema' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(repo)], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-2:] == ["EXIT: 0", "JSONSCHEMA: False"], out.stdout[-300:]
