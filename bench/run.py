#!/usr/bin/env python3
"""Batch benchmark: what users run, against the plain pandas + networkx script.

    python bench/run.py [--sizes 300 1000 3000] [--shapes activity contact]
                        [--people 1000 5000] [--repeat 3] [--quick] [--work DIR]

For each export shape (bench/make_export.py ``--shape``: ``activity``, ~12 activities
per contact and heavily skewed account sizes; ``contact``, ~4 per contact and larger,
less skewed accounts) and size, it generates a Salesforce-shaped export, then times in
the same run, on the same machine, on the same export:

* ``../shared/bench/good_baseline.py EXPORT OUT`` (the competitor script),
* ``influence analyze EXPORT --maps 0`` (metrics for every account, all cores), and
* ``influence analyze EXPORT`` (the default: maps and reports for the 50 largest
  accounts as well), the command users run.

Then, for each ``--people`` size, one account of that many people (bench/big_account.py,
20 activities per person, stances on three quarters of them) in the canonical folder
format, timed with ``--maps 0`` and the default (the competitor does not read that format).

It prints seconds (median over ``--repeat``), peak memory of the whole process tree
(sampled every :data:`SAMPLE_SECONDS` with psutil; median and largest peak over repeats)
and the ratios. A sample costs about 2.4 ms of CPU per process (the kernel walks the
process's memory map for ``/proc/PID/smaps_rollup``): every 50 ms, as this script first
sampled, that took a quarter of a core from a run of five processes (ours: the main
process, the fork server, two workers, the resource tracker) and a twentieth from the
one-process competitor, on a 2-core machine.
Memory is the proportional set size (PSS) where the system reports it (Linux): a page
shared by a parent and a just-started worker counts once, not once per process as the
resident size (RSS, used elsewhere) would count it.

``--quick`` (300 accounts, activity shape, one 1,000-person account, one run each) is
for checks on a shared machine; ``make bench`` runs the full table.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
# ../shared/bench from the main checkout; from a worktree (/work/wt/NAME) one level more.
BASELINE = next(
    (p / "shared" / "bench" / "good_baseline.py" for p in ROOT.parents
     if (p / "shared" / "bench" / "good_baseline.py").exists()),
    ROOT.parent / "shared" / "bench" / "good_baseline.py",
)  # fmt: skip
HAS_PSS = hasattr(psutil.Process().memory_full_info(), "pss")


def footprint(p: psutil.Process) -> int:
    """Bytes of memory a process uses: its PSS where known, else its RSS."""
    if HAS_PSS:
        return p.memory_full_info().pss
    return p.memory_info().rss


#: Seconds between two samples of a run's memory (see the module's docstring).
SAMPLE_SECONDS = 0.25


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
        with contextlib.suppress(psutil.TimeoutExpired):
            proc.wait(SAMPLE_SECONDS)
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


def timed(cmds: dict[str, list[str]], repeat: int) -> dict[str, list[tuple[float, float]]]:
    """Run each command ``repeat`` times, interleaved (a, b, c, a, b, c, ...), so that a
    change in the machine's load hits all of them alike."""
    runs: dict[str, list] = {k: [] for k in cmds}
    for _ in range(repeat):
        for k, cmd in cmds.items():
            runs[k].append(measure(cmd))
    return runs


def report(label: str, runs: dict[str, list[tuple[float, float]]]) -> dict[str, float]:
    t = {k: statistics.median(s for s, _ in v) for k, v in runs.items()}
    print(label)
    for k, v in runs.items():
        print(f"  {k:<18} {t[k]:8.1f} s   peak {peaks(v)} MB")
    if "competitor" in t:
        speed = t["competitor"] / t["--maps 0"]
        print(f"  competitor / --maps 0   {speed:6.2f}x  (target >= 8 at 3,000, >= 1 always)")
        print(f"  competitor / default    {t['competitor'] / t['default']:6.2f}x")
    cost = t["default"] / t["--maps 0"]
    print(f"  default / --maps 0      {cost:6.2f}x  (target <= 2 at 3,000; <= 4 one account)")
    return t


def ours(py: str, src: Path, out: Path, maps0: bool) -> list[str]:
    cmd = [py, "-m", "influence", "analyze", str(src), "--out", str(out), "--quiet"]
    return cmd + (["--maps", "0"] if maps0 else [])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[300, 1000, 3000])
    ap.add_argument("--shapes", nargs="+", default=["activity", "contact"])
    ap.add_argument("--people", type=int, nargs="*", default=[1000, 5000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--quick", action="store_true", help="300 accounts, one shape, 1,000 people, 1 run"
    )
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    if args.quick:
        args.sizes, args.shapes, args.people, args.repeat = [300], ["activity"], [1000], 1
    py = sys.executable
    print(
        f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}; "
        f"medians of {args.repeat}"
    )
    imports = timed(
        {"python": [py, "-c", "pass"], "import influence": [py, "-c", "import influence"]},
        max(args.repeat, 5),
    )
    t = {k: statistics.median(s for s, _ in v) for k, v in imports.items()}
    print(f"import influence: {t['import influence']:.2f} s "
          f"({t['import influence'] - t['python']:.2f} s over a bare interpreter)")  # fmt: skip
    for shape in args.shapes:
        for n in args.sizes:
            export = args.work / f"export-{shape}-{n}"
            if not (export / "Contact.csv").exists():
                subprocess.run(
                    [py, str(ROOT / "bench" / "make_export.py"), str(export), "--accounts",
                     str(n), "--shape", shape],
                    check=True, stdout=subprocess.DEVNULL,
                )  # fmt: skip
            w = args.work / f"{shape}-{n}"
            runs = timed(
                {
                    "competitor": [py, str(BASELINE), str(export), str(w / "base")],
                    "--maps 0": ours(py, export, w / "maps0", True),
                    "default": ours(py, export, w / "default", False),
                },
                args.repeat,
            )
            report(f"{shape} shape, {n} accounts, {activity_rows(export):,} activity rows:", runs)
    sys.path.insert(0, str(ROOT / "bench"))
    from big_account import make

    for people in args.people:
        with tempfile.TemporaryDirectory() as tmp:
            make(Path(tmp), people, 20 * people)
            w = args.work / f"account-{people}"
            runs = timed(
                {
                    "--maps 0": ours(py, Path(tmp), w / "maps0", True),
                    "default": ours(py, Path(tmp), w / "default", False),
                },
                args.repeat,
            )
            report(f"one account of {people:,} people, {20 * people:,} activities:", runs)


if __name__ == "__main__":
    main()
