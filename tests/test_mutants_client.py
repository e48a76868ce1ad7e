"""What the clients promise in detail: exact messages, the bytes sent, the errors' one-line texts.

Written for the survivors of the mutation run (TESTING.md) in _catapult, _errors, _rules, _xml,
_specs, specs and the package's lazy names: each test checks one behaviour a caller sees.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import bandwidth_apps as bw
import httpx
import pytest

from tests.clients import CATAPULT_URL, PASSWORD, Driver, Recorder, catapult, dashboard
from tests.conftest import EXAMPLES, SPECS

MODES = ["sync", "async"]
COLLECTION = f"{CATAPULT_URL}/users/u-abc123/applications"
ITEM = f"{COLLECTION}/a-1"
DASHBOARD_ITEM = "https://dashboard.test/api/accounts/9900001/applications/a-1"
NOT_JSON = "Expecting value: line 1 column 1 (char 0)"


def refused(call: Any, *args: Any, **kwargs: Any) -> bw.ValidationError:
    with pytest.raises(bw.ValidationError) as raised:
        call(*args, **kwargs)
    return raised.value


def malformed(call: Any, *args: Any) -> bw.MalformedResponseError:
    with pytest.raises(bw.MalformedResponseError) as raised:
        call(*args)
    return raised.value


def answering(mode: str, *args: Any, **kwargs: Any) -> Any:
    """A Catapult client whose every call gets this answer, never retried."""
    return catapult(mode, Recorder(lambda r: httpx.Response(*args, **kwargs)), retry=bw.NO_RETRY)


def create_body(**extra: Any) -> bw.CatapultApplicationCreate:
    return bw.CatapultApplicationCreate.from_dict(
        {"name": "x", "incomingCallUrl": "https://e.com/c", **extra}
    )


def never_sent(mode: str) -> tuple[Any, Recorder]:
    recorder = Recorder(lambda r: httpx.Response(599))
    return catapult(mode, recorder), recorder


# ---- Catapult: what is refused before sending, and how it is named ----


@pytest.mark.parametrize("mode", MODES)
def test_a_validator_message_is_shown_whole_up_to_200_characters_and_cut_after(mode: str) -> None:
    client, recorder = never_sent(mode)
    # jsonschema quotes the value: 153 characters of it make a 200-character message.
    whole = f"'{'P' * 153}' is not one of ['GET', 'POST', 'get', 'post']"
    longer = f"'{'P' * 154}' is not one of ['GET', 'POST', 'get', 'post']"
    assert (len(whole), len(longer)) == (200, 201)
    for method, message in [("P" * 153, whole), ("P" * 154, longer[:197] + "...")]:
        error = refused(client.create, create_body(callbackHttpMethod=method))
        assert error.violations == (bw.Violation("callbackHttpMethod", "enum", message),)
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_text_no_json_can_carry_is_named_by_its_key(mode: str) -> None:
    client, recorder = never_sent(mode)
    error = refused(client.create, create_body(name="x\ud800", fooX="\ud800"))
    assert error.violations == (
        bw.Violation("name", "characters", "character U+D800 at 1 cannot be sent"),
        bw.Violation("fooX", "characters", "character U+D800 at 0 cannot be sent"),
    )
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_more_than_twenty_problems_are_listed_as_twenty_and_a_count(mode: str) -> None:
    client, _ = never_sent(mode)
    extra = {f"extra{n:02d}": "v" for n in range(25)}
    error = refused(client.create, create_body(**extra))
    assert len(error.violations) == 21
    assert error.violations[19] == bw.Violation("extra19", "unexpected", "not a field of this body")
    assert error.violations[20] == bw.Violation(
        "(body)", "too-many", "and 5 more problems, not listed"
    )


@pytest.mark.parametrize("mode", MODES)
def test_a_misspelled_field_gets_the_nearest_name_whatever_its_case_or_none(mode: str) -> None:
    client, _ = never_sent(mode)
    body = bw.CatapultApplicationCreate.from_dict(
        {"name": "x", "INCOMINGCALLURL": "https://e.com/c", "zzzzzz": 1}
    )
    error = refused(client.create, body)
    assert error.violations[:2] == (
        bw.Violation(
            "INCOMINGCALLURL",
            "unexpected",
            "not a field of this body; did you mean 'incomingCallUrl'?",
        ),
        bw.Violation("zzzzzz", "unexpected", "not a field of this body"),
    )


@pytest.mark.parametrize("mode", MODES)
def test_ids_page_sizes_and_empty_updates_are_refused_with_their_field_and_rule(mode: str) -> None:
    client, recorder = never_sent(mode)
    assert refused(client.get, "bad id").violations == (
        bw.Violation("applicationId", "pattern", "'bad id' is not an application id"),
    )
    for size in [True, 2.5, "25"]:
        assert refused(client.list, page_size=size).violations == (
            bw.Violation("size", "type", "page size is a whole number"),
        )
    for size in [0, 1001]:
        assert refused(client.list, page_size=size).violations == (
            bw.Violation("size", "range", "page size is 1 to 1000"),
        )
    assert refused(client.update, "a-1", bw.CatapultApplicationUpdate()).violations == (
        bw.Violation("(body)", "required", "an update changes something"),
    )
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_a_dict_instead_of_a_model_is_a_type_error_naming_both(mode: str) -> None:
    client, _ = never_sent(mode)
    with pytest.raises(TypeError) as raised:
        client.create({"name": "x"})
    assert str(raised.value) == (
        "expected bandwidth_apps.CatapultApplicationCreate, got dict"
        " (a dict? use CatapultApplicationCreate.from_dict)"
    )


# ---- Catapult: what goes on the wire ----


@pytest.mark.parametrize("mode", MODES)
def test_a_body_is_sent_as_compact_utf8_json_and_a_get_sends_none(mode: str) -> None:
    location = {"Location": "/v1/users/u-abc123/applications/a-1"}
    recorder = Recorder(
        lambda r: (
            httpx.Response(201, headers=location)
            if r.method == "POST"
            else httpx.Response(200, json={"id": "a-1", "name": "café"})
        )
    )
    client = catapult(mode, recorder)
    client.create(bw.CatapultApplicationCreate(name="café", incoming_call_url="https://e.com/c"))
    client.get("a-1")
    posted, got = recorder.requests
    sent = json.loads(posted.content)
    assert sent["name"] == "café"
    assert posted.content == json.dumps(sent, separators=(",", ":"), ensure_ascii=False).encode()
    assert '"name":"café"'.encode() in posted.content
    assert (got.method, got.content, "content-length" in got.headers) == ("GET", b"", False)


@pytest.mark.parametrize("mode", MODES)
def test_a_call_with_no_answer_names_its_method_and_url(mode: str) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    client = catapult(mode, Recorder(refuse), retry=bw.NO_RETRY)
    with pytest.raises(bw.TransportError) as raised:
        client.create(create_body())
    error = raised.value
    assert (error.method, error.url) == ("POST", COLLECTION)
    assert str(error) == f"POST {COLLECTION}: no answer (ConnectError: refused)"
    assert error.timed_out is False and error.request_sent is False


@pytest.mark.parametrize("mode", MODES)
def test_a_next_page_is_a_get_asking_for_json(mode: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if "page=1" in str(request.url):
            raise httpx.ConnectError("gone")
        link = f'<{COLLECTION}?page=1&size=25>; rel="next"'
        return httpx.Response(200, json=[{"id": "a-1", "name": "x"}], headers={"Link": link})

    recorder = Recorder(answer)
    with pytest.raises(bw.TransportError) as raised:
        catapult(mode, recorder, retry=bw.NO_RETRY).list()
    assert raised.value.method == "GET"
    assert str(raised.value).startswith(f"GET {COLLECTION}?page=1&size=25: no answer")
    first, second = recorder.requests
    assert dict(first.url.params) == {"page": "0", "size": "25"}
    assert second.headers["accept"] == first.headers["accept"]
    assert "application/json" in second.headers["accept"]


# ---- Catapult: answers ----


@pytest.mark.parametrize("mode", MODES)
def test_the_id_is_the_last_segment_of_location_even_with_a_trailing_slash(mode: str) -> None:
    for location, new_id in [
        ("/v1/users/u-abc123/applications/a-1/", "a-1"),
        ("/v1/users/u-abc123/applications/a-BOX", "a-BOX"),
    ]:
        created = answering(mode, 201, headers={"Location": location}).create(create_body())
        assert created.id == new_id
    error = malformed(answering(mode, 201).create, create_body())
    assert error.reason == "no application id in Location ''"


@pytest.mark.parametrize("mode", MODES)
def test_malformed_answers_say_exactly_what_is_wrong(mode: str) -> None:
    cases: list[tuple[Any, str, str]] = [
        (answering(mode, 200, content=b"<html>").get, "a-1", f"not JSON: {NOT_JSON}"),
        (
            answering(mode, 500, content=b"<html>").get,
            "a-1",
            f"error body is not JSON: {NOT_JSON}",
        ),
        (
            answering(mode, 200, json={"id": "a-1", "name": "x"}).list,
            None,
            "a list answer that is not a JSON array",
        ),
        (
            answering(mode, 200, json=[{"id": "a 1", "name": ""}]).list,
            None,
            "breaks the Application schema: id: 'a 1' does not match '^a-[A-Za-z0-9]+$' [pattern]",
        ),
    ]
    for call, argument, reason in cases:
        error = malformed(call, *([] if argument is None else [argument]))
        assert error.reason == reason
        assert error.request_sent is True


def listing(mode: str, link: str) -> Any:
    """A client whose list's first page links to `link`, and any other page is empty."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page") != "0":
            return httpx.Response(200, json=[])
        return httpx.Response(200, json=[{"id": "a-1", "name": "x"}], headers={"Link": link})

    return catapult(mode, Recorder(answer), retry=bw.NO_RETRY)


