"""The sandbox over real loopback HTTP: the clients (sync and async), what real clients send,
auth, tenants, rate limits, concurrency and persistence."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import bandwidth_apps as bw
import httpx
import pytest
from bandwidth_apps.sandbox import ClientCredential, Credentials, Logins, Sandbox

from tests.clients import Driver, bearer
from tests.conftest import EXAMPLES

MODES = ["sync", "async"]


# A system-wide credential (no account list): these tests use many accounts.
ANY_ACCOUNT = Logins(
    clients=(ClientCredential("any-account-client", "any-account-secret"),),
    dashboard_basic=Credentials("sandbox-user", "sandbox-password"),
    catapult=Credentials("t-sandbox", "sandbox-secret"),
)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(logins=ANY_ACCOUNT) as running:
        yield running


def dashboard_client(
    sandbox: Sandbox, mode: str, account: str = "9900001", **options: Any
) -> Driver:
    cls = bw.AsyncDashboardClient if mode == "async" else bw.DashboardClient
    return Driver(cls(account, **sandbox.client_login, base_url=sandbox.dashboard_url, **options))


def bearer_of(sandbox: Sandbox) -> dict[str, str]:
    return bearer(sandbox.url, **sandbox.client_login)


def catapult_client(sandbox: Sandbox, mode: str, user: str = "u-sandbox", **options: Any) -> Driver:
    cls = bw.AsyncCatapultClient if mode == "async" else bw.CatapultClient
    login = (sandbox.catapult.username, sandbox.catapult.password)
    return Driver(cls(user, *login, base_url=sandbox.catapult_url, **options))


def messaging(name: str = "sms") -> bw.Application:
    return bw.Application(
        service_type=bw.ServiceType.MESSAGING_V2,
        app_name=name,
        inbound_callback_url="https://example.com/in",
        outbound_callback_url="https://example.com/out",
        inbound_callback_creds=bw.CallbackCredentials(
            user_id="inbound-user", password="inbound-secret"
        ),
        requested_callback_types=bw.RequestedCallbackTypes(
            callback_type=[bw.CallbackType.MESSAGE_DELIVERED]
        ),
    )


def voice(name: str = "voice") -> bw.Application:
    return bw.Application(
        service_type=bw.ServiceType.VOICE_V2,
        app_name=name,
        call_initiated_callback_url="https://example.com/voice",
        call_status_callback_url="https://example.com/status",
        callback_creds=bw.CallbackCredentials(user_id="voice-user", password="voice-secret"),
    )


@pytest.mark.parametrize("mode", MODES)
def test_dashboard_lifecycle(sandbox: Sandbox, mode: str) -> None:
    client = dashboard_client(sandbox, mode, account=f"life-{mode}")
    sms = client.create(messaging())
    call = client.create(voice())
    assert (
        sms.msg_callback_url == "https://example.com/in"
    )  # the deprecated mirror, as the API does
    assert sms.inbound_callback_creds.user_id == "inbound-user"
    assert call.call_initiated_method == bw.CallbackMethod.POST  # the API's default, filled in
    assert {a.application_id for a in client.list()} == {sms.application_id, call.application_id}
    assert client.get(call.application_id).app_name == "voice"

    patched = client.patch(call.application_id, bw.Application(app_name="renamed"))
    assert (patched.app_name, patched.callback_creds.user_id) == ("renamed", "voice-user")
    removed = client.patch(
        call.application_id,
        bw.Application(call_status_callback_url=bw.CallStatusCallbackUrlRemoval.REMOVE),
    )
    assert removed.call_status_callback_url is None
    replaced = client.update(
        call.application_id,
        bw.Application(
            service_type=bw.ServiceType.VOICE_V2,
            app_name="bare",
            call_initiated_callback_url="https://example.com/v2",
        ),
    )
    assert replaced.callback_creds is None  # PUT removes what it leaves out, credentials too

    with pytest.raises(bw.ConflictError):  # ServiceType cannot change
        client.patch(call.application_id, bw.Application(service_type=bw.ServiceType.MESSAGING_V2))
    sandbox.store.associate_sip_peer(
        f"life-{mode}", sms.application_id, ("11", "Site"), ("22", "Peer")
    )
    (peer,) = client.associated_sip_peers(sms.application_id)
    assert (peer.site_name, peer.peer_id) == ("Site", "22")
    with pytest.raises(bw.ConflictError):  # in use by a Location
        client.delete(sms.application_id)
    assert client.delete(call.application_id) is None
    with pytest.raises(bw.NotFoundError):
        client.get(call.application_id)
    with pytest.raises(bw.NotFoundError):
        client.associated_sip_peers(call.application_id)


@pytest.mark.parametrize("mode", MODES)
def test_catapult_lifecycle_with_paging(sandbox: Sandbox, mode: str) -> None:
    client = catapult_client(sandbox, mode, user=f"u-life{mode}")
    created = [
        client.create(
            bw.CatapultApplicationCreate(name=f"app {n}", incoming_call_url="https://example.com/c")
        )
        for n in range(7)
    ]
    assert [a.id for a in client.list(page_size=3)] == [a.id for a in created]  # 3 pages
    first = created[0]
    client.update(
        first.id, bw.CatapultApplicationUpdate(incoming_message_url="https://example.com/m")
    )
    got = client.get(first.id)
    assert (got.name, got.incoming_call_url, got.incoming_message_url) == (
        "app 0",
        "https://example.com/c",
        "https://example.com/m",
    )
    assert (got.incoming_call_url_callback_timeout, got.auto_answer) == (10000, True)  # defaults
    client.delete(first.id)
    with pytest.raises(bw.NotFoundError):
        client.get(first.id)
    with pytest.raises(bw.ApiError) as raised:  # the server's own rule, with stored state
        client.update(
            created[1].id,
            bw.CatapultApplicationUpdate(incoming_message_fallback_url="https://f.com/x"),
        )
    assert raised.value.code == "validation-error"


@pytest.mark.parametrize("path", ["/api", "/api/v2", "/api/v1", "/v1.0"])
@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/xml; charset=utf-8"},
        {"content-type": "application/xml"},
        {"CONTENT-TYPE": "APPLICATION/XML", "Connection": "close"},
        {"Content-Type": "text/xml", "Connection": "keep-alive"},
    ],
)
def test_what_real_clients_send_is_accepted(
    sandbox: Sandbox, path: str, headers: dict[str, str]
) -> None:
    body = (EXAMPLES / "dashboard/real-client-service-type-last-request.xml").read_bytes()
    assert body.startswith(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Application>\n    '
    )
    url = f"{sandbox.url}{path}/accounts/real/applications"
    response = httpx.post(url, content=body, headers={**headers, **bearer_of(sandbox)})
    assert response.status_code == 201, response.text
    assert response.headers["location"].startswith(f"{url}/")
    assert b"<AppName>Inbound SMS</AppName>" in response.content


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("doc-messaging-create-request.xml", 201),
        ("doc-voice-create-request-corrected.xml", 201),
        ("numeric-app-name-request.xml", 201),
        ("doc-voice-create-request.xml", 400),  # the docs' malformed example
        ("creds-missing-password-request.xml", 400),
        ("alias-conflict-request.xml", 400),
        ("band-messaging-create-request.xml", 201),
        ("band-voice-create-request.xml", 201),
    ],
)
def test_documented_bodies(sandbox: Sandbox, name: str, status: int) -> None:
    response = httpx.post(
        f"{sandbox.dashboard_url}/accounts/docs/applications",
        content=(EXAMPLES / "dashboard" / name).read_bytes(),
        headers={**bearer_of(sandbox), "Content-Type": "application/xml"},
    )
    assert response.status_code == status, response.text
    if status == 201 and name.startswith("numeric"):
        assert b"<AppName>007</AppName>" in response.content  # never coerced


def test_catapult_nulls_are_absent(sandbox: Sandbox) -> None:
    auth = (sandbox.catapult.username, sandbox.catapult.password)
    base = f"{sandbox.catapult_url}/users/u-nulls/applications"
    body = json.loads((EXAMPLES / "catapult/null-fields-create-request.json").read_text())
    created = httpx.post(base, json=body, auth=auth, headers={"Connection": "close"})
    assert created.status_code == 201 and created.content == b""
    assert "content-type" not in created.headers  # no JSON type on an empty body
    location = created.headers["location"]
    stored = httpx.get(location, auth=auth).json()
    assert stored["incomingCallUrl"] == "https://example.com/calls"
    assert None not in stored.values() and "incomingMessageUrl" not in stored
    update = httpx.post(
        location, json={"name": None, "incomingMessageUrl": "https://example.com/m"}, auth=auth
    )
    assert update.status_code == 200
    assert httpx.get(location, auth=auth).json()["name"] == "nulls"  # null left it unchanged
    old = httpx.post(
        base,
        json=json.loads(
            (EXAMPLES / "catapult/old-client-sms-alias-create-request.json").read_text()
        ),
        auth=auth,
    )
    assert (
        httpx.get(old.headers["location"], auth=auth).json()["incomingMessageUrl"]
        == "https://example.com/sms"
    )


def test_tenants_are_isolated(sandbox: Sandbox) -> None:
    one, two = (
        dashboard_client(sandbox, "sync", "tenant-1"),
        dashboard_client(sandbox, "sync", "tenant-2"),
    )
    created = one.create(voice())
    assert two.list() == []
    with pytest.raises(bw.NotFoundError):
        two.get(created.application_id)
    c1, c2 = catapult_client(sandbox, "sync", "u-one"), catapult_client(sandbox, "sync", "u-two")
    app = c1.create(bw.CatapultApplicationCreate(name="mine", incoming_call_url="https://e.com/c"))
    assert c2.list() == []
    with pytest.raises(bw.NotFoundError):
        c2.get(app.id)


def test_wrong_credentials_in_each_platforms_format(sandbox: Sandbox) -> None:
    response = httpx.get(f"{sandbox.dashboard_url}/accounts/1/applications", auth=("x", "y"))
    assert response.status_code == 401 and b"<ErrorResponse>" in response.content
    response = httpx.get(f"{sandbox.catapult_url}/users/u-1/applications", auth=("x", "y"))
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    with (
        bw.DashboardClient(
            "1", client_id="x", client_secret="y", base_url=sandbox.dashboard_url
        ) as client,
        pytest.raises(bw.AuthenticationError),
    ):
        client.list()


class FrozenClock:
    """Time for both the sandbox's rate limiter and the client's waits: it moves only when the
    client sleeps, so the test does not depend on how fast this machine is."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.25

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.mark.parametrize("mode", MODES)
def test_rate_limits_mimic_each_platform_and_clients_retry_through_them(mode: str) -> None:
    clock = FrozenClock()
    with Sandbox(rate_limit=2, clock=clock.time, logins=ANY_ACCOUNT) as limited:
        token = bearer(limited.url, **limited.client_login)
        url = f"{limited.dashboard_url}/accounts/busy/applications"
        statuses = [httpx.get(url, headers=token).status_code for _ in range(2)]
        limited_answer = httpx.get(url, headers=token)
        assert statuses == [200, 200] and limited_answer.status_code == 429
        assert limited_answer.content == b""
        assert limited_answer.headers["x-ratelimit-reset"] == "1700000001"  # epoch seconds
        catapult_auth = (limited.catapult.username, limited.catapult.password)
        catapult_url = f"{limited.catapult_url}/users/u-busy/applications"
        for _ in range(2):
            assert httpx.get(catapult_url, auth=catapult_auth).status_code == 200
        rate_limited = httpx.get(catapult_url, auth=catapult_auth)
        assert rate_limited.status_code == 429 and "message" not in rate_limited.json()
        assert rate_limited.headers["x-ratelimit-reset"] == "1700000001000"  # epoch milliseconds
        retry = bw.RetryPolicy(sleep=clock.sleep, async_sleep=clock.async_sleep, clock=clock.time)
        client = dashboard_client(limited, mode, "busy-client", retry=retry)
        for _ in range(5):  # more than the limit allows in one second: retried after each reset
            client.list()
        assert clock.now == 1_700_000_002.0  # it waited exactly until each of the two resets


