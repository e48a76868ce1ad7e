"""`bandwidth-apps sandbox`: a local Bandwidth, in the foreground."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from .._auth import TOKEN_PATH
from ._failures import fail


def default_db() -> str:
    import platformdirs

    return str(Path(platformdirs.user_data_dir("bandwidth-apps")) / "sandbox.db")


def build() -> click.Command:
    """`sandbox`, made each time it is run (see _Group.get_command)."""

    @click.command()
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
    @click.option(
        "--port",
        type=click.IntRange(0, 65535),
        default=8080,
        show_default=True,
        help="Port to listen on (0: any free one; the one taken is printed).",
    )
    @click.option("--db", help="SQLite file [default: sandbox.db in the user data folder].")
    @click.option("--memory", is_flag=True, help="Keep nothing: an in-memory database.")
    @click.option(
        "--rate-limit",
        type=click.IntRange(min=1),
        default=None,
        help="Requests per second per account before a 429.",
    )
    @click.option(
        "--client-id", envvar="BW_CLIENT_ID", help="Client id it accepts [env BW_CLIENT_ID]."
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
    @click.option(
        "--admin-token",
        envvar="BANDWIDTH_SANDBOX_ADMIN_TOKEN",
        help="Credential of the /_sandbox endpoints [env BANDWIDTH_SANDBOX_ADMIN_TOKEN].",
    )
    @click.option(
        "--log-level",
        type=click.Choice(["warning", "info", "debug"]),
        default="info",
        show_default=True,
        help="info: one line a request (method, path, status, ms).",
    )
    def sandbox(
        host: str,
        port: int,
        db: str | None,
        memory: bool,
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
        admin_token: str | None,
        log_level: str,
    ) -> None:
        """Serve a local Bandwidth (both APIs and the token endpoint) until interrupted."""
        from ..sandbox import DEFAULTS, Sandbox, StoreError, logins_from_env

        if memory and db:
            raise click.UsageError("--memory and --db: choose one")
        database = ":memory:" if memory else db or default_db()
        if database != ":memory:" and not db:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
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
        admin = admin_token or DEFAULTS["BANDWIDTH_SANDBOX_ADMIN_TOKEN"]
        given["BANDWIDTH_SANDBOX_ADMIN_TOKEN"] = admin_token  # shown like the other secrets
        try:
            running = Sandbox(
                host=host,
                port=port,
                db=database,
                logins=logins,
                token_lifetime=token_lifetime,
                legacy_basic={"auto": None, "on": True, "off": False}[legacy_basic_auth],
                rate_limit=rate_limit,
                admin_token=admin,
            )
        except StoreError as error:
            fail(error)
        except OSError as error:  # the port: in use, or not ours to take
            fail(f"cannot listen on {host}:{port}: {error.strerror or error}")
        access = logging.getLogger("bandwidth_apps.sandbox.access")
        access.setLevel(logging.INFO if log_level != "warning" else logging.WARNING)
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        access.addHandler(handler)
        # A request that failed inside the sandbox (answered 500) is logged with its traceback:
        # the CLI's own handler on "bandwidth_apps" shows only retries, so without this it is lost.
        failures = logging.StreamHandler(sys.stderr)
        failures.setLevel(logging.WARNING)
        failures.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logging.getLogger("bandwidth_apps.sandbox").addHandler(failures)

        def shown(name: str, value: str, secret: bool = False) -> str:
            if given.get(name) is None and not os.environ.get(name):
                return f"{value} (default)" if not secret or value == DEFAULTS[name] else value
            return f"[from --flag or {name}]" if secret else value

        client = logins.clients[0]
        legacy = "on" if running.authority.legacy_basic_on else "off"
        lines = [
            f"bandwidth-apps sandbox on {running.url} (storage: {database})",
            f"  Dashboard: {running.url}/api (also /api/v2)"
            f"  client id {shown('BW_CLIENT_ID', client.client_id)},"
            f" secret {shown('BW_CLIENT_SECRET', client.client_secret, True)},"
            f" accounts {shown('BW_ACCOUNT_ID', ','.join(client.accounts) or 'all')}",
            f"    token endpoint {running.url}{TOKEN_PATH}, tokens live {token_lifetime} s",
            f"    legacy API user (Basic, {legacy}):"
            f" {shown('BANDWIDTH_USERNAME', logins.dashboard_basic.username)},"
            f" password {shown('BANDWIDTH_PASSWORD', logins.dashboard_basic.password, True)}",
            f"  Catapult:  {running.url}/v1"
            f"  token {shown('CATAPULT_API_TOKEN', logins.catapult.username)},"
            f" secret {shown('CATAPULT_API_SECRET', logins.catapult.password, True)}",
            f"  admin:     {running.url}/_sandbox"
            f"  token {shown('BANDWIDTH_SANDBOX_ADMIN_TOKEN', admin, True)}",
            f"  export BW_API_URL={running.url} CATAPULT_URL={running.url}/v1",
        ]
        for line in lines:
            click.echo(line)
        sys.stdout.flush()
        running.serve()

    return sandbox
