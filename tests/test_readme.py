"""The README's examples run, against the sandbox: every Python block, in order, in one
namespace, and the command-line walk-through as a bash script. An example cannot drift from
the code. (The other shell blocks are the install, the two scripts and the sandbox command:
tests/test_packaging.py, tests/test_scripts.py and tests/test_cli.py run those.)"""

from __future__ import annotations

import contextlib
import inspect
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bandwidth_apps.sandbox import Sandbox, logins_from_env

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def blocks(language: str, section: str | None = None) -> list[str]:
    text = README
    if section is not None:
        start = README.index(f"\n## {section}\n")
        end = README.find("\n## ", start + 1)
        text = README[start : end if end != -1 else None]
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    with Sandbox(logins=logins_from_env({}), admin_token="readme") as running:  # the defaults
        yield running  # type: ignore[misc]


def test_every_python_example_runs(sandbox: Sandbox) -> None:
    python = blocks("python")
    assert len(python) >= 2
    logins = sandbox.logins
    namespace = {
        "account_id": logins.clients[0].accounts[0],
        "client_id": logins.clients[0].client_id,
        "client_secret": logins.clients[0].client_secret,
        "base_url": sandbox.dashboard_url,
        "user_id": "u-sandbox",
        "api_token": logins.catapult.username,
        "api_secret": logins.catapult.password,
        "catapult_url": sandbox.catapult_url,
    }
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for code in python:
            exec(compile(code, "README.md", "exec"), namespace)
    out = printed.getvalue()
    assert "['IVR (main)']" in out  # what the first example printed
    assert "Application/CallbackTimeout range" in out
    assert "did you mean 'incomingCallUrl'?" in out


def test_the_command_line_walk_through_runs(sandbox: Sandbox, tmp_path: Path) -> None:
    (script,) = blocks("sh", "The command line")
    script = script.replace("http://127.0.0.1:8080", sandbox.url)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("BW_", "BANDWIDTH_", "CATAPULT_"))
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["BANDWIDTH_APPS_CONFIG"] = str(tmp_path / "config.json")
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "IVR (main)" in result.stdout and "exists:" in result.stderr
    assert result.stdout.count("<Application>") == 2  # the migration's dry run
    assert "Messaging-V2" in result.stdout and "Voice-V2" in result.stdout  # ... and the real one
    assert sandbox.store.dashboard_list("9900001")  # the migration's applications, still there


def docstring_example(obj: object) -> str:
    """The indented example of a docstring (its first block indented by four spaces)."""
    lines = inspect.cleandoc(obj.__doc__ or "").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("    ") and line.strip())
    block = []
    for line in lines[start:]:
        if line.strip() and not line.startswith("    "):
            break
        block.append(line[4:])
    return "\n".join(block)


def test_the_docstring_examples_run(sandbox: Sandbox) -> None:
    import bandwidth_apps
    from bandwidth_apps.sandbox import Sandbox as SandboxClass

    login = sandbox.client_login
    module_example = docstring_example(bandwidth_apps)
    # The module's example talks to Bandwidth; here, to the sandbox.
    module_example = module_example.replace(
        "client_secret=client_secret)", "client_secret=client_secret, base_url=base_url)"
    )
    namespace = {"account_id": "9900001", **login, "base_url": sandbox.dashboard_url}
    exec(compile(module_example, "bandwidth_apps/__init__.py", "exec"), namespace)
    assert namespace["app"].app_name == "IVR"
    exec(
        compile(docstring_example(SandboxClass), "sandbox/_server.py", "exec"),
        {"Sandbox": SandboxClass, "DashboardClient": bandwidth_apps.DashboardClient},
    )


def test_every_test_testing_md_names_exists() -> None:
    """TESTING.md maps promises to tests: a renamed or deleted test must not stay named there.
    `file.py::name` sets the file; a following `::name` is in the same file."""
    text = (ROOT / "TESTING.md").read_text()
    named: list[tuple[str, str]] = []
    current = ""
    for file, name in re.findall(r"`(test_\w+\.py)?(?:::(test_\w+))?", text):
        current = file or current
        if name:
            named.append((current, name))
    assert len(named) > 50
    missing = [
        f"{file}::{name}"
        for file, name in named
        if not re.search(rf"^(async )?def {name}\(", (ROOT / "tests" / file).read_text(), re.M)
    ]
    assert missing == []
