"""One distribution ships the overlay and both generated packages, typed, with their specs."""

from __future__ import annotations

import os
import subprocess
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
    assert not [n for n in names if n.startswith(("tests/", "specs/", "scripts/"))]


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
