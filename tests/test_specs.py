"""The specs stand alone: standard validators accept them, and they cover the whole resource."""

from __future__ import annotations

import re
from typing import Any

import pytest
import xmlschema
from lxml import etree
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from tests.conftest import SHARED_DOCS, SPECS
from tests.specs_support import json_validator, lxml_schema, xmlschema_schema

OPENAPI_FILES = ["catapult-v1.openapi.yaml", "dashboard.openapi.yaml"]
XSD_FILES = sorted(p.name for p in (SPECS / "dashboard").glob("*.xsd"))

# Every operation of api-notes.md, with the statuses it documents (the operation tables, the
# 429 paragraphs, the 404s, sip peers' "400, 404 documented") and the error statuses the issue
# asks for on every operation.
COMMON_ERRORS = {"400", "401", "403", "429", "500", "503"}
DASHBOARD_OPERATIONS = {
    ("get", "/accounts/{accountId}/applications"): {"200"},
    ("post", "/accounts/{accountId}/applications"): {"201", "200"},
    ("get", "/accounts/{accountId}/applications/{applicationId}"): {"200", "404"},
    ("patch", "/accounts/{accountId}/applications/{applicationId}"): {"200", "404"},
    ("put", "/accounts/{accountId}/applications/{applicationId}"): {"200", "404"},
    ("delete", "/accounts/{accountId}/applications/{applicationId}"): {"200", "404", "409"},
    ("get", "/accounts/{accountId}/applications/{applicationId}/associatedsippeers"): {
        "200",
        "400",
        "404",
    },
}
CATAPULT_OPERATIONS = {
    ("get", "/users/{userId}/applications"): {"200"},
    ("post", "/users/{userId}/applications"): {"201"},
    ("get", "/users/{userId}/applications/{applicationId}"): {"200", "404"},
    ("post", "/users/{userId}/applications/{applicationId}"): {"200", "404"},
    ("delete", "/users/{userId}/applications/{applicationId}"): {"200", "404"},
}


@pytest.mark.parametrize("name", OPENAPI_FILES)
def test_openapi_spec_validator_accepts(name: str) -> None:
    spec, _ = read_from_filename(str(SPECS / name))
    validate(spec)


@pytest.mark.parametrize("name", XSD_FILES)
def test_both_xsd_processors_compile(name: str) -> None:
    path = SPECS / "dashboard" / name
    etree.XMLSchema(etree.parse(str(path)))
    xmlschema.XMLSchema10(str(path))


