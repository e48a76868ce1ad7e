"""`bandwidth-apps` against an in-process sandbox: every command, tables and --json, one-line
errors with a non-zero exit, --help everywhere, no secret printed."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bandwidth_apps._cli import main
from bandwidth_apps.sandbox import ClientCredential, Credentials, Logins, Sandbox
from click.testing import CliRunner, Result

SECRET = "cli-canary-secret-91b2"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    logins = Logins(
        clients=(ClientCredential("cli-client", SECRET, ("cli-account",)),),
        dashboard_basic=Credentials("cli-user", SECRET),
        catapult=Credentials("t-cli", SECRET),
    )
    with Sandbox(logins=logins) as running:
        yield running


@pytest.fixture
def env(sandbox: Sandbox) -> dict[str, str]:
    return {
        "BW_ACCOUNT_ID": "cli-account",
        "BW_CLIENT_ID": "cli-client",
        "BW_CLIENT_SECRET": SECRET,
        "BW_API_URL": sandbox.url,
        "CATAPULT_USER_ID": "u-cli",
        "CATAPULT_API_TOKEN": "t-cli",
        "CATAPULT_API_SECRET": SECRET,
        "CATAPULT_URL": sandbox.catapult_url,
    }


def run(env: dict[str, str], *args: str) -> Result:
    result = CliRunner().invoke(main, list(args), env=env)
    assert SECRET not in result.output
    assert "eyJ" not in result.output  # how every JWT (the sandbox's access tokens) begins
    return result


def test_dashboard_commands(env: dict[str, str], sandbox: Sandbox) -> None:
    created = run(env, "--json", "dashboard", "create", "--service-type", "Voice-V2", "--app-name", "cli voice",
                  "--call-initiated-callback-url", "https://e.com/v", "--callback-creds-user-id", "cli-user1",
                  "--callback-creds-password", "cli-pass1", "--call-status-callback-url", "https://e.com/s")  # fmt: skip
    assert created.exit_code == 0, created.output
    app_id = json.loads(created.output)["ApplicationId"]
    table = run(env, "dashboard", "list")
    assert table.exit_code == 0 and app_id in table.output and "(1 application)" in table.output
    assert "cli voice" in run(env, "dashboard", "get", app_id).output
    patched = run(
        env, "--json", "dashboard", "patch", app_id, "--call-status-callback-url", "remove"
    )
    assert "CallStatusCallbackUrl" not in json.loads(patched.output)
    replaced = run(env, "--json", "dashboard", "update", app_id, "--service-type", "Voice-V2", "--app-name", "bare",
                   "--call-initiated-callback-url", "https://e.com/v2")  # fmt: skip
    assert json.loads(replaced.output)["AppName"] == "bare"
    sandbox.store.associate_sip_peer("cli-account", app_id, ("1", "Site"), ("2", "Peer"))
    assert "Peer" in run(env, "dashboard", "sip-peers", app_id).output
    in_use = run(env, "dashboard", "delete", app_id)
    assert in_use.exit_code == 1 and in_use.output.count("\n") == 1 and "HTTP 409" in in_use.output


def test_catapult_commands_and_migrate(env: dict[str, str]) -> None:
    created = run(env, "--json", "catapult", "create", "--name", "cli app", "--incoming-call-url", "https://e.com/c",
                  "--incoming-message-url", "https://e.com/m", "--no-auto-answer")  # fmt: skip
    assert created.exit_code == 0, created.output
    app_id = json.loads(created.output)["id"]
    assert json.loads(created.output)["autoAnswer"] is False
    assert app_id in run(env, "catapult", "list", "--page-size", "1").output
    assert (
        run(env, "catapult", "update", app_id, "--name", "renamed").output == f"updated {app_id}\n"
    )
    assert json.loads(run(env, "--json", "catapult", "get", app_id).output)["name"] == "renamed"
    dry = run(env, "migrate", app_id, "--dry-run")
    assert dry.exit_code == 0 and dry.output.count("<Application>") == 2
    migrated = run(env, "--json", "migrate", app_id)
    assert {a["ServiceType"] for a in json.loads(migrated.output.split("\n", 1)[1])} == {
        "Messaging-V2",
        "Voice-V2",
    }
    assert run(env, "catapult", "delete", app_id).exit_code == 0
    gone = run(env, "catapult", "get", app_id)
    assert (
        gone.exit_code == 1 and gone.output.startswith("error: ") and gone.output.count("\n") == 1
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (
            ["dashboard", "create", "--service-type", "Voice-V2", "--callback-timeout", "30"],
            2,
        ),  # validation
        (["catapult", "get", "not-an-id"], 2),
        (["dashboard", "get", "missing"], 1),  # not found
    ],
)
def test_errors_are_one_line_with_a_non_zero_exit(
    env: dict[str, str], args: list[str], code: int
) -> None:
    result = run(env, *args)
    assert result.exit_code == code
    assert result.output.startswith("error: ") and result.output.count("\n") == 1


def test_wrong_credentials_and_no_server(env: dict[str, str]) -> None:
    wrong = run({**env, "BW_CLIENT_SECRET": "wrong-secret"}, "dashboard", "list")
    assert wrong.exit_code == 1 and "HTTP 401" in wrong.output and "oauth2/token" in wrong.output
    other_account = run({**env, "BW_ACCOUNT_ID": "not-mine"}, "dashboard", "list")
    assert other_account.exit_code == 1 and "HTTP 403" in other_account.output
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    down = run({**env, "BW_API_URL": closed}, "dashboard", "list")
    assert down.exit_code == 1 and "no answer" in down.output


def test_legacy_basic_login_still_works_with_a_warning(env: dict[str, str]) -> None:
    legacy = {k: v for k, v in env.items() if k not in ("BW_CLIENT_ID", "BW_CLIENT_SECRET")}
    legacy |= {"BANDWIDTH_USERNAME": "cli-user", "BANDWIDTH_PASSWORD": SECRET}
    result = run(legacy, "dashboard", "list")
    assert result.exit_code == 0, result.output
    assert "2 December 2026" in result.stderr and result.stderr.count("\n") == 1
    # Client credentials, when given too, win; no warning then.
    both = run(
        {**env, "BANDWIDTH_USERNAME": "cli-user", "BANDWIDTH_PASSWORD": SECRET}, "dashboard", "list"
    )
    assert both.exit_code == 0 and both.stderr == ""


@pytest.mark.parametrize(
    "command",
    [[], ["sandbox"], ["dashboard"], ["catapult"], ["migrate"]]
    + [
        ["dashboard", c]
        for c in ("create", "list", "get", "update", "patch", "delete", "sip-peers")
    ]
    + [["catapult", c] for c in ("create", "list", "get", "update", "delete")],
)
def test_help_everywhere(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage: " in result.output


def test_sandbox_command_serves_and_prints_no_secret(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with subprocess.Popen(
        [
            str(Path(sys.executable).parent / "bandwidth-apps"),
            "sandbox",
            "--port",
            str(port),
            "--db",
            str(tmp_path / "s.db"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "BANDWIDTH_PASSWORD": SECRET, "BW_CLIENT_SECRET": SECRET},
    ) as process:
        try:
            assert process.stdout is not None
            lines = []
            while not lines or not lines[-1].lstrip().startswith("export "):
                line = process.stdout.readline()
                assert line, "".join(lines)
                lines.append(line)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=20)
    text = "".join(lines)
    assert f"http://127.0.0.1:{port}/api" in text and "sandbox-client (default)" in text
    assert "/api/v1/oauth2/token" in text and "accounts 9900001 (default)" in text
    assert SECRET not in text and "[from --flag or BW_CLIENT_SECRET]" in text
    assert "[from --flag or BANDWIDTH_PASSWORD]" in text


def test_environment_and_api_url_choose_the_hosts_and_flags_win(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import bandwidth_apps as bw
    from bandwidth_apps import _cli

    seen: dict[str, object] = {}

    def stub(account_id: str, **options: object) -> None:
        seen.clear()
        seen.update(options, account_id=account_id)
        raise bw.TransportError("stub", method="GET", url="-", request_sent=False)

    monkeypatch.setattr(_cli, "DashboardClient", stub)
    env = {
        "BW_ACCOUNT_ID": "1",
        "BW_CLIENT_ID": "i",
        "BW_CLIENT_SECRET": SECRET,
        "BW_ENVIRONMENT": "test",
    }
    run(env, "dashboard", "list")
    assert seen == {
        "account_id": "1",
        "client_id": "i",
        "client_secret": SECRET,
        "environment": "test",
        "base_url": None,
    }
    run({**env, "BW_ENVIRONMENT": "UAT"}, "dashboard", "list")
    assert seen["environment"] == "uat"
    run({**env, "BW_API_URL": "http://127.0.0.1:9/"}, "dashboard", "list")
    assert seen["base_url"] == "http://127.0.0.1:9/api"
    run(
        {**env, "BW_API_URL": "http://127.0.0.1:9"},
        "dashboard",
        "--environment",
        "prod",
        "--account-id",
        "2",
        "--base-url",
        "http://127.0.0.1:9/api/v2",
        "list",
    )
    assert (seen["environment"], seen["account_id"], seen["base_url"]) == (
        "prod",
        "2",
        "http://127.0.0.1:9/api/v2",
    )
    # A legacy login on the command line beats client credentials from the environment.
    result = run(env, "dashboard", "--username", "u", "--password", SECRET, "list")
    assert (
        seen["username"] == "u" and "client_id" not in seen and "2 December 2026" in result.stderr
    )
