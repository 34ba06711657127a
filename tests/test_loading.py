"""Reading YAML: positions, duplicate keys, unsafe tags, encodings."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dangjian_docs import DangjianError, load
from dangjian_docs.loading import load_text, yaml_tree


def diagnostics_of(text: str) -> list:
    with pytest.raises(DangjianError) as info:
        load_text(text, "t.yaml")
    return info.value.diagnostics


def test_values_keep_line_and_column() -> None:
    source = load_text("a: 1\nb:\n  - x: 2025-04-17\n    y: 文字\n", "t.yaml")
    assert source.data == {"a": 1, "b": [{"x": "2025-04-17", "y": "文字"}]}
    pos = source.positions.values[("b", 0, "y")]
    assert (pos.line, pos.column) == (4, 8)
    key = source.positions.keys[("b", 0, "y")]
    assert (key.line, key.column) == (4, 5)


def test_duplicate_key_is_an_error_at_the_second_occurrence() -> None:
    [d] = diagnostics_of("year: 2025\norganisation: {}\nyear: 2024\n")
    assert (d.code, d.line, d.column, d.path) == ("duplicate-key", 3, 1, "year")
    assert "第一次在第 1 行" in d.message


def test_python_tags_are_refused_not_executed() -> None:
    [d] = diagnostics_of("a: !!python/object/apply:os.system ['echo hacked']\n")
    assert d.code == "unsafe-tag" and d.line == 1 and d.column == 4
    assert "!!python/object/apply:os.system" in d.message


def test_syntax_error_has_position_and_chinese_hint() -> None:
    [d] = diagnostics_of("a:\n  b: 1\n c: 2\n")
    assert (d.code, d.line, d.column) == ("yaml-syntax", 3, 2)
    assert "缩进" in d.message and "左对齐" in d.hint


def test_tab_indentation_is_explained() -> None:
    [d] = diagnostics_of("a:\n\tb: 1\n")
    assert d.code == "yaml-syntax" and d.line == 2
    assert "制表符" in d.message


def test_full_width_colon_is_named_on_its_own_line() -> None:
    [d] = diagnostics_of("year: 2025\norganisation:\n  staff：300\n  kind: 党委\n")
    assert (d.line, d.column) == (3, 8) and "全角冒号" in d.message


def test_english_quotes_inside_quoted_text() -> None:
    [d] = diagnostics_of('a: 1\nb: "学习"二十大"精神"\n')
    assert d.line == 2 and "中文引号" in d.hint


def test_empty_file() -> None:
    [d] = diagnostics_of("# 只有注释\n")
    assert d.code == "empty-file"


def test_alias_bomb_is_stopped() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    [d] = diagnostics_of("\n".join(lines) + "\n")
    assert d.code == "too-large"


def test_utf8_bom_is_read(tmp_path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(codecs.BOM_UTF8 + "名称: 党委\n".encode())
    assert load(path).data == {"名称": "党委"}


def test_gbk_file_is_refused_with_the_way_to_convert(tmp_path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("year: 2025\n名称: 滨江医院党委\n".encode("gb18030"))
    with pytest.raises(DangjianError) as info:
        load(path)
    [d] = info.value.diagnostics
    assert d.code == "encoding" and d.line == 2 and d.column == 1
    assert "GB18030" in d.message and "UTF-8" in d.hint


def test_binary_junk_is_refused(tmp_path) -> None:
    path = tmp_path / "junk.yaml"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(DangjianError) as info:
        load(path)
    assert info.value.diagnostics[0].code == "binary-file"


def test_a_key_that_is_not_text() -> None:
    [d] = diagnostics_of("year: 2025\n? [a, b]\n: 1\n")
    assert (d.code, d.line) == ("bad-key", 2)


def test_merge_keys_are_refused() -> None:
    [d] = diagnostics_of("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert (d.code, d.line) == ("merge-key", 3)


def test_invisible_characters_are_dropped_with_a_warning_at_each(tmp_path) -> None:
    path = tmp_path / "ctl.yaml"
    path.write_bytes("a: 1\nb: 文字\x07中\u2028间\n".encode())
    source = load(path)
    assert source.data == {"a": 1, "b": "文字中间"}
    assert [(w.code, w.line, w.column) for w in source.warnings] == [
        ("invisible-character", 2, 6), ("invisible-character", 2, 8)]
    assert "U+0007" in source.warnings[0].message


def test_an_alias_bomb_is_named_as_one() -> None:
    """Expansion is counted apart from the values written: its own message, with the limit."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    [d] = diagnostics_of("\n".join(lines) + "\n")
    assert d.code == "too-large" and "别名" in d.message and str(yaml_tree.MAX_ALIAS_VALUES) in d.message


