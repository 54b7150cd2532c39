"""No process-wide state is changed at import or left changed after a call.

Each check runs in a fresh interpreter, so what pytest or other tests did does not count:
the umask is never touched (not even read, which means setting it), and the random
module's state, igraph's generator (its default, the random module), csv's field size
limit and the BLAS/OpenMP thread counts are the same after analysing and drawing an
account as before.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code).replace("SAMPLE", str(ROOT / "data/sample"))],
        cwd=ROOT / "tests",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_import_changes_no_process_state():
    out = _run(
        """
        import os, pkgutil, importlib
        calls = []
        real = os.umask
        os.umask = lambda mask: calls.append(mask) or real(mask)
        import influence
        for m in pkgutil.walk_packages(influence.__path__, "influence."):
            if not m.name.endswith("__main__"):
                importlib.import_module(m.name)
        print("umask calls", calls)
        """
    )
    assert "umask calls []" in out


def test_analysis_leaves_process_state_as_it_found_it():
    out = _run(
        """
        import csv, random
        import igraph as ig
        from threadpoolctl import threadpool_info

        random.seed(7)
        reference = ig.Graph.Erdos_Renyi(30, 0.2).get_edgelist()
        random.seed(123)
        state = random.getstate()
        limit = csv.field_size_limit()
        import numpy, scipy.linalg  # their BLAS loaded before, so its count can be compared
        threads = {i["filepath"]: i["num_threads"] for i in threadpool_info()}

        import influence
        ds = influence.load("SAMPLE")
        acct = ds.account(ds.accounts[0])
        acct.influencers(); acct.coalitions(); acct.support(); acct.map()

        assert random.getstate() == state, "random module state changed"
        assert csv.field_size_limit() == limit, "csv.field_size_limit changed"
        after = {i["filepath"]: i["num_threads"] for i in threadpool_info()}
        assert {k: after[k] for k in threads} == threads, (threads, after)
        random.seed(7)
        assert ig.Graph.Erdos_Renyi(30, 0.2).get_edgelist() == reference, (
            "igraph no longer draws from Python's random module")
        print("ok")
        """
    )
    assert out.strip().endswith("ok")


def test_record_lines_restores_the_csv_field_limit():
    import csv

    from influence.io.records import record_lines

    limit = csv.field_size_limit()
    text = 'a,b\n"x\ny",1\n'
    assert record_lines(text, ",", 1).tolist() == [2]
    assert csv.field_size_limit() == limit
