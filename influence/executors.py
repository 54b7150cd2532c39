"""Running independent tasks: in this process, across local cores, or on a Dask cluster.

Every executor runs the same function on the same tasks; only where it runs differs,
so results are identical whichever executor is used. Results come back as they finish;
callers that need an order sort them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

EXECUTORS = ("processes", "serial", "dask")


def run_tasks(
    fn: Callable[[Any], Any],
    tasks: list,
    executor: str = "processes",
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
) -> Iterator[Any]:
    """Yield ``fn(task)`` for every task, in completion order.

    Parameters
    ----------
    executor : ``"processes"`` (default: a local process pool of ``jobs`` workers, all
        cores by default), ``"serial"`` (this process) or ``"dask"`` (the Dask cluster at
        ``scheduler``, e.g. ``tcp://10.0.0.5:8786``; without an address a local cluster is
        started and stopped). Dask needs ``pip install influence[dask]``.
    """
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    jobs = jobs or os.cpu_count() or 1
    if executor == "serial" or (executor == "processes" and (jobs == 1 or len(tasks) < 2)):
        yield from map(fn, tasks)
    elif executor == "processes":
        yield from _processes(fn, tasks, jobs)
    else:
        yield from _dask(fn, tasks, scheduler, jobs)


def _processes(fn, tasks: Iterable, jobs: int) -> Iterator[Any]:
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(fn, t) for t in tasks]
        for f in as_completed(futures):
            yield f.result()


def _dask(fn, tasks: list, scheduler: str | None, jobs: int) -> Iterator[Any]:
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise RuntimeError("the dask executor needs: pip install 'influence[dask]'") from None
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, dashboard_address=None)
    client = Client(scheduler or cluster, timeout="30s")
    try:
        futures = client.map(fn, tasks, pure=False)
        for f in dask_completed(futures):
            yield f.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
