"""The sandbox's Dashboard API: `/accounts/{accountId}/applications...` in XML.

It reads requests with the client's own strict XML intake, judges them with the same XSD and
_rules.py, and answers in the documented shapes (errors as several `Errors`, or `ResponseStatus`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from typing import Any

from bandwidth_apps_dashboard import (
    Application,
    ApplicationList,
    ApplicationProvisioningResponse,
    ApplicationResponse,
    AssociatedSipPeer,
    AssociatedSipPeers,
    AssociatedSipPeersResponse,
    CallbackCredentials,
    CallbackCredentialsResponse,
    CallbackMethod,
    Errors,
    ResponseStatus,
    ServiceType,
)
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .. import _xml
from .._errors import Violation
from .._rules import (
    DashboardOperation,
    dashboard_canonical,
    dashboard_patched,
    dashboard_violations,
)
from ._store import Store
from ._urls import absolute_url

NOT_FOUND = 13629  # the API's own code for "Application with id ... not found"
UNSUPPORTED = 415
IN_USE = 13630
SERVICE_TYPE_FIXED = 13631
INVALID = 1001
_XML = "application/xml"
_XML_TYPES = frozenset({"application/xml", "text/xml"})


def xml_response(
    document: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    body = _xml.to_bytes(_xml.write(document))
    return Response(body, status_code=status, headers=headers, media_type=_XML)


def invalid(violations: list[Violation], status: int = 400) -> Response:
    """Several `Errors` siblings, one per violation (a documented error shape)."""
    errors = [
        Errors(code=INVALID, description=f"{v.field}: {v.message} [{v.rule}]") for v in violations
    ]
    return xml_response(ApplicationProvisioningResponse(errors=errors), status)


def status_error(status: int, code: int, description: str) -> Response:
    block = ResponseStatus(error_code=code, description=description)
    return xml_response(ApplicationProvisioningResponse(response_status=block), status)


async def decode(body: bytes) -> Application | list[Violation]:
    """The request's Application, or why it is not one; judged on a worker thread, so that a
    body with thousands of faults never holds up the event loop (and every other client)."""
    return await run_in_threadpool(_decode, body)


def _decode(body: bytes) -> Application | list[Violation]:
    try:
        root = _xml.parse_document(body)
    except _xml.UnsafeXml as exc:
        return [Violation("(body)", "well-formed", str(exc))]
    if root.tag != "Application":
        return [Violation("(body)", "unexpected", "the root element must be Application")]
    violations = _xml.schema_violations(root)
    return violations or _xml.from_tree(root, Application)


def hashed_passwords(application: Application) -> Application:
    """The request's application with every callback password replaced by its hash, before
    anything is merged or stored: the sandbox never needs a password back. (Stored ones are
    hashes already; a PATCH that sends no Password keeps the stored hash.)"""
    for field in dataclasses.fields(application):
        creds = getattr(application, field.name)
        if isinstance(creds, CallbackCredentials) and creds.password is not None:
            digest = hashlib.sha256(creds.password.encode()).hexdigest()
            setattr(
                application, field.name, dataclasses.replace(creds, password=f"sha256:{digest}")
            )
    return application


def _with_defaults(application: Application) -> Application:
    """What the API fills in on Voice-V2 applications: every method defaults to POST."""
    if application.service_type != ServiceType.VOICE_V2:
        return application
    pairs = {
        "call_initiated_method": application.call_initiated_callback_url,
        "call_status_method": application.call_status_callback_url,
        "call_initiated_fallback_method": application.call_initiated_fallback_url,
    }
    for method, url in pairs.items():
        if url is not None and getattr(application, method) is None:
            setattr(application, method, CallbackMethod.POST)
    return application


def to_response(application_id: str, stored: Application) -> ApplicationResponse:
    """The answer for a stored application: same fields by name, credentials without password,
    and the deprecated MsgCallback* mirrors that the API still returns for messaging."""
    values: dict[str, Any] = {"application_id": application_id}
    names = {f.name for f in dataclasses.fields(ApplicationResponse)}
    for field in dataclasses.fields(stored):
        value = getattr(stored, field.name)
        if field.name in names and value is not None:
            if isinstance(value, CallbackCredentials):
                value = CallbackCredentialsResponse(user_id=value.user_id)
            values[field.name] = value
    if stored.service_type == ServiceType.MESSAGING_V2:
        values["msg_callback_url"] = values.get("inbound_callback_url")
        values["msg_callback_creds"] = values.get("inbound_callback_creds")
    return ApplicationResponse(**values)


def _stored(document: bytes) -> Application:
    return _xml.from_tree(_xml.parse_document(document), Application)


def _stored_bytes(application: Application) -> bytes:
    return _xml.to_bytes(_xml.write(application))


def not_found(application_id: str) -> Response:
    description = f"Application with id '{printable(application_id)}' not found"
    return status_error(404, NOT_FOUND, description)


def printable(text: str) -> str:
    """Text safe to echo in an XML answer: what XML cannot carry is escaped, and it is short."""
    shown = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text[:100])
    return shown + ("..." if len(text) > 100 else "")


def xml_body_refusal(request: Request) -> Response | None:
    """415 unless the body is XML (`application/xml` or `text/xml`, any case or parameters)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type in _XML_TYPES:
        return None
    block = ResponseStatus(
        error_code=UNSUPPORTED, description="The body must be XML (Content-Type: application/xml)"
    )
    return xml_response(ApplicationProvisioningResponse(response_status=block), 415)


