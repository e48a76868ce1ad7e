"""The standing reliability suite (RELIABILITY.md): generated bad input and hostile answers,
faults and retries on a fake clock, concurrency and `kill -9` on the sandbox, bounded memory and
time against hostile peers, and one canary for each secret.

`scripts/test` runs a deterministic slice; `scripts/test --slow` (BANDWIDTH_APPS_SLOW=1) runs
the full counts, at least 10,000 generated cases per platform, and writes the figures to
`reliability-figures.json`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

import bandwidth_apps as bw
import httpx
import pytest
from bandwidth_apps.sandbox import ClientCredential, Credentials, Logins, Sandbox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.clients import Recorder, bearer, catapult, dashboard
from tests.conftest import EXAMPLES, ROOT
from tests.hostile import HostileServer, head, token_or

SLOW = os.environ.get("BANDWIDTH_APPS_SLOW") == "1"
CASES = 10_000 if SLOW else 250  # generated cases per platform and property
FIGURES: dict[str, Any] = {"mode": "full" if SLOW else "slice"}

slice_settings = settings(
    max_examples=CASES,
    deadline=None,
    database=None,
    derandomize=not SLOW,  # the CI slice is the same every run; the full run explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    if SLOW:
        (ROOT / "reliability-figures.json").write_text(json.dumps(FIGURES, indent=2) + "\n")
    print("\nreliability figures:", json.dumps(FIGURES, indent=1))


def count(name: str, n: int = 1) -> None:
    FIGURES[name] = FIGURES.get(name, 0) + n


# ---- hostile strings and ids ----

any_character = st.characters(codec=None, categories=None)  # surrogates and controls included
nasty_strings = st.one_of(
    st.text(any_character, max_size=40),
    st.sampled_from(
        [
            "..",
            ".",
            "/",
            "%2e%2e",
            "a/../b",
            "\n",
            "x\n",
            "\x00",
            "\ud800",
            "\ufffe",
            "]]>",
            "<!--",
            "&amp;",
            "' OR 1=1 --",
            "${jndi:x}",
        ]
    ),
    st.integers(1, 70_000).map(lambda n: "x" * n),
)
DASHBOARD_STRING_FIELDS = [
    "app_name",
    "inbound_callback_url",
    "outbound_callback_url",
    "call_initiated_callback_url",
    "call_status_callback_url",
    "call_initiated_fallback_url",
]
CATAPULT_STRING_FIELDS = [
    "name",
    "incoming_call_url",
    "incoming_call_fallback_url",
    "incoming_message_url",
    "incoming_message_fallback_url",
    "callback_http_method",
]
CREATED = (EXAMPLES / "dashboard/doc-voice-create-response-corrected.xml").read_bytes()


def violations_are_named(error: bw.ValidationError, *, one_value_a_path: bool = False) -> None:
    assert error.violations
    for violation in error.violations:
        assert violation.field and violation.rule and violation.message
    if one_value_a_path:  # JSON: a path names one value, so one problem is reported once
        named = [(violation.field, violation.rule) for violation in error.violations]
        assert len(named) == len(set(named)), named


@pytest.mark.timeout(3600 if SLOW else 300)
def test_bad_input_to_the_dashboard_client_is_refused_with_nothing_sent() -> None:
    ran: list[int] = []

    @slice_settings
    @given(
        st.sampled_from(DASHBOARD_STRING_FIELDS),
        nasty_strings,
        nasty_strings,
        st.sampled_from(["sync", "async"]),
    )
    def check(field: str, value: str, an_id: str, mode: str) -> None:
        ran.append(1)
        recorder = Recorder(lambda r: httpx.Response(201, content=CREATED))
        client = dashboard(mode, recorder)
        application = bw.Application(
            service_type=bw.ServiceType.VOICE_V2,
            app_name="n",
            call_initiated_callback_url="https://e.com/v",
        )
        setattr(application, field, value)
        try:
            client.create(application)
        except bw.ValidationError as error:
            violations_are_named(error)
            assert recorder.requests == []
        else:  # accepted: what was sent is that very value, and valid
            sent = recorder.requests[0].content
            assert sent.startswith(b"<?xml") and len(recorder.requests) == 1
        recorder.requests.clear()
        try:
            client.delete(an_id)
        except bw.ValidationError as error:
            violations_are_named(error)
            assert recorder.requests == []
        except bw.BandwidthError:
            (request,) = recorder.requests  # it went out, and only to its own resource
            assert request.url.raw_path.decode() == f"/api/accounts/9900001/applications/{an_id}"

    check()
    count("bad input cases (Dashboard)", len(ran))
    assert len(ran) >= CASES  # an absolute minimum, whatever the Hypothesis profile


@pytest.mark.timeout(3600 if SLOW else 300)
def test_bad_input_to_the_catapult_client_is_refused_with_nothing_sent() -> None:
    ran: list[int] = []

    @slice_settings
    @given(
        st.sampled_from(CATAPULT_STRING_FIELDS),
        nasty_strings,
        nasty_strings,
        st.sampled_from(["sync", "async"]),
    )
    def check(field: str, value: str, an_id: str, mode: str) -> None:
        ran.append(1)
        recorder = Recorder(
            lambda r: httpx.Response(
                201, headers={"Location": "/v1/users/u-abc123/applications/a-1"}
            )
        )
        client = catapult(mode, recorder)
        values: dict[str, Any] = {"name": "n", "incoming_call_url": "https://e.com/c", field: value}
        try:
            client.create(bw.CatapultApplicationCreate(**values))
        except bw.ValidationError as error:
            violations_are_named(error, one_value_a_path=True)
            assert recorder.requests == []
        recorder.requests.clear()
        try:
            client.get(an_id)
        except bw.ValidationError as error:
            violations_are_named(error)
            assert recorder.requests == []
        except bw.BandwidthError:
            (request,) = recorder.requests
            assert request.url.raw_path.decode() == f"/v1/users/u-abc123/applications/{an_id}"

    check()
    count("bad input cases (Catapult)", len(ran))
    assert len(ran) >= CASES


# ---- hostile answers ----

VALID_ANSWERS = [
    p.read_bytes() for p in sorted((EXAMPLES / "dashboard").glob("*response*.xml"))
] + [p.read_bytes() for p in sorted((EXAMPLES / "catapult").glob("*response*.json"))]
ATTACKS = [
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><ApplicationProvisioningResponse>&x;</ApplicationProvisioningResponse>',
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x "y">]><r/>'.encode("utf-16"),
    b"<a>" * 100_000,
    b"[" * 100_000,
    b"\xff\xfe\x00",
]


@st.composite
def hostile_answer(draw: st.DrawFn) -> httpx.Response:
    base = draw(st.sampled_from(VALID_ANSWERS + ATTACKS))
    mutation = draw(st.sampled_from(["none", "truncate", "flip", "insert"]))
    body = bytearray(base)
    if body and mutation == "truncate":
        body = body[: draw(st.integers(0, len(body)))]
    elif body and mutation == "flip":
        for _ in range(draw(st.integers(1, 5))):
            position = draw(st.integers(0, len(body) - 1))
            body[position] = draw(st.integers(0, 255))
    elif mutation == "insert":
        position = draw(st.integers(0, len(body)))
        body[position:position] = draw(st.binary(max_size=30))
    headers = {
        "Content-Type": draw(
            st.sampled_from(["application/xml", "application/json", "text/html", ""])
        )
    }
    if draw(st.booleans()):
        headers["Location"] = draw(
            st.sampled_from(
                [
                    "/v1/users/u-abc123/applications/a-9",
                    "/accounts/9900001/applications/x-1",
                    "..",
                    "\x00",
                ]
            )
        )
    if draw(st.booleans()):
        headers["Retry-After"] = draw(
            st.sampled_from(["0", "-1", "nan", "1e308", "Wed, 21 Oct 2015 07:28:00 GMT", "x"])
        )
    return httpx.Response(draw(st.integers(100, 599)), content=bytes(body), headers=headers)


DASHBOARD_CALLS: list[tuple[str, tuple[Any, ...]]] = [
    (
        "create",
        (
            bw.Application(
                service_type=bw.ServiceType.VOICE_V2,
                app_name="a",
                call_initiated_callback_url="https://e.com/v",
            ),
        ),
    ),
    ("list", ()),
    ("get", ("app-1",)),
    ("patch", ("app-1", bw.Application(app_name="b"))),
    ("delete", ("app-1",)),
    ("associated_sip_peers", ("app-1",)),
]
CATAPULT_CALLS: list[tuple[str, tuple[Any, ...]]] = [
    ("create", (bw.CatapultApplicationCreate(name="a", incoming_call_url="https://e.com/c"),)),
    ("list", ()),
    ("get", ("a-1",)),
    ("update", ("a-1", bw.CatapultApplicationUpdate(name="b"))),
    ("delete", ("a-1",)),
]


@pytest.mark.timeout(3600 if SLOW else 300)
@pytest.mark.parametrize("platform", ["dashboard", "catapult"])
def test_hostile_answers_give_typed_errors_only(platform: str) -> None:
    make, calls = (
        (dashboard, DASHBOARD_CALLS) if platform == "dashboard" else (catapult, CATAPULT_CALLS)
    )
    outcomes: Counter[str] = Counter()

    @slice_settings
    @given(hostile_answer(), st.sampled_from(calls), st.sampled_from(["sync", "async"]))
    def check(answer: httpx.Response, call: tuple[str, tuple[Any, ...]], mode: str) -> None:
        name, args = call
        content = answer.content

        def respond(request: httpx.Request) -> httpx.Response:
            return httpx.Response(answer.status_code, headers=answer.headers, content=content)

        client = make(mode, Recorder(respond), retry=bw.NO_RETRY)
        try:
            getattr(client, name)(*args)
            outcomes["answer"] += 1
        except bw.BandwidthError as error:  # anything else fails the property
            outcomes[type(error).__name__] += 1
            assert len(str(error)) < 2_000 and "\n" not in str(error)  # one line

    check()
    count(f"hostile answers ({platform})", sum(outcomes.values()))
    assert sum(outcomes.values()) >= CASES


@pytest.mark.timeout(3600 if SLOW else 300)
def test_faults_and_retries_keep_their_promises() -> None:
    """Random fault sequences on a fake clock: never more attempts than the policy, never a
    create sent twice once it may have arrived, never more waiting than max_server_wait."""
    faults = st.sampled_from(["connect", "read-timeout", "reset", "429", "503", "500", "ok"])
    ran: list[int] = []
    voice_xml = CREATED

    @slice_settings
    @given(
        st.lists(faults, min_size=1, max_size=8),
        st.sampled_from(["create", "get", "update", "delete"]),
        st.integers(1, 5),
        st.sampled_from(["sync", "async"]),
    )
    def check(sequence: list[str], call: str, attempts: int, mode: str) -> None:
        ran.append(1)
        script = iter(sequence + ["ok"] * 10)
        slept: list[float] = []
        now = [1_700_000_000.0]

        def answer(request: httpx.Request) -> httpx.Response:
            step = next(script)
            if step == "connect":
                raise httpx.ConnectError("refused")
            if step == "read-timeout":
                raise httpx.ReadTimeout("slow")
            if step == "reset":
                raise httpx.RemoteProtocolError("reset")
            if step in ("429", "503", "500"):
                return httpx.Response(int(step), headers={"Retry-After": "20"})
            return httpx.Response(201 if call == "create" else 200, content=voice_xml)

        def sleep(seconds: float) -> None:
            slept.append(seconds)
            now[0] += seconds

        async def async_sleep(seconds: float) -> None:
            sleep(seconds)

        policy = bw.RetryPolicy(
            attempts=attempts,
            max_server_wait=45,
            sleep=sleep,
            async_sleep=async_sleep,
            clock=lambda: now[0],
        )
        recorder = Recorder(answer)
        client = dashboard(mode, recorder, retry=policy)
        voice = bw.Application(
            service_type=bw.ServiceType.VOICE_V2,
            app_name="a",
            call_initiated_callback_url="https://e.com/v",
        )
        args = {
            "create": (voice,),
            "get": ("app-1",),
            "update": ("app-1", voice),
            "delete": ("app-1",),
        }[call]
        with contextlib.suppress(bw.BandwidthError):
            getattr(client, call)(*args)
        sent = len(recorder.requests)
        assert sent <= attempts and sum(slept) <= 45
        if call == "create":
            arrived = [step for step in sequence[:sent] if step != "connect"]
            assert len(arrived) <= 1  # a create that may have arrived is never sent again

    check()
    count("fault sequences", len(ran))
    assert len(ran) >= CASES


# ---- concurrency on the sandbox ----

ANY = Logins(
    clients=(ClientCredential("rel-client", "rel-client-secret"),),
    dashboard_basic=Credentials("rel-user", "rel-password"),
    catapult=Credentials("t-rel", "rel-catapult-secret"),
)


@pytest.mark.timeout(1800 if SLOW else 120)
def test_concurrent_creates_updates_and_deletes_keep_every_acknowledged_state() -> None:
    ids_count, threads, operations = (20, 16, 300) if SLOW else (6, 8, 40)
    with Sandbox(logins=ANY) as sandbox:
        token = {**bearer(sandbox.url, **sandbox.client_login), "Content-Type": "application/xml"}
        collection = f"{sandbox.dashboard_url}/accounts/concurrency/applications"
        voice = b"<Application><ServiceType>Voice-V2</ServiceType><AppName>v0</AppName><CallInitiatedCallbackUrl>https://e.com/v</CallInitiatedCallbackUrl></Application>"
        urls = [
            httpx.post(collection, content=voice, headers=token).headers["location"]
            for _ in range(ids_count)
        ]
        log: list[
            tuple[str, str, str, float, float, int]
        ] = []  # (op, url, value, start, end, status)
        created: list[str] = []
        lock = threading.Lock()

        def work(worker: int) -> None:
            import random

            chooser = random.Random(worker)
            with httpx.Client(headers=token) as http:
                for n in range(operations):
                    url = chooser.choice(urls)
                    op = chooser.choices(
                        ["patch", "delete", "create", "get"], weights=[6, 1, 2, 2]
                    )[0]
                    value = f"w{worker}-{n}"
                    start = time.monotonic()
                    if op == "patch":
                        status = http.patch(
                            url,
                            content=f"<Application><AppName>{value}</AppName></Application>".encode(),
                        ).status_code
                    elif op == "delete":
                        status = http.delete(url).status_code
                    elif op == "create":
                        answer = http.post(collection, content=voice.replace(b"v0", value.encode()))
                        status = answer.status_code
                        if status == 201:
                            with lock:
                                created.append(answer.headers["location"])
                    else:
                        status = http.get(url).status_code
                    with lock:
                        log.append((op, url, value, start, time.monotonic(), status))

        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(work, range(threads)))
        statuses = Counter(entry[5] for entry in log)
        assert set(statuses) <= {200, 201, 404}, statuses  # no 5xx, no lost request
        with httpx.Client(headers=token) as http:
            for url in urls:
                patches = [e for e in log if e[1] == url and e[0] == "patch" and e[5] == 200]
                deleted = any(e[1] == url and e[0] == "delete" and e[5] == 200 for e in log)
                final = http.get(url)
                if deleted:
                    assert final.status_code == 404, url  # an acknowledged delete is never undone
                    continue
                name = re.search(rb"<AppName>([^<]*)</AppName>", final.content).group(1).decode()  # type: ignore[union-attr]
                if not patches:
                    assert name == "v0"
                    continue
                # Linearizable: the last value is one whose write no other write followed entirely.
                candidates = {p[2] for p in patches if not any(q[3] > p[4] for q in patches)}
                assert name in candidates, (url, name, candidates)
            listed = http.get(collection).content
            for location in created:
                assert location.rsplit("/", 1)[1].encode() in listed  # every acknowledged create
        count("concurrent operations", len(log))
        count("rows lost", 0)


def start_sandbox(db: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "bandwidth-apps"), "sandbox", "--port", "0", "--db", str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    assert process.stdout is not None
    first = process.stdout.readline()
    match = re.search(r"on (http://127\.0\.0\.1:\d+)", first)
    assert match, first
    # Read the access log as it comes: a full pipe would block the sandbox mid-load.
    threading.Thread(target=drain, args=(process.stdout,), daemon=True).start()
    return process, match.group(1)


def drain(stream: IO[str]) -> None:
    with stream:
        for _ in stream:
            pass


@pytest.mark.timeout(1800 if SLOW else 180)
def test_kill_9_mid_load_loses_no_acknowledged_write(tmp_path: Path) -> None:
    kills = 5 if SLOW else 1
    db = tmp_path / "crash.db"
    env = {
        **os.environ,
        "BW_CLIENT_ID": "crash-client",
        "BW_CLIENT_SECRET": "crash-secret",
        "BW_ACCOUNT_ID": "crash",
    }
    acknowledged: dict[str, str] = {}  # location path -> AppName
    lock = threading.Lock()
    for kill in range(kills):
        process, url = start_sandbox(db, env)
        token = {**bearer(url, "crash-client", "crash-secret"), "Content-Type": "application/xml"}
        stop = threading.Event()

        def load(
            worker: int,
            url: str = url,
            token: dict[str, str] = token,
            stop: threading.Event = stop,
            kill: int = kill,
        ) -> None:
            with httpx.Client(headers=token, timeout=5) as http:
                for n in itertools_count():
                    if stop.is_set():
                        return
                    name = f"k{kill}-w{worker}-{n}"
                    body = f"<Application><ServiceType>Voice-V2</ServiceType><AppName>{name}</AppName><CallInitiatedCallbackUrl>https://e.com/v</CallInitiatedCallbackUrl></Application>"
                    try:
                        answer = http.post(
                            f"{url}/api/accounts/crash/applications", content=body.encode()
                        )
                    except httpx.HTTPError:
                        return  # the server died under us: this write was never acknowledged
                    if answer.status_code == 201:
                        with lock:
                            acknowledged[httpx.URL(answer.headers["location"]).path] = name

        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = [pool.submit(load, w) for w in range(4)]
            target = len(acknowledged) + (150 if SLOW else 60)
            while len(acknowledged) < target:
                assert not all(f.done() for f in futures), "every writer stopped early"
                time.sleep(0.01)
            stop_sandbox(process, signal.SIGKILL)  # mid-load: writes are in flight
            stop.set()
            for future in futures:
                future.result()
    process, url = start_sandbox(db, env)
    try:
        token = bearer(url, "crash-client", "crash-secret")
        with httpx.Client(headers=token) as http:
            lost = [
                path
                for path, name in acknowledged.items()
                if f"<AppName>{name}</AppName>".encode() not in http.get(f"{url}{path}").content
            ]
            listing = http.get(f"{url}/api/accounts/crash/applications").content
        names = Counter(re.findall(rb"<AppName>([^<]*)</AppName>", listing))
        duplicates = [name for name, n in names.items() if n > 1]
    finally:
        stop_sandbox(process)
    count("kill -9 restarts", kills)
    count("acknowledged writes checked after kill -9", len(acknowledged))
    count("rows lost after kill -9", len(lost))
    count("duplicates after kill -9", len(duplicates))
    assert lost == [] and duplicates == []


def stop_sandbox(process: subprocess.Popen[str], sig: int = signal.SIGINT) -> None:
    process.send_signal(sig)
    process.wait(timeout=20)


def itertools_count() -> Iterator[int]:
    n = 0
    while True:
        yield n
        n += 1


# ---- bounded memory and time ----


def peak_rss_mb_of(code: str) -> tuple[int, str]:
    """Run Python code in a child; its peak resident memory in MB and its output."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr
    peak_kb = int(re.search(r"PEAK (\d+)", result.stdout).group(1))  # type: ignore[union-attr]
    return peak_kb // 1024, result.stdout


