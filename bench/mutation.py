#!/usr/bin/env python3
"""Mutation check: flip a rule, run the tests that concern it, and prove one fails.

    python bench/mutation.py            # every mutant; exit 1 if any survives
    python bench/mutation.py broker     # only mutants whose name contains "broker"

Each mutant replaces one exact piece of source text (which must occur exactly once) in a
throw-away copy of the package, then runs the listed tests against that copy (pytest
``-x -q``). A mutant *survives* when the tests still pass: then no test checks the rule.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: name, file, original text, mutated text, tests to run
MUTANTS: list[tuple[str, str, str, str, list[str]]] = [
    (
        "broker rule inverted (low constraint -> high)",
        "influence/analysis/roles.py",
        "broker &= c <= quantile(c, BROKER_CONSTRAINT_QUANTILE)",
        "broker &= c >= quantile(c, BROKER_CONSTRAINT_QUANTILE)",
        ["tests/test_influencer_table.py", "tests/test_published.py", "tests/test_mutants.py"],
    ),
    (
        "hidden-influencer sign flipped",
        "influence/analysis/formal.py",
        "hidden = (resid >= z * sd)",
        "hidden = (-resid >= z * sd)",
        ["tests/test_influencer_table.py", "tests/test_mutants.py"],
    ),
    (
        "strongest tie picks the weakest",
        "influence/analysis/coverage.py",
        "pick = np.lexsort((rank[other], -s, node))",
        "pick = np.lexsort((rank[other], s, node))",
        ["tests/test_influencer_table.py", "tests/test_mutants.py"],
    ),
    (
        "coverage gap includes ties at the weak-tie line",
        "influence/analysis/coverage.py",
        "(np.asarray(strength) < WEAK_TIE)",
        "(np.asarray(strength) <= WEAK_TIE)",
        ["tests/test_influencer_table.py", "tests/test_mutants.py"],
    ),
    (
        "risk: strong ties must exceed the line",
        "influence/analysis/risk.py",
        "if s >= strong_tie)",
        "if s > strong_tie)",
        ["tests/test_risk.py"],
    ),
    (
        "communities numbered smallest first",
        "influence/analysis/communities.py",
        "found = np.lexsort((first, -size))",
        "found = np.lexsort((first, size))",
        ["tests/test_influencer_table.py", "tests/test_published.py", "tests/test_mutants.py"],
    ),
    (
        "CSV formula cells no longer neutralised",
        "influence/render/files.py",
        'FORMULA_START = ("=", "+", "-", "@", "\\t", "\\r")',
        'FORMULA_START = ("+", "-", "@", "\\t", "\\r")',
        ["tests/test_files.py", "tests/test_mutants.py"],
    ),
    (
        "decision roles lose Executive Sponsor",
        "influence/defaults.py",
        'DECISION_ROLES = ("Decision Maker", "Economic Buyer", "Executive Sponsor")',
        'DECISION_ROLES = ("Decision Maker", "Economic Buyer")',
        ["tests/test_defaults.py"],
    ),
]


def run_mutant(name: str, file: str, old: str, new: str, tests: list[str]) -> bool:
    """True when some test fails on the mutant (it is killed)."""
    with tempfile.TemporaryDirectory(prefix="influence-mutant-") as tmp:
        copy = Path(tmp)
        shutil.copytree(ROOT / "influence", copy / "influence")
        path = copy / file
        text = path.read_text(encoding="utf-8")
        if text.count(old) != 1:
            sys.exit(f"mutant {name!r}: {old!r} occurs {text.count(old)} times in {file}")
        path.write_text(text.replace(old, new), encoding="utf-8")
        for shared in ("tests", "data", "bench", "pyproject.toml", "README.md"):
            (copy / shared).symlink_to(ROOT / shared)
        env = {**os.environ, "PYTHONPATH": str(copy)}
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
             "--no-header", "-o", "addopts=", *tests],
            cwd=copy, env=env, capture_output=True, text=True,
        )  # fmt: skip
        return done.returncode != 0


def main(argv: list[str]) -> int:
    chosen = [m for m in MUTANTS if not argv or any(a in m[0] for a in argv)]
    survivors = []
    for m in chosen:
        killed = run_mutant(*m)
        print(f"{'killed  ' if killed else 'SURVIVED'}  {m[0]}", flush=True)
        if not killed:
            survivors.append(m[0])
    print(f"{len(chosen) - len(survivors)}/{len(chosen)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
