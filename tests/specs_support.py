"""Validators built from the specs, shared by the spec tests (not by the package)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import xmlschema
import yaml
from lxml import etree

SPECS = Path(__file__).resolve().parent.parent / "specs"
XSD = SPECS / "dashboard" / "applications.xsd"
CATAPULT = SPECS / "catapult-v1.openapi.yaml"


@cache
def lxml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


@cache
def xmlschema_schema() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(XSD))


def strict_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )


@cache
def catapult_document() -> dict[str, Any]:
    return yaml.safe_load(CATAPULT.read_text())


@cache
def json_validator(component: str) -> jsonschema.protocols.Validator:
    """A Draft 2020-12 validator (with format checking) for one component schema of the spec."""
    components = catapult_document()["components"]
    schema = {"$ref": f"#/components/schemas/{component}", "components": components}
    cls = jsonschema.Draft202012Validator
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


# ---- Which field breaks which rule, as each validator reports it. ----
# Rule names are those of specs/examples/index.json.

_LXML_FACETS = {
    "enumeration": "enum",
    "minInclusive": "range",
    "maxInclusive": "range",
    "minLength": "length",
    "maxLength": "length",
    "length": "length",
    "pattern": "pattern",
}
_XMLSCHEMA_VALIDATORS = {
    "XsdEnumerationFacets": "enum",
    "XsdMinInclusiveFacet": "range",
    "XsdMaxInclusiveFacet": "range",
    "XsdMinLengthFacet": "length",
    "XsdMaxLengthFacet": "length",
    "XsdLengthFacet": "length",
    "XsdPatternFacets": "pattern",
}
_JSON_VALIDATORS = {
    "enum": "enum",
    "minimum": "range",
    "maximum": "range",
    "minLength": "length",
    "maxLength": "length",
    "pattern": "pattern",
    "format": "pattern",
    "type": "type",
    "required": "required",
    "additionalProperties": "unexpected",
}


def _clean(path: str) -> str:
    return re.sub(r"\[\d+\]", "", path).strip("/")


def lxml_violations(document: etree._Element) -> set[tuple[str, str]]:
    schema = lxml_schema()
    if schema.validate(document):
        return set()
    found = set()
    for error in schema.error_log:
        path = _clean(error.path or "")
        facet = re.search(r"\[facet '(\w+)'\]", error.message)
        if facet:
            found.add((path, _LXML_FACETS[facet.group(1)]))
        elif "This element is not expected" in error.message:
            found.add((path, "unexpected"))
            # In a sequence, a missing child shows as its successor being unexpected.
            if expected := re.search(r"Expected is \( (\w+) \)", error.message):
                parent = path.rsplit("/", 1)[0]
                found.add((f"{parent}/{expected.group(1)}", "required"))
        elif missing := re.search(
            r"Missing child element\(s\)\. Expected is (?:one of )?\( (.*) \)", error.message
        ):
            found |= {
                (f"{path}/{name.strip()}", "required") for name in missing.group(1).split(",")
            }
        else:
            found.add((path, "other"))
    return found


def xmlschema_violations(source: bytes) -> set[tuple[str, str]]:
    found = set()
    for error in xmlschema_schema().iter_errors(source):
        path = _clean(error.path or "")
        rule = _XMLSCHEMA_VALIDATORS.get(type(error.validator).__name__)
        reason = error.reason or ""
        if rule:
            found.add((path, rule))
        else:
            expected = re.search(r"Tag '(\w+)' expected", reason)
            unexpected = re.search(r"Unexpected child with tag '(\w+)'", reason)
            if expected:
                found.add((f"{path}/{expected.group(1)}", "required"))
            if unexpected:
                found.add((f"{path}/{unexpected.group(1)}", "unexpected"))
            if not (expected or unexpected):
                found.add((path, "other"))
    return found


def json_violations(validator: Any, instance: Any) -> set[tuple[str, str]]:
    found = set()
    pending = list(validator.iter_errors(instance))
    while pending:
        error = pending.pop()
        if error.validator in ("oneOf", "anyOf"):
            # The `null` branch of a nullable field always fails too; it says nothing.
            pending += [e for e in error.context or () if e.validator_value != "null"]
            continue
        path = "/".join(str(p) for p in error.absolute_path)
        if error.validator in ("required", "additionalProperties"):
            names = re.findall(r"'(\w+)'", error.message)
            found |= {(f"{path}/{n}".strip("/"), _JSON_VALIDATORS[error.validator]) for n in names}
        else:
            found.add((path, _JSON_VALIDATORS.get(str(error.validator), "other")))
    return found


@cache
def openapi_validator(component: str) -> Any:
    """The same component checked by openapi-spec-validator's own schema validator (OAS 3.1)."""
    from openapi_schema_validator import OAS31Validator, oas31_format_checker

    components = catapult_document()["components"]
    schema = {"$ref": f"#/components/schemas/{component}", "components": components}
    return OAS31Validator(schema, format_checker=oas31_format_checker)
