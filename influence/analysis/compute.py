"""Exact graph computations in igraph's C core.

These functions take an igraph graph (:func:`to_igraph` converts a networkx one;
:func:`influence.analysis.metrics.metric_arrays` builds one from arrays) and return
values equal to networkx's own (the tests prove it on real networks), only faster:
betweenness is the cost that dominates large accounts.

Betweenness and closeness have two code paths, on purpose. The reference is igraph's
(:func:`betweenness`, :func:`out_closeness`). On a large graph (:data:`KERNEL_WORK`)
:func:`path_metrics` computes both together in :mod:`influence.analysis.brandes`, one
Dijkstra run per source for both, split across cores when the process is not a batch
worker: about half of igraph's time in one thread and a fraction of it in several,
which is what makes 5,000-person accounts practical. Loading the compiled kernel
costs more than igraph takes on small graphs, so those stay with igraph. The kernel is
tested against igraph's and networkx's own functions (``tests/test_fast_metrics.py``),
never against another function of this package.

Closeness is igraph's to the last bit either way; betweenness may differ from igraph's in
the last bit (the kernel adds the contributions of nodes at equal distance in index
order, igraph in its heap's order). So which path computes a graph's betweenness depends
on the graph alone (:data:`KERNEL_WORK`), never on what the process loaded before: the
same account gives the same bits on every worker. Closeness alone (a trend's past
months) uses the kernel from :data:`LOADED_KERNEL_WORK` once it is loaded.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from influence.analysis.reproducible import single_threaded

if TYPE_CHECKING:  # loaded on first use: `import influence` stays light
    import igraph as ig


__all__ = [
    "to_igraph",
    "betweenness",
    "out_closeness",
    "path_metrics",
    "pagerank",
]

#: Sources x edges from which :func:`path_metrics` uses the compiled kernel: below it
#: igraph's two passes take well under a second, less than loading numba.
KERNEL_WORK = 20_000_000
#: The same for closeness alone (``with_betweenness=False``) once the kernel is loaded in
#: this process (loading is then paid for): from about 20,000 sources x edges (60 people,
#: 370 ties) it is faster than igraph, 4 to 20 times for the closeness of a trend's past
#: month (:func:`~influence.analysis.brandes.top_closeness`); below, its fixed cost (a
#: fraction of a millisecond) is more than igraph takes. Batch workers that draw
#: accounts have it loaded (:mod:`influence.batch.kernels`). Closeness is the same bits
#: either way (tests/test_fast_metrics.py); betweenness is not always, so it never
#: follows this threshold.
LOADED_KERNEL_WORK = 50_000


def to_igraph(g: nx.DiGraph, attrs: tuple[str, ...] = ("strength", "distance")) -> ig.Graph:
    """Convert a directed networkx graph to igraph.

    Parameters
    ----------
    g : networkx.DiGraph
        A person graph, or any directed graph.
    attrs : tuple of str, default ("strength", "distance")
        Edge attributes to copy (1.0 where an edge lacks one).

    Returns
    -------
    igraph.Graph
        A directed graph in which vertex ``i`` is the ``i``-th node of ``g`` and edge
        ``k`` the ``k``-th edge of ``g.edges()``.

    Examples
    --------
    >>> h = to_igraph(nx.DiGraph([("a", "b", {"distance": 2.0}), ("b", "c", {})]))
    >>> h.vcount(), h.get_edgelist(), h.es["distance"], h.es["strength"]
    (3, [(0, 1), (1, 2)], [2.0, 1.0], [1.0, 1.0])
    """
    import igraph as ig

    index = {n: i for i, n in enumerate(g)}
    edges = [(index[u], index[v]) for u, v in g.edges()]
    h = ig.Graph(n=len(index), edges=edges, directed=True)
    for a in attrs:
        h.es[a] = [d.get(a, 1.0) for _, _, d in g.edges(data=True)]
    return h


def betweenness(h: ig.Graph, weights: str | None = "distance") -> np.ndarray:
    r"""Shortest-path betweenness, normalised like ``nx.betweenness_centrality``.

    .. math:: c_B(v) = \frac{1}{(n-1)(n-2)} \sum_{s \ne v \ne t} \frac{\sigma_{st}(v)}{\sigma_{st}}

    where :math:`\sigma_{st}` is the number of shortest paths from :math:`s` to
    :math:`t` and :math:`\sigma_{st}(v)` the number through :math:`v` (the directed
    normalisation of networkx).

    Parameters
    ----------
    h : igraph.Graph
        A directed graph (:func:`to_igraph`).
    weights : str or None, default "distance"
        The edge attribute that holds lengths; ``None``: every edge has length 1.

    Returns
    -------
    numpy.ndarray
        :math:`c_B` of each vertex, in vertex order.

    Examples
    --------
    On the directed path ``0 -> 1 -> 2`` only the pair (0, 2) goes through 1:
    :math:`c_B(1) = 1/2`, as networkx has it.

    >>> g = nx.path_graph(3, create_using=nx.DiGraph)
    >>> betweenness(to_igraph(g)).tolist()
    [0.0, 0.5, 0.0]
    >>> list(nx.betweenness_centrality(g).values())
    [0.0, 0.5, 0.0]

    References
    ----------
    U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25
    (2001).
    """
    n = h.vcount()
    raw = np.asarray(h.betweenness(directed=True, weights=weights), float)
    return raw / ((n - 1) * (n - 2)) if n > 2 else raw


def out_closeness(h: ig.Graph, weights: str | None = "distance") -> np.ndarray:
    r"""Closeness from each node outwards, with Wasserman–Faust's correction for
    unreachable nodes.

    .. math:: c(v) = \frac{r(v)}{n - 1} \cdot \frac{r(v)}{\sum_{u} d(v, u)}

    over the :math:`r(v)` nodes :math:`u` that :math:`v` reaches, as
    ``nx.closeness_centrality(G.reverse(), distance=...)`` (``wf_improved=True``).

    Parameters
    ----------
    h : igraph.Graph
        A directed graph.
    weights : str or None, default "distance"
        The edge attribute that holds lengths; ``None``: unit lengths.

    Returns
    -------
    numpy.ndarray
        :math:`c(v)` of each vertex (0 for a vertex that reaches nobody).

    Examples
    --------
    On ``0 -> 1 -> 2``: 0 reaches 2 nodes at distances 1 and 2, so
    :math:`c(0) = \frac{2}{2} \cdot \frac{2}{3}`; 1 reaches one at distance 1,
    :math:`c(1) = \frac{1}{2} \cdot 1`:

    >>> g = nx.path_graph(3, create_using=nx.DiGraph)
    >>> out_closeness(to_igraph(g)).round(4).tolist()
    [0.6667, 0.5, 0.0]
    >>> [round(c, 4) for c in nx.closeness_centrality(g.reverse()).values()]
    [0.6667, 0.5, 0.0]

    References
    ----------
    S. Wasserman and K. Faust, *Social Network Analysis* (1994).
    """
    n = h.vcount()
    if n <= 1:
        return np.zeros(n)
    c = np.nan_to_num(np.asarray(h.closeness(mode="out", weights=weights, normalized=True), float))
    reach = np.asarray(h.neighborhood_size(order=n, mode="out"), float) - 1
    return c * reach / (n - 1)


def path_metrics(
    h: ig.Graph, weights: str | None = "distance", *, kernel: bool | None = None,
    threads: int | None = None, with_betweenness: bool = True,
    closeness_of: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Betweenness and outward closeness from one set of shortest-path runs.

    Parameters
    ----------
    h : igraph.Graph
        A directed graph.
    weights : str or None, default "distance"
        The edge attribute that holds lengths.
    kernel : bool, optional
        Force (True) or avoid (False) the compiled kernel
        (:func:`influence.analysis.brandes.betweenness_closeness`), which by default
        serves graphs with ``n * m >= KERNEL_WORK``, and closeness alone from
        ``LOADED_KERNEL_WORK`` once loaded.
    threads : int, optional
        Passed to the kernel (``None``: its rule, :func:`~influence.analysis.brandes.threads_for`).
    with_betweenness : bool, default True
        False: closeness only (the same values), betweenness returned as NaN.
    closeness_of : numpy.ndarray of bool, optional
        With ``with_betweenness=False``: the nodes whose closeness is needed. The kernel
        then computes theirs and the largest only
        (:func:`~influence.analysis.brandes.top_closeness`); the others' closeness may be
        NaN (unknown). The values given are the same.

    Returns
    -------
    betweenness, closeness : numpy.ndarray
        :func:`betweenness` and :func:`out_closeness` of ``h``.

    Examples
    --------
    >>> h = to_igraph(nx.path_graph(3, create_using=nx.DiGraph))
    >>> bt, cl = path_metrics(h, kernel=True)
    >>> bt.tolist(), cl.round(4).tolist()
    ([0.0, 0.5, 0.0], [0.6667, 0.5, 0.0])
    """
    n = h.vcount()
    if kernel is None:
        work = n * h.ecount()
        loaded = "influence.analysis.brandes" in sys.modules
        kernel = work >= KERNEL_WORK or (
            loaded and not with_betweenness and work >= LOADED_KERNEL_WORK
        )
    if not kernel:
        bt = betweenness(h, weights) if with_betweenness else np.full(n, np.nan)
        return bt, out_closeness(h, weights)
    from influence.analysis.brandes import betweenness_closeness, top_closeness

    edges = np.array(h.get_edgelist(), np.int64).reshape(-1, 2)
    w = np.asarray(h.es[weights], float) if weights else np.ones(len(edges))
    known = None
    if closeness_of is not None and not with_betweenness:
        total, reached, known = top_closeness(n, edges[:, 0], edges[:, 1], w, closeness_of)
        raw = np.zeros(n)
    else:
        raw, total, reached = betweenness_closeness(
            n, edges[:, 0], edges[:, 1], w, threads, betweenness=with_betweenness
        )
    bt = raw / ((n - 1) * (n - 2)) if n > 2 else raw
    if not with_betweenness:
        bt = np.full(n, np.nan)
    if n <= 1:
        return bt, np.zeros(n)
    # igraph: (reached - 1) / total, NaN for a node that reaches nobody; then as above.
    reach = reached.astype(float) - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.nan_to_num(np.where(total == 0, np.nan, reach / total))
    c = c * reach / (n - 1)
    if known is not None:
        c[~known] = np.nan
    return bt, c