def test_500_concurrent_creates_lose_nothing(sandbox: Sandbox) -> None:
    def create_many(worker: int) -> None:
        login = sandbox.client_login
        with bw.DashboardClient("crowd", **login, base_url=sandbox.dashboard_url) as client:
            for n in range(50):
                client.create(voice(f"w{worker}-{n}"))

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(create_many, range(10)))
    listed = dashboard_client(sandbox, "sync", "crowd").list()
    assert len(listed) == 500 and len({a.application_id for a in listed}) == 500


def test_a_restarted_sandbox_returns_every_application(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.db")
    with Sandbox(db=db, logins=ANY_ACCOUNT) as first:
        dashboard = dashboard_client(first, "sync", "kept")
        ids = {dashboard.create(voice(f"v{n}")).application_id for n in range(5)}
        catapult = catapult_client(first, "sync", "u-kept")
        kept = catapult.create(
            bw.CatapultApplicationCreate(name="kept", incoming_call_url="https://e.com/c")
        )
    with Sandbox(db=db, logins=ANY_ACCOUNT) as second:
        assert {a.application_id for a in dashboard_client(second, "sync", "kept").list()} == ids
        assert catapult_client(second, "sync", "u-kept").get(kept.id).name == "kept"


def test_patch_with_user_id_only_keeps_the_stored_password(sandbox: Sandbox) -> None:
    client = dashboard_client(sandbox, "sync", account="patch-creds")
    created = client.create(messaging())
    stored_before = sandbox.store.dashboard_get("patch-creds", created.application_id)
    change = bw.Application(inbound_callback_creds=bw.CallbackCredentials(user_id="renamed-user"))
    patched = client.patch(created.application_id, change)
    assert patched.inbound_callback_creds.user_id == "renamed-user"
    stored_after = sandbox.store.dashboard_get("patch-creds", created.application_id)
    assert stored_before is not None and stored_after is not None
    password_hash = re.compile(
        rb"<InboundCallbackCreds><UserId>[^<]*</UserId><Password>([^<]+)</Password>"
    )
    kept = password_hash.search(stored_before)
    assert kept and kept.group(1).startswith(b"sha256:")
    assert password_hash.search(stored_after).group(1) == kept.group(1)  # type: ignore[union-attr]
    # With no stored credentials there is no password to keep: refused by the server's rule.
    with pytest.raises(bw.ApiError) as refused:
        client.patch(
            created.application_id,
            bw.Application(outbound_callback_creds=bw.CallbackCredentials(user_id="nobody-user")),
        )
    assert refused.value.status == 400 and "OutboundCallbackCreds/Password" in str(refused.value)


def test_deprecated_aliases_round_trip_through_the_sandbox(sandbox: Sandbox) -> None:
    client = dashboard_client(sandbox, "sync", account="aliases")
    old_style = bw.Application(
        service_type=bw.ServiceType.MESSAGING_V2, app_name="old", msg_callback_url="https://e.com/m"
    )
    with pytest.warns(DeprecationWarning, match="msg_callback_url is deprecated"):
        created = client.create(old_style)
    assert (created.inbound_callback_url, created.outbound_callback_url) == ("https://e.com/m",) * 2


@pytest.mark.parametrize("mode", MODES)
def test_service_type_cannot_change_by_put_or_patch(sandbox: Sandbox, mode: str) -> None:
    client = dashboard_client(sandbox, mode, account=f"switch-{mode}")
    created = client.create(voice())
    as_messaging = bw.Application(
        service_type=bw.ServiceType.MESSAGING_V2,
        app_name="switched",
        inbound_callback_url="https://example.com/in",
    )
    for change in (client.update, client.patch):
        with pytest.raises(bw.ConflictError) as raised:
            change(created.application_id, as_messaging)
        assert raised.value.code == "13631"
    assert client.get(created.application_id).service_type == bw.ServiceType.VOICE_V2


def test_basic_logins_need_the_right_user_and_the_right_password() -> None:
    with Sandbox(logins=ANY_ACCOUNT, legacy_basic=True) as running:
        dashboard_url = f"{running.dashboard_url}/accounts/1/applications"
        catapult_url = f"{running.catapult_url}/users/u-1/applications"
        for url, (user, password) in (
            (dashboard_url, (running.dashboard.username, running.dashboard.password)),
            (catapult_url, (running.catapult.username, running.catapult.password)),
        ):
            assert httpx.get(url, auth=(user, password)).status_code == 200
            assert httpx.get(url, auth=("someone-else", password)).status_code == 401
            assert httpx.get(url, auth=(user, password + "x")).status_code == 401
            assert httpx.get(url, auth=(user, "")).status_code == 401
        token_url = f"{running.url}/api/v1/oauth2/token"
        client = running.logins.clients[0]
        form = {"grant_type": "client_credentials"}
        assert (
            httpx.post(
                token_url, data=form, auth=(client.client_id, client.client_secret)
            ).status_code
            == 200
        )
        assert (
            httpx.post(
                token_url, data=form, auth=("another-client", client.client_secret)
            ).status_code
            == 401
        )
        assert httpx.post(token_url, data=form, auth=(client.client_id, "wrong")).status_code == 401


def test_callback_passwords_are_stored_only_as_hashes(tmp_path: Path) -> None:
    db = tmp_path / "hashes.db"
    password = "plain-callback-password-5e"
    with Sandbox(db=str(db), logins=ANY_ACCOUNT) as running:
        client = dashboard_client(running, "sync", account="hashes")
        application = messaging()
        application.inbound_callback_creds = bw.CallbackCredentials(
            user_id="cb-user", password=password
        )
        application.outbound_callback_creds = bw.CallbackCredentials(
            user_id="cb-user", password="sha256:" + password
        )
        client.create(application)
        put = messaging("put")
        put.inbound_callback_creds = bw.CallbackCredentials(user_id="cb-user", password="put-pw-77")
        client.update(client.create(messaging("to replace")).application_id, put)
        patch = bw.Application(
            outbound_callback_creds=bw.CallbackCredentials(
                user_id="cb-user", password="patch-pw-88"
            )
        )
        client.patch(client.create(messaging("to patch")).application_id, patch)
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())  # the database, WAL included
    assert password.encode() not in stored  # neither as given, nor when it looks like a hash
    assert b"put-pw-77" not in stored and b"patch-pw-88" not in stored  # nor from a PUT or PATCH
    import hashlib

    digest = hashlib.sha256(password.encode()).hexdigest().encode()
    assert b"sha256:" + digest in stored


