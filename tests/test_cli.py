"""`bandwidth-apps` against an in-process sandbox: every command, every output form and exit code
class, one line for every failure a user can cause (run as a subprocess, as a user runs it),
secrets from stdin, confirmations, --if-not-exists, completion, profiles, and the sandbox as a
tool. No secret is ever printed."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import bandwidth_apps as bw
import click
import httpx
import pytest
from bandwidth_apps._cli import main
from bandwidth_apps.sandbox import ClientCredential, Credentials, Logins, Sandbox
from click.testing import CliRunner, Result

from tests.hostile import HostileServer, head, token_or

SECRET = "cli-canary-secret-91b2"
CLI = str(Path(sys.executable).parent / "bandwidth-apps")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    logins = Logins(
        clients=(ClientCredential("cli-client", SECRET, ("cli-account", "cli-other")),),
        dashboard_basic=Credentials("cli-user", SECRET),
        catapult=Credentials("t-cli", SECRET),
    )
    with Sandbox(logins=logins, admin_token="cli-admin-token") as running:
        yield running


@pytest.fixture
def env(sandbox: Sandbox, tmp_path: Path) -> dict[str, str]:
    return {
        "BW_ACCOUNT_ID": "cli-account",
        "BW_CLIENT_ID": "cli-client",
        "BW_CLIENT_SECRET": SECRET,
        "BW_API_URL": sandbox.url,
        "CATAPULT_USER_ID": "u-cli",
        "CATAPULT_API_TOKEN": "t-cli",
        "CATAPULT_API_SECRET": SECRET,
        "CATAPULT_URL": sandbox.catapult_url,
        "BANDWIDTH_APPS_CONFIG": str(tmp_path / "config.json"),
    }


def run(env: dict[str, str], *args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env=env, input=input)
    assert SECRET not in result.output
    assert "eyJ" not in result.output  # how every JWT (the sandbox's access tokens) begins
    assert "Traceback" not in result.output
    return result


def shell(
    env: dict[str, str], *args: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("BW_", "BANDWIDTH_", "CATAPULT_"))
    }
    result = subprocess.run(
        [CLI, *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        input=input,
        timeout=60,
        check=False,
    )
    assert SECRET not in result.stdout + result.stderr and "Traceback" not in result.stderr
    return result


def test_dashboard_commands(env: dict[str, str], sandbox: Sandbox) -> None:
    created = run(env, "dashboard", "create", "--json", "--service-type", "Voice-V2", "--app-name", "cli voice",
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
    replaced = run(env, "dashboard", "update", app_id, "--plain", "--service-type", "Voice-V2", "--app-name", "bare",
                   "--call-initiated-callback-url", "https://e.com/v2")  # fmt: skip
    assert json.loads(replaced.output)["AppName"] == "bare"
    sandbox.store.associate_sip_peer("cli-account", app_id, ("1", "Site"), ("2", "Peer"))
    assert "Peer" in run(env, "dashboard", "sip-peers", app_id).output
    in_use = run(env, "dashboard", "delete", app_id, "--yes")
    assert in_use.exit_code == 4 and in_use.stderr.count("\n") == 1 and "HTTP 409" in in_use.stderr


def test_output_forms_on_every_command(env: dict[str, str]) -> None:
    app = json.loads(run(env, "--json", "dashboard", "create", "--service-type", "Voice-V2", "--app-name", "forms",
                         "--call-initiated-callback-url", "https://e.com/v", "--callback-creds-user-id", "form-user",
                         "--callback-creds-password", "form-pass").output)  # fmt: skip
    app_id = app["ApplicationId"]
    assert app["CallbackCreds"] == {"UserId": "form-user"}  # nested, as the API's fields nest
    for args in (
        ["--plain", "dashboard", "get", app_id],
        ["dashboard", "--plain", "get", app_id],
        ["dashboard", "get", app_id, "--plain"],
    ):
        assert json.loads(run(env, *args).output)["CallbackCreds.UserId"] == "form-user"  # flat
    listed = json.loads(run(env, "dashboard", "list", "--plain").output)
    assert isinstance(listed, list) and all(
        "." in key or key.isalpha() for item in listed for key in item
    )
    deleted = run(env, "dashboard", "delete", app_id, "--yes", "--json")
    assert json.loads(deleted.output) == {"deleted": app_id}


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
    assert json.loads(run(env, "catapult", "get", app_id, "--json").output)["name"] == "renamed"
    dry = run(env, "migrate", app_id, "--dry-run")
    assert dry.exit_code == 0 and dry.stdout.count("<Application>") == 2
    migrated = run(env, "--json", "migrate", app_id)
    assert {a["ServiceType"] for a in json.loads(migrated.stdout)} == {"Messaging-V2", "Voice-V2"}
    assert run(env, "catapult", "delete", app_id, "--yes").exit_code == 0
    gone = run(env, "catapult", "get", app_id)
    assert (
        gone.exit_code == 3 and gone.stderr.startswith("error: ") and gone.stderr.count("\n") == 1
    )


# ---- exit codes by class ----


def test_every_exit_code_class(env: dict[str, str], sandbox: Sandbox) -> None:
    assert run(env, "dashboard", "list").exit_code == 0
    assert run({**env, "BW_CLIENT_SECRET": "wrong-secret"}, "dashboard", "list").exit_code == 2
    assert run({**env, "BW_ACCOUNT_ID": "not-mine"}, "dashboard", "list").exit_code == 2  # 403
    assert run(env, "dashboard", "get", "no-such-id").exit_code == 3
    run(
        env,
        "dashboard",
        "create",
        "--service-type",
        "Voice-V2",
        "--app-name",
        "twin",
        "--call-initiated-callback-url",
        "https://e.com/v",
    )
    run(
        env,
        "dashboard",
        "create",
        "--service-type",
        "Voice-V2",
        "--app-name",
        "twin",
        "--call-initiated-callback-url",
        "https://e.com/v",
    )
    ambiguous = run(
        env,
        "dashboard",
        "create",
        "--if-not-exists",
        "--service-type",
        "Voice-V2",
        "--app-name",
        "twin",
        "--call-initiated-callback-url",
        "https://e.com/v",
    )
    assert ambiguous.exit_code == 4 and "2 applications are named 'twin'" in ambiguous.stderr
    assert run(env, "dashboard", "create", "--callback-timeout", "30").exit_code == 6  # a bad value
    assert run(env, "dashboard", "create", "--service-type", "Voice-V2").exit_code == 6  # a rule
    assert run(env, "dashboard", "--no-such-flag").exit_code == 6

    def slow(request: bytes) -> Iterator[bytes]:
        yield head(200, length=10)
        yield b"<"  # and then nothing more

    def limited(request: bytes) -> Iterator[bytes]:
        yield head(429, length=0, X_RateLimit_Reset="4102444800")  # in 2100: not worth waiting for

    with HostileServer(token_or(slow)) as server:
        timed_out = run({**env, "BW_API_URL": server.url}, "--timeout", "0.2", "dashboard", "list")
        assert timed_out.exit_code == 5, timed_out.output
    with HostileServer(token_or(limited)) as server:
        assert run({**env, "BW_API_URL": server.url}, "dashboard", "list").exit_code == 7
    help_text = run(env, "--help").output
    assert "Exit codes: 0 ok, 1 general, 2 authentication, 3 not found, 4 conflict, 5" in help_text


# ---- one line for every failure a user can cause (as a user runs it: a subprocess) ----


def bad_inputs(
    tmp_path: Path, sandbox: Sandbox
) -> list[tuple[list[str], dict[str, str], int, str]]:
    broken_xml = tmp_path / "broken.xml"
    broken_xml.write_text("<Application><AppName>x</Application>")
    misspelled_xml = tmp_path / "misspelled.xml"
    misspelled_xml.write_text(
        "<Application><ServiceType>Voice-V2</ServiceType><AppNmae>x</AppNmae></Application>"
    )
    broken_json = tmp_path / "broken.json"
    broken_json.write_text('{"name": ')
    misspelled_json = tmp_path / "misspelled.json"
    misspelled_json.write_text('{"name": "x", "incomingCalUrl": "https://e.com/c"}')
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    return [
        (["dashboard", "create", "--xml", str(broken_xml)], {}, 6, "not well-formed"),
        (["dashboard", "create", "--xml", str(misspelled_xml)], {}, 6, "did you mean 'AppName'"),
        (
            ["dashboard", "create", "--xml", str(misspelled_xml), "--app-name", "x"],
            {},
            6,
            "--app-name and --xml",
        ),
        (["dashboard", "create", "--xml", str(tmp_path / "missing.xml")], {}, 6, "missing.xml"),
        (["catapult", "create", "--from-json", str(broken_json)], {}, 6, "not JSON"),
        (
            ["catapult", "create", "--from-json", str(misspelled_json)],
            {},
            6,
            "did you mean 'incomingCallUrl'",
        ),
        (["dashboard", "list"], {"BW_API_URL": closed}, 1, "is the host right"),
        (["dashboard", "list"], {"BW_API_URL": "http://no-such-host.invalid"}, 6, "not https"),
        (
            ["dashboard", "list"],
            {"BW_API_URL": f"{sandbox.url}/nothing-here"},
            1,
            "check the API URL",
        ),
        (["dashboard", "list"], {"BW_ACCOUNT_ID": ""}, 6, "--account-id"),
        (["dashboard", "list"], {"BW_CLIENT_SECRET": "", "BW_CLIENT_ID": ""}, 6, "no credentials"),
        (["dashboard", "list"], {"BW_CLIENT_SECRET": ""}, 6, "client secret is missing"),
        (["dashboard", "list"], {"BW_ENVIRONMENT": "staging"}, 6, "staging"),
        (["dashboard", "delete", "some-id"], {}, 6, "--yes"),
        (["dashboard", "get", "../x"], {}, 6, "not an application id"),
        (["catapult", "get", "not-an-id"], {}, 6, "not an application id"),
        (["sandbox", "--memory", "--db", str(tmp_path / "x.db")], {}, 6, "choose one"),
        (["auth", "use", "nobody"], {}, 6, "no profile"),
        (["--profile", "nobody", "dashboard", "list"], {}, 6, "no profile 'nobody'"),
        (["dashboard", "patch", "some-id"], {}, 6, "a patch changes something"),
        (
            [
                "dashboard",
                "create",
                "--service-type",
                "Voice-V2",
                "--app-name",
                "r",
                "--call-initiated-callback-url",
                "https://e.com/v",
                "--call-status-callback-url",
                "remove",
            ],
            {},
            6,
            "'remove' only means something in a PATCH",
        ),
        (
            ["dashboard", "list"],
            {"BW_API_URL": "http://no-such-host.invalid"},
            6,
            "allowed only to this machine)",  # no Python-only way out is offered
        ),
        (
            ["catapult", "list"],
            {"CATAPULT_URL": f"{sandbox.url}/v1/nothing-here"},
            1,
            "--catapult-url or CATAPULT_URL",
        ),
        (
            ["catapult", "list"],
            {"CATAPULT_API_SECRET": "wrong-secret"},
            2,
            "check the API token and secret, CATAPULT_API_TOKEN and CATAPULT_API_SECRET",
        ),
    ]


def test_no_traceback_for_any_bad_user_input(
    env: dict[str, str], sandbox: Sandbox, tmp_path: Path
) -> None:
    for args, changes, code, says in bad_inputs(tmp_path, sandbox):
        result = shell({**env, **changes}, *args)
        assert result.returncode == code, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), (
            args,
            result.stderr,
        )
        assert says in result.stderr, (args, result.stderr)


def test_an_html_page_gets_a_hint_to_check_the_url(env: dict[str, str]) -> None:
    page = b"<!DOCTYPE html><html><body>Welcome</body></html>"

    def portal(request: bytes) -> Iterator[bytes]:
        yield head(200, length=len(page), Content_Type="text/html") + page

    with HostileServer(token_or(portal)) as server:
        result = shell({**env, "BW_API_URL": server.url}, "dashboard", "list")
    assert (
        result.returncode == 1
        and "check the API URL" in result.stderr
        and result.stderr.count("\n") == 1
    )


# ---- secrets, confirmations, --if-not-exists, retries, debug, version, completion ----


def test_secrets_from_stdin_never_only_argv(env: dict[str, str]) -> None:
    without = {k: v for k, v in env.items() if k != "BW_CLIENT_SECRET"}
    assert (
        run(without, "dashboard", "--client-secret-stdin", "list", input=f"{SECRET}\n").exit_code
        == 0
    )
    catapult_without = {k: v for k, v in env.items() if k != "CATAPULT_API_SECRET"}
    assert (
        run(
            catapult_without, "catapult", "--api-secret-stdin", "list", input=f"{SECRET}\n"
        ).exit_code
        == 0
    )
    refused = run(
        without, "dashboard", "--client-secret-stdin", "create", "--xml", "-", input=f"{SECRET}\n"
    )
    assert refused.exit_code == 6 and "stdin" in refused.stderr


def test_delete_asks_first_on_a_terminal(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app_id = json.loads(run(env, "--json", "dashboard", "create", "--service-type", "Voice-V2", "--app-name", "ask",
                            "--call-initiated-callback-url", "https://e.com/v").output)["ApplicationId"]  # fmt: skip
    monkeypatch.setattr("bandwidth_apps._cli._common.sys.stdin.isatty", lambda: True, raising=False)
    runner = CliRunner()

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("bandwidth_apps._cli._common.sys", type("S", (), {"stdin": Terminal()}))
    declined = runner.invoke(main, ["dashboard", "delete", app_id], env=env, input="n\n")
    assert declined.exit_code == 1 and "Delete application" in declined.output
    assert run(env, "dashboard", "get", app_id).exit_code == 0  # still there
    accepted = runner.invoke(main, ["dashboard", "delete", app_id], env=env, input="y\n")
    assert accepted.exit_code == 0 and f"deleted {app_id}" in accepted.output


@pytest.mark.parametrize("platform", ["dashboard", "catapult"])
def test_if_not_exists_creates_once(env: dict[str, str], platform: str) -> None:
    if platform == "dashboard":
        args = [
            "dashboard",
            "create",
            "--if-not-exists",
            "--json",
            "--service-type",
            "Voice-V2",
            "--app-name",
            "only once",
            "--call-initiated-callback-url",
            "https://e.com/v",
        ]
        key, listing = "ApplicationId", ["--json", "dashboard", "list"]
    else:
        args = [
            "catapult",
            "create",
            "--if-not-exists",
            "--json",
            "--name",
            "only once",
            "--incoming-call-url",
            "https://e.com/c",
        ]
        key, listing = "id", ["--json", "catapult", "list"]
    first, second = run(env, *args), run(env, *args)
    assert first.exit_code == second.exit_code == 0
    assert (
        json.loads(first.stdout)[key] == json.loads(second.stdout)[key]
        and "exists:" in second.stderr
    )
    names = [a.get("AppName", a.get("name")) for a in json.loads(run(env, *listing).output)]
    assert names.count("only once") == 1


def test_a_retried_call_says_so_on_a_terminal(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bandwidth_apps._cli._stderr_is_a_terminal", lambda: True)
    body = b"<ApplicationProvisioningResponse><ApplicationList/></ApplicationProvisioningResponse>"
    answers = iter([head(503, length=0, Retry_After="0"), head(200, length=len(body)) + body])

    def flaky(request: bytes) -> Iterator[bytes]:
        yield next(answers)

    with HostileServer(token_or(flaky)) as server:
        result = run({**env, "BW_API_URL": server.url}, "dashboard", "list")
    assert result.exit_code == 0 and re.search(
        r"\.\.\. retrying GET .* \(attempt 2 of 4\)", result.stderr
    )


def test_debug_logs_each_request_and_answer_without_secrets(env: dict[str, str]) -> None:
    result = run(env, "--debug", "dashboard", "list")
    assert result.exit_code == 0
    assert re.search(
        r"GET http://127\.0\.0\.1:\d+/api/accounts/cli-account/applications -> 200", result.stderr
    )
    assert re.search(r"POST http://\S+/oauth2/token -> 200 \(token request\)", result.stderr)
    refused = run({**env, "BW_CLIENT_SECRET": "wrong-secret"}, "--debug", "dashboard", "list")
    assert refused.exit_code == 2
    assert re.search(r"POST http://\S+/oauth2/token -> 401 \(token request\)", refused.stderr)


def test_version_and_completion() -> None:
    version = CliRunner().invoke(main, ["--version"])
    assert version.exit_code == 0 and re.fullmatch(r"bandwidth-apps, version \S+\n", version.output)
    for shell_name, marker in (
        ("bash", "complete -o"),
        ("zsh", "compdef"),
        ("fish", "complete --no-files"),
    ):
        script = CliRunner().invoke(main, ["completion", shell_name])
        assert (
            script.exit_code == 0
            and marker in script.output
            and "_BANDWIDTH_APPS_COMPLETE" in script.output
        )


def test_help_shows_units_ranges_and_choices_from_the_specs() -> None:
    dashboard_help = CliRunner().invoke(main, ["dashboard", "create", "--help"]).output
    assert "--callback-timeout INTEGER RANGE" in dashboard_help and "[1-25 s]" in dashboard_help
    assert "[Messaging-V2|Voice-V2]" in dashboard_help and "[GET|POST]" in dashboard_help
    assert "--msg-callback-url" not in dashboard_help  # deprecated aliases: taken, not listed
    catapult_help = " ".join(
        CliRunner().invoke(main, ["catapult", "create", "--help"]).output.split()
    )
    assert "[1-10000 ms]" in catapult_help and "[GET|POST|get|post]" in catapult_help
    assert "--incoming-sms-url" not in catapult_help


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["sandbox"],
        ["dashboard"],
        ["catapult"],
        ["migrate"],
        ["auth"],
        ["auth", "login"],
        ["auth", "status"],
        ["completion"],
    ]
    + [
        ["dashboard", c]
        for c in ("create", "list", "get", "update", "patch", "delete", "sip-peers")
    ]
    + [["catapult", c] for c in ("create", "list", "get", "update", "delete")],
)
def test_help_everywhere(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage: " in result.output


# ---- profiles ----


def test_profiles_login_status_use_and_precedence(env: dict[str, str], sandbox: Sandbox) -> None:
    logged = run(env, "auth", "login", "--profile", "work")
    assert logged.exit_code == 0, logged.output
    assert "profile 'work'" in logged.stderr and "not saved; set BW_CLIENT_SECRET" in logged.stderr
    config = json.loads(Path(env["BANDWIDTH_APPS_CONFIG"]).read_text())
    assert config["active"] == "work" and SECRET not in json.dumps(config)
    assert config["profiles"]["work"] == {
        "account_id": "cli-account",
        "environment": "prod",
        "api_url": sandbox.url,
        "client_id": "cli-client",
    }
    only_secret = {
        "BW_CLIENT_SECRET": SECRET,
        "BANDWIDTH_APPS_CONFIG": env["BANDWIDTH_APPS_CONFIG"],
    }
    assert run(only_secret, "dashboard", "list").exit_code == 0  # the rest comes from the profile
    status = run(only_secret, "auth", "status", "--json")
    report = json.loads(status.output)
    assert report["profile"] == "work" and report["account_id"] == "cli-account (profile)"
    assert report["client_secret"] == "set (environment)"
    overridden = json.loads(
        run(
            {**only_secret, "BW_ACCOUNT_ID": "cli-other"},
            "auth",
            "status",
            "--json",
            "--account-id",
            "flagged",
        ).output
    )
    assert overridden["account_id"] == "flagged (flag)"  # flag > environment > profile
    assert (
        json.loads(
            run({**only_secret, "BW_ACCOUNT_ID": "cli-other"}, "auth", "status", "--json").output
        )["account_id"]
        == "cli-other (environment)"
    )
    run({**env, "BW_ACCOUNT_ID": "cli-other"}, "auth", "login", "--profile", "other")
    assert run(only_secret, "auth", "use", "work").exit_code == 0
    assert json.loads(Path(env["BANDWIDTH_APPS_CONFIG"]).read_text())["active"] == "work"
    assert (
        json.loads(run(only_secret, "--profile", "other", "auth", "status", "--json").output)[
            "account_id"
        ]
        == "cli-other (profile)"
    )
    chosen_now = json.loads(
        run(only_secret, "auth", "status", "--json", "--environment", "test").output
    )
    assert chosen_now["environment"] == "test (flag)" and "api_url" not in chosen_now
    unknown = run({**env, **only_secret}, "--profile", "nosuch", "dashboard", "list")
    assert (
        unknown.exit_code == 6 and "no profile 'nosuch' (profiles: other, work)" in unknown.output
    )


def test_a_keyring_keeps_the_secret(env: dict[str, str]) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        secrets: typing.ClassVar[dict[tuple[str, str], str]] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.secrets.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.secrets[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.secrets.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        assert "in the OS keyring" in run(env, "auth", "login").stderr
        no_secret = {k: v for k, v in env.items() if k in ("BANDWIDTH_APPS_CONFIG",)}
        assert run(no_secret, "dashboard", "list").exit_code == 0
        assert (
            json.loads(run(no_secret, "auth", "status", "--json").output)["client_secret"]
            == "set (keyring)"
        )
    finally:
        keyring.set_keyring(previous)


# ---- the sandbox as a tool ----


def test_sandbox_command_serves_logs_and_prints_no_secret(tmp_path: Path) -> None:
    with subprocess.Popen(
        [CLI, "sandbox", "--port", "0", "--admin-token", SECRET],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "BANDWIDTH_PASSWORD": SECRET, "BW_CLIENT_SECRET": SECRET, "XDG_DATA_HOME": str(tmp_path / "data")},
    ) as process:  # fmt: skip
        try:
            assert process.stdout is not None
            lines: list[str] = []
            while not lines or not lines[-1].lstrip().startswith("export "):
                line = process.stdout.readline()
                assert line, "".join(lines)
                lines.append(line)
            url = re.search(r"on (http://127\.0\.0\.1:(\d+))", lines[0])
            assert url and url.group(2) != "0"  # the port really taken
            token = httpx.post(
                f"{url.group(1)}/api/v1/oauth2/token",
                data={"grant_type": "client_credentials"},
                auth=("sandbox-client", SECRET),
            ).json()["access_token"]
            assert (
                httpx.get(
                    f"{url.group(1)}/api/accounts/9900001/applications?x=secret-query",
                    headers={"Authorization": f"Bearer {token}"},
                ).status_code
                == 200
            )
            logged = ""
            while "GET /api/accounts" not in logged:
                logged += process.stdout.readline()
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=20)
            if process.stdout:
                process.stdout.close()
    text = "".join(lines)
    assert str(tmp_path / "data" / "bandwidth-apps" / "sandbox.db") in text  # the user data folder
    assert "sandbox-client (default)" in text and "/api/v1/oauth2/token" in text
    assert SECRET not in text + logged and "[from --flag or BW_CLIENT_SECRET]" in text
    assert "[from --flag or BANDWIDTH_SANDBOX_ADMIN_TOKEN]" in text
    assert re.search(r"GET /api/accounts/9900001/applications 200 \d+\.\d ms", logged), logged
    assert "secret-query" not in logged and token[:20] not in logged


_SANDBOX_WITH_A_BROKEN_STORE = """
import sys
from bandwidth_apps._cli import main
from bandwidth_apps.sandbox._store import Store

