"""Influence metrics on arrays: the one implementation of every metric of a person graph.

The metrics, the composite score and the ranking are defined in
:mod:`influence.analysis.centrality` (definitions and references there), whose
networkx-facing functions are thin wrappers over these: they convert a graph once
(:func:`~influence.graph.arrays.from_graph`) and call the function here. PageRank,
betweenness and closeness are igraph's computations (:mod:`influence.analysis.compute`);
eigenvector centrality is LAPACK's or ARPACK's leading eigenpair per component.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from influence.analysis.compute import pagerank, path_metrics
from influence.analysis.reproducible import single_threaded
from influence.defaults import INFLUENCE_WEIGHTS, TIE_FLOOR
from influence.graph.arrays import PersonArrays, symmetric_pairs

if TYPE_CHECKING:  # loaded on first use: `import influence` stays light
    import scipy.sparse

__all__ = [
    "DENSE_EIGEN_LIMIT",
    "Metrics",
    "quantile",
    "leading_eigenpair",
    "eigenvector_arrays",
    "undirected_csr",
    "composite_scores",
    "ranking",
    "metric_arrays",
    "subgraph_metrics",
]

#: Connected components up to this size get a dense eigendecomposition; larger, Lanczos.
DENSE_EIGEN_LIMIT = 500


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
        The quantile (as ``np.quantile`` gives it, to the bit); NaN if no value is known.

    Raises
    ------
    ValueError
        If ``q`` is not in 0..1.

    Examples
    --------
    Position :math:`0.75 \cdot (4 - 1) = 2.25` of the sorted known values ``[1, 2, 3, 5]``:
    :math:`3 + 0.25 \cdot (5 - 3) = 3.5`.

    >>> float(quantile(np.array([5.0, np.nan, 1, 3, 2]), 0.75))
    3.5
    >>> bool(np.isnan(quantile(np.array([np.nan]), 0.5)))
    True
    """
    if not 0 <= q <= 1:
        raise ValueError(f"quantile {q} is not in 0..1")
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if not n:
        return np.nan
    # np.quantile's linear method step by step (the same partition and operations, so
    # the same bits, a -0.0 included): its set-up costs far more than an account's values.
    at = (n - 1) * q
    below, above = (-1, -1) if at >= n - 1 else (math.floor(at), math.floor(at) + 1)
    x.partition(np.unique([0, -1, below, above]))
    a, b = float(x[below]), float(x[above])
    gamma = at - below
    diff = b - a
    return np.float64(b - diff * (1 - gamma) if gamma >= 0.5 else a + diff * gamma)


def leading_eigenpair(a: np.ndarray | scipy.sparse.csr_array) -> tuple[float, np.ndarray]:
    r"""The largest eigenvalue of a symmetric, non-negative matrix and its eigenvector.

    LAPACK's ``eigh`` for a dense matrix, ARPACK's Lanczos (``eigsh``) for a sparse one.
    ARPACK starts from a fixed vector: by default it draws a random one from a generator
    it keeps between calls, so the last digits would depend on what the process computed
    before (on which batch worker ran the account, say). Both run on one BLAS thread
    (:func:`~influence.analysis.reproducible.single_threaded`): LAPACK's rounding depends
    on the thread count, which differs between executors.

    Parameters
    ----------
    a : numpy.ndarray or scipy.sparse.csr_array
        A symmetric, non-negative matrix.

    Returns
    -------
    lam : float
        The largest eigenvalue :math:`\lambda_1`.
    vec : numpy.ndarray
        Its eigenvector, unit length, non-negative.

    Examples
    --------
    The path 0 – 1 – 2 has :math:`\lambda_1 = \sqrt 2` with eigenvector
    :math:`(1, \sqrt 2, 1)/2`:

    >>> lam, vec = leading_eigenpair(np.array([[0.0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    >>> round(lam, 6), vec.round(4).tolist()
    (1.414214, [0.5, 0.7071, 0.5])
    >>> import scipy.sparse
    >>> a = scipy.sparse.csr_array(np.array([[0.0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    >>> lam, vec = leading_eigenpair(a)  # sparse: Lanczos
    >>> round(lam, 6), vec.round(4).tolist()
    (1.414214, [0.5, 0.7071, 0.5])
    """
    import scipy.linalg
    import scipy.sparse
    import scipy.sparse.linalg

    with single_threaded():
        if isinstance(a, np.ndarray):
            vals, vecs = scipy.linalg.eigh(a)
            lam, vec = vals[-1], vecs[:, -1]
        else:
            vals, vecs = scipy.sparse.linalg.eigsh(
                a.astype(float), k=1, which="LA", tol=1e-12, v0=np.ones(a.shape[0])
            )
            lam, vec = vals[0], vecs[:, 0]
    return float(lam), np.abs(vec) / np.linalg.norm(vec)


