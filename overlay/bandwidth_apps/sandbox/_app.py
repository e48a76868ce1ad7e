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
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._auth import TOKEN_PATH
from .._specs import catapult_document, dashboard_path_parameter, whole
from ._admin import admin_routes, description_route
from ._auth import Authority, Credentials
from ._catapult_api import CatapultApi, json_error
from ._catapult_api import not_found as catapult_not_found
from ._dashboard_api import DashboardApi, xml_response
from ._dashboard_api import not_found as dashboard_not_found
from ._store import Store

Platform = Literal["dashboard", "catapult"]
Handler = Callable[[Request], Awaitable[Response]]
logger = logging.getLogger("bandwidth_apps.sandbox")

DASHBOARD_PREFIXES = ("/api", "/api/v2", "/api/v1", "/v1.0")  # /api/v2: as `band` calls it
CATAPULT_PREFIX = "/v1"
BODY_LIMIT = 64 * 1024  # an application is under 4 KB; no request needs more than this
DASHBOARD_ACCOUNT = dashboard_path_parameter("accountId")
DASHBOARD_APPLICATION = dashboard_path_parameter("applicationId")
_CATAPULT = catapult_document()["components"]
CATAPULT_USER = whole(_CATAPULT["parameters"]["userId"]["schema"]["pattern"])
CATAPULT_APPLICATION = whole(_CATAPULT["schemas"]["ApplicationId"]["pattern"])


class RateLimiter:
    """At most `per_second` requests per tenant and second, as each platform limits them.

    Only the current second's counts are kept: the table holds the tenants seen this second,
    never every tenant ever seen."""

    def __init__(self, per_second: int, clock: Callable[[], float] = time.time) -> None:
        if per_second < 1:
            raise ValueError("a rate limit is at least one request a second")
        self.per_second = per_second
        self.clock = clock
        self._second: int | None = None
        self._counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def check(self, key: tuple[str, str]) -> float | None:
        """None if the request may go on, else when the limit resets (epoch seconds)."""
        second = math.floor(self.clock())
        with self._lock:
            if second != self._second:
                self._second, self._counts = second, {}
            count = self._counts.get(key, 0)
            if count >= self.per_second:
                return float(second + 1)
            self._counts[key] = count + 1
        return None

    def __len__(self) -> int:
        return len(self._counts)


access_logger = logging.getLogger("bandwidth_apps.sandbox.access")


class AccessLog:
    """One line a request: method, path, status, milliseconds. Never a body, a header or a
    query string (which could carry anything)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not access_logger.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            access_logger.info(
                "%s %s %d %.1f ms",
                scope["method"],
                scope["path"].encode("unicode_escape").decode("ascii"),
                status,
                (time.perf_counter() - started) * 1000,
            )


class BodyLimit:
    """ASGI middleware: a request body longer than `limit` bytes is answered 413 before more of
    it is read (by its Content-Length, or as it arrives); shorter ones reach the app whole."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body, delivered = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        description = f"The request body is longer than {self.limit} bytes"
        if str(scope["path"]).startswith(f"{CATAPULT_PREFIX}/users/"):
            response = json_error(413, "bad-request", "request-too-large", description)
        else:
            response = _dashboard_error(413, description)
        response.headers["Connection"] = "close"  # the rest of the body is never read
        await response(scope, receive, send)


def _dashboard_error(
    status: int, description: str, headers: dict[str, str] | None = None
) -> Response:
    return xml_response(
        ErrorResponse(response_status=ResponseStatus(description=description)), status, headers
    )


