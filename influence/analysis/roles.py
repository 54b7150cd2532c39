"""Network roles after Rob Cross: central connectors, brokers and peripheral people.

Cross & Parker (*The Hidden Power of Social Networks*, HBS Press, 2004) name the roles
people play in informal networks. The thresholds here are relative to the account, so
they work for a 30-person account and a 3,000-person one alike:

``broker``
    betweenness at or above the 90th percentile (and above 0) **and** Burt's constraint
    at or below the 25th percentile: the person bridges groups that are otherwise
    apart (Burt, *Structural Holes*, 1992).
``central connector``
    not a broker, and degree at or above the 90th percentile (and at least 3 ties).
``peripheral``
    at most one tie.
``contributor``
    everyone else.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from influence.analysis.metrics import quantile, undirected_csr
from influence.defaults import (
    BROKER_BETWEENNESS_QUANTILE,
    BROKER_CONSTRAINT_QUANTILE,
    CONNECTOR_DEGREE_QUANTILE,
)
from influence.graph.arrays import from_graph, symmetric_pairs

__all__ = [
    "constraint",
    "constraint_of",
    "network_roles",
    "roles_of",
    "tie_counts",
]


def constraint(g: nx.DiGraph) -> pd.Series:
    r"""Burt's constraint of every node of the symmetrised graph.

    .. math:: C_i = \sum_{j \in N(i)} \Big(p_{ij} + \sum_{q \ne i,j} p_{iq} p_{qj}\Big)^2

    with :math:`p_{ij}` the share of i's tie weight that goes to j, on the graph
    symmetrised with weight :math:`(s_{ij} + s_{ji})/2`
    (:func:`~influence.analysis.centrality.symmetrise`): :func:`constraint_of` of its
    adjacency matrix. Equal to ``nx.constraint`` on the same undirected graph (NaN for
    isolated nodes).

    Parameters
    ----------
    g : networkx.DiGraph
        A person graph, tie strength in the edge attribute ``strength``.

    Returns
    -------
    pandas.Series
        :math:`C_i` indexed by node id (name ``id``), in node order.

    Examples
    --------
    The centre of a star with three leaves splits its ties in thirds and its contacts are
    not tied to each other: :math:`C = 3 \cdot (1/3)^2 = 1/3`; a leaf depends on one
    contact: :math:`C = 1`.

    >>> c = constraint(nx.DiGraph(nx.star_graph(3)))
    >>> c.round(4).tolist()
    [0.3333, 1.0, 1.0, 1.0]
    >>> round(nx.constraint(nx.star_graph(3))[0], 4)
    0.3333

    References
    ----------
    R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard
    University Press (1992).
    """
    p = from_graph(g)
    lo, hi, w = symmetric_pairs(p.n, p.src, p.dst, p.strength)
    return pd.Series(
        constraint_of(undirected_csr(p.n, lo, hi, w)), index=pd.Index(p.ids.tolist(), name="id")
    )


def constraint_of(a) -> np.ndarray:
    r"""Burt's constraint from the weighted adjacency matrix of an undirected graph.

    The formula of :func:`constraint`, in matrix form: with :math:`P = D^{-1} A`,
    :math:`C_i = \sum_j \big((P + (PP) \circ [P \ne 0])_{ij}\big)^2`.

    Parameters
    ----------
    a : scipy.sparse matrix
        Symmetric weighted adjacency matrix (CSR).

    Returns
    -------
    numpy.ndarray
        :math:`C_i` per row; NaN for isolated nodes.

    Examples
    --------
    A triangle: each node splits its ties in halves and each contact also reaches the
    other, :math:`C = 2 \cdot (1/2 + 1/2 \cdot 1/2)^2 = 1.125`; node 3 is isolated.

    >>> import scipy.sparse
    >>> a = scipy.sparse.csr_array(
    ...     np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 0], [0, 0, 0, 0]]))
    >>> constraint_of(a).tolist()
    [1.125, 1.125, 1.125, nan]
    """
    a = a.astype(float)
    deg = np.asarray(a.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        inv = np.where(deg > 0, 1.0 / deg, 0.0)
    import scipy.sparse

    p = scipy.sparse.diags(inv) @ a
    local = (p + (p @ p).multiply(p != 0)).tocsr()
    c = np.asarray(local.multiply(local).sum(axis=1)).ravel()
    c[deg == 0] = np.nan
    return c


def network_roles(g: nx.DiGraph, metrics: pd.DataFrame) -> pd.DataFrame:
    """Burt's constraint and the Cross network role of every node.

    Rules in the module docstring (:func:`roles_of`).

    Parameters
    ----------
    g : networkx.DiGraph
        A person graph.
    metrics : pandas.DataFrame
        Indexed by node id, with ``betweenness`` and ``degree`` columns (e.g.
        :func:`influence.analysis.centrality.influence_metrics`).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``metrics``, columns ``constraint`` and ``network_role``.

    Examples
    --------
    The centre of a star bridges leaves that are otherwise apart (the highest betweenness,
    the lowest constraint): a broker; each leaf has one tie: peripheral.

    >>> g = nx.DiGraph(nx.star_graph(4))
    >>> metrics = pd.DataFrame({"betweenness": nx.betweenness_centrality(g),
    ...                         "degree": dict(g.degree())})
    >>> network_roles(g, metrics)["network_role"].tolist()
    ['broker', 'peripheral', 'peripheral', 'peripheral', 'peripheral']
    """
    p = from_graph(g)
    lo, hi, w = symmetric_pairs(p.n, p.src, p.dst, p.strength)
    index = pd.Index(p.ids.tolist(), name="id")
    c = pd.Series(constraint_of(undirected_csr(p.n, lo, hi, w)), index=index)
    ties = pd.Series(tie_counts(p.n, lo, hi), index=index).reindex(metrics.index)
    c = c.reindex(metrics.index)
    role = roles_of(
        metrics["betweenness"].to_numpy(float),
        c.to_numpy(float),
        metrics["degree"].to_numpy(float),
        ties.to_numpy(float),
    )
    return pd.DataFrame({"constraint": c, "network_role": role}, index=metrics.index)


def tie_counts(n: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Each node's number of distinct neighbours (a self-loop counts once).

    Parameters
    ----------
    n : int
        Number of nodes.
    lo, hi : numpy.ndarray of int
        The symmetrised graph's pairs (:func:`~influence.graph.arrays.symmetric_pairs`).

    Returns
    -------
    numpy.ndarray of float
        The count per node.

    Examples
    --------
    >>> tie_counts(3, np.array([0, 0, 2]), np.array([1, 2, 2])).tolist()
    [2.0, 1.0, 2.0]
    """
    return (np.bincount(lo, minlength=n) + np.bincount(hi[lo != hi], minlength=n)).astype(float)


