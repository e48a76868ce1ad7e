"""Every documented error shape and status becomes the right class; nothing else ever escapes."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import bandwidth_apps as bw
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.clients import Recorder, catapult, dashboard
from tests.conftest import EXAMPLES

STATUSES = {
    400: bw.ApiError,
    401: bw.AuthenticationError,
    403: bw.AuthenticationError,
    404: bw.NotFoundError,
    409: bw.ConflictError,
    429: bw.RateLimitedError,
    500: bw.ServerError,
    503: bw.ServerError,
}
LEGACY = b"<Response><resultCode>1004</resultCode><resultMessage>Legacy failure</resultMessage></Response>"
DASHBOARD_SHAPES: dict[str, tuple[bytes, str | None, str, int]] = {
    "operation root, ResponseStatus": (
        (EXAMPLES / "dashboard/error-not-found-response.xml").read_bytes(),
        "13629", "Application with id 'x' not found", 1,
    ),
    "AssociatedSipPeersResponse": (
        (EXAMPLES / "dashboard/error-no-catapult-association-response.xml").read_bytes(),
        "12103", "The account has no Catapult association", 1,
    ),
    "ErrorResponse without ErrorCode": (
        (EXAMPLES / "dashboard/error-response-without-code.xml").read_bytes(),
        None, "Access is denied", 1,
    ),
    "ErrorResponse": (
        (EXAMPLES / "dashboard/error-response-with-code.xml").read_bytes(),
        "12000", "Application ServiceType cannot be changed", 1,
    ),
    "Error": ((EXAMPLES / "dashboard/error-single.xml").read_bytes(), "1002", "AppName is required", 1),
    "ErrorList": ((EXAMPLES / "dashboard/error-list.xml").read_bytes(), "1002", "AppName is required", 2),
    "several Errors": (
        (EXAMPLES / "dashboard/errors-siblings-response.xml").read_bytes(),
        "1002", "AppName is required", 2,
    ),
    "legacy resultCode": (LEGACY, "1004", "Legacy failure", 0),
}  # fmt: skip


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("status", sorted(STATUSES))
@pytest.mark.parametrize("shape", sorted(DASHBOARD_SHAPES))
def test_dashboard_error_shapes(mode: str, status: int, shape: str) -> None:
    body, code, description, count = DASHBOARD_SHAPES[shape]
    answer = httpx.Response(
        status,
        content=body,
        headers={"Content-Type": "application/xml", "X-Request-Id": "req-42", "Retry-After": "0"},
    )
    client = dashboard(mode, Recorder(lambda r: answer), retry=bw.NO_RETRY)
    with pytest.raises(bw.ApiError) as raised:
        client.get("app-1")
    error = raised.value
    assert type(error) is STATUSES[status]
    assert (error.status, error.code, error.description) == (status, code, description)
    assert len(error.errors) == count
    assert error.request_id == "req-42"
    assert f"HTTP {status}" in str(error) and "req-42" in str(error) and "\n" not in str(error)
    assert repr(error) == (
        f"{STATUSES[status].__name__}(status={status}, code={code!r},"
        f" description={description!r}, request_id='req-42')"
    )


def test_several_errors_are_all_kept() -> None:
    body = (EXAMPLES / "dashboard/errors-siblings-response.xml").read_bytes()
    client = dashboard("sync", Recorder(lambda r: httpx.Response(400, content=body)))
    with pytest.raises(bw.ApiError) as raised:
        client.get("app-1")
    assert raised.value.errors == (
        ("1002", "AppName is required"),
        ("1003", "CallInitiatedCallbackUrl is required"),
    )
    assert "(+1 more)" in str(raised.value)


CATAPULT_BODIES = [
    "error-validation-response.json",
    "error-invalid-url-response.json",
    "error-not-found-response.json",
    "error-rate-limited-response.json",
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("status", sorted(STATUSES))
@pytest.mark.parametrize("name", CATAPULT_BODIES)
def test_catapult_error_bodies(mode: str, status: int, name: str) -> None:
    body = json.loads((EXAMPLES / "catapult" / name).read_text())
    answer = httpx.Response(status, json=body, headers={"Retry-After": "0"})
    client = catapult(mode, Recorder(lambda r: answer), retry=bw.NO_RETRY)
    with pytest.raises(bw.ApiError) as raised:
        client.get("a-1")
    error = raised.value
    assert type(error) is STATUSES[status]
    assert error.code == body["code"]
    assert error.description == body.get("message", body["category"])  # 429 has no message


def test_dashboard_429_empty_body_with_reset_in_seconds() -> None:
    answer = httpx.Response(429, headers={"X-RateLimit-Reset": "1700000000"})
    client = dashboard("sync", Recorder(lambda r: answer), retry=bw.NO_RETRY)
    with pytest.raises(bw.RateLimitedError) as raised:
        client.list()
    assert raised.value.reset_at == 1700000000.0
    assert raised.value.code is None


def test_catapult_429_with_reset_in_milliseconds() -> None:
    body = json.loads((EXAMPLES / "catapult/error-rate-limited-response.json").read_text())
    answer = httpx.Response(429, json=body, headers={"X-RateLimit-Reset": "1700000000123"})
    client = catapult("sync", Recorder(lambda r: answer), retry=bw.NO_RETRY)
    with pytest.raises(bw.RateLimitedError) as raised:
        client.get("a-1")
    assert raised.value.reset_at == pytest.approx(1700000000.123)


# What each kind's reason says, whatever the status (a success, or an error status).
MALFORMED_REASONS = {
    "html": r"<html>",
    "truncated": r"not well-formed",
    "wrong root": r"<Something>",
    "wrong type": r"<Error>|XSD",
    "missing field": r"<ErrorResponse>|XSD",
    "not xml": r"not well-formed",
}
MALFORMED = {
    "html": b"<html><body><h1>502 Bad Gateway</h1></body></html>",
    "truncated": b"<ApplicationProvisioningResponse><Application><ApplicationId>x</Applica",
    "wrong root": b"<Something><Else/></Something>",
    "wrong type": b"<Error><Code>not-a-number</Code><Description>d</Description></Error>",
    "missing field": b"<ErrorResponse><ResponseStatus><ErrorCode>1</ErrorCode></ResponseStatus></ErrorResponse>",
    "not xml": b"\x00\xff\xfe garbage",
}


@pytest.mark.parametrize("status", [200, 400, 500])
@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_dashboard_malformed_bodies(status: int, kind: str) -> None:
    answer = httpx.Response(status, content=MALFORMED[kind])
    client = dashboard("sync", Recorder(lambda r: answer), retry=bw.NO_RETRY)
    with pytest.raises(bw.MalformedResponseError) as raised:
        client.get("app-1")
    assert raised.value.status == status
    assert re.search(MALFORMED_REASONS[kind], raised.value.reason), raised.value.reason


CATAPULT_MALFORMED = {
    "html": b"<html>oops</html>",
    "truncated": b'{"id": "a-1", "na',
    "wrong types": b'{"id": 7, "name": ["x"]}',
    "missing id": b'{"name": "x"}',
    "array": b"[]",
}


@pytest.mark.parametrize("kind", sorted(CATAPULT_MALFORMED))
def test_catapult_malformed_bodies(kind: str) -> None:
    answer = httpx.Response(200, content=CATAPULT_MALFORMED[kind])
    client = catapult("sync", Recorder(lambda r: answer), retry=bw.NO_RETRY)
    with pytest.raises(bw.MalformedResponseError):
        client.get("a-1")


def test_catapult_error_body_without_code_is_malformed() -> None:
    answer = httpx.Response(400, json={"category": "bad-request", "message": "m"})
    client = catapult("sync", Recorder(lambda r: answer), retry=bw.NO_RETRY)
    with pytest.raises(bw.MalformedResponseError, match="code"):
        client.get("a-1")


# ---- anything at all: only BandwidthError subclasses escape ----

VALID_BODIES = [p.read_bytes() for p in sorted((EXAMPLES / "dashboard").glob("*.xml"))] + [
    p.read_bytes() for p in sorted((EXAMPLES / "catapult").glob("*.json"))
]
bodies = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.sampled_from(VALID_BODIES),
    st.tuples(st.sampled_from(VALID_BODIES), st.integers(0, 2000)).map(lambda t: t[0][: t[1]]),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
        ),
        max_leaves=10,
    ).map(lambda value: json.dumps(value).encode()),
)
answers = st.builds(
    lambda status, body, content_type, location, link: httpx.Response(
        status,
        content=body,
        headers={
            k: v
            for k, v in {
                "Content-Type": content_type,
                "Location": location,
                "Link": link,
                "X-RateLimit-Reset": "nonsense",
            }.items()
            if v is not None
        },
    ),
    st.integers(200, 599),
    bodies,
    st.sampled_from(
        ["application/xml", "application/json", "text/html", "application/octet-stream", None]
    ),
    st.none()
    | st.sampled_from(["/accounts/1/applications/x", "/v1/users/u/applications/a-1", "", "::"]),
    st.none()
    | st.sampled_from(
        ['<https://catapult.test/v1/x?page=1>; rel="next"', "garbage", '<>; rel="next"']
    ),
)

DASHBOARD_CALLS: list[tuple[str, tuple[Any, ...]]] = [
    (
        "create",
        (
            bw.Application(
                service_type=bw.ServiceType.VOICE_V2,
                app_name="a",
                call_initiated_callback_url="https://e.com/v",
            ),
        ),
    ),
    ("list", ()),
    ("get", ("app-1",)),
    (
        "update",
        (
            "app-1",
            bw.Application(
                service_type=bw.ServiceType.VOICE_V2,
                app_name="a",
                call_initiated_callback_url="https://e.com/v",
            ),
        ),
    ),
    ("patch", ("app-1", bw.Application(app_name="b"))),
    ("delete", ("app-1",)),
    ("associated_sip_peers", ("app-1",)),
]
CATAPULT_CALLS: list[tuple[str, tuple[Any, ...]]] = [
    ("create", (bw.CatapultApplicationCreate(name="a", incoming_call_url="https://e.com/c"),)),
    ("list", ()),
    ("get", ("a-1",)),
    ("update", ("a-1", bw.CatapultApplicationUpdate(name="b"))),
    ("delete", ("a-1",)),
]  # fmt: skip


@pytest.mark.parametrize("platform", ["dashboard", "catapult"])
def test_only_bandwidth_errors_escape(platform: str) -> None:
    make, calls = (
        (dashboard, DASHBOARD_CALLS) if platform == "dashboard" else (catapult, CATAPULT_CALLS)
    )

    @given(answers, st.sampled_from(calls), st.sampled_from(["sync", "async"]))
    def check(answer: httpx.Response, call: tuple[str, tuple[Any, ...]], mode: str) -> None:
        name, args = call
        client = make(mode, Recorder(lambda r: answer), retry=bw.NO_RETRY)
        with contextlib.suppress(bw.BandwidthError):
            getattr(client, name)(*args)

    check()
