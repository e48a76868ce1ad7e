"""What the sync and async clients share: calls described without I/O, retries, logging.

A platform module turns each method into a `Call`: the request to send, whether it may be
retried, and a pure function that reads the answer (or asks for a follow-up call). The sync and
async clients only send; everything else is here or in the platform modules.
"""

from __future__ import annotations

import contextvars
import email.utils
import functools
import itertools
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Self, TypeVar
from urllib.parse import urlsplit

import httpx

from ._errors import (
    Answer,
    ApiError,
    BandwidthError,
    MalformedResponseError,
    RateLimitedError,
    TransportError,
    ValidationError,
    Violation,
    error_class,
    masked,
    sent_secrets,
)
from ._transport import (
    DEADLINE,
    AnswerTooLarge,
    aread_capped,
    deadline_transport,
    default_deadline,
    past_deadline,
    read_capped,
)

T = TypeVar("T")
logger = logging.getLogger("bandwidth_apps")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEFAULT_MAX_ANSWER_BYTES = 16 * 1024 * 1024  # a list of thousands of applications fits
_RETRYABLE_STATUSES = frozenset({429, 503})
# Failures before the request left this machine: safe to retry even a create.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
# The request an async attempt is waiting on (its token request, or the call itself): when the
# attempt's deadline cuts it short, the error names that one, and whether the call had left.
_IN_FLIGHT: contextvars.ContextVar[httpx.Request | None] = contextvars.ContextVar(
    "bandwidth_apps_in_flight", default=None
)


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio  # here, not at the top: a sync-only program never pays for asyncio's import

    await asyncio.sleep(seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """How failed calls are retried.

    GET, PUT, PATCH and DELETE are retried on connection errors, 429 and 503; a create only when
    its request surely never reached the server. Waits grow exponentially from `backoff_initial`
    up to `backoff_max`, plus up to `jitter` seconds at random, unless the server says how long
    to wait (`Retry-After`, `X-RateLimit-Reset`). A call waits at most `max_server_wait` seconds
    in all: a wait that would pass it is not waited for, and the error is raised at once,
    carrying the reset time.

    `clock` is the client's wall clock (Retry-After dates, rate-limit resets, token expiry);
    `sleep`, `async_sleep` and `clock` exist for tests (a fake clock) and custom event loops.
    """

    attempts: int = 4
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    jitter: float = 0.5
    max_server_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    async_sleep: Callable[[float], Awaitable[None]] = _asyncio_sleep
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")


NO_RETRY = RetryPolicy(attempts=1)


@dataclass(frozen=True)
class Request:
    """An HTTP request, described without sending it."""

    method: str
    url: str
    params: Mapping[str, str | int] | None = None
    content: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    # The path the final URL must stay under (an item's collection): a last check that no id
    # or link moved the call elsewhere, whatever httpx made of it.
    within: str | None = None


@dataclass(frozen=True)
class FollowUp(Generic[T]):
    """The answer asks for one more call (a create answered only with `Location`)."""

    call: Call[T]


@dataclass(frozen=True)
class Call(Generic[T]):
    """One API call: its request, whether a retry is safe, and how to read its answer."""

    request: Request
    read: Callable[[httpx.Response, Answer], T | FollowUp[T]]
    idempotent: bool


def answer_of(response: httpx.Response, body: bytes, known: tuple[str, ...] = ()) -> Answer:
    request = response.request
    return Answer(
        method=request.method,
        url=str(request.url),
        status=response.status_code,
        body=body,
        request_id=response.headers.get("x-request-id"),
        request=request,
        known=known,
    )


def retry_after(response: httpx.Response, clock: Callable[[], float]) -> float | None:
    """Seconds the server asks us to wait in `Retry-After` (delta or HTTP date), if any."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - clock())
    except (TypeError, ValueError, IndexError):
        return None


def add_wait_hints(
    error: ApiError, response: httpx.Response, reset_unit: float, clock: Callable[[], float]
) -> ApiError:
    """Attach the server's wait hints to an error: Retry-After, and X-RateLimit-Reset (an epoch
    in `reset_unit` seconds: 1 on Dashboard, 0.001 on Catapult)."""
    error.retry_after = retry_after(response, clock)
    if isinstance(error, RateLimitedError):
        try:
            error.reset_at = float(response.headers["x-ratelimit-reset"]) * reset_unit
        except (KeyError, ValueError):
            error.reset_at = None
    return error


def empty_error(answer: Answer) -> ApiError:
    """An error status with no body (a 429 has none)."""
    phrase = httpx.codes.get_reason_phrase(answer.status) or "error"
    return error_class(answer.status)(answer, description=phrase.lower())


def server_wait(error: BaseException, clock: Callable[[], float]) -> float | None:
    """How long the server asked us to wait before retrying, if it said."""
    hinted = getattr(error, "retry_after", None)
    if hinted is not None:
        return float(hinted)
    reset_at = getattr(error, "reset_at", None)
    if reset_at is not None:
        return max(0.0, float(reset_at) - clock())
    return None


@dataclass(frozen=True)
class Login:
    """How a client authenticates, where it sends, and what its repr may show (see _auth)."""

    auth: httpx.Auth
    base_url: str
    shown: Mapping[str, str]
    # What the credentials are, in every form a server could echo: masked in every error.
    secrets: tuple[str, ...] = field(default=(), repr=False)


class BaseClient:
    """Configuration and everything about a call that does no I/O."""

    # X-RateLimit-Reset is an epoch in these seconds: 1 on Dashboard, 0.001 on Catapult.
    reset_unit = 1.0
    _owns_http: bool  # whether the httpx client is ours (set by the sync and async clients)

    def __init__(
        self,
        *,
        login: Login,
        retry: RetryPolicy,
        timeout: httpx.Timeout,
        deadline: float | None,
        max_answer_bytes: int,
        shown: Mapping[str, str],
    ) -> None:
        if max_answer_bytes < 1:
            raise ValueError("max_answer_bytes must be at least 1")
        self._auth = login.auth
        self._login_secrets = login.secrets
        self._shown = {**shown, **login.shown}  # what the repr shows: never a credential
        self.base_url = login.base_url.rstrip("/")
        self.retry = retry
        self.timeout = timeout
        self.deadline = default_deadline(timeout) if deadline is None else deadline
        self.max_answer_bytes = max_answer_bytes
        self._origin = origin(self.base_url)

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{k}={v!r}" for k, v in {**self._shown, "base_url": self.base_url}.items()
        )
        return f"{type(self).__name__}({fields})"

    def _request(self, http: httpx.Client | httpx.AsyncClient, call: Call[Any]) -> httpx.Request:
        spec = call.request
        try:
            if self._owns_http:  # our own client: its defaults are known, merged once
                request = httpx.Request(
                    spec.method,
                    _parsed_url(spec.url),
                    params=spec.params,
                    content=spec.content,
                    headers=self._headers(spec.headers),
                    extensions=self._extensions,
                )
            else:  # a caller's client: its own defaults, cookies and hooks apply
                request = http.build_request(
                    spec.method,
                    spec.url,
                    params=spec.params,
                    content=spec.content,
                    headers=spec.headers,
                )
        except (httpx.InvalidURL, UnicodeError) as exc:
            raise ValidationError([Violation("(url)", "url", f"not a usable URL: {exc}")]) from exc
        url = request.url
        path = url.raw_path.decode("ascii").split("?", 1)[0]
        where = (url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme))
        if where != self._origin or not path.startswith(spec.within or ""):
            raise ValidationError([Violation("(url)", "url", "the call would leave its resource")])
        return request

    def _headers(self, call_headers: Mapping[str, str]) -> httpx.Headers:
        """The client's default headers with a call's own, merged once for each set of them."""
        key = tuple(call_headers.items())
        merged = self._merged.get(key)
        if merged is None:
            # Header names are case-insensitive: a call's "Accept" replaces the default
            # "accept" (merging dicts kept both, and every call sent two Accept headers).
            merged = self._merged[key] = httpx.Headers(self._default_headers)
            merged.update(call_headers)
        return httpx.Headers(merged)  # a copy: the auth flow sets Authorization on it

    def _prepare(self, http: httpx.Client | httpx.AsyncClient) -> None:
        """What every request of our own client carries, worked out once."""
        self._default_headers = dict(http.headers)
        # What _transport decodes, a bounded piece at a time (httpx adds br and zstd when their
        # libraries happen to be installed).
        self._default_headers["accept-encoding"] = "gzip, deflate"
        self._merged: dict[tuple[tuple[str, str], ...], httpx.Headers] = {}
        self._extensions = {"timeout": self.timeout.as_dict()}

    def _retry_delay(
        self, call: Call[Any], error: BandwidthError, attempt: int, waited: float
    ) -> float | None:
        """How long to wait before the next attempt, or None to give up and raise `error`.

        A call that never reached the API (refused at connect, or its token request failed) is
        safe to retry, a create too; others only when idempotent. Transport errors, 429 and 503
        are retried; the server's hints are honoured; all waits of a call stay within
        `max_server_wait`."""
        policy = self.retry
        if attempt >= policy.attempts:
            return None
        safe = call.idempotent or not getattr(error, "request_sent", True)
        status = getattr(error, "status", None)
        if not safe or not (isinstance(error, TransportError) or status in _RETRYABLE_STATUSES):
            return None
        delay = server_wait(error, policy.clock)
        if delay is None:
            backoff = policy.backoff_initial * 2 ** (attempt - 1)
            delay = min(policy.backoff_max, backoff + random.uniform(0, policy.jitter))
        if waited + delay > policy.max_server_wait:
            return None
        logger.info(
            "retrying %s %s in %.2f s after %s (attempt %d of %d)",
            call.request.method,
            call.request.url,
            delay,
            error,
            attempt + 1,
            policy.attempts,
        )
        return delay

    def _read(
        self, call: Call[T], response: httpx.Response, body: bytes, started: float
    ) -> T | FollowUp[T]:
        logger.debug(
            "%s %s -> %d (%.1f ms)",
            response.request.method,
            response.request.url,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        answer = answer_of(response, body, self._secrets())
        if response.history and origin(str(response.url)) != self._origin:
            # Only with a caller's http_client that follows redirects: httpx dropped our
            # credentials on the way, so this is someone else's unauthenticated answer.
            raise MalformedResponseError(answer, f"redirected to another origin: {response.url}")
        try:
            return call.read(response, answer)
        except ApiError as error:
            raise add_wait_hints(error, response, self.reset_unit, self.retry.clock) from None
        except BandwidthError:
            raise
        except Exception as exc:  # a reader must never let a parser's exception escape
            raise MalformedResponseError(answer, f"{type(exc).__name__}: {exc}") from exc

    def _secrets(self) -> tuple[str, ...]:
        """The client's credentials and the token it holds: no error may show them, whatever a
        server echoes (in a body, a request id, or a malformed header a parser quotes)."""
        token = getattr(self._auth, "held_token", None)
        held = token() if token is not None else None
        return (*self._login_secrets, held) if held else self._login_secrets

    def _too_large(self, response: httpx.Response) -> MalformedResponseError:
        answer = answer_of(response, b"", self._secrets())
        return MalformedResponseError(
            answer, f"the answer is longer than max_answer_bytes ({self.max_answer_bytes})"
        )

    def _transport_error(self, call: Call[Any], exc: httpx.HTTPError) -> TransportError:
        method, url = call.request.method, call.request.url
        sent = not isinstance(exc, _NOT_SENT)
        token_url = getattr(self._auth, "token_url", None)
        try:
            failed: httpx.Request | None = exc.request
        except RuntimeError:  # an httpx error raised with no request attached
            failed = None
        if failed is not None and token_url is not None and str(failed.url) == token_url:
            # The token request failed: the API call itself never left.
            method, url, sent = failed.method, token_url, False
        # A parser's message may quote what the server sent back: our own credentials too.
        secrets = [*self._secrets(), *(sent_secrets(failed) if failed is not None else ())]
        said = masked(str(exc), secrets)
        logger.debug("%s %s -> no answer (%s)", method, url, said)
        reason = f"{type(exc).__name__}: {said}" if said else type(exc).__name__
        if isinstance(exc, httpx.TimeoutException) and past_deadline():
            reason = f"the attempt's deadline of {self.deadline:g} s passed ({reason})"
        return TransportError(
            reason,
            method=method,
            url=url,
            request_sent=sent,
            timed_out=isinstance(exc, httpx.TimeoutException),
        )

    def _deadline(self) -> contextvars.Token[float | None]:
        due = time.monotonic() + self.deadline if math.isfinite(self.deadline) else None
        return DEADLINE.set(due)


@functools.lru_cache(maxsize=1024)
def _parsed_url(url: str) -> httpx.URL:
    """httpx parses a URL string on every request; a client calls the same few URLs again and
    again (httpx.URL is immutable: one parsed copy serves every call)."""
    return httpx.URL(url)


def _attach(exc: httpx.TransportError, request: httpx.Request) -> None:
    """Give the error the request it failed on, as httpx's client does."""
    try:
        exc.request  # noqa: B018
    except RuntimeError:
        exc.request = request


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port (the default one filled in): where credentials may go."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