@pytest.mark.parametrize("mode", MODES)
def test_a_next_link_is_followed_only_within_the_list(mode: str) -> None:
    followed = listing(mode, f'<{COLLECTION}/?page=1>; rel="next"').list()
    assert [a.id for a in followed] == ["a-1"]
    for link, reason in [
        (f'<{COLLECTION}X?page=1>; rel="next"', "the next link is not a page of this list"),
        (f'<{COLLECTION}/X?page=1>; rel="next"', "the next link is not a page of this list"),
        (
            f'<{COLLECTION}?p={"x" * 8192}>; rel="next"',
            "the next link is over 8192 characters",
        ),
        ('<https://[::1>; rel="next"', "the next link is not a URL: Invalid port: ':1'"),
    ]:
        assert malformed(listing(mode, link).list).reason == reason


@pytest.mark.parametrize("mode", MODES)
def test_a_list_going_in_circles_or_on_through_empty_pages_is_malformed(mode: str) -> None:
    itself = f'<{COLLECTION}?page=0&size=25>; rel="next"'
    circle = answering(mode, 200, json=[{"id": "a-1", "name": "x"}], headers={"Link": itself})
    assert malformed(circle.list).reason == "the next page is one already read"
    onwards = f'<{COLLECTION}?page=1>; rel="next"'
    empty = answering(mode, 200, json=[], headers={"Link": onwards})
    assert malformed(empty.list).reason == "an empty page links to a next one"


