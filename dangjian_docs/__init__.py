"""dangjian-docs: a hospital Party organisation's year of data → official Word documents.

The public API is small::

    import dangjian_docs
    source = dangjian_docs.load("2025.yaml")          # read YAML, keeping positions
    result = dangjian_docs.validate(source)            # diagnostics + typed model
    docx = dangjian_docs.render(result.year, "plan")   # the document's bytes
    dangjian_docs.build("2025.yaml", out_dir="out")    # all kinds, written atomically
"""

from __future__ import annotations

from .api import build, render
from .diagnostics import DangjianError, Diagnostic, Severity
from .loading import DataFile, load
from .model import YearData
from .validation import Validation, validate

__version__ = "0.1.0"

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
