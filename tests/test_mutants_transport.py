"""What the transports, the token flow and the error readers promise, down to the word: the aiohttp
transport (what it asks of aiohttp, what it reports back), TLS through both transports, the
legacy login's warning, the token endpoint's errors, the Dashboard's answers without a body.
Written against the mutants that survived the rest of the suite (TESTING.md)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import ssl
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import bandwidth_apps as bw
import httpx
import pytest
from bandwidth_apps._aiohttp import AiohttpTransport

from tests import test_transports
from tests.clients import (
    DASHBOARD_URL,
    PASSWORD,
    TOKEN_PATH,
    Driver,
    FakeClock,
    Recorder,
    catapult,
    dashboard,
    retry_policy,
)
from tests.conftest import EXAMPLES
from tests.test_transports import Handler, Server, answer

serve = test_transports.serve  # its 127.0.0.1 server fixture, shared

# A self-signed certificate for 127.0.0.1 (its own CA, valid until 2126) and its key: made for
# these tests with `openssl req -x509 -newkey ec ...`, trusted only where a test says so.
CERTIFICATE = """-----BEGIN CERTIFICATE-----
MIIBoTCCAUagAwIBAgIUEg78BuheNBx2bVLXez71B50yhGQwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEzMDE1MDcxM1oYDzIxMjYxMTA2
MTUwNzEzWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATA5VnTRyMFZNLjsyuZXqfDW3jHovFMaNr8AEF8qCa2/U4mhlAcJqif
Q7NnS+j3vuFhCy3YUNvbI+qywmkHStPuo3QwcjAdBgNVHQ4EFgQUYwSgmnnMu+z0
TtO7Q5Ko5Q+gk5MwHwYDVR0jBBgwFoAUYwSgmnnMu+z0TtO7Q5Ko5Q+gk5MwDwYD
VR0RBAgwBocEfwAAATAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIChDAK
BggqhkjOPQQDAgNJADBGAiEAyO0NSzxt89B+5T99+Z8K0cVjOUIgLu00GaofEGXT
aaACIQCUhuhifBi3zyw9b36aDCrjMXe1S0FzN/BskVm+cosDXQ==
-----END CERTIFICATE-----
"""
TEST_ONLY_KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgM6z6pz441YoZlr8a
vpyU13Mxz4N+C7vJCMp6OQEGLIWhRANCAATA5VnTRyMFZNLjsyuZXqfDW3jHovFM
aNr8AEF8qCa2/U4mhlAcJqifQ7NnS+j3vuFhCy3YUNvbI+qywmkHStPu
-----END PRIVATE KEY-----
"""
MODES = ["sync", "async"]
OK_APP = answer("200 OK", b'{"id": "a-1", "name": "n"}', "Content-Type: application/json")


@pytest.fixture(scope="module")
def ca_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tls") / "ca.pem"
    path.write_text(CERTIFICATE)
    path.with_name("key.pem").write_text(TEST_ONLY_KEY)
    return path


class TlsServer(Server):
    """tests.test_transports.Server behind TLS with the certificate above."""

    def __init__(self, handler: Handler, ca_file: Path) -> None:
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(ca_file, ca_file.with_name("key.pem"))
        super().__init__(handler)

    def _connection(self, connection: socket.socket) -> None:
        try:
            connection = self.context.wrap_socket(connection, server_side=True)
        except OSError:  # the client refused our certificate
            connection.close()
            return
        super()._connection(connection)


@pytest.fixture
def serve_tls(ca_file: Path) -> Iterator[Callable[[Handler], TlsServer]]:
    servers: list[TlsServer] = []

    def start(handler: Handler) -> TlsServer:
        servers.append(TlsServer(handler, ca_file))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def call(mode: str, base_url: str, action: Callable[[Any], Any], **options: Any) -> Any:
    """`action(client)` on a Catapult client with our own default transport, no retry."""
    options = {"retry": bw.NO_RETRY, "timeout": 5.0, **options}
    if mode == "sync":
        with bw.CatapultClient("u-1", "t", "s", base_url=base_url, **options) as client:
            return action(client)

    async def main() -> Any:
        async with bw.AsyncCatapultClient("u-1", "t", "s", base_url=base_url, **options) as client:
            return await action(client)

    return asyncio.run(main())


