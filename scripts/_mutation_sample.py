"""`scripts/mutation --sample N`: a seeded, uniform random sample of the mutants no run has
checked yet, added to mutation-sample.txt and then run in full (every covering test). Run it
again (MUTATION_SAMPLE_SEED=another) to draw more from what is still unchecked.

When a whole run does not fit in the time there is, the sample's kill rate estimates the rest
(`scripts/mutation --table` prints the estimate and its 95 % interval). The full run cannot
stand in for it: mutmut runs the quickest mutants first, and those are mostly the killed ones.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path


def generate() -> None:
    """The mutants of the source as it is now, made as `mutmut run` makes them first: a function
    changed since its verdict has its mutants unchecked again, so the sample can draw them."""
    from mutmut.__main__ import (
        copy_also_copy_files,
        copy_src_dir,
        create_mutants,
        set_mutant_under_test,
        setup_source_paths,
    )

    set_mutant_under_test("mutant_generation")
    copy_src_dir()
    copy_also_copy_files()
    setup_source_paths()
    create_mutants(int(os.environ.get("MUTATION_CHILDREN", "2")))


def unchecked() -> list[str]:
    return sorted(
        name
        for meta in Path("mutants/src").rglob("*.py.meta")
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items()
        if code is None
    )


def main(size: int) -> None:
    generate()
    pool = unchecked()
    seed = int(os.environ.get("MUTATION_SAMPLE_SEED", "2026"))
    sample = random.Random(seed).sample(pool, min(size, len(pool)))
    heading = f"# seed {seed}: {len(sample)} of {len(pool)} unchecked mutants"
    # A second draw adds to the first: both are uniform over the same pool (less the first).
    kept = Path("mutation-sample.txt")
    before = kept.read_text().splitlines() if kept.exists() else []
    headings = [line for line in before if line.startswith("#")] + [heading]
    names = [line for line in before if line and not line.startswith("#")] + sample
    kept.write_text("\n".join([*headings, *names]) + "\n")
    print(f"sample: {len(sample)} of {len(pool)} unchecked mutants (seed {seed})", file=sys.stderr)


if __name__ == "__main__":
    main(int(sys.argv[1]))