# ---- Catapult: the clients' own settings ----


@pytest.mark.parametrize("cls", [bw.CatapultClient, bw.AsyncCatapultClient])
def test_a_catapult_client_keeps_what_it_was_given(cls: Any) -> None:
    def made(**options: Any) -> Any:  # closed after the test, as every Driver's client is
        return Driver(cls("u-abc123", "t-token", PASSWORD, **options)).client

    client = made(base_url=CATAPULT_URL, timeout=3.0, deadline=7.0)
    assert (client.user_id, client.timeout, client.deadline) == (
        "u-abc123",
        httpx.Timeout(3.0),
        7.0,
    )
    assert repr(client) == f"{cls.__name__}(user_id='u-abc123', base_url='{CATAPULT_URL}')"
    insecure = "http://catapult.test/v1"
    with pytest.raises(ValueError, match="is not https"):
        made(base_url=insecure)
    assert made(base_url=insecure, allow_insecure_http=True).base_url == insecure


LOOPBACK = "https://127.0.0.1:9/v1"  # were the caller's client ignored, nothing would leave
LOOPBACK_ITEM = f"{LOOPBACK}/users/u-abc123/applications/a-1"


def test_a_callers_http_client_carries_the_calls() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json={"id": "a-1", "name": "x"}))
    with httpx.Client(transport=httpx.MockTransport(recorder)) as http:
        client = bw.CatapultClient("u-abc123", "t", PASSWORD, base_url=LOOPBACK, http_client=http)
        assert client.get("a-1").name == "x"
    assert [str(r.url) for r in recorder.requests] == [LOOPBACK_ITEM]


async def _get_with(http: httpx.AsyncClient) -> str:
    client = bw.AsyncCatapultClient("u-abc123", "t", PASSWORD, base_url=LOOPBACK, http_client=http)
    application = await client.get("a-1")
    return str(application.name)


def test_a_callers_async_http_client_carries_the_calls() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json={"id": "a-1", "name": "x"}))

    async def run() -> str:
        async with httpx.AsyncClient(transport=httpx.MockTransport(recorder)) as http:
            return await _get_with(http)

    assert asyncio.run(run()) == "x"
    assert [str(r.url) for r in recorder.requests] == [LOOPBACK_ITEM]


