"""The sandbox as one ASGI application serving both APIs under their real paths."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Literal

from bandwidth_apps_dashboard import ErrorResponse, ResponseStatus
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .._auth import TOKEN_PATH
from ._auth import Authority, Credentials
from ._catapult_api import CatapultApi, json_error
from ._dashboard_api import DashboardApi, xml_response
from ._store import Store

Platform = Literal["dashboard", "catapult"]
Handler = Callable[[Request], Awaitable[Response]]
logger = logging.getLogger("bandwidth_apps.sandbox")

DASHBOARD_PREFIXES = ("/api", "/api/v2", "/api/v1", "/v1.0")  # /api/v2: as `band` calls it
CATAPULT_PREFIX = "/v1"


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
    authority: Authority,
    catapult: Credentials,
    rate_limit: int | None = None,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """The sandbox ASGI application.

    Args:
        store: where applications live.
        authority: the token endpoint and the Dashboard's authentication (Bearer tokens scoped
            to accounts; legacy Basic while switched on).
        catapult: the Catapult API token and secret it accepts.
        rate_limit: requests per second per account / user before a 429 (None: no limit).
        clock: the time source for rate limiting (tests use a fake one).
    """
    limiter = RateLimiter(rate_limit, clock) if rate_limit else None
    dashboard_api, catapult_api = DashboardApi(store), CatapultApi(store)

    def refusal(platform: Platform, request: Request) -> Response | None:
        if platform == "dashboard":
            return authority.refusal(request, request.path_params["accountId"])
        if catapult.match(request.headers.get("authorization")):
            return None
        response = json_error(401, "unauthorized", "unauthorized", "Invalid credentials")
        response.headers["WWW-Authenticate"] = 'Basic realm="bandwidth-apps sandbox"'
        return response

    def guarded(platform: Platform, handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            if refused := refusal(platform, request):
                return refused
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
    routes.append(Route(TOKEN_PATH, authority.token_endpoint, methods=["POST"]))
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
