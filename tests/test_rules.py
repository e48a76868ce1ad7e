"""_rules.py: the cross-field rules, including those that need the stored application."""

from __future__ import annotations

import dataclasses
from typing import Any

import bandwidth_apps as bw
import pytest
from bandwidth_apps._rules import (
    catapult_canonical,
    catapult_violations,
    dashboard_canonical,
    dashboard_patched,
    dashboard_violations,
)
from bandwidth_apps_dashboard import CallbackCredentialsResponse


def stored_voice() -> bw.ApplicationResponse:
    return bw.ApplicationResponse(
        application_id="v-1",
        service_type=bw.ServiceType.VOICE_V2,
        app_name="voice",
        call_initiated_callback_url="https://e.com/v",
    )


def rules(found: list[bw.Violation]) -> set[tuple[str, str]]:
    return {(v.field, v.rule) for v in found}


def test_create_and_replace_need_service_type_and_name() -> None:
    for operation in ("create", "replace"):
        assert rules(dashboard_violations(bw.Application(), operation)) == {  # type: ignore[arg-type]
            ("Application/ServiceType", "required"),
            ("Application/AppName", "required"),
        }
    assert dashboard_violations(bw.Application(), "patch") == []


def test_service_type_cannot_change() -> None:
    change = bw.Application(
        service_type=bw.ServiceType.MESSAGING_V2, inbound_callback_url="https://e.com/m"
    )
    found = dashboard_violations(change, "patch", stored_voice())
    assert ("Application/ServiceType", "service-type-immutable") in rules(found)
    assert (
        dashboard_violations(
            bw.Application(service_type=bw.ServiceType.VOICE_V2), "patch", stored_voice()
        )
        == []
    )


def test_patch_keeps_the_needed_url_from_the_stored_application() -> None:
    assert dashboard_violations(bw.Application(app_name="renamed"), "patch", stored_voice()) == []
    replace = bw.Application(service_type=bw.ServiceType.VOICE_V2, app_name="renamed")
    assert rules(dashboard_violations(replace, "replace", stored_voice())) == {
        ("Application/CallInitiatedCallbackUrl", "service-type-needs-url")
    }


def stored_messaging() -> bw.Application:
    return bw.Application(
        service_type=bw.ServiceType.MESSAGING_V2,
        app_name="sms",
        inbound_callback_url="https://e.com/in",
        outbound_callback_url="https://e.com/out",
        inbound_callback_creds=bw.CallbackCredentials(user_id="old-user", password="stored-pw"),
    )


def test_deprecated_aliases_mean_the_current_elements() -> None:
    # MsgCallbackUrl: inbound and (unless sent) outbound; CallbackUrl: inbound only.
    both = bw.Application(msg_callback_url="https://e.com/m")
    assert dashboard_canonical(both) == bw.Application(
        inbound_callback_url="https://e.com/m", outbound_callback_url="https://e.com/m"
    )
    kept = bw.Application(
        msg_callback_url="https://e.com/m", outbound_callback_url="https://e.com/o"
    )
    assert dashboard_canonical(kept).outbound_callback_url == "https://e.com/o"
    assert dashboard_canonical(bw.Application(callback_url="https://e.com/c")) == bw.Application(
        inbound_callback_url="https://e.com/c"
    )
    # An alias counts as the InboundCallbackUrl a Messaging-V2 application needs.
    band = bw.Application(
        service_type=bw.ServiceType.MESSAGING_V2,
        app_name="band",
        callback_url="https://e.com/c",
        msg_callback_url="https://e.com/c",
    )
    for operation in ("create", "replace"):
        assert dashboard_violations(band, operation) == []  # type: ignore[arg-type]


def test_an_alias_may_not_contradict_the_inbound_url_or_the_other_alias() -> None:
    cases = [
        (
            dict(inbound_callback_url="https://e.com/in", msg_callback_url="https://e.com/x"),
            "MsgCallbackUrl",
        ),
        (
            dict(inbound_callback_url="https://e.com/in", callback_url="https://e.com/x"),
            "CallbackUrl",
        ),
        (dict(msg_callback_url="https://e.com/a", callback_url="https://e.com/b"), "CallbackUrl"),
    ]
    for fields, element in cases:
        application = bw.Application(
            service_type=bw.ServiceType.MESSAGING_V2, app_name="a", **fields
        )
        assert rules(dashboard_violations(application, "create")) == {
            (f"Application/{element}", "alias-conflict")
        }
    agreeing = bw.Application(
        inbound_callback_url="https://e.com/in", msg_callback_url="https://e.com/in"
    )
    assert dashboard_violations(agreeing, "patch") == []


