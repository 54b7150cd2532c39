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

import networkx as nx
import numpy as np
import pandas as pd

from influence.analysis.reproducible import igraph_seed
from influence.defaults import SEED
from influence.graph.arrays import from_graph, symmetric_pairs

__all__ = [
    "communities",
    "louvain",
    "coalition_labels",
    "leaders",
    "table_arrays",
    "coalition_rows",
]


def communities(g: nx.DiGraph, seed: int = SEED, resolution: float = 1.0) -> pd.Series:
    r"""Community number of every node (0 = largest community), by Louvain.

    Louvain maximises the weighted modularity of the symmetrised graph (weight
    :math:`w_{ij} = (s_{ij} + s_{ji})/2`, total :math:`m = \sum w / 2`)

    .. math::

        Q = \frac{1}{2m} \sum_{ij} \Big(w_{ij} - \gamma \frac{k_i k_j}{2m}\Big)
            \delta(c_i, c_j)

    with :math:`k_i` the weighted degree and :math:`\gamma` the resolution.

    Parameters
    ----------
    g : networkx.DiGraph
        A person graph (edge attribute ``strength``).
    seed : int, default :data:`~influence.defaults.SEED`
        Seed of igraph's generator for this call
        (:func:`~influence.analysis.reproducible.igraph_seed`).
    resolution : float, default 1.0
        :math:`\gamma`: larger gives smaller communities.

    Returns
    -------
    pandas.Series of Int64
        The community of each node, indexed by id (name ``id``) in node order;
        communities numbered by size (largest first), ties by smallest member id.

    Examples
    --------
    Two 4-cliques joined by one edge (a barbell) are two communities:

    >>> g = nx.DiGraph(nx.barbell_graph(4, 0))
    >>> communities(g).tolist()
    [0, 0, 0, 0, 1, 1, 1, 1]

    References
    ----------
    V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding of
    communities in large networks", J. Stat. Mech. (2008) P10008. M. E. J. Newman,
    "Analysis of weighted networks", Phys. Rev. E 70 (2004).
    """
    p = from_graph(g)
    order = p.str_order()
    local = np.empty(p.n, dtype=np.int64)
    local[order] = np.arange(p.n)  # nodes numbered by str(id), as louvain wants
    lo, hi, w = symmetric_pairs(p.n, local[p.src], local[p.dst], p.strength)
    number = louvain(p.n, lo, hi, w, seed, resolution)[local]
    return pd.Series(number, index=pd.Index(list(g), name="id"), dtype="Int64")


def louvain(
    n: int,
    lo: np.ndarray,
    hi: np.ndarray,
    w: np.ndarray,
    seed: int = SEED,
    resolution: float = 1.0,
) -> np.ndarray:
    r"""Community number of nodes ``0..n-1`` (0 = largest community), on arrays.

    The graph is the symmetrised one given as sorted pairs; nodes are numbered in
    ``str(id)`` order, which breaks ties between equal-sized communities.

    Parameters
    ----------
    n : int
        Number of nodes.
    lo, hi : numpy.ndarray of int
        The pairs, ``lo < hi`` (or ``lo == hi``), sorted.
    w : numpy.ndarray of float
        Their weights.
    seed : int, default :data:`~influence.defaults.SEED`
        Seed of igraph's generator for this call.
    resolution : float, default 1.0
        The modularity resolution :math:`\gamma` (:func:`communities`).

    Returns
    -------
    numpy.ndarray of int64
        The community of each node.

    Examples
    --------
    Two triangles joined by the edge 2–3:

    >>> lo, hi = np.array([0, 0, 1, 2, 3, 3, 4]), np.array([1, 2, 2, 3, 4, 5, 5])
    >>> louvain(6, lo, hi, np.ones(7)).tolist()
    [0, 0, 0, 1, 1, 1]
    """
    import igraph as ig

    h = ig.Graph(n=n, edges=list(zip(np.asarray(lo).tolist(), np.asarray(hi).tolist())))
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
    """``"Coalition of <name>"`` per community, after its most influential member
    (:func:`leaders`).

    Parameters
    ----------
    community : pandas.Series
        Community number per person id (:func:`communities`).
    influence : pandas.Series
        Influence per person id.
    names : pandas.Series
        Name per person id.

    Returns
    -------
    pandas.Series of str
        The label of each person's community, indexed like ``community``.

    Examples
    --------
    >>> community = pd.Series([0, 0, 1], index=["a", "b", "c"])
    >>> labels = coalition_labels(community, pd.Series({"a": 10.0, "b": 50.0, "c": 5.0}),
    ...                           pd.Series({"a": "Ann", "b": "Bob", "c": "Cy"}))
    >>> labels.tolist()
    ['Coalition of Bob', 'Coalition of Bob', 'Coalition of Cy']
    """
    c = community.to_numpy(dtype=np.int64)
    leader = leaders(
        c,
        influence.reindex(community.index).to_numpy(float),
        names.reindex(community.index).tolist(),
    )
    return pd.Series([f"Coalition of {leader[k]}" for k in c.tolist()], index=community.index)


