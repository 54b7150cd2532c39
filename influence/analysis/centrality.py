"""Influence metrics per person, and the composite influence score.

An edge ``a -> b`` of the person graph means *a influences b*. Being influential means
influence flows *out* of you, so every directional measure looks outwards: PageRank runs
on the reversed graph (like advice networks, where rank flows to whom others turn to),
closeness measures distance from you to others, and degree counts out-ties. Someone
who asks everyone for advice is therefore not an influencer.

Every metric is computed over the ties that are still alive: tie
strength decays with time (:mod:`influence.graph.ties`), and a tie whose strength has
fallen below :data:`~influence.defaults.TIE_FLOOR` no longer counts for any metric, so
a person who goes silent fades out of all of them (a weak but live tie still counts,
by its strength, in PageRank, closeness, betweenness and eigenvector centrality).

Columns returned by :func:`influence_metrics` (one row per node, index ``id``):

``degree``
    Breadth of the people who seek you out: out-degree centrality (Freeman 1978) over the
    ties that are still alive, :math:`|\\{b : s_{vb} \\ge \\tau\\}| / (n-1)` with
    :math:`\\tau` = :data:`~influence.defaults.TIE_FLOOR`. Tie strength decays with time
    (:mod:`influence.graph.ties`), so a person who goes silent fades out of it: with the
    default half-life a single e-mail drops below the floor after about 17 months, a
    tie of weekly contact much later, an explicit relationship that has not ended never.
    Since an e-mail or an advice request builds the tie *sought → seeker*, this is the
    breadth of inbound contact (distinct people who write to you or ask you), the best
    single indicator of formal status on the validation networks (``bench/validity.py``;
    Rowe et al. 2007 for e-mail, Wasserman & Faust 1994 §5.3 for in-degree prestige).
``pagerank``
    PageRank (Brin & Page 1998) of the reversed graph, damping 0.85, weighted by tie
    strength.
``betweenness``
    Shortest-path betweenness (Freeman 1977; Brandes 2001) with distance
    :math:`1/s` (Opsahl, Agneessens & Skvoretz 2010), normalised by :math:`(n-1)(n-2)`.
``closeness``
    Outward closeness with distance :math:`1/s` and the Wasserman–Faust correction for
    disconnected graphs (Wasserman & Faust 1994, eq. 5.1).
``eigenvector``
    Eigenvector centrality (Bonacich 1972) of the symmetrised graph, weight
    :math:`(s_{ab} + s_{ba})/2`. Directed eigenvector centrality is undefined on acyclic
    graphs, so the symmetrised graph is used; on a disconnected graph each component's
    unit eigenvector is scaled by its eigenvalue over the largest one, then the whole
    vector is normalised to unit length. On a connected undirected graph this equals
    ``nx.eigenvector_centrality``.
``influence``
    :math:`100 \\cdot \\sum_m w_m\\,x_m/\\max(x_m) \\,/\\, \\sum_m w_m` over the metrics
    above with weights :data:`~influence.defaults.INFLUENCE_WEIGHTS` (configurable):
    each metric scaled to its maximum in the account, so the score is 0–100. By default
    the three *prestige* indices of a directed network count equally (Wasserman & Faust
    1994, §5.3): degree prestige (``degree``: how many seek you), proximity prestige
    (``closeness``: how near you are to everyone you influence) and rank prestige
    (``pagerank``: being sought by those who are themselves sought; Krackhardt 1990 and
    Lazega 2001 on advice flowing towards status). ``betweenness`` measures brokerage
    (the ``broker`` role uses it) and ``eigenvector`` ignores direction; both are
    reported but weigh 0. On the validation networks (``bench/validity.py``) this
    composite is within 0.03 AUC of the best single score on each network, and no
    single measure is best on all of them (breadth of inbound contact on e-mail,
    PageRank on advice and friendship).
``rank``
    1 = most influential; ties broken by id, so ranks are deterministic.

On a graph whose ties are all undirected with strength 1, ``pagerank``,
``betweenness``, ``closeness`` and ``degree`` equal networkx's default functions.

The functions here take networkx graphs and are thin wrappers: each converts the graph
once (:func:`~influence.graph.arrays.from_graph`) and calls the one implementation in
:mod:`influence.analysis.metrics`, which the account analyses call directly.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from influence.analysis.metrics import (
    composite_scores,
    eigenvector_arrays,
    ranking,
    subgraph_metrics,
)
from influence.defaults import INFLUENCE_WEIGHTS
from influence.graph.arrays import from_graph, symmetric_pairs

__all__ = [
    "symmetrise",
    "eigenvector",
    "composite",
    "rank",
    "influence_metrics",
]


def symmetrise(g: nx.DiGraph) -> nx.Graph:
    """The undirected graph with weight :math:`(s_{ab} + s_{ba})/2`.

    A missing direction counts 0, so a one-way tie of strength :math:`s` becomes an
    undirected one of weight :math:`s/2`
    (:func:`~influence.graph.arrays.symmetric_pairs`).

    Parameters
    ----------
    g : networkx.DiGraph
        A person graph, :math:`s` in the edge attribute ``strength`` (1.0 where an edge
        lacks it).

    Returns
    -------
    networkx.Graph
        The same nodes, one edge per connected pair, with attribute ``weight``.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", strength=0.6)
    >>> g.add_edge("b", "a", strength=0.2)
    >>> g.add_edge("b", "c", strength=0.5)
    >>> sorted((a, b, round(w, 6)) for a, b, w in symmetrise(g).edges(data="weight"))
    [('a', 'b', 0.4), ('b', 'c', 0.25)]
    """
    p = from_graph(g)
    lo, hi, w = symmetric_pairs(p.n, p.src, p.dst, p.strength)
    u = nx.Graph()
    u.add_nodes_from(g)
    u.add_weighted_edges_from(zip(p.ids[lo].tolist(), p.ids[hi].tolist(), w.tolist()))
    return u


def eigenvector(g: nx.DiGraph) -> dict:
    r"""Eigenvector centrality of the symmetrised graph, defined on any graph.

    .. math:: \lambda_1 x_i = \sum_j w_{ij} x_j, \qquad w_{ij} = (s_{ij} + s_{ji})/2

    per connected component; each component's unit eigenvector is scaled by its
    eigenvalue over the largest one, then the whole vector is normalised to unit length
    (isolated nodes get 0): :func:`~influence.analysis.metrics.eigenvector_arrays`. On a
    connected undirected graph this equals ``nx.eigenvector_centrality``.

    Parameters
    ----------
    g : networkx.DiGraph
        A person graph, :math:`s` in the edge attribute ``strength``.

    Returns
    -------
    dict
        Node id to centrality.

    Examples
    --------
    The path 1 – 2 – 3 (ties both ways): :math:`x = (1, \sqrt 2, 1)/2`, as networkx has it.

    >>> g = nx.DiGraph([(1, 2), (2, 1), (2, 3), (3, 2)])
    >>> {k: round(v, 4) for k, v in eigenvector(g).items()}
    {1: 0.5, 2: 0.7071, 3: 0.5}
    >>> {k: round(v, 4) for k, v in nx.eigenvector_centrality(nx.path_graph([1, 2, 3])).items()}
    {1: 0.5, 2: 0.7071, 3: 0.5}

    References
    ----------
    P. Bonacich, "Factoring and weighting approaches to status scores and clique
    identification", J. Math. Sociol. 2 (1972).
    """
    p = from_graph(g)
    lo, hi, w = symmetric_pairs(p.n, p.src, p.dst, p.strength)
    str_rank = np.empty(p.n, dtype=np.int64)
    str_rank[p.str_order()] = np.arange(p.n)
    x = eigenvector_arrays(p.n, lo, hi, w, str_rank)
    return dict(zip(p.ids.tolist(), x.tolist()))


def composite(metrics: pd.DataFrame, weights: Mapping[str, float] = INFLUENCE_WEIGHTS) -> pd.Series:
    r"""The 0–100 influence score: a weighted mean of max-scaled metrics.

    .. math:: influence_v = 100 \cdot \frac{\sum_m w_m\, x_{m,v} / \max_u x_{m,u}}{\sum_m w_m}

    (a metric whose maximum is 0 contributes 0):
    :func:`~influence.analysis.metrics.composite_scores`.

    Parameters
    ----------
    metrics : pandas.DataFrame
        One column per metric named in ``weights``, one row per person.
    weights : mapping of str to float, default :data:`~influence.defaults.INFLUENCE_WEIGHTS`
        :math:`w_m` per metric.

    Returns
    -------
    pandas.Series
        The score, indexed like ``metrics``.

    Examples
    --------
    b has the top pagerank (weight 3), a the top degree (weight 1):
    a = 100 · (3 · 0.5 + 1 · 1) / 4 = 62.5, b = 100 · (3 · 1 + 1 · 0.5) / 4 = 87.5.

    >>> m = pd.DataFrame({"pagerank": [0.2, 0.4], "degree": [1.0, 0.5]}, index=["a", "b"])
    >>> composite(m, {"pagerank": 3, "degree": 1}).round(9).tolist()
    [62.5, 87.5]
    """
    cols = {m: metrics[m].to_numpy(float) for m in weights}
    return pd.Series(composite_scores(cols, len(metrics), weights), index=metrics.index)


def rank(score: pd.Series) -> pd.Series:
    """Rank by score: 1 = highest; equal scores are ordered by ``str(id)``
    (:func:`~influence.analysis.metrics.ranking`).

    Parameters
    ----------
    score : pandas.Series
        A score per id.

    Returns
    -------
    pandas.Series of int
        The rank of each id, indexed like ``score``.

    Examples
    --------
    >>> rank(pd.Series({"b": 5.0, "a": 5.0, "c": 9.0})).to_dict()
    {'b': 3, 'a': 2, 'c': 1}
    """
    r, _ = ranking(score.to_numpy(float), [str(i) for i in score.index])
    return pd.Series(r, index=score.index)


def influence_metrics(
    g: nx.DiGraph, weights: Mapping[str, float] = INFLUENCE_WEIGHTS
) -> pd.DataFrame:
    """Influence metrics of every node of a person graph (see the module docstring):
    :func:`~influence.analysis.metrics.metric_arrays` of the graph.

    Parameters
    ----------
    g : networkx.DiGraph
        Edges ``a -> b`` mean a influences b, with ``strength`` in (0, 1] and
        ``distance = 1/strength``.
    weights : mapping of str to float, default :data:`~influence.defaults.INFLUENCE_WEIGHTS`
        Weight of each metric in the composite ``influence`` score (:func:`composite`).

    Returns
    -------
    pandas.DataFrame
        Indexed by node id, with columns ``influence, rank, pagerank, betweenness,
        eigenvector, closeness, degree``, sorted by rank.

    Examples
    --------
    A star where the hub advises four people: influence flows out of the hub, whose
    out-degree centrality is 4/4 = 1 and the leaves' 0.

    >>> g = nx.DiGraph()
    >>> g.add_edges_from([("hub", x) for x in "abcd"], strength=1.0, distance=1.0)
    >>> m = influence_metrics(g)
    >>> int(m.loc["hub", "rank"]), float(m.loc["hub", "degree"]), float(m.loc["a", "degree"])
    (1, 1.0, 0.0)

    On an undirected graph of unit ties, PageRank, betweenness and closeness are
    networkx's own:

    >>> p = nx.DiGraph(nx.path_graph(4))
    >>> nx.set_edge_attributes(p, 1.0, "strength")
    >>> nx.set_edge_attributes(p, 1.0, "distance")
    >>> m = influence_metrics(p).sort_index()
    >>> bool(np.allclose(m["pagerank"], pd.Series(nx.pagerank(p))))
    True
    >>> m["betweenness"].round(4).tolist()
    [0.0, 0.6667, 0.6667, 0.0]
    >>> [round(v, 4) for v in nx.betweenness_centrality(p).values()]
    [0.0, 0.6667, 0.6667, 0.0]

    References
    ----------
    L. C. Freeman, "Centrality in social networks", Social Networks 1 (1978). U. Brandes,
    "A faster algorithm for betweenness centrality", J. Math. Sociol. 25 (2001). S. Brin
    and L. Page, "The anatomy of a large-scale hypertextual Web search engine" (1998).
    P. Bonacich, "Factoring and weighting approaches to status scores", J. Math. Sociol. 2
    (1972). T. Opsahl, F. Agneessens and J. Skvoretz, "Node centrality in weighted
    networks", Social Networks 32 (2010).
    """
    p = from_graph(g)
    ext, m, _ = subgraph_metrics(p, np.ones(p.n, dtype=bool), weights)
    cols = ["influence", "rank", "pagerank", "betweenness", "eigenvector", "closeness", "degree"]
    df = pd.DataFrame(
        {c: getattr(m, c)[m.order] for c in cols},
        index=pd.Index(p.ids[ext][m.order].tolist(), name="id"),
    )
    return df
