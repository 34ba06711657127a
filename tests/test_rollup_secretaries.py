"""The roll-up's 双带头人 figure: an institution counts all its in-service secretaries or none.

Counting only the branches whose flag is given would present part of an institution as the
whole of it, under a "据N家单位报送" that names it among those who reported.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

from dangjian_docs import api

EXAMPLE = Path(__file__).resolve().parent / "data" / "region"


def text_of(content: bytes) -> str:
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def test_an_institution_with_one_secretary_unknown_is_left_out_whole(tmp_path: Path) -> None:
    county = tmp_path / "county"
    shutil.copytree(EXAMPLE, county)
    renmin = county / "hospitals" / "renmin-2025.yaml"
    text = renmin.read_text(encoding="utf-8")
    flag = "    secretary_is_professional_leader: false\n"  # 行政后勤党支部, in service
    assert text.index(flag) < text.index("kind: 离退休")
    renmin.write_text(text.replace(flag, "", 1), encoding="utf-8")
    built = text_of(api.render_region(county / "region-2025.yaml")[1])
    # 中医 2 of 2, 东镇 1 of 1, 西镇 0 of 1, 城东 1 of 1; 人民医院 (2 of 3 known) not at all
    assert "据4家单位报送，全年新发展党员4名，确定入党积极分子4名，列为发展对象1名，" \
           "在职党支部书记5名中，由业务骨干或科室负责人担任的“双带头人”4名，占80.0%" in built
