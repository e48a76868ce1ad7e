"""Shared fixtures: the specs, their validators, and the Hypothesis profiles."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
EXAMPLES = SPECS / "examples"
SHARED_DOCS = ROOT.parent / "shared" / "docs"

# CI (scripts/test) runs 200 examples per property; a quick local run may pick "dev".
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))  # PROFILE, below


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


@pytest.fixture(scope="session")
def catapult_spec() -> dict[str, Any]:
    return load_yaml(SPECS / "catapult-v1.openapi.yaml")


@pytest.fixture(scope="session")
def dashboard_spec() -> dict[str, Any]:
    return load_yaml(SPECS / "dashboard.openapi.yaml")


@pytest.fixture(scope="session")
def vectors() -> list[dict[str, Any]]:
    return json.loads((EXAMPLES / "index.json").read_text())["vectors"]


PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
# In CI (the "ci" profile, which scripts/test uses) a property must really run 200 examples: an
# absolute number, so a lighter profile or a filter that rejects most inputs cannot pass it.
MIN_EXAMPLES = 200 if PROFILE == "ci" else 1


def assert_ran_enough(ran: list[int]) -> None:
    """A property really ran enough examples (at least 200 in CI)."""
    assert len(ran) >= MIN_EXAMPLES, f"only {len(ran)} examples ran"


@pytest.fixture(autouse=True)
def _close_drivers() -> Any:
    """Close the clients (and their event loops) that tests drove through tests.clients.Driver."""
    from tests.clients import OPEN_DRIVERS

    yield
    while OPEN_DRIVERS:
        OPEN_DRIVERS.pop().close()
