"""The specs from TypeScript (tests/typescript): types made by openapi-typescript, a program on
openapi-fetch doing full CRUD on the sandbox under `tsc --strict`, ajv (2020-12, strict, with
ajv-formats) judging every JSON vector, and `redocly lint`. Skipped, saying so, where node and
npm are not installed; CI has both."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bandwidth_apps as bw
import pytest
from bandwidth_apps.sandbox import Sandbox, logins_from_env

from tests.conftest import EXAMPLES, ROOT, SPECS
from tests.specs_support import json_validator

HERE = ROOT / "tests" / "typescript"
CATAPULT_SPEC = SPECS / "catapult-v1.openapi.yaml"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None,
    reason="node and npm are not installed: the TypeScript checks did not run",
)


def npm(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["npm", *args], cwd=HERE, capture_output=True, text=True, check=check, timeout=300
    )


def node(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", *map(str, args)],
        cwd=HERE,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def built() -> Path:
    """`npm ci` (the lockfile's exact versions), the types, then `tsc --strict`."""
    marker = HERE / "node_modules" / ".package-lock.json"
    lock = HERE / "package-lock.json"
    if not marker.exists() or marker.stat().st_mtime < lock.stat().st_mtime:
        npm("ci", "--no-audit", "--no-fund")
    for step in ("types", "build"):
        result = npm("run", step, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    return HERE / "dist" / "src"


def test_the_types_need_default_non_nullable_false(built: Path, tmp_path: Path) -> None:
    """openapi-typescript makes every property with a `default` required unless told not to:
    without the option our program (which sends only name and incomingCallUrl) does not compile.
    Recorded so the option is never dropped as unneeded."""
    strict = tmp_path / "catapult.ts"
    subprocess.run(
        ["npx", "openapi-typescript", str(CATAPULT_SPEC), "--output", str(strict)],
        cwd=HERE, capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    text = strict.read_text()
    create = text.split("ApplicationCreate: {", 1)[1].split("};", 1)[0]
    assert "autoAnswer: boolean | null;" in create  # required: a default made it so
    ours = (HERE / "generated" / "catapult.ts").read_text()
    assert "autoAnswer?: boolean" in ours.split("ApplicationCreate: {", 1)[1].split("};", 1)[0]


def ajv_verdicts(built: Path, examples: Path) -> subprocess.CompletedProcess[str]:
    return node(built / "vectors.js", CATAPULT_SPEC, examples)


def python_verdict(vector: dict[str, Any]) -> bool:
    body = json.loads((EXAMPLES / vector["file"]).read_text())
    validator = json_validator(vector["schema"])
    items = body if vector.get("array") else [body]
    return isinstance(items, list) and all(validator.is_valid(item) for item in items)


def test_ajv_agrees_with_the_index_and_with_jsonschema(
    built: Path, vectors: list[dict[str, Any]]
) -> None:
    result = ajv_verdicts(built, EXAMPLES)
    assert result.returncode == 0, result.stderr
    ajv = json.loads(result.stdout)
    catapult = [v for v in vectors if v["platform"] == "catapult"]
    assert set(ajv) == {v["file"] for v in catapult}
    for vector in catapult:
        expected = vector["valid"] or vector.get("layer") == "rules"
        assert ajv[vector["file"]] is expected is python_verdict(vector), vector["file"]


def test_a_broken_vector_fails_the_ajv_check(built: Path, tmp_path: Path) -> None:
    examples = tmp_path / "examples"
    shutil.copytree(EXAMPLES, examples)
    broken = examples / "catapult" / "full-create-request.json"
    body = json.loads(broken.read_text())
    body["callbackTimeout"] = 0  # below the minimum, while the index still says valid
    broken.write_text(json.dumps(body))
    result = ajv_verdicts(built, examples)
    assert result.returncode == 1
    assert "catapult/full-create-request.json: ajv says invalid" in result.stderr


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    logins = logins_from_env({}, CATAPULT_API_TOKEN="t-ts", CATAPULT_API_SECRET="ts-secret-1")
    with Sandbox(logins=logins) as running:
        yield running


def test_openapi_fetch_does_full_crud_on_the_sandbox(built: Path, sandbox: Sandbox) -> None:
    env = {
        "CATAPULT_URL": sandbox.catapult_url,
        "CATAPULT_USER": "u-ts",
        "CATAPULT_TOKEN": "t-ts",
        "CATAPULT_SECRET": "ts-secret-1",
    }
    result = node(built / "crud.js", env=env)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert len(summary["created"]) == 3
    assert summary["listed"] == summary["created"]  # every page, followed by rel="next"
    assert summary["got"] == {"id": summary["created"][0], "name": "ts-first", "autoAnswer": True}
    assert summary["updated"] == {"name": "ts-renamed", "autoAnswer": False}
    assert (summary["goneStatus"], summary["goneCode"]) == (404, "application-not-found")
    with bw.CatapultClient("u-ts", "t-ts", "ts-secret-1", base_url=sandbox.catapult_url) as ours:
        assert list(ours.list()) == []  # the Python client sees what the TypeScript one left


def test_redocly_lint_is_clean(built: Path) -> None:
    result = npm("run", "lint-specs", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Your API descriptions are valid" in result.stdout + result.stderr
