"""Cost of a client call against raw httpx, side by side in one run, on the local sandbox.

Each round times the same GET through raw httpx (auth, status check, body read) and through
the client (which also validates the answer against the spec and binds it to the generated
model). Rounds alternate so machine noise hits both alike; the ratio of medians is reported.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import bandwidth_apps as bw
import httpx
from bandwidth_apps.sandbox import Sandbox


def per_call(function: Callable[[], object], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - started) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=100, help="calls per round and contender")
    args = parser.parse_args()
    with Sandbox() as sandbox:
        account = sandbox.logins.clients[0].accounts[0]
        c_auth = (sandbox.catapult.username, sandbox.catapult.password)
        token = httpx.post(
            f"{sandbox.url}/api/v1/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=tuple(sandbox.client_login.values()),  # type: ignore[arg-type]
        ).json()["access_token"]
        d_headers = {"Authorization": f"Bearer {token}"}
        with (
            httpx.Client() as raw,
            bw.DashboardClient(
                account, **sandbox.client_login, base_url=sandbox.dashboard_url
            ) as dashboard,
            bw.CatapultClient("u-bench", *c_auth, base_url=sandbox.catapult_url) as catapult,
        ):
            voice = dashboard.create(
                bw.Application(
                    service_type=bw.ServiceType.VOICE_V2,
                    app_name="bench",
                    call_initiated_callback_url="https://example.com/voice",
                )
            )
            legacy = catapult.create(
                bw.CatapultApplicationCreate(name="bench", incoming_call_url="https://e.com/c")
            )
            d_url = (
                f"{sandbox.dashboard_url}/accounts/{account}/applications/{voice.application_id}"
            )
            c_url = f"{sandbox.catapult_url}/users/u-bench/applications/{legacy.id}"
            contenders: dict[str, Callable[[], object]] = {
                "raw httpx GET (Dashboard)": lambda: (
                    raw.get(d_url, headers=d_headers).raise_for_status().content
                ),
                "DashboardClient.get": lambda: dashboard.get(voice.application_id),
                "raw httpx GET (Catapult)": lambda: (
                    raw.get(c_url, auth=c_auth).raise_for_status().content
                ),
                "CatapultClient.get": lambda: catapult.get(legacy.id),
            }
            samples: dict[str, list[float]] = {name: [] for name in contenders}
            for _ in range(args.rounds):
                for name, function in contenders.items():
                    samples[name].append(per_call(function, args.calls))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, value in medians.items():
        print(f"{name:<28} {value * 1e6:8.0f} us per call (median of {args.rounds} rounds)")
    for client, raw_name in (
        ("DashboardClient.get", "raw httpx GET (Dashboard)"),
        ("CatapultClient.get", "raw httpx GET (Catapult)"),
    ):
        print(f"ratio {client} / raw httpx: {medians[client] / medians[raw_name]:.2f}")


if __name__ == "__main__":
    main()
