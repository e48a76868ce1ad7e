"""One distribution ships the overlay and both generated packages, typed, with their specs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dist")
    uv = ROOT / ".tools/bin/uv"
    subprocess.run(
        [str(uv), "build", "--wheel", "--out-dir", str(out), "--quiet", str(ROOT)],
        check=True,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
    )
    (built,) = out.glob("bandwidth_apps-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_ships_the_three_packages_typed(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for package in ("bandwidth_apps", "bandwidth_apps_catapult", "bandwidth_apps_dashboard"):
        assert f"{package}/__init__.py" in names
        assert f"{package}/py.typed" in names
    assert "bandwidth_apps_catapult/openapi.json" in names
    assert "bandwidth_apps_dashboard/schema/applications.xsd" in names
    assert not [n for n in names if n.startswith(("tests/", "specs/", "scripts/"))]  # top level


def test_pyproject_configures_the_tools() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["project"]["name"] == "bandwidth-apps"
    assert config["tool"]["pytest"]["ini_options"]["filterwarnings"] == ["error"]
    strict = [o for o in config["tool"]["mypy"]["overrides"] if o.get("strict")]
    assert strict and "bandwidth_apps" in strict[0]["module"]
    assert set(config["tool"]["ruff"]["lint"]["select"]) >= {
        "E",
        "F",
        "I",
        "B",
        "UP",
        "G",
        "SIM",
        "RUF",
    }
    assert (ROOT / "uv.lock").exists()
    pins = " ".join(config["dependency-groups"]["dev"])
    for pinned in ("openapi-python-client==", "xsdata[cli,lxml]==", "ruff=="):
        assert pinned in pins


def test_installed_packages_come_from_this_tree() -> None:
    import bandwidth_apps
    import bandwidth_apps_catapult
    import bandwidth_apps_dashboard

    assert Path(bandwidth_apps.__file__).is_relative_to(ROOT / "overlay")
    assert Path(bandwidth_apps_catapult.__file__).is_relative_to(ROOT / "generated")
    assert Path(bandwidth_apps_dashboard.__file__).is_relative_to(ROOT / "generated")


def test_wheel_ships_every_spec_and_vector(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    in_repo = {
        str(path.relative_to(ROOT / "specs"))
        for path in (ROOT / "specs").rglob("*")
        if path.is_file()
    }
    assert in_repo and {f"bandwidth_apps/_specs/{name}" for name in in_repo} <= names


def test_the_specs_are_reachable_from_the_installed_wheel(
    wheel: zipfile.ZipFile, tmp_path: Path
) -> None:
    """From the wheel's own files (first on the path), not from this checkout."""
    wheel.extractall(tmp_path)
    program = (
        "import json, bandwidth_apps.specs as s\n"
        "print(json.dumps([str(s.folder()), len(s.vectors()),"
        " s.read_text('catapult-v1.openapi.yaml')[:15], sorted(s.NAMES) == sorted(set(s.NAMES)),"
        " all(s.read_bytes(n) for n in s.NAMES)]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", program],
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    folder, count, head, unique, readable = json.loads(out)
    assert folder == str(tmp_path / "bandwidth_apps" / "_specs")
    assert count == len(json.loads((ROOT / "specs/examples/index.json").read_text())["vectors"])
    assert (head, unique, readable) == ("openapi: 3.1.0\n", True, True)


@pytest.mark.parametrize("name", ["../pyproject.toml", "/etc/passwd", "", "examples/../README.md"])
def test_specs_refuse_a_path_outside_the_folder(name: str) -> None:
    from bandwidth_apps import specs

    with pytest.raises(ValueError, match="not a path inside"):
        specs.read_text(name)


def test_specs_name_a_missing_file() -> None:
    from bandwidth_apps import specs

    with pytest.raises(FileNotFoundError, match="NAMES"):
        specs.read_text("dashboard/missing.xsd")
