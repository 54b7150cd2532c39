"""Exact graph computations in igraph's C core, on networkx graphs.

networkx stays the model users see; these functions convert a person graph once and
return values equal to networkx's own (the tests prove it on real networks), only
faster: betweenness is the cost that dominates large accounts.

On a large graph (:data:`KERNEL_WORK`) :func:`path_metrics` computes betweenness and
closeness together in :mod:`influence.analysis.brandes`, one Dijkstra run per source
for both, split across cores when the process is not a batch worker; it returns what
:func:`betweenness` and :func:`out_closeness` return.
"""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np

from influence.analysis.reproducible import single_threaded

#: Sources x edges from which :func:`path_metrics` uses the compiled kernel: below it
#: igraph's two passes take well under a second, less than loading numba.
KERNEL_WORK = 20_000_000


def to_igraph(g: nx.DiGraph, attrs: tuple[str, ...] = ("strength", "distance")) -> ig.Graph:
    """Convert a directed networkx graph; vertex ``i`` is the ``i``-th node of ``g``."""
    index = {n: i for i, n in enumerate(g)}
    edges = [(index[u], index[v]) for u, v in g.edges()]
    h = ig.Graph(n=len(index), edges=edges, directed=True)
    for a in attrs:
        h.es[a] = [d.get(a, 1.0) for _, _, d in g.edges(data=True)]
    return h


def betweenness(h: ig.Graph, weights: str | None = "distance") -> np.ndarray:
    """Shortest-path betweenness, normalised like ``nx.betweenness_centrality``.

    For a directed graph of n nodes networkx divides by (n-1)(n-2).
    """
    n = h.vcount()
    raw = np.asarray(h.betweenness(directed=True, weights=weights), float)
    return raw / ((n - 1) * (n - 2)) if n > 2 else raw


def out_closeness(h: ig.Graph, weights: str | None = "distance") -> np.ndarray:
    """Closeness from each node outwards, with Wasserman–Faust's correction for
    unreachable nodes, as ``nx.closeness_centrality(G.reverse(), distance=...)``."""
    n = h.vcount()
    if n <= 1:
        return np.zeros(n)
    c = np.nan_to_num(np.asarray(h.closeness(mode="out", weights=weights, normalized=True), float))
    reach = np.asarray(h.neighborhood_size(order=n, mode="out"), float) - 1
    return c * reach / (n - 1)


def path_metrics(
    h: ig.Graph, weights: str | None = "distance", *, kernel: bool | None = None,
    threads: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """``(betweenness(h, weights), out_closeness(h, weights))``, from one set of runs.

    ``kernel`` forces (True) or avoids (False) the compiled kernel, which by default
    serves graphs with ``n * m >= KERNEL_WORK``; ``threads`` is passed to
    :func:`influence.analysis.brandes.betweenness_closeness` (``None``: its rule).
    """
    n = h.vcount()
    if not (kernel if kernel is not None else n * h.ecount() >= KERNEL_WORK):
        return betweenness(h, weights), out_closeness(h, weights)
    from influence.analysis.brandes import betweenness_closeness

    edges = np.array(h.get_edgelist(), np.int64).reshape(-1, 2)
    w = np.asarray(h.es[weights], float) if weights else np.ones(len(edges))
    raw, total, reached = betweenness_closeness(n, edges[:, 0], edges[:, 1], w, threads)
    bt = raw / ((n - 1) * (n - 2)) if n > 2 else raw
    if n <= 1:
        return bt, np.zeros(n)
    # igraph: (reached - 1) / total, NaN for a node that reaches nobody; then as above.
    reach = reached.astype(float) - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.nan_to_num(np.where(total == 0, np.nan, reach / total))
    return bt, c * reach / (n - 1)


def pagerank(h: ig.Graph, alpha: float = 0.85, weights: str | None = "strength") -> np.ndarray:
    """PageRank by the exact PRPACK solver; dangling nodes jump uniformly, as in networkx.

    PRPACK splits its loops across OpenMP threads, which on large graphs makes the last
    bits vary from run to run; it runs on one thread here
    (:func:`~influence.analysis.reproducible.single_threaded`), so PageRank is
    reproducible (it takes milliseconds).
    """
    if h.vcount() == 0:
        return np.zeros(0)
    with single_threaded():
        return np.asarray(h.pagerank(directed=True, damping=alpha, weights=weights), float)
