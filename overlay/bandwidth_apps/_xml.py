"""XML in and out for the Dashboard API: safe intake, XSD checks, the bindings.

Everything here is built once per process. Intake is strict: no entity is resolved, no DTD
loaded, nothing fetched from the network, no recovery from malformed input, and any document
with a DOCTYPE is refused (XXE, billion laughs, external DTDs). Bindings are written and read by
the codec scripts/generate derives from their xsdata metadata (bandwidth_apps_dashboard._codec):
the same bytes and objects as xsdata's serializer and parser, at a fraction of the cost.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import re
import threading
import typing
from collections.abc import Iterator
from typing import Any, TypeVar

import bandwidth_apps_dashboard as bindings
from bandwidth_apps_dashboard._codec import DECLARATION, READERS, WRITERS
from lxml import etree

from ._errors import Violation, bounded, did_you_mean
from ._rules import NOT_XML_TEXT
from ._specs import dashboard_schema

T = TypeVar("T")

_local = threading.local()  # lxml parsers must not be shared between threads


NOT_XML = NOT_XML_TEXT  # a character no XML document may hold (rules.text_violations says where)


class UnsafeXml(ValueError):
    """The bytes are not a well-formed, DTD-free XML document."""


def strict_parser() -> etree.XMLParser:
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            recover=False,
            remove_comments=True,
            remove_pis=True,
        )
        _local.parser = parser
    return parser


def parse_document(body: bytes) -> etree._Element:
    """Parse untrusted bytes strictly; raise UnsafeXml for anything else."""
    if b"<!DOCTYPE" in body or b"<!doctype" in body:
        raise UnsafeXml("a DOCTYPE is not allowed")
    try:
        root = etree.fromstring(body, strict_parser())
    except etree.XMLSyntaxError as exc:
        raise UnsafeXml(f"not well-formed XML: {exc}") from exc
    if root is None or root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        raise UnsafeXml("a DOCTYPE is not allowed")
    return root


_FACETS = {
    "enumeration": "enum",
    "minInclusive": "range",
    "maxInclusive": "range",
    "minExclusive": "range",
    "maxExclusive": "range",
    "minLength": "length",
    "maxLength": "length",
    "length": "length",
    "pattern": "pattern",
}
_FACET = re.compile(r"\[facet '(\w+)'\]")
_MISSING = re.compile(r"Missing child element\(s\)\. Expected is (?:one of )?\( ([^)]*) \)")


def schema_violations(root: etree._Element) -> list[Violation]:
    """Every XSD violation in the document, each with its element path and rule."""
    schema = dashboard_schema()
    if schema.validate(root):
        return []
    return bounded(_violations(schema.error_log))


def _violations(log: Any) -> Iterator[Violation]:
    for error in log:
        path = re.sub(r"\[\d+\]", "", error.path or "").strip("/")
        message = re.sub(r"^Element '[^']*': ", "", error.message)
        message = message if len(message) <= 300 else message[:297] + "..."
        facet = _FACET.search(error.message)
        missing = _MISSING.search(error.message)
        if facet:
            rule = _FACETS.get(facet.group(1), facet.group(1))
        elif missing:
            names = [name.strip() for name in missing.group(1).split(",")]
            if len(names) > 1:  # lxml lists every child still allowed: keep the required ones
                names = [n for n in names if n in _children(path, required_only=True)] or names
            if len(names) == 1:  # name the missing child itself when it is known
                path = f"{path}/{names[0]}"
            rule = "required"
        elif "not expected" in error.message:
            rule = "unexpected"
            parent, _, name = path.rpartition("/")
            known = _children(parent, required_only=False)
            if known:  # a misspelled element: name the one it was probably meant to be
                message = f"not an element here{did_you_mean(name, sorted(known))}"
        elif "not a valid value" in error.message:
            rule = "type"
        else:
            rule = "schema"
        yield Violation(path, rule, message)


@functools.cache
def _children(path: str, *, required_only: bool) -> frozenset[str]:
    """The XML names of the children an element path (such as `Application/CallbackCreds`) may
    have, or must have, from the generated bindings' metadata."""
    root, *below = path.split("/")
    cls = binding_for(root)
    for name in below:
        if cls is None:
            return frozenset()
        hints = typing.get_type_hints(cls)
        field = next((f for f in dataclasses.fields(cls) if f.metadata.get("name") == name), None)
        if field is None:
            return frozenset()
        kinds = [k for k in typing.get_args(hints[field.name]) if k is not type(None)]
        kind = (kinds or [hints[field.name]])[0]
        cls = kind if isinstance(kind, type) and dataclasses.is_dataclass(kind) else None
    if cls is None:
        return frozenset()
    return frozenset(
        f.metadata.get("name", f.name)
        for f in dataclasses.fields(cls)
        if not required_only
        or (f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
    )


def write(instance: Any) -> str:
    """The binding as an XML document's text, without the declaration."""
    tag = type(instance).__name__  # every root class is named after its element
    inner = WRITERS[type(instance)](instance)
    return f"<{tag}>{inner}</{tag}>" if inner else f"<{tag}/>"


def to_bytes(text: str) -> bytes:
    """A document's bytes, as lxml writes them (declaration, UTF-8)."""
    return DECLARATION + text.encode()


def to_tree(instance: Any) -> etree._Element:
    """The binding as an lxml element (to validate)."""
    return etree.fromstring(to_bytes(write(instance)), strict_parser())


def from_tree(root: etree._Element, cls: type[T]) -> T:
    """Bind an XSD-valid element to its generated class. Elements the class does not have are
    skipped (a Password that an answer should never carry, as one documented example does)."""
    instance: T = READERS[cls](root)
    return instance


def binding_for(tag: str) -> type[Any] | None:
    """The generated class of a document root, found by its element name."""
    cls = getattr(bindings, tag, None)
    return cls if isinstance(cls, type) and tag in bindings.__all__ else None


def type_violations(instance: Any, path: str) -> list[Violation]:
    """Every field whose value is not of its declared type (a number given for AppName, "5" for
    CallbackTimeout): the XML would carry its text, and the XSD could well accept it. An enum
    field also takes its value as a plain string; the XSD judges that string."""
    found: list[Violation] = []
    for field, element, accepted, named in _field_types(typing.cast(Any, type(instance))):
        value = getattr(instance, field)
        if value is None:
            continue
        items = value if isinstance(value, list) else (value,)
        for item in items:
            if not isinstance(item, accepted) or (type(item) is bool and bool not in accepted):
                where = f"{path}/{element}"
                found.append(
                    Violation(where, "type", f"expected {named}, got {type(item).__name__}")
                )
            elif dataclasses.is_dataclass(item):
                found += type_violations(item, f"{path}/{element}")
    return found


@functools.cache
def _field_types(cls: Any) -> tuple[tuple[str, str, tuple[type, ...], str], ...]:
    """For each field of a binding: its name, its element's, the types its values may have
    (an item's, for a list), and how to say them. Worked out once per class."""
    hints = typing.get_type_hints(cls)
    fields = []
    for field in dataclasses.fields(cls):
        accepted = _accepted(hints[field.name])
        named = " or ".join(t.__name__ for t in accepted if t is not str or len(accepted) == 1)
        fields.append((field.name, field.metadata.get("name", field.name), accepted, named))
    return tuple(fields)


def _accepted(expected: Any) -> tuple[type, ...]:
    origin = typing.get_origin(expected)
    if origin is list:  # xsdata writes a lone item as a list of one: so may a caller give it
        return _accepted(typing.get_args(expected)[0])
    if origin is not None:  # a union (Optional included)
        arguments = [a for a in typing.get_args(expected) if a is not type(None)]
        return tuple(dict.fromkeys(t for a in arguments for t in _accepted(a)))
    if isinstance(expected, type) and issubclass(expected, enum.Enum):
        return (expected, str)
    if isinstance(expected, type):
        return (expected,)
    return (object,)  # anything else is the XSD's to judge
