"""Reading YAML: positions, duplicate keys, unsafe tags, encodings."""

from __future__ import annotations

import codecs

import pytest

from dangjian_docs import DangjianError, load
from dangjian_docs.loading import load_text


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
