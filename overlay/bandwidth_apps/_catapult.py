"""The Catapult v1 API client (JSON): CatapultClient and AsyncCatapultClient.

Requests are built by the generated calls' own request builders (`_get_kwargs` of each module in
`bandwidth_apps_catapult.api.applications`) from the generated models; `_CatapultCalls` adds
validation and reading, without I/O; the two clients only send.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from bandwidth_apps_catapult.api.applications import (
    create_application,
    delete_application,
    get_application,
    list_applications,
    update_application,
)
from bandwidth_apps_catapult.models import Application, ApplicationCreate, ApplicationUpdate
from bandwidth_apps_catapult.models import Error as ErrorBody
from bandwidth_apps_catapult.types import Unset

from ._auth import basic_login
from ._core import (
    DEFAULT_MAX_ANSWER_BYTES,
    AsyncClientBase,
    Call,
    Request,
    RetryPolicy,
    SyncClient,
    empty_error,
    origin,
)
from ._errors import (
    Answer,
    ApiError,
    MalformedResponseError,
    ValidationError,
    Violation,
    bounded,
    did_you_mean,
    error_class,
)
from ._rules import CatapultOperation, catapult_violations, text_violations
from ._specs import (
    catapult_document,
    catapult_fast_validator,
    catapult_list_parameter,
    catapult_validator,
    whole,
)

CATAPULT_BASE_URL = "https://api.catapult.inetwork.com/v1"
_JSON = {"Accept": "application/json"}
_NEW_ID = "ApplicationId"
_MAX_LINK = 8192


@dataclass(frozen=True)
class Page:
    """One page of a list, where the next one is (None on the last), and the pages read."""

    applications: list[Application]
    next_url: str | None
    read: set[str]


# JSON Schema keywords in the rule names the XSD side uses too.
_RULES = {
    "minimum": "range",
    "maximum": "range",
    "minLength": "length",
    "maxLength": "length",
    "format": "pattern",
    "additionalProperties": "unexpected",
}


def schema_violations(component: str, instance: Any) -> list[Violation]:
    """Every violation of a component schema, each with its field path and rule (the first
    MAX_VIOLATIONS of them, and how many more). A compiled validator gives the verdict; only a
    body it refuses is walked again, for the details."""
    if catapult_fast_validator(component).is_valid(instance):
        return []
    return bounded(_violations(component, instance))


def _violations(component: str, instance: Any) -> Iterator[Violation]:
    reported: set[tuple[str, str]] = set()
    for violation in _each_violation(component, instance):
        # A URL fails both `format` and `pattern`: one problem (a JSON path names one value).
        if (violation.field, violation.rule) not in reported:
            reported.add((violation.field, violation.rule))
            yield violation


def _each_violation(component: str, instance: Any) -> Iterator[Violation]:
    for error in catapult_validator(component).iter_errors(instance):
        # For a nullable field the `null` branch of oneOf fails too; report the real branch.
        errors = [e for e in error.context or () if e.validator_value != "null"] or [error]
        for detail in errors:
            path = "/".join(str(p) for p in detail.absolute_path)
            rule = _RULES.get(str(detail.validator), str(detail.validator))
            seen: Any = detail.instance
            if rule == "required":  # name the missing field itself, not its parent
                required: Any = detail.validator_value
                for name in required:
                    if name not in seen:
                        yield Violation(f"{path}/{name}".strip("/"), rule, _short(detail.message))
            elif rule == "unexpected":  # one per name; jsonschema's message lists them all
                schema: Any = detail.schema
                known = list(schema.get("properties", {}))
                for name in seen:
                    if name not in known:
                        field = f"{path}/{name}".strip("/")
                        yield Violation(
                            field, rule, f"not a field of this body{did_you_mean(name, known)}"
                        )
            else:
                yield Violation(path or "(body)", rule, _short(detail.message))


def _short(message: str) -> str:
    """A validator's message, which quotes the value, cut to a readable length."""
    return message if len(message) <= 200 else message[:197] + "..."