def roles_of(
    betweenness: np.ndarray, constraint: np.ndarray, degree: np.ndarray, ties: np.ndarray
) -> np.ndarray:
    r"""The Cross role of each node from its metrics (rules in the module docstring).

    Quantiles are taken over the account (:func:`~influence.analysis.metrics.quantile`,
    linear interpolation).

    Parameters
    ----------
    betweenness, constraint, degree : numpy.ndarray of float
        Each node's betweenness, Burt's constraint and degree.
    ties : numpy.ndarray of float
        Each node's number of distinct neighbours.

    Returns
    -------
    numpy.ndarray of str
        ``"broker"``, ``"central connector"``, ``"peripheral"`` or ``"contributor"``.

    Examples
    --------
    By hand: the 90th percentile of betweenness ``[0, 0, 0, 1, 4]`` is
    :math:`1 + 0.6 \cdot 3 = 2.8`, so only node 4 qualifies, and its constraint 0.3 is at
    most the 25th percentile (0.5): a broker. The 90th percentile of degree
    ``[1, 1, 3, 4, 2]`` is 3.6: node 3 (degree 4, 4 ties) is a central connector. Nodes 0
    and 1 have one tie each.

    >>> roles_of(np.array([0.0, 0, 0, 1, 4]), np.array([1, 1, 0.5, 0.6, 0.3]),
    ...          np.array([1.0, 1, 3, 4, 2]), np.array([1.0, 1, 3, 4, 2])).tolist()
    ['peripheral', 'peripheral', 'contributor', 'central connector', 'broker']

    References
    ----------
    R. Cross and A. Parker, *The Hidden Power of Social Networks*, HBS Press (2004).
    """
    bt, c, deg = betweenness, constraint, degree
    with np.errstate(invalid="ignore"):
        broker = (bt >= quantile(bt, BROKER_BETWEENNESS_QUANTILE)) & (bt > 0)
        broker &= c <= quantile(c, BROKER_CONSTRAINT_QUANTILE)
        connector = ~broker & (deg >= quantile(deg, CONNECTOR_DEGREE_QUANTILE)) & (ties >= 3)
    return np.select(
        [broker, connector, ties <= 1], ["broker", "central connector", "peripheral"], "contributor"
    )