def on_aiohttp(action: Callable[[httpx.AsyncClient], Any], **transport: Any) -> Any:
    """`action(client)` on an httpx.AsyncClient over the aiohttp transport (no retries, no
    redirects of httpx's own: what is seen is what the transport did)."""

    async def main() -> Any:
        async with httpx.AsyncClient(transport=AiohttpTransport(**transport)) as client:
            return await action(client)

    return asyncio.run(main())


# ---- the aiohttp transport: what it asks of aiohttp, what it reports back ----


@pytest.mark.parametrize(
    ("status_line", "version", "phrase"),
    [
        ("HTTP/1.0 200 Fine", "HTTP/1.0", "Fine"),
        ("HTTP/1.1 200 ", "HTTP/1.1", ""),
        # beyond latin-1: replaced, never an error (httpx then keeps the ASCII of it)
        ("HTTP/1.1 200 Ça va ✓", "HTTP/1.1", "a va ?"),
    ],
)
def test_the_aiohttp_transport_reports_the_servers_http_version_and_reason_phrase(
    status_line: str, version: str, phrase: str, serve: Callable[[Handler], Server]
) -> None:
    head = f"{status_line}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n".encode()
    server = serve(lambda connection, request: connection.sendall(head + b"ok"))
    response = on_aiohttp(lambda client: client.get(f"http://127.0.0.1:{server.port}/x"))
    assert (response.status_code, response.http_version) == (200, version)
    assert response.reason_phrase == phrase
    assert response.content == b"ok"


def test_the_aiohttp_transport_follows_no_redirect_and_adds_no_header(
    serve: Callable[[Handler], Server],
) -> None:
    server = serve(
        lambda connection, request: connection.sendall(answer("302 Found", b"", "Location: /b"))
    )
    url = f"http://127.0.0.1:{server.port}/a"
    response = on_aiohttp(lambda client: client.post(url, content=b"abc", headers={"X-Probe": "1"}))
    assert response.status_code == 302  # httpx's client decides about redirects, not aiohttp
    assert len(server.requests) == 1
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    assert body == b"abc"
    lines = head.decode().lower().split("\r\n")
    assert lines[0] == "post /a http/1.1"
    assert "x-probe: 1" in lines
    assert not [line for line in lines if line.startswith("content-type")]  # none made up


def test_a_status_below_200_from_aiohttp_is_a_protocol_error_naming_it_and_its_request(
    serve: Callable[[Handler], Server],
) -> None:
    def informational(connection: socket.socket, request: bytes) -> None:
        connection.sendall(b"HTTP/1.1 101 Switching Protocols\r\nContent-Length: 0\r\n\r\n")
        connection.shutdown(socket.SHUT_RDWR)

    server = serve(informational)
    request = httpx.Request("GET", f"http://127.0.0.1:{server.port}/x")

    async def send() -> Any:
        transport = AiohttpTransport()
        try:
            return await transport.handle_async_request(request)
        finally:
            await transport.aclose()

    with pytest.raises(httpx.RemoteProtocolError) as caught:
        asyncio.run(send())
    assert str(caught.value) == "a final answer with status 101"
    assert caught.value.request is request


def test_an_aiohttp_failure_carries_the_request_it_failed_on() -> None:
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    request = httpx.Request("GET", f"http://127.0.0.1:{port}/x")

    async def send() -> Any:
        transport = AiohttpTransport()
        try:
            return await transport.handle_async_request(request)
        finally:
            await transport.aclose()

    with pytest.raises(httpx.ConnectError) as caught:
        asyncio.run(send())
    assert caught.value.request is request


