"""The sandbox's Catapult v1 API: `/v1/users/{userId}/applications...` in JSON.

Bodies are judged by the same OpenAPI component schemas and _rules.py as the client; `null`
means absent and `incomingSms*` means `incomingMessage*`, as on the real API.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .._catapult import schema_violations
from .._errors import Violation
from .._rules import (
    CatapultOperation,
    catapult_canonical,
    catapult_violations,
    text_violations,
)
from .._specs import catapult_document, catapult_list_parameter, catapult_list_parameter_schema
from ._store import Store
from ._urls import absolute_url

_CREATE_DEFAULTS = {
    name: prop["default"]
    for name, prop in catapult_document()["components"]["schemas"]["ApplicationCreate"][
        "properties"
    ].items()
    if "default" in prop
}


def json_error(
    status: int,
    category: str,
    code: str,
    message: str | None,
    details: list[dict[str, str]] | None = None,
) -> Response:
    body: dict[str, Any] = {"category": category, "code": code}
    if message is not None:
        body["message"] = message
    if details:
        body["details"] = details
    return Response(json.dumps(body), status_code=status, media_type="application/json")


def invalid(violations: list[Violation]) -> Response:
    url_problem = any(v.rule == "pattern" and "Url" in v.field for v in violations)
    return json_error(
        400,
        "bad-request",
        "callback-invalid-url" if url_problem else "validation-error",
        violations[0].message,
        [{"name": v.field, "value": f"{v.message} [{v.rule}]"} for v in violations],
    )


def not_found(application_id: str) -> Response:
    shown = application_id if len(application_id) <= 100 else application_id[:100] + "..."
    return json_error(
        404,
        "not-found",
        "application-not-found",
        f"The application {shown} could not be found",
    )


def _read_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # nested past Python's limit too
        return _NOT_JSON


def json_body_refusal(request: Request) -> Response | None:
    """415 unless the body is JSON (`application/json`, any case or parameters)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json":
        return None
    message = "The body must be JSON (Content-Type: application/json)"
    return json_error(415, "unsupported-media-type", "unsupported-media-type", message)


_NOT_JSON = object()


def _query_int(request: Request, name: str) -> int | None:
    """The list parameter's value (its default when absent), or None when the spec refuses it."""
    validator = catapult_list_parameter(name)
    raw = request.query_params.get(name)
    if raw is None:
        return int(catapult_list_parameter_schema(name)["default"])
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if validator.is_valid(value) else None


def _query_parameters(path: str, method: str) -> frozenset[str]:
    operation = catapult_document()["paths"][path][method]
    return frozenset(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")


_COLLECTION, _ITEM = "/users/{userId}/applications", "/users/{userId}/applications/{applicationId}"
_ALLOWED_QUERY = {
    (path, method): _query_parameters(path, method)
    for path, methods in ((_COLLECTION, ("get", "post")), (_ITEM, ("get", "post", "delete")))
    for method in methods
}


def unknown_query(request: Request, path: str) -> Response | None:
    """The spec names every query parameter: refuse the others, so that mistakes show."""
    method = "get" if request.method == "HEAD" else request.method.lower()
    unknown = set(request.query_params) - _ALLOWED_QUERY[(path, method)]
    if not unknown:
        return None
    names = ", ".join(sorted(unknown))
    return json_error(400, "bad-request", "validation-error", f"unknown query parameter: {names}")


class CatapultApi:
    """Request handlers; every user id is served, each user's applications apart."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def _parsed(request_body: bytes, component: str) -> dict[str, Any] | Response:
        """The body, if it is JSON that the component schema takes (judged without the store)."""
        data = _read_json(request_body)
        if data is _NOT_JSON:
            return json_error(400, "bad-request", "invalid-json", "The body is not valid JSON")
        try:
            violations = text_violations(data, "", xml=False) or schema_violations(component, data)
        except RecursionError:  # nested too deep to judge: no application is
            violations = [Violation("(body)", "type", "nested too deeply")]
        if violations:
            return invalid(violations)
        parsed: dict[str, Any] = data
        return parsed

    @staticmethod
    def _judged(
        data: dict[str, Any], operation: CatapultOperation, current: dict[str, Any] | None
    ) -> dict[str, Any] | Response:
        """The body as stored (canonical), if the rules take it given the stored application."""
        violations = catapult_violations(data, operation, current)
        return invalid(violations) if violations else catapult_canonical(data)

    async def list(self, request: Request) -> Response:
        if refused := unknown_query(request, _COLLECTION):
            return refused
        user_id = request.path_params["userId"]
        page, size = _query_int(request, "page"), _query_int(request, "size")
        if page is None or size is None:
            return json_error(
                400, "bad-request", "validation-error", "page is 0 or more; size is 1 to 1000"
            )
        bodies, more = self.store.catapult_page(user_id, page, size)
        base = absolute_url(request)
        links = [f'<{base}?page=0&size={size}>; rel="first"']
        if more:
            links.append(f'<{base}?page={page + 1}&size={size}>; rel="next"')
        content = "[" + ",".join(bodies) + "]"
        return Response(content, media_type="application/json", headers={"Link": ", ".join(links)})

    async def create(self, request: Request) -> Response:
        if refused := unknown_query(request, _COLLECTION) or json_body_refusal(request):
            return refused
        user_id = request.path_params["userId"]
        parsed = self._parsed(await request.body(), "ApplicationCreate")
        judged = parsed if isinstance(parsed, Response) else self._judged(parsed, "create", None)
        if isinstance(judged, Response):
            return judged
        application_id = f"a-{secrets.token_hex(8)}"
        stored = {"id": application_id, **_CREATE_DEFAULTS, **judged}
        self.store.catapult_put(user_id, application_id, json.dumps(stored))
        location = absolute_url(request, application_id)
        return Response(status_code=201, headers={"Location": location})

    async def get(self, request: Request) -> Response:
        if refused := unknown_query(request, _ITEM):
            return refused
        user_id, application_id = (
            request.path_params["userId"],
            request.path_params["applicationId"],
        )
        stored = self.store.catapult_get(user_id, application_id)
        if stored is None:
            return not_found(application_id)
        return Response(stored, media_type="application/json")

    async def update(self, request: Request) -> Response:
        """Reads the body first, then reads, merges and writes in one transaction."""
        if refused := unknown_query(request, _ITEM) or json_body_refusal(request):
            return refused
        user_id, application_id = (
            request.path_params["userId"],
            request.path_params["applicationId"],
        )
        parsed = self._parsed(await request.body(), "ApplicationUpdate")

        def merged(stored_text: str) -> tuple[str | None, Response]:
            if isinstance(parsed, Response):
                return None, parsed
            stored = json.loads(stored_text)
            judged = self._judged(parsed, "update", stored)
            if isinstance(judged, Response):
                return None, judged
            return json.dumps({**stored, **judged}), Response(status_code=200)

        answered = self.store.catapult_change(user_id, application_id, merged)
        return answered if answered is not None else not_found(application_id)

    async def delete(self, request: Request) -> Response:
        if refused := unknown_query(request, _ITEM):
            return refused
        user_id, application_id = (
            request.path_params["userId"],
            request.path_params["applicationId"],
        )
        if not self.store.catapult_delete(user_id, application_id):
            return not_found(application_id)
        return Response(status_code=200)
