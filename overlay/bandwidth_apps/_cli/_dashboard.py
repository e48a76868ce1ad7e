"""`bandwidth-apps dashboard ...`: the Dashboard API's applications (XML)."""

from __future__ import annotations

from typing import Any

import click

from . import _output
from ._common import (
    DASHBOARD_COLUMNS,
    client,
    confirm_delete,
    dashboard_dict,
    stdin_once,
    the_existing,
    yes_option,
)
from ._connect import dashboard_connector, dashboard_options
from ._failures import guarded
from ._options import dashboard_application, dashboard_field_options
from ._output import output_options, said

XML_FILE = click.option(
    "--xml",
    "xml_file",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help="Read the Application from an XML file (- for stdin).",
)


def _show(applications: list[Any], single: bool = False) -> None:
    _output.show([dashboard_dict(a) for a in applications], DASHBOARD_COLUMNS, single=single)


def build() -> click.Group:
    """`dashboard`, made each time it is run (see _Group.get_command)."""

    @click.group()
    @dashboard_options
    @output_options
    @click.pass_context
    def dashboard(context: click.Context, /, **options: Any) -> None:
        """Dashboard API (XML) applications."""
        context.ensure_object(dict)
        context.obj["connect"] = dashboard_connector(context, options)
        context.obj["stdin"] = bool(
            options.get("client_secret_stdin") or options.get("password_stdin")
        )

    @dashboard.command("create")
    @XML_FILE
    @click.option(
        "--if-not-exists",
        is_flag=True,
        help="If one application has this AppName, show it instead of creating another;"
        " several is an error.",
    )
    @dashboard_field_options
    @output_options
    @click.pass_context
    def create(
        context: click.Context, /, xml_file: str | None, if_not_exists: bool, **options: Any
    ) -> None:
        """Create an application."""
        stdin_once(context.obj["stdin"], xml_file == "-")
        application = dashboard_application(options, xml_file)

        def run() -> None:
            dashboard = client(context)
            if if_not_exists:
                same = [a for a in dashboard.list() if a.app_name == application.app_name]
                existing = the_existing(same, application.app_name, lambda a: a.application_id)
                if existing is not None:
                    _show([existing], True)
                    return
            _show([dashboard.create(application)], True)

        guarded(run)

    @dashboard.command("list")
    @output_options
    @click.pass_context
    def list_(context: click.Context) -> None:
        """List the account's applications."""
        guarded(lambda: _show(client(context).list()))

    @dashboard.command("get")
    @click.argument("application_id")
    @output_options
    @click.pass_context
    def get(context: click.Context, application_id: str) -> None:
        """Show one application."""
        guarded(lambda: _show([client(context).get(application_id)], True))

    @dashboard.command("update")
    @click.argument("application_id")
    @XML_FILE
    @dashboard_field_options
    @output_options
    @click.pass_context
    def update(
        context: click.Context, /, application_id: str, xml_file: str | None, **options: Any
    ) -> None:
        """Replace an application (PUT): fields not given are removed."""
        stdin_once(context.obj["stdin"], xml_file == "-")
        application = dashboard_application(options, xml_file)
        guarded(lambda: _show([client(context).update(application_id, application)], True))

    @dashboard.command("patch")
    @click.argument("application_id")
    @XML_FILE
    @dashboard_field_options
    @output_options
    @click.pass_context
    def patch(
        context: click.Context, /, application_id: str, xml_file: str | None, **options: Any
    ) -> None:
        """Change only the given fields (PATCH); --call-status-callback-url remove removes
        that URL."""
        stdin_once(context.obj["stdin"], xml_file == "-")
        application = dashboard_application(options, xml_file)
        guarded(lambda: _show([client(context).patch(application_id, application)], True))

    @dashboard.command("delete")
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

    @dashboard.command("sip-peers")
    @click.argument("application_id")
    @output_options
    @click.pass_context
    def sip_peers(context: click.Context, application_id: str) -> None:
        """List the Locations (sip peers) that use an application."""

        def run() -> None:
            peers = [
                dashboard_dict(p) for p in client(context).associated_sip_peers(application_id)
            ]
            _output.show(peers, ("SiteId", "SiteName", "PeerId", "PeerName"), single=False)

        guarded(run)

    return dashboard
