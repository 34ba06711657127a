"""dangjian-docs: a hospital Party organisation's year of data → official Word documents.

The public API is this module's ``__all__``, every name reached as ``dangjian_docs.<name>``
after a plain ``import dangjian_docs`` (docs/api.md uses nothing else)::

    import dangjian_docs
    source = dangjian_docs.load("2025.yaml")          # read YAML, keeping positions
    result = dangjian_docs.validate(source)            # diagnostics + typed model
    docx = dangjian_docs.render(result.year, "plan")   # the document's bytes
    dangjian_docs.build("2025.yaml", out_dir="out")    # all kinds, written atomically

Everything else (``dangjian_docs.api``, ``.loading`` …) is free to change between versions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .diagnostics import DangjianError, Diagnostic, Severity

if TYPE_CHECKING:
    from .api import (
        build,
        build_region,
        changes_since,
        outputs,
        render,
        render_region,
        render_set,
        write_documents,
    )
    from .documents.catalogue import read_overrides as read_wording
    from .documents.catalogue import using as using_wording
    from .domain.findings import Finding, findings
    from .loading import DataFile, load, load_text
    from .model import YearData
    from .pdf import to_pdf
    from .region import RegionValidation, validate_region
    from .region.continuity import check as check_continuity
    from .region.continuity import pairs as year_pairs
    from .template_check import check_template
    from .validation import Validation, validate

__version__ = "0.1.0"

_LAZY = {  # public name → (module, name there); imported on first use, so that `--help` starts fast
    "build": (".api", "build"),
    "build_region": (".api", "build_region"),
    "changes_since": (".api", "changes_since"),
    "outputs": (".api", "outputs"),
    "render": (".api", "render"),
    "render_region": (".api", "render_region"),
    "render_set": (".api", "render_set"),
    "write_documents": (".api", "write_documents"),
    "read_wording": (".documents.catalogue", "read_overrides"),
    "using_wording": (".documents.catalogue", "using"),
    "Finding": (".domain.findings", "Finding"),
    "findings": (".domain.findings", "findings"),
    "DataFile": (".loading", "DataFile"),
    "load": (".loading", "load"),
    "load_text": (".loading", "load_text"),
    "YearData": (".model", "YearData"),
    "to_pdf": (".pdf", "to_pdf"),
    "RegionValidation": (".region", "RegionValidation"),
    "validate_region": (".region", "validate_region"),
    "check_continuity": (".region.continuity", "check"),
    "year_pairs": (".region.continuity", "pairs"),
    "check_template": (".template_check", "check_template"),
    "Validation": (".validation", "Validation"),
    "validate": (".validation", "validate"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(module, __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "DangjianError",
    "DataFile",
    "Diagnostic",
    "Finding",
    "RegionValidation",
    "Severity",
    "Validation",
    "YearData",
    "__version__",
    "build",
    "build_region",
    "changes_since",
    "check_continuity",
    "check_template",
    "findings",
    "load",
    "load_text",
    "outputs",
    "read_wording",
    "render",
    "render_region",
    "render_set",
    "to_pdf",
    "using_wording",
    "validate",
    "validate_region",
    "write_documents",
    "year_pairs",
]