def test_a_sandbox_accepts_connections_as_soon_as_it_has_a_port(tmp_path: Path) -> None:
    """The CLI prints the URL before it serves: a script that reads it and connects at once must
    reach the server (queued until it accepts), not be refused."""
    import socket

    from bandwidth_apps.sandbox import Sandbox

    unstarted = Sandbox(port=0, db=str(tmp_path / "db.sqlite"))
    try:
        with socket.create_connection(("127.0.0.1", unstarted.port), timeout=5):
            pass
    finally:
        unstarted.store.close()
        unstarted._socket.close()


def test_a_request_offering_an_http2_upgrade_keeps_its_body(sandbox: Sandbox) -> None:
    """Java's HttpClient (and `curl --http2`) offer `Upgrade: h2c` on http:// URLs. The sandbox
    answers in HTTP/1.1 and must still read the body (httptools loses it: the token request
    then looked empty)."""
    import socket

    body = b"grant_type=client_credentials"
    login = base64.b64encode(b"any-account-client:any-account-secret").decode()
    request = (
        f"POST /api/v1/oauth2/token HTTP/1.1\r\nHost: {sandbox.host}:{sandbox.port}\r\n"
        "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAAA\r\n"
        f"Authorization: Basic {login}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    with socket.create_connection((sandbox.host, sandbox.port), timeout=5) as connection:
        connection.sendall(request)
        answer = b""
        while b"access_token" not in answer and b"error" not in answer:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    assert b'"access_token"' in answer


# ---- the exact answers of the less travelled paths ----


def test_a_reset_store_forgets_every_table() -> None:
    from bandwidth_apps.sandbox._store import Store

    store = Store()
    store.dashboard_put("acc", "d-1", b"<Application/>")
    store.associate_sip_peer("acc", "d-1", ("s-1", "site"), ("p-1", "peer"))
    store.catapult_put("u-1", "a-1", "{}")
    store.reset()
    assert store.dashboard_list("acc") == []
    assert store.sip_peers("acc", "d-1") == []
    assert store.catapult_get("u-1", "a-1") is None
    store.close()


def test_deleting_a_catapult_application_twice_is_a_404_the_second_time(sandbox: Sandbox) -> None:
    auth = (sandbox.catapult.username, sandbox.catapult.password)
    collection = f"{sandbox.catapult_url}/users/u-twice/applications"
    created = httpx.post(
        collection, json={"name": "t", "incomingCallUrl": "https://e.com/c"}, auth=auth
    )
    item = created.headers["location"]
    assert httpx.delete(item, auth=auth).status_code == 200
    again = httpx.delete(item, auth=auth)
    assert again.status_code == 404 and again.json()["code"] == "application-not-found"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"name": "u", "incomingCallUrl": "not a url"}, "callback-invalid-url", "incomingCallUrl"),
        ({"name": "u", "incomingCallUrl": "https://e.com/c", "autoAnswer": "yes"},
         "validation-error", "autoAnswer"),
    ],
)  # fmt: skip
def test_a_refused_catapult_body_names_its_code_and_first_problem(
    sandbox: Sandbox, body: dict[str, Any], code: str, field: str
) -> None:
    auth = (sandbox.catapult.username, sandbox.catapult.password)
    answer = httpx.post(f"{sandbox.catapult_url}/users/u-codes/applications", json=body, auth=auth)
    refused = answer.json()
    assert answer.status_code == 400
    assert (refused["category"], refused["code"]) == ("bad-request", code)
    assert [d["name"] for d in refused["details"]] == [field]
    assert refused["message"] and refused["message"] in refused["details"][0]["value"]