_DEFAULT_PORTS = {"http": 80, "https": 443}


class SyncClient(BaseClient):
    """Sends calls with an httpx.Client."""

    def __init__(
        self,
        *,
        login: Login,
        retry: RetryPolicy,
        timeout: httpx.Timeout | float | None,
        deadline: float | None,
        max_answer_bytes: int,
        http_client: httpx.Client | None,
        transport: httpx.BaseTransport | None,
        shown: Mapping[str, str],
    ) -> None:
        timeout = httpx.Timeout(timeout) if timeout is not None else DEFAULT_TIMEOUT
        super().__init__(
            login=login,
            retry=retry,
            timeout=timeout,
            deadline=deadline,
            max_answer_bytes=max_answer_bytes,
            shown=shown,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            timeout=timeout, transport=transport or deadline_transport()
        )
        self._prepare(self._http)

    def _run(self, call: Call[T]) -> T:
        while True:
            result = self._with_retries(call)
            if not isinstance(result, FollowUp):
                return result
            call = result.call

    def _with_retries(self, call: Call[T]) -> T | FollowUp[T]:
        waited = 0.0
        for attempt in itertools.count(1):
            try:
                return self._once(call)
            except BandwidthError as error:
                delay = self._retry_delay(call, error, attempt, waited)
                if delay is None:
                    raise
            self.retry.sleep(delay)
            waited += delay
        raise AssertionError("unreachable")

    def _once(self, call: Call[T]) -> T | FollowUp[T]:
        request = self._request(self._http, call)
        started = time.perf_counter()
        deadline = self._deadline()
        try:
            response = self._send(request)
            try:
                body = read_capped(response, self.max_answer_bytes)
            except AnswerTooLarge:
                raise self._too_large(response) from None
            finally:
                response.close()
        except httpx.HTTPError as exc:
            raise self._transport_error(call, exc) from exc
        finally:
            DEADLINE.reset(deadline)
        return self._read(call, response, body, started)

    def _send(self, request: httpx.Request) -> httpx.Response:
        """The answer to a request, authenticated by the client's auth flow (a token first, a
        replay after a refusal). A caller's httpx client sends it with its own hooks, cookies and
        redirects; ours hands it straight to the transport: those steps (and their cost) do
        nothing for an API that sets no cookie and is never redirected."""
        if not self._owns_http:
            return self._http.send(request, auth=self._auth, stream=True)
        flow = self._auth.sync_auth_flow(request)
        try:
            outgoing = next(flow)
            while True:
                response = self._handle(outgoing)
                try:
                    outgoing = flow.send(response)
                except StopIteration:
                    return response
                except BaseException:
                    response.close()
                    raise
                response.close()
        finally:
            flow.close()

    def _handle(self, request: httpx.Request) -> httpx.Response:
        transport = self._http._transport_for_url(request.url)  # the proxy for it, if any
        try:
            response = transport.handle_request(request)
        except httpx.TransportError as exc:
            _attach(exc, request)
            raise
        response.request = request
        return response

    def close(self) -> None:
        """Close the connection pool (unless it was handed in by the caller)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncClientBase(BaseClient):
    """Sends calls with an httpx.AsyncClient."""

    def __init__(
        self,
        *,
        login: Login,
        retry: RetryPolicy,
        timeout: httpx.Timeout | float | None,
        deadline: float | None,
        max_answer_bytes: int,
        http_client: httpx.AsyncClient | None,
        transport: httpx.AsyncBaseTransport | None,
        shown: Mapping[str, str],
    ) -> None:
        timeout = httpx.Timeout(timeout) if timeout is not None else DEFAULT_TIMEOUT
        super().__init__(
            login=login,
            retry=retry,
            timeout=timeout,
            deadline=deadline,
            max_answer_bytes=max_answer_bytes,
            shown=shown,
        )
        self._owns_http = http_client is None
        if http_client is None and transport is None:
            from ._aiohttp import AiohttpTransport  # aiohttp: imported by async programs only

            transport = AiohttpTransport()
        self._http = http_client or httpx.AsyncClient(timeout=timeout, transport=transport)
        self._prepare(self._http)

    async def _run(self, call: Call[T]) -> T:
        while True:
            result = await self._with_retries(call)
            if not isinstance(result, FollowUp):
                return result
            call = result.call

    async def _with_retries(self, call: Call[T]) -> T | FollowUp[T]:
        waited = 0.0
        for attempt in itertools.count(1):
            try:
                return await self._once(call)
            except BandwidthError as error:
                delay = self._retry_delay(call, error, attempt, waited)
                if delay is None:
                    raise
            await self.retry.async_sleep(delay)
            waited += delay
        raise AssertionError("unreachable")

    async def _once(self, call: Call[T]) -> T | FollowUp[T]:
        import asyncio

        request = self._request(self._http, call)
        started = time.perf_counter()
        deadline = self._deadline()
        due = DEADLINE.get()
        _IN_FLIGHT.set(request)
        try:
            # The whole attempt (token, connection, request, answer) within the deadline, whatever
            # the transport: a server that drips its answer cannot extend it.
            async with asyncio.timeout(None if due is None else due - time.monotonic()):
                response = await self._send(request)
                try:
                    body = await aread_capped(response, self.max_answer_bytes)
                except AnswerTooLarge:
                    raise self._too_large(response) from None
                finally:
                    await response.aclose()
        except TimeoutError as exc:  # asyncio.timeout's: the request may have been executed
            waited_on = _IN_FLIGHT.get() or request
            overdue = httpx.ReadTimeout("the call's deadline passed", request=waited_on)
            raise self._transport_error(call, overdue) from exc
        except httpx.HTTPError as exc:
            raise self._transport_error(call, exc) from exc
        finally:
            DEADLINE.reset(deadline)
        return self._read(call, response, body, started)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        """The async twin of SyncClient._send."""
        if not self._owns_http:
            return await self._http.send(request, auth=self._auth, stream=True)
        flow = self._auth.async_auth_flow(request)
        try:
            outgoing = await flow.__anext__()
            while True:
                _IN_FLIGHT.set(outgoing)
                response = await self._handle(outgoing)
                try:
                    outgoing = await flow.asend(response)
                except StopAsyncIteration:
                    return response
                except BaseException:
                    await response.aclose()
                    raise
                await response.aclose()
        finally:
            await flow.aclose()

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        transport = self._http._transport_for_url(request.url)
        try:
            response = await transport.handle_async_request(request)
        except httpx.TransportError as exc:
            _attach(exc, request)
            raise
        response.request = request
        return response

    async def aclose(self) -> None:
        """Close the connection pool (unless it was handed in by the caller)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
