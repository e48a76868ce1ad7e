"""Authentication, in one place for every client: OAuth 2.0 client credentials (the Dashboard
API since 2026) and HTTP Basic (Catapult; the Dashboard's legacy API users until they end).

`ClientCredentials` is an `httpx.Auth`: the token request goes through the same httpx client and
transport as the API call it serves, one token serves every call until shortly before it
expires, concurrent calls wait for one token request (threads and tasks alike), and a 401 on a
call made with a token the server has since revoked fetches one fresh token and replays the call
once (a 401 means the call was not executed, so this holds for a create too).
"""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import re
import threading
import time
import warnings
import weakref
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import httpx

from ._core import Login, add_wait_hints
from ._errors import (
    Answer,
    ApiError,
    AuthenticationError,
    MalformedResponseError,
    error_class,
    user_stacklevel,
)
from ._transport import AnswerTooLarge, aread_capped, read_capped

logger = logging.getLogger("bandwidth_apps")

if TYPE_CHECKING:
    import asyncio

Environment = Literal["prod", "test"]
# Bandwidth's API hosts (the token is minted by the host it is used on); `uat` is the alias that
# Bandwidth's own `band` CLI accepts for the test environment.
API_HOSTS: dict[str, str] = {
    "prod": "https://api.bandwidth.com",
    "test": "https://test.api.bandwidth.com",
    "uat": "https://test.api.bandwidth.com",
}
DASHBOARD_PATH = "/api"  # Bandwidth's documentation; `band` uses /api/v2, which serves the same
TOKEN_PATH = "/api/v1/oauth2/token"
LEGACY_BASIC_ENDS = "2 December 2026"
# Used when a token answer has no expires_in (as `band` does).
DEFAULT_TOKEN_LIFETIME = 3600
LONGEST_TOKEN_LIFETIME = 24 * 3600  # the most of an expires_in that is believed
# A token is renewed when less than this is left of it (as `band` does), or half its lifetime
# when that is shorter.
RENEW_MARGIN = 60.0
# How much of a token endpoint's answer, or of a 401 before a replay, is read.
_TOKEN_ANSWER_CAP = 64 * 1024
_REFUSAL_CAP = 1024 * 1024
# RFC 6750 b64token: what may follow "Bearer " in a header.
_BEARER_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


class LegacyAuthWarning(DeprecationWarning):
    """Dashboard API users (username + password, HTTP Basic) end on 2 December 2026."""


def legacy_basic_warning() -> None:
    warnings.warn(
        "Dashboard API users (username and password, HTTP Basic) are decommissioned by Bandwidth"
        f" on {LEGACY_BASIC_ENDS}; use an API credential: client_id and client_secret"
        " (OAuth 2.0 client credentials)",
        LegacyAuthWarning,
        stacklevel=user_stacklevel(),
    )


def environment_host(environment: str) -> str:
    try:
        return API_HOSTS[environment.strip().lower()]
    except KeyError:
        raise ValueError(
            f"unknown environment {environment!r} (expected one of: prod, test)"
        ) from None


def token_url_for(api_url: str) -> str:
    """The token endpoint of the host an API URL is on (tokens are minted where they are used)."""
    parts = urlsplit(api_url)
    return f"{parts.scheme}://{parts.netloc}{TOKEN_PATH}"


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_safe_url(url: str, what: str, allow_insecure_http: bool) -> None:
    """Credentials travel only over https, or plain http to this machine (a sandbox)."""
    scheme = urlsplit(url).scheme.lower()
    if scheme == "https" or allow_insecure_http or (scheme == "http" and is_loopback(url)):
        return
    raise ValueError(
        f"{what} {url!r} is not https: credentials would travel in clear text"
        " (plain http is allowed only to this machine, or with allow_insecure_http=True)"
    )


@dataclass(frozen=True)
class _Token:
    value: str = field(repr=False)
    expires_at: float
    renew_at: float


