"""Build one application of each kind from the generated models, check it against the specs, and
print what would go on the wire. (Provisioning against the local sandbox comes with the sandbox.)"""

from __future__ import annotations

import json
import re

from bandwidth_apps._specs import catapult_validator, dashboard_schema
from bandwidth_apps_catapult.models import ApplicationCreate
from bandwidth_apps_dashboard import (
    Application,
    CallbackCredentials,
    CallbackMethod,
    CallbackType,
    RequestedCallbackTypes,
    ServiceType,
)
from lxml import etree
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig
from xsdata.formats.dataclass.serializers.writers import LxmlEventWriter


def dashboard_body(application: Application) -> bytes:
    serializer = XmlSerializer(config=SerializerConfig(indent="  "), writer=LxmlEventWriter)
    body = serializer.render(application).encode()
    document = etree.fromstring(body)
    schema = dashboard_schema()
    if not schema.validate(document):
        raise SystemExit(f"invalid against the XSD: {schema.error_log.last_error}")
    return body


def main() -> None:
    messaging = Application(
        service_type=ServiceType.MESSAGING_V2,
        app_name="Demo messaging",
        inbound_callback_url="https://example.com/messages/inbound",
        outbound_callback_url="https://example.com/messages/status",
        inbound_callback_creds=CallbackCredentials(user_id="demo-user", password="demo-secret"),
        requested_callback_types=RequestedCallbackTypes(
            callback_type=[CallbackType.MESSAGE_DELIVERED, CallbackType.MESSAGE_FAILED]
        ),
    )
    voice = Application(
        service_type=ServiceType.VOICE_V2,
        app_name="Demo voice",
        call_initiated_callback_url="https://example.com/voice",
        call_initiated_method=CallbackMethod.POST,
        call_status_callback_url="https://example.com/voice/status",
        callback_timeout=15,
    )
    catapult = ApplicationCreate(
        name="Demo Catapult",
        incoming_call_url="https://example.com/calls",
        incoming_message_url="https://example.com/messages",
        callback_http_method="POST",
    )

    for title, application in (("Messaging-V2", messaging), ("Voice-V2", voice)):
        print(f"== Dashboard {title} application: valid against specs/dashboard/applications.xsd")
        body = dashboard_body(application).decode()
        # Callback passwords are secrets: never printed, even in a demo.
        print(re.sub(r"<Password>[^<]*</Password>", "<Password>[secure]</Password>", body))

    wire = catapult.to_dict()
    catapult_validator("ApplicationCreate").validate(wire)
    print(
        "== Catapult application: valid against ApplicationCreate in specs/catapult-v1.openapi.yaml"
    )
    print(json.dumps(wire, indent=2))

    broken = {**wire, "incomingCallUrlCallbackTimeout": 20000}
    errors = list(catapult_validator("ApplicationCreate").iter_errors(broken))
    print(f"== A timeout of 20000 ms is refused by the spec ({len(errors)} violation)")
    print("demo: done")


if __name__ == "__main__":
    main()
