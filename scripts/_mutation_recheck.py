"""`scripts/mutation --recheck [MUTANT_GLOB...] TEST_FILE...`: the mutants the last run left
alive (those matching a glob such as 'bandwidth_apps._cli.*', if given), run again against only
the given test files (the tests written since), in a copy of the project, and every one they
kill recorded as killed in mutants/.

Sound because a mutant that some tests kill is killed by the whole suite; a mutant they do not
kill keeps the verdict the whole suite gave it. A full run re-checks everything but takes hours
on two cores; this takes minutes. Only mutants of functions unchanged since their verdict are
merged back (mutmut keys a function's mutants by its source hash).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mutmut.stats import status_by_exit_code

ALIVE = {"survived", "no tests"}
DEAD = {"killed", "timeout"}
SKIPPED = {".git", ".venv", ".tools", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"}


def _metas(root: Path) -> dict[Path, dict[str, object]]:
    return {
        meta.relative_to(root): json.loads(meta.read_text())
        for meta in sorted((root / "mutants" / "src").rglob("*.py.meta"))
    }


def _function(mutant: str) -> str:
    return mutant.rsplit("__mutmut_", 1)[0]


def main(arguments: list[str]) -> None:
    globs = [a for a in arguments if a.startswith("bandwidth_apps")]
    test_files = [a for a in arguments if a not in globs]
    project = Path.cwd()
    metas = _metas(project)
    alive = [
        name
        for meta in metas.values()
        for name, code in meta["exit_code_by_key"].items()  # type: ignore[attr-defined]
        if status_by_exit_code[code] in ALIVE
        and (not globs or any(fnmatch.fnmatchcase(name, glob) for glob in globs))
    ]
    if not alive:
        print("recheck: no surviving mutant in mutants/ (run scripts/mutation first)")
        return
    print(f"recheck: {len(alive)} surviving mutants, against {' '.join(test_files)}")
    with tempfile.TemporaryDirectory(prefix="mutation-recheck-") as scratch:
        copy = Path(scratch) / "project"
        shutil.copytree(
            project,
            copy,
            symlinks=True,
            ignore=lambda folder, names: [n for n in names if n in SKIPPED],
        )
        shared = copy / "shared"  # a relative link, to ../shared: point it at the original
        if shared.is_symlink():
            shared.unlink()
            shared.symlink_to((project / "shared").resolve())
        pyproject = copy / "pyproject.toml"
        selection = ", ".join(json.dumps(name) for name in test_files)
        pyproject.write_text(
            re.sub(
                r"pytest_add_cli_args_test_selection = \[.*?\n\]",
                f"pytest_add_cli_args_test_selection = [{selection}]",
                pyproject.read_text(),
                count=1,
                flags=re.S,
            )
        )
        children = os.environ.get("MUTATION_CHILDREN", "2")
        subprocess.run(["mutmut", "run", "--max-children", children, *alive], cwd=copy, check=False)
        rechecked = _metas(copy)
    killed = 0
    for path, meta in metas.items():
        again = rechecked.get(path)
        if again is None:
            continue
        codes: dict[str, int | None] = meta["exit_code_by_key"]  # type: ignore[assignment]
        hashes: dict[str, str] = meta["hash_by_function_name"]  # type: ignore[assignment]
        new_codes: dict[str, int | None] = again["exit_code_by_key"]  # type: ignore[assignment]
        new_hashes: dict[str, str] = again["hash_by_function_name"]  # type: ignore[assignment]
        for name, code in codes.items():
            verdict = new_codes.get(name)
            function = _function(name).rsplit(".", 1)[-1]
            if (
                status_by_exit_code[code] in ALIVE
                and status_by_exit_code[verdict] in DEAD
                and hashes.get(function) == new_hashes.get(function)
            ):
                codes[name] = verdict
                killed += 1
        (project / path).write_text(json.dumps(meta, indent=4))
    print(f"recheck: {killed} of {len(alive)} killed by {' '.join(test_files)}")


if __name__ == "__main__":
    main(sys.argv[1:])
