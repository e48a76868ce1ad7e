"""The README's two commands: scripts/demo runs the main job; .ci/run is exactly scripts/test."""

from __future__ import annotations

import subprocess

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


def test_bench_runs_and_reports_both_ratios() -> None:
    """Only that it works: its figures are read by people, never asserted (noisy machines)."""
    result = subprocess.run(
        [str(ROOT / "scripts/bench"), "--rounds", "1", "--calls", "3"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "ratio DashboardClient.get / raw httpx" in result.stdout
    assert "ratio CatapultClient.get / raw httpx" in result.stdout
