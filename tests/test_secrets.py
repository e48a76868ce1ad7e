"""A canary password must not appear in any repr, str, exception, traceback or log record."""

from __future__ import annotations

import asyncio
import base64
import logging
import traceback
from collections.abc import Callable
from typing import Any

import bandwidth_apps as bw
import httpx
import pytest

from tests.clients import ACCESS_TOKEN, PASSWORD, Recorder, catapult, dashboard

FORBIDDEN = [
    PASSWORD,  # the client secret, the API password, the Catapult secret, callback passwords
    ACCESS_TOKEN,
    base64.b64encode(f"api-user:{PASSWORD}".encode()).decode(),
    base64.b64encode(f"api-client:{PASSWORD}".encode()).decode(),
    base64.b64encode(f"t-token:{PASSWORD}".encode()).decode(),
]


def token_endpoint(status: int, content: bytes, content_type: str = "application/json") -> Recorder:
    """A token endpoint that answers `content` (hostile ones echo the secret or the token)."""
    return Recorder(
        lambda r: httpx.Response(599),
        token=lambda r: httpx.Response(
            status, content=content, headers={"Content-Type": content_type}
        ),
    )


def revoked_twice(request: httpx.Request) -> httpx.Response:
    return httpx.Response(401, content=request.headers["authorization"].encode())


def assert_clean(text: str) -> None:
    for secret in FORBIDDEN:
        assert secret not in text


def with_password(**fields: Any) -> bw.Application:
    return bw.Application(
        service_type=bw.ServiceType.MESSAGING_V2,
        app_name="secret keeper",
        inbound_callback_url="https://e.com/in",
        inbound_callback_creds=bw.CallbackCredentials(user_id="callback-user", password=PASSWORD),
        **fields,
    )


def echo(request: httpx.Request) -> httpx.Response:
    """A hostile server that echoes the request, password included, as an error."""
    return httpx.Response(400, content=request.content, headers={"Content-Type": "application/xml"})