def test_a_body_cut_short_is_a_read_error_after_sending(serve: Callable[[Handler], Server]) -> None:
    def cut_short(connection: socket.socket, request: bytes) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"{" * 10)
        connection.shutdown(socket.SHUT_RDWR)

    server = serve(cut_short)
    request = httpx.Request("GET", f"http://127.0.0.1:{server.port}/x")

    async def read() -> Any:
        transport = AiohttpTransport()
        try:
            response = await transport.handle_async_request(request)
            try:
                return await response.aread()
            finally:
                await response.aclose()
        finally:
            await transport.aclose()

    with pytest.raises(httpx.ReadError) as raw:
        asyncio.run(read())
    assert raw.value.request is request
    assert "Response payload is not completed" in str(raw.value)

    url = f"http://127.0.0.1:{server.port}/v1"
    with pytest.raises(bw.TransportError) as caught:
        call("async", url, lambda client: client.get("a-1"))
    assert caught.value.request_sent is True
    assert "ReadError: Response payload is not completed" in str(caught.value)


def test_a_silent_server_is_cut_off_at_the_read_timeout_not_at_the_deadline(
    serve: Callable[[Handler], Server],
) -> None:
    server = serve(lambda connection, request: None)  # reads the request, never answers
    url = f"http://127.0.0.1:{server.port}/v1"
    with pytest.raises(bw.TransportError) as caught:
        call("async", url, lambda client: client.get("a-1"), timeout=0.1, deadline=3.0)
    error = caught.value
    assert error.timed_out and error.request_sent
    assert "deadline" not in str(error)  # the read timeout's own error, long before it
    assert "ReadTimeout: Timeout on reading data from socket" in str(error)


@pytest.mark.skipif(sys.platform != "linux", reason="Linux drops a SYN to a full accept queue")
@pytest.mark.parametrize("mode", MODES)
def test_a_connect_that_hangs_is_cut_off_at_the_connect_timeout_and_known_unsent(
    mode: str,
) -> None:
    with socket.socket() as listener, socket.socket() as filler:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)  # never accepts: once one connection waits, connects hang
        filler.connect(listener.getsockname())
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
        timeout = httpx.Timeout(5.0, pool=None, connect=0.1)
        with pytest.raises(bw.TransportError) as caught:
            call(mode, url, lambda client: client.get("a-1"), timeout=timeout, deadline=3.0)
    error = caught.value
    assert error.timed_out and error.request_sent is False  # safe to retry, even a create
    assert "deadline" not in str(error)
    assert "ConnectTimeout" in str(error)


def test_waiting_for_a_pooled_connection_is_bounded_by_the_pool_and_connect_timeouts(
    serve: Callable[[Handler], Server],
) -> None:
    holding = threading.Event()
    server = serve(lambda connection, request: holding.set())  # holds the one connection
    timeout = httpx.Timeout(5.0, pool=0.05, connect=0.15)

    async def main() -> None:
        transport = AiohttpTransport(max_connections=1)
        async with httpx.AsyncClient(transport=transport, timeout=timeout) as client:
            first = asyncio.create_task(client.get(f"http://127.0.0.1:{server.port}/first"))
            assert await asyncio.to_thread(holding.wait, 5)
            try:
                with pytest.raises(httpx.ConnectTimeout):  # never sent: safe to retry
                    await client.get(f"http://127.0.0.1:{server.port}/second")
            finally:
                first.cancel()
        assert len(server.requests) == 1

    asyncio.run(main())


def test_no_pool_timeout_means_no_bound_on_the_wait_for_a_connection(
    serve: Callable[[Handler], Server],
) -> None:
    server = serve(lambda connection, request: connection.sendall(OK_APP))
    timeout = httpx.Timeout(2.0, pool=None)
    response = on_aiohttp(
        lambda client: client.get(f"http://127.0.0.1:{server.port}/x", timeout=timeout)
    )
    assert response.status_code == 200


def test_no_cookie_is_kept_for_a_named_host(serve: Callable[[Handler], Server]) -> None:
    """aiohttp's own jar keeps no cookie of an IP address anyway: `localhost` is a name."""
    server = serve(
        lambda connection, request: connection.sendall(
            answer("200 OK", b'{"id": "a-1", "name": "n"}', "Content-Type: application/json",
                   "Set-Cookie: session=tracked; Path=/")
        )
    )  # fmt: skip

    async def twice(client: Any) -> None:
        await client.get("a-1")
        await client.get("a-1")

    call("async", f"http://localhost:{server.port}/v1", twice)
    assert len(server.requests) == 2
    assert b"cookie:" not in server.requests[1].lower()


