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
import scipy.sparse

from influence.analysis.centrality import symmetrise
from influence.analysis.metrics import quantile
from influence.defaults import (
    BROKER_BETWEENNESS_QUANTILE,
    BROKER_CONSTRAINT_QUANTILE,
    CONNECTOR_DEGREE_QUANTILE,
)


def constraint(g: nx.DiGraph, weight: str = "strength") -> pd.Series:
    """Burt's constraint of every node of the symmetrised graph.

    :math:`C_i = \\sum_{j \\in N(i)} (p_{ij} + \\sum_{q \\ne i,j} p_{iq} p_{qj})^2` with
    :math:`p_{ij}` the share of i's tie weight that goes to j. Equal to
    ``nx.constraint`` on the same undirected graph (NaN for isolated nodes), computed
    with sparse matrices.

    Examples
    --------
    >>> round(constraint(nx.DiGraph(nx.star_graph(3)))[0], 4)
    np.float64(0.3333)
    """
    u = symmetrise(g, weight)
    nodes = list(u)
    if not nodes:
        return pd.Series(dtype=float)
    a = nx.to_scipy_sparse_array(u, nodelist=nodes, weight="weight", format="csr")
    return pd.Series(constraint_of(a), index=pd.Index(nodes, name="id"))


def constraint_of(a) -> np.ndarray:
    """Burt's constraint from the weighted adjacency matrix (scipy CSR) of an undirected
    graph; NaN for isolated nodes."""
    a = a.astype(float)
    deg = np.asarray(a.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        inv = np.where(deg > 0, 1.0 / deg, 0.0)
    p = scipy.sparse.diags(inv) @ a
    local = (p + (p @ p).multiply(p != 0)).tocsr()
    c = np.asarray(local.multiply(local).sum(axis=1)).ravel()
    c[deg == 0] = np.nan
    return c


def network_roles(g: nx.DiGraph, metrics: pd.DataFrame) -> pd.DataFrame:
    """Burt's constraint and the Cross network role of every node.

    ``metrics`` is the output of :func:`influence.analysis.centrality.influence_metrics`.
    Returns a DataFrame indexed by id with columns ``constraint, network_role``.
    """
    c = constraint(g).reindex(metrics.index)
    ties = pd.Series({v: len(set(g.successors(v)) | set(g.predecessors(v))) for v in g}).reindex(
        metrics.index
    )
    role = roles_of(
        metrics["betweenness"].to_numpy(float),
        c.to_numpy(float),
        metrics["degree"].to_numpy(float),
        ties.to_numpy(float),
    )
    return pd.DataFrame({"constraint": c, "network_role": role}, index=metrics.index)


def roles_of(
    betweenness: np.ndarray, constraint: np.ndarray, degree: np.ndarray, ties: np.ndarray
) -> np.ndarray:
    """The Cross role of each node (rules in the module docstring) from its metrics and
    its number of distinct neighbours ``ties``."""
    bt, c, deg = betweenness, constraint, degree
    with np.errstate(invalid="ignore"):
        broker = (bt >= quantile(bt, BROKER_BETWEENNESS_QUANTILE)) & (bt > 0)
        broker &= c <= quantile(c, BROKER_CONSTRAINT_QUANTILE)
        connector = ~broker & (deg >= quantile(deg, CONNECTOR_DEGREE_QUANTILE)) & (ties >= 3)
    return np.select(
        [broker, connector, ties <= 1], ["broker", "central connector", "peripheral"], "contributor"
    )
