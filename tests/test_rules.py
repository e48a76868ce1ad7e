"""_rules.py: the cross-field rules, including those that need the stored application."""

from __future__ import annotations

import bandwidth_apps as bw
from bandwidth_apps._rules import catapult_canonical, catapult_violations, dashboard_violations


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
