"""A plain `pip install .` must carry schemas/ and templates/ inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT
from hatchling.builders.wheel import WheelBuilder

from dangjian_docs.documents import ALL_KIND_NAMES


def test_wheel_carries_schemas_and_templates_and_works_from_elsewhere(tmp_path: Path) -> None:
    [wheel] = list(WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for name in ("year.schema.json",):
        assert f"dangjian_docs/_data/schemas/{name}" in names
    for kind in ALL_KIND_NAMES:
        assert f"dangjian_docs/_data/templates/{kind}.docx" in names
    # the wording catalogue (issue 14): every sentence the documents are written with
    from dangjian_docs.documents.catalogue import PACKAGE_FILES

    for name in PACKAGE_FILES:
        assert f"dangjian_docs/documents/wording_data/{name}" in names
    # the unpacked wheel, imported from another directory, finds its data without the checkout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = ("import sys; sys.path.insert(0, sys.argv[1]); import dangjian_docs, dangjian_docs.resources as r;"
              "assert str(r.templates_dir()).startswith(sys.argv[1]), r.templates_dir();"
              "y = dangjian_docs.validate(dangjian_docs.load(sys.argv[2])).year;"
              "print(len(dangjian_docs.render(y, 'report')))")
    data = ROOT / "tests" / "data" / "small-year.yaml"
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "site"), str(data)],
                            cwd=elsewhere, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000
