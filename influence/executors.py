"""Running independent tasks: in this process, across local cores, or on a Dask cluster.

Every executor runs the same function on the same tasks; only where it runs differs,
so results are identical whichever executor is used. Results come back as they finish;
callers that need an order sort them.

Tasks are taken from their iterable as workers need them, with at most ``in_flight``
submitted and not yet finished, so a caller can build each task (and hold its data)
only shortly before it runs. Local worker processes are never forked from the caller:
a forked worker would map all of the parent's memory (the whole dataset) and count it
again in its own resident size. Where the platform has it (POSIX), they are forked from
a fork server, a fresh process that imported the modules the workers need once
(``preload``, about a second of imports that each fresh worker paid again, and that
:func:`start_workers` lets the caller overlap with its own work); the workers share
those modules' memory with the server. Elsewhere they start fresh (``spawn``).
OpenBLAS's idle threads spin for about 2**28 CPU cycles (a tenth of a second) after each
call before they sleep; with a worker on every core, that spinning takes the cores from
the other workers and doubled the CPU cost of a small account. Workers are started with
the shortest spin (:data:`WORKER_ENVIRONMENT`): the same threads share the same work, so
results are the same to the last bit.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

#: Environment of local worker processes (a variable already set is kept): OpenBLAS's
#: idle threads spin for 2**4 cycles, not 2**28, before they sleep.
WORKER_ENVIRONMENT = {"OPENBLAS_THREAD_TIMEOUT": "4"}

EXECUTORS = ("processes", "serial", "dask")

#: Seconds without a finished task after which a Dask run calls its ``watch``.
WATCH_SECONDS = 5.0


def run_tasks(
    fn: Callable[[Any], Any],
    tasks: Iterable,
    executor: str = "processes",
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    in_flight: int | None = None,
    client: Any = None,
    preload: Sequence[str] = (),
    watch: Callable[[], None] | None = None,
) -> Iterator[Any]:
    """Yield ``fn(task)`` for every task, in completion order.

    Parameters
    ----------
    executor : ``"processes"`` (default: a local process pool of ``jobs`` workers, all
        cores by default), ``"serial"`` (this process) or ``"dask"`` (the Dask cluster at
        ``scheduler``, e.g. ``tcp://10.0.0.5:8786``; without an address a local cluster is
        started and stopped). Dask needs ``pip install influence[dask]``.
    in_flight : most tasks submitted and not finished at any time (default: two per
        worker); ``tasks`` is consumed lazily.
    client : with ``"dask"``, an open :func:`dask_client` to use (and leave open) instead
        of connecting to ``scheduler``; a task may then be a Dask future of that client
        (``fn`` gets its result, computed where the data already is).
    preload : with ``"processes"``, modules the workers need, imported once in the fork
        server they are forked from (:func:`start_workers`; ``fn``'s module always is).
    watch : with ``"dask"``, called whenever no task has finished for
        :data:`WATCH_SECONDS`; it raises to stop the run (e.g. when a worker that tasks
        are pinned to has left the cluster: they would wait for it for ever).
    """
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    jobs = jobs or os.cpu_count() or 1
    in_flight = max(in_flight or 2 * jobs, 1)
    tasks = iter(tasks)
    if executor == "processes" and jobs > 1:
        # A single task is not worth starting workers for.
        head = list(itertools.islice(tasks, 2))
        tasks = itertools.chain(head, tasks)
        if len(head) < 2:
            executor = "serial"
    if executor == "serial" or (executor == "processes" and jobs == 1):
        yield from map(fn, tasks)
    elif executor == "processes":
        yield from _processes(fn, tasks, jobs, in_flight, (fn.__module__, *preload))
    else:
        yield from _dask(fn, tasks, scheduler, jobs, in_flight, client, watch)


def concurrency(executor: str = "processes", jobs: int | None = None, client: Any = None) -> int:
    """How many tasks :func:`run_tasks` runs at once with these arguments: 1 in this
    process (``"serial"``), the threads of ``client``'s workers on a Dask cluster given
    one, else ``jobs`` (all cores by default)."""
    if executor == "serial":
        return 1
    if executor == "dask" and client is not None:
        return max(sum(client.nthreads().values()), 1)
    return jobs or os.cpu_count() or 1


def start_workers(preload: Sequence[str] = ()) -> None:
    """Start the fork server that local workers (``executor="processes"``) are forked
    from, importing ``preload`` there, and return at once: the imports run beside the
    caller's own work (e.g. loading the data). Later :func:`run_tasks` calls use it.

    The server lives as long as this process. Only the first call's ``preload`` is
    imported there (a module it lacks is imported by each worker that needs it). Workers
    get the caller's environment of each run, but what a library read from the
    environment as it was imported (OpenBLAS's spin, :data:`WORKER_ENVIRONMENT`) is as
    it was at this call. Does nothing where there are no fork servers (Windows):
    workers then start fresh.
    """
    context = _context(preload)
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        with environment(WORKER_ENVIRONMENT):
            forkserver.ensure_running()


def _context(preload: Sequence[str]) -> multiprocessing.context.BaseContext:
    """The start method of local workers: a fork server importing ``preload`` where the
    platform has one, else ``spawn``."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(dict.fromkeys(preload)))  # before it starts only
    return context


def _processes(
    fn, tasks: Iterator, jobs: int, in_flight: int, preload: Sequence[str]
) -> Iterator[Any]:
    """The process pool. Workers ignore SIGINT (:func:`_worker_start`): on Ctrl-C, or when
    the caller closes this generator, the pool is stopped at once (:func:`_stop`) rather
    than waiting for the running tasks."""
    context = _context(preload)
    with environment(WORKER_ENVIRONMENT):  # the fork server starts with the first worker
        env = (dict(os.environ),)
        pool = ProcessPoolExecutor(jobs, context, initializer=_worker_start, initargs=env)
        try:
            pending = {pool.submit(fn, t) for t in itertools.islice(tasks, in_flight)}
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                pending |= {pool.submit(fn, t) for t in itertools.islice(tasks, len(done))}
                for f in done:
                    yield f.result()
        except BaseException:  # KeyboardInterrupt, GeneratorExit, a task's error
            _stop(pool)
            raise
        pool.shutdown()


def _worker_start(env: dict[str, str]) -> None:
    """In each worker process: the caller's environment of this run, ``env`` (a worker
    forked from a fork server started earlier would have the environment of that
    start), and Ctrl-C left to the parent, which stops the pool (the terminal sends
    SIGINT to the whole process group)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # what the fork server imported: never collected, so its pages stay shared
    if env != os.environ:
        os.environ.clear()
        os.environ.update(env)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` now: queued tasks cancelled, running workers terminated.

    A worker terminated while sending its result leaves half a message in the result
    pipe, and the pool's manager thread would wait for the rest for ever (and the
    interpreter with it, at exit). Once the workers are gone, the parent's end of that
    pipe is closed too: the manager thread then reads the end of the pipe, declares the
    pool broken and exits (as when a worker dies)."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for p in workers:
        with contextlib.suppress(Exception):
            p.terminate()
    for p in workers:
        with contextlib.suppress(Exception):
            p.join(timeout=1)
    with contextlib.suppress(Exception):
        results._writer.close()


@contextlib.contextmanager
def environment(variables: dict[str, str]) -> Iterator[None]:
    """Processes started inside inherit ``variables`` (set in ``os.environ``, then
    removed); a variable already set is kept as it is."""
    added = [v for v in variables if v not in os.environ]
    os.environ.update({v: variables[v] for v in added})
    try:
        yield
    finally:
        for v in added:
            os.environ.pop(v, None)


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, jobs: int | None = None) -> Iterator[Any]:
    """A Dask ``Client`` of the cluster at ``scheduler`` (without an address a local
    cluster of ``jobs`` single-thread workers, all cores by default, is started), closed
    (and the local cluster stopped) on leaving.

    The local cluster's workers have no memory limit, like the process pool's: with
    Dask's default (the machine's memory shared equally) a worker holding a large task's
    data (e.g. a dataset a task loaded) would be paused, then restarted, and its work
    lost."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise RuntimeError("the dask executor needs: pip install 'influence[dask]'") from None
    cluster = None
    if scheduler is None:
        n = jobs or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, dashboard_address=None,
                               memory_limit=0)  # fmt: skip
    try:
        client = Client(scheduler or cluster, timeout="30s")
        try:
            yield client
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


def _dask(
    fn, tasks: Iterator, scheduler: str | None, jobs: int, in_flight: int, client=None,
    watch: Callable[[], None] | None = None,
) -> Iterator[Any]:  # fmt: skip
    if client is None:
        with dask_client(scheduler, jobs) as client:
            yield from _dask(fn, tasks, scheduler, jobs, in_flight, client, watch)
        return
    from dask.distributed import wait as dask_wait

    in_flight = max(in_flight, 2 * sum(client.nthreads().values()))
    order = itertools.count()  # results of one wait in the order of submission
    pending = {client.submit(fn, t, pure=False): next(order)
               for t in itertools.islice(tasks, in_flight)}  # fmt: skip
    while pending:
        try:
            done, _ = dask_wait(list(pending), WATCH_SECONDS, return_when="FIRST_COMPLETED")
        except TimeoutError:
            done = set()
        if not done and watch is not None:
            watch()
        for f in sorted(done, key=pending.get):
            del pending[f]
            for t in itertools.islice(tasks, 1):
                pending[client.submit(fn, t, pure=False)] = next(order)
            yield f.result()
            f.release()
