"""Coalitions: groups of people more tied to each other than to the rest.

Communities are found with the Louvain method (Blondel, Guillaume, Lambiotte & Lefebvre,
"Fast unfolding of communities in large networks", J. Stat. Mech. 2008) on the
symmetrised person graph with weight :math:`(s_{ab} + s_{ba})/2`, maximising weighted
modularity (Newman, Phys. Rev. E 70, 2004), as implemented in igraph's C core
(``community_multilevel``; networkx's ``louvain_communities`` is the same method in pure
Python and several times slower). The run is seeded, and the graph is built in sorted
order, so the same input gives the same coalitions. Communities are numbered by
size (largest first, ties by smallest member id) and labelled by their most influential
member.
"""

from __future__ import annotations

import random

import igraph as ig
import networkx as nx
import pandas as pd

from influence.analysis.centrality import symmetrise

SEED = 42


def communities(g: nx.DiGraph, seed: int = SEED, resolution: float = 1.0) -> pd.Series:
    """Community number of every node (0 = largest community).

    Examples
    --------
    >>> g = nx.DiGraph(nx.barbell_graph(4, 0))
    >>> communities(g).tolist()
    [0, 0, 0, 0, 1, 1, 1, 1]
    """
    u = symmetrise(g)
    nodes = sorted(u, key=str)
    index = {v: i for i, v in enumerate(nodes)}
    edges = sorted(
        (index[a], index[b], w) if index[a] < index[b] else (index[b], index[a], w)
        for a, b, w in u.edges(data="weight")
    )
    h = ig.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in edges])
    h.es["weight"] = [w for _, _, w in edges]
    ig.set_random_number_generator(random.Random(seed))
    try:
        membership = h.community_multilevel(weights="weight", resolution=resolution).membership
    finally:
        ig.set_random_number_generator(random)
    groups: dict[int, set] = {}
    for v, m in zip(nodes, membership):
        groups.setdefault(m, set()).add(v)
    found = list(groups.values())
    found = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    number = {v: i for i, c in enumerate(found) for v in c}
    return pd.Series([number[v] for v in g], index=pd.Index(list(g), name="id"), dtype="Int64")


def coalition_labels(community: pd.Series, influence: pd.Series, names: pd.Series) -> pd.Series:
    """``"Coalition of <name>"`` per community, after its most influential member."""
    df = pd.DataFrame({"c": community, "i": influence.reindex(community.index), "n": names})
    df = df.sort_values(["c", "i"], ascending=[True, False], kind="stable")
    leader = df.groupby("c")["n"].first()
    return community.map(lambda c: f"Coalition of {leader[c]}")


def coalition_table(people: pd.DataFrame) -> pd.DataFrame:
    """One row per coalition from an influencers table.

    Columns: ``community, coalition, leader, size, members`` (ids, by influence),
    ``mean_influence``, ``mean_stance`` (over known stances) and one count column per
    stance (``champion … blocker``, ``unknown``).
    """
    ext = people[~people["internal"]].sort_values(["community", "rank"])
    rows = []
    for c, grp in ext.groupby("community", sort=True):
        stances = grp["stance"].replace("", "unknown").value_counts()
        rows.append(
            {
                "community": int(c),
                "coalition": grp["coalition"].iat[0],
                "leader": grp["id"].iat[0],
                "size": len(grp),
                "members": grp["id"].tolist(),
                "mean_influence": grp["influence"].mean(),
                "mean_stance": grp["stance_score"].mean(),
                **{
                    s: int(stances.get(s, 0))
                    for s in ["champion", "supporter", "neutral", "skeptic", "blocker", "unknown"]
                },
            }
        )
    return pd.DataFrame(rows)
