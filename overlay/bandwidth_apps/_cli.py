"""`bandwidth-apps`: the command line for both platforms, the sandbox and migration.

Options for application fields are derived from the generated models, never listed by hand.
Credentials come from flags or environment variables and are never printed.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import os
import sys
import typing
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs
import click
from bandwidth_apps_catapult.models import ApplicationCreate, ApplicationUpdate
from bandwidth_apps_catapult.types import UNSET
from bandwidth_apps_dashboard import Application, CallbackCredentials
from xsdata.formats.dataclass.serializers import DictEncoder

from . import _xml
from ._auth import DASHBOARD_PATH, LEGACY_BASIC_ENDS, LegacyAuthWarning
from ._catapult import CATAPULT_BASE_URL, CatapultClient
from ._dashboard import DashboardClient, encode_application
from ._errors import BandwidthError, ValidationError
from ._migrate import plan_migration

_ENCODER = DictEncoder()


# ---------------------------------------------------------------- output ----


def _dashboard_dict(model: Any) -> dict[str, Any]:
    encoded: dict[str, Any] = _ENCODER.encode(model)
    return {key: value for key, value in encoded.items() if value not in (None, [], {})}


def _catapult_dict(model: Any) -> dict[str, Any]:
    encoded: dict[str, Any] = model.to_dict()
    return encoded


def _show(
    items: list[dict[str, Any]], as_json: bool, columns: tuple[str, ...], single: bool
) -> None:
    if as_json:
        click.echo(json.dumps(items[0] if single else items, indent=2))
        return
    if single:
        item = items[0]
        width = max(map(len, item), default=0)
        for key, value in item.items():
            shown = json.dumps(value) if isinstance(value, (dict, list)) else value
            click.echo(f"{key:<{width}}  {shown}")
        return
    rows = [[str(item.get(column, "")) for column in columns] for item in items]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
    click.echo(f"({len(rows)} application{'s' if len(rows) != 1 else ''})")


DASHBOARD_COLUMNS = (
    "ApplicationId",
    "ServiceType",
    "AppName",
    "InboundCallbackUrl",
    "CallInitiatedCallbackUrl",
)
CATAPULT_COLUMNS = ("id", "name", "incomingCallUrl", "incomingMessageUrl")


def _fail(error: BaseException | str) -> typing.NoReturn:
    click.echo(f"error: {error}", err=True)
    sys.exit(2 if isinstance(error, ValidationError) else 1)


def _given(value: str | None, flag: str, variable: str) -> str:
    if not value:
        raise click.UsageError(f"{flag} (or {variable}) is required")
    return value


def _client(context: click.Context) -> Any:
    """The platform's client, made on first use and closed when the command ends."""
    if "client" not in context.obj:
        context.obj["client"] = context.with_resource(context.obj["connect"]())
    return context.obj["client"]


def _then_say(_: None, message: str) -> None:
    click.echo(message)


def _guarded(action: Callable[[], None]) -> None:
    try:
        action()
    except BandwidthError as error:
        _fail(error)


# ---------------------------------------------------------------- options from models ----


def _option_name(name: str) -> str:
    return "--" + name.replace("_", "-")


def dashboard_field_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """One option per field of the Dashboard Application (credentials as USER and PASSWORD)."""
    hints = typing.get_type_hints(Application)
    for field in reversed(dataclasses.fields(Application)):
        kinds = [k for k in typing.get_args(hints[field.name]) if k is not type(None)] or [
            hints[field.name]
        ]
        kind = kinds[0]
        xml_name = field.metadata.get("name", field.name)
        if kind is CallbackCredentials:
            function = click.option(
                f"{_option_name(field.name)}-password", help=f"{xml_name}/Password"
            )(function)
            function = click.option(
                f"{_option_name(field.name)}-user-id", help=f"{xml_name}/UserId"
            )(function)
        elif dataclasses.is_dataclass(kind):  # RequestedCallbackTypes: a repeated choice
            (inner,) = [f for f in dataclasses.fields(kind)]
            inner_kind = typing.get_args(typing.get_type_hints(kind)[inner.name])[0]
            function = click.option(
                _option_name(field.name),
                multiple=True,
                type=click.Choice([m.value for m in inner_kind]),
                help=f"{xml_name} (repeat)",
            )(function)
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            values = [m.value for m in kind] + [m.value for k in kinds[1:] for m in k]
            function = click.option(
                _option_name(field.name), type=click.Choice(values), help=xml_name
            )(function)
        else:
            function = click.option(_option_name(field.name), type=kind, help=xml_name)(function)
    return function


