"""`bandwidth-apps auth login|status|use`: named profiles (see _profiles.py)."""

from __future__ import annotations

import json
from typing import Any

import click

from . import _output
from ._connect import dashboard_connector, dashboard_options, dashboard_settings, prompt_secret
from ._failures import guarded
from ._output import output_options
from ._profiles import FIELDS, Config, config_path, keyring_available, store_secret


def build() -> click.Group:
    """`auth`, made each time it is run (see _Group.get_command)."""

    @click.group()
    def auth() -> None:
        """Profiles: log in once, then use the account without flags."""

    @auth.command()
    @click.option(
        "--profile", "name", default="default", show_default=True, help="The profile to write."
    )
    @dashboard_options
    @output_options
    @click.pass_context
    def login(context: click.Context, /, name: str, **options: Any) -> None:
        """Check an API credential (it lists the account's applications) and save it as a profile.

        The client secret goes to the OS keyring when there is one; otherwise it is not saved and
        BW_CLIENT_SECRET must carry it."""
        settings = dashboard_settings(context, options)
        missing = [
            flag
            for flag, key in (("--account-id", "account_id"), ("--client-id", "client_id"))
            if not settings.get(key)
        ]
        if missing:
            raise click.UsageError(
                f"{' and '.join(missing)} (or BW_ACCOUNT_ID, BW_CLIENT_ID) required"
            )
        if not settings.get("client_secret"):
            settings.values["client_secret"] = prompt_secret(
                "client secret", "BW_CLIENT_SECRET", "--client-secret-stdin"
            )
        secret = str(settings.get("client_secret"))
        connect = dashboard_connector(context, options, settings)

        def run() -> None:
            with connect() as client:
                count = len(client.list())
            config = Config.load()
            config.profiles[name] = {
                key: str(settings.get(key)) for key in FIELDS if settings.get(key)
            }
            config.active = name
            path = config.save()
            kept = store_secret(str(settings.get("client_id")), secret)
            click.echo(
                f"logged in: profile {name!r}, account {settings.get('account_id')}"
                f" ({count} applications), saved to {path}",
                err=True,
            )
            if kept:
                click.echo("the client secret is in the OS keyring", err=True)
            else:
                click.echo(
                    "no OS keyring here: the client secret was not saved; set BW_CLIENT_SECRET",
                    err=True,
                )

        guarded(run)

    @auth.command()
    @dashboard_options
    @output_options
    @click.pass_context
    def status(context: click.Context, /, **options: Any) -> None:
        """Which profile, account, host and credential would be used, and from where (no secret)."""
        config = Config.load()
        settings = dashboard_settings(context, options)
        active = context.find_root().meta.get("profile") or config.active
        report: dict[str, Any] = {
            "profile": active,
            "config": str(config_path()),
            "keyring": keyring_available(),
        }
        for key in ("account_id", "client_id", "environment", "api_url", "base_url", "username"):
            if settings.get(key):
                report[key] = f"{settings.get(key)} ({settings.sources[key]})"
        for key in ("client_secret", "password"):
            if settings.get(key):
                report[key] = f"set ({settings.sources[key]})"
        if not settings.get("client_secret") and settings.get("client_id"):
            report["client_secret"] = "missing: set BW_CLIENT_SECRET, or auth login with a keyring"
        if _output.mode() == "table":
            width = max(map(len, report))
            for key, value in report.items():
                click.echo(f"{key:<{width}}  {value}")
        else:
            click.echo(json.dumps(report, indent=2))

    @auth.command()
    @click.argument("name")
    def use(name: str) -> None:
        """Make NAME the active profile."""
        config = Config.load()
        config.require(name)
        config.active = name
        config.save()
        click.echo(f"active profile: {name}", err=True)

    return auth
