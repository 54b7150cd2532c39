"""`import influence` stays light: the heavy modules load on first use (#14)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ["igraph", "numba", "matplotlib", "scipy", "pyvis"]


def loaded_after(code: str) -> set[str]:
    """The HEAVY modules in sys.modules after running ``code`` in a fresh interpreter."""
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_import_influence_loads_no_heavy_module():
    assert loaded_after("import influence") == set()


def test_heavy_modules_load_on_first_use():
    # The probe can see them: ranking an account loads igraph and scipy.
    code = (
        "import influence\n"
        "ds = influence.load('data/sample')\n"
        "ds.account(ds.accounts[0]).influencers()"
    )
    assert {"igraph", "scipy"} <= loaded_after(code)