@pytest.mark.timeout(900 if SLOW else 120)
def test_a_huge_answer_costs_bounded_memory() -> None:
    size_mb = 500 if SLOW else 100

    def endless(request: bytes) -> Iterator[bytes]:
        yield head(200, Transfer_Encoding="chunked", Content_Type="application/xml")
        for _ in range(size_mb * 16):
            yield b"10000\r\n" + b"<" * 65536 + b"\r\n"
        yield b"0\r\n\r\n"

    with HostileServer(token_or(endless)) as server:
        code = f"""
import bandwidth_apps as bw
client = bw.DashboardClient("1", client_id="i", client_secret="s", base_url="{server.url}/api", retry=bw.NO_RETRY)
try:
    client.list()
except bw.MalformedResponseError as error:
    print("REFUSED", error.reason)
import re
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so it would count the forked
# copy of the test process that started this one.
print("PEAK", re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
"""
        peak, output = peak_rss_mb_of(code)
    assert "REFUSED" in output and "max_answer_bytes" in output
    FIGURES[f"peak RSS of a client given a {size_mb} MB answer (MB)"] = peak
    assert peak < 200


@pytest.mark.timeout(900 if SLOW else 120)
def test_a_huge_body_costs_the_sandbox_bounded_memory(tmp_path: Path) -> None:
    size_mb = 200 if SLOW else 50
    process, url = start_sandbox(
        tmp_path / "body.db",
        {
            **os.environ,
            "BW_CLIENT_ID": "b",
            "BW_CLIENT_SECRET": "body-secret",
            "BW_ACCOUNT_ID": "big",
        },
    )
    try:
        token = {**bearer(url, "b", "body-secret"), "Content-Type": "application/xml"}

        def chunks() -> Iterator[bytes]:
            for _ in range(size_mb * 16):
                yield b"<" * 65536

        with contextlib.suppress(httpx.HTTPError):
            answer = httpx.post(
                f"{url}/api/accounts/big/applications", content=chunks(), headers=token, timeout=60
            )
            assert answer.status_code == 413
        status = Path(f"/proc/{process.pid}/status").read_text()
        peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) // 1024  # type: ignore[union-attr]
    finally:
        stop_sandbox(process)
    FIGURES[f"peak RSS of the sandbox sent a {size_mb} MB body (MB)"] = peak
    assert peak < 300


