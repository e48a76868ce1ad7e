"""Turn a Catapult v1 application into its Dashboard equivalents.

Catapult had one application for both kinds of events; the Dashboard has one per service type.
Every mapping decision:

- A Messaging-V2 application is planned when `incomingMessageUrl` (or the older `incomingSmsUrl`)
  is set, a Voice-V2 application when `incomingCallUrl` is set; neither when neither is.
- `AppName` is the Catapult `name`, unchanged, for both: the ServiceType tells them apart.
- Messaging: Catapult sent every message event (inbound messages and delivery receipts) to
  `incomingMessageUrl`, so it becomes both `InboundCallbackUrl` and `OutboundCallbackUrl`, with
  every `CallbackType` requested (delivered, failed, sending).
- Messaging has no fallback URL, no timeout and always POSTs on the Dashboard:
  `incomingMessageFallbackUrl`, a non-default `incomingMessageUrlCallbackTimeout` and a GET
  `callbackHttpMethod` are dropped, each with a note.
- Voice: Catapult sent every call event to `incomingCallUrl`, so it becomes both
  `CallInitiatedCallbackUrl` and `CallStatusCallbackUrl`; `incomingCallFallbackUrl` becomes
  `CallInitiatedFallbackUrl`. `callbackHttpMethod` (either case) becomes the upper-case
  `CallInitiatedMethod`, `CallStatusMethod` and `CallInitiatedFallbackMethod` (POST if unset).
- Units: Catapult timeouts are milliseconds (1 to 10000), the Dashboard's `CallbackTimeout` is
  seconds (1 to 25): `incomingCallUrlCallbackTimeout` is divided by 1000 and rounded up, so a
  wait is never shortened (10000 ms -> 10 s, 1 ms -> 1 s).
- `autoAnswer` has no Voice-V2 equivalent (calls are answered by the application's BXML): a
  `false` is dropped with a note.
- Catapult applications carry no callback credentials, so none are planned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bandwidth_apps_catapult.models import Application as CatapultApplication
from bandwidth_apps_dashboard import (
    Application,
    CallbackMethod,
    CallbackType,
    RequestedCallbackTypes,
    ServiceType,
)

from ._rules import catapult_canonical

_DEFAULT_TIMEOUT = 10000  # ms, the Catapult default: nothing worth a note is lost


@dataclass(frozen=True)
class MigrationPlan:
    """The Dashboard applications a Catapult application becomes, and what could not move."""

    source_id: str
    messaging: Application | None
    voice: Application | None
    notes: tuple[str, ...]

    @property
    def applications(self) -> list[Application]:
        return [app for app in (self.messaging, self.voice) if app is not None]


def plan_migration(source: CatapultApplication) -> MigrationPlan:
    """The Dashboard equivalents of a Catapult application (nothing is sent)."""
    fields = catapult_canonical(source.to_dict())
    notes: list[str] = []
    method_text = str(fields.get("callbackHttpMethod", "POST")).upper()
    method = CallbackMethod(method_text)
    messaging = voice = None

    message_url = fields.get("incomingMessageUrl")
    if message_url:
        messaging = Application(
            service_type=ServiceType.MESSAGING_V2,
            app_name=fields["name"],
            inbound_callback_url=message_url,
            outbound_callback_url=message_url,
            requested_callback_types=RequestedCallbackTypes(callback_type=list(CallbackType)),
        )
        if "incomingMessageFallbackUrl" in fields:
            notes.append("incomingMessageFallbackUrl dropped: Messaging-V2 has no fallback URL")
        if fields.get("incomingMessageUrlCallbackTimeout", _DEFAULT_TIMEOUT) != _DEFAULT_TIMEOUT:
            notes.append("incomingMessageUrlCallbackTimeout dropped: Messaging-V2 has no timeout")
        if method is CallbackMethod.GET:
            notes.append("callbackHttpMethod GET dropped for messaging: Messaging-V2 always POSTs")

    call_url = fields.get("incomingCallUrl")
    if call_url:
        fallback = fields.get("incomingCallFallbackUrl")
        timeout_ms = fields.get("incomingCallUrlCallbackTimeout")
        timeout = None
        if timeout_ms is not None:
            timeout = min(25, max(1, math.ceil(int(timeout_ms) / 1000)))
        voice = Application(
            service_type=ServiceType.VOICE_V2,
            app_name=fields["name"],
            call_initiated_callback_url=call_url,
            call_initiated_method=method,
            call_status_callback_url=call_url,
            call_status_method=method,
            call_initiated_fallback_url=fallback,
            call_initiated_fallback_method=method if fallback else None,
            callback_timeout=timeout,
        )
        if fields.get("autoAnswer") is False:
            notes.append("autoAnswer false dropped: Voice-V2 calls are answered by your BXML")
    if messaging is None and voice is None:
        notes.append("nothing to migrate: neither incomingCallUrl nor incomingMessageUrl is set")
    return MigrationPlan(str(fields["id"]), messaging, voice, tuple(notes))