# ---- the errors' texts ----


def dashboard_error(status: int, body: bytes, **headers: str) -> bw.ApiError:
    client = dashboard(
        "sync",
        Recorder(lambda r: httpx.Response(status, content=body, headers=headers)),
        retry=bw.NO_RETRY,
    )
    with pytest.raises(bw.ApiError) as raised:
        client.get("a-1")
    return raised.value


def test_an_api_errors_line_has_its_code_description_count_and_request_id() -> None:
    several = (EXAMPLES / "dashboard/error-list.xml").read_bytes()
    one = (EXAMPLES / "dashboard/error-single.xml").read_bytes()
    no_code = (EXAMPLES / "dashboard/error-response-without-code.xml").read_bytes()
    where = f"GET {DASHBOARD_ITEM} -> HTTP 400"
    assert str(dashboard_error(400, several, **{"X-Request-Id": "req-7"})) == (
        f"{where} (request id req-7): code 1002: AppName is required (+1 more)"
    )
    assert str(dashboard_error(400, one)) == f"{where}: code 1002: AppName is required"
    assert str(dashboard_error(400, no_code)) == f"{where}: Access is denied"
    legacy = b"<Response><resultCode>1004</resultCode></Response>"
    error = dashboard_error(400, legacy)
    assert (error.code, error.description) == ("1004", None)
    assert str(error) == f"{where}: code 1004: no description"


@pytest.mark.parametrize("mode", MODES)
def test_a_catapult_errors_repr_and_line(mode: str) -> None:
    body = {"category": "not-found", "code": "no-app", "message": "no such app"}
    with pytest.raises(bw.NotFoundError) as raised:
        answering(mode, 404, json=body).get("a-1")
    assert repr(raised.value) == (
        "NotFoundError(status=404, code='no-app', description='no such app', request_id=None)"
    )
    assert str(raised.value) == f"GET {ITEM} -> HTTP 404: code no-app: no such app"


@pytest.mark.parametrize("mode", MODES)
def test_an_answers_body_is_kept_to_500_characters_with_an_ellipsis_when_cut(mode: str) -> None:
    for body, kept in [(b"x" * 500, "x" * 500), (b"x" * 501, "x" * 500 + "…")]:
        assert malformed(answering(mode, 502, content=body).get, "a-1").body == kept


@pytest.mark.parametrize("mode", MODES)
def test_a_password_running_past_the_excerpts_window_is_masked_to_its_end(mode: str) -> None:
    # The window read for an excerpt is 2000 bytes: a password filling it hides all the rest.
    body = b"<Password>" + b"p" * 2100 + b"</Password><After>shown</After>"
    masked_to_the_cut = malformed(answering(mode, 502, content=body).get, "a-1").body
    assert masked_to_the_cut == "<Password>[secure]\u2026"  # and the cut is marked


# ---- Dashboard: what no XML can carry, and the XSD's words ----


def voice(**changes: Any) -> bw.Application:
    fields: dict[str, Any] = {
        "service_type": bw.ServiceType.VOICE_V2,
        "app_name": "x",
        "call_initiated_callback_url": "https://e.com/v",
    }
    return bw.Application(**{**fields, **changes})


@pytest.mark.parametrize("mode", MODES)
def test_every_list_item_no_xml_can_carry_is_named(mode: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(599))
    types = bw.RequestedCallbackTypes(callback_type=["message-delivered\x00", "x\x01"])
    error = refused(dashboard(mode, recorder).create, voice(requested_callback_types=types))
    where = "Application/RequestedCallbackTypes/CallbackType"
    assert error.violations == (
        bw.Violation(where, "characters", "character U+0000 at 17 cannot be sent in XML"),
        bw.Violation(where, "characters", "character U+0001 at 1 cannot be sent in XML"),
    )
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_an_xsd_message_is_shown_whole_up_to_300_characters_and_cut_after(mode: str) -> None:
    client = dashboard(mode, Recorder(lambda r: httpx.Response(599)))
    for length in (229, 230):  # the URL's length: a 300- and a 301-character message
        url = "https://e.com/" + "v" * (length - 15) + " "
        message = f"'{url}' is not a valid value of the union type 'CallStatusCallbackUrlValue'."
        shown = message if len(message) <= 300 else message[:297] + "..."
        assert len(message) == length + 71
        error = refused(client.create, voice(call_status_callback_url=url))
        assert error.violations == (
            bw.Violation("Application/CallStatusCallbackUrl", "type", shown),
        )


