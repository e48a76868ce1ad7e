"""Options for application fields, derived from the specs (never listed by hand): names from
the models, choices from their enums, ranges from their facets, help from the specs' own words.
And the readers of whole bodies (`--xml`, `--from-json`, `-` for stdin), which refuse unknown
fields by name, as the clients do."""

from __future__ import annotations

import dataclasses
import enum
import json
import re
import sys
import typing
from collections.abc import Callable
from typing import Any

import click
from bandwidth_apps_dashboard import Application, CallbackCredentials

from .. import _xml
from .._errors import ValidationError, Violation, did_you_mean
from .._rules import DASHBOARD_ALIASES
from .._specs import catapult_document, dashboard_element_docs

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _flag(name: str) -> str:
    return "--" + re.sub(r"(?<!^)(?=[A-Z])", "-", name).replace("_", "-").lower()


def _kinds(cls: type, field: dataclasses.Field[Any]) -> list[Any]:
    hint = typing.get_type_hints(cls)[field.name]
    return [k for k in typing.get_args(hint) if k is not type(None)] or [hint]


def _range(low: Any, high: Any, unit: str = "") -> str:
    return f" [{low}-{high}{' ' + unit if unit else ''}]" if low is not None else ""


# ---- Dashboard: one option per field of the Application element ----


def dashboard_field_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """One option per child of `Application` (credentials as their USER-ID and PASSWORD);
    the deprecated aliases are accepted but not listed."""
    docs = dashboard_element_docs()
    for field in reversed(dataclasses.fields(Application)):
        element = field.metadata["name"]
        kinds = _kinds(Application, field)
        kind = kinds[0]
        help_text = docs.get(element, "") or element
        hidden = field.name in DASHBOARD_ALIASES
        if kind is CallbackCredentials:
            for part in ("password", "user_id"):
                function = click.option(
                    f"{_flag(field.name)}-{part.replace('_', '-')}",
                    help=f"{element}/{'Password' if part == 'password' else 'UserId'}"
                    " (6 to 63 characters).",
                )(function)
        elif dataclasses.is_dataclass(kind):  # RequestedCallbackTypes: a repeated choice
            (inner,) = dataclasses.fields(kind)
            inner_kind = _kinds(kind, inner)[0]  # type: ignore[arg-type]
            function = click.option(
                _flag(field.name),
                multiple=True,
                type=click.Choice([m.value for m in inner_kind]),
                help=f"{element}: a message event sent to OutboundCallbackUrl (repeat).",
            )(function)
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            values = [m.value for k in kinds for m in k]
            function = click.option(
                _flag(field.name), type=click.Choice(values), help=help_text, hidden=hidden
            )(function)
        elif kind is int:
            low, high = field.metadata.get("min_inclusive"), field.metadata.get("max_inclusive")
            function = click.option(
                _flag(field.name),
                type=click.IntRange(low, high),
                help=help_text + _range(low, high, "s" if "Seconds" in help_text else ""),
            )(function)
        else:
            function = click.option(_flag(field.name), help=help_text, hidden=hidden)(function)
    return function


