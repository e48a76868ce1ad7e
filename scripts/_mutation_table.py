"""The per-module table of the last mutmut run (scripts/mutation), from mutants/**/*.py.meta."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code  # mutmut's own reading of a mutant's exit code

COLUMNS = ["killed", "survived", "timeout", "no tests", "not checked"]


def main() -> None:
    rows: list[tuple[str, Counter[str]]] = []
    for meta in sorted(Path("mutants/src").rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        if codes:
            counts = Counter(status_by_exit_code[code] for code in codes.values())
            rows.append((str(meta.relative_to("mutants/src"))[: -len(".meta")], counts))
    total: Counter[str] = sum((counts for _, counts in rows), Counter())
    print("| module | mutants | " + " | ".join(COLUMNS) + " | score |")
    print("|---|" + "---:|" * (len(COLUMNS) + 2))
    for name, counts in [*rows, ("**all**", total)]:
        decided = counts["killed"] + counts["timeout"] + counts["survived"]
        score = (
            f"{100 * (counts['killed'] + counts['timeout']) / decided:.1f} %" if decided else "-"
        )
        cells = " | ".join(str(counts[c]) for c in COLUMNS)
        print(f"| {name} | {sum(counts.values())} | {cells} | {score} |")
    other = set(total) - set(COLUMNS)
    if other:
        print(f"\n(also: {dict((k, total[k]) for k in sorted(other))})")


if __name__ == "__main__":
    main()
