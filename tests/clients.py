"""Test helpers: drive the sync and async clients the same way, against scripted answers."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import bandwidth_apps as bw
import httpx

DASHBOARD_URL = "https://dashboard.test/api"
CATAPULT_URL = "https://catapult.test/v1"
PASSWORD = "canary-PASSWORD-7f3a9c"  # searched for wherever a secret could leak


async def _no_async_wait(_: float) -> None:
    return None


ACCESS_TOKEN = "canary-ACCESS-TOKEN-5d1e"  # what the scripted token endpoint issues
TOKEN_PATH = "/api/v1/oauth2/token"


def token_answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, json={"access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 3600}
    )


class Recorder:
    """An httpx.MockTransport handler that answers from a script and keeps every request.

    Token requests (the Dashboard's OAuth 2.0 token endpoint) are answered by `token` and kept
    apart in `token_requests`, so `requests` holds only API calls."""

    def __init__(
        self,
        answer: Callable[[httpx.Request], httpx.Response],
        token: Callable[[httpx.Request], httpx.Response] = token_answer,
    ) -> None:
        self.answer = answer
        self.token = token
        self.requests: list[httpx.Request] = []
        self.token_requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if request.url.path == TOKEN_PATH:
            self.token_requests.append(request)
            return self.token(request)
        self.requests.append(request)
        return self.answer(request)


OPEN_DRIVERS: list[Driver] = []  # closed after each test by conftest


class Driver:
    """Calls a sync or an async client with the same code; lists come back as lists.

    An async client keeps one event loop for its life (its connections belong to it)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._runner = asyncio.Runner()
        OPEN_DRIVERS.append(self)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            if inspect.isawaitable(result):
                return self._runner.run(_awaited(result))
            if hasattr(result, "__aiter__"):
                return self._runner.run(_collected(result))
            if inspect.isgenerator(result):
                return list(result)
            return result

        return call

    def close(self) -> None:
        if hasattr(self.client, "aclose"):
            self._runner.run(self.client.aclose())
        else:
            self.client.close()
        self._runner.close()


async def _awaited(result: Any) -> Any:
    return await result


async def _collected(result: Any) -> list[Any]:
    return [item async for item in result]


def retry_policy(**overrides: Any) -> bw.RetryPolicy:
    return bw.RetryPolicy(**{"sleep": lambda _: None, "async_sleep": _no_async_wait, **overrides})


def dashboard(mode: str, recorder: Recorder, **options: Any) -> Driver:
    options.setdefault("retry", retry_policy())
    cls = bw.AsyncDashboardClient if mode == "async" else bw.DashboardClient
    return Driver(
        cls("9900001", client_id="api-client", client_secret=PASSWORD, base_url=DASHBOARD_URL,
            transport=httpx.MockTransport(recorder), **options)
    )  # fmt: skip


def catapult(mode: str, recorder: Recorder, **options: Any) -> Driver:
    options.setdefault("retry", retry_policy())
    cls = bw.AsyncCatapultClient if mode == "async" else bw.CatapultClient
    return Driver(
        cls("u-abc123", "t-token", PASSWORD, base_url=CATAPULT_URL,
            transport=httpx.MockTransport(recorder), **options)
    )  # fmt: skip


def bearer(url: str, client_id: str, client_secret: str) -> dict[str, str]:
    """An Authorization header with a fresh token from a sandbox (its root URL)."""
    answer = httpx.post(
        f"{url}{TOKEN_PATH}",
        data={"grant_type": "client_credentials"},
        auth=(client_id, client_secret),
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


class FakeClock:
    """A clock that sleeps by moving itself: retry tests wait without waiting."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def policy(self, **overrides: Any) -> bw.RetryPolicy:
        """A retry policy that sleeps and reads the time on this clock."""
        return bw.RetryPolicy(
            sleep=self.sleep, async_sleep=self.async_sleep, clock=self.time, **overrides
        )
