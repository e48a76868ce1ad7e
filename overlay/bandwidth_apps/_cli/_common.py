"""What every command group shares: the client made on first use, deletes that ask first."""

from __future__ import annotations

import dataclasses
import enum
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ._failures import Ambiguous

T = TypeVar("T")

DASHBOARD_COLUMNS = (
    "ApplicationId",
    "ServiceType",
    "AppName",
    "InboundCallbackUrl",
    "CallInitiatedCallbackUrl",
)
CATAPULT_COLUMNS = ("id", "name", "incomingCallUrl", "incomingMessageUrl")


def client(context: click.Context) -> Any:
    """The group's client, made on first use and closed when the command ends."""
    obj = context.find_object(dict)
    assert obj is not None
    if "client" not in obj:
        obj["client"] = context.with_resource(obj["connect"]())
    return obj["client"]


def dashboard_dict(model: Any) -> dict[str, Any]:
    """A binding as the API's fields nest: element names, enum values, nothing unset, no secret."""
    plain: dict[str, Any] = _plain(model)
    return plain


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (
            (f.metadata.get("name", f.name), _plain(getattr(value, f.name)))
            for f in dataclasses.fields(value)
            if f.repr  # the secret fields are not
        )
        return {name: item for name, item in fields if item not in (None, [], {})}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def catapult_dict(model: Any) -> dict[str, Any]:
    encoded: dict[str, Any] = model.to_dict()
    return encoded


def yes_option(function: Any) -> Any:
    return click.option("--yes", "-y", is_flag=True, help="Do not ask before deleting.")(function)


def confirm_delete(what: str, yes: bool) -> None:
    """Ask before deleting, unless --yes; with no terminal to ask on, --yes is required."""
    if yes:
        return
    if sys.stdin is None or not sys.stdin.isatty():
        raise click.UsageError(f"not deleting {what} without --yes (no terminal to ask on)")
    click.confirm(f"Delete {what}?", abort=True, err=True)


def stdin_once(*users: bool) -> None:
    """stdin can be read once: a file from '-' and a secret from stdin cannot both come."""
    if sum(users) > 1:
        raise click.UsageError("only one of --xml -, --from-json - and --*-stdin may read stdin")


def the_existing(same: list[T], name: str | None, id_of: Callable[[T], Any]) -> T | None:
    """--if-not-exists: the one application already named `name`, None if there is none, and
    an error if there are several (choosing one would be a guess)."""
    if len(same) > 1:
        raise Ambiguous(f"{len(same)} applications are named {name!r}: not choosing one")
    if same:
        click.echo(f"exists: {id_of(same[0])} (not created)", err=True)
        return same[0]
    return None
