"""For each kind of facet, a generated violation is rejected by the spec, naming the field.

Violations are generated from the schemas' own facets (xsdata's field metadata for the XSD, the
component schemas for OpenAPI), applied to an otherwise valid generated instance.
"""

from __future__ import annotations

import re
from typing import Any

import bandwidth_apps_dashboard as bindings
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.writers import LxmlEventWriter

from tests import openapi_strategies, xsd_strategies
from tests.specs_support import (
    catapult_document,
    json_validator,
    json_violations,
    lxml_violations,
    openapi_validator,
    strict_parser,
    xmlschema_violations,
)

FACETS = ["enum", "range", "length", "pattern", "required"]
ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)  # where XSD and Python regexes agree
INT32 = (-(2**31), 2**31 - 1)
SERIALIZER = XmlSerializer(writer=LxmlEventWriter)
ROOTS = [bindings.Application, bindings.ApplicationProvisioningResponse, bindings.ErrorList]


def violation(kind: str, need: Any) -> st.SearchStrategy[Any]:
    """A value that breaks the facet `need` of that kind (None for "required": remove it)."""
    if kind == "enum":
        return st.text(ASCII, min_size=1, max_size=20).filter(lambda s: s not in need)
    if kind == "range":
        low, high = need
        options = []
        if low is not None and low > INT32[0]:
            options.append(st.integers(INT32[0], low - 1))
        if high is not None and high < INT32[1]:
            options.append(st.integers(high + 1, INT32[1]))
        return st.one_of(options)
    if kind == "length":
        low, high = need
        options = [st.text(ASCII, max_size=low - 1)] if low else []
        if high is not None:
            options.append(st.text(ASCII, min_size=high + 1, max_size=high + 5))
        return st.one_of(options)
    if kind == "pattern":
        # Both XSD (implicitly) and our OpenAPI patterns (explicitly) are anchored.
        return st.text(ASCII, max_size=30).filter(lambda s: not re.fullmatch(need, s))
    return st.none()


# ---------------------------------------------------------------- Dashboard (XSD) ----


@pytest.mark.parametrize("kind", FACETS)
def test_xsd_rejects_generated_violation(kind: str) -> None:
    sites = [site for root in ROOTS for site in xsd_strategies.facet_sites(root) if site[2] == kind]
    assert sites

    @given(st.sampled_from(sites), st.data())
    def check(site: xsd_strategies.Site, data: st.DataObject) -> None:
        root, path, _, need = site
        instance = data.draw(xsd_strategies.instances_with(root, path))
        bad = data.draw(violation(kind, need))
        document = etree.fromstring(SERIALIZER.render(instance).encode(), strict_parser())
        where = "/".join((root.__name__, *path))
        element = document.getroottree().xpath("/" + where)[0]
        if kind == "required":
            element.getparent().remove(element)
        else:
            element.text = str(bad)
        assert (where, kind) in lxml_violations(document)
        assert (where, kind) in xmlschema_violations(etree.tostring(document))

    check()


# ---------------------------------------------------------------- Catapult (OpenAPI) ----


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of a property, with its $ref followed."""
    components = catapult_document()["components"]["schemas"]
    for branch in schema.get("oneOf", []):
        if branch.get("type") != "null":
            schema = {**schema, **branch}
    if "$ref" in schema:
        schema = {**schema, **components[schema["$ref"].rsplit("/", 1)[1]]}
    return schema


def json_sites() -> list[tuple[str, str, str, Any]]:
    """(component, property, facet kind, facet) for every facet of every object component."""
    sites: list[tuple[str, str, str, Any]] = []
    for component in openapi_strategies.object_components():
        schema = catapult_document()["components"]["schemas"][component]
        sites += [(component, name, "required", None) for name in schema.get("required", [])]
        for name, raw in schema.get("properties", {}).items():
            prop = resolve(raw)
            if "enum" in prop:
                sites.append((component, name, "enum", frozenset(prop["enum"])))
            if "minimum" in prop or "maximum" in prop:
                bounds = (prop.get("minimum"), prop.get("maximum"))
                sites.append((component, name, "range", bounds))
            if "minLength" in prop or "maxLength" in prop:
                bounds = (prop.get("minLength", 0), prop.get("maxLength"))
                sites.append((component, name, "length", bounds))
            if "pattern" in prop:
                sites.append((component, name, "pattern", prop["pattern"]))
    return sites


@pytest.mark.parametrize("kind", FACETS)
def test_openapi_rejects_generated_violation(kind: str) -> None:
    sites = [site for site in json_sites() if site[2] == kind]
    assert sites

    @given(st.sampled_from(sites), st.data())
    def check(site: tuple[str, str, str, Any], data: st.DataObject) -> None:
        component, field, _, need = site
        broken = dict(data.draw(openapi_strategies.instances(component)))
        if kind == "required":
            del broken[field]
        else:
            broken[field] = data.draw(violation(kind, need))
        for validator in (json_validator(component), openapi_validator(component)):
            assert (field, kind) in json_violations(validator, broken)

    check()