def eigenvector_arrays(
    n: int, lo: np.ndarray, hi: np.ndarray, w: np.ndarray, str_rank: np.ndarray
) -> np.ndarray:
    """Eigenvector centrality of a symmetrised graph given as pairs.

    .. math:: \\lambda_1 x_i = \\sum_j w_{ij} x_j

    per connected component; each component's unit eigenvector
    (:func:`leading_eigenpair`) is scaled by its eigenvalue over the largest one, then
    the whole vector is normalised to unit length (isolated nodes get 0). Components up
    to :data:`DENSE_EIGEN_LIMIT` nodes are solved densely, larger ones by Lanczos.

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
    import igraph as ig

    # Components in any numbering: each is solved on its own, and the result does not
    # depend on the order they come in.
    pairs = ig.Graph(n=n, edges=list(zip(lo.tolist(), hi.tolist())))
    label = np.asarray(pairs.connected_components().membership, dtype=np.int64)
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


def composite_scores(
    metrics: Mapping[str, np.ndarray], n: int, weights: Mapping[str, float] = INFLUENCE_WEIGHTS
) -> np.ndarray:
    r"""The 0–100 influence score of ``n`` people, on arrays: the one implementation
    behind :func:`metric_arrays` and :func:`influence.analysis.centrality.composite`.

    .. math:: influence_v = 100 \cdot \frac{\sum_m w_m\, x_{m,v} / \max_u x_{m,u}}{\sum_m w_m}

    (a metric whose maximum is 0 contributes 0). A NaN value is unknown: the maximum is
    that of the known values, and a person with an unknown weighted metric has an
    unknown (NaN) score.

    Parameters
    ----------
    metrics : mapping of str to numpy.ndarray
        One array of length ``n`` per metric named in ``weights``.
    n : int
        The number of people.
    weights : mapping of str to float, default :data:`~influence.defaults.INFLUENCE_WEIGHTS`
        :math:`w_m` per metric.

    Returns
    -------
    numpy.ndarray
        The score of each person, in the order of the arrays.

    Examples
    --------
    >>> x = {"pagerank": np.array([0.2, 0.4]), "degree": np.array([1.0, 0.5])}
    >>> composite_scores(x, 2, {"pagerank": 3, "degree": 1}).round(9).tolist()
    [62.5, 87.5]
    >>> x = {"pagerank": np.array([0.2, 0.4, np.nan]), "degree": np.array([1.0, 0.5, 0.5])}
    >>> composite_scores(x, 3, {"pagerank": 3, "degree": 1}).round(9).tolist()
    [62.5, 87.5, nan]
    """
    total = sum(weights.values())
    score = np.zeros(n)
    for m, w in weights.items():
        if w == 0:  # adds nothing (and a metric not computed may be all NaN)
            continue
        x = np.asarray(metrics[m], dtype=float)
        known = x[~np.isnan(x)]
        top = known.max() if len(known) else np.nan
        if top > 0:
            score += w * x / top
    return 100 * score / total


def ranking(score: np.ndarray, keys: list) -> tuple[np.ndarray, np.ndarray]:
    """Rank by score: 1 = highest; equal scores are ordered by ``keys`` (``str(id)``),
    unknown (NaN) scores come last.

    Parameters
    ----------
    score : numpy.ndarray of float
        A score per node.
    keys : list of str
        Each node's tie-breaking key.

    Returns
    -------
    rank : numpy.ndarray of int64
        The rank of each node.
    order : numpy.ndarray of int64
        The nodes by rank (``rank[order[0]] == 1``).

    Examples
    --------
    >>> rank, order = ranking(np.array([5.0, 5.0, 9.0]), ["b", "a", "c"])
    >>> rank.tolist(), order.tolist()
    ([3, 2, 1], [2, 1, 0])
    >>> ranking(np.array([np.nan, 5.0, 9.0]), ["a", "b", "c"])[0].tolist()
    [3, 2, 1]
    """
    n = len(score)
    unknown = np.isnan(score)

    def key(i: int) -> tuple:
        return (1, 0.0, keys[i]) if unknown[i] else (0, -score[i], keys[i])

    order = np.array(sorted(range(n), key=key), dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    return rank, order


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
    wanted: np.ndarray | None = None,
) -> Metrics:
    """The influence metrics of a graph on nodes ``0..n-1``, from arrays.

    The metrics, the composite score (:func:`composite_scores`) and the ranking
    (:func:`ranking`) defined in :mod:`influence.analysis.centrality`, over the ties
    that are still alive (strength at least :data:`~influence.defaults.TIE_FLOOR`).

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
    wanted : numpy.ndarray of bool, optional
        With ``only_weighted``: the nodes whose ``influence`` is needed (the people a
        report's sparklines show). Closeness is then computed for them and the largest
        only where that saves time (:func:`~influence.analysis.compute.path_metrics`'
        ``closeness_of``): their ``influence`` is the same, others' closeness and
        influence may be NaN, and ``rank`` then places the known ones first, so it is a
        rank in the graph only where every influence is known.

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
    # pairs as tuples from two lists: a fifth of the time of a 2-d array's tolist()
    h = ig.Graph(n=n, edges=list(zip(src.tolist(), dst.tolist())), directed=True)
    h.es["strength"] = strength.tolist()
    h.es["distance"] = distance.tolist()
    rev = h.copy()
    rev.reverse_edges()
    lo, hi, w = pairs if pairs is not None else symmetric_pairs(n, src, dst, strength)
    needed = {m for m, x in weights.items() if x != 0} if only_weighted else None
    with_betweenness = needed is None or "betweenness" in needed
    between, close = path_metrics(
        h, with_betweenness=with_betweenness, closeness_of=None if needed is None else wanted
    )
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
    rank, order = ranking(influence, keys)
    return Metrics(**cols, influence=influence, rank=rank, order=order)


def subgraph_metrics(
    p: PersonArrays, members: np.ndarray, weights: Mapping[str, float] = INFLUENCE_WEIGHTS,
    only_weighted: bool = False, wanted: np.ndarray | None = None,
) -> tuple[np.ndarray, Metrics, tuple[np.ndarray, np.ndarray, np.ndarray]]:  # fmt: skip
    """The metrics of the subgraph of ``p`` induced by ``members``.

    Parameters
    ----------
    p : influence.graph.arrays.PersonArrays
        The person graph.
    members : numpy.ndarray of bool
        Which nodes of ``p`` the subgraph keeps.
    weights : mapping of str to float, default ``INFLUENCE_WEIGHTS``
        Weights of the composite score.
    only_weighted : bool, default False
        Only the metrics the composite weighs (:func:`metric_arrays`).
    wanted : numpy.ndarray of bool, optional
        Over the nodes of ``p``: the members whose influence is needed
        (:func:`metric_arrays`).

    Returns
    -------
    tuple
        ``(ext, m, (lo, hi, w))``: the members' positions in ``p`` ordered by
        ``str(id)``, their :class:`Metrics` (in that order) and the subgraph's
        symmetrised ties (:func:`~influence.graph.arrays.symmetric_pairs`).

    Examples
    --------
    A hub tied to two people; ``us`` (tied to the hub) is left out:

    >>> import networkx as nx
    >>> from influence.graph.arrays import from_graph
    >>> g = nx.DiGraph([("us", "h"), ("h", "a"), ("h", "b")])
    >>> p = from_graph(g)
    >>> ext, m, _ = subgraph_metrics(p, p.ids != "us")
    >>> p.ids[ext].tolist(), m.rank.tolist()
    (['a', 'b', 'h'], [2, 3, 1])
    """
    order = p.str_order()
    ext = order[members[order]]
    n = len(ext)
    local = np.full(p.n, -1, dtype=np.int64)
    local[ext] = np.arange(n)
    # The subgraph's edges in networkx's order (by source node, then as added).
    keep = np.flatnonzero(members[p.src] & members[p.dst])
    keep = keep[np.argsort(local[p.src[keep]], kind="stable")]
    src, dst = local[p.src[keep]], local[p.dst[keep]]
    lo, hi, w = symmetric_pairs(n, src, dst, p.strength[keep])
    keys = [str(v) for v in p.ids[ext]]
    m = metric_arrays(n, src, dst, p.strength[keep], p.distance[keep], keys, weights, (lo, hi, w),
                      only_weighted, None if wanted is None else wanted[ext])  # fmt: skip
    return ext, m, (lo, hi, w)
