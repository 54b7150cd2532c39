"""Warm introduction paths: the strongest chains of people from us to a target.

A chain's strength is the product of its tie strengths,
:math:`S(p) = \\prod_{(u,v) \\in p} s_{uv}`, the chance that every introduction along it
works if each succeeds independently with probability :math:`s_{uv}`. The strongest
chain minimises :math:`\\sum -\\log s_{uv}`, so it is found as a shortest path with
cost :math:`-\\log s` and the k strongest with Yen's algorithm (Yen, "Finding the k
shortest loopless paths in a network", Management Science 17, 1971) as implemented by
``nx.shortest_simple_paths``. The strongest chain is not always the one with the
fewest hops. Introductions run along acquaintance, so a hop may use a tie in either
direction; its strength is the stronger of the two.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pandas as pd

PATH_COLUMNS = ["rank", "strength", "hops", "path", "hop_strengths"]
_START = ("__start__",)


def acquaintance(g: nx.DiGraph) -> nx.Graph:
    """Undirected graph with ``strength = max(s_ab, s_ba)`` and ``cost = -log(strength)``."""
    u = nx.Graph()
    u.add_nodes_from(sorted(g, key=str))
    for a, b, s in sorted(g.edges(data="strength"), key=lambda e: (str(e[0]), str(e[1]))):
        if not u.has_edge(a, b) or u[a][b]["strength"] < s:
            u.add_edge(a, b, strength=s, cost=-math.log(s))
    return u


def warm_paths(g: nx.DiGraph, sources, target, k: int = 3) -> pd.DataFrame:
    """The ``k`` strongest introduction chains from any of ``sources`` to ``target``.

    Parameters
    ----------
    g : person graph with ``strength`` on edges.
    sources : one id, or several (e.g. our whole team); a chain starts at one of them
        and does not pass through another.
    target : the person to reach.
    k : how many chains.

    Returns a DataFrame with columns ``rank, strength, hops, path, hop_strengths``,
    strongest first; ``path`` is the list of ids.

    Examples
    --------
    The direct tie is weak (0.1); going through b is stronger (0.9 × 0.8 = 0.72).

    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "c", strength=0.1)
    >>> g.add_edge("a", "b", strength=0.9)
    >>> g.add_edge("b", "c", strength=0.8)
    >>> warm_paths(g, "a", "c")[["rank", "strength", "hops", "path"]]
       rank  strength  hops       path
    0     1      0.72     2  [a, b, c]
    1     2      0.10     1     [a, c]
    """
    srcs = (
        [sources] if isinstance(sources, str) or not hasattr(sources, "__iter__") else list(sources)
    )
    srcs = sorted({s for s in srcs if s in g and s != target}, key=str)
    u = acquaintance(g)
    if target not in u or not srcs:
        return pd.DataFrame(columns=PATH_COLUMNS)
    # Search a directed view in which a chain can leave a source but never enter one.
    d = nx.DiGraph()
    d.add_nodes_from(u)
    for a, b, attrs in u.edges(data=True):
        if b not in srcs:
            d.add_edge(a, b, **attrs)
        if a not in srcs:
            d.add_edge(b, a, **attrs)
    d.add_edges_from(((_START, s) for s in srcs), cost=0.0, strength=1.0)
    rows = []
    try:
        for path in itertools.islice(nx.shortest_simple_paths(d, _START, target, weight="cost"), k):
            path = path[1:]
            hops = [u[a][b]["strength"] for a, b in itertools.pairwise(path)]
            rows.append((len(rows) + 1, math.prod(hops), len(hops), path, hops))
    except nx.NetworkXNoPath:
        pass
    return pd.DataFrame(rows, columns=PATH_COLUMNS)
