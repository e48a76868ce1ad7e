"""Retries with a fake clock: rate limits (both platforms' headers), 503, dropped connections,
and never a second create once the first may have reached the server."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import bandwidth_apps as bw
import httpx
import pytest

from tests.clients import FakeClock, Recorder, catapult, dashboard

MODES = ["sync", "async"]
NOW = 1_700_000_000.0
VOICE_XML = b"""<ApplicationProvisioningResponse><Application><ApplicationId>v-1</ApplicationId>
<ServiceType>Voice-V2</ServiceType><AppName>v</AppName></Application></ApplicationProvisioningResponse>"""


def script(*steps: httpx.Response | Exception) -> Callable[[httpx.Request], httpx.Response]:
    """Answer the n-th request with the n-th step (raising it if it is an exception)."""
    remaining: Iterator[httpx.Response | Exception] = iter(steps)

    def answer(request: httpx.Request) -> httpx.Response:
        step = next(remaining)
        if isinstance(step, Exception):
            raise step
        return step

    return answer


def voice() -> bw.Application:
    return bw.Application(
        service_type=bw.ServiceType.VOICE_V2,
        app_name="v",
        call_initiated_callback_url="https://e.com/v",
    )


@pytest.mark.parametrize("mode", MODES)
def test_dashboard_429_waits_until_reset_in_epoch_seconds(mode: str) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder(
        script(
            httpx.Response(429, headers={"X-RateLimit-Reset": str(int(NOW) + 3)}),
            httpx.Response(200, content=VOICE_XML),
        )
    )
    assert dashboard(mode, recorder, retry=clock.policy()).get("v-1").application_id == "v-1"
    assert clock.slept == [3.0]
    assert len(recorder.requests) == 2


@pytest.mark.parametrize("mode", MODES)
def test_catapult_429_waits_until_reset_in_epoch_milliseconds(mode: str) -> None:
    clock = FakeClock(NOW)
    body = {"category": "too-many-requests", "code": "rate-limit-reached"}
    recorder = Recorder(
        script(
            httpx.Response(
                429, json=body, headers={"X-RateLimit-Reset": str(int(NOW * 1000) + 2500)}
            ),
            httpx.Response(200, json={"id": "a-1", "name": "x"}),
        )
    )
    assert catapult(mode, recorder, retry=clock.policy()).get("a-1").id == "a-1"
    assert clock.slept == [pytest.approx(2.5)]


@pytest.mark.parametrize("mode", MODES)
def test_retry_after_is_honoured(mode: str) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder(
        script(
            httpx.Response(503, headers={"Retry-After": "7"}),
            httpx.Response(200, content=VOICE_XML),
        )
    )
    dashboard(mode, recorder, retry=clock.policy()).get("v-1")
    assert clock.slept == [7.0]


@pytest.mark.parametrize("mode", MODES)
def test_503_backs_off_exponentially_with_jitter(mode: str) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder(
        script(httpx.Response(503), httpx.Response(503), httpx.Response(200, content=VOICE_XML))
    )
    dashboard(mode, recorder, retry=clock.policy(backoff_initial=0.5, jitter=0.5)).get("v-1")
    first, second = clock.slept
    assert 0.5 <= first <= 1.0 and 1.0 <= second <= 1.5


@pytest.mark.parametrize("mode", MODES)
def test_gives_up_after_the_configured_attempts(mode: str) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder(lambda r: httpx.Response(503))
    with pytest.raises(bw.ServerError):
        dashboard(mode, recorder, retry=clock.policy(attempts=3)).list()
    assert len(recorder.requests) == 3 and len(clock.slept) == 2


@pytest.mark.parametrize("mode", MODES)
def test_a_reset_too_far_away_is_raised_at_once(mode: str) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder(
        lambda r: httpx.Response(429, headers={"X-RateLimit-Reset": str(int(NOW) + 3600)})
    )
    with pytest.raises(bw.RateLimitedError) as raised:
        dashboard(mode, recorder, retry=clock.policy(max_server_wait=60)).list()
    assert raised.value.reset_at == NOW + 3600
    assert len(recorder.requests) == 1 and clock.slept == []


@pytest.mark.parametrize("mode", MODES)
def test_connection_reset_on_get_is_retried(mode: str) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder(
        script(httpx.ReadError("connection reset by peer"), httpx.Response(200, content=VOICE_XML))
    )
    dashboard(mode, recorder, retry=clock.policy()).get("v-1")
    assert len(recorder.requests) == 2


@pytest.mark.parametrize("mode", MODES)
def test_create_is_not_retried_once_the_request_was_sent(mode: str) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder(script(httpx.ReadError("connection reset by peer")))
    with pytest.raises(bw.TransportError) as raised:
        dashboard(mode, recorder, retry=clock.policy()).create(voice())
    assert raised.value.request_sent is True
    assert [r.method for r in recorder.requests] == ["POST"]


@pytest.mark.parametrize("mode", MODES)
def test_create_is_not_retried_on_429(mode: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(429, headers={"X-RateLimit-Reset": str(int(NOW))}))
    with pytest.raises(bw.RateLimitedError):
        catapult(mode, recorder, retry=FakeClock(NOW).policy()).create(
            bw.CatapultApplicationCreate(name="x", incoming_call_url="https://e.com/c")
        )
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_create_is_retried_when_the_connection_never_opened(mode: str) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder(
        script(
            httpx.ConnectError("connection refused"),
            httpx.Response(201, headers={"Location": "/v1/users/u-abc123/applications/a-new1"}),
        )
    )
    created = catapult(mode, recorder, retry=clock.policy()).create(
        bw.CatapultApplicationCreate(name="x", incoming_call_url="https://e.com/c")
    )
    assert created.id == "a-new1"
    assert len(clock.slept) == 1


@pytest.mark.parametrize("mode", MODES)
def test_no_duplicate_create_when_the_answer_is_lost(mode: str) -> None:
    """The server stores the application, then the connection drops before the answer."""
    stored: list[dict[str, object]] = []

    def server(request: httpx.Request) -> httpx.Response:
        stored.append(json.loads(request.content))
        raise httpx.RemoteProtocolError("server disconnected without sending a response")

    with pytest.raises(bw.TransportError):
        catapult(mode, Recorder(server), retry=FakeClock(NOW).policy(attempts=5)).create(
            bw.CatapultApplicationCreate(name="once", incoming_call_url="https://e.com/c")
        )
    assert len(stored) == 1


def test_retries_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder(script(httpx.Response(503), httpx.Response(200, content=VOICE_XML)))
    with caplog.at_level("INFO", logger="bandwidth_apps"):
        dashboard("sync", recorder, retry=clock.policy()).get("v-1")
    assert any(
        "retrying GET" in r.getMessage() and "attempt 2 of 4" in r.getMessage()
        for r in caplog.records
    )


# ---- the whole decision table: every call, every transport failure, every retryable status ----

NOT_SENT = [
    httpx.ConnectError("refused"),
    httpx.ConnectTimeout("slow connect"),
    httpx.PoolTimeout("pool full"),
]
MAYBE_SENT = [
    httpx.ReadTimeout("slow answer"),
    httpx.WriteTimeout("slow send"),
    httpx.ReadError("reset after sending"),
    httpx.WriteError("reset while sending"),
    httpx.RemoteProtocolError("closed without an answer"),
]
EMPTY_LIST = (
    b"<ApplicationProvisioningResponse><ApplicationList/></ApplicationProvisioningResponse>"
)
PEERS = b"<AssociatedSipPeersResponse><AssociatedSipPeers/></AssociatedSipPeersResponse>"
VOICE_APP = bw.Application(
    service_type=bw.ServiceType.VOICE_V2,
    app_name="v",
    call_initiated_callback_url="https://e.com/v",
)
# (platform, call, args, idempotent, success answer)
CALLS: list[tuple[str, str, tuple[object, ...], bool, httpx.Response]] = [
    ("dashboard", "create", (VOICE_APP,), False, httpx.Response(201, content=VOICE_XML)),
    ("dashboard", "list", (), True, httpx.Response(200, content=EMPTY_LIST)),
    ("dashboard", "get", ("v-1",), True, httpx.Response(200, content=VOICE_XML)),
    ("dashboard", "update", ("v-1", VOICE_APP), True, httpx.Response(200, content=VOICE_XML)),
    (
        "dashboard",
        "patch",
        ("v-1", bw.Application(app_name="w")),
        True,
        httpx.Response(200, content=VOICE_XML),
    ),
    ("dashboard", "delete", ("v-1",), True, httpx.Response(200)),
    ("dashboard", "associated_sip_peers", ("v-1",), True, httpx.Response(200, content=PEERS)),
    (
        "catapult",
        "create",
        (bw.CatapultApplicationCreate(name="x", incoming_call_url="https://e.com/c"),),
        False,
        httpx.Response(201, headers={"Location": "/v1/users/u-abc123/applications/a-1"}),
    ),
    ("catapult", "list", (), True, httpx.Response(200, json=[])),
    ("catapult", "get", ("a-1",), True, httpx.Response(200, json={"id": "a-1", "name": "x"})),
    (
        "catapult",
        "update",
        ("a-1", bw.CatapultApplicationUpdate(name="y")),
        True,
        httpx.Response(200),
    ),
    ("catapult", "delete", ("a-1",), True, httpx.Response(200)),
]


def fresh(response: httpx.Response) -> httpx.Response:
    return httpx.Response(response.status_code, headers=response.headers, content=response.content)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("platform", "call", "args", "idempotent", "success"),
    CALLS,
    ids=[f"{c[0]}-{c[1]}" for c in CALLS],
)
@pytest.mark.parametrize(
    "failure",
    NOT_SENT + MAYBE_SENT + [429, 503, 500, 502],
    ids=lambda f: type(f).__name__ if isinstance(f, Exception) else str(f),
)
def test_the_retry_decision_for_every_call_and_failure(
    mode: str,
    platform: str,
    call: str,
    args: tuple[object, ...],
    idempotent: bool,
    success: httpx.Response,
    failure: Exception | int,
) -> None:
    first = True

    def answer(request: httpx.Request) -> httpx.Response:
        nonlocal first
        if first:
            first = False
            if isinstance(failure, Exception):
                raise failure
            return httpx.Response(failure, headers={"Retry-After": "1"})
        return fresh(success)

    recorder = Recorder(answer)
    make = dashboard if platform == "dashboard" else catapult
    client = make(mode, recorder, retry=FakeClock(NOW).policy())
    never_arrived = isinstance(failure, Exception) and any(failure is f for f in NOT_SENT)
    retried = never_arrived or (
        idempotent and (isinstance(failure, Exception) or failure in (429, 503))
    )
    if retried:
        getattr(client, call)(*args)
        assert len(recorder.requests) == 2
    else:
        with pytest.raises(bw.BandwidthError):
            getattr(client, call)(*args)
        assert len(recorder.requests) == 1
