"""The generated fast codec (bandwidth_apps_dashboard._codec) against xsdata, both ways, over
documents derived from the XSD: the same bytes written, the same objects read."""

from __future__ import annotations

import random
from typing import Any

import pytest
from bandwidth_apps import _xml
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.serializers.tree import TreeSerializer

from tests.conftest import EXAMPLES, assert_ran_enough
from tests.test_roundtrip_dashboard import ROOTS
from tests.xsd_strategies import instances

CONTEXT = XmlContext()
XSDATA_WRITER = TreeSerializer(context=CONTEXT)
XSDATA_READER = XmlParser(context=CONTEXT, config=ParserConfig(fail_on_unknown_properties=False))


def xsdata_bytes(instance: Any) -> bytes:
    tree = XSDATA_WRITER.render(instance)
    return bytes(
        etree.tostring(tree.getroot(), xml_declaration=True, encoding="UTF-8", standalone=True)
    )


def shuffled(root: etree._Element, seed: int) -> etree._Element:
    """The same document with every element's children in another order (xs:all allows it)."""
    copy = etree.fromstring(etree.tostring(root))
    chooser = random.Random(seed)
    for element in copy.iter():
        children = list(element)
        chooser.shuffle(children)
        for child in children:
            element.remove(child)
            element.append(child)
    return copy


@pytest.mark.parametrize("cls", ROOTS, ids=lambda cls: cls.__name__)
def test_the_fast_codec_writes_and_reads_what_xsdata_does(cls: type) -> None:
    ran: list[int] = []

    @given(instances(cls), st.integers(0, 2**16))
    def same(instance: Any, seed: int) -> None:
        ran.append(1)
        expected = xsdata_bytes(instance)
        assert _xml.to_bytes(_xml.write(instance)) == expected

        # Each reader gets its own tree: xsdata's clears the elements it has read.
        def tree() -> etree._Element:
            return etree.fromstring(expected, _xml.strict_parser())

        assert _xml.from_tree(tree(), cls) == XSDATA_READER.parse(tree(), cls)
        assert _xml.from_tree(shuffled(tree(), seed), cls) == XSDATA_READER.parse(
            shuffled(tree(), seed), cls
        )

    same()
    assert_ran_enough(ran)


@pytest.mark.parametrize(
    "path", sorted((EXAMPLES / "dashboard").glob("*.xml")), ids=lambda p: p.name
)
def test_every_vector_reads_the_same(path: Any) -> None:
    try:
        root = _xml.parse_document(path.read_bytes())
    except _xml.UnsafeXml:
        pytest.skip("not well-formed (an erratum)")
    cls = _xml.binding_for(str(root.tag))
    assert cls is not None
    if _xml.schema_violations(root):
        pytest.skip("the XSD refuses it: nothing binds it")
    again = _xml.parse_document(path.read_bytes())
    assert _xml.from_tree(root, cls) == XSDATA_READER.parse(again, cls)


@pytest.mark.parametrize("value", ["a&b<c>\r\n\t\"'é", "", " x ", "\U0001f600", "]]>"])
def test_text_is_escaped_as_lxml_escapes_it(value: str) -> None:
    from bandwidth_apps import Application, CallbackCredentials

    instance = Application(
        app_name=value, callback_creds=CallbackCredentials(user_id=value, password=value)
    )
    assert _xml.to_bytes(_xml.write(instance)) == xsdata_bytes(instance)
