"""The errors bandwidth_apps raises. Every one is a BandwidthError.

    BandwidthError
    ├── ValidationError          the request breaks the spec or a rule; nothing was sent
    ├── TransportError           no answer: connection failed, reset or timed out
    ├── MalformedResponseError   an answer that is not what the spec says (HTML, truncated, ...)
    └── ApiError                 an error status with a documented body
        ├── AuthenticationError  401, 403: fix the credentials or the permissions
        ├── NotFoundError        404: no such application
        ├── ConflictError        409: the change clashes with the stored state
        ├── RateLimitedError     429: wait until `reset_at`, then retry
        └── ServerError          5xx: retry later

`str()` of each is one line: what failed, the status, the code, the request id. No header,
credential or password is ever part of an error.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

_BODY_EXCERPT = 500
# A password in a body, however it is written: an element (any prefix, attributes or spacing;
# text or CDATA; cut off at the window's edge), an attribute, or a JSON member.
_PASSWORDS = [
    (
        re.compile(
            rb"(<(?:[\w.-]+:)?password\b[^>]*(?:>|\Z))(?:<!\[CDATA\[.*?(?:\]\]>|\Z)|[^<])*",
            re.IGNORECASE | re.DOTALL,
        ),
        rb"\1[secure]",
    ),
    (re.compile(rb"(password\s*=\s*)(?:\"[^\"]*\"?|'[^']*'?)", re.IGNORECASE), rb'\1"[secure]"'),
    (re.compile(rb'("password"\s*:\s*)"(?:[^"\\]|\\.)*"?', re.IGNORECASE), rb'\1"[secure]"'),
]


_MASKED_LENGTH = 4  # the shortest secret masked in a server's text


def masked(text: str, secrets: Sequence[str]) -> str:
    """The text with every secret in it replaced by `[secure]`, in one pass (a replacement is
    never masked again). A secret of a few characters (a test's) is left: it would garble
    every word it is found in."""
    kept = sorted({s for s in secrets if len(s) >= _MASKED_LENGTH}, key=len, reverse=True)
    if not kept:
        return text
    return re.sub("|".join(map(re.escape, kept)), "[secure]", text)


def excerpt(body: bytes, secrets: Sequence[str] = ()) -> str:
    """The start of a body, for humans: passwords and the secrets the request carried masked
    before it is cut (so no secret survives in part at the edge), never raw bytes."""
    window = body[: _BODY_EXCERPT * 4]
    for pattern, replacement in _PASSWORDS:
        window = pattern.sub(replacement, window)
    text = masked(window.decode("utf-8", errors="replace"), secrets)
    if len(text) > _BODY_EXCERPT:
        return text[:_BODY_EXCERPT] + "…"
    return text + "…" if len(body) > len(window) else text  # cut as bytes (wide characters)


_SENT_PASSWORD = re.compile(rb"<Password>([^<]*)</Password>")


def sent_secrets(request: Any) -> tuple[str, ...]:
    """What a request carried that an answer must never show: the Authorization value (and a
    Basic login's password), and every callback password of its body, raw and XML-escaped."""
    import html  # imported when an error is shown, not by `import bandwidth_apps`

    found = []
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if value:
        found.append(value)
        if scheme.lower() == "basic":
            with contextlib.suppress(ValueError, UnicodeDecodeError):
                found.append(base64.b64decode(value).decode().partition(":")[2])
    for escaped in _SENT_PASSWORD.findall(request.content):
        text = escaped.decode("utf-8", errors="replace")
        found += [text, html.unescape(text)]
    return tuple(sorted({s for s in found if s}, key=len, reverse=True))


class BandwidthError(Exception):
    """Base of every error this package raises."""


@dataclass(frozen=True)
class Violation:
    """One broken rule: where (a field path such as `Application/AppName`) and which rule."""

    field: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message} [{self.rule}]"


MAX_VIOLATIONS = 20  # listed in full; the rest are counted


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`; did you mean 'X'?` for the known name nearest a misspelled one, or nothing."""
    import difflib  # only for a misspelled name

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if not close:
        lowered = {k.lower(): k for k in known}
        close = [lowered[name.lower()]] if name.lower() in lowered else []
    return f"; did you mean {close[0]!r}?" if close else ""


def bounded(violations: Iterable[Violation], limit: int = MAX_VIOLATIONS) -> list[Violation]:
    """The first `limit` violations, and one more that counts the rest: however broken a body
    is, the work and the report stay small."""
    listed: list[Violation] = []
    rest = 0
    for violation in violations:
        if len(listed) < limit:
            listed.append(violation)
        else:
            rest += 1
    if rest:
        listed.append(Violation("(body)", "too-many", f"and {rest} more problems, not listed"))
    return listed


class ValidationError(BandwidthError):
    """The request breaks the spec or a rule of rules.py. Nothing was sent."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = tuple(violations)
        super().__init__(self.violations)

    def __str__(self) -> str:
        count = len(self.violations)
        listed = "; ".join(str(v) for v in self.violations)
        return f"{count} problem{'s' if count != 1 else ''} in the request, nothing sent: {listed}"

    def __repr__(self) -> str:
        return f"ValidationError({list(self.violations)!r})"


class TransportError(BandwidthError):
    """No answer arrived. `request_sent` is False only when the request surely never left."""

    def __init__(
        self, message: str, *, method: str, url: str, request_sent: bool, timed_out: bool = False
    ) -> None:
        self.method = method
        self.url = url
        self.request_sent = request_sent
        self.timed_out = timed_out  # no answer in time (rather than a refused or broken link)
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.method} {self.url}: no answer ({self.args[0]})"


