"""`bandwidth-apps migrate`: a Catapult application, recreated on the Dashboard."""

from __future__ import annotations

from typing import Any

import click

from .._dashboard import encode_application
from .._migrate import plan_migration
from . import _output
from ._common import DASHBOARD_COLUMNS, dashboard_dict
from ._connect import catapult_connector, catapult_options, dashboard_connector, dashboard_options
from ._failures import guarded
from ._output import output_options


def build() -> click.Command:
    """`migrate`, made each time it is run (see _Group.get_command)."""

    @click.command()
    @click.argument("catapult_application_id")
    @click.option("--dry-run", is_flag=True, help="Print the XML that would be sent; send nothing.")
    @catapult_options
    @dashboard_options
    @output_options
    @click.pass_context
    def migrate(
        context: click.Context, /, catapult_application_id: str, dry_run: bool, **options: Any
    ) -> None:
        """Recreate a Catapult application as Dashboard Messaging-V2 / Voice-V2 applications."""
        source_connect = catapult_connector(options)
        target_connect = dashboard_connector(context, options)

        def run() -> None:
            with source_connect() as source:
                plan = plan_migration(source.get(catapult_application_id))
            for note in plan.notes:
                click.echo(f"note: {note}", err=True)
            if dry_run:
                for application in plan.applications:
                    click.echo(encode_application(application, "create").decode())
                return
            with target_connect() as target:
                created = [target.create(application) for application in plan.applications]
            _output.show([dashboard_dict(a) for a in created], DASHBOARD_COLUMNS, single=False)

        guarded(run)

    return migrate