class DashboardApi:
    """Request handlers; every account id is served, each account's applications apart.

    A change (PUT, PATCH) reads its body first, then reads, merges and writes the stored
    application in one transaction; a DELETE checks the sip peers and deletes in one too."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def _ids(request: Request) -> tuple[str, str]:
        return request.path_params["accountId"], request.path_params.get("applicationId", "")

    @staticmethod
    def _not_found(application_id: str) -> Response:
        return not_found(application_id)

    async def list(self, request: Request) -> Response:
        account_id, _ = self._ids(request)
        applications = [
            to_response(application_id, _stored(document))
            for application_id, document in self.store.dashboard_list(account_id)
        ]
        listed = ApplicationList(application=applications)
        return xml_response(ApplicationProvisioningResponse(application_list=listed))

    async def create(self, request: Request) -> Response:
        if refused := xml_body_refusal(request):
            return refused
        account_id, _ = self._ids(request)
        application = await decode(await request.body())
        if isinstance(application, list):
            return invalid(application)
        violations = dashboard_violations(application, "create")
        if violations:
            return invalid(violations)
        application_id = str(uuid.uuid4())
        application = _with_defaults(dashboard_canonical(hashed_passwords(application)))
        self.store.dashboard_put(account_id, application_id, _stored_bytes(application))
        location = absolute_url(request, application_id)
        answer = ApplicationProvisioningResponse(
            application=to_response(application_id, application)
        )
        return xml_response(answer, 201, headers={"Location": location})

    async def get(self, request: Request) -> Response:
        account_id, application_id = self._ids(request)
        document = self.store.dashboard_get(account_id, application_id)
        if document is None:
            return self._not_found(application_id)
        answer = ApplicationProvisioningResponse(
            application=to_response(application_id, _stored(document))
        )
        return xml_response(answer)

    async def replace(self, request: Request) -> Response:
        return await self._change(request, "replace")

    async def patch(self, request: Request) -> Response:
        return await self._change(request, "patch")

    async def _change(self, request: Request, operation: DashboardOperation) -> Response:
        if refused := xml_body_refusal(request):
            return refused
        account_id, application_id = self._ids(request)
        change = await decode(await request.body())  # all of the body, before the transaction

        def merged(document: bytes) -> tuple[bytes | None, Response]:
            stored = _stored(document)
            if isinstance(change, list):
                return None, invalid(change)
            current = to_response(application_id, stored)
            violations = dashboard_violations(change, operation, current)
            if any(v.rule == "service-type-immutable" for v in violations):
                description = "Application ServiceType cannot be changed"
                return None, status_error(409, SERVICE_TYPE_FIXED, description)
            if violations:
                return None, invalid(violations)
            if operation == "replace":
                updated = _with_defaults(dashboard_canonical(hashed_passwords(change)))
            else:
                updated = _with_defaults(dashboard_patched(stored, hashed_passwords(change)))
            answer = ApplicationProvisioningResponse(
                application=to_response(application_id, updated)
            )
            return _stored_bytes(updated), xml_response(answer)

        answered = self.store.dashboard_change(account_id, application_id, merged)
        return answered if answered is not None else self._not_found(application_id)

    async def delete(self, request: Request) -> Response:
        account_id, application_id = self._ids(request)
        outcome = self.store.dashboard_delete(account_id, application_id)
        if outcome == "missing":
            return self._not_found(application_id)
        if outcome == "in-use":
            description = "Application is used by one or more Locations (sip peers)"
            return status_error(409, IN_USE, description)
        return Response(status_code=200)

    async def associated_sip_peers(self, request: Request) -> Response:
        account_id, application_id = self._ids(request)
        if self.store.dashboard_get(account_id, application_id) is None:
            block = ResponseStatus(
                error_code=NOT_FOUND,
                description=f"Application with id '{printable(application_id)}' not found",
            )
            return xml_response(AssociatedSipPeersResponse(response_status=block), 404)
        peers = [
            AssociatedSipPeer(
                site_id=site_id, site_name=site_name, peer_id=peer_id, peer_name=peer_name
            )
            for site_id, site_name, peer_id, peer_name in self.store.sip_peers(
                account_id, application_id
            )
        ]
        return xml_response(
            AssociatedSipPeersResponse(
                associated_sip_peers=AssociatedSipPeers(associated_sip_peer=peers)
            )
        )
