"""OAuth 2.0 client credentials (and the legacy Basic login) end to end: the clients, sync and
async, against the sandbox over loopback, token requests counted at the sandbox; what Bandwidth's
own `band` CLI sends; the token endpoint's errors; hosts and environments."""

from __future__ import annotations

import asyncio
import base64
import datetime
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import bandwidth_apps as bw
import httpx
import pytest
from bandwidth_apps.sandbox import ClientCredential, Credentials, Logins, Sandbox

from tests.clients import (
    DASHBOARD_URL,
    PASSWORD,
    Driver,
    Recorder,
    bearer,
    dashboard,
    retry_policy,
)
from tests.conftest import EXAMPLES

MODES = ["sync", "async"]
NOW = 1_795_000_000.0  # 2026-11-18 (before the end of legacy API users), for frozen clocks
TOKEN_PATH = "/api/v1/oauth2/token"


def logins(*clients: ClientCredential) -> Logins:
    return Logins(
        clients=clients
        or (ClientCredential("auth-client", "auth-client-secret", ("acct-a", "acct-b")),),
        dashboard_basic=Credentials("legacy-user", "legacy-password"),
        catapult=Credentials("t-auth", "catapult-secret"),
    )


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(logins=logins()) as running:
        yield running


class FrozenClock:
    """One time for the sandbox and the client; it moves only when a test moves it."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def client_for(sandbox: Sandbox, mode: str, account: str = "acct-a", **options: Any) -> Driver:
    cls = bw.AsyncDashboardClient if mode == "async" else bw.DashboardClient
    options.setdefault("retry", retry_policy())
    return Driver(cls(account, **sandbox.client_login, base_url=sandbox.dashboard_url, **options))


def voice(name: str = "auth voice") -> bw.Application:
    return bw.Application(
        service_type=bw.ServiceType.VOICE_V2,
        app_name=name,
        call_initiated_callback_url="https://example.com/voice",
    )


# ---- tokens: reuse, renewal, single flight, revocation ----


@pytest.mark.parametrize("mode", MODES)
def test_one_token_serves_many_calls(mode: str) -> None:
    with Sandbox(logins=logins()) as running:
        client = client_for(running, mode)
        client.create(voice())
        for _ in range(5):
            client.list()
        assert running.authority.token_requests == 1
        assert running.authority.refused == {}


@pytest.mark.parametrize("mode", MODES)
def test_a_token_is_renewed_shortly_before_it_expires_and_never_used_after(mode: str) -> None:
    clock = FrozenClock()
    with Sandbox(logins=logins(), clock=clock, token_lifetime=3600) as running:
        client = client_for(running, mode, retry=retry_policy(clock=clock))
        client.list()
        assert running.authority.token_requests == 1
        clock.now = NOW + 3539  # 61 s left: still used
        client.list()
        assert running.authority.token_requests == 1
        clock.now = NOW + 3540  # 60 s left: renewed before the call
        client.list()
        assert running.authority.token_requests == 2
        clock.now = NOW + 3540 + 3600 * 5  # long after: a fresh one first, never the old one
        client.list()
        assert running.authority.token_requests == 3
        assert running.authority.refused == {}  # no call ever went out with an expired token


@pytest.mark.parametrize("lifetime", [1, 30, 90])
def test_short_lived_tokens_are_renewed_at_half_their_life(lifetime: int) -> None:
    clock = FrozenClock()
    with Sandbox(logins=logins(), clock=clock, token_lifetime=lifetime) as running:
        client = client_for(running, "sync", retry=retry_policy(clock=clock))
        client.list()
        clock.now = NOW + min(60, lifetime / 2) * 0.99 if lifetime > 1 else NOW + 0.4
        client.list()
        assert running.authority.token_requests == 1
        clock.now = NOW + lifetime - min(60, lifetime / 2)
        client.list()
        assert running.authority.token_requests == 2
        assert running.authority.refused == {}


def test_concurrent_threads_with_no_token_cause_one_token_request() -> None:
    with Sandbox(logins=logins()) as running:
        client = bw.DashboardClient(
            "acct-a", **running.client_login, base_url=running.dashboard_url
        )
        start = threading.Barrier(16)

        def call(_: int) -> int:
            start.wait()
            return len(client.list())

        with client, ThreadPoolExecutor(max_workers=16) as pool:
            assert list(pool.map(call, range(16))) == [0] * 16
        assert running.authority.token_requests == 1


def test_concurrent_tasks_with_no_token_cause_one_token_request() -> None:
    with Sandbox(logins=logins()) as running:

        async def main() -> None:
            login = running.client_login
            async with bw.AsyncDashboardClient(
                "acct-a", **login, base_url=running.dashboard_url
            ) as client:
                results = await asyncio.gather(*(client.list() for _ in range(32)))
            assert results == [[]] * 32

        asyncio.run(main())
        assert running.authority.token_requests == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_revoked_token_gets_one_fresh_token_and_one_replay_even_for_a_create(mode: str) -> None:
    with Sandbox(logins=logins()) as running:
        client = client_for(running, mode, retry=bw.NO_RETRY)
        client.list()
        running.authority.revoke_all()  # as when the credential is rotated
        created = client.create(voice("replayed"))
        assert running.authority.token_requests == 2
        assert running.authority.refused == {"401": 1}
        assert [a.application_id for a in client.list()] == [created.application_id]  # once


@pytest.mark.parametrize("mode", MODES)
def test_concurrent_calls_refused_with_a_revoked_token_share_one_fresh_token(mode: str) -> None:
    with Sandbox(logins=logins()) as running:
        client = client_for(running, mode)
        client.list()
        running.authority.revoke_all()
        if mode == "sync":
            with ThreadPoolExecutor(max_workers=8) as pool:
                list(pool.map(lambda _: client.list(), range(8)))
        else:

            async def several() -> None:
                await asyncio.gather(*(client.client.list() for _ in range(8)))

            client._runner.run(several())
        assert running.authority.token_requests == 2


@pytest.mark.parametrize("mode", MODES)
def test_a_second_401_is_an_authentication_error(mode: str) -> None:
    # The sandbox's clock moves 2 s at every reading, so every token it issues (lifetime 1 s)
    # has expired when it comes back; the client's clock stands still and trusts the token.
    steps = itertools.count()
    with Sandbox(logins=logins(), clock=lambda: NOW + 2 * next(steps), token_lifetime=1) as running:
        client = client_for(running, mode, retry=retry_policy(clock=FrozenClock()))
        with pytest.raises(bw.AuthenticationError) as raised:
            client.create(voice("never stored"))
        assert raised.value.status == 401 and "expired" in str(raised.value)
        assert running.authority.token_requests == 2  # one fresh token, one replay, no more
        assert running.authority.refused == {"401": 2}
        assert running.store.dashboard_list("acct-a") == []


# ---- what the sandbox does at each authentication failure ----


def test_a_credential_may_use_only_its_accounts(sandbox: Sandbox) -> None:
    for mode in MODES:
        client = client_for(sandbox, mode, account="acct-c")
        with pytest.raises(bw.AuthenticationError) as raised:
            client.create(voice())
        assert raised.value.status == 403 and "may not use account acct-c" in str(raised.value)
    assert sandbox.store.dashboard_list("acct-c") == []
    system_wide = ClientCredential("everything", "everything-secret")  # no account list
    with Sandbox(logins=logins(system_wide)) as running:
        assert client_for(running, "sync", account="acct-c").list() == []


def test_dashboard_refusals_name_their_cause(sandbox: Sandbox) -> None:
    url = f"{sandbox.dashboard_url}/accounts/acct-a/applications"
    token = bearer(sandbox.url, **sandbox.client_login)["Authorization"].split()[1]
    header, payload, signature = token.split(".")
    forged_claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged_claims["accounts"] = ["acct-a", "acct-z"]
    forged = base64.urlsafe_b64encode(json.dumps(forged_claims).encode()).rstrip(b"=").decode()
    cases = [
        ({}, 401, "Access is denied", 'Bearer realm="bandwidth-apps sandbox"'),
        ({"Authorization": "Bearer not-a-token"}, 401, "not one this server issued", 'error="invalid_token"'),
        ({"Authorization": f"Bearer {header}.{forged}.{signature}"}, 401, "not one this server issued", 'error="invalid_token"'),
        ({"Authorization": "Basic " + base64.b64encode(b"legacy-user:wrong").decode()}, 401, "Access is denied", "Basic"),
        ({"Authorization": "Digest x"}, 401, "Access is denied", "Bearer"),
    ]  # fmt: skip
    for headers, status, description, challenge in cases:
        answer = httpx.get(url, headers=headers)
        assert answer.status_code == status
        assert answer.headers["content-type"].startswith("application/xml")
        assert b"<ErrorResponse>" in answer.content and description.encode() in answer.content
        assert challenge in answer.headers["www-authenticate"]


def test_an_expired_token_is_refused_with_invalid_token() -> None:
    clock = FrozenClock()
    with Sandbox(logins=logins(), clock=clock, token_lifetime=60) as running:
        headers = bearer(running.url, **running.client_login)
        url = f"{running.dashboard_url}/accounts/acct-a/applications"
        assert httpx.get(url, headers=headers).status_code == 200
        clock.now = NOW + 60
        expired = httpx.get(url, headers=headers)
        assert expired.status_code == 401 and b"the access token expired" in expired.content
        assert 'error="invalid_token"' in expired.headers["www-authenticate"]
        running.authority.revoke_all()
        clock.now = NOW
        revoked = httpx.get(url, headers=headers)
        assert revoked.status_code == 401 and b"was revoked" in revoked.content


def test_the_token_endpoint_speaks_rfc_6749(sandbox: Sandbox) -> None:
    url = f"{sandbox.url}{TOKEN_PATH}"
    login = tuple(sandbox.client_login.values())
    good = httpx.post(url, data={"grant_type": "client_credentials"}, auth=login)  # type: ignore[arg-type]
    assert good.status_code == 200 and good.headers["cache-control"] == "no-store"
    body = good.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    # A JWT whose claims are what `band auth login` reads: accounts (strings), roles, express.
    payload = body["access_token"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["accounts"] == ["acct-a", "acct-b"] and claims["express"] is False
    assert all(isinstance(role, str) for role in claims["roles"])
    refusals = [
        (dict(data={"grant_type": "client_credentials"}), 401, "invalid_client"),
        (dict(data={"grant_type": "client_credentials"}, auth=("auth-client", "wrong")), 401, "invalid_client"),
        (dict(data={"grant_type": "password"}, auth=login), 400, "unsupported_grant_type"),
        (dict(data={}, auth=login), 400, "invalid_request"),
        (dict(content=b"grant_type=client_credentials", auth=login), 400, "invalid_request"),  # no form type
        (dict(content=b"grant_type=client_credentials&grant_type=x", auth=login,
              headers={"Content-Type": "application/x-www-form-urlencoded"}), 400, "invalid_request"),
    ]  # fmt: skip
    for options, status, error in refusals:
        answer = httpx.post(url, **options)  # type: ignore[arg-type]
        assert (answer.status_code, answer.json()["error"]) == (status, error), options
        assert answer.headers["cache-control"] == "no-store"
    assert (
        "Basic"
        in httpx.post(url, data={"grant_type": "client_credentials"}).headers["www-authenticate"]
    )
    assert httpx.get(url).status_code == 405


@pytest.mark.parametrize("mode", MODES)
def test_wrong_client_credentials_are_a_typed_error_naming_the_token_url(
    sandbox: Sandbox, mode: str
) -> None:
    cls = bw.AsyncDashboardClient if mode == "async" else bw.DashboardClient
    client = Driver(
        cls(
            "acct-a",
            client_id="auth-client",
            client_secret=PASSWORD,
            base_url=sandbox.dashboard_url,
        )
    )
    with pytest.raises(bw.AuthenticationError) as raised:
        client.create(voice())
    error = raised.value
    assert error.url == f"{sandbox.url}{TOKEN_PATH}" and error.code == "invalid_client"
    assert f"POST {sandbox.url}{TOKEN_PATH} -> HTTP 401" in str(error)
    assert PASSWORD not in str(error) + repr(error) + repr(vars(error))


# ---- the legacy switch ----


def basic(sandbox: Sandbox, mode: str, **options: Any) -> Driver:
    cls = bw.AsyncDashboardClient if mode == "async" else bw.DashboardClient
    login = sandbox.dashboard
    with pytest.warns(bw.LegacyAuthWarning, match="2 December 2026"):
        client = cls(
            "acct-a",
            username=login.username,
            password=login.password,
            base_url=sandbox.dashboard_url,
            retry=bw.NO_RETRY,
            **options,
        )
    return Driver(client)


@pytest.mark.parametrize("mode", MODES)
def test_legacy_basic_is_on_until_the_decommission_date_in_the_sandbox_clock(mode: str) -> None:
    clock = FrozenClock(datetime.datetime(2026, 12, 1, 23, 59, 59, tzinfo=datetime.UTC).timestamp())
    with Sandbox(logins=logins(), clock=clock) as running:
        assert running.authority.legacy_basic_on
        assert basic(running, mode).list() == []
        clock.now += 1  # 2 December 2026, 00:00 UTC
        assert not running.authority.legacy_basic_on
        with pytest.raises(bw.AuthenticationError) as raised:
            basic(running, mode).list()
        assert raised.value.status == 401 and "decommissioned on 2 December 2026" in str(
            raised.value
        )
        assert (
            client_for(running, mode, retry=retry_policy(clock=clock)).list() == []
        )  # OAuth still works


@pytest.mark.parametrize(("forced", "status"), [(True, 200), (False, 401)])
def test_a_flag_forces_the_legacy_switch(forced: bool, status: int) -> None:
    for moment in (NOW, datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC).timestamp()):
        with Sandbox(logins=logins(), clock=FrozenClock(moment), legacy_basic=forced) as running:
            answer = httpx.get(
                f"{running.dashboard_url}/accounts/acct-a/applications",
                auth=("legacy-user", "legacy-password"),
            )
            assert answer.status_code == status
            challenge = answer.headers.get("www-authenticate", "")
            assert ("Basic" in challenge) == (status == 401 and forced)


def test_the_catapult_platform_keeps_its_basic_login() -> None:
    after = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC).timestamp()
    with (
        Sandbox(logins=logins(), clock=FrozenClock(after)) as running,
        bw.CatapultClient(
            "u-1", "t-auth", "catapult-secret", base_url=running.catapult_url
        ) as client,
    ):
        assert list(client.list()) == []


# ---- what Bandwidth's own `band` CLI sends ----


@pytest.mark.parametrize("prefix", ["/api/v2", "/api"])
def test_bands_exact_bytes_create_and_update_a_messaging_application(
    sandbox: Sandbox, prefix: str
) -> None:
    headers = {
        **bearer(sandbox.url, **sandbox.client_login),
        "Content-Type": "application/xml",
        "User-Agent": "band-cli/0.1.0",
    }
    collection = f"{sandbox.url}{prefix}/accounts/acct-b/applications"
    create = (EXAMPLES / "dashboard/band-messaging-create-request.xml").read_bytes()
    assert create.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Application><AppName>')
    created = httpx.post(collection, content=create, headers=headers)
    assert created.status_code == 201, created.text
    application_id = created.headers["location"].rsplit("/", 1)[1]
    client = client_for(sandbox, "sync", account="acct-b")
    stored = client.get(application_id)
    assert (
        stored.inbound_callback_url
        == stored.outbound_callback_url
        == "https://example.com/band/messages"
    )
    # `band app update ID --callback-url URL`: a GET, then a PUT with the same four elements
    assert httpx.get(f"{collection}/{application_id}", headers=headers).status_code == 200
    update = (EXAMPLES / "dashboard/band-messaging-update-request.xml").read_bytes()
    replaced = httpx.put(f"{collection}/{application_id}", content=update, headers=headers)
    assert replaced.status_code == 200, replaced.text
    stored = client.get(application_id)
    assert (
        stored.inbound_callback_url
        == stored.outbound_callback_url
        == "https://example.com/band/messages-v2"
    )
    assert (
        stored.app_name == "band messaging" and stored.service_type == bw.ServiceType.MESSAGING_V2
    )
    voice_body = (EXAMPLES / "dashboard/band-voice-create-request.xml").read_bytes()
    assert httpx.post(collection, content=voice_body, headers=headers).status_code == 201


# ---- client construction: hosts, environments, safety ----


def test_hosts_follow_the_environment_and_explicit_urls_override_them() -> None:
    prod = bw.DashboardClient("1", client_id="id", client_secret="secret")
    assert prod.base_url == "https://api.bandwidth.com/api" == bw.DASHBOARD_BASE_URL
    assert prod._auth.token_url == "https://api.bandwidth.com/api/v1/oauth2/token"  # type: ignore[attr-defined]
    test = bw.DashboardClient("1", client_id="id", client_secret="secret", environment="test")
    assert test.base_url == "https://test.api.bandwidth.com/api"
    assert test._auth.token_url == "https://test.api.bandwidth.com/api/v1/oauth2/token"  # type: ignore[attr-defined]
    local = bw.DashboardClient(
        "1", client_id="id", client_secret="secret", base_url="http://127.0.0.1:8080/api/v2"
    )
    assert local._auth.token_url == "http://127.0.0.1:8080/api/v1/oauth2/token"  # type: ignore[attr-defined]
    chosen = bw.DashboardClient(
        "1",
        client_id="id",
        client_secret="secret",
        environment="test",
        token_url="https://auth.example.com/token",
    )
    assert chosen._auth.token_url == "https://auth.example.com/token"  # type: ignore[attr-defined]
    assert "client_id='id'" in repr(chosen) and "secret" not in repr(chosen).replace(
        "client_id", ""
    )
    for client in (prod, test, local, chosen):
        client.close()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "credentials are required"),
        ({"client_id": "id"}, "client_id and client_secret are both required"),
        ({"client_id": "id", "client_secret": "s", "username": "u", "password": "p"}, "not both"),
        (
            {"client_id": "id", "client_secret": "s", "environment": "staging"},
            "unknown environment",
        ),
        (
            {"client_id": "id", "client_secret": "s", "base_url": "http://api.example.com/api"},
            "not https",
        ),
        (
            {"client_id": "id", "client_secret": "s", "token_url": "http://auth.example.com/t"},
            "not https",
        ),
    ],
)
def test_construction_mistakes_are_clear(options: dict[str, Any], message: str) -> None:
    for cls in (bw.DashboardClient, bw.AsyncDashboardClient):
        with pytest.raises(ValueError, match=message):
            cls("1", **options)


def test_plain_http_only_to_this_machine_unless_allowed() -> None:
    bw.DashboardClient(
        "1", client_id="i", client_secret="s", base_url="http://localhost:1/api"
    ).close()
    bw.DashboardClient("1", client_id="i", client_secret="s", base_url="http://[::1]:1/api").close()
    bw.DashboardClient(
        "1",
        client_id="i",
        client_secret="s",
        base_url="http://10.0.0.1/api",
        allow_insecure_http=True,
    ).close()
    with pytest.raises(ValueError, match="not https"):
        bw.CatapultClient("u-1", "t", "s", base_url="http://catapult.example.com/v1")


# ---- token endpoint answers, scripted ----


def token_script(*answers: httpx.Response | Exception) -> Callable[[httpx.Request], httpx.Response]:
    queue = list(answers)

    def answer(request: httpx.Request) -> httpx.Response:
        next_answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(next_answer, Exception):
            raise next_answer
        # A fresh copy: a response object is read once, and the parameters serve both modes.
        return httpx.Response(
            next_answer.status_code, headers=next_answer.headers, content=next_answer.content
        )

    return answer


GOOD_TOKEN = httpx.Response(
    200, json={"access_token": "abc.def.ghi", "token_type": "Bearer", "expires_in": 3600}
)
EMPTY_LIST = (
    b"<ApplicationProvisioningResponse><ApplicationList/></ApplicationProvisioningResponse>"
)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("answer", "error", "says"),
    [
        (
            httpx.Response(400, json={"error": "invalid_client"}),
            bw.AuthenticationError,
            "invalid_client",
        ),
        (
            httpx.Response(
                401, json={"error": "invalid_client", "error_description": "no such client"}
            ),
            bw.AuthenticationError,
            "no such client",
        ),
        (httpx.Response(403, text="Forbidden"), bw.AuthenticationError, "forbidden"),
        (httpx.Response(500, text="oops"), bw.ServerError, "internal server error"),
        (httpx.Response(503, html="<html>down</html>"), bw.ServerError, "service unavailable"),
        (
            httpx.Response(429, headers={"Retry-After": "7"}),
            bw.RateLimitedError,
            "too many requests",
        ),
        (
            httpx.Response(200, html="<html>login page</html>"),
            bw.MalformedResponseError,
            "not JSON",
        ),
        (
            httpx.Response(200, content=b'{"access_token": "abc", '),
            bw.MalformedResponseError,
            "not JSON",
        ),
        (httpx.Response(200, json=["abc"]), bw.MalformedResponseError, "not a JSON object"),
        (
            httpx.Response(200, json={"token_type": "Bearer", "expires_in": 3600}),
            bw.MalformedResponseError,
            "no usable access_token",
        ),
        (
            httpx.Response(200, json={"access_token": "a\r\nX-Injected: 1"}),
            bw.MalformedResponseError,
            "no usable access_token",
        ),
        (
            httpx.Response(200, json={"access_token": "abc", "token_type": "mac"}),
            bw.MalformedResponseError,
            "not Bearer",
        ),
        (
            httpx.Response(200, json={"access_token": "abc", "expires_in": "3600"}),
            bw.MalformedResponseError,
            "expires_in",
        ),
        (
            httpx.Response(200, json={"access_token": "abc", "expires_in": 0}),
            bw.MalformedResponseError,
            "expires_in",
        ),
        (
            httpx.Response(200, json={"access_token": "abc", "expires_in": 1.5}),
            bw.MalformedResponseError,
            "expires_in",
        ),
    ],
)
def test_token_endpoint_errors_are_typed(
    mode: str, answer: httpx.Response, error: type[bw.BandwidthError], says: str
) -> None:
    recorder = Recorder(
        lambda r: httpx.Response(200, content=EMPTY_LIST), token=token_script(answer)
    )
    with pytest.raises(error) as raised:
        dashboard(mode, recorder, retry=bw.NO_RETRY).list()
    assert type(raised.value) is error
    assert raised.value.url == f"{DASHBOARD_URL}/v1/oauth2/token"  # type: ignore[attr-defined]
    assert says in str(raised.value) and recorder.requests == []
    assert raised.value.request_sent is False  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", MODES)
def test_a_missing_expires_in_means_one_hour(mode: str) -> None:
    clock = FrozenClock()
    no_expiry = httpx.Response(200, json={"access_token": "abc"})
    recorder = Recorder(
        lambda r: httpx.Response(200, content=EMPTY_LIST), token=token_script(no_expiry)
    )
    client = dashboard(mode, recorder, retry=retry_policy(clock=clock))
    client.list()
    clock.now = NOW + 3539
    client.list()
    assert len(recorder.token_requests) == 1
    clock.now = NOW + 3540
    client.list()
    assert len(recorder.token_requests) == 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "failure",
    [httpx.Response(503), httpx.ConnectError("refused"), httpx.ReadTimeout("slow")],
    ids=["503", "connect", "read-timeout"],
)
def test_a_create_whose_token_request_failed_is_retried(
    mode: str, failure: httpx.Response | Exception
) -> None:
    created = (EXAMPLES / "dashboard/doc-voice-create-response-corrected.xml").read_bytes()
    recorder = Recorder(
        lambda r: httpx.Response(201, content=created), token=token_script(failure, GOOD_TOKEN)
    )
    assert dashboard(mode, recorder).create(voice()).app_name == "Production Server"
    assert len(recorder.token_requests) == 2 and len(recorder.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_token_transport_failure_names_the_token_url(mode: str) -> None:
    recorder = Recorder(
        lambda r: httpx.Response(200, content=EMPTY_LIST),
        token=token_script(httpx.ConnectError("refused")),
    )
    with pytest.raises(bw.TransportError) as raised:
        dashboard(mode, recorder, retry=bw.NO_RETRY).list()
    assert (
        raised.value.url == f"{DASHBOARD_URL}/v1/oauth2/token"
        and raised.value.request_sent is False
    )


@pytest.mark.parametrize("mode", MODES)
def test_the_token_request_is_client_credentials_over_basic(mode: str) -> None:
    recorder = Recorder(
        lambda r: httpx.Response(200, content=EMPTY_LIST), token=token_script(GOOD_TOKEN)
    )
    dashboard(mode, recorder, timeout=7.0).list()
    (token_request,) = recorder.token_requests
    assert token_request.method == "POST" and token_request.url.path == TOKEN_PATH
    assert (
        token_request.headers["authorization"]
        == "Basic " + base64.b64encode(f"api-client:{PASSWORD}".encode()).decode()
    )
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert token_request.content == b"grant_type=client_credentials"
    assert token_request.extensions["timeout"]["read"] == 7.0  # the call's timeout applies
    assert recorder.requests[0].headers["authorization"] == "Bearer abc.def.ghi"
