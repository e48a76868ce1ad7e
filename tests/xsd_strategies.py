"""Hypothesis strategies for the xsdata bindings, derived from the schemas, never from field lists.

Each field's facets come from the metadata xsdata writes (pattern, lengths, ranges, occurrences,
enum types); what that metadata loses is read from the XSD itself through xmlschema: which
elements form an `xs:choice` (at most one of them may appear). The XSD stays the judge: tests
validate what these strategies build.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from functools import cache
from typing import Any

from hypothesis import strategies as st

from tests.specs_support import xmlschema_schema

# Characters XML 1.0 can carry as text and that survive a parse unchanged (no controls: a CR is
# normalised to LF by any parser).
XML_TEXT = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"
)
INT32 = (-(2**31), 2**31 - 1)  # every integer in our XSDs is xs:int


@cache
def choice_groups(type_name: str) -> tuple[frozenset[str], ...]:
    """Element names of each xs:choice inside the XSD type (or global element) of that name."""
    schema = xmlschema_schema()
    xsd_type = schema.types.get(type_name)
    if xsd_type is None and type_name in schema.elements:
        xsd_type = schema.elements[type_name].type
    groups: list[frozenset[str]] = []
    pending = [getattr(xsd_type, "content", None)]
    while pending:
        group = pending.pop()
        if group is None or not hasattr(group, "model"):
            continue
        if group.model == "choice":
            groups.append(
                frozenset(item.local_name for item in group if hasattr(item, "local_name"))
            )
        pending.extend(item for item in group if hasattr(item, "model"))
    return tuple(groups)


def _unwrap(hint: Any) -> tuple[list[Any], bool]:
    """The member types of a hint and whether it is a list."""
    if typing.get_origin(hint) is list:
        return [typing.get_args(hint)[0]], True
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return [a for a in typing.get_args(hint) if a is not type(None)], False
    return [hint], False


def _scalar(kind: Any, meta: dict[str, Any]) -> st.SearchStrategy[Any]:
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return st.sampled_from(list(kind))
    if dataclasses.is_dataclass(kind):
        return instances(kind)
    if kind is bool:
        return st.booleans()
    if kind is int:
        low = meta.get("min_inclusive", INT32[0])
        high = meta.get("max_inclusive", INT32[1])
        return st.integers(min_value=low, max_value=high)
    if kind is str:
        if "pattern" in meta:
            # XSD patterns are anchored at both ends; Python's \S is narrower than XSD's.
            return st.from_regex(meta["pattern"], fullmatch=True, alphabet=XML_TEXT)
        return st.text(
            XML_TEXT, min_size=meta.get("min_length", 0), max_size=meta.get("max_length", 40)
        )
    raise TypeError(f"no strategy for {kind!r}")


def _values(field: dataclasses.Field[Any], kinds: list[Any]) -> st.SearchStrategy[Any]:
    meta = dict(field.metadata)
    # A union of a pattern-restricted string and an enum (xs:union): the pattern is the string's.
    return st.one_of(
        [
            _scalar(k, meta if k is str else {n: v for n, v in meta.items() if n != "pattern"})
            for k in kinds
        ]
    )


def _occurrences(
    field: dataclasses.Field[Any], value: st.SearchStrategy[Any], least: int = 0
) -> st.SearchStrategy[Any]:
    low = max(least, field.metadata.get("min_occurs", 0))
    high = field.metadata.get("max_occurs", low + 3)
    return st.lists(value, min_size=low, max_size=min(high, low + 3))


def field_strategy(field: dataclasses.Field[Any], hint: Any) -> st.SearchStrategy[Any]:
    kinds, is_list = _unwrap(hint)
    value = _values(field, kinds)
    return _occurrences(field, value) if is_list else value


def instances(cls: type) -> st.SearchStrategy[Any]:
    """Instances of an xsdata dataclass whose every value respects the field's facets."""
    return instances_with(cls, ())


@cache
def instances_with(cls: type, present: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """Like `instances`, but the element path `present` (XML names below cls) always exists."""
    hints = typing.get_type_hints(cls)
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    xml_names: dict[str, str] = {}
    forced = None
    for field in dataclasses.fields(cls):
        xml_names[field.name] = field.metadata.get("name", field.name)
        if present and xml_names[field.name] == present[0]:
            forced = field.name
            strategy = _forced(field, hints[field.name], present[1:])
            required[field.name] = strategy
            continue
        strategy = field_strategy(field, hints[field.name])
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            required[field.name] = strategy
        elif field.default_factory is list:
            optional[field.name] = strategy  # a list: empty is its absent value
        else:
            optional[field.name] = st.none() | strategy
    if present and forced is None:
        raise ValueError(f"{cls.__name__} has no element {present[0]}")
    meta = getattr(cls, "Meta", None)
    groups = choice_groups(getattr(meta, "name", cls.__name__))

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        values = {name: draw(strategy) for name, strategy in required.items()}
        values |= {name: draw(strategy) for name, strategy in optional.items()}
        for group in groups:
            members = [n for n in [*optional, *required] if xml_names[n] in group]
            keep = forced if forced in members else draw(st.sampled_from([None, *members]))
            for name in members:
                if name != keep:
                    values[name] = [] if isinstance(values[name], list) else None
        return cls(**values)

    return build()


def _forced(
    field: dataclasses.Field[Any], hint: Any, below: tuple[str, ...]
) -> st.SearchStrategy[Any]:
    kinds, is_list = _unwrap(hint)
    value = instances_with(kinds[0], below) if below else _values(field, kinds)
    return _occurrences(field, value, least=1) if is_list else value


Site = tuple[type, tuple[str, ...], str, Any]  # (root class, element path, facet kind, facet)


def facet_sites(root: type) -> list[Site]:
    """Every element path under the root class where a facet applies, from xsdata's metadata."""
    sites: list[Site] = []

    def walk(cls: type, path: tuple[str, ...]) -> None:
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            meta = field.metadata
            here = (*path, meta.get("name", field.name))
            if (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            ):
                sites.append((root, here, "required", None))
            kinds, _ = _unwrap(hints[field.name])
            if len(kinds) > 1:
                continue  # an xs:union: a failure is reported for the union, not a member's facet
            (kind,) = kinds
            if dataclasses.is_dataclass(kind):
                walk(kind, here)
            elif isinstance(kind, type) and issubclass(kind, enum.Enum):
                sites.append((root, here, "enum", frozenset(m.value for m in kind)))
            elif kind is int and ("min_inclusive" in meta or "max_inclusive" in meta):
                sites.append(
                    (root, here, "range", (meta.get("min_inclusive"), meta.get("max_inclusive")))
                )
            elif kind is str:
                if "min_length" in meta or "max_length" in meta:
                    sites.append(
                        (root, here, "length", (meta.get("min_length", 0), meta.get("max_length")))
                    )
                if "pattern" in meta:
                    sites.append((root, here, "pattern", meta["pattern"]))

    walk(root, ())
    return sites
