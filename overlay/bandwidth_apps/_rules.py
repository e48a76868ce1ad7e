"""The rules no schema can express, in one place for the clients and the sandbox.

Each function returns every violation it finds (never stops at the first). `current` is the
stored application when the caller knows it (the sandbox always does; a client does not, so the
rules that need it are skipped there and the server enforces them).

Dashboard (on the `Application` request element):
- create and PUT need `ServiceType` and `AppName`;
- Messaging-V2 needs `InboundCallbackUrl`; Voice-V2 needs `CallInitiatedCallbackUrl` (after a
  PATCH, the merged application must still have it);
- `ServiceType` cannot change after creation;
- `CallStatusCallbackUrl` `remove` is meaningful only in a PATCH;
- a credentials element of a create or PUT has both `UserId` and `Password`; a PATCH may send
  `UserId` alone, and keeps the stored `Password` (so there must be one);
- the deprecated request aliases that Bandwidth's own `band` CLI still sends: `MsgCallbackUrl`
  means `InboundCallbackUrl` and (unless sent) `OutboundCallbackUrl`; `CallbackUrl` means
  `InboundCallbackUrl`; an alias may not contradict `InboundCallbackUrl` or the other alias.

Both: every string is Unicode text (no lone surrogate, which no encoding can carry); a
Dashboard string holds only characters XML 1.0 allows (no NUL, no other control character but
tab, newline and carriage return, no U+FFFE or U+FFFF).

Catapult (on the JSON body; `null` counts as absent, `incomingSms*` as `incomingMessage*`):
- a create needs at least one of `incomingCallUrl` and `incomingMessageUrl`;
- a fallback URL needs its primary URL (sent now, or already stored);
- an `incomingSms*` alias may not contradict its `incomingMessage*` twin.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from bandwidth_apps_dashboard import (
    ApplicationRequest,
    ApplicationResponse,
    CallbackCredentials,
    CallStatusCallbackUrlRemoval,
    ServiceType,
)

from ._errors import Violation

DashboardOperation = Literal["create", "replace", "patch"]
CatapultOperation = Literal["create", "update"]

_ROOT = "Application"
_Request = TypeVar("_Request", bound=ApplicationRequest)
_ELEMENT = {f.name: f.metadata["name"] for f in dataclasses.fields(ApplicationRequest)}
# deprecated request alias -> the current fields it stands for (the first must agree if sent;
# the others are filled in only when absent)
DASHBOARD_ALIASES = {
    "msg_callback_url": ("inbound_callback_url", "outbound_callback_url"),
    "callback_url": ("inbound_callback_url",),
}


def dashboard_canonical(application: _Request) -> _Request:
    """The application as the API reads it: the deprecated aliases folded into current names
    (the application itself when it uses none)."""
    if all(getattr(application, alias) is None for alias in DASHBOARD_ALIASES):
        return application
    canonical = dataclasses.replace(application)
    for alias, targets in DASHBOARD_ALIASES.items():
        value = getattr(canonical, alias)
        if value is None:
            continue
        for target in targets:
            if getattr(canonical, target) is None:
                setattr(canonical, target, value)
        setattr(canonical, alias, None)
    return canonical


def dashboard_patched(stored: _Request, change: ApplicationRequest) -> _Request:
    """What a PATCH makes of a stored application: the fields sent replace the stored ones, a
    credentials element without Password keeps the stored Password, and CallStatusCallbackUrl
    `remove` removes that URL and its method."""
    merged = dataclasses.replace(stored)
    change = dashboard_canonical(change)
    for field in dataclasses.fields(change):
        value = getattr(change, field.name)
        if value is None:
            continue
        kept = getattr(stored, field.name)
        if isinstance(value, CallbackCredentials) and value.password is None and kept is not None:
            value = dataclasses.replace(value, password=kept.password)
        setattr(merged, field.name, value)
    if _is_removal(change.call_status_callback_url):
        merged.call_status_callback_url = None
        merged.call_status_method = None
    return merged


_NEEDED_URL = {
    ServiceType.MESSAGING_V2: ("inbound_callback_url", "InboundCallbackUrl"),
    ServiceType.VOICE_V2: ("call_initiated_callback_url", "CallInitiatedCallbackUrl"),
}


def dashboard_violations(
    application: ApplicationRequest,
    operation: DashboardOperation,
    current: ApplicationResponse | None = None,
) -> list[Violation]:
    """Every rule of the Dashboard `Application` body that the XSD cannot state."""
    found = _alias_conflicts(application) + _credential_violations(application, operation, current)
    application = dashboard_canonical(application)
    if operation != "patch":
        if application.service_type is None:
            found.append(_required("ServiceType", operation))
        if application.app_name is None:
            found.append(_required("AppName", operation))
    # A value the XSD already refused (say, an unknown ServiceType) is not judged again here.
    sent_type = (
        application.service_type if isinstance(application.service_type, ServiceType) else None
    )
    if (
        current is not None
        and operation != "create"
        and sent_type is not None
        and sent_type != current.service_type
    ):
        found.append(
            Violation(
                f"{_ROOT}/ServiceType",
                "service-type-immutable",
                f"cannot change from {current.service_type.value} to {sent_type.value}",
            )
        )
    service_type = sent_type or (current.service_type if current else None)
    if service_type is not None and (operation != "patch" or current is not None):
        attribute, element = _NEEDED_URL[service_type]
        value = getattr(application, attribute)
        if value is None and operation == "patch" and current is not None:
            value = getattr(current, attribute)
        if value is None:
            found.append(
                Violation(
                    f"{_ROOT}/{element}",
                    "service-type-needs-url",
                    f"{service_type.value} needs {element}",
                )
            )
    if _is_removal(application.call_status_callback_url) and operation != "patch":
        found.append(
            Violation(
                f"{_ROOT}/CallStatusCallbackUrl",
                "remove-only-in-patch",
                "the value 'remove' only means something in a PATCH",
            )
        )
    return found


def _is_removal(value: object) -> bool:
    """The enum member, or the plain string a caller (or a CLI flag) may give for it: both are
    sent as `remove`."""
    return value == CallStatusCallbackUrlRemoval.REMOVE or value == "remove"


def _alias_conflicts(application: ApplicationRequest) -> list[Violation]:
    found = []
    seen: dict[str, str] = {}  # URL -> the element that gave it, for the inbound URL
    if application.inbound_callback_url is not None:
        seen[application.inbound_callback_url] = _ELEMENT["inbound_callback_url"]
    for alias in DASHBOARD_ALIASES:
        value = getattr(application, alias)
        if value is None:
            continue
        if seen and value not in seen:
            other = next(iter(seen.values()))
            found.append(
                Violation(
                    f"{_ROOT}/{_ELEMENT[alias]}",
                    "alias-conflict",
                    f"contradicts {other}; send only InboundCallbackUrl",
                )
            )
        seen.setdefault(value, _ELEMENT[alias])
    return found


def _credential_violations(
    application: ApplicationRequest,
    operation: DashboardOperation,
    current: ApplicationResponse | None,
) -> list[Violation]:
    found = []
    for name, element in _ELEMENT.items():
        credentials = getattr(application, name)
        if not isinstance(credentials, CallbackCredentials) or credentials.password is not None:
            continue
        if operation != "patch":
            found.append(_required(f"{element}/Password", operation))
        elif current is not None and getattr(current, name, None) is None:
            path = f"{_ROOT}/{element}/Password"
            found.append(Violation(path, "required", "no stored password to keep: send Password"))
    return found


def _required(element: str, operation: str) -> Violation:
    verb = {"create": "a create", "replace": "a full replace (PUT)"}[operation]
    return Violation(f"{_ROOT}/{element}", "required", f"required in {verb}")


# ---- Both ----

NOT_XML_TEXT = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def text_violations(value: Any, path: str, *, xml: bool) -> list[Violation]:
    """Strings that no request could carry, anywhere in a Dashboard binding (element paths) or
    a Catapult body (keys)."""
    found: list[Violation] = []
    if isinstance(value, str):
        bad = (NOT_XML_TEXT if xml else _SURROGATE).search(value)
        if bad:
            found.append(
                Violation(
                    path,
                    "characters",
                    f"character U+{ord(bad.group()):04X} at {bad.start()} cannot be sent"
                    + (" in XML" if xml else ""),
                )
            )
    elif isinstance(value, list | tuple):
        for item in value:
            found += text_violations(item, path, xml=xml)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            found += text_violations(item, f"{path}/{key}".strip("/"), xml=xml)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            name = field.metadata.get("name", field.name)
            found += text_violations(getattr(value, field.name), f"{path}/{name}", xml=xml)
    return found


# ---- Catapult ----

# older spelling -> current spelling
CATAPULT_ALIASES = {
    "incomingSmsUrl": "incomingMessageUrl",
    "incomingSmsUrlCallbackTimeout": "incomingMessageUrlCallbackTimeout",
    "incomingSmsFallbackUrl": "incomingMessageFallbackUrl",
}
_FALLBACKS = {
    "incomingCallFallbackUrl": "incomingCallUrl",
    "incomingMessageFallbackUrl": "incomingMessageUrl",
}


def catapult_canonical(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body with `null` fields dropped and `incomingSms*` read as `incomingMessage*`."""
    present = {key: value for key, value in body.items() if value is not None}
    for alias, name in CATAPULT_ALIASES.items():
        if alias in present:
            present.setdefault(name, present[alias])
            del present[alias]
    return present


def catapult_violations(
    body: Mapping[str, Any],
    operation: CatapultOperation,
    current: Mapping[str, Any] | None = None,
) -> list[Violation]:
    """Every rule of a Catapult create / update body that the OpenAPI schema cannot state."""
    found: list[Violation] = []
    for alias, name in CATAPULT_ALIASES.items():
        if body.get(alias) is not None and body.get(name) is not None and body[alias] != body[name]:
            found.append(
                Violation(alias, "alias-conflict", f"contradicts {name}; send only {name}")
            )
    sent = catapult_canonical(body)
    known = operation == "create" or current is not None
    merged = {**catapult_canonical(current or {}), **sent}
    if operation == "create" and not (
        merged.get("incomingCallUrl") or merged.get("incomingMessageUrl")
    ):
        found.append(
            Violation(
                "incomingCallUrl",
                "needs-callback-url",
                "must have a least one callback URL (incomingCallUrl or incomingMessageUrl)",
            )
        )
    for fallback, primary in _FALLBACKS.items():
        if known and fallback in sent and primary not in merged:
            found.append(Violation(fallback, "fallback-needs-primary", f"needs {primary}"))
    return found
