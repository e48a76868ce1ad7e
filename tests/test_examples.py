"""Every vector in specs/examples/ behaves as its index says, for two validators per format."""

from __future__ import annotations

import json
import re
from typing import Any

import bandwidth_apps as bw
import pytest
from bandwidth_apps import _xml
from bandwidth_apps._rules import dashboard_canonical, dashboard_violations
from lxml import etree

from tests.conftest import EXAMPLES, SHARED_DOCS
from tests.specs_support import (
    json_validator,
    json_violations,
    lxml_violations,
    openapi_validator,
    strict_parser,
    xmlschema_violations,
)

INDEX = json.loads((EXAMPLES / "index.json").read_text())["vectors"]
RULES = {"well-formed", "enum", "range", "length", "pattern", "required", "unexpected", "type"}
# Rules the schemas state in their documentation and _rules.py enforces (layer "rules").
DOCUMENTED_RULES = {"required", "alias-conflict"}


def ids(vector: dict[str, Any]) -> str:
    return str(vector["file"])


def test_index_is_complete_and_consistent() -> None:
    on_disk = {p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.glob("*/*") if p.is_file()}
    assert on_disk == {v["file"] for v in INDEX}
    for vector in INDEX:
        assert vector["platform"] in ("dashboard", "catapult")
        if not vector["valid"]:
            known = DOCUMENTED_RULES if vector.get("layer") == "rules" else RULES
            assert vector["rule"] in known and vector["field"], vector
        if vector.get("layer") == "rules" or "means" in vector:
            assert vector["operation"] in ("create", "replace", "patch"), vector
    kinds = {v["rule"] for v in INDEX if not v["valid"] and v.get("layer") != "rules"}
    assert kinds == RULES  # every kind of rule has at least one negative vector
    documented = {v["rule"] for v in INDEX if v.get("layer") == "rules"}
    assert documented == DOCUMENTED_RULES


@pytest.mark.parametrize("vector", [v for v in INDEX if v["platform"] == "dashboard"], ids=ids)
def test_dashboard_vector(vector: dict[str, Any]) -> None:
    source = (EXAMPLES / vector["file"]).read_bytes()
    if vector.get("rule") == "well-formed":
        with pytest.raises(etree.XMLSyntaxError, match="tag mismatch"):
            etree.fromstring(source, strict_parser())
        return
    document = etree.fromstring(source, strict_parser())
    assert document.tag == vector["schema"]
    by_lxml, by_xmlschema = lxml_violations(document), xmlschema_violations(source)
    if vector["valid"] or vector.get("layer") == "rules":
        assert by_lxml == set() and by_xmlschema == set()
    else:
        expected = (vector["field"], vector["rule"])
        assert expected in by_lxml, by_lxml
        assert expected in by_xmlschema, by_xmlschema
    if "operation" in vector:
        application = _xml.from_tree(document, bw.Application)
        by_rules = {
            (v.field, v.rule) for v in dashboard_violations(application, vector["operation"])
        }
        if vector["valid"]:
            assert by_rules == set()
        else:
            assert (vector["field"], vector["rule"]) in by_rules, by_rules
    if "means" in vector:
        canonical = _xml.to_tree(dashboard_canonical(application))
        assert {k: canonical.findtext(k) for k in vector["means"]} == vector["means"]
        assert canonical.find("MsgCallbackUrl") is None and canonical.find("CallbackUrl") is None


@pytest.mark.parametrize("vector", [v for v in INDEX if v["platform"] == "catapult"], ids=ids)
def test_catapult_vector(vector: dict[str, Any]) -> None:
    data = json.loads((EXAMPLES / vector["file"]).read_text())
    instances = data if vector.get("array") else [data]
    assert instances
    for validator in (json_validator(vector["schema"]), openapi_validator(vector["schema"])):
        found = set().union(*(json_violations(validator, item) for item in instances))
        if vector["valid"]:
            assert found == set()
        else:
            assert (vector["field"], vector["rule"]) in found, found


def test_erratum_voice_example_is_not_well_formed_and_its_twin_is_valid() -> None:
    """Erratum: the voice create example closes <CallInitiatedFallbackUrl> with the wrong tag."""
    for kind in ("request", "response"):
        verbatim = (EXAMPLES / f"dashboard/doc-voice-create-{kind}.xml").read_text()
        corrected = (EXAMPLES / f"dashboard/doc-voice-create-{kind}-corrected.xml").read_text()
        wrong = re.compile(r"(<CallInitiatedFallbackUrl>[^<]*</)CallInitiatedCallbackUrl>")
        assert wrong.search(verbatim)
        assert wrong.sub(r"\1CallInitiatedFallbackUrl>", verbatim) == corrected
        with pytest.raises(etree.XMLSyntaxError):
            etree.fromstring(verbatim.encode(), strict_parser())
        assert lxml_violations(etree.fromstring(corrected.encode(), strict_parser())) == set()


def test_every_example_of_the_source_pages_is_a_vector() -> None:
    if not SHARED_DOCS.exists():
        pytest.skip("../shared/docs is not beside this checkout")
    page = (SHARED_DOCS / "dashboard-create-application.txt").read_text()
    for name in (
        "doc-messaging-create-request",
        "doc-messaging-create-response",
        "doc-voice-create-request",
        "doc-voice-create-response",
    ):
        assert (EXAMPLES / f"dashboard/{name}.xml").read_text().strip() in page, name
    catapult = (SHARED_DOCS / "catapult-create-application.txt").read_text()
    curl = json.loads(catapult.split("-d \\\n'", 1)[1].split("'", 1)[0])
    assert json.loads((EXAMPLES / "catapult/doc-curl-create-request.json").read_text()) == curl
    # The Node examples' object literals, read as JSON, are the two node vectors exactly.
    literals = re.findall(r"client\.Application\.create\((\{.*?\})", catapult, re.DOTALL)
    keys = re.compile(r"^(\s*)(\w+):", re.MULTILINE)
    as_json = [json.loads(keys.sub(r'\1"\2":', text).replace("'", '"')) for text in literals]
    assert as_json == [
        json.loads((EXAMPLES / f"catapult/doc-node-{kind}-create-request.json").read_text())
        for kind in ("promise", "callback")
    ]
