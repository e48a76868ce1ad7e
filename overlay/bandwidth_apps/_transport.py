"""What a call may cost on the wire: a deadline that a slow server cannot extend, and a cap on
how much of an answer is read.

httpx's read timeout restarts with every byte received, so a server that drips one byte a
second is never too slow for it. Our own transports therefore read through network streams that
shorten every socket operation to what is left of the attempt's deadline (a context variable
set around each attempt); whatever the transport, the answer is also read in chunks that stop at
the deadline and at the size cap.
"""

from __future__ import annotations

import contextvars
import math
import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

# When the attempt under way must be over (time.monotonic()), if it has a deadline.
DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "bandwidth_apps_deadline", default=None
)


def remaining(timeout: float | None, error: type[Exception]) -> float | None:
    """The timeout for one socket operation: the transport's, cut to the attempt's deadline."""
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the call's deadline passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, remaining(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, remaining(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = remaining(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, remaining(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, remaining(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = remaining(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


Options = Iterable[Any] | None


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Options = None,
    ) -> httpcore.NetworkStream:
        timeout = remaining(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Options = None
    ) -> httpcore.NetworkStream:
        timeout = remaining(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Options = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = remaining(timeout, httpcore.ConnectTimeout)
        stream = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Options = None
    ) -> httpcore.AsyncNetworkStream:
        timeout = remaining(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def deadline_transport() -> httpx.HTTPTransport:
    """httpx's own transport, reading and writing within each attempt's deadline."""
    transport = httpx.HTTPTransport()
    # httpx builds its httpcore pool without a way to pass a network backend: wrap the pool's.
    # tests/test_hardening.py fails loudly if a new httpx or httpcore moves this attribute.
    pool: Any = transport._pool
    pool._network_backend = _Backend(pool._network_backend)
    return transport


def async_deadline_transport() -> httpx.AsyncHTTPTransport:
    """The async twin of `deadline_transport`."""
    transport = httpx.AsyncHTTPTransport()
    pool: Any = transport._pool
    pool._network_backend = _AsyncBackend(pool._network_backend)
    return transport


class AnswerTooLarge(Exception):
    """The answer is longer than the cap; reading stopped there."""


def _declared_too_large(response: httpx.Response, cap: int) -> bool:
    declared = response.headers.get("content-length", "")
    return declared.isdigit() and int(declared) > cap


def past_deadline() -> bool:
    deadline = DEADLINE.get()
    return deadline is not None and time.monotonic() > deadline


def read_capped(response: httpx.Response, cap: int) -> bytes:
    """Read a streamed answer, at most `cap` bytes and within the deadline, and keep it as the
    response's content (as `Response.read` would).

    Raises:
        AnswerTooLarge: longer than cap. httpx.ReadTimeout: the deadline passed.
    """
    if _declared_too_large(response, cap):
        raise AnswerTooLarge(cap)
    received = bytearray()
    for chunk in response.iter_bytes():
        received += chunk
        if len(received) > cap:
            raise AnswerTooLarge(cap)
        if past_deadline():
            raise httpx.ReadTimeout("the call's deadline passed", request=response.request)
    content = bytes(received)
    response._content = content  # what Response.read() sets; httpx reads it from there
    return content


async def aread_capped(response: httpx.Response, cap: int) -> bytes:
    """The async twin of `read_capped`."""
    if _declared_too_large(response, cap):
        raise AnswerTooLarge(cap)
    received = bytearray()
    async for chunk in response.aiter_bytes():
        received += chunk
        if len(received) > cap:
            raise AnswerTooLarge(cap)
        if past_deadline():
            raise httpx.ReadTimeout("the call's deadline passed", request=response.request)
    content = bytes(received)
    response._content = content
    return content


def default_deadline(timeout: httpx.Timeout) -> float:
    """Twice the longest of the timeouts: a slow but live server is never cut short."""
    parts = [t for t in (timeout.connect, timeout.read, timeout.write, timeout.pool) if t]
    return 2 * max(parts) if parts else math.inf
