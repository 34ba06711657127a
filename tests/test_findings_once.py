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


def test_facts_are_computed_once_per_data_file_for_validation_and_every_kind(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Figures, compliance tallies and findings are worked out once for a data file, however
    many kinds are built from it: the documents and validation's notes read the same facts."""
    from dangjian_docs.domain import compliance, figures

    calls: list[str] = []

    def counting(module: object, name: str) -> None:
        original = getattr(module, name)

        def counted(*args: object) -> object:
            calls.append(name)
            return original(*args)

        monkeypatch.setattr(module, name, counted)

    counting(compliance, "_tallies")
    counting(figures, "_committees")  # a part of the figures only they compute
    monkeypatch.setitem(domain_findings.DERIVE, "few-applications",
                        lambda year, derive=domain_findings.DERIVE["few-applications"]: (
                            calls.append("findings"), derive(year))[1])
    result = dangjian_docs.validate(dangjian_docs.load(SAMPLE))
    assert result.year is not None
    documents = [dangjian_docs.render(result.year, kind) for kind in ("plan", "summary", "report")]
    assert all(documents)
    assert sorted(calls) == ["_committees", "_tallies", "findings"]
    again = dangjian_docs.validate(dangjian_docs.load(SAMPLE)).year  # another year object: its own facts
    assert again is not None
    dangjian_docs.render(again, "report")
    assert sorted(calls) == ["_committees", "_committees", "_tallies", "_tallies", "findings", "findings"]