def operations(spec: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    found = {}
    for path, item in spec["paths"].items():
        if path.endswith("/oauth2/token"):  # not an Applications operation (see below)
            continue
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                found[(method, path)] = set(item[method]["responses"])
    return found


@pytest.mark.parametrize(
    ("spec_fixture", "expected"),
    [("dashboard_spec", DASHBOARD_OPERATIONS), ("catapult_spec", CATAPULT_OPERATIONS)],
)
def test_every_documented_operation_and_status_is_in_the_spec(
    spec_fixture: str, expected: dict[tuple[str, str], set[str]], request: pytest.FixtureRequest
) -> None:
    found = operations(request.getfixturevalue(spec_fixture))
    assert set(found) == set(expected)
    for operation, statuses in expected.items():
        missing = (statuses | COMMON_ERRORS) - found[operation]
        assert not missing, f"{operation} lacks {sorted(missing)}"


def test_operation_list_matches_api_notes() -> None:
    """The expected lists above are the tables of api-notes.md (when the shared docs are beside)."""
    notes = SHARED_DOCS / "api-notes.md"
    if not notes.exists():
        pytest.skip("../shared/docs is not beside this checkout")
    text = notes.read_text()
    rows = re.findall(r"^\| [a-z ]+ \| `(GET|POST|PUT|PATCH|DELETE) (/[^`?]*)", text, re.M)
    documented = {(method.lower(), path.rstrip("/")) for method, path in rows}
    ours = {
        (method, re.sub(r"^/(accounts|users)/\{\w+\}", "", path))
        for method, path in [*DASHBOARD_OPERATIONS, *CATAPULT_OPERATIONS]
    }
    assert len(rows) == 12
    assert documented == ours


def test_catapult_429_declares_rate_limit_reset_and_create_declares_location(
    catapult_spec: dict[str, Any],
) -> None:
    too_many = catapult_spec["components"]["responses"]["TooManyRequests"]
    assert "X-RateLimit-Reset" in too_many["headers"]
    created = catapult_spec["paths"]["/users/{userId}/applications"]["post"]["responses"]["201"]
    assert created["headers"]["Location"]["required"] is True
    assert "content" not in created
    listed = catapult_spec["paths"]["/users/{userId}/applications"]["get"]
    assert "Link" in listed["responses"]["200"]["headers"]
    size = next(p for p in listed["parameters"] if p["name"] == "size")
    assert size["schema"]["maximum"] == 1000


def test_catapult_request_and_response_schemas_are_separate() -> None:
    assert json_validator("Application").is_valid({"id": "a-1", "name": "x"})
    assert not json_validator("ApplicationCreate").is_valid({"id": "a-1", "name": "x"})
    assert not json_validator("ApplicationUpdate").is_valid({"id": "a-1"})


def test_catapult_defaults(catapult_spec: dict[str, Any]) -> None:
    create = catapult_spec["components"]["schemas"]["ApplicationCreate"]["properties"]
    assert create["incomingCallUrlCallbackTimeout"]["default"] == 10000
    assert create["incomingMessageUrlCallbackTimeout"]["default"] == 10000
    assert create["callbackHttpMethod"]["default"] == "POST"
    assert create["autoAnswer"]["default"] is True
    update = catapult_spec["components"]["schemas"]["ApplicationUpdate"]["properties"]
    # A partial update must not carry defaults: an absent field means "unchanged".
    assert not any("default" in field for field in update.values())


def test_passwords_are_write_only_in_the_xsd() -> None:
    request = (
        b"<Application><InboundCallbackCreds><UserId>user01</UserId><Password>secret1</Password>"
        b"</InboundCallbackCreds></Application>"
    )
    assert lxml_schema().validate(etree.fromstring(request))
    answer = (
        b"<ApplicationProvisioningResponse><Application><ApplicationId>x</ApplicationId>"
        b"<ServiceType>Messaging-V2</ServiceType><AppName>a</AppName>"
        b"<InboundCallbackCreds><UserId>user01</UserId>%s</InboundCallbackCreds>"
        b"</Application></ApplicationProvisioningResponse>"
    )
    assert lxml_schema().validate(etree.fromstring(answer % b""))
    assert not lxml_schema().validate(etree.fromstring(answer % b"<Password>secret1</Password>"))
    assert not xmlschema_schema().is_valid(answer % b"<Password>secret1</Password>")


def test_the_dashboard_spec_and_the_client_agree_on_hosts_and_the_token_endpoint(
    dashboard_spec: dict[str, Any],
) -> None:
    from bandwidth_apps._auth import API_HOSTS, DASHBOARD_PATH, TOKEN_PATH

    servers = [server["url"] for server in dashboard_spec["servers"]]
    assert servers[:2] == [API_HOSTS["prod"] + DASHBOARD_PATH, API_HOSTS["test"] + DASHBOARD_PATH]
    flow = dashboard_spec["components"]["securitySchemes"]["clientCredentials"]["flows"]
    assert flow["clientCredentials"]["tokenUrl"] == API_HOSTS["prod"] + TOKEN_PATH
    path = next(p for p in dashboard_spec["paths"] if "oauth2" in p)
    assert "/api" + path == TOKEN_PATH
    assert set(dashboard_spec["paths"][path]["post"]["responses"]) == {"200", "400", "401"}


def test_the_specs_stand_alone() -> None:
    """No spec cites a file outside specs/: another language's user has only this folder."""
    for path in SPECS.rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".xsd", ".json", ".md"):
            text = path.read_text()
            for outside in ("shared/docs", "api-notes.md", "overlay/", "generated/"):
                assert outside not in text, f"{path.relative_to(SPECS)} cites {outside}"
            # a relative path climbing out of the folder (".../applications" is prose)
            assert not re.search(r"(?<!\.)\.\./", text), f"{path.relative_to(SPECS)} leaves specs/"
