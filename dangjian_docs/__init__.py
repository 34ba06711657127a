"""dangjian-docs: a hospital Party organisation's year of data → official Word documents.

The public API is small::

    import dangjian_docs
    source = dangjian_docs.load("2025.yaml")          # read YAML, keeping positions
    result = dangjian_docs.validate(source)            # diagnostics + typed model
    docx = dangjian_docs.render(result.year, "plan")   # the document's bytes
    dangjian_docs.build("2025.yaml", out_dir="out")    # all kinds, written atomically
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .diagnostics import DangjianError, Diagnostic, Severity

if TYPE_CHECKING:
    from .api import build, render
    from .loading import DataFile, load
    from .model import YearData
    from .validation import Validation, validate

__version__ = "0.1.0"

_LAZY = {"build": ".api", "render": ".api", "DataFile": ".loading", "load": ".loading",
         "YearData": ".model", "Validation": ".validation", "validate": ".validation"}
"""Imported on first use, so that ``dangjian-docs --help`` (and the version) start fast."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value

__all__ = [
    "DangjianError",
    "DataFile",
    "Diagnostic",
    "Severity",
    "Validation",
    "YearData",
    "__version__",
    "build",
    "load",
    "render",
    "validate",
]
