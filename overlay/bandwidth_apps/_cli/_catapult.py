"""`bandwidth-apps catapult ...`: the legacy Catapult v1 API's applications (JSON)."""

from __future__ import annotations

from typing import Any

import click
from bandwidth_apps_catapult.models import ApplicationCreate, ApplicationUpdate

from . import _output
from ._common import (
    CATAPULT_COLUMNS,
    catapult_dict,
    client,
    confirm_delete,
    stdin_once,
    the_existing,
    yes_option,
)
from ._connect import catapult_connector, catapult_options
from ._failures import guarded
from ._options import catapult_body, catapult_field_options
from ._output import output_options, said

JSON_FILE = click.option(
    "--from-json",
    "json_file",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help="Read the body from a JSON file (- for stdin).",
)


def _show(applications: list[Any], single: bool = False) -> None:
    _output.show([catapult_dict(a) for a in applications], CATAPULT_COLUMNS, single=single)


def build() -> click.Group:
    """`catapult`, made each time it is run (see _Group.get_command)."""

    @click.group()
    @catapult_options
    @output_options
    @click.pass_context
    def catapult(context: click.Context, /, **options: Any) -> None:
        """Catapult v1 API (JSON) applications."""
        context.ensure_object(dict)
        context.obj["connect"] = catapult_connector(options)
        context.obj["stdin"] = bool(options.get("api_secret_stdin"))

    @catapult.command("create")
    @JSON_FILE
    @click.option(
        "--if-not-exists",
        is_flag=True,
        help="If one application has this name, show it instead of creating another;"
        " several is an error.",
    )
    @catapult_field_options("ApplicationCreate")
    @output_options
    @click.pass_context
    def create(
        context: click.Context, /, json_file: str | None, if_not_exists: bool, **options: Any
    ) -> None:
        """Create an application."""
        stdin_once(context.obj["stdin"], json_file == "-")
        model = ApplicationCreate.from_dict(catapult_body("ApplicationCreate", options, json_file))

        def run() -> None:
            catapult_client = client(context)
            if if_not_exists:
                same = [a for a in catapult_client.list(page_size=1000) if a.name == model.name]
                existing = the_existing(same, model.name, lambda a: a.id)
                if existing is not None:
                    _show([existing], True)
                    return
            _show([catapult_client.create(model)], True)

        guarded(run)

    @catapult.command("list")
    @click.option(
        "--page-size",
        type=click.IntRange(1, 1000),
        default=25,
        show_default=True,
        help="Applications per request [1-1000].",
    )
    @output_options
    @click.pass_context
    def list_(context: click.Context, page_size: int) -> None:
        """List every application (all pages)."""
        guarded(lambda: _show(list(client(context).list(page_size=page_size))))

    @catapult.command("get")
    @click.argument("application_id")
    @output_options
    @click.pass_context
    def get(context: click.Context, application_id: str) -> None:
        """Show one application."""
        guarded(lambda: _show([client(context).get(application_id)], True))

    @catapult.command("update")
    @click.argument("application_id")
    @JSON_FILE
    @catapult_field_options("ApplicationUpdate")
    @output_options
    @click.pass_context
    def update(
        context: click.Context, /, application_id: str, json_file: str | None, **options: Any
    ) -> None:
        """Change only the given fields."""
        stdin_once(context.obj["stdin"], json_file == "-")
        model = ApplicationUpdate.from_dict(catapult_body("ApplicationUpdate", options, json_file))

        def run() -> None:
            client(context).update(application_id, model)
            said(f"updated {application_id}", updated=application_id)

        guarded(run)

    @catapult.command("delete")
    @click.argument("application_id")
    @yes_option
    @output_options
    @click.pass_context
    def delete(context: click.Context, application_id: str, yes: bool) -> None:
        """Delete an application (asks first, unless --yes)."""
        confirm_delete(f"application {application_id}", yes)

        def run() -> None:
            client(context).delete(application_id)
            said(f"deleted {application_id}", deleted=application_id)

        guarded(run)

    return catapult
