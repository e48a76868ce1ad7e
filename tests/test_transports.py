"""Our own transports over real loopback sockets: httpx's (sync, with the deadline backend) and
the aiohttp one (async). What a retry policy needs from a failure is whether the request can
have reached the server, so each failure below is checked for that, and for how many requests
the server saw."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import threading
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import bandwidth_apps as bw
import httpx
import pytest

from tests.clients import retry_policy

Handler = Callable[[socket.socket, bytes], None]
APP = {"id": "a-1", "name": "n", "incomingCallUrl": "https://e.com/c"}


class Server:
    """Accepts connections on 127.0.0.1 and hands each whole request to `handler`."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[bytes] = []
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            threading.Thread(target=self._connection, args=(connection,), daemon=True).start()

    def _connection(self, connection: socket.socket) -> None:
        with connection:
            buffer = b""
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, _, rest = buffer.partition(b"\r\n\r\n")
                length = next(
                    (int(line.split(b":")[1]) for line in head.split(b"\r\n")
                     if line.lower().startswith(b"content-length:")),
                    0,
                )  # fmt: skip
                while len(rest) < length:
                    rest += connection.recv(65536)
                request, buffer = head + b"\r\n\r\n" + rest[:length], rest[length:]
                self.requests.append(request)
                try:
                    self.handler(connection, request)
                except OSError:
                    return

    def close(self) -> None:
        self._socket.close()


