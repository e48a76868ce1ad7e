"""A faithful local Bandwidth: both Applications APIs, the same specs and rules as the client,
and SQLite storage. `bandwidth-apps sandbox` serves it on 127.0.0.1; tests and the demo start
one in-process with `Sandbox()`, or mount `create_app(...)` on an httpx ASGI transport."""

from ._app import DASHBOARD_PREFIXES, Credentials, RateLimiter, create_app
from ._server import DEFAULTS, Sandbox, credentials_from_env
from ._store import Store

__all__ = [
    "DASHBOARD_PREFIXES",
    "DEFAULTS",
    "Credentials",
    "RateLimiter",
    "Sandbox",
    "Store",
    "create_app",
    "credentials_from_env",
]
