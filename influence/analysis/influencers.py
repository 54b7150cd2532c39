"""The influencers table: every analysis of one account, one row per person.

Computed on the person graph as arrays (:mod:`influence.graph.arrays`) by
:func:`influencer_table`: ``Account.influencers`` passes the arrays it takes straight
from the account's people and tie tables; :func:`influencers` converts any networkx
person graph first (:func:`~influence.graph.arrays.from_graph`).
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from influence.analysis.communities import leaders, louvain
from influence.analysis.coverage import coverage_gaps, last_contact, strongest_ties
from influence.analysis.formal import hidden_of, levels_of
from influence.analysis.metrics import subgraph_metrics, undirected_csr
from influence.analysis.roles import constraint_of, roles_of, tie_counts
from influence.defaults import INFLUENCE_WEIGHTS, SEED
from influence.graph.arrays import NAT, PersonArrays, from_graph

__all__ = [
    "COLUMNS",
    "influencers",
    "influencer_table",
    "customer_metrics",
    "ranked_customers",
    "unrank",
    "activity",
    "days_since",
]

#: Columns of :func:`influencers`, in order (documented in the README).
COLUMNS = [
    "id",
    "name",
    "title",
    "department",
    "account",
    "rank",
    "influence",
    "pagerank",
    "betweenness",
    "eigenvector",
    "closeness",
    "degree",
    "community",
    "coalition",
    "network_role",
    "constraint",
    "level",
    "hidden_influencer",
    "stance",
    "stance_score",
    "buying_role",
    "internal",
    "strongest_internal_tie",
    "strongest_internal_tie_name",
    "coverage_strength",
    "last_contact",
    "coverage_gap",
    "last_activity",
    "days_silent",
    "days_since_contact",
]


def influencers(
    g: nx.DiGraph, weights: Mapping[str, float] = INFLUENCE_WEIGHTS, seed: int = SEED
) -> pd.DataFrame:
    r"""Rank the people of an account's person graph: every analysis, one row per person.

    Metrics, coalitions, roles and hidden influencers are computed on the graph of the
    customer's own people (nodes with ``internal`` false): our team's meetings do not
    make customer people central. Coverage uses our team's ties. Internal people are
    listed last, with empty metrics.

    Parameters
    ----------
    g : networkx.DiGraph
        A person graph (:func:`~influence.graph.ties.person_graph`).
    weights : mapping of str to float, default ``INFLUENCE_WEIGHTS``
        Weights of the composite score
        (:func:`~influence.analysis.centrality.composite`).
    seed : int, default :data:`~influence.defaults.SEED`
        Seed of the coalition search (:func:`~influence.analysis.communities.louvain`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS` (documented in the README), sorted by rank.

    Examples
    --------
    Hana advises Ann, Bob and Cy; our Us knows Hana (0.8). Hana tops the three metrics
    the default composite counts (degree, closeness and PageRank: everyone else has no
    one to influence), so her score is 100:

    >>> g = nx.DiGraph()
    >>> g.add_node("us", internal=True, name="Us")
    >>> for v, name in [("hub", "Hana"), ("a", "Ann"), ("b", "Bob"), ("c", "Cy")]:
    ...     g.add_node(v, internal=False, name=name)
    >>> g.add_edges_from([("hub", x) for x in "abc"], strength=1.0, distance=1.0)
    >>> g.add_edge("us", "hub", strength=0.8, distance=1.25)
    >>> t = influencers(g).set_index("id")
    >>> hub = t.loc["hub"]
    >>> int(hub["rank"]), float(hub["influence"]), hub["strongest_internal_tie"]
    (1, 100.0, 'us')
    >>> hub["coalition"], t.index[-1], bool(pd.isna(t.loc["us", "rank"]))
    ('Coalition of Hana', 'us', True)
    """
    return influencer_table(from_graph(g), weights, seed)


def influencer_table(
    p: PersonArrays,
    weights: Mapping[str, float] = INFLUENCE_WEIGHTS,
    seed: int = SEED,
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """:func:`influencers` of the person graph given as arrays (:mod:`influence.graph.arrays`).

    Parameters
    ----------
    p : influence.graph.arrays.PersonArrays
        The person graph.
    weights : mapping of str to float, default ``INFLUENCE_WEIGHTS``
        As for :func:`influencers`.
    seed : int, default :data:`~influence.defaults.SEED`
        As for :func:`influencers`.
    as_of : pandas.Timestamp, optional
        The date ``days_silent`` and ``days_since_contact`` count to (``None``: the
        latest interaction in the graph).

    Returns
    -------
    pandas.DataFrame
        As :func:`influencers`.

    Examples
    --------
    >>> from influence.graph.arrays import from_graph
    >>> g = nx.DiGraph()
    >>> g.add_node("a", internal=False, name="Ann")
    >>> g.add_node("b", internal=False, name="Bob")
    >>> g.add_edge("a", "b", strength=0.5, last_contact=pd.Timestamp("2026-01-01"))
    >>> t = influencer_table(from_graph(g), as_of=pd.Timestamp("2026-01-31"))
    >>> t[["id", "rank", "days_silent"]].values.tolist()
    [['a', 1, 30.0], ['b', 2, 30.0]]
    """
    ids, internal = p.ids, p.internal
    order = p.str_order()
    team = order[internal[order]]  # our team, by str(id)
    ext, m, (lo, hi, w) = customer_metrics(p, weights)
    n = len(ext)
    by = m.order  # customer people by rank, as positions in ext
    constraint = constraint_of(undirected_csr(n, lo, hi, w)) if n else np.zeros(0)
    role = roles_of(m.betweenness[by], constraint[by], m.degree[by], tie_counts(n, lo, hi)[by])
    community = louvain(n, lo, hi, w, seed)
    str_ids = np.array([str(v) for v in ids], dtype=object)
    best, strength, last = strongest_ties(
        p.n, internal, str_ids, p.src, p.dst, p.strength, p.last_contact
    )
    level = levels_of(list(ids), p.reports_to, p.level)

    rows = np.concatenate([ext[by], team])
    ranked = ext[by]
    t = len(team)

    def pad(x: np.ndarray) -> np.ndarray:
        return np.concatenate([np.asarray(x, dtype=float), np.full(t, np.nan)])

    leader = leaders(community, m.influence, [p.name[i] for i in ext])
    tie = best[ranked].tolist()
    cols: dict[str, object] = {"id": pd.Index([ids[i] for i in rows])}
    cols.update({c: [v[i] for i in rows] for c, v in p.attrs.items()})
    cols.update(
        {
            "influence": pad(m.influence[by]),
            "rank": pd.array(m.rank[by].tolist() + [None] * t, dtype="Int64"),
            "pagerank": pad(m.pagerank[by]),
            "betweenness": pad(m.betweenness[by]),
            "eigenvector": pad(m.eigenvector[by]),
            "closeness": pad(m.closeness[by]),
            "degree": pad(m.degree[by]),
            "constraint": pad(constraint[by]),
            "network_role": role.tolist() + [""] * t,
            "strongest_internal_tie": [ids[b] if b >= 0 else "" for b in tie] + [""] * t,
            "coverage_strength": pad(strength[ranked]),
            "last_contact": last_contact(
                np.concatenate([last[ranked], np.full(t, NAT)]), p.last_unit
            ),
            "coverage_gap": np.concatenate(
                [
                    coverage_gaps(m.influence[by], m.influence, strength[ranked]) & (t > 0),
                    np.zeros(t, bool),
                ]
            ),
            "community": pd.array(community[by].tolist() + [None] * t, dtype="Int64"),
            "coalition": [f"Coalition of {leader[c]}" for c in community[by].tolist()] + [""] * t,
            "level": level[rows],
            "hidden_influencer": np.concatenate(
                [hidden_of(m.influence[by], level[ranked]), np.zeros(t, bool)]
            ),
            "strongest_internal_tie_name": [_text(p.name[b]) if b >= 0 else "" for b in tie]
            + [""] * t,
        }
    )
    active, silent = activity(p, as_of)
    cols["last_activity"] = last_contact(active[rows], p.last_unit)
    cols["days_silent"] = silent[rows]
    ours = np.concatenate([last[ranked], np.full(t, NAT)])
    cols["days_since_contact"] = days_since(ours, _end(p, as_of))
    if "internal" in cols:
        cols["internal"] = np.array([bool(v) for v in cols["internal"]], dtype=bool)
    # One frame, built in its final column order: COLUMNS ("" where a graph lacks an
    # attribute), then any other node attribute but reports_to.
    extra = [c for c in cols if c not in COLUMNS and c != "reports_to"]
    return pd.DataFrame({c: cols.get(c, "") for c in COLUMNS + extra})


def customer_metrics(
    p: PersonArrays, weights: Mapping[str, float] = INFLUENCE_WEIGHTS, only_weighted: bool = False,
    wanted: np.ndarray | None = None,
):  # fmt: skip
    """The metrics of the customer graph (our team left out), as :func:`influencer_table`
    ranks them: :func:`~influence.analysis.metrics.subgraph_metrics` of the customer's
    people. What the trend needs of each period.

    Parameters
    ----------
    p : influence.graph.arrays.PersonArrays
        The person graph, our team included (it is left out here).
    weights : mapping of str to float, optional
        The composite's weights (default :data:`~influence.defaults.INFLUENCE_WEIGHTS`).
    only_weighted : bool, default False
        Only the metrics the composite weighs (:func:`~influence.analysis.metrics.metric_arrays`).
    wanted : numpy.ndarray of bool, optional
        Over the nodes of ``p``: the people whose influence is needed; others' may be NaN
        (:func:`~influence.analysis.metrics.metric_arrays`).

    Returns
    -------
    tuple
        ``(ext, m, (lo, hi, w))``: positions of the customer's people in ``p`` ordered
        by ``str(id)``, their :class:`~influence.analysis.metrics.Metrics`, and the
        customer graph's symmetrised ties (pairs ``lo < hi`` with strength ``w``).

    Examples
    --------
    A hub tied to two people, and our own ``us`` tied to the hub (left out):

    >>> from influence.graph.arrays import from_graph
    >>> g = nx.DiGraph()
    >>> g.add_node("us", internal=True)
    >>> g.add_nodes_from("hab", internal=False)
    >>> g.add_edges_from([("h", "a"), ("h", "b")], strength=1.0, distance=1.0)
    >>> g.add_edge("us", "h", strength=0.8, distance=1.25)
    >>> p = from_graph(g)
    >>> ext, m, (lo, hi, w) = customer_metrics(p)
    >>> [str(v) for v in p.ids[ext]], m.rank.tolist()
    (['a', 'b', 'h'], [2, 3, 1])
    """
    return subgraph_metrics(p, ~p.internal, weights, only_weighted, wanted)


def ranked_customers(
    p: PersonArrays,
    weights: Mapping[str, float] = INFLUENCE_WEIGHTS,
    pending: list | tuple = (),
    people: frozenset | set | None = None,
) -> pd.DataFrame:
    """``id, name, influence, rank`` of the customer people, the same rows and values as
    :func:`influencer_table` (through :func:`unrank` with ``pending``) gives them, from
    the weighted metrics alone (:func:`customer_metrics` with ``only_weighted``): what a
    past period of a trend needs, without roles, coalitions or coverage.

    Parameters
    ----------
    p : influence.graph.arrays.PersonArrays
        The person graph, our team included (left out here).
    weights : mapping of str to float, optional
        The composite's weights (default :data:`~influence.defaults.INFLUENCE_WEIGHTS`).
    pending : list, optional
        Ids of people not yet active (:func:`~influence.analysis.activity.not_yet_active`):
        left out, as they are not ranked.
    people : set, optional
        Only these ids, with the same ``influence`` and an empty ``rank`` (a rank needs
        everyone's influence): their closeness and the largest one are all that is
        computed (:func:`customer_metrics` with ``wanted``), a small part of the cost on
        a large account.

    Returns
    -------
    pandas.DataFrame
        One row per ranked customer person (of ``people``), by rank.

    Examples
    --------
    A hub tied to two people; ``b`` not yet active:

    >>> from influence.graph.arrays import from_graph
    >>> g = nx.DiGraph()
    >>> g.add_nodes_from("hab", internal=False)
    >>> g.add_edges_from([("h", "a"), ("h", "b")], strength=1.0, distance=1.0)
    >>> ranked_customers(from_graph(g), pending=["b"])[["id", "rank"]].values.tolist()
    [['h', 1], ['a', 2]]
    >>> ranked_customers(from_graph(g), people={"a"})[["id", "rank"]].values.tolist()
    [['a', <NA>]]
    """
    wanted = None if people is None else pd.Index(p.ids).isin(list(people))
    ext, m, _ = customer_metrics(p, weights, only_weighted=True, wanted=wanted)
    order = m.order if wanted is None else m.order[wanted[ext[m.order]]]
    rows = ext[order]
    names = p.attrs["name"] if "name" in p.attrs else [""] * p.n
    table = pd.DataFrame(
        {
            "id": pd.Index([p.ids[i] for i in rows]),
            "name": [names[i] for i in rows],
            "influence": np.asarray(m.influence[order], dtype=float),
            "rank": pd.array(m.rank[order].tolist(), dtype="Int64"),
            "internal": False,
        }
    )
    cols = ["id", "name", "influence", "rank"]
    if wanted is not None:  # no rank: these are not everyone
        table = table[~table["id"].isin(set(pending))]
        return table.assign(rank=pd.array([None] * len(table), dtype="Int64"))[cols]
    table = unrank(table, pending)
    return table.loc[table["rank"].notna(), cols]


def unrank(table: pd.DataFrame, pending: list | tuple) -> pd.DataFrame:
    """``table`` (influencers, in rank order) with the customer people of ``pending``
    (not yet active) unranked: empty ``rank``, listed after the ranked customer people
    (in the order they had), who are ranked 1, 2, ... again in their order; our team
    stays last.

    Parameters
    ----------
    table : pandas.DataFrame
        ``id``, ``rank`` (Int64) and ``internal``, in rank order, our team last.
    pending : list
        Ids of the people not yet active.

    Returns
    -------
    pandas.DataFrame
        ``table`` re-ranked (itself when nobody is pending).

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["a", "b", "c", "u"], "rank": pd.array([1, 2, 3, None], "Int64"),
    ...                   "internal": [False, False, False, True]})
    >>> unrank(t, ["b"])[["id", "rank"]].values.tolist()
    [['a', 1], ['c', 2], ['b', <NA>], ['u', <NA>]]
    """
    if not len(pending):
        return table
    internal = table["internal"].astype(bool).to_numpy()
    later = table["id"].isin(set(pending)).to_numpy() & ~internal
    if not later.any():
        return table
    ranked = table[~internal & ~later].copy()
    ranked["rank"] = pd.array(range(1, len(ranked) + 1), dtype="Int64")
    unranked = table[later].copy()
    unranked["rank"] = pd.array([None] * len(unranked), dtype="Int64")
    return pd.concat([ranked, unranked, table[internal]], ignore_index=True)


def activity(p: PersonArrays, as_of: pd.Timestamp | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Each person's latest interaction and the whole days from it to ``as_of``.

    .. math:: days = \lfloor (t_{as\ of} - t_{last}) / 1\,\mathrm{day} \rfloor

    over their ties in either direction. Relationships without events are no activity.

    Parameters
    ----------
    p : influence.graph.arrays.PersonArrays
        The person graph.
    as_of : pandas.Timestamp, optional
        The end date; default: the latest interaction in the graph.

    Returns
    -------
    latest : numpy.ndarray of int64
        Each person's latest interaction in ns, :data:`~influence.graph.arrays.NAT` if
        none.
    days : numpy.ndarray of float
        The whole days from it to ``as_of``, NaN if none.

    Examples
    --------
    a's only contact is on 1 January, 60 days before the latest one (2 March); d has none:

    >>> from influence.graph.arrays import from_graph
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", last_contact=pd.Timestamp("2026-01-01"))
    >>> g.add_edge("b", "c", last_contact=pd.Timestamp("2026-03-02"))
    >>> g.add_node("d")
    >>> activity(from_graph(g))[1].tolist()
    [60.0, 0.0, 0.0, nan]
    """
    latest = np.full(p.n, NAT, dtype=np.int64)
    np.maximum.at(latest, p.src, p.last_contact)
    np.maximum.at(latest, p.dst, p.last_contact)
    return latest, days_since(latest, _end(p, as_of))


def days_since(last_ns: np.ndarray, end: int | None) -> np.ndarray:
    r"""Whole days from each of ``last_ns`` to ``end``.

    .. math:: \lfloor (t_{end} - t) / 1\,\mathrm{day} \rfloor

    Parameters
    ----------
    last_ns : numpy.ndarray of int64
        Times in ns, :data:`~influence.graph.arrays.NAT` if none.
    end : int or None
        The end in ns.

    Returns
    -------
    numpy.ndarray of float
        The days, NaN where there is no date (or no ``end``).

    Examples
    --------
    From 1 January 00:00 to 2 March: 60 days; from 2 January 18:00: 58 whole days.

    >>> t = pd.to_datetime(["2026-01-01 00:00", "2026-01-02 18:00"]).as_unit("ns").asi8
    >>> days_since(np.append(t, NAT), pd.Timestamp("2026-03-02").value).tolist()
    [60.0, 58.0, nan]
    """
    seen = last_ns != NAT
    if end is None:
        return np.full(len(last_ns), np.nan)
    day = 86_400 * 10**9
    return np.where(seen, np.floor((end - last_ns) / day), np.nan)


def _end(p: PersonArrays, as_of: pd.Timestamp | None) -> int | None:
    """``as_of`` in int64 ns, or the latest interaction of the graph (None if none)."""
    if as_of is not None:
        return pd.Timestamp(as_of).as_unit("ns").value
    seen = p.last_contact[p.last_contact != NAT]
    return int(seen.max()) if len(seen) else None


def _text(value: object) -> object:
    """A name as the table shows it: missing (None, NaN) as ""."""
    return "" if value is None or (isinstance(value, float) and value != value) else value
