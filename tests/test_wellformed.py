"""The check of a rendered part without a tree (rendering/wellformed.py) refuses everything the
tree parser refuses: a template whose output Word could not open still ends in a diagnostic.

Each broken output below is also parsed with the tree parser, so a case that stopped being
broken (and so proved nothing) would fail here too.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lxml import etree

from dangjian_docs import DangjianError
from dangjian_docs.rendering.engine import PreparedTemplate
from dangjian_docs.rendering.template_package import PARSER
from dangjian_docs.rendering.wellformed import TEXT_NODE_LIMIT, parses
from tests.test_template_safety import DOCUMENT, body_xml, template

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def tree_accepts(xml: bytes) -> bool:
    """What the engine checked every rendered part with before: the tree parser, no DTD."""
    try:
        return not etree.fromstring(xml, PARSER).getroottree().docinfo.doctype
    except etree.XMLSyntaxError:
        return False


def nested(depth: int) -> bytes:
    """A document ``depth`` elements deep, its root included."""
    return f"<w:document {W}>{'<a>' * (depth - 1)}{'</a>' * (depth - 1)}</w:document>".encode()


BROKEN = {
    "tags that do not match": f"<w:document {W}><w:body></w:document>",
    "an undeclared prefix": "<w:document><w:body/></w:document>",
    "an undeclared attribute prefix": f'<w:document {W} r:id="1"/>',
    "an empty namespace for a prefix": f'<w:document {W} xmlns:v=""/>',
    "one attribute under two prefixes": f'<w:document {W} xmlns:v="http://schemas.openxmlformats.org/'
                                        f'wordprocessingml/2006/main" w:a="1" v:a="2"/>',
    "the xml prefix bound elsewhere": f'<w:document {W} xmlns:xml="http://example.org/"/>',
    "a name with two colons": f"<w:document {W}><a:b:c/></w:document>",
    "a namespace that is not a URI": '<w:document xmlns:w="not a uri"/>',
    "a DTD": f"<!DOCTYPE w:document><w:document {W}/>",
    "a DTD with an entity": f'<!DOCTYPE w:document [<!ENTITY a "aaa">]><w:document {W}>&a;</w:document>',
    "an undefined entity": f"<w:document {W}>&a;</w:document>",
    "a control character": f"<w:document {W}>\x01</w:document>",
    "a reference to character 0": f"<w:document {W}>&#0;</w:document>",
    "a reference to U+FFFE": f"<w:document {W}>&#xFFFE;</w:document>",
    "a duplicated attribute": f'<w:document {W} a="1" a="2"/>',
    "two roots": f"<w:document {W}/><w:x {W}/>",
    "two roots, the first empty": f"<w:document {W}></w:document><w:x {W}/>",
    "text after the root": f"<w:document {W}/>text",
    "nothing": "",
    "only a declaration": '<?xml version="1.0"?>',
    "a comment with --": f"<w:document {W}><!-- a -- b --></w:document>",
    "a comment before the root hiding a tag": f"<!-- <a> --><w:document {W}></w:x>",
    "a declaration not first": f' <?xml version="1.0"?><w:document {W}/>',
    "an unknown encoding": f'<?xml version="1.0" encoding="bogus"?><w:document {W}/>',
    "XML 1.1 characters": f'<?xml version="1.1"?><w:document {W}>\x01</w:document>',
    "a < in a value": f'<w:document {W} a="<"/>',
    "a > ending the root's start tag early": f'<w:document {W} a=">"><w:p></w:document>',
    "a bare &": f"<w:document {W}>a & b</w:document>",
    "]]> in text": f"<w:document {W}>]]></w:document>",
    "a name longer than libxml2 reads": f"<w:document {W}><{'a' * 60000}/></w:document>",
    "a lone surrogate": f"<w:document {W}>\ud800</w:document>",
}


@pytest.mark.parametrize("xml", BROKEN.values(), ids=BROKEN.keys())
def test_what_the_tree_parser_refuses_is_not_taken_on_trust(xml: str) -> None:
    data = xml.encode("utf-8", "surrogatepass")
    assert not tree_accepts(data)
    assert not parses(data)


def test_nesting_is_refused_at_the_depth_the_tree_parser_refuses() -> None:
    assert tree_accepts(nested(256)) and parses(nested(256))
    assert not tree_accepts(nested(257)) and not parses(nested(257))


def test_a_text_node_too_long_for_the_tree_parser_is_refused() -> None:
    data = f"<w:document {W}>{'a' * (TEXT_NODE_LIMIT + 1)}</w:document>".encode()
    assert not tree_accepts(data) and not parses(data)


ACCEPTED = {
    "a document part": body_xml("第一段", "A<B & C>"),
    "a BOM and a declaration": ("\ufeff" + f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:p/></w:document>'
                                ).encode(),
    "a Latin-1 declaration": f'<?xml version="1.0" encoding="ISO-8859-1"?><w:document {W}>a</w:document>'.encode(),
    "CDATA": f"<w:document {W}><w:t><![CDATA[x<y]]></w:t></w:document>".encode(),
}


@pytest.mark.parametrize("xml", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_a_good_part_is_answered_without_the_tree(xml: bytes) -> None:
    assert tree_accepts(xml) and parses(xml)


def test_damaged_document_parts_are_never_taken_on_trust() -> None:
    """Parts of a real template cut, patched and spliced at random (a fixed seed): whenever the
    check says a part parses, the tree parser agrees."""
    original = body_xml(*(f"第{i}段 {{ }} & <b>" for i in range(30)))
    pieces = [b"<", b">", b"&", b"/", b'"', b"=", b"<w:p>", b"</w:p>", b"</w:r>", b"&#0;", b"\x01", b"<!--",
              b"-->", b"]]>", b"<![CDATA[", b'xmlns:w=""', b":", b"\xff", b"\xe4\xb8", b"<a>" * 260,
              b"</a>" * 260, b"<zz:x/>", b' xml:id="a"', b' w:a="1"', b"<?pi x?>", b"/>", b"<w:p/>"]
    rng = random.Random(18)
    trusted = 0
    for _ in range(1500):
        data = bytearray(original)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(data))
            roll = rng.random()
            if roll < 0.25:
                del data[at:at + rng.randint(1, 20)]
            elif roll < 0.85:
                data[at:at] = rng.choice(pieces)
            else:
                del data[at:]
        if parses(bytes(data)):
            trusted += 1
            assert tree_accepts(bytes(data)), bytes(data)
    assert trusted > 20  # some damage leaves a good part: the check is not simply "no"


# -- through the engine: a template writing raw XML ----------------------------------------
def raw(xml: str) -> str:
    """A tag printing ``xml`` inside a paragraph's text, unescaped (Jinja's \\x3c is <)."""
    written = xml.replace("<", "\\x3c").replace(">", "\\x3e")
    return f"{{% autoescape false %}}{{{{ '{written}' }}}}{{% endautoescape %}}"


def refusal(path: Path) -> tuple[str, bool]:
    with pytest.raises(DangjianError) as info:
        PreparedTemplate(path).render_parts({})
    [diagnostic] = info.value.diagnostics
    return diagnostic.code, "DTD" in diagnostic.message


@pytest.mark.parametrize("xml", [
    "<zz:x/>",  # an undeclared prefix
    "</w:t></w:r></w:p></w:body></w:document><w:document><w:body><w:p><w:r><w:t>",  # a second root
    "<!-- a -- b -->",
    "<a>" * 252 + "</a>" * 252,  # 257 deep with the five levels around the text
])
def test_a_template_writing_broken_xml_is_refused(tmp_path: Path, xml: str) -> None:
    assert refusal(template(tmp_path, "正文", raw(xml)))[0] == "template-xml"


def test_a_template_writing_a_dtd_is_refused(tmp_path: Path) -> None:
    # the tag sits in a comment before the root; it closes the comment, writes a DTD, opens another
    document = body_xml("正文").decode()
    start = document.index("<w:document")
    tag = raw("--><!DOCTYPE w:document><!--").replace("-", "\\x2d")
    path = template(tmp_path, replace={DOCUMENT: f"{document[:start]}<!--{tag}-->{document[start:]}".encode()})
    assert refusal(path) == ("template-unsafe", True)


def test_a_template_writing_deep_but_readable_xml_renders(tmp_path: Path) -> None:
    # the text runs at depth 5 (document, body, p, r, t): 251 more levels reach 256, libxml2's limit
    parts = PreparedTemplate(template(tmp_path, "正文", raw("<a>" * 251 + "</a>" * 251))).render_parts({})
    assert b"<a>" * 251 in parts[DOCUMENT]