def test_values_and_alias_expansion_have_separate_limits(monkeypatch) -> None:
    monkeypatch.setattr(yaml_tree, "MAX_VALUES", 1000)
    monkeypatch.setattr(yaml_tree, "MAX_ALIAS_VALUES", 100)
    plain = "a: [" + ", ".join(["1"] * 1200) + "]\n"
    [d] = diagnostics_of(plain)
    assert d.code == "too-many-values" and "1000 个值" in d.message and "别名" not in d.message
    assert d.line == 1  # found by the streaming count, before composing the whole file
    aliased = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [" + ", ".join(["*a"] * 12) + "]\n"
    [d] = diagnostics_of(aliased)  # 10 values written, 120 from aliases
    assert d.code == "too-large" and "别名" in d.message
    small = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [" + ", ".join(["*a"] * 5) + "]\n"
    assert load_text(small, "t.yaml").data["b"][4] == list(range(1, 10))


def test_a_year_of_sixty_thousand_activities_is_within_the_value_limit() -> None:
    """Measured: 60,000 activities (15.6 MB) are about 1,140,000 values; reading them is allowed.

    Counted here from 100 and 200 activities (keys count too), as loading 15 MB takes seconds.
    """
    activity = ("  - {date: 2025-03-01, branch: a, type: 支部委员会, topic: 学习贯彻会议精神, "
                "expected: 7, present: 7, group: 第一党小组, speaker: 张三, task: T1}\n")

    def values(count: int) -> int:
        text = "year: 2025\nactivities:\n" + activity * count
        return sum(isinstance(e, (yaml.ScalarEvent, yaml.CollectionStartEvent)) for e in yaml.parse(text))

    per_activity = (values(200) - values(100)) / 100
    assert per_activity == 19  # the mapping, nine keys, nine values
    assert 60_000 * per_activity * 1.2 < yaml_tree.MAX_VALUES  # with a fifth to spare


def test_a_device_is_refused_without_reading_it() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(DangjianError) as info:
        load("/dev/zero")
    [d] = info.value.diagnostics
    assert d.code == "not-a-file" and "设备" in d.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_pipe_with_no_writer_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "data.yaml"
    os.mkfifo(fifo)
    script = "import sys, dangjian_docs; print(dangjian_docs.validate(sys.argv[1]).diagnostics[0].code)"
    done = subprocess.run([sys.executable, "-c", script, str(fifo)], capture_output=True, text=True,
                          timeout=20)  # a hang guard: opening a pipe blocks until a writer comes
    assert done.stdout.strip() == "not-a-file", done.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="sparse file and RLIMIT_AS")
def test_a_four_gigabyte_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """Reading 4 GB whole would fail under a 1 GB address-space limit; the size check does not read."""
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(4 * 1024**3)  # sparse: takes no disk space

    def limit_memory() -> None:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))

    done = subprocess.run([sys.executable, "-m", "dangjian_docs", "validate", "--format", "json", str(big)],
                          capture_output=True, text=True, timeout=60, preexec_fn=limit_memory)
    [d] = json.loads(done.stdout)["diagnostics"]
    assert d["code"] == "file-too-large" and "4096.0 MB" in d["message"] and "没有读取" in d["message"]
