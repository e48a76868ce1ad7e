"""Catapult models round-trip instances generated from the OpenAPI component schemas."""

from __future__ import annotations

from typing import Any

import bandwidth_apps_catapult.models as models
import pytest
from hypothesis import given

from tests.conftest import assert_ran_enough
from tests.openapi_strategies import instances, object_components
from tests.specs_support import json_validator

COMPONENTS = object_components()


def model_for(component: str) -> Any:
    return getattr(models, component)


def test_every_object_schema_has_a_generated_model() -> None:
    assert COMPONENTS == [
        "Application",
        "ApplicationCreate",
        "ApplicationUpdate",
        "Error",
        "ErrorDetail",
    ]
    assert all(hasattr(models, name) for name in COMPONENTS)


@pytest.mark.parametrize("component", COMPONENTS)
def test_dict_to_model_to_dict(component: str) -> None:
    validator = json_validator(component)

    ran: list[int] = []

    @given(instances(component))
    def round_trip(data: dict[str, Any]) -> None:
        ran.append(1)
        validator.validate(data)  # the strategy honours the spec, formats included
        out = model_for(component).from_dict(data).to_dict()
        assert out == data
        validator.validate(out)

    round_trip()
    assert_ran_enough(ran)


@pytest.mark.parametrize("component", COMPONENTS)
def test_model_to_dict_to_model(component: str) -> None:
    validator = json_validator(component)
    model = model_for(component)

    ran: list[int] = []

    @given(instances(component).map(model.from_dict))
    def round_trip(instance: Any) -> None:
        ran.append(1)
        wire = instance.to_dict()
        validator.validate(wire)
        assert model.from_dict(wire) == instance

    round_trip()
    assert_ran_enough(ran)
