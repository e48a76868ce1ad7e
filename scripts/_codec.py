"""Writes generated/bandwidth_apps_dashboard/_codec.py: a fast XML writer and reader for every
binding, derived from the bindings' own xsdata metadata (element names, order, types), never
written by hand per field. It produces and accepts exactly what xsdata does (tests/
test_codec.py holds the two together, both ways, over spec-derived documents); xsdata stays the
generator of the models, and the XSD stays the judge of every document.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import sys
import typing
from pathlib import Path

HEAD = '''"""A fast XML writer and reader for the bindings, written by scripts/generate from their
xsdata metadata. Writing gives the bytes xsdata's TreeSerializer and lxml give; reading gives
what xsdata's XmlParser gives for a document the XSD accepts."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

{imports}

_ESCAPES = str.maketrans({{"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\r": "&#13;"}})
DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\\n"


def _element(tag: str, inner: str) -> str:
    return f"<{{tag}}>{{inner}}</{{tag}}>" if inner else f"<{{tag}}/>"


def _text(value: Any) -> str:
    """A value as element text: what xsdata writes for it (a wrong type too, for the XSD to
    refuse), escaped as lxml escapes it."""
    text: str
    if type(value) is str:
        text = value
    elif isinstance(value, Enum):
        text = str(value.value)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return text.translate(_ESCAPES)


def _read(element: Any, table: dict[str, tuple[str, Callable[[Any], Any], bool]], cls: type) -> Any:
    values: dict[str, Any] = {{}}
    for child in element:
        known = table.get(child.tag)
        if known is None:
            continue  # not in the binding: skipped, as the xsdata parser is configured
        name, read, many = known
        if many:
            values.setdefault(name, []).append(read(child))
        else:
            values[name] = read(child)
    return cls(**values)


def _str(element: Any) -> str:
    return element.text or ""


def _int(element: Any) -> int:
    return int(element.text.strip())


def _enum(kind: type[Enum]) -> Callable[[Any], Any]:
    def read(element: Any) -> Any:
        return kind((element.text or "").strip())

    return read


def _str_or_enum(kind: type[Enum]) -> Callable[[Any], Any]:
    def read(element: Any) -> Any:
        text = element.text or ""
        try:
            return kind(text.strip())
        except ValueError:
            return text

    return read
'''


def _kind(cls: type, field: dataclasses.Field[typing.Any]) -> tuple[str, typing.Any, bool]:
    """(what, type, many) of a field: what is str, int, enum, str-or-enum or class."""
    hint = typing.get_type_hints(cls)[field.name]
    many = typing.get_origin(hint) is list
    if many:
        (hint,) = typing.get_args(hint)
    kinds = [k for k in typing.get_args(hint) if k is not type(None)] or [hint]
    enums = [k for k in kinds if isinstance(k, type) and issubclass(k, enum.Enum)]
    if str in kinds and enums:
        return "str-or-enum", enums[0], many
    (kind,) = kinds
    if kind in (str, int):
        return kind.__name__, kind, many
    if enums:
        return "enum", kind, many
    if dataclasses.is_dataclass(kind):
        return "class", kind, many
    raise SystemExit(
        f"codec: {cls.__name__}.{field.name} has a type the codec does not know: {hint}"
    )


def codec_source(package_dir: Path) -> str:
    """The codec module for the bindings package in package_dir (imported from there)."""
    sys.path.insert(0, str(package_dir.parent))
    try:
        package = importlib.import_module(package_dir.name)
        classes = [
            getattr(package, name)
            for name in package.__all__
            if dataclasses.is_dataclass(getattr(package, name))
        ]
        enums = sorted(
            {
                k.__name__
                for c in classes
                for f in dataclasses.fields(c)
                for k in [_kind(c, f)[1]]
                if isinstance(k, type) and issubclass(k, enum.Enum)
            }
        )
        names = sorted({c.__name__ for c in classes} | set(enums))
        imports = "from . import (\n" + "".join(f"    {n},\n" for n in names) + ")"
        out = [HEAD.format(imports=imports)]
        for cls in classes:
            out.append(_writer(cls))
        for cls in classes:
            out.append(_table(cls))
        out.append("\n\nWRITERS: dict[type, Callable[[Any], str]] = {\n")
        out += [f"    {c.__name__}: write_{c.__name__},\n" for c in classes]
        out.append("}\nREADERS: dict[type, Callable[[Any], Any]] = {\n")
        out += [f"    {c.__name__}: read_{c.__name__},\n" for c in classes]
        out.append("}\n")
        return "".join(out)
    finally:
        sys.path.remove(str(package_dir.parent))
        for name in [
            m for m in sys.modules if m == package_dir.name or m.startswith(package_dir.name + ".")
        ]:
            del sys.modules[name]


def _writer(cls: type) -> str:
    lines = [
        f"\n\ndef write_{cls.__name__}(obj: {cls.__name__}) -> str:",
        "    parts: list[str] = []",
    ]
    for field in dataclasses.fields(cls):
        tag = field.metadata["name"]
        what, kind, many = _kind(cls, field)
        v = f"{field.name}_"  # one name a field: each has its own type
        value = {
            "str": f"_text({v})",
            "int": f"_text({v})",
            "enum": f"_text({v})",
            "str-or-enum": f"_text({v})",
            "class": f"write_{getattr(kind, '__name__', '')}({v})",
        }[what]
        if many:
            lines += [
                f"    for {v} in obj.{field.name}:",
                f"        parts.append(_element({tag!r}, {value}))",
            ]
        else:
            lines += [
                f"    {v} = obj.{field.name}",
                f"    if {v} is not None:",
                f"        parts.append(_element({tag!r}, {value}))",
            ]
    lines.append('    return "".join(parts)')
    return "\n".join(lines) + "\n"


def _table(cls: type) -> str:
    entries = []
    for field in dataclasses.fields(cls):
        what, kind, many = _kind(cls, field)
        reader = {
            "str": "_str",
            "int": "_int",
            "enum": f"_enum({getattr(kind, '__name__', '')})",
            "str-or-enum": f"_str_or_enum({getattr(kind, '__name__', '')})",
            "class": f"lambda e: read_{getattr(kind, '__name__', '')}(e)",
        }[what]
        entries.append(f"    {field.metadata['name']!r}: ({field.name!r}, {reader}, {many}),")
    name = cls.__name__
    return (
        f"\n\n_{name.upper()}: dict[str, tuple[str, Callable[[Any], Any], bool]] = {{\n"
        + "\n".join(entries)
        + f"\n}}\n\n\ndef read_{name}(element: Any) -> {name}:\n"
        + f"    result: {name} = _read(element, _{name.upper()}, {name})\n    return result\n"
    )