def test_the_aiohttp_transport_closes_twice_harmlessly_and_serves_again_after(
    serve: Callable[[Handler], Server],
) -> None:
    server = serve(lambda connection, request: connection.sendall(OK_APP))
    url = f"http://127.0.0.1:{server.port}/x"

    async def main() -> None:
        transport = AiohttpTransport()
        async with httpx.AsyncClient(transport=transport) as client:
            assert (await client.get(url)).status_code == 200
        await transport.aclose()  # as httpx's own transports, a second close does nothing
        async with httpx.AsyncClient(transport=transport) as client:  # a new session
            assert (await client.get(url)).status_code == 200

    asyncio.run(main())


# ---- TLS: both transports verify the server, and the sync one within its deadline ----


@pytest.mark.parametrize("mode", MODES)
def test_an_https_server_is_trusted_only_when_the_ca_store_vouches_for_it(
    mode: str,
    serve_tls: Callable[[Handler], TlsServer],
    ca_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = serve_tls(lambda connection, request: connection.sendall(OK_APP))
    url = f"https://127.0.0.1:{server.port}/v1"
    with pytest.raises(bw.TransportError) as caught:  # the system's CA store: not ours
        call(mode, url, lambda client: client.get("a-1"))
    assert caught.value.request_sent is False
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert server.requests == []

    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))  # as httpx reads it
    assert call(mode, url, lambda client: client.get("a-1")).id == "a-1"
    assert len(server.requests) == 1


