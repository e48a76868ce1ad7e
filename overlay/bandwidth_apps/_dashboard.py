"""The Dashboard API client (XML): DashboardClient and AsyncDashboardClient.

`_DashboardCalls` describes every call without I/O; the two clients only send them.
"""

from __future__ import annotations

import builtins
import dataclasses
import warnings
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from bandwidth_apps_dashboard import (
    Application,
    ApplicationProvisioningResponse,
    ApplicationResponse,
    AssociatedSipPeer,
    AssociatedSipPeersResponse,
    CallbackCredentials,
    CallbackCredentialsResponse,
    ErrorDetail,
    ResponseStatus,
)
from lxml import etree

from . import _xml
from ._auth import API_HOSTS, DASHBOARD_PATH, Environment, dashboard_login
from ._core import (
    DEFAULT_MAX_ANSWER_BYTES,
    AsyncClientBase,
    Call,
    FollowUp,
    Request,
    RetryPolicy,
    SyncClient,
    empty_error,
)
from ._errors import (
    Answer,
    ApiError,
    MalformedResponseError,
    ValidationError,
    Violation,
    error_class,
    user_stacklevel,
)
from ._rules import (
    DASHBOARD_ALIASES,
    DashboardOperation,
    dashboard_canonical,
    dashboard_violations,
    text_violations,
)
from ._specs import dashboard_path_parameter

T = TypeVar("T")

DASHBOARD_BASE_URL = API_HOSTS["prod"] + DASHBOARD_PATH  # https://api.bandwidth.com/api
_XML_HEADERS = {"Content-Type": "application/xml; charset=utf-8", "Accept": "application/xml"}
_ACCEPT = {"Accept": "application/xml"}
_LEGACY_CODE, _LEGACY_MESSAGE = "resultCode", "resultMessage"
_ACCOUNT_ID = dashboard_path_parameter("accountId")
_APPLICATION_ID = dashboard_path_parameter("applicationId")