def answer(status: str, body: bytes = b"", *headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], Server]]:
    servers: list[Server] = []

    def start(handler: Handler) -> Server:
        servers.append(Server(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def run(mode: str, port: int, action: Callable[[Any], Any], **options: Any) -> Any:
    """`action(client)` on a Catapult client of the given mode, on the real default transport."""
    base = f"http://127.0.0.1:{port}/v1"
    options = {"retry": retry_policy(), "timeout": 5.0, **options}
    if mode == "sync":
        with bw.CatapultClient("u-1", "t", "s", base_url=base, **options) as client:
            return action(client)

    async def main() -> Any:
        async with bw.AsyncCatapultClient("u-1", "t", "s", base_url=base, **options) as client:
            result = action(client)
            return await result if asyncio.iscoroutine(result) else result

    return asyncio.run(main())


MODES = ["sync", "async"]
CREATE = bw.CatapultApplicationCreate(name="n", incoming_call_url="https://e.com/c")


@pytest.mark.parametrize("mode", MODES)
def test_a_refused_connection_was_never_sent_and_is_retried(mode: str) -> None:
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    waits: list[float] = []

    async def async_wait(seconds: float) -> None:
        waits.append(seconds)

    policy = retry_policy(sleep=waits.append, async_sleep=async_wait)
    with pytest.raises(bw.TransportError) as caught:
        run(mode, port, lambda client: client.create(CREATE), retry=policy)
    assert caught.value.request_sent is False
    assert len(waits) == policy.attempts - 1  # a create that never left is safe to retry


@pytest.mark.parametrize("mode", MODES)
def test_a_hang_up_after_the_request_may_have_executed_it_so_a_create_is_sent_once(
    mode: str, serve: Callable[[Handler], Server]
) -> None:
    server = serve(lambda connection, request: connection.shutdown(socket.SHUT_RDWR))
    with pytest.raises(bw.TransportError) as caught:
        run(mode, server.port, lambda client: client.create(CREATE))
    assert caught.value.request_sent is True
    assert len(server.requests) == 1  # not retried: it may have been executed


@pytest.mark.parametrize("mode", MODES)
def test_a_get_is_retried_after_a_hang_up(mode: str, serve: Callable[[Handler], Server]) -> None:
    def hang_up_once(connection: socket.socket, request: bytes) -> None:
        if len(server.requests) == 1:
            connection.shutdown(socket.SHUT_RDWR)
        else:
            connection.sendall(
                answer("200 OK", json.dumps(APP).encode(), "Content-Type: application/json")
            )

    server = serve(hang_up_once)
    assert run(mode, server.port, lambda client: client.get("a-1")).id == "a-1"
    assert len(server.requests) == 2


@pytest.mark.parametrize("mode", MODES)
def test_an_answer_that_is_not_http_is_a_transport_error(
    mode: str, serve: Callable[[Handler], Server]
) -> None:
    server = serve(lambda connection, request: connection.sendall(b"garbage\r\n\r\n"))
    with pytest.raises(bw.TransportError) as caught:
        run(mode, server.port, lambda client: client.create(CREATE))
    assert caught.value.request_sent is True
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_compressed_answer_is_decoded_once(mode: str, serve: Callable[[Handler], Server]) -> None:
    body = gzip.compress(json.dumps(APP).encode())
    server = serve(
        lambda connection, request: connection.sendall(
            answer("200 OK", body, "Content-Type: application/json", "Content-Encoding: gzip")
        )
    )
    assert run(mode, server.port, lambda client: client.get("a-1")).id == "a-1"


@pytest.mark.parametrize("mode", MODES)
def test_no_cookie_is_kept_between_calls(mode: str, serve: Callable[[Handler], Server]) -> None:
    server = serve(
        lambda connection, request: connection.sendall(
            answer("200 OK", json.dumps(APP).encode(), "Content-Type: application/json",
                   "Set-Cookie: session=tracked; Path=/")
        )
    )  # fmt: skip

    def twice(client: Any) -> Any:
        if isinstance(client, bw.CatapultClient):
            return [client.get("a-1"), client.get("a-1")]

        async def both() -> list[Any]:
            return [await client.get("a-1"), await client.get("a-1")]

        return both()

    run(mode, server.port, twice)
    assert len(server.requests) == 2
    assert b"cookie:" not in server.requests[1].lower()


def test_an_async_client_serves_two_event_loops_in_turn(serve: Callable[[Handler], Server]) -> None:
    """As two asyncio.run calls would, each with its own loop: the second gets its own aiohttp
    session (a session belongs to one loop)."""
    server = serve(
        lambda connection, request: connection.sendall(
            answer("200 OK", json.dumps(APP).encode(), "Content-Type: application/json")
        )
    )
    client = bw.AsyncCatapultClient(
        "u-1", "t", "s", base_url=f"http://127.0.0.1:{server.port}/v1", retry=retry_policy()
    )
    first, second = asyncio.new_event_loop(), asyncio.new_event_loop()
    try:
        assert first.run_until_complete(client.get("a-1")).id == "a-1"
        first_session = client._http._transport._session  # type: ignore[attr-defined]
        assert second.run_until_complete(client.get("a-1")).id == "a-1"
        assert client._http._transport._session is not first_session  # type: ignore[attr-defined]
        second.run_until_complete(client.aclose())
        first.run_until_complete(first_session.close())  # what the first loop's owner can do
    finally:
        first.close()
        second.close()


def _aiohttp_failures() -> list[tuple[BaseException, type[Exception], str]]:
    import aiohttp

    key: Any = SimpleNamespace(host="h.example", port=1, ssl=True, is_ssl=False)
    sent: Any = SimpleNamespace(real_url="http://h.example:1/x")
    refused = OSError(111, "refused")
    return [
        # never sent: no connection was had
        (aiohttp.ClientProxyConnectionError(key, refused), httpx.ProxyError, "h.example:1"),
        (aiohttp.ConnectionTimeoutError("connect timed out"), httpx.ConnectTimeout, "connect"),
        (aiohttp.ClientConnectorError(key, refused), httpx.ConnectError, "[refused]"),
        (aiohttp.InvalidURL("ftp://x"), httpx.UnsupportedProtocol, "ftp://x"),
        # maybe executed: the request was written, or may have been
        (aiohttp.ServerTimeoutError("read timed out"), httpx.ReadTimeout, "read timed out"),
        (TimeoutError(), httpx.ReadTimeout, "TimeoutError"),
        (
            aiohttp.ClientResponseError(sent, (), status=400, message="bad status line"),
            httpx.RemoteProtocolError,
            "bad status line",
        ),
        (aiohttp.ServerDisconnectedError(), httpx.ReadError, "Server disconnected"),
        (aiohttp.ClientPayloadError("cut short"), httpx.ReadError, "cut short"),
    ]


@pytest.mark.parametrize(
    ("failure", "expected", "said"), _aiohttp_failures(), ids=lambda v: type(v).__name__
)
def test_each_aiohttp_failure_maps_to_httpx_saying_whether_it_was_sent(
    failure: BaseException, expected: type[Exception], said: str
) -> None:
    from bandwidth_apps._aiohttp import _mapped

    request = httpx.Request("POST", "http://h.example:1/x")
    mapped = _mapped(failure, request)
    assert type(mapped) is expected and mapped.request is request
    assert said in str(mapped)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("status", [0, 99, 101])
def test_a_final_answer_below_200_is_a_protocol_error_sync_and_async(
    mode: str, status: int, serve: Callable[[Handler], Server]
) -> None:
    def answer(connection: socket.socket, request: bytes) -> None:
        connection.sendall(f"HTTP/1.1 {status:03d} X\r\nContent-Length: 0\r\n\r\n".encode())
        connection.shutdown(socket.SHUT_RDWR)

    server = serve(answer)
    cls: Any = bw.AsyncCatapultClient if mode == "async" else bw.CatapultClient
    url = f"http://127.0.0.1:{server.port}/v1"
    client = cls("u-1", "t", "s", base_url=url, retry=bw.NO_RETRY, timeout=2)

    async def get_then_close() -> None:
        try:
            await client.get("a-1")
        finally:
            await client.aclose()

    with pytest.raises(bw.TransportError):
        if mode == "async":
            asyncio.run(get_then_close())
        else:
            client.get("a-1")
