"""The specs from the JVM (tests/jvm): the JDK's own XSD validator over every XML vector, agreeing
with the index, lxml and xmlschema; and bindings made by xjc (Debian's `jaxb` package) reading
every valid vector and creating an application on the sandbox. Skipped, saying so, where java
(or xjc) is not installed; scripts/test installs `jaxb` where it can."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bandwidth_apps as bw
import pytest
from bandwidth_apps.sandbox import Sandbox
from lxml import etree

from tests.conftest import EXAMPLES, ROOT, SPECS
from tests.specs_support import lxml_schema, strict_parser, xmlschema_schema

HERE = ROOT / "tests" / "jvm"
XSD = SPECS / "dashboard" / "applications.xsd"
JAXB_JARS = ["jaxb-api", "jaxb-runtime", "jaxb-core", "istack-commons-runtime", "txw2"]
JAXB_JARS += ["javax.activation"]

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None or shutil.which("javac") is None,
    reason="java is not installed: the JVM checks did not run",
)


def check(examples: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["java", str(HERE / "Check.java"), str(XSD), str(examples)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def schema_valid(vector: dict[str, Any]) -> bool:
    """What the XSD alone says: valid, or breaking only a rule it cannot state."""
    return bool(vector["valid"] or vector.get("layer") == "rules")


def python_verdicts(vector: dict[str, Any]) -> tuple[bool, bool]:
    """lxml's and xmlschema's verdicts, the root element included."""
    source = (EXAMPLES / vector["file"]).read_bytes()
    try:
        root = etree.fromstring(source, strict_parser())
    except etree.XMLSyntaxError:
        return False, False
    right_root = root.tag == vector["schema"]
    lxml_says = lxml_schema().validate(root) and right_root
    xmlschema_says = xmlschema_schema().is_valid(source.decode("utf-8")) and right_root
    return bool(lxml_says), bool(xmlschema_says)


def test_the_jdk_agrees_with_the_index_lxml_and_xmlschema(vectors: list[dict[str, Any]]) -> None:
    result = check(EXAMPLES)
    assert result.returncode == 0, result.stderr
    jdk = {
        file: verdict == "valid"
        for file, verdict, _ in (line.split("\t") for line in result.stdout.splitlines())
    }
    dashboard = [v for v in vectors if v["platform"] == "dashboard"]
    assert set(jdk) == {v["file"] for v in dashboard}
    for vector in dashboard:
        expected = schema_valid(vector)
        assert (jdk[vector["file"]], *python_verdicts(vector)) == (expected,) * 3, vector["file"]


def test_a_broken_vector_fails_the_jdk_check(tmp_path: Path) -> None:
    examples = tmp_path / "examples"
    shutil.copytree(EXAMPLES, examples)
    broken = examples / "dashboard" / "doc-messaging-create-request.xml"
    text = broken.read_text()
    broken.write_text(re.sub(r"<AppName>[^<]*</AppName>", "<AppName></AppName>", text))
    result = check(examples)
    assert result.returncode == 1
    assert "dashboard/doc-messaging-create-request.xml: the JDK says invalid" in result.stderr


@pytest.fixture(scope="module")
def bindings(tmp_path_factory: pytest.TempPathFactory) -> str:
    """xjc's bindings and Bindings.java, compiled; the class path to run them."""
    if shutil.which("xjc") is None:
        pytest.skip("xjc is not installed (Debian package jaxb): the bindings check did not run")
    jars = [Path("/usr/share/java") / f"{name}.jar" for name in JAXB_JARS]
    missing = [str(jar) for jar in jars if not jar.exists()]
    assert not missing, f"the jaxb package installed no {missing}"
    build = tmp_path_factory.mktemp("jvm")
    sources = build / "src"
    sources.mkdir()  # xjc writes only into a folder that exists
    subprocess.run(
        ["xjc", "-quiet", "-npa", "-no-header", "-p", "com.bandwidth.apps.dashboard",
         "-d", str(sources), str(XSD)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    classpath = ":".join(map(str, jars))
    generated = sorted(map(str, sources.rglob("*.java")))
    subprocess.run(
        ["javac", "-nowarn", "-cp", classpath, "-d", str(build), *generated,
         str(HERE / "Bindings.java")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return f"{build}:{classpath}"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def test_xjc_bindings_read_every_valid_vector_and_create_an_application(
    bindings: str, sandbox: Sandbox, vectors: list[dict[str, Any]]
) -> None:
    login = sandbox.client_login
    valid = [
        str(EXAMPLES / v["file"]) for v in vectors if v["platform"] == "dashboard" and v["valid"]
    ]
    result = subprocess.run(
        ["java", "-cp", bindings, "Bindings", str(XSD), sandbox.url, "9900001",
         login["client_id"], login["client_secret"], *valid],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    read = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("read ")]
    assert read == valid
    created = re.search(r"<ApplicationId>([^<]+)</ApplicationId>", result.stdout)
    assert created, result.stdout
    with bw.DashboardClient("9900001", **login, base_url=sandbox.dashboard_url) as dashboard:
        stored = dashboard.get(created.group(1))
    assert (stored.app_name, stored.call_initiated_callback_url) == (
        "java-xjc",
        "https://example.com/java/voice",
    )
    assert (stored.call_initiated_method, stored.callback_timeout) == (bw.CallbackMethod.GET, 15)
