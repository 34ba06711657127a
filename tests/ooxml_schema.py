"""Validating a .docx package against the ISO/IEC 29500 transitional schemas, two ways.

* :func:`audit` runs ``openxml-audit`` (PyPI, MIT), a pure-Python port of the Open XML SDK's
  validator: its element and attribute rules are the SDK's schema data (shipped in the package,
  generated from the transitional schemas plus Office's extensions), and it checks every part,
  the content types and the relationships. CI installs it with the test extras, so this check
  always runs. Where the SDK is laxer than the schema (``w:zoom`` without ``w:percent``), the
  tests check the rule themselves.
* :func:`xsd_errors` validates each XML part with lxml against the ECMA-376 / ISO/IEC 29500-4
  transitional XSD files themselves, after the Markup Compatibility processing a consumer does
  (ignorable namespaces dropped, ``mc:AlternateContent`` resolved to its fallback). No registry
  ships those files, so the test that uses it runs where ``DANGJIAN_OOXML_XSD`` names a folder
  holding them (``wml.xsd``, ``dml-main.xsd``, ``shared-*.xsd`` … and ``mce/mc.xsd`` beside or
  one level up), and is skipped elsewhere.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_NS = "http://www.w3.org/XML/1998/namespace"

SCHEMA_OF_ROOT = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "wml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties":
        "shared-documentPropertiesExtended.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties": "shared-documentPropertiesCustom.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/customXml": "shared-customXmlDataProperties.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/bibliography": "shared-bibliography.xsd",
}
"""Root namespace → XSD file. The OPC parts (content types, relationships, core properties) are
defined in ISO/IEC 29500-2, whose schemas :func:`audit` covers."""

UNDERSTOOD = {  # the namespaces a transitional consumer understands: everything else is ignorable
    *SCHEMA_OF_ROOT,
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
    "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "urn:schemas-microsoft-com:vml",
    "urn:schemas-microsoft-com:office:office",
    "urn:schemas-microsoft-com:office:word",
    XML_NS,
}


@dataclass(frozen=True)
class Finding:
    part: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.part}:{self.line}: {self.message}"


def audit(path: Path) -> list[str]:
    """Errors the Open XML SDK's validation rules find (openxml-audit), as readable lines."""
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(path))
    return [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors]


def xsd_folder() -> Path | None:
    """The folder named by ``DANGJIAN_OOXML_XSD`` if it holds wml.xsd, else None."""
    named = os.environ.get("DANGJIAN_OOXML_XSD")
    if not named:
        return None
    folder = Path(named)
    hits = sorted(folder.rglob("wml.xsd"))
    return hits[0].parent if hits else None


class _Resolver(etree.Resolver):
    """xml.xsd and mc.xsd from the local folder: nothing is fetched from the network."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(self, url: str, pubid: str, context: object) -> object:
        name = url.rsplit("/", 1)[-1]
        for candidate in (self.folder / name, *self.folder.parent.rglob(name)):
            if candidate.is_file():
                return self.resolve_filename(str(candidate), context)
        return None


@cache
def _schema(folder: Path, name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Resolver(folder))
    source = etree.parse(str(folder / name), parser)
    for imported in source.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        if imported.get("schemaLocation") is None and imported.get("namespace") == XML_NS:
            imported.set("schemaLocation", "xml.xsd")  # the XSDs import it by namespace only
    return etree.XMLSchema(source)


def process_markup_compatibility(root: etree._Element) -> etree._Element:
    """What a transitional consumer sees (ISO/IEC 29500-3): ignorable markup gone, fallbacks chosen."""
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        fallback = alternate.find(f"{{{MC}}}Fallback")
        parent = alternate.getparent()
        index = parent.index(alternate)
        parent.remove(alternate)
        if fallback is not None:
            for offset, child in enumerate(list(fallback)):
                parent.insert(index + offset, child)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        for name in list(element.attrib):
            if name.startswith("{") and name[1:].split("}")[0] not in UNDERSTOOD:
                del element.attrib[name]
        namespace = etree.QName(element).namespace
        if namespace not in UNDERSTOOD and element is not root and element.getparent() is not None:
            element.getparent().remove(element)
    return root


def xsd_errors(path: Path, folder: Path) -> list[Finding]:
    """Every schema error of every XML part of the package at ``path`` that has a schema."""
    found: list[Finding] = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not name.endswith(".xml") or name == "[Content_Types].xml" or name.startswith("docProps/core"):
                continue
            root = etree.fromstring(package.read(name))
            xsd = SCHEMA_OF_ROOT.get(etree.QName(root).namespace or "")
            if xsd is None:
                found.append(Finding(name, 0, f"no schema for the root namespace {etree.QName(root).namespace}"))
                continue
            schema = _schema(folder, xsd)
            document = etree.ElementTree(process_markup_compatibility(etree.fromstring(etree.tostring(root))))
            if not schema.validate(document):
                found += [Finding(name, e.line, e.message) for e in schema.error_log]
    return found
