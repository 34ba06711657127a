"""Validation derives the findings once: the references and the notes read the same list."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import dangjian_docs
from dangjian_docs.domain import findings as domain_findings

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "binjiang-2025.yaml"


def test_findings_are_derived_once_per_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    derive = domain_findings.DERIVE["few-applications"]

    def counted(year: dangjian_docs.YearData) -> object:
        calls.append("few-applications")
        return derive(year)

    monkeypatch.setitem(domain_findings.DERIVE, "few-applications", counted)
    raw = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    assert any(p.get("finding") for p in raw["problems"])  # the references are checked too
    result = dangjian_docs.validate(raw)
    assert result.year is not None
    assert calls == ["few-applications"]
