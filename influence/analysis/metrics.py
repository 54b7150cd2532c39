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

import igraph as ig
import numpy as np
import scipy.sparse
import scipy.sparse.csgraph

from influence.analysis.centrality import DEFAULT_WEIGHTS, DENSE_EIGEN_LIMIT, leading_eigenpair
from influence.analysis.compute import pagerank, path_metrics
from influence.defaults import TIE_FLOOR
from influence.graph.arrays import symmetric_pairs


@dataclass(frozen=True)
class Metrics:
    """Metrics of the nodes ``0..n-1`` of a graph, in node order; ``order`` lists the
    nodes by rank (``rank[order[0]] == 1``)."""

    pagerank: np.ndarray
    betweenness: np.ndarray
    eigenvector: np.ndarray
    closeness: np.ndarray
    degree: np.ndarray
    influence: np.ndarray
    rank: np.ndarray
    order: np.ndarray


def quantile(x: np.ndarray, q: float) -> float:
    """``pd.Series(x).quantile(q)``: linear interpolation over the values that are not
    NaN (NaN if there are none)."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    return np.quantile(x, q) if len(x) else np.nan


def eigenvector_arrays(
    n: int, lo: np.ndarray, hi: np.ndarray, w: np.ndarray, str_rank: np.ndarray
) -> np.ndarray:
    """:func:`influence.analysis.centrality.eigenvector` of the symmetrised graph given
    as pairs ``(lo, hi, w)`` (:func:`~influence.graph.arrays.symmetric_pairs`);
    ``str_rank[i]`` is node ``i``'s position when nodes are sorted by ``str(id)``."""
    out = np.zeros(n)
    if n == 0:
        return out
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
    """The adjacency matrix networkx's ``to_scipy_sparse_array`` gives for an
    undirected graph with these pairs (self-loops once on the diagonal)."""
    loop = r == s
    rows = np.concatenate([r, s, r[loop]])
    cols = np.concatenate([s, r, s[loop]])
    data = np.concatenate([x, x, -x[loop]])
    return scipy.sparse.coo_array((data, (rows, cols)), shape=(k, k)).asformat("csr")


def metric_arrays(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    strength: np.ndarray,
    distance: np.ndarray,
    keys: list,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> Metrics:
    """The influence metrics of a graph on nodes ``0..n-1``, ordered by ``str(id)``
    (``keys[i]`` is ``str`` of node ``i``'s id, ascending), with edges ``src -> dst``
    in networkx's edge order. ``pairs`` is the symmetrised graph if already computed.
    """
    h = ig.Graph(n=n, edges=np.column_stack([src, dst]).tolist(), directed=True)
    h.es["strength"] = strength.tolist()
    h.es["distance"] = distance.tolist()
    rev = h.copy()
    rev.reverse_edges()
    lo, hi, w = pairs if pairs is not None else symmetric_pairs(n, src, dst, strength)
    between, close = path_metrics(h)
    cols = {
        "pagerank": pagerank(rev),
        "betweenness": between,
        "eigenvector": eigenvector_arrays(n, lo, hi, w, np.arange(n)),
        "closeness": close,
        "degree": np.bincount(src, weights=strength >= TIE_FLOOR, minlength=n) / (n - 1)
        if n > 1
        else np.ones(n),
    }
    total = sum(weights.values())
    score = np.zeros(n)
    for m, wt in weights.items():
        x = cols[m]
        top = x.max() if n else np.nan
        if top > 0:
            score += wt * x / top
    influence = 100 * score / total
    order = np.array(sorted(range(n), key=lambda i: (-influence[i], keys[i])), dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    return Metrics(**cols, influence=influence, rank=rank, order=order)