def leaders(community: np.ndarray, influence: np.ndarray, names: list) -> dict:
    """The name of the most influential member of each community, on arrays.

    Equal influence: the first in the given order (``str(id)`` in the influencers table);
    members without a name are passed over (NaN where no member has one); NaN influence
    counts as the lowest.

    Parameters
    ----------
    community : numpy.ndarray of int
        Each person's community.
    influence : numpy.ndarray of float
        Each person's influence.
    names : list
        Each person's name (None or NaN where unknown).

    Returns
    -------
    dict of int to str
        The leader's name per community number.

    Examples
    --------
    >>> leaders(np.array([0, 0, 1]), np.array([10.0, 50, 5]), ["Ann", "Bob", "Cy"])
    {0: 'Bob', 1: 'Cy'}
    """
    key = np.where(np.isnan(influence), np.inf, -influence)
    leader: dict = {}
    for i in np.lexsort((np.arange(len(community)), key, community)).tolist():
        c = int(community[i])
        if c not in leader and not pd.isna(names[i]):
            leader[c] = names[i]
    for c in np.unique(community).tolist():
        leader.setdefault(int(c), np.nan)
    return leader


def table_arrays(people: pd.DataFrame) -> dict[str, np.ndarray]:
    """The columns of an influencers table that coalitions, the account summary and the
    risk rules read (those it has), as arrays.

    Parameters
    ----------
    people : pandas.DataFrame
        An influencers table (``Account.influencers``).

    Returns
    -------
    dict of str to numpy.ndarray
        ``id, name, coalition, stance, buying_role`` as objects; ``influence,
        stance_score, rank, community, days_since_contact`` as floats (missing numbers
        NaN);
        ``internal, hidden_influencer, coverage_gap`` as booleans; only the columns
        ``people`` has.

    Examples
    --------
    >>> a = table_arrays(pd.DataFrame({"id": ["a", "b"], "community": pd.array([0, None], "Int64"),
    ...                                "internal": [0, 1]}))
    >>> sorted(a), a["community"].tolist(), a["internal"].tolist()
    (['community', 'id', 'internal'], [0.0, nan], [False, True])
    """
    kinds = {
        "id": object, "name": object, "coalition": object, "stance": object,
        "buying_role": object, "influence": float, "stance_score": float, "rank": float,
        "community": float, "days_since_contact": float, "internal": bool,
        "hidden_influencer": bool, "coverage_gap": bool,
    }  # fmt: skip
    out = {}
    for c, kind in kinds.items():
        if c not in people:
            continue
        col = people[c]
        if kind is bool:
            out[c] = col.to_numpy() if col.dtype == bool else col.astype(bool).to_numpy()
        elif kind is float:
            out[c] = col.to_numpy(dtype=float, na_value=np.nan)
        else:
            out[c] = col.to_numpy(dtype=object)
    return out


def coalition_rows(people: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """One row per coalition, from an influencers table's columns as arrays.

    Parameters
    ----------
    people : mapping of str to numpy.ndarray
        :func:`table_arrays` of an influencers table with ``id, internal, community,
        rank, coalition, influence, stance_score, stance``.

    Returns
    -------
    pandas.DataFrame
        Columns ``community, coalition, leader, size, members`` (ids, by rank),
        ``mean_influence``, ``mean_stance`` (over known stances; NaN if none) and one
        count column per stance (:data:`STANCE_COUNTS`); our own people are left out.

    Examples
    --------
    Bob (rank 1) leads Ann's and his coalition; Cy is alone; d is one of ours:

    >>> people = pd.DataFrame({
    ...     "id": ["a", "b", "c", "d"], "internal": [False, False, False, True],
    ...     "community": [0.0, 0, 1, np.nan], "rank": [2.0, 1, 3, np.nan],
    ...     "coalition": ["Coalition of Bob", "Coalition of Bob", "Coalition of Cy", ""],
    ...     "influence": [50.0, 100, 20, np.nan], "stance_score": [2.0, np.nan, -1, np.nan],
    ...     "stance": ["champion", "", "skeptic", ""]})
    >>> rows = coalition_rows(table_arrays(people))
    >>> rows[["coalition", "leader", "size", "members", "mean_influence", "mean_stance"]]
              coalition leader  size members  mean_influence  mean_stance
    0  Coalition of Bob      b     2  [b, a]            75.0          2.0
    1   Coalition of Cy      c     1     [c]            20.0         -1.0
    >>> rows[["champion", "skeptic", "unknown"]].values.tolist()
    [[1, 0, 1], [0, 1, 0]]
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


#: The stance count columns of :func:`coalition_rows`, in order (``unknown``: no stance).
STANCE_COUNTS = ["champion", "supporter", "neutral", "skeptic", "blocker", "unknown"]


def _mean(x: np.ndarray) -> float:
    """``pd.Series(x).mean()``: missing values count as 0 in the sum and not at all in
    the count (pandas' own arithmetic, so the same last digit)."""
    missing = np.isnan(x)
    if missing.any():
        x = np.where(missing, 0.0, x)
    count = np.float64(len(x) - missing.sum())
    return x.sum() / count if count > 0 else np.nan
