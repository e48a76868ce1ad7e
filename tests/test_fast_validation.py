"""The compiled Catapult validator (jsonschema-rs) gives the same verdict as jsonschema on the
spec's schemas, over generated valid bodies, generated invalid ones and hostile strings; and a
refused body is still named field by field."""

from __future__ import annotations

from typing import Any

import bandwidth_apps as bw
import httpx
import pytest
from bandwidth_apps._specs import catapult_fast_validator, catapult_validator
from hypothesis import given
from hypothesis import strategies as st

from tests import openapi_strategies
from tests.clients import Recorder, catapult
from tests.conftest import assert_ran_enough

COMPONENTS = ["ApplicationCreate", "ApplicationUpdate", "Application", "Error"]
STRINGS = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(
        [
            "https://e.com/c",
            "https://e.com/c\n",
            "http://x",
            "ftp://e.com",
            "https://e .com",
            "https://e.com/ü",
            "a-1",
            "a-1\n",
            "GET",
            "get",
            "Get",
        ]
    ),
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 20_000),
    st.floats(allow_nan=False),
    STRINGS,
    st.lists(st.integers(), max_size=2),
)
KEYS = st.sampled_from(
    [
        "name",
        "incomingCallUrl",
        "incomingCallUrlCallbackTimeout",
        "incomingMessageUrl",
        "callbackHttpMethod",
        "autoAnswer",
        "id",
        "incomingSmsUrl",
        "category",
        "code",
        "message",
        "details",
        "unknownField",
    ]
)


def same_verdict(component: str, instance: Any) -> bool:
    slow = next(iter(catapult_validator(component).iter_errors(instance)), None) is None
    fast = catapult_fast_validator(component).is_valid(instance)
    assert fast == slow, (component, instance)
    return fast


@pytest.mark.parametrize("component", COMPONENTS)
def test_the_same_verdict_on_valid_bodies(component: str) -> None:
    ran: list[int] = []

    @given(openapi_strategies.instances(component))
    def check(instance: Any) -> None:
        ran.append(1)
        assert same_verdict(component, instance)

    check()
    assert_ran_enough(ran)


@pytest.mark.parametrize("component", COMPONENTS)
def test_the_same_verdict_on_mutated_and_hostile_bodies(component: str) -> None:
    ran: list[int] = []

    @given(
        openapi_strategies.instances(component),
        st.dictionaries(KEYS, VALUES, max_size=4),
        st.lists(KEYS, max_size=2),
    )
    def check(instance: Any, changes: dict[str, Any], dropped: list[str]) -> None:
        ran.append(1)
        body = {k: v for k, v in {**instance, **changes}.items() if k not in dropped}
        same_verdict(component, body)

    check()
    assert_ran_enough(ran)


def test_a_refused_body_is_still_named_field_by_field() -> None:
    with pytest.raises(bw.ValidationError) as raised:
        catapult("sync", Recorder(lambda r: httpx.Response(599))).create(
            bw.CatapultApplicationCreate(
                name="", incoming_call_url="ftp://e.com", incoming_call_url_callback_timeout=0
            )
        )
    assert {(v.field, v.rule) for v in raised.value.violations} >= {
        ("name", "length"),
        ("incomingCallUrl", "pattern"),
        ("incomingCallUrlCallbackTimeout", "range"),
    }
