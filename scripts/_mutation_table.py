"""The per-module table of the last mutmut run (scripts/mutation), from mutants/**/*.py.meta.

Score = killed / (mutants checked - equivalent), as issue 13 defines it: a survivor and a mutant
no test reaches both count against it; a mutant listed in tests/mutation_equivalents.txt (with
the reason no behaviour can differ) counts neither way. Unchecked mutants are shown apart.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code  # mutmut's own reading of a mutant's exit code

COLUMNS = ["killed", "timeout", "survived", "no tests", "equivalent", "not checked"]
EQUIVALENTS = Path("tests/mutation_equivalents.txt")


def equivalents() -> dict[str, str]:
    """Each equivalent mutant's name and why, from tests/mutation_equivalents.txt."""
    found: dict[str, str] = {}
    if EQUIVALENTS.exists():
        for line in EQUIVALENTS.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, why = line.partition(" | ")
                found[name.strip()] = why.strip()
    return found


def score(counts: Counter[str]) -> str:
    dead = counts["killed"] + counts["timeout"]
    decided = dead + counts["survived"] + counts["no tests"]
    return f"{100 * dead / decided:.1f} %" if decided else "-"


def main() -> None:
    equivalent = equivalents()
    rows: list[tuple[str, Counter[str]]] = []
    for meta in sorted(Path("mutants/src").rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        if codes:
            counts: Counter[str] = Counter()
            for name, code in codes.items():
                status = status_by_exit_code[code]
                alive = status in ("survived", "no tests")
                counts["equivalent" if alive and name in equivalent else status] += 1
            rows.append((str(meta.relative_to("mutants/src"))[: -len(".meta")], counts))
    total: Counter[str] = sum((counts for _, counts in rows), Counter())
    print("| module | mutants | " + " | ".join(COLUMNS) + " | score |")
    print("|---|" + "---:|" * (len(COLUMNS) + 2))
    for name, counts in [*rows, ("**all**", total)]:
        cells = " | ".join(str(counts[c]) for c in COLUMNS)
        print(f"| {name} | {sum(counts.values())} | {cells} | {score(counts)} |")
    other = set(total) - set(COLUMNS)
    if other:
        print(f"\n(also: {dict((k, total[k]) for k in sorted(other))})")
    _estimate(total)


def _estimate(total: Counter[str]) -> None:
    """With a sample (scripts/mutation --sample N): the score estimated over every mutant."""
    sample_file = Path("mutation-sample.txt")
    if not sample_file.exists() or not total["not checked"]:
        return
    lines = sample_file.read_text().splitlines()
    names = [line for line in lines if line and not line.startswith("#")]
    codes = {
        name: code
        for meta in Path("mutants/src").rglob("*.py.meta")
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items()
    }
    equivalent = equivalents()
    verdicts = Counter(
        "equivalent" if name in equivalent else status_by_exit_code[codes.get(name)]
        for name in names
    )
    run = sum(verdicts.values()) - verdicts["not checked"] - verdicts["equivalent"]
    if not run:
        return
    killed = verdicts["killed"] + verdicts["timeout"]
    low, high = _wilson(killed, run)
    left = total["not checked"]
    known = total["killed"] + total["timeout"]
    everything = sum(total.values()) - total["equivalent"]

    def overall(rate: float) -> str:
        return f"{100 * (known + rate * left) / everything:.1f} %"

    print(
        f"\nSample ({'; '.join(line.lstrip('# ') for line in lines if line.startswith('#'))}):"
        f" {run} run, {killed} killed"
        f" ({100 * killed / run:.1f} %, 95 % interval {100 * low:.1f}-{100 * high:.1f} %)."
        f" The {left} mutants still unchecked, at that rate: an estimated score over all"
        f" {everything} mutants (less the equivalent) of {overall(killed / run)}"
        f" ({overall(low)} to {overall(high)})."
    )


def _wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (sound for small samples and rates near 1)."""
    rate = successes / trials
    centre = (rate + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * (rate * (1 - rate) / trials + z * z / (4 * trials * trials)) ** 0.5
    return centre - half / (1 + z * z / trials), centre + half / (1 + z * z / trials)


if __name__ == "__main__":
    main()
