"""How the sandbox authenticates: its OAuth 2.0 token endpoint, Bearer tokens and legacy Basic on
the Dashboard routes, and Basic (token and secret) on the Catapult routes.

- `POST /api/v1/oauth2/token`: client credentials (RFC 6749 4.4) with HTTP Basic
  `client_id:client_secret` and the form `grant_type=client_credentials`; the answer is
  `{"access_token", "token_type": "Bearer", "expires_in"}`. Errors are RFC 6749 5.2 JSON bodies:
  400 `invalid_request` / `unsupported_grant_type`, 401 `invalid_client`.
- The access token is a JWT (HS256, signed with a key made at start), whose claims are those
  Bandwidth's tokens carry and its `band` CLI reads: `accounts` (the account ids the credential
  may use; empty for a system-wide credential), `roles`, `express`; plus `sub`, `iat`, `exp`.
- Dashboard routes take `Authorization: Bearer <token>`: a token that is expired, revoked,
  forged or unknown gets 401 (an `ErrorResponse` body and a `WWW-Authenticate: Bearer` challenge
  with `error="invalid_token"`); an account the credential may not use gets 403.
- Legacy API users (HTTP Basic) are taken only while the switch is on: by default until
  2 December 2026 (UTC) in the sandbox's clock; afterwards a 401 says they were decommissioned.
"""

from __future__ import annotations

import base64
import binascii
import collections
import datetime
import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote_plus

from bandwidth_apps_dashboard import ErrorResponse, ResponseStatus
from starlette.requests import Request
from starlette.responses import Response

from .._auth import LEGACY_BASIC_ENDS
from ._dashboard_api import printable, xml_response

DECOMMISSIONED_AT = datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC).timestamp()
REALM = 'realm="bandwidth-apps sandbox"'
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@dataclass(frozen=True)
class ClientCredential:
    """An API credential the sandbox accepts, and the accounts it may use (none: all of them)."""

    client_id: str
    client_secret: str = field(repr=False)
    accounts: tuple[str, ...] = ()
    roles: tuple[str, ...] = ("Applications",)

    def matches(self, client_id: str, client_secret: str) -> bool:
        return secrets.compare_digest(
            client_id.encode(), self.client_id.encode()
        ) & secrets.compare_digest(client_secret.encode(), self.client_secret.encode())


@dataclass(frozen=True)
class Credentials:
    """HTTP Basic credentials the sandbox accepts (user name, password): Catapult's token and
    secret, and the Dashboard's legacy API user."""

    username: str
    password: str

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password='[secure]')"

    def match(self, header: str | None) -> bool:
        pair = basic_pair(header)
        if pair is None:
            return False
        username, password = pair
        return secrets.compare_digest(
            username.encode(), self.username.encode()
        ) & secrets.compare_digest(password.encode(), self.password.encode())