@dataclass(frozen=True)
class Answer:
    """What an error keeps of an HTTP exchange: never a header, never a credential."""

    method: str
    url: str
    status: int
    body: bytes = b""
    request_id: str | None = None
    # The request answered (an httpx.Request), if any: what it carried must never be shown.
    request: Any = field(default=None, repr=False, compare=False)
    # The client's own credentials (a client secret, a password, the token held): never shown.
    known: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @functools.cached_property
    def secrets(self) -> tuple[str, ...]:
        """The request's credentials and callback passwords, and the client's: masked wherever
        the answer's text reaches an error (worked out only then)."""
        sent = () if self.request is None else sent_secrets(self.request)
        return (*sent, *self.known)  # masked() orders them, longest first


class _ResponseError(BandwidthError):
    """Shared shape of the errors that carry an HTTP answer.

    `request_sent` is False when the answer came from the token endpoint, before the API call
    itself was sent (so even a create may be retried)."""

    def __init__(self, answer: Answer, *, request_sent: bool = True) -> None:
        self.method = answer.method
        self.url = answer.url
        self.status = answer.status
        # A request id is the server's text too: a hostile one may echo a credential in it.
        self.request_id = (
            None if answer.request_id is None else masked(answer.request_id, answer.secrets)
        )
        self.body = excerpt(answer.body, answer.secrets)
        self.request_sent = request_sent
        super().__init__(answer.status)

    def _where(self) -> str:
        suffix = f" (request id {self.request_id})" if self.request_id else ""
        return f"{self.method} {self.url} -> HTTP {self.status}{suffix}"

    @staticmethod
    def _line(text: str) -> str:
        """A server's words on one line (they may span several)."""
        return " ".join(text.split())


class MalformedResponseError(_ResponseError):
    """The answer is not what the spec says: not parseable, wrong root, types or fields."""

    def __init__(self, answer: Answer, reason: str, *, request_sent: bool = True) -> None:
        self.reason = masked(reason, answer.secrets)
        super().__init__(answer, request_sent=request_sent)

    def __str__(self) -> str:
        return self._line(f"{self._where()}: malformed answer: {self.reason}")

    def __repr__(self) -> str:
        return f"MalformedResponseError(status={self.status}, reason={self.reason!r})"


class ApiError(_ResponseError):
    """The API answered with an error status."""

    # Seconds the server asked us to wait (`Retry-After`), when it said.
    retry_after: float | None = None

    def __init__(
        self,
        answer: Answer,
        *,
        code: str | None = None,
        description: str | None = None,
        errors: Sequence[tuple[str | None, str]] = (),
        request_sent: bool = True,
    ) -> None:
        self.code = None if code is None else masked(code, answer.secrets)
        self.description = None if description is None else masked(description, answer.secrets)
        # Every (code, description) pair when the API reported several at once.
        self.errors = tuple(
            (None if c is None else masked(c, answer.secrets), masked(d, answer.secrets))
            for c, d in errors
        )
        super().__init__(answer, request_sent=request_sent)

    def __str__(self) -> str:
        code = f" code {self.code}:" if self.code else ""
        description = self.description or "no description"
        more = f" (+{len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        return self._line(f"{self._where()}:{code} {description}{more}")

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status}, code={self.code!r}, "
            f"description={self.description!r}, request_id={self.request_id!r})"
        )


class AuthenticationError(ApiError):
    """401 or 403: the credentials are wrong or may not do this."""


class NotFoundError(ApiError):
    """404: no such application (or account / user)."""


class ConflictError(ApiError):
    """409: the change clashes with the stored state (a Location still uses the application)."""


class RateLimitedError(ApiError):
    """429: too many requests. `reset_at` (epoch seconds) says when to try again, if known."""

    reset_at: float | None = None


class ServerError(ApiError):
    """5xx: the server failed; retrying later may succeed."""


_STATUS_CLASSES: dict[int, type[ApiError]] = {
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitedError,
}


def error_class(status: int) -> type[ApiError]:
    """The one table from status to error class (any 5xx is a ServerError)."""
    if status >= 500:
        return ServerError
    return _STATUS_CLASSES.get(status, ApiError)


def user_stacklevel() -> int:
    """For `warnings.warn` in the function that calls this: the stacklevel of the first frame
    outside this package, so a warning names the caller's line however deep our own calls go
    (or whatever wraps them: a tracer's or a mutation tool's trampolines)."""
    frame = sys._getframe(1)
    level = 1
    while (
        frame.f_back is not None
        and frame.f_globals.get("__name__", "").partition(".")[0] == (__name__.partition(".")[0])
    ):
        frame = frame.f_back
        level += 1
    return level
