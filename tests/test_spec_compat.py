"""The breaking-change guard (scripts/spec-compat): the specs against specs/released.json, and
changes made to a copy, each judged breaking or not."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import _spec_compat


def test_no_breaking_change_since_the_last_release(capsys: pytest.CaptureFixture[str]) -> None:
    assert _spec_compat.main([]) == 0, capsys.readouterr().out


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def edit(root: Path, name: str, change: Callable[[str], str]) -> None:
    path = root / "specs" / name
    before = path.read_text()
    path.write_text(change(before))
    assert path.read_text() != before, "the edit changed nothing"


CATAPULT = "catapult-v1.openapi.yaml"
BREAKING = {
    "a lower maximum": (
        CATAPULT,
        lambda s: s.replace("maximum: 10000", "maximum: 5000", 1),
        "maximum 10000 -> 5000",
    ),
    "an operation removed": (
        CATAPULT,
        lambda s: re.sub(
            r"    delete:\n      operationId: deleteApplication.*?(?=\ncomponents:)",
            "",
            s,
            flags=re.S,
        ),
        "DELETE /users/{userId}/applications/{applicationId}: removed",
    ),
    "an answer's field no longer required": (
        CATAPULT,
        lambda s: s.replace("required: [id, name]", "required: [name]", 1),
        "body.id: no longer always sent",
    ),
    "an enumeration value removed": (
        "dashboard/common.xsd",
        lambda s: s.replace('<xs:enumeration value="Voice-V2"/>', "", 1),
        "enumeration values removed ['Voice-V2']",
    ),
    "an XSD child made required": (
        "dashboard/application.xsd",
        lambda s: s.replace(
            '<xs:element name="AppName" type="AppName" minOccurs="0"/>',
            '<xs:element name="AppName" type="AppName"/>',
        ),
        "child AppName: now required",
    ),
}


@pytest.mark.parametrize("case", BREAKING)
def test_a_breaking_change_fails_unless_the_version_moves(
    case: str, copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, change, expected = BREAKING[case]
    edit(copy, name, change)
    assert _spec_compat.main([], root=copy) == 1
    assert expected in capsys.readouterr().out
    edit(copy, "../pyproject.toml", lambda s: s.replace('version = "0.1.0"', 'version = "0.2.0"'))
    assert _spec_compat.main([], root=copy) == 0


def test_an_optional_field_added_is_not_breaking(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        copy,
        CATAPULT,
        lambda s: s.replace(
            "    ApplicationCreate:\n      type: object\n",
            "    ApplicationCreate:\n      type: object\n",
        ).replace(
            "      properties:\n        name:\n",
            "      properties:\n        tag:\n          type: string\n        name:\n",
            1,
        ),
    )
    assert _spec_compat.main([], root=copy) == 0, capsys.readouterr().out
