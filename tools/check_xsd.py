"""Validate .docx packages against the ECMA-376 / ISO/IEC 29500-4 transitional XSD files.

    python tools/check_xsd.py XSD_FOLDER FILE.docx [FILE.docx ...]

CI checks every template and built document with ``openxml-audit`` (tests/test_schema_valid.py),
a port of the Open XML SDK's rules. This is the second, stricter check against the schema files
themselves, which no package registry ships: point it at a folder holding ``wml.xsd``,
``dml-main.xsd``, ``shared-*.xsd`` … (and ``mce/mc.xsd`` beside them or one level up). Each XML
part is validated with lxml after the Markup Compatibility processing a consumer does (ignorable
namespaces dropped, ``mc:AlternateContent`` resolved to its fallback). Prints every finding and
exits 1 when there is one. Run on every template and on the documents built from samples/ and
the ``init`` repo (2026-12): 0 findings.
"""

from __future__ import annotations

import sys
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


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    folder = Path(argv[0])
    found = 0
    for name in argv[1:]:
        for finding in xsd_errors(Path(name), folder):
            print(f"{name}: {finding}")
            found += 1
    print(f"{len(argv) - 1} 个文件，{found} 处不符合 XSD。")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
