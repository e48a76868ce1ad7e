"""Breaking changes in specs/ since the last release.

    scripts/spec-compat            compare specs/ with specs/released.json; exit 1 on a breaking
                                   change unless pyproject's version differs from the release's
    scripts/spec-compat --record   write specs/released.json from specs/ (at a release)

The surface compared: each OpenAPI operation (statuses, response headers, parameters, request
and response fields with their types, enums and bounds) and each XSD element, type and facet.
Breaking: anything removed; a request field or parameter newly required; a request constraint
tightened (a narrower type, fewer enum values, a smaller maximum, a larger minimum, a changed
pattern or format); a response field no longer required or given a new type or enum value; an
XSD child element newly required.

Hand-written because the tools for this are out of reach here: oasdiff is a Go binary on none
of the registries this project may use, and openapi-diff (npm) refuses OpenAPI 3.1.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

import xmlschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
RELEASED = "released.json"
OPENAPI = {"catapult": "catapult-v1.openapi.yaml", "dashboard": "dashboard.openapi.yaml"}
METHODS = ("get", "put", "post", "patch", "delete", "head")
BOUNDS_UP = ("maxLength", "maximum", "maxItems")  # lowering one of these refuses more
BOUNDS_DOWN = ("minLength", "minimum", "minItems")  # raising one of these refuses more


def resolve(document: dict[str, Any], node: Any, seen: frozenset[str] = frozenset()) -> Any:
    """`node` with its local $refs replaced by what they point at (a cycle stays a $ref)."""
    if isinstance(node, list):
        return [resolve(document, item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/") and ref not in seen:
        target: Any = document
        for part in ref[2:].split("/"):
            target = target[part]
        return resolve(
            document, {**target, **{k: v for k, v in node.items() if k != "$ref"}}, seen | {ref}
        )
    return {key: resolve(document, value, seen) for key, value in node.items()}


def fields(schema: Any, path: str, out: dict[str, dict[str, Any]], required: bool) -> None:
    """Flatten a schema: for each field path, its types, enum, bounds, pattern, format."""
    if not isinstance(schema, dict):
        return
    facts = out.setdefault(path, {"types": [], "required": required})
    for branch in schema.get("oneOf", []) + schema.get("anyOf", []) + schema.get("allOf", []):
        fields(branch, path, out, required)
    kinds = schema.get("type")
    for kind in [kinds] if isinstance(kinds, str) else kinds or []:
        if kind not in facts["types"]:
            facts["types"].append(kind)
    if "enum" in schema:
        facts["enum"] = sorted({*facts.get("enum", []), *map(json.dumps, schema["enum"])})
    for key in (*BOUNDS_UP, *BOUNDS_DOWN, "pattern", "format", "additionalProperties"):
        if key in schema and not isinstance(schema[key], dict):
            facts[key] = schema[key]
    needed = set(schema.get("required", []))
    for name, sub in schema.get("properties", {}).items():
        fields(sub, f"{path}.{name}", out, name in needed)
    if "items" in schema:
        fields(schema["items"], f"{path}[]", out, True)
    facts["types"].sort()


def openapi_surface(document: dict[str, Any]) -> dict[str, Any]:
    operations: dict[str, Any] = {}
    for route, item in document.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            operation = resolve(document, item[method])
            entry: dict[str, Any] = {"parameters": {}, "responses": {}, "request": {}}
            for parameter in resolve(document, shared) + operation.get("parameters", []):
                key = f"{parameter['in']}:{parameter['name']}"
                facts: dict[str, dict[str, Any]] = {}
                fields(parameter.get("schema", {}), key, facts, bool(parameter.get("required")))
                entry["parameters"].update(facts)
            for media in operation.get("requestBody", {}).get("content", {}).values():
                fields(media.get("schema", {}), "body", entry["request"], True)
            for status, answer in operation.get("responses", {}).items():
                out: dict[str, Any] = {}
                for name, header in answer.get("headers", {}).items():
                    out[f"header:{name.lower()}"] = {"required": bool(header.get("required"))}
                for media in answer.get("content", {}).values():
                    fields(media.get("schema", {}), "body", out, True)
                entry["responses"][str(status)] = out
            operations[f"{method.upper()} {route}"] = entry
    return operations


def xsd_surface(path: Path) -> dict[str, Any]:
    schema = xmlschema.XMLSchema10(str(path))
    surface: dict[str, Any] = {"elements": sorted(schema.elements), "types": {}}
    named = {name: kind for name, kind in schema.types.items()}
    anonymous = {f"element {name}": element.type for name, element in schema.elements.items()}
    for name, kind in {**named, **anonymous}.items():
        if kind.is_complex():
            children = (
                {
                    child.name: {"required": child.min_occurs > 0, "type": child.type.name}
                    for child in kind.content.iter_elements()
                }
                if hasattr(kind.content, "iter_elements")
                else {}
            )
            surface["types"][name] = {"children": children}
            continue
        members = getattr(kind, "member_types", None) or [kind]
        facts: dict[str, Any] = {
            "enum": sorted(
                {str(value) for member in members for value in (member.enumeration or [])}
            )
        }
        for facet in ("min_length", "max_length", "min_value", "max_value"):
            values = [
                getattr(m, facet, None) for m in members if getattr(m, facet, None) is not None
            ]
            if values:
                facts[facet] = str(values[0])
        patterns = [
            p.regexps for m in members if getattr(m, "patterns", None) for p in [m.patterns]
        ]
        if patterns:
            facts["patterns"] = sorted(str(p) for p in patterns)
        surface["types"][name] = facts
    return surface


def surface(specs: Path) -> dict[str, Any]:
    return {
        **{
            name: openapi_surface(yaml.safe_load((specs / file).read_text()))
            for name, file in OPENAPI.items()
        },
        "dashboard-xsd": xsd_surface(specs / "dashboard" / "applications.xsd"),
    }


def _tightened(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found = []
    if set(new["types"]) < set(old["types"]) or (old["types"] == [] and new["types"]):
        found.append(f"type {old['types']} -> {new['types']}")
    if "enum" in new and set(new["enum"]) - set(old.get("enum", new["enum"])) != set(new["enum"]):
        removed = set(old.get("enum", [])) - set(new["enum"])
        if removed or "enum" not in old:
            found.append(f"enum values no longer accepted: {sorted(removed) or 'all but listed'}")
    for key in BOUNDS_UP:
        if key in new and (key not in old or new[key] < old[key]):
            found.append(f"{key} {old.get(key)} -> {new[key]}")
    for key in BOUNDS_DOWN:
        if key in new and (key not in old or new[key] > old[key]):
            found.append(f"{key} {old.get(key)} -> {new[key]}")
    for key in ("pattern", "format"):
        if key in new and new.get(key) != old.get(key):
            found.append(f"{key} {old.get(key)!r} -> {new[key]!r}")
    if (
        old.get("additionalProperties", True) is not False
        and new.get("additionalProperties") is False
    ):
        found.append("additional properties now refused")
    return found


def _loosened(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """An answer that may now hold what a client built on the old one does not expect."""
    found = []
    if set(new["types"]) - set(old["types"]) and old["types"]:
        found.append(f"type {old['types']} -> {new['types']}")
    added = set(new.get("enum", [])) - set(old.get("enum", []))
    if "enum" in old and added:
        found.append(f"new enum values {sorted(added)}")
    return found


def _request_changes(where: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found = []
    for path, facts in old.items():
        if path not in new:
            found.append(f"{where} {path}: removed")
            continue
        if new[path]["required"] and not facts["required"]:
            found.append(f"{where} {path}: now required")
        found += [f"{where} {path}: {change}" for change in _tightened(facts, new[path])]
    for path, facts in new.items():
        parent = path.rsplit(".", 1)[0] if "." in path else None
        if path not in old and facts["required"] and (parent is None or parent in old):
            found.append(f"{where} {path}: new and required")
    return found


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for api in OPENAPI:
        for name, operation in old[api].items():
            where = f"{api} {name}"
            current = new[api].get(name)
            if current is None:
                found.append(f"{where}: removed")
                continue
            found += _request_changes(
                f"{where} parameter", operation["parameters"], current["parameters"]
            )
            found += _request_changes(f"{where} request", operation["request"], current["request"])
            for status, answer in operation["responses"].items():
                if status not in current["responses"]:
                    found.append(f"{where} {status}: removed")
                    continue
                for path, facts in answer.items():
                    now = current["responses"][status].get(path)
                    if now is None:
                        found.append(f"{where} {status} {path}: removed")
                    elif facts["required"] and not now["required"]:
                        found.append(f"{where} {status} {path}: no longer always sent")
                    elif "types" in facts:
                        found += [
                            f"{where} {status} {path}: {change}" for change in _loosened(facts, now)
                        ]
    old_xsd, new_xsd = old["dashboard-xsd"], new["dashboard-xsd"]
    found += [
        f"xsd element {name}: removed"
        for name in old_xsd["elements"]
        if name not in new_xsd["elements"]
    ]
    for name, facts in old_xsd["types"].items():
        current = new_xsd["types"].get(name)
        if current is None:
            found.append(f"xsd type {name}: removed")
            continue
        for child, child_facts in facts.get("children", {}).items():
            now = current.get("children", {}).get(child)
            if now is None:
                found.append(f"xsd type {name} child {child}: removed")
            elif now["required"] and not child_facts["required"]:
                found.append(f"xsd type {name} child {child}: now required")
        for child, now in current.get("children", {}).items():
            if child not in facts.get("children", {}) and now["required"]:
                found.append(f"xsd type {name} child {child}: new and required")
        removed = set(facts.get("enum", [])) - set(current.get("enum", []))
        if removed and current.get("enum"):
            found.append(f"xsd type {name}: enumeration values removed {sorted(removed)}")
        for facet in ("min_length", "max_length", "min_value", "max_value", "patterns"):
            if facts.get(facet) != current.get(facet):
                found.append(f"xsd type {name}: {facet} {facts.get(facet)} -> {current.get(facet)}")
    return found


def project_version(root: Path) -> str:
    version: str = tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]
    return version


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write specs/released.json")
    args = parser.parse_args(argv)
    specs = root / "specs"
    current = {"version": project_version(root), **surface(specs)}
    if args.record:
        (specs / RELEASED).write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
        print(f"spec-compat: recorded the surface of {current['version']} in specs/{RELEASED}")
        return 0
    released = json.loads((specs / RELEASED).read_text())
    changes = breaking_changes(released, current)
    for change in changes:
        print(f"  breaking: {change}")
    if not changes:
        print(f"spec-compat: no breaking change since {released['version']}")
        return 0
    if current["version"] != released["version"]:
        print(
            f"spec-compat: {len(changes)} breaking changes, and the version moved "
            f"{released['version']} -> {current['version']}: record them at the release"
        )
        return 0
    print(
        f"spec-compat: {len(changes)} breaking changes since {released['version']}, and the "
        "version is the same: bump it in pyproject.toml (or undo the change)"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
