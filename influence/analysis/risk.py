"""Account risk flags: structural weaknesses of our position in an account.

Each flag is a rule over the person graph (our team included) and the influencers table:

``no_strong_ties``
    we have no *strong* tie into the account: no tie between our team and a customer
    person with strength at least :data:`STRONG_TIE` (0.3, the coverage module's weak-tie
    line).
``single_threaded``
    we do have strong ties, but they all run through one person: either only one
    person of our team has strong ties into the account, or only one customer person
    holds all of them (the classic single-threaded deal). Both are reported when both
    hold. (Miller & Heiman, *Strategic Selling*, 1985: multi-thread every deal.)
``no_decision_coverage``
    the account has decision makers (buying role in :data:`DECISION_ROLES`) and none
    of them has a tie of any strength with our team.
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

A tie counts in either direction: :math:`s = \\max(s_{ab}, s_{ba})`.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

STRONG_TIE = 0.3
BLOCKER_QUANTILE = 0.75
DECISION_ROLES = ("Decision Maker", "Economic Buyer")
RISK_COLUMNS = ["flag", "people", "detail"]


def _name(g: nx.DiGraph, v) -> str:
    return str(g.nodes[v].get("name") or v).replace(";", ",")


def _names(g: nx.DiGraph, vs) -> str:
    return ", ".join(_name(g, v) for v in vs)


def risk_flags(
    g: nx.DiGraph,
    influencers: pd.DataFrame,
    strong_tie: float = STRONG_TIE,
    decision_roles: tuple[str, ...] = DECISION_ROLES,
) -> pd.DataFrame:
    """The risk flags of one account (rules in the module docstring).

    Parameters
    ----------
    g : the person graph, our team included (``internal`` node attribute).
    influencers : the influencers table (``id, internal, influence, stance,
        buying_role`` are used).

    Returns a DataFrame with columns ``flag`` (the rule's key), ``people`` (ids
    involved, a list) and ``detail`` (a sentence without ``;``), in rule order.

    Examples
    --------
    One account executive talks to one customer, who advises the decision maker.

    >>> g = nx.DiGraph()
    >>> g.add_node("us", internal=True, name="Us")
    >>> g.add_node("a", internal=False, name="Ann", buying_role="Evaluator")
    >>> g.add_node("d", internal=False, name="Dee", buying_role="Decision Maker")
    >>> g.add_edge("us", "a", strength=0.8)
    >>> g.add_edge("a", "d", strength=0.9)
    >>> inf = pd.DataFrame({"id": ["a", "d", "us"], "internal": [False, False, True],
    ...                     "influence": [100.0, 40.0, None], "stance": ["", "", ""],
    ...                     "buying_role": ["Evaluator", "Decision Maker", ""]})
    >>> risk_flags(g, inf)["flag"].tolist()
    ['single_threaded', 'no_decision_coverage', 'bow_tie']
    """
    internal = {v for v, d in g.nodes(data=True) if d.get("internal")}
    rows: list[tuple[str, list, str]] = []
    strength: dict[tuple, float] = {}
    for a, b, s in g.edges(data="strength", default=1.0):
        if (a in internal) != (b in internal):
            key = (a, b) if a in internal else (b, a)
            strength[key] = max(strength.get(key, 0.0), float(s))
    strong = sorted(k for k, s in strength.items() if s >= strong_tie)
    ours = sorted({a for a, _ in strong}, key=str)
    theirs = sorted({b for _, b in strong}, key=str)
    if internal and not strong:
        rows.append(("no_strong_ties", [], f"no tie of strength {strong_tie:g} or more"))
    if strong and (len(ours) == 1 or len(theirs) == 1):
        who, parts = [], []
        if len(ours) == 1:
            who += ours
            parts.append(f"only {_name(g, ours[0])} on our team has strong ties")
        if len(theirs) == 1:
            who += theirs
            parts.append(f"all our strong ties are with {_name(g, theirs[0])}")
        rows.append(("single_threaded", who, " and ".join(parts)))

    ext = influencers[~influencers["internal"].astype(bool)]
    dms = sorted(ext.loc[ext["buying_role"].isin(decision_roles), "id"], key=str)
    covered = {b for (_, b) in strength}
    if dms and not covered.intersection(dms):
        rows.append(("no_decision_coverage", dms, f"no tie to {_names(g, dms)}"))

    infl = ext["influence"].astype(float)
    if len(infl.dropna()):
        cut = infl.quantile(BLOCKER_QUANTILE)
        blockers = sorted(ext.loc[(ext["stance"] == "blocker") & (infl >= cut), "id"], key=str)
        if blockers:
            rows.append(("influential_blocker", blockers, f"blocker {_names(g, blockers)}"))

    if internal and dms:
        u = nx.Graph(g.to_undirected(as_view=True))

        def connected(h: nx.Graph) -> bool:
            return any(
                any(x in internal for x in comp) and any(x in dms for x in comp)
                for comp in nx.connected_components(h)
            )

        if connected(u):
            for v in sorted(nx.articulation_points(u), key=str):
                if v in internal or v in dms:
                    continue
                if not connected(nx.restricted_view(u, [v], [])):
                    detail = f"every route to the decision makers runs via {_name(g, v)}"
                    rows.append(("bow_tie", [v], detail))
    return pd.DataFrame(rows, columns=RISK_COLUMNS)


def flags_text(flags: pd.DataFrame) -> str:
    """The flags as one ``; ``-separated string, as in ``summary.csv``.

    >>> flags_text(pd.DataFrame({"flag": ["bow_tie"], "people": [["a"]], "detail": ["via Ann"]}))
    'bow_tie: via Ann'
    """
    return "; ".join(f"{f}: {d}" for f, d in zip(flags["flag"], flags["detail"]))
