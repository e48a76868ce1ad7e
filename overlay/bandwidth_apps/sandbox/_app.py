"""The sandbox as one ASGI application serving both APIs under their real paths."""

from __future__ import annotations

import base64
import binascii
import logging
import math
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from bandwidth_apps_dashboard import ErrorResponse, ResponseStatus
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ._catapult_api import CatapultApi, json_error
from ._dashboard_api import DashboardApi, xml_response
from ._store import Store

Platform = Literal["dashboard", "catapult"]
Handler = Callable[[Request], Awaitable[Response]]
logger = logging.getLogger("bandwidth_apps.sandbox")

DASHBOARD_PREFIXES = ("/api", "/api/v1", "/v1.0")
CATAPULT_PREFIX = "/v1"


@dataclass(frozen=True)
class Credentials:
    """Basic-auth credentials the sandbox accepts (user name, password)."""

    username: str
    password: str

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password='[secure]')"

    def match(self, header: str | None) -> bool:
        if not header or not header.lower().startswith("basic "):
            return False
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return False
        username, _, password = decoded.partition(":")
        return secrets.compare_digest(
            username.encode(), self.username.encode()
        ) & secrets.compare_digest(password.encode(), self.password.encode())


class RateLimiter:
    """At most `per_second` requests per tenant and second, as each platform limits them."""

    def __init__(self, per_second: int, clock: Callable[[], float] = time.time) -> None:
        self.per_second = per_second
        self.clock = clock
        self._windows: dict[tuple[str, str], tuple[int, int]] = {}
        self._lock = threading.Lock()

    def check(self, key: tuple[str, str]) -> float | None:
        """None if the request may go on, else when the limit resets (epoch seconds)."""
        now = self.clock()
        second = math.floor(now)
        with self._lock:
            window, count = self._windows.get(key, (second, 0))
            if window != second:
                window, count = second, 0
            if count >= self.per_second:
                return float(second + 1)
            self._windows[key] = (window, count + 1)
        return None


def _dashboard_error(
    status: int, description: str, headers: dict[str, str] | None = None
) -> Response:
    return xml_response(
        ErrorResponse(response_status=ResponseStatus(description=description)), status, headers
    )


def create_app(
    store: Store,
    *,
    dashboard: Credentials,
    catapult: Credentials,
    rate_limit: int | None = None,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """The sandbox ASGI application.

    Args:
        store: where applications live.
        dashboard: the Dashboard API user name and password it accepts.
        catapult: the Catapult API token and secret it accepts.
        rate_limit: requests per second per account / user before a 429 (None: no limit).
        clock: the time source for rate limiting (tests use a fake one).
    """
    limiter = RateLimiter(rate_limit, clock) if rate_limit else None
    dashboard_api, catapult_api = DashboardApi(store), CatapultApi(store)

    def guarded(platform: Platform, handler: Handler) -> Handler:
        expected = dashboard if platform == "dashboard" else catapult

        async def endpoint(request: Request) -> Response:
            if not expected.match(request.headers.get("authorization")):
                challenge = {"WWW-Authenticate": 'Basic realm="bandwidth-apps sandbox"'}
                if platform == "dashboard":
                    return _dashboard_error(401, "Access is denied", challenge)
                response = json_error(401, "unauthorized", "unauthorized", "Invalid credentials")
                response.headers.update(challenge)
                return response
            tenant = request.path_params.get("accountId") or request.path_params.get("userId", "")
            reset_at = limiter.check((platform, tenant)) if limiter else None
            if reset_at is not None:
                if platform == "dashboard":  # empty body, reset in epoch seconds
                    return Response(
                        status_code=429, headers={"X-RateLimit-Reset": str(int(reset_at))}
                    )
                response = json_error(429, "too-many-requests", "rate-limit-reached", None)
                response.headers["X-RateLimit-Reset"] = str(int(reset_at * 1000))
                return response
            try:
                return await handler(request)
            except Exception:  # never a traceback on the wire
                logger.exception("sandbox: %s %s failed", request.method, request.url.path)
                if platform == "dashboard":
                    return _dashboard_error(500, "Internal error")
                return json_error(500, "internal-server-error", "internal-error", "Internal error")

        return endpoint

    def resource(path: str, platform: Platform, handlers: dict[str, Handler]) -> Route:
        """One route per path, so that a 405 lists every method the path allows."""
        guarded_handlers = {method: guarded(platform, h) for method, h in handlers.items()}

        async def dispatch(request: Request) -> Response:
            method = "GET" if request.method == "HEAD" else request.method
            return await guarded_handlers[method](request)

        return Route(path, dispatch, methods=list(handlers))

    routes = []
    for prefix in DASHBOARD_PREFIXES:
        collection = f"{prefix}/accounts/{{accountId}}/applications"
        item = f"{collection}/{{applicationId}}"
        routes += [
            resource(
                collection, "dashboard", {"GET": dashboard_api.list, "POST": dashboard_api.create}
            ),
            resource(
                item,
                "dashboard",
                {
                    "GET": dashboard_api.get,
                    "PUT": dashboard_api.replace,
                    "PATCH": dashboard_api.patch,
                    "DELETE": dashboard_api.delete,
                },
            ),
            resource(
                f"{item}/associatedsippeers",
                "dashboard",
                {"GET": dashboard_api.associated_sip_peers},
            ),
        ]
    collection = f"{CATAPULT_PREFIX}/users/{{userId}}/applications"
    item = f"{collection}/{{applicationId}}"
    routes += [
        resource(collection, "catapult", {"GET": catapult_api.list, "POST": catapult_api.create}),
        resource(
            item,
            "catapult",
            {"GET": catapult_api.get, "POST": catapult_api.update, "DELETE": catapult_api.delete},
        ),
    ]
    return Starlette(routes=routes)
