"""Betweenness and closeness from one set of Dijkstra runs, compiled with numba.

Brandes' algorithm already finds every shortest-path distance from each source; outward
closeness only needs their sum. This kernel does both in one pass per source, in
machine code, and can split the sources across threads (numba releases the GIL).

The arithmetic is igraph's, so the values are igraph's: closeness to the last bit
always, betweenness to the last bit on the sample accounts and the 5,000-person
benchmark and within a unit in the last place elsewhere (the contributions of nodes at
equal distance are added in index order, igraph's in its heap's order; see the tests,
and :data:`influence.analysis.compute.KERNEL_WORK` for why that keeps outputs the same
on every worker): distances are stored plus one
and summed along paths in the same order; two path lengths are equal when
``igraph_cmp_epsilon(a, b, 1e-10)`` says so; closeness sums the exact shortest distances
in the order Dijkstra settles them (a source whose distances an epsilon tie shifted is
settled again with exact comparisons, as igraph's closeness does); each source's
betweenness contributions are added in source order. They equal networkx's except where
rounding makes two path lengths differ in the last bits only (``0.1 + 0.2`` and
``0.3``): igraph, and this kernel, count both paths there, networkx one. Two choices make
the result a function of the graph alone, whatever the threads:

* the heap settles nodes in order of (distance, node index), so nodes at exactly equal
  distance are settled by index rather than by the heap's history;
* an edge ``u -> v`` longer than some two-edge path ``u -> x -> v`` by more than
  floating-point error and igraph's epsilon allow (:func:`_margin`) is on no shortest
  path from any source, so it is dropped before the sweep: it could only have been a
  longer first guess. On the benchmark account 37% of the edges are such weak ties.

References: U. Brandes, "A faster algorithm for betweenness centrality", J. Math.
Sociol. 25 (2001); E. W. Dijkstra, "A note on two problems in connexion with graphs",
Numer. Math. 1 (1959).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numba import njit

__all__ = [
    "threads_for",
    "betweenness_closeness",
    "top_closeness",
    "warm",
]

EPS = 1e-10  # igraph's IGRAPH_SHORTEST_PATH_EPSILON
_DBL_MIN = 2.2250738585072014e-308
_HI = 1.0 + 3e-10  # a > b * _HI (or a < b * _LO) is certainly outside EPS of b
_LO = 1.0 - 3e-10
#: Below this many edge scans (sources x edges) one thread does the whole sweep.
PARALLEL_WORK = 20_000_000
_CHUNK = 8  # sources per task handed to a thread


def _jit(f):
    """Compiled without the GIL and cached beside this file (or in numba's user cache);
    where neither can be written, compiled in each process instead."""
    try:
        return njit(nogil=True, cache=True)(f)
    except RuntimeError:  # numba: "no locator available" for a read-only install
        return njit(nogil=True)(f)


@njit(inline="always")
def _cmp_eps(a, b):
    """igraph_cmp_epsilon(a, b, EPS): 0 if a and b are equal up to EPS, else sign(a - b)."""
    if a == b:
        return 0
    if 0.0 < a < 1e300 and 0.0 < b < 1e300:
        if a > b * _HI:
            return 1
        if a < b * _LO:
            return -1
    diff = a - b
    ad = abs(diff)
    s = abs(a) + abs(b)
    if a == 0.0 or b == 0.0 or s < _DBL_MIN:
        if ad < EPS * _DBL_MIN:
            return 0
    elif not np.isfinite(s):
        if ad < EPS * abs(a) + EPS * abs(b):
            return 0
    elif ad / s < EPS:
        return 0
    return -1 if diff < 0 else 1


# A binary min-heap of (distance, node) with a position index, filled by moving a hole.
@njit(inline="always")
def _up(key, node, pos, e, x, v):
    while e != 0:
        p = (e - 1) >> 1
        if x > key[p] or (x == key[p] and v > node[p]):
            break
        key[e] = key[p]
        node[e] = node[p]
        pos[node[e]] = e
        e = p
    key[e] = x
    node[e] = v
    pos[v] = e


@njit(inline="always")
def _down(key, node, pos, size, e, x, v):
    while True:
        c = 2 * e + 1
        if c >= size:
            break
        d = c + 1
        if d < size and (key[d] < key[c] or (key[d] == key[c] and node[d] < node[c])):
            c = d
        if x < key[c] or (x == key[c] and v < node[c]):
            break
        key[e] = key[c]
        node[e] = node[c]
        pos[node[e]] = e
        e = c
    key[e] = x
    node[e] = v
    pos[v] = e


@_jit
def _sweep(indptr, targets, weights, pstart, sources, rows, total, reached, redo):
    """Brandes from each of ``sources``; row k of ``rows`` gets source k's contributions.

    ``total[k]`` and ``reached[k]`` are the sum of distances and the number of nodes
    reached (itself included); ``redo[k]`` is set when an epsilon tie kept a longer
    distance, so ``total[k]`` must come from :func:`_closeness_exact` instead.
    """
    n = indptr.shape[0] - 1
    dist = np.zeros(n)
    nrgeo = np.zeros(n)
    delta = np.zeros(n)
    stack = np.empty(n, np.int64)
    npar = np.zeros(n, np.int64)
    parents = np.empty(max(pstart[n], 1), np.int64)
    key = np.empty(n)
    node = np.empty(n, np.int64)
    pos = np.empty(n, np.int64)
    for k in range(sources.shape[0]):
        s = sources[k]
        row = rows[k]
        row[:] = 0.0
        key[0] = 1.0  # igraph stores distance + 1
        node[0] = s
        pos[s] = 0
        size = 1
        dist[s] = 1.0
        nrgeo[s] = 1.0
        top = 0
        tot = 0.0
        shifted = False
        while size > 0:
            u = node[0]
            du = key[0]
            size -= 1
            if size > 0:
                _down(key, node, pos, size, 0, key[size], node[size])
            stack[top] = u
            top += 1
            tot += du - 1.0
            gu = nrgeo[u]
            for e in range(indptr[u], indptr[u + 1]):
                v = targets[e]
                alt = du + weights[e]
                cur = dist[v]
                if cur == 0.0:  # first path to v
                    parents[pstart[v]] = u
                    npar[v] = 1
                    nrgeo[v] = gu
                    dist[v] = alt
                    _up(key, node, pos, size, alt, v)
                    size += 1
                    continue
                if alt > cur * _HI:  # certainly longer: the common case
                    continue
                c = _cmp_eps(alt, cur)
                if c < 0:  # a shorter path
                    parents[pstart[v]] = u
                    npar[v] = 1
                    nrgeo[v] = gu
                    dist[v] = alt
                    _up(key, node, pos, pos[v], alt, v)
                elif c == 0:  # an equally short path
                    if alt < cur:
                        shifted = True
                    parents[pstart[v] + npar[v]] = u
                    npar[v] += 1
                    nrgeo[v] += gu
        total[k] = tot
        reached[k] = top
        redo[k] = shifted
        while top > 0:
            top -= 1
            a = stack[top]
            coeff = (1.0 + delta[a]) / nrgeo[a]
            b = pstart[a]
            for j in range(b, b + npar[a]):
                p = parents[j]
                delta[p] += nrgeo[p] * coeff
            if a != s:
                row[a] = delta[a]
            dist[a] = 0.0
            nrgeo[a] = 0.0
            delta[a] = 0.0
            npar[a] = 0


@_jit
def _closeness_exact(indptr, targets, weights, s, floor):
    """igraph's closeness Dijkstra from ``s`` (exact comparisons): (sum, nodes reached,
    whether it ran to the end).

    With ``floor > 0`` the run stops as soon as the closeness of ``s`` (outward,
    Wasserman–Faust, as :func:`influence.analysis.compute.out_closeness`) is certainly
    below ``floor``: with ``k`` nodes settled, their distances summing to ``t``, the last
    at distance ``d``, every node still to settle is at least ``d`` away, so ``s``
    reaching ``R`` nodes has closeness at most
    :math:`(R-1)^2 / ((n-1)(t + (R-k) d))`, which over ``R`` (at least ``k`` plus the
    nodes queued, at most ``n``) is largest at one of the two ends.
    """
    n = indptr.shape[0] - 1
    dist = np.zeros(n)
    key = np.empty(n)
    node = np.empty(n, np.int64)
    pos = np.empty(n, np.int64)
    key[0] = 1.0
    node[0] = s
    pos[s] = 0
    size = 1
    dist[s] = 1.0
    tot = 0.0
    reached = 0
    while size > 0:
        u = node[0]
        du = key[0]
        size -= 1
        if size > 0:
            _down(key, node, pos, size, 0, key[size], node[size])
        tot += du - 1.0
        reached += 1
        if floor > 0.0 and du > 1.0:
            d = du - 1.0
            few = float(reached + size)
            most = float(n)
            top = max((few - 1.0) ** 2 / (tot + (few - reached) * d),
                      (most - 1.0) ** 2 / (tot + (most - reached) * d)) / (n - 1)  # fmt: skip
            if top < floor:
                return tot, reached, False
        for e in range(indptr[u], indptr[u + 1]):
            v = targets[e]
            alt = du + weights[e]
            if dist[v] == 0.0:
                dist[v] = alt
                _up(key, node, pos, size, alt, v)
                size += 1
            elif alt < dist[v]:
                dist[v] = alt
                _up(key, node, pos, pos[v], alt, v)
    return tot, reached, True


@_jit
def _closeness_all(indptr, targets, weights, total, reached):
    """:func:`_closeness_exact` from every node: closeness without betweenness."""
    for s in range(indptr.shape[0] - 1):
        total[s], reached[s], _ = _closeness_exact(indptr, targets, weights, s, 0.0)


@_jit
def _closeness_top(indptr, targets, weights, order, wanted, total, reached, known):
    """:func:`_closeness_exact` from the first ``wanted`` nodes of ``order``, then from the
    others with the largest closeness found so far (less a margin for rounding) as the
    floor: the nodes that may exceed it run to the end (``known``)."""
    n = indptr.shape[0] - 1
    best = 0.0
    for i in range(order.shape[0]):
        s = order[i]
        floor = 0.0 if i < wanted else best * (1.0 - 1e-9)
        tot, r, done = _closeness_exact(indptr, targets, weights, s, floor)
        if done:
            total[s] = tot
            reached[s] = r
            known[s] = True
            if tot > 0.0:
                best = max(best, (r - 1.0) / tot * (r - 1.0) / (n - 1))


@_jit
def _add_rows(res, rows, count):
    """``res += rows[0]; res += rows[1]; ...``: contributions summed in source order."""
    for i in range(count):
        for v in range(res.shape[0]):
            res[v] += rows[i, v]


@_jit
def _dominated(indptr, targets, weights, margin):
    """Edges ``u -> v`` longer than a path ``u -> x -> v`` by more than ``margin``."""
    n = indptr.shape[0] - 1
    best = np.full(n, np.inf)
    out = np.zeros(targets.shape[0], np.bool_)
    for u in range(n):
        for a in range(indptr[u], indptr[u + 1]):
            x = targets[a]
            wx = weights[a]
            for b in range(indptr[x], indptr[x + 1]):
                v = targets[b]
                if wx + weights[b] < best[v]:
                    best[v] = wx + weights[b]
        for a in range(indptr[u], indptr[u + 1]):
            out[a] = best[targets[a]] + margin < weights[a]
        for a in range(indptr[u], indptr[u + 1]):
            x = targets[a]
            for b in range(indptr[x], indptr[x + 1]):
                best[targets[b]] = np.inf
    return out


def _csr(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray):
    """Out-edges of each node in target order (igraph's incidence order), no loops."""
    keep = src != dst
    src, dst, w = src[keep], dst[keep], w[keep]
    order = np.lexsort((dst, src))
    src, dst, w = src[order], dst[order], w[order]
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, dst, w


def _margin(n: int, w: np.ndarray) -> float:
    """How much longer than a two-edge path an edge must be to be on no shortest path.

    From any source, a node ``u`` settled at distance ``d`` offers ``v`` the length
    ``d + w_uv`` and, through ``x``, at most ``(d + w_ux + w_xv)(1 + 2 EPS)^2``: an
    epsilon tie keeps a length up to ``2 EPS`` (relative) above the shortest, once per
    edge. Every stored distance is below ``2 * (1 + (n - 1) * max(w))``, so an edge
    longer than an alternative by more than ``1e-8`` (100 EPS) times that bound is
    longer than every tie's tolerance, from every source, with room for rounding.
    """
    top = float(w.max())
    return 1e-8 * (2.0 * (1.0 + (n - 1) * top) + top)


def _graph(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray):
    """The sweep's graph (:func:`_csr`) without the edges on no shortest path
    (:func:`_dominated`); ``ValueError`` if a length is not positive and finite."""
    src = np.asarray(src, np.int64)
    dst = np.asarray(dst, np.int64)
    w = np.asarray(w, float)
    if not (np.isfinite(w).all() and (w > 0).all()):
        raise ValueError("edge lengths must be positive and finite")
    indptr, dst, w = _csr(n, src, dst, w)
    if len(w):
        dominated = _dominated(indptr, dst, w, _margin(n, w))
        if dominated.any():
            src = np.repeat(np.arange(n), np.diff(indptr))[~dominated]
            indptr, dst, w = _csr(n, src, dst[~dominated], w[~dominated])
    return indptr, dst, w


def threads_for(work: int) -> int:
    """Threads for a sweep of ``work`` edge scans.

    The rule: several threads only for a large graph (``work >= PARALLEL_WORK``) in
    the main thread of a process that is not itself a pool worker. Accounts analysed
    in a batch run in process-pool or Dask workers, which already use every core:
    there, and in any other thread, the sweep stays on one thread, so cores are never
    oversubscribed and no pool is nested in another. Results do not depend on it.

    Parameters
    ----------
    work : int
        Sources × edges of the sweep.

    Returns
    -------
    int
        1, or the number of cores this process may use.

    Examples
    --------
    >>> threads_for(PARALLEL_WORK - 1)
    1
    >>> threads_for(PARALLEL_WORK) >= 1
    True
    """
    if work < PARALLEL_WORK:
        return 1
    if multiprocessing.parent_process() is not None:
        return 1
    if threading.current_thread() is not threading.main_thread():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cores or 1)


