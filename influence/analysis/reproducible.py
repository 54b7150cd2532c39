"""Reproducible numerics without process-wide side effects.

Two sources make the last digits of a result depend on where it was computed:

* **Randomness.** igraph's Louvain and layout algorithms draw from igraph's generator
  (by default Python's :mod:`random` module). :func:`igraph_seed` gives igraph a private
  seeded generator for one call and its default back afterwards; the :mod:`random`
  module's state is never touched.
* **Threads.** OpenBLAS splits LAPACK's dense eigensolver and solvers, and OpenMP
  splits igraph's PRPACK PageRank, across threads; the order of floating-point sums,
  hence rounding, then depends on the thread count (which differs between a laptop, a
  process pool and a Dask worker, whose nanny sets ``OPENBLAS_NUM_THREADS=1``).
  :func:`single_threaded` runs a block on one BLAS and one OpenMP thread
  (threadpoolctl) and restores the previous counts afterwards.

Both are context managers that only change state for the duration of the block. Seeded
blocks take a lock, so two threads of one process do not interleave their draws; the
BLAS limit (process-wide) is taken by the first thread that enters and restored by the
last that leaves; the OpenMP limit belongs to the calling thread.

Examples
--------
>>> import random
>>> import igraph as ig
>>> before = random.getstate()
>>> with igraph_seed(42):
...     a = ig.Graph.Erdos_Renyi(20, 0.3).get_edgelist()
>>> with igraph_seed(42):
...     b = ig.Graph.Erdos_Renyi(20, 0.3).get_edgelist()
>>> a == b, random.getstate() == before
(True, True)

References
----------
threadpoolctl, https://github.com/joblib/threadpoolctl (thread limits of native
libraries, restored on exit). python-igraph, ``igraph.set_random_number_generator``
(igraph draws from :mod:`random` by default).
"""

from __future__ import annotations

import functools
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["igraph_seed", "single_threaded"]

_RANDOM = threading.RLock()
_BLAS = threading.Lock()
_blas_users = 0
_blas_limiter = None


@contextmanager
def igraph_seed(seed: int) -> Iterator[None]:
    """Give igraph its own generator, ``random.Random(seed)``, for the block; then its
    default again (Python's :mod:`random` module, whose state is never touched).

    A private generator, not the seeded :mod:`random` module: other threads (a Dask
    worker's event loop, say) draw from :mod:`random` and would interleave their draws
    with igraph's. igraph has no getter for its generator, so one a user installed with
    ``igraph.set_random_number_generator`` is replaced by the default after the block.

    Parameters
    ----------
    seed : int
        Seed of the generator: the same seed gives igraph the same draws.

    Yields
    ------
    None

    Examples
    --------
    >>> import igraph as ig
    >>> g = ig.Graph.Famous("Zachary")
    >>> with igraph_seed(1):
    ...     a = g.community_multilevel().membership
    >>> with igraph_seed(1):
    ...     b = g.community_multilevel().membership
    >>> a == b
    True
    """
    import igraph as ig

    with _RANDOM:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


@functools.cache
def _controller():
    """One controller for the process, made after the native libraries whose thread pools
    it limits are loaded: threadpoolctl only sees the libraries loaded when it is made, and
    numpy, scipy (its own OpenBLAS) and igraph (its own libgomp) each bring one."""
    import igraph  # noqa: F401
    import numpy  # noqa: F401
    import scipy.linalg  # noqa: F401
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextmanager
def single_threaded() -> Iterator[None]:
    """Run the block on one BLAS and one OpenMP thread, then restore the previous counts.

    Yields
    ------
    None

    Examples
    --------
    >>> import numpy as np
    >>> from threadpoolctl import threadpool_info
    >>> def blas_threads():
    ...     return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    >>> before = blas_threads()
    >>> with single_threaded():
    ...     inside = blas_threads()
    >>> set(inside), blas_threads() == before
    ({1}, True)
    """
    global _blas_users, _blas_limiter
    controller = _controller()
    with _BLAS:
        if _blas_users == 0:
            _blas_limiter = controller.limit(limits=1, user_api="blas")
        _blas_users += 1
    try:
        with controller.limit(limits=1, user_api="openmp"):
            yield
    finally:
        with _BLAS:
            _blas_users -= 1
            if _blas_users == 0:
                _blas_limiter.restore_original_limits()
                _blas_limiter = None
