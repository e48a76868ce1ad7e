"""What each entry point imports: the heavy modules (validators, the other platform's client,
the sandbox, the CLI's commands) only when a program uses them. Checked by module names, not by
time (scripts/bench measures the time)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import bandwidth_apps
import pytest

HEAVY = [
    "jsonschema",
    "jsonschema_rs",
    "httpcore",
    "asyncio",
    "bandwidth_apps_catapult",
    "bandwidth_apps.sandbox",
    "bandwidth_apps._cli._dashboard",
    "starlette",
    "uvicorn",
    "xsdata",
]


def loaded_after(code: str) -> set[str]:
    """The heavy modules in sys.modules after running `code` in a fresh interpreter."""
    program = f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", program], check=True, capture_output=True, text=True
    ).stdout
    modules = json.loads(out.splitlines()[-1])
    return {heavy for heavy in HEAVY if heavy in modules}


def test_import_bandwidth_apps_loads_nothing_heavy() -> None:
    assert loaded_after("import bandwidth_apps") == set()


def test_a_dashboard_program_loads_neither_catapult_nor_the_validators() -> None:
    code = "from bandwidth_apps import DashboardClient, Application, ServiceType"
    assert loaded_after(code) == set()


def test_building_a_client_loads_the_transport_it_needs() -> None:
    code = (
        "from bandwidth_apps import DashboardClient\n"
        "DashboardClient('9900000', client_id='i', client_secret='s').close()"
    )
    assert loaded_after(code) == {"httpcore"}


def test_a_catapult_program_loads_its_client_but_not_jsonschema() -> None:
    """jsonschema names the violations of a refused body; a valid one needs only jsonschema-rs."""
    code = (
        "from bandwidth_apps import CatapultClient, CatapultApplicationCreate\n"
        "CatapultApplicationCreate.from_dict({'name': 'n', 'incomingCallUrl': 'https://e.com'})"
    )
    assert loaded_after(code) == {"bandwidth_apps_catapult"}


def test_cli_version_loads_no_command() -> None:
    code = (
        "import sys; sys.argv = ['bandwidth-apps', '--version']\n"
        "from bandwidth_apps._cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert loaded_after(code) == set()


def test_every_public_name_resolves_to_what_type_checkers_see() -> None:
    """The lazy table, `__all__` and the TYPE_CHECKING imports name the same objects."""
    source = Path(bandwidth_apps.__file__).read_text()
    declared: dict[str, tuple[str, str]] = {}
    submodules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                if statement.level and statement.module is None:  # from . import specs
                    submodules |= {alias.name for alias in statement.names}
                    continue
                module = ("bandwidth_apps." if statement.level else "") + (statement.module or "")
                for alias in statement.names:
                    declared[alias.asname or alias.name] = (module, alias.name)
    assert declared == bandwidth_apps._EXPORTS
    assert submodules == bandwidth_apps._SUBMODULES
    assert sorted(declared) == sorted(bandwidth_apps.__all__)
    for name in bandwidth_apps.__all__:
        assert getattr(bandwidth_apps, name) is not None
    assert set(bandwidth_apps.__all__) <= set(dir(bandwidth_apps))


def test_public_submodules_load_on_first_use() -> None:
    code = "import bandwidth_apps as bw\nassert bw.specs.NAMES and bw.sandbox.Sandbox"
    assert "bandwidth_apps.sandbox" in loaded_after(code)
    assert {"sandbox", "specs"} <= set(dir(bandwidth_apps))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="DashbordClient"):
        bandwidth_apps.DashbordClient  # type: ignore[attr-defined]  # noqa: B018