class ClientCredentials(httpx.Auth):
    """OAuth 2.0 client credentials (RFC 6749, section 4.4), as Bandwidth's API credentials use.

    Args:
        client_id: the API credential's client id.
        client_secret: its secret (never shown in a repr, an error or a log).
        token_url: the token endpoint, `https://api.bandwidth.com/api/v1/oauth2/token` for
            production.
        clock: wall-clock seconds; tests pass a fake one.

    The token request sends `Authorization: Basic base64(client_id:client_secret)` and the form
    `grant_type=client_credentials`; the answer's `expires_in` (one hour when missing) says when
    the token must be renewed. Errors of the token endpoint are typed: AuthenticationError (the
    credentials were refused), ServerError, RateLimitedError, MalformedResponseError; each names
    the token URL and none carries the secret or a token.
    """

    requires_request_body = True

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        token_url: str,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not client_id or not client_secret:
            raise ValueError("client_id and client_secret are both required")
        self.client_id = client_id
        self.token_url = token_url
        self._clock = clock
        self._secret = client_secret
        login = f"{client_id}:{client_secret}".encode()
        self._login = f"Basic {base64.b64encode(login).decode('ascii')}"
        self._token: _Token | None = None
        self._thread_lock = threading.Lock()
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def __repr__(self) -> str:
        return f"ClientCredentials(client_id={self.client_id!r}, token_url={self.token_url!r})"

    def held_token(self) -> str | None:
        """The access token held now, if any (for masking: errors must never show it)."""
        token = self._token
        return None if token is None else token.value

    # ---- the two flows: the same steps, with a thread lock or an event loop's lock ----

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        stale = None
        for attempt in range(2):
            with self._thread_lock:
                token = self._usable(stale)
                if token is None:
                    sent_at = self._clock()
                    answer = yield self._token_request(request)
                    try:
                        read_capped(answer, _TOKEN_ANSWER_CAP)
                    except AnswerTooLarge:
                        raise self._too_large(answer) from None
                    token = self._accept(answer, sent_at)
            response = yield self._authorized(request, token)
            if not self._replay(response, attempt):
                return
            try:  # httpx reads an answer it does not return: read this one within bounds
                read_capped(response, _REFUSAL_CAP)
            except AnswerTooLarge:
                raise self._too_large(response) from None
            stale = token

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        stale = None
        for attempt in range(2):
            async with self._loop_lock():
                token = self._usable(stale)
                if token is None:
                    sent_at = self._clock()
                    answer = yield self._token_request(request)
                    try:
                        await aread_capped(answer, _TOKEN_ANSWER_CAP)
                    except AnswerTooLarge:
                        raise self._too_large(answer) from None
                    token = self._accept(answer, sent_at)
            response = yield self._authorized(request, token)
            if not self._replay(response, attempt):
                return
            try:
                await aread_capped(response, _REFUSAL_CAP)
            except AnswerTooLarge:
                raise self._too_large(response) from None
            stale = token

    # ---- the steps, without I/O ----

    def _loop_lock(self) -> asyncio.Lock:
        import asyncio  # only async programs pay for its import

        loop = asyncio.get_running_loop()
        lock = self._loop_locks.get(loop)
        if lock is None:
            lock = self._loop_locks[loop] = asyncio.Lock()
        return lock

    def _usable(self, stale: _Token | None) -> _Token | None:
        """The token held, unless it is the one the server refused or it is due for renewal."""
        token = self._token
        if token is None or token is stale or self._clock() >= token.renew_at:
            return None
        return token

    def _token_request(self, request: httpx.Request) -> httpx.Request:
        token_request = httpx.Request(
            "POST",
            self.token_url,
            data={"grant_type": "client_credentials"},
            headers={"Authorization": self._login, "Accept": "application/json"},
        )
        # The API call's timeouts apply to its token request too (a bare Request has none).
        if "timeout" in request.extensions:
            token_request.extensions["timeout"] = request.extensions["timeout"]
        return token_request

    @staticmethod
    def _authorized(request: httpx.Request, token: _Token) -> httpx.Request:
        request.headers["Authorization"] = f"Bearer {token.value}"
        return request

    @staticmethod
    def _replay(response: httpx.Response, attempt: int) -> bool:
        """A 401 means the server no longer takes the token (revoked, or its key rotated): one
        fresh token and one replay; a second 401 goes to the caller."""
        return response.status_code == 401 and attempt == 0

    def _accept(self, response: httpx.Response, sent_at: float) -> _Token:
        """The token of a token endpoint's answer, or the typed error it amounts to."""
        logger.debug("POST %s -> %d (token request)", self.token_url, response.status_code)
        answer = Answer(
            method="POST",
            url=self.token_url,
            status=response.status_code,
            request_id=response.headers.get("x-request-id"),
            known=(self._login.partition(" ")[2], self._secret),
        )  # no body: a token endpoint's answer may carry a token or echo the secret
        if not response.is_success:
            raise self._refusal(response, answer)
        try:
            data: Any = json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            raise self._malformed(answer, "the token endpoint's answer is not JSON") from None
        if not isinstance(data, dict):
            raise self._malformed(answer, "the token endpoint's answer is not a JSON object")
        value = data.get("access_token")
        if not isinstance(value, str) or not _BEARER_TOKEN.fullmatch(value):
            raise self._malformed(answer, "no usable access_token in the token endpoint's answer")
        token_type = data.get("token_type", "Bearer")
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise self._malformed(answer, f"token_type is not Bearer: {str(token_type)[:40]!r}")
        lifetime = data.get("expires_in", DEFAULT_TOKEN_LIFETIME)
        if isinstance(lifetime, bool) or not isinstance(lifetime, int) or lifetime < 1:
            raise self._malformed(answer, "expires_in is not a positive whole number of seconds")
        # However long a server says (10**400 s overflows a float), renew at least once a day.
        lifetime = min(lifetime, LONGEST_TOKEN_LIFETIME)
        expires_at = sent_at + lifetime
        self._token = _Token(value, expires_at, expires_at - min(RENEW_MARGIN, lifetime / 2))
        return self._token

    def _refusal(self, response: httpx.Response, answer: Answer) -> ApiError:
        """RFC 6749 5.2 errors (`error`, `error_description`); any other body is not read."""
        code = description = None
        try:
            data = json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            data = None
        if isinstance(data, dict):
            code = self._scrubbed(data.get("error"))
            description = self._scrubbed(data.get("error_description"))
        phrase = httpx.codes.get_reason_phrase(answer.status) or "error"
        # 400 is how RFC 6749 refuses a client too (invalid_client, unauthorized_client, ...).
        cls = AuthenticationError if answer.status == 400 else error_class(answer.status)
        error = cls(
            answer,
            code=code,
            description=f"token endpoint: {description or code or phrase.lower()}",
            request_sent=False,
        )
        return add_wait_hints(error, response, reset_unit=1.0, clock=self._clock)

    def _too_large(self, response: httpx.Response) -> MalformedResponseError:
        request = response.request
        answer = Answer(method=request.method, url=str(request.url), status=response.status_code)
        return MalformedResponseError(answer, "the answer is too long", request_sent=False)

    def _malformed(self, answer: Answer, reason: str) -> MalformedResponseError:
        return MalformedResponseError(answer, reason, request_sent=False)

    def _scrubbed(self, value: object) -> str | None:
        """A server's text, short, without our secret in it (a hostile server may echo it)."""
        if not isinstance(value, str):
            return None
        return value.replace(self._secret, "[secure]")[:200]