@pytest.mark.parametrize("trusted", [True, False])
def test_the_aiohttp_transport_verifies_with_the_context_it_is_given(
    trusted: bool,
    serve_tls: Callable[[Handler], TlsServer],
    ca_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    server = serve_tls(lambda connection, request: connection.sendall(OK_APP))
    verify: ssl.SSLContext | bool = (
        ssl.create_default_context(cafile=str(ca_file)) if trusted else False
    )
    response = on_aiohttp(
        lambda client: client.get(f"https://127.0.0.1:{server.port}/x"), verify=verify
    )
    assert response.status_code == 200


@pytest.mark.timeout(20)  # a handshake left without a timeout would hang
def test_a_silent_tls_handshake_is_cut_off_at_the_connect_timeout_not_at_the_deadline(
    serve: Callable[[Handler], Server],
) -> None:
    server = serve(lambda connection, request: None)  # takes the connection, never speaks TLS
    url = f"https://127.0.0.1:{server.port}/v1"
    with pytest.raises(bw.TransportError) as caught:
        call("sync", url, lambda client: client.get("a-1"), timeout=0.1, deadline=3.0)
    error = caught.value
    assert error.timed_out and error.request_sent is False
    assert "deadline" not in str(error)
    assert "ConnectTimeout" in str(error)


# ---- the legacy login's warning; the token endpoint's errors ----

LEGACY_WARNING = (
    "Dashboard API users (username and password, HTTP Basic) are decommissioned by Bandwidth on"
    " 2 December 2026; use an API credential: client_id and client_secret (OAuth 2.0 client"
    " credentials)"
)
TOKEN_URL = "https://dashboard.test/api/v1/oauth2/token"


@pytest.mark.parametrize("mode", MODES)
def test_the_legacy_login_warns_at_the_callers_line_and_names_the_way_out(mode: str) -> None:
    cls = bw.AsyncDashboardClient if mode == "async" else bw.DashboardClient
    transport = httpx.MockTransport(Recorder(lambda request: httpx.Response(200)))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        client = cls("9900001", username="legacy-user", password=PASSWORD,
                     base_url=DASHBOARD_URL, transport=transport)  # fmt: skip
    Driver(client)  # closed after the test
    assert [(w.category, str(w.message)) for w in seen] == [(bw.LegacyAuthWarning, LEGACY_WARNING)]
    if "MUTANT_UNDER_TEST" not in os.environ:  # mutmut's trampolines add frames between ours
        assert seen[0].filename == __file__  # the line that made the client, not ours


def oversized(size: int) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(401 if request.url.path != TOKEN_PATH else 200,
                                          content=b"x" * size)  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
def test_a_token_answer_over_its_cap_is_malformed_and_names_the_token_request(mode: str) -> None:
    too_long = oversized(64 * 1024 + 1)
    client = dashboard(mode, Recorder(too_long, token=too_long))
    with pytest.raises(bw.MalformedResponseError) as caught:
        client.list()
    error = caught.value
    assert (error.method, error.url, error.status) == ("POST", TOKEN_URL, 200)
    assert error.request_sent is False
    assert str(error) == f"POST {TOKEN_URL} -> HTTP 200: malformed answer: the answer is too long"


@pytest.mark.parametrize("mode", MODES)
def test_a_refusal_over_its_cap_is_malformed_and_not_replayed(mode: str) -> None:
    recorder = Recorder(oversized(1024 * 1024 + 1))
    client = dashboard(mode, recorder)
    with pytest.raises(bw.MalformedResponseError) as caught:
        client.list()
    error = caught.value
    url = f"{DASHBOARD_URL}/accounts/9900001/applications"
    assert (error.method, error.url, error.status, error.request_sent) == ("GET", url, 401, False)
    assert error.reason == "the answer is too long"
    assert len(recorder.requests) == 1


def refused_token(mode: str, answer: httpx.Response, clock: FakeClock) -> bw.ApiError:
    client = dashboard(
        mode, Recorder(lambda request: httpx.Response(200), token=lambda request: answer),
        retry=clock.policy(attempts=1),
    )  # fmt: skip
    with pytest.raises(bw.ApiError) as caught:
        client.list()
    return caught.value


@pytest.mark.parametrize("mode", MODES)
def test_token_endpoint_refusals_keep_the_servers_words_and_hints(mode: str) -> None:
    clock = FakeClock(1_700_000_000.0)
    not_json = refused_token(mode, httpx.Response(500, content=b"<html>down</html>"), clock)
    assert type(not_json) is bw.ServerError and not_json.code is None
    assert not_json.description == "token endpoint: internal server error"

    unknown = refused_token(mode, httpx.Response(599), clock)
    assert (unknown.status, unknown.description) == (599, "token endpoint: error")

    echoed = {"error": "invalid_client", "error_description": f"bad {PASSWORD} " + "x" * 300}
    refused = refused_token(mode, httpx.Response(400, json=echoed), clock)
    assert type(refused) is bw.AuthenticationError and refused.code == "invalid_client"
    assert refused.description == "token endpoint: " + (f"bad [secure] {'x' * 300}")[:200]

    limited = refused_token(
        mode,
        httpx.Response(429, headers={"Retry-After": "Tue, 14 Nov 2023 22:14:20 GMT",
                                     "X-RateLimit-Reset": "1700000100"}),
        clock,
    )  # fmt: skip
    assert isinstance(limited, bw.RateLimitedError)
    assert (limited.retry_after, limited.reset_at) == (60.0, 1_700_000_100.0)


# ---- retries: the server's hints, the bound on waiting, the log line ----

APPLICATIONS = f"{DASHBOARD_URL}/accounts/9900001/applications"
EMPTY_LIST = (EXAMPLES / "dashboard" / "list-empty-response.xml").read_bytes()


def scripted(*answers: httpx.Response) -> Recorder:
    """Answers in turn, the last one for ever after."""
    queue = list(answers)
    return Recorder(lambda request: queue.pop(0) if len(queue) > 1 else queue[0])


@pytest.mark.parametrize(
    ("status", "headers", "description", "retry_after"),
    [
        (429, {}, "too many requests", None),
        (404, {"Retry-After": "0"}, "not found", 0.0),
        (599, {"Retry-After": "Tue, 14 Nov 2023 22:13:19 GMT"}, "error", 0.0),  # 1 s ago
    ],
)
@pytest.mark.parametrize("mode", MODES)
def test_an_error_status_without_a_body_is_described_by_its_status(
    mode: str, status: int, headers: dict[str, str], description: str, retry_after: float | None
) -> None:
    clock = FakeClock(1_700_000_000.0)
    client = dashboard(mode, scripted(httpx.Response(status, headers=headers)),
                       retry=clock.policy(attempts=1))  # fmt: skip
    with pytest.raises(bw.ApiError) as caught:
        client.list()
    error = caught.value
    assert (error.status, error.code, error.description) == (status, None, description)
    assert str(error) == f"GET {APPLICATIONS} -> HTTP {status}: {description}"
    assert error.retry_after == retry_after
    if isinstance(error, bw.RateLimitedError):
        assert error.reset_at is None  # no X-RateLimit-Reset: no reset time


@pytest.mark.parametrize("mode", MODES)
def test_a_wait_that_just_reaches_max_server_wait_is_waited(mode: str) -> None:
    clock = FakeClock()
    recorder = scripted(
        httpx.Response(503, headers={"Retry-After": "1"}),
        httpx.Response(200, content=EMPTY_LIST),
    )
    client = dashboard(mode, recorder, retry=clock.policy(max_server_wait=1.0))
    assert client.list() == []
    assert clock.slept == [1.0]
    assert len(recorder.requests) == 2


def test_each_retry_is_logged_with_the_call_the_wait_and_the_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    recorder = scripted(
        httpx.Response(503, headers={"Retry-After": "1.5"}),
        httpx.Response(200, content=EMPTY_LIST),
    )
    client = dashboard("sync", recorder, retry=clock.policy())
    with caplog.at_level(logging.INFO, logger="bandwidth_apps"):
        assert client.list() == []
    retries = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying")]
    assert retries == [
        f"retrying GET {APPLICATIONS} in 1.50 s after GET {APPLICATIONS} -> HTTP 503:"
        " service unavailable (attempt 2 of 4)"
    ]


def test_the_default_async_wait_waits_with_asyncio() -> None:
    clock = FakeClock()
    recorder = scripted(
        httpx.Response(503, headers={"Retry-After": "0"}),
        httpx.Response(200, content=EMPTY_LIST),
    )
    policy = bw.RetryPolicy(sleep=clock.sleep, clock=clock.time)  # the default async_sleep
    assert dashboard("async", recorder, retry=policy).list() == []
    assert len(recorder.requests) == 2


@pytest.mark.parametrize("mode", MODES)
def test_a_create_whose_url_cannot_be_used_is_refused_at_once_and_never_sent(mode: str) -> None:
    create = bw.CatapultApplicationCreate(name="n", incoming_call_url="https://e.com/c")
    with pytest.raises(bw.ValidationError) as caught:
        call(
            mode,
            "http://127.0.0.1:99999/v1",
            lambda client: client.create(create),
            retry=retry_policy(),  # a policy that retries: a refused request is raised at once
        )
    assert [v.field for v in caught.value.violations] == ["(url)"]


# ---- the Dashboard's answers: no error in an error document, Location, missing elements ----


def voice() -> bw.Application:
    return bw.Application(
        service_type=bw.ServiceType.VOICE_V2,
        app_name="voice",
        call_initiated_callback_url="https://example.com/voice",
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"<ApplicationProvisioningResponse/>", None),
        (b"<ErrorResponse><ResponseStatus><ErrorCode>0</ErrorCode><Description>fine"
         b"</Description></ResponseStatus></ErrorResponse>", None),
        (b"<ErrorResponse><ResponseStatus><ErrorCode>1</ErrorCode><Description>one"
         b"</Description></ResponseStatus></ErrorResponse>", "1"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("mode", MODES)
def test_an_error_document_needs_an_error_in_it_and_error_code_0_is_none(
    mode: str, body: bytes, code: str | None
) -> None:
    client = dashboard(mode, scripted(httpx.Response(400, content=body)), retry=bw.NO_RETRY)
    with pytest.raises(bw.BandwidthError) as caught:
        client.list()
    error = caught.value
    if code is None:
        root = body[1 : body.index(b">")].rstrip(b"/").decode()
        assert type(error) is bw.MalformedResponseError
        assert (
            str(error)
            == f"GET {APPLICATIONS} -> HTTP 400: malformed answer: <{root}> carries no error"
        )
    else:
        assert type(error) is bw.ApiError and (error.code, error.description) == ("1", "one")


@pytest.mark.parametrize("mode", MODES)
def test_every_read_asks_for_xml_and_a_put_is_named_put(mode: str) -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, content=EMPTY_LIST)

    recorder = Recorder(unreachable)
    client = dashboard(mode, recorder, retry=bw.NO_RETRY)
    assert client.list() == []
    # one Accept: the call's replaces httpx's default "*/*" (a dict merge once sent both)
    assert recorder.requests[0].headers.get_list("accept") == ["application/xml"]
    with pytest.raises(bw.TransportError) as caught:
        client.update("app-1", voice())
    assert (caught.value.method, caught.value.request_sent) == ("PUT", False)
    assert str(caught.value).startswith(f"PUT {APPLICATIONS}/app-1: no answer")


CREATED = (EXAMPLES / "dashboard" / "doc-voice-create-response-corrected.xml").read_bytes()


@pytest.mark.parametrize("mode", MODES)
def test_a_catapult_call_sends_one_accept_header(mode: str) -> None:
    recorder = Recorder(lambda request: httpx.Response(200, json=[]))
    assert catapult(mode, recorder).list() == []
    assert recorder.requests[0].headers.get_list("accept") == ["application/json"]


@pytest.mark.parametrize("mode", MODES)
def test_a_created_answer_with_only_a_location_is_followed_to_the_id_it_names(mode: str) -> None:
    recorder = scripted(
        httpx.Response(201, headers={"Location": f"{APPLICATIONS}/app-X/"}),
        httpx.Response(200, content=CREATED),
    )
    client = dashboard(mode, recorder)
    client.create(voice())
    assert [(r.method, str(r.url)) for r in recorder.requests] == [
        ("POST", APPLICATIONS),
        ("GET", f"{APPLICATIONS}/app-X"),
    ]


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("/", "created, but neither a body nor a Location"),
        (f"{APPLICATIONS}/bad%20id", "the Location names no application id"),
    ],
)
@pytest.mark.parametrize("mode", MODES)
def test_a_created_answer_whose_location_names_no_id_is_malformed(
    mode: str, location: str, reason: str
) -> None:
    client = dashboard(mode, scripted(httpx.Response(201, headers={"Location": location})))
    with pytest.raises(bw.MalformedResponseError) as caught:
        client.create(voice())
    assert str(caught.value) == f"POST {APPLICATIONS} -> HTTP 201: malformed answer: {reason}"


