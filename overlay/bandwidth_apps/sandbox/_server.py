"""Run the sandbox with uvicorn: in the foreground (the CLI) or on a thread (tests, the demo)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

import uvicorn

from ._app import Credentials, create_app
from ._store import Store

# The same variables the CLI reads; these defaults are printed when the sandbox starts.
DEFAULTS = {
    "BANDWIDTH_USERNAME": "sandbox-user",
    "BANDWIDTH_PASSWORD": "sandbox-password",
    "CATAPULT_API_TOKEN": "t-sandbox",
    "CATAPULT_API_SECRET": "sandbox-secret",
}


def credentials_from_env() -> tuple[Credentials, Credentials]:
    def get(name: str) -> str:
        return os.environ.get(name) or DEFAULTS[name]

    return (
        Credentials(get("BANDWIDTH_USERNAME"), get("BANDWIDTH_PASSWORD")),
        Credentials(get("CATAPULT_API_TOKEN"), get("CATAPULT_API_SECRET")),
    )


class Sandbox:
    """A sandbox on 127.0.0.1, served by uvicorn on a background thread.

    with Sandbox() as sandbox:
        client = DashboardClient("1", *sandbox.dashboard_login, base_url=sandbox.dashboard_url)
    """

    def __init__(
        self,
        *,
        port: int = 0,
        db: str = ":memory:",
        dashboard: Credentials | None = None,
        catapult: Credentials | None = None,
        rate_limit: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        from_env = credentials_from_env()
        self.dashboard = dashboard or from_env[0]
        self.catapult = catapult or from_env[1]
        self.store = Store(db)
        self.app = create_app(
            self.store,
            dashboard=self.dashboard,
            catapult=self.catapult,
            rate_limit=rate_limit,
            clock=clock,
        )
        # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose proto
        # says TCP, and with Nagle on every answer waits ~40 ms for a delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))
        self.port = self._socket.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def dashboard_url(self) -> str:
        return f"{self.url}/api"

    @property
    def catapult_url(self) -> str:
        return f"{self.url}/v1"

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
