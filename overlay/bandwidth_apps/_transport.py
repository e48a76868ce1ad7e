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
import time
from typing import Any

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


def deadline_transport() -> httpx.HTTPTransport:
    """httpx's own transport, reading and writing within each attempt's deadline."""
    from ._deadline import Backend  # httpcore is imported by the first client, not by ours

    transport = httpx.HTTPTransport()
    # httpx builds its httpcore pool without a way to pass a network backend: wrap the pool's.
    # tests/test_hardening.py fails loudly if a new httpx or httpcore moves this attribute.
    pool: Any = transport._pool
    pool._network_backend = Backend(pool._network_backend)
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
