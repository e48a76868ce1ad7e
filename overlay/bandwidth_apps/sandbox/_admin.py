"""The sandbox's own endpoints, for tests and demos, under /_sandbox and behind their own
credential (`Authorization: Bearer <admin token>`), never an API credential:

    POST /_sandbox/reset       forget every application, sip peer and token
    POST /_sandbox/sip-peers   {"accountId", "applicationId", "siteId", "siteName", "peerId",
                               "peerName"}: a Location now uses that application
    GET  /_sandbox/tokens      the tokens issued so far (client id, token id, expiry; never a
                               token), and how many token requests came
    POST /_sandbox/clock       {"now": epoch seconds or ISO 8601}: move the sandbox's clock
                               (token expiry, the end of legacy API users, rate limits)

And `GET /`: a short JSON description of what is served where.
"""

from __future__ import annotations

import datetime
import json
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._auth import Authority
from ._store import Store

PREFIX = "/_sandbox"


class _Admin:
    """The admin endpoints. Methods rather than closures: each is then its own function to
    tools that follow calls (mutmut attributes a test to the handlers it really ran)."""

    def __init__(self, store: Store, authority: Authority, admin_token: str, clock: Any) -> None:
        self.store = store
        self.authority = authority
        self.admin_token = admin_token
        self.clock = clock

    def guarded(
        self, handler: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await self.checked(request, handler)

        return endpoint

    async def checked(
        self, request: Request, handler: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        given = request.headers.get("authorization", "")
        if not secrets.compare_digest(given.encode(), f"Bearer {self.admin_token}".encode()):
            return JSONResponse(
                {"error": "the admin endpoints need Authorization: Bearer <admin token>"},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="bandwidth-apps sandbox admin"'},
            )
        return await handler(request)

    @staticmethod
    async def body(request: Request) -> dict[str, Any]:
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data

    async def reset(self, request: Request) -> Response:
        self.store.reset()
        self.authority.revoke_all()
        return JSONResponse({"reset": True})

    async def sip_peer(self, request: Request) -> Response:
        try:
            data = await self.body(request)
            fields = [
                str(data[k])
                for k in ("accountId", "applicationId", "siteId", "siteName", "peerId", "peerName")
            ]
        except (ValueError, KeyError) as exc:
            return JSONResponse(
                {
                    "error": "expected accountId, applicationId, siteId, siteName, peerId,"
                    f" peerName ({exc})"
                },
                status_code=400,
            )
        account, application, site_id, site_name, peer_id, peer_name = fields
        self.store.associate_sip_peer(
            account, application, (site_id, site_name), (peer_id, peer_name)
        )
        return JSONResponse({"associated": application}, status_code=201)

    async def tokens(self, request: Request) -> Response:
        issued = [
            {"clientId": t.client_id, "tokenId": t.token_id, "expiresAt": t.expires_at}
            for t in self.authority.issued
        ]
        return JSONResponse({"tokenRequests": self.authority.token_requests, "issued": issued})

    async def set_clock(self, request: Request) -> Response:
        if not hasattr(self.clock, "travel_to"):
            return JSONResponse({"error": "this sandbox's clock cannot be moved"}, status_code=409)
        try:
            now = (await self.body(request))["now"]
            moment = (
                datetime.datetime.fromtimestamp(float(now), datetime.UTC)
                if isinstance(now, int | float)
                else datetime.datetime.fromisoformat(str(now))
            )
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=datetime.UTC)
        except (ValueError, KeyError, OverflowError, OSError) as exc:
            return JSONResponse(
                {"error": f'expected {{"now": epoch seconds or ISO 8601}} ({exc})'}, status_code=400
            )
        self.clock.travel_to(moment)
        return JSONResponse(
            {"now": self.clock(), "legacyBasicAuth": self.authority.legacy_basic_on}
        )


def admin_routes(store: Store, authority: Authority, admin_token: str, clock: Any) -> list[Route]:
    admin = _Admin(store, authority, admin_token, clock)
    return [
        Route(f"{PREFIX}/reset", admin.guarded(admin.reset), methods=["POST"]),
        Route(f"{PREFIX}/sip-peers", admin.guarded(admin.sip_peer), methods=["POST"]),
        Route(f"{PREFIX}/tokens", admin.guarded(admin.tokens), methods=["GET"]),
        Route(f"{PREFIX}/clock", admin.guarded(admin.set_clock), methods=["POST"]),
    ]


def description_route(dashboard_prefixes: tuple[str, ...], token_path: str) -> Route:
    async def describe(request: Request) -> Response:
        return JSONResponse(
            {
                "name": "bandwidth-apps sandbox",
                "dashboard": {
                    "applications": [
                        f"{p}/accounts/{{accountId}}/applications" for p in dashboard_prefixes
                    ],
                    "token": token_path,
                    "auth": "OAuth 2.0 client credentials (Bearer);"
                    " legacy Basic until 2 December 2026",
                },
                "catapult": {
                    "applications": "/v1/users/{userId}/applications",
                    "auth": "Basic token:secret",
                },
                "admin": {
                    "prefix": PREFIX,
                    "auth": "Bearer <admin token>",
                    "endpoints": ["POST reset", "POST sip-peers", "GET tokens", "POST clock"],
                },
            }
        )

    return Route("/", describe, methods=["GET"])
