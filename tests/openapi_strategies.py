"""Hypothesis strategies for the Catapult component schemas, built by schemathesis from the spec.

schemathesis generates request bodies; to get every component schema (responses too) it is handed
a synthetic document whose operation `POST /{Name}` takes `#/components/schemas/{Name}` as its body,
with the spec's own components unchanged. (hypothesis-jsonschema would do this directly but breaks
on hypothesis >= 6.170.10.)
"""

from __future__ import annotations

from functools import cache
from typing import Any

import schemathesis
from hypothesis import strategies as st

from tests.specs_support import catapult_document


def object_components() -> list[str]:
    schemas = catapult_document()["components"]["schemas"]
    return sorted(name for name, schema in schemas.items() if schema.get("type") == "object")


@cache
def _synthetic_schema() -> Any:
    components = catapult_document()["components"]
    paths = {
        f"/{name}": {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    },
                },
                "responses": {"200": {"description": "unused"}},
            }
        }
        for name in components["schemas"]
    }
    document = {
        "openapi": "3.1.0",
        "info": {"title": "component strategies", "version": "1"},
        "paths": paths,
        "components": {"schemas": components["schemas"]},
    }
    return schemathesis.openapi.from_dict(document)


@cache
def instances(component: str) -> st.SearchStrategy[Any]:
    """JSON values valid for the component schema."""
    return _synthetic_schema()[f"/{component}"]["POST"].as_strategy().map(lambda case: case.body)