def encode_body(
    component: str, kwargs: dict[str, Any], operation: CatapultOperation
) -> dict[str, Any]:
    """The JSON body, `null`s left out, after the schema and rules.py found nothing wrong.

    Raises:
        ValidationError: every violation, each with its field and rule.
    """
    # null is absent; so is a required field from_dict did not find (UNSET): the spec check
    # below then names it as missing.
    body = {
        key: value
        for key, value in kwargs["json"].items()
        if value is not None and not isinstance(value, Unset)
    }
    unsendable = text_violations(body, "", xml=False)
    if unsendable:
        raise ValidationError(unsendable)
    violations = schema_violations(component, body) + catapult_violations(body, operation)
    if violations:
        raise ValidationError(violations)
    return body


def _request(
    base_url: str, kwargs: dict[str, Any], body: Mapping[str, Any] | None = None
) -> Request:
    headers = {**_JSON, **kwargs.get("headers", {})}
    content = None
    if body is not None:
        content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return Request(
        kwargs["method"].upper(),
        base_url + kwargs["url"],
        params=kwargs.get("params"),
        content=content,
        headers=headers,
    )


def read_error(response: httpx.Response, answer: Answer) -> ApiError | MalformedResponseError:
    """The typed error for an error status, from the documented JSON error body."""
    if not answer.body.strip():
        return empty_error(answer)
    try:
        data = json.loads(answer.body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        return MalformedResponseError(answer, f"error body is not JSON: {exc}")
    violations = schema_violations("Error", data)
    if violations:
        return MalformedResponseError(answer, f"error body breaks the spec: {violations[0]}")
    body = ErrorBody.from_dict(data)
    description = body.message if isinstance(body.message, str) else body.category
    return error_class(answer.status)(answer, code=body.code, description=description)


def _json(response: httpx.Response, answer: Answer, component: str, many: bool = False) -> Any:
    if not response.is_success:
        raise read_error(response, answer)
    try:
        data = json.loads(answer.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedResponseError(answer, f"not JSON: {exc}") from exc
    items = data if many and isinstance(data, builtins.list) else [data]
    if many and not isinstance(data, builtins.list):
        raise MalformedResponseError(answer, "a list answer that is not a JSON array")
    for item in items:
        violations = schema_violations(component, item)
        if violations:
            raise MalformedResponseError(answer, f"breaks the {component} schema: {violations[0]}")
    return data


def _read_application(response: httpx.Response, answer: Answer) -> Application:
    return Application.from_dict(_json(response, answer, "Application"))


def _read_nothing(response: httpx.Response, answer: Answer) -> None:
    if not response.is_success:
        raise read_error(response, answer)


def _expect(model: object, cls: type) -> None:
    if not isinstance(model, cls):
        raise TypeError(
            f"expected bandwidth_apps.Catapult{cls.__name__}, got {type(model).__name__}"
            f" (a dict? use Catapult{cls.__name__}.from_dict)"
        )


class _CatapultCalls:
    """Every Catapult call, described without I/O."""

    def __init__(self, user_id: str, base_url: str) -> None:
        user = catapult_document()["components"]["parameters"]["userId"]["schema"]
        if not isinstance(user_id, str) or not whole(user["pattern"]).fullmatch(user_id):
            raise ValueError(f"user_id {user_id!r:.60} is not a user id ({user['pattern']})")
        self._user_id = user_id
        self._base_url = base_url
        self._origin = origin(base_url)
        kwargs = list_applications._get_kwargs(user_id, page=0, size=1)
        self._collection_path = httpx.URL(base_url + kwargs["url"]).path.rstrip("/")
        self._id_pattern = whole(catapult_document()["components"]["schemas"][_NEW_ID]["pattern"])

    def _checked_id(self, application_id: str) -> str:
        if not isinstance(application_id, str) or not self._id_pattern.fullmatch(application_id):
            raise ValidationError(
                [
                    Violation(
                        "applicationId",
                        "pattern",
                        f"{application_id!r:.60} is not an application id",
                    )
                ]
            )
        return application_id

    def create(self, application: ApplicationCreate) -> Call[Application]:
        _expect(application, ApplicationCreate)
        kwargs = create_application._get_kwargs(self._user_id, body=application)
        body = encode_body("ApplicationCreate", kwargs, "create")

        def read_created(response: httpx.Response, answer: Answer) -> Application:
            if not response.is_success:
                raise read_error(response, answer)
            location = urlsplit(response.headers.get("location", "")).path
            new_id = location.rstrip("/").rsplit("/", 1)[-1]
            if not self._id_pattern.fullmatch(new_id):
                raise MalformedResponseError(answer, f"no application id in Location {location!r}")
            # The API answers with no body: the application is what was sent, plus its id.
            return Application.from_dict({**body, "id": new_id})

        return Call(_request(self._base_url, kwargs, body), read_created, idempotent=False)

    def list_page(
        self, page_size: int, next_url: str | None = None, read: set[str] | None = None
    ) -> Call[Page]:
        """One page of a list; `read` holds the URLs of the pages this list already read."""
        if isinstance(page_size, bool) or not isinstance(page_size, int):
            raise ValidationError([Violation("size", "type", "page size is a whole number")])
        if not catapult_list_parameter("size").is_valid(page_size):
            raise ValidationError([Violation("size", "range", "page size is 1 to 1000")])
        kwargs = list_applications._get_kwargs(self._user_id, page=0, size=page_size)
        request = _request(self._base_url, kwargs)
        if next_url is not None:
            request = Request("GET", next_url, headers=_JSON)
        pages_read = set() if read is None else read

        def read_page(response: httpx.Response, answer: Answer) -> Page:
            pages_read.add(str(response.request.url))
            page = self._read_page(response, answer)
            if page.next_url is not None:
                # A server may not lead a list in circles, or on through empty pages.
                if page.next_url in pages_read:
                    raise MalformedResponseError(answer, "the next page is one already read")
                if not page.applications:
                    raise MalformedResponseError(answer, "an empty page links to a next one")
            return Page(page.applications, page.next_url, pages_read)

        return Call(request, read_page, idempotent=True)

    def _read_page(self, response: httpx.Response, answer: Answer) -> Page:
        data = _json(response, answer, "Application", many=True)
        link = response.links.get("next", {}).get("url")
        next_url = None if link is None else self._next_url(link, answer)
        return Page([Application.from_dict(item) for item in data], next_url, set())

    def _next_url(self, link: str, answer: Answer) -> str:
        """A `rel="next"` link, if it is a URL of this list: credentials go only where the client
        was pointed, and never outside the list's path."""
        try:
            url = httpx.URL(link)
        except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
            raise MalformedResponseError(answer, f"the next link is not a URL: {exc}") from exc
        if len(link) > _MAX_LINK:
            raise MalformedResponseError(answer, f"the next link is over {_MAX_LINK} characters")
        if origin(str(url)) != self._origin:
            raise MalformedResponseError(answer, f"the next link leads to another origin: {url}")
        if url.path.rstrip("/") != self._collection_path:
            raise MalformedResponseError(answer, "the next link is not a page of this list")
        return str(url)

    def get(self, application_id: str) -> Call[Application]:
        kwargs = get_application._get_kwargs(self._user_id, self._checked_id(application_id))
        return Call(_request(self._base_url, kwargs), _read_application, idempotent=True)

    def update(self, application_id: str, changes: ApplicationUpdate | Application) -> Call[None]:
        if isinstance(changes, Application):  # what get() returned: all of it, but its id
            data = {k: v for k, v in changes.to_dict().items() if k != "id"}
            changes = ApplicationUpdate.from_dict(data)
        _expect(changes, ApplicationUpdate)
        kwargs = update_application._get_kwargs(
            self._user_id, self._checked_id(application_id), body=changes
        )
        body = encode_body("ApplicationUpdate", kwargs, "update")
        if not body:
            raise ValidationError([Violation("(body)", "required", "an update changes something")])
        # Catapult updates with POST, but a partial update is idempotent: safe to retry.
        return Call(_request(self._base_url, kwargs, body), _read_nothing, idempotent=True)

    def delete(self, application_id: str) -> Call[None]:
        kwargs = delete_application._get_kwargs(self._user_id, self._checked_id(application_id))
        return Call(_request(self._base_url, kwargs), _read_nothing, idempotent=True)


class CatapultClient(SyncClient):
    reset_unit = 0.001  # X-RateLimit-Reset is in epoch milliseconds
    """Bandwidth Catapult v1 API client for Applications (sync).

    Args:
        user_id: the Catapult user id (`u-...`).
        api_token: the API token (Basic auth user name).
        api_secret: the API secret (never shown in a repr, an error or a log).
        base_url: the API root, by default Bandwidth's; the sandbox's for local work.
        timeout, retry, http_client, transport, allow_insecure_http: as for DashboardClient.

    Catapult is a separate, legacy platform: it keeps its token:secret HTTP Basic login.
    """

    def __init__(
        self,
        user_id: str,
        api_token: str,
        api_secret: str,
        *,
        base_url: str = CATAPULT_BASE_URL,
        timeout: httpx.Timeout | float | None = None,
        deadline: float | None = None,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        retry: RetryPolicy | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        super().__init__(
            login=basic_login(api_token, api_secret, base_url, allow_insecure_http, {}),
            retry=retry or RetryPolicy(),
            timeout=timeout,
            deadline=deadline,
            max_answer_bytes=max_answer_bytes,
            http_client=http_client,
            transport=transport,
            shown={"user_id": user_id},
        )
        self.user_id = user_id
        self._calls = _CatapultCalls(user_id, self.base_url)

    def create(self, application: ApplicationCreate) -> Application:
        """Create an application; the id comes from the answer's `Location`.

        Raises:
            ValidationError: the body breaks the spec or a rule; nothing was sent.
            ApiError, MalformedResponseError, TransportError.
        """
        return self._run(self._calls.create(application))

    def list(self, *, page_size: int = 25) -> Iterator[Application]:
        """Every application, fetched a page at a time as the iterator advances.

        Raises:
            ValidationError: page_size is not 1 to 1000 (at once, before iterating).
            ApiError, MalformedResponseError, TransportError: while iterating.
        """
        return self._pages(self._calls.list_page(page_size), page_size)

    def _pages(self, call: Call[Page], page_size: int) -> Iterator[Application]:
        while True:
            page = self._run(call)
            yield from page.applications
            if page.next_url is None:
                return
            call = self._calls.list_page(page_size, page.next_url, page.read)

    def get(self, application_id: str) -> Application:
        """One application.

        Raises:
            NotFoundError, ApiError, MalformedResponseError, TransportError.
        """
        return self._run(self._calls.get(application_id))

    def update(self, application_id: str, changes: ApplicationUpdate | Application) -> None:
        """Change only the fields set in `changes` (nothing else is sent, never a `null`).

        Takes what `get()` returned, changed, too: `app = get(id); app.name = "x";
        update(id, app)` sends every field but the id.

        Raises:
            ValidationError: nothing was sent. ApiError, MalformedResponseError, TransportError.
        """
        return self._run(self._calls.update(application_id, changes))

    def delete(self, application_id: str) -> None:
        """Delete an application.

        Raises:
            NotFoundError, ApiError, MalformedResponseError, TransportError.
        """
        return self._run(self._calls.delete(application_id))


class AsyncCatapultClient(AsyncClientBase):
    reset_unit = 0.001
    """Bandwidth Catapult v1 API client for Applications (async); see CatapultClient."""

    def __init__(
        self,
        user_id: str,
        api_token: str,
        api_secret: str,
        *,
        base_url: str = CATAPULT_BASE_URL,
        timeout: httpx.Timeout | float | None = None,
        deadline: float | None = None,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        super().__init__(
            login=basic_login(api_token, api_secret, base_url, allow_insecure_http, {}),
            retry=retry or RetryPolicy(),
            timeout=timeout,
            deadline=deadline,
            max_answer_bytes=max_answer_bytes,
            http_client=http_client,
            transport=transport,
            shown={"user_id": user_id},
        )
        self.user_id = user_id
        self._calls = _CatapultCalls(user_id, self.base_url)

    async def create(self, application: ApplicationCreate) -> Application:
        """Create an application; see CatapultClient.create."""
        return await self._run(self._calls.create(application))

    def list(self, *, page_size: int = 25) -> AsyncIterator[Application]:
        """Every application, a page at a time; see CatapultClient.list."""
        return self._pages(self._calls.list_page(page_size), page_size)

    async def _pages(self, call: Call[Page], page_size: int) -> AsyncIterator[Application]:
        while True:
            page = await self._run(call)
            for application in page.applications:
                yield application
            if page.next_url is None:
                return
            call = self._calls.list_page(page_size, page.next_url, page.read)

    async def get(self, application_id: str) -> Application:
        """One application; see CatapultClient.get."""
        return await self._run(self._calls.get(application_id))

    async def update(self, application_id: str, changes: ApplicationUpdate | Application) -> None:
        """Change only the fields set; see CatapultClient.update."""
        return await self._run(self._calls.update(application_id, changes))

    async def delete(self, application_id: str) -> None:
        """Delete an application; see CatapultClient.delete."""
        return await self._run(self._calls.delete(application_id))