def broken(*args, **kwargs):
    raise RuntimeError("the store broke")

Store.dashboard_list = broken
sys.argv = ["bandwidth-apps", "sandbox", "--port", "0", "--memory"]
main()
"""


def test_a_request_that_fails_inside_the_sandbox_is_logged_with_its_traceback() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", _SANDBOX_WITH_A_BROKEN_STORE],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    ) as process:  # fmt: skip
        try:
            assert process.stdout is not None
            first = process.stdout.readline()
            url = re.search(r"on (http://127\.0\.0\.1:\d+)", first)
            assert url, first
            answer = httpx.get(
                f"{url.group(1)}/api/accounts/9900001/applications",
                auth=("sandbox-user", "sandbox-password"),
            )
            assert answer.status_code == 500 and "Traceback" not in answer.text
            logged = ""
            while " 500 " not in logged:
                line = process.stdout.readline()
                assert line, logged
                logged += line
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=20)
    assert "sandbox: GET /api/accounts/9900001/applications failed" in logged
    assert "Traceback" in logged and "RuntimeError: the store broke" in logged


def test_the_admin_endpoints_and_the_description(sandbox: Sandbox) -> None:
    admin = {"Authorization": "Bearer cli-admin-token"}
    description = httpx.get(f"{sandbox.url}/").json()
    assert (
        description["dashboard"]["token"] == "/api/v1/oauth2/token"
        and description["admin"]["prefix"] == "/_sandbox"
    )
    assert httpx.post(f"{sandbox.url}/_sandbox/reset").status_code == 401  # their own credential
    assert (
        httpx.post(
            f"{sandbox.url}/_sandbox/reset", headers={"Authorization": f"Basic {SECRET}"}
        ).status_code
        == 401
    )
    with bw.DashboardClient(
        "cli-account", client_id="cli-client", client_secret=SECRET, base_url=sandbox.dashboard_url
    ) as client:
        created = client.create(
            bw.Application(
                service_type=bw.ServiceType.VOICE_V2,
                app_name="admin",
                call_initiated_callback_url="https://e.com/v",
            )
        )
        peer = {
            "accountId": "cli-account",
            "applicationId": created.application_id,
            "siteId": "1",
            "siteName": "S",
            "peerId": "2",
            "peerName": "P",
        }
        assert (
            httpx.post(f"{sandbox.url}/_sandbox/sip-peers", json=peer, headers=admin).status_code
            == 201
        )
        assert [p.peer_name for p in client.associated_sip_peers(created.application_id)] == ["P"]
        tokens = httpx.get(f"{sandbox.url}/_sandbox/tokens", headers=admin).json()
        assert tokens["tokenRequests"] >= 1 and all(
            set(t) == {"clientId", "tokenId", "expiresAt"} for t in tokens["issued"]
        )
        moved = httpx.post(
            f"{sandbox.url}/_sandbox/clock",
            json={"now": "2026-12-02T00:00:01+00:00"},
            headers=admin,
        ).json()
        assert moved["legacyBasicAuth"] is False
        assert (
            httpx.post(
                f"{sandbox.url}/_sandbox/clock", json={"now": "yesterday"}, headers=admin
            ).status_code
            == 400
        )
        httpx.post(
            f"{sandbox.url}/_sandbox/clock", json={"now": 1_795_000_000}, headers=admin
        )  # back to before
        assert httpx.post(f"{sandbox.url}/_sandbox/reset", headers=admin).json() == {"reset": True}
        assert client.list() == []  # the old token was revoked; a fresh one, and nothing stored


def test_environment_api_url_and_flags_choose_the_hosts(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    from bandwidth_apps._cli import _connect

    seen: dict[str, object] = {}

    def stub(account_id: str, **options: object) -> None:
        seen.clear()
        seen.update(options, account_id=account_id)
        raise bw.TransportError("stub", method="GET", url="-", request_sent=False)

    monkeypatch.setattr(_connect, "DashboardClient", stub)
    base = {k: v for k, v in env.items() if k != "BW_API_URL"} | {"BW_ENVIRONMENT": "test"}
    run(base, "dashboard", "list")
    assert (seen["environment"], seen["base_url"], seen["client_id"]) == (
        "test",
        None,
        "cli-client",
    )
    run({**base, "BW_ENVIRONMENT": "UAT"}, "dashboard", "list")
    assert seen["environment"] == "uat"  # band's alias of test
    run({**base, "BW_API_URL": "http://127.0.0.1:9/"}, "dashboard", "list")
    assert seen["base_url"] == "http://127.0.0.1:9/api"
    run(
        {**base, "BW_API_URL": "http://127.0.0.1:9"},
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


def test_legacy_basic_login_still_works_with_one_warning_line(env: dict[str, str]) -> None:
    legacy = {k: v for k, v in env.items() if k not in ("BW_CLIENT_ID", "BW_CLIENT_SECRET")}
    legacy |= {"BANDWIDTH_USERNAME": "cli-user", "BANDWIDTH_PASSWORD": SECRET}
    result = run(legacy, "dashboard", "list")
    assert result.exit_code == 0, result.output
    assert "2 December 2026" in result.stderr and result.stderr.count("\n") == 1
    both = run(
        {**env, "BANDWIDTH_USERNAME": "cli-user", "BANDWIDTH_PASSWORD": SECRET}, "dashboard", "list"
    )
    assert both.exit_code == 0 and both.stderr == ""  # client credentials win, no warning
    flagged = run(
        {**env, "BANDWIDTH_PASSWORD": SECRET}, "dashboard", "--username", "cli-user", "list"
    )
    assert (
        flagged.exit_code == 0 and "2 December 2026" in flagged.stderr
    )  # a flag beats the environment


def test_a_missing_secret_is_asked_for_on_a_terminal(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bandwidth_apps._cli import _connect

    class Terminal:
        closed = False

        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(_connect, "sys", type("S", (), {"stdin": Terminal()}))
    without = {k: v for k, v in env.items() if k != "BW_CLIENT_SECRET"}
    result = run(without, "dashboard", "list", input=f"{SECRET}\n")
    assert result.exit_code == 0 and "Client secret:" in result.output


def test_delete_says_what_it_did_in_each_output_form(env: dict[str, str]) -> None:
    def created() -> str:
        made = run(
            env,
            "-q",
            "catapult",
            "create",
            "--name",
            "gone",
            "--incoming-call-url",
            "https://e.com/c",
        )
        assert made.exit_code == 0, made.output
        return made.output.strip()

    first, second, third = created(), created(), created()
    assert run(env, "catapult", "delete", first, "--yes").output == f"deleted {first}\n"
    # JSON as every command prints it: two-space indents
    as_json = run(env, "catapult", "delete", second, "--yes", "--json").output
    assert as_json == '{\n  "deleted": "' + second + '"\n}\n'
    assert run(env, "catapult", "delete", third, "--yes", "-q").output == ""  # nothing to list


def test_a_secret_from_stdin_must_be_there_and_not_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from bandwidth_apps._cli import _connect

    def read_with(stdin: typing.Any) -> str:
        monkeypatch.setattr(_connect.sys, "stdin", stdin)
        return _connect.read_stdin_secret("the client secret")

    closed = io.StringIO()
    closed.close()
    for stdin, why in (
        (None, "there is none"),
        (closed, "there is none"),
        (io.StringIO("\n"), "it was empty"),
    ):
        with pytest.raises(click.UsageError) as refused:
            read_with(stdin)
        assert refused.value.message == f"the client secret was to come from stdin, but {why}"
    assert read_with(io.StringIO("  s3cret-value \nnext line\n")) == "s3cret-value"


def test_a_missing_secret_without_a_terminal_is_a_usage_error_naming_both_ways(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from bandwidth_apps._cli import _connect

    for stdin in (None, io.StringIO("typed\n")):  # none at all, or a pipe: never a prompt
        monkeypatch.setattr(_connect.sys, "stdin", stdin)
        with pytest.raises(click.UsageError) as refused:
            _connect.prompt_secret("client secret", "BW_CLIENT_SECRET", "--client-secret-stdin")
        assert refused.value.message == (
            "the client secret is missing: set BW_CLIENT_SECRET, or pass --client-secret-stdin"
        )


def test_an_unexpected_failure_is_one_line_unless_debugging(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(context: typing.Any) -> typing.Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("bandwidth_apps._cli._dashboard.client", broken)
    quiet = CliRunner().invoke(main, ["dashboard", "list"])
    assert (quiet.exit_code, quiet.stderr) == (1, "error: unexpected RuntimeError: boom\n")
    for flag in ("--debug", "-v"):  # the traceback, for a bug report
        debugging = CliRunner().invoke(main, [flag, "dashboard", "list"])
        assert isinstance(debugging.exception, RuntimeError), flag
    # the arguments however they come: positional, or the program's own (the entry point)
    with pytest.raises(RuntimeError):
        main.main(["-v", "dashboard", "list"])
    monkeypatch.setattr(sys, "argv", ["bandwidth-apps", "--debug", "dashboard", "list"])
    with pytest.raises(RuntimeError):
        main.main()
    monkeypatch.setattr(sys, "argv", ["bandwidth-apps", "dashboard", "list"])
    with pytest.raises(SystemExit) as exited:
        main.main()
    assert exited.value.code == 1


def test_the_profiles_file_is_private_readable_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bandwidth_apps._cli._profiles import Config

    path = tmp_path / "not" / "yet" / "config.json"  # folders made as needed
    monkeypatch.setenv("BANDWIDTH_APPS_CONFIG", str(path))
    config = Config(active="work", profiles={"work": {"account_id": "9900001"}})
    assert config.save() == path
    assert path.read_text() == (
        '{\n  "active": "work",\n  "profiles": {\n    "work": {\n'
        '      "account_id": "9900001"\n    }\n  }\n}\n'
    )
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.json"]  # no temporary left
    assert Config.load() == config


def test_the_keyring_is_used_only_when_it_has_a_real_store() -> None:
    import keyring
    from bandwidth_apps._cli import _profiles
    from keyring.backend import KeyringBackend
    from keyring.backends import fail

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            self.secrets: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.secrets.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.secrets[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.secrets.pop((service, username), None)

    class Locked(Memory):
        def get_password(self, service: str, username: str) -> str | None:
            raise keyring.errors.KeyringLocked("locked")

        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.PasswordSetError("locked")

    previous = keyring.get_keyring()
    try:
        keyring.set_keyring(fail.Keyring())
        assert not _profiles.keyring_available()
        assert _profiles.store_secret("client-1", "secret-1") is False
        assert _profiles.stored_secret("client-1") is None
        memory = Memory()
        keyring.set_keyring(memory)
        assert _profiles.keyring_available()
        assert _profiles.store_secret("client-1", "secret-1") is True
        assert memory.secrets == {("bandwidth-apps", "client-1"): "secret-1"}
        assert _profiles.stored_secret("client-1") == "secret-1"
        keyring.set_keyring(Locked())  # there, but failing: as good as none
        assert _profiles.store_secret("client-1", "secret-2") is False
        assert _profiles.stored_secret("client-1") is None
    finally:
        keyring.set_keyring(previous)


def test_the_sandbox_command_configures_and_describes_its_sandbox(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """In-process (the subprocess test above cannot see inside): what each flag sets, and the
    banner, with the secrets given replaced by where they came from."""
    import logging

    import bandwidth_apps.sandbox

    made: list[dict[str, typing.Any]] = []

    class Recorded(Sandbox):
        def __init__(self, **settings: typing.Any) -> None:
            made.append(settings)
            super().__init__(**settings)

        def serve(self) -> None:  # returns at once (the real one runs until interrupted)
            self._socket.close()
            self.store.close()

    monkeypatch.setattr(bandwidth_apps.sandbox, "Sandbox", Recorded)
    for name in ("bandwidth_apps.sandbox", "bandwidth_apps.sandbox.access"):
        logger = logging.getLogger(name)  # the command adds its handlers: put them back after
        monkeypatch.setattr(logger, "handlers", list(logger.handlers))
        monkeypatch.setattr(logger, "level", logger.level)
    variables = ("BW_CLIENT_ID", "BW_CLIENT_SECRET", "BW_ACCOUNT_ID", "BANDWIDTH_USERNAME",
                 "BANDWIDTH_PASSWORD", "CATAPULT_API_TOKEN", "CATAPULT_API_SECRET",
                 "BANDWIDTH_SANDBOX_ADMIN_TOKEN")  # fmt: skip
    clean = dict.fromkeys(variables)  # None: unset while the command runs

    def sandbox_command(*args: str, env: dict[str, str | None] = clean) -> tuple[Result, str]:
        result = CliRunner().invoke(main, ["sandbox", "--port", "0", *args], env=env)
        first = result.output.split(" ", 4)  # "bandwidth-apps sandbox on URL (storage..."
        return result, first[3] if len(first) > 3 else ""

    defaults, url = sandbox_command("--memory")
    assert defaults.exit_code == 0, defaults.output
    assert defaults.output == (
        f"bandwidth-apps sandbox on {url} (storage: :memory:)\n"
        f"  Dashboard: {url}/api (also /api/v2)  client id sandbox-client (default),"
        " secret sandbox-client-secret (default), accounts 9900001 (default)\n"
        f"    token endpoint {url}/api/v1/oauth2/token, tokens live 3600 s\n"
        "    legacy API user (Basic, on): sandbox-user (default), password sandbox-password"
        " (default)\n"
        f"  Catapult:  {url}/v1  token t-sandbox (default), secret sandbox-secret (default)\n"
        f"  admin:     {url}/_sandbox  token sandbox-admin-token (default)\n"
        f"  export BW_API_URL={url} CATAPULT_URL={url}/v1\n"
    )
    settings = made[-1]
    assert (settings["host"], settings["port"], settings["db"]) == ("127.0.0.1", 0, ":memory:")
    assert (settings["token_lifetime"], settings["legacy_basic"], settings["rate_limit"]) == (
        3600, None, None,
    )  # fmt: skip
    assert settings["admin_token"] == "sandbox-admin-token"
    assert logging.getLogger("bandwidth_apps.sandbox.access").level == logging.INFO

    database = tmp_path / "kept.db"
    given, url = sandbox_command(
        "--db", str(database), "--client-id", "my-client", "--client-secret", "my-secret-1",
        "--account-id", "a1", "--account-id", "a2", "--username", "my-user", "--password",
        "my-password", "--api-token", "my-token", "--api-secret", "my-api-secret",
        "--admin-token", "my-admin-token", "--legacy-basic-auth", "off", "--token-lifetime",
        "60", "--rate-limit", "5", "--log-level", "warning",
    )  # fmt: skip
    assert given.exit_code == 0, given.output
    for secret in ("my-secret-1", "my-password", "my-api-secret", "my-admin-token"):
        assert secret not in given.output
    lines = given.output.splitlines()
    assert lines[0] == f"bandwidth-apps sandbox on {url} (storage: {database})"
    assert lines[1].endswith(
        "client id my-client, secret [from --flag or BW_CLIENT_SECRET], accounts a1,a2"
    )
    assert lines[2].endswith("tokens live 60 s")
    assert lines[3] == (
        "    legacy API user (Basic, off): my-user, password [from --flag or BANDWIDTH_PASSWORD]"
    )
    assert lines[4].endswith("token my-token, secret [from --flag or CATAPULT_API_SECRET]")
    assert lines[5].endswith("token [from --flag or BANDWIDTH_SANDBOX_ADMIN_TOKEN]")
    settings = made[-1]
    assert (settings["db"], settings["token_lifetime"], settings["rate_limit"]) == (
        str(database), 60, 5,
    )  # fmt: skip
    assert settings["legacy_basic"] is False and settings["admin_token"] == "my-admin-token"
    logins = settings["logins"]
    assert logins.clients[0] == ClientCredential("my-client", "my-secret-1", ("a1", "a2"))
    assert logins.dashboard_basic == Credentials("my-user", "my-password")
    assert logins.catapult == Credentials("my-token", "my-api-secret")
    assert database.exists()
    assert logging.getLogger("bandwidth_apps.sandbox.access").level == logging.WARNING
    assert sandbox_command("--legacy-basic-auth", "on", "--memory")[0].exit_code == 0
    assert made[-1]["legacy_basic"] is True

    both, _ = sandbox_command("--memory", "--db", str(database))
    assert both.exit_code == 6 and "--memory and --db: choose one" in both.output
    not_a_database, _ = sandbox_command("--db", str(tmp_path))  # a folder
    assert not_a_database.exit_code == 1 and not_a_database.output.startswith("error: ")
    assert not_a_database.output.count("\n") == 1
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        in_use = CliRunner().invoke(main, ["sandbox", "--port", str(port), "--memory"], env=clean)
    assert in_use.exit_code == 1
    assert in_use.output.startswith(f"error: cannot listen on 127.0.0.1:{port}: ")


@pytest.mark.skipif(sys.platform != "linux", reason="where platformdirs puts data on Linux")
def test_the_sandbox_keeps_its_data_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bandwidth_apps._cli._sandbox import default_db

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db() == str(tmp_path / "bandwidth-apps" / "sandbox.db")


def test_every_bad_input_is_one_line_in_process_too(
    env: dict[str, str], sandbox: Sandbox, tmp_path: Path
) -> None:
    """The cases above through click's runner: the same exit code and line, and a run a
    coverage or mutation tool can see into (a subprocess hides it)."""
    for args, changes, code, says in bad_inputs(tmp_path, sandbox):
        result = CliRunner().invoke(main, args, env={**env, **changes})
        assert result.exit_code == code, (args, result.output)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), args
        assert says in result.stderr, (args, result.stderr)


def test_a_catapult_body_from_a_file_is_checked_before_anything_is_sent(
    env: dict[str, str], tmp_path: Path
) -> None:
    def refused(*args: str, input: str | None = None) -> str:
        result = run(env, "catapult", "create", *args, input=input)
        assert result.exit_code == 6, result.output
        return result.stderr

    body = tmp_path / "body.json"
    body.write_text('{"name": "from-file", "incomingCallUrl": "https://e.com/c"}')
    made = json.loads(run(env, "--json", "catapult", "create", "--from-json", str(body)).output)
    assert made["name"] == "from-file"
    piped = run(env, "--json", "catapult", "create", "--from-json", "-", input=body.read_text())
    assert json.loads(piped.output)["incomingCallUrl"] == "https://e.com/c"
    assert refused("--from-json", str(body), "--name", "x", "--auto-answer") == (
        "error: --name, --auto-answer and --from-json both give the application: use one of them\n"
    )
    body.write_text("[]")
    assert refused("--from-json", str(body)) == f"error: {body}: the body must be a JSON object\n"
    body.write_text("")
    assert refused("--from-json", str(body)) == (
        f"error: {body}: not JSON (Expecting value: line 1 column 1 (char 0))\n"
    )


def test_a_file_that_cannot_be_read_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    from bandwidth_apps._cli._options import read_file

    with pytest.raises(click.UsageError) as refused:
        read_file(str(tmp_path))
    assert refused.value.message == f"{tmp_path}: Is a directory"
    (tmp_path / "x.json").write_bytes(b"\x00{}")
    assert read_file(str(tmp_path / "x.json")) == b"\x00{}"  # bytes, as they are


def test_catapult_logins_missing_or_refused_name_the_flag_and_the_variable(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def said(changes: dict[str, str], *args: str, input: str | None = None) -> str:
        result = run({**env, **changes}, *args, "catapult", "list", input=input)
        assert result.exit_code == 6, result.output
        return result.stderr

    assert said({"CATAPULT_USER_ID": ""}) == "error: --user-id (or CATAPULT_USER_ID) is required\n"
    assert said({"CATAPULT_API_TOKEN": ""}) == (
        "error: --api-token (or CATAPULT_API_TOKEN) is required\n"
    )
    assert said({"CATAPULT_API_SECRET": ""}) == (
        "error: the API secret is missing: set CATAPULT_API_SECRET, or pass --api-secret-stdin\n"
    )
    empty = run(
        {**env, "CATAPULT_API_SECRET": ""}, "catapult", "--api-secret-stdin", "list", input="\n"
    )
    assert empty.stderr == "error: the API secret was to come from stdin, but it was empty\n"
    assert said({"CATAPULT_URL": "http://catapult.example.com/v1"}).startswith("error: ")
    assert "allow_insecure_http" not in said({"CATAPULT_URL": "http://catapult.example.com/v1"})

    from bandwidth_apps._cli import _connect

    made: list[dict[str, typing.Any]] = []

    def recorded(*args: typing.Any, **settings: typing.Any) -> typing.Any:
        made.append(settings)
        raise ValueError("not made, or with allow_insecure_http=True")

    monkeypatch.setattr(_connect, "CatapultClient", recorded)
    assert said({}, "--timeout", "7.5") == "error: not made\n"
    assert said({}) == "error: not made\n"
    assert [settings["timeout"] for settings in made] == [7.5, None]


def test_an_unknown_profile_says_how_to_make_one(tmp_path: Path) -> None:
    isolated = {"BANDWIDTH_APPS_CONFIG": str(tmp_path / "config.json")}
    result = CliRunner().invoke(main, ["auth", "use", "work"], env=isolated)
    assert (result.exit_code, result.stderr) == (
        6,
        "error: no profile 'work' (profiles: none yet: run `bandwidth-apps auth login`)\n",
    )