@pytest.mark.parametrize("platform", ["dashboard", "catapult"])
def test_a_body_over_the_limit_gets_its_platforms_error_and_the_connection_closed(
    sandbox: Sandbox, platform: str
) -> None:
    from bandwidth_apps.sandbox._app import BODY_LIMIT

    if platform == "dashboard":
        url = f"{sandbox.dashboard_url}/accounts/9900001/applications"
        headers = {**bearer_of(sandbox), "Content-Type": "application/xml"}
    else:
        url = f"{sandbox.catapult_url}/users/u-big/applications"
        login = f"{sandbox.catapult.username}:{sandbox.catapult.password}".encode()
        headers = {"Authorization": "Basic " + base64.b64encode(login).decode()}
        headers["Content-Type"] = "application/json"
    answer = httpx.post(url, content=b" " * (BODY_LIMIT + 1), headers=headers)
    said = f"The request body is longer than {BODY_LIMIT} bytes"
    assert answer.status_code == 413 and answer.headers["connection"] == "close"
    if platform == "dashboard":
        assert f"<Description>{said}</Description>" in answer.text
    else:
        assert answer.json() == {
            "category": "bad-request",
            "code": "request-too-large",
            "message": said,
        }


def test_the_admin_endpoints_answer_exactly() -> None:
    import datetime

    with Sandbox(logins=ANY_ACCOUNT, admin_token="adm") as running:
        clock = f"{running.url}/_sandbox/clock"
        admin = {"Authorization": "Bearer adm"}
        refused = httpx.post(clock, json={"now": 0}, headers={"Authorization": "Bearer nope"})
        assert refused.status_code == 401
        assert refused.json() == {
            "error": "the admin endpoints need Authorization: Bearer <admin token>"
        }
        assert refused.headers["www-authenticate"] == 'Bearer realm="bandwidth-apps sandbox admin"'
        moments = {
            1_795_000_000: 1_795_000_000.0,  # epoch seconds
            "2026-12-02T00:00:01": datetime.datetime(2026, 12, 2, 0, 0, 1, tzinfo=datetime.UTC),
            "2026-12-02T02:00:01+02:00": datetime.datetime(
                2026, 12, 2, 0, 0, 1, tzinfo=datetime.UTC
            ),
        }
        for given, expected in moments.items():
            moved = httpx.post(clock, json={"now": given}, headers=admin)
            seconds = expected if isinstance(expected, float) else expected.timestamp()
            assert moved.status_code == 200 and moved.json()["now"] == pytest.approx(seconds, abs=1)
        for bad in [{"now": "yesterday"}, {"then": 1}, [1], {"now": 1e300}]:
            answer = httpx.post(clock, json=bad, headers=admin)
            assert answer.status_code == 400
            assert answer.json()["error"].startswith('expected {"now": epoch seconds or ISO 8601}')
        peers = f"{running.url}/_sandbox/sip-peers"
        missing = httpx.post(peers, json={"accountId": "a"}, headers=admin)
        assert missing.status_code == 400 and missing.json()["error"].startswith(
            "expected accountId, applicationId, siteId, siteName, peerId, peerName"
        )
        peer = dict.fromkeys(["accountId", "applicationId", "siteId", "siteName", "peerId"], "x")
        added = httpx.post(peers, json={**peer, "peerName": "p"}, headers=admin)
        assert added.status_code == 201 and added.json() == {"associated": "x"}
    with Sandbox(logins=ANY_ACCOUNT, admin_token="adm", clock=lambda: 0.0) as fixed:
        answer = httpx.post(f"{fixed.url}/_sandbox/clock", json={"now": 1}, headers=admin)
        assert answer.status_code == 409
        assert answer.json() == {"error": "this sandbox's clock cannot be moved"}


