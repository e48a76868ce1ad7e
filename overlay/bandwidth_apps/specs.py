"""The hand-written specs this package is generated from, shipped inside it for any language's
tools: the Catapult OpenAPI document, the Dashboard operations (OpenAPI) and XSDs, the shared
test vectors with their index, and a README on generating a client from them.

    from bandwidth_apps import specs

    specs.folder()                                   # a directory: pass it to any generator
    specs.read_text("catapult-v1.openapi.yaml")      # one file's text
    [v["file"] for v in specs.vectors() if v["valid"]]

Paths are relative to the folder, with `/` between parts.
"""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

__all__ = ["NAMES", "folder", "read_bytes", "read_text", "vectors"]

# The specs themselves (the vectors are under examples/, listed by examples/index.json).
NAMES = (
    "README.md",
    "catapult-v1.openapi.yaml",
    "dashboard.openapi.yaml",
    "dashboard/applications.xsd",
    "dashboard/application.xsd",
    "dashboard/responses.xsd",
    "dashboard/common.xsd",
    "examples/index.json",
)


def _root() -> Traversable:
    return files("bandwidth_apps") / "_specs"


def _entry(name: str) -> Traversable:
    parts = name.split("/")
    if not name or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"{name!r} is not a path inside the specs folder")
    entry = _root().joinpath(*parts)
    if not entry.is_file():
        raise FileNotFoundError(f"no {name!r} in the specs (see bandwidth_apps.specs.NAMES)")
    return entry


def folder() -> Path:
    """The specs folder on disk."""
    root = _root()
    if not isinstance(root, Path):  # only when the package is imported from a zip file
        raise RuntimeError("bandwidth_apps is not installed as files: no specs folder on disk")
    return root


def read_bytes(name: str) -> bytes:
    return _entry(name).read_bytes()


def read_text(name: str) -> str:
    return _entry(name).read_text(encoding="utf-8")


def vectors() -> list[dict[str, Any]]:
    """examples/index.json's entries: `file` (relative to examples/), `platform`, `schema`,
    `valid`, and for an invalid one the `field` and `rule` it breaks."""
    index: dict[str, Any] = json.loads(read_text("examples/index.json"))
    entries: list[dict[str, Any]] = index["vectors"]
    return entries