ANSWER = (
    "<ApplicationProvisioningResponse><Application><ApplicationId>a-1</ApplicationId>"
    "<ServiceType>Voice-V2</ServiceType><AppName>x</AppName>{}</Application>"
    "</ApplicationProvisioningResponse>"
)
URL = "<CallInitiatedCallbackUrl>https://e.com/v</CallInitiatedCallbackUrl>"
APP = "ApplicationProvisioningResponse/Application"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("inner", "violation"),
    [
        ("<AppNameX>y</AppNameX>",
         f"{APP}/AppNameX: not an element here; did you mean 'AppName'? [unexpected]"),
        ("<CallbackCreds><UserIdd>abcdef</UserIdd></CallbackCreds>",
         f"{APP}/CallbackCreds/UserIdd: not an element here; did you mean 'UserId'? [unexpected]"),
        ("<CallInitiatedCallbackUrll>https://e.com</CallInitiatedCallbackUrll>",
         f"{APP}/CallInitiatedCallbackUrll: not an element here;"
         " did you mean 'CallInitiatedCallbackUrl'? [unexpected]"),
        ("<Zzzzzz>1</Zzzzzz>", f"{APP}/Zzzzzz: not an element here [unexpected]"),
        (f"{URL}<CallbackTimeout>abc</CallbackTimeout>",
         f"{APP}/CallbackTimeout: 'abc' is not a valid value of the atomic type"
         " 'CallbackTimeout'. [type]"),
        (f"text{URL}",
         f"{APP}: Character content other than whitespace is not allowed because the content"
         " type is 'element-only'. [schema]"),
    ],
)  # fmt: skip
def test_an_answer_breaking_the_xsd_names_its_first_problem(
    mode: str, inner: str, violation: str
) -> None:
    body = ANSWER.format(inner).encode()
    client = dashboard(mode, Recorder(lambda r: httpx.Response(200, content=body)))
    error = malformed(client.get, "a-1")
    assert error.reason == f"not valid against the XSD: {violation}"


@pytest.mark.parametrize("mode", MODES)
def test_an_error_body_whose_root_is_no_documented_shape_is_malformed(mode: str) -> None:
    for root in ("common", "application", "Response2"):
        client = dashboard(
            mode, Recorder(lambda r, root=root: httpx.Response(400, content=f"<{root}/>".encode()))
        )
        error = malformed(client.get, "a-1")
        assert error.reason == f"<{root}> is not a documented error shape"


def test_ids_outside_the_dashboards_patterns_are_refused_quoting_the_pattern() -> None:
    with pytest.raises(ValueError) as raised:
        bw.DashboardClient("bad/acct", client_id="c", client_secret=PASSWORD)
    assert str(raised.value) == (
        "account_id 'bad/acct' is not an account id"
        " (the spec's pattern: [A-Za-z0-9_~-][A-Za-z0-9._~-]{0,63})"
    )
    client = dashboard("sync", Recorder(lambda r: httpx.Response(599)))
    assert refused(client.get, "bad/id").violations == (
        bw.Violation(
            "applicationId",
            "pattern",
            "'bad/id' is not an application id ([A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127})",
        ),
    )


# ---- bandwidth_apps.specs ----


def test_the_specs_folder_holds_every_named_file_as_in_the_repository() -> None:
    from bandwidth_apps import specs

    folder = specs.folder()
    assert folder.is_dir() and folder.name == "_specs"
    for name in specs.NAMES:
        assert (folder / name).is_file()
        assert specs.read_bytes(name) == (SPECS / name).read_bytes()
        assert specs.read_text(name) == (SPECS / name).read_text(encoding="utf-8")
    index = json.loads((SPECS / "examples/index.json").read_text())
    assert specs.vectors() == index["vectors"] and len(index["vectors"]) > 10


@pytest.mark.parametrize(
    "name",
    [
        "",
        "../pyproject.toml",
        "examples/../README.md",
        "./README.md",
        "dashboard//common.xsd",
        "examples/",
    ],
)
def test_the_specs_refuse_a_path_outside_their_folder(name: str) -> None:
    from bandwidth_apps import specs

    for read in (specs.read_text, specs.read_bytes):
        with pytest.raises(ValueError) as raised:
            read(name)
        assert str(raised.value) == f"{name!r} is not a path inside the specs folder"


