"""Coverage: how well our own team reaches each external stakeholder.

For each external person, the *strongest internal tie* is the internal person (our team)
with the largest tie strength to them, in either direction, and ``coverage_strength``
its strength (0 when there is none). ``last_contact`` is the latest event that person
shared with anyone on our team. A stakeholder is a *coverage gap* when their influence
is in the account's top quartile and ``coverage_strength`` is below
:data:`WEAK_TIE` — influential people we barely reach (Granovetter's weak ties, 1973).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

WEAK_TIE = 0.3
GAP_QUANTILE = 0.75


def coverage(g: nx.DiGraph, internal: set, influence: pd.Series | None = None) -> pd.DataFrame:
    """Our strongest tie to each external node of ``g``.

    Parameters
    ----------
    g : person graph with ``strength`` and ``last_contact`` edge attributes.
    internal : ids of our own team.
    influence : optional influence score per external id; enables ``coverage_gap``.

    Returns a DataFrame indexed by external id with columns ``strongest_internal_tie``
    (id or ""), ``coverage_strength``, ``last_contact`` and ``coverage_gap``.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("us", "a", strength=0.4, last_contact=pd.Timestamp("2024-05-01"))
    >>> g.add_edge("me", "a", strength=0.7, last_contact=pd.Timestamp("2024-03-01"))
    >>> g.add_node("b")
    >>> coverage(g, {"us", "me"})[["strongest_internal_tie", "coverage_strength"]]
       strongest_internal_tie  coverage_strength
    id
    a                      me                0.7
    b                                        0.0
    """
    rows = []
    for v in sorted((n for n in g if n not in internal), key=str):
        best, best_s, last = "", 0.0, pd.NaT
        ties = [(u, d) for u, _, d in g.in_edges(v, data=True)] + [
            (w, d) for _, w, d in g.out_edges(v, data=True)
        ]
        for other, d in sorted(ties, key=lambda t: str(t[0])):
            if other not in internal:
                continue
            if d["strength"] > best_s:
                best, best_s = other, d["strength"]
            lc = d.get("last_contact", pd.NaT)
            if pd.notna(lc) and (pd.isna(last) or lc > last):
                last = lc
        rows.append((v, best, best_s, last))
    out = pd.DataFrame(
        rows, columns=["id", "strongest_internal_tie", "coverage_strength", "last_contact"]
    ).set_index("id")
    out["last_contact"] = pd.to_datetime(out["last_contact"])
    if influence is not None and len(influence):
        top = influence.reindex(out.index) >= influence.quantile(GAP_QUANTILE)
        out["coverage_gap"] = top & (out["coverage_strength"] < WEAK_TIE)
    else:
        out["coverage_gap"] = False
    return out