def betweenness_closeness(
    n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, threads: int | None = None,
    betweenness: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Raw betweenness, sum of outward distances and nodes reached, for every node.

    One Dijkstra run per source gives both (Brandes' accumulation for betweenness);
    ties between path lengths are decided with igraph's relative epsilon, so the result
    equals igraph's. Without ``betweenness``, one plain Dijkstra run per source (exact
    comparisons, as igraph's closeness) gives the same sums and counts, and
    betweenness is returned as zeros.

    Parameters
    ----------
    n : int
        Number of nodes ``0..n-1``.
    src, dst : numpy.ndarray of int
        ``src[i] -> dst[i]`` is an edge.
    w : numpy.ndarray of float
        Its length, positive and finite.
    threads : int, optional
        Threads to use; ``None`` chooses by :func:`threads_for`. The result is the same
        for any.
    betweenness : bool, default True
        Whether to compute betweenness (the closeness-only run takes about half as long).

    Returns
    -------
    betweenness : numpy.ndarray
        igraph's unnormalised ``betweenness(directed=True)``.
    total : numpy.ndarray
        For each node, the sum of its distances to the nodes it reaches.
    reached : numpy.ndarray of int64
        How many nodes it reaches, itself included.

    Raises
    ------
    ValueError
        If an edge length is not positive and finite.

    Examples
    --------
    The directed path ``0 -> 1 -> 2`` with unit lengths: one shortest path (0 to 2)
    goes through 1; 0 reaches 1 and 2 at distances 1 + 2 = 3.

    >>> bt, total, reached = betweenness_closeness(
    ...     3, np.array([0, 1]), np.array([1, 2]), np.array([1.0, 1.0]))
    >>> bt.tolist(), total.tolist(), reached.tolist()
    ([0.0, 1.0, 0.0], [3.0, 1.0, 0.0], [3, 2, 1])

    References
    ----------
    U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25
    (2001).
    """
    bt = np.zeros(n)
    total = np.zeros(n)
    reached = np.ones(n, np.int64)
    if n == 0 or not len(w):
        return bt, total, reached
    indptr, dst, w = _graph(n, src, dst, w)
    if not betweenness:
        _closeness_all(indptr, dst, w, total, reached)
        return bt, total, reached
    pstart = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(dst, minlength=n), out=pstart[1:])
    redo = np.zeros(n, np.bool_)
    if threads is None:
        threads = threads_for(n * max(len(w), 1))
    block = max(_CHUNK * threads, min(512, (1 << 23) // n))  # rows kept: <= 64 MiB
    rows = np.empty((block, n))
    pool = ThreadPoolExecutor(threads) if threads > 1 else None
    try:
        for lo in range(0, n, block):
            hi = min(n, lo + block)
            sources = np.arange(lo, hi, dtype=np.int64)

            def run(a: int, b: int, sources=sources, lo=lo) -> None:
                _sweep(indptr, dst, w, pstart, sources[a:b], rows[a:b], total[lo + a : lo + b],
                       reached[lo + a : lo + b], redo[lo + a : lo + b])  # fmt: skip

            if pool is None:
                run(0, hi - lo)
            else:
                for f in [pool.submit(run, a, min(a + _CHUNK, hi - lo))
                          for a in range(0, hi - lo, _CHUNK)]:  # fmt: skip
                    f.result()
            _add_rows(bt, rows, hi - lo)
    finally:
        if pool is not None:  # on an interrupt (e.g. an account's time budget) stop soon
            pool.shutdown(cancel_futures=True)
    for s in np.flatnonzero(redo):
        total[s], reached[s], _ = _closeness_exact(indptr, dst, w, s, 0.0)
    return bt, total, reached


def top_closeness(
    n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, wanted: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The closeness sums of some nodes and of a node of largest closeness, not of all.

    What :func:`betweenness_closeness` gives without betweenness (the same sums, to the
    last bit), for the nodes ``wanted`` and for one of largest outward closeness
    (Wasserman–Faust, :func:`influence.analysis.compute.out_closeness`): enough to
    place ``wanted`` on a scale relative to the largest, as the composite influence does.
    Every node is a source, but a run stops once its node's closeness is certainly
    below the largest found so far (:func:`_closeness_exact`): the wanted nodes run first,
    then the others by out-degree, most first. On the 5,000-person benchmark a run
    settles 30 to 90 nodes on average instead of 5,000.

    Parameters
    ----------
    n : int
        Number of nodes ``0..n-1``.
    src, dst : numpy.ndarray of int
        ``src[i] -> dst[i]`` is an edge.
    w : numpy.ndarray of float
        Its length, positive and finite.
    wanted : numpy.ndarray of bool
        The nodes whose sums are needed.

    Returns
    -------
    total, reached : numpy.ndarray
        As :func:`betweenness_closeness`, where ``known``.
    known : numpy.ndarray of bool
        The nodes computed: ``wanted``, a node of largest closeness, and any other whose
        run could not be cut short.

    Raises
    ------
    ValueError
        If an edge length is not positive and finite.

    Examples
    --------
    The path ``0 -> 1 -> 2 -> 3`` with unit lengths: node 0 reaches three nodes at
    distances 1 + 2 + 3 = 6 and has the largest closeness; node 3 reaches nobody. (On
    so small a graph no run is cut short: every node is known.)

    >>> total, reached, known = top_closeness(
    ...     4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.ones(3),
    ...     np.array([False, False, False, True]))
    >>> total.tolist(), reached.tolist(), bool(known.all())
    ([6.0, 3.0, 1.0, 0.0], [4, 3, 2, 1], True)
    """
    wanted = np.asarray(wanted, bool)
    total = np.zeros(n)
    reached = np.ones(n, np.int64)
    known = np.zeros(n, np.bool_)
    if n == 0 or not len(w):
        known[:] = True
        return total, reached, known
    indptr, dst, w = _graph(n, src, dst, w)
    degree = np.diff(indptr)
    first = np.flatnonzero(wanted)
    rest = np.flatnonzero(~wanted)
    rest = rest[np.argsort(-degree[rest], kind="stable")]
    order = np.concatenate([first, rest]).astype(np.int64)
    _closeness_top(indptr, dst, w, order, len(first), total, reached, known)
    return total, reached, known


def warm() -> None:
    """Compile the kernels now (or load them from numba's cache, about 0.4 s of CPU)
    rather than at their first real call: a process that forks workers (the batch run's
    fork server, :mod:`influence.batch.kernels`) then hands them the machine code ready.

    Returns
    -------
    None

    Examples
    --------
    >>> warm()
    """
    src, dst, w = np.array([0, 1], np.int64), np.array([1, 2], np.int64), np.ones(2)
    betweenness_closeness(3, src, dst, w, 1)
    top_closeness(3, src, dst, w, np.array([True, False, True]))
