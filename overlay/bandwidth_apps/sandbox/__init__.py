"""A faithful local Bandwidth: both Applications APIs, the OAuth 2.0 token endpoint, the same
specs and rules as the client, and SQLite storage. `bandwidth-apps sandbox` serves it on
127.0.0.1; tests and the demo start one in-process with `Sandbox()`, or mount `create_app(...)`
on an httpx ASGI transport."""

from ._app import DASHBOARD_PREFIXES, RateLimiter, create_app
from ._auth import DECOMMISSIONED_AT, Authority, ClientCredential, Credentials
from ._server import DEFAULTS, Logins, Sandbox, SandboxClock, logins_from_env
from ._store import Store, StoreError

__all__ = [
    "DASHBOARD_PREFIXES",
    "DECOMMISSIONED_AT",
    "DEFAULTS",
    "Authority",
    "ClientCredential",
    "Credentials",
    "Logins",
    "RateLimiter",
    "Sandbox",
    "SandboxClock",
    "Store",
    "StoreError",
    "create_app",
    "logins_from_env",
]
