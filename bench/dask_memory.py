#!/usr/bin/env python3
"""Peak memory of a local run and of a Dask run, the driver apart from the workers.

    python bench/dask_memory.py [--accounts 3000] [--workers 2] [--maps 0] [--work DIR]
                                [--export DIR]

Generates a Salesforce-shaped export (bench/make_export.py, ``--seed 7``) unless
``--export`` names one, then runs ``influence analyze EXPORT --maps N``:

* locally (``--executor processes --jobs W``): the peak of the whole process tree, the
  main process and its workers;
* on a Dask cluster this script starts on loopback (a scheduler and ``W`` single-thread
  workers; ``--executor dask --scheduler ...``, the export read on a worker): the peak of
  the driver alone and of each worker (the loader is the worker that read the export).

Memory is the proportional set size (PSS) where the system reports it (Linux), else the
resident size, sampled every 50 ms with psutil (as bench/run.py). The outputs of the two
runs are compared file by file (``run.json`` and everything else: they must be equal).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from run import footprint  # noqa: E402  (bench/run.py: PSS where known)

MB = 2**20


def _env() -> dict[str, str]:
    """The environment of every process started here: the package of this checkout."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def _mem(p: psutil.Process) -> int:
    try:
        return footprint(p)
    except psutil.Error:
        return 0


def watch(cmd: list[str], workers: list[psutil.Process]) -> tuple[float, int, int, list[int]]:
    """Run ``cmd``; its wall seconds, the peak of its process tree, of itself alone, and
    of each of ``workers`` (processes started before, e.g. Dask workers)."""
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env())
    tree = alone = 0
    each = [0] * len(workers)
    while proc.poll() is None:
        try:
            mine = _mem(proc)
            kids = [_mem(c) for c in proc.children(recursive=True)]
        except psutil.Error:
            mine, kids = 0, []
        alone, tree = max(alone, mine), max(tree, mine + sum(kids))
        for i, w in enumerate(workers):
            each[i] = max(each[i], _mem(w) + sum(_mem(c) for c in _children(w)))
        time.sleep(0.05)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()[-2000:]}")
    return time.perf_counter() - start, tree, alone, each


def _children(p: psutil.Process) -> list[psutil.Process]:
    try:
        return p.children(recursive=True)
    except psutil.Error:
        return []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--accounts", type=int, default=3000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--maps", type=int, default=0)
    ap.add_argument("--work", type=Path)
    ap.add_argument("--export", type=Path)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="dask-memory-"))
    export = args.export or work / f"export-{args.accounts}"
    if not export.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_export.py"), str(export),
                        "--accounts", str(args.accounts), "--seed", "7"], check=True)  # fmt: skip
    analyze = [sys.executable, "-m", "influence.cli", "analyze", str(export), "--quiet",
               "--maps", str(args.maps)]  # fmt: skip
    local, remote = work / "out-local", work / "out-dask"
    for d in (local, remote):
        subprocess.run(["rm", "-rf", str(d)], check=True)

    w = args.workers
    s, tree, alone, _ = watch([*analyze, "--out", str(local), "--jobs", str(w)], [])
    print(f"local  (processes, {w} workers): {s:6.1f} s  tree {tree / MB:6.0f} MB  "
          f"main process {alone / MB:6.0f} MB")  # fmt: skip

    dask = Path(sys.executable).parent / "dask"
    address = f"tcp://127.0.0.1:{_free_port()}"
    log = open(work / "dask.log", "w")  # noqa: SIM115  (open while the cluster runs)
    host = ["--host", "127.0.0.1", "--no-dashboard"]
    worker = [str(dask), "worker", address, "--nthreads", "1", "--no-nanny", *host]
    procs = [subprocess.Popen([str(dask), "scheduler", "--port", address.rsplit(":", 1)[1],
                               *host], stdout=log, stderr=log, env=_env())]  # fmt: skip
    try:
        time.sleep(3)
        for _ in range(w):
            procs.append(subprocess.Popen(worker, stdout=log, stderr=log, env=_env()))
        from dask.distributed import Client

        with Client(address, timeout="60s") as c:
            c.wait_for_workers(w, timeout=120)
        workers = [psutil.Process(p.pid) for p in procs[1:]]
        cmd = [*analyze, "--out", str(remote), "--executor", "dask", "--scheduler", address]
        s, tree, alone, each = watch(cmd, workers)
        shown = ", ".join(f"{m / MB:.0f}" for m in each)
        print(f"dask   ({w} workers, read on the cluster): {s:6.1f} s  driver {alone / MB:6.0f} MB"
              f"  workers {shown} MB (largest: the loader)")  # fmt: skip
    finally:
        for p in procs[:0:-1] + procs[:1]:  # the workers, then the scheduler
            p.terminate()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        log.close()
    same = digest(local) == digest(remote)
    print(f"outputs identical: {same}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
