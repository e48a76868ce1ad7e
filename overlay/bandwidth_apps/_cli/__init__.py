"""`bandwidth-apps`: the command line for both platforms, the sandbox, migration and profiles.

One module per command group (as gh and band split theirs); options for application fields
are derived from the specs; credentials come from flags, the environment, stdin, a profile's
keyring entry or a prompt, and are never printed.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import Any

import click

from .._errors import BandwidthError
from ._failures import EXIT_CODES_HELP, GENERAL, USAGE, fail
from ._output import output_options

# Each command group's module, imported when the group is run or listed (`--help`): `--version`
# and `completion` never load the clients, the sandbox or the specs.
_COMMANDS = {
    "auth": "._auth",
    "catapult": "._catapult",
    "dashboard": "._dashboard",
    "migrate": "._migrate",
    "sandbox": "._sandbox",
}


def _show_version(context: click.Context, _: click.Parameter, wanted: bool) -> None:
    if not wanted or context.resilient_parsing:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("bandwidth-apps")
    except PackageNotFoundError:
        installed = "unknown"
    click.echo(f"bandwidth-apps, version {installed}")
    context.exit()


class _RetryStatus(logging.Handler):
    """A line on a terminal's stderr while a call is being retried, so that a person waiting
    knows why (a script reading stderr gets only the outcome's one line)."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("retrying ") and _stderr_is_a_terminal():
            click.echo(f"... {message}", err=True)


def _stderr_is_a_terminal() -> bool:
    return sys.stderr.isatty()


class _Group(click.Group):
    """The top group: exit codes by class and one line for every failure, however it is run
    (the entry point, or click's test runner)."""

    def list_commands(self, context: click.Context) -> list[str]:
        return sorted({*super().list_commands(context), *_COMMANDS})

    def get_command(self, context: click.Context, name: str) -> click.Command | None:
        # Made anew each time (not once, at import): the options derived from the specs are
        # built by the run that uses them, which is what lets a test (or a mutation tool that
        # forks after import) see a change to how they are built.
        if name in _COMMANDS:
            command: click.Command = importlib.import_module(_COMMANDS[name], __package__).build()
            return command
        return super().get_command(context, name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs.pop("standalone_mode", True):
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        try:
            super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        except click.exceptions.Abort:
            click.echo("aborted", err=True)
            sys.exit(GENERAL)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.ClickException as error:  # usage errors and the like
            fail(error, USAGE if isinstance(error, click.UsageError) else None)
        except BandwidthError as error:  # refused before sending (a file, a value), or after
            fail(error)
        except KeyboardInterrupt:
            sys.exit(130)
        except Exception as error:  # never a traceback: one line (--debug shows it)
            if _debugging(args, kwargs):
                raise
            fail(f"unexpected {type(error).__name__}: {error}")
        sys.exit(0)


def _debugging(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    argv = kwargs.get("args") or (args[0] if args else None) or sys.argv[1:]
    return "--debug" in argv or "-v" in argv


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES_HELP,
)
@click.option(
    "--version",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds to wait for each answer [default: 30]; no attempt takes more than twice this"
    " (a retried call makes several, with waits between).",
)
@click.option(
    "--debug",
    "-v",
    is_flag=True,
    help="Log every request and answer line on stderr (never a secret).",
)
@click.option(
    "--profile",
    envvar="BANDWIDTH_APPS_PROFILE",
    help="The profile to use, instead of the active one [env BANDWIDTH_APPS_PROFILE].",
)
@output_options
@click.pass_context
def main(context: click.Context, timeout: float | None, debug: bool, profile: str | None) -> None:
    """Provision Bandwidth Applications on the Dashboard and Catapult APIs, or run the sandbox."""
    context.ensure_object(dict)
    context.meta["profile"] = profile
    context.meta["timeout"] = timeout
    _log_to_stderr(context, debug)


class _Stderr(logging.Handler):
    """Log lines on whatever stderr is when they are written (click's test runner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"{record.name}: {record.getMessage()}", err=True)


_STDERR = _Stderr()
_RETRIES = _RetryStatus()


def _log_to_stderr(context: click.Context, debug: bool) -> None:
    """--debug: every request and answer line (ours, and httpx's where it logs; no secret);
    otherwise only a line while a call is retried. Put back as it was when the command ends
    (a program that runs the CLI in-process keeps its own logging)."""
    loggers = [logging.getLogger("bandwidth_apps"), logging.getLogger("httpx")]
    before = [(logger, logger.level) for logger in loggers]
    added = [(loggers[0], _STDERR), (loggers[1], _STDERR)] if debug else [(loggers[0], _RETRIES)]
    for logger, handler in added:
        logger.addHandler(handler)
    loggers[0].setLevel(logging.DEBUG if debug else logging.INFO)
    if debug:
        loggers[1].setLevel(logging.INFO)

    def restore() -> None:
        for logger, handler in added:
            logger.removeHandler(handler)
        for logger, level in before:
            logger.setLevel(level)

    context.call_on_close(restore)


@main.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell's completion script: eval "$(bandwidth-apps completion bash)"."""
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None
    click.echo(completer(main, {}, "bandwidth-apps", "_BANDWIDTH_APPS_COMPLETE").source())
