"""Whether a rendered part would parse, answered without building its tree.

Every templated part is checked after rendering with the one parser used on template XML
(``template_package.PARSER``). Building the tree is half the cost of that check and the tree
is then thrown away, so :func:`parses` asks libxml2 the same question through a parser that
builds nothing (a parser target with no element callbacks). Its answer may be trusted only
where the two parsers agree, and they differ in three places, each handled here:

- namespace errors (an undeclared prefix, an empty ``xmlns:w``, one attribute under two
  prefixes of the same namespace) stop the tree parser but are only logged by the other:
  any logged message sends the part to the tree parser;
- libxml2 refuses a document nested 257 elements deep when it builds a tree, 258 when it does
  not: the part is parsed with one more element just inside its root (a *probe*), so the limit
  falls at the same depth;
- a text node over 10,000,000 bytes is refused only while building a tree: longer parts go to
  the tree parser.

A comment, a processing instruction or a DTD (which the probe could land in, and which must
be reported as such) also sends the part to the tree parser. ``False`` therefore means "parse
it the usual way", which gives the usual diagnostic; ``True`` means the tree parser would
accept the part and find no DTD. ``tests/test_wellformed.py`` compares both on many broken
outputs.
"""

from __future__ import annotations

import re

from lxml import etree

TEXT_NODE_LIMIT = 10_000_000
"""libxml2's largest text node without ``huge_tree`` (XML_MAX_TEXT_LENGTH), in bytes."""

_FIRST_ELEMENT = re.compile(rb"<[^?!/]")
_PROBE_START, _PROBE_END = b"<dangjian-probe>", b"</dangjian-probe>"


class _Watch:
    """A parser target that builds nothing and notes what the probe must not meet."""

    def __init__(self) -> None:
        self.unusual = False

    def comment(self, text: str) -> None:
        self.unusual = True

    def pi(self, target: str, data: str | None = None) -> None:
        self.unusual = True

    def doctype(self, name: str | None, public: str | None, system: str | None) -> None:
        self.unusual = True

    def close(self) -> None:
        return None


def parses(xml: bytes) -> bool:
    """``True`` if the tree parser would accept ``xml`` and find no DTD in it; ``False`` if it
    might not (then parse it with the tree parser to know, and to say why)."""
    if len(xml) > TEXT_NODE_LIMIT:
        return False
    first = _FIRST_ELEMENT.search(xml)
    if first is None:
        return False
    head_end = xml.find(b">", first.start())  # the root's start tag, unless a '>' in a value: see below
    tail = xml.rfind(b"</")
    if head_end < 0 or xml[head_end - 1] == 0x2F or tail < head_end:  # 0x2F "/": an empty root
        return False
    # A probe put anywhere but just inside the root (in a value, or after it) leaves the
    # document broken, and a broken document is never taken on trust.
    probed = b"".join((xml[:head_end + 1], _PROBE_START, xml[head_end + 1:tail], _PROBE_END, xml[tail:]))
    watch = _Watch()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_blank_text=False, target=watch)
    try:
        etree.fromstring(probed, parser)
    except Exception:  # whatever it is, the tree parser says it again, in its own words
        return False
    return not watch.unusual and len(parser.error_log) == 0
