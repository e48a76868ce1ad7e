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


def test_demo_runs_and_names_each_step() -> None:
    result = subprocess.run(
        [str(ROOT / "scripts/demo")], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for step in (
        "Dashboard Messaging-V2 application: valid",
        "Dashboard Voice-V2 application: valid",
        "Catapult application: valid",
        "refused by the spec",
        "demo: done",
    ):
        assert step in out
    assert "<ServiceType>Voice-V2</ServiceType>" in out
    assert "demo-secret" not in out  # callback passwords are never printed
