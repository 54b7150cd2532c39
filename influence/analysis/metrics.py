"""Influence metrics on arrays: :func:`influence.analysis.centrality.influence_metrics`
without a networkx graph.

The metrics, the composite score and the ranking are those of the centrality module
(definitions and references there); PageRank, betweenness and closeness are the same
igraph computations (:mod:`influence.analysis.compute`). Given the nodes and edges of a
graph in networkx's order, :func:`metric_arrays` performs the same floating-point
operations in the same order as ``influence_metrics`` on that graph, so the values are
equal to the last bit; it skips the graph conversions and the pandas work per metric,
which cost more than the metrics themselves on small accounts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from influence.analysis.centrality import DENSE_EIGEN_LIMIT, composite_scores, leading_eigenpair
from influence.analysis.compute import pagerank, path_metrics
from influence.defaults import INFLUENCE_WEIGHTS, TIE_FLOOR
from influence.graph.arrays import symmetric_pairs

__all__ = [
    "Metrics",
    "quantile",
    "eigenvector_arrays",
    "undirected_csr",
    "metric_arrays",
]


@dataclass(frozen=True)
class Metrics:
    """Metrics of the nodes ``0..n-1`` of a graph, in node order (:func:`metric_arrays`).

    Parameters
    ----------
    pagerank, betweenness, eigenvector, closeness, degree : numpy.ndarray of float
        The metrics of :mod:`influence.analysis.centrality`.
    influence : numpy.ndarray of float
        The composite score, 0–100.
    rank : numpy.ndarray of int64
        1 = most influential.
    order : numpy.ndarray of int64
        The nodes by rank (``rank[order[0]] == 1``).

    Attributes
    ----------
    The parameters, as given.

    Examples
    --------
    >>> m = metric_arrays(2, np.array([0]), np.array([1]), np.array([1.0]), np.array([1.0]),
    ...                   ["a", "b"])
    >>> isinstance(m, Metrics), m.order.tolist(), m.rank.tolist()
    (True, [0, 1], [1, 2])
    """

    pagerank: np.ndarray
    betweenness: np.ndarray
    eigenvector: np.ndarray
    closeness: np.ndarray
    degree: np.ndarray
    influence: np.ndarray
    rank: np.ndarray
    order: np.ndarray


def quantile(x: np.ndarray, q: float) -> float:
    r"""``pd.Series(x).quantile(q)``: linear interpolation over the values that are not NaN.

    Parameters
    ----------
    x : array-like of float
        The values (NaN ignored).
    q : float
        The quantile, 0..1.

    Returns
    -------
    float
        The quantile; NaN if no value is known.

    Examples
    --------
    Position :math:`0.75 \cdot (4 - 1) = 2.25` of the sorted known values ``[1, 2, 3, 5]``:
    :math:`3 + 0.25 \cdot (5 - 3) = 3.5`.

    >>> float(quantile(np.array([5.0, np.nan, 1, 3, 2]), 0.75))
    3.5
    >>> bool(np.isnan(quantile(np.array([np.nan]), 0.5)))
    True
    """
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    return np.quantile(x, q) if len(x) else np.nan


def eigenvector_arrays(
    n: int, lo: np.ndarray, hi: np.ndarray, w: np.ndarray, str_rank: np.ndarray
) -> np.ndarray:
    """:func:`influence.analysis.centrality.eigenvector` of a symmetrised graph given as pairs.

    Parameters
    ----------
    n : int
        Number of nodes.
    lo, hi : numpy.ndarray of int
        The pairs (:func:`~influence.graph.arrays.symmetric_pairs`).
    w : numpy.ndarray of float
        Their weights.
    str_rank : numpy.ndarray of int
        ``str_rank[i]`` is node ``i``'s position when nodes are sorted by ``str(id)``.

    Returns
    -------
    numpy.ndarray
        The centrality of each node (unit length; 0 for isolated nodes).

    Examples
    --------
    The path 0 – 1 – 2 and an isolated node 3:

    >>> eigenvector_arrays(4, np.array([0, 1]), np.array([1, 2]), np.ones(2), np.arange(4)).round(4)
    array([0.5   , 0.7071, 0.5   , 0.    ])
    """
    out = np.zeros(n)
    if n == 0:
        return out
    import scipy.sparse
    import scipy.sparse.csgraph

    adj = scipy.sparse.coo_array((np.ones(len(lo)), (lo, hi)), shape=(n, n))
    _, label = scipy.sparse.csgraph.connected_components(adj, directed=False)
    sizes = np.bincount(label, minlength=label.max() + 1)
    pair_comp = label[lo]
    parts = []
    for c in np.flatnonzero(sizes >= 2):
        nodes = np.flatnonzero(label == c)
        nodes = nodes[np.argsort(str_rank[nodes], kind="stable")]
        local = np.full(n, -1, dtype=np.int64)
        local[nodes] = np.arange(len(nodes))
        mine = pair_comp == c
        r, s, x = local[lo[mine]], local[hi[mine]], w[mine]
        k = len(nodes)
        if k <= DENSE_EIGEN_LIMIT:
            a = np.zeros((k, k))
            a[r, s] = x
            a[s, r] = x
        else:
            a = undirected_csr(k, r, s, x)
        parts.append((nodes, *leading_eigenpair(a)))
    if not parts:
        return out
    top = max(lam for _, lam, _ in parts)
    for nodes, lam, vec in parts:
        out[nodes] = vec * lam / top
    norm = np.linalg.norm(out)
    return out / norm if norm > 0 else out


def undirected_csr(k: int, r: np.ndarray, s: np.ndarray, x: np.ndarray):
    """The adjacency matrix networkx's ``to_scipy_sparse_array`` gives for an undirected graph.

    Parameters
    ----------
    k : int
        Number of nodes.
    r, s : numpy.ndarray of int
        The pairs.
    x : numpy.ndarray of float
        Their weights.

    Returns
    -------
    scipy.sparse.csr_array
        Symmetric, ``k`` square; a self-loop once on the diagonal.

    Examples
    --------
    >>> a = undirected_csr(2, np.array([0, 1]), np.array([1, 1]), np.array([0.5, 2.0]))
    >>> a.toarray().tolist()
    [[0.0, 0.5], [0.5, 2.0]]
    >>> import networkx as nx
    >>> g = nx.Graph([(0, 1, {"weight": 0.5}), (1, 1, {"weight": 2.0})])
    >>> nx.to_scipy_sparse_array(g, nodelist=[0, 1]).toarray().tolist()
    [[0.0, 0.5], [0.5, 2.0]]
    """
    loop = r == s
    rows = np.concatenate([r, s, r[loop]])
    cols = np.concatenate([s, r, s[loop]])
    data = np.concatenate([x, x, -x[loop]])
    import scipy.sparse

    return scipy.sparse.coo_array((data, (rows, cols)), shape=(k, k)).asformat("csr")


def metric_arrays(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    strength: np.ndarray,
    distance: np.ndarray,
    keys: list,
    weights: Mapping[str, float] = INFLUENCE_WEIGHTS,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    only_weighted: bool = False,
) -> Metrics:
    """The influence metrics of a graph on nodes ``0..n-1``, from arrays.

    The metrics, the composite score and the ranking of
    :func:`~influence.analysis.centrality.influence_metrics`, with the same floating-point
    operations in the same order (module docstring).

    Parameters
    ----------
    n : int
        Number of nodes, ordered by ``str(id)``.
    src, dst : numpy.ndarray of int
        Edges ``src -> dst`` in networkx's edge order.
    strength, distance : numpy.ndarray of float
        Edge attributes.
    keys : list of str
        ``str`` of node ``i``'s id, ascending (breaks ties in the ranking).
    weights : mapping of str to float, default ``INFLUENCE_WEIGHTS``
        Weights of the composite score.
    pairs : tuple of numpy.ndarray, optional
        The symmetrised graph (:func:`~influence.graph.arrays.symmetric_pairs`), if
        already computed.
    only_weighted : bool, default False
        Compute only the metrics the composite weighs (the others are NaN): the same
        ``influence`` and ``rank`` at less cost (betweenness and eigenvector centrality
        weigh 0 by default), what a past period of the trend needs.

    Returns
    -------
    Metrics
        The metrics of every node.

    Examples
    --------
    The star of :func:`~influence.analysis.centrality.influence_metrics`' example, as
    arrays: the hub (node 0) advises four people.

    >>> m = metric_arrays(5, np.zeros(4, int), np.arange(1, 5), np.ones(4), np.ones(4),
    ...                   ["hub", "x1", "x2", "x3", "x4"])
    >>> int(m.rank[0]), m.degree.tolist(), m.closeness.tolist()
    (1, [1.0, 0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0])
    """
    import igraph as ig

    live = strength >= TIE_FLOOR
    if not live.all():  # a tie below the floor has faded out: no metric counts it
        src, dst, strength, distance = src[live], dst[live], strength[live], distance[live]
        pairs = None
    h = ig.Graph(n=n, edges=np.column_stack([src, dst]).tolist(), directed=True)
    h.es["strength"] = strength.tolist()
    h.es["distance"] = distance.tolist()
    rev = h.copy()
    rev.reverse_edges()
    lo, hi, w = pairs if pairs is not None else symmetric_pairs(n, src, dst, strength)
    needed = {m for m, x in weights.items() if x != 0} if only_weighted else None
    between, close = path_metrics(h, with_betweenness=needed is None or "betweenness" in needed)
    cols = {
        "pagerank": pagerank(rev),
        "betweenness": between,
        "eigenvector": eigenvector_arrays(n, lo, hi, w, np.arange(n))
        if needed is None or "eigenvector" in needed
        else np.full(n, np.nan),
        "closeness": close,
        "degree": np.bincount(src, minlength=n) / (n - 1) if n > 1 else np.ones(n),
    }
    influence = composite_scores(cols, n, weights)
    order = np.array(sorted(range(n), key=lambda i: (-influence[i], keys[i])), dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    return Metrics(**cols, influence=influence, rank=rank, order=order)
