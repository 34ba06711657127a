"""Validating a .docx package against the ISO/IEC 29500 transitional schemas in CI.

* :func:`audit` runs ``openxml-audit`` (PyPI, MIT), a pure-Python port of the Open XML SDK's
  validator: its element and attribute rules are the SDK's schema data (shipped in the package,
  generated from the transitional schemas plus Office's extensions), and it checks every part,
  the content types and the relationships. CI installs it with the test extras, so this check
  always runs. Where the SDK is laxer than the schema (``w:zoom`` without ``w:percent``), the
  tests check the rule themselves.
The stricter check against the XSD files themselves, which no registry ships, is
``tools/check_xsd.py`` (run by hand with a folder of them).
"""

from __future__ import annotations

from pathlib import Path


def audit(path: Path) -> list[str]:
    """Errors the Open XML SDK's validation rules find (openxml-audit), as readable lines."""
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(path))
    return [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors]