@pytest.mark.timeout(300)
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("where", ["head", "body"])
def test_the_longest_call_under_a_drip(mode: str, where: str) -> None:
    """httpx's read timeout restarts with every byte; the attempt's deadline does not."""
    body = b"<ApplicationProvisioningResponse><ApplicationList/></ApplicationProvisioningResponse>"

    def drip(request: bytes) -> Iterator[bytes]:
        answer = head(200, length=len(body), Content_Type="application/xml") + body
        split = 10 if where == "head" else len(answer) - len(body)
        yield answer[:split]
        for byte in answer[split:]:
            yield bytes([byte])

    with HostileServer(token_or(drip), pause=0.02) as server:  # all of it would take ~2-3 s
        cls: Any = bw.AsyncDashboardClient if mode == "async" else bw.DashboardClient
        from tests.clients import Driver

        client = Driver(
            cls(
                "1",
                client_id="i",
                client_secret="s",
                base_url=f"{server.url}/api",
                timeout=0.3,
                retry=bw.NO_RETRY,
            )
        )
        started = time.monotonic()
        with pytest.raises(bw.TransportError, match=r"deadline of 0\.6 s passed"):
            client.list()
        took = time.monotonic() - started
    key = "longest call under a 1 byte / 20 ms drip, timeout=0.3 s, deadline 0.6 s (s)"
    FIGURES[key] = round(max(FIGURES.get(key, 0), took), 2)
    assert took < 1.5


