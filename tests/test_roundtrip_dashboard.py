"""Dashboard bindings round-trip instances generated from the XSD facets; the XSD judges."""

from __future__ import annotations

import random
from typing import Any

import bandwidth_apps_dashboard as bindings
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.writers import LxmlEventWriter

from tests.conftest import assert_ran_enough
from tests.specs_support import lxml_schema, lxml_violations, strict_parser, xmlschema_schema
from tests.xsd_strategies import instances

SERIALIZER = XmlSerializer(writer=LxmlEventWriter)
PARSER = XmlParser()

# Every binding that is a global element of the XSD (a document root), found from the XSD.
ROOTS = sorted(
    (getattr(bindings, name) for name in bindings.__all__ if name in xmlschema_schema().elements),
    key=lambda cls: cls.__name__,
)
# Types whose children come in any order (xs:all), read from the XSD.
ANY_ORDER = {
    name
    for name, xsd_type in xmlschema_schema().types.items()
    if getattr(getattr(xsd_type, "content", None), "model", None) == "all"
}


def render(instance: Any) -> bytes:
    return SERIALIZER.render(instance).encode()


def test_roots_cover_every_document_shape() -> None:
    assert {cls.__name__ for cls in ROOTS} == {
        "Application",
        "ApplicationProvisioningResponse",
        "AssociatedSipPeersResponse",
        "Error",
        "ErrorList",
        "ErrorResponse",
        "Errors",
    }
    assert {"ApplicationRequest", "ApplicationResponse", "CallbackCredentials"} <= ANY_ORDER


@pytest.mark.parametrize("cls", ROOTS, ids=lambda cls: cls.__name__)
def test_render_validate_parse_equal(cls: type) -> None:
    ran: list[int] = []

    @given(instances(cls))
    def round_trip(instance: Any) -> None:
        ran.append(1)
        document = etree.fromstring(render(instance), strict_parser())
        assert lxml_violations(document) == set()
        assert PARSER.parse(document, cls) == instance

    round_trip()
    assert_ran_enough(ran)


def shuffle_any_order_children(document: etree._Element, rng: random.Random) -> None:
    """Reorder the children of every element whose XSD type is an xs:all, as real clients do."""
    for element in document.iter():
        xsd = xmlschema_schema().find(document.getroottree().getpath(element))
        if xsd is not None and getattr(xsd.type, "name", None) in ANY_ORDER and len(element) > 1:
            children = list(element)
            rng.shuffle(children)
            element[:] = children


@pytest.mark.parametrize("cls", ROOTS, ids=lambda cls: cls.__name__)
def test_parse_any_order_then_render_equal(cls: type) -> None:
    ran: list[int] = []

    @given(instances(cls), st.randoms(use_true_random=False))
    def round_trip(instance: Any, rng: random.Random) -> None:
        ran.append(1)
        document = etree.fromstring(render(instance), strict_parser())
        shuffle_any_order_children(document, rng)
        assert lxml_schema().validate(document)
        parsed = PARSER.parse(etree.fromstring(etree.tostring(document), strict_parser()), cls)
        assert parsed == instance
        assert render(parsed) == render(instance)

    round_trip()
    assert_ran_enough(ran)
