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
import zlib
from collections.abc import Iterator
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
    """Read a streamed answer, at most `cap` bytes (once decoded) and within the deadline, and
    keep it as the response's content (as `Response.read` would).

    Raises:
        AnswerTooLarge: longer than cap. httpx.ReadTimeout: the deadline passed.
        httpx.DecodingError: a Content-Encoding that is corrupt or not one we read.
    """
    if _declared_too_large(response, cap):
        raise AnswerTooLarge(cap)
    if hasattr(response, "_content"):  # read already (httpx's MockTransport reads it)
        return _kept(response, cap)
    decoded = _Decoded(response, cap)
    for chunk in response.iter_raw():
        decoded.feed(chunk)
    return decoded.done()


async def aread_capped(response: httpx.Response, cap: int) -> bytes:
    """The async twin of `read_capped`."""
    if _declared_too_large(response, cap):
        raise AnswerTooLarge(cap)
    if hasattr(response, "_content"):
        return _kept(response, cap)
    decoded = _Decoded(response, cap)
    async for chunk in response.aiter_raw():
        decoded.feed(chunk)
    return decoded.done()


def _kept(response: httpx.Response, cap: int) -> bytes:
    if len(response.content) > cap:
        raise AnswerTooLarge(cap)
    return response.content


_PIECE = 64 * 1024  # the most one step of decompression may produce


class _Decoded:
    """An answer's body as its Content-Encoding decodes it, a bounded piece at a time: httpx's
    decoders inflate a whole chunk at once, so 2 KB of `gzip, gzip` became 1 GiB in memory
    before any cap could be checked. The cap and the deadline are checked after every piece."""

    def __init__(self, response: httpx.Response, cap: int) -> None:
        self._response = response
        self._cap = cap
        self._received = bytearray()
        header = response.headers.get("content-encoding", "")
        codings = [c.strip().lower() for c in header.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        for coding in codings:
            if coding not in ("gzip", "x-gzip", "deflate"):
                raise httpx.DecodingError(
                    f"an answer in Content-Encoding {coding[:40]!r} cannot be read",
                    request=response.request,
                )
        # The last coding applied is the first undone.
        self._stages = [_Inflater(coding) for coding in reversed(codings)]

    def feed(self, chunk: bytes) -> None:
        for piece in self._through(chunk, 0):
            self._keep(piece)

    def done(self) -> bytes:
        content = bytes(self._received)
        self._response._content = content  # what Response.read() sets; httpx reads it there
        return content

    def _through(self, data: bytes, stage: int) -> Iterator[bytes]:
        if stage == len(self._stages):
            if data:
                yield data
            return
        for piece in self._stages[stage].pieces(data, self._response.request):
            yield from self._through(piece, stage + 1)

    def _keep(self, piece: bytes) -> None:
        self._received += piece
        if len(self._received) > self._cap:
            raise AnswerTooLarge(self._cap)
        if past_deadline():
            raise httpx.ReadTimeout("the call's deadline passed", request=self._response.request)


class _Inflater:
    """One gzip or deflate layer, inflated at most _PIECE bytes at a step."""

    def __init__(self, coding: str) -> None:
        self._gzip = coding != "deflate"
        self._inflater: Any = zlib.decompressobj(16 + zlib.MAX_WBITS) if self._gzip else None

    def pieces(self, data: bytes, request: httpx.Request) -> Iterator[bytes]:
        if self._inflater is None:  # deflate: zlib-wrapped as the RFC says, or raw as IIS sent
            if not data:
                return
            wrapped = len(data) > 1 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            while True:
                piece = self._inflater.decompress(data, _PIECE)
                if piece:
                    yield piece
                data = self._inflater.unconsumed_tail
                if not data and len(piece) < _PIECE:
                    return
        except zlib.error as exc:
            raise httpx.DecodingError(
                f"the answer's compression is corrupt: {exc}", request=request
            ) from exc


def default_deadline(timeout: httpx.Timeout) -> float:
    """Twice the longest of the timeouts: a slow but live server is never cut short."""
    parts = [t for t in (timeout.connect, timeout.read, timeout.write, timeout.pool) if t]
    return 2 * max(parts) if parts else math.inf
