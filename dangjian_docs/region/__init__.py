"""The county roll-up's input: a region file naming the institutions it covers.

loading → :mod:`.model` (typed region) → :mod:`.validation` (schema, truth across files) →
:mod:`.figures` (sums by type) → ``documents.rollup``. :mod:`.continuity` pairs a year file with
last year's and checks that the member count carries over.
"""

from __future__ import annotations

from .figures import Rollup
from .model import RegionData, is_region
from .validation import RegionValidation, validate_region

__all__ = ["RegionData", "RegionValidation", "Rollup", "is_region", "validate_region"]
