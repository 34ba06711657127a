from __future__ import annotations

from pathlib import Path

import pytest

import dangjian_docs
from dangjian_docs.loading import load_text

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
MINIMAL = DATA / "small-year.yaml"


def cli_output(*args: object, code: int = 0) -> str:
    """Run the command in this process; what it printed, after checking its exit code."""
    from click.testing import CliRunner

    from dangjian_docs.cli import cli

    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture(scope="session")
def minimal_year() -> dangjian_docs.YearData:
    result = dangjian_docs.validate(dangjian_docs.load(MINIMAL))
    assert result.year is not None, [d.message for d in result.errors]
    return result.year


def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")


def validate_text(text: str) -> dangjian_docs.Validation:
    return dangjian_docs.validate(load_text(text, "t.yaml"))


def codes(result: dangjian_docs.Validation) -> set[str]:
    return {d.code for d in result.diagnostics}