def test_the_specs_name_a_missing_file_and_where_to_look() -> None:
    from bandwidth_apps import specs

    for read in (specs.read_text, specs.read_bytes):
        with pytest.raises(FileNotFoundError) as raised:
            read("dashboard/missing.xsd")
        assert str(raised.value) == (
            "no 'dashboard/missing.xsd' in the specs (see bandwidth_apps.specs.NAMES)"
        )


def test_from_a_zip_the_specs_are_readable_but_there_is_no_folder(tmp_path: Path) -> None:
    from bandwidth_apps import specs

    package = specs.folder().parent
    archive = tmp_path / "bandwidth_apps.zip"
    with zipfile.ZipFile(archive, "w") as wheelish:
        for path in [package / "__init__.py", package / "specs.py", *specs.folder().rglob("*")]:
            if path.is_file():
                wheelish.write(path, path.relative_to(package.parent).as_posix())
    code = (
        "from bandwidth_apps import specs\n"
        "print(specs.__file__)\n"
        f"print(specs.read_text('README.md') == open({str(SPECS / 'README.md')!r}).read())\n"
        "specs.folder()\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(archive)},
        capture_output=True,
        text=True,
    )
    assert run.stdout.splitlines() == [str(archive / "bandwidth_apps" / "specs.py"), "True"]
    assert run.stderr.splitlines()[-1] == (
        "RuntimeError: bandwidth_apps is not installed as files: no specs folder on disk"
    )


# ---- the package's lazy names ----


def test_the_package_hands_out_its_names_and_submodules_on_first_use() -> None:
    import importlib

    import bandwidth_apps.sandbox
    import bandwidth_apps.specs

    assert bw.specs is bandwidth_apps.specs and bw.sandbox is bandwidth_apps.sandbox
    for name in bw.__all__:
        module, attribute = bw._EXPORTS[name]
        assert getattr(bw, name) is getattr(importlib.import_module(module), attribute)
    assert (
        bw.CatapultApplication
        is importlib.import_module("bandwidth_apps_catapult.models").Application
    )
    with pytest.raises(AttributeError) as raised:
        bw.NoSuchName  # noqa: B018
    assert str(raised.value) == "module 'bandwidth_apps' has no attribute 'NoSuchName'"
    listed = dir(bw)
    assert listed == sorted(listed)
    assert {*bw.__all__, "sandbox", "specs", "__getattr__"} <= set(listed)


def test_a_transport_error_made_without_saying_is_not_a_timeout() -> None:
    error = bw.TransportError("refused", method="GET", url=ITEM, request_sent=False)
    assert (error.method, error.url, error.timed_out) == ("GET", ITEM, False)
    assert str(error) == f"GET {ITEM}: no answer (refused)"


@pytest.mark.parametrize("mode", MODES)
def test_only_credentials_are_masked_not_what_a_bearer_token_decodes_to(mode: str) -> None:
    token = base64.b64encode(b"user:secret-word").decode()  # a token may well look like Basic

    def issue(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"access_token": token, "token_type": "Bearer"})

    body = f"{token} rejected; secret-word is down".encode()
    recorder = Recorder(lambda r: httpx.Response(502, content=body), token=issue)
    with pytest.raises(bw.BandwidthError) as raised:
        dashboard(mode, recorder, retry=bw.NO_RETRY).get("a-1")
    assert raised.value.body == "[secure] rejected; secret-word is down"  # type: ignore[attr-defined]


def test_a_fresh_import_lists_and_hands_out_every_name_before_any_is_loaded() -> None:
    code = (
        "import json, bandwidth_apps as bw\n"
        "listed = dir(bw)\n"
        "print(json.dumps([listed, bw.specs.__name__, bw.sandbox.__name__]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    listed, specs, sandbox = json.loads(out)
    assert listed == sorted(listed) and {*bw.__all__, "sandbox", "specs"} <= set(listed)
    assert (specs, sandbox) == ("bandwidth_apps.specs", "bandwidth_apps.sandbox")


def test_an_excerpt_cut_anywhere_says_so() -> None:
    from bandwidth_apps._errors import excerpt

    assert excerpt(b"a" * 500) == "a" * 500  # whole: no mark
    assert excerpt(b"a" * 501) == "a" * 500 + "…"  # cut as text
    wide = "😀".encode() * 600  # 2,400 bytes: cut at 2,000 bytes, 500 characters
    assert excerpt(wide) == "😀" * 500 + "…"
    assert excerpt("😀".encode() * 500) == "😀" * 500  # 2,000 bytes: whole
