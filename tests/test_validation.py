"""Spec-violating inputs, generated from the specs' facets and from the rules, are refused before
anything is sent, and the ValidationError names the field and the rule."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import bandwidth_apps as bw
import httpx
import pytest
from bandwidth_apps._rules import DASHBOARD_ALIASES
from hypothesis import given
from hypothesis import strategies as st

from tests import openapi_strategies, xsd_strategies
from tests.clients import Recorder, catapult, dashboard
from tests.test_negative import FACETS, json_sites, violation

NOTHING_SENT = httpx.Response(599)


def set_at(instance: Any, path: tuple[str, ...], value: Any) -> None:
    """Set the field at an XML element path (first item of any list on the way)."""
    for position, name in enumerate(path):
        field = next(f for f in dataclasses.fields(instance) if f.metadata.get("name") == name)
        if position == len(path) - 1:
            setattr(instance, field.name, value)
            return
        instance = getattr(instance, field.name)
        if isinstance(instance, list):
            instance = instance[0]


@pytest.mark.parametrize("kind", FACETS)
def test_dashboard_facet_violations_are_refused_before_sending(kind: str) -> None:
    sites = [s for s in xsd_strategies.facet_sites(bw.Application) if s[2] == kind]
    assert sites

    @given(st.sampled_from(sites), st.sampled_from(["create", "update", "patch"]), st.data())
    def check(site: xsd_strategies.Site, operation: str, data: st.DataObject) -> None:
        _, path, _, need = site
        application = data.draw(xsd_strategies.instances_with(bw.Application, path))
        set_at(application, path, data.draw(violation(kind, need)))
        recorder = Recorder(lambda r: NOTHING_SENT)
        client = dashboard("sync", recorder)
        args = (application,) if operation == "create" else ("app-1", application)
        with pytest.raises(bw.ValidationError) as raised:
            getattr(client, operation)(*args)
        expected = ("/".join(("Application", *path)), kind)
        assert expected in {(v.field, v.rule) for v in raised.value.violations}
        assert recorder.requests == []

    check()


@given(st.sampled_from(list(bw.ServiceType)), st.data())
def test_dashboard_service_type_without_its_url_is_refused(
    service_type: bw.ServiceType, data: st.DataObject
) -> None:
    needed = {
        bw.ServiceType.MESSAGING_V2: "InboundCallbackUrl",
        bw.ServiceType.VOICE_V2: "CallInitiatedCallbackUrl",
    }[service_type]
    application = data.draw(xsd_strategies.instances_with(bw.Application, ("AppName",)))
    application.service_type = service_type
    set_at(application, (needed,), None)
    for alias in DASHBOARD_ALIASES:  # the deprecated aliases stand for InboundCallbackUrl
        setattr(application, alias, None)
    recorder = Recorder(lambda r: NOTHING_SENT)
    with pytest.raises(bw.ValidationError) as raised:
        dashboard("sync", recorder).create(application)
    assert (f"Application/{needed}", "service-type-needs-url") in {
        (v.field, v.rule) for v in raised.value.violations
    }
    assert recorder.requests == []


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


MODELS = {
    "ApplicationCreate": bw.CatapultApplicationCreate,
    "ApplicationUpdate": bw.CatapultApplicationUpdate,
}


@pytest.mark.parametrize("kind", FACETS)
def test_catapult_facet_violations_are_refused_before_sending(kind: str) -> None:
    sites = [s for s in json_sites() if s[2] == kind and s[0] in MODELS]
    assert sites

    @given(st.sampled_from(sites), st.data())
    def check(site: tuple[str, str, str, Any], data: st.DataObject) -> None:
        component, field, _, need = site
        model = MODELS[component].from_dict(data.draw(openapi_strategies.instances(component)))
        setattr(model, snake(field), data.draw(violation(kind, need)))  # None: absent (required)
        recorder = Recorder(lambda r: NOTHING_SENT)
        client = catapult("sync", recorder)
        with pytest.raises(bw.ValidationError) as raised:
            if component == "ApplicationCreate":
                client.create(model)
            else:
                client.update("a-1", model)
        assert (field, kind) in {(v.field, v.rule) for v in raised.value.violations}
        assert recorder.requests == []

    check()


@given(st.data())
def test_catapult_create_without_any_callback_url_is_refused(data: st.DataObject) -> None:
    body = data.draw(openapi_strategies.instances("ApplicationCreate"))
    for key in ("incomingCallUrl", "incomingMessageUrl", "incomingSmsUrl"):
        body.pop(key, None)
    recorder = Recorder(lambda r: NOTHING_SENT)
    with pytest.raises(bw.ValidationError) as raised:
        catapult("sync", recorder).create(bw.CatapultApplicationCreate.from_dict(body))
    assert ("incomingCallUrl", "needs-callback-url") in {
        (v.field, v.rule) for v in raised.value.violations
    }
    assert recorder.requests == []


def test_a_catapult_url_failing_format_and_pattern_is_one_problem() -> None:
    recorder = Recorder(lambda r: NOTHING_SENT)
    with pytest.raises(bw.ValidationError) as raised:
        catapult("sync", recorder).create(
            bw.CatapultApplicationCreate(name="one", incoming_call_url="nope")
        )
    assert [(v.field, v.rule) for v in raised.value.violations] == [("incomingCallUrl", "pattern")]
    assert recorder.requests == []
