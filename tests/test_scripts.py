"""The README's two commands: scripts/demo runs the main job; .ci/run is exactly scripts/test."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from tests.conftest import ROOT


def test_ci_runs_exactly_scripts_test() -> None:
    lines = [
        line
        for line in (ROOT / ".ci/run").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[-1] == "exec scripts/test"


def test_readme_names_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "scripts/demo" in readme and "scripts/test" in readme


def test_demo_provisions_against_the_sandbox_and_names_each_step() -> None:
    result = subprocess.run(
        [str(ROOT / "scripts/demo")], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for step in (
        "[1] Starting the sandbox",
        "[2] Dashboard: creating a Messaging-V2 and a Voice-V2 application",
        "[3] Catapult: creating an application",
        "[4] Listing the applications on both platforms",
        "[5] Updating",
        "[6] Migrating the Catapult application to the Dashboard",
        "[7] Deleting",
        "[8] A mistake is caught before anything is sent",
        "[9] Legacy API users (username + password, HTTP Basic) end on 2 December 2026",
        "01 December 2026 12:00 UTC: Basic login accepted (4 applications listed)",
        "02 December 2026 00:00 UTC: Basic login refused: HTTP 401",
        "were decommissioned on 2 December 2026",
        "[10] Stopping the sandbox (4 Dashboard applications stored)",
        "demo: done",
    ):
        assert step in out, step
    assert "gone: application-not-found" in out
    assert "Application/CallbackTimeout: range" in out
    assert "demo-secret" not in out  # callback passwords are never printed
    assert "(1 token request)" in out  # one token for every call
    assert "sandbox-client-secret" not in out and "eyJ" not in out  # no secret, no token


def test_bench_runs_and_prints_every_target(tmp_path: Path) -> None:
    """Only that it works: its figures are read by people, never asserted (noisy machines)."""
    output = tmp_path / "bench.json"
    result = subprocess.run(
        [str(ROOT / "scripts/bench"), "--quick", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    targets = result.stdout.split("== targets", 1)[1]
    for name in (
        "Dashboard create / raw httpx",
        "Dashboard get / raw httpx",
        "Catapult create / raw httpx",
        "Catapult get / raw httpx",
        "async bulk c16 / sync, stub",
        "async bulk c16 / sync, sandbox",
        "Dashboard codec write / lxml",
        "Dashboard codec read / lxml",
        "Catapult validation and (de)serialization / json",
        "import bandwidth_apps / import httpx",
        "from bandwidth_apps import DashboardClient / import httpx",
        "bandwidth-apps --version / import httpx",
    ):
        assert re.search(rf"(PASS|FAIL)  [^\n]*{re.escape(name)}", targets), name
    figures = json.loads(output.read_text())
    expected = {"per_call_us", "bulk_creates_per_s", "codec_us", "startup_ms", "verdicts"}
    assert expected <= set(figures)