def _shown(value: object) -> str:
    """A value as an error may show it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_request(application: Application | ApplicationResponse) -> Application:
    """What `get()` returned, as a request body: every field by the same name, credentials with
    their user id alone (answers never carry a password), without the id and the deprecated
    mirrors (MsgCallbackUrl, MsgCallbackCreds). An Application is returned as it is."""
    if isinstance(application, Application):
        return application
    if not isinstance(application, ApplicationResponse):
        raise TypeError(
            "expected bandwidth_apps.Application or ApplicationResponse,"
            f" got {type(application).__name__}"
        )
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Application):
        value = getattr(application, field.name, None)
        if value is None or field.name in DASHBOARD_ALIASES:
            continue
        if isinstance(value, CallbackCredentialsResponse):
            value = CallbackCredentials(user_id=value.user_id)
        values[field.name] = value
    return Application(**values)


def encode_application(application: Application, operation: DashboardOperation) -> bytes:
    """The request body, after the XSD and rules.py found nothing wrong with it.

    Raises:
        ValidationError: every violation, each with its element path and rule.
    """
    if not isinstance(application, Application):
        raise TypeError(f"expected bandwidth_apps.Application, got {type(application).__name__}")
    if mistyped := _xml.type_violations(application, "Application"):
        raise ValidationError(mistyped)
    text = _xml.write(application)
    if _xml.NOT_XML.search(text):  # rare: find the field, as slowly as needed
        raise ValidationError(text_violations(application, "Application", xml=True))
    body = _xml.to_bytes(text)
    root = etree.fromstring(body, _xml.strict_parser())
    violations = _xml.schema_violations(root) + dashboard_violations(application, operation)
    if violations:
        raise ValidationError(violations)
    canonical = dashboard_canonical(application)
    if canonical is not application:  # the API reads the deprecated aliases; we never send them
        aliases = [alias for alias in DASHBOARD_ALIASES if getattr(application, alias) is not None]
        warnings.warn(
            f"{', '.join(aliases)} is deprecated: sent as the current elements"
            " (InboundCallbackUrl, OutboundCallbackUrl)",
            DeprecationWarning,
            stacklevel=user_stacklevel(),
        )
        body = _xml.to_bytes(_xml.write(canonical))
    return body


def read_document(answer: Answer, cls: type[T]) -> T:
    """Parse, check against the XSD, and bind an answer whose root must be `cls`."""
    try:
        root = _xml.parse_document(answer.body)
    except _xml.UnsafeXml as exc:
        raise MalformedResponseError(answer, str(exc)) from exc
    expected = cls.__name__
    if root.tag != expected:
        raise MalformedResponseError(answer, f"root <{root.tag}> where <{expected}> was expected")
    # Answers never carry passwords (one documented PATCH example does): drop them unread.
    for password in root.iter("Password"):
        password.getparent().remove(password)  # type: ignore[union-attr]
    violations = _xml.schema_violations(root)
    if violations:
        raise MalformedResponseError(answer, f"not valid against the XSD: {violations[0]}")
    return _xml.from_tree(root, cls)


def read_error(response: httpx.Response, answer: Answer) -> ApiError | MalformedResponseError:
    """The typed error for an error status, from any of the documented error shapes."""
    if not answer.body.strip():
        return empty_error(answer)
    return _error_from_body(answer)


def _error_from_body(answer: Answer) -> ApiError | MalformedResponseError:
    try:
        root = _xml.parse_document(answer.body)
    except _xml.UnsafeXml as exc:
        return MalformedResponseError(answer, str(exc))
    cls = error_class(answer.status)
    legacy_code = root.findtext(f".//{_LEGACY_CODE}")
    if legacy_code is not None:  # shape 4: resultCode / resultMessage, in any root
        return cls(answer, code=legacy_code, description=root.findtext(f".//{_LEGACY_MESSAGE}"))
    binding = _xml.binding_for(str(root.tag))
    if binding is None:
        return MalformedResponseError(answer, f"<{root.tag}> is not a documented error shape")
    violations = _xml.schema_violations(root)
    if violations:
        return MalformedResponseError(answer, f"not valid against the XSD: {violations[0]}")
    document = _xml.from_tree(root, binding)
    pairs = _error_pairs(document)
    if not pairs:
        return MalformedResponseError(answer, f"<{root.tag}> carries no error")
    code, description = pairs[0]
    return cls(answer, code=code, description=description, errors=pairs)


def _error_pairs(document: Any) -> list[tuple[str | None, str]]:
    """(code, description) of every error in a document of any documented shape."""
    pairs: list[tuple[str | None, str]] = []
    status: ResponseStatus | None = getattr(document, "response_status", None)
    if status is not None and status.error_code != 0:
        code = None if status.error_code is None else str(status.error_code)
        pairs.append((code, status.description))
    details: list[ErrorDetail] = []
    if isinstance(document, ErrorDetail):  # the Error and Errors roots
        details.append(document)
    details += getattr(document, "errors", [])  # Errors siblings in an operation's answer
    details += getattr(document, "error", [])  # ErrorList
    pairs += [(str(detail.code), detail.description) for detail in details]
    return pairs


class _DashboardCalls:
    """Every Dashboard call, described without I/O."""

    def __init__(self, account_id: str, base_url: str) -> None:
        if not isinstance(account_id, str) or not _ACCOUNT_ID.fullmatch(account_id):
            raise ValueError(
                f"account_id {_shown(account_id)} is not an account id"
                f" (the spec's pattern: {_ACCOUNT_ID.pattern})"
            )
        self._collection = f"{base_url}/accounts/{account_id}/applications"
        self._items = urlsplit(self._collection).path + "/"

    def _item(self, application_id: str) -> str:
        """The application's URL; an id the spec's pattern refuses (a dot segment, a slash, a
        control character, too long) never reaches a URL, where it could name another path."""
        if not isinstance(application_id, str) or not _APPLICATION_ID.fullmatch(application_id):
            raise ValidationError(
                [
                    Violation(
                        "applicationId",
                        "pattern",
                        f"{_shown(application_id)} is not an application id"
                        f" ({_APPLICATION_ID.pattern})",
                    )
                ]
            )
        return f"{self._collection}/{application_id}"

    def create(self, application: Application) -> Call[ApplicationResponse]:
        body = encode_application(application, "create")
        request = Request("POST", self._collection, content=body, headers=_XML_HEADERS)
        return Call(request, self._read_created, idempotent=False)

    def list(self) -> Call[builtins.list[ApplicationResponse]]:
        return Call(Request("GET", self._collection, headers=_ACCEPT), _read_list, idempotent=True)

    def get(self, application_id: str) -> Call[ApplicationResponse]:
        request = Request("GET", self._item(application_id), headers=_ACCEPT, within=self._items)
        return Call(request, _read_application, idempotent=True)

    def update(
        self, application_id: str, application: Application | ApplicationResponse
    ) -> Call[ApplicationResponse]:
        if isinstance(application, ApplicationResponse):
            _refuse_lost_passwords(as_request(application))
        body = encode_application(as_request(application), "replace")
        url = self._item(application_id)
        request = Request("PUT", url, content=body, headers=_XML_HEADERS, within=self._items)
        return Call(request, _read_application, idempotent=True)

    def patch(
        self, application_id: str, application: Application | ApplicationResponse
    ) -> Call[ApplicationResponse]:
        change = as_request(application)
        if all(getattr(change, field.name) is None for field in dataclasses.fields(change)):
            raise ValidationError(
                [Violation("Application", "required", "a patch changes something: set a field")]
            )
        body = encode_application(change, "patch")
        url = self._item(application_id)
        request = Request("PATCH", url, content=body, headers=_XML_HEADERS, within=self._items)
        return Call(request, _read_application, idempotent=True)

    def delete(self, application_id: str) -> Call[None]:
        url = self._item(application_id)
        request = Request("DELETE", url, headers=_ACCEPT, within=self._items)
        return Call(request, _read_deleted, idempotent=True)

    def associated_sip_peers(self, application_id: str) -> Call[builtins.list[AssociatedSipPeer]]:
        url = f"{self._item(application_id)}/associatedsippeers"
        request = Request("GET", url, headers=_ACCEPT, within=self._items)
        return Call(request, _read_sip_peers, idempotent=True)

    def _read_created(
        self, response: httpx.Response, answer: Answer
    ) -> ApplicationResponse | FollowUp[ApplicationResponse]:
        # One documented answer is 201 (or 200) with no body and the new path in Location.
        if response.status_code in (200, 201) and not answer.body.strip():
            location = response.headers.get("location", "")
            application_id = urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1]
            if not location or not application_id:
                raise MalformedResponseError(answer, "created, but neither a body nor a Location")
            if not _APPLICATION_ID.fullmatch(application_id):
                raise MalformedResponseError(answer, "the Location names no application id")
            return FollowUp(self.get(application_id))
        return _read_application(response, answer)


def _refuse_lost_passwords(application: Application) -> None:
    """A PUT of what get() returned would have to send credentials without their passwords:
    say so, with the two ways out, before the rules give their generic `required`."""
    missing = [
        field.metadata["name"]
        for field in dataclasses.fields(application)
        if isinstance(credentials := getattr(application, field.name), CallbackCredentials)
        and credentials.password is None
    ]
    if missing:
        raise ValidationError(
            [
                Violation(
                    f"Application/{element}/Password",
                    "required",
                    "answers never carry passwords, and a PUT replaces everything: set it"
                    " again, or send the change with patch(), which keeps the stored one",
                )
                for element in missing
            ]
        )


def _success_document(response: httpx.Response, answer: Answer, cls: type[T]) -> T:
    if not response.is_success:
        raise read_error(response, answer)
    return read_document(answer, cls)


def _read_application(response: httpx.Response, answer: Answer) -> ApplicationResponse:
    document = _success_document(response, answer, ApplicationProvisioningResponse)
    if document.application is None:
        raise _missing(answer, document, "Application")
    return document.application


def _read_list(response: httpx.Response, answer: Answer) -> list[ApplicationResponse]:
    document = _success_document(response, answer, ApplicationProvisioningResponse)
    if document.application_list is None:
        raise _missing(answer, document, "ApplicationList")
    return list(document.application_list.application)


def _read_sip_peers(response: httpx.Response, answer: Answer) -> list[AssociatedSipPeer]:
    document = _success_document(response, answer, AssociatedSipPeersResponse)
    if document.associated_sip_peers is None:
        raise _missing(answer, document, "AssociatedSipPeers")
    return list(document.associated_sip_peers.associated_sip_peer)


def _read_deleted(response: httpx.Response, answer: Answer) -> None:
    if not response.is_success:
        raise read_error(response, answer)


def _missing(answer: Answer, document: Any, what: str) -> ApiError | MalformedResponseError:
    """A success status without the expected content: an error block, or malformed."""
    pairs = _error_pairs(document)
    if pairs:
        code, description = pairs[0]
        return ApiError(answer, code=code, description=description, errors=pairs)
    return MalformedResponseError(answer, f"no {what} element in the answer")


class DashboardClient(SyncClient):
    """Bandwidth Dashboard API client for Applications (sync).

    Authenticates with an API credential (OAuth 2.0 client credentials): Bandwidth ends the
    legacy API users (username + password, HTTP Basic) on 2 December 2026.

        DashboardClient(account_id, client_id=..., client_secret=...)

    Args:
        account_id: the Dashboard account id.
        client_id: the API credential's client id.
        client_secret: its secret (never shown in a repr, an error or a log).
        username: legacy API user name (HTTP Basic; warns with LegacyAuthWarning).
        password: legacy API user's password.
        environment: `prod` (https://api.bandwidth.com) or `test`
            (https://test.api.bandwidth.com): the API and token hosts.
        base_url: the API root, overriding the environment's (`https://api.bandwidth.com/api`);
            the sandbox's for local work.
        token_url: the token endpoint; by default the one on base_url's host
            (`/api/v1/oauth2/token`).
        timeout: httpx timeout; 30 s (10 s to connect) by default.
        retry: the retry policy; `NO_RETRY` turns retries off. Its clock is the client's clock
            (token renewal, Retry-After dates).
        http_client: an httpx.Client to send with (not closed by `close`).
        transport: an httpx transport for the client's own httpx.Client (tests).
        allow_insecure_http: send credentials over plain http to a host other than this
            machine (refused by default).

    Raises:
        ValueError: no credentials, both kinds, or a non-https URL for credentials.
    """

    def __init__(
        self,
        account_id: str,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        username: str | None = None,
        password: str | None = None,
        environment: Environment = "prod",
        base_url: str | None = None,
        token_url: str | None = None,
        timeout: httpx.Timeout | float | None = None,
        deadline: float | None = None,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        retry: RetryPolicy | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        retry = retry or RetryPolicy()
        super().__init__(
            login=dashboard_login(
                client_id=client_id,
                client_secret=client_secret,
                username=username,
                password=password,
                environment=environment,
                base_url=base_url,
                token_url=token_url,
                clock=retry.clock,
                allow_insecure_http=allow_insecure_http,
            ),
            retry=retry,
            timeout=timeout,
            deadline=deadline,
            max_answer_bytes=max_answer_bytes,
            http_client=http_client,
            transport=transport,
            shown={"account_id": account_id},
        )
        self.account_id = account_id
        self._calls = _DashboardCalls(account_id, self.base_url)

    def create(self, application: Application) -> ApplicationResponse:
        """Create an application.

        Raises:
            ValidationError: the application breaks the XSD or a rule; nothing was sent.
            ApiError: the API refused it. MalformedResponseError, TransportError: see errors.
        """
        return self._run(self._calls.create(application))

    def list(self) -> list[ApplicationResponse]:
        """Every application of the account.

        Raises:
            ApiError, MalformedResponseError, TransportError.
        """
        return self._run(self._calls.list())

    def get(self, application_id: str) -> ApplicationResponse:
        """One application.

        Raises:
            NotFoundError: no such application. ApiError, MalformedResponseError, TransportError.
        """
        return self._run(self._calls.get(application_id))

    def update(
        self, application_id: str, application: Application | ApplicationResponse
    ) -> ApplicationResponse:
        """Replace an application (PUT): fields left out, credentials too, are removed.

        Takes what `get()` returned, changed: `app = get(id); app.app_name = "x";
        update(id, app)`. Answers carry no passwords, so an application with callback
        credentials needs its passwords set again; `patch(id, app)` keeps the stored ones.

        Raises:
            ValidationError: nothing was sent. ApiError, MalformedResponseError, TransportError.
        """
        return self._run(self._calls.update(application_id, application))

    def patch(
        self, application_id: str, application: Application | ApplicationResponse
    ) -> ApplicationResponse:
        """Change only the fields set (PATCH); `CallStatusCallbackUrlRemoval.REMOVE` removes
        `CallStatusCallbackUrl`. Takes what `get()` returned, changed: credentials sent
        without a password keep the stored one.

        Raises:
            ValidationError: nothing was sent. ApiError, MalformedResponseError, TransportError.
        """
        return self._run(self._calls.patch(application_id, application))

    def delete(self, application_id: str) -> None:
        """Delete an application (refused with ConflictError while a Location uses it).

        Raises:
            NotFoundError, ConflictError, ApiError, MalformedResponseError, TransportError.
        """
        return self._run(self._calls.delete(application_id))

    def associated_sip_peers(self, application_id: str) -> builtins.list[AssociatedSipPeer]:
        """The Locations (sip peers) that use an application.

        Raises:
            NotFoundError, ApiError, MalformedResponseError, TransportError.
        """
        return self._run(self._calls.associated_sip_peers(application_id))


class AsyncDashboardClient(AsyncClientBase):
    """Bandwidth Dashboard API client for Applications (async); see DashboardClient."""

    def __init__(
        self,
        account_id: str,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        username: str | None = None,
        password: str | None = None,
        environment: Environment = "prod",
        base_url: str | None = None,
        token_url: str | None = None,
        timeout: httpx.Timeout | float | None = None,
        deadline: float | None = None,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        retry = retry or RetryPolicy()
        super().__init__(
            login=dashboard_login(
                client_id=client_id,
                client_secret=client_secret,
                username=username,
                password=password,
                environment=environment,
                base_url=base_url,
                token_url=token_url,
                clock=retry.clock,
                allow_insecure_http=allow_insecure_http,
            ),
            retry=retry,
            timeout=timeout,
            deadline=deadline,
            max_answer_bytes=max_answer_bytes,
            http_client=http_client,
            transport=transport,
            shown={"account_id": account_id},
        )
        self.account_id = account_id
        self._calls = _DashboardCalls(account_id, self.base_url)

    async def create(self, application: Application) -> ApplicationResponse:
        """Create an application; see DashboardClient.create."""
        return await self._run(self._calls.create(application))

    async def list(self) -> list[ApplicationResponse]:
        """Every application of the account; see DashboardClient.list."""
        return await self._run(self._calls.list())

    async def get(self, application_id: str) -> ApplicationResponse:
        """One application; see DashboardClient.get."""
        return await self._run(self._calls.get(application_id))

    async def update(
        self, application_id: str, application: Application | ApplicationResponse
    ) -> ApplicationResponse:
        """Replace an application (PUT); see DashboardClient.update."""
        return await self._run(self._calls.update(application_id, application))

    async def patch(
        self, application_id: str, application: Application | ApplicationResponse
    ) -> ApplicationResponse:
        """Change only the fields set (PATCH); see DashboardClient.patch."""
        return await self._run(self._calls.patch(application_id, application))

    async def delete(self, application_id: str) -> None:
        """Delete an application; see DashboardClient.delete."""
        return await self._run(self._calls.delete(application_id))

    async def associated_sip_peers(self, application_id: str) -> builtins.list[AssociatedSipPeer]:
        """The Locations that use an application; see DashboardClient.associated_sip_peers."""
        return await self._run(self._calls.associated_sip_peers(application_id))
