"""The models users hold: nothing dropped silently, reprs that list what is set (never an
Unset object, never a password), and what get() returned accepted back by update()."""

from __future__ import annotations

import pydoc
from collections.abc import Iterator
from typing import Any

import bandwidth_apps as bw
import httpx
import pytest
from bandwidth_apps.sandbox import ClientCredential, Credentials, Logins, Sandbox

from tests.clients import Driver, Recorder, catapult, dashboard

MODES = ["sync", "async"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("data", "named"),
    [
        (
            {
                "name": "x",
                "incomingCallUrl": "https://e.com/c",
                "incomingCalUrl": "https://e.com/x",
            },
            ("incomingCalUrl", "incomingCallUrl"),
        ),
        (
            {"name": "x", "incomingCallUrl": "https://e.com/c", "autoanswer": False},
            ("autoanswer", "autoAnswer"),
        ),
        (
            {"name": "x", "incomingCallUrl": "https://e.com/c", "callbackHTTPMethod": "GET"},
            ("callbackHTTPMethod", "callbackHttpMethod"),
        ),
        ({"nmae": "x", "incomingCallUrl": "https://e.com/c"}, ("nmae", "name")),
    ],
)
def test_a_misspelled_catapult_field_is_refused_and_named(
    mode: str, data: dict[str, Any], named: tuple[str, str]
) -> None:
    recorder = Recorder(lambda r: httpx.Response(599))
    model = bw.CatapultApplicationCreate.from_dict(data)
    with pytest.raises(bw.ValidationError) as raised:
        catapult(mode, recorder).create(model)
    wrong, right = named
    (violation,) = [v for v in raised.value.violations if v.field == wrong]
    assert violation.rule == "unexpected" and f"did you mean {right!r}?" in violation.message
    update = bw.CatapultApplicationUpdate.from_dict({"incomingMesageUrl": "https://e.com/m"})
    with pytest.raises(bw.ValidationError, match="did you mean 'incomingMessageUrl'"):
        catapult(mode, recorder).update("a-1", update)
    assert recorder.requests == []


def test_a_missing_required_field_is_a_violation_not_a_key_error() -> None:
    model = bw.CatapultApplicationCreate.from_dict({"incomingCallUrl": "https://e.com/c"})
    with pytest.raises(bw.ValidationError) as raised:
        catapult("sync", Recorder(lambda r: httpx.Response(599))).create(model)
    assert [(v.field, v.rule) for v in raised.value.violations] == [("name", "required")]


def test_reprs_list_what_is_set_and_no_unset_object_anywhere() -> None:
    model = bw.CatapultApplicationCreate(name="x", incoming_call_url="https://e.com/c")
    assert repr(model) == (
        "ApplicationCreate(name='x', incoming_call_url='https://e.com/c',"
        " incoming_call_url_callback_timeout=10000, incoming_message_url_callback_timeout=10000,"
        " callback_http_method='POST', auto_answer=True)"  # the spec's defaults are set values
    )
    assert (
        repr(bw.CatapultApplicationUpdate(auto_answer=False))
        == "ApplicationUpdate(auto_answer=False)"
    )
    assert repr(bw.UNSET) == "UNSET"
    application = bw.Application(
        app_name="x",
        callback_creds=bw.CallbackCredentials(user_id="someone", password="hunter2-pw"),
    )
    assert (
        repr(application)
        == "Application(app_name='x', callback_creds=CallbackCredentials(user_id='someone'))"
    )
    assert str(application) == repr(application)
    texts = [
        pydoc.render_doc(cls, renderer=pydoc.plaintext)
        for cls in (
            bw.CatapultApplicationCreate,
            bw.CatapultApplicationUpdate,
            bw.CatapultApplication,
            bw.Application,
        )
    ]
    with pytest.raises(bw.ValidationError) as raised:
        catapult("sync", Recorder(lambda r: httpx.Response(599))).create(
            bw.CatapultApplicationCreate.from_dict({"x": 1})
        )
    texts += [str(raised.value), repr(raised.value)]
    for text in texts:
        assert "object at 0x" not in text and "Unset object" not in text


