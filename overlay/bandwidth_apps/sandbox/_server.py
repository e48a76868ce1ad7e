"""Run the sandbox with uvicorn on a thread (tests, the demo); its credentials and clock."""

from __future__ import annotations

import datetime
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType

import uvicorn

from ._app import create_app
from ._auth import Authority, ClientCredential, Credentials
from ._store import Store

# The same variables the CLI (and Bandwidth's `band`) reads; these defaults are printed when the
# sandbox starts. BW_ACCOUNT_ID lists the accounts the client credential may use (comma-separated).
DEFAULTS = {
    "BW_CLIENT_ID": "sandbox-client",
    "BW_CLIENT_SECRET": "sandbox-client-secret",
    "BW_ACCOUNT_ID": "9900001",
    "BANDWIDTH_USERNAME": "sandbox-user",
    "BANDWIDTH_PASSWORD": "sandbox-password",
    "CATAPULT_API_TOKEN": "t-sandbox",
    "CATAPULT_API_SECRET": "sandbox-secret",
    "BANDWIDTH_SANDBOX_ADMIN_TOKEN": "sandbox-admin-token",
}


@dataclass(frozen=True)
class Logins:
    """Every credential a sandbox accepts."""

    clients: tuple[ClientCredential, ...]
    dashboard_basic: Credentials
    catapult: Credentials


def logins_from_env(
    environ: Mapping[str, str] = os.environ, **given: str | Sequence[str] | None
) -> Logins:
    """The sandbox's credentials: `given` (flag values, by variable name) over the environment
    over DEFAULTS."""

    def get(name: str) -> str:
        value = given.get(name)
        if isinstance(value, str) and value:
            return value
        return environ.get(name) or DEFAULTS[name]

    accounts = given.get("BW_ACCOUNT_ID")
    if not accounts:
        accounts = get("BW_ACCOUNT_ID").split(",")
    elif isinstance(accounts, str):
        accounts = accounts.split(",")
    return Logins(
        clients=(
            ClientCredential(
                get("BW_CLIENT_ID"),
                get("BW_CLIENT_SECRET"),
                tuple(a.strip() for a in accounts if a.strip()),
            ),
        ),
        dashboard_basic=Credentials(get("BANDWIDTH_USERNAME"), get("BANDWIDTH_PASSWORD")),
        catapult=Credentials(get("CATAPULT_API_TOKEN"), get("CATAPULT_API_SECRET")),
    )


class SandboxClock:
    """The sandbox's wall clock: real time, moved by an offset (tests and the demo travel in
    time, say past the end of legacy API users)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def travel_to(self, moment: datetime.datetime) -> None:
        self.offset = moment.timestamp() - time.time()


class Sandbox:
    """A sandbox on 127.0.0.1, served by uvicorn on a background thread.

        with Sandbox() as sandbox:
            url = sandbox.dashboard_url
            with DashboardClient("9900001", **sandbox.client_login, base_url=url) as client:
                client.list()

    Args:
        host: the address to listen on.
        port: 0 for any free port.
        db: the SQLite file, or `:memory:`.
        logins: the credentials it accepts; by default from the environment or DEFAULTS.
        token_lifetime: seconds an access token lives.
        legacy_basic: force the Dashboard's legacy Basic login on or off; None: on until
            2 December 2026 in the sandbox's clock.
        rate_limit: requests per second per account / user before a 429.
        clock: the sandbox's clock (token expiry, legacy switch, rate limits); a SandboxClock
            by default, which `travel_to` moves.
        admin_token: serve the /_sandbox endpoints, behind this credential (None: not served).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        db: str = ":memory:",
        logins: Logins | None = None,
        token_lifetime: int = 3600,
        legacy_basic: bool | None = None,
        rate_limit: int | None = None,
        clock: Callable[[], float] | None = None,
        admin_token: str | None = None,
    ) -> None:
        # The port first: a port in use must not leave a database file behind.
        # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose proto
        # says TCP, and with Nagle on every answer waits ~40 ms for a delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._socket.bind((host, port))
        except OSError:
            self._socket.close()
            raise
        try:
            # Listening from here on: whoever reads the URL (the CLI prints it before serving)
            # can connect at once; connections wait in the backlog until the server accepts.
            self._socket.listen(2048)  # uvicorn's own default backlog
            self.host = host
            self.port = self._socket.getsockname()[1]
            self.logins = logins or logins_from_env()
            self.clock = clock or SandboxClock()
            self.store = Store(db)
            self.authority = Authority(
                self.logins.clients,
                self.logins.dashboard_basic,
                lifetime=token_lifetime,
                legacy_basic=legacy_basic,
                clock=self.clock,
            )
            self.app = create_app(
                self.store,
                authority=self.authority,
                catapult=self.logins.catapult,
                rate_limit=rate_limit,
                clock=self.clock,
                admin_token=admin_token,
            )
            # h11, not httptools (faster): httptools drops the body of a request that offers an
            # HTTP/2 upgrade (`Upgrade: h2c`, as Java's HttpClient and `curl --http2` send), and
            # the token request then arrives empty. uvloop, when installed, is picked up all the
            # same.
            config = uvicorn.Config(
                self.app, log_level="warning", lifespan="off", access_log=False, http="h11"
            )
            self._server = uvicorn.Server(config)
            self._thread = threading.Thread(
                target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
            )
        except BaseException:  # a bad setting (a lifetime, a rate) leaves nothing open
            self._socket.close()
            if hasattr(self, "store"):
                self.store.close()
            raise

    @property
    def client_login(self) -> dict[str, str]:
        """client_id and client_secret of the first client credential, as keyword arguments."""
        client = self.logins.clients[0]
        return {"client_id": client.client_id, "client_secret": client.client_secret}

    @property
    def dashboard(self) -> Credentials:
        """The Dashboard's legacy API user (HTTP Basic)."""
        return self.logins.dashboard_basic

    @property
    def catapult(self) -> Credentials:
        return self.logins.catapult

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def dashboard_url(self) -> str:
        return f"{self.url}/api"

    @property
    def catapult_url(self) -> str:
        return f"{self.url}/v1"

    def serve(self) -> None:
        """Serve in the foreground until interrupted (the CLI)."""
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self._socket.close()
            self.store.close()

    def start(self) -> Sandbox:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
        self.store.close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
