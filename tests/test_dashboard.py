"""DashboardClient and AsyncDashboardClient: every operation, against scripted answers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import bandwidth_apps as bw
import httpx
import pytest
from lxml import etree

from tests.clients import DASHBOARD_URL, Recorder, dashboard
from tests.conftest import EXAMPLES
from tests.specs_support import lxml_schema

MODES = ["sync", "async"]
COLLECTION = f"{DASHBOARD_URL}/accounts/9900001/applications"
VOICE_ID = "d775585a-ed5b-4a49-8b96-f68c0a993ebe"


def vector(name: str) -> bytes:
    return (EXAMPLES / "dashboard" / name).read_bytes()


def xml(status: int, name: str, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, content=vector(name), headers={"Content-Type": "application/xml", **headers}
    )


def voice_app(**changes: object) -> bw.Application:
    fields: dict[str, object] = {
        "service_type": bw.ServiceType.VOICE_V2,
        "app_name": "Production Server",
        "call_initiated_callback_url": "https://yourSecureSite.com/callbacks/voice",
        "callback_creds": bw.CallbackCredentials(user_id="Your-User-id", password="Your-Password"),
    }
    return bw.Application(**{**fields, **changes})  # type: ignore[arg-type]


def sent_document(request: httpx.Request) -> etree._Element:
    assert request.headers["content-type"].startswith("application/xml")
    document = etree.fromstring(request.content)
    assert lxml_schema().validate(document), lxml_schema().error_log
    return document


@pytest.mark.parametrize("mode", MODES)
def test_create_answered_with_a_body(mode: str) -> None:
    recorder = Recorder(lambda r: xml(201, "doc-voice-create-response-corrected.xml"))
    created = dashboard(mode, recorder).create(voice_app())
    assert isinstance(created, bw.ApplicationResponse)
    assert created.application_id == VOICE_ID
    assert created.call_initiated_method == bw.CallbackMethod.POST
    (request,) = recorder.requests
    assert (request.method, str(request.url)) == ("POST", COLLECTION)
    assert request.headers["authorization"] == "Bearer canary-ACCESS-TOKEN-5d1e"
    document = sent_document(request)
    assert document.findtext("CallbackCreds/Password") == "Your-Password"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [201, 200])
def test_create_answered_with_location_only_then_gets_it(mode: str, status: int) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(
                status, headers={"Location": f"/accounts/9900001/applications/{VOICE_ID}"}
            )
        return xml(200, "doc-voice-create-response-corrected.xml")

    recorder = Recorder(answer)
    created = dashboard(mode, recorder).create(voice_app())
    assert created.application_id == VOICE_ID
    assert [(r.method, str(r.url)) for r in recorder.requests] == [
        ("POST", COLLECTION),
        ("GET", f"{COLLECTION}/{VOICE_ID}"),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_create_answered_with_neither_body_nor_location(mode: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(201))
    with pytest.raises(bw.MalformedResponseError, match="neither a body nor a Location"):
        dashboard(mode, recorder).create(voice_app())


@pytest.mark.parametrize("mode", MODES)
def test_list(mode: str) -> None:
    recorder = Recorder(lambda r: xml(200, "list-response.xml"))
    applications = dashboard(mode, recorder).list()
    assert [a.service_type for a in applications] == [
        bw.ServiceType.MESSAGING_V2,
        bw.ServiceType.VOICE_V2,
    ]
    assert applications[0].msg_callback_url == "https://example.com"  # deprecated, still read
    assert [(r.method, str(r.url)) for r in recorder.requests] == [("GET", COLLECTION)]


@pytest.mark.parametrize("mode", MODES)
def test_list_empty(mode: str) -> None:
    recorder = Recorder(lambda r: xml(200, "list-empty-response.xml"))
    assert dashboard(mode, recorder).list() == []


@pytest.mark.parametrize("mode", MODES)
def test_get_and_not_found(mode: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/missing"):
            return xml(404, "error-not-found-response.xml")
        return xml(200, "doc-messaging-create-response.xml")

    client = dashboard(mode, Recorder(answer))
    assert client.get("d4d1b41d-4c05-47d0-838a-34e4f14e4e3e").app_name == "EBVICs"
    with pytest.raises(bw.NotFoundError) as raised:
        client.get("missing")
    assert (raised.value.status, raised.value.code) == (404, "13629")
    assert raised.value.description == "Application with id 'x' not found"


@pytest.mark.parametrize("mode", MODES)
def test_update_is_a_full_replace(mode: str) -> None:
    recorder = Recorder(lambda r: xml(200, "doc-voice-create-response-corrected.xml"))
    updated = dashboard(mode, recorder).update(VOICE_ID, voice_app(app_name="Renamed"))
    assert updated.application_id == VOICE_ID
    (request,) = recorder.requests
    assert (request.method, str(request.url)) == ("PUT", f"{COLLECTION}/{VOICE_ID}")
    assert sent_document(request).findtext("AppName") == "Renamed"


@pytest.mark.parametrize("mode", MODES)
def test_patch_sends_only_the_fields_set_including_remove(mode: str) -> None:
    recorder = Recorder(lambda r: xml(200, "doc-voice-create-response-corrected.xml"))
    change = bw.Application(call_status_callback_url=bw.CallStatusCallbackUrlRemoval.REMOVE)
    dashboard(mode, recorder).patch(VOICE_ID, change)
    (request,) = recorder.requests
    assert request.method == "PATCH"
    document = sent_document(request)
    assert [(child.tag, child.text) for child in document] == [("CallStatusCallbackUrl", "remove")]


@pytest.mark.parametrize("mode", MODES)
def test_patch_answer_echoing_a_password_is_read_without_it(mode: str) -> None:
    recorder = Recorder(lambda r: xml(200, "erratum-patch-response-echoes-password.xml"))
    patched = dashboard(mode, recorder).patch(
        VOICE_ID, bw.Application(app_name="Production Server")
    )
    assert patched.callback_creds is not None
    assert patched.callback_creds.user_id == "Your-User-id"
    assert b"<Password>Your-Password</Password>" in vector(
        "erratum-patch-response-echoes-password.xml"
    )
    assert "Your-Password" not in repr(patched)  # the echoed password was dropped unread


@pytest.mark.parametrize("mode", MODES)
def test_delete_and_conflict(mode: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/in-use"):
            return xml(409, "error-response-with-code.xml")
        return httpx.Response(200)

    recorder = Recorder(answer)
    client = dashboard(mode, recorder)
    assert client.delete(VOICE_ID) is None
    with pytest.raises(bw.ConflictError):
        client.delete("in-use")
    assert [r.method for r in recorder.requests] == ["DELETE", "DELETE"]


@pytest.mark.parametrize("mode", MODES)
def test_associated_sip_peers(mode: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if "no-catapult" in request.url.path:
            return xml(400, "error-no-catapult-association-response.xml")
        return xml(200, "associated-sip-peers-response.xml")

    recorder = Recorder(answer)
    client = dashboard(mode, recorder)
    (peer,) = client.associated_sip_peers(VOICE_ID)
    assert (peer.site_id, peer.peer_name) == ("13651", "Prod Location")
    assert str(recorder.requests[0].url) == f"{COLLECTION}/{VOICE_ID}/associatedsippeers"
    with pytest.raises(bw.ApiError) as raised:
        client.associated_sip_peers("no-catapult")
    assert (raised.value.status, raised.value.code) == (400, "12103")


@pytest.mark.parametrize("mode", MODES)
def test_validation_error_lists_every_violation_and_sends_nothing(mode: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(500))
    broken = bw.Application(
        service_type=bw.ServiceType.MESSAGING_V2,
        callback_timeout=26,
        inbound_callback_creds=bw.CallbackCredentials(user_id="short", password="long-enough"),
    )
    with pytest.raises(bw.ValidationError) as raised:
        dashboard(mode, recorder).create(broken)
    found = {(v.field, v.rule) for v in raised.value.violations}
    assert found == {
        ("Application/CallbackTimeout", "range"),
        ("Application/InboundCallbackCreds/UserId", "length"),
        ("Application/AppName", "required"),
        ("Application/InboundCallbackUrl", "service-type-needs-url"),
    }
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_remove_is_refused_outside_a_patch(mode: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(500))
    app = voice_app(call_status_callback_url=bw.CallStatusCallbackUrlRemoval.REMOVE)
    with pytest.raises(bw.ValidationError, match="remove-only-in-patch"):
        dashboard(mode, recorder).update(VOICE_ID, app)
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_deprecated_aliases_are_sent_under_their_current_names(mode: str) -> None:
    recorder = Recorder(lambda r: xml(201, "doc-messaging-create-response.xml"))
    old_style = bw.Application(
        service_type=bw.ServiceType.MESSAGING_V2,
        app_name="old",
        callback_url="https://e.com/c",
        msg_callback_url="https://e.com/c",
    )
    with pytest.warns(
        DeprecationWarning, match="msg_callback_url, callback_url is deprecated"
    ) as seen:
        dashboard(mode, recorder).create(old_style)
    if "MUTANT_UNDER_TEST" not in os.environ:  # mutmut's trampolines add frames between ours
        package = str(Path(bw.__file__).parent)
        assert not seen[0].filename.startswith(package)  # it names the caller's line, not ours
    document = sent_document(recorder.requests[0])
    assert document.find("MsgCallbackUrl") is None and document.find("CallbackUrl") is None
    assert document.findtext("InboundCallbackUrl") == "https://e.com/c"
    assert document.findtext("OutboundCallbackUrl") == "https://e.com/c"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_empty_patch_is_refused_before_sending(mode: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(500))
    with pytest.raises(bw.ValidationError) as raised:
        dashboard(mode, recorder).patch("a-1", bw.Application())
    assert [(v.field, v.rule) for v in raised.value.violations] == [("Application", "required")]
    assert recorder.requests == []


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"app_name": 5}, "Application/AppName", "expected str, got int"),
        ({"callback_timeout": "5"}, "Application/CallbackTimeout", "expected int, got str"),
        ({"callback_timeout": True}, "Application/CallbackTimeout", "expected int, got bool"),
        (
            {"callback_creds": bw.CallbackCredentials(user_id=7, password="p")},  # type: ignore[arg-type]
            "Application/CallbackCreds/UserId",
            "expected str, got int",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_before_sending(
    mode: str, changes: dict[str, Any], field: str, said: str
) -> None:
    recorder = Recorder(lambda r: httpx.Response(500))
    values: dict[str, Any] = {
        "service_type": bw.ServiceType.VOICE_V2,
        "app_name": "typed",
        "call_initiated_callback_url": "https://e.com/v",
        **changes,
    }
    with pytest.raises(bw.ValidationError) as raised:
        dashboard(mode, recorder).create(bw.Application(**values))
    assert [(v.field, v.rule, v.message) for v in raised.value.violations] == [
        (field, "type", said)
    ]
    assert recorder.requests == []