def basic_pair(header: str | None) -> tuple[str, str] | None:
    """(user, password) of an `Authorization: Basic` header, or None."""
    if not header or header[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    user, colon, password = decoded.partition(":")
    return (user, password) if colon else None


@dataclass(frozen=True)
class Issued:
    """What the sandbox remembers of a token it issued (never the token itself)."""

    client_id: str
    token_id: str
    expires_at: float


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Authority:
    """Issues tokens and decides who may call the Dashboard routes.

    Args:
        clients: the API credentials it accepts.
        basic: the legacy API user (HTTP Basic) it accepts while legacy users are on.
        lifetime: seconds a token lives.
        legacy_basic: force legacy Basic on (True) or off (False); None: on until
            2 December 2026 in `clock`.
        clock: the sandbox's clock.
    """

    def __init__(
        self,
        clients: Sequence[ClientCredential],
        basic: Credentials,
        *,
        lifetime: int,
        legacy_basic: bool | None,
        clock: Callable[[], float],
    ) -> None:
        if lifetime < 1:
            raise ValueError("a token lifetime is at least one second")
        self.clients = tuple(clients)
        self.basic = basic
        self.lifetime = lifetime
        self.legacy_basic = legacy_basic
        self.clock = clock
        self.token_requests = 0  # every request to the token endpoint, answered or refused
        self.issued: collections.deque[Issued] = collections.deque(maxlen=1000)
        self.refused: collections.Counter[str] = collections.Counter()  # Dashboard 401/403s
        self._key = secrets.token_bytes(32)
        self._generation = 0  # tokens of an older generation are revoked
        self._lock = threading.Lock()

    @property
    def legacy_basic_on(self) -> bool:
        if self.legacy_basic is not None:
            return self.legacy_basic
        return self.clock() < DECOMMISSIONED_AT

    def revoke_all(self) -> None:
        """Every token issued so far is refused from now on (as when a credential is rotated)."""
        with self._lock:
            self._generation += 1

    # ---- the token endpoint ----

    async def token_endpoint(self, request: Request) -> Response:
        with self._lock:
            self.token_requests += 1
        client = self._client(request.headers.get("authorization"))
        if client is None:
            return _oauth_error(
                401,
                "invalid_client",
                "client authentication failed",
                {"WWW-Authenticate": f"Basic {REALM}"},
            )
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/x-www-form-urlencoded":
            return _oauth_error(
                400, "invalid_request", "the body must be application/x-www-form-urlencoded"
            )
        try:
            form = parse_qs((await request.body()).decode("ascii"), strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            return _oauth_error(400, "invalid_request", "the body is not a form")
        grant_types = form.get("grant_type", [])
        if len(grant_types) != 1 or any(len(values) > 1 for values in form.values()):
            return _oauth_error(400, "invalid_request", "send grant_type once")
        if grant_types[0] != "client_credentials":
            return _oauth_error(
                400, "unsupported_grant_type", "only client_credentials is supported"
            )
        token = self._issue(client)
        body = {"access_token": token, "token_type": "Bearer", "expires_in": self.lifetime}
        return Response(json.dumps(body), media_type="application/json", headers=dict(_NO_STORE))

    def _client(self, header: str | None) -> ClientCredential | None:
        pair = basic_pair(header)
        if pair is None:
            return None
        # RFC 6749 2.3.1 form-encodes both parts before Basic; `band` does not: take either.
        candidates = {pair, (unquote_plus(pair[0]), unquote_plus(pair[1]))}
        for client in self.clients:
            if any(client.matches(*candidate) for candidate in candidates):
                return client
        return None

    def _issue(self, client: ClientCredential) -> str:
        now = self.clock()
        expires_at = int(now + self.lifetime)
        with self._lock:
            claims = {
                "iss": "bandwidth-apps-sandbox",
                "sub": client.client_id,
                "accounts": list(client.accounts),
                "roles": list(client.roles),
                "express": False,
                "iat": int(now),
                "exp": expires_at,
                "jti": secrets.token_hex(8),
                "gen": self._generation,
            }
            self.issued.append(Issued(client.client_id, str(claims["jti"]), expires_at))
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        signature = hmac.new(self._key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        return f"{header}.{payload}.{_b64(signature)}"

    def _claims(self, token: str) -> dict[str, Any] | str:
        """The claims of a token this sandbox issued and still honours, or why not."""
        parts = token.split(".")
        if len(parts) != 3:
            return "the access token is not one this server issued"
        expected = hmac.new(self._key, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
        claims = None
        try:
            genuine = hmac.compare_digest(_unb64(parts[2]), expected)
            claims = json.loads(_unb64(parts[1])) if genuine else None
        except (binascii.Error, ValueError):
            genuine = False
        if not genuine or not isinstance(claims, dict):
            return "the access token is not one this server issued"
        if claims.get("gen") != self._generation:
            return "the access token was revoked"
        if self.clock() >= claims["exp"]:
            return "the access token expired"
        return claims

    # ---- the Dashboard routes ----

    def refusal(self, request: Request, account_id: str) -> Response | None:
        """None if the request may use the account, else the 401 or 403 to answer."""
        refused = self._refusal(request, account_id)
        if refused is not None:
            with self._lock:
                self.refused[f"{refused.status_code}"] += 1
        return refused

    def _refusal(self, request: Request, account_id: str) -> Response | None:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer":
            claims = self._claims(value.strip())
            if isinstance(claims, str):
                challenge = f'Bearer {REALM}, error="invalid_token", error_description="{claims}"'
                return _denied(401, claims, challenge)
            accounts = claims.get("accounts") or []
            if accounts and account_id not in accounts:
                return _denied(403, f"this credential may not use account {printable(account_id)}")
            return None
        if scheme.lower() == "basic":
            if not self.legacy_basic_on:
                return _denied(
                    401,
                    "API users (username and password, HTTP Basic) were decommissioned on"
                    f" {LEGACY_BASIC_ENDS}: use an API credential (OAuth 2.0 client credentials)",
                    f"Bearer {REALM}",
                )
            if self.basic.match(header):
                return None
        return _denied(401, "Access is denied", self._challenges())

    def _challenges(self) -> str:
        bearer = f"Bearer {REALM}"
        return f"{bearer}, Basic {REALM}" if self.legacy_basic_on else bearer


def _denied(status: int, description: str, challenge: str | None = None) -> Response:
    """The 401 or 403 of a Dashboard route, as an `ErrorResponse` (a documented error shape)."""
    headers = {"WWW-Authenticate": challenge} if challenge else None
    document = ErrorResponse(response_status=ResponseStatus(description=description))
    return xml_response(document, status, headers)


def _oauth_error(
    status: int, error: str, description: str, headers: dict[str, str] | None = None
) -> Response:
    body = {"error": error, "error_description": description}
    return Response(
        json.dumps(body),
        status_code=status,
        media_type="application/json",
        headers={**_NO_STORE, **(headers or {})},
    )
