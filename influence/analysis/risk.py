"""Account risk flags: structural weaknesses of our position in an account.

Each flag is a rule over the person graph (our team included) and the influencers table:

``no_strong_ties``
    we have no *strong* tie into the account: no tie between our team and a customer
    person with strength at least :data:`~influence.defaults.WEAK_TIE` (0.3, the line below
    which a tie is weak).
``single_threaded``
    we do have strong ties, but they all run through one person: either only one
    person of our team has strong ties into the account, or only one customer person
    holds all of them (the classic single-threaded deal). Both are reported when both
    hold. (Miller & Heiman, *Strategic Selling*, 1985: multi-thread every deal.)
``no_decision_coverage``
    the account has decision makers (buying role in
    :data:`~influence.defaults.DECISION_ROLES`) and none of them has a tie of any
    strength with our team.
``influential_blocker``
    a customer person whose stance is ``blocker`` and whose influence is in the
    account's top quartile (at or above the 75th percentile of customer influence).
``bow_tie``
    a single customer person *v*, not a decision maker, is an articulation point of the
    undirected person graph (our team included) whose removal leaves no decision maker
    connected to anyone on our team, although one was connected before: every route
    from our contacts to the decision makers goes through *v* (Hopcroft & Tarjan,
    "Efficient algorithms for graph manipulation", CACM 16, 1973, for articulation
    points).

A tie counts in either direction: :math:`s = \\max(s_{ab}, s_{ba})`. The rules about
our team (all but ``influential_blocker``) need a team: with no one of ours in the data
they are not applicable and raise no flag (:data:`influence.analysis.coverage.NO_TEAM`
says so in the summary).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from influence.analysis.metrics import quantile
from influence.defaults import DECISION_ROLES, HIGH_INFLUENCE_QUANTILE, WEAK_TIE
from influence.graph.arrays import PersonArrays, from_graph

if TYPE_CHECKING:  # loaded on first use
    import igraph as ig

__all__ = [
    "RISK_COLUMNS",
    "risk_flags",
    "risk_rows",
]

#: The columns of :func:`risk_flags`.
RISK_COLUMNS = ["flag", "people", "detail"]


def risk_flags(
    g: nx.DiGraph,
    influencers: pd.DataFrame,
    strong_tie: float = WEAK_TIE,
    decision_roles: tuple[str, ...] = DECISION_ROLES,
) -> pd.DataFrame:
    r"""The risk flags of one account (rules in the module docstring): :func:`risk_rows`
    of the graph as arrays (:func:`~influence.graph.arrays.from_graph`).

    Parameters
    ----------
    g : networkx.DiGraph
        The person graph, our team included (``internal`` node attribute).
    influencers : pandas.DataFrame
        The influencers table (``id, internal, influence, stance, buying_role`` are used).
    strong_tie : float, default :data:`~influence.defaults.WEAK_TIE`
        The strength from which a tie is strong, :math:`\max(s_{ab}, s_{ba}) \ge` this.
    decision_roles : tuple of str, default :data:`~influence.defaults.DECISION_ROLES`
        The buying roles of decision makers.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RISK_COLUMNS`: ``flag`` (the rule's key), ``people`` (ids
        involved, a list) and ``detail`` (a sentence without ``;``), in rule order.

    Examples
    --------
    One account executive talks to one customer, who advises the decision maker: all our
    strong ties run through Ann (single-threaded), we have no tie to Dee, and every route
    to Dee runs via Ann (a bow tie).

    >>> g = nx.DiGraph()
    >>> g.add_node("us", internal=True, name="Us")
    >>> g.add_node("a", internal=False, name="Ann", buying_role="Evaluator")
    >>> g.add_node("d", internal=False, name="Dee", buying_role="Decision Maker")
    >>> g.add_edge("us", "a", strength=0.8)
    >>> g.add_edge("a", "d", strength=0.9)
    >>> inf = pd.DataFrame({"id": ["a", "d", "us"], "internal": [False, False, True],
    ...                     "influence": [100.0, 40.0, None], "stance": ["", "", ""],
    ...                     "buying_role": ["Evaluator", "Decision Maker", ""]})
    >>> risk_flags(g, inf)[["flag", "people"]]
                       flag people
    0       single_threaded  [us, a]
    1  no_decision_coverage     [d]
    2               bow_tie     [a]

    References
    ----------
    R. B. Miller and S. E. Heiman, *Strategic Selling* (1985). J. Hopcroft and R. Tarjan,
    "Efficient algorithms for graph manipulation", CACM 16 (1973).
    """
    columns = {
        "id": influencers["id"].to_numpy(dtype=object),
        "internal": influencers["internal"].astype(bool).to_numpy(),
        "influence": influencers["influence"].astype(float).to_numpy(),
        "stance": influencers["stance"].to_numpy(dtype=object),
        "buying_role": influencers["buying_role"].to_numpy(dtype=object),
    }
    rows = risk_rows(from_graph(g), columns, strong_tie, decision_roles)
    return pd.DataFrame(rows, columns=RISK_COLUMNS)


def risk_rows(
    p: PersonArrays,
    influencers: Mapping[str, np.ndarray],
    strong_tie: float = WEAK_TIE,
    decision_roles: tuple[str, ...] = DECISION_ROLES,
) -> list[tuple[str, list, str]]:
    """The risk flags of one account on arrays: the one implementation behind
    :func:`risk_flags` (which converts a networkx graph and a table to these).

    Parameters
    ----------
    p : influence.graph.arrays.PersonArrays
        The person graph.
    influencers : mapping of str to numpy.ndarray
        The columns ``id, internal, influence, stance, buying_role``.
    strong_tie : float, default :data:`~influence.defaults.WEAK_TIE`
        As for :func:`risk_flags`.
    decision_roles : tuple of str, default :data:`~influence.defaults.DECISION_ROLES`
        As for :func:`risk_flags`.

    Returns
    -------
    list of tuple
        ``(flag, people, detail)`` per flag, in rule order.

    Examples
    --------
    A blocker in the top quartile of influence (the 75th percentile of 100, 50, 10 is 75):

    >>> from influence.graph.arrays import from_graph
    >>> g = nx.DiGraph()
    >>> g.add_nodes_from([("a", {"name": "Ann"}), ("b", {"name": "Bob"}), ("c", {"name": "Cy"})])
    >>> cols = {"id": np.array(["a", "b", "c"], dtype=object), "internal": np.zeros(3, bool),
    ...         "influence": np.array([100.0, 50, 10]),
    ...         "stance": np.array(["blocker", "blocker", ""], dtype=object),
    ...         "buying_role": np.array(["", "", ""], dtype=object)}
    >>> risk_rows(from_graph(g), cols)
    [('influential_blocker', ['a'], 'blocker Ann')]
    """
    ids = p.ids
    pos = {v: i for i, v in enumerate(ids)}
    internal = p.internal

    def name(i: int) -> str:
        return str(p.name[i] or ids[i]).replace(";", ",")

    def names(vs) -> str:
        return ", ".join(name(pos[v]) for v in vs)

    rows: list[tuple[str, list, str]] = []
    strength: dict[tuple, float] = {}
    one = internal[p.src] != internal[p.dst]
    for a, b, s in zip(p.src[one].tolist(), p.dst[one].tolist(), p.strength[one].tolist()):
        key = (ids[a], ids[b]) if internal[a] else (ids[b], ids[a])
        strength[key] = max(strength.get(key, 0.0), s)
    strong = sorted(k for k, s in strength.items() if s >= strong_tie)
    ours = sorted({a for a, _ in strong}, key=str)
    theirs = sorted({b for _, b in strong}, key=str)
    if internal.any() and not strong:
        rows.append(("no_strong_ties", [], f"no tie of strength {strong_tie:g} or more"))
    if strong and (len(ours) == 1 or len(theirs) == 1):
        who, parts = [], []
        if len(ours) == 1:
            who += ours
            parts.append(f"only {name(pos[ours[0]])} on our team has strong ties")
        if len(theirs) == 1:
            who += theirs
            parts.append(f"all our strong ties are with {name(pos[theirs[0]])}")
        rows.append(("single_threaded", who, " and ".join(parts)))

    ext = ~np.asarray(influencers["internal"], dtype=bool)
    ext_ids = np.asarray(influencers["id"], dtype=object)[ext]
    role = np.asarray(influencers["buying_role"], dtype=object)[ext]
    dms = sorted((v for v, r in zip(ext_ids, role) if r in decision_roles), key=str)
    covered = {b for (_, b) in strength}
    if internal.any() and dms and not covered.intersection(dms):
        rows.append(("no_decision_coverage", dms, f"no tie to {names(dms)}"))

    infl = np.asarray(influencers["influence"], dtype=float)[ext]
    if (~np.isnan(infl)).any():
        cut = quantile(infl, HIGH_INFLUENCE_QUANTILE)
        stance = np.asarray(influencers["stance"], dtype=object)[ext]
        blockers = sorted(
            (v for v, st, x in zip(ext_ids, stance, infl) if st == "blocker" and x >= cut), key=str
        )
        if blockers:
            rows.append(("influential_blocker", blockers, f"blocker {names(blockers)}"))

    if internal.any() and dms:
        import igraph as ig

        u = ig.Graph(n=p.n, edges=list(zip(p.src.tolist(), p.dst.tolist())), directed=False)
        dm = np.zeros(p.n, dtype=bool)
        dm[[pos[v] for v in dms]] = True

        def connected(h: ig.Graph, keep: np.ndarray) -> bool:
            comp = np.asarray(h.connected_components().membership, dtype=np.int64)
            k = comp.max() + 1 if len(comp) else 0
            has_us = np.bincount(comp[internal[keep]], minlength=k) > 0
            has_dm = np.bincount(comp[dm[keep]], minlength=k) > 0
            return bool((has_us & has_dm).any())

        everyone = np.arange(p.n)
        if connected(u, everyone):
            for v in sorted(u.articulation_points(), key=lambda i: str(ids[i])):
                if internal[v] or dm[v]:
                    continue
                h = u.copy()
                h.delete_vertices([v])
                if not connected(h, everyone[everyone != v]):
                    detail = f"every route to the decision makers runs via {name(v)}"
                    rows.append(("bow_tie", [ids[v]], detail))
    return rows
