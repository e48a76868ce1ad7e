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

from tests.clients import PASSWORD, Recorder, catapult, dashboard

FORBIDDEN = [
    PASSWORD,
    base64.b64encode(f"api-user:{PASSWORD}".encode()).decode(),
    base64.b64encode(f"t-token:{PASSWORD}".encode()).decode(),
]


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
    assert any(r.name == "bandwidth_apps" for r in caplog.records) or name == "password too long"


def test_echoed_password_is_masked_in_the_error_body() -> None:
    with pytest.raises(bw.BandwidthError) as raised:
        dashboard("sync", Recorder(echo)).create(with_password())
    assert "<Password>[secure]</Password>" in getattr(raised.value, "body", "")


def test_no_secret_in_client_reprs() -> None:
    recorder = Recorder(lambda r: httpx.Response(200))
    clients = [
        bw.DashboardClient("1", "api-user", PASSWORD, transport=httpx.MockTransport(recorder)),
        bw.AsyncDashboardClient("1", "api-user", PASSWORD),
        bw.CatapultClient("u-1", "t-token", PASSWORD),
        bw.AsyncCatapultClient("u-1", "t-token", PASSWORD),
    ]
    for client in clients:
        assert_clean(repr(client))
        assert_clean(str(client))
        assert_clean(repr(vars(client)))
        assert_clean(repr(client.retry))
    clients[0].close()  # type: ignore[union-attr]
    asyncio.run(clients[1].aclose())  # type: ignore[union-attr]


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