SCENARIOS: list[tuple[str, Callable[[str], Any]]] = [
    ("echoed body", lambda mode: dashboard(mode, Recorder(echo)).create(with_password())),
    (
        "password too long",
        lambda mode: dashboard(mode, Recorder(echo)).create(
            bw.Application(
                service_type=bw.ServiceType.VOICE_V2,
                app_name="x",
                call_initiated_callback_url="https://e.com/v",
                callback_creds=bw.CallbackCredentials(user_id="callback-user", password=PASSWORD * 3),
            )
        ),
    ),
    (
        "transport failure",
        lambda mode: dashboard(mode, Recorder(lambda r: (_ for _ in ()).throw(httpx.ReadError("reset"))), retry=bw.NO_RETRY).list(),
    ),
    ("401", lambda mode: catapult(mode, Recorder(lambda r: httpx.Response(401, json={"category": "unauthorized", "code": "unauthorized", "message": "Invalid credentials"}))).get("a-1")),
    ("malformed", lambda mode: catapult(mode, Recorder(lambda r: httpx.Response(200, content=b"{"))).get("a-1")),
    ("token: invalid_client echoing the secret", lambda mode: dashboard(mode, token_endpoint(401, f'{{"error": "invalid_client", "error_description": "bad secret {PASSWORD}"}}'.encode())).list()),
    ("token: 400 echoing the secret", lambda mode: dashboard(mode, token_endpoint(400, f'{{"error": "{PASSWORD}"}}'.encode())).list()),
    ("token: HTML 503", lambda mode: dashboard(mode, token_endpoint(503, f"<html>{PASSWORD}</html>".encode(), "text/html"), retry=bw.NO_RETRY).list()),
    ("token: garbage", lambda mode: dashboard(mode, token_endpoint(200, f"{{{PASSWORD}".encode())).list()),
    ("token: no access_token", lambda mode: dashboard(mode, token_endpoint(200, f'{{"token": "{ACCESS_TOKEN}", "echo": "{PASSWORD}"}}'.encode())).list()),
    ("token: not a bearer token", lambda mode: dashboard(mode, token_endpoint(200, f'{{"access_token": "{ACCESS_TOKEN} {PASSWORD}"}}'.encode())).list()),
    ("token: refused twice", lambda mode: dashboard(mode, Recorder(revoked_twice)).list()),
]  # fmt: skip


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("name", [name for name, _ in SCENARIOS])
def test_no_secret_in_errors_tracebacks_or_logs(
    mode: str, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    scenario = dict(SCENARIOS)[name]
    with caplog.at_level(logging.DEBUG), pytest.raises(bw.BandwidthError) as raised:
        scenario(mode)
    error = raised.value
    assert_clean(str(error))
    assert_clean(repr(error))
    assert_clean("".join(traceback.format_exception(error)))
    assert_clean(repr(vars(error)))
    for record in caplog.records:
        assert_clean(record.getMessage())
    logged = any(r.name == "bandwidth_apps" for r in caplog.records)
    assert logged or name == "password too long" or name.startswith("token:")


def test_echoed_password_is_masked_in_the_error_body() -> None:
    with pytest.raises(bw.BandwidthError) as raised:
        dashboard("sync", Recorder(echo)).create(with_password())
    assert "<Password>[secure]</Password>" in getattr(raised.value, "body", "")


def test_no_secret_in_client_reprs() -> None:
    empty = b"<ApplicationProvisioningResponse><ApplicationList/></ApplicationProvisioningResponse>"
    recorder = Recorder(lambda r: httpx.Response(200, content=empty))
    with pytest.warns(bw.LegacyAuthWarning):
        legacy = bw.DashboardClient("1", username="api-user", password=PASSWORD)
    clients = [
        bw.DashboardClient(
            "1",
            client_id="api-client",
            client_secret=PASSWORD,
            transport=httpx.MockTransport(recorder),
        ),
        bw.AsyncDashboardClient("1", client_id="api-client", client_secret=PASSWORD),
        bw.CatapultClient("u-1", "t-token", PASSWORD),
        bw.AsyncCatapultClient("u-1", "t-token", PASSWORD),
        legacy,
    ]
    clients[0].list()  # type: ignore[attr-defined]  # now it holds a token too
    for client in clients:
        assert_clean(repr(client._auth))  # type: ignore[attr-defined]
        assert_clean(repr(client))
        assert_clean(str(client))
        assert_clean(repr(vars(client)))
        assert_clean(repr(client.retry))
    clients[0].close()  # type: ignore[attr-defined]
    asyncio.run(clients[1].aclose())  # type: ignore[attr-defined]
    # what a repr does show: the class, the identity and where it goes, never a credential
    assert repr(clients[3]) == (
        "AsyncCatapultClient(user_id='u-1', base_url='https://api.catapult.inetwork.com/v1')"
    )
    assert repr(clients[1]) == (
        "AsyncDashboardClient(account_id='1', client_id='api-client',"
        " token_url='https://api.bandwidth.com/api/v1/oauth2/token',"
        " base_url='https://api.bandwidth.com/api')"
    )


def test_debug_log_of_a_successful_call_names_the_call_but_no_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = b"<ApplicationProvisioningResponse><ApplicationList/></ApplicationProvisioningResponse>"
    with caplog.at_level(logging.DEBUG):
        dashboard("sync", Recorder(lambda r: httpx.Response(200, content=body))).list()
    messages = [r.getMessage() for r in caplog.records if r.name == "bandwidth_apps"]
    assert any(
        m.startswith("GET https://dashboard.test/api/accounts/9900001/applications -> 200")
        for m in messages
    )
    for record in caplog.records:
        assert_clean(record.getMessage())


def test_no_secret_in_any_logger_over_a_real_loopback_transport(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every logger (ours, httpx's, httpcore's, the sandbox's) at DEBUG, through a real socket:
    the client secret, the access tokens and a callback password never appear."""
    from bandwidth_apps.sandbox import ClientCredential, Credentials, Logins, Sandbox

    logins = Logins(
        clients=(ClientCredential("log-client", PASSWORD, ("9900001",)),),
        dashboard_basic=Credentials("log-user", PASSWORD),
        catapult=Credentials("t-log", PASSWORD),
    )
    with caplog.at_level(logging.DEBUG), Sandbox(logins=logins) as sandbox:
        with bw.DashboardClient(
            "9900001",
            client_id="log-client",
            client_secret=PASSWORD,
            base_url=sandbox.dashboard_url,
        ) as client:
            created = client.create(with_password())
            sandbox.authority.revoke_all()  # a 401, a fresh token and a replay, all logged
            client.get(created.application_id)
            with pytest.raises(bw.ValidationError):
                client.patch(created.application_id, bw.Application(callback_timeout=99))
            client.delete(created.application_id)
            tokens = [t for t in client._auth._token.value.split(".")]  # type: ignore[attr-defined,union-attr]
        with bw.CatapultClient(
            "u-log", "t-log", PASSWORD, base_url=sandbox.catapult_url
        ) as catapult:
            list(catapult.list())
    loggers = {record.name.split(".")[0] for record in caplog.records}
    # httpx's own logger stays silent: our clients hand requests to the transport directly
    assert {"bandwidth_apps", "httpcore"} <= loggers
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "") + repr(record.args)
        assert_clean(text)
        assert not any(part in text for part in tokens[1:])  # the token's payload and signature
