"""CatapultClient and AsyncCatapultClient: every operation, against scripted answers."""

from __future__ import annotations

import json
from typing import Any

import bandwidth_apps as bw
import httpx
import pytest

from tests.clients import CATAPULT_URL, Recorder, catapult
from tests.conftest import EXAMPLES

MODES = ["sync", "async"]
COLLECTION = f"{CATAPULT_URL}/users/u-abc123/applications"


def vector(name: str) -> Any:
    return json.loads((EXAMPLES / "catapult" / name).read_text())


def sent_json(request: httpx.Request) -> Any:
    assert request.headers["content-type"] == "application/json"
    return json.loads(request.content)


@pytest.mark.parametrize("mode", MODES)
def test_create_reads_the_id_from_location(mode: str) -> None:
    location = "/v1/users/u-abc123/applications/a-j4f2jz53mq"
    recorder = Recorder(lambda r: httpx.Response(201, headers={"Location": location}))
    body = vector("doc-curl-create-request.json")
    created = catapult(mode, recorder).create(bw.CatapultApplicationCreate.from_dict(body))
    assert isinstance(created, bw.CatapultApplication)
    assert (created.id, created.name) == ("a-j4f2jz53mq", "MyFirstApp")
    (request,) = recorder.requests
    assert (request.method, str(request.url)) == ("POST", COLLECTION)
    sent = sent_json(request)
    assert {k: sent[k] for k in body} == body
    assert None not in sent.values()


@pytest.mark.parametrize("mode", MODES)
def test_create_without_location_is_malformed(mode: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(201))
    app = bw.CatapultApplicationCreate(name="x", incoming_call_url="https://example.com/c")
    with pytest.raises(bw.MalformedResponseError, match="no application id in Location"):
        catapult(mode, recorder).create(app)


