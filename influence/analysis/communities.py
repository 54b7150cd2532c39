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

from collections.abc import Mapping

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from influence.analysis.centrality import symmetrise
from influence.analysis.reproducible import igraph_seed
from influence.defaults import SEED


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
    pairs = sorted(
        (index[a], index[b], w) if index[a] < index[b] else (index[b], index[a], w)
        for a, b, w in u.edges(data="weight")
    )
    lo, hi, w = (np.array(x) for x in zip(*pairs)) if pairs else (np.zeros(0, int),) * 3
    number = louvain(len(nodes), lo, hi, w, seed, resolution)
    at = dict(zip(nodes, number.tolist()))
    return pd.Series([at[v] for v in g], index=pd.Index(list(g), name="id"), dtype="Int64")


def louvain(
    n: int,
    lo: np.ndarray,
    hi: np.ndarray,
    w: np.ndarray,
    seed: int = SEED,
    resolution: float = 1.0,
) -> np.ndarray:
    """Community number of nodes ``0..n-1`` (0 = largest community) of the symmetrised
    graph given as sorted pairs ``lo < hi`` (or ``lo == hi``) with weights ``w``; nodes
    are numbered in ``str(id)`` order, which breaks ties between equal-sized communities.
    """
    h = ig.Graph(n=n, edges=np.column_stack([lo, hi]).tolist())
    h.es["weight"] = np.asarray(w, dtype=float).tolist()
    with igraph_seed(seed):
        membership = h.community_multilevel(weights="weight", resolution=resolution).membership
    membership = np.asarray(membership, dtype=np.int64)
    if not n:
        return membership
    # Communities by size (largest first), then by their smallest member.
    first = np.full(membership.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, membership, np.arange(n))
    size = np.bincount(membership)
    found = np.lexsort((first, -size))
    number = np.empty(len(found), dtype=np.int64)
    number[found] = np.arange(len(found))
    return number[membership]


def coalition_labels(community: pd.Series, influence: pd.Series, names: pd.Series) -> pd.Series:
    """``"Coalition of <name>"`` per community, after its most influential member."""
    df = pd.DataFrame({"c": community, "i": influence.reindex(community.index), "n": names})
    df = df.sort_values(["c", "i"], ascending=[True, False], kind="stable")
    leader = df.groupby("c")["n"].first()
    return community.map(lambda c: f"Coalition of {leader[c]}")


def table_arrays(people: pd.DataFrame) -> dict[str, np.ndarray]:
    """The columns of an influencers table that coalitions, the account summary and the
    risk rules read (those it has), as arrays; missing numbers as NaN."""
    kinds = {
        "id": object, "name": object, "coalition": object, "stance": object,
        "buying_role": object, "influence": float, "stance_score": float, "rank": float,
        "community": float, "internal": bool, "hidden_influencer": bool, "coverage_gap": bool,
    }  # fmt: skip
    out = {}
    for c, kind in kinds.items():
        if c not in people:
            continue
        col = people[c]
        if kind is bool:
            out[c] = col.astype(bool).to_numpy()
        elif kind is float:
            out[c] = (
                col.astype(float).to_numpy()
                if col.dtype.kind in "fb"
                else col.to_numpy(dtype=float, na_value=np.nan)
            )
        else:
            out[c] = col.to_numpy(dtype=object)
    return out


def coalition_rows(people: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """One row per coalition, from an influencers table's columns as arrays
    (:func:`table_arrays`).

    Columns: ``community, coalition, leader, size, members`` (ids, by influence),
    ``mean_influence``, ``mean_stance`` (over known stances) and one count column per
    stance (``champion … blocker``, ``unknown``).
    """
    ext = ~people["internal"]
    comm = people["community"][ext]
    rank = people["rank"][ext]
    # By community, then rank (missing last), keeping the table's order otherwise.
    order = np.lexsort((np.nan_to_num(rank, nan=np.inf), comm))
    order = order[~np.isnan(comm[order])]
    if not len(order):
        return pd.DataFrame([])
    ids = people["id"][ext][order]
    label = people["coalition"][ext][order]
    influence = people["influence"][ext][order]
    score = people["stance_score"][ext][order]
    stance = people["stance"][ext][order]
    comm = comm[order]
    starts = np.flatnonzero(np.r_[True, comm[1:] != comm[:-1]])
    ends = np.r_[starts[1:], len(comm)]
    cols: dict[str, list] = {
        c: []
        for c in ["community", "coalition", "leader", "size", "members", "mean_influence",
                  "mean_stance", *STANCE_COUNTS]
    }  # fmt: skip
    for a, b in zip(starts.tolist(), ends.tolist()):
        known = ~np.isnan(score[a:b])
        counts = dict.fromkeys(STANCE_COUNTS, 0)
        for st in stance[a:b].tolist():
            st = "unknown" if st == "" else st
            if st in counts:
                counts[st] += 1
        row = {
            "community": int(comm[a]),
            "coalition": label[a],
            "leader": ids[a],
            "size": b - a,
            "members": ids[a:b].tolist(),
            "mean_influence": _mean(influence[a:b]),
            "mean_stance": _mean(score[a:b]) if known.any() else np.nan,
            **counts,
        }
        for c, v in row.items():
            cols[c].append(v)
    # Column by column (what a list of row dicts gives, built faster).
    members = np.empty(len(cols["members"]), dtype=object)
    members[:] = cols["members"]
    cols["members"] = members
    return pd.DataFrame(cols)


STANCE_COUNTS = ["champion", "supporter", "neutral", "skeptic", "blocker", "unknown"]


def _mean(x: np.ndarray) -> float:
    """``pd.Series(x).mean()``: missing values count as 0 in the sum and not at all in
    the count (pandas' own arithmetic, so the same last digit)."""
    missing = np.isnan(x)
    if missing.any():
        x = np.where(missing, 0.0, x)
    count = np.float64(len(x) - missing.sum())
    return x.sum() / count if count > 0 else np.nan
