"""Where the CLI's clients point and how they log in: flags, then the environment (the
variables Bandwidth's `band` reads, so one shell setup serves both tools), then the profile.
Secrets come from the environment, stdin (`--client-secret-stdin`), the keyring or a prompt;
a flag works too, but never has to be used."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from .._auth import DASHBOARD_PATH, LEGACY_BASIC_ENDS, LegacyAuthWarning
from .._catapult import CATAPULT_BASE_URL, CatapultClient
from .._dashboard import DashboardClient
from ._profiles import Config, stored_secret

COMMANDLINE = click.core.ParameterSource.COMMANDLINE
ENVIRONMENT = click.core.ParameterSource.ENVIRONMENT


def dashboard_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The Dashboard connection options."""
    options = [
        click.option(
            "--account-id",
            envvar=["BW_ACCOUNT_ID", "BANDWIDTH_ACCOUNT_ID"],
            help="Account id [env BW_ACCOUNT_ID].",
        ),
        click.option(
            "--client-id",
            envvar="BW_CLIENT_ID",
            help="API credential's client id [env BW_CLIENT_ID].",
        ),
        click.option(
            "--client-secret",
            envvar="BW_CLIENT_SECRET",
            help="Its secret [env BW_CLIENT_SECRET]; better from the environment, stdin or"
            " the keyring than a flag.",
        ),
        click.option(
            "--client-secret-stdin",
            is_flag=True,
            help="Read the client secret from stdin (one line).",
        ),
        click.option(
            "--environment",
            envvar="BW_ENVIRONMENT",
            type=click.Choice(["prod", "test", "uat"], case_sensitive=False),
            help="prod (api.bandwidth.com, the default) or test (test.api.bandwidth.com)"
            " [env BW_ENVIRONMENT].",
        ),
        click.option(
            "--api-url",
            envvar="BW_API_URL",
            help="The API host, instead of the environment's, e.g. http://127.0.0.1:8080"
            " [env BW_API_URL].",
        ),
        click.option(
            "--base-url",
            envvar="BANDWIDTH_DASHBOARD_URL",
            help="The full API root, instead of --api-url [env BANDWIDTH_DASHBOARD_URL].",
        ),
        click.option(
            "--username",
            envvar="BANDWIDTH_USERNAME",
            help=f"Legacy API user (ends {LEGACY_BASIC_ENDS}) [env BANDWIDTH_USERNAME].",
        ),
        click.option(
            "--password", envvar="BANDWIDTH_PASSWORD", help="Its password [env BANDWIDTH_PASSWORD]."
        ),
        click.option("--password-stdin", is_flag=True, help="Read the legacy password from stdin."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def read_stdin_secret(what: str) -> str:
    if sys.stdin is None or sys.stdin.closed:
        raise click.UsageError(f"{what} was to come from stdin, but there is none")
    value = sys.stdin.readline().strip()
    if not value:
        raise click.UsageError(f"{what} was to come from stdin, but it was empty")
    return value


@dataclass
class DashboardSettings:
    """What a Dashboard client is made of, with where each value came from."""

    values: dict[str, Any]
    sources: dict[str, str]

    def get(self, name: str) -> Any:
        return self.values.get(name)


def dashboard_settings(context: click.Context, options: dict[str, Any]) -> DashboardSettings:
    profile_name = context.find_root().meta.get("profile")
    profile = Config.load().profile(profile_name)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name in (
        "account_id",
        "client_id",
        "client_secret",
        "environment",
        "api_url",
        "base_url",
        "username",
        "password",
    ):
        source = context.get_parameter_source(name)
        value = options.get(name)
        if value is not None and source in (COMMANDLINE, ENVIRONMENT):
            values[name], sources[name] = value, "flag" if source == COMMANDLINE else "environment"
        elif profile.get(name):
            values[name], sources[name] = profile[name], "profile"
    if options.get("client_secret_stdin"):
        values["client_secret"], sources["client_secret"] = (
            read_stdin_secret("the client secret"),
            "stdin",
        )
    if options.get("password_stdin"):
        values["password"], sources["password"] = read_stdin_secret("the password"), "stdin"
    # Where to send is one choice: a host given now (flag or variable) replaces the profile's
    # whole choice, so a saved api_url cannot outrank --environment.
    hosts = ("environment", "api_url", "base_url")
    if any(sources.get(name) in ("flag", "environment") for name in hosts):
        for name in hosts:
            if sources.get(name) == "profile":
                del values[name], sources[name]
    if "client_secret" not in values and values.get("client_id"):
        secret = stored_secret(values["client_id"])
        if secret:
            values["client_secret"], sources["client_secret"] = secret, "keyring"
    values.setdefault("environment", "prod")
    sources.setdefault("environment", "default")
    return DashboardSettings(values, sources)


def dashboard_connector(
    context: click.Context, options: dict[str, Any], known: DashboardSettings | None = None
) -> Callable[[], DashboardClient]:
    """Makes the client when a command needs it: client credentials first; the legacy Basic
    login only when no client credentials are given (with a warning on stderr)."""

    def connect() -> DashboardClient:
        try:
            return make()
        except ValueError as exc:  # the settings make no client (a URL, an id, an environment)
            raise click.UsageError(_for_the_command_line(exc)) from None

    def make() -> DashboardClient:
        settings = known or dashboard_settings(context, options)
        values = settings.values
        account_id = values.get("account_id")
        if not account_id:
            raise click.UsageError("--account-id (or BW_ACCOUNT_ID, or a profile) is required")
        base_url = values.get("base_url")
        if not base_url and values.get("api_url"):
            base_url = str(values["api_url"]).rstrip("/") + DASHBOARD_PATH
        common: dict[str, Any] = {
            "environment": str(values["environment"]).lower(),
            "base_url": base_url,
            "timeout": context.find_root().meta.get("timeout"),
        }
        legacy_on_command_line = (
            settings.sources.get("username") == "flag"
            and settings.sources.get("client_id") != "flag"
        )
        if values.get("client_id") and not legacy_on_command_line:
            if not values.get("client_secret"):
                values["client_secret"] = prompt_secret(
                    "client secret", "BW_CLIENT_SECRET", "--client-secret-stdin"
                )
            return DashboardClient(
                account_id,
                client_id=values["client_id"],
                client_secret=values["client_secret"],
                **common,
            )
        if values.get("username"):
            if not values.get("password"):
                values["password"] = prompt_secret(
                    "password", "BANDWIDTH_PASSWORD", "--password-stdin"
                )
            click.echo(
                f"warning: legacy API users (username and password) end on {LEGACY_BASIC_ENDS};"
                " use an API credential (--client-id, BW_CLIENT_ID)",
                err=True,
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", LegacyAuthWarning)  # said once, above
                return DashboardClient(
                    account_id, username=values["username"], password=values["password"], **common
                )
        raise click.UsageError(
            "no credentials: --client-id and a client secret (BW_CLIENT_ID, BW_CLIENT_SECRET,"
            " or `bandwidth-apps auth login`)"
        )

    return connect


def prompt_secret(what: str, variable: str, stdin_flag: str) -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        value: str = click.prompt(what.capitalize(), hide_input=True)
        return value
    raise click.UsageError(f"the {what} is missing: set {variable}, or pass {stdin_flag}")


def catapult_options(function: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--user-id",
            envvar="CATAPULT_USER_ID",
            help="Catapult user id (u-...) [env CATAPULT_USER_ID].",
        ),
        click.option(
            "--api-token", envvar="CATAPULT_API_TOKEN", help="API token [env CATAPULT_API_TOKEN]."
        ),
        click.option(
            "--api-secret",
            envvar="CATAPULT_API_SECRET",
            help="API secret [env CATAPULT_API_SECRET]; better from the environment or stdin"
            " than a flag.",
        ),
        click.option("--api-secret-stdin", is_flag=True, help="Read the API secret from stdin."),
        click.option(
            "--catapult-url",
            "catapult_url",
            envvar="CATAPULT_URL",
            default=CATAPULT_BASE_URL,
            show_default=True,
            help="[env CATAPULT_URL]",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def catapult_connector(options: dict[str, Any]) -> Callable[[], CatapultClient]:
    timeout = click.get_current_context().find_root().meta.get("timeout")

    def connect() -> CatapultClient:
        try:
            return make()
        except ValueError as exc:
            raise click.UsageError(_for_the_command_line(exc)) from None

    def make() -> CatapultClient:
        secret = options.get("api_secret")
        if options.get("api_secret_stdin"):
            secret = read_stdin_secret("the API secret")
        for value, flag, variable in (
            (options.get("user_id"), "--user-id", "CATAPULT_USER_ID"),
            (options.get("api_token"), "--api-token", "CATAPULT_API_TOKEN"),
        ):
            if not value:
                raise click.UsageError(f"{flag} (or {variable}) is required")
        if not secret:
            secret = prompt_secret("API secret", "CATAPULT_API_SECRET", "--api-secret-stdin")
        return CatapultClient(
            options["user_id"],
            options["api_token"],
            secret,
            base_url=options["catapult_url"],
            timeout=timeout,
        )

    return connect


def _for_the_command_line(error: ValueError) -> str:
    """A client's refusal, without the Python-only way out (there is no flag for it)."""
    return str(error).replace(", or with allow_insecure_http=True", "")
