"""Catapult application -> Dashboard applications: every mapping rule of _migrate.py."""

from __future__ import annotations

from typing import Any

import bandwidth_apps as bw
import pytest
from bandwidth_apps._dashboard import encode_application
from bandwidth_apps._migrate import plan_migration


def source(**fields: Any) -> bw.CatapultApplication:
    return bw.CatapultApplication.from_dict({"id": "a-1", "name": "legacy", **fields})


def test_both_kinds_with_units_converted() -> None:
    plan = plan_migration(
        source(
            incomingCallUrl="https://e.com/c",
            incomingCallFallbackUrl="https://f.com/c",
            incomingCallUrlCallbackTimeout=2500,
            incomingMessageUrl="https://e.com/m",
            callbackHttpMethod="get",
        )
    )
    assert plan.messaging is not None and plan.voice is not None
    assert (plan.messaging.inbound_callback_url, plan.messaging.outbound_callback_url) == (
        "https://e.com/m",
    ) * 2
    assert plan.messaging.requested_callback_types.callback_type == list(bw.CallbackType)
    voice = plan.voice
    assert (voice.call_initiated_callback_url, voice.call_status_callback_url) == (
        "https://e.com/c",
    ) * 2
    assert voice.call_initiated_fallback_url == "https://f.com/c"
    assert (
        voice.call_initiated_method
        == voice.call_status_method
        == voice.call_initiated_fallback_method
        == bw.CallbackMethod.GET
    )
    assert voice.callback_timeout == 3  # 2500 ms, rounded up to whole seconds
    assert any("Messaging-V2 always POSTs" in note for note in plan.notes)
    for app in plan.applications:
        encode_application(app, "create")  # valid against the XSD and the rules


@pytest.mark.parametrize(
    ("milliseconds", "seconds"), [(1, 1), (999, 1), (1000, 1), (1001, 2), (10000, 10)]
)
def test_timeouts_round_up(milliseconds: int, seconds: int) -> None:
    plan = plan_migration(
        source(incomingCallUrl="https://e.com/c", incomingCallUrlCallbackTimeout=milliseconds)
    )
    assert plan.voice is not None and plan.voice.callback_timeout == seconds


def test_only_what_is_set_is_planned() -> None:
    messaging_only = plan_migration(
        source(incomingSmsUrl="https://e.com/sms")
    )  # the older spelling
    assert messaging_only.voice is None and messaging_only.messaging is not None
    assert messaging_only.messaging.inbound_callback_url == "https://e.com/sms"
    voice_only = plan_migration(source(incomingCallUrl="https://e.com/c", autoAnswer=False))
    assert voice_only.messaging is None and voice_only.voice is not None
    assert voice_only.voice.call_initiated_method == bw.CallbackMethod.POST
    assert any("autoAnswer" in note for note in voice_only.notes)
    nothing = plan_migration(source())
    assert nothing.applications == [] and "nothing to migrate" in nothing.notes[0]


def test_dropped_messaging_settings_are_noted() -> None:
    plan = plan_migration(
        source(
            incomingMessageUrl="https://e.com/m",
            incomingMessageFallbackUrl="https://f.com/m",
            incomingMessageUrlCallbackTimeout=5000,
        )
    )
    assert len(plan.notes) == 2


def test_every_note_and_default_exactly() -> None:
    everything = plan_migration(
        source(
            incomingMessageUrl="https://e.com/m",
            incomingMessageFallbackUrl="https://f.com/m",
            incomingMessageUrlCallbackTimeout=5000,
            callbackHttpMethod="GET",
            incomingCallUrl="https://e.com/c",
            autoAnswer=False,
        )
    )
    assert everything.source_id == "a-1"
    assert everything.notes == (
        "incomingMessageFallbackUrl dropped: Messaging-V2 has no fallback URL",
        "incomingMessageUrlCallbackTimeout dropped: Messaging-V2 has no timeout",
        "callbackHttpMethod GET dropped for messaging: Messaging-V2 always POSTs",
        "autoAnswer false dropped: Voice-V2 calls are answered by your BXML",
    )
    plain = plan_migration(
        source(incomingMessageUrl="https://e.com/m", incomingCallUrl="https://e.com/c")
    )
    assert plain.notes == ()  # no timeout sent is the default one: nothing lost, nothing noted
    assert plain.voice is not None
    assert plain.voice.callback_timeout is None  # none sent, none set
    assert plain.voice.call_initiated_fallback_url is None
    assert plain.voice.call_initiated_fallback_method is None  # no fallback, no method for it
    assert plain.voice.call_initiated_method == bw.CallbackMethod.POST  # Catapult's default
    assert plan_migration(source()).notes == (
        "nothing to migrate: neither incomingCallUrl nor incomingMessageUrl is set",
    )


@pytest.mark.parametrize(
    ("milliseconds", "seconds"), [(24_001, 25), (25_000, 25), (25_001, 25), (60_000, 25), (0, 1)]
)
def test_timeouts_stay_within_the_dashboard_range(milliseconds: int, seconds: int) -> None:
    # Catapult allows at most 10 s, but a hand-made CatapultApplication may carry anything.
    plan = plan_migration(
        source(incomingCallUrl="https://e.com/c", incomingCallUrlCallbackTimeout=milliseconds)
    )
    assert plan.voice is not None and plan.voice.callback_timeout == seconds