def read_file(path: str) -> bytes:
    """A file's bytes, or stdin's for `-`."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as source:
            return source.read()
    except OSError as exc:
        raise click.UsageError(f"{path}: {exc.strerror or exc}") from None


def dashboard_application(options: dict[str, Any], xml_file: str | None) -> Application:
    """The Application of the options, or of an XML file (refusing unknown elements, by name,
    and a flag that gives a field the file gives too)."""
    given = _dashboard_values(options)
    if xml_file is None:
        return Application(**given)
    if given:
        names = ", ".join(_flag(name) for name in given)
        raise click.UsageError(f"{names} and --xml both give the application: use one of them")
    try:
        root = _xml.parse_document(read_file(xml_file))
    except _xml.UnsafeXml as exc:
        raise click.UsageError(f"{xml_file}: {exc}") from None
    if root.tag != "Application":
        raise click.UsageError(f"{xml_file}: the root element must be Application")
    violations = _xml.schema_violations(root)
    if violations:
        raise ValidationError(violations)
    return _xml.from_tree(root, Application)


def _dashboard_values(options: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Application):
        kinds = _kinds(Application, field)
        kind = kinds[0]
        if kind is CallbackCredentials:
            user = options.get(f"{field.name}_user_id")
            password = options.get(f"{field.name}_password")
            if user is not None or password is not None:
                values[field.name] = CallbackCredentials(user_id=user or "", password=password)
            continue
        value = options.get(field.name)
        if value in (None, ()):
            continue
        if dataclasses.is_dataclass(kind):
            (inner,) = dataclasses.fields(kind)
            inner_kind = _kinds(kind, inner)[0]  # type: ignore[arg-type]
            value = kind(**{inner.name: [inner_kind(v) for v in value]})  # type: ignore[operator]
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            value = next(k(value) for k in kinds if value in [m.value for m in k])
        values[field.name] = value
    return values


# ---- Catapult: one option per property of the request schema ----


def _resolved(schema: dict[str, Any]) -> dict[str, Any]:
    """A property's schema with its oneOf [X, null] and $ref followed to X."""
    components = catapult_document()["components"]["schemas"]
    for branch in schema.get("oneOf", []):
        if branch.get("type") != "null":
            ref = branch.get("$ref", "").rsplit("/", 1)[-1]
            return {
                **components.get(ref, branch),
                **{k: v for k, v in schema.items() if k != "oneOf"},
            }
    return schema


def catapult_properties(component: str) -> dict[str, dict[str, Any]]:
    schema = catapult_document()["components"]["schemas"][component]
    return {name: _resolved(prop) for name, prop in schema["properties"].items()}


def catapult_field_options(component: str) -> Decorator:
    """One option per property of a Catapult request schema (its JSON names, as flags)."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        for name, schema in reversed(list(catapult_properties(component).items())):
            help_text = schema.get("description", name)
            hidden = bool(schema.get("deprecated"))
            types = schema.get("type")
            if types == "boolean" or (isinstance(types, list) and "boolean" in types):
                flag = _flag(name)
                function = click.option(
                    f"{flag}/--no-{flag[2:]}", name, default=None, help=help_text, hidden=hidden
                )(function)
            elif types == "integer":
                low, high = schema.get("minimum"), schema.get("maximum")
                function = click.option(
                    _flag(name),
                    name,
                    type=click.IntRange(low, high),
                    help=help_text + _range(low, high, "ms" if "illiseconds" in help_text else ""),
                    hidden=hidden,
                )(function)
            elif "enum" in schema:
                function = click.option(
                    _flag(name),
                    name,
                    type=click.Choice(schema["enum"]),
                    help=help_text,
                    hidden=hidden,
                )(function)
            else:
                function = click.option(_flag(name), name, help=help_text, hidden=hidden)(function)
        return function

    return decorate


def catapult_body(component: str, options: dict[str, Any], json_file: str | None) -> dict[str, Any]:
    """The body of the options, or of a JSON file (refusing unknown keys, by name, and a flag
    that gives a field the file gives too)."""
    given = {
        name: options[name]
        for name in catapult_properties(component)
        if options.get(name) is not None
    }
    if json_file is None:
        return given
    if given:
        names = ", ".join(_flag(name) for name in given)
        raise click.UsageError(
            f"{names} and --from-json both give the application: use one of them"
        )
    try:
        data = json.loads(read_file(json_file))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise click.UsageError(f"{json_file}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise click.UsageError(f"{json_file}: the body must be a JSON object")
    known = list(catapult_properties(component))
    unknown = [key for key in data if key not in known]
    if unknown:
        raise ValidationError(
            [
                Violation(key, "unexpected", f"not a field of this body{did_you_mean(key, known)}")
                for key in unknown
            ]
        )
    return data
