"""Every command's `--help`, as a user reads it, against tests/cli_help/ (one file a command).

The help is the command line's interface: its option names, choices, ranges and words come from
the specs (see _cli/_options.py), so a change to the specs or to how options are derived shows
here as a diff to read, not as a silent change. After a deliberate change, rewrite the files:

    BANDWIDTH_APPS_WRITE_HELP=1 python -m pytest tests/test_cli_help.py -k every_command

and review `git diff tests/cli_help/` (the files of removed commands are removed).
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import click
import pytest
from bandwidth_apps._cli import main
from bandwidth_apps._rules import DASHBOARD_ALIASES
from bandwidth_apps._specs import catapult_document
from bandwidth_apps_dashboard import Application
from click.testing import CliRunner

HELP_FILES = Path(__file__).parent / "cli_help"
WRITING = os.environ.get("BANDWIDTH_APPS_WRITE_HELP") == "1"


def _command_paths() -> list[tuple[str, ...]]:
    """Every command and group under `main`, found by walking it as click does."""
    paths: list[tuple[str, ...]] = [()]
    context = click.Context(main)
    pending: list[tuple[tuple[str, ...], click.Command]] = [((), main)]
    while pending:
        path, command = pending.pop()
        if isinstance(command, click.Group):
            for name in command.list_commands(context):
                child = command.get_command(context, name)
                assert child is not None, name
                paths.append((*path, name))
                pending.append(((*path, name), child))
    return sorted(paths)


def _file(path: tuple[str, ...]) -> Path:
    return HELP_FILES / ("_".join(("bandwidth-apps", *path)) + ".txt")  # no command has a "_"


def _recorded() -> list[tuple[str, ...]]:
    """The commands with recorded help (read from the files: collecting runs no package code)."""
    return sorted(tuple(file.stem.split("_")[1:]) for file in HELP_FILES.glob("*.txt"))


def _help(path: tuple[str, ...]) -> str:
    # A fixed width: the terminal's (or CI's) must not change the text.
    result = CliRunner().invoke(
        main,
        [*path, "--help"],
        prog_name="bandwidth-apps",
        terminal_width=100,
        env={"COLUMNS": "100"},
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_has_its_help_recorded() -> None:
    """No command without recorded help, no recorded help of a removed or renamed command."""
    commands = _command_paths()
    if WRITING:
        for stale in HELP_FILES.glob("*.txt"):
            stale.unlink()
        for path in commands:
            _file(path).write_text(_help(path))
    assert _recorded() == commands


@pytest.mark.parametrize("path", _recorded(), ids=lambda path: " ".join(path) or "main")
def test_help_is_as_recorded(path: tuple[str, ...]) -> None:
    assert _help(path) == _file(path).read_text()


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).replace("_", "-").lower()


def test_the_recorded_help_has_an_option_for_every_field() -> None:
    """What the recorded files hold is complete: a flag for each field the specs define, the
    deprecated aliases accepted but not listed."""
    dashboard = _file(("dashboard", "create")).read_text()
    for field in dataclasses.fields(Application):
        flag = "--" + _kebab(field.name)
        if field.name in DASHBOARD_ALIASES:
            assert flag + " " not in dashboard
        elif field.name.endswith("_creds"):
            assert flag + "-user-id " in dashboard and flag + "-password " in dashboard
        else:
            assert flag + " " in dashboard
    catapult = _file(("catapult", "create")).read_text()
    schema = catapult_document()["components"]["schemas"]["ApplicationCreate"]
    for name, property_schema in schema["properties"].items():
        listed = ("--" + _kebab(name) + " ") in catapult
        assert listed != bool(property_schema.get("deprecated")), name