def test_credentials_without_password_only_in_a_patch_that_keeps_a_stored_one() -> None:
    user_only = bw.CallbackCredentials(user_id="new-user")
    change = bw.Application(inbound_callback_creds=user_only)
    creating = dataclasses.replace(stored_messaging(), inbound_callback_creds=user_only)
    for operation in ("create", "replace"):
        assert rules(dashboard_violations(creating, operation)) == {  # type: ignore[arg-type]
            ("Application/InboundCallbackCreds/Password", "required")
        }
    assert dashboard_violations(change, "patch") == []  # the client cannot know: the server checks
    stored = bw.ApplicationResponse(
        application_id="m-1",
        service_type=bw.ServiceType.MESSAGING_V2,
        app_name="sms",
        inbound_callback_url="https://e.com/in",
        inbound_callback_creds=CallbackCredentialsResponse(user_id="old-user"),
    )
    assert dashboard_violations(change, "patch", stored) == []
    nothing_to_keep = bw.Application(callback_creds=user_only)
    assert rules(dashboard_violations(nothing_to_keep, "patch", stored)) == {
        ("Application/CallbackCreds/Password", "required")
    }
    merged = dashboard_patched(stored_messaging(), change)
    assert merged.inbound_callback_creds == bw.CallbackCredentials(
        user_id="new-user", password="stored-pw"
    )
    replaced = dashboard_patched(
        stored_messaging(),
        bw.Application(
            inbound_callback_creds=bw.CallbackCredentials(user_id="u2-user", password="new-pw")
        ),
    )
    assert replaced.inbound_callback_creds == bw.CallbackCredentials(
        user_id="u2-user", password="new-pw"
    )


def test_a_patch_with_an_alias_changes_the_current_elements() -> None:
    merged = dashboard_patched(
        stored_messaging(), bw.Application(msg_callback_url="https://e.com/new")
    )
    assert (merged.inbound_callback_url, merged.outbound_callback_url) == ("https://e.com/new",) * 2
    assert merged.msg_callback_url is None


def test_catapult_aliases_and_nulls() -> None:
    assert catapult_canonical({"incomingSmsUrl": "https://e.com/s", "name": None}) == {
        "incomingMessageUrl": "https://e.com/s"
    }
    assert catapult_violations({"name": "a", "incomingSmsUrl": "https://e.com/s"}, "create") == []
    conflict = {
        "name": "a",
        "incomingSmsUrl": "https://e.com/s",
        "incomingMessageUrl": "https://e.com/m",
    }
    assert ("incomingSmsUrl", "alias-conflict") in rules(catapult_violations(conflict, "create"))


def test_catapult_fallback_needs_its_primary_now_or_stored() -> None:
    update = {"incomingCallFallbackUrl": "https://e.com/f"}
    assert catapult_violations(update, "update") == []  # the client cannot know: the server checks
    assert rules(catapult_violations(update, "update", {"id": "a-1", "name": "x"})) == {
        ("incomingCallFallbackUrl", "fallback-needs-primary")
    }
    stored = {"id": "a-1", "name": "x", "incomingCallUrl": "https://e.com/c"}
    assert catapult_violations(update, "update", stored) == []


def test_every_rule_says_what_is_wrong() -> None:
    messages = {
        (v.field, v.rule): v.message for v in dashboard_violations(bw.Application(), "create")
    }
    assert messages == {
        ("Application/ServiceType", "required"): "required in a create",
        ("Application/AppName", "required"): "required in a create",
    }
    replace = {
        (v.field, v.rule): v.message for v in dashboard_violations(bw.Application(), "replace")
    }
    assert set(replace.values()) == {"required in a full replace (PUT)"}
    switched = dashboard_violations(
        bw.Application(service_type=bw.ServiceType.MESSAGING_V2), "patch", stored_voice()
    )
    assert [v.message for v in switched] == [
        "cannot change from Voice-V2 to Messaging-V2",
        "Messaging-V2 needs InboundCallbackUrl",
    ]
    remove = bw.Application(
        service_type=bw.ServiceType.VOICE_V2,
        app_name="v",
        call_initiated_callback_url="https://e.com/v",
        call_status_callback_url=bw.CallStatusCallbackUrlRemoval.REMOVE,
    )
    assert [v.message for v in dashboard_violations(remove, "create")] == [
        "the value 'remove' only means something in a PATCH"
    ]
    conflict = bw.Application(
        inbound_callback_url="https://e.com/in", msg_callback_url="https://e.com/x"
    )
    assert [v.message for v in dashboard_violations(conflict, "patch")] == [
        "contradicts InboundCallbackUrl; send only InboundCallbackUrl"
    ]
    catapult = {
        (v.field, v.rule): v.message
        for v in catapult_violations(
            {
                "incomingSmsUrl": "https://e.com/s",
                "incomingMessageUrl": "https://e.com/m",
                "incomingCallFallbackUrl": "https://e.com/f",
            },
            "create",
        )
    }
    assert catapult == {
        (
            "incomingSmsUrl",
            "alias-conflict",
        ): "contradicts incomingMessageUrl; send only incomingMessageUrl",
        ("incomingCallFallbackUrl", "fallback-needs-primary"): "needs incomingCallUrl",
    }
    nothing = catapult_violations({"name": "x"}, "create")
    assert [(v.field, v.rule, v.message) for v in nothing] == [
        (
            "incomingCallUrl",
            "needs-callback-url",
            "must have a least one callback URL (incomingCallUrl or incomingMessageUrl)",
        )
    ]  # the API's own wording, "a least" included


@pytest.mark.parametrize("removal", [bw.CallStatusCallbackUrlRemoval.REMOVE, "remove"])
@pytest.mark.parametrize("operation", ["create", "replace", "patch"])
def test_remove_is_the_same_rule_as_an_enum_or_a_plain_string(removal: Any, operation: str) -> None:
    remove = bw.Application(
        service_type=bw.ServiceType.VOICE_V2,
        app_name="v",
        call_initiated_callback_url="https://e.com/v",
        call_status_callback_url=removal,
    )
    refused = [v.rule for v in dashboard_violations(remove, operation)]
    assert refused == ([] if operation == "patch" else ["remove-only-in-patch"])
