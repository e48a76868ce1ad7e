"""Exit codes by class, as Bandwidth's `band` has them, and one line for every failure.

0  ok
1  general failure (a server error, a malformed answer, no answer)
2  authentication or permission (HTTP 401, 403; refused credentials)
3  not found (HTTP 404)
4  conflict (HTTP 409; an ambiguous --if-not-exists)
5  timeout (no answer in time)
6  usage (a bad flag, file or value: refused before anything was sent)
7  rate limited (HTTP 429)
"""

from __future__ import annotations

import sys
import typing

import click

from .._errors import (
    ApiError,
    AuthenticationError,
    BandwidthError,
    ConflictError,
    MalformedResponseError,
    NotFoundError,
    RateLimitedError,
    TransportError,
    ValidationError,
)

OK, GENERAL, AUTH, NOT_FOUND, CONFLICT, TIMEOUT, USAGE, RATE_LIMITED = range(8)
EXIT_CODES_HELP = (
    "Exit codes: 0 ok, 1 general, 2 authentication, 3 not found, 4 conflict, 5 timeout,"
    " 6 usage, 7 rate limited."
)
_BY_CLASS: list[tuple[type[BaseException], int]] = [
    (ValidationError, USAGE),
    (AuthenticationError, AUTH),
    (NotFoundError, NOT_FOUND),
    (ConflictError, CONFLICT),
    (RateLimitedError, RATE_LIMITED),
    (click.UsageError, USAGE),
]


class Ambiguous(click.ClickException):
    """--if-not-exists found several applications of that name."""

    exit_code = CONFLICT


def exit_code(error: BaseException) -> int:
    for cls, code in _BY_CLASS:
        if isinstance(error, cls):
            return code
    if isinstance(error, TransportError) and (
        "timed out" in str(error) or "deadline" in str(error) or "Timeout" in str(error)
    ):
        return TIMEOUT
    if isinstance(error, click.ClickException):
        return error.exit_code if error.exit_code else GENERAL
    return GENERAL


def hint(error: BaseException) -> str:
    """What to check, for the failures a wrong base URL or login causes, in the settings of the
    platform that failed."""
    url = str(getattr(error, "url", ""))
    catapult = "/users/" in url and "/accounts/" not in url
    where = "--catapult-url or CATAPULT_URL" if catapult else "--api-url or BW_API_URL"
    if isinstance(error, MalformedResponseError) and error.body.lstrip().lower().startswith(
        ("<!doctype html", "<html")
    ):
        return f" (an HTML page answered: check the API URL, {where})"
    if isinstance(error, MalformedResponseError) and error.status == 404:
        return f" (nothing answers there: check the API URL, {where})"
    if isinstance(error, NotFoundError) and error.code is None:
        return f" (no such path here: check the API URL, {where})"
    if isinstance(error, AuthenticationError) and error.status == 401:
        if catapult:
            return " (check the API token and secret, CATAPULT_API_TOKEN and CATAPULT_API_SECRET)"
        if "/oauth2/token" in url:
            return " (check the client id and secret, or run `bandwidth-apps auth status`)"
        return " (check the credential: `bandwidth-apps auth status` shows which one was used)"
    if isinstance(error, TransportError):
        if error.timed_out:
            return " (no answer in time: is the host right? a longer --timeout?)"
        return " (is the host right and reachable?)"
    return ""


def fail(error: BaseException | str, code: int | None = None) -> typing.NoReturn:
    """One line on stderr, and the exit code of the error's class."""
    if isinstance(error, str):
        click.echo(f"error: {error}", err=True)
        sys.exit(GENERAL if code is None else code)
    text = error.format_message() if isinstance(error, click.ClickException) else str(error)
    text = " ".join(text.split())  # one line, whatever a server put in it
    click.echo(f"error: {text}{hint(error)}", err=True)
    sys.exit(exit_code(error) if code is None else code)


def guarded(action: typing.Callable[[], None]) -> None:
    try:
        action()
    except (BandwidthError, ApiError) as error:
        fail(error)
