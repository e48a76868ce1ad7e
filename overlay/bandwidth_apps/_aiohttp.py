"""The async clients' transport: httpx's API on top, aiohttp's connection pool underneath.

httpx's own async pool (httpcore on anyio) spends most of a call on bookkeeping once a few
calls are in flight (every idle connection is polled on every request: httpx issue 3215), so
1000 creates at 16 in flight ran at a quarter of the sync client's rate. aiohttp's pool does the
same job in C-accelerated code. httpx-aiohttp offers such a transport, but it maps aiohttp's
errors by their base class: a server that disconnects after reading a request, or a refused
connection, both become httpx.ConnectTimeout, which tells a retry policy the request never
left, and a create could then run twice. Here each error keeps what matters to a retry: whether
the request can have reached the server.

The attempt's deadline is not this module's job: the async clients wrap each attempt in
asyncio.timeout, which no dripping server can extend.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx

_CHUNK = 64 * 1024


def _mapped(exc: BaseException, request: httpx.Request) -> httpx.TransportError:
    """httpx's error for an aiohttp one, telling apart "never sent" from "maybe executed"."""
    message = str(exc) or type(exc).__name__
    # Never sent: the connection (or a pool slot) was not had.
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return httpx.ProxyError(message, request=request)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message, request=request)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(message, request=request)
    if isinstance(exc, aiohttp.InvalidURL):
        return httpx.UnsupportedProtocol(message, request=request)
    # Maybe executed: the request was written, or may have been.
    if isinstance(exc, aiohttp.ServerTimeoutError | asyncio.TimeoutError):
        return httpx.ReadTimeout(message, request=request)
    if isinstance(exc, aiohttp.ClientResponseError):  # not HTTP, or not HTTP we can read
        return httpx.RemoteProtocolError(message, request=request)
    return httpx.ReadError(message, request=request)


class _Body(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_chunked(_CHUNK):
                yield chunk
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise _mapped(exc, self._request) from exc

    async def aclose(self) -> None:
        self._response.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An httpx transport on an aiohttp ClientSession made in the event loop that first uses it.

    The session keeps no cookies and decompresses nothing (httpx does both), and follows no
    redirect (httpx's client decides).
    """

    def __init__(self, *, verify: ssl.SSLContext | bool = True, max_connections: int = 100) -> None:
        self._ssl = (
            verify if isinstance(verify, ssl.SSLContext) else httpx.create_ssl_context(verify)
        )
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _session_here(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None or session.closed or self._loop is not loop:
            # A session belongs to one event loop; a client used from a new loop (a second
            # asyncio.run) gets a new one. The old loop's connections cannot be closed without
            # it: they are dropped (Python warns when it collects them).
            connector = aiohttp.TCPConnector(limit=self._max_connections, ssl=self._ssl)
            session = self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
                timeout=aiohttp.ClientTimeout(total=None),
            )
            self._loop = loop
        return session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
        pool, connect = timeouts.get("pool"), timeouts.get("connect")
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=timeouts.get("read"),
        )
        content = await request.aread()
        try:
            response = await self._session_here().request(
                request.method,
                str(request.url),
                headers=request.headers.multi_items(),
                data=content or None,
                allow_redirects=False,
                timeout=timeout,
                skip_auto_headers=_SKIPPED,
            )
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise _mapped(exc, request) from exc
        if response.status < 200:
            # h11 (the sync clients) refuses a final answer below 200, 101 included: so do we.
            response.release()
            raise httpx.RemoteProtocolError(
                f"a final answer with status {response.status}", request=request
            )
        extensions: dict[str, Any] = {
            "http_version": f"HTTP/{response.version.major}.{response.version.minor}".encode()
            if response.version
            else b"HTTP/1.1",
            "reason_phrase": (response.reason or "").encode("latin-1", "replace"),
        }
        return httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=_Body(response, request),
            extensions=extensions,
        )

    async def aclose(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None


# aiohttp adds these when absent; httpx's request already holds the ones it means to send.
_SKIPPED = frozenset({"User-Agent", "Accept", "Accept-Encoding", "Content-Type"})
