"""How commands print what they got: a table (the default), `--json`, `--plain` (flat JSON,
one object per application, as Bandwidth's `band` prints) or `--quiet` (ids only), chosen on
any command."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, Literal

import click

Mode = Literal["table", "json", "plain", "quiet"]
_IDS = ("ApplicationId", "id")  # what --quiet prints of each application


def output_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--json` and `--plain`, on the group and on every command (the later one wins)."""

    def remember(context: click.Context, _: click.Parameter, value: Mode | None) -> None:
        if value is not None:
            context.ensure_object(dict)
            context.find_root().meta["output"] = value

    function = click.option(
        "--quiet",
        "-q",
        "output",
        flag_value="quiet",
        default=None,
        expose_value=False,
        callback=remember,
        help="Print only the ids, one a line (for scripts: id=$(... -q)).",
    )(function)
    function = click.option(
        "--plain",
        "output",
        flag_value="plain",
        default=None,
        expose_value=False,
        callback=remember,
        help="Print flat JSON: one object per application, nested fields as A.B keys.",
    )(function)
    return click.option(
        "--json",
        "output",
        flag_value="json",
        default=None,
        expose_value=False,
        callback=remember,
        help="Print JSON as the API's fields nest.",
    )(function)


def mode() -> Mode:
    context = click.get_current_context()
    chosen: Mode = context.find_root().meta.get("output", "table")
    return chosen


def flat(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects as dotted keys: {"A": {"B": 1}} -> {"A.B": 1}."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def show(items: Iterable[dict[str, Any]], columns: tuple[str, ...], *, single: bool) -> None:
    listed = list(items)
    chosen = mode()
    if chosen == "quiet":
        for item in listed:
            click.echo(next((str(item[key]) for key in _IDS if key in item), ""))
        return
    if chosen != "table":
        shaped = [flat(item) for item in listed] if chosen == "plain" else listed
        click.echo(json.dumps(shaped[0] if single else shaped, indent=2, ensure_ascii=False))
        return
    if single:
        item = flat(listed[0])
        width = max(map(len, item), default=0)
        for key, value in item.items():
            shown = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
            click.echo(f"{key:<{width}}  {shown}")
        return
    rows = [[str(item.get(column, "")) for column in columns] for item in listed]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for row in rows:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    click.echo(f"({len(rows)} application{'s' if len(rows) != 1 else ''})")


def said(message: str, **fields: Any) -> None:
    """A command that returns no application (delete, update): a line, or JSON of its fields."""
    chosen = mode()
    if chosen == "table":
        click.echo(message)
    elif chosen != "quiet":
        click.echo(json.dumps(fields, indent=2))