def paged(pages: list[list[dict[str, Any]]]) -> Recorder:
    """Answers page n (from the query) and links page n+1 while there is one."""

    def answer(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        size = request.url.params["size"]
        headers = {"Link": f'<{COLLECTION}?page=0&size={size}>; rel="first"'}
        if number + 1 < len(pages):
            headers["Link"] += f', <{COLLECTION}?page={number + 1}&size={size}>; rel="next"'
        return httpx.Response(200, json=pages[number], headers=headers)

    return Recorder(answer)


def app_json(number: int) -> dict[str, Any]:
    return {"id": f"a-{number}", "name": f"app {number}", "incomingCallUrl": "https://e.com/c"}


@pytest.mark.parametrize("mode", MODES)
def test_list_follows_link_next_over_three_pages(mode: str) -> None:
    recorder = paged([[app_json(1), app_json(2)], [app_json(3), app_json(4)], [app_json(5)]])
    applications = catapult(mode, recorder).list(page_size=2)
    assert [a.id for a in applications] == ["a-1", "a-2", "a-3", "a-4", "a-5"]
    assert [dict(r.url.params) for r in recorder.requests] == [
        {"page": str(n), "size": "2"} for n in range(3)
    ]


def test_list_is_lazy() -> None:
    recorder = paged([[app_json(1)], [app_json(2)], [app_json(3)]])
    client = bw.CatapultClient(
        "u-abc123", "t", "s", base_url=CATAPULT_URL, transport=httpx.MockTransport(recorder)
    )
    iterator = client.list(page_size=1)
    assert recorder.requests == []
    assert next(iterator).id == "a-1"
    assert len(recorder.requests) == 1
    assert next(iterator).id == "a-2"
    assert len(recorder.requests) == 2


@pytest.mark.parametrize("mode", MODES)
def test_list_refuses_a_next_link_to_another_origin(mode: str) -> None:
    recorder = Recorder(
        lambda r: httpx.Response(
            200, json=[app_json(1)], headers={"Link": '<https://evil.test/steal>; rel="next"'}
        )
    )
    with pytest.raises(bw.MalformedResponseError, match="another origin"):
        catapult(mode, recorder).list()
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("size", [0, 1001])
def test_list_page_size_is_checked_before_sending(mode: str, size: int) -> None:
    recorder = Recorder(lambda r: httpx.Response(500))
    with pytest.raises(bw.ValidationError, match="size"):
        catapult(mode, recorder).list(page_size=size)
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_get_and_not_found(mode: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("a-nope"):
            return httpx.Response(404, json=vector("error-not-found-response.json"))
        return httpx.Response(200, json=vector("sms-aliases-response.json"))

    client = catapult(mode, Recorder(answer))
    got = client.get("a-smsalias1")
    assert (got.id, got.incoming_sms_url) == ("a-smsalias1", "https://example.com/sms")
    with pytest.raises(bw.NotFoundError) as raised:
        client.get("a-nope")
    assert raised.value.code == "application-not-found"


@pytest.mark.parametrize("mode", MODES)
def test_update_sends_only_the_given_fields_never_null(mode: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(200))
    changes = bw.CatapultApplicationUpdate(incoming_message_url="https://e.com/new", name=None)
    assert catapult(mode, recorder).update("a-j4f2jz53mq", changes) is None
    (request,) = recorder.requests
    assert (request.method, str(request.url)) == ("POST", f"{COLLECTION}/a-j4f2jz53mq")
    assert sent_json(request) == {"incomingMessageUrl": "https://e.com/new"}


@pytest.mark.parametrize("mode", MODES)
def test_update_with_nothing_to_change_is_refused(mode: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(200))
    with pytest.raises(bw.ValidationError, match="changes something"):
        catapult(mode, recorder).update("a-1", bw.CatapultApplicationUpdate())
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_delete(mode: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(200))
    assert catapult(mode, recorder).delete("a-j4f2jz53mq") is None
    assert [(r.method, str(r.url)) for r in recorder.requests] == [
        ("DELETE", f"{COLLECTION}/a-j4f2jz53mq")
    ]


@pytest.mark.parametrize("mode", MODES)
def test_bad_application_id_is_refused_before_sending(mode: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(200))
    with pytest.raises(bw.ValidationError, match="applicationId"):
        catapult(mode, recorder).get("../../admin")
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_rules_are_checked_before_sending(mode: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(201))
    app = bw.CatapultApplicationCreate(
        name="x",
        incoming_message_fallback_url="https://e.com/f",
        incoming_call_url_callback_timeout=0,
    )
    with pytest.raises(bw.ValidationError) as raised:
        catapult(mode, recorder).create(app)
    assert {(v.field, v.rule) for v in raised.value.violations} == {
        ("incomingCallUrlCallbackTimeout", "range"),
        ("incomingCallUrl", "needs-callback-url"),
        ("incomingMessageFallbackUrl", "fallback-needs-primary"),
    }
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "link",
    [
        "http://catapult.test/v1/users/u-abc123/applications?page=1",  # scheme downgraded
        "https://catapult.test:8443/v1/users/u-abc123/applications?page=1",  # another port
        "https://catapult.test.evil/v1/users/u-abc123/applications?page=1",  # another host
        "https://CATAPULT.test:443/v1/users/u-abc123/applications?page=1",  # the same origin
    ],
)
def test_next_links_stay_on_the_origin_scheme_host_and_port(mode: str, link: str) -> None:
    pages = iter([[app_json(1)], [app_json(2)]])
    recorder = Recorder(
        lambda r: httpx.Response(
            200,
            json=next(pages),
            headers={"Link": f'<{link}>; rel="next"'} if r.url.params.get("page") == "0" else {},
        )
    )
    if "CATAPULT" in link:
        assert [a.id for a in catapult(mode, recorder).list()] == ["a-1", "a-2"]
        return
    with pytest.raises(bw.MalformedResponseError, match="another origin"):
        catapult(mode, recorder).list()
    assert len(recorder.requests) == 1