def dashboard_application(options: dict[str, Any], xml_file: str | None) -> Application:
    if xml_file:
        body = Path(xml_file).read_bytes()
        return _xml.from_tree(_xml.parse_document(body), Application)
    hints = typing.get_type_hints(Application)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Application):
        kinds = [k for k in typing.get_args(hints[field.name]) if k is not type(None)] or [
            hints[field.name]
        ]
        kind = kinds[0]
        if kind is CallbackCredentials:
            user = options.get(f"{field.name}_user_id")
            password = options.get(f"{field.name}_password")
            if user is not None or password is not None:
                values[field.name] = CallbackCredentials(
                    user_id=user or "", password=password or ""
                )
            continue
        value = options.get(field.name)
        if value in (None, ()):
            continue
        if dataclasses.is_dataclass(kind):
            (inner,) = dataclasses.fields(kind)
            inner_kind = typing.get_args(typing.get_type_hints(kind)[inner.name])[0]
            value = kind(**{inner.name: [inner_kind(v) for v in value]})  # type: ignore[operator]
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            value = next(k(value) for k in kinds if value in [m.value for m in k])
        values[field.name] = value
    return Application(**values)


def catapult_field_options(model: type) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """One option per field of a Catapult request model (its JSON names, as flags)."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        for field in reversed(attrs.fields(model)):
            if field.name == "additional_properties":
                continue
            annotation = str(field.type)
            if "bool" in annotation:
                flag = _option_name(field.name)
                function = click.option(f"{flag}/--no-{flag[2:]}", default=None, help=field.name)(
                    function
                )
            elif "int" in annotation:
                function = click.option(_option_name(field.name), type=int, help=field.name)(
                    function
                )
            else:
                function = click.option(_option_name(field.name), help=field.name)(function)
        return function

    return decorate


def catapult_model(model: Any, options: dict[str, Any], json_file: str | None) -> Any:
    if json_file:
        return model.from_dict(json.loads(Path(json_file).read_text()))
    values = {
        f.name: options[f.name] for f in attrs.fields(model) if options.get(f.name) is not None
    }
    if "name" in {f.name for f in attrs.fields(model) if f.default is attrs.NOTHING}:
        values.setdefault("name", None)
    return model(**{k: (UNSET if v is None else v) for k, v in values.items()})


# ---------------------------------------------------------------- commands ----


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def main(context: click.Context, as_json: bool) -> None:
    """Provision Bandwidth Applications on the Dashboard and Catapult APIs, or run the sandbox."""
    context.obj = {"json": as_json}


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port to listen on (0: any).",
)
@click.option(
    "--db", default="bandwidth-sandbox.db", show_default=True, help="SQLite file (or :memory:)."
)
@click.option(
    "--rate-limit",
    type=click.IntRange(min=1),
    default=None,
    help="Requests per second per account before a 429.",
)
@click.option(
    "--client-id", envvar="BW_CLIENT_ID", help="API client id it accepts [env BW_CLIENT_ID]."
)
@click.option(
    "--client-secret", envvar="BW_CLIENT_SECRET", help="Its secret [env BW_CLIENT_SECRET]."
)
@click.option(
    "--account-id",
    "account_ids",
    multiple=True,
    help="An account the client may use (repeat) [env BW_ACCOUNT_ID, comma-separated].",
)
@click.option(
    "--token-lifetime",
    type=click.IntRange(min=1),
    default=3600,
    show_default=True,
    help="Seconds an access token lives.",
)
@click.option(
    "--legacy-basic-auth",
    type=click.Choice(["auto", "on", "off"]),
    default="auto",
    show_default=True,
    help="Dashboard API users (HTTP Basic): auto = on until 2 December 2026.",
)
@click.option("--username", envvar="BANDWIDTH_USERNAME", help="Legacy Dashboard API user.")
@click.option("--password", envvar="BANDWIDTH_PASSWORD", help="Its password.")
@click.option("--api-token", envvar="CATAPULT_API_TOKEN", help="Catapult token it accepts.")
@click.option("--api-secret", envvar="CATAPULT_API_SECRET", help="Catapult secret it accepts.")
def sandbox(
    host: str,
    port: int,
    db: str,
    rate_limit: int | None,
    client_id: str | None,
    client_secret: str | None,
    account_ids: tuple[str, ...],
    token_lifetime: int,
    legacy_basic_auth: str,
    username: str | None,
    password: str | None,
    api_token: str | None,
    api_secret: str | None,
) -> None:
    """Serve a local Bandwidth (both APIs and the token endpoint) until interrupted."""
    from .sandbox import DEFAULTS, Sandbox, StoreError, logins_from_env

    given = {
        "BW_CLIENT_ID": client_id,
        "BW_CLIENT_SECRET": client_secret,
        "BW_ACCOUNT_ID": list(account_ids) or None,
        "BANDWIDTH_USERNAME": username,
        "BANDWIDTH_PASSWORD": password,
        "CATAPULT_API_TOKEN": api_token,
        "CATAPULT_API_SECRET": api_secret,
    }
    logins = logins_from_env(os.environ, **given)
    try:
        running = Sandbox(
            host=host,
            port=port,
            db=db,
            logins=logins,
            token_lifetime=token_lifetime,
            legacy_basic={"auto": None, "on": True, "off": False}[legacy_basic_auth],
            rate_limit=rate_limit,
        )
    except StoreError as error:
        _fail(error)
    except OSError as error:  # the port: in use, or not ours to take
        _fail(f"cannot listen on {host}:{port}: {error.strerror or error}")

    def shown(name: str, value: str, secret: bool = False) -> str:
        if given[name] is None and not os.environ.get(name):
            return f"{value} (default)" if not secret or value == DEFAULTS[name] else value
        return f"[from --flag or {name}]" if secret else value

    client = logins.clients[0]
    legacy = "on" if running.authority.legacy_basic_on else "off"
    click.echo(f"bandwidth-apps sandbox on {running.url} (storage: {db})")
    click.echo(
        f"  Dashboard: {running.url}/api (also /api/v2)  client id "
        f"{shown('BW_CLIENT_ID', client.client_id)}, secret "
        f"{shown('BW_CLIENT_SECRET', client.client_secret, True)}, accounts "
        f"{shown('BW_ACCOUNT_ID', ','.join(client.accounts) or 'all')}"
    )
    click.echo(
        f"    token endpoint {running.url}/api/v1/oauth2/token, tokens live {token_lifetime} s"
    )
    click.echo(
        f"    legacy API user (Basic, {legacy}): "
        f"{shown('BANDWIDTH_USERNAME', logins.dashboard_basic.username)}, password "
        f"{shown('BANDWIDTH_PASSWORD', logins.dashboard_basic.password, True)}"
    )
    click.echo(
        f"  Catapult:  {running.url}/v1  token "
        f"{shown('CATAPULT_API_TOKEN', logins.catapult.username)}, secret "
        f"{shown('CATAPULT_API_SECRET', logins.catapult.password, True)}"
    )
    click.echo(f"  export BW_API_URL={running.url} CATAPULT_URL={running.url}/v1")
    running.serve()


# ---- dashboard ----


def dashboard_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The Dashboard connection options, read as Bandwidth's `band` reads them."""
    options = [
        click.option(
            "--account-id",
            envvar=["BW_ACCOUNT_ID", "BANDWIDTH_ACCOUNT_ID"],
            help="[env BW_ACCOUNT_ID]",
        ),
        click.option("--client-id", envvar="BW_CLIENT_ID", help="[env BW_CLIENT_ID]"),
        click.option("--client-secret", envvar="BW_CLIENT_SECRET", help="[env BW_CLIENT_SECRET]"),
        click.option(
            "--environment",
            envvar="BW_ENVIRONMENT",
            type=click.Choice(["prod", "test", "uat"], case_sensitive=False),
            default="prod",
            show_default=True,
            help="API and token host [env BW_ENVIRONMENT].",
        ),
        click.option(
            "--api-url",
            envvar="BW_API_URL",
            help="API host, overriding the environment's, e.g. http://127.0.0.1:8080"
            " [env BW_API_URL].",
        ),
        click.option(
            "--base-url",
            envvar="BANDWIDTH_DASHBOARD_URL",
            help="Full API root, overriding --api-url [env BANDWIDTH_DASHBOARD_URL].",
        ),
        click.option(
            "--username",
            envvar="BANDWIDTH_USERNAME",
            help="Legacy API user (ends 2 December 2026) [env BANDWIDTH_USERNAME].",
        ),
        click.option("--password", envvar="BANDWIDTH_PASSWORD", help="[env BANDWIDTH_PASSWORD]"),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def dashboard_connector(
    context: click.Context, options: dict[str, Any]
) -> Callable[[], DashboardClient]:
    """Makes the client when a command needs it: client credentials first; the legacy Basic
    login only when no client credentials are given (with a warning)."""
    oauth = bool(options["client_id"] or options["client_secret"])
    flagged = {
        name: context.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
        for name in ("client_id", "client_secret", "username", "password")
    }
    if flagged["username"] and not (flagged["client_id"] or flagged["client_secret"]):
        oauth = False  # a login given on the command line beats one from the environment
    base_url = options["base_url"]
    if not base_url and options["api_url"]:
        base_url = options["api_url"].rstrip("/") + DASHBOARD_PATH

    def connect() -> DashboardClient:
        account_id = _given(options["account_id"], "--account-id", "BW_ACCOUNT_ID")
        common = {"environment": options["environment"].lower(), "base_url": base_url}
        if oauth or not (options["username"] or options["password"]):
            return DashboardClient(
                account_id,
                client_id=_given(options["client_id"], "--client-id", "BW_CLIENT_ID"),
                client_secret=_given(
                    options["client_secret"], "--client-secret", "BW_CLIENT_SECRET"
                ),
                **common,
            )
        click.echo(
            f"warning: legacy API users (username and password) end on {LEGACY_BASIC_ENDS};"
            " use an API credential (--client-id, --client-secret)",
            err=True,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LegacyAuthWarning)  # said once, above
            return DashboardClient(
                account_id,
                username=_given(options["username"], "--username", "BANDWIDTH_USERNAME"),
                password=_given(options["password"], "--password", "BANDWIDTH_PASSWORD"),
                **common,
            )

    return connect


@main.group()
@dashboard_options
@click.pass_context
def dashboard(context: click.Context, /, **options: Any) -> None:
    """Dashboard API (XML) applications."""
    context.obj["connect"] = dashboard_connector(context, options)


def _dashboard_out(
    context: click.Context, applications: Iterable[Any], single: bool = False
) -> None:
    items = [_dashboard_dict(a) for a in applications]
    _show(items, context.obj["json"], DASHBOARD_COLUMNS, single)


@dashboard.command("create")
@click.option(
    "--xml",
    "xml_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Read the Application from an XML file.",
)
@dashboard_field_options
@click.pass_context
def dashboard_create(context: click.Context, /, xml_file: str | None, **options: Any) -> None:
    """Create an application."""
    _guarded(
        lambda: _dashboard_out(
            context, [_client(context).create(dashboard_application(options, xml_file))], True
        )
    )


@dashboard.command("list")
@click.pass_context
def dashboard_list(context: click.Context) -> None:
    """List the account's applications."""
    _guarded(lambda: _dashboard_out(context, _client(context).list()))


@dashboard.command("get")
@click.argument("application_id")
@click.pass_context
def dashboard_get(context: click.Context, application_id: str) -> None:
    """Show one application."""
    _guarded(lambda: _dashboard_out(context, [_client(context).get(application_id)], True))


@dashboard.command("update")
@click.argument("application_id")
@click.option(
    "--xml",
    "xml_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Read the Application from an XML file.",
)
@dashboard_field_options
@click.pass_context
def dashboard_update(
    context: click.Context, /, application_id: str, xml_file: str | None, **options: Any
) -> None:
    """Replace an application (PUT): fields not given are removed."""
    app = dashboard_application(options, xml_file)
    _guarded(lambda: _dashboard_out(context, [_client(context).update(application_id, app)], True))


@dashboard.command("patch")
@click.argument("application_id")
@click.option(
    "--xml",
    "xml_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Read the Application from an XML file.",
)
@dashboard_field_options
@click.pass_context
def dashboard_patch(
    context: click.Context, /, application_id: str, xml_file: str | None, **options: Any
) -> None:
    """Change only the given fields (PATCH); --call-status-callback-url remove removes that URL."""
    app = dashboard_application(options, xml_file)
    _guarded(lambda: _dashboard_out(context, [_client(context).patch(application_id, app)], True))


@dashboard.command("delete")
@click.argument("application_id")
@click.pass_context
def dashboard_delete(context: click.Context, application_id: str) -> None:
    """Delete an application."""
    _guarded(
        lambda: _then_say(_client(context).delete(application_id), f"deleted {application_id}")
    )


@dashboard.command("sip-peers")
@click.argument("application_id")
@click.pass_context
def dashboard_sip_peers(context: click.Context, application_id: str) -> None:
    """List the Locations (sip peers) that use an application."""

    def run() -> None:
        peers = [_dashboard_dict(p) for p in _client(context).associated_sip_peers(application_id)]
        _show(peers, context.obj["json"], ("SiteId", "SiteName", "PeerId", "PeerName"), False)

    _guarded(run)


# ---- catapult ----


@main.group()
@click.option("--user-id", envvar="CATAPULT_USER_ID", help="[env CATAPULT_USER_ID]")
@click.option("--api-token", envvar="CATAPULT_API_TOKEN", help="[env CATAPULT_API_TOKEN]")
@click.option("--api-secret", envvar="CATAPULT_API_SECRET", help="[env CATAPULT_API_SECRET]")
@click.option(
    "--base-url",
    envvar="CATAPULT_URL",
    default=CATAPULT_BASE_URL,
    show_default=True,
    help="[env CATAPULT_URL]",
)
@click.pass_context
def catapult(
    context: click.Context,
    user_id: str | None,
    api_token: str | None,
    api_secret: str | None,
    base_url: str,
) -> None:
    """Catapult v1 API (JSON) applications."""
    context.obj["connect"] = lambda: CatapultClient(
        _given(user_id, "--user-id", "CATAPULT_USER_ID"),
        _given(api_token, "--api-token", "CATAPULT_API_TOKEN"),
        _given(api_secret, "--api-secret", "CATAPULT_API_SECRET"),
        base_url=base_url,
    )


def _catapult_out(
    context: click.Context, applications: Iterable[Any], single: bool = False
) -> None:
    _show([_catapult_dict(a) for a in applications], context.obj["json"], CATAPULT_COLUMNS, single)


@catapult.command("create")
@click.option(
    "--from-json",
    "json_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Read the body from a JSON file.",
)
@catapult_field_options(ApplicationCreate)
@click.pass_context
def catapult_create(context: click.Context, /, json_file: str | None, **options: Any) -> None:
    """Create an application."""
    model = catapult_model(ApplicationCreate, options, json_file)
    _guarded(lambda: _catapult_out(context, [_client(context).create(model)], True))


@catapult.command("list")
@click.option(
    "--page-size", default=25, show_default=True, help="Applications per request (1 to 1000)."
)
@click.pass_context
def catapult_list(context: click.Context, page_size: int) -> None:
    """List every application (all pages)."""
    _guarded(lambda: _catapult_out(context, _client(context).list(page_size=page_size)))


@catapult.command("get")
@click.argument("application_id")
@click.pass_context
def catapult_get(context: click.Context, application_id: str) -> None:
    """Show one application."""
    _guarded(lambda: _catapult_out(context, [_client(context).get(application_id)], True))


@catapult.command("update")
@click.argument("application_id")
@click.option(
    "--from-json",
    "json_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Read the changes from a JSON file.",
)
@catapult_field_options(ApplicationUpdate)
@click.pass_context
def catapult_update(
    context: click.Context, /, application_id: str, json_file: str | None, **options: Any
) -> None:
    """Change only the given fields."""
    model = catapult_model(ApplicationUpdate, options, json_file)
    _guarded(
        lambda: _then_say(
            _client(context).update(application_id, model), f"updated {application_id}"
        )
    )


@catapult.command("delete")
@click.argument("application_id")
@click.pass_context
def catapult_delete(context: click.Context, application_id: str) -> None:
    """Delete an application."""
    _guarded(
        lambda: _then_say(_client(context).delete(application_id), f"deleted {application_id}")
    )


# ---- migrate ----


@main.command()
@click.argument("catapult_application_id")
@click.option("--dry-run", is_flag=True, help="Print the XML that would be sent; send nothing.")
@click.option("--user-id", envvar="CATAPULT_USER_ID", help="[env CATAPULT_USER_ID]")
@click.option("--api-token", envvar="CATAPULT_API_TOKEN", help="[env CATAPULT_API_TOKEN]")
@click.option("--api-secret", envvar="CATAPULT_API_SECRET", help="[env CATAPULT_API_SECRET]")
@click.option("--catapult-url", envvar="CATAPULT_URL", default=CATAPULT_BASE_URL, show_default=True)
@dashboard_options
@click.pass_context
def migrate(
    context: click.Context,
    /,
    catapult_application_id: str,
    dry_run: bool,
    user_id: str,
    api_token: str,
    api_secret: str,
    catapult_url: str,
    **options: Any,
) -> None:
    """Recreate a Catapult application as Dashboard Messaging-V2 / Voice-V2 applications."""
    connect = dashboard_connector(context, options)

    def run() -> None:
        with CatapultClient(user_id, api_token, api_secret, base_url=catapult_url) as source:
            plan = plan_migration(source.get(catapult_application_id))
        for note in plan.notes:
            click.echo(f"note: {note}")
        if dry_run:
            for application in plan.applications:
                click.echo(encode_application(application, "create").decode())
            return
        with connect() as target:
            created = [target.create(application) for application in plan.applications]
        _dashboard_out(context, created)

    _guarded(run)