# ---- one canary for each secret ----

CANARIES = {
    "api password": "canary-api-password-11a",
    "client secret": "canary-client-secret-22b",
    "callback password": "canary-callback-pw-33c",
}


@pytest.mark.timeout(300)
def test_no_canary_anywhere(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    logins = Logins(
        clients=(ClientCredential("canary-client", CANARIES["client secret"]),),
        dashboard_basic=Credentials("canary-user", CANARIES["api password"]),
        catapult=Credentials("t-canary", CANARIES["api password"]),
    )
    seen: list[str] = []
    tokens: list[str] = []
    with caplog.at_level(logging.DEBUG), Sandbox(logins=logins, legacy_basic=True) as sandbox:
        creds = bw.CallbackCredentials(
            user_id="canary-user", password=CANARIES["callback password"]
        )
        app = bw.Application(
            service_type=bw.ServiceType.VOICE_V2,
            app_name="canary",
            call_initiated_callback_url="https://e.com/v",
            callback_creds=creds,
        )
        with pytest.warns(bw.LegacyAuthWarning):
            legacy = bw.DashboardClient(
                "canary",
                username="canary-user",
                password=CANARIES["api password"],
                base_url=sandbox.dashboard_url,
            )
        oauth = bw.DashboardClient(
            "canary",
            client_id="canary-client",
            client_secret=CANARIES["client secret"],
            base_url=sandbox.dashboard_url,
        )
        catapult_client = bw.CatapultClient(
            "u-canary", "t-canary", CANARIES["api password"], base_url=sandbox.catapult_url
        )
        with legacy, oauth, catapult_client:
            for client in (legacy, oauth):
                created = client.create(app)
                seen += [
                    repr(created),
                    str(created),
                    repr(client),
                    str(client),
                    repr(app),
                    str(app),
                ]
                seen += [
                    repr(client.get(created.application_id)),
                    repr(
                        client.patch(created.application_id, bw.Application(callback_creds=creds))
                    ),
                ]
                sandbox.authority.revoke_all()
                too_long = bw.CallbackCredentials(
                    user_id="x", password=CANARIES["callback password"] * 3
                )
                bad_calls = (
                    ("get", ("missing-id",)),
                    ("create", (bw.Application(app_name="x"),)),
                    ("patch", (created.application_id, bw.Application(callback_creds=too_long))),
                )
                for name, args in bad_calls:
                    try:
                        getattr(client, name)(*args)
                    except bw.BandwidthError as error:
                        seen += [str(error), repr(error), repr(vars(error))]
            token = oauth._auth._token  # type: ignore[attr-defined]
            tokens += token.value.split(".")[1:]
            seen.append(
                repr(
                    catapult_client.create(
                        bw.CatapultApplicationCreate(name="c", incoming_call_url="https://e.com/c")
                    )
                )
            )
        env = {
            **os.environ,
            "BW_ACCOUNT_ID": "canary",
            "BW_CLIENT_ID": "canary-client",
            "BW_CLIENT_SECRET": CANARIES["client secret"],
            "BW_API_URL": sandbox.url,
        }
        cli = str(Path(sys.executable).parent / "bandwidth-apps")
        for args in (
            ["dashboard", "list"],
            [
                "--json",
                "dashboard",
                "create",
                "--service-type",
                "Voice-V2",
                "--app-name",
                "c",
                "--call-initiated-callback-url",
                "https://e.com/v",
                "--callback-creds-user-id",
                "canary-user",
                "--callback-creds-password",
                CANARIES["callback password"],
            ],
            ["dashboard", "get", "nope"],
        ):
            result = subprocess.run(
                [cli, *args], capture_output=True, text=True, env=env, timeout=60, check=False
            )
            seen += [result.stdout, result.stderr]
        legacy_env = {k: v for k, v in env.items() if not k.startswith("BW_CLIENT")} | {
            "BANDWIDTH_USERNAME": "canary-user",
            "BANDWIDTH_PASSWORD": CANARIES["api password"],
        }
        result = subprocess.run(
            [cli, "dashboard", "list"],
            capture_output=True,
            text=True,
            env=legacy_env,
            timeout=60,
            check=False,
        )
        seen += [result.stdout, result.stderr]
    seen += [r.getMessage() + (r.exc_text or "") + repr(r.args) for r in caplog.records]
    everything = "\n".join(seen)
    for name, canary in CANARIES.items():
        assert canary not in everything, name
    for part in tokens:
        assert part not in everything, "access token"
    count("texts checked for canaries", len(seen))
