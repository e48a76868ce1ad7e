"""The specs, loaded once per process from the generated packages that ship them.

scripts/generate copies the XSDs and the OpenAPI document (as JSON) next to the code generated
from them, and its --check keeps the copies identical to specs/.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from lxml import etree

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    # jsonschema costs ~0.1 s to import: only the error details need it
    import jsonschema
    import jsonschema.protocols


def files(package: str) -> Traversable:
    """importlib.resources.files, imported on first use (6 ms that `import` need not pay)."""
    from importlib.resources import files as package_files

    return package_files(package)


_schemas = threading.local()
_building = threading.Lock()


def dashboard_schema() -> etree.XMLSchema:
    """The Dashboard XSD (every request and answer of the Applications resource), one per
    thread: an XMLSchema keeps its last validation's error log on itself, so threads sharing
    one read each other's violations. libxml2 builds schemas with process-wide state (two
    threads building at once broke every later build in the process), so they are built one
    at a time."""
    schema: etree.XMLSchema | None = getattr(_schemas, "schema", None)
    if schema is None:
        with _building:
            schema = _schemas.schema = _read_dashboard_schema()
    return schema


def _read_dashboard_schema() -> etree.XMLSchema:
    schema_dir = files("bandwidth_apps_dashboard") / "schema"
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    # xs:include needs a base URL, so the XSD is parsed from its own path.
    with (schema_dir / "applications.xsd").open("rb") as source:
        document = etree.parse(source, parser, base_url=str(schema_dir / "applications.xsd"))
    return etree.XMLSchema(document)


@cache
def dashboard_element_docs(complex_type: str = "ApplicationRequest") -> dict[str, str]:
    """What the XSD says of each child of a complex type: the element's own documentation, else
    its type's (units, ranges, defaults), for help texts."""
    xs = "{http://www.w3.org/2001/XMLSchema}"
    schema_dir = files("bandwidth_apps_dashboard") / "schema"
    trees = []
    for name in ("common.xsd", "application.xsd", "responses.xsd"):
        with (schema_dir / name).open("rb") as source:
            trees.append(etree.parse(source, etree.XMLParser(resolve_entities=False)))

    def text(node: Any) -> str:
        doc = node.find(f"{xs}annotation/{xs}documentation")
        return " ".join((doc.text or "").split()) if doc is not None else ""

    types = {t.get("name"): text(t) for tree in trees for t in tree.getroot() if t.get("name")}
    docs: dict[str, str] = {}
    for tree in trees:
        for owner in tree.iter(f"{xs}complexType"):
            if owner.get("name") == complex_type:
                for element in owner.iter(f"{xs}element"):
                    name = element.get("name", "")
                    docs[name] = text(element) or types.get(element.get("type", ""), "")
    return docs


@cache
def dashboard_document() -> dict[str, Any]:
    """The Dashboard OpenAPI document (operations, parameters, statuses; bodies are the XSD's)."""
    path = files("bandwidth_apps_dashboard") / "schema" / "openapi.json"
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


@cache
def dashboard_path_parameter(name: str) -> re.Pattern[str]:
    """The pattern a Dashboard path parameter (`accountId`, `applicationId`) must match whole."""
    schema = dashboard_document()["components"]["parameters"][name]["schema"]
    return whole(schema["pattern"])


def whole(pattern: str) -> re.Pattern[str]:
    """A JSON Schema (ECMA) pattern anchored with ^...$, for matching whole strings in Python,
    where `$` would also match before a trailing newline."""
    return re.compile(pattern.removeprefix("^").removesuffix("$"))


@cache
def catapult_document() -> dict[str, Any]:
    """The Catapult OpenAPI document."""
    text = (files("bandwidth_apps_catapult") / "openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    """JSON Schema's `pattern` with ECMA's `$` (the end of the text), as every other language's
    validator reads it: Python's `$` also takes a trailing newline ("a-1\n")."""
    import jsonschema

    if isinstance(instance, str) and not _ecma(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r:.80} does not match {pattern!r}")


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + "\\Z"
    return re.compile(pattern)


@cache
def catapult_validator(component: str) -> jsonschema.protocols.Validator:
    """A JSON Schema 2020-12 validator, with format checking, for one component schema: the one
    that names each violation (the clients ask it only once catapult_fast_validator refused)."""
    import jsonschema

    extended = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft202012Validator, {"pattern": _pattern}
    )
    schema = {
        "$ref": f"#/components/schemas/{component}",
        "components": catapult_document()["components"],
    }
    validator: jsonschema.protocols.Validator = extended(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return validator


@cache
def catapult_fast_validator(component: str) -> Any:
    """The same verdicts as catapult_validator, from jsonschema-rs (compiled: well under a
    microsecond a body), without the details; tests/test_fast_validation.py holds the two
    together."""
    import jsonschema_rs

    schema = {
        "$ref": f"#/components/schemas/{component}",
        "components": catapult_document()["components"],
    }
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def catapult_list_parameter_schema(name: str) -> dict[str, Any]:
    """The schema of one list query parameter (`page`, `size`), its default included."""
    operation = catapult_document()["paths"]["/users/{userId}/applications"]["get"]
    schema: dict[str, Any] = next(p["schema"] for p in operation["parameters"] if p["name"] == name)
    return schema


@cache
def catapult_list_parameter(name: str) -> Any:
    """A validator (jsonschema-rs: `.is_valid(value)`) for one query parameter of the list
    operation."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(catapult_list_parameter_schema(name))