def pagerank(h: ig.Graph, alpha: float = 0.85, weights: str | None = "strength") -> np.ndarray:
    r"""PageRank by the exact PRPACK solver; dangling nodes jump uniformly, as in networkx.

    .. math:: p = \alpha P^T p + \frac{1 - \alpha}{n} \mathbf{1}

    with :math:`P` the row-normalised weight matrix (a node without out-edges links to
    every node). PRPACK splits its loops across OpenMP threads, which on large graphs
    makes the last bits vary from run to run; it runs on one thread here
    (:func:`~influence.analysis.reproducible.single_threaded`), so PageRank is
    reproducible (it takes milliseconds).

    Parameters
    ----------
    h : igraph.Graph
        A directed graph.
    alpha : float, default 0.85
        The damping factor :math:`\alpha`.
    weights : str or None, default "strength"
        The edge attribute that holds weights.

    Returns
    -------
    numpy.ndarray
        :math:`p`, summing to 1.

    Examples
    --------
    A star whose leaves all point to the centre, against networkx:

    >>> g = nx.DiGraph()
    >>> g.add_edges_from([(0, 1), (0, 2), (0, 3)])
    >>> g = g.reverse()  # nodes 0, 1, 2, 3; edges leaf -> 0
    >>> p = pagerank(to_igraph(g))
    >>> bool(np.allclose(p, [nx.pagerank(g)[v] for v in g], atol=1e-6)), bool(p[0] > p[1])
    (True, True)

    References
    ----------
    L. Page, S. Brin, R. Motwani and T. Winograd, "The PageRank citation ranking:
    bringing order to the web", Stanford InfoLab (1999).
    """
    if h.vcount() == 0:
        return np.zeros(0)
    with single_threaded():
        return np.asarray(h.pagerank(directed=True, damping=alpha, weights=weights), float)