LOGINS = Logins(
    clients=(ClientCredential("model-client", "model-secret"),),
    dashboard_basic=Credentials("model-user", "model-password"),
    catapult=Credentials("t-model", "model-catapult-secret"),
)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(logins=LOGINS) as running:
        yield running


def dashboard_client(sandbox: Sandbox, mode: str) -> Driver:
    cls = bw.AsyncDashboardClient if mode == "async" else bw.DashboardClient
    return Driver(cls(f"rmw-{mode}", **sandbox.client_login, base_url=sandbox.dashboard_url))


@pytest.mark.parametrize("mode", MODES)
def test_read_modify_write_with_what_get_returned(sandbox: Sandbox, mode: str) -> None:
    client = dashboard_client(sandbox, mode)
    created = client.create(
        bw.Application(
            service_type=bw.ServiceType.MESSAGING_V2,
            app_name="before",
            inbound_callback_url="https://e.com/in",
        )
    )
    app = client.get(created.application_id)  # it carries the deprecated MsgCallbackUrl mirror
    app.app_name = "after"
    app.outbound_callback_url = "https://e.com/out"
    replaced = client.update(app.application_id, app)
    assert (replaced.app_name, replaced.outbound_callback_url) == ("after", "https://e.com/out")
    assert bw.as_request(app).msg_callback_url is None and bw.as_request(app).app_name == "after"


@pytest.mark.parametrize("mode", MODES)
def test_credentials_read_back_keep_their_password_through_patch_and_say_so_for_put(
    sandbox: Sandbox, mode: str
) -> None:
    client = dashboard_client(sandbox, mode)
    voice = bw.Application(
        service_type=bw.ServiceType.VOICE_V2,
        app_name="creds",
        call_initiated_callback_url="https://e.com/v",
        callback_creds=bw.CallbackCredentials(user_id="voice-user", password="voice-secret"),
    )
    created = client.create(voice)
    stored_before = sandbox.store.dashboard_get(f"rmw-{mode}", created.application_id)
    app = client.get(created.application_id)
    app.app_name = "renamed"
    with pytest.raises(bw.ValidationError) as raised:
        client.update(app.application_id, app)
    (violation,) = raised.value.violations
    assert (violation.field, violation.rule) == ("Application/CallbackCreds/Password", "required")
    assert violation.message == (
        "answers never carry passwords, and a PUT replaces everything: set it again,"
        " or send the change with patch(), which keeps the stored one"
    )
    patched = client.patch(app.application_id, app)
    assert patched.app_name == "renamed" and patched.callback_creds.user_id == "voice-user"
    stored_after = sandbox.store.dashboard_get(f"rmw-{mode}", created.application_id)
    assert stored_before is not None and stored_after is not None

    def password_hash(document: bytes) -> bytes:
        return document.split(b"<Password>")[1].split(b"</Password>")[0]

    assert password_hash(stored_after) == password_hash(stored_before)


@pytest.mark.parametrize("mode", MODES)
def test_catapult_read_modify_write(sandbox: Sandbox, mode: str) -> None:
    cls = bw.AsyncCatapultClient if mode == "async" else bw.CatapultClient
    client = Driver(
        cls(f"u-rmw{mode}", "t-model", "model-catapult-secret", base_url=sandbox.catapult_url)
    )
    created = client.create(
        bw.CatapultApplicationCreate(name="before", incoming_call_url="https://e.com/c")
    )
    app = client.get(created.id)
    app.name = "after"
    app.auto_answer = False
    client.update(app.id, app)
    again = client.get(created.id)
    assert (again.name, again.auto_answer, again.incoming_call_url) == (
        "after",
        False,
        "https://e.com/c",
    )


def test_as_request_refuses_what_is_not_an_application() -> None:
    with pytest.raises(TypeError, match="Application or ApplicationResponse"):
        bw.as_request({"AppName": "x"})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        dashboard("sync", Recorder(lambda r: httpx.Response(599))).update("a-1", {"AppName": "x"})