def test_logins_come_from_flags_over_the_environment_over_the_defaults() -> None:
    from bandwidth_apps.sandbox import DEFAULTS, logins_from_env

    defaults = logins_from_env({})
    (client,) = defaults.clients
    assert (client.client_id, client.client_secret) == (
        DEFAULTS["BW_CLIENT_ID"],
        DEFAULTS["BW_CLIENT_SECRET"],
    )
    assert client.accounts == (DEFAULTS["BW_ACCOUNT_ID"],)
    assert (defaults.dashboard_basic.username, defaults.dashboard_basic.password) == (
        DEFAULTS["BANDWIDTH_USERNAME"],
        DEFAULTS["BANDWIDTH_PASSWORD"],
    )
    assert (defaults.catapult.username, defaults.catapult.password) == (
        DEFAULTS["CATAPULT_API_TOKEN"],
        DEFAULTS["CATAPULT_API_SECRET"],
    )
    environ = {
        "BW_CLIENT_ID": "env-id",
        "BW_CLIENT_SECRET": "env-secret",
        "BW_ACCOUNT_ID": " a, ,b ",
    }
    from_env = logins_from_env(environ, BW_CLIENT_SECRET="flag-secret", BANDWIDTH_USERNAME="")
    (client,) = from_env.clients
    assert (client.client_id, client.client_secret, client.accounts) == (
        "env-id",
        "flag-secret",
        ("a", "b"),
    )
    assert from_env.dashboard_basic.username == DEFAULTS["BANDWIDTH_USERNAME"]  # empty: not given
    assert logins_from_env(environ, BW_ACCOUNT_ID=["x", " y "]).clients[0].accounts == ("x", "y")
    assert logins_from_env(environ, BW_ACCOUNT_ID="p,q").clients[0].accounts == ("p", "q")