@pytest.mark.parametrize("mode", MODES)
def test_a_put_of_what_get_returned_asks_for_each_lost_password(mode: str) -> None:
    client = dashboard(mode, scripted(httpx.Response(200, content=CREATED)))
    application = client.get("app-1")
    with pytest.raises(bw.ValidationError) as caught:
        client.update("app-1", application)
    why = (
        "answers never carry passwords, and a PUT replaces everything: set it again, or send"
        " the change with patch(), which keeps the stored one"
    )
    assert caught.value.violations == tuple(
        bw.Violation(f"Application/{element}/Password", "required", why)
        for element in ("CallbackCreds", "CallInitiatedFallbackCreds")
    )


@pytest.mark.parametrize("mode", MODES)
def test_sip_peers_answered_without_their_element_are_malformed_or_the_error_they_carry(
    mode: str,
) -> None:
    error_block = (
        b"<AssociatedSipPeersResponse><ResponseStatus><ErrorCode>12345</ErrorCode>"
        b"<Description>no such application</Description></ResponseStatus>"
        b"</AssociatedSipPeersResponse>"
    )
    client = dashboard(
        mode,
        scripted(
            httpx.Response(200, content=b"<AssociatedSipPeersResponse/>"),
            httpx.Response(200, content=error_block),
        ),
    )
    url = f"{APPLICATIONS}/app-1/associatedsippeers"
    with pytest.raises(bw.MalformedResponseError) as malformed:
        client.associated_sip_peers("app-1")
    assert (malformed.value.status, malformed.value.url) == (200, url)
    assert str(malformed.value) == (
        f"GET {url} -> HTTP 200: malformed answer: no AssociatedSipPeers element in the answer"
    )
    with pytest.raises(bw.ApiError) as refused:  # a success status with an error block in it
        client.associated_sip_peers("app-1")
    assert (refused.value.code, refused.value.description) == ("12345", "no such application")
