"""schemathesis against the Catapult spec on a running sandbox: no 5xx, no answer that breaks the
spec, no spec-violating request accepted; several thousand cases.

`positive_data_acceptance` is left out on purpose: the API refuses some schema-valid bodies by
rules JSON Schema does not state (at least one callback URL, a fallback needs its primary; see
the spec's descriptions). Generation is deterministic so a run is reproducible, and the stateful
phase (which is not) is left out: there, and on some random seeds, schemathesis reports as
"accepted" a negative case whose violations never reach the wire (it drops the Authorization
header, which `--auth` puts back, and adds a query parameter with no value, which its HTTP
library omits); the request the sandbox receives is valid.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bandwidth_apps.sandbox import Sandbox

from tests.conftest import SPECS

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "ignored_auth",
]


@pytest.mark.timeout(600)
def test_catapult_spec_holds_on_the_sandbox(tmp_path: Path) -> None:
    with Sandbox() as sandbox:
        login = f"{sandbox.catapult.username}:{sandbox.catapult.password}"
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "schemathesis"),
                "run",
                str(SPECS / "catapult-v1.openapi.yaml"),
                "--url", sandbox.catapult_url,
                "--auth", login,
                "--checks", ",".join(CHECKS),
                "--max-examples", "1500",
                # One worker: schemathesis's workers are threads, and CPython 3.11's AST state is
                # shared between threads (gh-106905): two threads in ast.parse at once fail with
                # "SystemError: AST constructor recursion depth mismatch" about one run in three.
                "--workers", "1",
                "--generation-deterministic",
                "--phases", "examples,coverage,fuzzing",
                "--report-dir", str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=tmp_path,
        )  # fmt: skip
    output = result.stdout + result.stderr
    (tmp_path / "schemathesis.log").write_text(output)
    assert result.returncode == 0, output[-5000:]
    generated = int(re.search(r"(\d+) generated", output).group(1))  # type: ignore[union-attr]
    assert generated >= 2000, output[-2000:]  # how many varies from run to run
    assert "5/5" in output  # every operation was tested
