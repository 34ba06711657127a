"""Where the bundled schemas and templates are, in a source checkout or an installed wheel.

In a checkout they are the top-level ``schemas/`` and ``templates/`` folders; the wheel carries
copies inside the package (``dangjian_docs/_data``, see pyproject.toml), so a plain
``pip install .`` works from any working directory.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import yaml

_PACKAGE = Path(__file__).resolve().parent


def _folder(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def schemas_dir() -> Path:
    return _folder("schemas")


def templates_dir() -> Path:
    return _folder("templates")


@functools.cache
def year_schema() -> dict[str, Any]:
    """The JSON Schema of a year data file, read once per process."""
    with open(schemas_dir() / "year.schema.json", encoding="utf-8") as f:
        return json.load(f)


PACKAGE_YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it: the same values as the pure-Python one, read in a
tenth of the time (the wording catalogue is read by every ``validate``)."""


def package_yaml(*parts: str) -> Any:
    """A YAML file shipped inside the package (``domain/rules.yaml``, the wording catalogue), as
    plain values; ``parts`` are its path in the package folder."""
    text = _PACKAGE.joinpath(*parts).read_text(encoding="utf-8")
    return yaml.load(text, Loader=PACKAGE_YAML_LOADER)  # a safe loader, C or Python