class _Gate:
    """What every API route does before its handler: authentication, ids outside the spec's
    patterns, the rate limit, and no traceback on the wire. Methods rather than closures: each
    is then its own function to tools that follow calls (mutmut attributes tests to them)."""

    def __init__(
        self, authority: Authority, catapult: Credentials, limiter: RateLimiter | None
    ) -> None:
        self.authority = authority
        self.catapult = catapult
        self.limiter = limiter

    def refusal(self, platform: Platform, request: Request) -> Response | None:
        if platform == "dashboard":
            return self.authority.refusal(request, request.path_params["accountId"])
        if self.catapult.match(request.headers.get("authorization")):
            return None
        response = json_error(401, "unauthorized", "unauthorized", "Invalid credentials")
        response.headers["WWW-Authenticate"] = 'Basic realm="bandwidth-apps sandbox"'
        return response

    @staticmethod
    def unknown(platform: Platform, request: Request) -> Response | None:
        """404 for a path id outside the spec's pattern: it names nothing, and is not echoed
        raw (a control character cannot even be written in an XML answer)."""
        params = request.path_params
        if platform == "dashboard":
            if not DASHBOARD_ACCOUNT.fullmatch(params["accountId"]):
                return _dashboard_error(404, "No such account")
            application_id = params.get("applicationId")
            if application_id is not None and not DASHBOARD_APPLICATION.fullmatch(application_id):
                return dashboard_not_found(application_id)
            return None
        if not CATAPULT_USER.fullmatch(params["userId"]):
            return json_error(404, "not-found", "user-not-found", "No such user")
        application_id = params.get("applicationId")
        if application_id is not None and not CATAPULT_APPLICATION.fullmatch(application_id):
            return catapult_not_found(application_id)
        return None

    def rate_limited(self, platform: Platform, request: Request) -> Response | None:
        tenant = request.path_params.get("accountId") or request.path_params.get("userId", "")
        reset_at = None if self.limiter is None else self.limiter.check((platform, tenant))
        if reset_at is None:
            return None
        if platform == "dashboard":  # empty body, reset in epoch seconds
            return Response(status_code=429, headers={"X-RateLimit-Reset": str(int(reset_at))})
        response = json_error(429, "too-many-requests", "rate-limit-reached", None)
        response.headers["X-RateLimit-Reset"] = str(int(reset_at * 1000))
        return response

    async def handle(self, platform: Platform, handler: Handler, request: Request) -> Response:
        if refused := (
            self.refusal(platform, request)
            or self.unknown(platform, request)
            or self.rate_limited(platform, request)
        ):
            return refused
        try:
            return await handler(request)
        except Exception:  # never a traceback on the wire
            logger.exception("sandbox: %s %s failed", request.method, request.url.path)
            if platform == "dashboard":
                return _dashboard_error(500, "Internal error")
            return json_error(500, "internal-server-error", "internal-error", "Internal error")

    def resource(self, path: str, platform: Platform, handlers: dict[str, Handler]) -> Route:
        """One route per path, so that a 405 lists every method the path allows."""

        async def dispatch(request: Request) -> Response:
            method = "GET" if request.method == "HEAD" else request.method
            return await self.handle(platform, handlers[method], request)

        return Route(path, dispatch, methods=list(handlers))


def create_app(
    store: Store,
    *,
    authority: Authority,
    catapult: Credentials,
    rate_limit: int | None = None,
    clock: Callable[[], float] = time.time,
    body_limit: int = BODY_LIMIT,
    admin_token: str | None = None,
) -> Starlette:
    """The sandbox ASGI application.

    Args:
        store: where applications live.
        authority: the token endpoint and the Dashboard's authentication (Bearer tokens scoped
            to accounts; legacy Basic while switched on).
        catapult: the Catapult API token and secret it accepts.
        rate_limit: requests per second per account / user before a 429 (None: no limit).
        clock: the time source for rate limiting (tests use a fake one).
        body_limit: the longest request body taken, in bytes (413 beyond).
        admin_token: the credential of the /_sandbox endpoints (None: they are not served).
    """
    gate = _Gate(authority, catapult, RateLimiter(rate_limit, clock) if rate_limit else None)
    dashboard_api, catapult_api = DashboardApi(store), CatapultApi(store)
    resource = gate.resource

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
    routes.append(description_route(DASHBOARD_PREFIXES, TOKEN_PATH))
    if admin_token:
        routes += admin_routes(store, authority, admin_token, clock)
    middleware = [Middleware(AccessLog), Middleware(BodyLimit, limit=body_limit)]
    return Starlette(routes=routes, middleware=middleware)
