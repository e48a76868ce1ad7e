"""The project's benchmark (scripts/bench): ratios measured side by side in one run, each printed
beside its target with PASS or FAIL, and written to bench-results.json.

- per call, sync: our clients against raw httpx sending the same bytes, and http.client, on a
  minimal stub server in its own process (scripts/_stub.py);
- async bulk: creates at concurrency 1, 16 and 64 against the sync client's sequential rate,
  on the stub and on the sandbox;
- codecs: the Dashboard's against lxml (parse, XSD, write), Catapult's against json;
- start-up: `import bandwidth_apps` and `bandwidth-apps --version` against `import httpx`, in
  this (dev) environment and in one with only the runtime dependencies;
- the sandbox under wrk: requests a second and p50 / p99 latency at concurrency 1, 16 and 64.

Rounds interleave the contenders (the machine is noisy); a figure is the median of the rounds,
with the spread (lowest to highest round) beside it. `--quick` is a smoke run (a test runs it).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
VOICE_ID = "d775585a-ed5b-4a49-8b96-f68c0a993ebe"
RESULTS: dict[str, Any] = {}
VERDICTS: list[tuple[str, str, str, bool]] = []


def say(text: str) -> None:
    print(text, flush=True)


def verdict(
    name: str, measured: float, target: float, higher_is_better: bool, unit: str = "x"
) -> None:
    ok = measured >= target if higher_is_better else measured <= target
    sign = ">=" if higher_is_better else "<="
    VERDICTS.append((name, f"{measured:.2f}{unit}", f"{sign} {target:g}{unit}", ok))
    RESULTS.setdefault("verdicts", {})[name] = {
        "measured": round(measured, 3),
        "target": f"{sign} {target:g}{unit}",
        "pass": ok,
    }
    verdict = "PASS" if ok else "FAIL"
    say(f"  {verdict}  {name}: {measured:.2f}{unit} (target {sign} {target:g}{unit})")


def interleaved(
    contenders: dict[str, Callable[[], object]], rounds: int, calls: int
) -> dict[str, tuple[float, float, float]]:
    """Seconds per call of each contender: (median, lowest, highest) over the rounds."""
    for function in contenders.values():
        for _ in range(max(10, calls // 5)):
            function()  # warm-up: connections, caches, a token
    times: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for _ in range(rounds):
        random.shuffle(names)
        for name in names:
            function = contenders[name]
            started = time.perf_counter()
            for _ in range(calls):
                function()
            times[name].append((time.perf_counter() - started) / calls)
    return {name: (statistics.median(t), min(t), max(t)) for name, t in times.items()}


def start(command: list[str], pattern: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    for _ in range(20):
        line = process.stdout.readline()
        match = re.search(pattern, line)
        if match:
            # Keep reading what it prints: a full pipe would stall it mid-measurement.
            threading.Thread(target=drain, args=(process.stdout,), daemon=True).start()
            return process, match.group(1)
    process.kill()
    raise SystemExit(f"bench: {command[0]} did not start")


def drain(stream: IO[str]) -> None:
    with stream:
        for _ in stream:
            pass


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=10)


# ---- per call, sync ----


def per_call(rounds: int, calls: int) -> None:
    import bandwidth_apps as bw
    import httpx

    say(
        "\n== per call, sync, on a stub server (microseconds a call: median [lowest-highest round])"
    )
    stub, port = start([sys.executable, str(ROOT / "scripts" / "_stub.py")], r"^(\d+)$")
    base = f"http://127.0.0.1:{port}"
    try:
        dashboard = bw.DashboardClient(
            "1", client_id="i", client_secret="s", base_url=f"{base}/api"
        )
        catapult = bw.CatapultClient("u-1", "t", "s", base_url=f"{base}/v1")
        application = bw.Application(
            service_type=bw.ServiceType.VOICE_V2,
            app_name="Production Server",
            call_initiated_callback_url="https://yourSecureSite.com/callbacks/voice",
        )
        from bandwidth_apps._dashboard import encode_application

        xml_body = encode_application(application, "create")
        json_body = json.dumps(
            {"name": "bench", "incomingCallUrl": "https://e.com/c"}, separators=(",", ":")
        ).encode()
        raw = httpx.Client()
        dash_headers = {"Authorization": "Bearer abc.def.ghi", "Accept": "application/xml"}
        xml_headers = {**dash_headers, "Content-Type": "application/xml; charset=utf-8"}
        cat_headers = {"Authorization": "Basic dDpz", "Accept": "application/json"}
        json_headers = {**cat_headers, "Content-Type": "application/json"}
        connection = http.client.HTTPConnection("127.0.0.1", int(port))

        def plain(method: str, path: str, body: bytes | None, headers: dict[str, str]) -> bytes:
            connection.request(method, path, body=body, headers=headers)
            return connection.getresponse().read()

        operations = {
            "Dashboard create": (
                lambda: dashboard.create(application),
                lambda: (
                    raw.post(
                        f"{base}/api/accounts/1/applications", content=xml_body, headers=xml_headers
                    ).content
                ),
                lambda: plain("POST", "/api/accounts/1/applications", xml_body, xml_headers),
            ),
            "Dashboard get": (
                lambda: dashboard.get(VOICE_ID),
                lambda: (
                    raw.get(
                        f"{base}/api/accounts/1/applications/{VOICE_ID}", headers=dash_headers
                    ).content
                ),
                lambda: plain(
                    "GET", f"/api/accounts/1/applications/{VOICE_ID}", None, dash_headers
                ),
            ),
            "Catapult create": (
                lambda: catapult.create(
                    bw.CatapultApplicationCreate(name="bench", incoming_call_url="https://e.com/c")
                ),
                lambda: (
                    raw.post(
                        f"{base}/v1/users/u-1/applications", content=json_body, headers=json_headers
                    ).content
                ),
                lambda: plain("POST", "/v1/users/u-1/applications", json_body, json_headers),
            ),
            "Catapult get": (
                lambda: catapult.get("a-1"),
                lambda: (
                    raw.get(f"{base}/v1/users/u-1/applications/a-1", headers=cat_headers).content
                ),
                lambda: plain("GET", "/v1/users/u-1/applications/a-1", None, cat_headers),
            ),
        }
        for name, (ours, raw_httpx, stdlib) in operations.items():
            figures = interleaved(
                {"ours": ours, "raw httpx": raw_httpx, "http.client": stdlib}, rounds, calls
            )
            shown = "  ".join(
                f"{k} {v[0] * 1e6:.0f} [{v[1] * 1e6:.0f}-{v[2] * 1e6:.0f}]"
                for k, v in figures.items()
            )
            say(f"  {name}: {shown}")
            RESULTS.setdefault("per_call_us", {})[name] = {
                k: round(v[0] * 1e6, 1) for k, v in figures.items()
            }
            verdict(
                f"{name} / raw httpx", figures["ours"][0] / figures["raw httpx"][0], 1.25, False
            )
        dashboard.close()
        catapult.close()
        raw.close()
        connection.close()
    finally:
        stop(stub)


# ---- async bulk ----


def bulk(
    base: str, account: str, login: dict[str, str], creates: int, label: str, target: float
) -> None:
    import bandwidth_apps as bw

    application = bw.Application(
        service_type=bw.ServiceType.VOICE_V2,
        app_name="bulk",
        call_initiated_callback_url="https://e.com/v",
    )
    with bw.DashboardClient(account, **login, base_url=f"{base}/api") as client:
        client.create(application)  # warm-up: a connection and a token
        started = time.perf_counter()
        for _ in range(creates):
            client.create(application)
        sync_rate = creates / (time.perf_counter() - started)

    async def run(concurrency: int) -> float:
        async with bw.AsyncDashboardClient(account, **login, base_url=f"{base}/api") as client:
            await client.create(application)
            queue = iter(range(creates))

            async def worker() -> None:
                for _ in queue:
                    await client.create(application)

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            return creates / (time.perf_counter() - started)

    rates = {c: asyncio.run(run(c)) for c in (1, 16, 64)}
    say(
        f"  {label}: sync {sync_rate:.0f}/s; async "
        + ", ".join(f"c{c} {r:.0f}/s ({r / sync_rate:.2f}x)" for c, r in rates.items())
    )
    RESULTS.setdefault("bulk_creates_per_s", {})[label] = {
        "sync": round(sync_rate),
        **{f"async c{c}": round(r) for c, r in rates.items()},
    }
    verdict(f"async bulk c16 / sync, {label}", rates[16] / sync_rate, target, True)


def async_bulk(creates: int) -> None:
    say(f"\n== async bulk: {creates} creates")
    stub, port = start([sys.executable, str(ROOT / "scripts" / "_stub.py")], r"^(\d+)$")
    try:
        bulk(
            f"http://127.0.0.1:{port}",
            "1",
            {"client_id": "i", "client_secret": "s"},
            creates,
            "stub",
            3.0,
        )
    finally:
        stop(stub)
    sandbox, url = start(sandbox_command(), r"on (http://127\.0\.0\.1:\d+)")
    try:
        bulk(
            url,
            "9900001",
            {"client_id": "sandbox-client", "client_secret": "sandbox-client-secret"},
            creates,
            "sandbox",
            2.0,
        )
    finally:
        stop(sandbox)


def sandbox_command() -> list[str]:
    cli = str(Path(sys.executable).parent / "bandwidth-apps")
    return [cli, "sandbox", "--port", "0", "--memory", "--log-level", "warning"]


# ---- codecs ----


def codecs(rounds: int, calls: int) -> None:
    import bandwidth_apps as bw
    from bandwidth_apps import _xml
    from bandwidth_apps._catapult import _read_application, encode_body
    from bandwidth_apps._dashboard import encode_application, read_document
    from bandwidth_apps._errors import Answer
    from bandwidth_apps._specs import dashboard_schema
    from bandwidth_apps_catapult.api.applications import create_application
    from bandwidth_apps_dashboard import ApplicationProvisioningResponse
    from lxml import etree

    say("\n== codecs (microseconds an operation)")
    request = (ROOT / "specs/examples/dashboard/doc-messaging-create-request.xml").read_bytes()
    answer = (ROOT / "specs/examples/dashboard/doc-messaging-create-response.xml").read_bytes()
    application = _xml.from_tree(_xml.parse_document(request), bw.Application)
    schema = dashboard_schema()
    parser = _xml.strict_parser()

    def lxml_write() -> bytes:
        root = etree.fromstring(request, parser)
        schema.validate(root)
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

    def lxml_read() -> bool:
        return bool(schema.validate(etree.fromstring(answer, parser)))

    answered = Answer("GET", "x", 200, answer)
    figures = interleaved(
        {
            "ours: write": lambda: encode_application(application, "create"),
            "lxml: parse, validate, write": lxml_write,
            "ours: read": lambda: read_document(answered, ApplicationProvisioningResponse),
            "lxml: parse, validate": lxml_read,
        },
        rounds,
        calls,
    )
    for name, value in figures.items():
        say(f"  {name}: {value[0] * 1e6:.1f} [{value[1] * 1e6:.1f}-{value[2] * 1e6:.1f}]")
    RESULTS["codec_us"] = {k: round(v[0] * 1e6, 1) for k, v in figures.items()}
    verdict(
        "Dashboard codec write / lxml",
        figures["ours: write"][0] / figures["lxml: parse, validate, write"][0],
        4.0,
        False,
    )
    verdict(
        "Dashboard codec read / lxml",
        figures["ours: read"][0] / figures["lxml: parse, validate"][0],
        4.0,
        False,
    )

    model = bw.CatapultApplicationCreate(
        name="bench", incoming_call_url="https://e.com/c", incoming_message_url="https://e.com/m"
    )
    plain = {
        "name": "bench",
        "incomingCallUrl": "https://e.com/c",
        "incomingMessageUrl": "https://e.com/m",
    }
    text = json.dumps({"id": "a-1", **plain}).encode()

    class Stub:
        is_success = True

    def ours_write() -> bytes:
        body = encode_body(
            "ApplicationCreate", create_application._get_kwargs("u-1", body=model), "create"
        )
        return json.dumps(body, separators=(",", ":")).encode()

    figures = interleaved(
        {
            "ours: validate, write": ours_write,
            "json.dumps": lambda: json.dumps(model.to_dict(), separators=(",", ":")).encode(),
            "ours: read, validate": lambda: _read_application(
                Stub(), Answer("GET", "x", 200, text)
            ),  # type: ignore[arg-type]
            "json.loads": lambda: json.loads(text),
        },
        rounds,
        calls,
    )
    for name, value in figures.items():
        say(f"  {name}: {value[0] * 1e6:.1f} [{value[1] * 1e6:.1f}-{value[2] * 1e6:.1f}]")
    RESULTS["catapult_codec_us"] = {k: round(v[0] * 1e6, 1) for k, v in figures.items()}
    ours = figures["ours: validate, write"][0] + figures["ours: read, validate"][0]
    baseline = figures["json.dumps"][0] + figures["json.loads"][0]
    verdict("Catapult validation and (de)serialization / json", ours / baseline, 5.0, False)


# ---- start-up ----


def timed(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def startup(python: str, label: str, runs: int) -> None:
    cli = str(Path(python).parent / "bandwidth-apps")
    figures = {}
    for _ in range(2):  # interleaved, twice
        figures.setdefault("httpx", []).append(timed([python, "-c", "import httpx"], runs))
        figures.setdefault("bandwidth_apps", []).append(
            timed([python, "-c", "import bandwidth_apps"], runs)
        )
        # what a program pays before its first call: the names resolve lazily (PEP 562)
        figures.setdefault("first_use", []).append(
            timed([python, "-c", "from bandwidth_apps import DashboardClient, Application"], runs)
        )
        figures.setdefault("cli", []).append(timed([cli, "--version"], runs))
    median = {k: statistics.median(v) for k, v in figures.items()}
    ms = {k: f"{v * 1e3:.0f} ms" for k, v in median.items()}
    say(
        f"  {label}: import httpx {ms['httpx']}, import bandwidth_apps {ms['bandwidth_apps']},"
        f" from bandwidth_apps import DashboardClient {ms['first_use']},"
        f" bandwidth-apps --version {ms['cli']}"
    )
    RESULTS.setdefault("startup_ms", {})[label] = {k: round(v * 1e3, 1) for k, v in median.items()}
    verdict(
        f"import bandwidth_apps / import httpx ({label})",
        median["bandwidth_apps"] / median["httpx"],
        1.3,
        False,
    )
    verdict(
        f"from bandwidth_apps import DashboardClient / import httpx ({label})",
        median["first_use"] / median["httpx"],
        1.3,
        False,
    )
    verdict(
        f"bandwidth-apps --version / import httpx ({label})",
        median["cli"] / median["httpx"],
        1.6,
        False,
    )


def runtime_environment() -> str | None:
    """A venv with the package and only its runtime dependencies (uv, from its cache)."""
    uv = ROOT / ".tools" / "bin" / "uv"
    target = ROOT / ".bench" / "runtime"
    python = target / "bin" / "python"
    if not python.exists():
        try:
            subprocess.run(
                [str(uv), "venv", "--quiet", "--python", sys.executable, str(target)], check=True
            )
            subprocess.run(
                [str(uv), "pip", "install", "--quiet", "--python", str(python), str(ROOT)],
                check=True,
            )
        except (subprocess.CalledProcessError, FileNotFoundError):
            shutil.rmtree(target, ignore_errors=True)
            return None
    else:  # the package may have changed since: reinstall it, not its dependencies
        subprocess.run(
            [
                str(uv),
                "pip",
                "install",
                "--quiet",
                "--reinstall-package",
                "bandwidth-apps",
                "--python",
                str(python),
                str(ROOT),
            ],
            check=True,
        )
    return str(python)


def startups(runs: int) -> None:
    say(f"\n== start-up (median of {runs} runs, twice, interleaved)")
    startup(sys.executable, "dev environment", runs)
    runtime = runtime_environment()
    if runtime is None:
        say("  runtime-only environment: SKIPPED (could not be made)")
    else:
        startup(runtime, "runtime-only environment", runs)


# ---- the sandbox under load ----

WRK_POST = """wrk.method = "POST"
wrk.body = [[{body}]]
wrk.headers["Content-Type"] = "application/xml"
wrk.headers["Authorization"] = "Bearer {token}"
"""
WRK_GET = """wrk.headers["Authorization"] = "Bearer {token}"
"""


def wrk_run(url: str, script: str, connections: int, seconds: int) -> tuple[float, float, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        threads = "1" if connections == 1 else "2"
        command = ["wrk", "-t", threads, "-c", str(connections), "-d", f"{seconds}s"]
        command += ["--latency", "-s", lua.name, url]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(lua.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def latency(percentile: str) -> float:
        found = re.search(rf"\s{percentile}%\s+([\d.]+)(us|ms|s)", out)
        assert found, out
        value, unit = found.groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return rate, latency("50"), latency("99")


def sandbox_load(seconds: int) -> None:
    import httpx

    say(f"\n== the sandbox under wrk ({seconds} s each: requests a second, p50 / p99 ms)")
    if shutil.which("wrk") is None:
        say("  SKIPPED: wrk is not installed (apt-get install wrk; scripts/bench installs it)")
        RESULTS["sandbox"] = "skipped: no wrk"
        return
    sandbox, url = start(sandbox_command(), r"on (http://127\.0\.0\.1:\d+)")
    try:
        token = httpx.post(
            f"{url}/api/v1/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-client", "sandbox-client-secret"),
        ).json()["access_token"]
        body = (
            ROOT / "specs/examples/dashboard/doc-voice-create-request-corrected.xml"
        ).read_text()
        created = httpx.post(
            f"{url}/api/accounts/9900001/applications",
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/xml"},
        )
        item = created.headers["location"]
        results: dict[str, Any] = {}
        for name, target_url, script, target in (
            (
                "Dashboard create",
                f"{url}/api/accounts/9900001/applications",
                WRK_POST.format(body=body.replace("\n", ""), token=token),
                1200,
            ),
            ("Dashboard get", item, WRK_GET.format(token=token), 1800),
        ):
            for connections in (1, 16, 64):
                rate, p50, p99 = wrk_run(target_url, script, connections, seconds)
                say(f"  {name} c{connections}: {rate:.0f}/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms")
                results[f"{name} c{connections}"] = {
                    "per_s": round(rate),
                    "p50_ms": p50,
                    "p99_ms": p99,
                }
                if connections == 16:
                    verdict(f"sandbox {name} c16 (requests a second)", rate, target, True, unit="")
        RESULTS["sandbox"] = results
    finally:
        stop(sandbox)


def ensure_wrk() -> None:
    if shutil.which("wrk") is None and os.geteuid() == 0 and shutil.which("apt-get"):
        say("bench: installing wrk from Debian's packages")
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: few rounds, short loads, no install"
    )
    parser.add_argument("--output", default=str(ROOT / "bench-results.json"))
    args = parser.parse_args()
    rounds, calls = (3, 20) if args.quick else (9, 150)
    if not args.quick:
        ensure_wrk()
    started = time.perf_counter()
    per_call(rounds, calls)
    async_bulk(100 if args.quick else 1000)
    codecs(rounds, calls * 4)
    startups(3 if args.quick else 10)
    sandbox_load(1 if args.quick else 5)
    RESULTS["seconds"] = round(time.perf_counter() - started)
    say("\n== targets")
    for name, measured, target, ok in VERDICTS:
        say(f"  {'PASS' if ok else 'FAIL'}  {name}: {measured} (target {target})")
    Path(args.output).write_text(json.dumps(RESULTS, indent=2) + "\n")
    met = sum(ok for *_, ok in VERDICTS)
    say(f"\nbench: {met} of {len(VERDICTS)} targets met, {RESULTS['seconds']} s; {args.output}")


if __name__ == "__main__":
    main()
