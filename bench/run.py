#!/usr/bin/env python3
"""Batch benchmark: ``influence analyze`` against the plain pandas + networkx script.

    python bench/run.py [--sizes 300 1000 3000] [--repeat 1] [--work DIR]

For each size it generates a Salesforce-shaped export (bench/make_export.py), then times
in the same run, on the same machine:

* ``influence analyze EXPORT --maps 0`` (metrics for every account, all cores), and
* ``../shared/bench/good_baseline.py EXPORT OUT`` (the competitor script).

It prints seconds (median over repeats), activity rows per second, peak memory of the
whole process tree (sampled every 50 ms with psutil; the median and the largest peak over
repeats) and the time ratio, then a line per size showing how cost grows with export size.
Memory is the proportional set size (PSS) where the system reports it (Linux): a page
shared by a parent and a just-started worker counts once, not once per process as the
resident size (RSS, used elsewhere) would count it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT.parent / "shared" / "bench" / "good_baseline.py"
HAS_PSS = hasattr(psutil.Process().memory_full_info(), "pss")


def footprint(p: psutil.Process) -> int:
    """Bytes of memory a process uses: its PSS where known, else its RSS."""
    if HAS_PSS:
        return p.memory_full_info().pss
    return p.memory_info().rss


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MB, :func:`footprint`) of a command and its children."""
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(footprint(p) for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()[-2000:]}")
    return seconds, peak / 2**20


def peaks(runs: list[tuple[float, float]]) -> str:
    """Median and largest peak memory over repeated runs, e.g. ``1,904 (max 1,957)``."""
    mb = [m for _, m in runs]
    return f"{statistics.median(mb):7,.0f} (max {max(mb):,.0f})"


def activity_rows(export: Path) -> int:
    return sum(
        sum(1 for _ in open(export / f, "rb")) - 1
        for f in ("Task.csv", "Event.csv", "EventRelation.csv")
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[300, 1000, 3000])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    py = sys.executable
    print(
        f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
    )
    rows = []
    for n in args.sizes:
        export = args.work / f"export-{n}"
        if not (export / "Contact.csv").exists():
            subprocess.run(
                [py, str(ROOT / "bench" / "make_export.py"), str(export), "--accounts", str(n)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        acts = activity_rows(export)
        ours, base = [], []
        for _ in range(args.repeat):
            ours.append(
                measure(
                    [
                        py,
                        "-m",
                        "influence",
                        "analyze",
                        str(export),
                        "--out",
                        str(args.work / f"out-{n}"),
                        "--maps",
                        "0",
                        "--quiet",
                    ]
                )
            )
            base.append(measure([py, str(BASELINE), str(export), str(args.work / f"base-{n}")]))
        t_ours = statistics.median(s for s, _ in ours)
        t_base = statistics.median(s for s, _ in base)
        m_ours, m_base = peaks(ours), peaks(base)
        rows.append((n, acts, t_ours, t_base))
        print(f"{n} accounts, {acts:,} activity rows:")
        print(f"  influence  {t_ours:8.1f} s  {acts / t_ours:10,.0f} rows/s  peak {m_ours} MB")
        print(f"  baseline   {t_base:8.1f} s  {acts / t_base:10,.0f} rows/s  peak {m_base} MB")
        print(f"  speed-up   {t_base / t_ours:8.2f}x  (baseline time / influence time)")
    print("growth (seconds per 100k activity rows):")
    for n, acts, t_ours, t_base in rows:
        per = 1e5 / acts
        print(f"  {n:6d} accounts: influence {t_ours * per:6.2f}  baseline {t_base * per:6.2f}")


if __name__ == "__main__":
    main()