def dashboard_login(
    *,
    client_id: str | None,
    client_secret: str | None,
    username: str | None,
    password: str | None,
    environment: str,
    base_url: str | None,
    token_url: str | None,
    clock: Callable[[], float],
    allow_insecure_http: bool,
) -> Login:
    """The Dashboard client's authentication: client credentials, or legacy Basic (warned)."""
    base_url = (base_url or environment_host(environment) + DASHBOARD_PATH).rstrip("/")
    require_safe_url(base_url, "base_url", allow_insecure_http)
    legacy = username is not None or password is not None
    if client_id is not None or client_secret is not None:
        if legacy:
            raise ValueError(
                "pass client_id and client_secret, or the legacy username and password, not both"
            )
        token_url = token_url or token_url_for(base_url)
        require_safe_url(token_url, "token_url", allow_insecure_http)
        auth = ClientCredentials(client_id or "", client_secret or "", token_url, clock=clock)
        shown = {"client_id": auth.client_id, "token_url": token_url}
        return Login(auth, base_url, shown, _login_secrets(client_id or "", client_secret or ""))
    if legacy:
        if not (username and password):
            raise ValueError("the legacy Basic login needs both username and password")
        legacy_basic_warning()
        basic = httpx.BasicAuth(username, password)
        return Login(basic, base_url, {"username": username}, _login_secrets(username, password))
    raise ValueError(
        "credentials are required: client_id and client_secret (an API credential, OAuth 2.0"
        " client credentials), or the legacy username and password"
    )


def basic_login(
    username: str, password: str, base_url: str, allow_insecure_http: bool, shown: dict[str, str]
) -> Login:
    """HTTP Basic, as the Catapult API takes it (token and secret)."""
    if not username or not password:
        raise ValueError("both parts of the Basic login are required")
    base_url = base_url.rstrip("/")
    require_safe_url(base_url, "base_url", allow_insecure_http)
    auth = httpx.BasicAuth(username, password)
    return Login(auth, base_url, shown, _login_secrets(username, password))


def _login_secrets(name: str, secret: str) -> tuple[str, ...]:
    """A secret and the Basic value that carries it (what a server could echo of either)."""
    basic = base64.b64encode(f"{name}:{secret}".encode()).decode("ascii")
    return Secrets((basic, secret))


class Secrets(tuple[str, ...]):
    """Credentials kept for masking; their repr never shows them."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Secrets([{len(self)} secure])"
